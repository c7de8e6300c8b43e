"""Notes a group leader keeps about a volunteer: seen by that group's leaders and administrators."""

import peewee

from ..db import BaseModel, utcnow
from .people import Group, User


class LeaderNote(BaseModel):
    volunteer = peewee.ForeignKeyField(User, backref="leader_notes", on_delete="CASCADE")
    group = peewee.ForeignKeyField(Group, backref="leader_notes", on_delete="CASCADE")
    author = peewee.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    text = peewee.TextField()
    created_at = peewee.DateTimeField(default=utcnow, index=True)
