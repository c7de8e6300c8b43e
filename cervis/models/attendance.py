"""Who came: after a night, its shift leader or a group leader records who attended."""

from datetime import timezone as tz

import peewee

from ..db import BaseModel, utcnow
from .people import User
from .rota import REGISTERED, Opportunity, Registration, ServiceRecord, Slot


class AttendanceDay(BaseModel):
    """One opportunity's night (its local start date) whose attendance has been recorded."""

    opportunity = peewee.ForeignKeyField(Opportunity, backref="+", on_delete="CASCADE")
    day = peewee.DateField()
    recorded_at = peewee.DateTimeField(default=utcnow)
    recorded_by = peewee.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")

    class Meta:
        indexes = ((("opportunity", "day"), True),)


class Attendance(BaseModel):
    """Whether one volunteer came to one slot; registration is None for someone who came unregistered."""

    slot = peewee.ForeignKeyField(Slot, backref="+", on_delete="CASCADE")
    volunteer = peewee.ForeignKeyField(User, backref="+", on_delete="CASCADE")
    registration = peewee.ForeignKeyField(Registration, null=True, backref="+", on_delete="CASCADE")
    attended = peewee.BooleanField(default=True)

    class Meta:
        indexes = ((("slot", "volunteer"), True),)


def served(volunteer, now):
    """A condition on Slot: the shifts a volunteer served. Registered shifts that are over count
    unless attendance says they didn't come; shifts they came to unregistered count too."""
    registered = (
        Registration.select(Registration.slot)
        .join(Slot)
        .join(Attendance, peewee.JOIN.LEFT_OUTER, on=(Attendance.registration == Registration.id))
        .where(
            Registration.volunteer == volunteer,
            Registration.status == REGISTERED,
            Slot.ends_at <= now,
            Attendance.attended.is_null() | (Attendance.attended == True),
        )
    )
    walked_in = Attendance.select(Attendance.slot).where(
        Attendance.volunteer == volunteer, Attendance.registration.is_null(), Attendance.attended == True
    )
    return Slot.id.in_(registered) | Slot.id.in_(walked_in)


def volunteer_totals(volunteer, now, zone):
    """The portal's three counters: hours and activities served, days to the next confirmed shift
    (0: today; None: none booked)."""
    done = list(Slot.select(Slot.starts_at, Slot.ends_at).where(served(volunteer, now)).tuples())
    hours = sum((e - s).total_seconds() for s, e in done) / 3600
    activities = len(done)
    service = (
        ServiceRecord.select(peewee.fn.COUNT(ServiceRecord.id), peewee.fn.SUM(ServiceRecord.minutes))
        .where(ServiceRecord.volunteer == volunteer)
        .tuples()
        .get()
    )
    activities += service[0] or 0
    hours += (service[1] or 0) / 60
    upcoming = (
        Slot.select(peewee.fn.MIN(Slot.starts_at))
        .join(Registration)
        .where(Registration.volunteer == volunteer, Registration.status == REGISTERED, Slot.starts_at > now)
        .scalar()
    )
    days = None
    if upcoming is not None:
        local = lambda dt: dt.replace(tzinfo=tz.utc).astimezone(zone).date()  # noqa: E731
        days = (local(upcoming) - local(now)).days
    return {"hours": round(hours, 2), "activities": activities, "days": days}
