"""Suggest Rota: the fullest, fairest rota a month's pending offers allow.

The rules, in order (each one only chooses among the rotas that satisfy the ones before it):
  0. an offer from someone without the role's training (valid that night) is never proposed;
  1. fill as many places as the offers allow, the shift leaders' first and the Reserves' last
     (coverable places form a transversal matroid, so putting them first never costs a place);
  2. give nobody more shifts above their preferred frequency than necessary (the largest excess),
  3. then as little excess in all as possible,
  4. then spread the shifts: fewer to who already has more this month, then in the three months
     before; the earliest offers win what is left, so the same data gives the same rota.
Everyone already registered stays where they are, nobody gets two overlapping slots, in any
opportunity, and nobody goes past the limits they set: at most N shifts a month (a capacity in the
flow, which keeps the matroid), at least D days apart (rota_limits; there, a shift leader's place
first may cost another place). The solver is OR-Tools' min-cost flow (exact, milliseconds for a
month, and deterministic): one flow per rule, each holding the previous rules' optimum as capacities.

`solve()` works on plain data so that it can be tested on hand-made months; suggest_rota.suggest()
reads one opportunity's month from the database and explains the result.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from . import rota_limits

SHIFT_LEADER, ROLE, RESERVE = 2, 1, 0  # a place's priority
NO_QUALIFIED = "no qualified offers"


@dataclass(frozen=True)
class Place:
    """A slot with room left: `room` places, at `priority`."""

    id: int
    starts_at: object
    ends_at: object
    room: int
    priority: int = ROLE
    day: object = None  # the local date it starts on (rota_limits.place_day)


@dataclass(frozen=True)
class Offer:
    id: int
    volunteer: int
    place: int
    qualified: bool = True  # holds what the place's role needs, valid on its date (cervis.eligibility)


@dataclass
class Problem:
    places: list
    offers: list  # in the order they were made: the earliest wins a tie
    busy: dict = field(default_factory=dict)  # volunteer -> [(starts, ends)] already registered
    this_month: dict = field(default_factory=dict)  # volunteer -> shifts registered this month
    history: dict = field(default_factory=dict)  # volunteer -> shifts in the three months before
    target: dict = field(default_factory=dict)  # volunteer -> shifts a month they would like (default 1)
    cap: dict = field(default_factory=dict)  # volunteer -> at most this many shifts a month, in all
    gap: dict = field(default_factory=dict)  # volunteer -> at least this many days from shift to shift
    busy_days: dict = field(default_factory=dict)  # volunteer -> local dates of shifts registered near the month


def _overlaps(a_start, a_end, b_start, b_end):
    return a_start < b_end and b_start < a_end


def usable_offers(problem):
    """Offers for a place with room, from a qualified volunteer who is free at that time (and
    not within their gap of a shift they already have)."""
    places = {p.id: p for p in problem.places if p.room > 0}
    usable = []
    for offer in problem.offers:
        place = places.get(offer.place)
        if place is None or not offer.qualified:
            continue
        if any(_overlaps(place.starts_at, place.ends_at, s, e) for s, e in problem.busy.get(offer.volunteer, ())):
            continue
        if not rota_limits.too_close(problem, offer, place):
            usable.append(offer)
    return usable


def _nights(places):
    """Place id -> its "night": places linked by overlapping times, across every role."""
    night, current, reach = {}, -1, None
    for place in sorted(places, key=lambda p: (p.starts_at, p.ends_at, p.id)):
        if reach is None or place.starts_at >= reach:
            current += 1
            reach = place.ends_at
        reach = max(reach, place.ends_at)
        night[place.id] = current
    return night


class _Network:
    """Offers as a flow: volunteer -> (volunteer, night) -> place -> its priority -> sink.

    One slot per volunteer per night is the (volunteer, night) node's capacity 1; a volunteer's
    shifts arrive as unit arcs from the source, so each extra shift can cost more than the last
    (a convex cost, which a min-cost flow handles exactly). Shifts above a volunteer's target
    come through one "excess" node, whose capacity bounds the month's excess in all.
    """

    def __init__(self, problem, offers):
        self.problem, self.offers = problem, offers
        self.places = {p.id: p for p in problem.places}
        self.night = _nights([self.places[pid] for pid in {o.place for o in offers}])
        self.volunteers = sorted({o.volunteer for o in offers})
        self.nights_of = defaultdict(set)
        for o in offers:
            self.nights_of[o.volunteer].add(self.night[o.place])
        self.block = rota_limits.blocks(problem, self.places, offers, self.night)

    def free(self, volunteer):
        """Shifts a volunteer can take before going above their target."""
        return max(self.problem.target.get(volunteer, 1) - self.problem.this_month.get(volunteer, 0), 0)

    def solve(self, most=None, classes=None, excess=None, costs=None, banned=frozenset()):
        """A max flow of least cost. most: the largest excess allowed anyone; classes: places to
        fill per priority; excess: the month's excess in all; costs: "fill", "excess" or "spread";
        banned: offers left out (a branch of rota_limits), whose arcs stay so that costs compare."""
        from ortools.graph.python import min_cost_flow

        flow = min_cost_flow.SimpleMinCostFlow()
        ids = {}

        def node(key):
            return ids.setdefault(key, len(ids))

        source, sink, pool = node("source"), node("sink"), node("excess")
        total = len(self.offers)
        flow.add_arc_with_capacity_and_unit_cost(source, pool, total if excess is None else excess, 0)
        for v in self.volunteers:
            self._volunteer(flow, node, (source, pool), v, most, costs)
        arcs = {}
        for rank, o in enumerate(self.offers):
            arcs[o.id] = flow.add_arc_with_capacity_and_unit_cost(
                node(("n", o.volunteer, self.night[o.place])),
                node(("p", o.place)),
                0 if o.id in banned else 1,
                rank if costs == "spread" else 0,
            )
        weight = {RESERVE: -1, ROLE: -(self._room(RESERVE) + 1)}
        weight[SHIFT_LEADER] = weight[ROLE] * (self._room(ROLE) + 1)
        for pid in sorted({o.place for o in self.offers}):
            place = self.places[pid]
            flow.add_arc_with_capacity_and_unit_cost(
                node(("p", pid)),
                node(("c", place.priority)),
                place.room,
                weight[place.priority] if costs == "fill" else 0,
            )
        for priority in (SHIFT_LEADER, ROLE, RESERVE):
            cap = total if classes is None else classes.get(priority, 0)
            flow.add_arc_with_capacity_and_unit_cost(node(("c", priority)), sink, cap, 0)
        flow.set_node_supply(source, total)
        flow.set_node_supply(sink, -total)
        if flow.solve_max_flow_with_min_cost() != flow.OPTIMAL:
            raise RuntimeError("the rota's flow could not be solved")  # never: an empty flow fits
        chosen = {oid for oid, arc in arcs.items() if flow.flow(arc)}
        return chosen, flow.optimal_cost()

    def _volunteer(self, flow, node, sources, v, most, costs):
        """A volunteer's arcs: one per shift they may take (each costing more than the last), then
        one per night they offered, through its D-day block when they set a gap."""
        source, pool = sources
        total, top = len(self.offers), max(self.problem.history.values(), default=0) + 1
        before, past = self.problem.this_month.get(v, 0), self.problem.history.get(v, 0)
        units = len(self.nights_of[v])
        if self.problem.cap.get(v) is not None:  # the monthly cap, shifts already registered included
            units = min(units, max(self.problem.cap[v] - before, 0))
        if most is not None:
            units = min(units, max(self.problem.target.get(v, 1) + most - before, 0))
        for k in range(1, units + 1):
            extra = k > self.free(v)
            cost = {"excess": int(extra), "spread": ((2 * (before + k) - 1) * top + past) * (total + 1) ** 2}
            flow.add_arc_with_capacity_and_unit_cost(pool if extra else source, node(("v", v)), 1, cost.get(costs, 0))
        for block in sorted({self.block[(v, n)] for n in self.nights_of[v] if (v, n) in self.block}):
            flow.add_arc_with_capacity_and_unit_cost(node(("v", v)), node(("b", v, block)), 1, 0)
        for n in sorted(self.nights_of[v]):
            above = ("b", v, self.block[(v, n)]) if (v, n) in self.block else ("v", v)
            flow.add_arc_with_capacity_and_unit_cost(node(above), node(("n", v, n)), 1, 0)

    def _room(self, priority):
        return sum(p.room for pid, p in self.places.items() if p.priority == priority)

    def classes(self, chosen):
        counts = defaultdict(int)
        offers = {o.id: o for o in self.offers}
        for oid in chosen:
            counts[self.places[offers[oid].place].priority] += 1
        return dict(counts)


def solve(problem):
    """The chosen offer ids, following the rules in the module's docstring, within every volunteer's
    limits: the monthly cap in the flow, the gap between shifts by rota_limits' branches."""
    offers = usable_offers(problem)
    if not offers:
        return set()
    network = _Network(problem, offers)
    clash = partial(rota_limits.first_clash, problem, network.places, offers)
    return rota_limits.best_within_gaps(partial(_ruled, network), clash)


def _ruled(network, banned):
    """The rules in turn, without the banned offers; and the rota's scores, rule by rule."""
    best, filled = network.solve(costs="fill", banned=banned)  # rule 1
    classes = network.classes(best)
    most = 0  # rule 2: the smallest largest excess that still fills as many places of each kind
    while True:
        chosen, _ = network.solve(most=most, classes=classes, banned=banned)
        if len(chosen) == len(best):
            break
        most += 1
    _, excess = network.solve(most=most, classes=classes, costs="excess", banned=banned)  # rule 3
    chosen, spread = network.solve(most=most, classes=classes, excess=excess, costs="spread", banned=banned)  # rule 4
    return chosen, (filled, most, excess, spread)


def first_come(problem):
    """What accepting offers in the order they came would fill: the benchmark's baseline."""
    places = {p.id: p for p in problem.places}
    room = {p.id: p.room for p in problem.places}
    taken = defaultdict(list)
    chosen = set()
    for offer in usable_offers(problem):
        place = places[offer.place]
        if room[place.id] <= 0:
            continue
        if any(_overlaps(place.starts_at, place.ends_at, s, e) for s, e in taken[offer.volunteer]):
            continue
        room[place.id] -= 1
        taken[offer.volunteer].append((place.starts_at, place.ends_at))
        chosen.add(offer.id)
    return chosen


def monthly_target(frequency, month):
    """A preferred frequency as shifts in that month: weekly is one each week (its Mondays)."""
    if frequency == "Weekly":
        first = month.replace(day=1)
        days = (first.replace(month=first.month % 12 + 1, year=first.year + (first.month == 12)) - first).days
        return sum(1 for d in range(days) if (first + timedelta(days=d)).weekday() == 0)
    return 2 if frequency == "Fortnightly" else 1


def spread(problem, chosen):
    """Fairness, for the benchmark: the largest minus the smallest (shifts - target) among the
    volunteers who offered, counting this month's registered shifts and the chosen offers."""
    offers = {o.id: o for o in problem.offers}
    volunteers = {o.volunteer for o in problem.offers}
    if not volunteers:
        return 0
    count = defaultdict(int)
    for offer_id in chosen:
        count[offers[offer_id].volunteer] += 1
    gaps = [problem.this_month.get(v, 0) + count[v] - problem.target.get(v, 1) for v in volunteers]
    return max(gaps) - min(gaps)
