"""The member list costs what it shows: a page of members and their registered shifts, however many
offers they made or grants the group's members hold (issue 16's speed, at the benchmark's scale)."""

from datetime import timedelta

import pytest
from conftest import on_postgresql
from helpers_cost import sqlite_steps
from helpers_leader import LEO, group, member_of, person
from helpers_qualifications import SAFEGUARDING, grant

from cervis import training
from cervis.db import utcnow
from cervis.models import NOT_REQUIRED, PENDING, WAITING, Opportunity, Registration, Role, Slot

pytestmark = pytest.mark.skipif(on_postgresql(), reason="counts SQLite's steps")


def _past_offers(volunteer, how_many, status):
    """`how_many` offers of this volunteer in Northside's past slots, none of them served."""
    opp, _ = Opportunity.get_or_create(group=group("Northside"), name="Northside Night Shelter")
    cook = Role.get(Role.group == group("Northside"), Role.name == "Cook")
    start = utcnow().replace(microsecond=0) - timedelta(days=how_many + 60)
    for i in range(how_many):
        at = start + timedelta(days=i, minutes=volunteer.id)
        slot = Slot.create(opportunity=opp, role=cook, starts_at=at, ends_at=at + timedelta(hours=3), capacity=1)
        Registration.create(volunteer=volunteer, slot=slot, status=status)


def _list_steps(auth, client):
    auth.login(LEO)
    url = f"/leader/groups/{group('Northside').id}/members"
    client.get(url)  # the first request loads what every later one finds ready
    with sqlite_steps() as steps:
        assert client.get(url).status_code == 200
    return steps[0]


def test_the_member_list_costs_the_same_however_many_offers_its_members_made(auth, client, db):
    before = _list_steps(auth, client)
    _past_offers(person("vera@example.org"), 200, NOT_REQUIRED)
    _past_offers(person("leo@example.org"), 200, PENDING)
    assert _list_steps(auth, client) - before < 10, before  # a thousand steps; each offer read costs dozens


def test_proof_waiting_is_counted_from_the_proofs_sent_in_not_from_every_members_training(db):
    northside = group("Northside")
    members = [member_of("Northside", f"Member{i:03}", email=f"m{i}@example.org") for i in range(150)]
    with sqlite_steps() as none_held:
        assert training.proofs_waiting(northside) == 0
    for member in members:
        grant(member, SAFEGUARDING)
    waiting = grant(person("vera@example.org"), SAFEGUARDING, state=WAITING)
    waiting.proof_path = "proof.pdf"
    waiting.save()
    with sqlite_steps() as all_held:
        assert training.proofs_waiting(northside) == 1
    assert all_held[0] - none_held[0] < 3, (none_held, all_held)
