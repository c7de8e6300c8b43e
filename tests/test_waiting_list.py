"""The waiting list: "Join Waiting List" on a Full slot; a place that comes free is offered to the
first on the list by e-mail, then to the next if not taken in time."""

from datetime import timedelta

from conftest import emails_to
from helpers_cover import member
from helpers_registrations import fresh, vera
from helpers_rota import race
from helpers_waiting import full_cook, join, link_in

from cervis import cancellation, rota, waiting_list
from cervis.db import utcnow
from cervis.models import REGISTERED, Opportunity, Registration, Slot, User, WaitingListEntry, WaitingOffer

LEO = "leo@example.org"


def registered(slot):
    return Registration.select().where(Registration.slot == slot, Registration.status == REGISTERED).count()


def _live(db):
    Opportunity.update(live_from=utcnow() - timedelta(days=1)).execute()


def test_a_full_slot_offers_join_waiting_list_and_view_or_cancel_shows_the_place(auth, client, db):
    cook, _ = full_cook()
    _live(db)
    auth.login()
    page = client.get("/portal/signup/slots", query_string={"volunteer": vera().id, "opportunity": cook.opportunity_id})
    assert f'name="wait" value="{cook.id}"' in page.text and "Join Waiting List" in page.text
    answer = join(client, vera(), cook)
    assert answer.status_code == 200 and "You are on the waiting list" in answer.text
    rex = member("rex@example.org", "Rex")
    WaitingListEntry.create(slot=cook, volunteer=rex, joined_at=utcnow() + timedelta(minutes=1))
    mine = client.get("/portal/registrations").text
    assert "Number 1 on the waiting list" in mine and "Leave Waiting List" in mine
    page = client.get("/portal/signup/slots", query_string={"volunteer": vera().id, "opportunity": cook.opportunity_id})
    assert "Waiting List: number 1" in page.text and f'name="wait" value="{cook.id}"' not in page.text
    assert Registration.select().where(Registration.volunteer == vera()).count() == 0  # no offer made


def test_a_volunteer_leaves_the_waiting_list_and_the_next_moves_up(auth, client, db):
    cook, _ = full_cook()
    entry = WaitingListEntry.create(slot=cook, volunteer=vera(), joined_at=utcnow())
    WaitingListEntry.create(slot=cook, volunteer=member("rex@example.org", "Rex"), joined_at=utcnow())
    auth.login()
    left = client.post(f"/portal/waiting-list/{entry.id}/leave")
    assert left.status_code == 303
    assert "You have left the waiting list" in client.get(left.location).text
    assert waiting_list.places([User.by_email("rex@example.org").id]) == {
        (cook.id, User.by_email("rex@example.org").id): 1
    }
    auth.logout()
    auth.login("sam@example.org")
    assert client.post(f"/portal/waiting-list/{entry.id}/leave").status_code == 404  # not Sam's


def test_a_freed_place_is_offered_to_the_first_on_the_list_and_taken(auth, client, db):
    cook, [mo_place] = full_cook()
    WaitingListEntry.create(slot=cook, volunteer=vera(), joined_at=utcnow())
    WaitingListEntry.create(slot=cook, volunteer=member("rex@example.org", "Rex"), joined_at=utcnow())
    cancellation.cancel([mo_place.id], by=mo_place.volunteer)
    offer = emails_to("vera@example.org", "waiting-offer")[0]
    assert offer.subject.startswith("A place has come free: Cook") and "Take this place" in offer.body_html
    assert emails_to("rex@example.org", "waiting-offer") == []
    link = link_in(offer, "waiting")
    assert "Take this place" in client.get(link).text and registered(cook) == 0
    taken = client.post(link)
    assert taken.status_code == 200 and "the place is yours" in taken.text
    assert (
        registered(cook) == 1
        and Registration.get(Registration.slot == cook, Registration.volunteer == vera()).status == REGISTERED
    )
    assert len(emails_to("vera@example.org", "confirmation")) == 1
    assert WaitingListEntry.get(WaitingListEntry.volunteer == vera()).left_at is not None
    assert client.post(link).status_code == 200  # a second tap says it is theirs, and changes nothing
    assert len(emails_to("vera@example.org", "confirmation")) == 1


def test_an_offer_ignored_is_passed_to_the_next_once_whatever_runs_twice(app, db):
    cook, [mo_place] = full_cook()
    WaitingListEntry.create(slot=cook, volunteer=vera(), joined_at=utcnow())
    WaitingListEntry.create(slot=cook, volunteer=member("rex@example.org", "Rex"), joined_at=utcnow())
    cancellation.cancel([mo_place.id], by=mo_place.volunteer)
    offer = WaitingOffer.get()
    assert offer.expires_at - offer.offered_at == timedelta(hours=6)
    assert waiting_list.pass_on(offer.expires_at - timedelta(minutes=1)) == 0
    later = offer.expires_at + timedelta(minutes=1)
    assert waiting_list.pass_on(later) == 1 and waiting_list.pass_on(later) == 0
    assert len(emails_to("rex@example.org", "waiting-offer")) == 1
    vera_link = link_in(emails_to("vera@example.org", "waiting-offer")[0], "waiting")
    with app.test_client() as client:
        late = client.post(vera_link)
    assert late.status_code == 409 and "offered to the next" in late.text
    assert WaitingListEntry.get(WaitingListEntry.volunteer == vera()).outcome == "passed"


def test_near_the_shift_the_offer_is_shorter_and_never_past_the_start(db):
    cook, _ = full_cook(starts_in=timedelta(hours=8))
    assert waiting_list.offer_hours(cook, cook.starts_at - timedelta(hours=8)) == timedelta(hours=2)
    assert waiting_list.offer_hours(cook, cook.starts_at - timedelta(minutes=10)) == timedelta(minutes=10)


def test_two_on_the_list_tapping_at_once_for_the_last_place_one_takes_it(app, db):
    cook, places = full_cook(capacity=2)
    WaitingListEntry.create(slot=cook, volunteer=vera(), joined_at=utcnow())
    WaitingListEntry.create(slot=cook, volunteer=member("rex@example.org", "Rex"), joined_at=utcnow())
    cancellation.cancel([p.id for p in places], by=User.by_email(LEO))
    assert WaitingOffer.select().count() == 2
    rota.add_to_slot(cook.id, User.by_email(LEO).id, User.by_email(LEO), override="phoned in")  # one place left
    offers = [o.id for o in WaitingOffer.select()]

    def tap(offer_id):
        if waiting_list.take(offer_id) != waiting_list.TAKEN:
            raise rota.Refused("already taken")

    assert sorted(race(app, tap, offers)) == ["accepted", "refused"]
    assert registered(cook) == 2


def test_undo_of_a_registered_place_offers_it_too_and_a_leader_can_accept_from_the_list(auth, client, db):
    cook, [mo_place] = full_cook()
    entry = WaitingListEntry.create(slot=cook, volunteer=vera(), joined_at=utcnow())
    rota.undo(mo_place.id, User.by_email(LEO))
    assert len(emails_to("vera@example.org", "waiting-offer")) == 1
    auth.login(LEO)
    panel = client.get(f"/leader/slots/{cook.id}/panel", headers={"HX-Request": "true"}).text
    assert "Waiting List (1)" in panel and "Vera Volunteer" in panel
    answer = client.post(f"/leader/waiting-list/{entry.id}/accept", headers={"HX-Request": "true"})
    assert "Accepted from the waiting list" in answer.text and registered(cook) == 1
    again = client.post(f"/leader/waiting-list/{entry.id}/accept", headers={"HX-Request": "true"})
    assert "no longer on the waiting list" in again.text and registered(cook) == 1
    auth.logout()
    auth.login("olga@example.org")
    assert client.post(f"/leader/waiting-list/{entry.id}/accept").status_code in (403, 404)


def test_within_the_cover_window_the_waiting_list_is_asked_with_the_reserves(db):
    cook, [mo_place] = full_cook(starts_in=timedelta(hours=30))
    WaitingListEntry.create(slot=cook, volunteer=vera(), joined_at=utcnow())
    cancellation.cancel([mo_place.id], by=mo_place.volunteer)
    assert len(emails_to("vera@example.org", "cover-ask")) == 1
    assert emails_to("vera@example.org", "waiting-offer") == []


def test_the_link_is_dead_once_the_shift_has_started_and_a_forged_one_is_refused(client, db):
    cook, [mo_place] = full_cook()
    WaitingListEntry.create(slot=cook, volunteer=vera(), joined_at=utcnow())
    cancellation.cancel([mo_place.id], by=mo_place.volunteer)
    link = link_in(emails_to("vera@example.org", "waiting-offer")[0], "waiting")
    Slot.update(starts_at=utcnow() - timedelta(minutes=1)).where(Slot.id == cook.id).execute()
    gone = client.post(link)
    assert gone.status_code == 409 and "already started" in gone.text and registered(cook) == 0
    assert client.get(link[:-3] + "abc").status_code == 404
    assert fresh(mo_place).status == "cancelled"


def test_erasing_a_registered_volunteer_offers_their_place_and_takes_them_off_every_list(db):
    from cervis import erasure

    cook, [mo_place] = full_cook()
    WaitingListEntry.create(slot=cook, volunteer=vera(), joined_at=utcnow())
    other, _ = full_cook(starts_in=timedelta(days=12), holder="Ned")
    WaitingListEntry.create(slot=other, volunteer=mo_place.volunteer, joined_at=utcnow())
    erasure.erase(User.by_email("ada@example.org"), mo_place.volunteer)
    assert len(emails_to("vera@example.org", "waiting-offer")) == 1
    assert WaitingListEntry.waiting(other.id).count() == 0


def test_a_leader_raising_the_capacity_offers_the_new_place_to_the_list(auth, client, db):
    cook, _ = full_cook()
    WaitingListEntry.create(slot=cook, volunteer=vera(), joined_at=utcnow())
    auth.login(LEO)
    changed = client.post(f"/leader/slots/{cook.id}/capacity", data={f"slot{cook.id}-capacity": "2"})
    assert changed.status_code == 303 and Slot.get_by_id(cook.id).capacity == 2
    assert len(emails_to("vera@example.org", "waiting-offer")) == 1
