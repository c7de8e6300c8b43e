"""Hand-made months for Suggest Rota's solver, and the preview's address."""

from datetime import datetime, timedelta

from helpers_rota import MONTH, opportunity

from cervis.rota_suggestion import ROLE, Offer, Place

FIRST = datetime(2027, 2, 1, 18)


def place(pid, day, room=1, priority=ROLE, start=0, hours=3):
    starts = FIRST + timedelta(days=day - 1, hours=start)
    return Place(pid, starts, starts + timedelta(hours=hours), room, priority)


def offers(*pairs):
    """(volunteer, place) pairs, in the order they were made."""
    return [Offer(i, v, p) for i, (v, p) in enumerate(pairs, start=1)]


def chosen_pairs(problem, chosen):
    return sorted((o.volunteer, o.place) for o in problem.offers if o.id in chosen)


def suggest_url(opp=None):
    return f"/leader/opportunities/{(opp or opportunity()).id}/rota/suggest?month={MONTH}"
