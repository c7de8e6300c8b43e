"""After the night: "Who came?", recorded by that night's shift leader or a group leader.

A night is one opportunity's slots starting on one local date. Everyone registered is Attended
unless marked Didn't come; someone who came unregistered can be added to a role that night.
Hours served (the portal's counters, the activity history) follow what was recorded.
"""

from flask_babel import gettext
from .translated import lazy_gettext
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import url_for
from peewee import fn

from .db import database, utcnow, write_transaction
from .models import REGISTERED, Membership, Opportunity, Registration, Role, Slot, User
from .models.attendance import Attendance, AttendanceDay
from .models.rota import went_ahead
from .permissions import leads
from .rota import Refused
from .timeutil import local_days, org_zone, to_local, to_utc

CHANGEABLE = timedelta(days=7)  # after the night's date: then the record stands
NOT_CHANGEABLE = lazy_gettext(
    "Attendance can be recorded from the start of the night's first shift until 7 days after it."
)
WAITING = CHANGEABLE + timedelta(days=1)  # Leader Home: the nights still changeable, not yet recorded


@dataclass
class Night:
    opportunity: Opportunity
    day: date
    slots: list
    registered: list  # registrations, each with .came (True unless recorded as Didn't come)
    walked_in: list = field(default_factory=list)  # Attendance rows of people who came unregistered
    recorded: AttendanceDay | None = None


def bounds(day, zone=None):
    zone = zone or org_zone()
    start = to_utc(datetime.combine(day, datetime.min.time()), zone)
    return start, to_utc(datetime.combine(day + timedelta(days=1), datetime.min.time()), zone)


def night(opportunity, day):
    """Everything "Who came?" shows for one night: a handful of queries, whatever the history."""
    start, end = bounds(day)
    slots = list(
        Slot.select(Slot, Role)
        .join(Role)
        .where(Slot.opportunity == opportunity.id, Slot.starts_at >= start, Slot.starts_at < end)
        .order_by(Slot.starts_at, Role.position)
    )
    slot_ids = [s.id for s in slots] or [0]
    by_slot = {s.id: s for s in slots}
    registered = list(
        Registration.select(Registration, User)
        .join(User, on=Registration.volunteer)
        .where(Registration.slot.in_(slot_ids), Registration.status == REGISTERED)
        .order_by(User.first_name, User.last_name)
    )
    marks = {
        (a.slot_id, a.volunteer_id): a
        for a in Attendance.select(Attendance, User).join(User).where(Attendance.slot.in_(slot_ids))
    }
    for reg in registered:
        reg.slot = by_slot[reg.slot_id]
        mark = marks.get((reg.slot_id, reg.volunteer_id))
        reg.came = mark.attended if mark is not None else True
    walked_in = [a for a in marks.values() if a.registration_id is None]
    for mark in walked_in:
        mark.slot = by_slot[mark.slot_id]
    recorded = AttendanceDay.get_or_none(AttendanceDay.opportunity == opportunity.id, AttendanceDay.day == day)
    return Night(opportunity, day, slots, registered, sorted(walked_in, key=lambda a: a.volunteer.name), recorded)


def is_shift_leader_that_night(user, opportunity, day):
    start, end = bounds(day)
    return (
        Registration.select()
        .join(Slot)
        .join(Role)
        .where(
            Registration.volunteer == user.id,
            Registration.status == REGISTERED,
            Role.is_shift_leader == True,
            Slot.opportunity == opportunity.id,
            Slot.starts_at >= start,
            Slot.starts_at < end,
        )
        .exists()
    )


def may_record(user, opportunity, day):
    return leads(user, opportunity.group_id) or is_shift_leader_that_night(user, opportunity, day)


def night_starts(opportunity_id, day):
    """When the night's first slot starts (its local midnight when it has none)."""
    start, end = bounds(day)
    first = (
        Slot.select(Slot.starts_at)
        .where(Slot.opportunity == opportunity_id, Slot.starts_at >= start, Slot.starts_at < end)
        .order_by(Slot.starts_at)
        .first()
    )
    return first.starts_at if first else start


def changeable(opportunity_id, day, now):
    """From the start of the night's first shift (not before: nobody has come yet) to the end of the
    seventh day after its date (local)."""
    return night_starts(opportunity_id, day) <= now and _within_the_week(day, now)


def _within_the_week(day, now):
    """now < bounds(day + CHANGEABLE)[1], without a zone sum a night: Leader Home and Tonight ask it of each."""
    return day >= _first_changeable(now)


def _first_changeable(now):
    return to_local(now).date() - CHANGEABLE


def _in_the_week(nights, now):
    """The nights of a set still within the week (the week's first day found once, not once a night)."""
    first = _first_changeable(now)
    return {n for n in nights if n[1] >= first}


def can_add(the_night):
    """Active members of the group not on tonight's list, for "Add someone who came"."""
    listed = [r.volunteer_id for r in the_night.registered] + [a.volunteer_id for a in the_night.walked_in]
    return list(
        User.select()
        .join(Membership)
        .where(Membership.group == the_night.opportunity.group_id, User.active == True, User.id.not_in(listed or [0]))
        .order_by(User.first_name, User.last_name)
    )


def record(opportunity, day, by, didnt_come=(), gone=(), add=None, now=None):
    """Save "Who came?" in one transaction: registrations in didnt_come are marked Didn't come, the
    rest Attended; walk-ins in gone are dropped; add is (volunteer id, slot id) of someone who came
    unregistered. Raises Refused outside the seven days or for a person or slot not of this night."""
    now = now or utcnow()
    with write_transaction():
        if not changeable(opportunity.id, day, now):
            raise Refused(NOT_CHANGEABLE)
        the_night = night(opportunity, day)
        if add is not None:
            _add(the_night, *add)
        for reg in the_night.registered:
            _mark(reg.slot_id, reg.volunteer_id, reg.id, reg.id not in set(didnt_come))
        Attendance.delete().where(
            Attendance.id.in_([a.id for a in the_night.walked_in if a.id in set(gone)] or [0])
        ).execute()
        day_row = AttendanceDay.get_or_none(AttendanceDay.opportunity == opportunity.id, AttendanceDay.day == day)
        if day_row is None:
            AttendanceDay.create(opportunity=opportunity, day=day, recorded_at=now, recorded_by=by)
        else:
            day_row.recorded_at, day_row.recorded_by = now, by
            day_row.save()


def _mark(slot_id, volunteer_id, registration_id, attended):
    updated = (
        Attendance.update(attended=attended, registration=registration_id)
        .where(Attendance.slot == slot_id, Attendance.volunteer == volunteer_id)
        .execute()
    )
    if not updated:
        Attendance.create(slot=slot_id, volunteer=volunteer_id, registration=registration_id, attended=attended)


def _add(the_night, volunteer_id, slot_id):
    if slot_id not in {s.id for s in the_night.slots}:
        raise Refused(gettext("Choose the role they came for."))
    if volunteer_id not in {u.id for u in can_add(the_night)}:
        raise Refused(gettext("Choose a member of the group who is not on the list yet."))
    _mark(slot_id, volunteer_id, None, True)


# Leader Home and the member page ----------------------------------------------------------------


def waiting(group_ids, now, known=()):
    """Nights of the last week in these groups (None: every group), over and with someone registered,
    whose attendance is not recorded yet: [(opportunity, local date)], oldest first. Bounded by the
    week, not history. The opportunities `known` (the caller has them already) are not read again."""
    zone = org_zone()
    rows = (
        Slot.select(Slot.opportunity, Slot.starts_at)
        .join(Registration)
        .switch(Slot)
        .join(Opportunity)
        .where(
            went_ahead(),
            Registration.status == REGISTERED,
            Slot.starts_at >= now - WAITING,
            Slot.starts_at < now,  # implied by the next, and it bounds the index's range: not every slot ahead
            Slot.ends_at <= now,
        )
        .distinct()
    )
    if group_ids is not None:
        rows = rows.where(Opportunity.group.in_(list(group_ids) or [0]))
    day = local_days(zone, Slot.starts_at.python_value)
    nights = {(opp_id, day(starts_at)) for opp_id, starts_at in database.execute(rows)}  # as the driver gives them
    return _unrecorded(_in_the_week(nights, now), known)


def led_nights(user, now):
    """Nights this volunteer led as shift leader, over and still changeable, not yet recorded:
    [(opportunity, local date)] for the portal home. Bounded by the week, not history."""
    zone = org_zone()
    rows = (
        Slot.select(Slot.opportunity, Slot.starts_at)
        .join(Registration)
        .switch(Slot)
        .join(Role)
        .where(
            Registration.volunteer == user.id,
            Registration.status == REGISTERED,
            Role.is_shift_leader == True,
            Slot.starts_at >= now - WAITING,
            Slot.ends_at <= now,
        )
        .tuples()
    )
    nights = {(opp_id, to_local(starts_at, zone).date()) for opp_id, starts_at in rows}
    return _unrecorded(_in_the_week(nights, now))


def _unrecorded(nights, known=()):
    if not nights:
        return []
    ids = {o for o, _ in nights}
    done = set(
        AttendanceDay.select(AttendanceDay.opportunity, AttendanceDay.day)
        .where(AttendanceDay.opportunity.in_(ids), AttendanceDay.day >= min(d for _, d in nights))
        .tuples()
    )
    opportunities = {o.id: o for o in known if o.id in ids}
    if ids - opportunities.keys():
        opportunities.update(
            {o.id: o for o in Opportunity.select().where(Opportunity.id.in_(ids - opportunities.keys()))}
        )
    return [(opportunities[o], d) for o, d in sorted(nights - done, key=lambda n: (n[1], n[0]))]


def with_links(nights):
    """[(opportunity, date, the "Who came?" address)] for a list of nights."""
    return [(opp, day, url_for("leader.attendance", opportunity_id=opp.id, day=day.isoformat())) for opp, day in nights]


def record_of(volunteer, group_ids=None, limit=20):
    """A volunteer's recorded attendance in these groups: counts, and the latest nights."""
    query = (
        Attendance.select(Attendance, Slot, Role, Opportunity)
        .join(Slot)
        .join(Role)
        .switch(Slot)
        .join(Opportunity)
        .where(Attendance.volunteer == volunteer.id)
    )
    if group_ids is not None:  # None: an administrator, who sees every group
        query = query.where(Opportunity.group.in_(list(group_ids) or [0]))
    counts = {True: 0, False: 0}
    for attended, n in (
        query.select(Attendance.attended, fn.COUNT(Attendance.id)).group_by(Attendance.attended).tuples()
    ):
        counts[bool(attended)] = n
    latest = list(query.order_by(Slot.starts_at.desc()).limit(limit))
    return {"attended": counts[True], "missed": counts[False], "latest": latest}
