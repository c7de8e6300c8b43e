"""Suggest Rota: the fullest, fairest rota a month's pending offers allow.

The rules, in order (each one only chooses among the rotas that satisfy the ones before it):
  0. an offer from someone without the role's training (valid that night) is never proposed;
  1. fill as many places as the offers allow, the shift leaders' first and the Reserves' last
     (coverable places form a transversal matroid, so putting them first never costs a place);
  2. give nobody more shifts above their preferred frequency than necessary (the largest excess),
  3. then as little excess in all as possible,
  4. then spread the shifts: fewer to who already has more this month, then in the three months
     before; the earliest offers win what is left, so the same data gives the same rota.
Everyone already registered stays where they are, and nobody gets two overlapping slots, in any
opportunity. The solver is OR-Tools' min-cost flow (exact, milliseconds for a month, and deterministic):
one flow per rule, each holding the previous rules' optimum as capacities.

`solve()` works on plain data so that it can be tested on hand-made months; `suggest()` reads
one opportunity's month from the database and explains the result.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from time import perf_counter

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


def _overlaps(a_start, a_end, b_start, b_end):
    return a_start < b_end and b_start < a_end


def usable_offers(problem):
    """Offers for a place with room, from a qualified volunteer who is free at that time."""
    places = {p.id: p for p in problem.places if p.room > 0}
    usable = []
    for offer in problem.offers:
        place = places.get(offer.place)
        if place is None or not offer.qualified:
            continue
        if any(_overlaps(place.starts_at, place.ends_at, s, e) for s, e in problem.busy.get(offer.volunteer, ())):
            continue
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

    def free(self, volunteer):
        """Shifts a volunteer can take before going above their target."""
        return max(self.problem.target.get(volunteer, 1) - self.problem.this_month.get(volunteer, 0), 0)

    def solve(self, most=None, classes=None, excess=None, costs=None):
        """A max flow of least cost. most: the largest excess allowed anyone; classes: places to
        fill per priority; excess: the month's excess in all; costs: "fill", "excess" or "spread"."""
        from ortools.graph.python import min_cost_flow

        flow = min_cost_flow.SimpleMinCostFlow()
        ids = {}

        def node(key):
            return ids.setdefault(key, len(ids))

        source, sink, pool = node("source"), node("sink"), node("excess")
        total = len(self.offers)
        flow.add_arc_with_capacity_and_unit_cost(source, pool, total if excess is None else excess, 0)
        top = max(self.problem.history.values(), default=0) + 1
        for v in self.volunteers:
            before, past = self.problem.this_month.get(v, 0), self.problem.history.get(v, 0)
            units = len(self.nights_of[v])
            if most is not None:
                target = self.problem.target.get(v, 1)
                units = min(units, max(target + most - before, 0))
            for k in range(1, units + 1):
                extra = k > self.free(v)
                cost = {"excess": int(extra), "spread": ((2 * (before + k) - 1) * top + past) * (total + 1) ** 2}
                flow.add_arc_with_capacity_and_unit_cost(
                    pool if extra else source, node(("v", v)), 1, cost.get(costs, 0)
                )
            for n in sorted(self.nights_of[v]):
                flow.add_arc_with_capacity_and_unit_cost(node(("v", v)), node(("n", v, n)), 1, 0)
        arcs = {}
        for rank, o in enumerate(self.offers):
            arcs[o.id] = flow.add_arc_with_capacity_and_unit_cost(
                node(("n", o.volunteer, self.night[o.place])), node(("p", o.place)), 1, rank if costs == "spread" else 0
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

    def _room(self, priority):
        return sum(p.room for pid, p in self.places.items() if p.priority == priority)

    def classes(self, chosen):
        counts = defaultdict(int)
        offers = {o.id: o for o in self.offers}
        for oid in chosen:
            counts[self.places[offers[oid].place].priority] += 1
        return dict(counts)


def solve(problem):
    """The chosen offer ids, following the rules in the module's docstring."""
    offers = usable_offers(problem)
    if not offers:
        return set()
    network = _Network(problem, offers)
    best, _ = network.solve(costs="fill")  # rule 1
    classes = network.classes(best)
    most = 0  # rule 2: the smallest largest excess that still fills as many places of each kind
    while True:
        chosen, _ = network.solve(most=most, classes=classes)
        if len(chosen) == len(best):
            break
        most += 1
    _, excess = network.solve(most=most, classes=classes, costs="excess")  # rule 3
    chosen, _ = network.solve(most=most, classes=classes, excess=excess, costs="spread")  # rule 4
    return chosen


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


# One opportunity's month, from the database ------------------------------------------------------


@dataclass
class Suggestion:
    proposed: dict  # slot id -> [(registration id, name)]
    places: int  # places in the month
    registered: int  # places already filled
    short: list  # (slot, places missing, why)
    over: list  # (name, shifts this month with the suggestion, target)
    seconds: float

    @property
    def unqualified_short(self):
        """Places left short because nobody who offered for them holds the role's training."""
        return sum(missing for _, missing, why in self.short if why == NO_QUALIFIED)

    @property
    def count(self):
        return sum(len(names) for names in self.proposed.values())

    @property
    def filled(self):
        return self.registered + self.count


def _priority(role):
    return SHIFT_LEADER if role.is_shift_leader else RESERVE if role.is_reserve else ROLE


def _months_before(day, n):
    year, month = day.year, day.month - n
    while month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1)


def read_problem(opportunity, day, now):
    """The month's open places and pending offers, and what the offerers already have."""
    from peewee import JOIN, fn

    from .eligibility import eligibility
    from .models import PENDING, REGISTERED, Frequency, Profile, Registration, Role, Slot, User
    from .months import month_bounds
    from .models.rota import registered_counts

    start, end = month_bounds(day)
    slots = list(
        Slot.select(Slot, Role)
        .join(Role)
        .where(Slot.opportunity == opportunity.id, Slot.starts_at >= start, Slot.starts_at < end)
        .order_by(Slot.starts_at, Role.position, Role.name)
    )
    registered = registered_counts([s.id for s in slots])
    places = [
        Place(s.id, s.starts_at, s.ends_at, max(s.capacity - registered.get(s.id, 0), 0), _priority(s.role))
        for s in slots
        if s.starts_at > now and not s.closed
    ]  # what Accept would take
    rows = (
        Registration.select(
            Registration.id, Registration.volunteer, Registration.slot, User.first_name, User.last_name, Frequency.name
        )
        .join(User, on=Registration.volunteer)
        .join(Profile, JOIN.LEFT_OUTER, on=(Profile.user == User.id))
        .join(Frequency, JOIN.LEFT_OUTER, on=(Profile.frequency == Frequency.id))
        .where(
            Registration.slot.in_([p.id for p in places] or [0]), Registration.status == PENDING, User.active == True
        )
        .order_by(Registration.created_at, Registration.id)
        .tuples()
    )
    offers, names, target = [], {}, {}
    rows = list(rows)
    known = eligibility({v for _, v, *_ in rows}, {s.role_id for s in slots})  # one query for the month
    by_id = {s.id: s for s in slots}
    for reg_id, volunteer, slot_id, first, last, frequency in rows:
        offers.append(Offer(reg_id, volunteer, slot_id, not known.missing_for(volunteer, by_id[slot_id])))
        names[volunteer] = f"{first} {last or ''}".strip()
        target[volunteer] = monthly_target(frequency, day)
    problem = Problem(places, offers, target=target)
    volunteers = list(names)
    if volunteers:
        theirs = (
            Slot.select(Registration.volunteer, Slot.starts_at, Slot.ends_at)
            .join(Registration)
            .where(
                Registration.volunteer.in_(volunteers),
                Registration.status == REGISTERED,
                Slot.starts_at >= start - timedelta(days=1),
                Slot.starts_at < end + timedelta(days=1),
            )
        )
        for volunteer, starts_at, ends_at in theirs.tuples():
            problem.busy.setdefault(volunteer, []).append((starts_at, ends_at))
            if start <= starts_at < end:
                problem.this_month[volunteer] = problem.this_month.get(volunteer, 0) + 1
        history_start = month_bounds(_months_before(day, 3))[0]
        problem.history = dict(
            Registration.select(Registration.volunteer, fn.COUNT(Registration.id))
            .join(Slot)
            .where(
                Registration.volunteer.in_(volunteers),
                Registration.status == REGISTERED,
                Slot.starts_at >= history_start,
                Slot.starts_at < start,
            )
            .group_by(Registration.volunteer)
            .tuples()
        )
    return problem, slots, registered, names


def suggest(opportunity, day, now):
    """Suggest Rota for one opportunity and month, with the figures the leader checks it by."""
    began = perf_counter()
    problem, slots, registered, names = read_problem(opportunity, day, now)
    chosen = solve(problem)
    seconds = perf_counter() - began
    proposed = defaultdict(list)
    count = defaultdict(int)
    for offer in problem.offers:  # in the order they came, as the cells list them
        if offer.id in chosen:
            proposed[offer.place].append((offer.id, names[offer.volunteer]))
            count[offer.volunteer] += 1
    offered = {o.place for o in problem.offers if o.qualified}
    asked = {o.place for o in problem.offers}
    short = []
    open_ids = {p.id for p in problem.places}
    for slot in slots:
        missing = slot.capacity - registered.get(slot.id, 0) - len(proposed.get(slot.id, ()))
        if missing > 0 and slot.id in open_ids:
            why = (
                "every offerer is taken that night"
                if slot.id in offered
                else NO_QUALIFIED
                if slot.id in asked
                else "no offers"
            )
            short.append((slot, missing, why))
    over = sorted(
        (names[v], problem.this_month.get(v, 0) + n, problem.target.get(v, 1))
        for v, n in count.items()
        if problem.this_month.get(v, 0) + n > problem.target.get(v, 1)
    )
    return Suggestion(
        dict(proposed),
        sum(s.capacity for s in slots),
        sum(min(registered.get(s.id, 0), s.capacity) for s in slots),
        short,
        over,
        seconds,
    )
