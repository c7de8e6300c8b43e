"""The VTIMEZONE a calendar file carries, in the form Outlook and Google publish.

A zone whose clocks change by a yearly rule ("the last Sunday of March at 1 AM") is written as
one STANDARD and one DAYLIGHT with an RRULE: every client reads that form, where Mozilla's
ical.js reads only the first value of a comma-separated RDATE. A zone without such a rule in the
years asked for (one that moved its rule, or follows a religious calendar) gets one observance
per clock change, each with its own DTSTART, which every client also reads. Each DTSTART is the
wall-clock time in the offset before the change (RFC 5545 3.6.5): 01:00 for London in March.
"""

from calendar import monthrange
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def _offset(zone, instant):
    return instant.replace(tzinfo=timezone.utc).astimezone(zone).utcoffset()


def _change(zone, before, after):
    """The first UTC minute in (before, after] with the offset in force at `after`."""
    while after - before > timedelta(minutes=1):
        middle = before + (after - before) / 2
        middle = middle.replace(second=0, microsecond=0)
        if middle <= before:
            break
        before, after = (middle, after) if _offset(zone, middle) == _offset(zone, before) else (before, middle)
    return after


def transitions(zone, first_year, last_year):
    """[(UTC instant, offset before, offset after, name after)] of every clock change in the years."""
    found, day = [], datetime(first_year, 1, 1)
    while day.year <= last_year:
        following = day + timedelta(days=1)
        if _offset(zone, day) != _offset(zone, following):
            at = _change(zone, day, following)
            found.append(
                (at, _offset(zone, day), _offset(zone, at), at.replace(tzinfo=timezone.utc).astimezone(zone).tzname())
            )
        day = following
    return found


def _rule(local):
    """The yearly rule a wall-clock moment fits: its month, and its weekday counted from the
    start of the month (2SU) or, in the month's last seven days, from its end (-1SU)."""
    last = local.day + 7 > monthrange(local.year, local.month)[1]
    week = -1 if last else (local.day - 1) // 7 + 1
    return local.month, f"{week}{DAYS[local.weekday()]}", local.time()


def _lines(kind, start, before, after, name, rrule=None):
    lines = [f"BEGIN:{kind}", f"DTSTART:{start:%Y%m%dT%H%M%S}"]
    if rrule:
        lines.append(f"RRULE:FREQ=YEARLY;BYMONTH={rrule[0]};BYDAY={rrule[1]}")
    lines += [f"TZNAME:{name}", f"TZOFFSETFROM:{_hhmm(before)}", f"TZOFFSETTO:{_hhmm(after)}", f"END:{kind}"]
    return lines


def _hhmm(offset):
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _yearly(changes, first_year, last_year):
    """The RRULE observances when each year has the same two changes by the same rules; else None."""
    years = range(first_year, last_year + 1)
    if len(changes) != 2 * len(years):
        return None
    kinds = {}
    for at, before, after, name in changes:
        local = at + before
        key = "DAYLIGHT" if after > before else "STANDARD"
        kinds.setdefault(key, []).append((local, before, after, name, _rule(local)))
    if set(kinds) != {"DAYLIGHT", "STANDARD"}:
        return None
    lines = []
    for kind, seen in sorted(kinds.items()):
        if [c[0].year for c in seen] != list(years) or len({c[1:] for c in seen}) != 1:
            return None
        local, before, after, name, rule = seen[0]
        lines += _lines(kind, local, before, after, name, rule)
    return lines


@lru_cache(maxsize=32)
def vtimezone(tzid, first_year, last_year):
    """The VTIMEZONE text for these years (made once a process), or None for a zone we do not know."""
    try:
        zone = ZoneInfo(tzid)
    except (ValueError, OSError, KeyError):
        return None
    changes = transitions(zone, first_year, last_year)
    lines = _yearly(changes, first_year, last_year)
    if lines is None:
        start = datetime(first_year, 1, 1)
        offset = _offset(zone, start)
        name = start.replace(tzinfo=timezone.utc).astimezone(zone).tzname()
        lines = _lines("STANDARD", start + offset, offset, offset, name)
        for at, before, after, name in changes:
            lines += _lines("DAYLIGHT" if after > before else "STANDARD", at + before, before, after, name)
    return "\r\n".join(["BEGIN:VTIMEZONE", f"TZID:{tzid}", *lines, "END:VTIMEZONE"])
