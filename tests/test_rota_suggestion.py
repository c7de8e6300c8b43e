"""Suggest Rota on the board: the preview and its figures, Accept Suggestion and Discard."""

from datetime import date

from helpers_suggestion import suggest_url
from helpers_rota import LEO, MONTH, OLGA, YEAR, board, fresh, member, night, offer, opportunity, user

from cervis.models import CANCELLED, PENDING, REGISTERED, Email, Registration


def accept_url(opp=None):
    return f"/leader/opportunities/{(opp or opportunity()).id}/rota/suggestion?month={MONTH}"


def a_small_month():
    """Two nights; Bea offered both nights as shift leader and as Cook; Cal and Dee cook."""
    sl5, cook5, sl6, cook6 = night(5, "SL"), night(5, "Cook"), night(6, "SL"), night(6, "Cook")
    bea, cal = member("Bea", frequency="Fortnightly"), member("Cal")
    regs = {
        "bea-cook5": offer(bea, cook5),
        "bea-sl5": offer(bea, sl5),
        "bea-sl6": offer(bea, sl6),
        "cal-cook5": offer(cal, cook5),
        "cal-cook6": offer(cal, cook6),
    }
    return regs


def test_suggest_rota_shows_a_preview_and_changes_nothing(auth, client, db):
    regs = a_small_month()
    auth.login(LEO)
    page = client.get(suggest_url()).get_data(as_text=True)
    assert "Places filled: <strong>4 / 4</strong>" in page
    for key in ("bea-sl5", "bea-sl6", "cal-cook5"):
        assert f'name="offer" value="{regs[key].id}" checked' in page
    assert f'value="{regs["bea-cook5"].id}"' not in page  # the shift leader leads; Cal cooks
    assert "Volunteers given more than their preferred frequency: <strong>1</strong>" in page  # Cal: 2 > 1
    assert "Cal Member: 2 shifts this month in all groups (prefers 1)" in page  # the Members page counts one group
    assert all(fresh(r).status == PENDING for r in regs.values())
    assert "Accept Suggestion" in page and "Discard" in page


def test_the_same_data_gives_the_same_suggestion(auth, client, db):
    a_small_month()
    for n in range(4):
        offer(member(f"Extra{n}"), night(7 + n, "Cook"))
    auth.login(LEO)
    assert client.get(suggest_url()).get_data(as_text=True) == client.get(suggest_url()).get_data(as_text=True)


def test_accept_suggestion_accepts_the_ticked_names_with_their_emails(auth, client, db):
    regs = a_small_month()
    auth.login(LEO)
    ticked = [regs["bea-sl5"], regs["bea-sl6"], regs["cal-cook5"]]  # the leader unticked Cal's 6th
    response = client.post(accept_url(), data={"offer": [r.id for r in ticked]})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"month={MONTH}")
    assert [fresh(r).status for r in ticked] == [REGISTERED] * 3
    assert fresh(regs["cal-cook6"]).status == PENDING
    confirmations = Email.select().where(Email.kind == "confirmation")
    assert confirmations.count() == 3 and all(e.send_after > e.created_at for e in confirmations)  # undo window
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Suggestion accepted: 3 offers accepted." in page


def test_an_offer_withdrawn_while_the_suggestion_was_open_is_named_and_the_rest_accepted(auth, client, db):
    regs = a_small_month()
    auth.login(LEO)
    client.get(suggest_url())
    Registration.update(status=CANCELLED).where(Registration.id == regs["cal-cook5"].id).execute()
    ids = [regs["bea-sl5"].id, regs["bea-sl6"].id, regs["cal-cook5"].id, regs["cal-cook6"].id]
    page = client.post(accept_url(), data={"offer": ids}, follow_redirects=True).get_data(as_text=True)
    assert "Suggestion accepted: 3 offers accepted." in page
    assert "Not accepted, because it changed since the suggestion was made: Cal Member (Cook," in page
    assert "this offer is already cancelled" in page
    assert fresh(regs["bea-sl5"]).status == REGISTERED and fresh(regs["cal-cook6"]).status == REGISTERED


def test_accepting_a_suggestion_never_overfills_a_slot_filled_meanwhile(auth, client, db):
    cook = night(5, "Cook")
    bea = offer(member("Bea"), cook)
    auth.login(LEO)
    client.get(suggest_url())
    offer(vera(), cook, status=REGISTERED)  # someone else filled it in the meantime
    page = client.post(accept_url(), data={"offer": [bea.id]}, follow_redirects=True).get_data(as_text=True)
    assert "is Full (1 / 1)" in page and fresh(bea).status == PENDING


def test_accept_suggestion_is_refused_for_another_groups_offers(auth, client, db):
    a_small_month()
    theirs = offer(user("sam@example.org"), night(5, "Cook", group="Southside"))
    auth.login(LEO)
    assert client.post(accept_url(), data={"offer": [theirs.id]}).status_code == 404
    assert fresh(theirs).status == PENDING
    auth.logout()
    auth.login(OLGA)
    assert client.get(suggest_url()).status_code == 403
    assert client.post(accept_url(), data={"offer": [theirs.id]}).status_code == 403


def test_slots_still_short_say_why(auth, client, db):
    night(5, "SL")  # nobody offered
    cook = night(6, "Cook")
    bea = member("Bea")
    offer(bea, night(6, "SL"))
    offer(bea, cook)  # Bea leads that night, so nobody is left to cook
    auth.login(LEO)
    page = client.get(suggest_url()).get_data(as_text=True)
    assert "1 short, no offers" in page and "1 short, every offerer is taken that night" in page


def test_a_volunteer_already_registered_elsewhere_that_night_is_not_proposed(auth, client, db):
    cook = night(5, "Cook")
    offer(vera(), night(5, "Cook", group="Southside"), status=REGISTERED)
    reg = offer(vera(), cook)
    auth.login(LEO)
    page = client.get(suggest_url()).get_data(as_text=True)
    assert f'value="{reg.id}"' not in page and "There is nothing to suggest" in page


def vera():
    return user("vera@example.org")


def test_board_links_to_suggest_rota(auth, client, db):
    night(5, "Cook")
    auth.login(LEO)
    assert f'href="{suggest_url()}"' in board(client).get_data(as_text=True).replace("&amp;", "&")


def test_suggest_rota_never_proposes_an_unqualified_volunteer_and_counts_places_short_for_it(auth, client, db):
    from helpers_qualifications import lee, quinn, sl_needs_training

    sl_needs_training()
    untrained = offer(vera(), night(5, "SL"))
    trained = offer(quinn(), night(6, "SL"))
    late = offer(lee(lapses_on=date(YEAR, 2, 10)), night(12, "SL"))  # lapsed by that night
    auth.login(LEO)
    page = client.get(suggest_url()).get_data(as_text=True)
    assert f'value="{trained.id}"' in page
    assert f'value="{untrained.id}"' not in page and f'value="{late.id}"' not in page
    assert page.count("1 short, no qualified offers") == 2
    assert "Places short for want of qualified offers: <strong>2</strong>" in page
