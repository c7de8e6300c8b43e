"""Statistics for a period and a scope: the one place the Statistics page and the funder's report get
their figures from (and the hours from the portal home's rule: cervis.models.attendance.served_by).

Places are the capacity of the slots that went ahead; filled, the registered; short, the difference.
Offers are every registration made for the period's slots, whatever became of it.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from ..models import Group
from ..models.attendance import VENUE, volunteers_by
from .hours import SERVICE, hours_rows
from .people import by_volunteer, fairness, turnover
from .period import Period
from .rota import nights, rota_rows
from .sql import Scope, month_index, slots_in

__all__ = ["Period", "Scope", "Statistics", "compute"]


def ratio(part, whole):
    return part / whole if whole else 0.0


@dataclass
class Figures:
    """The rota's and the hours' figures for one venue, opportunity or role, or for them all."""

    slots: int = 0
    places: int = 0
    offers: int = 0
    filled: int = 0
    cancelled: int = 0
    late: int = 0
    recorded: int = 0
    no_shows: int = 0
    shifts: int = 0  # served
    minutes: int = 0  # served, and the service recorded
    rate: Decimal = Decimal("0")

    def add(self, counts):
        for name, value in counts.items():
            setattr(self, name, getattr(self, name) + value)

    @property
    def short(self):
        return max(self.places - self.filled, 0)

    @property
    def offers_per_place(self):
        return ratio(self.offers, self.places)

    @property
    def fill_rate(self):
        return ratio(self.filled, self.places)

    @property
    def no_show_rate(self):
        return ratio(self.no_shows, self.recorded)

    @property
    def late_rate(self):
        return ratio(self.late, self.filled + self.late)

    @property
    def hours(self):
        return self.minutes / 60

    @property
    def value(self):
        return (Decimal(self.minutes) * self.rate / 60).quantize(Decimal("0.01"))


@dataclass
class Statistics:
    period: Period
    scope: Scope
    total: Figures
    by_venue: dict  # name: Figures
    by_opportunity: dict  # (venue name, opportunity name): Figures
    by_role: dict
    hours_by_month: dict  # (venue name, month): Figures
    nights: dict  # (group id, opportunity id, local date): counts
    active_by_month: dict  # month: volunteers
    active_by_venue_month: dict  # (venue name, month): volunteers
    people: dict
    fair: dict
    months: list = field(default_factory=list)
    venues: dict = field(default_factory=dict)  # group id: name

    def nights_by_venue_month(self):
        """{(venue name, month): {nights, with_leader, covered}}."""
        out = defaultdict(lambda: {"nights": 0, "with_leader": 0, "covered": 0})
        for (group, _, day), n in self.nights.items():
            row = out[(self.venues[group], day.replace(day=1))]
            row["nights"] += 1
            row["with_leader"] += bool(n["leaders"])
            row["covered"] += bool(n["leaders"] and n["core_filled"] >= n["core_places"])
        return dict(out)

    def nights_summary(self, group_id=None):
        chosen = [n for (g, _, _), n in self.nights.items() if group_id is None or g == group_id]
        led = sum(1 for n in chosen if n["leaders"])
        covered = sum(1 for n in chosen if n["leaders"] and n["core_filled"] >= n["core_places"])
        return {
            "nights": len(chosen),
            "with_leader": led,
            "share_with_leader": ratio(led, len(chosen)),
            "covered": covered,
        }

    def night_series(self):
        """[(local date, places, filled)] across the scope's venues, by date."""
        days = defaultdict(lambda: [0, 0])
        for (_, _, day), n in self.nights.items():
            days[day][0] += n["places"]
            days[day][1] += n["filled"]
        return [(day, places, filled) for day, (places, filled) in sorted(days.items())]

    def venue_names(self):
        return sorted({venue for venue, _ in self.hours_by_month})


def compute(scope, period, now, zone, rate, report=False):
    """Every figure of the Statistics page for this scope and period, in a few GROUP BYs; with
    report, also the volunteers active in each venue and month (the funder's report's)."""
    start, end = period.bounds(zone)
    months = period.months()
    names = _names(scope)
    blank = lambda: Figures(rate=rate)  # noqa: E731
    total, venues, opportunities, roles = blank(), defaultdict(blank), defaultdict(blank), defaultdict(blank)
    for (group, opportunity, role), counts in rota_rows(scope, start, end).items():
        for figures in (
            total,
            venues[names[group]],
            opportunities[(names[group], names[("o", opportunity)])],
            roles[role],
        ):
            figures.add(counts)
    by_month = defaultdict(blank)
    for (group, opportunity, role, month), (shifts, minutes) in hours_rows(
        scope, period, start, end, now, zone
    ).items():
        venue = names.get(group, "No group")
        opportunity = (venue, names.get(("o", opportunity), SERVICE))
        for figures in (
            total,
            venues[venue],
            opportunities[opportunity],
            roles[role],
            by_month[(venue, months[month])],
        ):
            figures.add({"shifts": shifts, "minutes": minutes})
    per_volunteer = by_volunteer(scope, period, now, zone)
    by_venue_month = (
        volunteers_by(now, [VENUE, month_index(period, zone)], *slots_in(scope, start, end)) if report else {}
    )
    return Statistics(
        period=period,
        scope=scope,
        total=total,
        by_venue=dict(sorted(venues.items())),
        by_opportunity=dict(sorted(opportunities.items())),
        by_role=dict(sorted(roles.items())),
        hours_by_month=dict(by_month),
        nights=nights(scope, start, end, zone),
        active_by_month={
            months[m]: n
            for (m,), n in sorted(volunteers_by(now, [month_index(period, zone)], *slots_in(scope, start, end)).items())
        },
        active_by_venue_month={(names[g], months[m]): n for (g, m), n in by_venue_month.items()},
        people=turnover(scope, period, now, zone, per_volunteer),
        fair=fairness(period, per_volunteer),
        months=months,
        venues={g: name for g, name in names.items() if not isinstance(g, tuple)},
    )


def _names(scope):
    names = dict(Group.select(Group.id, Group.name).where(Group.id.in_(list(scope.group_ids) or [0])).tuples())
    names.update({("o", o): name for o, (_, name, _) in scope.opportunities.items()})
    return names
