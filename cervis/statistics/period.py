"""The period a statistic covers: a month, a season, a year or two dates, in the organisation's zone.

A season is the shelter's winter: 1 October to 31 March (the six months most UK winter night shelters
open), named by the year it starts in ("2025-26").
"""

from flask_babel import gettext
from ..translated import lazy_gettext
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..months import next_month, parse_month
from ..timeutil import month_label, parse_day, to_local, to_utc

KINDS = {
    "month": lazy_gettext("A month"),
    "season": lazy_gettext("A season (October to March)"),
    "year": lazy_gettext("A year"),
    "dates": lazy_gettext("Two dates"),
}
SEASON_STARTS = 10  # October
LONGEST = timedelta(days=3660)  # ten years: enough for any report, and the page's work stays bounded


@dataclass(frozen=True)
class Period:
    kind: str
    first: date  # the first day
    last: date  # the last day, inclusive

    @property
    def label(self):
        if self.kind == "month":
            return month_label(self.first)
        if self.kind == "season":
            return gettext(
                "Season %(first)s-%(second)s (October to March)",
                first=self.first.year,
                second=f"{(self.first.year + 1) % 100:02d}",
            )
        if self.kind == "year":
            return str(self.first.year)
        return gettext("%(first)s to %(last)s", first=f"{self.first:%-d %B %Y}", last=f"{self.last:%-d %B %Y}")

    def bounds(self, zone):
        """Its first and last instants, as naive UTC: local midnight to local midnight."""
        start = to_utc(datetime.combine(self.first, datetime.min.time()), zone)
        return start, to_utc(datetime.combine(self.last + timedelta(days=1), datetime.min.time()), zone)

    def months(self):
        """The first day of every month it touches."""
        month, out = date(self.first.year, self.first.month, 1), []
        while month <= self.last:
            out.append(month)
            month = next_month(month)
        return out

    def args(self):
        """The query string that chooses it again."""
        if self.kind == "month":
            return {"period": "month", "month": f"{self.first:%Y-%m}"}
        if self.kind in ("season", "year"):
            return {"period": self.kind, self.kind: str(self.first.year)}
        return {"period": "dates", "from": self.first.isoformat(), "to": self.last.isoformat()}


def season(start_year):
    return Period(
        "season", date(start_year, SEASON_STARTS, 1), date(start_year + 1, SEASON_STARTS - 6, 1) - timedelta(1)
    )


def month(first):
    return Period("month", first, next_month(first) - timedelta(days=1))


def year(number):
    return Period("year", date(number, 1, 1), date(number, 12, 31))


def current_season(now, zone):
    """The season under way, or the last one when it is summer."""
    today = to_local(now, zone).date()
    return season(today.year if today.month >= SEASON_STARTS else today.year - 1)


def _year(text):
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and 2000 <= int(text) <= 2100 else None


def from_args(args, now, zone):
    """(the period these GET arguments choose, {field: message}); the current season when none is
    chosen, and with a message beside the field when one is chosen badly."""
    kind = args.get("period", "")
    if kind not in KINDS:
        return current_season(now, zone), {}
    if kind == "month":
        first = parse_month(args.get("month"))
        return (month(first), {}) if first else (current_season(now, zone), {"month": "Please choose a month."})
    if kind in ("season", "year"):
        number = _year(args.get(kind))
        if number is None:
            return current_season(now, zone), {kind: "Please enter a year between 2000 and 2100."}
        return (season(number) if kind == "season" else year(number)), {}
    first, last = parse_day(args.get("from")), parse_day(args.get("to"))
    errors = {}
    if first is None:
        errors["from"] = "Please enter the first date, for example 2025-10-01."
    if last is None:
        errors["to"] = "Please enter the last date, for example 2026-03-31."
    elif first is not None and last < first:
        errors["to"] = "Please enter a last date on or after the first."
    elif first is not None and last - first > LONGEST:
        errors["to"] = "Please choose at most ten years."
    return (Period("dates", first, last), {}) if not errors else (current_season(now, zone), errors)
