"""Calendars: the shift as an .ics with its confirmation and its cancellation, and the feeds.

A feed is a secret address a calendar app polls with no cookie: a volunteer's shifts (and their
family members'), or for a leader one group's whole rota. It lists recent and coming shifts only,
so its cost never grows with the years of history behind it.
"""

from datetime import timedelta, timezone
from email.utils import parseaddr

from flask import current_app
from flask_babel import gettext
from peewee import fn

from . import calendar_links, emails, signed_links
from .db import utcnow, write_transaction
from .models import (
    REGISTERED,
    CalendarFeed,
    EmailAttachment,
    Group,
    Opportunity,
    Organisation,
    Registration,
    RegistrationEvent,
    Role,
    Slot,
    User,
)
from .models.rota import went_ahead
from .permissions import household_ids, leads
from .timeutil import org_zone

FEED_PAST = timedelta(days=31)
FEED_AHEAD = timedelta(days=366)
FEED_LIMIT = 500


# With the e-mails -------------------------------------------------------------------------------


def attach(email, registration, method, made=None):
    """Attach the shift to a queued e-mail: REQUEST puts it in the calendar, CANCEL takes it out.
    `made`: the invitation() made for it before the write lock."""
    if email is None:
        return None
    EmailAttachment.create(email=email, **(made or invitation(registration, method, email.to_addr, email.to_name)))
    return email


def invitation(registration, method, to_addr, to_name="", changes=None):
    """The .ics attachment's fields for one addressee; `changes`: its SEQUENCE, when counted ahead."""
    from icalendar import vCalAddress  # icalendar loads when a calendar is made, not at start-up

    event = calendar_links.event(registration, cancelled=method == "CANCEL", changes=changes)
    org = Organisation.current()
    event.add(
        "organizer",
        vCalAddress(f"mailto:{parseaddr(current_app.config['MAIL_SENDER'])[1]}"),
        parameters={"CN": org.name},
    )
    event.add(
        "attendee",
        vCalAddress(f"mailto:{to_addr}"),
        parameters={"CN": to_name or to_addr, "PARTSTAT": "ACCEPTED", "RSVP": "FALSE"},
    )
    text = calendar_links.calendar([event], method=method).to_ical().decode()
    return dict(
        filename="shift.ics" if method != "CANCEL" else "cancelled-shift.ics",
        content_type=f"text/calendar; method={method}",
        content=text,
    )


# The feeds' addresses ---------------------------------------------------------------------------


def _row(user_id, group_id):
    mine = CalendarFeed.group.is_null() if group_id is None else CalendarFeed.group == group_id
    return CalendarFeed.get_or_none(CalendarFeed.user == user_id, mine)


def feed_url(user, group=None):
    """The secret address of the user's feed (group None: their own shifts)."""
    group_id = getattr(group, "id", group)
    row = _row(user.id, group_id)
    token = signed_links.FEED.make([user.id, group_id, row.generation if row else 0])
    return emails.absolute("volunteer.feed", token=token)


def new_address(user, group=None):
    """ "Make a new address": the old one stops at once."""
    group_id = getattr(group, "id", group)
    with write_transaction():
        row = _row(user.id, group_id)
        if row is None:
            CalendarFeed.create(user=user.id, group=group_id, generation=1)
        else:
            CalendarFeed.update(generation=CalendarFeed.generation + 1, created_at=utcnow()).where(
                CalendarFeed.id == row.id
            ).execute()
    return feed_url(user, group_id)


def feed_from(token):
    """(user, group or None) a token names, while its owner may still read it; None otherwise."""
    try:
        user_id, group_id, generation = signed_links.FEED.read(token)
    except (ValueError, TypeError):  # altered, or not the three a feed's token holds
        return None
    if signed_links.id_in(user_id) is None or (group_id is not None and signed_links.id_in(group_id) is None):
        return None
    row = _row(user_id, group_id)
    user = User.get_or_none(User.id == user_id, User.active == True)
    if user is None or generation != (row.generation if row else 0):
        return None
    if group_id is None:
        return user, None
    group = Group.get_or_none(Group.id == group_id)
    return (user, group) if group is not None and leads(user, group) else None


# The feeds --------------------------------------------------------------------------------------


def _window(query, now):
    return query.where(Slot.starts_at >= now - FEED_PAST, Slot.starts_at < now + FEED_AHEAD, went_ahead())


def personal(user, now=None):
    """The volunteer's registered shifts and their family members', as an .ics calendar."""
    now = now or utcnow()
    regs = (
        _window(
            Registration.select(Registration, Slot, Role, Opportunity, User)
            .join(Slot)
            .join(Role)
            .switch(Slot)
            .join(Opportunity)
            .switch(Registration)
            .join(User, on=Registration.volunteer)
            .where(Registration.volunteer.in_(household_ids(user)), Registration.status == REGISTERED),
            now,
        )
        .order_by(Slot.starts_at)
        .limit(FEED_LIMIT)
    )
    regs, zone, events = list(regs), org_zone(), []
    changes = _changes([reg.id for reg in regs])
    # A feed is shared more widely than an e-mail (a family calendar): its link asks to log in,
    # never the e-mail's "I can't make it" link, which cancels without one.
    portal = emails.absolute("volunteer.registrations")
    for reg in regs:
        more = f"Role: {reg.slot.role.name}"
        if reg.volunteer_id != user.id:
            more = f"{reg.volunteer.name}. {more}"
        if reg.slot.starts_at > now:
            more += f"\nView or Cancel Registration (log in): {portal}"
        events.append(calendar_links.event(reg, zone, more=more, changes=changes.get(reg.id, 0)))
    return calendar_links.calendar(events, name=f"{Organisation.current().short_name}: my shifts").to_ical()


def _changes(registration_ids):
    """{registration id: its SEQUENCE} for a whole feed in one query."""
    return dict(
        RegistrationEvent.select(RegistrationEvent.registration, fn.COUNT(RegistrationEvent.id))
        .where(RegistrationEvent.registration.in_(registration_ids or [0]))
        .group_by(RegistrationEvent.registration)
        .tuples()
    )


def _who(slot_ids):
    """{slot: the names registered}, {slot: when its registrations last changed} (a cancellation too)."""
    names = {}
    for slot_id, first, last in (
        Registration.select(Registration.slot, User.first_name, User.last_name)
        .join(User, on=Registration.volunteer)
        .where(Registration.slot.in_(slot_ids or [0]), Registration.status == REGISTERED)
        .order_by(User.first_name)
        .tuples()
    ):
        names.setdefault(slot_id, []).append(f"{first} {last}".strip())
    changed = dict(
        Registration.select(Registration.slot, fn.MAX(Registration.updated_at))
        .where(Registration.slot.in_(slot_ids or [0]))
        .group_by(Registration.slot)
        .tuples()
    )
    return names, changed


def rota(group, now=None):
    """One group's whole rota, a slot an event: its role and who is registered (no phone numbers)."""
    now = now or utcnow()
    slots = list(
        _window(
            Slot.select(Slot, Role, Opportunity)
            .join(Role)
            .switch(Slot)
            .join(Opportunity)
            .where(Opportunity.group == group.id),
            now,
        )
        .order_by(Slot.starts_at)
        .limit(FEED_LIMIT)
    )
    names, changed = _who([s.id for s in slots])
    from icalendar import Event

    zone, events = org_zone(), []
    for slot in slots:
        who = names.get(slot.id, [])
        event = Event()
        event.add("uid", f"slot-{slot.id}@{calendar_links.domain()}")
        # Its last change, so the same on every fetch until someone offers, is accepted or cancels.
        stamp = max(filter(None, [slot.created_at, changed.get(slot.id)]))
        event.add("dtstamp", stamp.replace(microsecond=0, tzinfo=timezone.utc))
        event.add("dtstart", calendar_links.moment(slot.starts_at, zone))
        event.add("dtend", calendar_links.moment(slot.ends_at, zone))
        event.add("summary", f"{slot.opportunity.name}: {slot.role.name} ({len(who)}/{slot.capacity})")
        event.add("description", "\n".join(who) or "Nobody registered yet")
        event.add("location", " ".join((slot.opportunity.location or group.address or "").split()))
        events.append(event)
    return calendar_links.calendar(events, name=f"{group.name} rota").to_ical()


def describe(group):
    """What the profile page calls a feed."""
    return (
        gettext("Subscribe to my shifts")
        if group is None
        else gettext("Subscribe to the %(name)s rota", name=group.name)
    )
