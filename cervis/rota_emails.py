"""The rota board's emails about one shift, told all they say: the shift's details and links,
whether it is soon and who leads that night, and the calendar attachment that adds or removes
it. emails.py is handed these and asks the domain nothing."""

from dataclasses import dataclass

from . import calendar_links, calendars, emails
from .cancellation import shift_details, shift_leader
from .db import utcnow
from .reminders import SOON


@dataclass
class Ready:
    """A confirmation rendered before the write lock, and what it was rendered from."""

    facts: tuple
    row: dict | None
    attachment: dict | None


def _facts(registration, changes):
    """What a confirmation says that another action could change between its rendering and the lock."""
    slot, volunteer = registration.slot, registration.volunteer
    opportunity = slot.opportunity
    return (
        slot.id,
        slot.starts_at,
        slot.ends_at,
        slot.role.name,
        opportunity.name,
        opportunity.location,
        opportunity.description,
        volunteer.email,
        volunteer.active,
        volunteer.family_of_id,
        changes,
    )


def _letter(registration, leader, send_after, changes=None):
    """Confirmed less than 24 hours before the shift, no reminder will follow (cervis.reminders):
    the confirmation itself says the shift is soon and names that night's shift leader."""
    soon = registration.slot.starts_at - (send_after or utcnow()) < SOON
    row = emails.rota_confirmation(
        registration,
        shift_details(registration, leader),
        send_after,
        soon=soon,
        shift_leader=shift_leader(registration) if soon else None,
    )
    invitation = row and calendars.invitation(registration, "REQUEST", row["to_addr"], row["to_name"], changes)
    return row, invitation


def ready_confirmation(registration, leader, now, send_after):
    """The confirmation of accepting this pending offer, as the accept at `now` will leave it (one
    change more), rendered with its calendar before the write lock is taken."""
    registration.updated_at = now
    changes = calendar_links.sequence(registration) + 1
    return Ready(_facts(registration, changes), *_letter(registration, leader, send_after, changes))


def confirmation(registration, leader, send_after=None, ready=None):
    """Queue the confirmation: the one made `ready` when nothing it says has changed since, else made now."""
    if ready is None or ready.facts != _facts(registration, calendar_links.sequence(registration)):
        ready = Ready(None, *_letter(registration, leader, send_after))
    return calendars.attach(emails.save(ready.row), registration, "REQUEST", ready.attachment)


def called_up(registration, leader):
    email = emails.rota_called_up(registration, shift_details(registration, leader))
    return calendars.attach(email, registration, "REQUEST")


def change_of_plan(registration, leader):
    email = emails.rota_change_of_plan(registration, shift_details(registration, leader))
    return calendars.attach(email, registration, "CANCEL")


def removed(registration, leader, reason):
    email = emails.rota_removed(registration, shift_details(registration, leader), reason)
    return calendars.attach(email, registration, "CANCEL")
