"""Headers every answer carries: Vary: HX-Request wherever a URL can answer a fragment too (a cache
must not hand the fragment to a full-page visit), and no Server header naming the server."""

import re
import threading
import urllib.request
from pathlib import Path

import waitress
from waitress import wasyncore
from waitress.adjustments import Adjustments

from cervis.models import Frequency, Group

README = Path(__file__).resolve().parent.parent / "README.md"


def _pages():
    north, _ = Group.get(Group.name == "Northside"), Frequency.get(Frequency.name == "Weekly")
    return {
        "vera@example.org": ["/portal/", "/portal/signup", "/portal/service", "/portal/profile"],
        "leo@example.org": ["/leader/", f"/leader/groups/{north.id}", f"/leader/groups/{north.id}/members"],
        "ada@example.org": ["/admin/", "/admin/lists", "/admin/settings", "/admin/people", "/admin/outbox"],
    }


def test_full_page_answers_vary_on_hx_request_as_their_fragments_do(app, auth, client, db):
    for email, urls in _pages().items():
        auth.login(email)
        for url in urls:
            for headers in ({}, {"HX-Request": "true"}):
                response = client.get(url, headers=headers)
                assert response.status_code in (200, 303, 404), url
                assert "HX-Request" in response.headers.get("Vary", ""), (url, headers)
        auth.logout()
    assert "HX-Request" in client.get("/login").headers.get("Vary", "")


def test_no_server_header_names_the_server_when_served_as_the_readme_says(app):
    """waitress with the options of the README's systemd unit: no Server header, no Via."""
    command = re.search(r"ExecStart=\S*waitress-serve (.*) app:app", README.read_text()).group(1).split()
    options, _ = Adjustments.parse_args(command)
    options.update(host="127.0.0.1", port=0)
    options.pop("help"), options.pop("call")
    server = waitress.create_server(app, **options)
    stop = threading.Event()

    def serve():
        # The loop's own thread closes the sockets: closed from here, a select() still waiting on
        # them fails with EBADF, an exception in a thread that fails the test.
        while not stop.is_set():
            wasyncore.loop(timeout=0.05, map=server._map, count=1)
        server.task_dispatcher.shutdown()
        wasyncore.close_all(server._map)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        host, port = server.socket.getsockname()[:2]
        with urllib.request.urlopen(f"http://{host}:{port}/login", timeout=30) as response:
            headers = {k.lower(): v for k, v in response.headers.items()}
    finally:
        stop.set()
        thread.join(timeout=5)
    assert response.status == 200
    assert "server" not in headers and "via" not in headers


def test_the_readmes_unit_frees_a_full_connection_table_in_seconds_not_minutes():
    """Idle keep-alive connections past waitress's limit kept others waiting its default 120 s."""
    command = re.search(r"ExecStart=\S*waitress-serve (.*) app:app", README.read_text()).group(1).split()
    parsed = Adjustments.parse_args(command)[0]
    parsed.pop("help"), parsed.pop("call")
    options = Adjustments(**parsed)
    assert options.connection_limit == 200 and options.channel_timeout + options.cleanup_interval <= 30
    from bench.serve import WAITRESS_OPTIONS

    assert " ".join(WAITRESS_OPTIONS) in " ".join(command)  # the benchmark serves as the README deploys
