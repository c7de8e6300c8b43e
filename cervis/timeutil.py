"""UTC in the database, the organisation's time zone on the page."""

from datetime import date, datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time
from flask import g
from flask_babel import get_locale

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


def local_days(zone, read=None):
    """A function giving the local date a UTC time falls on (after read(value), as a field reads the
    driver's text), each distinct value worked out once: a page's rows share a handful of starts."""
    days = {}

    def day(value):
        if value not in days:
            days[value] = to_local(read(value) if read else value, zone).date()
        return days[value]

    return day


def to_utc(local: datetime, zone=None) -> datetime:
    """A naive wall-clock time in the organisation's zone, as naive UTC."""
    aware = local.replace(tzinfo=zone or org_zone())
    return aware.astimezone(timezone.utc).replace(tzinfo=None)


def _language():
    """The page's (or e-mail's) language; English outside a request or an app."""
    locale = get_locale()
    return locale.language if locale is not None else "en"


def _hm(dt, language="en"):
    if language != "en":
        return format_time(dt, "HH:mm", locale=language)  # Welsh and Polish read the 24-hour clock
    return dt.strftime("%I:%M %p").lstrip("0")


def day_label(d):
    """A calendar day as the page's language writes it."""
    return _day(d, _language())


def month_label(d):
    """'October 2025', or 'Hydref 2025' in Welsh (the standalone form, as a heading)."""
    language = _language()
    return f"{d:%B %Y}" if language == "en" else format_date(d, "LLLL y", locale=language)


def dated(d):
    """'21 May 2026' (a certificate's date), or '21 Mai 2026' in Welsh."""
    language = _language()
    return f"{d.day} {d:%b %Y}" if language == "en" else format_date(d, "d MMM y", locale=language)


def short_day(d):
    """'Mon, Dec 7' (the calendar's day label), or 'Llun, 7 Rhag' in Welsh."""
    language = _language()
    return f"{d:%a}, {d:%b} {d.day}" if language == "en" else format_date(d, "EEE, d MMM", locale=language)


def month_name(number):
    """'October', or 'Hydref' in Welsh (the standalone form, as in a list of months)."""
    language = _language()
    if language == "en":
        return date(2000, number, 1).strftime("%B")
    return format_date(date(2000, number, 1), "LLLL", locale=language)


def weekdays():
    """[(full name, abbreviation)] Monday first, in the page's language."""
    language = _language()
    if language == "en":
        return [(n, n[:3]) for n in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")]
    days = Locale.parse(language).days["format"]
    return [(days["wide"][i], days["abbreviated"][i]) for i in range(7)]


def _day(d, language="en"):
    """'Thu, Oct 9, 2025' as the guide writes it in English; 'Iau, 9 Hyd 2025' in Welsh."""
    if language != "en":
        return format_date(d, "EEE, d MMM y", locale=language)
    return f"{d:%a}, {d:%b} {d.day}, {d.year}"


def local_time(dt, zone=None) -> str:
    """'6:00 PM' in the organisation's zone; '18:00' in Welsh and Polish."""
    return _hm(to_local(dt, zone), _language())


def dated_as(d, english, pattern):
    """d written with strftime's `english` in English, with Babel's `pattern` in another language."""
    language = _language()
    return d.strftime(english) if language == "en" else format_date(d, pattern, locale=language)


def dates_as(days, english, pattern):
    """[dated_as(d, english, pattern) for d in days], the language looked up once, not once a day."""
    language = _language()
    if language == "en":
        return [d.strftime(english) for d in days]
    return [format_date(d, pattern, locale=language) for d in days]


def slot_when(starts_at, ends_at, zone=None) -> str:
    """'Thu, Oct 9, 2025 - 6:00 PM to 9:00 PM', as the guide writes it."""
    return _slot_when(starts_at, ends_at, zone or org_zone(), _language())


@lru_cache(maxsize=4096)  # a night's roles share their times: a two-month table says 60, not 240
def _slot_when(starts_at, ends_at, zone, language):
    s, e = to_local(starts_at, zone), to_local(ends_at, zone)
    if language != "en":
        text = f"{_day(s, language)} - {_hm(s, language)}–{_hm(e, language)}"
        return text + (f" ({format_date(e, 'EEE', locale=language)})" if e.date() != s.date() else "")
    text = f"{s:%a}, {s:%b} {s.day}, {s.year} - {_hm(s)} to {_hm(e)}"
    if e.date() != s.date():
        text += f" ({e:%a})"
    return text


def local_date(dt, zone=None) -> str:
    return _day(to_local(dt, zone), _language())


def local_datetime(dt, zone=None) -> str:
    d, language = to_local(dt, zone), _language()
    return f"{_day(d, language)} {_hm(d, language)}"
