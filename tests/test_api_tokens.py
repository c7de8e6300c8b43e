"""API Tokens: an administrator makes one per integration, sees it once, and can revoke it; a token
works only with its scopes, until it expires, a limited number of times a minute, and never the
session cookie in its place."""

import threading
from datetime import timedelta

import pytest

from helpers_api import Api, checked, make_token

from cervis.api import rate
from cervis.db import database, utcnow
from cervis.models import ApiRate, ApiToken, AuditLog, Throttle, User
from cervis.models.api import READ_ROTA, READ_VOLUNTEERS, digest


def _make(client, **data):
    form = {
        "name": "Beacon CRM",
        "scopes": [READ_ROTA],
        "expires_on": (utcnow().date() + timedelta(days=30)).isoformat(),
    }
    return client.post("/admin/api-tokens", data={**form, **data})


def test_administrator_makes_a_token_sees_it_once_and_only_its_digest_is_kept(auth, client, db):
    auth.login("ada@example.org")
    page = _make(client).get_data(as_text=True)
    (row,) = ApiToken.select()
    token = page.split('<code class="api-token">')[1].split("</code>")[0]
    assert row.token_hash == digest(token) and token not in row.token_hash and row.scopes == READ_ROTA
    assert token not in client.get("/admin/api-tokens").get_data(as_text=True)
    assert AuditLog.get(AuditLog.action == "api-token.create").object_id == row.id
    assert Api(client, token).get("/api/v1/groups").status_code == 200


def test_a_token_form_with_mistakes_says_so_beside_each_field_and_keeps_the_name(auth, client, db):
    auth.login("ada@example.org")
    response = _make(client, scopes=[], expires_on=(utcnow().date() - timedelta(days=1)).isoformat())
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and ApiToken.select().count() == 0
    assert "Please choose at least one thing this token may do." in page
    assert "Please choose a date after today and within two years." in page
    assert 'value="Beacon CRM"' in page


def test_only_an_administrator_opens_api_tokens(auth, client, db):
    auth.login("leo@example.org")
    assert client.get("/admin/api-tokens").status_code == 403


def test_a_revoked_token_stops_working(auth, client, db):
    token = make_token()
    api = Api(client, token)
    assert api.get("/api/v1/groups").status_code == 200
    auth.login("ada@example.org")
    row = ApiToken.get()
    assert client.post(f"/admin/api-tokens/{row.id}/revoke").status_code == 303
    assert "Revoked" in client.get("/admin/api-tokens").get_data(as_text=True)
    answer = api.get("/api/v1/groups")
    assert answer.status_code == 401 and answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token_a_wrong_one_and_none_are_refused(client, db):
    expired = make_token(days=-1)
    for header in ({"Authorization": f"Bearer {expired}"}, {"Authorization": "Bearer cervis_guess"}, {}):
        response = client.get("/api/v1/groups", headers=header)
        assert checked(response, "GET", "/api/v1/groups").status_code == 401
        assert response.get_json()["status"] == 401


def test_a_token_whose_maker_is_no_longer_an_administrator_stops_working(client, db):
    api = Api(client, make_token())
    User.update(is_admin=False).where(User.email == "ada@example.org").execute()
    assert api.get("/api/v1/groups").status_code == 401


def test_a_token_reads_only_what_its_scopes_allow(client, db):
    rota = Api(client, make_token([READ_ROTA]))
    assert rota.get("/api/v1/slots").status_code == 200
    assert rota.get("/api/v1/volunteers/1").status_code == 403
    assert rota.post("/api/v1/volunteers", json={}).status_code == 403
    people = Api(client, make_token([READ_VOLUNTEERS]))
    assert people.get("/api/v1/slots").status_code == 403


def test_the_session_cookie_counts_for_nothing_on_the_api(auth, client, db):
    auth.login("ada@example.org")
    response = client.get("/api/v1/groups")
    assert checked(response, "GET", "/api/v1/groups").status_code == 401
    post = client.post("/api/v1/volunteers", json={"email": "x@example.org", "first_name": "X", "last_name": "Y"})
    assert checked(post, "POST", "/api/v1/volunteers").status_code == 401
    assert "Set-Cookie" not in response.headers


@pytest.fixture
def one_minute(monkeypatch):
    """Every request in one and the same minute: the count starts again at the next."""
    now = utcnow().replace(second=30)
    monkeypatch.setattr(rate, "_clock", lambda: now)
    return now


def test_a_token_is_limited_to_its_requests_a_minute(app, client, db, one_minute, monkeypatch):
    app.config["API_RATE_PER_MINUTE"] = 3
    api = Api(client, make_token())
    assert [api.get("/api/v1/groups").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert api.get("/api/v1/groups").headers["Retry-After"] == "60"
    assert [r.used for r in ApiRate.select()] == [3] and not Throttle.select().exists()
    monkeypatch.setattr(rate, "_clock", lambda: one_minute + timedelta(minutes=1))
    assert api.get("/api/v1/groups").status_code == 200  # the next minute
    assert ApiRate.select().count() == 1  # the minute before is gone


def test_most_requests_write_nothing(app, client, db, one_minute, monkeypatch):
    api, writes, take = Api(client, make_token()), [], rate.take_block
    monkeypatch.setattr(rate, "take_block", lambda *args: writes.append(args) or take(*args))
    assert {api.get("/api/v1/groups").status_code for _ in range(40)} == {200}
    assert len(writes) == 40 // rate.BLOCK  # one write a block of requests, not one a request
    assert ApiRate.get().used == 40


def test_requests_sent_all_at_once_get_no_more_than_the_tokens_limit(app, db, live_server, one_minute):
    from helpers_parallel import post_at_once

    app.config["API_RATE_PER_MINUTE"] = 5
    vera = User.by_email("vera@example.org")
    headers = {"Authorization": f"Bearer {make_token()}"}
    codes = post_at_once(f"{live_server}/api/v1/volunteers/{vera.id}/deactivate", [{}] * 16, headers=headers)
    assert sorted(codes) == [200] * 5 + [429] * 11


def test_a_burst_at_two_processes_at_once_gets_no_more_than_the_limit_between_them(app, db, one_minute):
    make_token()
    token, processes = ApiToken.get(), [rate.Leases(), rate.Leases()]  # each process's own
    barrier, admitted = threading.Barrier(24), []

    def request(leases):
        with app.app_context(), database.connection_context():
            barrier.wait()
            admitted.append(leases.admit(token.id, 10, one_minute))

    threads = [threading.Thread(target=request, args=(processes[i % 2],)) for i in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(admitted) == [False] * 14 + [True] * 10
    assert ApiRate.get().used == 10


def test_the_api_sends_no_cors_headers_even_when_asked(client, db):
    token = make_token()
    headers = {"Authorization": f"Bearer {token}", "Origin": "https://crm.example.org"}
    for response in (client.get("/api/v1/groups", headers=headers), client.options("/api/v1/groups", headers=headers)):
        assert not [h for h in response.headers.keys() if h.lower().startswith("access-control-")]


def test_unknown_addresses_and_methods_on_the_api_are_problems(client, db):
    api = Api(client, make_token())
    for response, status in ((client.get("/api/v1/nowhere"), 404), (api.client.delete("/api/v1/groups"), 405)):
        assert response.status_code == status and response.mimetype == "application/problem+json"


def test_every_api_route_but_its_description_refuses_a_request_without_a_token(app, client, db):
    from flask import url_for

    routes = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")]
    with app.test_request_context():
        urls = [
            (r.endpoint, m, url_for(r.endpoint, **dict.fromkeys(r.arguments, 1)))
            for r in routes
            for m in r.methods & {"GET", "POST"}
        ]
    assert len(urls) >= 12
    for endpoint, method, url in urls:
        response = client.open(url, method=method)
        expected = 200 if endpoint in ("api.openapi", "api.docs") else 401
        assert response.status_code == expected, (method, url, response.status_code)


def test_a_bearer_token_needs_no_csrf_token_even_with_csrf_switched_on(app, client, db):
    app.config["WTF_CSRF_ENABLED"] = True
    api = Api(client, make_token())
    body = {"email": "wren@example.org", "first_name": "Wren", "last_name": "Walker"}
    assert api.post("/api/v1/volunteers", json=body).status_code == 201
