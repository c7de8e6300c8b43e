"""Arranging registrations: a shift some days from now, a registration on it, a person, the
night's shift leader, and cancelling on "View or Cancel Registration"."""

from datetime import timedelta

from cervis.db import utcnow
from cervis.models import REGISTERED, Group, Opportunity, Profile, Registration, Role, Slot, User


def shift(
    role="Shift Asst", starts_in=timedelta(days=10), hours=3, capacity=2, group="Northside", name="Night Shelter"
):
    """A slot starting `starts_in` from now (whole minutes, so the guide's format is exact)."""
    group = Group.get(Group.name == group)
    opportunity, _ = Opportunity.get_or_create(group=group, name=f"{group.name} {name}")
    start = utcnow().replace(second=0, microsecond=0) + starts_in
    return Slot.create(
        opportunity=opportunity,
        role=Role.get(Role.group == group, Role.name == role),
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        capacity=capacity,
    )


def register(volunteer, slot, status=REGISTERED):
    return Registration.create(volunteer=volunteer, slot=slot, status=status)


def person(email, first, last="Person", mobile=""):
    user = User.create(email=email, first_name=first, last_name=last, verified_generation=1)
    Profile.create(user=user, mobile=mobile)
    return user


def shift_leader_at(slot, later=timedelta(0)):
    """Sue, registered as the shift leader (SL) on the same night as `slot`, with her mobile number."""
    sue = person("sue@example.org", "Sue", "Shiftlead", mobile="07700 900123")
    sl = Role.get(Role.name == "SL", Role.group == slot.opportunity.group)
    return register(
        sue, Slot.create(opportunity=slot.opportunity, role=sl, starts_at=slot.starts_at + later, ends_at=slot.ends_at)
    )


def vera():
    return User.by_email("vera@example.org")


def fresh(reg):
    return Registration.get_by_id(reg.id)


def cancel(client, *regs, headers=None, **data):
    return client.post(
        "/portal/registrations", headers=headers, data={"registration": [str(r.id) for r in regs], **data}
    )
