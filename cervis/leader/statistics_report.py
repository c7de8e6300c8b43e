"""The funder's report: hours and their value per venue and month, volunteers active and new, nights
covered. One set of rows for the printable page, the CSV and the XLSX, all from cervis.statistics."""

from flask_babel import gettext
from ..timeutil import dated_as
from ..translated import N_

REPORT_HEADER = [
    "Venue",
    "Month",
    "Hours",
    "Value (£)",
    "Volunteers active",
    "Volunteers new",
    "Nights",
    "Nights covered",
]
ALL = N_("All venues")


def report_rows(stats):
    """[[venue, month, hours, value, active, new, nights, covered]]: each venue's months, then the
    whole period (its volunteers counted once however many months and venues they served)."""
    nights = stats.nights_by_venue_month()
    keys = sorted(set(stats.hours_by_month) | set(nights), key=lambda k: (k[0], k[1]))
    rows = []
    for venue, month in keys:
        figures = stats.hours_by_month.get((venue, month))
        counted = nights.get((venue, month), {"nights": 0, "covered": 0})
        rows.append(
            [
                venue,
                dated_as(month, "%B %Y", "LLLL y"),
                round(figures.hours, 2) if figures else 0,
                float(figures.value) if figures else 0.0,
                stats.active_by_venue_month.get((venue, month), 0),
                "",
                counted["nights"],
                counted["covered"],
            ]
        )
    summary = stats.nights_summary()
    rows.append(
        [
            gettext(ALL),
            stats.period.label,
            round(stats.total.hours, 2),
            float(stats.total.value),
            len(stats.people["active"]),
            len(stats.people["new"]),
            summary["nights"],
            summary["covered"],
        ]
    )
    return rows
