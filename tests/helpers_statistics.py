"""Arranging a past season whose figures are known: slots on chosen local dates, offers, attendance."""

from datetime import datetime, timedelta
from decimal import Decimal

from helpers_rota import ZONE, member, opportunity

from cervis import statistics
from cervis.db import utcnow
from cervis.models import Group, Registration, Role, Slot
from cervis.models.attendance import Attendance, AttendanceDay
from cervis.statistics import period as periods
from cervis.timeutil import to_utc

SEASON = utcnow().year - 2  # October of this year to March of the next: wholly past


def day(month, number, year=None):
    """A date of the test season: October to December in SEASON, January to September after it."""
    return datetime(year or (SEASON if month >= 10 else SEASON + 1), month, number).date()


def slot(when, role="Shift Asst", group="Northside", start=18, hours=3, capacity=None):
    opp = opportunity(group)
    role = Role.get(Role.group == opp.group, Role.name == role)
    starts = to_utc(datetime.combine(when, datetime.min.time()) + timedelta(hours=start), ZONE)
    # local wall-clock end: a night across a clock change is an hour longer or shorter
    ends = to_utc(datetime.combine(when, datetime.min.time()) + timedelta(hours=start + hours), ZONE)
    return Slot.create(
        opportunity=opp,
        role=role,
        starts_at=starts,
        ends_at=ends,
        capacity=role.default_capacity if capacity is None else capacity,
    )


def served(volunteer, when, role="Shift Asst", group="Northside", **kw):
    """A registration for a new slot on that date."""
    return Registration.create(volunteer=volunteer, slot=slot(when, role, group, **kw), status="registered")


def mark(registration, came):
    Attendance.create(
        slot=registration.slot, volunteer=registration.volunteer, registration=registration, attended=came
    )
    AttendanceDay.get_or_create(opportunity=registration.slot.opportunity, day=registration.slot.starts_at.date())


def figures(period=None, groups=None, rate=Decimal("12.71"), **scope):
    """The statistics an administrator sees for the test season (or this period), every group."""
    ids = tuple(g.id for g in Group.select()) if groups is None else tuple(groups)
    chosen = statistics.Scope(ids, ungrouped=groups is None, **scope)
    return statistics.compute(chosen, period or periods.season(SEASON), utcnow(), ZONE, rate, report=True)


__all__ = ["member", "day", "slot", "served", "mark", "figures", "SEASON"]
