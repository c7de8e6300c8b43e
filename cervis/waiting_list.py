"""The waiting list: a volunteer ticks "Join Waiting List" on a Full slot; when a place comes free
before the shift, the first on the list is offered it by e-mail, then the next if not taken in time.

Whatever frees a registered place ends at cancellation.places_freed, inside its transaction. Within
the cover window a place given up is asked of the Reserves and of this list at once (cover.py); a
place freed another way (an Undo, more capacity) is offered here one at a time, at any distance.
Taking uses cover's first-tap-wins (cover.fill): never overbooked, and each offer taken once.
"""

from flask_babel import gettext
from datetime import timedelta

from . import cancellation, cover, email_kinds, emails, rota, signed_links
from .db import database, for_update, utcnow, write_transaction
from .models import (
    CoverRequest,
    Opportunity,
    Organisation,
    Registration,
    Role,
    Slot,
    User,
    WaitingListEntry,
    WaitingOffer,
)
from .models.rota import registered_counts
from .models.waiting import LEFT, PASSED
from .permissions import household_ids
from .timeutil import local_datetime
from .translated import lazy

TAKEN, COVERED, STARTED, LAPSED = cover.TAKEN, cover.COVERED, cover.STARTED, "lapsed"
SHORTEST = timedelta(minutes=15)


# Joining and leaving ----------------------------------------------------------------------------


def join(volunteer, slot, now):
    """Put the volunteer at the back of a Full slot's list, inside the caller's write transaction
    (registering.offer, with the slot locked); the entry, or None when already waiting."""
    entry = WaitingListEntry.get_or_none(WaitingListEntry.slot == slot.id, WaitingListEntry.volunteer == volunteer.id)
    if entry is None:
        return WaitingListEntry.create(slot=slot, volunteer=volunteer, joined_at=now)
    if entry.left_at is None:
        return None
    entry.joined_at, entry.left_at, entry.outcome = now, None, ""
    entry.save()
    return entry


def places(volunteer_ids, slot_ids=None):
    """{(slot id, volunteer id): their place on the list, 1 first} for these volunteers' entries."""
    query = WaitingListEntry.select(WaitingListEntry.slot, WaitingListEntry.volunteer).where(
        WaitingListEntry.volunteer.in_(list(volunteer_ids)), WaitingListEntry.left_at.is_null()
    )
    if slot_ids is not None:
        query = query.where(WaitingListEntry.slot.in_(list(slot_ids) or [0]))
    found = {}
    for slot_id, volunteer_id in query.tuples():
        queue = [e.volunteer_id for e in WaitingListEntry.waiting(slot_id)]
        found[(slot_id, volunteer_id)] = queue.index(volunteer_id) + 1
    return found


def upcoming_for(user, now):
    """The household's entries on lists of shifts still to come, soonest first, each with .place
    and .offer (a place offered and not yet lapsed, or None), for View or Cancel."""
    household = household_ids(user)
    entries = list(
        WaitingListEntry.select(WaitingListEntry, Slot, Role, Opportunity, User)
        .join(Slot)
        .join(Role)
        .switch(Slot)
        .join(Opportunity)
        .switch(WaitingListEntry)
        .join(User)
        .where(
            WaitingListEntry.volunteer.in_(household),
            WaitingListEntry.left_at.is_null(),
            Slot.starts_at > now,
            Opportunity.cancelled_at.is_null(),
        )
        .order_by(Slot.starts_at, User.first_name)
    )
    found = places(household, [e.slot_id for e in entries])
    for entry in entries:
        entry.place = found[(entry.slot_id, entry.volunteer_id)]
        entry.offer = _live_offers(entry.slot_id, now).where(WaitingOffer.entry == entry.id).first()
    return entries


def entry_for(user, entry_id):
    """An entry of this user's household still on its list, or None."""
    return (
        WaitingListEntry.select(WaitingListEntry, Slot)
        .join(Slot)
        .where(
            WaitingListEntry.id == entry_id,
            WaitingListEntry.volunteer.in_(household_ids(user)),
            WaitingListEntry.left_at.is_null(),
        )
        .first()
    )


def leave(entry_id, now=None):
    """Off the list; a place offered to them goes to the next. False when they had already left."""
    now = now or utcnow()
    with write_transaction():
        entry = for_update(WaitingListEntry.select().where(WaitingListEntry.id == entry_id)).first()
        if entry is None or entry.left_at is not None:
            return False
        entry.left_at, entry.outcome = now, LEFT
        entry.save()
        if _live_offers(entry.slot_id, now).where(WaitingOffer.entry == entry.id).exists():
            _close_offers(entry.id, now)
            offer_free_places(entry.slot_id, now)
    return True


# Offering a freed place -------------------------------------------------------------------------


def _live_offers(slot_id, now):
    return (
        WaitingOffer.select()
        .join(WaitingListEntry)
        .where(
            WaitingListEntry.slot == slot_id,
            WaitingOffer.taken_at.is_null(),
            WaitingOffer.passed_at.is_null(),
            WaitingOffer.expires_at > now,
        )
    )


def offer_hours(slot, now):
    """The organisation's hours (6 unless set), but never more than a quarter of the time left
    before the shift, nor less than 15 minutes: a place freed the evening before still finds a taker."""
    time_left = slot.starts_at - now
    return min(timedelta(hours=Organisation.current().waiting_offer_hours), max(time_left / 4, SHORTEST), time_left)


def _freed(slot_ids, now):
    """A PLACE_FREED listener: offer every slot's free places to its waiting list."""
    for slot_id in slot_ids:
        offer_free_places(slot_id, now)


cancellation.PLACE_FREED.append(_freed)


def offer_free_places(slot_id, now):
    """Offer each place neither registered nor already offered to the next on the list (in order,
    qualified for the role that night); how many offers were made."""
    slot = Slot.select(Slot, Role, Opportunity).join(Role).switch(Slot).join(Opportunity).where(Slot.id == slot_id)
    slot = slot.first()
    if slot is None or slot.starts_at <= now or slot.closed or slot.opportunity.cancelled_at is not None:
        return 0
    if CoverRequest.select().where(CoverRequest.slot == slot_id, CoverRequest.covered_at.is_null()).exists():
        return 0  # cover is asking the Reserves and this list at once: the first tap wins
    free = slot.capacity - registered_counts([slot_id]).get(slot_id, 0) - _live_offers(slot_id, now).count()
    if free <= 0:
        return 0
    offered = {
        o.entry_id
        for o in WaitingOffer.select(WaitingOffer.entry)
        .join(WaitingListEntry)
        .where(WaitingListEntry.slot == slot_id, WaitingOffer.passed_at.is_null(), WaitingOffer.taken_at.is_null())
    }
    entries = [e for e in WaitingListEntry.waiting(slot_id) if e.id not in offered and e.volunteer.active]
    entries = cover.qualified(slot, entries, lambda e: e.volunteer_id)[:free]
    for entry in entries:
        _offer(entry, slot, now)
    return len(entries)


def _offer(entry, slot, now):
    offer = WaitingOffer.create(entry=entry, offered_at=now, expires_at=now + offer_hours(slot, now))
    volunteer = entry.volunteer
    inbox = volunteer.inbox
    if inbox is not None:
        email_kinds.waiting_offer(
            inbox, volunteer, offer, offer_url(offer), lazy(local_datetime, offer.expires_at), cover._shift(slot)
        )
    return offer


def pass_on(now=None):
    """Each offer not taken in time goes to the next on the list; how many lapsed. Safe to run
    twice at once: each lapse is claimed in the transaction that offers the place on."""
    now = now or utcnow()
    due = WaitingOffer.select(WaitingOffer.id).where(
        WaitingOffer.taken_at.is_null(), WaitingOffer.passed_at.is_null(), WaitingOffer.expires_at <= now
    )
    lapsed = 0
    for (offer_id,) in list(due.tuples()):
        with write_transaction():
            claimed = (
                WaitingOffer.update(passed_at=now)
                .where(WaitingOffer.id == offer_id, WaitingOffer.passed_at.is_null(), WaitingOffer.taken_at.is_null())
                .execute()
            )
            if not claimed:
                continue
            entry = WaitingListEntry.select().join(WaitingOffer).where(WaitingOffer.id == offer_id).get()
            WaitingListEntry.update(left_at=now, outcome=PASSED).where(
                WaitingListEntry.id == entry.id, WaitingListEntry.left_at.is_null()
            ).execute()
            offer_free_places(entry.slot_id, now)
            lapsed += 1
    return lapsed


def pass_on_job(app, now=None):
    with app.app_context(), database.connection_context():
        return pass_on(now)


# "Take this place" ------------------------------------------------------------------------------


def offer_url(offer):
    return emails.absolute("volunteer.waiting_offer", token=signed_links.WAITING.make({"o": offer.id}))


def offer_from_token(token):
    """The offer a link was made for, with its entry, volunteer and shift; None for a forged link."""
    offer_id = signed_links.WAITING.read_id(token, "o")
    if offer_id is None:
        return None
    offer = WaitingOffer.get_or_none(WaitingOffer.id == offer_id)
    if offer is not None:
        offer.entry = (
            WaitingListEntry.select(WaitingListEntry, User)
            .join(User)
            .where(WaitingListEntry.id == offer.entry_id)
            .get()
        )
        offer.slot = _slot(offer.entry.slot_id)
    return offer


def _slot(slot_id):
    return (
        Slot.select(Slot, Role, Opportunity).join(Role).switch(Slot).join(Opportunity).where(Slot.id == slot_id).get()
    )


def state(offer, now):
    """What the link's page says: None while the place is this volunteer's to take."""
    if offer.taken_at is not None:
        return TAKEN
    if offer.slot.starts_at <= now:
        return STARTED
    if offer.passed_at is not None or offer.expires_at <= now:
        return LAPSED
    if registered_counts([offer.slot.id]).get(offer.slot.id, 0) >= offer.slot.capacity:
        return COVERED
    return None


def take(offer_id, now=None):
    """The first tap wins: TAKEN, COVERED, STARTED or LAPSED; rota.Refused when the rules say no."""
    now = now or utcnow()
    with write_transaction():
        offer = for_update(WaitingOffer.select().where(WaitingOffer.id == offer_id)).get()
        if offer.taken_at is not None:
            return TAKEN
        entry = WaitingListEntry.get_by_id(offer.entry_id)
        slot = _slot(entry.slot_id)
        if slot.starts_at > now and (offer.passed_at is not None or offer.expires_at <= now):
            return LAPSED
        outcome = cover.fill(slot, entry.volunteer, now, "waiting-list")
        if outcome == TAKEN:
            offer.taken_at = now
            offer.save()
        elif outcome == COVERED:
            _close_offers(entry.id, now)  # they stay on the list for the next place
    return outcome


def _close_offers(entry_id, now):
    WaitingOffer.update(passed_at=now).where(
        WaitingOffer.entry == entry_id, WaitingOffer.passed_at.is_null(), WaitingOffer.taken_at.is_null()
    ).execute()


# A leader's accept ------------------------------------------------------------------------------


def for_slot(slot_id):
    """The slot's waiting list in order, for the rota board's panel."""
    return list(WaitingListEntry.waiting(slot_id))


def accept(entry_id, by, now=None):
    """A leader takes someone straight from the list into a free place (Call Up's rules, under the lock)."""
    now = now or utcnow()
    with write_transaction():
        entry = for_update(WaitingListEntry.select().where(WaitingListEntry.id == entry_id)).first()
        if entry is None or entry.left_at is not None:
            raise rota.Refused(gettext("Not registered: they are no longer on the waiting list."))
        slot = _slot(entry.slot_id)
        outcome = cover.fill(slot, entry.volunteer, now, "waiting-list", by=by)
        if outcome == STARTED:
            raise rota.Refused(gettext("Not registered: this shift has already started."))
        if outcome == COVERED:
            raise rota.Refused(gettext("Not registered: the slot is Full. Undo or Remove someone to make room."))
        _close_offers(entry.id, now)
    return Registration.get(Registration.slot == slot.id, Registration.volunteer == entry.volunteer_id)


__all__ = ["join", "leave", "places", "upcoming_for", "offer_free_places", "pass_on", "take", "accept"]
