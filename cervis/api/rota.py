"""The rota for other systems: opportunities and slots with their places and counts, and who is
registered for what (scope rota:read)."""

from peewee import fn

from ..db import utcnow
from ..models import PENDING, REGISTERED, Opportunity, Registration, Role, Slot, User
from ..models.api import READ_ROTA
from . import bp, needs
from .fields import by_id, iso, optional_id, period, starts_within
from .paging import page


@bp.route("/v1/opportunities")
@needs(READ_ROTA)
def opportunities():
    query = Opportunity.select()
    group_id = optional_id("group_id")
    if group_id:
        query = query.where(Opportunity.group == group_id)
    return page(query, Opportunity.id, _opportunity_items)


def _opportunity_items(rows):
    ids = [o.id for o in rows] or [0]
    places = {
        o: (n, p or 0)
        for o, n, p in Slot.select(Slot.opportunity, fn.COUNT(Slot.id), fn.SUM(Slot.capacity))
        .where(Slot.opportunity.in_(ids))
        .group_by(Slot.opportunity)
        .tuples()
    }
    registered = dict(
        Registration.select(Slot.opportunity, fn.COUNT(Registration.id))
        .join(Slot)
        .where(Slot.opportunity.in_(ids), Registration.status == REGISTERED)
        .group_by(Slot.opportunity)
        .tuples()
    )
    return [
        {
            "id": o.id,
            "group_id": o.group_id,
            "name": o.name,
            "description": o.description,
            "location": o.location,
            "live_from": iso(o.live_from),
            "offer_deadline": iso(o.offer_deadline),
            "cancelled_at": iso(o.cancelled_at),
            "slots": places.get(o.id, (0, 0))[0],
            "places": places.get(o.id, (0, 0))[1],
            "registered": registered.get(o.id, 0),
        }
        for o in rows
    ]


@bp.route("/v1/slots")
@needs(READ_ROTA)
def slots():
    """Slots in id order, by opportunity, group and the local days they start on."""
    query = Slot.select(Slot, Opportunity, Role).join(Opportunity).switch(Slot).join(Role)
    for name, field in (("opportunity_id", Slot.opportunity), ("group_id", Opportunity.group)):
        value = optional_id(name)
        if value:
            query = query.where(field == value)
    start, end = period()
    return page(starts_within(query, Slot.starts_at, start, end), Slot.id, _slot_items)


def _slot_items(rows):
    counts = dict.fromkeys([(s.id, status) for s in rows for status in (REGISTERED, PENDING)], 0)
    counts.update(
        ((slot, status), n)
        for slot, status, n in Registration.select(Registration.slot, Registration.status, fn.COUNT(Registration.id))
        .where(Registration.slot.in_([s.id for s in rows] or [0]), Registration.status.in_([REGISTERED, PENDING]))
        .group_by(Registration.slot, Registration.status)
        .tuples()
    )
    now = utcnow()
    return [
        {
            "id": s.id,
            "opportunity_id": s.opportunity_id,
            "role": {"id": s.role.id, "name": s.role.name},
            "starts_at": iso(s.starts_at),
            "ends_at": iso(s.ends_at),
            "places": s.capacity,
            "registered": counts[s.id, REGISTERED],
            "pending": counts[s.id, PENDING],
            "places_left": max(s.capacity - counts[s.id, REGISTERED], 0),
            "closed": s.is_closed(now),
        }
        for s in rows
    ]


@bp.route("/v1/slots/<int:slot_id>/registrations")
@needs(READ_ROTA)
def slot_registrations(slot_id):
    return _registrations(Registration.slot == by_id(Slot, slot_id, "slot"))


@bp.route("/v1/volunteers/<int:volunteer_id>/registrations")
@needs(READ_ROTA)
def volunteer_registrations(volunteer_id):
    return _registrations(Registration.volunteer == by_id(User, volunteer_id, "volunteer"))


def _registrations(condition):
    query = Registration.select(Registration, User).join(User, on=(Registration.volunteer == User.id)).where(condition)
    return page(query, Registration.id, _registration_items)


def _registration_items(rows):
    return [
        {
            "id": r.id,
            "slot_id": r.slot_id,
            "volunteer": {"id": r.volunteer.id, "name": r.volunteer.name},
            "status": r.status,
            "created_at": iso(r.created_at),
            "updated_at": iso(r.updated_at),
            "cancelled_at": iso(r.cancelled_at),
        }
        for r in rows
    ]
