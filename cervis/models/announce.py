"""Shift bookings launched: what was announced to whom, who wants to hear, and the admins' openings."""

import peewee

from ..db import BaseModel, utcnow
from .people import Group, User
from .rota import Opportunity

LAUNCHED, MORE, BY_HAND = "launched", "more", "by-hand"


class Announcement(BaseModel):
    """One announcement of an opportunity's month: by the scheduler, or a leader's "Announce Now"."""

    opportunity = peewee.ForeignKeyField(Opportunity, backref="announcements", on_delete="CASCADE")
    month = peewee.CharField(max_length=7)  # "YYYY-MM", the organisation's local month
    kind = peewee.CharField(default=LAUNCHED)
    # Unique: two schedulers deciding the same announcement at once make one row, and the loser sends nothing.
    key = peewee.CharField(unique=True)
    upto_slot = peewee.IntegerField(default=0)  # the newest slot of the month it told people about
    slots = peewee.IntegerField(default=0)
    recipients = peewee.IntegerField(default=0)
    at = peewee.DateTimeField(default=utcnow, index=True)
    by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")


class AnnouncementOptOut(BaseModel):
    """A volunteer who unticked "Tell me when new shifts open" for a group."""

    user = peewee.ForeignKeyField(User, backref="+", on_delete="CASCADE")
    group = peewee.ForeignKeyField(Group, backref="+", on_delete="CASCADE")
    at = peewee.DateTimeField(default=utcnow, null=True)  # for Download My Data; None if stopped before it was kept

    class Meta:
        indexes = ((("user", "group"), True),)


class LeaderMessageOptOut(BaseModel):
    """A volunteer who stopped a group's leaders' messages to its members (one click, or the profile)."""

    user = peewee.ForeignKeyField(User, backref="+", on_delete="CASCADE")
    group = peewee.ForeignKeyField(Group, backref="+", on_delete="CASCADE")
    at = peewee.DateTimeField(default=utcnow, null=True)  # as AnnouncementOptOut's

    class Meta:
        indexes = ((("user", "group"), True),)


class EmailOpening(BaseModel):
    """An administrator's own opening paragraph for one kind of email."""

    kind = peewee.CharField(unique=True)
    text = peewee.TextField()
    changed_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    changed_at = peewee.DateTimeField(default=utcnow)
