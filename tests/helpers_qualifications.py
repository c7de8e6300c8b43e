"""Arranging training and checks: what a role needs, who holds what until when.

The personas: Quinn holds everything the SL role needs; Vera (conftest) holds nothing; Lee's
shift-leader training runs out in the middle of the month.
"""

from datetime import date

from cervis.models import (
    GRANTED,
    Group,
    Membership,
    Profile,
    Qualification,
    QualificationGrant,
    Role,
    RoleRequirement,
    User,
)

SL_TRAINING, SAFEGUARDING, FOOD_HYGIENE = "Shift leader training", "Safeguarding", "Food hygiene level 2"


def qualification(name, valid_months=None):
    found, _ = Qualification.get_or_create(name=name, defaults={"valid_months": valid_months})
    return found


def require(role_name, *names, group="Northside"):
    """The group's role needs these qualifications (all of them)."""
    role = Role.get(Role.group == Group.get(Group.name == group), Role.name == role_name)
    for name in names:
        RoleRequirement.get_or_create(role=role, qualification=qualification(name))
    return role


def grant(volunteer, name, expires_on=None, state=GRANTED, gained_on=date(2020, 1, 1)):
    return QualificationGrant.create(
        volunteer=volunteer, qualification=qualification(name), state=state, gained_on=gained_on, expires_on=expires_on
    )


def sl_needs_training(group="Northside"):
    return require("SL", SL_TRAINING, SAFEGUARDING, group=group)


def person(first, group="Northside"):
    user = User.create(
        email=f"{first.lower()}@example.org", first_name=first, last_name="Member", verified_generation=1
    )
    Membership.create(user=user, group=Group.get(Group.name == group))
    Profile.create(user=user, mobile="07700 900321", postcode="HP11 1AA")
    return user


def quinn(group="Northside"):
    """Qualified for SL, for good."""
    user = person("Quinn", group)
    grant(user, SL_TRAINING)
    grant(user, SAFEGUARDING)
    return user


def lee(lapses_on, group="Northside"):
    """Qualified for SL until `lapses_on`: their shift-leader training runs out that day."""
    user = person("Lee", group)
    grant(user, SL_TRAINING, expires_on=lapses_on)
    grant(user, SAFEGUARDING)
    return user
