"""The reminder email before a confirmed shift (the guide: "approximately 24-48 hours before")."""
from datetime import timedelta

from . import emails
from .cancellation import cancel_url, shift_leader
from .db import database, utcnow, write_transaction
from .models import REGISTERED, Opportunity, Registration, Slot, User
from .scheduler import job

REMIND_BEFORE = timedelta(hours=48)


def due(now):
    return (Registration.select(Registration, Slot, Opportunity, User)
            .join(Slot).join(Opportunity).switch(Registration).join(User, on=Registration.volunteer)
            .where(Registration.status == REGISTERED, Registration.reminded_at.is_null(),
                   Slot.starts_at > now, Slot.starts_at <= now + REMIND_BEFORE,
                   Opportunity.cancelled_at.is_null()))


def send_reminders(now=None):
    """Queue one reminder per confirmed registration due; returns how many."""
    now = now or utcnow()
    queued = 0
    # Read all first: a cursor still open holds an old snapshot, and a write begun from it after
    # anyone else's commit fails at once with "database is locked" (the busy timeout cannot help).
    for reg in list(due(now)):
        with write_transaction():
            # Claimed in the same transaction as the email row: never two reminders, never none.
            claimed = Registration.update(reminded_at=now).where(
                Registration.id == reg.id, Registration.reminded_at.is_null()).execute()
            if not claimed:
                continue
            recipient = reg.volunteer.family_of or reg.volunteer
            if not recipient.email:
                continue
            emails.to_user("shift-reminder", recipient, reg=reg, slot=reg.slot, volunteer=reg.volunteer,
                           opportunity=reg.slot.opportunity, role=reg.slot.role,
                           leader=shift_leader(reg), cancel_link=cancel_url(reg), about=reg)
            queued += 1
    return queued


@job(seconds=600)
def remind(app, now=None):
    with app.app_context(), database.connection_context():
        return send_reminders(now)
