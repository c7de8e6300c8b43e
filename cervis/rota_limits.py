"""The D-days rule of Suggest Rota: at least D days from one of a volunteer's shifts to the next.

A monthly cap is a capacity in the solver's flow, but "no two shifts closer than D days" is not a
flow constraint. The solver solves the flow without it and, while a volunteer's proposed shifts are
too close, branches on the pair: one branch goes without the first offer, the other without the
second (every rota keeping the rule is in one of them). Branches are solved best first by the
rules' own scores, so the first rota that keeps the rule is the best one that does: a relaxed
flow never scores worse than the rotas inside its branch. A month rarely needs more than a few.
"""

import heapq
from itertools import count

MOST_BRANCHES = 400  # beyond this (never seen on a real month), the best rota so far is mended by dropping


def place_day(place):
    """The local date a place's shift starts on (hand-made months give none: their start's date)."""
    return place.day if place.day is not None else place.starts_at.date()


def too_close(problem, offer, place):
    """An offer within the volunteer's gap of a shift they are already registered for."""
    gap = problem.gap.get(offer.volunteer) or 0
    day = place_day(place)
    return gap > 0 and any(abs((day - taken).days) < gap for taken in problem.busy_days.get(offer.volunteer, ()))


def first_clash(problem, places, offers, chosen):
    """Two chosen offers of one volunteer closer than their gap (the first such pair), or None."""
    theirs = {}
    for offer in offers:
        if offer.id in chosen and problem.gap.get(offer.volunteer, 0) > 0:
            theirs.setdefault(offer.volunteer, []).append((place_day(places[offer.place]), offer.id))
    for volunteer, days in sorted(theirs.items()):
        days.sort()
        for (a, first), (b, second) in zip(days, days[1:]):
            if (b - a).days < problem.gap[volunteer]:  # neighbours in date order are the closest
                return first, second
    return None


def best_within_gaps(ruled, clash):
    """The best rota keeping every gap: `ruled(banned)` gives (chosen, score) without the banned
    offers, `clash(chosen)` a pair too close or None."""
    order = count()
    chosen, score = ruled(frozenset())
    waiting, seen = [(score, next(order), frozenset(), chosen)], {frozenset()}
    while waiting:
        score, number, banned, chosen = heapq.heappop(waiting)
        pair = clash(chosen)
        if pair is None:
            return chosen
        if number > MOST_BRANCHES:
            return _mended(chosen, clash)
        for offer_id in pair:
            branch = banned | {offer_id}
            if branch not in seen:
                seen.add(branch)
                chosen, score = ruled(branch)
                heapq.heappush(waiting, (score, next(order), branch, chosen))
    return set()  # never: the empty rota keeps every gap


def _mended(chosen, clash):
    """Keeps the limit when the search is cut short: drop the later offer of each pair too close."""
    chosen = set(chosen)
    while (pair := clash(chosen)) is not None:
        chosen.discard(pair[1])
    return chosen
