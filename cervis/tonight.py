"""Tonight, for the coordinator: every venue's night, today and tomorrow. Each role's places filled
or short, the shift leader and the Reserves with their phones, cover asked or found, late
cancellations, and the nights still waiting for "Who came?".

A night is one opportunity's slots starting on one local date, as "Who came?" counts it. A night
shelter's night runs into the next morning, so until noon "tonight" is still last night's: the page
shows the night of the date 12 hours ago and the night after it. Its cost follows the nights it
shows, never the history: a fixed number of queries, however many years the database holds.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property, lru_cache

from peewee import JOIN, fn

from . import attendance
from .db import database
from .models import (
    CANCELLED,
    PENDING,
    REGISTERED,
    CoverAsk,
    CoverRequest,
    Opportunity,
    Profile,
    Registration,
    Role,
    Slot,
    User,
)
from .models.rota import went_ahead
from .permissions import groups_led_by
from .timeutil import local_days, org_zone, to_local

NIGHT_TURNS = timedelta(hours=12)  # until noon, "tonight" is the night that began yesterday evening
LATE = timedelta(hours=48)  # a cancellation this close to the shift is late (when the reminder goes)


@dataclass
class Person:
    name: str
    phone: str

    @property
    def dial(self):
        """The number as a tel: link dials it."""
        return self.phone.replace(" ", "")


@dataclass
class Place:
    """One role's slot on one night, and who holds its places."""

    id: int
    role: Role
    starts_at: datetime
    ends_at: datetime
    capacity: int
    filled: int = 0
    pending: int = 0  # offers waiting for a leader's decision
    people: list = field(default_factory=list)  # Person, by name: the shift leader's and Reserves' only
    cover: list = field(default_factory=list)  # each request: opened_at, covered_at, covered_by, asked
    night: object = field(default=None, repr=False)

    @property
    def short(self):
        return max(self.capacity - self.filled, 0)


@dataclass
class Night:
    opportunity: Opportunity
    day: date
    places: list = field(default_factory=list)
    late: list = field(default_factory=list)  # (Person, role name, cancelled at), latest first
    who_came: bool = False  # over, with someone registered, and attendance not recorded yet

    @cached_property
    def shift_leaders(self):
        return [p for place in self.places if place.role.is_shift_leader for p in place.people]

    @cached_property
    def reserves(self):
        return [p for place in self.places if place.role.is_reserve for p in place.people]

    @cached_property
    def short(self):
        """Places short, Reserves aside: a night can go ahead without its standby."""
        return sum(place.short for place in self.places if not place.role.is_reserve)

    @cached_property
    def hours(self):
        """(starts at, ends at) of the night when every role keeps them, else None (each role says its own)."""
        shared = {(p.starts_at, p.ends_at) for p in self.places}
        return shared.pop() if len(shared) == 1 else None

    @property
    def cover(self):
        return [(place, request) for place in self.places for request in place.cover]


@dataclass
class Venue:
    group: object
    nights: dict  # local date -> [Night], by opportunity name
    earlier: list = field(default_factory=list)  # [(opportunity, date)] before these, "Who came?" to do


@dataclass
class Board:
    days: tuple  # tonight's date, tomorrow's
    venues: list

    def places_short(self, day):
        return sum(n.short for v in self.venues for n in v.nights[day])

    def without_a_shift_leader(self, day):
        return sum(not n.shift_leaders for v in self.venues for n in v.nights[day])


def nights_shown(now, zone=None):
    """The two local dates shown: the night now under way (or next to begin), and the one after."""
    first = (to_local(now, zone or org_zone()) - NIGHT_TURNS).date()
    return first, first + timedelta(days=1)


def board(user, now):
    """What the Tonight page shows this user: the groups they lead (every group, for an administrator)."""
    zone = org_zone()
    days = nights_shown(now, zone)
    groups = list(groups_led_by(user))
    venues = {g.id: Venue(g, {day: [] for day in days}) for g in groups}
    scope = None if user.is_admin else tuple(venues) or (0,)  # None: every group, without a list of them
    window = (scope, attendance.bounds(days[0], zone)[0], attendance.bounds(days[1], zone)[1])
    nights, places = _nights(window, zone)
    _fill(places, nights, window)
    for n in nights.values():
        venues[n.opportunity.group_id].nights[n.day].append(n)
    for opportunity, day in attendance.waiting(scope, now, {n.opportunity for n in nights.values()}):
        shown = nights.get((opportunity.id, day))
        if shown is not None:
            shown.who_came = True
        elif day < days[0]:
            venues[opportunity.group_id].earlier.append((opportunity, day))
    return Board(days, [venues[g.id] for g in groups])


def _shown(query, window):
    """The query (of Slot, or joined to it) narrowed to the slots shown: the window's, not called off."""
    return _within(query, window, Opportunity.group).where(went_ahead())


def _within(query, window, group):
    """The query narrowed to the window's slots, in its groups (all of them: no condition)."""
    group_ids, start, end = window
    query = query.where(Slot.starts_at >= start, Slot.starts_at < end)
    return query if group_ids is None else query.where(group.in_(group_ids))


def _nights_query(window):
    return _shown(
        Slot.select(
            Slot.id,
            Slot.starts_at,
            Slot.ends_at,
            Slot.capacity,
            Opportunity.id,
            Opportunity.name,
            Opportunity.group,
            Role.id,
            Role.name,
            Role.is_reserve,
            Role.is_shift_leader,
            _counted(REGISTERED),
            _counted(PENDING),
        )
        .join(Role)
        .switch(Slot)
        .join(Opportunity),
        window,
    ).order_by(Opportunity.name, Opportunity.id, Slot.starts_at, Role.position)


def _nights(window, zone):
    """{(opportunity id, date): Night} and {slot id: Place} of the slots shown."""
    nights, places, opportunities, roles, local_day = {}, {}, {}, {}, local_days(zone)
    for (
        slot_id,
        starts_at,
        ends_at,
        capacity,
        opp_id,
        opp_name,
        group_id,
        role_id,
        *role,
        filled,
        pending,
    ) in _run(_nights_query, window, None, Slot.starts_at, Slot.ends_at):
        # One object a role and an opportunity, not one a slot: the wall screen's 160 slots share 80.
        if opp_id not in opportunities:
            opportunities[opp_id] = Opportunity(id=opp_id, name=opp_name, group=group_id)
        if role_id not in roles:
            roles[role_id] = Role(id=role_id, name=role[0], is_reserve=bool(role[1]), is_shift_leader=bool(role[2]))
        day = local_day(starts_at)
        if (opp_id, day) not in nights:
            nights[opp_id, day] = Night(opportunities[opp_id], day)
        night = nights[opp_id, day]
        places[slot_id] = Place(slot_id, roles[role_id], starts_at, ends_at, capacity, filled, pending, night=night)
        night.places.append(places[slot_id])
    return nights, places


def _counted(status):
    """How many registrations of this status the slot has: a look in the (slot, status) index."""
    return Registration.select(fn.COUNT(Registration.id)).where(
        Registration.slot == Slot.id, Registration.status == status
    )


def _fill(places, nights, window):
    """Who leads, stands by and gave a place up late; each place's cover."""
    for slot_id, status, cancelled_at, name, mobile in _named(window):
        place, person = places.get(slot_id), Person(name, mobile or "")
        if place is None:
            continue
        if status == REGISTERED:
            place.people.append(person)
        elif place.starts_at - cancelled_at <= LATE:
            place.night.late.append((person, place.role.name, cancelled_at))
    for night in nights.values():
        night.late.sort(key=lambda late: late[2], reverse=True)
    for slot_id, request in _cover(window):
        places[slot_id].cover.append(request)


def _named(window):
    """(slot id, status, cancelled at, name, phone), by name, of _named_query's rows."""
    return sorted(_run(_named_query, window, None, None, Registration.cancelled_at), key=lambda row: row[3])


def _named_query(window):
    """(slot id, status, cancelled at, name, phone) of the shift leaders and Reserves, and of the
    places given up since 48 hours before the first night; their slots may include some
    not shown (called off), which the caller leaves out. Two selects in one statement, each by an
    index of its own (the slots' start, the cancellations' time), with no list of slot ids to build."""
    start = window[1]

    def registrations():
        query = (
            Registration.select(Registration.slot, Registration.status, Registration.cancelled_at)
            .join(Slot)
            .join(Role)
            .switch(Registration)
            .join(User, on=(Registration.volunteer == User.id))
            .switch(Registration)
            .join(Profile, JOIN.LEFT_OUTER, on=(Profile.user == Registration.volunteer))
            .select_extend(fn.TRIM(User.first_name.concat(" ").concat(User.last_name)), Profile.mobile)
        )
        return _within(query, window, Role.group)

    held = registrations().where(Registration.status == REGISTERED, Role.is_shift_leader | Role.is_reserve)
    return held + registrations().where(Registration.status == CANCELLED, Registration.cancelled_at >= start - LATE)


def _cover(window):
    """(slot id, {opened_at, covered_at, covered_by, asked}) of each cover request, oldest first."""
    opened, covered = CoverRequest.opened_at, CoverRequest.covered_at
    for slot_id, opened_at, covered_at, first, last, n in _run(_cover_query, window, None, opened, covered):
        by = f"{first} {last}".strip() if first is not None else None
        yield slot_id, {"opened_at": opened_at, "covered_at": covered_at, "covered_by": by, "asked": n}


def _cover_query(window):
    coverer, asked = User.alias(), fn.COUNT(CoverAsk.id)
    query = (
        CoverRequest.select(
            CoverRequest.slot,
            CoverRequest.opened_at,
            CoverRequest.covered_at,
            coverer.first_name,
            coverer.last_name,
            asked,
        )
        .join(Slot)
        .join(Opportunity)
        .switch(CoverRequest)
        .join(coverer, JOIN.LEFT_OUTER, on=(CoverRequest.covered_by == coverer.id))
        .switch(CoverRequest)
        .join(CoverAsk, JOIN.LEFT_OUTER, on=(CoverAsk.request == CoverRequest.id))
        .group_by(CoverRequest.id, coverer.id)
        .order_by(CoverRequest.opened_at)
    )
    return _shown(query, window)


def _run(build, window, *times):
    """The rows of build(window)'s statement, each value of a column of `times` read as that field
    reads it (a date and time from SQLite's text). The statement depends on the window alone, which
    stays for the night's 24 hours, so peewee builds it once, not at each page: building the three
    was 2 ms of a leader's 8."""
    sql, params = _statement(build, type(database.obj), *window)
    # Each distinct text read once: the wall screen's 160 slots start and end at a handful of times.
    read = [(column, field.python_value, {}) for column, field in enumerate(times) if field is not None]
    for row in database.execute_sql(sql, params):
        row = list(row)
        for column, value, seen in read:
            text = row[column]
            if text not in seen:
                seen[text] = value(text)
            row[column] = seen[text]
        yield row


@lru_cache(maxsize=64)
def _statement(build, kind, *window):
    return build(window).sql()
