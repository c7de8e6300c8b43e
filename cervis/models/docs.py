"""Documents an administrator posts to everyone, a group, or one volunteer."""

import peewee

from ..db import BaseModel, utcnow
from .people import Group, Membership, User

EVERYONE, GROUP, VOLUNTEER = "everyone", "group", "volunteer"


class Document(BaseModel):
    title = peewee.CharField()
    filename = peewee.CharField()  # as uploaded, for the download
    stored_name = peewee.CharField(unique=True)  # random: nothing the uploader chose touches the disk
    content_type = peewee.CharField()
    size = peewee.IntegerField()
    audience = peewee.CharField(default=EVERYONE)
    group = peewee.ForeignKeyField(Group, null=True, on_delete="CASCADE")
    volunteer = peewee.ForeignKeyField(User, null=True, on_delete="CASCADE")
    uploaded_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    uploaded_at = peewee.DateTimeField(default=utcnow)

    @classmethod
    def visible_to(cls, user):
        """The documents posted to this user: the one rule for listing and downloading."""
        groups = Membership.select(Membership.group).where(Membership.user == user)
        return (
            cls.select()
            .where(
                (cls.audience == EVERYONE)
                | ((cls.audience == GROUP) & cls.group.in_(groups))
                | ((cls.audience == VOLUNTEER) & (cls.volunteer == user))
            )
            .order_by(cls.uploaded_at.desc())
        )
