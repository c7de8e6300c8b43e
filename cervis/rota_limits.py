"""The D-days rule of Suggest Rota: at least D days from one of a volunteer's shifts to the next.

A monthly cap is a capacity in the solver's flow, but "no two shifts closer than D days" is not a
flow constraint. The solver solves the flow without it and, while a volunteer's proposed shifts are
too close, branches on the pair: one branch goes without the first offer, the other without the
second (every rota keeping the rule is in one of them). Branches are solved best first by the
rules' own scores, so the first rota that keeps the rule is the best one that does: a relaxed
flow never scores worse than the rotas inside its branch. The flow already holds one shift per
D-day block (blocks()), so only pairs across a block's edge are left to branch on: a month where
one volunteer in ten has a gap needs a few branches. Past MOST_BRANCHES the search stops and
repairs its best rota (still within every limit, perhaps a place short of the best).
"""

import heapq
from itertools import count

MOST_BRANCHES = 40  # then the best rota so far is repaired: about 3 s, not 30, on a crowded month (30% with gaps)


def place_day(place):
    """The local date a place's shift starts on (hand-made months give none: their start's date)."""
    return place.day if place.day is not None else place.starts_at.date()


def too_close(problem, offer, place):
    """An offer within the volunteer's gap of a shift they are already registered for."""
    gap = problem.gap.get(offer.volunteer) or 0
    day = place_day(place)
    return gap > 0 and any(abs((day - taken).days) < gap for taken in problem.busy_days.get(offer.volunteer, ()))


def blocks(problem, places, offers, night):
    """{(volunteer, night): its block}: the month cut into blocks of D days from its first date, for
    each volunteer with a gap of D. Two shifts in one block are less than D days apart, so a block
    holds one at most: a capacity in the flow that keeps the branches above few."""
    days = [place_day(places[o.place]) for o in offers]
    if not days or not problem.gap:
        return {}
    first, found = min(days), {}
    for offer, day in zip(offers, days):
        gap = problem.gap.get(offer.volunteer) or 0
        key = (offer.volunteer, night[offer.place])
        if gap > 1:  # a night over midnight: its first date
            found[key] = min(found.get(key, (day - first).days // gap), (day - first).days // gap)
    return found


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
            return _repaired(ruled, clash, banned, chosen)
        for offer_id in pair:
            branch = banned | {offer_id}
            if branch not in seen:
                seen.add(branch)
                chosen, score = ruled(branch)
                heapq.heappush(waiting, (score, next(order), branch, chosen))
    return set()  # never: the empty rota keeps every gap


def _repaired(ruled, clash, banned, chosen):
    """Keeps the limit when the search is cut short: leave out the later offer of each pair too
    close, solve again without them (their places may go to others), until no pair is left."""
    while True:
        dropped, kept = set(), set(chosen)
        while (pair := clash(kept)) is not None:
            kept.discard(pair[1])
            dropped.add(pair[1])
        if not dropped:
            return chosen
        banned = banned | dropped
        chosen, _ = ruled(banned)
