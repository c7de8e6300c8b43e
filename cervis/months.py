"""Month arithmetic and month words: a month is the date of its first day, in the organisation's
zone; a month key is '2027-02'."""

from datetime import date, datetime

from .timeutil import org_zone, to_local, to_utc


def parse_month(text):
    """'2025-10' (from a link: the rota board's, an announcement's) as the first day of that
    month; None for anything else, and for a year no rota is in."""
    try:
        day = datetime.strptime((text or "").strip(), "%Y-%m").date()
    except ValueError:
        return None
    return day if 2000 <= day.year <= 2100 else None


def month_key(day):
    return f"{day.year:04d}-{day.month:02d}"


def next_month(day):
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def previous_month(day):
    return date(day.year - (day.month == 1), (day.month - 2) % 12 + 1, 1)


def month_bounds(day, zone=None):
    """The month's first and last instants in the organisation's zone, as naive UTC."""
    zone = zone or org_zone()
    start = datetime(day.year, day.month, 1)
    end = datetime.combine(next_month(day), datetime.min.time())
    return to_utc(start, zone), to_utc(end, zone)


def month_of(dt, zone=None):
    local = to_local(dt, zone or org_zone())
    return date(local.year, local.month, 1)


def month_name(month):
    year, number = (int(part) for part in month.split("-"))
    return f"{date(year, number, 1):%B %Y}"


def months_named(months):
    """'February 2027'; 'February, March and April 2027'; 'December 2026, January 2027'."""
    years = {}
    for month in sorted(months):
        year, number = (int(part) for part in month.split("-"))
        years.setdefault(year, []).append(f"{date(year, number, 1):%B}")
    named = [
        (" and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]) + f" {year}"
        for year, names in years.items()
    ]
    return ", ".join(named)
