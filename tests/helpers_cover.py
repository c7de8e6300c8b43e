"""Arranging cover: tomorrow's rota with its reserves and free members, a slot on the same
night, and the link in a cover email."""

import re
from datetime import timedelta

from helpers_registrations import person, register, shift, vera

from cervis.models import NOT_REQUIRED, Group, Membership, Role, Slot


def member(email, first, mobile="07700 900555"):
    user = person(email, first, "Member", mobile=mobile)
    Membership.create(user=user, group=Group.get(Group.name == "Northside"))
    return user


def same_night(slot, role):
    return Slot.create(
        opportunity=slot.opportunity,
        role=Role.get(Role.group == slot.opportunity.group, Role.name == role),
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        capacity=2,
    )


def tomorrows_rota(starts_in=timedelta(hours=30)):
    """Vera is tomorrow's Cook; Rex and Rae are that night's reserves; Mo offered this month and is free;
    Bo has a shift that night; Cy never offered."""
    cook = shift("Cook", starts_in=starts_in, capacity=1)
    place = register(vera(), cook)
    reserves = same_night(cook, "Reserve")
    rex, rae = member("rex@example.org", "Rex", "07700 900111"), member("rae@example.org", "Rae", "07700 900222")
    for r in (rex, rae):
        register(r, reserves)
    mo, bo, _cy = member("mo@example.org", "Mo"), member("bo@example.org", "Bo"), member("cy@example.org", "Cy")
    register(mo, shift("Cook", starts_in=starts_in + timedelta(days=3), capacity=1), status=NOT_REQUIRED)
    register(bo, same_night(cook, "Shift Asst"))
    return cook, place


def link_in(email):
    return re.search(r"http://localhost(/portal/cover/\S+)", email.body_text).group(1)
