"""Calendars: files attached to e-mails, and the secret addresses of calendar feeds."""

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


class CalendarFeed(BaseModel):
    """A feed address made new ("Make a new address"): its generation is signed into the address,
    so every older one stops. No row yet: generation 0, so showing an address writes nothing."""

    user = peewee.ForeignKeyField(User, backref="+", on_delete="CASCADE")
    group = peewee.ForeignKeyField(Group, null=True, backref="+", on_delete="CASCADE")  # None: my shifts
    generation = peewee.IntegerField(default=0)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("user", "group"), True),)
