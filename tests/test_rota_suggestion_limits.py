"""Suggest Rota under the limits volunteers set: at most N shifts a month, at least D days from one
shift to the next. Hand-made months, then random months against independent answers: a networkx
maximum flow for the monthly caps (a cap is the capacity of the arc into the volunteer), and an
exhaustive search over every set of offers for the D-days rule, which is not a flow constraint."""

import random
from datetime import timedelta
from itertools import combinations

import networkx as nx
from helpers_suggestion import FIRST, chosen_pairs, offers, place

from cervis.rota_suggestion import RESERVE, ROLE, SHIFT_LEADER, Offer, Problem, solve, usable_offers


def test_a_monthly_cap_is_never_exceeded_even_when_a_place_stays_empty():
    nights = [place(d, d) for d in range(1, 5)]
    problem = Problem(nights, offers(*[(1, d) for d in range(1, 5)]), target={1: 4}, cap={1: 2})
    assert len(solve(problem)) == 2


def test_shifts_already_registered_this_month_count_towards_the_cap():
    nights = [place(d, d) for d in range(1, 4)]
    problem = Problem(nights, offers(*[(1, d) for d in range(1, 4)]), this_month={1: 2}, target={1: 4}, cap={1: 3})
    assert len(solve(problem)) == 1


def test_two_shifts_closer_than_the_gap_never_go_to_one_volunteer():
    nights = [place(d, d) for d in range(1, 8)]
    problem = Problem(nights, offers(*[(1, d) for d in range(1, 8)]), target={1: 7}, gap={1: 3})
    days = [p for _, p in chosen_pairs(problem, solve(problem))]
    assert days == [1, 4, 7]  # three days apart, as many as fit


def test_the_gap_is_kept_from_shifts_already_registered():
    nights = [place(d, d) for d in range(3, 6)]
    problem = Problem(
        nights, offers((1, 3), (1, 4), (1, 5)), target={1: 4}, gap={1: 3}, busy_days={1: [FIRST.date() + timedelta(1)]}
    )  # registered on the 2nd: the 3rd and 4th are too close
    assert chosen_pairs(problem, solve(problem)) == [(1, 5)]


def test_with_a_gap_the_places_go_to_whoever_can_take_them_all():
    # Volunteer 1 offered the 1st and 2nd, volunteer 2 only the 1st: the gap makes 1 take the 2nd.
    problem = Problem([place(1, 1), place(2, 2)], offers((1, 1), (2, 1), (1, 2)), target={1: 2, 2: 1}, gap={1: 2})
    assert chosen_pairs(problem, solve(problem)) == [(1, 2), (2, 1)]


# Random months against independent answers ---------------------------------------------------------


def _random_month(rng, days, volunteers, most_offers):
    places, pid = [], 0
    for day in range(1, days + 1):
        for priority in rng.sample([SHIFT_LEADER, ROLE, ROLE, RESERVE], rng.randint(1, 3)):
            pid += 1
            places.append(place(pid, day, room=rng.choice([0, 1, 1, 2]), priority=priority))
    pairs = {(rng.randrange(volunteers), rng.choice(places).id) for _ in range(rng.randint(0, most_offers))}
    people = range(volunteers)
    return Problem(
        places,
        offers(*sorted(pairs, key=lambda _: rng.random())),
        this_month={v: rng.choice([0, 0, 1]) for v in people},
        history={v: rng.randrange(6) for v in people},
        target={v: rng.choice([1, 2, 4]) for v in people},
        cap={v: rng.choice([1, 2, 3]) for v in people if rng.random() < 0.7},
    )


def _max_flow_with_caps(problem):
    graph, places = nx.DiGraph(), {p.id: p for p in problem.places}
    graph.add_nodes_from(["source", "sink"])
    for o in usable_offers(problem):
        p = places[o.place]
        left = problem.cap.get(o.volunteer, len(problem.offers)) - problem.this_month.get(o.volunteer, 0)
        graph.add_edge("source", ("volunteer", o.volunteer), capacity=max(left, 0))
        graph.add_edge(("volunteer", o.volunteer), ("night", o.volunteer, p.starts_at), capacity=1)
        graph.add_edge(("night", o.volunteer, p.starts_at), ("place", p.id), capacity=1)
        graph.add_edge(("place", p.id), "sink", capacity=p.room)
    return nx.maximum_flow_value(graph, "source", "sink")


def _never_past_a_limit(problem, chosen):
    places = {p.id: p for p in problem.places}
    picked = [o for o in problem.offers if o.id in chosen]
    for p in problem.places:
        assert sum(1 for o in picked if o.place == p.id) <= p.room
    for v in {o.volunteer for o in picked}:
        days = sorted(places[o.place].starts_at.date() for o in picked if o.volunteer == v)
        assert problem.this_month.get(v, 0) + len(days) <= problem.cap.get(v, 99)
        assert all(b - a >= timedelta(problem.gap.get(v, 1)) for a, b in zip(days, days[1:]))


def test_places_filled_under_monthly_caps_equal_an_independent_maximum_flow_on_random_months():
    rng = random.Random(19)
    for _ in range(60):
        problem = _random_month(rng, rng.randint(2, 10), rng.randint(2, 15), 60)
        chosen = solve(problem)
        assert len(chosen) == _max_flow_with_caps(problem)
        _never_past_a_limit(problem, chosen)


def _best_by_search(problem):
    """Every set of offers that keeps every rule and limit; the best (shift leaders, roles, reserves) filled."""
    places = {p.id: p for p in problem.places}
    usable = usable_offers(problem)
    best = (0, 0, 0)
    for size in range(len(usable) + 1):
        for subset in combinations(usable, size):
            if _fits(problem, places, subset):
                kinds = [places[o.place].priority for o in subset]
                best = max(best, tuple(kinds.count(k) for k in (SHIFT_LEADER, ROLE, RESERVE)))
    return best


def _fits(problem, places, subset):
    for p in {o.place for o in subset}:
        if sum(1 for o in subset if o.place == p) > places[p].room:
            return False
    for v in {o.volunteer for o in subset}:
        days = sorted(places[o.place].starts_at.date() for o in subset if o.volunteer == v)
        if problem.this_month.get(v, 0) + len(days) > problem.cap.get(v, 99):
            return False
        if any(b - a < timedelta(max(problem.gap.get(v, 1), 1)) for a, b in zip(days, days[1:])):
            return False  # the same night twice, or closer than the gap
    return True


def test_places_filled_under_gaps_and_caps_equal_an_exhaustive_search_on_small_random_months():
    rng = random.Random(23)
    for _ in range(80):
        problem = _random_month(rng, rng.randint(2, 7), rng.randint(1, 4), 12)
        problem.gap = {v: rng.choice([2, 3, 5]) for v in range(4) if rng.random() < 0.7}
        chosen = solve(problem)
        places = {p.id: p for p in problem.places}
        kinds = [places[o.place].priority for o in problem.offers if o.id in chosen]
        assert tuple(kinds.count(k) for k in (SHIFT_LEADER, ROLE, RESERVE)) == _best_by_search(problem)
        _never_past_a_limit(problem, chosen)


def test_an_unqualified_offer_stays_out_under_limits_too():
    problem = Problem([place(1, 1)], [Offer(1, 1, 1, qualified=False)], cap={1: 3}, gap={1: 2})
    assert solve(problem) == set()


def test_a_search_cut_short_still_keeps_every_limit(monkeypatch):
    from cervis import rota_limits

    monkeypatch.setattr(rota_limits, "MOST_BRANCHES", 0)  # repaired at once, as on a crowded month
    rng = random.Random(29)
    for _ in range(40):
        problem = _random_month(rng, rng.randint(5, 20), rng.randint(2, 10), 80)
        problem.gap = {v: rng.choice([2, 3, 7]) for v in range(10) if rng.random() < 0.6}
        _never_past_a_limit(problem, solve(problem))
