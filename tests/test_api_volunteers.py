"""The API's volunteers: a group's members (contact details only with volunteers:read, never
special-category or criminal-record data), hours as the activity history counts them, and adding
and deactivating a volunteer as a CRM would."""

import json
from datetime import date, timedelta

from helpers_api import Api, make_token

from cervis.db import utcnow
from cervis.models import (
    REGISTERED,
    Allergen,
    AuditLog,
    Group,
    Opportunity,
    Profile,
    ProfileAllergen,
    Qualification,
    QualificationGrant,
    Registration,
    Role,
    ServiceRecord,
    Slot,
    User,
)
from cervis.models.api import READ_ROTA, READ_VOLUNTEERS, WRITE_VOLUNTEERS
from conftest import emails_to

NORTHSIDE_MEMBERS = "/api/v1/groups/{}/members"


def _north():
    return Group.get(Group.name == "Northside")


def test_members_with_rota_read_are_names_and_with_volunteers_read_add_contact_details(client, db):
    north = _north()
    names = Api(client, make_token([READ_ROTA])).get(NORTHSIDE_MEMBERS.format(north.id)).get_json()["items"]
    assert sorted(m["first_name"] for m in names) == ["Leo", "Vera"]
    assert not any("email" in m or "phone" in m for m in names)
    full = Api(client, make_token([READ_VOLUNTEERS])).get(NORTHSIDE_MEMBERS.format(north.id)).get_json()["items"]
    vera = next(m for m in full if m["first_name"] == "Vera")
    assert (vera["email"], vera["phone"], vera["is_leader"]) == ("vera@example.org", "07700 900000", False)


def test_no_answer_ever_holds_special_category_or_criminal_record_data(client, db):
    vera = User.by_email("vera@example.org")
    profile = Profile.get(Profile.user == vera)
    profile.birth_date = date(1990, 5, 17)
    profile.save()
    ProfileAllergen.create(profile=profile, allergen=Allergen.get(Allergen.name == "Celery"))
    dbs = Qualification.create(name="Enhanced DBS", criminal_record_check=True)
    QualificationGrant.create(volunteer=vera, qualification=dbs, gained_on=date(2025, 1, 2))
    api = Api(client, make_token())
    answers = [
        api.get(NORTHSIDE_MEMBERS.format(_north().id)),
        api.get(f"/api/v1/volunteers/{vera.id}"),
        api.get(f"/api/v1/volunteers/{vera.id}/registrations"),
    ]
    text = " ".join(json.dumps(a.get_json()) for a in answers).lower()
    for word in ("1990", "celery", "allerg", "birth", "worship", "dbs", "criminal"):
        assert word not in text, word


def test_hours_by_volunteer_and_period_are_the_activity_historys(client, db):
    vera, north = User.by_email("vera@example.org"), _north()
    opp = Opportunity.create(group=north, name="Past night", live_from=utcnow() - timedelta(days=90))
    role = Role.get(Role.group == north, Role.name == "Cook")
    for days_ago in (40, 10):
        start = utcnow().replace(microsecond=0) - timedelta(days=days_ago)
        slot = Slot.create(opportunity=opp, role=role, starts_at=start, ends_at=start + timedelta(hours=3))
        Registration.create(volunteer=vera, slot=slot, status=REGISTERED)
    ServiceRecord.create(volunteer=vera, group=north, day=date.today() - timedelta(days=5), minutes=90)
    api = Api(client, make_token([READ_VOLUNTEERS]))
    every = api.get(f"/api/v1/volunteers/{vera.id}/hours").get_json()
    assert (every["hours"], every["activities"], every["from"]) == (7.5, 3, None)
    since = (date.today() - timedelta(days=20)).isoformat()
    recent = api.get(f"/api/v1/volunteers/{vera.id}/hours?from={since}").get_json()
    assert (recent["hours"], recent["activities"], recent["from"]) == (4.5, 2, since)
    assert api.get(f"/api/v1/volunteers/{vera.id}/hours?from=2026-02-30").status_code == 400
    assert api.get("/api/v1/volunteers/987654321/hours").status_code == 404


def test_a_crm_adds_a_volunteer_who_gets_the_welcome_email_and_the_audit_log_says_so(client, db):
    api = Api(client, make_token([WRITE_VOLUNTEERS, READ_VOLUNTEERS], name="Donorfy"))
    body = {"email": "Wren@Example.org", "first_name": "Wren", "last_name": "Walker", "group_ids": [_north().id]}
    response = api.post("/api/v1/volunteers", json=body)
    made = response.get_json()
    assert response.status_code == 201 and response.headers["Location"] == f"/api/v1/volunteers/{made['id']}"
    assert (made["email"], [g["name"] for g in made["groups"]]) == ("wren@example.org", ["Northside"])
    assert len(emails_to("wren@example.org", "welcome")) == 1
    entry = AuditLog.get(AuditLog.action == "api.volunteer.create")
    assert entry.actor.email == "ada@example.org" and json.loads(entry.after)["api_token"] == "Donorfy"
    assert AuditLog.select().where(AuditLog.action == "account.create").count() == 1
    again = api.post("/api/v1/volunteers", json=body)
    assert again.status_code == 409 and len(emails_to("wren@example.org")) == 1


def test_adding_a_volunteer_checks_the_fields_as_the_import_does(client, db):
    api = Api(client, make_token([WRITE_VOLUNTEERS]))
    bad = api.post(
        "/api/v1/volunteers",
        json={"email": "not an address", "first_name": "", "last_name": "W", "group_ids": [987654]},
    )
    messages = [e["message"] for e in bad.get_json()["errors"]]
    assert bad.status_code == 422 and "Missing first name" in messages and "Unknown group: 987654" in messages
    assert any(m.startswith("Bad e-mail address") for m in messages)
    assert api.post("/api/v1/volunteers", json={"email": 5, "first_name": "A", "last_name": "B"}).status_code == 422
    assert api.post("/api/v1/volunteers", data="not json", content_type="application/json").status_code == 400
    assert User.select().count() == 6


def test_a_crm_deactivates_a_volunteer_but_never_a_leader(client, db):
    api = Api(client, make_token([WRITE_VOLUNTEERS]))
    vera, leo = User.by_email("vera@example.org"), User.by_email("leo@example.org")
    done = api.post(f"/api/v1/volunteers/{vera.id}/deactivate")
    assert done.status_code == 200 and done.get_json()["active"] is False
    assert not User.get_by_id(vera.id).active
    assert AuditLog.select().where(AuditLog.action == "api.volunteer.deactivate").count() == 1
    assert api.post(f"/api/v1/volunteers/{leo.id}/deactivate").status_code == 403
    assert User.get_by_id(leo.id).active
    assert api.post("/api/v1/volunteers/987654321/deactivate").status_code == 404


def test_adding_a_volunteer_makes_no_administrator_or_leader_and_takes_no_header_tricks_or_look_alikes(client, db):
    api = Api(client, make_token([WRITE_VOLUNTEERS, READ_VOLUNTEERS]))
    north = _north()
    sneaky = {"email": "wren@example.org", "first_name": "Wren", "last_name": "Walker", "group_ids": [north.id]}
    made = api.post(
        "/api/v1/volunteers",
        json={**sneaky, "is_admin": True, "is_leader": True, "active": False, "groups": [{"id": north.id}]},
    )
    wren = User.get_by_id(made.get_json()["id"])
    assert made.status_code == 201 and not wren.is_admin and not wren.is_leader and wren.active
    control = "A line break or other control character in the e-mail address, name or phone"
    for changes, message in (
        ({"first_name": "Wren\r\nBcc: all@example.org"}, control),
        ({"last_name": "Walker\u2028Subject: hi"}, control),
        ({"phone": "0770\x00"}, control),
        ({"email": "vеra@example.org"}, "Bad e-mail address: “vеra@example.org”"),  # a Cyrillic "е"
    ):
        refused = api.post("/api/v1/volunteers", json={**sneaky, "email": "new@example.org", **changes})
        assert refused.status_code == 422 and message in [e["message"] for e in refused.get_json()["errors"]]
    # Fullwidth letters are Vera's own address: hers already, no second account.
    assert api.post("/api/v1/volunteers", json={**sneaky, "email": "ｖｅｒａ@example.org"}).status_code == 409
    assert User.select().count() == 7
