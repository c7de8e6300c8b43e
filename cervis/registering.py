"""Registering: the volunteer's offer for the slots ticked in the slot table, in one transaction
with one acknowledgement e-mail (the guide's "Register" button; offers.py says what they may offer for).

An offer is a pending registration: it uses up no spot until a group leader accepts it.
"""

from dataclasses import dataclass, field

import peewee

from . import email_kinds, emails, waiting_list
from .cancellation import cancel_url
from .db import for_update, utcnow, write_transaction
from .eligibility import eligibility
from .models import (
    PENDING,
    REGISTERED,
    Group,
    Membership,
    Opportunity,
    Registration,
    RegistrationEvent,
    Role,
    Slot,
    User,
)
from .offers import (
    NotAllowed,
    away_ranges,
    birth_date_of,
    can_see,
    registered_column,
    slot_row,
    unlocked_ids,
    visible_group_ids,
)
from .timeutil import org_zone

NOTE_MAX = 1000


@dataclass
class OfferResult:
    saved: list = field(default_factory=list)  # registrations now pending
    already: list = field(default_factory=list)  # slots offered before: pending or registered
    refused: list = field(default_factory=list)  # (slot, "Full" / "Closed" / the reason)
    waiting: list = field(default_factory=list)  # Full slots whose waiting list they joined
    email: object = None


def offer(actor, volunteer, slot_ids, note="", now=None, opportunity=None, waiting=()):
    """Offer the volunteer for these slots in one transaction, with one acknowledgement e-mail.

    Re-checks every slot under the write lock: one that became Full or Closed while the
    volunteer was choosing is refused and named, the others are still saved. Raises NotAllowed,
    saving nothing, when any slot is not one the volunteer can see, or (given `opportunity`,
    the one the form names) not one of its slots. `waiting`: Full slots ticked "Join Waiting List"
    (one that has a place again by now is offered for instead).
    """
    now = now or utcnow()
    wait = {int(i) for i in waiting}
    ids = sorted({int(i) for i in slot_ids} | wait)
    note = (note or "").strip()[:NOTE_MAX]
    result = OfferResult()
    if not ids:
        return result
    birth_date, zone = birth_date_of(volunteer), org_zone()
    with write_transaction():
        slots = _locked_slots(volunteer, ids, now)
        if opportunity is not None and any(s.opportunity_id != opportunity.id for s in slots):
            raise NotAllowed()
        mine = {
            r.slot_id: r
            for r in Registration.select().where(Registration.volunteer == volunteer, Registration.slot.in_(ids))
        }
        # Re-read under the lock: a family member deactivated since the page was opened offers nothing.
        active = User.select(User.active).where(User.id == volunteer.id).scalar()
        qualified = eligibility([volunteer.id], {s.role_id for s in slots})  # under the lock, like the rest
        away = away_ranges(volunteer, now)
        for slot in slots:
            row = slot_row(volunteer, slot, now, mine.get(slot.id), birth_date, zone, qualified, away)
            row.why_not = row.why_not if active else f"{volunteer.name} is no longer active."
            if slot.id in wait and row.state == "Full" and not (row.status or row.why_not or row.training):
                joined = waiting_list.join(volunteer, slot, now)
                (result.waiting if joined else result.already).append(slot)
                continue
            _offer_one(actor, volunteer, row, mine.get(slot.id), note, now, result)
        if result.saved:
            _join_groups(volunteer, result.saved)
            result.email = acknowledge(volunteer, result.saved, note)
    return result


def _locked_slots(volunteer, ids, now):
    # Lock the rows first (PostgreSQL; SQLite's IMMEDIATE lock already holds the database), then
    # count their registrations: FOR UPDATE does not mix with the count's aggregate.
    list(for_update(Slot.select(Slot.id).where(Slot.id.in_(ids)).order_by(Slot.id)))  # one lock order
    slots = list(
        Slot.select(Slot, Role, Opportunity, Group, registered_column())
        .join(Role)
        .switch(Slot)
        .join(Opportunity)
        .join(Group)
        .where(Slot.id.in_(ids))
        .order_by(Slot.starts_at, Role.position, Role.name)
    )
    groups, unlocked = visible_group_ids(volunteer), unlocked_ids(volunteer)
    if len(slots) != len(ids) or not all(can_see(volunteer, s.opportunity, now, groups, unlocked) for s in slots):
        raise NotAllowed()
    return slots


def _offer_one(actor, volunteer, row, registration, note, now, result):
    if row.status is not None and registration.status in (PENDING, REGISTERED):
        result.already.append(row.slot)
        return
    if row.refusal is not None:
        result.refused.append((row.slot, row.refusal))
        return
    if registration is None:
        try:
            with write_transaction():
                registration = Registration.create(
                    volunteer=volunteer, slot=row.slot, note=note, status=PENDING, created_at=now, updated_at=now
                )
        except peewee.IntegrityError:  # PostgreSQL: the same offer committed a moment earlier
            result.already.append(row.slot)
            return
    else:
        # A cancelled offer is offered again: the same row reopens (one row per volunteer and slot).
        registration.status, registration.note, registration.updated_at = PENDING, note, now
        registration.cancelled_by = registration.cancelled_at = registration.reminded_at = None
        registration.cancel_reason = ""
        registration.save()
    RegistrationEvent.create(registration=registration, status=PENDING, at=now, by=actor, note=note)
    registration.slot = row.slot
    result.saved.append(registration)


def _join_groups(volunteer, registrations):
    """A family member offered through the account holder's group becomes its member, so the
    group's leaders see them (and their allergies) like any other volunteer."""
    for group_id in {r.slot.opportunity.group_id for r in registrations}:
        Membership.insert(user=volunteer, group=group_id).on_conflict_ignore().execute()


def acknowledge(volunteer, registrations, note=""):
    """One e-mail listing the new offers, each with its own "Cancel Registration" link."""
    recipient = volunteer.inbox
    if recipient is None:
        return None
    shifts = [_shift(r) for r in sorted(registrations, key=lambda r: r.slot.starts_at)]
    return email_kinds.offer_acknowledgement(recipient, volunteer, shifts, note, registrations[0])


def _shift(registration):
    slot = registration.slot
    opportunity = slot.opportunity
    return {
        "opportunity": opportunity.name,
        "when": emails.when(slot.starts_at, slot.ends_at),
        "role": slot.role.name,
        "hours": f"{slot.hours:g}",
        "location": opportunity.meeting_location(),
        "cancel_url": cancel_url(registration),
    }
