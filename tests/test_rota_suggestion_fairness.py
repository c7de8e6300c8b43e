"""Suggest Rota's preview says why each proposed person was chosen over another who offered; offers
for a date the volunteer is away are never proposed; the limits volunteers set are kept."""

from datetime import date

from helpers_rota import LEO, YEAR, member, night, offer
from helpers_suggestion import suggest_url

from cervis.models import REGISTERED, AwayRange, VolunteerLimit


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
    assert "Chosen over Cal Member: closer to their preferred frequency (1 of 1 a month, against 2 of 1)." in page
    assert f'value="{dees.id}" checked' in page
    assert "Chosen over Eve Member: fewer shifts in the last three months (0 against 1)." in page


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
