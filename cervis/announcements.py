"""Shift bookings launched: telling a group's volunteers that a month of shifts is open, and that
its offer deadline is near.

The guide: "You'll receive an email reminder when these slots are added to the system and be
asked to submit offers for them by a certain deadline." A month is announced once its
opportunity is live and its slots have settled (nothing added for SETTLE); slots added to a
month already announced make one short "more shifts added" email, at most once a day. Every
email has a key (cervis.emails.once) and every announcement a unique row, so a second run, a
restart or a second scheduler sends nothing twice; after the Pi was off, what is still useful
goes (a month whose slots are still open), what is not does not (a deadline that has passed).
"""
from collections import Counter
from datetime import date, timedelta

import peewee

from . import emails
from .db import database, utcnow, write_transaction
from .models import (CANCELLED, NOT_REQUIRED, AuditLog, Announcement, AnnouncementOptOut, Email, Group,
                     Membership, Opportunity, OpportunityUnlock, Organisation, Registration, Role,
                     Slot, User)
from .models.announce import BY_HAND, LAUNCHED, MORE
from .unsubscribe_links import unsubscribe_url
from .timeutil import local_datetime, org_zone, to_local

SETTLE = timedelta(minutes=10)  # a leader adding slots one by one gets them all into one email
MORE_GAP = timedelta(days=1)  # "more shifts added": at most once a day
HAND_GAP = timedelta(hours=1)  # "Announce Now": never twice within an hour
BATCH = 200  # emails per write transaction: the lock is never held for a whole announcement


class TooSoon(Exception):
    """This month was announced less than an hour ago."""

    def __init__(self, last):
        super().__init__(last.at)
        self.last = last


def month_of(dt, zone):
    """'2026-12': the organisation's local month of a UTC time."""
    return to_local(dt, zone).strftime("%Y-%m")


def month_name(month):
    year, number = (int(part) for part in month.split("-"))
    return f"{date(year, number, 1):%B %Y}"


def open_months(opportunity, now, zone):
    """{month: [(slot id, role name, created_at)]}: the slots volunteers can still offer for."""
    if opportunity.offer_deadline is not None and opportunity.offer_deadline <= now:
        return {}
    rows = (Slot.select(Slot.id, Slot.starts_at, Slot.created_at, Role.name).join(Role)
            .where(Slot.opportunity == opportunity.id, Slot.starts_at > now,
                   Slot.closed == False)  # noqa: E712
            .order_by(Slot.starts_at, Role.position, Slot.id).tuples())
    months = {}
    for slot_id, starts_at, created_at, role in rows:
        months.setdefault(month_of(starts_at, zone), []).append((slot_id, role, created_at))
    return months


def live_opportunities(now, extra=None):
    """Live, not cancelled, offers still open, with a slot to come."""
    query = (Opportunity.select(Opportunity, Group).join(Group)
             .where(Opportunity.cancelled_at.is_null(), Opportunity.live_from <= now,
                    Opportunity.offer_deadline.is_null() | (Opportunity.offer_deadline > now),
                    Opportunity.id.in_(Slot.select(Slot.opportunity).where(Slot.starts_at > now)))
             .order_by(Opportunity.id))
    return query.where(extra) if extra is not None else query


def audience(opportunity):
    """Active members of its group with an address who want to hear (and, for a private
    opportunity, only those who entered its code)."""
    opted_out = AnnouncementOptOut.select(AnnouncementOptOut.user).where(
        AnnouncementOptOut.group == opportunity.group_id)
    query = (User.select().join(Membership, on=(Membership.user == User.id))
             .where(Membership.group == opportunity.group_id, User.active == True,  # noqa: E712
                    User.email.is_null(False), User.id.not_in(opted_out))
             .order_by(User.id))
    if opportunity.private_code:
        query = query.where(User.id.in_(OpportunityUnlock.select(OpportunityUnlock.user).where(
            OpportunityUnlock.opportunity == opportunity.id)))
    return list(query)


def offer_link(opportunity, month):
    """That month's "Select an Available Slot Below" (the log-in page comes back to it)."""
    return emails.absolute("volunteer.signup_slots", opportunity=opportunity.id, month=month)


def roles(slots):
    counts = Counter(role for _, role, _ in slots)
    return [(role, counts[role]) for role in dict.fromkeys(role for _, role, _ in slots)]


def _context(opportunity, month, slots, zone):
    deadline = opportunity.offer_deadline
    return dict(opportunity=opportunity, group=opportunity.group, month=month_name(month),
                slots=len(slots), roles=roles(slots), link=offer_link(opportunity, month),
                deadline=local_datetime(deadline, zone) if deadline else None,
                profile_link=emails.absolute("volunteer.profile", _anchor="announcements"),
                about=opportunity)


def _in_batches(people, prefix, kind, opportunity, context):
    """Each person's email (keyed prefix:person id, with their own one-click unsubscribe link),
    BATCH to a write transaction; how many were queued now (not before, by a run that stopped
    half-way). Each batch is written before the lock is taken (writing is most of an email's
    cost), so the lock is held for the inserts alone, never for a whole announcement."""
    letters, queued = emails.Letters(kind), 0
    for start in range(0, len(people), BATCH):
        rows = [letters.row(p.email, p.name, user=p, key=f"{prefix}:{p.id}", user_first=p.first_name,
                            unsubscribe_link=unsubscribe_url(p.id, opportunity.group_id), **context)
                for p in people[start:start + BATCH]]
        with write_transaction():  # which keys are taken is read under the lock: never two
            taken = {key for (key,) in Email.select(Email.key).where(Email.key.in_([r["key"] for r in rows])).tuples()}
            queued += emails.queue_all([row for row in rows if row["key"] not in taken])
    return queued


def _scheduled(opportunity, month, slots, now, kind, key):
    """The scheduler's announcement: its emails in batches, then its row. A crash between batches
    leaves no row, so the next run makes it, and each email's key (emails.once) lets none go twice."""
    upto = max(slot_id for slot_id, _, _ in slots)
    email_kind = "more-shifts-added" if kind == MORE else "shift-bookings-launched"
    prefix = f"{email_kind}:{opportunity.id}:{month}" + (f":{upto}" if kind == MORE else "")
    people = audience(opportunity)  # after this, each holds an email, queued by this run or an earlier one
    _in_batches(people, prefix, email_kind, opportunity, _context(opportunity, month, slots, org_zone()))
    try:
        with write_transaction():
            return Announcement.create(opportunity=opportunity, month=month, kind=kind, key=key, at=now,
                                       upto_slot=upto, slots=len(slots), recipients=len(people))
    except peewee.IntegrityError:
        return None  # another scheduler (or an earlier run) made it


def _told(opportunity):
    """{month: (newest slot told about, when last told)}."""
    rows = (Announcement.select(Announcement.month, peewee.fn.MAX(Announcement.upto_slot),
                                peewee.fn.MAX(Announcement.at))
            .where(Announcement.opportunity == opportunity.id).group_by(Announcement.month).tuples())
    return {month: (upto, at) for month, upto, at in rows}


def announce_due(now=None):
    """Announce every month that went live or got new slots; returns the announcements made."""
    now = now or utcnow()
    zone, made = org_zone(), []
    for opportunity in list(live_opportunities(now)):  # read first: no cursor open across writes
        told = _told(opportunity)
        for month, slots in open_months(opportunity, now, zone).items():
            if max(created for _, _, created in slots) > now - SETTLE:
                continue  # the leader may still be adding to this batch
            if month not in told:
                row = _scheduled(opportunity, month, slots, now, LAUNCHED, f"launched:{opportunity.id}:{month}")
            else:
                upto, last = told[month]
                new = [slot for slot in slots if slot[0] > upto]
                if not new or last > now - MORE_GAP:
                    continue  # nothing new, or told today already: the new slots wait for tomorrow
                row = _scheduled(opportunity, month, new, now, MORE,
                                 f"more:{opportunity.id}:{month}:{max(s[0] for s in new)}")
            if row is not None:
                made.append(row)
    return made


def announce_by_hand(opportunity, month, by, now=None):
    """A leader's "Announce Now" for one month; None when it has no open slots. Raises TooSoon."""
    now = now or utcnow()
    slots = open_months(opportunity, now, org_zone()).get(month) if opportunity.is_live(now) else None
    if not slots:
        return None
    with write_transaction():  # the hour is claimed first: a second click meets this row
        last = (Announcement.select().where(Announcement.opportunity == opportunity.id,
                                            Announcement.month == month, Announcement.at > now - HAND_GAP)
                .order_by(Announcement.at.desc()).first())
        if last is not None:
            raise TooSoon(last)
        row = Announcement.create(opportunity=opportunity, month=month, kind=BY_HAND, at=now, by=by,
                                  key=f"by-hand:{opportunity.id}:{month}:{now.isoformat()}",
                                  upto_slot=max(slot_id for slot_id, _, _ in slots), slots=len(slots))
    row.recipients = _in_batches(audience(opportunity), f"shift-bookings-launched:{opportunity.id}:{month}"
                                    f":by-hand-{row.id}", "shift-bookings-launched", opportunity,
                                    _context(opportunity, month, slots, org_zone()))
    with write_transaction():
        row.save(only=[Announcement.recipients])
        AuditLog.record(by, "opportunity.announce", opportunity,
                        after={"month": month, "slots": row.slots, "recipients": row.recipients})
    return row


LABELS = {LAUNCHED: "Shift bookings launched", MORE: "More shifts added", BY_HAND: "Announced by hand"}


def history(opportunity, limit=12):
    """What the opportunity's page shows: its announcements, newest first."""
    rows = list(Announcement.select().where(Announcement.opportunity == opportunity.id,
                                            Announcement.kind.in_(list(LABELS)))
                .order_by(Announcement.at.desc(), Announcement.id.desc()).limit(limit))
    for row in rows:
        row.label, row.month_label = LABELS[row.kind], month_name(row.month)
    return rows


# The offer deadline ------------------------------------------------------------------------------

def _offered(opportunity, month, zone):
    """Who has offered for a slot of this opportunity and month (a parent for a family member too)."""
    rows = (Registration.select(Registration.volunteer, User.family_of, Slot.starts_at)
            .join(Slot).switch(Registration).join(User, on=(Registration.volunteer == User.id))
            .where(Slot.opportunity == opportunity.id,
                   Registration.status.not_in([CANCELLED, NOT_REQUIRED])).tuples())
    offered = set()
    for volunteer, parent, starts_at in rows:
        if month_of(starts_at, zone) == month:
            offered.update(i for i in (volunteer, parent) if i)
    return offered


def remind_deadlines(now=None):
    """One reminder per member who has offered nothing, N days before the offer deadline."""
    now = now or utcnow()
    days = Organisation.current().deadline_reminder_days
    if not days:
        return 0
    zone, queued = org_zone(), 0
    window = Opportunity.offer_deadline.is_null(False) & (Opportunity.offer_deadline <= now + timedelta(days=days))
    for opportunity in list(live_opportunities(now, window)):
        stamp = f"{opportunity.offer_deadline:%Y%m%d%H%M}"  # a moved deadline reminds again
        for month, slots in open_months(opportunity, now, zone).items():
            offered = _offered(opportunity, month, zone)
            queued += _in_batches([p for p in audience(opportunity) if p.id not in offered],
                                  f"offer-deadline:{opportunity.id}:{month}:{stamp}", "offer-deadline",
                                  opportunity, _context(opportunity, month, slots, zone))
    return queued


def announce(app, now=None):
    with app.app_context(), database.connection_context():
        return len(announce_due(now)) + remind_deadlines(now)
