"""The reminder email before a confirmed shift: the guide's "approximately 24-48 hours before".

It goes 48 hours before the shift (real hours, whatever the clocks do that weekend). A shift
confirmed less than 24 hours before it starts gets none: its confirmation says it is soon and
names the shift leader. After the Pi was switched off the reminder still goes, late, as long as
the shift has not started.
"""

from datetime import timedelta

from flask import current_app
from peewee import fn

from . import email_kinds
from .cancellation import cancel_url, shift_leader, stand_in_url
from .db import database, utcnow, write_transaction
from .models import REGISTERED, Opportunity, Registration, RegistrationEvent, Slot, User

REMIND_BEFORE = timedelta(hours=48)
SOON = timedelta(hours=24)  # confirmed this close to the start: the confirmation says it instead


def confirmed_at(registration):
    """When the registration last became registered (its newest 'registered' event)."""
    at = (
        RegistrationEvent.select(fn.MAX(RegistrationEvent.at))
        .where(RegistrationEvent.registration == registration.id, RegistrationEvent.status == REGISTERED)
        .scalar()
    )
    return at or registration.updated_at


def due(now):
    return (
        Registration.select(Registration, Slot, Opportunity, User)
        .join(Slot)
        .join(Opportunity)
        .switch(Registration)
        .join(User, on=Registration.volunteer)
        .where(
            Registration.status == REGISTERED,
            Registration.reminded_at.is_null(),
            Slot.starts_at > now,
            Slot.starts_at <= now + REMIND_BEFORE,
            Opportunity.cancelled_at.is_null(),
        )
    )


def send_reminders(now=None):
    """Queue one reminder per confirmed registration due; returns how many."""
    now = now or utcnow()
    undo = timedelta(minutes=current_app.config["CONFIRMATION_UNDO_MINUTES"])
    queued = 0
    # Read all first: a cursor still open holds an old snapshot, and a write begun from it after
    # anyone else's commit fails at once with "database is locked" (the busy timeout cannot help).
    for reg in list(due(now)):
        confirmed = confirmed_at(reg)
        if reg.slot.starts_at - confirmed < SOON:
            continue  # its confirmation said so
        with write_transaction():
            # Claimed in the same transaction as the email row: never two reminders, never none.
            claimed = (
                Registration.update(reminded_at=now)
                .where(Registration.id == reg.id, Registration.reminded_at.is_null())
                .execute()
            )
            recipient = reg.volunteer.inbox
            if not claimed or recipient is None:
                continue
            # Never ahead of the confirmation, which waits out the leader's undo window.
            sent = email_kinds.shift_reminder(
                f"shift-reminder:{reg.id}:{confirmed:%Y%m%d%H%M%S}",
                recipient,
                reg,
                leader=shift_leader(reg),
                cancel_link=cancel_url(reg),
                send_after=max(now, confirmed + undo),
                stand_in_link=stand_in_url(reg),
            )
            queued += sent is not None
    return queued


def remind(app, now=None):
    with app.app_context(), database.connection_context():
        return send_reminders(now)
