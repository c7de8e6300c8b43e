"""The waiting list of a Full slot, the places offered from it, and a volunteer's stand-in requests."""

import peewee

from ..db import BaseModel, utcnow
from .people import User
from .rota import Registration, Slot

LEFT, TOOK, PASSED = "left", "took", "passed"  # why an entry is no longer on the list


class WaitingListEntry(BaseModel):
    """One volunteer waiting for a place in a Full slot; ordered by joined_at (time joined)."""

    slot = peewee.ForeignKeyField(Slot, backref="waiting", on_delete="CASCADE")
    volunteer = peewee.ForeignKeyField(User, backref="+", on_delete="CASCADE")
    joined_at = peewee.DateTimeField(default=utcnow)
    left_at = peewee.DateTimeField(null=True)  # still waiting while this is empty
    outcome = peewee.CharField(default="")  # LEFT, TOOK or PASSED

    class Meta:
        # One row per volunteer and slot: joining again reopens it, at the back of the list.
        indexes = ((("slot", "volunteer"), True), (("slot", "joined_at"), False))

    @classmethod
    def waiting(cls, slot_id):
        """Those still waiting, first joined first, each with their User (one query)."""
        return (
            cls.select(cls, User)
            .join(User)
            .where(cls.slot == slot_id, cls.left_at.is_null())
            .order_by(cls.joined_at, cls.id)
        )

    @classmethod
    def took_place(cls, slot_id, volunteer_id, now):
        """The volunteer now holds a place in the slot, however they got it: off the list."""
        return (
            cls.update(left_at=now, outcome=TOOK)
            .where(cls.slot == slot_id, cls.volunteer == volunteer_id, cls.left_at.is_null())
            .execute()
        )


class WaitingOffer(BaseModel):
    """A freed place offered by e-mail to one on the waiting list, until expires_at."""

    entry = peewee.ForeignKeyField(WaitingListEntry, backref="offers", on_delete="CASCADE")
    offered_at = peewee.DateTimeField(default=utcnow)
    expires_at = peewee.DateTimeField(index=True)
    taken_at = peewee.DateTimeField(null=True)
    passed_at = peewee.DateTimeField(null=True)  # claimed once when it lapsed (or the place went): over


class StandInRequest(BaseModel):
    """A registered volunteer asking for someone to take their place; they stay registered until one does."""

    registration = peewee.ForeignKeyField(Registration, backref="+", on_delete="CASCADE")
    opened_at = peewee.DateTimeField(default=utcnow)
    taken_at = peewee.DateTimeField(null=True)
    taken_by = peewee.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    closed_at = peewee.DateTimeField(null=True)  # nobody 24 hours before, or the place was cancelled


class StandInAsk(BaseModel):
    """One "Can you take my place?" e-mail, and whether its reader said they cannot."""

    request = peewee.ForeignKeyField(StandInRequest, backref="asks", on_delete="CASCADE")
    volunteer = peewee.ForeignKeyField(User, backref="+", on_delete="CASCADE")
    asked_at = peewee.DateTimeField(default=utcnow)
    declined_at = peewee.DateTimeField(null=True)

    class Meta:
        indexes = ((("request", "volunteer"), True),)
