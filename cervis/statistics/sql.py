"""The conditions and buckets every statistic shares: which slots a scope and a period take in.

Every condition is on Slot alone (its opportunity and role ids, its times): the figures then read the
slot and the registrations' (slot, status, volunteer) index, never an opportunity or a role per row.
"""

from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property

from peewee import SQL, Case, fn

from ..db import is_sqlite
from ..models import Opportunity, Registration, Role, Slot
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

    @cached_property
    def opportunities(self):
        """{opportunity id: (group id, name, cancelled_at)} of the scope's groups."""
        query = Opportunity.select(Opportunity.id, Opportunity.group, Opportunity.name, Opportunity.cancelled_at)
        return {o: (g, n, c) for o, g, n, c in query.where(Opportunity.group.in_(list(self.group_ids) or [0])).tuples()}

    @cached_property
    def roles(self):
        """{role id: (name, is_shift_leader, is_reserve)} of the scope's groups."""
        query = Role.select(Role.id, Role.name, Role.is_shift_leader, Role.is_reserve)
        return {
            r: (n, bool(sl), bool(reserve))
            for r, n, sl, reserve in query.where(Role.group.in_(list(self.group_ids) or [0])).tuples()
        }

    def role_ids(self, which):
        """The ids of the scope's roles for which which(name, is_shift_leader, is_reserve) holds."""
        return [r for r, role in self.roles.items() if which(*role)] or [0]

    @cached_property
    def conditions(self):
        """Conditions on Slot: in the scope, and not called off with its opportunity (went_ahead)."""
        conditions = []
        if self.opportunity_id is not None:
            conditions.append(Slot.opportunity == self.opportunity_id)
        elif len(self.opportunities) < Opportunity.select().count():
            conditions.append(Slot.opportunity.in_(list(self.opportunities) or [0]))
        if self.role is not None:
            conditions.append(Slot.role.in_(self.role_ids(lambda name, *_: name == self.role)))
        for opportunity, (_, _, cancelled) in self.opportunities.items():
            if cancelled is not None:
                conditions.append(~((Slot.opportunity == opportunity) & (Slot.starts_at > cancelled)))
        return conditions


def slots_in(scope, start=None, end=None):
    """Conditions on Slot: it starts in [start, end) (either open when None), went ahead, and is in the
    scope."""
    conditions = list(scope.conditions)
    if start is not None:
        conditions.append(Slot.starts_at >= start)
    if end is not None:
        conditions.append(Slot.starts_at < end)
    return conditions


def month_index(period, zone):
    """SQL: the index in period.months() of the local month a slot starts in. A binary search of the
    months' ends, not a list: five comparisons a row for two years' 25 months, not up to 25."""
    ends = [month_bounds(m, zone)[1] for m in period.months()]

    def search(low, high):  # the index is in [low, high]
        if low == high:
            return low
        middle = (low + high) // 2
        return Case(None, [(Slot.starts_at < ends[middle], search(low, middle))], search(middle + 1, high))

    return search(0, len(ends))


def sum_if(condition, value):
    return fn.SUM(Case(None, [(condition, value)], 0))


def count_if(condition):
    return sum_if(condition, 1)


def cancelled_late():
    """A condition on Registration joined to Slot: cancelled within 48 hours of the start."""
    if is_sqlite():
        return Registration.cancelled_at >= fn.datetime(Slot.starts_at, f"-{int(LATE.total_seconds() // 3600)} hours")
    return Registration.cancelled_at >= Slot.starts_at - SQL(f"interval '{int(LATE.total_seconds())} seconds'")


def raw_rows(query):
    """The query's rows as the database driver gives them, with no conversion a value: for the
    thousands of grouped rows of two years, whose numbers need none."""
    return Slot._meta.database.execute(query).fetchall()
