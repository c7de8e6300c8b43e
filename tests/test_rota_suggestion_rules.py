"""Suggest Rota's rules on small hand-made months whose best answer is known, and on random
months against an independent maximum-flow count (networkx)."""

import random
from datetime import date, timedelta

import networkx as nx
import pytest
from helpers_suggestion import FIRST, chosen_pairs, offers, place

from cervis.rota_suggestion import (
    RESERVE,
    ROLE,
    SHIFT_LEADER,
    Offer,
    Problem,
    first_come,
    monthly_target,
    solve,
    usable_offers,
)


def test_more_offers_than_places_fills_every_place_once():
    problem = Problem([place(1, 1), place(2, 2)], offers((1, 1), (2, 1), (3, 1), (1, 2), (2, 2)))
    chosen = chosen_pairs(problem, solve(problem))
    assert len(chosen) == 2
    assert len({v for v, _ in chosen}) == 2  # one shift each: nobody goes above a monthly target


def test_fewer_offers_than_places_takes_every_offer():
    problem = Problem(
        [place(1, 1, room=3), place(2, 2, room=2)], offers((1, 1), (2, 1), (3, 2)), target={1: 1, 2: 1, 3: 1}
    )
    assert chosen_pairs(problem, solve(problem)) == [(1, 1), (2, 1), (3, 2)]


def test_one_volunteer_who_offered_every_night_gets_their_target_and_the_rest_go_to_others():
    nights = [place(d, d) for d in range(1, 8)]
    # Volunteer 1 offered all seven nights first; volunteers 2..4 offered three of them.
    pairs = [(1, d) for d in range(1, 8)] + [(2, 2), (3, 4), (4, 6)]
    problem = Problem(nights, offers(*pairs), target={1: 2, 2: 1, 3: 1, 4: 1})
    chosen = chosen_pairs(problem, solve(problem))
    assert len(chosen) == 7  # every night filled
    assert sum(1 for v, _ in chosen if v == 1) == 4  # the other three nights went to the others
    assert {(2, 2), (3, 4), (4, 6)} <= set(chosen)


def test_two_overlapping_slots_never_go_to_one_volunteer():
    early = place(1, 1, start=0, hours=3)  # 18:00 to 21:00
    late = place(2, 1, start=2, hours=10)  # 20:00 to 06:00, overlapping
    problem = Problem([early, late], offers((1, 1), (1, 2)))
    assert len(solve(problem)) == 1
    with_second = Problem([early, late], offers((1, 1), (1, 2), (2, 2)))
    assert chosen_pairs(with_second, solve(with_second)) == [(1, 1), (2, 2)]


def test_slots_that_do_not_overlap_on_one_day_can_both_go_to_one_volunteer():
    morning, evening = place(1, 1, start=-9, hours=3), place(2, 1, start=0, hours=3)
    problem = Problem([morning, evening], offers((1, 1), (1, 2)), target={1: 2})
    assert len(solve(problem)) == 2


def test_a_shift_leader_who_also_offered_as_cook_leads_and_the_cook_place_goes_to_another():
    sl, cook = place(1, 1, priority=SHIFT_LEADER), place(2, 1)
    # The shift leader offered Cook first; the other volunteer can only cook.
    problem = Problem([sl, cook], offers((1, 2), (1, 1), (2, 2)))
    assert chosen_pairs(problem, solve(problem)) == [(1, 1), (2, 2)]


def test_shift_leaders_come_before_other_roles_when_not_everything_fits():
    sl, cook = place(1, 1, priority=SHIFT_LEADER), place(2, 1)
    problem = Problem([sl, cook], offers((1, 2), (1, 1)))  # one volunteer, one night
    assert chosen_pairs(problem, solve(problem)) == [(1, 1)]


def test_reserves_come_last():
    reserve, cook = place(1, 1, priority=RESERVE), place(2, 1)
    problem = Problem([reserve, cook], offers((1, 1), (1, 2)))
    assert chosen_pairs(problem, solve(problem)) == [(1, 2)]


def test_volunteers_already_registered_at_that_time_are_not_proposed():
    problem = Problem([place(1, 1)], offers((1, 1), (2, 1)), busy={1: [(FIRST, FIRST + timedelta(hours=3))]})
    assert chosen_pairs(problem, solve(problem)) == [(2, 1)]


def test_a_full_slot_gets_nobody():
    problem = Problem([place(1, 1, room=0)], offers((1, 1)))
    assert solve(problem) == set()


def test_fairness_prefers_whoever_has_fewer_shifts_this_month_then_in_the_months_before():
    problem = Problem(
        [place(1, 1)],
        offers((1, 1), (2, 1), (3, 1)),
        this_month={1: 1},
        history={2: 6, 3: 2},
        target={1: 4, 2: 4, 3: 4},
    )
    assert chosen_pairs(problem, solve(problem)) == [(3, 1)]


def test_the_largest_excess_above_target_is_as_small_as_it_can_be():
    # Four nights; volunteer 1 (monthly) offered all four, volunteer 2 (monthly) offered two.
    nights = [place(d, d) for d in range(1, 5)]
    problem = Problem(nights, offers(*[(1, d) for d in range(1, 5)], (2, 3), (2, 4)))
    chosen = chosen_pairs(problem, solve(problem))
    assert len(chosen) == 4
    counts = [sum(1 for v, _ in chosen if v == who) for who in (1, 2)]
    assert counts == [2, 2]  # excess 1 each, not 3 and 0


def test_the_earliest_offer_breaks_a_tie_and_the_answer_is_the_same_every_time():
    problem = Problem([place(1, 1)], offers((5, 1), (3, 1), (4, 1)))
    assert chosen_pairs(problem, solve(problem)) == [(5, 1)]
    assert all(solve(problem) == solve(problem) for _ in range(3))


@pytest.mark.parametrize(
    "frequency, month, target",
    [
        ("Weekly", date(2027, 2, 1), 4),
        ("Weekly", date(2027, 3, 1), 5),
        ("Fortnightly", date(2027, 2, 1), 2),
        ("Monthly", date(2027, 2, 1), 1),
        ("Occasionally", date(2027, 2, 1), 1),
        (None, date(2027, 2, 1), 1),
    ],
)
def test_preferred_frequency_as_a_monthly_target(frequency, month, target):
    assert monthly_target(frequency, month) == target


def _random_month(rng):
    places, pid = [], 0
    for day in range(1, rng.randint(3, 12)):
        for priority in (SHIFT_LEADER, ROLE, ROLE, RESERVE):
            pid += 1
            places.append(place(pid, day, room=rng.choice([0, 1, 1, 2, 3]), priority=priority))
    volunteers = rng.randint(2, 25)
    pairs = {(rng.randrange(volunteers), rng.choice(places).id) for _ in range(rng.randint(0, 80))}
    return Problem(
        places,
        offers(*sorted(pairs, key=lambda _: rng.random())),
        this_month={v: rng.choice([0, 0, 1, 3]) for v in range(volunteers)},
        history={v: rng.randrange(10) for v in range(volunteers)},
        target={v: rng.choice([1, 2, 4]) for v in range(volunteers)},
    )


def _max_flow(problem):
    graph = nx.DiGraph()
    places = {p.id: p for p in problem.places}
    graph.add_nodes_from(["source", "sink"])
    for o in usable_offers(problem):
        p = places[o.place]
        graph.add_edge("source", ("night", o.volunteer, p.starts_at), capacity=1)
        graph.add_edge(("night", o.volunteer, p.starts_at), ("place", p.id), capacity=1)
        graph.add_edge(("place", p.id), "sink", capacity=p.room)
    return nx.maximum_flow_value(graph, "source", "sink")


def test_places_filled_equal_an_independent_maximum_flow_on_random_months():
    rng = random.Random(7)
    for _ in range(60):
        problem = _random_month(rng)
        chosen = solve(problem)
        assert len(chosen) == _max_flow(problem)
        assert len(chosen) >= len(first_come(problem))
        places = {p.id: p for p in problem.places}
        picked = [o for o in problem.offers if o.id in chosen]
        for p in problem.places:  # never above a slot's room
            assert sum(1 for o in picked if o.place == p.id) <= p.room
        nights = [(o.volunteer, places[o.place].starts_at) for o in picked]
        assert len(nights) == len(set(nights))  # one slot per volunteer per night


# Training: only some offerers hold what a place's role needs -----------------------------------


def _partly_qualified(rng):
    """A random month where each offer is from someone qualified for its role, or not."""
    problem = _random_month(rng)
    problem.offers = [Offer(o.id, o.volunteer, o.place, qualified=rng.random() < 0.6) for o in problem.offers]
    return problem


def test_an_unqualified_offer_is_never_proposed_even_when_it_alone_could_fill_a_place():
    problem = Problem([place(1, 1, priority=SHIFT_LEADER)], [Offer(1, 1, 1, qualified=False)])
    assert solve(problem) == set()


def test_places_filled_equal_a_maximum_flow_over_the_qualified_offers_only():
    rng = random.Random(16)
    for _ in range(60):
        problem = _partly_qualified(rng)
        chosen = solve(problem)
        qualified_only = Problem(
            problem.places,
            [o for o in problem.offers if o.qualified],
            problem.busy,
            problem.this_month,
            problem.history,
            problem.target,
        )
        assert len(chosen) == _max_flow(qualified_only)
        assert all(o.qualified for o in problem.offers if o.id in chosen)
