"""The rota board's rules: accept, not required, undo, call up, add, remove (Complete Rota: complete_rota).

Each action is one transaction that takes the write lock first (cervis.db.write_transaction)
and re-reads what it checks under that lock, so whatever arrives at once a slot never holds
more than its capacity and a volunteer is never in two slots at the same time.
"""

from flask_babel import gettext
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from . import cancellation, eligibility, emails, rota_emails
from .db import database, utcnow, write_transaction
from .models import (
    CANCELLED,
    NOT_REQUIRED,
    PENDING,
    REGISTERED,
    AuditLog,
    Email,
    Membership,
    Opportunity,
    Registration,
    RegistrationEvent,
    Role,
    Slot,
    User,
)
from .models.mail import QUEUED, SENDING, SENT, WITHDRAWN
from .refused import Refused  # noqa: F401  (rota.Refused to every caller; eligibility raises it too)
from .rota_checks import check_room, lock_volunteer, locked_registration, locked_slot, may_take  # noqa: F401  (rota.may_take)
from .timeutil import org_zone, to_local

CONFIRMING = ("confirmation", "called-up")  # the emails that tell a volunteer "we are counting on you"
HELD_BACK = CONFIRMING + ("not-required",)  # the ones an undo withdraws while they wait to go
STATUS_WORDS = {PENDING: "pending", REGISTERED: "registered", NOT_REQUIRED: "not required", CANCELLED: "cancelled"}


def _change(reg, status, by, now, action, note=""):
    """A registration's new status, with its history row and audit entry; cancelled, its waiting emails withdrawn."""
    before = reg.status
    reg.status, reg.updated_at = status, now
    if status == CANCELLED:
        reg.cancelled_by, reg.cancelled_at, reg.cancel_reason = by, now, note
        _withdraw(reg)
    reg.save()
    RegistrationEvent.create(registration=reg, status=status, at=now, by=by, note=note)
    AuditLog.record(
        by,
        f"rota.{action}",
        reg,
        before={"status": before},
        after={
            "status": status,
            "slot": reg.slot_id,
            "volunteer": reg.volunteer_id,
            **({"note": note} if note else {}),
        },
    )


def undo_minutes():
    return current_app.config.get("CONFIRMATION_UNDO_MINUTES", 10)


def _undo_window():
    return timedelta(minutes=undo_minutes())


def _emails_about(reg, kinds):
    return Email.select().where(Email.subject_type == "Registration", Email.subject_id == reg.id, Email.kind.in_(kinds))


def _withdraw(reg, kinds=HELD_BACK):
    """Withdraw this registration's emails still waiting in the outbox; how many were stopped."""
    return (
        Email.update(status=WITHDRAWN)
        .where(
            Email.subject_type == "Registration",
            Email.subject_id == reg.id,
            Email.kind.in_(kinds),
            Email.status == QUEUED,
        )
        .execute()
    )


# The actions ------------------------------------------------------------------------------------


def _accept(registration_id, by, now, override=None, ready=None):
    """Accept inside the caller's write transaction: the same checks for one offer or many.
    `override`: a leader's reason for accepting someone without the role's training; `ready`: the
    confirmation rendered before the lock (rota_emails.ready_confirmation)."""
    reg = locked_registration(registration_id)
    reg.volunteer = volunteer = lock_volunteer(reg.volunteer_id)
    if reg.status != PENDING:
        raise Refused(gettext("Not accepted: this offer is already %(value)s.", value=STATUS_WORDS[reg.status]))
    reg.slot = locked_slot(reg.slot_id)
    check_room(reg.slot, volunteer, now, ignore=[reg.id])
    eligibility.check_qualified(reg.slot, volunteer, reg, override, by)
    _change(reg, REGISTERED, by, now, "accept")
    rota_emails.confirmation(reg, by, send_after=now + _undo_window(), ready=ready)
    return reg


def _ready(registration_ids, by, now):
    """{id: its confirmation rendered now, before the write lock}, for the offers still pending: what
    takes an Accept's time is done before every other writer has to wait for it."""
    pending = _with_shift(registration_ids).where(Registration.status == PENDING)
    return {reg.id: rota_emails.ready_confirmation(reg, by, now, now + _undo_window()) for reg in pending}


def _with_shift(registration_ids):
    return (
        Registration.select(Registration, Slot, Role, Opportunity, User)
        .join(Slot)
        .join(Role)
        .switch(Slot)
        .join(Opportunity)
        .switch(Registration)
        .join(User, on=Registration.volunteer)
        .where(Registration.id.in_(list(registration_ids)))
    )


def _not_required(registration_id, by, now):
    reg = locked_registration(registration_id)
    if reg.status != PENDING:
        raise Refused(gettext("Not changed: this offer is already %(value)s.", value=STATUS_WORDS[reg.status]))
    reg.slot = locked_slot(reg.slot_id)
    _change(reg, NOT_REQUIRED, by, now, "not-required")
    emails.rota_not_required({reg.volunteer: [emails.Shift.of(reg.slot)]}, about=reg, send_after=now + _undo_window())
    return reg


def accept(registration_id, by, now=None, override=None):
    """Pending to registered; the confirmation waits out the undo window before it goes."""
    now = now or utcnow()
    ready = _ready([registration_id], by, now)
    with write_transaction():
        return _accept(registration_id, by, now, override, ready.get(registration_id))


def not_required(registration_id, by, now=None):
    """Pending to not required; its email also waits out the undo window."""
    with write_transaction():
        return _not_required(registration_id, by, now or utcnow())


def accept_selected(registration_ids, by, now=None):
    """Accept Selected: every ticked offer, or none of them (the first refusal says why)."""
    now = now or utcnow()
    ready = _ready(registration_ids, by, now)
    with write_transaction():
        return [_accept(i, by, now, ready=ready.get(i)) for i in registration_ids]


def not_required_selected(registration_ids, by, now=None):
    """Not Required Selected: every ticked offer, or none of them."""
    now = now or utcnow()
    with write_transaction():
        return [_not_required(i, by, now) for i in registration_ids]


def accept_suggestion(registration_ids, by, now=None):
    """Accept a suggested rota in one transaction: each offer through the same rules as Accept.
    An offer that changed since the suggestion was made (withdrawn, or its slot filled) is left
    out and named; the rest are accepted. Returns (accepted, [(registration, its Refused)])."""
    now = now or utcnow()
    accepted, refused, ready = [], [], _ready(registration_ids, by, now)
    with write_transaction():
        for registration_id in registration_ids:
            try:
                with database.atomic():  # a savepoint: a refusal undoes only its own offer
                    accepted.append(_accept(registration_id, by, now, ready=ready.get(registration_id)))
            except Refused as refusal:
                refused.append((_with_shift([registration_id]).first(), refusal))
    return accepted, refused


@dataclass
class Undone:
    registration: Registration
    was: str
    withdrawn: int  # emails stopped before they went
    told: bool  # a "change of plan" email was queued, because the confirmation had already gone


def undo(registration_id, by, now=None):
    """Back to pending. Inside the undo window the waiting email is withdrawn and nothing is sent;
    after a confirmation has gone, the volunteer gets a short "change of plan" email instead."""
    now = now or utcnow()
    with write_transaction():
        reg = locked_registration(registration_id)
        was = reg.status
        if was not in (REGISTERED, NOT_REQUIRED):
            raise Refused(gettext("Nothing to undo: this offer is %(value)s.", value=STATUS_WORDS[was]))
        reg.slot = locked_slot(reg.slot_id)
        # Only the latest confirmation counts: after an earlier undo the volunteer already knows.
        latest = _emails_about(reg, CONFIRMING).order_by(Email.id.desc()).first()
        told = was == REGISTERED and latest is not None and latest.status in (SENDING, SENT)
        withdrawn = _withdraw(reg)
        _change(reg, PENDING, by, now, "undo", note=f"Undo: was {STATUS_WORDS[was]}")
        if told:
            rota_emails.change_of_plan(reg, by)
        cancellation.places_freed([reg.slot_id] if was == REGISTERED else [], now)
    return Undone(reg, was, withdrawn, told)


def call_up(registration_id, slot_id, by, now=None):
    """A registered Reserve moves to a role slot of the same date.

    The reserve registration is cancelled (reason "Called up as ROLE") and the volunteer is
    registered in the role slot, so both keep their history; the reserve place frees up.
    """
    now = now or utcnow()
    with write_transaction():
        reserve = locked_registration(registration_id)
        volunteer = lock_volunteer(reserve.volunteer_id)
        reserve.slot = locked_slot(reserve.slot_id)
        if reserve.status != REGISTERED or not reserve.slot.role.is_reserve:
            raise Refused(gettext("Only a registered Reserve can be called up."))
        target = locked_slot(slot_id)
        zone = org_zone()
        if (
            target.opportunity_id != reserve.slot.opportunity_id
            or target.role.is_reserve
            or to_local(target.starts_at, zone).date() != to_local(reserve.slot.starts_at, zone).date()
        ):
            raise Refused(gettext("A Reserve can only be called up to a role slot on the same date."))
        check_room(target, volunteer, now, ignore=[reserve.id])
        eligibility.check_qualified(target, volunteer)
        _change(reserve, CANCELLED, by, now, "call-up", note=f"Called up as {target.role.name}")
        reg = _register(volunteer, target, by, now, "call-up")
        rota_emails.called_up(reg, by)
        cancellation.places_freed([reserve.slot_id], now)
    return reg


def move_in(volunteer_id, slot_id, by, now, action):
    """Register a volunteer in a role slot by Call Up's rules, inside the caller's write transaction:
    never overbooked, never two overlapping shifts; their Reserve place that night is given up for it."""
    volunteer = lock_volunteer(volunteer_id)
    target = locked_slot(slot_id)
    zone = org_zone()
    near = (
        Registration.select(Registration, Slot)
        .join(Slot)
        .join(Role)
        .where(
            Registration.volunteer == volunteer.id,
            Registration.status == REGISTERED,
            Role.is_reserve == True,
            Slot.opportunity == target.opportunity_id,
            Slot.starts_at.between(target.starts_at - timedelta(days=1), target.starts_at + timedelta(days=1)),
        )
    )
    reserves = [r for r in near if to_local(r.slot.starts_at, zone).date() == to_local(target.starts_at, zone).date()]
    check_room(target, volunteer, now, ignore=[r.id for r in reserves])
    eligibility.check_qualified(target, volunteer)
    for reserve in reserves:
        _change(reserve, CANCELLED, by, now, action, note=f"Covering as {target.role.name}")
    cancellation.places_freed([r.slot_id for r in reserves], now)  # the Reserve places, for their waiting lists
    return _register(volunteer, target, by, now, action)


def hand_over(reg, stand_in, now):
    """Inside the caller's write transaction: the place is the stand-in's by move_in's rules, or (refused) stays."""
    _change(reg, CANCELLED, stand_in, now, "stand-in", note=f"Stand-in: {stand_in.name}")
    return move_in(stand_in.id, reg.slot_id, stand_in, now, "stand-in")


def _register(volunteer, slot, by, now, action):
    """Register in a slot, reusing the volunteer's earlier row for it (one row per volunteer and slot)."""
    reg = Registration.get_or_none(Registration.volunteer == volunteer.id, Registration.slot == slot.id)
    if reg is None:
        reg = Registration.create(volunteer=volunteer, slot=slot, status=PENDING, created_at=now, updated_at=now)
    reg.slot, reg.volunteer = slot, volunteer
    reg.cancelled_by = reg.cancelled_at = None
    reg.cancel_reason = ""
    _change(reg, REGISTERED, by, now, action)
    return reg


def add_to_slot(slot_id, volunteer_id, by, now=None, override=None):
    """A leader registers a member of the group (someone who phoned in); `override`: their reason
    for adding someone without the role's training, recorded with the place."""
    now = now or utcnow()
    with write_transaction():
        volunteer = User.get_or_none(User.id == volunteer_id, User.active == True)
        if volunteer is None:
            raise Refused(gettext("Choose a member of the group."))
        volunteer = lock_volunteer(volunteer.id)
        slot = locked_slot(slot_id)
        if (
            not Membership.select()
            .where(Membership.user == volunteer.id, Membership.group == slot.opportunity.group_id)
            .exists()
        ):
            raise Refused(gettext("%(name)s is not a member of this group.", name=volunteer.name))
        existing = Registration.get_or_none(Registration.volunteer == volunteer.id, Registration.slot == slot.id)
        if existing is not None and existing.status == REGISTERED:
            raise Refused(gettext("%(name)s is already registered in this slot.", name=volunteer.name))
        check_room(slot, volunteer, now)
        if not (override or "").strip():
            eligibility.check_qualified(slot, volunteer)
        reg = _register(volunteer, slot, by, now, "add")
        eligibility.check_qualified(slot, volunteer, reg, override, by)  # with a reason: recorded
        rota_emails.confirmation(reg, by, send_after=now + _undo_window())
    return reg


def remove(registration_id, by, reason, now=None):
    """A registered volunteer taken off the rota, with a reason they are told by email."""
    now = now or utcnow()
    reason = (reason or "").strip()
    if not reason:
        raise Refused(gettext("Please give a reason: the volunteer is told it."))
    with write_transaction():
        reg = locked_registration(registration_id)
        if reg.status != REGISTERED:
            raise Refused(
                gettext("Not removed: this volunteer is %(value)s, not registered.", value=STATUS_WORDS[reg.status])
            )
        reg.slot = locked_slot(reg.slot_id)
        _change(reg, CANCELLED, by, now, "remove", note=reason)
        rota_emails.removed(reg, by, reason)
        cancellation.places_given_up([reg], now)
    return reg
