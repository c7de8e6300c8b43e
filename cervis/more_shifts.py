"""More shifts added: slots added to months already announced. One short email a member names every
month that gained shifts (a leader adding to February and March sends one email, not two), at most
once a day an opportunity.

Decided before it is written, as a launch is: a row a month, SENDING under one time until its emails
are queued, so a restart or a second scheduler sends the same one email, keyed by those months and
their newest slots, whatever was added since (that waits for the next day's email)."""

from datetime import timedelta

import peewee

from .db import write_transaction
from .models import Announcement
from .models.announce import MORE

GAP = timedelta(days=1)  # at most once a day an opportunity, and a month's own announcement a day old
SENDING = "more-sending"  # an Announcement's kind while its emails are being written


def decide(opportunity, settled, told, now):
    """Of the announced months whose slots have settled ({month: slots}), those that gained slots,
    decided together; nothing when the opportunity had its email within the day, or another
    scheduler decided first. told: {month: (newest slot told about, when last told)}."""
    due = {}
    for month, slots in settled.items():
        upto, last = told[month]
        new = [slot for slot in slots if slot[0] > upto]
        if new and last <= now - GAP:  # else nothing new, or told today: they wait for tomorrow
            due[month] = new
    if not due:
        return
    try:
        with write_transaction():  # the day's email is checked and claimed under the lock: never two
            recent = Announcement.kind.in_([MORE, SENDING]) & (Announcement.at > now - GAP)
            if Announcement.select().where(Announcement.opportunity == opportunity.id, recent).exists():
                return
            for month, new in due.items():
                upto = max(slot_id for slot_id, _, _ in new)
                key = f"more:{opportunity.id}:{month}:{upto}"
                Announcement.create(
                    opportunity=opportunity, month=month, kind=SENDING, at=now, upto_slot=upto, key=key, slots=len(new)
                )
    except peewee.IntegrityError:
        pass


def letter(opportunity, rows, still):
    """The decided email's key prefix and {month: the slots it tells of}: each row's month's slots
    after those told before it, up to its newest, of those still open (still: {month: slots})."""
    months = {}
    for row in rows:
        told = (
            Announcement.select(peewee.fn.MAX(Announcement.upto_slot))
            .where(
                Announcement.opportunity == opportunity.id, Announcement.month == row.month, Announcement.id < row.id
            )
            .scalar()
        ) or 0
        new = [slot for slot in still.get(row.month, ()) if told < slot[0] <= row.upto_slot]
        if new:
            months[row.month] = new
    prefix = f"more-shifts-added:{opportunity.id}:{'+'.join(f'{row.month}:{row.upto_slot}' for row in rows)}"
    return prefix, months
