"""UTC in the database, the organisation's time zone on the page."""

from datetime import date, datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import g

from .db import utcnow  # noqa: F401  (re-exported: the one clock)
from .models import Organisation

# A day's range in UTC, and the day after it, stay inside what a date can hold (9999-12-31 + 1 cannot).
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(9998, 12, 31)


def parse_day(text):
    """A date from a form or link (YYYY-MM-DD), or None (also for one no rota could be on)."""
    try:
        day = date.fromisoformat((text or "").strip())
    except ValueError:
        return None
    return day if EARLIEST_DAY <= day <= LATEST_DAY else None


def org_zone():
    if "org_zone" not in g:
        g.org_zone = ZoneInfo(Organisation.current().timezone)
    return g.org_zone


def to_local(dt: datetime, zone=None) -> datetime:
    return dt.replace(tzinfo=timezone.utc).astimezone(zone or org_zone())


def to_utc(local: datetime, zone=None) -> datetime:
    """A naive wall-clock time in the organisation's zone, as naive UTC."""
    aware = local.replace(tzinfo=zone or org_zone())
    return aware.astimezone(timezone.utc).replace(tzinfo=None)


def _hm(dt):
    return dt.strftime("%I:%M %p").lstrip("0")


def local_time(dt, zone=None) -> str:
    """'6:00 PM' in the organisation's zone."""
    return _hm(to_local(dt, zone))


def slot_when(starts_at, ends_at, zone=None) -> str:
    """'Thu, Oct 9, 2025 - 6:00 PM to 9:00 PM', as the guide writes it."""
    return _slot_when(starts_at, ends_at, zone or org_zone())


@lru_cache(maxsize=4096)  # a night's roles share their times: a two-month table says 60, not 240
def _slot_when(starts_at, ends_at, zone):
    s, e = to_local(starts_at, zone), to_local(ends_at, zone)
    text = f"{s:%a}, {s:%b} {s.day}, {s.year} - {_hm(s)} to {_hm(e)}"
    if e.date() != s.date():
        text += f" ({e:%a})"
    return text


def local_date(dt, zone=None) -> str:
    d = to_local(dt, zone)
    return f"{d:%a}, {d:%b} {d.day}, {d.year}"


def local_datetime(dt, zone=None) -> str:
    d = to_local(dt, zone)
    return f"{d:%a}, {d:%b} {d.day}, {d.year} {_hm(d)}"
