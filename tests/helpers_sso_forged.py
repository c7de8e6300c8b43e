"""A stand-in OpenID provider on 127.0.0.1 that answers with whatever a test makes it say: an ID
token for another client, unsigned, signed with the client secret, a key set that is no key set.
What a certified provider never sends, to see the sign-in refuse it (tests/test_single_sign_on_forged.py)."""

import base64
import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from helpers_postgresql import _free_port
from helpers_sso import CLIENT_ID
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from helpers_ports import worker_share

PORTS = worker_share(range(19890, 19900))
KEY = RSAKey.generate_key(2048, parameters={"kid": "forged-tests"})


class Forger:
    """What the provider will answer next; a test changes any part of it."""

    def __init__(self, issuer):
        self.issuer, self.nonce = issuer, None
        self.jwks = json.dumps(KeySet([KEY]).as_dict(private=False))
        self.token_status, self.id_token = 200, None

    def claims(self, **changes):
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": CLIENT_ID, "sub": "leo", "nonce": self.nonce, "exp": now + 60}
        claims.update(iat=now, email="leo@example.org", email_verified=True)
        return {k: v for k, v in {**claims, **changes}.items() if v is not None}

    def signed(self, header=None, key=KEY, **changes):
        return jwt.encode({"alg": "RS256", "kid": "forged-tests", **(header or {})}, self.claims(**changes), key)

    def unsigned(self, **changes):
        part = [json.dumps(x).encode() for x in ({"alg": "none"}, self.claims(**changes))]
        return ".".join(base64.urlsafe_b64encode(p).rstrip(b"=").decode() for p in part) + "."


def _handler(forger):
    class Handler(BaseHTTPRequestHandler):
        def _send(self, status, body):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path == "/.well-known/openid-configuration":
                endpoints = {"authorization_endpoint": "/auth", "token_endpoint": "/token", "jwks_uri": "/jwks"}
                self._send(
                    200, json.dumps({"issuer": forger.issuer, **{k: forger.issuer + v for k, v in endpoints.items()}})
                )
            else:
                self._send(200, forger.jwks)

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            token = forger.id_token if forger.id_token is not None else forger.signed()
            self._send(
                forger.token_status, json.dumps({"access_token": "a", "token_type": "Bearer", "id_token": token})
            )

        def log_message(self, *args):
            pass

    return Handler


@contextlib.contextmanager
def forging_provider():
    port = _free_port(PORTS, "the stand-in OpenID provider")
    forger = Forger(f"http://127.0.0.1:{port}")
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(forger))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield forger
    finally:
        server.shutdown()
        server.server_close()


def forged_sign_in(client, forger, id_token=None):
    """Start signing in, then come back as the provider would, with this ID token (built after the
    start, so it can carry the nonce asked for): a function of the forger, or None for a good one."""
    started = client.get("/login/sso")
    asked = parse_qs(urlsplit(started.headers["Location"]).query)
    forger.nonce = asked["nonce"][0]
    forger.id_token = id_token(forger) if id_token else None
    return client.get(f"/login/sso/callback?code=any&state={asked['state'][0]}")
