"""Data protection: erasures asked for and done, and the monthly retention reminder's one row a month."""

import peewee

from ..db import BaseModel, utcnow
from .people import User


class Erasure(BaseModel):
    """A volunteer who asked to be erased (requested_at) or was (erased_at): no personal data here."""

    user = peewee.ForeignKeyField(User, unique=True, backref="+", on_delete="CASCADE")
    requested_at = peewee.DateTimeField(null=True)
    erased_at = peewee.DateTimeField(null=True, index=True)


class RetentionReminder(BaseModel):
    """The month ("YYYY-MM") whose reminder was queued: the unique key makes it once a month, exactly."""

    month = peewee.CharField(max_length=7, unique=True)
    queued_at = peewee.DateTimeField(default=utcnow)
