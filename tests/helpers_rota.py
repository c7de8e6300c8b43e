"""Arranging a rota for the rota board's tests: an opportunity, nights, offers, more members."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from cervis import rota
from cervis.db import database, utcnow
from cervis.models import PENDING, Frequency, Group, Membership, Opportunity, Profile, Registration, Role, Slot, User
from cervis.timeutil import to_utc

HTMX = {"HX-Request": "true"}
LEO, OLGA, ADA = "leo@example.org", "olga@example.org", "ada@example.org"
YEAR = utcnow().year + 2  # always ahead: nothing on these rotas has started
MONTH = f"{YEAR}-02"  # February: no clock change inside it
ZONE = ZoneInfo("Europe/London")


def opportunity(group="Northside", name="Night Shelter", location="The HUB\nEaston Street, High Wycombe HP11 1NJ"):
    group = Group.get(Group.name == group)
    opp, _ = Opportunity.get_or_create(group=group, name=f"{group.name} {name}", defaults={"location": location})
    return opp


def night(day, role="Shift Asst", capacity=None, start=18, hours=3, group="Northside", month=2):
    """A slot on `day` of the test month, from `start` o'clock local time."""
    return slot_at(to_utc(datetime(YEAR, month, day, start), ZONE), role, capacity, hours, group)


def slot_at(starts, role="Shift Asst", capacity=None, hours=3, group="Northside"):
    """A slot of the group's Night Shelter from `starts` (UTC)."""
    opp = opportunity(group)
    role = Role.get(Role.group == opp.group, Role.name == role)
    return Slot.create(
        opportunity=opp,
        role=role,
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        capacity=role.default_capacity if capacity is None else capacity,
    )


def offer(volunteer, slot, status=PENDING, note=""):
    return Registration.create(volunteer=volunteer, slot=slot, status=status, note=note)


def member(first, group="Northside", frequency=None, mobile="07700 900123", last="Member"):
    user = User.create(email=f"{first.lower()}@example.org", first_name=first, last_name=last, verified_generation=1)
    Membership.create(user=user, group=Group.get(Group.name == group))
    freq = Frequency.get(Frequency.name == frequency) if frequency else None
    Profile.create(user=user, mobile=mobile, frequency=freq)
    return user


def user(email):
    return User.by_email(email)


def fresh(reg):
    return Registration.get_by_id(reg.id)


def board(client, opp=None, month=MONTH, **params):
    opp = opp or opportunity()
    return client.get(f"/leader/opportunities/{opp.id}/rota", query_string={"month": month, **params})


def act(client, action, reg, htmx=False, **data):
    """Press a registration's button: accept, not-required, undo, call-up or remove."""
    return client.post(f"/leader/registrations/{reg.id}/{action}", data=data, headers=HTMX if htmx else None)


def race(app, press, items):
    """Press a button for every item at the same moment, from threads: "accepted" or "refused" each."""
    start, outcomes = threading.Barrier(len(items)), []

    def one(item):
        with app.test_request_context():
            database.connect(reuse_if_open=True)
            try:
                start.wait()
                press(item)
                outcomes.append("accepted")
            except rota.Refused:
                outcomes.append("refused")
            finally:
                database.close()

    threads = [threading.Thread(target=one, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def panel(client, slot):
    """A slot's people, opened in place on the month view (the htmx answer)."""
    return client.get(f"/leader/slots/{slot.id}/panel", headers=HTMX).get_data(as_text=True)


def opened(client, slot, month=MONTH):
    """The month view with one slot opened: the page without JavaScript."""
    return board(client, opportunity(slot.opportunity.group.name), month=month, slot=slot.id).get_data(as_text=True)


def press(client, slot, do, *offers, htmx=False, **data):
    """A button of a slot's panel: do="accept" with ticked offers, or "accept:ID" for one row."""
    return client.post(
        f"/leader/slots/{slot.id}/act",
        headers=HTMX if htmx else None,
        data={"do": do, "offer": [o.id for o in offers], **data},
    )
