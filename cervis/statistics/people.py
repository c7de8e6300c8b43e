"""The volunteers behind the figures: active, new, lapsed, retained, and how fairly the shifts fall.

Active: served at least one shift in the period (the portal home's rule). New: active, and no shift
served in the scope before the period. Lapsed: their three months without a shift ran out during the
period (their last shift was in the three months before its end was three months away). Retained:
the new volunteers who are not lapsed at the period's end, nor by today.
"""

import math
from collections import defaultdict
from datetime import date, datetime

from peewee import JOIN, Case, fn

from ..models import REGISTERED, Frequency, Profile, Registration, Slot, User
from ..models.attendance import Attendance, came, walked_in
from ..timeutil import to_local, to_utc
from .hours import shifts_by_volunteer
from .sql import count_if, slots_in

LAPSED_AFTER = 3  # months without a shift
# How many shifts a preference allows in a period of `days` (it touches `months` months).
ALLOWED = {
    "Weekly": lambda days, months: math.ceil(days / 7),
    "Fortnightly": lambda days, months: math.ceil(days / 14),
    "Monthly": lambda days, months: months,
    "Occasionally": lambda days, months: math.ceil(months / 2),
}


def months_back(day, n):
    year, month = divmod(day.year * 12 + day.month - 1 - n, 12)
    return date(year, month + 1, min(day.day, 28))


def _midnight(day, zone):
    return to_utc(datetime.combine(day, datetime.min.time()), zone)


def turnover(scope, period, now, zone):
    """({active, new, lapsed, retained: [volunteer ids]}, {active volunteer: shifts served})."""
    start, end = period.bounds(zone)
    end = min(end, now)  # the reference day: the period's end, or today while it runs
    cut = _midnight(months_back(to_local(end, zone).date(), LAPSED_AFTER), zone)
    window = _midnight(months_back(period.first, LAPSED_AFTER), zone)
    rows = shifts_by_volunteer(scope, window, end, now, _from(start), _from(cut)) if start < end else {}
    shifts, late, early = defaultdict(int), set(), set()
    for (volunteer, in_period, after_cut), (n, _) in rows.items():
        if in_period:
            shifts[volunteer] += n
        (late if after_cut else early).add(volunteer)
    new = _new(scope, list(shifts), start, now)
    turnover = {"active": sorted(shifts), "new": new, "lapsed": sorted(early - late)}
    turnover["retained"] = [v for v in new if v in late]
    return turnover, dict(shifts)


def _from(instant):
    return Case(None, [(Slot.starts_at >= instant, 1)], 0)


def _new(scope, volunteers, start, now):
    """Of these volunteers, those with no shift served in the scope before start. Each is one look
    through their own registrations (oldest first, so a regular is answered at once); none at all
    when the scope has no slot before start."""
    earlier = slots_in(scope, end=start)
    if not volunteers or not Slot.select().where(*earlier).exists():
        return sorted(volunteers)
    registered = (
        Registration.select(Registration.id)
        .join(Slot)
        .join(Attendance, JOIN.LEFT_OUTER, on=(Attendance.registration == Registration.id))
        .where(came(), Registration.volunteer == User.id, Slot.ends_at <= now, *earlier)
    )
    walked = Attendance.select(Attendance.id).join(Slot).where(walked_in(), Attendance.volunteer == User.id, *earlier)
    query = User.select(User.id).where(User.id.in_(volunteers), ~fn.EXISTS(registered), ~fn.EXISTS(walked))
    return sorted(u for (u,) in query.tuples())


def fairness(scope, period, start, end, shifts):
    """Shifts per active volunteer (median; the busiest tenth's share), the Gini coefficient of the
    shifts given against the offers made, and who is above their preferred frequency."""
    counts = sorted(shifts.values(), reverse=True)
    top = counts[: math.ceil(len(counts) / 10)]
    offers = (
        Registration.select(
            Registration.volunteer, fn.COUNT(Registration.id), count_if(Registration.status == REGISTERED)
        )
        .join(Slot)
        .where(*slots_in(scope, start, end))
    )
    given = {v: (o, r) for v, o, r in offers.group_by(Registration.volunteer).tuples()}
    return {
        "median": _median(counts),
        "top_share": sum(top) / sum(counts) if counts else 0.0,
        "top_least": top[-1] if top else 0,
        "top_count": len(top),
        "gini": gini_against(list(given.values())),
        "above_preference": _above_preference(given, period),
    }


def _median(values):
    if not values:
        return 0
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def gini_against(pairs):
    """The Gini coefficient of shifts against offers, from [(offers, shifts)]: 0 when everyone's shifts
    are in proportion to their offers, towards 1 as a few take the shifts that many offered for."""
    pairs = [(o, s) for o, s in pairs if o]
    offered, shifts = sum(o for o, _ in pairs), sum(s for _, s in pairs)
    if not shifts:
        return 0.0
    area, reached = 0.0, 0.0
    for o, s in sorted(pairs, key=lambda p: p[1] / p[0]):
        before, reached = reached, reached + s / shifts
        area += o / offered * (before + reached)
    return max(0.0, 1 - area)


def _above_preference(given, period):
    """[(name, preference, shifts, allowed)] of the volunteers registered for more shifts in the period
    than their preferred frequency allows, most over first."""
    days, months = (period.last - period.first).days + 1, len(period.months())
    busy = {v: r for v, (_, r) in given.items() if r > 1}
    if not busy:
        return []
    query = (
        Profile.select(User.id, User.first_name, User.last_name, Frequency.name)
        .join(User)
        .switch(Profile)
        .join(Frequency)
        .where(Profile.user.in_(list(busy)))
        .tuples()
    )
    out = []
    for uid, first, last, preference in query:
        rule = ALLOWED.get(preference)
        if rule is not None and busy[uid] > rule(days, months):
            out.append((f"{first} {last}".strip(), preference, busy[uid], rule(days, months)))
    return sorted(out, key=lambda row: (row[3] - row[2], row[0]))
