"""A private opportunity a volunteer has unlocked with its private registration code."""

import peewee

from ..db import BaseModel, utcnow
from .people import User
from .rota import Opportunity


class OpportunityUnlock(BaseModel):
    # Membership alone is not enough: a private opportunity stays hidden from the group's other members.
    user = peewee.ForeignKeyField(User, backref="unlocks", on_delete="CASCADE")
    opportunity = peewee.ForeignKeyField(Opportunity, backref="unlocks", on_delete="CASCADE")
    at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("user", "opportunity"), True),)
