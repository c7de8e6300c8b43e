"""Calendars: files attached to e-mails, and the secret addresses of calendar feeds."""
import secrets

import peewee

from ..db import BaseModel, utcnow
from .mail import Email
from .people import Group, User


class EmailAttachment(BaseModel):
    """A small text file sent with an e-mail (a shift's .ics); kept with it, so a retry sends it too."""

    email = peewee.ForeignKeyField(Email, backref="attachments", on_delete="CASCADE")
    filename = peewee.CharField()
    content_type = peewee.CharField()  # e.g. "text/calendar; method=REQUEST"
    content = peewee.TextField()


def new_feed_token():
    return secrets.token_urlsafe(24)


class CalendarFeed(BaseModel):
    """A secret feed address: a volunteer's own shifts (group None), or one group's rota for a leader."""

    user = peewee.ForeignKeyField(User, backref="+", on_delete="CASCADE")
    group = peewee.ForeignKeyField(Group, null=True, backref="+", on_delete="CASCADE")
    token = peewee.CharField(unique=True, default=new_feed_token)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("user", "group"), True),)
