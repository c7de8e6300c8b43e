"""The rota's checks under the write lock: every way onto the rota (accept, call up, add, cover,
a stand-in) re-reads the slot and the volunteer here, so a page opened earlier cannot get round them."""

from flask_babel import gettext

from . import volunteer_limits
from .db import for_update
from .models import REGISTERED, Opportunity, Registration, Role, Slot, User
from .refused import Refused
from .timeutil import slot_when


def locked_slot(slot_id):
    query = Slot.select(Slot, Role, Opportunity).join(Role).switch(Slot).join(Opportunity).where(Slot.id == slot_id)
    slot = for_update(query).first()
    if slot is None:
        raise Refused(gettext("That slot no longer exists."))
    return slot


def locked_registration(registration_id):
    reg = for_update(Registration.select().where(Registration.id == registration_id)).first()
    if reg is None:
        raise Refused(gettext("That registration no longer exists."))
    return reg


def lock_volunteer(volunteer_id):
    # PostgreSQL: one volunteer's actions queue up here, so two overlapping slots cannot both win.
    return for_update(User.select().where(User.id == volunteer_id)).get()


def may_take(slot, volunteer, now):
    """Refuse an inactive volunteer, or a slot of a cancelled opportunity, closed or already started.
    Every way onto the rota passes here at the moment of taking (under the write lock, with the
    volunteer and slot just re-read), so a link or a page opened earlier cannot get round it."""
    if not volunteer.active:
        raise Refused(gettext("Not registered: %(name)s is no longer active.", name=volunteer.name))
    if slot.opportunity.cancelled_at is not None:
        raise Refused(gettext("Not registered: %(name)s has been cancelled.", name=slot.opportunity.name))
    when = gettext("%(role)s on %(when)s", role=slot.role.name, when=slot_when(slot.starts_at, slot.ends_at))
    if slot.starts_at <= now:
        raise Refused(gettext("Not registered: %(when)s has already started.", when=when))
    if slot.closed:
        raise Refused(gettext("Not registered: %(when)s is closed.", when=when))


def check_room(slot, volunteer, now, ignore=()):
    """may_take, then refuse a Full slot, or a slot overlapping one the volunteer is already registered in."""
    may_take(slot, volunteer, now)
    registered = Registration.select().where(Registration.slot == slot.id, Registration.status == REGISTERED).count()
    if registered >= slot.capacity:
        raise Refused(
            gettext(
                "Not registered: %(name)s on %(slot_when)s is Full (%(registered)s / %(capacity)s).",
                name=slot.role.name,
                slot_when=slot_when(slot.starts_at, slot.ends_at),
                registered=registered,
                capacity=slot.capacity,
            )
        )
    clash = (
        Registration.select(Registration, Slot, Role, Opportunity)
        .join(Slot)
        .join(Role)
        .switch(Slot)
        .join(Opportunity)
        .where(
            Registration.volunteer == volunteer.id,
            Registration.status == REGISTERED,
            Registration.id.not_in(list(ignore) or [0]),
            Slot.starts_at < slot.ends_at,
            Slot.ends_at > slot.starts_at,
        )
        .first()
    )
    if clash is not None:
        other = clash.slot
        raise Refused(
            gettext(
                "Not registered: %(name)s is already registered as %(name2)s at %(name3)s on %(slot_when)s, which overlaps this slot.",
                name=volunteer.name,
                name2=other.role.name,
                name3=other.opportunity.name,
                slot_when=slot_when(other.starts_at, other.ends_at),
            )
        )
    volunteer_limits.check(slot, volunteer, ignore)  # a leader acting: warned past a volunteer's limits
