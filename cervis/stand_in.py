"""Finding a stand-in: a registered volunteer who cannot come asks the group's qualified members
free that night (and its Reserves); the first to tap "I'll take it" takes the place.

The volunteer stays registered, and responsible, until someone takes it: the hand-over is one
transaction (their place cancelled, the stand-in registered by Call Up's rules), so the slot is
never short nor overbooked on the way. The shift leader and the group's leaders hear who is now
coming; if nobody has taken it 24 hours before, the volunteer and the leaders are told instead.
"""

from datetime import timedelta

from . import calendars, cancellation, cover, email_kinds, emails, rota, rota_emails, signed_links
from .db import database, for_update, utcnow, write_transaction
from .models import (
    CANCELLED,
    REGISTERED,
    Registration,
    Slot,
    StandInAsk,
    StandInRequest,
    User,
)
from .permissions import household_ids

CLOSES = timedelta(hours=24)  # nobody by then: the volunteer is told, and cancels as usual
TAKEN, COVERED, STARTED, CLOSED = cover.TAKEN, cover.COVERED, cover.STARTED, "closed"


# Asking -----------------------------------------------------------------------------------------


def registration_from_token(token):
    reg_id = signed_links.FIND_STAND_IN.read_id(token, "r")
    return None if reg_id is None else _registration(reg_id)


def registration_for(user, registration_id):
    """A registration of this user's household, with its shift, or None."""
    reg = _registration(registration_id)
    return reg if reg is not None and reg.volunteer_id in household_ids(user) else None


def _registration(registration_id):
    query = cancellation.with_shift(Registration.select()).where(Registration.id == registration_id)
    return query.first()


def why_not(reg, now):
    """None when a stand-in may be asked for this registration, else the sentence that says why not."""
    if reg.status != REGISTERED or reg.slot.opportunity.cancelled_at is not None:
        return "This registration is not a registered place, so there is no place to hand on."
    if reg.slot.starts_at <= now:
        return "This shift has already started. Please contact your shift leader directly."
    if reg.slot.role.is_reserve:
        return "A Reserve place needs no stand-in: cancel it as usual, and the group leader is told."
    if reg.slot.starts_at - now <= CLOSES:
        return (
            "This shift starts within 24 hours, which is too soon to find a stand-in here. "
            "Please contact your shift leader directly."
        )
    return None


def open_request(reg):
    return StandInRequest.get_or_none(
        StandInRequest.registration == reg.id, StandInRequest.taken_at.is_null(), StandInRequest.closed_at.is_null()
    )


def asked_for(registration_ids):
    """The ids among these registrations with a stand-in request open (one query, for View or Cancel)."""
    query = StandInRequest.select(StandInRequest.registration).where(
        StandInRequest.registration.in_(list(registration_ids) or [0]),
        StandInRequest.taken_at.is_null(),
        StandInRequest.closed_at.is_null(),
    )
    return {row[0] for row in query.tuples()}


def start(registration_id, now=None):
    """Ask for a stand-in (once: asking again while a request is open asks nobody new); the request."""
    now = now or utcnow()
    with write_transaction():
        reg = _registration(registration_id)
        for_update(Registration.select().where(Registration.id == registration_id)).get()
        refusal = why_not(reg, now)
        if refusal:
            raise rota.Refused(refusal)
        request = open_request(reg)
        if request is not None:
            return request
        request = StandInRequest.create(registration=reg, opened_at=now)
        for volunteer in candidates(reg):
            ask = StandInAsk.create(request=request, volunteer=volunteer, asked_at=now)
            inbox = volunteer.inbox
            email_kinds.stand_in_ask(
                inbox, volunteer, ask, reg.volunteer.first_name, ask_url(ask), cover._shift(reg.slot)
            )
    return request


def candidates(reg):
    """The night's Reserves and the group's members free that night, qualified for the role then,
    who have not refused this shift (cancelled it themselves, or said "I can't" to a stand-in ask)."""
    slot = reg.slot
    reserves = [r.volunteer for r in cover.reserves_that_night(slot)]
    members = cover.free_members(slot, exclude={reg.volunteer_id, *(r.id for r in reserves)})
    refused = refusals(slot)
    people = [p for p in reserves + members if p.id not in refused and p.id != reg.volunteer_id]
    return [p for p in cover.qualified(slot, people, lambda p: p.id) if p.inbox is not None]


def refusals(slot):
    """Ids of volunteers who refused this slot: cancelled their own place in it, or declined to stand in."""
    cancelled = Registration.select(Registration.volunteer).where(
        Registration.slot == slot.id,
        Registration.status == CANCELLED,
        Registration.cancelled_by == Registration.volunteer,
    )
    declined = (
        StandInAsk.select(StandInAsk.volunteer)
        .join(StandInRequest)
        .join(Registration)
        .where(Registration.slot == slot.id, StandInAsk.declined_at.is_null(False))
    )
    return {row[0] for row in cancelled.tuples()} | {row[0] for row in declined.tuples()}


def _given_up(registrations, now):
    """A PLACE_GIVEN_UP listener: a place cancelled as usual needs no stand-in any more."""
    StandInRequest.update(closed_at=now).where(
        StandInRequest.registration.in_([r.id for r in registrations]),
        StandInRequest.taken_at.is_null(),
        StandInRequest.closed_at.is_null(),
    ).execute()


cancellation.PLACE_GIVEN_UP.append(_given_up)


# "I'll take it" ---------------------------------------------------------------------------------


def ask_url(ask):
    return emails.absolute("volunteer.stand_in_ask", token=signed_links.STAND_IN.make({"a": ask.id}))


def ask_from_token(token):
    ask_id = signed_links.STAND_IN.read_id(token, "a")
    ask = None if ask_id is None else StandInAsk.select(StandInAsk, User).join(User).where(StandInAsk.id == ask_id)
    ask = ask.first() if ask is not None else None
    if ask is not None:
        ask.request = StandInRequest.get_by_id(ask.request_id)
        ask.request.registration = _registration(ask.request.registration_id)
    return ask


def state(ask, now):
    """What the link's page says: None while the place is open to this volunteer."""
    request = ask.request
    if request.taken_at is not None:
        return TAKEN if request.taken_by_id == ask.volunteer_id else COVERED
    if request.registration.slot.starts_at <= now:
        return STARTED
    if request.closed_at is not None or request.registration.status != REGISTERED:
        return CLOSED
    return None


def decline(ask_id, now=None):
    with write_transaction():
        StandInAsk.update(declined_at=now or utcnow()).where(StandInAsk.id == ask_id).execute()


def take(ask_id, now=None):
    """The first tap wins: TAKEN, COVERED, STARTED or CLOSED; rota.Refused when the rules say no
    (nothing is changed then: the volunteer keeps their place)."""
    now = now or utcnow()
    with write_transaction():
        ask = StandInAsk.get_by_id(ask_id)
        request = for_update(StandInRequest.select().where(StandInRequest.id == ask.request_id)).get()
        if request.taken_at is not None:
            return TAKEN if request.taken_by_id == ask.volunteer_id else COVERED
        reg = for_update(Registration.select().where(Registration.id == request.registration_id)).get()
        reg = _registration(reg.id)
        if reg.slot.starts_at <= now:
            return STARTED
        if request.closed_at is not None or reg.status != REGISTERED:
            return CLOSED
        stand_in = ask.volunteer
        new = rota.hand_over(reg, stand_in, now)
        StandInRequest.update(taken_at=now, taken_by=stand_in).where(StandInRequest.id == request.id).execute()
        leaders = list(reg.slot.opportunity.group.leaders())
        rota_emails.confirmation(new, leaders[0] if leaders else None)
        _tell_volunteer(reg, "found", stand_in=stand_in.name)
        cover.tell_leaders(
            request,
            reg,
            "found",
            tell=email_kinds.stand_in_leaders,
            volunteer=reg.volunteer.name,
            stand_in=stand_in.name,
        )
    return TAKEN


def _tell_volunteer(reg, news, **context):
    volunteer = reg.volunteer
    inbox = volunteer.inbox
    if inbox is None:
        return None
    email = email_kinds.stand_in_volunteer(
        inbox,
        volunteer,
        reg,
        news,
        cancellation.cancel_url(reg),
        cancellation.shift_leader(reg),
        cover._shift(reg.slot),
        **context,
    )
    return calendars.attach(email, reg, "CANCEL") if news == "found" else email


# Nobody by 24 hours before ----------------------------------------------------------------------


def nobody_found(now=None):
    """Close each request still open 24 hours before its shift, telling the volunteer and the
    leaders once (claimed in the transaction that queues the e-mails); how many."""
    now = now or utcnow()
    due = (
        StandInRequest.select(StandInRequest.id)
        .join(Registration)
        .join(Slot)
        .where(StandInRequest.taken_at.is_null(), StandInRequest.closed_at.is_null(), Slot.starts_at <= now + CLOSES)
    )
    told = 0
    for (request_id,) in list(due.tuples()):
        with write_transaction():
            if (
                not StandInRequest.update(closed_at=now)
                .where(StandInRequest.id == request_id, StandInRequest.closed_at.is_null())
                .where(StandInRequest.taken_at.is_null())
                .execute()
            ):
                continue
            request = StandInRequest.get_by_id(request_id)
            reg = _registration(request.registration_id)
            if reg.status != REGISTERED or reg.slot.starts_at <= now:
                continue
            _tell_volunteer(reg, "not-found")
            cover.tell_leaders(
                request, reg, "not-found", tell=email_kinds.stand_in_leaders, volunteer=reg.volunteer.name
            )
            told += 1
    return told


def nobody_found_job(app, now=None):
    with app.app_context(), database.connection_context():
        return nobody_found(now)
