"""Data that must not change: cancelling an opportunity cancels only the slots that have not
started; deleting or editing a started slot, or a role its slots use, is refused beside the
control, and the hours, attendance and history of past nights stay as they were."""

from datetime import timedelta

from conftest import emails_to
from helpers_registrations import register, shift, vera

from cervis import attendance, calendars, cancellation
from cervis.db import utcnow
from cervis.models import CANCELLED, REGISTERED, Registration, Role, Slot
from cervis.models.attendance import volunteer_totals
from cervis.timeutil import org_zone, slot_when, to_local
from cervis.volunteer.history import activity_history

LEO = "leo@example.org"
HTMX = {"HX-Request": "true"}


def served_and_coming():
    """Vera cooked three nights ago and is registered to cook in five days, on the same opportunity."""
    served = register(vera(), shift("Cook", starts_in=-timedelta(days=3), hours=3))
    coming = register(vera(), shift("Cook", starts_in=timedelta(days=5), hours=3))
    return served, coming


def cancel_it(auth, client, opportunity):
    auth.login(LEO)
    return client.post(f"/leader/opportunities/{opportunity.id}/cancel", data={"message": "The hall is closed."})


def test_cancelling_an_opportunity_keeps_the_nights_already_served(auth, client, db):
    served, coming = served_and_coming()
    auth.login(LEO)
    page = client.get(f"/leader/opportunities/{served.slot.opportunity_id}/cancel").get_data(as_text=True)
    assert "Shifts that have already started stay as they are" in page
    assert cancel_it(auth, client, served.slot.opportunity).status_code == 303
    assert Registration.get_by_id(served.id).status == REGISTERED
    assert Registration.get_by_id(coming.id).status == CANCELLED
    now = utcnow()
    assert volunteer_totals(vera(), now, org_zone())["hours"] == 3
    rows, totals, _ = activity_history(vera().id, now)
    assert [r.when for r in rows] == [slot_when(served.slot.starts_at, served.slot.ends_at)] and totals["hours"] == 3
    letter = emails_to("vera@example.org", "opportunity-cancelled")[0].body_text
    assert slot_when(coming.slot.starts_at, coming.slot.ends_at) in letter
    assert slot_when(served.slot.starts_at, served.slot.ends_at) not in letter
    past = cancellation.with_shift(Registration.select()).where(Registration.id == served.id).get()
    assert cancellation.past_status(past, now, {vera().id}) == ("Registered", "")


def test_a_served_night_of_a_cancelled_opportunity_still_waits_for_who_came_and_stays_in_the_feed(auth, client, db):
    served, coming = served_and_coming()
    cancel_it(auth, client, served.slot.opportunity)
    day = to_local(served.slot.starts_at).date()
    opportunity = served.slot.opportunity
    assert [(o.id, d) for o, d in attendance.waiting([opportunity.group_id], utcnow())] == [(opportunity.id, day)]
    feed = calendars.personal(vera())
    assert feed.count(b"BEGIN:VEVENT") == 1


def test_a_slot_that_has_started_cannot_be_deleted_nor_its_capacity_changed(auth, client, db):
    started = shift("Cook", starts_in=-timedelta(hours=1), capacity=2)
    auth.login(LEO)
    page = client.get(f"/leader/opportunities/{started.opportunity_id}/slots").get_data(as_text=True)
    assert f"/leader/slots/{started.id}/delete" not in page and f"/leader/slots/{started.id}/capacity" not in page
    answer = client.post(f"/leader/slots/{started.id}/delete", headers=HTMX)
    assert "has already started" in answer.get_data(as_text=True)
    assert Slot.get_or_none(Slot.id == started.id) is not None
    answer = client.post(f"/leader/slots/{started.id}/capacity", data={f"slot{started.id}-capacity": "5"})
    assert answer.status_code == 400 and "has already started" in answer.get_data(as_text=True)
    assert Slot.get_by_id(started.id).capacity == 2


def test_a_role_that_past_nights_used_keeps_its_name_and_kind(auth, client, db):
    started = shift("Cook", starts_in=-timedelta(days=2))
    role = Role.get_by_id(started.role_id)
    auth.login(LEO)
    url = f"/leader/groups/{role.group_id}/roles/{role.id}"
    answer = client.post(url, data={"name": "Chef", "default_capacity": "1", "position": str(role.position)})
    assert answer.status_code == 400 and "Slots that have started use this role" in answer.get_data(as_text=True)
    assert Role.get_by_id(role.id).name == "Cook"
    assert (
        client.post(url, data={"name": "Cook", "default_capacity": "3", "position": str(role.position)}).status_code
        == 303
    )
    assert Role.get_by_id(role.id).default_capacity == 3
