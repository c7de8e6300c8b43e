""""Add to Calendar: Google Calendar / iCal / Outlook" for a confirmed slot.

Google and Outlook take the event in the link itself. iCal is a small .ics file served from a
signed link (no login: the volunteer opens it from their email on any device).
"""
from datetime import date, timezone
from functools import lru_cache
from urllib.parse import urlencode

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from .db import utcnow
from .timeutil import org_zone, to_local

SALT = "ical-registration"
EPOCH_MINUTES = 26_800_000  # 2020-12-14: keeps SEQUENCE a small number


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
    query = urlencode({"action": "TEMPLATE", "text": title, "dates": dates, "details": details,
                       "location": location})
    return f"https://calendar.google.com/calendar/render?{query}"


def outlook_url(registration):
    slot = registration.slot
    title, location, details = _event_text(registration)
    query = urlencode({"path": "/calendar/action/compose", "rru": "addevent", "subject": title,
                       "startdt": f"{slot.starts_at:%Y-%m-%dT%H:%M:%S}Z",
                       "enddt": f"{slot.ends_at:%Y-%m-%dT%H:%M:%S}Z", "body": details, "location": location})
    return f"https://outlook.live.com/calendar/0/deeplink/compose?{query}"


def _serializer():
    return URLSafeSerializer(current_app.secret_key, salt=SALT)


def ical_token(registration):
    return _serializer().dumps(registration.id)


def registration_id_from(token):
    """The registration a signed iCal link names, or None when the link was altered."""
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None


def ical_url(registration):
    from .emails import absolute

    return absolute("volunteer.ical", token=ical_token(registration))


def domain():
    return current_app.config["BASE_URL"].split("//")[-1].split("/")[0] or "cervis.local"


def uid(registration):
    """The same for the iCal link, the e-mail attachment and every feed: a second import updates."""
    return f"registration-{registration.id}@{domain()}"


def event(registration, zone=None, cancelled=False, more=""):
    """One shift as a VEVENT in the organisation's time zone; `more` ends its description."""
    slot = registration.slot
    title, location, details = _event_text(registration)
    details = "\n\n".join(filter(None, [details, more]))
    from icalendar import Event  # loaded with the first calendar, not at start-up (a few MB, 25 ms)

    zone = zone or org_zone()
    event = Event()
    event.add("uid", uid(registration))
    event.add("dtstamp", utcnow().replace(tzinfo=timezone.utc))
    event.add("dtstart", to_local(slot.starts_at, zone))
    event.add("dtend", to_local(slot.ends_at, zone))
    event.add("summary", title)
    # Later changes win in a calendar: the cancellation (made later) replaces the invitation.
    event.add("sequence", int(registration.updated_at.replace(tzinfo=timezone.utc).timestamp() // 60) - EPOCH_MINUTES)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if location:
        event.add("location", location)
    if details:
        event.add("description", details)
    return event


def calendar(events, method=None, name=None):
    """A VCALENDAR holding these events, with the VTIMEZONE each one's time zone needs."""
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", "-//CERVIS//Rota//EN")
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    for item in events:
        cal.add_component(item)
    years = [item.decoded("dtstart").year for item in events if "dtstart" in item]
    for tzid in sorted(cal.get_missing_tzids()):
        zone = _vtimezone(tzid, min(years) - 1, max(years) + 1)
        if zone is not None:
            cal.subcomponents.insert(0, zone)
    return cal


@lru_cache(maxsize=32)
def _vtimezone(tzid, first_year, last_year):
    """The zone's rules for the years around the events only, made once a process: icalendar's
    default span (decades of clock changes) made every shift's .ics 2.8 KB and 4 ms of CPU; 0.7 KB
    and 0.4 ms now."""
    from icalendar import Timezone

    try:
        return Timezone.from_tzid(tzid, first_date=date(first_year, 1, 1), last_date=date(last_year, 12, 31))
    except ValueError:
        return None  # a zone icalendar does not know: the times still carry their TZID


def ics(registration):
    """The .ics file for one registration, with a stable UID so a second import updates, not doubles."""
    return calendar([event(registration)]).to_ical()


def links(registration):
    return {"google": google_url(registration), "ical": ical_url(registration),
            "outlook": outlook_url(registration)}
