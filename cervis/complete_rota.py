"""Complete Rota: what it will do for a month (the summary the leader confirms), then doing it.

One transaction that takes the write lock first (cervis.db.write_transaction): every pending
offer of the month becomes not required, and the confirmations still waiting go at once.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from peewee import chunked, fn

from . import emails
from .db import for_update, insert_rows, utcnow, write_transaction
from .models import (
    NOT_REQUIRED,
    PENDING,
    AuditLog,
    Email,
    Opportunity,
    Registration,
    RegistrationEvent,
    Role,
    RotaCompletion,
    Slot,
    User,
)
from .models.mail import QUEUED
from .months import month_bounds, month_key
from .models.rota import registered_counts
from .rota import CONFIRMING, HELD_BACK


def _change_many(ids, status, by, now, note=""):
    """_change for Complete Rota's hundreds of offers (by id): a few statements, not three each.
    Their audit entry is the one rota.complete entry, which lists them."""
    for chunk in chunked(ids, 500):
        Registration.update(status=status, updated_at=now).where(Registration.id.in_(chunk)).execute()
    insert_rows(
        RegistrationEvent,
        [
            RegistrationEvent.registration,
            RegistrationEvent.status,
            RegistrationEvent.at,
            RegistrationEvent.by,
            RegistrationEvent.note,
        ],
        [(reg_id, status, now, by, note) for reg_id in ids],
    )


def _month_offers(opportunity, day, *statuses):
    """The month's registrations (of these statuses), with their slot, role and opportunity joined,
    in time order; select what is needed."""
    start, end = month_bounds(day)
    query = (
        Registration.select()
        .join(Slot)
        .join(Role)
        .switch(Slot)
        .join(Opportunity)
        .where(Slot.opportunity == opportunity.id, Slot.starts_at >= start, Slot.starts_at < end)
    )
    if statuses:
        query = query.where(Registration.status.in_(statuses))
    return query.order_by(Slot.starts_at, Role.position)


def _month_registrations(opportunity, day, *statuses):
    """The same as models, with their volunteers, by name within a slot."""
    return (
        _month_offers(opportunity, day, *statuses)
        .select(Registration, Slot, Role, Opportunity, User)
        .switch(Registration)
        .join(User, on=Registration.volunteer)
        .order_by(Slot.starts_at, Role.position, User.first_name)
    )


def _unsent_confirmations(opportunity, day, now):
    """This month's confirmation and "not required" emails still waiting out their undo window
    (not those already released, which only wait for the sender)."""
    ids = _month_registrations(opportunity, day).select(Registration.id)
    return Email.select().where(
        Email.subject_type == "Registration",
        Email.subject_id.in_(ids),
        Email.kind.in_(HELD_BACK),
        Email.status == QUEUED,
        Email.send_after > now,
    )


@dataclass
class Summary:
    completion: RotaCompletion | None
    pending: list
    volunteers: int  # one "not required" email each
    confirmations: int  # confirmations still waiting out their undo window, which go at once
    waiting_not_required: int = 0  # "not required" emails of offers marked one by one, also going at once
    short: list = field(default_factory=list)  # (slot, registered) still below capacity

    @property
    def turned_down(self):
        """(slot, registered, pending offers) for slots still short whose offers would be turned down."""
        waiting = defaultdict(int)
        for reg in self.pending:
            waiting[reg.slot_id] += 1
        return [(slot, registered, waiting[slot.id]) for slot, registered in self.short if waiting[slot.id]]

    @property
    def seen(self):
        """What the leader saw: a second press of the same form finds it changed and sends nothing."""
        return self.completion.completed_at.isoformat() if self.completion else ""


def rota_summary(opportunity, day, now=None):
    """What Complete Rota will do for this month, before the leader confirms."""
    start, end = month_bounds(day)
    pending = list(_month_registrations(opportunity, day, PENDING))
    waiting = dict(
        _unsent_confirmations(opportunity, day, now or utcnow())
        .select(Email.kind, fn.COUNT(Email.id))
        .group_by(Email.kind)
        .tuples()
    )
    slots = (
        Slot.select(Slot, Role)
        .join(Role)
        .where(Slot.opportunity == opportunity.id, Slot.starts_at >= start, Slot.starts_at < end)
        .order_by(Slot.starts_at, Role.position)
    )
    counts = registered_counts([s.id for s in slots])
    short = [(s, counts.get(s.id, 0)) for s in slots if counts.get(s.id, 0) < s.capacity]
    completion = RotaCompletion.get_or_none(
        RotaCompletion.opportunity == opportunity.id, RotaCompletion.month == month_key(day)
    )
    return Summary(
        completion,
        pending,
        len({r.volunteer_id for r in pending}),
        sum(waiting.get(kind, 0) for kind in CONFIRMING),
        waiting.get("not-required", 0),
        short,
    )


@dataclass
class Completed:
    not_required: int = 0  # offers that became not required
    emails: int = 0  # "not required" emails queued, one per volunteer
    confirmations: int = 0  # confirmations sent at once instead of after their window
    already: bool = False  # pressed twice: nothing was done the second time


def complete_rota(opportunity, day, by, now=None, seen=None):
    """Every pending offer of the month becomes not required (one email per volunteer listing
    their slots) and every confirmation still waiting goes now. `seen` is the summary's
    Summary.seen: when the rota was completed since, nothing happens again.
    The emails are rendered first, outside the write lock; under it the offers are read again and
    only a volunteer whose offers or address changed meanwhile has theirs rendered again."""
    now = now or utcnow()
    ready = _letters(_pending(opportunity, day)[1])
    with write_transaction():
        # PostgreSQL: the opportunity's row queues up two presses, even before any completion row exists.
        for_update(Opportunity.select().where(Opportunity.id == opportunity.id)).get()
        completion = for_update(
            RotaCompletion.select().where(
                RotaCompletion.opportunity == opportunity.id, RotaCompletion.month == month_key(day)
            )
        ).first()
        if seen is not None and seen != (completion.completed_at.isoformat() if completion else ""):
            return Completed(already=True)
        if completion is None:
            completion = RotaCompletion.create(opportunity=opportunity, month=month_key(day), completed_at=now, by=by)
        else:
            completion.completed_at, completion.by = now, by
            completion.save()
        result = Completed()
        result.confirmations = (
            Email.update(send_after=now)
            .where(Email.id.in_(_unsent_confirmations(opportunity, day, now).select(Email.id)))
            .execute()
        )
        ids, shifts = _pending(opportunity, day)
        _change_many(ids, NOT_REQUIRED, by, now, note="Rota completed")
        result.not_required = len(ids)
        about = {"send_after": now, "subject_type": type(completion).__name__, "subject_id": completion.id}
        result.emails = emails.queue_all(
            [{**row, **about} for _, row in _letters(shifts, ready).values() if row is not None]
        )
        AuditLog.record(
            by,
            "rota.complete",
            completion,
            after={
                "opportunity": opportunity.id,
                "month": month_key(day),
                "not_required": result.not_required,
                "emails": result.emails,
                "confirmations_now": result.confirmations,
                "not_required_ids": ids,
            },
        )
    return result


def _pending(opportunity, day):
    """(registration ids, {volunteer id: (their shifts, their address)}) of the month's pending offers.
    Plain rows, not five models each: hundreds of offers, read for their ids and the emails' words."""
    pending = list(
        _month_offers(opportunity, day, PENDING)
        .select(Registration.id, Registration.volunteer, Opportunity.name, Slot.starts_at, Slot.ends_at, Role.name)
        .tuples()
    )
    shifts = defaultdict(list)
    for _, volunteer_id, *shift in pending:
        shifts[volunteer_id].append(emails.Shift(*shift))
    addresses = (
        {
            uid: tuple(rest)
            for uid, *rest in User.select(User.id, User.active, User.email, User.family_of)
            .where(User.id.in_(list(shifts)))
            .tuples()
        }
        if shifts
        else {}
    )
    return [reg_id for reg_id, *_ in pending], {v: (s, addresses.get(v)) for v, s in shifts.items()}


def _letters(shifts, ready=None):
    """{volunteer id: (what their email says, its row)}: the rows of `ready` still saying it, and the
    others rendered now."""
    ready = ready or {}
    todo = {v: said for v, said in shifts.items() if v not in ready or ready[v][0] != said}
    if not todo:
        return {v: ready[v] for v in shifts}
    volunteers = User.select(User.id, User.email, User.first_name, User.last_name, User.family_of, User.active).where(
        User.id.in_(list(todo))
    )
    rows = emails.rota_not_required_rows({v: todo[v.id][0] for v in volunteers})
    return {v: ready[v] if v not in todo else (todo[v], rows.get(v)) for v in shifts}
