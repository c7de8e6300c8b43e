""" "Add to Calendar: Google Calendar / iCal / Outlook" for a confirmed slot.

Google and Outlook take the event in the link itself. iCal is a small .ics file served from a
signed link (no login: the volunteer opens it from their email on any device).
"""

from datetime import timezone
from urllib.parse import urlencode

from flask import current_app

from . import signed_links
from .calendar_zones import vtimezone
from .db import utcnow
from .emails import absolute
from .models import RegistrationEvent
from .timeutil import org_zone, to_local


def _event_text(registration):
    slot = registration.slot
    opportunity = slot.opportunity
    title = f"{opportunity.name}: {'Reserve' if slot.role.is_reserve else slot.role.name}"
    location = " ".join((opportunity.location or opportunity.group.address or "").split())
    return title, location, opportunity.description or ""


def google_url(registration):
    slot = registration.slot
    title, location, details = _event_text(registration)
    dates = f"{slot.starts_at:%Y%m%dT%H%M%SZ}/{slot.ends_at:%Y%m%dT%H%M%SZ}"  # stored in UTC
    query = urlencode({"action": "TEMPLATE", "text": title, "dates": dates, "details": details, "location": location})
    return f"https://calendar.google.com/calendar/render?{query}"


def outlook_url(registration):
    slot = registration.slot
    title, location, details = _event_text(registration)
    query = urlencode(
        {
            "path": "/calendar/action/compose",
            "rru": "addevent",
            "subject": title,
            "startdt": f"{slot.starts_at:%Y-%m-%dT%H:%M:%S}Z",
            "enddt": f"{slot.ends_at:%Y-%m-%dT%H:%M:%S}Z",
            "body": details,
            "location": location,
        }
    )
    return f"https://outlook.live.com/calendar/0/deeplink/compose?{query}"


def ical_token(registration):
    return signed_links.ICAL.make(registration.id)


def registration_id_from(token):
    """The registration a signed iCal link names, or None when the link was altered."""
    return signed_links.ICAL.read_id(token)


def ical_url(registration):
    return absolute("volunteer.ical", token=ical_token(registration))


def domain():
    return current_app.config["BASE_URL"].split("//")[-1].split("/")[0] or "cervis.local"


def uid(registration):
    """The same for the iCal link, the e-mail attachment and every feed: a second import updates."""
    return f"registration-{registration.id}@{domain()}"


def sequence(registration):
    """How many times the registration has changed: each change a higher SEQUENCE, so a calendar
    keeps the latest (an Undo and a re-Accept in the same minute included)."""
    return RegistrationEvent.select().where(RegistrationEvent.registration == registration.id).count()


def moment(utc, zone):
    """A time as the organisation's wall clock, or in UTC where that wall time happens twice or
    never (01:30 on a clock-change night): clients disagree on those (ical.js takes the other one)."""
    local = to_local(utc, zone)
    wall = local.replace(tzinfo=None)
    if wall.replace(tzinfo=zone, fold=0).utcoffset() != wall.replace(tzinfo=zone, fold=1).utcoffset():
        return utc.replace(tzinfo=timezone.utc)
    return local


def event(registration, zone=None, cancelled=False, more="", changes=None):
    """One shift as a VEVENT in the organisation's time zone; `more` ends its description.
    `changes`: its SEQUENCE, when the caller counted many at once."""
    slot = registration.slot
    title, location, details = _event_text(registration)
    details = "\n\n".join(filter(None, [details, more]))
    from icalendar import Event  # loaded with the first calendar, not at start-up (a few MB, 25 ms)

    zone = zone or org_zone()
    event = Event()
    event.add("uid", uid(registration))
    # The time of its last change: the same file on every fetch until the shift changes.
    event.add("dtstamp", registration.updated_at.replace(microsecond=0, tzinfo=timezone.utc))
    event.add("dtstart", moment(slot.starts_at, zone))
    event.add("dtend", moment(slot.ends_at, zone))
    event.add("summary", title)
    event.add("sequence", sequence(registration) if changes is None else changes)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if location:
        event.add("location", location)
    if details:
        event.add("description", details)
    return event


def calendar(events, method=None, name=None):
    """A VCALENDAR holding these events, with the VTIMEZONE each one's time zone needs."""
    from icalendar import Calendar, Timezone

    cal = Calendar()
    cal.add("prodid", "-//CERVIS//Rota//EN")
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    for item in events:
        cal.add_component(item)
    years = [item.decoded("dtstart").year for item in events if "dtstart" in item] or [utcnow().year]
    # RFC 5545 3.6: a calendar holds at least one component. With no shift (a leader's feed on
    # a quiet month) the organisation's VTIMEZONE is that component, which every client accepts.
    for tzid in sorted(cal.get_missing_tzids() if events else {org_zone().key}):
        text = vtimezone(tzid, min(years) - 1, max(years) + 1)
        if text is not None:  # a zone we do not know: the times still carry their TZID
            cal.subcomponents.insert(0, Timezone.from_ical(text))
    return cal


def ics(registration):
    """The .ics file for one registration, with a stable UID so a second import updates, not doubles."""
    return calendar([event(registration)]).to_ical()


def links(registration):
    return {"google": google_url(registration), "ical": ical_url(registration), "outlook": outlook_url(registration)}
