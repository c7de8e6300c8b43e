"""The signed one-click unsubscribe link: made by the emails' senders, read by its page; below both,
so announcements and the outbox never import a page module."""
from flask import current_app

from .signed_links import UNSUBSCRIBE

# Bulk kinds only: never an email about a volunteer's own shifts.
BULK = {"shift-bookings-launched", "more-shifts-added", "offer-deadline"}


def unsubscribe_url(user_id, group_id):
    path = f"/unsubscribe/{UNSUBSCRIBE.make([user_id, group_id])}"
    return current_app.config["BASE_URL"].rstrip("/") + path
