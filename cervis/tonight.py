"""Tonight, for the coordinator: every venue's night, today and tomorrow. Each role's places filled
or short, the shift leader and the Reserves with their phones, cover asked or found, late
cancellations, and the nights still waiting for "Who came?".

A night is one opportunity's slots starting on one local date, as "Who came?" counts it. A night
shelter's night runs into the next morning, so until noon "tonight" is still last night's: the page
shows the night of the date 12 hours ago and the night after it. Its cost follows the nights it
shows, never the history: a fixed number of queries, however many years the database holds.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from peewee import JOIN

from . import attendance, cover
from .models import CANCELLED, PENDING, REGISTERED, Opportunity, Profile, Registration, Role, Slot, User
from .models.rota import went_ahead
from .permissions import groups_led_by
from .timeutil import local_time, org_zone, to_local

NIGHT_TURNS = timedelta(hours=12)  # until noon, "tonight" is the night that began yesterday evening
LATE = timedelta(hours=48)  # a cancellation this close to the shift is late (when the reminder goes)


@dataclass
class Person:
    name: str
    phone: str


@dataclass
class Place:
    """One role's slot on one night, and who holds its places."""

    slot: Slot
    registered: list = field(default_factory=list)  # Person, by first name
    pending: int = 0  # offers waiting for a leader's decision
    cover: list = field(default_factory=list)  # cover.asked_for_slots' requests

    @property
    def short(self):
        return max(self.slot.capacity - len(self.registered), 0)

    @property
    def times(self):
        return f"{local_time(self.slot.starts_at)} to {local_time(self.slot.ends_at)}"


@dataclass
class Night:
    opportunity: Opportunity
    day: date
    places: list = field(default_factory=list)
    late: list = field(default_factory=list)  # (Person, role name, cancelled at), latest first
    who_came: bool = False  # over, with someone registered, and attendance not recorded yet

    def holders(self, which):
        return [p for place in self.places if getattr(place.slot.role, which) for p in place.registered]

    @property
    def shift_leaders(self):
        return self.holders("is_shift_leader")

    @property
    def reserves(self):
        return self.holders("is_reserve")

    @property
    def short(self):
        """Places short, Reserves aside: a night can go ahead without its standby."""
        return sum(place.short for place in self.places if not place.slot.role.is_reserve)

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

    def label(self, day):
        return "Tonight" if day == self.days[0] else "Tomorrow"

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
    start, end = attendance.bounds(days[0], zone)[0], attendance.bounds(days[1], zone)[1]
    nights, places = _nights(list(venues), start, end, zone)
    _fill(places, nights, start)
    for n in nights.values():
        venues[n.opportunity.group_id].nights[n.day].append(n)
    for opportunity, day in attendance.waiting(list(venues), now):
        shown = nights.get((opportunity.id, day))
        if shown is not None:
            shown.who_came = True
        elif day < days[0]:
            venues[opportunity.group_id].earlier.append((opportunity, day))
    return Board(days, [venues[g.id] for g in groups])


def _nights(group_ids, start, end, zone):
    """{(opportunity id, date): Night} and {slot id: Place} of the slots starting in [start, end)."""
    slots = (
        Slot.select(Slot, Role, Opportunity)
        .join(Role)
        .switch(Slot)
        .join(Opportunity)
        .where(Opportunity.group.in_(group_ids or [0]), Slot.starts_at >= start, Slot.starts_at < end, went_ahead())
        .order_by(Opportunity.name, Opportunity.id, Slot.starts_at, Role.position)
    )
    nights, places = {}, {}
    for slot in slots:
        day = to_local(slot.starts_at, zone).date()
        night = nights.setdefault((slot.opportunity_id, day), Night(slot.opportunity, day))
        places[slot.id] = Place(slot)
        night.places.append(places[slot.id])
    return nights, places


def _fill(places, nights, start):
    """Who holds, offers for and gave up each place (one query), and its cover (cover's two)."""
    rows = (
        Registration.select(
            Registration.slot, Registration.status, Registration.cancelled_at, User.first_name, User.last_name
        )
        .join(User, on=(Registration.volunteer == User.id))
        .switch(Registration)
        .join(Profile, JOIN.LEFT_OUTER, on=(Profile.user == Registration.volunteer))
        .select_extend(Profile.mobile)
        .where(
            Registration.slot.in_(list(places) or [0]),
            Registration.status.in_([REGISTERED, PENDING])
            | ((Registration.status == CANCELLED) & (Registration.cancelled_at >= start - LATE)),
        )
        .order_by(User.first_name, User.last_name)
        .tuples()
    )
    for slot_id, status, cancelled_at, first, last, mobile in rows:
        place, person = places[slot_id], Person(f"{first} {last}".strip(), mobile or "")
        if status == REGISTERED:
            place.registered.append(person)
        elif status == PENDING:
            place.pending += 1
        elif place.slot.starts_at - cancelled_at <= LATE:
            key = (place.slot.opportunity_id, to_local(place.slot.starts_at).date())
            nights[key].late.append((person, place.slot.role.name, cancelled_at))
    for night in nights.values():
        night.late.sort(key=lambda late: late[2], reverse=True)
    for slot_id, requests in cover.asked_for_slots(list(places)).items():
        places[slot_id].cover = requests
