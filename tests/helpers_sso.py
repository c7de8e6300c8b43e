"""A real OpenID provider for the staff sign-in: tests/js/oidc_provider.mjs (panva's oidc-provider)
on 127.0.0.1 in this run's ports, and a person signing in at it, redirects followed by hand."""

import contextlib
import html
import json

import subprocess
from urllib.parse import urljoin, urlsplit

import requests
from helpers_calendar import JS, install_icaljs
from helpers_postgresql import _free_port

from cervis.db import write_transaction
from cervis.models import SingleSignOn
from helpers_ports import worker_share

PORTS = worker_share(range(19810, 19890))
CLIENT_ID, CLIENT_SECRET = "cervis-tests", "a-secret-only-the-tests-know"
APP = "http://localhost"  # the tests' BASE_URL: the redirect address is under it


@contextlib.contextmanager
def openid_provider():
    """The provider's issuer address while the block runs; it exits when its stdin closes."""
    install_icaljs()
    settings = {
        "port": _free_port(PORTS, "the OpenID provider"),
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uri": f"{APP}/login/sso/callback",
    }
    process = subprocess.Popen(
        ["node", str(JS / "oidc_provider.mjs"), json.dumps(settings)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = process.stdout.readline()  # "ready <issuer>", or nothing if it failed to start
        assert line.startswith("ready "), line
        yield line.split()[1]
    finally:
        process.stdin.close()
        process.wait(timeout=10)
        process.stdout.close()


def set_up(issuer, **extra):
    with write_transaction():
        config = SingleSignOn.current()
        config.issuer, config.client_id, config.client_secret = issuer, CLIENT_ID, CLIENT_SECRET
        config.account_name = "Example 365"
        for name, value in extra.items():
            setattr(config, name, value)
        config.save()


def at_the_provider(start_location, account):
    """Sign in as `account` at the provider and agree; the address it sends the browser back to."""
    browser, url = requests.Session(), start_location
    for _ in range(12):
        answer = browser.get(url, allow_redirects=False, timeout=10)
        if answer.status_code in (302, 303):
            url = urljoin(url, answer.headers["Location"])
            if url.startswith(APP + "/"):
                return url
            continue
        assert answer.status_code == 200, (url, answer.status_code, answer.text[:300])
        form = (
            {"prompt": "login", "login": account, "password": "any"}
            if 'name="login"' in answer.text
            else {"prompt": "consent"}
        )
        posted = browser.post(url, data=form, allow_redirects=False, timeout=10)
        url = urljoin(url, posted.headers["Location"])
    raise AssertionError("the provider never sent the browser back")


def back_at_cervis(client, address):
    """The test client opens the address the provider sent the browser back to."""
    parts = urlsplit(address)
    return client.get(f"{parts.path}?{parts.query}")


def sign_in(client, account, start="/login/sso"):
    started = client.get(start)
    assert started.status_code == 303, started.status_code
    return back_at_cervis(client, at_the_provider(started.headers["Location"], account))


def flashed(client):
    """The log-in page's words, as a person reads them (the banner's quotes unescaped)."""
    return html.unescape(client.get("/login").get_data(as_text=True))
