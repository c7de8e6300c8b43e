"""The guide's "Next Steps": the confirmation email, its undo window, and the rota's other emails."""

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from helpers_rota import LEO, YEAR, act, fresh, night, offer, user

from cervis import outbox
from cervis.calendar_links import ical_token
from cervis.cancellation import cancel_url
from cervis.db import utcnow
from cervis.models import CANCELLED, PENDING, REGISTERED, Email, Registration, User
from cervis.models.mail import QUEUED, SENT, WITHDRAWN

WHEN = f"Sat, Feb 5, {YEAR} - 6:00 PM to 9:00 PM"


def vera():
    return user("vera@example.org")


def accepted(auth, client, role="Cook", volunteer=None):
    reg = offer(volunteer or vera(), night(5, role))
    auth.login(LEO)
    act(client, "accept", reg)
    return fresh(reg)


def the(kind):
    return Email.get(Email.kind == kind)


def test_confirmation_email_keeps_the_guides_words(app, auth, client, db):
    reg = accepted(auth, client, "Cook")
    email = the("confirmation")
    body = email.body_text
    for words in (
        "Vera,",
        "Thank you for volunteering to serve with Wycombe Example Connection.",
        "This email is to confirm that we have taken up your offer to serve at the event detailed below, "
        "and you are now registered for this event. We are now counting on you to be there, to be part "
        "of the team for that date...",
        "...unless it shows below that you are registered as a Reserve; then if you are needed I will send "
        "you another email nearer the time that will show the actual role we need you for.",
        "If you need to cancel your registration for any reason, you can use the link below.",
        "Event Name: Northside Night Shelter",
        f"Event Date/Time: {WHEN}",
        "Add to Calendar: Google Calendar / iCal / Outlook",
        "Additional Event Details: Cook",
        "Cancellation: If you are no longer able to participate in this slot, please click here to cancel "
        "your registration: Cancel Registration",
        "Meeting Location:\nThe HUB\nEaston Street, High Wycombe HP11 1NJ",
        "Leo Leader",
        "leo@example.org",
    ):
        assert words in body
    with app.test_request_context():
        assert cancel_url(reg) in body
    assert (
        '<a href="http://localhost/portal/cancel/' in email.body_html and ">Cancel Registration</a>" in email.body_html
    )
    assert ">Google Calendar</a> / <a" in email.body_html and ">Outlook</a>" in email.body_html
    assert email.subject == f"Registration Confirmation: Northside Night Shelter - {WHEN}"
    assert (email.subject_type, email.subject_id) == ("Registration", reg.id)


def test_a_reply_to_the_confirmation_reaches_the_leader_who_signs_it(app, auth, client, db):
    from cervis.models import Organisation
    from cervis.outbox import build_message

    accepted(auth, client, "Cook")
    email = the("confirmation")
    assert (email.from_name, email.reply_to) == ("Leo Leader", "leo@example.org")
    built = build_message(email, Organisation.current())
    assert built["Reply-To"] == "Leo Leader <leo@example.org>"


def test_a_reserve_confirmation_says_reserve(auth, client, db):
    accepted(auth, client, "Reserve")
    assert "Additional Event Details: Reserve" in the("confirmation").body_text


def test_confirmation_waits_out_the_undo_window_then_goes(auth, client, db):
    before = utcnow()
    accepted(auth, client)
    email = the("confirmation")
    assert before + timedelta(minutes=10) <= email.send_after <= utcnow() + timedelta(minutes=10)
    assert outbox.send_due(utcnow()) == 0
    assert outbox.send_due(utcnow() + timedelta(minutes=11)) == 1
    assert Email.get_by_id(email.id).status == SENT


def test_the_undo_window_is_a_setting(app, auth, client, db):
    app.config["CONFIRMATION_UNDO_MINUTES"] = 2
    accepted(auth, client)
    assert the("confirmation").send_after <= utcnow() + timedelta(minutes=2)


def test_undo_inside_the_window_withdraws_the_confirmation_and_nothing_is_sent(auth, client, db):
    reg = accepted(auth, client)
    response = act(client, "undo", reg, htmx=True)
    assert "The email waiting to go was withdrawn: nothing was sent." in response.get_data(as_text=True)
    assert the("confirmation").status == WITHDRAWN
    assert outbox.send_due(utcnow() + timedelta(hours=1)) == 0
    assert fresh(reg).status == PENDING
    assert Email.select().count() == 1  # no "change of plan": the volunteer never heard


def test_undo_after_the_confirmation_went_sends_a_change_of_plan(auth, client, db):
    reg = accepted(auth, client)
    outbox.send_due(utcnow() + timedelta(minutes=11))
    response = act(client, "undo", reg, htmx=True)
    assert "the volunteer is emailed a change of plan" in response.get_data(as_text=True)
    assert fresh(reg).status == PENDING
    assert the("confirmation").status == SENT
    change = the("confirmation-withdrawn")
    assert change.subject == f"Change of plan: Northside Night Shelter - {WHEN}"
    assert "please disregard the confirmation we sent you" in change.body_text
    assert "your offer is pending again" in change.body_text
    assert Email.select().where(Email.kind == "confirmation").count() == 1  # nothing new to confirm


def test_accepting_again_after_an_undo_queues_a_fresh_confirmation(auth, client, db):
    reg = accepted(auth, client)
    act(client, "undo", reg)
    act(client, "accept", reg)
    statuses = [e.status for e in Email.select().where(Email.kind == "confirmation").order_by(Email.id)]
    assert statuses == [WITHDRAWN, QUEUED]


def test_not_required_email_waits_and_an_undo_withdraws_it(auth, client, db):
    reg = offer(vera(), night(5, "Shift Asst"))
    auth.login(LEO)
    act(client, "not-required", reg)
    email = the("not-required")
    assert "Thank you for your offer, but you won't be required for this particular shift:" in email.body_text
    assert email.send_after > utcnow() + timedelta(minutes=5)
    act(client, "undo", reg)
    assert the("not-required").status == WITHDRAWN
    assert outbox.send_due(utcnow() + timedelta(hours=1)) == 0


def test_calling_up_a_reserve_sends_you_are_now_needed_as_role(auth, client, db):
    reserve = offer(vera(), night(5, "Reserve"), status=REGISTERED)
    cook = night(5, "Cook")
    auth.login(LEO)
    act(client, "call-up", reserve, slot_id=cook.id)
    email = the("called-up")
    assert email.subject == f"You are now needed as Cook: Northside Night Shelter - {WHEN}"
    assert "you are now needed as Cook" in email.body_text
    assert "Additional Event Details: Cook" in email.body_text and "Cancel Registration" in email.body_text
    assert email.send_after <= utcnow()
    assert outbox.send_due(utcnow()) == 1


def test_calling_up_withdraws_the_reserves_unsent_confirmation(auth, client, db):
    reg = accepted(auth, client, "Reserve")
    act(client, "call-up", reg, slot_id=night(5, "Cook").id)
    assert the("confirmation").status == WITHDRAWN
    assert the("called-up").status == QUEUED


def test_removing_a_volunteer_emails_them_the_reason(auth, client, db):
    reg = accepted(auth, client)
    act(client, "remove", reg, **{f"remove-{reg.id}-reason": "The shelter is closed that night"})
    assert the("confirmation").status == WITHDRAWN
    email = the("removed")
    assert email.to_addr == "vera@example.org"
    assert "Reason: The shelter is closed that night" in email.body_text
    assert "you are no longer registered for it" in email.body_text


def test_a_family_members_confirmation_goes_to_their_parent(auth, client, db):
    fin = User.create(first_name="Fin", last_name="Volunteer", family_of=vera())
    accepted(auth, client, volunteer=fin)
    email = the("confirmation")
    assert email.to_addr == "vera@example.org"
    assert "This email is about Fin Volunteer's registration." in email.body_text


def test_ical_link_gives_the_shift_to_a_calendar_without_logging_in(app, auth, client, db):
    reg = accepted(auth, client)
    link = next(line.strip() for line in the("confirmation").body_text.splitlines() if "iCal: " in line)
    auth.logout()
    response = client.get(urlparse(link.split("iCal: ")[1]).path)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    text = response.get_data(as_text=True)
    assert "BEGIN:VEVENT" in text and "SUMMARY:Northside Night Shelter: Cook" in text
    assert (
        f"DTSTART;TZID=Europe/London:{YEAR}0205T180000" in text
        and "BEGIN:VTIMEZONE" in text
        and f"UID:registration-{reg.id}@localhost" in text
    )


def test_ical_link_refuses_a_changed_token_or_a_cancelled_registration(app, client, db):
    reg = offer(vera(), night(5, "Cook"), status=REGISTERED)
    with app.test_request_context():
        token = ical_token(reg)
    assert client.get(f"/portal/calendar/{token}x.ics").status_code == 404
    Registration.update(status=CANCELLED).where(Registration.id == reg.id).execute()
    assert client.get(f"/portal/calendar/{token}.ics").status_code == 404


@pytest.mark.parametrize("calendar", ["Google Calendar", "Outlook"])
def test_google_and_outlook_links_carry_the_shift_in_utc(auth, client, db, calendar):
    accepted(auth, client)
    link = next(
        line.split(": ", 1)[1]
        for line in the("confirmation").body_text.splitlines()
        if line.strip().startswith(calendar + ":")
    )
    query = parse_qs(urlparse(link).query)
    if calendar == "Google Calendar":
        assert query["dates"] == [f"{YEAR}0205T180000Z/{YEAR}0205T210000Z"]
        assert query["text"] == ["Northside Night Shelter: Cook"]
    else:
        assert query["startdt"] == [f"{YEAR}-02-05T18:00:00Z"] and query["subject"] == ["Northside Night Shelter: Cook"]
    assert "The HUB Easton Street" in query["location"][0]


def test_the_cancel_link_in_the_confirmation_opens_the_cancel_page(auth, client, db):
    accepted(auth, client)
    link = next(line for line in the("confirmation").body_text.splitlines() if "/portal/cancel/" in line)
    auth.logout()
    assert client.get(urlparse(link.strip()).path).status_code == 200


def test_a_second_undo_inside_the_window_sends_no_second_change_of_plan(auth, client, db):
    reg = accepted(auth, client)
    outbox.send_due(utcnow() + timedelta(minutes=11))
    act(client, "undo", reg)
    act(client, "accept", reg)
    act(client, "undo", reg)
    assert Email.select().where(Email.kind == "confirmation-withdrawn").count() == 1
    assert [e.status for e in Email.select().where(Email.kind == "confirmation").order_by(Email.id)] == [
        SENT,
        WITHDRAWN,
    ]
