"""The rota board's emails about one shift, told all they say: the shift's details and links,
whether it is soon and who leads that night, and the calendar attachment that adds or removes
it. emails.py is handed these and asks the domain nothing."""
from . import calendars, emails
from .cancellation import shift_details, shift_leader
from .db import utcnow
from .reminders import SOON


def confirmation(registration, leader, send_after=None):
    """Confirmed less than 24 hours before the shift, no reminder will follow (cervis.reminders):
    the confirmation itself says the shift is soon and names that night's shift leader."""
    soon = registration.slot.starts_at - (send_after or utcnow()) < SOON
    email = emails.rota_confirmation(registration, shift_details(registration, leader), send_after, soon=soon,
                                     shift_leader=shift_leader(registration) if soon else None)
    return calendars.attach(email, registration, "REQUEST")


def called_up(registration, leader):
    email = emails.rota_called_up(registration, shift_details(registration, leader))
    return calendars.attach(email, registration, "REQUEST")


def change_of_plan(registration, leader):
    email = emails.rota_change_of_plan(registration, shift_details(registration, leader))
    return calendars.attach(email, registration, "CANCEL")


def removed(registration, leader, reason):
    email = emails.rota_removed(registration, shift_details(registration, leader), reason)
    return calendars.attach(email, registration, "CANCEL")
