"""Suggest Rota's preview says why each proposed person was chosen over another who offered; offers
for a date the volunteer is away are never proposed; the limits volunteers set are kept."""

from datetime import date

from helpers_rota import LEO, YEAR, member, night, offer
from helpers_suggestion import offers, place, suggest_url

from cervis.models import REGISTERED, AwayRange, VolunteerLimit
from cervis.rota_fairness import reasons
from cervis.rota_suggestion import SHIFT_LEADER, Problem, solve


def test_the_preview_says_why_each_person_was_chosen_over_another_who_offered(auth, client, db):
    bea, cal = member("Bea"), member("Cal")
    offer(cal, night(2, "Cook"), status=REGISTERED)  # Cal already has a shift this month
    cook, cook_later = night(9, "Cook"), night(12, "Cook")
    offer(cal, cook)
    mine = offer(bea, cook)
    dee, eve = member("Dee", frequency="Weekly"), member("Eve", frequency="Weekly")
    offer(eve, night(1, "Cook", month=1), status=REGISTERED)  # Eve served in January
    offer(eve, cook_later)
    dees = offer(dee, cook_later)
    auth.login(LEO)
    page = client.get(suggest_url()).get_data(as_text=True)
    assert f'value="{mine.id}" checked' in page
    assert (
        "Chosen over Cal Member: closer to their preferred frequency (Bea 1 shift this month, prefers 1; Cal would have 2, prefers 1)."
        in page
    )
    assert f'value="{dees.id}" checked' in page
    assert "Chosen over Eve Member: fewer shifts in the three months before (Dee 0, Eve 1)." in page


def test_an_offer_for_a_date_the_volunteer_is_away_is_never_proposed(auth, client, db):
    bea, cal = member("Bea"), member("Cal")
    cook = night(9, "Cook")
    theirs = offer(bea, cook)
    AwayRange.create(volunteer=bea, starts_on=date(YEAR, 2, 8), ends_on=date(YEAR, 2, 10), note="holiday")
    auth.login(LEO)
    page = client.get(suggest_url()).get_data(as_text=True)
    assert f'value="{theirs.id}"' not in page
    assert "1 short, every offerer is away that day" in page
    calls = offer(cal, cook)
    page = client.get(suggest_url()).get_data(as_text=True)
    assert f'value="{calls.id}" checked' in page


def test_suggest_rota_keeps_the_limits_a_volunteer_set(auth, client, db):
    bea = member("Bea", frequency="Weekly")
    VolunteerLimit.create(volunteer=bea, per_month=3, gap_days=4)
    offers = [offer(bea, night(day, "Cook")) for day in range(1, 15)]
    auth.login(LEO)
    page = client.get(suggest_url()).get_data(as_text=True)
    proposed = [o for o in offers if f'value="{o.id}" checked' in page]
    assert len(proposed) == 3  # at most 3 a month
    days = sorted(o.slot.starts_at.day for o in proposed)
    assert all(b - a >= 4 for a, b in zip(days, days[1:]))  # at least 4 days apart
    assert "every offerer is taken that night or at a limit they set" in page


def _why_for(problem, names="ABCDE"):
    chosen = solve(problem)
    found = reasons(problem, chosen, {i: f"{n} Member" for i, n in enumerate(names, start=1)})
    return [found.get(o.id) for o in problem.offers if o.id in chosen]


def test_each_reason_in_the_solvers_own_order():
    one = [place(1, 1)]
    assert _why_for(Problem(one, offers((1, 1), (2, 1)), this_month={2: 1}, target={1: 4, 2: 4})) == [
        "Chosen over B Member: fewer shifts this month (A 0 besides this one, B 1)."
    ]
    assert _why_for(Problem(one, offers((1, 1), (2, 1)))) == ["Chosen over B Member: A offered first."]
    capped = Problem(one, offers((2, 1), (1, 1)), this_month={2: 2}, target={1: 4, 2: 4}, cap={2: 2})
    assert _why_for(capped) == ["Chosen over B Member: B has reached the limit they set (2 a month)."]
    # B is the only shift leader that night: A cooks, B leads.
    night = [place(1, 1), place(2, 1, priority=SHIFT_LEADER)]
    assert _why_for(Problem(night, offers((2, 1), (1, 1), (2, 2)), target={1: 2, 2: 2})) == [
        "Chosen over B Member: B is proposed for another place that day.",
        None,
    ]
