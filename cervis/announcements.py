"""Shift bookings launched: telling a group's volunteers that a month of shifts is open, and that
its offer deadline is near.

The guide: "You'll receive an email reminder when these slots are added to the system and be
asked to submit offers for them by a certain deadline." A month is announced once its
opportunity is live and its slots have settled (nothing added for SETTLE); slots added to a
month already announced make one short "more shifts added" email (cervis/more_shifts.py). Every
email has a key (cervis.emails.once) and every announcement a unique row, so a second run, a
restart or a second scheduler sends nothing twice; after the Pi was off, what is still useful
goes (a month whose slots are still open), what is not does not (a deadline that has passed).

Months that open together (a leader making February to April at once) go in one email naming them
all: a member gets one "Shift bookings launched", not three in the same minute.
"""

from .translated import lazy_gettext
from collections import Counter
from datetime import timedelta

import peewee

from . import email_kinds, emails, more_shifts
from .db import database, utcnow, write_transaction
from .models import (
    CANCELLED,
    NOT_REQUIRED,
    AuditLog,
    Announcement,
    AnnouncementOptOut,
    Email,
    Group,
    Membership,
    Opportunity,
    OpportunityUnlock,
    Organisation,
    Registration,
    Role,
    Slot,
    User,
)
from .models.announce import BY_HAND, LAUNCHED, MORE
from .months import month_key, month_name, month_of, months_named
from .unsubscribe_links import unsubscribe_url
from .timeutil import local_datetime, org_zone

SETTLE = timedelta(minutes=10)  # a leader adding slots one by one gets them all into one email
HAND_GAP = timedelta(hours=1)  # "Announce Now": never twice within an hour
BATCH = 200  # emails per write transaction: the lock is never held for a whole announcement
LAUNCHING = "launching"  # an Announcement's kind while its emails are being written


class TooSoon(Exception):
    """This month was announced less than an hour ago."""

    def __init__(self, last):
        super().__init__(last.at)
        self.last = last


def open_months(opportunity, now, zone):
    """{month: [(slot id, role name, created_at)]}: the slots volunteers can still offer for."""
    if opportunity.offer_deadline is not None and opportunity.offer_deadline <= now:
        return {}
    rows = (
        Slot.select(Slot.id, Slot.starts_at, Slot.created_at, Role.name)
        .join(Role)
        .where(Slot.opportunity == opportunity.id, Slot.starts_at > now, Slot.closed == False)
        .order_by(Slot.starts_at, Role.position, Slot.id)
        .tuples()
    )
    months = {}
    for slot_id, starts_at, created_at, role in rows:
        months.setdefault(month_key(month_of(starts_at, zone)), []).append((slot_id, role, created_at))
    return months


def live_opportunities(now, extra=None):
    """Live, not cancelled, offers still open, with a slot to come."""
    query = (
        Opportunity.select(Opportunity, Group)
        .join(Group)
        .where(
            Opportunity.cancelled_at.is_null(),
            Opportunity.live_from <= now,
            Opportunity.offer_deadline.is_null() | (Opportunity.offer_deadline > now),
            Opportunity.id.in_(Slot.select(Slot.opportunity).where(Slot.starts_at > now)),
        )
        .order_by(Opportunity.id)
    )
    return query.where(extra) if extra is not None else query


def audience(opportunity):
    """Active members of its group with an address who want to hear (and, for a private
    opportunity, only those who entered its code)."""
    opted_out = AnnouncementOptOut.select(AnnouncementOptOut.user).where(
        AnnouncementOptOut.group == opportunity.group_id
    )
    query = (
        User.select()
        .join(Membership, on=(Membership.user == User.id))
        .where(
            Membership.group == opportunity.group_id,
            User.active == True,
            User.email.is_null(False),
            User.id.not_in(opted_out),
        )
        .order_by(User.id)
    )
    if opportunity.private_code:
        query = query.where(
            User.id.in_(
                OpportunityUnlock.select(OpportunityUnlock.user).where(OpportunityUnlock.opportunity == opportunity.id)
            )
        )
    return list(query)


def offer_link(opportunity, month):
    """That month's "Select an Available Slot Below" (the log-in page comes back to it)."""
    return emails.absolute("volunteer.signup_slots", opportunity=opportunity.id, month=month)


def roles(slots):
    counts = Counter(role for _, role, _ in slots)
    return [(role, counts[role]) for role in dict.fromkeys(role for _, role, _ in slots)]


def _context(opportunity, months, zone):
    """What the announcement emails say about one month or several ({month: slots})."""
    deadline = opportunity.offer_deadline
    return dict(
        opportunity=opportunity,
        group=opportunity.group,
        month=months_named(months),
        months=[
            dict(month=month_name(month), slots=len(slots), roles=roles(slots), link=offer_link(opportunity, month))
            for month, slots in sorted(months.items())
        ],
        deadline=local_datetime(deadline, zone) if deadline else None,
        profile_link=emails.absolute("volunteer.profile", _anchor="announcements"),
        about=opportunity,
    )


def _in_batches(kind, opportunity, letters):
    """Each (person, key, context)'s email of this kind (an email_kinds function), with their own
    one-click unsubscribe link, BATCH to a write transaction; how many these keys hold now (queued
    by this run or one that stopped half-way), and how many this run queued. Each batch is written before the lock is taken
    (writing is most of an email's cost), so the lock is held for the inserts alone."""
    write, held, queued = kind(), 0, 0
    for start in range(0, len(letters), BATCH):
        rows = [
            write(p, key, unsubscribe_url(p.id, opportunity.group_id), context)
            for p, key, context in letters[start : start + BATCH]
        ]
        with write_transaction():  # which keys are taken is read under the lock: never two
            taken = {key for (key,) in Email.select(Email.key).where(Email.key.in_([r["key"] for r in rows])).tuples()}
            now = emails.queue_all([row for row in rows if row["key"] not in taken])
        held, queued = held + len(taken) + now, queued + now
    return held, queued


def _send_all(prefix, kind, opportunity, context):
    """One email per member (keyed prefix:person id); how many of them there are. A crash between
    batches loses none: each email's key lets none go twice when the next run sends the rest."""
    people = audience(opportunity)
    return _in_batches(kind, opportunity, [(p, f"{prefix}:{p.id}", context) for p in people])[0]


def _decide_launch(opportunity, months, now):
    """The months to launch together, decided once: their rows, LAUNCHING until the emails are
    written, so a restart sends the same one email (not the months due by then). Nothing when
    another scheduler decided them first."""
    try:
        with write_transaction():
            for month, slots in months.items():
                Announcement.create(
                    opportunity=opportunity,
                    month=month,
                    kind=LAUNCHING,
                    at=now,
                    key=f"launched:{opportunity.id}:{month}",
                    slots=len(slots),
                    upto_slot=max(slot_id for slot_id, _, _ in slots),
                )
    except peewee.IntegrityError:
        pass


def _decided(now):
    """Send every launch and "more shifts added" decided and not yet written (this run's, or one a
    crash cut short): one email a member for each, naming its months."""
    pending = {}
    for row in Announcement.select().where(Announcement.kind.in_([LAUNCHING, more_shifts.SENDING])):
        pending.setdefault((row.opportunity_id, row.kind, row.at), []).append(row)
    made, zone = [], org_zone()
    for (opportunity_id, kind, _), rows in pending.items():
        rows.sort(key=lambda row: row.month)
        opportunity = Opportunity.select(Opportunity, Group).join(Group).where(Opportunity.id == opportunity_id).get()
        still = open_months(opportunity, now, zone) if opportunity.cancelled_at is None else {}
        if kind == LAUNCHING:  # the key names the months decided: the same on a restart, whatever opened since
            prefix = f"shift-bookings-launched:{opportunity.id}:{'+'.join(row.month for row in rows)}"
            months, write, done = (
                {r.month: still[r.month] for r in rows if r.month in still},
                email_kinds.shift_bookings_launched,
                LAUNCHED,
            )
        else:
            (prefix, months), write, done = (
                more_shifts.letter(opportunity, rows, still),
                email_kinds.more_shifts_added,
                MORE,
            )
        told = _send_all(prefix, write, opportunity, _context(opportunity, months, zone)) if months else 0
        with write_transaction():
            for row in rows:  # of two schedulers, one marks each row done and counts it
                if (
                    Announcement.update(kind=done, recipients=told)
                    .where(Announcement.id == row.id, Announcement.kind == kind)
                    .execute()
                ):
                    made.append(row)
    return made


def _told(opportunity):
    """{month: (newest slot told about, when last told)}."""
    rows = (
        Announcement.select(Announcement.month, peewee.fn.MAX(Announcement.upto_slot), peewee.fn.MAX(Announcement.at))
        .where(Announcement.opportunity == opportunity.id)
        .group_by(Announcement.month)
        .tuples()
    )
    return {month: (upto, at) for month, upto, at in rows}


def announce_due(now=None):
    """Announce every month that went live or got new slots; returns the announcements made."""
    now = now or utcnow()
    zone = org_zone()
    for opportunity in list(live_opportunities(now)):  # read first: no cursor open across writes
        told, settled, adding = _told(opportunity), {}, False
        for month, slots in open_months(opportunity, now, zone).items():
            if max(created for _, _, created in slots) > now - SETTLE:
                adding |= month in told  # the leader may still be adding to this batch
            else:
                settled[month] = slots
        launch = {month: slots for month, slots in settled.items() if month not in told}
        if launch:
            _decide_launch(opportunity, launch, now)
        if not adding:  # shifts added to several months go in one email, when the last has settled
            more_shifts.decide(opportunity, {m: s for m, s in settled.items() if m in told}, told, now)
    return _decided(now)


def announce_by_hand(opportunity, month, by, now=None):
    """A leader's "Announce Now" for one month; None when it has no open slots. Raises TooSoon."""
    now = now or utcnow()
    slots = open_months(opportunity, now, org_zone()).get(month) if opportunity.is_live(now) else None
    if not slots:
        return None
    with write_transaction():  # the hour is claimed first: a second click meets this row
        last = (
            Announcement.select()
            .where(
                Announcement.opportunity == opportunity.id,
                Announcement.month == month,
                Announcement.at > now - HAND_GAP,
            )
            .order_by(Announcement.at.desc())
            .first()
        )
        if last is not None:
            raise TooSoon(last)
        row = Announcement.create(
            opportunity=opportunity,
            month=month,
            kind=BY_HAND,
            at=now,
            by=by,
            key=f"by-hand:{opportunity.id}:{month}:{now.isoformat()}",
            upto_slot=max(slot_id for slot_id, _, _ in slots),
            slots=len(slots),
        )
    prefix = f"shift-bookings-launched:{opportunity.id}:{month}:by-hand-{row.id}"
    row.recipients = _send_all(
        prefix, email_kinds.shift_bookings_launched, opportunity, _context(opportunity, {month: slots}, org_zone())
    )
    with write_transaction():
        row.save(only=[Announcement.recipients])
        AuditLog.record(
            by,
            "opportunity.announce",
            opportunity,
            after={"month": month, "slots": row.slots, "recipients": row.recipients},
        )
    return row


LABELS = {
    LAUNCHED: lazy_gettext("Shift bookings launched"),
    MORE: lazy_gettext("More shifts added"),
    BY_HAND: lazy_gettext("Announced by hand"),
}


def history(opportunity, limit=12):
    """What the opportunity's page shows: its announcements, newest first."""
    rows = list(
        Announcement.select()
        .where(Announcement.opportunity == opportunity.id, Announcement.kind.in_(list(LABELS)))
        .order_by(Announcement.at.desc(), Announcement.id.desc())
        .limit(limit)
    )
    for row in rows:
        row.label, row.month_label = LABELS[row.kind], month_name(row.month)
    return rows


# The offer deadline ------------------------------------------------------------------------------


def _offered(opportunity, zone):
    """{month: who has offered for one of its slots} (a parent for a family member too)."""
    rows = (
        Registration.select(Registration.volunteer, User.family_of, Slot.starts_at)
        .join(Slot)
        .switch(Registration)
        .join(User, on=(Registration.volunteer == User.id))
        .where(Slot.opportunity == opportunity.id, Registration.status.not_in([CANCELLED, NOT_REQUIRED]))
        .tuples()
    )
    offered = {}
    for volunteer, parent, starts_at in rows:
        offered.setdefault(month_key(month_of(starts_at, zone)), set()).update(i for i in (volunteer, parent) if i)
    return offered


def _reminded_one_a_month(opportunity, stamp, months, people):
    """Of these people, who got this deadline's reminder as one email a month (before the reminder
    named every month); by their exact keys, so the unique index answers."""
    keys = {
        f"offer-deadline:{opportunity.id}:{month}:{stamp}:{person.id}": person.id
        for month in months
        for person in people
    }
    return {keys[key] for (key,) in Email.select(Email.key).where(Email.key.in_(list(keys))).tuples()}


def _remind(opportunity, now, zone):
    """One reminder to each member, naming the open months they have offered for none of."""
    stamp = f"{opportunity.offer_deadline:%Y%m%d%H%M}"  # a moved deadline reminds again
    months, offered = open_months(opportunity, now, zone), _offered(opportunity, zone)
    people, contexts, letters = audience(opportunity), {}, []
    for start in range(0, len(people), BATCH):
        batch = people[start : start + BATCH]
        done = _reminded_one_a_month(opportunity, stamp, months, batch)
        for person in batch:
            todo = tuple(m for m in months if person.id not in offered.get(m, ()))
            if not todo or person.id in done:
                continue
            if todo not in contexts:
                contexts[todo] = _context(opportunity, {m: months[m] for m in todo}, zone)
            letters.append((person, f"offer-deadline:{opportunity.id}:{stamp}:{person.id}", contexts[todo]))
    return _in_batches(email_kinds.offer_deadline, opportunity, letters)[1]


def remind_deadlines(now=None):
    """One reminder per member who has offered nothing, N days before the offer deadline."""
    now = now or utcnow()
    days = Organisation.current().deadline_reminder_days
    if not days:
        return 0
    zone = org_zone()
    window = Opportunity.offer_deadline.is_null(False) & (Opportunity.offer_deadline <= now + timedelta(days=days))
    return sum(_remind(opportunity, now, zone) for opportunity in list(live_opportunities(now, window)))


def announce(app, now=None):
    with app.app_context(), database.connection_context():
        return len(announce_due(now)) + remind_deadlines(now)
