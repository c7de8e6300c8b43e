"""Offering shifts: which opportunities a volunteer sees, and the slot table: whether they may
offer for a slot. ("Register", the offer itself, is registering.py.)

The guide's "Offering Shifts": a volunteer (or the parent registering a family member) picks an
opportunity of their groups, ticks slots and clicks "Register". An offer is a pending
registration: it uses up no spot until a group leader accepts it.
"""

from .translated import lazy_gettext
import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from peewee import Case, fn

from .db import utcnow, write_transaction
from .eligibility import eligibility, training_needed
from .models import (
    CANCELLED,
    REGISTERED,
    Group,
    Membership,
    AwayRange,
    Opportunity,
    OpportunityInterest,
    OpportunityUnlock,
    Profile,
    Registration,
    Role,
    Slot,
)
from .timeutil import org_zone, slot_when, to_local, to_utc


YOURE_AWAY = lazy_gettext("You're away")  # escaped as HTML, in the language of the page


class NotAllowed(Exception):
    """A slot of an opportunity this volunteer cannot see: only a crafted form sends one."""


# Who sees what ----------------------------------------------------------------------------------


def _people(volunteer):
    """A family member shares the account holder's groups and codes: they volunteer together."""
    return [volunteer.id] + ([volunteer.family_of_id] if volunteer.family_of_id else [])


def visible_group_ids(volunteer):
    query = Membership.select(Membership.group).where(Membership.user.in_(_people(volunteer)))
    return {gid for (gid,) in query.tuples()}


def unlocked_ids(volunteer):
    query = OpportunityUnlock.select(OpportunityUnlock.opportunity).where(
        OpportunityUnlock.user.in_(_people(volunteer))
    )
    return {oid for (oid,) in query.tuples()}


def _is_private(opportunity):
    return bool(opportunity.private_code)


def visible_opportunities(volunteer, now):
    """Live opportunities of the volunteer's groups; a private one only once its code was entered."""
    public = Opportunity.private_code.is_null() | (Opportunity.private_code == "")
    return (
        Opportunity.select(Opportunity, Group)
        .join(Group)
        .where(
            Opportunity.group.in_(visible_group_ids(volunteer)),
            Opportunity.cancelled_at.is_null(),
            Opportunity.live_from <= now,
            public | Opportunity.id.in_(unlocked_ids(volunteer)),
        )
    )


def can_see(volunteer, opportunity, now, groups=None, unlocked=None):
    """The test behind visible_opportunities() for one opportunity (pass the sets when checking many)."""
    groups = visible_group_ids(volunteer) if groups is None else groups
    unlocked = unlocked_ids(volunteer) if unlocked is None else unlocked
    return (
        opportunity.is_live(now)
        and opportunity.group_id in groups
        and (not _is_private(opportunity) or opportunity.id in unlocked)
    )


def unlock(volunteer, code, now=None):
    """The opportunity with this private registration code, now shown to the volunteer, who joins
    its group; None when no opportunity has that code."""
    code = (code or "").strip().lower()
    if not code:
        return None
    opportunity = (
        Opportunity.select()
        .where(fn.LOWER(Opportunity.private_code) == code, Opportunity.cancelled_at.is_null())
        .first()
    )
    if opportunity is None:
        return None
    with write_transaction():
        Membership.insert(user=volunteer, group=opportunity.group_id).on_conflict_ignore().execute()
        OpportunityUnlock.insert(
            user=volunteer, opportunity=opportunity, at=now or utcnow()
        ).on_conflict_ignore().execute()
    return opportunity


# Step 2: the list of opportunities ----------------------------------------------------------------


def registered_column():
    """How many volunteers a slot has registered: a column for the slot queries below."""
    other = Registration.alias()
    return (other.select(fn.COUNT(other.id)).where(other.slot == Slot.id, other.status == REGISTERED)).alias(
        "n_registered"
    )


def _day_range(day, zone):
    start = to_utc(datetime.combine(day, time()), zone)
    return start, to_utc(datetime.combine(day + timedelta(days=1), time()), zone)


def date_range(first, last, zone=None):
    """'Oct 9 - Nov 27, 2025', as the guide writes an opportunity's dates."""
    a, b = to_local(first, zone).date(), to_local(last, zone).date()
    if a == b:
        return f"{a:%b} {a.day}, {a.year}"
    if a.year == b.year:
        return f"{a:%b} {a.day} - {b:%b} {b.day}, {b.year}"
    return f"{a:%b} {a.day}, {a.year} - {b:%b} {b.day}, {b.year}"


@dataclass
class Listing:
    """One opportunity under "Step 2", with its dates and the spots left in its open slots."""

    opportunity: Opportunity
    first: datetime
    last: datetime
    slots: int = 0
    available: int = 0

    def dates(self, zone=None):
        return date_range(self.first, self.last, zone)

    @property
    def location(self):
        return self.opportunity.location or self.opportunity.group.name


def open_opportunities(volunteer, now, zone=None, interest=None, group=None, day=None, keyword=None):
    """Step 2 "Select an Available Opportunity Below": live, before their offer deadline, with a
    slot still to come; narrowed by the search's interest, location (group), date and keyword."""
    zone = zone or org_zone()
    query = visible_opportunities(volunteer, now).where(
        Opportunity.offer_deadline.is_null() | (Opportunity.offer_deadline > now)
    )
    if interest:
        query = query.where(
            Opportunity.id.in_(
                OpportunityInterest.select(OpportunityInterest.opportunity).where(
                    OpportunityInterest.category == interest
                )
            )
        )
    if group:
        query = query.where(Opportunity.group == group)
    if keyword:
        query = query.where(
            Opportunity.name.contains(keyword)
            | Opportunity.description.contains(keyword)
            | Opportunity.location.contains(keyword)
            | Group.name.contains(keyword)
        )
    if day:
        start, end = _day_range(day, zone)
        query = query.where(
            Opportunity.id.in_(
                Slot.select(Slot.opportunity).where(Slot.starts_at >= start, Slot.starts_at < end, Slot.ends_at > now)
            )
        )
    opportunities = {o.id: o for o in query}
    return _listings(opportunities, now)


def listing(opportunity, now):
    """One opportunity's dates and spots left, for its details; None once its slots are over."""
    return next(iter(_listings({opportunity.id: opportunity}, now)), None)


def _listings(opportunities, now):
    """Two grouped queries: a listing's figures, never a model per slot (an opportunity may have hundreds).
    Spots left = open places minus registered volunteers (a slot never holds more than its capacity)."""
    if not opportunities:
        return []
    is_open = (Slot.closed == False) & (Slot.starts_at > now)
    ids = list(opportunities)
    rows = (
        Slot.select(
            Slot.opportunity,
            fn.MIN(Slot.starts_at),
            fn.MAX(Slot.starts_at),
            fn.COUNT(Slot.id),
            fn.SUM(Case(None, [(is_open, Slot.capacity)], 0)),
        )
        .where(Slot.opportunity.in_(ids), Slot.ends_at > now)
        .group_by(Slot.opportunity)
        .tuples()
    )
    taken = dict(
        Registration.select(Slot.opportunity, fn.COUNT(Registration.id))
        .join(Slot)
        .where(Slot.opportunity.in_(ids), is_open, Registration.status == REGISTERED)
        .group_by(Slot.opportunity)
        .tuples()
    )
    found = []
    for opportunity_id, first, last, count, places in rows:
        opportunity = opportunities[opportunity_id]
        closed = opportunity.cancelled_at is not None or (
            opportunity.offer_deadline is not None and opportunity.offer_deadline <= now
        )
        available = 0 if closed else max(int(places or 0) - taken.get(opportunity_id, 0), 0)
        found.append(Listing(opportunity, _as_datetime(first), _as_datetime(last), count, available))
    return sorted(found, key=lambda i: (i.first, i.opportunity.name.lower()))


def _as_datetime(value):
    # An aggregate comes back as SQLite stored it (text); PostgreSQL gives a datetime already.
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


# "Show Opportunity Calendar" ----------------------------------------------------------------------


def month_calendar(volunteer, now, year, month, zone=None):
    """Weeks (Monday first) of (day, [(opportunity, number of slots)]) for the month view."""
    zone = zone or org_zone()
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    start, _ = _day_range(weeks[0][0], zone)
    _, end = _day_range(weeks[-1][-1], zone)
    ids = [item.opportunity.id for item in open_opportunities(volunteer, now, zone)]
    slots = (
        Slot.select(Slot.starts_at, Opportunity)
        .join(Opportunity)
        .where(Slot.opportunity.in_(ids), Slot.starts_at >= start, Slot.starts_at < end, Slot.ends_at > now)
        .order_by(Slot.starts_at, Opportunity.name)
    )
    by_day = {}
    for slot in slots:
        day = to_local(slot.starts_at, zone).date()
        counts = by_day.setdefault(day, {})
        entry = counts.setdefault(slot.opportunity.id, [slot.opportunity, 0])
        entry[1] += 1
    return [[(day, [tuple(e) for e in by_day.get(day, {}).values()]) for day in week] for week in weeks]


# Step 3: the slot table ---------------------------------------------------------------------------


@dataclass
class SlotRow:
    """One row of "Select an Available Slot Below"."""

    slot: Slot
    state: object  # "Closed", "Full" or the number of spots left: the "Spots Available" column
    status: str = None  # "Pending", "Registered"...: already offered, shown instead of a box
    why_not: str = None  # why this volunteer cannot offer (the minimum age), shown instead of a box
    when: str = ""  # 'Thu, Oct 9, 2025 - 6:00 PM to 9:00 PM'
    training: str = None  # "Training needed: NAME", a link to what to do instead of a box
    away: str = None  # "You're away": the volunteer said they are away that date (cervis/away.py)

    @property
    def parts(self):
        """(day, start, end) of `when`: the date heading and the row's own markup (on a phone, apart)."""
        day, _, times = self.when.partition(" - ")
        start, _, end = times.partition(" to ")
        return day, start, end

    @property
    def refusal(self):
        """None when the box can be ticked, else what stops it."""
        state = self.state if isinstance(self.state, str) else None
        return self.status or state or self.away or self.why_not or self.training


def birth_date_of(volunteer):
    profile = Profile.get_or_none(Profile.user == volunteer)
    return profile.birth_date if profile else None


def age_refusal(volunteer, slot, birth_date, zone=None):
    """Why a volunteer cannot offer for an age-limited slot: too young that day, or age unknown."""
    minimum = slot.opportunity.min_age
    if not minimum:
        return None
    if birth_date is None:
        # Safeguarding: an unknown age is not taken as old enough.
        return (
            f"{volunteer.first_name}'s birth date is needed to check the minimum age of "
            f"{minimum}: please add it to the volunteer profile."
        )
    age = Profile(birth_date=birth_date).age_on(to_local(slot.starts_at, zone).date())
    if age < minimum:
        return f"Volunteers must be {minimum} or over on the day of this slot."
    return None


def away_ranges(volunteer, now):
    """The volunteer's away ranges not yet over, for slot_row."""
    return AwayRange.of([volunteer.id], to_local(now, org_zone()).date() - timedelta(days=1), date.max).get(
        volunteer.id, []
    )


def slot_row(volunteer, slot, now, registration, birth_date, zone, qualified, away=()):
    status = None
    if registration is not None and registration.status != CANCELLED:
        registration.slot = slot
        status = registration.status_label
    return SlotRow(
        slot,
        slot.state(now, slot.n_registered),
        status,
        age_refusal(volunteer, slot, birth_date, zone),
        slot_when(slot.starts_at, slot.ends_at, zone),
        training_needed(qualified.missing_for(volunteer.id, slot, zone)),
        YOURE_AWAY if AwayRange.on(away, to_local(slot.starts_at, zone).date()) else None,
    )


def slot_rows(volunteer, opportunity, now, day=None, zone=None, month=None):
    """The opportunity's slots not yet over (on one local day, from the calendar, or in one local
    month, from an announcement's link), in time order."""
    zone = zone or org_zone()
    # The columns the table shows, no more: a two-month opportunity has hundreds of rows.
    # The group's few roles are read once and shared: not a Role built for every row.
    roles = {
        r.id: r for r in Role.select(Role.id, Role.name, Role.is_reserve).where(Role.group == opportunity.group_id)
    }
    query = (
        Slot.select(Slot.id, Slot.role, Slot.starts_at, Slot.ends_at, Slot.capacity, Slot.closed, registered_column())
        .join(Role)
        .where(Slot.opportunity == opportunity, Slot.ends_at > now)
        .order_by(Slot.starts_at, Role.position, Role.name)
    )
    if day:
        start, end = _day_range(day, zone)
        query = query.where(Slot.starts_at >= start, Slot.starts_at < end)
    elif month:
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        query = query.where(
            Slot.starts_at >= _day_range(month, zone)[0], Slot.starts_at < _day_range(following, zone)[0]
        )
    mine = {
        r.slot_id: r
        for r in Registration.select().where(
            Registration.volunteer == volunteer,
            Registration.slot.in_(Slot.select(Slot.id).where(Slot.opportunity == opportunity)),
        )
    }
    birth_date, slots = birth_date_of(volunteer), list(query)
    qualified, away = eligibility([volunteer.id], {s.role_id for s in slots}), away_ranges(volunteer, now)
    rows = []
    for slot in slots:
        slot.opportunity, slot.role = opportunity, roles[slot.role_id]
        rows.append(slot_row(volunteer, slot, now, mine.get(slot.id), birth_date, zone, qualified, away))
    return rows
