"""Finding a stand-in: a registered volunteer asks the free, qualified members; the first to tap
"I'll take it" takes the place, and the volunteer is released only then."""

import inspect
from datetime import timedelta

import pytest

from conftest import emails_to
from helpers_cover import tomorrows_rota
from helpers_registrations import fresh, shift_leader_at
from helpers_rota import race
from helpers_waiting import link_in

from cervis import cancellation, rota, rota_emails, stand_in
from cervis.db import utcnow, write_transaction
from cervis.models import CANCELLED, REGISTERED, CoverRequest, Email, Registration, Slot, StandInAsk, User
from cervis.models.mail import WITHDRAWN

LEO = "leo@example.org"
IN_THREE_DAYS = timedelta(days=3)


def registered(slot):
    return list(Registration.select().where(Registration.slot == slot, Registration.status == REGISTERED))


def ask(auth, client, place):
    auth.login()
    return client.post(f"/portal/registrations/{place.id}/stand-in")


def test_a_stand_in_is_found_and_takes_the_place_and_the_leaders_are_told(auth, client, db):
    cook, place = tomorrows_rota(starts_in=IN_THREE_DAYS)
    auth.login()
    assert "Find a Stand-in" in client.get("/portal/registrations").text
    answer = ask(auth, client, place)
    assert answer.status_code == 200 and "Your stand-in request has gone to 3 members" in answer.text
    assert sorted(a.volunteer.first_name for a in StandInAsk.select()) == ["Mo", "Rae", "Rex"]
    for nobody in ("bo@example.org", "cy@example.org", "vera@example.org"):
        assert emails_to(nobody, "stand-in-ask") == []
    assert fresh(place).status == REGISTERED  # still responsible until someone takes it
    assert "Stand-in asked: you stay registered" in client.get("/portal/registrations").text
    mo_link = link_in(emails_to("mo@example.org", "stand-in-ask")[0], "stand-in/take")
    assert "I'll take it" in client.get(mo_link).text
    taken = client.post(mo_link, data={"answer": "yes"})
    assert taken.status_code == 200 and "the place is yours" in taken.text
    assert [r.volunteer.first_name for r in registered(cook)] == ["Mo"]
    assert fresh(place).status == CANCELLED and fresh(place).cancel_reason == "Stand-in: Mo Member"
    assert len(emails_to("mo@example.org", "confirmation")) == 1
    assert emails_to("vera@example.org", "stand-in-volunteer")[0].subject.startswith("Stand-in found: Mo Member")
    told = emails_to(LEO, "stand-in-leaders")[0]
    assert "Mo Member is now coming instead of Vera Volunteer" in told.body_text
    late = client.post(
        link_in(emails_to("rex@example.org", "stand-in-ask")[0], "stand-in/take"), data={"answer": "yes"}
    )
    assert late.status_code == 409 and "someone else has already taken" in late.text
    assert CoverRequest.select().count() == 0  # handed on, never given up: nobody else is asked to cover


def test_the_nights_shift_leader_hears_who_is_coming_too(db):
    cook, place = tomorrows_rota(starts_in=IN_THREE_DAYS)
    shift_leader_at(cook)
    request = stand_in.start(place.id)
    stand_in.take(request.asks.first().id)
    assert len(emails_to("sue@example.org", "stand-in-leaders")) == 1


def test_nobody_takes_it_and_24_hours_before_the_volunteer_and_leaders_are_told_once(app, client, db):
    cook, place = tomorrows_rota(starts_in=IN_THREE_DAYS)
    stand_in.start(place.id)
    assert stand_in.nobody_found(cook.starts_at - timedelta(hours=25)) == 0
    at = cook.starts_at - timedelta(hours=23)
    assert stand_in.nobody_found(at) == 1 and stand_in.nobody_found(at) == 0
    told = emails_to("vera@example.org", "stand-in-volunteer")[0]
    assert told.subject.startswith("No stand-in found") and "/portal/cancel/" in told.body_text
    assert "No stand-in for Vera Volunteer" in emails_to(LEO, "stand-in-leaders")[0].subject
    assert fresh(place).status == REGISTERED
    late = client.post(link_in(emails_to("mo@example.org", "stand-in-ask")[0], "stand-in/take"), data={"answer": "yes"})
    assert late.status_code == 409 and "no longer needs a stand-in" in late.text
    assert cancellation.cancel([place.id], by=place.volunteer)  # then cancels as usual


def test_those_who_refused_the_shift_are_not_asked(client, db):
    cook, place = tomorrows_rota(starts_in=IN_THREE_DAYS)
    mo = User.by_email("mo@example.org")
    Registration.create(volunteer=mo, slot=cook, status=CANCELLED, cancelled_by=mo)  # Mo cancelled this one
    request = stand_in.start(place.id)
    assert sorted(a.volunteer.first_name for a in request.asks) == ["Rae", "Rex"]
    rae_link = link_in(emails_to("rae@example.org", "stand-in-ask")[0], "stand-in/take")
    assert "nothing more to do" in client.post(rae_link, data={"answer": "no"}).text
    assert User.by_email("rae@example.org").id in stand_in.refusals(cook)


def test_two_tapping_at_the_same_moment_one_takes_it(app, db):
    cook, place = tomorrows_rota(starts_in=IN_THREE_DAYS)
    request = stand_in.start(place.id)

    def tap(ask_id):
        if stand_in.take(ask_id) != stand_in.TAKEN:
            raise rota.Refused("already taken")

    assert sorted(race(app, tap, [a.id for a in request.asks][:2])) == ["accepted", "refused"]
    assert len(registered(cook)) == 1 and fresh(place).status == CANCELLED


def test_after_the_reminder_the_page_says_contact_your_shift_leader_with_the_request_beside_it(auth, client, db):
    cook, place = tomorrows_rota(starts_in=IN_THREE_DAYS)
    shift_leader_at(cook)
    Registration.update(reminded_at=utcnow()).where(Registration.id == place.id).execute()
    auth.login()
    page = client.get(f"/portal/registrations/{place.id}/stand-in").text
    assert "contact your shift leader directly" in page and "07700 900123" in page
    assert ">Find a Stand-in</button>" in page


def test_the_confirmation_carries_the_signed_link_and_every_link_is_dead_once_the_shift_starts(client, db):
    cook, place = tomorrows_rota(starts_in=IN_THREE_DAYS)
    rota_emails.confirmation(place, User.by_email(LEO))
    find_link = link_in(emails_to("vera@example.org", "confirmation")[0], "stand-in")
    assert ">Find a Stand-in</button>" in client.get(find_link).text
    assert "Your stand-in request has gone" in client.post(find_link).text
    ask_link = link_in(emails_to("mo@example.org", "stand-in-ask")[0], "stand-in/take")
    Slot.update(starts_at=utcnow() - timedelta(minutes=1)).where(Slot.id == cook.id).execute()
    assert client.post(find_link).status_code == 409
    assert client.post(ask_link, data={"answer": "yes"}).status_code == 409
    assert fresh(place).status == REGISTERED
    assert (
        client.get(find_link[:-3] + "abc").status_code == 404 and client.get(ask_link[:-3] + "abc").status_code == 404
    )


def test_within_24_hours_or_for_a_reserve_there_is_no_stand_in_to_find(auth, client, db):
    cook, place = tomorrows_rota(starts_in=timedelta(hours=20))
    answer = ask(auth, client, place)
    assert answer.status_code == 409 and "too soon to find a stand-in" in answer.text
    assert StandInAsk.select().count() == 0


def test_handing_a_place_over_releases_the_volunteer_only_when_the_stand_in_is_in(db):
    cook, place = tomorrows_rota(starts_in=IN_THREE_DAYS)
    rota_emails.confirmation(place, None, send_after=utcnow() + timedelta(hours=1))  # still waiting to go
    mo = User.by_email("mo@example.org")
    with write_transaction():
        new = rota.hand_over(place, mo, utcnow())
    assert [r.volunteer.first_name for r in registered(cook)] == ["Mo"] and new.volunteer_id == mo.id
    assert fresh(place).status == CANCELLED and fresh(place).cancel_reason == "Stand-in: Mo Member"
    waiting = Email.select().where(Email.subject_id == place.id, Email.kind == "confirmation")
    assert [e.status for e in waiting] == [WITHDRAWN]  # not news any more
    assert "rota._" not in inspect.getsource(stand_in)  # the hand-over is rota's own, by its name


def test_a_stand_in_who_cannot_come_in_leaves_the_volunteer_registered(db):
    cook, place = tomorrows_rota(starts_in=IN_THREE_DAYS)
    bo = User.by_email("bo@example.org")  # already on that night as Shift Asst
    with pytest.raises(rota.Refused, match="overlaps"), write_transaction():
        rota.hand_over(place, bo, utcnow())
    assert fresh(place).status == REGISTERED and [r.volunteer_id for r in registered(cook)] == [place.volunteer_id]
