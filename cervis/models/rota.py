"""Opportunities (activities), slots (shifts) and registrations (offers and assignments)."""

from ..translated import N_
from ..translated import lazy_gettext
import peewee

from ..db import BaseModel, utcnow
from .org import InterestCategory
from .people import Group, User

PENDING, REGISTERED, NOT_REQUIRED, CANCELLED = "pending", "registered", "not_required", "cancelled"
STATUS_LABELS = {
    PENDING: lazy_gettext("Pending"),
    REGISTERED: lazy_gettext("Registered"),
    NOT_REQUIRED: lazy_gettext("Not Required"),
    CANCELLED: lazy_gettext("Cancelled"),
}
STATUSES = (PENDING, REGISTERED, NOT_REQUIRED, CANCELLED)


class Role(BaseModel):
    """A job on a shift at one venue: Cook, Reserve, Shift Asst, SL..."""

    group = peewee.ForeignKeyField(Group, backref="roles", on_delete="CASCADE")
    name = peewee.CharField()
    default_capacity = peewee.IntegerField(default=1)
    is_shift_leader = peewee.BooleanField(default=False)
    is_reserve = peewee.BooleanField(default=False)
    position = peewee.IntegerField(default=0)

    class Meta:
        indexes = ((("group", "name"), True),)


class Opportunity(BaseModel):
    group = peewee.ForeignKeyField(Group, backref="opportunities", on_delete="CASCADE")
    name = peewee.CharField()
    description = peewee.TextField(default="")
    location = peewee.TextField(default="")
    private_code = peewee.CharField(null=True, unique=True)
    live_from = peewee.DateTimeField(default=utcnow)  # UTC; hidden from volunteers before
    offer_deadline = peewee.DateTimeField(null=True)  # UTC
    min_age = peewee.IntegerField(null=True)
    cancelled_at = peewee.DateTimeField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)

    def meeting_location(self):
        """Where volunteers meet, as the guide prints it: the venue's name above its address, once."""
        group, text = self.group, self.location.strip()
        address = (group.address or "").strip()
        if text and text != address:
            return text  # the leader wrote it out, as "The HUB" above its street
        return "\n".join(part for part in (group.name, address) if part)  # the venue is the group

    def is_live(self, now):
        return self.cancelled_at is None and self.live_from <= now


class OpportunityInterest(BaseModel):
    opportunity = peewee.ForeignKeyField(Opportunity, backref="interest_links", on_delete="CASCADE")
    category = peewee.ForeignKeyField(InterestCategory, on_delete="CASCADE")

    class Meta:
        indexes = ((("opportunity", "category"), True),)


class Slot(BaseModel):
    opportunity = peewee.ForeignKeyField(Opportunity, backref="slots", on_delete="CASCADE")
    role = peewee.ForeignKeyField(Role, backref="slots", on_delete="RESTRICT")
    starts_at = peewee.DateTimeField(index=True)  # UTC
    ends_at = peewee.DateTimeField()  # UTC
    capacity = peewee.IntegerField(default=1)
    closed = peewee.BooleanField(default=False)
    created_at = peewee.DateTimeField(default=utcnow)  # announcements wait until a batch has settled

    class Meta:
        indexes = ((("opportunity", "role", "starts_at"), True), (("opportunity", "starts_at"), False))

    @property
    def hours(self):
        # Both ends are UTC, so a night across a clock change counts its real hours.
        return (self.ends_at - self.starts_at).total_seconds() / 3600

    def registered_count(self):
        return self.registrations.where(Registration.status == REGISTERED).count()

    def spots_available(self):
        """Capacity minus registered volunteers: pending offers use up no spot."""
        return max(self.capacity - self.registered_count(), 0)

    def called_off(self):
        """Cancelled with its opportunity: it had not started when the opportunity was cancelled
        (a night already under way or served goes on counting)."""
        cancelled = self.opportunity.cancelled_at
        return cancelled is not None and self.starts_at > cancelled

    def is_closed(self, now):
        """Closed by a leader, past its opportunity's offer deadline, or already started."""
        deadline = self.opportunity.offer_deadline
        return (
            self.closed
            or self.starts_at <= now
            or (deadline is not None and deadline <= now)
            or self.opportunity.cancelled_at is not None
        )

    def state(self, now, registered=None):
        """'Closed', 'Full' or the number of spots left, as the "Spots Available" column shows it."""
        if self.is_closed(now):
            return N_("Closed")  # a plain string: templates translate it as they show it
        left = self.capacity - (self.registered_count() if registered is None else registered)
        return N_("Full") if left <= 0 else left


def registered_counts(slot_ids):
    """{slot id: registered volunteers}, in one grouped query."""
    if not slot_ids:
        return {}
    rows = (
        Registration.select(Registration.slot, peewee.fn.COUNT(Registration.id))
        .where(Registration.slot.in_(slot_ids), Registration.status == REGISTERED)
        .group_by(Registration.slot)
        .tuples()
    )
    return dict(rows)


def went_ahead():
    """A condition on Slot joined to its Opportunity: the slot was not called off (Slot.called_off)."""
    return Opportunity.cancelled_at.is_null() | (Slot.starts_at <= Opportunity.cancelled_at)


class Registration(BaseModel):
    volunteer = peewee.ForeignKeyField(User, backref="registrations", on_delete="CASCADE")
    slot = peewee.ForeignKeyField(Slot, backref="registrations", on_delete="CASCADE")
    # No index of its own: four values over hundreds of thousands of rows, and SQLite (without
    # statistics) would pick it over the slot's index and read every pending offer ever made.
    status = peewee.CharField(default=PENDING)
    note = peewee.TextField(default="")
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)
    cancelled_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL")
    cancelled_at = peewee.DateTimeField(null=True, index=True)
    cancel_reason = peewee.TextField(default="")
    reminded_at = peewee.DateTimeField(null=True)  # the reminder email before the shift was queued

    class Meta:
        # One row per volunteer and slot: offering twice is impossible, whatever arrives at once.
        # Not (volunteer, updated_at) for the retention job: every status change would move its
        # entry, and Complete Rota changes hundreds at once (a fifth of its time at the benchmark's size).
        # (slot, status, volunteer): the statistics count a period's offers by volunteer from the index alone.
        # (volunteer, status, slot): a member's registered shifts without reading their every offer
        # (the member list's Last Shift); a status change moves it, which costs Complete Rota little.
        indexes = (
            (("volunteer", "slot"), True),
            (("slot", "status", "volunteer"), False),
            (("volunteer", "status", "slot"), False),
        )

    @property
    def status_label(self):
        """'Pending', 'Registered' or 'Registered (Reserve)', as the volunteer's list shows it."""
        label = STATUS_LABELS.get(self.status, self.status.title())
        if self.status == REGISTERED and self.slot.role.is_reserve:
            label += " (Reserve)"
        return label


class RegistrationEvent(BaseModel):
    """Every change of a registration's status, with its time and who made it."""

    registration = peewee.ForeignKeyField(Registration, backref="events", on_delete="CASCADE")
    status = peewee.CharField()
    at = peewee.DateTimeField(default=utcnow)
    by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL")
    note = peewee.TextField(default="")


class ServiceRecord(BaseModel):
    """Service a volunteer records outside the rota."""

    volunteer = peewee.ForeignKeyField(User, backref="service_records", on_delete="CASCADE")
    group = peewee.ForeignKeyField(Group, null=True, on_delete="SET NULL")
    day = peewee.DateField()
    minutes = peewee.IntegerField()  # quarter hours: a multiple of 15
    description = peewee.TextField(default="")
    created_at = peewee.DateTimeField(default=utcnow)
