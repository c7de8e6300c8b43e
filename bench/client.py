"""A small HTTP client for the driver: one keep-alive connection, a cookie jar, the CSRF token.

http.client rather than requests: a request costs the driver a fraction of a millisecond,
so a busy client does not show up as server latency.
"""

import gzip
import http.client
import re
import time
import zlib
from http.cookies import SimpleCookie
from urllib.parse import urlencode

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|"X-CSRFToken":\s*"([^"]+)"')


class Answer:
    def __init__(self, status, headers, sent, seconds):
        self.status, self.headers, self.sent, self.seconds = status, headers, sent, seconds

    @property
    def body(self):
        encoding = self.headers.get("content-encoding", "")
        if encoding == "gzip":
            return gzip.decompress(self.sent)
        if encoding == "br":
            import brotli

            return brotli.decompress(self.sent)
        if encoding == "deflate":
            return zlib.decompress(self.sent)
        return self.sent

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


class Client:
    def __init__(self, port, accept_encoding="br, gzip"):
        self.port, self.cookies, self.csrf = port, {}, None
        self.headers = {}  # sent with every request: the API's bearer token
        self.accept_encoding = accept_encoding
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method, path, form=None, htmx=False):
        headers = {"Accept-Encoding": self.accept_encoding, "Host": f"127.0.0.1:{self.port}", **self.headers}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if htmx:
            headers["HX-Request"] = "true"
        body = None
        if form is not None:
            pairs = list(form.items()) if isinstance(form, dict) else list(form)
            if self.csrf and method == "POST":
                pairs.insert(0, ("csrf_token", self.csrf))
            body = urlencode(pairs)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            sent = response.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()  # the server closed an idle connection: one retry on a new one
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            sent = response.read()
        answer = Answer(
            response.status, {k.lower(): v for k, v in response.getheaders()}, sent, time.perf_counter() - started
        )
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                for name, morsel in SimpleCookie(value).items():
                    if morsel["max-age"] == "0" or morsel.value == "":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
        return answer

    def get(self, path, htmx=False):
        return self.request("GET", path, htmx=htmx)

    def post(self, path, form=(), htmx=False):
        return self.request("POST", path, form=form, htmx=htmx)

    def take_csrf(self, answer):
        found = CSRF.search(answer.text)
        if found:
            self.csrf = found.group(1) or found.group(2)
        return self.csrf

    def login(self, email, password):
        self.cookies.clear()
        self.take_csrf(self.get("/login"))
        answer = self.post("/login", {"email": email, "password": password})
        if answer.status != 303:
            raise RuntimeError(f"log-in as {email} answered {answer.status}")
        self.take_csrf(self.get(answer.headers["location"].replace(f"http://127.0.0.1:{self.port}", "")))
        return answer

    def close(self):
        self.conn.close()
