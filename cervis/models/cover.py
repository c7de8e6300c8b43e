"""Cover: a registered place given up close to the shift, and who was asked to fill it."""

import peewee

from ..db import BaseModel, utcnow
from .people import User
from .rota import Registration, Slot


class CoverRequest(BaseModel):
    slot = peewee.ForeignKeyField(Slot, backref="cover_requests", on_delete="CASCADE")
    registration = peewee.ForeignKeyField(Registration, backref="+", on_delete="CASCADE")  # the place given up
    opened_at = peewee.DateTimeField(default=utcnow)
    covered_at = peewee.DateTimeField(null=True)
    covered_by = peewee.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    # The leaders' "still open 12 hours before" email was queued: claimed once, whatever runs twice.
    still_open_at = peewee.DateTimeField(null=True)


class CoverAsk(BaseModel):
    """One "Can you cover?" email: who was asked, when, and whether as a Reserve of that night."""

    request = peewee.ForeignKeyField(CoverRequest, backref="asks", on_delete="CASCADE")
    volunteer = peewee.ForeignKeyField(User, backref="+", on_delete="CASCADE")
    asked_at = peewee.DateTimeField(default=utcnow)
    reserve = peewee.BooleanField(default=False)

    class Meta:
        indexes = ((("request", "volunteer"), True),)
