"""The Statistics page's charts as plain SVG geometry: the template draws the axes and legend from
these, and the bars come ready-made (Chart.bars_svg): two years' fill rate is 730 of them.

Plain SVG from a Jinja macro rather than a charting library: three bar charts need a few dozen lines,
no JavaScript, nothing to install on a Raspberry Pi, and presentation attributes (fill=, not style=)
that the strict CSP allows. Each series has a pattern as well as a colour, and a table beside it.
"""

from flask_babel import gettext
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from ..timeutil import dated_as, dates_as

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 720, 240, 48, 40, 12
# Dark enough against white for 3:1 (WCAG 1.4.11), each with its own pattern (templates/leader/_chart.html).
SERIES = [("#1f4e79", "solid"), ("#8a3b00", "stripes"), ("#2e6b30", "dots"), ("#5b2a86", "cross"), ("#7a1f3d", "dash")]
OTHERS = "Other venues"


RECT = (
    '<rect x="{}" y="{}" width="{}" height="{}" fill="url(#{}-p{})" stroke="#1a1a1a" stroke-width="0.3">'
    "<title>{}</title></rect>"
)


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    title: str


@dataclass
class Chart:
    id: str
    title: str
    unit: str
    bars: list = field(default_factory=list)
    ticks: list = field(default_factory=list)  # (y, label)
    labels: list = field(default_factory=list)  # (x, label) along the bottom
    legend: list = field(default_factory=list)  # (series, name)
    width: int = WIDTH
    height: int = HEIGHT

    def bars_svg(self):
        """Every bar as SVG, in one join: a loop in the template spent more on a bar's filters and
        attributes than the page on its figures."""
        chart = escape(self.id)
        return Markup("\n  ").join(
            Markup(RECT.format(*(round(v, 2) for v in (b.x, b.y, b.width, b.height)), chart, b.series, escape(b.title)))
            for b in self.bars
        )


def _scale(top):
    """A round maximum for the axis and its four ticks."""
    top = max(top, 1)
    step = 10 ** (len(str(int(top))) - 1)
    nice = next(n * step for n in (1, 2, 2.5, 5, 10) if n * step >= top)
    return nice, [nice * i / 4 for i in range(5)]


def bar_chart(id, title, unit, columns, series_names, fmt="{:g}"):
    """columns: [(label, [value per series])], stacked."""
    chart = Chart(id, title, unit, legend=list(enumerate(series_names)) if len(series_names) > 1 else [])
    top, ticks = _scale(max((sum(v) for _, v in columns), default=0))
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP
    chart.ticks = [(TOP + plot_h - plot_h * t / top, fmt.format(round(t, 2))) for t in ticks]
    step = plot_w / max(len(columns), 1)
    every = max(1, len(columns) // 12)  # at most a dozen labels along the bottom
    for i, (label, values) in enumerate(columns):
        x, base = LEFT + i * step, TOP + plot_h
        for s, value in enumerate(values):
            height = plot_h * value / top
            base -= height
            name = f"{series_names[s]}, " if len(series_names) > 1 else ""
            chart.bars.append(
                Bar(
                    x + step * 0.1,
                    base,
                    max(step * 0.8, 1),
                    height,
                    s % len(SERIES),
                    f"{label}: {name}{fmt.format(value)} {unit}",
                )
            )
        if i % every == 0:
            chart.labels.append((x + step / 2, label))
    return chart


def charts(stats):
    """Fill rate by night, hours by month and venue, active volunteers by month."""
    series = stats.night_series()
    days = [d for d, _, _ in series]
    nights = [
        (label, [round(100 * filled / places, 1) if places else 0])
        for label, (_, places, filled) in zip(dates_as(days, "%-d %b", "d MMM"), series)
    ]
    # The table beside the chart: a row a night, its strings made here (two years are 730 rows)
    night_rows = [
        (label, places, filled, f"{rate[0]:g}")
        for label, (_, places, filled), (_, rate) in zip(dates_as(days, "%a %-d %b %Y", "EEE d MMM y"), series, nights)
    ]
    venues = stats.venue_names()
    shown = venues if len(venues) <= len(SERIES) else venues[: len(SERIES) - 1] + [OTHERS]
    hours = []
    for month in stats.months:
        values = dict.fromkeys(shown, 0.0)
        for venue in venues:
            figures = stats.hours_by_month.get((venue, month))
            values[venue if venue in values else OTHERS] += round(figures.hours, 2) if figures else 0
        hours.append((dated_as(month, "%b %Y", "LLL y"), list(values.values())))
    active = [(dated_as(m, "%b %Y", "LLL y"), [stats.active_by_month.get(m, 0)]) for m in stats.months]
    return [
        bar_chart(
            "fill-rate",
            gettext("Fill rate by night"),
            gettext("% of places filled"),
            nights,
            [gettext("Fill rate")],
            "{:g}",
        ),
        bar_chart(gettext("hours"), gettext("Volunteer hours by month and venue"), gettext("hours"), hours, shown),
        bar_chart(
            "active",
            gettext("Active volunteers by month"),
            gettext("volunteers"),
            active,
            [gettext("Active volunteers")],
        ),
    ], {"nights": nights, "night_rows": night_rows, gettext("hours"): hours, "hours_series": shown, "active": active}
