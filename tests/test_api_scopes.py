"""The API as someone trying to get more out of a token than it was given: every route answers only
the scopes the document names; a write token learns nothing it may not read; the token itself is
never logged, audited or shown again; what goes wrong inside never reaches the answer."""

import json
import re
import logging
from datetime import date, timedelta

import pytest
from flask import url_for
from helpers_api import Api, checked, make_token

from cervis.api.openapi import DOCUMENT
from cervis.db import utcnow, write_transaction
from cervis.erasure import erase
from cervis.models import AuditLog, Group, Opportunity, PlaceOfWorship, Profile, ProfilePlace, Role, Slot, User
from cervis.models.api import READ_ROTA, READ_VOLUNTEERS, SCOPES, WRITE_VOLUNTEERS

# Which scopes open each route, as the document's descriptions say.
OPENS = {
    "api.opportunities": {READ_ROTA},
    "api.slots": {READ_ROTA},
    "api.slot_registrations": {READ_ROTA},
    "api.volunteer_registrations": {READ_ROTA},
    "api.groups": {READ_ROTA},
    "api.members": {READ_ROTA, READ_VOLUNTEERS},
    "api.volunteer": {READ_VOLUNTEERS},
    "api.hours": {READ_VOLUNTEERS},
    "api.create_volunteer": {WRITE_VOLUNTEERS},
    "api.deactivate": {WRITE_VOLUNTEERS},
}


def _routes(app, ids):
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint.startswith("api.") and rule.endpoint not in ("api.docs", "api.openapi"):
                url = url_for(rule.endpoint, **{name: ids[name] for name in rule.arguments})
                for method in sorted(rule.methods & {"GET", "POST"}):
                    yield rule.endpoint, method, url


@pytest.fixture
def ids(db):
    north = Group.get(Group.name == "Northside")
    opp = Opportunity.create(group=north, name="Friday night", live_from=utcnow() - timedelta(days=1))
    start = utcnow().replace(microsecond=0) + timedelta(days=4)
    role = Role.get(Role.group == north, Role.name == "Cook")
    slot = Slot.create(opportunity=opp, role=role, starts_at=start, ends_at=start + timedelta(hours=3))
    return {"group_id": north.id, "slot_id": slot.id, "volunteer_id": User.by_email("sam@example.org").id}


def test_every_route_answers_only_the_scopes_that_open_it(app, client, ids):
    app.config["API_RATE_PER_MINUTE"] = 10_000
    routes = list(_routes(app, ids))
    assert {endpoint for endpoint, _, _ in routes} == set(OPENS)
    for scope in SCOPES:
        api = Api(client, make_token([scope], name=scope))
        for endpoint, method, url in routes:
            body = {"email": "wren@example.org", "first_name": "Wren", "last_name": "Walker"}
            status = (api.get(url) if method == "GET" else api.post(url, json=body)).status_code
            assert (status == 403) == (scope not in OPENS[endpoint]), (scope, method, url, status)


def test_every_route_served_is_in_the_document_and_every_route_described_is_served(app):
    served = {
        (method, re.sub(r"<int:(\w+)>", r"{\1}", rule.rule).removeprefix("/api/v1"))
        for rule in app.url_map.iter_rules()
        if rule.endpoint in OPENS
        for method in rule.methods & {"GET", "POST"}
    }
    assert served == {(m.upper(), path) for path, ops in DOCUMENT["paths"].items() for m in ops}


def test_a_write_token_learns_no_contact_details_from_what_it_changes(client, db):
    api = Api(client, make_token([WRITE_VOLUNTEERS]))
    vera = User.by_email("vera@example.org")
    for _ in range(2):  # the second time she is already deactivated: nothing changes, nothing told
        answer = api.post(f"/api/v1/volunteers/{vera.id}/deactivate").get_json()
        assert answer["active"] is False and "email" not in answer and "phone" not in answer
    both = Api(client, make_token([WRITE_VOLUNTEERS, READ_VOLUNTEERS]))
    assert both.post(f"/api/v1/volunteers/{vera.id}/deactivate").get_json()["email"] == "vera@example.org"


def test_a_token_whose_maker_was_deactivated_stops_working_at_once(client, db):
    api = Api(client, make_token())
    assert api.get("/api/v1/groups").status_code == 200
    with write_transaction():
        User.update(active=False).where(User.email == "ada@example.org").execute()
    assert api.get("/api/v1/groups").status_code == 401


def test_an_erased_volunteer_and_a_family_member_tell_nothing_of_themselves(client, db):
    vera, sam = User.by_email("vera@example.org"), User.by_email("sam@example.org")
    with write_transaction():
        child = User.create(first_name="Fin", last_name="Volunteer", family_of=vera, verified_generation=1)
    erase(User.by_email("ada@example.org"), sam)
    api = Api(client, make_token())
    gone = api.get(f"/api/v1/volunteers/{sam.id}").get_json()
    assert "Sam" not in json.dumps(gone) and (gone["email"], gone["phone"], gone["groups"]) == (None, "", [])
    assert api.get(f"/api/v1/volunteers/{child.id}").get_json()["email"] is None


def test_no_answer_holds_a_place_of_worship_or_a_birth_date_on_any_route(app, client, ids):
    vera = User.by_email("vera@example.org")
    profile = Profile.get(Profile.user == vera)
    profile.birth_date = date(1990, 5, 17)
    profile.save()
    place = PlaceOfWorship.create(name="St Mary's Parish Church", position=99)
    ProfilePlace.create(profile=profile, place=place)
    api = Api(client, make_token([READ_ROTA, READ_VOLUNTEERS]))
    ids = {**ids, "volunteer_id": vera.id}
    text = " ".join(json.dumps(api.get(u).get_json()) for _, m, u in _routes(app, ids) if m == "GET").lower()
    assert "vera@example.org" in text  # the answers did hold her details
    for word in ("1990", "mary", "parish", "worship", "birth", "allerg", "dbs", "criminal"):
        assert word not in text, word


def test_what_goes_wrong_inside_is_a_plain_problem_never_a_trace_or_sql(app, client, db, monkeypatch):
    from cervis.api import volunteers

    def broken(*args):
        raise RuntimeError('SELECT "t1"."email" FROM "user" AS "t1" -- no such column')

    monkeypatch.setattr(volunteers, "_volunteer", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    vera = User.by_email("vera@example.org")
    response = client.get(f"/api/v1/volunteers/{vera.id}", headers={"Authorization": f"Bearer {make_token()}"})
    body = response.get_data(as_text=True)
    assert response.status_code == 500 and response.mimetype == "application/problem+json"
    assert "SELECT" not in body and "Traceback" not in body and "email" not in body


def test_the_token_is_shown_once_and_is_in_no_log_audit_row_or_page(auth, client, db, caplog):
    caplog.set_level(logging.DEBUG)
    auth.login("ada@example.org")
    made = client.post(
        "/admin/api-tokens",
        data={"name": "Beacon", "scopes": [WRITE_VOLUNTEERS], "expires_on": str(date.today() + timedelta(days=9))},
    )
    token = made.get_data(as_text=True).split('<code class="api-token">')[1].split("</code>")[0]
    assert "no-store" in made.headers["Cache-Control"]
    api = Api(client, token)
    api.post("/api/v1/volunteers", json={"email": "wren@example.org", "first_name": "Wren", "last_name": "W"})
    checked(client.get("/api/v1/groups", headers={"Authorization": f"Bearer {token}x"}), "GET", "/api/v1/groups")
    audit = " ".join(f"{a.action} {a.before} {a.after}" for a in AuditLog.select())
    pages = client.get("/admin/api-tokens").get_data(as_text=True) + client.get("/admin/audit").get_data(as_text=True)
    assert "api.volunteer.create" in audit and token not in audit + pages + caplog.text
    assert token[len("cervis_") :][:12] not in audit + pages + caplog.text
