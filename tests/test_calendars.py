"""Calendars: the shift as an .ics with its confirmation, a cancellation's update, and the feeds.
Every file is parsed back with icalendar."""

import email
from datetime import datetime, timedelta, timezone
from pathlib import Path

from helpers_rota import ZONE, member, night, offer, user
from icalendar import Calendar

from cervis import calendars, cancellation, outbox, rota
from cervis.db import utcnow
from cervis.timeutil import to_utc
from cervis.models import PENDING, REGISTERED, Email, EmailAttachment, Group, Membership, Slot, User
from helpers_registrations import register, shift

LEO = "leo@example.org"


def sent_calendar(app, kind):
    """The text/calendar part of the last e-mail of this kind, as delivered, parsed back."""
    the = Email.select().where(Email.kind == kind).order_by(Email.id.desc()).get()
    outbox.send_due(utcnow() + timedelta(hours=1))
    path = next(Path(app.config["OUTBOX_DIR"]).glob(f"{the.id:08d}-*.eml"))
    message = email.message_from_bytes(path.read_bytes())
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    assert part.get_filename().endswith(".ics")
    return Calendar.from_ical(part.get_payload(decode=True)), part.get_param("method")


def only_event(cal):
    events = cal.walk("VEVENT")
    assert len(events) == 1
    return events[0]


def test_the_confirmation_carries_the_shift_as_an_ics_invitation(app, db):
    reg = offer(user("vera@example.org"), night(5, "Cook"))
    rota.accept(reg.id, user(LEO))
    cal, method = sent_calendar(app, "confirmation")
    event = only_event(cal)
    assert method == "REQUEST" and str(cal["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == f"registration-{reg.id}@localhost"
    assert str(event["SUMMARY"]) == "Northside Night Shelter: Cook"
    assert event.decoded("DTSTART").hour == 18 and event["DTSTART"].params["TZID"] == "Europe/London"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    assert "vera@example.org" in str(event["ATTENDEE"])


def test_cancelling_or_removing_sends_a_cancel_update_with_the_same_uid(app, db):
    vera = user("vera@example.org")
    first, second = offer(vera, night(5, "Cook")), offer(vera, night(6, "Cook"))
    for reg in (first, second):
        rota.accept(reg.id, user(LEO))
    confirmed = only_event(sent_calendar(app, "confirmation")[0])
    cancellation.cancel([second.id], by=vera, now=utcnow() + timedelta(minutes=5))
    cal, method = sent_calendar(app, "registration-cancelled")
    event = only_event(cal)
    assert method == "CANCEL" and str(event["UID"]) == str(confirmed["UID"]) and str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] > confirmed["SEQUENCE"]
    rota.remove(first.id, user(LEO), "Rota changed")
    cal, method = sent_calendar(app, "removed")
    assert method == "CANCEL" and str(only_event(cal)["UID"]) == f"registration-{first.id}@localhost"


def test_my_feed_lists_my_and_my_familys_registered_shifts_without_a_cookie(app, auth, client, db):
    vera = user("vera@example.org")
    fin = User.create(first_name="Fin", last_name="Volunteer", family_of=vera)
    mine, family = register(vera, shift("Cook")), register(fin, shift("Shift Asst", starts_in=timedelta(days=3)))
    register(vera, shift("Cook", starts_in=timedelta(days=12)), PENDING)  # not registered: not listed
    register(vera, shift("Cook", starts_in=-timedelta(days=60)))  # long past: not listed
    auth.login()
    page = client.get("/portal/profile").get_data(as_text=True)
    assert "Subscribe to my shifts" in page and "Make a new address" in page
    address = calendars.feed_url(vera)
    assert address.startswith("http://localhost/portal/feed/") and address in page
    response = app.test_client().get(address.removeprefix("http://localhost"))
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert "Set-Cookie" not in response.headers
    cal = Calendar.from_ical(response.get_data())
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {f"registration-{mine.id}@localhost", f"registration-{family.id}@localhost"}
    assert cal.walk("VTIMEZONE") and "Fin Volunteer" in str(
        events[f"registration-{family.id}@localhost"]["DESCRIPTION"]
    )
    assert "View or Cancel Registration (log in): http://localhost/portal/registrations" in str(
        events[f"registration-{mine.id}@localhost"]["DESCRIPTION"]
    )
    assert str(events[f"registration-{mine.id}@localhost"]["LOCATION"]) == "1 North Street"


def test_make_a_new_address_stops_the_old_one_at_once(app, auth, client, db):
    vera = user("vera@example.org")
    old = calendars.feed_url(vera).removeprefix("http://localhost")
    auth.login()
    answer = client.post("/portal/feed/new", headers={"HX-Request": "true"})
    assert "A new address is ready" in answer.get_data(as_text=True)
    new = calendars.feed_url(vera).removeprefix("http://localhost")
    assert new != old and client.get(old).status_code == 404 and client.get(new).status_code == 200
    assert client.get("/portal/feed/forged.ics").status_code == 404


def test_a_leader_gets_the_groups_whole_rota_with_names_and_roles_but_no_phones(app, auth, client, db):
    leo, rex = user(LEO), member("Rex", mobile="07700 900999")
    cook = shift("Cook", capacity=1)
    offer(rex, cook, REGISTERED)
    offer(member("Pam"), cook, PENDING)
    shift("Shift Asst", starts_in=timedelta(days=11))
    auth.login(LEO)
    assert "Subscribe to the Northside rota" in client.get("/portal/profile").get_data(as_text=True)
    feed = calendars.feed_url(leo, cook.opportunity.group).removeprefix("http://localhost")
    text = app.test_client().get(feed).get_data()
    events = {str(e["SUMMARY"]): e for e in Calendar.from_ical(text).walk("VEVENT")}
    assert set(events) == {"Northside Night Shelter: Cook (1/1)", "Northside Night Shelter: Shift Asst (0/2)"}
    assert str(events["Northside Night Shelter: Cook (1/1)"]["DESCRIPTION"]) == "Rex Member"
    assert b"07700" not in text and b"Pam" not in text
    Membership.update(is_leader=False).where(Membership.user == leo).execute()
    assert app.test_client().get(feed).status_code == 404


def test_a_volunteer_cannot_make_a_feed_for_a_group_they_do_not_lead(auth, client, db):
    auth.login()
    assert client.post("/portal/feed/new", data={"group": Slot.select().count() or 1}).status_code == 403


def test_a_night_across_the_spring_clock_change_keeps_its_local_times_in_the_feed(app, db):
    vera = user("vera@example.org")
    cook = shift("Cook")
    start = to_utc(datetime(2027, 3, 27, 20), ZONE)  # Saturday 8 PM GMT; the clocks go forward at 1 AM
    Slot.update(starts_at=start, ends_at=to_utc(datetime(2027, 3, 28, 8), ZONE)).where(Slot.id == cook.id).execute()
    register(vera, cook)
    with app.test_request_context():
        event = only_event(Calendar.from_ical(calendars.personal(vera, now=datetime(2027, 3, 1))))
    assert (event.decoded("DTSTART").hour, event.decoded("DTEND").hour) == (20, 8)
    real = [event.decoded(name).astimezone(timezone.utc) for name in ("DTSTART", "DTEND")]
    assert real[1] - real[0] == timedelta(hours=11)  # an hour shorter: the clocks went forward


def test_no_feed_event_carries_a_link_that_cancels_without_logging_in(app, db):
    """A feed is shared more widely than an e-mail (a family calendar): no cancel token in it."""
    vera = user("vera@example.org")
    fin = User.create(first_name="Fin", last_name="Volunteer", family_of=vera)
    regs = [register(vera, shift("Cook")), register(fin, shift("Shift Asst", starts_in=timedelta(days=3)))]
    feed = app.test_client().get(calendars.feed_url(vera).removeprefix("http://localhost")).get_data(as_text=True)
    with app.test_request_context():
        tokens = [cancellation.cancel_url(r).rsplit("/", 1)[-1] for r in regs]
    assert "/portal/cancel/" not in feed and not any(token in feed for token in tokens)
    assert "I can't make it" not in feed


def test_undo_and_accept_again_within_a_minute_give_each_file_a_higher_sequence(app, db):
    vera, leo = user("vera@example.org"), user(LEO)
    reg = offer(vera, night(5, "Cook"))
    now = utcnow()
    rota.accept(reg.id, leo, now=now)
    outbox.send_due(now + timedelta(hours=1))
    rota.undo(reg.id, leo, now=now + timedelta(seconds=20))
    rota.accept(reg.id, leo, now=now + timedelta(seconds=40))
    files = [Calendar.from_ical(a.content) for a in EmailAttachment.select().order_by(EmailAttachment.id)]
    assert [str(f["METHOD"]) for f in files] == ["REQUEST", "CANCEL", "REQUEST"]
    events = [only_event(f) for f in files]
    sequences = [int(e["SEQUENCE"]) for e in events]
    assert sequences == sorted(set(sequences)), sequences
    assert len({e.decoded("DTSTAMP") for e in events}) == 3


def test_a_leaders_empty_rota_feed_is_a_valid_calendar(app, db):
    """RFC 5545 3.6: at least one component, even with no shift to list."""
    from helpers_calendar import install_icaljs, read_with_icaljs

    leo = user(LEO)
    group = Group.get(Group.name == "Northside")
    text = app.test_client().get(calendars.feed_url(leo, group).removeprefix("http://localhost")).get_data(as_text=True)
    cal = Calendar.from_ical(text)
    assert cal.walk("VEVENT") == [] and cal.subcomponents, text
    install_icaljs()
    assert read_with_icaljs([text]) == [[]]


def test_a_calendar_polling_an_unchanged_feed_is_told_304_and_a_change_gives_a_new_etag(app, db):
    vera = user("vera@example.org")
    reg = register(vera, shift("Cook"))
    address, client = calendars.feed_url(vera).removeprefix("http://localhost"), app.test_client()
    first = client.get(address)
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    again = client.get(address)
    assert again.get_data() == first.get_data() and again.headers["ETag"] == etag  # DTSTAMP unchanged
    assert client.get(address, headers={"If-None-Match": etag}).status_code == 304
    cancellation.cancel([reg.id], by=vera, now=utcnow())
    changed = client.get(address, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_the_rota_feeds_dtstamp_moves_when_someone_is_accepted_and_only_then(app, db):
    leo, rex = user(LEO), member("Rex")
    cook = shift("Cook", capacity=1)
    reg = offer(rex, cook)
    address, client = (
        calendars.feed_url(leo, cook.opportunity.group).removeprefix("http://localhost"),
        app.test_client(),
    )
    before = only_event(Calendar.from_ical(client.get(address).get_data())).decoded("DTSTAMP")
    assert only_event(Calendar.from_ical(client.get(address).get_data())).decoded("DTSTAMP") == before
    rota.accept(reg.id, leo, now=utcnow() + timedelta(minutes=2))
    after = only_event(Calendar.from_ical(client.get(address).get_data())).decoded("DTSTAMP")
    assert after > before
