"""The signed one-click unsubscribe link: made by the emails' senders, read by its page; below both,
so announcements and the outbox never import a page module."""

from flask import current_app

from .signed_links import UNSUBSCRIBE

ANNOUNCEMENTS, MESSAGES = "announcements", "messages"
# Bulk kinds only, and what each one's link switches off: never an email about a volunteer's own shifts.
BULK = {
    "shift-bookings-launched": ANNOUNCEMENTS,
    "more-shifts-added": ANNOUNCEMENTS,
    "offer-deadline": ANNOUNCEMENTS,
    "leader-message": MESSAGES,
}


def unsubscribe_url(user_id, group_id, what=ANNOUNCEMENTS):
    # An announcement's token is [user, group], as in the links already sent; any other names what it stops.
    token = UNSUBSCRIBE.make([user_id, group_id] + ([] if what == ANNOUNCEMENTS else [what]))
    return current_app.config["BASE_URL"].rstrip("/") + f"/unsubscribe/{token}"
