"""Suggest Rota for one opportunity's month, from the database: the problem rota_suggestion solves,
and the figures (and rota_fairness's reasons) the leader checks the result by.

An offer for a date its volunteer is away is left out, as if withdrawn; each volunteer's limits
(at most N shifts a month, D days apart) are the solver's hard limits."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from time import perf_counter

from peewee import JOIN, fn

from . import rota_fairness
from .eligibility import eligibility
from .models import PENDING, REGISTERED, AwayRange, Frequency, Profile, Registration, Role, Slot, User, VolunteerLimit
from .months import month_bounds
from .models.rota import registered_counts
from .rota_suggestion import (
    NO_QUALIFIED,
    RESERVE,
    ROLE,
    SHIFT_LEADER,
    Offer,
    Place,
    Problem,
    monthly_target,
    solve,
)
from .timeutil import org_zone, to_local

EVERY_OFFERER_AWAY = "every offerer is away that day"


@dataclass
class Suggestion:
    proposed: dict  # slot id -> [(registration id, name)]
    places: int  # places in the month
    registered: int  # places already filled
    short: list  # (slot, places missing, why)
    over: list  # (name, shifts this month with the suggestion, target)
    seconds: float
    why: dict = field(default_factory=dict)  # registration id -> why them rather than another who offered

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


def _places(opportunity, start, end, now, zone):
    slots = list(
        Slot.select(Slot, Role)
        .join(Role)
        .where(Slot.opportunity == opportunity.id, Slot.starts_at >= start, Slot.starts_at < end)
        .order_by(Slot.starts_at, Role.position, Role.name)
    )
    registered = registered_counts([s.id for s in slots])
    places = [
        Place(
            s.id,
            s.starts_at,
            s.ends_at,
            max(s.capacity - registered.get(s.id, 0), 0),
            _priority(s.role),
            to_local(s.starts_at, zone).date(),
        )
        for s in slots
        if s.starts_at > now and not s.closed
    ]  # what Accept would take
    return slots, registered, places


def _pending(places):
    return list(
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


def read_problem(opportunity, day, now):
    """The month's open places and pending offers, and what the offerers already have; the places
    whose every offer was left out because its volunteer is away that day."""
    start, end, zone = *month_bounds(day), org_zone()
    slots, registered, places = _places(opportunity, start, end, now, zone)
    rows = _pending(places)
    known = eligibility({v for _, v, *_ in rows}, {s.role_id for s in slots})  # one query for the month
    by_id, days = {s.id: s for s in slots}, {p.id: p.day for p in places}
    away = AwayRange.of({v for _, v, *_ in rows}, day, month_bounds(day)[1].date() + timedelta(days=1))
    offers, names, target, away_places = [], {}, {}, set()
    for reg_id, volunteer, slot_id, first, last, frequency in rows:
        names[volunteer] = f"{first} {last or ''}".strip()
        target[volunteer] = monthly_target(frequency, day)
        if AwayRange.on(away.get(volunteer, ()), days[slot_id]):
            away_places.add(slot_id)
            continue
        offers.append(Offer(reg_id, volunteer, slot_id, not known.missing_for(volunteer, by_id[slot_id])))
    problem = Problem(places, offers, target=target)
    if names:
        _their_shifts(problem, list(names), start, end, zone)
        _history(problem, list(names), day, start)
    return problem, slots, registered, names, away_places - {o.place for o in offers}


def _their_shifts(problem, volunteers, start, end, zone):
    """Their registered shifts near the month: times to keep free, this month's count, and their
    limits with the dates the gap is kept from."""
    limits = VolunteerLimit.of(volunteers)
    problem.cap = {v: lim.per_month for v, lim in limits.items() if lim.per_month is not None}
    problem.gap = {v: lim.gap_days for v, lim in limits.items() if lim.gap_days}
    reach = timedelta(days=max(problem.gap.values(), default=1))
    theirs = (
        Slot.select(Registration.volunteer, Slot.starts_at, Slot.ends_at)
        .join(Registration)
        .where(
            Registration.volunteer.in_(volunteers),
            Registration.status == REGISTERED,
            Slot.starts_at >= start - reach,
            Slot.starts_at < end + reach,
        )
    )
    for volunteer, starts_at, ends_at in theirs.tuples():
        problem.busy.setdefault(volunteer, []).append((starts_at, ends_at))
        problem.busy_days.setdefault(volunteer, []).append(to_local(starts_at, zone).date())
        if start <= starts_at < end:
            problem.this_month[volunteer] = problem.this_month.get(volunteer, 0) + 1


def _history(problem, volunteers, day, start):
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


def suggest(opportunity, day, now):
    """Suggest Rota for one opportunity and month, with the figures the leader checks it by."""
    began = perf_counter()
    problem, slots, registered, names, away_places = read_problem(opportunity, day, now)
    chosen = solve(problem)
    seconds = perf_counter() - began
    proposed = defaultdict(list)
    count = defaultdict(int)
    for offer in problem.offers:  # in the order they came, as the cells list them
        if offer.id in chosen:
            proposed[offer.place].append((offer.id, names[offer.volunteer]))
            count[offer.volunteer] += 1
    over = sorted(
        (names[v], problem.this_month.get(v, 0) + n, problem.target.get(v, 1))
        for v, n in count.items()
        if problem.this_month.get(v, 0) + n > problem.target.get(v, 1)
    )
    return Suggestion(
        dict(proposed),
        sum(s.capacity for s in slots),
        sum(min(registered.get(s.id, 0), s.capacity) for s in slots),
        _short(problem, slots, registered, proposed, away_places),
        over,
        seconds,
        rota_fairness.reasons(problem, chosen, names),
    )


def _short(problem, slots, registered, proposed, away_places):
    offered = {o.place for o in problem.offers if o.qualified}
    asked = {o.place for o in problem.offers}
    short = []
    open_ids = {p.id for p in problem.places}
    for slot in slots:
        missing = slot.capacity - registered.get(slot.id, 0) - len(proposed.get(slot.id, ()))
        if missing > 0 and slot.id in open_ids:
            if slot.id in offered:
                limited = {o.volunteer for o in problem.offers if o.place == slot.id} & {*problem.cap, *problem.gap}
                why = "every offerer is taken that night" + (" or at a limit they set" if limited else "")
            elif slot.id in asked:
                why = NO_QUALIFIED
            else:
                why = EVERY_OFFERER_AWAY if slot.id in away_places else "no offers"
            short.append((slot, missing, why))
    return short
