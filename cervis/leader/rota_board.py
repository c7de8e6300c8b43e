"""What the rota board shows for one opportunity and month, in a handful of grouped queries.

However many dates, roles and offers the month holds: one query for its slots, one for their
registrations (with each volunteer's profile and preferred frequency), one for the shifts those
volunteers already have around that month, and one for the group's members when adding.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from peewee import JOIN, fn

from .. import cover, eligibility
from ..models import (
    CANCELLED,
    NOT_REQUIRED,
    PENDING,
    REGISTERED,
    CoverRequest,
    Frequency,
    Membership,
    Opportunity,
    Profile,
    Registration,
    Role,
    Slot,
    User,
)
from ..months import month_bounds, month_of, next_month
from ..timeutil import org_zone, to_local


@dataclass
class Entry:
    """One registration as its row on the board: plain values, read in one query (no model per row)."""

    id: int
    volunteer_id: int
    slot_id: int
    status: str
    note: str
    cancelled_at: object
    cancel_reason: str
    name: str
    phone: str
    frequency: str
    month_shifts: int = 0  # registered shifts that month, in any opportunity
    clash: str = ""  # why accepting would be refused for overlapping, when it would
    training: str = ""  # "Training needed: NAME": what the role needs that they lack on the slot's date
    override: str = ""  # a leader's reason for accepting them without it
    untrained: set = field(default_factory=set)  # a Reserve's Call Up targets whose training they lack


@dataclass
class SlotView:
    slot: Slot
    registered: list = field(default_factory=list)
    pending: list = field(default_factory=list)
    not_required: list = field(default_factory=list)
    cancelled: list = field(default_factory=list)
    targets: list = field(default_factory=list)  # (role slot of the same date, is it Full), for "Call Up"
    cover: list = field(default_factory=list)  # cover asked after a late cancellation (cover.asked_for_slots)

    @property
    def count(self):
        return len(self.registered)

    @property
    def full(self):
        return self.count >= self.slot.capacity

    @property
    def short(self):
        return self.slot.capacity - self.count


@dataclass
class Day:
    date: object
    slots: list = field(default_factory=list)  # what is shown: SlotViews, or Cells that pass the filter
    all: list = field(default_factory=list)
    starts_at: object = None  # UTC: the first slot's start, when "Who came?" opens


def month_slots(opportunity, day, around=None):
    """The month's slots; with `around` (start times), only those within a day of them: enough for a
    slot opened in place, whose Reserve's Call Up lists that date's other slots."""
    start, end = month_bounds(day)
    if around:
        start, end = max(start, min(around) - timedelta(days=1)), min(end, max(around) + timedelta(days=1))
    return list(
        Slot.select(Slot, Role)
        .join(Role)
        .where(Slot.opportunity == opportunity.id, Slot.starts_at >= start, Slot.starts_at < end)
        .order_by(Slot.starts_at, Role.position, Role.name)
    )


def _entries(slot_ids):
    """Every registration of these slots, with name, phone and preferred frequency."""
    rows = (
        Registration.select(
            Registration.id,
            Registration.volunteer.alias("volunteer_id"),
            Registration.slot.alias("slot_id"),
            Registration.status,
            Registration.note,
            Registration.cancelled_at,
            Registration.cancel_reason,
            User.first_name,
            User.last_name,
            Profile.mobile,
            Frequency.name.alias("frequency"),
        )
        .join(User, on=Registration.volunteer)
        .join(Profile, JOIN.LEFT_OUTER, on=(Profile.user == User.id))
        .join(Frequency, JOIN.LEFT_OUTER, on=(Profile.frequency == Frequency.id))
        .where(Registration.slot.in_(slot_ids))
        .order_by(Registration.created_at, Registration.id)
        .dicts()
    )
    return [
        Entry(
            r["id"],
            r["volunteer_id"],
            r["slot_id"],
            r["status"],
            r["note"] or "",
            r["cancelled_at"],
            r["cancel_reason"] or "",
            f"{r['first_name']} {r['last_name'] or ''}".strip(),
            r["mobile"] or "",
            r["frequency"] or "Not given",
        )
        for r in rows
    ]


def phone_of(volunteer):
    profile = getattr(volunteer, "profile", None)
    return profile.mobile if profile is not None and profile.mobile else ""


def _their_shifts(volunteer_ids, day):
    """The volunteers' registered slots from a day before the month to a day after it."""
    start, end = month_bounds(day)
    if not volunteer_ids:
        return []
    return list(
        Registration.select(
            Registration.id,
            Registration.volunteer.alias("volunteer_id"),
            Slot.starts_at,
            Slot.ends_at,
            Slot.opportunity.alias("opportunity_id"),
            Role.name.alias("role"),
            Opportunity.name.alias("opportunity"),
        )
        .join(Slot)
        .join(Role)
        .switch(Slot)
        .join(Opportunity)
        .where(
            Registration.volunteer.in_(volunteer_ids),
            Registration.status == REGISTERED,
            Slot.starts_at >= start - timedelta(days=1),
            Slot.starts_at < end + timedelta(days=1),
        )
        .dicts()
    )


def _clash(entry, slot, shifts):
    for other in shifts:
        if other["id"] != entry.id and other["starts_at"] < slot.ends_at and other["ends_at"] > slot.starts_at:
            where = "" if other["opportunity_id"] == slot.opportunity_id else f" at {other['opportunity']}"
            return f"Already registered as {other['role']}{where} at an overlapping time"
    return ""


def build(opportunity, day, only=None, around=None):
    """The month's dates, each with its slots; `only` limits the slots filled in (an htmx answer),
    `around` the slots read to those within a day of these start times."""
    zone = org_zone()
    slots = month_slots(opportunity, day, around)
    views = {s.id: SlotView(s) for s in slots if only is None or s.id in only}
    entries = _entries(list(views)) if views else []
    shifts = defaultdict(list)
    for other in _their_shifts(list({e.volunteer_id for e in entries}), day):
        shifts[other["volunteer_id"]].append(other)
    start, end = month_bounds(day)
    known = _qualifications(entries, views, {s.role_id for s in slots}, zone)
    for entry in entries:
        view, mine = views[entry.slot_id], shifts[entry.volunteer_id]
        entry.month_shifts = sum(1 for o in mine if start <= o["starts_at"] < end)
        if entry.status == PENDING:
            entry.clash = _clash(entry, view.slot, mine)
        {
            REGISTERED: view.registered,
            PENDING: view.pending,
            NOT_REQUIRED: view.not_required,
            CANCELLED: view.cancelled,
        }[entry.status].append(entry)
    _call_up_targets(slots, views, zone)
    _call_up_training(views, known, zone)
    if only is not None:  # a slot opened in place: who was asked to cover it, and when
        for slot_id, asked in cover.asked_for_slots(list(views)).items():
            views[slot_id].cover = asked
    days = {}
    for slot in slots:
        if slot.id in views:
            local = to_local(slot.starts_at, zone).date()
            days.setdefault(local, Day(local)).slots.append(views[slot.id])
    return list(days.values())


def _qualifications(entries, views, role_ids, zone):
    """Each pending or registered entry's missing training, and the overrides: two queries in all.
    `role_ids`: every role of the slots read, so the answer also says which of the night's slots a
    registered Reserve may be called up to (_call_up_training)."""
    live = [e for e in entries if e.status in (PENDING, REGISTERED)]
    known = eligibility.eligibility({e.volunteer_id for e in live}, role_ids)
    reasons = eligibility.overridden([e.id for e in live if e.status == REGISTERED]) if known.needs else {}
    for entry in live:
        entry.training = (
            eligibility.training_needed(known.missing_for(entry.volunteer_id, views[entry.slot_id].slot, zone)) or ""
        )
        entry.override = reasons.get(entry.id, "")
    return known


def _call_up_targets(slots, views, zone):
    by_date = defaultdict(list)
    for slot in slots:
        if not slot.role.is_reserve:
            by_date[to_local(slot.starts_at, zone).date()].append(slot)
    for view in views.values():
        if view.slot.role.is_reserve and view.registered:
            view.targets = [(t, _is_full(t, views)) for t in by_date[to_local(view.slot.starts_at, zone).date()]]


def _call_up_training(views, known, zone):
    """Each registered Reserve's Call Up list marks the roles they lack the training for."""
    reserves = [(view, entry) for view in views.values() if view.targets for entry in view.registered]
    for view, entry in reserves:
        entry.untrained = {t.id for t, _ in view.targets if known.missing_for(entry.volunteer_id, t, zone)}


def _is_full(slot, views):
    """From the board's own counts; a slot outside this answer (an htmx swap of one slot) is asked."""
    registered = views[slot.id].count if slot.id in views else slot.registered_count()
    return registered >= slot.capacity


def slot_views(opportunity, slot_ids):
    """Just these slots, for an answer that swaps them in place."""
    slots = list(Slot.select(Slot.id, Slot.starts_at).where(Slot.id.in_(list(slot_ids))))
    if not slots:
        return []
    day = month_of(slots[0].starts_at)
    return [
        view
        for d in build(opportunity, day, only=set(slot_ids), around=[s.starts_at for s in slots])
        for view in d.slots
    ]


@dataclass
class Cell:
    """One slot in the month at a glance: counts only, its people load when it is opened."""

    id: int
    role: str
    time: str
    registered: int
    capacity: int
    pending: int
    timed: bool = False  # its date has slots at several times: the cell shows its own
    cover: bool = False  # a place given up at short notice, cover asked and not yet found
    lapsed: bool = False  # held by someone whose training will have run out by then ("SL lapsed")

    @property
    def state(self):
        """Full, short with offers waiting, or short with none: the cell's colour and its words."""
        if self.registered >= self.capacity:
            return "full"
        return "offers" if self.pending else "short"


FILTERS = {"short": lambda c: c.registered < c.capacity, "offers": lambda c: c.pending > 0}


def month_cells(opportunity, day, show=None, marked=None):
    """The month's dates, each with a cell per slot, in two grouped queries whatever it holds.
    `marked`: the ids of the only cells an answer shows, the only ones checked for lapsed training."""
    zone = org_zone()
    start, end = month_bounds(day)
    month = Slot.select(Slot.id).where(
        Slot.opportunity == opportunity.id, Slot.starts_at >= start, Slot.starts_at < end
    )
    slots = (
        Slot.select(Slot.id, Slot.starts_at, Slot.capacity, Role.name)
        .join(Role)
        .where(Slot.id.in_(month))
        .order_by(Slot.starts_at, Role.position, Role.name)
        .tuples()
    )
    counts = defaultdict(int)
    rows = (
        Registration.select(Registration.slot, Registration.status, fn.COUNT(Registration.id))
        .where(Registration.slot.in_(month), Registration.status.in_((PENDING, REGISTERED)))
        .group_by(Registration.slot, Registration.status)
        .tuples()
    )
    for slot_id, status, n in rows:
        counts[(slot_id, status)] = n
    asking = {
        sid
        for (sid,) in CoverRequest.select(CoverRequest.slot)
        .where(CoverRequest.slot.in_(month), CoverRequest.covered_at.is_null())
        .tuples()
    }
    lapsed = {p.slot_id for p in eligibility.lapsed_places(month if marked is None else list(marked))}
    keep = FILTERS.get(show, lambda c: True)
    days = {}
    for slot_id, starts_at, capacity, role in slots:  # plain values: no model per cell
        local = to_local(starts_at, zone)
        cell = Cell(
            slot_id,
            role,
            f"{local:%H:%M}",
            counts[(slot_id, REGISTERED)],
            capacity,
            counts[(slot_id, PENDING)],
            cover=slot_id in asking,
            lapsed=slot_id in lapsed,
        )
        day_ = days.setdefault(local.date(), Day(local.date(), starts_at=starts_at))
        day_.all.append(cell)
        if keep(cell):
            day_.slots.append(cell)
    for d in days.values():
        timed = len({c.time for c in d.all}) > 1
        for cell in d.all:
            cell.timed = timed
    return [d for d in days.values() if d.slots], [c for d in days.values() for c in d.all]


def month_counts(cells):
    """The numbers at the top of the board, from the month's cells: slots, still short, pending offers."""
    return {
        "slots": len(cells),
        "short": sum(1 for c in cells if c.registered < c.capacity),
        "pending": sum(c.pending for c in cells),
    }


def members(opportunity, slot):
    """The group's active members who could be added to this slot (not already registered in it)."""
    taken = Registration.select(Registration.volunteer).where(
        Registration.slot == slot.id, Registration.status == REGISTERED
    )
    return list(
        User.select()
        .join(Membership, on=(Membership.user == User.id))
        .where(Membership.group == opportunity.group_id, User.active == True, User.id.not_in(taken))
        .order_by(User.first_name, User.last_name)
    )


def months_with_slots(opportunity):
    """The local months from the opportunity's first slot to its last, for the month navigation."""
    first, last = (
        Slot.select(fn.MIN(Slot.starts_at), fn.MAX(Slot.starts_at))
        .where(Slot.opportunity == opportunity.id)
        .tuples()
        .get()
    )
    if first is None:
        return []
    months, month, last = [], month_of(first), month_of(last)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def default_month(opportunity, now):
    """The month a leader most likely wants: the first upcoming one with pending offers."""
    upcoming = (
        Slot.select(Slot.starts_at)
        .where(Slot.opportunity == opportunity.id, Slot.starts_at >= now)
        .order_by(Slot.starts_at)
    )
    first_offer = upcoming.join(Registration).where(Registration.status == PENDING).first()
    first = first_offer or upcoming.first()
    return month_of(first.starts_at if first else now)
