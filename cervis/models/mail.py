"""The outbox: every email is a row first, sent later by the scheduler, exactly once."""

import peewee

from ..db import BaseModel, utcnow
from .people import User

QUEUED, SENDING, SENT, FAILED, WITHDRAWN = "queued", "sending", "sent", "failed", "withdrawn"


class Email(BaseModel):
    kind = peewee.CharField()
    to_addr = peewee.CharField()
    to_name = peewee.CharField(default="")
    user = peewee.ForeignKeyField(User, null=True, backref="emails", on_delete="SET NULL")
    subject = peewee.CharField()
    body_text = peewee.TextField()
    body_html = peewee.TextField(default="")
    urgent = peewee.BooleanField(default=False)
    message_id = peewee.CharField(unique=True)
    status = peewee.CharField(default=QUEUED)  # indexed by email_outbox, below
    send_after = peewee.DateTimeField(default=utcnow, index=True)  # UTC; later for an undo window
    attempts = peewee.IntegerField(default=0)
    last_error = peewee.TextField(default="")
    claimed_at = peewee.DateTimeField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)
    sent_at = peewee.DateTimeField(null=True)
    # What the email is about, so an undo can withdraw it before it goes.
    subject_type = peewee.CharField(default="")
    subject_id = peewee.IntegerField(null=True)
    # What a job decided to send, e.g. "shift-reminder:412": unique, so a second run, a restart or
    # a second scheduler cannot queue it again (NULL for emails a person's action sends).
    key = peewee.CharField(null=True, unique=True)
    # A leader's own message: their name on it, and replies go to them.
    from_name = peewee.CharField(default="")
    reply_to = peewee.CharField(default="")

    class Meta:
        # An undo finds its registration's emails among every email ever sent in one seek.
        indexes = ((("subject_type", "subject_id"), False),)


# The outbox's next emails, in its own order: a few rows read, not every email ever sent (SQLite's
# statistics cannot tell that "queued" is rare, but an index that also gives the order wins).
Email.add_index(Email.status, Email.urgent.desc(), Email.send_after, Email.id, name="email_outbox")
