"""The conditions and buckets every statistic shares: which slots a scope and a period take in."""

from dataclasses import dataclass
from datetime import timedelta

from peewee import SQL, Case, fn

from ..db import is_sqlite
from ..models import Opportunity, Registration, Role, Slot
from ..models.rota import went_ahead
from ..months import month_bounds

LATE = timedelta(hours=48)  # a cancellation this close to the start: the volunteer should also call


@dataclass(frozen=True)
class Scope:
    """Which venues (groups), and within them optionally one opportunity and one role (by name:
    "Cook" at every venue)."""

    group_ids: tuple
    opportunity_id: int | None = None
    role: str | None = None
    ungrouped: bool = False  # also the service recorded under no group: an administrator's whole picture

    @property
    def takes_service(self):
        """Service Project Activity belongs to a group at most, never to an opportunity or a role."""
        return self.opportunity_id is None and self.role is None


def slots_in(scope, start=None, end=None):
    """Conditions on Slot joined to Opportunity and Role: it starts in [start, end) (either open when
    None), went ahead, and is in the scope."""
    conditions = [went_ahead(), Opportunity.group.in_(list(scope.group_ids) or [0])]
    if start is not None:
        conditions.append(Slot.starts_at >= start)
    if end is not None:
        conditions.append(Slot.starts_at < end)
    if scope.opportunity_id is not None:
        conditions.append(Slot.opportunity == scope.opportunity_id)
    if scope.role is not None:
        conditions.append(Role.name == scope.role)
    return conditions


def month_index(period, zone):
    """SQL: the index in period.months() of the local month a slot starts in."""
    ends = [month_bounds(m, zone)[1] for m in period.months()]
    return Case(None, [(Slot.starts_at < end, i) for i, end in enumerate(ends)], len(ends))


def sum_if(condition, value):
    return fn.SUM(Case(None, [(condition, value)], 0))


def count_if(condition):
    return sum_if(condition, 1)


def cancelled_late():
    """A condition on Registration joined to Slot: cancelled within 48 hours of the start."""
    if is_sqlite():
        return Registration.cancelled_at >= fn.datetime(Slot.starts_at, f"-{int(LATE.total_seconds() // 3600)} hours")
    return Registration.cancelled_at >= Slot.starts_at - SQL(f"interval '{int(LATE.total_seconds())} seconds'")


def joined(query):
    """A query from Slot (or through it) joined to its Opportunity and Role."""
    return query.switch(Slot).join(Opportunity).switch(Slot).join(Role)
