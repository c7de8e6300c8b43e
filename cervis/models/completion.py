"""A rota marked complete: one row per opportunity and month, so pressing twice sends nothing twice."""

import peewee

from ..db import BaseModel, utcnow
from .people import User
from .rota import Opportunity


class RotaCompletion(BaseModel):
    opportunity = peewee.ForeignKeyField(Opportunity, backref="completions", on_delete="CASCADE")
    month = peewee.CharField(max_length=7)  # "YYYY-MM", the organisation's local month
    completed_at = peewee.DateTimeField(default=utcnow)  # UTC; moves on when late offers are completed
    by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        indexes = ((("opportunity", "month"), True),)
