"""Arranging things for the leader's home, groups, members and import tests."""

import io
from datetime import timedelta

from cervis.db import utcnow
from cervis.models import PENDING, AuditLog, Group, Membership, Opportunity, Registration, Role, Slot, User

HTMX = {"HX-Request": "true"}
LEO, OLGA, ADA = "leo@example.org", "olga@example.org", "ada@example.org"


def person(email):
    return User.by_email(email)


def group(name):
    return Group.get(Group.name == name)


def role(group_name, name):
    return Role.get(Role.group == group(group_name), Role.name == name)


def slot_in(delta, role_name="Cook", group_name="Northside", opportunity="Night Shelter", capacity=None):
    """A three-hour slot starting `delta` from now."""
    opp, _ = Opportunity.get_or_create(group=group(group_name), name=f"{group_name} {opportunity}")
    r = role(group_name, role_name)
    starts = utcnow().replace(microsecond=0) + delta
    return Slot.create(
        opportunity=opp,
        role=r,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        capacity=r.default_capacity if capacity is None else capacity,
    )


def offer(volunteer, slot, status=PENDING, **fields):
    return Registration.create(volunteer=volunteer, slot=slot, status=status, **fields)


def member_of(group_name, first, last="Member", email=None):
    user = User.create(
        email=email or f"{first.lower()}@example.org", first_name=first, last_name=last, verified_generation=1
    )
    Membership.create(user=user, group=group(group_name))
    return user


def last_audit(action):
    return AuditLog.select().where(AuditLog.action == action).order_by(AuditLog.id.desc()).first()


def csv_upload(client, text, name="volunteers.csv"):
    return client.post(
        "/leader/volunteers/import",
        data={"file": (io.BytesIO(text.encode("utf-8")), name)},
        content_type="multipart/form-data",
    )


def confirm_import(client, text):
    return client.post("/leader/volunteers/import/confirm", data={"csv_text": text})
