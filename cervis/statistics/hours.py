"""Volunteer hours: the shifts served by the portal home's rule (served_by), and the service recorded."""

from collections import defaultdict

from peewee import fn

from ..models import ServiceRecord, Slot
from ..models.attendance import VOLUNTEER, served_by
from .sql import month_index, slots_in

SERVICE = "Service Project Activity"  # the opportunity and role column of recorded service


def hours_rows(scope, period, start, end, now, zone):
    """{(group, opportunity, role, month index): [shifts, minutes]}; recorded service under
    (group or None, SERVICE, SERVICE, month index)."""
    served = served_by(now, [Slot.opportunity, Slot.role, month_index(period, zone)], *slots_in(scope, start, end))
    rows = defaultdict(lambda: [0, 0])
    for (opportunity, role, month), counts in served.items():
        rows[(scope.opportunities[opportunity][0], opportunity, scope.roles[role][0], month)] = counts
    if scope.takes_service:
        months = {(m.year, m.month): i for i, m in enumerate(period.months())}
        for group, day, n, minutes in _service(scope, period):
            row = rows[(group, SERVICE, SERVICE, months[(day.year, day.month)])]
            row[0] += n
            row[1] += minutes
    return dict(rows)


def _service(scope, period):
    groups = ServiceRecord.group.in_(list(scope.group_ids) or [0])
    if scope.ungrouped:
        groups |= ServiceRecord.group.is_null()
    return (
        ServiceRecord.select(
            ServiceRecord.group, ServiceRecord.day, fn.COUNT(ServiceRecord.id), fn.SUM(ServiceRecord.minutes)
        )
        .where(groups, ServiceRecord.day >= period.first, ServiceRecord.day <= period.last)
        .group_by(ServiceRecord.group, ServiceRecord.day)
        .tuples()
    )


def shifts_by_volunteer(scope, start, end, now, *columns):
    """{(volunteer, *columns): [shifts, minutes]} served in [start, end)."""
    return served_by(now, [VOLUNTEER, *columns], *slots_in(scope, start, end))
