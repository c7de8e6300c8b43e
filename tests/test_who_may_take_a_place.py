"""Who may take a place: every way onto the rota (Accept, Accept Selected, Accept Suggestion,
Call Up, adding by hand, a cover link, Register) re-checks at the moment of taking that the
volunteer is active and the slot is open and has not started."""

from datetime import timedelta

import pytest
from conftest import emails_to
from helpers_registrations import register, shift, vera
from helpers_cover import link_in, tomorrows_rota

from cervis import cancellation, registering, rota
from cervis.db import utcnow
from cervis.models import PENDING, REGISTERED, CoverRequest, Registration, Role, Slot, User

LEO = "leo@example.org"


def leo():
    return User.by_email(LEO)


def deactivate(user):
    User.update(active=False).where(User.id == user.id).execute()


def close(slot):
    Slot.update(closed=True).where(Slot.id == slot.id).execute()


def start(slot):
    Slot.update(starts_at=utcnow() - timedelta(minutes=1)).where(Slot.id == slot.id).execute()


def registered_in(slot):
    return Registration.select().where(Registration.slot == slot.id, Registration.status == REGISTERED).count()


# A cover link ------------------------------------------------------------------------------------


def test_a_deactivated_volunteer_cannot_take_a_cover_place_with_their_link(client, db):
    cook, place = tomorrows_rota()
    cancellation.cancel([place.id], by=vera())
    link = link_in(emails_to("rex@example.org", "cover-ask")[0])
    deactivate(User.by_email("rex@example.org"))
    page = client.get(link)
    assert page.status_code == 409 and "I can cover" not in page.get_data(as_text=True)
    taken = client.post(link)
    assert taken.status_code == 409 and "no longer active" in taken.get_data(as_text=True)
    assert registered_in(cook) == 0 and CoverRequest.get().covered_at is None


def test_a_slot_closed_after_the_ask_cannot_be_filled_by_its_link(client, db):
    cook, place = tomorrows_rota()
    cancellation.cancel([place.id], by=vera())
    link = link_in(emails_to("rex@example.org", "cover-ask")[0])
    close(cook)
    taken = client.post(link)
    assert taken.status_code == 409 and "is closed" in taken.get_data(as_text=True)
    assert registered_in(cook) == 0


def test_cover_refuses_a_started_slot_even_when_taken_directly(db):
    cook, place = tomorrows_rota()
    cancellation.cancel([place.id], by=vera())
    start(cook)
    rex = User.by_email("rex@example.org")
    with pytest.raises(rota.Refused, match="has already started"):
        rota.move_in(rex.id, cook.id, rex, utcnow(), "cover")


# The rota board ----------------------------------------------------------------------------------


def _offer():
    slot = shift("Cook", capacity=1)
    return slot, register(vera(), slot, status=PENDING)


SPOILERS = {
    "inactive": (lambda slot: deactivate(vera()), "no longer active"),
    "closed": (close, "is closed"),
    "started": (start, "has already started"),
}


@pytest.mark.parametrize("spoiler", SPOILERS)
def test_accept_and_accept_selected_recheck_the_volunteer_and_the_slot(db, spoiler):
    spoil, words = SPOILERS[spoiler]
    slot, reg = _offer()
    spoil(slot)
    with pytest.raises(rota.Refused, match=words):
        rota.accept(reg.id, leo())
    with pytest.raises(rota.Refused, match=words):
        rota.accept_selected([reg.id], leo())
    accepted, refused = rota.accept_suggestion([reg.id], leo())
    assert accepted == [] and words in str(refused[0][1])
    assert registered_in(slot) == 0


@pytest.mark.parametrize("spoiler", SPOILERS)
def test_call_up_and_adding_by_hand_recheck_the_volunteer_and_the_slot(db, spoiler):
    spoil, words = SPOILERS[spoiler]
    cook = shift("Cook", capacity=1)
    reserve = Slot.create(
        opportunity=cook.opportunity,
        starts_at=cook.starts_at,
        ends_at=cook.ends_at,
        role=Role.get(Role.group == cook.opportunity.group, Role.name == "Reserve"),
        capacity=2,
    )
    in_reserve = register(vera(), reserve)
    spoil(cook)
    if spoiler == "started":  # a Reserve is called up on the same night
        start(reserve)
    with pytest.raises(rota.Refused, match=words):
        rota.call_up(in_reserve.id, cook.id, leo())
    if spoiler != "inactive":  # adding by hand lists active members only, and says so
        with pytest.raises(rota.Refused, match=words):
            rota.add_to_slot(cook.id, vera().id, leo())
    assert registered_in(cook) == 0


def test_register_refuses_a_deactivated_family_member(db):
    slot = shift("Cook", capacity=1)
    kid = User.create(email=None, first_name="Kit", last_name="Volunteer", family_of=vera(), active=False)
    result = registering.offer(vera(), kid, [slot.id])
    assert result.saved == [] and "no longer active" in result.refused[0][1]


def test_the_rota_board_says_why_accept_is_refused_beside_the_offer(auth, client, db):
    slot, reg = _offer()
    deactivate(vera())
    auth.login(LEO)
    answer = client.post(f"/leader/registrations/{reg.id}/accept", headers={"HX-Request": "true"})
    assert answer.status_code == 200 and "Vera Volunteer is no longer active" in answer.get_data(as_text=True)
    assert Registration.get_by_id(reg.id).status == PENDING


def test_suggest_rota_never_proposes_a_closed_slot(db):
    from cervis.months import month_of
    from cervis.suggest_rota import suggest

    slot, reg = _offer()
    close(slot)
    suggestion = suggest(slot.opportunity, month_of(slot.starts_at), utcnow())
    assert suggestion.proposed == {} and suggestion.short == []
