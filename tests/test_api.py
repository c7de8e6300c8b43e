"""The API: a token per integration, read the rota and volunteers, add and deactivate a volunteer;
every answer as the OpenAPI document says."""

from datetime import timedelta

import pytest
from helpers_api import Api, make_token
from openapi_spec_validator import validate

from cervis.api.openapi import DOCUMENT
from cervis.db import utcnow
from cervis.models import PENDING, REGISTERED, Group, Opportunity, Registration, Role, Slot, User


@pytest.fixture
def api(client, db):
    return Api(client, make_token())


@pytest.fixture
def night(db):
    """Northside's Friday night: two Shift Asst places, Vera registered, Leo's offer pending."""
    north = Group.get(Group.name == "Northside")
    opp = Opportunity.create(group=north, name="Friday night", live_from=utcnow() - timedelta(days=1))
    start = utcnow().replace(microsecond=0) + timedelta(days=4)
    role = Role.get(Role.group == north, Role.name == "Shift Asst")
    slot = Slot.create(opportunity=opp, role=role, starts_at=start, ends_at=start + timedelta(hours=12), capacity=2)
    Registration.create(volunteer=User.by_email("vera@example.org"), slot=slot, status=REGISTERED)
    Registration.create(volunteer=User.by_email("leo@example.org"), slot=slot, status=PENDING)
    return opp, slot


def test_the_openapi_document_is_valid_and_served(client):
    validate(DOCUMENT)
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.get_json() == DOCUMENT


def test_the_docs_page_reads_the_document_without_scripts_from_elsewhere(client):
    response = client.get("/api/docs")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "GET /slots" in page and "POST /volunteers" in page
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "cdn" not in page.lower()


def test_opportunities_and_slots_show_places_and_counts(api, night):
    opp, slot = night
    items = api.get("/api/v1/opportunities").get_json()["items"]
    assert [(o["name"], o["slots"], o["places"], o["registered"]) for o in items] == [("Friday night", 1, 2, 1)]
    (row,) = api.get(f"/api/v1/slots?opportunity_id={opp.id}").get_json()["items"]
    assert (row["places"], row["registered"], row["pending"], row["places_left"], row["closed"]) == (2, 1, 1, 1, False)
    assert row["role"]["name"] == "Shift Asst" and row["starts_at"].endswith("Z")


def test_registrations_by_slot_and_by_volunteer(api, night):
    _, slot = night
    by_slot = api.get(f"/api/v1/slots/{slot.id}/registrations").get_json()["items"]
    assert sorted((r["volunteer"]["name"], r["status"]) for r in by_slot) == [
        ("Leo Leader", "pending"),
        ("Vera Volunteer", "registered"),
    ]
    vera = User.by_email("vera@example.org")
    mine = api.get(f"/api/v1/volunteers/{vera.id}/registrations").get_json()["items"]
    assert [r["slot_id"] for r in mine] == [slot.id]


def test_every_list_comes_a_page_at_a_time(api, db):
    for n in range(4):
        Group.create(name=f"Group {n}")
    first = api.get("/api/v1/groups?limit=3").get_json()
    assert len(first["items"]) == 3 and first["next_cursor"]
    second = api.get(f"/api/v1/groups?limit=3&cursor={first['next_cursor']}").get_json()
    assert len(second["items"]) == 3 and second["next_cursor"] is None  # 6 groups in all
    names = [g["name"] for g in first["items"] + second["items"]]
    assert len(set(names)) == 6
    for bad in ("limit=0", "limit=201", "limit=abc", "cursor=xyz"):
        problem = api.get(f"/api/v1/groups?{bad}")
        assert problem.status_code == 400 and problem.mimetype == "application/problem+json"
