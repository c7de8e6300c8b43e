"""Malformed requests on every API route, with a token that may do everything: never a 500, and
every answer (refusals included) as the OpenAPI document describes it."""

from helpers_api import checked, make_token

from cervis.db import utcnow
from cervis.models import Group, User

BAD = ["", "0", "-1", "abc", "1.5", "1e309", "9" * 30, str(2**63), "2026-02-30", "9999-12-31", "\u202e名前", "x" * 5000]
BODIES = [
    None,
    [],
    "text",
    {"email": None},
    {"email": "a@example.org", "first_name": ["A"], "last_name": "B"},
    {"email": "a@example.org", "first_name": "A", "last_name": "B", "group_ids": [2**70]},
    {"email": "a@example.org", "first_name": "A", "last_name": "B", "group_ids": [True, -1, 0]},
    {"email": "a\x00b@example.org", "first_name": "A\x00", "last_name": "B"},
    {"email": "x" * 300 + "@example.org", "first_name": "A" * 500, "last_name": "B", "phone": "1" * 500},
    {"email": "new@example.org", "first_name": "New", "last_name": "Person", "group_ids": "1"},
]
FILTERS = ("limit", "cursor", "from", "to", "group_id", "opportunity_id")


def _urls(app, ids):
    from flask import url_for

    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint.startswith("api.") and rule.endpoint not in ("api.docs", "api.openapi"):
                for value in ids:
                    yield (
                        sorted(rule.methods & {"GET", "POST"}),
                        url_for(rule.endpoint, **dict.fromkeys(rule.arguments, value)),
                    )


def test_malformed_requests_on_every_api_route_get_a_described_problem_never_a_500(app, client, db):
    app.config["API_RATE_PER_MINUTE"] = 100_000
    token = make_token()
    headers = {"Authorization": f"Bearer {token}"}
    real = [User.by_email("vera@example.org").id, Group.get(Group.name == "Northside").id]
    sent = 0
    for methods, url in _urls(app, real + [987654321]):
        for method in methods:
            if method == "GET":
                for value in BAD:
                    path = url + "?" + "&".join(f"{name}={value}" for name in FILTERS)
                    checked(client.get(path, headers=headers), "GET", url)
                    sent += 1
            else:
                for body in BODIES:
                    checked(client.post(url, json=body, headers=headers), "POST", url)
                    sent += 1
                checked(client.post(url, data="{", content_type="application/json", headers=headers), "POST", url)
    assert sent > 100
    assert utcnow()  # the database still answers
