"""Small things a volunteer reads on a phone: "Days" on Portal Home reads "Today", a number or "None booked";
the emails name the meeting venue above its address, once."""

from datetime import timedelta

from helpers_rota import opportunity, user

from cervis.db import utcnow
from cervis.models import PENDING, REGISTERED, Membership, Registration, Role, Slot


def booked_in(hours_ahead, status=REGISTERED):
    opp = opportunity()
    starts = utcnow() + timedelta(hours=hours_ahead)
    slot = Slot.create(
        opportunity=opp,
        role=Role.get(Role.group == opp.group, Role.name == "Cook"),
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        capacity=1,
    )
    Registration.create(volunteer=user("vera@example.org"), slot=slot, status=status)


def days_box(client):
    page = client.get("/portal/").get_data(as_text=True)
    return page[page.index('class="counters"') : page.index("counters-caption")]


def test_days_reads_none_booked_when_no_shift_is_confirmed(auth, client, db):
    auth.login()
    booked_in(30, status=PENDING)
    assert "<strong>None booked</strong>" in days_box(client)


def test_days_reads_today_or_the_number_of_days_to_the_next_shift(auth, client, db):
    auth.login()
    booked_in(24 * 3 + 1)
    assert "<strong>3</strong> Days" in days_box(client) or "<strong>4</strong> Days" in days_box(client)
    booked_in(0.2)  # a few minutes from now: the same day, except just before local midnight
    box = days_box(client)
    assert "<strong>Today</strong>" in box or "<strong>1</strong> Day<" in box


def test_the_meeting_location_names_the_venue_above_its_address_once(db):
    opp = opportunity()
    assert opp.meeting_location() == "The HUB\nEaston Street, High Wycombe HP11 1NJ"  # written out by the leader
    opp.location = opp.group.address
    assert opp.meeting_location() == "Northside\n1 North Street"  # only the street: the venue's name above it
    opp.location = ""
    assert opp.meeting_location() == "Northside\n1 North Street"


def test_portal_home_lists_the_volunteers_groups(auth, client, db):
    auth.login("leo@example.org")
    assert "Your groups: Northside." in client.get("/portal/").get_data(as_text=True)


def test_portal_home_says_how_to_join_a_group_when_the_volunteer_has_none(auth, client, db):
    Membership.delete().where(Membership.user == user("vera@example.org")).execute()
    auth.login()
    page = client.get("/portal/").get_data(as_text=True)
    assert "You are not in a group yet" in page and "Your groups:" not in page
