"""Who came: after a night, its shift leader or a group leader records who attended."""

from datetime import timezone as tz

import peewee

from ..db import BaseModel, is_sqlite, utcnow
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


def came():
    """A condition on Registration: registered, and not marked Didn't come. With walked_in(), the one
    rule of who served a shift. A subquery, not a join: only a registered row looks for a mark."""
    missed = Attendance.select(Attendance.id).where(
        Attendance.registration == Registration.id, Attendance.attended == False
    )
    return (Registration.status == REGISTERED) & ~peewee.fn.EXISTS(missed)


def walked_in():
    """A condition on Attendance: came to the shift unregistered."""
    return Attendance.registration.is_null() & (Attendance.attended == True)


def served(volunteer, now):
    """A condition on Slot: the shifts a volunteer served. Registered shifts that are over count
    unless attendance says they didn't come; shifts they came to unregistered count too."""
    registered = (
        Registration.select(Registration.slot)
        .join(Slot)
        .where(Registration.volunteer == volunteer, Slot.ends_at <= now, came())
    )
    walked = Attendance.select(Attendance.slot).where(Attendance.volunteer == volunteer, walked_in())
    return Slot.id.in_(registered) | Slot.id.in_(walked)


def slot_minutes():
    """A slot's length in whole minutes, in SQL. Both ends are UTC, so a night across a clock change
    counts its real hours."""
    if is_sqlite():
        return peewee.fn.ROUND((peewee.fn.julianday(Slot.ends_at) - peewee.fn.julianday(Slot.starts_at)) * 1440)
    return peewee.fn.ROUND(peewee.fn.date_part("epoch", Slot.ends_at - Slot.starts_at) / 60)


VOLUNTEER = "volunteer"  # in served_by's columns: whoever served (the registration's or the walk-in's)


VENUE = "venue"  # in served_by's columns: the slot's opportunity's group (one more join per row)


def _served(now, columns, where, volunteer, *aggregates):
    """The two halves of the served shifts, the registered and the walked in, each selecting these
    columns (of Slot, or VOLUNTEER or VENUE) and then the aggregates; the conditions are on Slot."""
    halves = (
        (Registration.volunteer, Registration.select().join(Slot).where(came())),
        (Attendance.volunteer, Attendance.select().join(Slot).where(walked_in())),
    )
    for who, query in halves:
        names = {VOLUNTEER: who, VENUE: Opportunity.group}
        # isinstance, not ==: comparing a Field makes an expression of it
        keys = [names[c] if isinstance(c, str) else c for c in columns]
        if VENUE in [c for c in columns if isinstance(c, str)]:
            query = query.switch(Slot).join(Opportunity)
        query = query.select(*[k.alias(f"k{i}") for i, k in enumerate(keys)], *aggregates)
        # starts_at <= now follows from ends_at <= now: said too, it bounds the range read of starts_at's index
        query = query.where(Slot.ends_at <= now, Slot.starts_at <= now, *where)
        yield (query.where(who == volunteer) if volunteer is not None else query), keys


def served_by(now, columns, *where, volunteer=None):
    """The shifts served (by this volunteer, or anyone) and their minutes, summed by these columns (of
    Slot, or VOLUNTEER or VENUE): {key tuple: [shifts, minutes]}. Two aggregates, the
    registered and the walked in, each one pass in SQL whatever the history."""
    totals = {}
    aggregates = (peewee.fn.COUNT(Slot.id), peewee.fn.SUM(slot_minutes()))
    for query, keys in _served(now, columns, where, volunteer, *aggregates):
        for *key, shifts, minutes in (query.group_by(*keys) if keys else query).tuples():
            total = totals.setdefault(tuple(key), [0, 0])
            total[0] += shifts
            total[1] += int(minutes or 0)
    return totals


def volunteers_by(now, columns, *where):
    """How many different people served, by these columns: {key tuple: count}. One query in SQL,
    counting distinct people, so someone registered one night and walked in the next counts once."""
    registered, walked = (query for query, _ in _served(now, [VOLUNTEER, *columns], where, None))
    both = registered.union_all(walked).alias("served")
    keys = [getattr(both.c, f"k{i + 1}") for i in range(len(columns))]
    query = peewee.Select([both], [*keys, peewee.fn.COUNT(both.c.k0.distinct())])
    query = query.group_by(*keys) if keys else query
    return {tuple(key): n for *key, n in query.bind(Slot._meta.database).tuples()}


def volunteer_totals(volunteer, now, zone):
    """The portal's three counters: hours and activities served, days to the next confirmed shift
    (0: today; None: none booked)."""
    activities, minutes = served_by(now, [], volunteer=volunteer).get((), [0, 0])
    service = (
        ServiceRecord.select(peewee.fn.COUNT(ServiceRecord.id), peewee.fn.SUM(ServiceRecord.minutes))
        .where(ServiceRecord.volunteer == volunteer)
        .tuples()
        .get()
    )
    activities += service[0] or 0
    hours = (minutes + (service[1] or 0)) / 60
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
