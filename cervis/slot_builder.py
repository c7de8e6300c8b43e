"""The slots a leader asks for, worked out before anything is saved: no database, no request.

A pattern is a local day and local wall-clock times; only `to_planned` turns it into UTC, so
a 6:00 PM shift stays 6:00 PM on both sides of a clock change and a night shift across the
change lasts its real 13 or 11 hours.
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MAX_DAYS = 400  # a little over a year: a typo in a year should not make thousands of slots
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y")


@dataclass(frozen=True)
class Pattern:
    """One slot in local terms: what the leader typed."""

    day: date
    start: time
    end: time
    role_id: int
    capacity: int


@dataclass(frozen=True)
class PlannedSlot:
    """One slot to make, in UTC as stored."""

    role_id: int
    starts_at: datetime
    ends_at: datetime
    capacity: int

    @property
    def key(self):
        return (self.role_id, self.starts_at)


def local_span(day, start, end):
    """Local start and end; an end at or before the start is the next morning."""
    starts = datetime.combine(day, start)
    ends = datetime.combine(day, end)
    if ends <= starts:
        ends += timedelta(days=1)
    return starts, ends


def _utc(local, zone):
    return local.replace(tzinfo=zone).astimezone(timezone.utc).replace(tzinfo=None)


def to_planned(patterns, zone, role_order=()):
    """The patterns as UTC slots, by start time and then in role_order (a list of role ids)."""
    planned = []
    for p in patterns:
        starts, ends = local_span(p.day, p.start, p.end)
        planned.append(PlannedSlot(p.role_id, _utc(starts, zone), _utc(ends, zone), p.capacity))
    order = {role_id: i for i, role_id in enumerate(role_order)}
    return sorted(planned, key=lambda s: (s.starts_at, order.get(s.role_id, len(order)), s.role_id))


def weekdays_between(first, last, weekdays):
    """Every day from first to last (both included) whose weekday (Monday = 0) is chosen."""
    chosen = set(weekdays)
    days = []
    day = first
    while day <= last:
        if day.weekday() in chosen:
            days.append(day)
        day += timedelta(days=1)
    return days


def parse_dates(text):
    """The dates in a textarea (one per line, or separated by commas): (dates, the parts not understood)."""
    found, bad = set(), []
    for part in re.split(r"[\n,;]+", text or ""):
        part = part.strip()
        if not part:
            continue
        for fmt in _DATE_FORMATS:
            try:
                found.add(datetime.strptime(part, fmt).date())
                break
            except ValueError:
                continue
        else:
            bad.append(part)
    return sorted(found), bad


def patterns_for(days, start, end, capacities):
    """A pattern per day and role; capacities is [(role_id, capacity)] in role order, 0 = none."""
    return [
        Pattern(day, start, end, role_id, capacity) for day in days for role_id, capacity in capacities if capacity > 0
    ]


def next_month(year, month):
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _position(day):
    """1 for the first Thursday of its month, 2 for the second..."""
    return (day.day - 1) // 7 + 1


def _occurrences(year, month, weekday):
    """The days of a month falling on a weekday."""
    first = date(year, month, 1)
    day = first + timedelta(days=(weekday - first.weekday()) % 7)
    days = []
    while day.month == month:
        days.append(day)
        day += timedelta(days=7)
    return days


def copy_month(patterns, year, month):
    """The patterns of a month, repeated in the next month on the same weekday-of-month positions.

    The second Thursday goes to the second Thursday. A pattern found on every Thursday of
    its month goes to every Thursday of the next, a fifth one included; a fifth Thursday
    that the next month lacks is dropped.
    """
    source = [p for p in patterns if (p.day.year, p.day.month) == (year, month)]
    by_kind = defaultdict(dict)
    for p in source:
        by_kind[(p.day.weekday(), p.start, p.end, p.role_id)][_position(p.day)] = p.capacity
    to_year, to_month = next_month(year, month)
    copied = []
    for (weekday, start, end, role_id), capacities in by_kind.items():
        targets = _occurrences(to_year, to_month, weekday)
        every = len(capacities) == len(_occurrences(year, month, weekday))
        last_capacity = capacities[max(capacities)]
        for position, day in enumerate(targets, start=1):
            if position in capacities:
                copied.append(Pattern(day, start, end, role_id, capacities[position]))
            elif every:
                copied.append(Pattern(day, start, end, role_id, last_capacity))
    return sorted(copied, key=lambda p: (p.day, p.start))
