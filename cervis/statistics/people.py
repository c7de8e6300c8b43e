"""The volunteers behind the figures: active, new, lapsed, retained, and how fairly the shifts fall.

Active: served at least one shift in the period (the portal home's rule). New: active, and no shift
served in the scope before the period. Lapsed: their three months without a shift ran out during the
period (their last shift was in the three months before its end was three months away). Retained:
the new volunteers who are not lapsed at the period's end, nor by today.
"""

import math
from datetime import date, datetime

from peewee import JOIN, Case, Value, fn

from ..models import REGISTERED, Frequency, Profile, Registration, Slot, User
from ..models.attendance import Attendance, came, walked_in
from ..timeutil import to_local, to_utc
from .sql import count_if, raw_rows, slots_in

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


# Per volunteer, in one pass over the period and the three months before it:
COLUMNS = ("offers", "registered", "served", "before", "after_cut", "before_cut")


def by_volunteer(scope, period, now, zone):
    """{volunteer: {offers and registered in the period, shifts served in it, served in the three
    months before it, served since / before the cut (three months before its end, or today)}}."""
    start, end = period.bounds(zone)
    cut = _midnight(months_back(to_local(min(end, now), zone).date(), LAPSED_AFTER), zone)
    window = _midnight(months_back(period.first, LAPSED_AFTER), zone)
    inside, over = Slot.starts_at >= start, Slot.ends_at <= now
    since = Slot.starts_at >= cut
    # Two passes: every offer of the period, counted and nothing more (the status would be read from
    # every row of it), then the registered (an index range) of the wider window.
    rows = {v: dict(zip(COLUMNS, (o, 0, 0, 0, 0, 0))) for v, o in _offers(scope, start, end).items() if o}
    # Grouped by whether each shift is in the period and after the cut: the rule asked once a row.
    flags = (_flag(inside), _flag(since))
    registered = (
        Registration.select(Registration.volunteer, *flags, count_if(came() & over), fn.COUNT(Registration.id))
        .join(Slot)
        .where(Registration.status == REGISTERED, *slots_in(scope, window, end))
    )
    walked = (
        Attendance.select(Attendance.volunteer, *flags, count_if(over), Value(0))
        .join(Slot)
        .where(walked_in(), *slots_in(scope, window, end))
    )
    for query, who in ((registered, Registration.volunteer), (walked, Attendance.volunteer)):
        for v, is_inside, is_since, n, booked in raw_rows(query.group_by(who, *flags)):
            row = rows.setdefault(v, dict.fromkeys(COLUMNS, 0))
            row["served" if is_inside else "before"] += n or 0
            row["after_cut" if is_since else "before_cut"] += n or 0
            row["registered"] += booked if is_inside else 0
    return rows


def _offers(scope, start, end):
    """{volunteer: offers for the scope's slots in [start, end)}. Each offer counted costs a look at its
    slot; when the scope is every slot and most of them are in the period, fewer are looked at by
    counting every offer (the volunteers' index alone) less those outside the period."""
    per_volunteer = Registration.select(Registration.volunteer, fn.COUNT(Registration.id)).group_by(
        Registration.volunteer
    )
    inside = Slot.select().where(*slots_in(scope, start, end))
    if scope.conditions or inside.count() * 2 <= Slot.select().count():
        return dict(raw_rows(per_volunteer.join(Slot).where(*slots_in(scope, start, end))))
    counts = dict(raw_rows(per_volunteer))
    # Slots first (SQLite keeps a CROSS JOIN's order): the few outside are two ranges of starts_at's
    # index, where by the registrations SQLite would read every one of them to find none.
    outside = (
        Slot.select(Registration.volunteer, fn.COUNT(Registration.id))
        .join(Registration, JOIN.CROSS)
        .where(Registration.slot == Slot.id, (Slot.starts_at < start) | (Slot.starts_at >= end))
        .group_by(Registration.volunteer)
    )
    for volunteer, n in raw_rows(outside):
        counts[volunteer] -= n
    return counts


def _flag(condition):
    return Case(None, [(condition, 1)], 0)


def turnover(scope, period, now, zone, rows):
    """{active, new, lapsed, retained: [volunteer ids]} from by_volunteer's rows."""
    start, _ = period.bounds(zone)
    active = sorted(v for v, row in rows.items() if row["served"])
    # Served in the three months before: not new, without looking further back.
    new = _new(scope, [v for v in active if not rows[v]["before"]], start, now)
    late = {v for v, row in rows.items() if row["after_cut"]}
    lapsed = sorted(v for v, row in rows.items() if row["before_cut"] and v not in late)
    return {"active": active, "new": new, "lapsed": lapsed, "retained": [v for v in new if v in late]}


def _new(scope, volunteers, start, now):
    """Of these volunteers, those with no shift served in the scope before start. Each is one look
    through their own registrations (oldest first, so a regular is answered at once); none at all
    when the scope has no slot before start."""
    earlier = slots_in(scope, end=start)
    # The same statements whatever the data (tests/test_bench_queries.py): an empty list, not no query.
    if not Slot.select().where(*earlier).exists():
        volunteers, never_before = [], sorted(volunteers)
    else:
        never_before = []
    registered = (
        Registration.select(Registration.id)
        .join(Slot)
        .where(came(), Registration.volunteer == User.id, Slot.ends_at <= now, *earlier)
    )
    walked = Attendance.select(Attendance.id).join(Slot).where(walked_in(), Attendance.volunteer == User.id, *earlier)
    query = User.select(User.id).where(User.id.in_(volunteers or [0]), ~fn.EXISTS(registered), ~fn.EXISTS(walked))
    return sorted(never_before + [u for (u,) in query.tuples()])


def fairness(period, rows):
    """Shifts per active volunteer (median; the busiest tenth's share), the Gini coefficient of the
    shifts given against the offers made, and who is above their preferred frequency."""
    counts = sorted((row["served"] for row in rows.values() if row["served"]), reverse=True)
    top = counts[: math.ceil(len(counts) / 10)]
    return {
        "median": _median(counts),
        "top_share": sum(top) / sum(counts) if counts else 0.0,
        "top_least": top[-1] if top else 0,
        "top_count": len(top),
        "gini": gini_against([(row["offers"], row["registered"]) for row in rows.values()]),
        "above_preference": _above_preference({v: row["registered"] for v, row in rows.items()}, period),
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


def _above_preference(registered, period):
    """[(name, preference, shifts, allowed)] of the volunteers registered for more shifts in the period
    than their preferred frequency allows, most over first."""
    days, months = (period.last - period.first).days + 1, len(period.months())
    least = min(rule(days, months) for rule in ALLOWED.values())  # anyone at or below it is within every preference
    busy = {v: r for v, r in registered.items() if r > least}
    # Every profile, filtered here: a list of the busy thousands in SQL cost more to write than this to read.
    query = Profile.select(User.id, User.first_name, User.last_name, Frequency.name).join(User).switch(Profile)
    out = []
    for uid, first, last, preference in raw_rows(query.join(Frequency)):
        rule = ALLOWED.get(preference)
        if uid in busy and rule is not None and busy[uid] > rule(days, months):
            out.append((f"{first} {last}".strip(), preference, busy[uid], rule(days, months)))
    return sorted(out, key=lambda row: (row[3] - row[2], row[0]))
