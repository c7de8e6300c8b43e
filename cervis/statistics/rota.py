"""The rota's figures: places offered, filled and short, offers, cancellations, no-shows and nights.

Each is one GROUP BY in SQL over the period's slots; Python only adds up the grouped rows.
"""

from collections import defaultdict
from datetime import datetime

from peewee import JOIN, fn

from ..models import CANCELLED, REGISTERED, Registration, Slot
from ..models.attendance import Attendance
from ..timeutil import local_days
from .sql import LATE, cancelled_late, count_if, raw_rows, slots_in, sum_if

KEY = (Slot.opportunity, Slot.role)
ROTA_FIELDS = ("slots", "places", "offers", "filled", "cancelled", "late", "recorded", "no_shows")


def rota_rows(scope, start, end):
    """{(group, opportunity, role name): {field: count}} for ROTA_FIELDS. The offers are counted from
    the registrations' (slot, status, volunteer) index alone; the few cancelled and recorded rows apart."""
    rows = defaultdict(lambda: dict.fromkeys(ROTA_FIELDS, 0))
    where = slots_in(scope, start, end)

    def row(opportunity, role):
        return rows[(scope.opportunities[opportunity][0], opportunity, scope.roles[role][0])]

    places = Slot.select(*KEY, fn.COUNT(Slot.id), fn.SUM(Slot.capacity)).where(*where).group_by(*KEY)
    for opportunity, role, slots, capacity in places.tuples():
        row(opportunity, role).update(slots=slots, places=capacity or 0)
    status = Registration.status
    offers = (
        Registration.select(*KEY, fn.COUNT(status), count_if(status == REGISTERED), count_if(status == CANCELLED))
        .join(Slot)
        .where(*where)
        .group_by(*KEY)
    )
    # Registrations first (SQLite keeps a CROSS JOIN's order), from cancelled_at's index: a late
    # cancellation of a slot starting at or after start was made at or after start less 48 hours, so
    # only those few rows are read, not every cancelled row of every slot. The bound above changes
    # nothing but SQLite's guess of how many: with one, it no longer scans the slots for a Bloom filter.
    late = (
        Registration.select(*KEY, fn.COUNT(Registration.id))
        .join(Slot, JOIN.CROSS)
        .where(Registration.slot == Slot.id, status == CANCELLED, cancelled_late(), *where)
        .where(Registration.cancelled_at.between(start - LATE, datetime.max))
    )
    marks = (
        Attendance.select(*KEY, fn.COUNT(Attendance.id), count_if(Attendance.attended == False))
        .join(Slot)
        .where(Attendance.registration.is_null(False), *where)
    )
    for opportunity, role, offered, filled, cancelled in offers.tuples():
        _add(row(opportunity, role), offers=offered, filled=filled, cancelled=cancelled)
    for opportunity, role, n in late.group_by(*KEY).tuples():
        _add(row(opportunity, role), late=n)
    for opportunity, role, recorded, missed in marks.group_by(*KEY).tuples():
        _add(row(opportunity, role), recorded=recorded, no_shows=missed)
    return dict(rows)


def _add(row, **counts):
    for name, n in counts.items():
        row[name] += n or 0


NIGHT_KEY = (Slot.opportunity, Slot.starts_at)
NIGHT_FIELDS = ("places", "filled", "core_places", "core_filled", "leaders")  # the order of nights()' counts


def nights(scope, start, end, zone):
    """{(group, opportunity, local date): {places, filled, core_places, core_filled, leaders}}: a night is
    one opportunity's slots starting on one local date, as "Who came?" has it; core: not Reserve.

    Two years hold some 15,000 nights: their rows are read as the database gives them, each distinct
    start made a datetime and a local date once (not once a row: that was half the time), and each
    night's counts written as one dict, not gathered in lists first (a fifth of what was left)."""
    places, filled = _night_rows(scope, start, end)
    group = {o: g for o, (g, _, _) in scope.opportunities.items()}
    out, local_day, none = {}, local_days(zone, Slot.starts_at.python_value), (0, 0, 0)
    for opportunity, starts_at, capacity, core_capacity in places:
        key = (group[opportunity], opportunity, local_day(starts_at))
        # a registration's slot is one of the places'
        n, core_n, leaders = filled.get((opportunity, starts_at), none)
        found = out.get(key)
        if found is None:
            out[key] = {
                "places": capacity or 0,
                "filled": n or 0,
                "core_places": core_capacity or 0,
                "core_filled": core_n or 0,
                "leaders": leaders or 0,
            }
        else:
            for name, more in zip(NIGHT_FIELDS, (capacity, n, core_capacity, core_n, leaders)):
                found[name] += more or 0
    return out


def _night_rows(scope, start, end):
    """([(opportunity, start, places, core places)], {(opportunity, start): (filled, core filled,
    leaders)}) as the database driver gives them."""
    core = Slot.role.not_in(scope.role_ids(lambda name, leader, reserve: reserve))
    leader = Slot.role.in_(scope.role_ids(lambda name, leader, reserve: leader))
    where = slots_in(scope, start, end)
    places = Slot.select(*NIGHT_KEY, fn.SUM(Slot.capacity), sum_if(core, Slot.capacity)).where(*where)
    filled = (
        Registration.select(*NIGHT_KEY, fn.COUNT(Registration.id), count_if(core), count_if(leader))
        .join(Slot)
        .where(Registration.status == REGISTERED, *where)
    )
    rows = raw_rows(filled.group_by(*NIGHT_KEY))
    return raw_rows(places.group_by(*NIGHT_KEY)), {(o, at): counts for o, at, *counts in rows}
