"""Who came: after a night, its shift leader or a group leader records who attended."""
import peewee

from ..db import BaseModel, utcnow
from .people import User
from .rota import REGISTERED, Opportunity, Registration, Slot


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
    registered = (Registration.select(Registration.slot).join(Slot)
                  .join(Attendance, peewee.JOIN.LEFT_OUTER, on=(Attendance.registration == Registration.id))
                  .where(Registration.volunteer == volunteer, Registration.status == REGISTERED,
                         Slot.ends_at <= now,
                         Attendance.attended.is_null() | (Attendance.attended == True)))  # noqa: E712
    walked_in = Attendance.select(Attendance.slot).where(
        Attendance.volunteer == volunteer, Attendance.registration.is_null(), Attendance.attended == True)  # noqa: E712
    return Slot.id.in_(registered) | Slot.id.in_(walked_in)
