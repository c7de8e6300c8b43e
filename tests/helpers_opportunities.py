"""Arranging opportunities, slots and offers for the leader's opportunities-and-slots tests."""

from datetime import datetime

from cervis.models import Group, Opportunity, Registration, Role, Slot, User
from conftest import _user

HTMX = {"HX-Request": "true"}


def group(name="Northside"):
    return Group.get(Group.name == name)


def role(name="Cook", group_name="Northside"):
    return Role.get(Role.group == group(group_name), Role.name == name)


def opportunity(group_name="Northside", name="Night Shelter November", **kw):
    kw.setdefault("live_from", datetime(2025, 1, 1))
    return Opportunity.create(group=group(group_name), name=name, **kw)


def slot(opp, role_name="Cook", starts=datetime(2030, 11, 6, 18), ends=datetime(2030, 11, 6, 21), **kw):
    """A slot from naive UTC times."""
    return Slot.create(opportunity=opp, role=role(role_name, opp.group.name), starts_at=starts, ends_at=ends, **kw)


def offer(slot, volunteer, status="pending"):
    return Registration.create(slot=slot, volunteer=volunteer, status=status)


def volunteer(first, email=None, **kw):
    return _user(email or f"{first.lower()}@example.org", first, "Volunteer", **kw)


def person(email):
    return User.by_email(email)


def fresh(model):
    return type(model).get_by_id(model.id)


def bulk(opp, client, headers=None, **overrides):
    """Add Many Slots: Thursdays Oct 16 to Nov 6, 2025, 6 to 9 PM, a Cook and two Reserves; a preview unless told."""
    data = {
        "mode": "weekdays",
        "first": "2025-10-16",
        "last": "2025-11-06",
        "weekdays": ["3"],
        "dates": "",
        "start": "18:00",
        "end": "21:00",
        "action": "preview",
    }
    for name, capacity in (("Cook", "1"), ("Reserve", "2"), ("Shift Asst", "0"), ("SL", "0")):
        data[f"capacity_{role(name).id}"] = capacity
    data.update(overrides)
    return client.post(f"/leader/opportunities/{opp.id}/slots/bulk", data=data, headers=headers)


def made(opp):
    """The opportunity's slots as (role, starts UTC, ends UTC, capacity), by start."""
    return [
        (s.role.name, s.starts_at, s.ends_at, s.capacity)
        for s in Slot.select().where(Slot.opportunity == opp).order_by(Slot.starts_at, Slot.role)
    ]
