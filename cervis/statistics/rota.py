"""The rota's figures: places offered, filled and short, offers, cancellations, no-shows and nights.

Each is one GROUP BY in SQL over the period's slots; Python only adds up the grouped rows.
"""

from collections import defaultdict

from peewee import fn

from ..models import CANCELLED, REGISTERED, Opportunity, Registration, Role, Slot
from ..models.attendance import Attendance
from ..timeutil import to_local
from .sql import cancelled_late, count_if, joined, slots_in, sum_if

# (group id, opportunity id, role name): the finest grain the tables and the report need.
KEY = (Opportunity.group, Slot.opportunity, Role.name)
ROTA_FIELDS = ("slots", "places", "offers", "filled", "cancelled", "late", "recorded", "no_shows")


def rota_rows(scope, start, end):
    """{(group, opportunity, role): {field: count}} for ROTA_FIELDS. The offers are counted from the
    registrations' (slot, status) index alone; the few cancelled and recorded rows apart."""
    rows = defaultdict(lambda: dict.fromkeys(ROTA_FIELDS, 0))
    where = slots_in(scope, start, end)
    places = joined(Slot.select(*KEY, fn.COUNT(Slot.id), fn.SUM(Slot.capacity))).where(*where)
    for *key, slots, capacity in places.group_by(*KEY).tuples():
        rows[tuple(key)].update(slots=slots, places=capacity or 0)
    status = Registration.status
    offers = joined(
        Registration.select(*KEY, fn.COUNT(status), count_if(status == REGISTERED), count_if(status == CANCELLED)).join(
            Slot
        )
    ).where(*where)
    for *key, offered, filled, cancelled in offers.group_by(*KEY).tuples():
        rows[tuple(key)].update(offers=offered, filled=filled, cancelled=cancelled)
    late = joined(Registration.select(*KEY, fn.COUNT(Registration.id)).join(Slot)).where(
        status == CANCELLED, cancelled_late(), *where
    )
    for *key, n in late.group_by(*KEY).tuples():
        rows[tuple(key)]["late"] = n
    marks = joined(
        Attendance.select(*KEY, fn.COUNT(Attendance.id), count_if(Attendance.attended == False)).join(Slot)
    ).where(Attendance.registration.is_null(False), *where)
    for *key, recorded, missed in marks.group_by(*KEY).tuples():
        rows[tuple(key)].update(recorded=recorded, no_shows=missed)
    return dict(rows)


NIGHT_KEY = (Opportunity.group, Slot.opportunity, Slot.starts_at)


def nights(scope, start, end, zone):
    """{(group, opportunity, local date): {places, filled, core_places, core_filled, leaders}}: a night is
    one opportunity's slots starting on one local date, as "Who came?" has it; core: not Reserve."""
    out = defaultdict(lambda: dict.fromkeys(("places", "filled", "core_places", "core_filled", "leaders"), 0))
    days = {}  # one time zone conversion per distinct start, not per row

    def night_of(group, opportunity, starts_at):
        if starts_at not in days:
            days[starts_at] = to_local(starts_at, zone).date()
        return out[(group, opportunity, days[starts_at])]

    core = Role.is_reserve == False
    places = joined(Slot.select(*NIGHT_KEY, fn.SUM(Slot.capacity), sum_if(core, Slot.capacity))).where(
        *slots_in(scope, start, end)
    )
    for group, opportunity, starts_at, capacity, core_capacity in places.group_by(*NIGHT_KEY).tuples():
        night = night_of(group, opportunity, starts_at)
        night["places"] += capacity or 0
        night["core_places"] += core_capacity or 0
    filled = joined(
        Registration.select(*NIGHT_KEY, fn.COUNT(Registration.id), count_if(core), count_if(Role.is_shift_leader)).join(
            Slot
        )
    ).where(Registration.status == REGISTERED, *slots_in(scope, start, end))
    for group, opportunity, starts_at, n, core_n, leaders in filled.group_by(*NIGHT_KEY).tuples():
        night = night_of(group, opportunity, starts_at)
        night["filled"] += n
        night["core_filled"] += core_n or 0
        night["leaders"] += leaders or 0
    return dict(out)
