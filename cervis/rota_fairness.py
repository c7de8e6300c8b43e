"""Why Suggest Rota proposed each person rather than another who offered for the same slot, in one
line the leader can read. The reasons follow the solver's own rules in their order: nearer their
preferred frequency, then fewer shifts this month, then fewer in the three months before, then the
earlier offer; what is left is the month as a whole (giving the other this place would leave
another place empty, or take them past a limit)."""

from collections import defaultdict

from .rota_suggestion import usable_offers


def reasons(problem, chosen, names):
    """{offer id: "Chosen over NAME: why."} for each proposed offer whose slot had another usable offer."""
    shifts = defaultdict(int)
    for o in problem.offers:
        if o.id in chosen:
            shifts[o.volunteer] += 1
    places, usable = {p.id: p for p in problem.places}, {o.id for o in usable_offers(problem)}
    nights = {(o.volunteer, _day(places, o)) for o in problem.offers if o.id in chosen}
    found = {}
    for rank, offer in enumerate(problem.offers):
        if offer.id not in chosen:
            continue
        other = _passed_over(problem, offer, chosen, usable)
        if other is None:
            continue
        me, them = (names.get(o.volunteer, "another volunteer") for o in (offer, other))
        if (other.volunteer, _day(places, other)) in nights:
            why = f"{_first(them)} is proposed for another place that day"
        else:
            why = _why(problem, offer, other, shifts, rank, _first(me), _first(them))
        found[offer.id] = f"Chosen over {them}: {why}."
    return found


def _passed_over(problem, offer, chosen, usable):
    """The first usable offer for the same slot (qualified, free then), by someone else, not proposed."""
    return next(
        (
            o
            for o in problem.offers
            if o.place == offer.place and o.volunteer != offer.volunteer and o.id in usable and o.id not in chosen
        ),
        None,
    )


def _first(name):
    return name.split()[0] if name else name


def _why(problem, offer, other, shifts, rank, me, them):
    mine, theirs = offer.volunteer, other.volunteer
    # Shifts this month with the suggestion: this one counted for the one proposed, not the other.
    have, would = problem.this_month.get(mine, 0) + shifts[mine], problem.this_month.get(theirs, 0) + shifts[theirs]
    target_mine, target_theirs = problem.target.get(mine, 1), problem.target.get(theirs, 1)
    if have <= target_mine and would + 1 > target_theirs:
        return (
            f"closer to their preferred frequency ({me} {have} shift{_s(have)} this month, prefers {target_mine}; "
            f"{them} would have {would + 1}, prefers {target_theirs})"
        )
    if problem.cap.get(theirs) is not None and would >= problem.cap[theirs]:
        return f"{them} has reached the limit they set ({problem.cap[theirs]} a month)"
    if have - 1 < would:
        return f"fewer shifts this month ({me} {have - 1} besides this one, {them} {would})"
    before_mine, before_theirs = problem.history.get(mine, 0), problem.history.get(theirs, 0)
    if before_mine < before_theirs:
        return f"fewer shifts in the three months before ({me} {before_mine}, {them} {before_theirs})"
    if rank < problem.offers.index(other):
        return f"{me} offered first"
    return "it fills more of the month's places within everyone's limits"


def _day(places, offer):
    place = places[offer.place]
    return place.day if place.day is not None else place.starts_at.date()


def _s(n):
    return "" if n == 1 else "s"
