"""'Send E-mail to Selected': a leader writes to chosen volunteers, each through the outbox with
the leader's name on it and replies going to the leader. Rate-limited and audit-logged."""
import hashlib
from datetime import datetime, time, timedelta

from . import emails
from .db import utcnow, write_transaction
from .models import REGISTERED, AuditLog, Membership, Registration, Slot, Throttle, User
from .timeutil import org_zone, to_local, to_utc

MESSAGE_WINDOW, MESSAGES_PER_WINDOW = timedelta(hours=1), 10


class TooMany(Exception):
    """The leader has sent MESSAGES_PER_WINDOW messages in the last hour."""


def group_members(group, ids):
    """Of these ids, the group's members, by name."""
    return list(User.select().join(Membership, on=(Membership.user == User.id))
                .where(Membership.group == group.id, User.id.in_(ids or [0]))
                .order_by(User.first_name, User.last_name, User.id))


def registered_on(opportunity, day):
    """Everyone registered for one of the opportunity's slots on this local date."""
    zone = org_zone()
    start = to_utc(datetime.combine(day, time()), zone)
    end = to_utc(datetime.combine(day + timedelta(days=1), time()), zone)
    return list(User.select().join(Registration, on=(Registration.volunteer == User.id)).join(Slot)
                .where(Slot.opportunity == opportunity.id, Slot.starts_at >= start, Slot.starts_at < end,
                       Registration.status == REGISTERED)
                .distinct().order_by(User.first_name, User.last_name, User.id))


def send(leader, volunteers, subject, message, about, now=None):
    """One email per reader (a parent reads once for the family); returns how many were queued.
    The same message to the same person twice in a day (a double click) is queued once."""
    now = now or utcnow()
    key = f"leader-message:{leader.id}"
    digest = hashlib.sha256(f"{subject}\n{message}\n{to_local(now, org_zone()):%Y-%m-%d}".encode()).hexdigest()[:16]
    readers = {reader.id: reader for reader in filter(None, (v.inbox for v in volunteers))}
    with write_transaction():
        if Throttle.count(key, MESSAGE_WINDOW) >= MESSAGES_PER_WINDOW:
            raise TooMany()
        Throttle.hit(key)
        queued = [reader for reader in readers.values() if emails.once(
            f"leader-message:{leader.id}:{digest}:{reader.id}", "leader-message", reader,
            subject=subject, message=message, leader=leader, about=about,
            from_name=leader.name, reply_to=leader.email or "")]
        AuditLog.record(leader, "message.send", about, after={
            "subject": subject, "to": sorted(r.id for r in queued), "selected": sorted(v.id for v in volunteers)})
    return len(queued)
