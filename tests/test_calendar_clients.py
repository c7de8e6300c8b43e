"""Every feed and every .ics file read the same way by Mozilla's ical.js and by Python's icalendar
(each with the file's own VTIMEZONE): each shift's UTC start and end are zoneinfo's, across both
clock-change weekends, nights spanning the change included, whatever zone the charity chooses."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import g
from helpers_calendar import clock_changes, install_icaljs, read_with_icaljs, read_with_icalendar, unix
from helpers_rota import LEO, offer, user
from icalendar import Calendar

from cervis import calendar_links, calendars, cancellation, outbox, rota
from cervis.db import utcnow
from cervis.models import REGISTERED, EmailAttachment, Group, Opportunity, Organisation, Role, Slot
from cervis.timeutil import to_utc

YEAR = utcnow().year + 1  # both of next year's clock changes are inside the feed's window
ZONES = [
    "Europe/London",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Asia/Jerusalem",
    "America/Santiago",
    "Africa/Casablanca",
]


@pytest.fixture(scope="session", autouse=True)
def icaljs():
    install_icaljs()


def choose_zone(name):
    Organisation.update(timezone=name).execute()
    g.pop("org_zone", None)
    g.pop("org", None)


def slot_at(role, start, end, zone):
    opp, _ = Opportunity.get_or_create(group=Group.get(Group.name == "Northside"), name="Northside Night Shelter")
    return Slot.create(
        opportunity=opp,
        role=Role.get(Role.group == opp.group, Role.name == role),
        starts_at=to_utc(start, zone),
        ends_at=to_utc(end, zone),
        capacity=3,
    )


def nights_around_the_changes(zone):
    """A night shift across each clock change, one starting at a wall time the change repeats or
    skips, an evening on the day itself, and a winter and a summer evening."""
    times = [
        (datetime(YEAR, 1, 15, 18), datetime(YEAR, 1, 15, 21)),
        (datetime(YEAR, 6, 15, 18), datetime(YEAR, 6, 15, 21)),
    ]
    for day in clock_changes(zone, YEAR):
        night = datetime(day.year, day.month, day.day) - timedelta(hours=4)
        times += [
            (night, night + timedelta(hours=12)),
            (night + timedelta(hours=22), night + timedelta(hours=25)),
            (night + timedelta(hours=5, minutes=30), night + timedelta(hours=9)),
        ]  # from 01:30, twice or never
    return times


def expected(slots):
    return {f"slot-{s.id}": (unix(s.starts_at), unix(s.ends_at)) for s in slots}


def keyed(events, registrations):
    """{slot-N: (start, end)} from a reader's events (registration UIDs turned into their slot's)."""
    slot_of = {calendar_links.uid(r): f"slot-{r.slot_id}" for r in registrations}
    return {slot_of.get(e["uid"], e["uid"].split("@")[0]): (e["start"], e["end"]) for e in events}


def test_every_feed_and_ics_file_gives_zoneinfos_times_in_both_readers_in_every_zone(app, db):
    vera, _ = user("vera@example.org"), user(LEO)
    files = []  # (text, registrations it may name, {slot: (start, end)})
    for name in ZONES:
        choose_zone(name)
        zone = ZoneInfo(name)
        slots = [slot_at("Shift Asst", start, end, zone) for start, end in nights_around_the_changes(zone)]
        regs = [offer(vera, slot, REGISTERED) for slot in slots]
        with app.test_request_context():
            files.append((calendars.personal(vera).decode(), regs, expected(slots)))
            files.append((calendars.rota(slots[0].opportunity.group).decode(), regs, expected(slots)))
            files += [(calendar_links.ics(r).decode(), regs, expected([r.slot])) for r in regs]
        Slot.delete().where(Slot.id.in_([s.id for s in slots])).execute()
    from_icaljs = read_with_icaljs([text for text, _, _ in files])
    for (text, regs, want), js in zip(files, from_icaljs):
        assert keyed(js, regs) == want, text
        assert keyed(read_with_icalendar(text), regs) == want, text


def test_every_attachment_accept_call_up_undo_and_cancel_gives_zoneinfos_times(app, db):
    vera, leo, zone = user("vera@example.org"), user(LEO), ZoneInfo("Europe/London")
    spring, autumn = clock_changes(zone, YEAR)
    night = datetime(spring.year, spring.month, spring.day) - timedelta(hours=4)
    cook = slot_at("Cook", night, night + timedelta(hours=12), zone)
    reserve = slot_at("Reserve", night, night + timedelta(hours=12), zone)
    late = datetime(autumn.year, autumn.month, autumn.day) - timedelta(hours=4)
    asst = slot_at("Shift Asst", late, late + timedelta(hours=12), zone)
    first, second = offer(vera, reserve), offer(vera, asst)
    for reg in (first, second):
        rota.accept(reg.id, leo)
    outbox.send_due(utcnow() + timedelta(hours=1))
    rota.undo(second.id, leo)  # after the confirmation went: the change of plan takes it out
    rota.accept(second.id, leo)
    called = rota.call_up(first.id, cook.id, leo)
    cancellation.cancel([called.id], by=vera, now=utcnow() + timedelta(minutes=5))
    rota.remove(second.id, leo, "Rota changed")
    sent = list(EmailAttachment.select().order_by(EmailAttachment.id))
    assert [a.content_type.split("=")[1] for a in sent] == [
        "REQUEST",
        "REQUEST",
        "CANCEL",
        "REQUEST",
        "REQUEST",
        "CANCEL",
        "CANCEL",
    ]
    regs, want = [first, second, called], expected([cook, reserve, asst])
    for attachment, js in zip(sent, read_with_icaljs([a.content for a in sent])):
        ((uid, times),) = keyed(js, regs).items()
        assert times == want[uid] and keyed(read_with_icalendar(attachment.content), regs) == {uid: times}


def test_london_springs_forward_at_one_in_the_morning_in_every_file(app, db):
    choose_zone("Europe/London")
    reg = offer(
        user("vera@example.org"),
        slot_at("Cook", datetime(2027, 6, 1, 18), datetime(2027, 6, 1, 21), ZoneInfo("Europe/London")),
        REGISTERED,
    )
    text = calendar_links.ics(reg).decode()
    daylight = Calendar.from_ical(text).walk("DAYLIGHT")
    assert len(daylight) == 1 and "RDATE" not in daylight[0]
    assert daylight[0].decoded("DTSTART").replace(tzinfo=None) == datetime(2026, 3, 29, 1)  # 1 AM GMT
    assert str(daylight[0]["TZOFFSETFROM"].to_ical()) == "+0000" and "BYDAY=-1SU" in text
