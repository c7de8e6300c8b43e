"""A volunteer's own room to say no: the dates they are away, and the limits on how often they serve."""

import peewee

from ..db import BaseModel, utcnow
from .people import User


class AwayRange(BaseModel):
    """From `starts_on` to `ends_on`, both included, as local dates in the organisation's zone."""

    volunteer = peewee.ForeignKeyField(User, backref="away_ranges", on_delete="CASCADE")
    starts_on = peewee.DateField()
    ends_on = peewee.DateField()
    note = peewee.CharField(default="")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("volunteer", "ends_on"), False),)

    def covers(self, day):
        return self.starts_on <= day <= self.ends_on

    @classmethod
    def of(cls, volunteer_ids, first_day, last_day):
        """{volunteer id: [their ranges touching first_day..last_day]}, in one query."""
        found = {}
        query = cls.select().where(
            cls.volunteer.in_(list(volunteer_ids) or [0]), cls.ends_on >= first_day, cls.starts_on <= last_day
        )
        for row in query.order_by(cls.starts_on, cls.id):
            found.setdefault(row.volunteer_id, []).append(row)
        return found

    @staticmethod
    def on(ranges, day):
        """The range among these that covers the day, or None."""
        return next((r for r in ranges if r.covers(day)), None)


class VolunteerLimit(BaseModel):
    """At most `per_month` shifts a calendar month and at least `gap_days` days from one shift's date
    to the next; either may be None (no limit). Set by the volunteer or a leader of their group."""

    volunteer = peewee.ForeignKeyField(User, unique=True, backref="+", on_delete="CASCADE")
    per_month = peewee.IntegerField(null=True)
    gap_days = peewee.IntegerField(null=True)
    updated_at = peewee.DateTimeField(default=utcnow)

    @classmethod
    def of(cls, volunteer_ids):
        """{volunteer id: their limits}, for those who set any, in one query."""
        return {row.volunteer_id: row for row in cls.select().where(cls.volunteer.in_(list(volunteer_ids) or [0]))}
