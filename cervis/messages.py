"""'Send E-mail to Selected': a leader writes to chosen volunteers, each through the outbox with
the leader's name on it and replies going to the leader. Rate-limited and audit-logged."""

import hashlib
from datetime import datetime, time, timedelta

from . import email_kinds, emails
from .db import utcnow, write_transaction
from .models import REGISTERED, AuditLog, Group, LeaderMessageOptOut, Membership, Registration, Slot, Throttle, User
from .timeutil import org_zone, to_local, to_utc
from .unsubscribe_links import MESSAGES, unsubscribe_url

MESSAGE_WINDOW, MESSAGES_PER_WINDOW = timedelta(hours=1), 10


class TooMany(Exception):
    """The leader has sent MESSAGES_PER_WINDOW messages in the last hour."""


def group_members(group, ids):
    """Of these ids, the group's active members, by name."""
    return list(
        User.select()
        .join(Membership, on=(Membership.user == User.id))
        .where(Membership.group == group.id, User.id.in_(ids or [0]), User.active == True)
        .order_by(User.first_name, User.last_name, User.id)
    )


def registered_on(opportunity, day):
    """Everyone active registered for one of the opportunity's slots on this local date."""
    zone = org_zone()
    start = to_utc(datetime.combine(day, time()), zone)
    end = to_utc(datetime.combine(day + timedelta(days=1), time()), zone)
    return list(
        User.select()
        .join(Registration, on=(Registration.volunteer == User.id))
        .join(Slot)
        .where(
            Slot.opportunity == opportunity.id,
            Slot.starts_at >= start,
            Slot.starts_at < end,
            Registration.status == REGISTERED,
            User.active == True,
        )
        .distinct()
        .order_by(User.first_name, User.last_name, User.id)
    )


def _stopped(about):
    """Who stopped these messages: a group's members' readers who unsubscribed from its leaders'
    messages. Nobody, for a message to those registered on a date: it is about their own shift."""
    if not isinstance(about, Group):
        return set()
    return {
        u
        for (u,) in LeaderMessageOptOut.select(LeaderMessageOptOut.user)
        .where(LeaderMessageOptOut.group == about.id)
        .tuples()
    }


def stopped(about, people):
    """Of these volunteers, those whose reader will not get the message (the compose page says so)."""
    ids = _stopped(about)
    return [person for person in people if (person.inbox or person).id in ids]


def _to_members(about, readers):
    """A message to a group's members is bulk mail: each reader's one-click link, and none to a reader
    who stopped that group's messages."""
    if not isinstance(about, Group):
        return {reader.id: {} for reader in readers}
    stopped = _stopped(about)
    profile = emails.absolute("volunteer.profile", _anchor="announcements")
    return {
        reader.id: dict(
            unsubscribe_link=unsubscribe_url(reader.id, about.id, MESSAGES), group=about, profile_link=profile
        )
        for reader in readers
        if reader.id not in stopped
    }


def send(leader, volunteers, subject, message, about, now=None):
    """One email per reader (a parent reads once for the family); returns how many were queued.
    The same message to the same person twice in a day (a double click) is queued once."""
    now = now or utcnow()
    key = f"leader-message:{leader.id}"
    digest = hashlib.sha256(f"{subject}\n{message}\n{to_local(now, org_zone()):%Y-%m-%d}".encode()).hexdigest()[:16]
    readers = {reader.id: reader for reader in filter(None, (v.inbox for v in volunteers))}
    with write_transaction():
        links = _to_members(about, readers.values())
        if Throttle.count(key, MESSAGE_WINDOW) >= MESSAGES_PER_WINDOW:
            raise TooMany()
        Throttle.hit(key)
        queued = [
            reader
            for reader in readers.values()
            if reader.id in links
            and email_kinds.leader_message(
                f"leader-message:{leader.id}:{digest}:{reader.id}",
                reader,
                leader,
                subject,
                message,
                about,
                links[reader.id],
            )
        ]
        AuditLog.record(
            leader,
            "message.send",
            about,
            after={
                "subject": subject,
                "to": sorted(r.id for r in queued),
                "selected": sorted(v.id for v in volunteers),
            },
        )
    return len(queued)
