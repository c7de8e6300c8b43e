"""The bulk emails the mail validators read: an announcement of one month, one of three months at
once, and a leader's message to a group's members."""

import re
import subprocess
from datetime import timedelta

from cervis import messages
from cervis.models import Email, Group, User
from helpers_announcements import GO_LIVE, night_shelter, run, three_months


def one_month(app):
    night_shelter()
    run(app, GO_LIVE + timedelta(minutes=5))
    return Email.select().where(Email.kind == "shift-bookings-launched").first()


def three_months_at_once(app):
    three_months()
    run(app, GO_LIVE + timedelta(minutes=5))
    return Email.select().where(Email.kind == "shift-bookings-launched").first()


def leaders_message(app):
    messages.send(
        User.by_email("leo@example.org"),
        [User.by_email("vera@example.org")],
        "Thank you, Zoë",
        "Thank you all for last week.\n\nSee you on Friday.",
        Group.get(Group.name == "Northside"),
    )
    return Email.get(Email.kind == "leader-message")


BULK = {"one month": one_month, "three months": three_months_at_once, "leader's message": leaders_message}

# Header injections dressed as RFC 2047 encoded words: a name and a subject as someone might type them.
KID = "=?utf-8?q?Kid=0D=0ABcc:_evil@evil.example=0D=0AX-Injected:_1?="
SUBJECT = "=?utf-8?q?Hi=0D=0ABcc:_evil@evil.example?="


def spam_score(raw):
    """SpamAssassin's score of a message (local rules only), and its report."""
    out = subprocess.run(["spamassassin", "-L", "-t"], input=raw, capture_output=True, timeout=120).stdout
    return float(re.search(rb"X-Spam-Status: \w+, score=(-?[\d.]+)", out).group(1)), out
