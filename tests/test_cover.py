"""Cover: a place given up within 72 hours is offered to the night's reserves and free members."""

from datetime import timedelta

from conftest import emails_to
from helpers_rota import race
from helpers_registrations import cancel, fresh, register, shift, shift_leader_at, vera

from cervis import cancellation, cover, rota
from cervis.db import utcnow
from cervis.models import CANCELLED, REGISTERED, CoverAsk, CoverRequest, Registration, Slot, User
from helpers_cover import link_in, tomorrows_rota

LEO = "leo@example.org"


def test_a_cancellation_tomorrow_asks_the_reserves_then_the_free_members(auth, client, db):
    cook, place = tomorrows_rota()
    auth.login()
    cancel(client, place, confirm="1")
    asked = [a.volunteer.first_name for a in CoverAsk.select().order_by(CoverAsk.id)]
    assert asked == ["Rae", "Rex", "Mo"]
    ask = emails_to("rex@example.org", "cover-ask")[0]
    assert ask.subject.startswith("Can you cover? Cook, Northside Night Shelter")
    assert "I can cover" in ask.body_html and "/portal/cover/" in ask.body_text
    for nobody in ("bo@example.org", "cy@example.org", "vera@example.org"):
        assert emails_to(nobody, "cover-ask") == []
    opened = emails_to(LEO, "cover-leaders")[0]
    assert opened.urgent and opened.subject.startswith("URGENT: Cover needed: Cook")
    assert "Rex Member, 07700 900111" in opened.body_text and "Rae Member, 07700 900222" in opened.body_text


def test_the_nights_shift_leader_hears_too(auth, client, db):
    cook, place = tomorrows_rota()
    shift_leader_at(cook)
    cancellation.cancel([place.id], by=vera())
    assert len(emails_to("sue@example.org", "cover-leaders")) == 1
    assert len(emails_to(LEO, "cover-leaders")) == 1


def test_a_cancellation_a_week_ahead_or_of_a_pending_offer_asks_nobody(db):
    cook, place = tomorrows_rota(starts_in=timedelta(days=7))
    cancellation.cancel([place.id], by=vera())
    pending = register(User.by_email("mo@example.org"), shift("Shift Asst", starts_in=timedelta(hours=20)), "pending")
    cancellation.cancel([pending.id], by=pending.volunteer)
    assert CoverRequest.select().count() == 0 and CoverAsk.select().count() == 0


def test_a_leader_removing_someone_on_the_rota_board_starts_cover(db):
    cook, place = tomorrows_rota()
    rota.remove(place.id, User.by_email(LEO), "Unwell")
    assert CoverAsk.select().count() == 3


def test_first_to_tap_takes_the_place_and_a_later_tap_is_told_it_is_covered(client, db):
    cook, place = tomorrows_rota()
    cancellation.cancel([place.id], by=vera())
    rex_link = link_in(emails_to("rex@example.org", "cover-ask")[0])
    page = client.get(rex_link)
    assert page.status_code == 200 and "I can cover" in page.get_data(as_text=True)
    assert Registration.select().where(Registration.slot == cook, Registration.status == REGISTERED).count() == 0
    taken = client.post(rex_link)
    assert "the place is yours" in taken.get_data(as_text=True)
    rex = User.by_email("rex@example.org")
    assert Registration.get(Registration.slot == cook, Registration.volunteer == rex).status == REGISTERED
    reserve_place = Registration.get(Registration.volunteer == rex, Registration.slot != cook)
    assert reserve_place.status == CANCELLED and reserve_place.cancel_reason == "Covering as Cook"
    assert len(emails_to("rex@example.org", "confirmation")) == 1
    covered = emails_to(LEO, "cover-leaders")[-1]
    assert covered.subject.startswith("URGENT: Covered: Cook") and "Rex Member is covering" in covered.body_text
    later = client.post(link_in(emails_to("mo@example.org", "cover-ask")[0]))
    assert later.status_code == 409 and "already covered" in later.get_data(as_text=True)
    assert client.post(rex_link).status_code == 200  # a second tap of the winner's link says it is theirs
    assert Registration.select().where(Registration.slot == cook, Registration.status == REGISTERED).count() == 1
    assert cover.asked_for_slots([cook.id])[cook.id][0]["covered_by"] == "Rex Member"


def test_two_reserves_tapping_at_the_same_moment_one_takes_it(app, db):
    cook, place = tomorrows_rota()
    cancellation.cancel([place.id], by=vera())
    asks = [a.id for a in CoverAsk.select().where(CoverAsk.reserve == True)]

    def tap(ask_id):
        if cover.take(ask_id) != cover.TAKEN:
            raise rota.Refused("already covered")

    assert sorted(race(app, tap, asks)) == ["accepted", "refused"]
    assert Registration.select().where(Registration.slot == cook, Registration.status == REGISTERED).count() == 1
    assert len(emails_to(LEO, "cover-leaders")) == 2  # opened, covered: once each


def test_the_same_rules_as_call_up_no_overlapping_shifts(client, db):
    cook, place = tomorrows_rota()
    cancellation.cancel([place.id], by=vera())
    mo = User.by_email("mo@example.org")
    register(mo, shift("Shift Asst", starts_in=timedelta(hours=31), group="Southside"))  # since asked
    page = client.post(link_in(emails_to("mo@example.org", "cover-ask")[0]))
    assert page.status_code == 409 and "overlaps this slot" in page.get_data(as_text=True)
    assert CoverRequest.get().covered_at is None


def test_the_link_is_dead_once_the_shift_starts_and_a_forged_one_is_refused(client, db):
    cook, place = tomorrows_rota()
    cancellation.cancel([place.id], by=vera())
    link = link_in(emails_to("rex@example.org", "cover-ask")[0])
    Slot.update(starts_at=utcnow() - timedelta(minutes=1)).where(Slot.id == cook.id).execute()
    assert client.post(link).status_code == 409
    assert client.get(link[:-3] + "abc").status_code == 404


def test_leaders_hear_once_when_a_place_is_still_open_12_hours_before(db):
    cook, place = tomorrows_rota()
    cancellation.cancel([place.id], by=vera())
    early = cook.starts_at - timedelta(hours=13)
    assert cover.still_open(early) == 0
    assert cover.still_open(cook.starts_at - timedelta(hours=11)) == 1
    assert cover.still_open(cook.starts_at - timedelta(hours=10)) == 0
    last = emails_to(LEO, "cover-leaders")[-1]
    assert last.subject.startswith("URGENT: Still open: Cook")


def test_the_rota_board_can_show_who_was_asked_and_when(db):
    cook, place = tomorrows_rota()
    cancellation.cancel([place.id], by=vera())
    asked = cover.asked_for_slots([cook.id, 999])
    assert list(asked) == [cook.id]
    request = asked[cook.id][0]
    assert [(name, reserve) for name, _, reserve in request["asked"]] == [
        ("Rae Member", True),
        ("Rex Member", True),
        ("Mo Member", False),
    ]
    assert request["covered_by"] is None and request["opened_at"] is not None
    assert fresh(place).status == CANCELLED


def test_a_place_a_leader_filled_on_the_rota_board_is_already_covered(client, db):
    cook, place = tomorrows_rota()
    cancellation.cancel([place.id], by=vera())
    rota.add_to_slot(cook.id, User.by_email("mo@example.org").id, User.by_email(LEO))
    answer = client.post(link_in(emails_to("rex@example.org", "cover-ask")[0]))
    assert answer.status_code == 409 and "already covered" in answer.get_data(as_text=True)


def test_the_rota_board_shows_the_place_as_cover_asked_with_who_was_asked_and_when(auth, client, db):
    from cervis.timeutil import to_local

    cook, place = tomorrows_rota()
    cancellation.cancel([place.id], by=vera())
    auth.login(LEO)
    month = f"{to_local(cook.starts_at):%Y-%m}"
    board = client.get(f"/leader/opportunities/{cook.opportunity_id}/rota?month={month}").get_data(as_text=True)
    assert f'id="c{cook.id}"' in board and "Cover asked</a>" in board
    panel = client.get(f"/leader/slots/{cook.id}/panel", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<strong>Cover asked</strong>" in panel and "Asked: Rae Member (Reserve)" in panel and "Mo Member" in panel
