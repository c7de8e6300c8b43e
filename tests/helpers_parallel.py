"""Requests sent all at once to a live server, one thread each, as a rush of people would."""

import threading
import urllib.error
import urllib.parse
import urllib.request

from conftest import PASSWORD


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(_NoRedirect)  # a 303 is an answer to count, not to follow


def post_at_once(url, forms, cookie=None, headers=None):
    """POST every form at the same moment, one thread each (to `url`, or to url[i] when it is a
    list: each to a server of its own), with these extra headers; the status codes."""
    barrier, codes = threading.Barrier(len(forms)), []
    urls = url if isinstance(url, list) else [url] * len(forms)

    def send(form, url):
        request = urllib.request.Request(url, data=urllib.parse.urlencode(form).encode(), method="POST")
        if cookie:
            request.add_header("Cookie", cookie)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        barrier.wait()
        try:
            with OPENER.open(request, timeout=60) as response:
                codes.append(response.status)
        except urllib.error.HTTPError as error:
            codes.append(error.code)

    threads = [threading.Thread(target=send, args=pair) for pair in zip(forms, urls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(codes) == len(forms), "a request hung"
    return codes


def session_cookie(client, email="vera@example.org"):
    """Log in with the test client; the Cookie header that carries its session to the live server."""
    client.post("/login", data={"email": email, "password": PASSWORD})
    return f"session={client.get_cookie('session').value}"
