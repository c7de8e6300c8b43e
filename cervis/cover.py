"""Cover: a registered place given up within 72 hours of the shift is offered to the night's
reserves and to the group's free members at once; the first to tap "I can cover" takes it.

Cover starts from cancellation.places_given_up (the portal, the e-mail link and a leader's Remove
all end there), inside the transaction that gave the place up. The leaders and the night's shift
leader hear when the place opens, when it is covered, and if it is still open 12 hours before.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from peewee import JOIN

from . import away, cancellation, eligibility, email_kinds, emails, rota, rota_emails, signed_links
from .db import for_update, utcnow, write_transaction
from .models import (
    REGISTERED,
    CoverAsk,
    CoverRequest,
    Membership,
    Opportunity,
    Organisation,
    Profile,
    Registration,
    Role,
    Slot,
    User,
    WaitingListEntry,
)
from .models.rota import registered_counts
from .months import month_bounds, month_key, month_of
from .timeutil import org_zone, to_local, to_utc

WINDOW = timedelta(hours=72)
LAST_CALL = timedelta(hours=12)
TAKEN, COVERED, STARTED = "taken", "covered", "started"


# Starting cover ---------------------------------------------------------------------------------


def needs_cover(registration, now):
    slot = registration.slot
    return not slot.role.is_reserve and slot.opportunity.cancelled_at is None and now < slot.starts_at <= now + WINDOW


def start(registrations, now):
    """Open a cover request for each place given up close to its shift (a PLACE_GIVEN_UP listener)."""
    for reg in registrations:
        if needs_cover(reg, now):
            _open(reg, now)


cancellation.PLACE_GIVEN_UP.append(start)


def _open(given_up, now):
    slot = given_up.slot
    request = CoverRequest.create(slot=slot, registration=given_up, opened_at=now)
    reserves = qualified(slot, reserves_that_night(slot), lambda r: r.volunteer_id)
    # The slot's waiting list is asked with the Reserves: at short notice nobody waits their turn.
    waiting = [e.volunteer for e in WaitingListEntry.waiting(slot.id) if e.volunteer.active]
    waiting = qualified(slot, [w for w in waiting if w.id != given_up.volunteer_id], lambda w: w.id)
    asked = {given_up.volunteer_id, *(r.volunteer_id for r in reserves), *(w.id for w in waiting)}
    members = qualified(slot, free_members(slot, exclude=asked), lambda m: m.id)
    for volunteer, reserve in [(r.volunteer, True) for r in reserves] + [(m, False) for m in waiting + members]:
        inbox = volunteer.inbox
        if inbox is None or volunteer.id == given_up.volunteer_id:
            continue
        ask = CoverAsk.create(request=request, volunteer=volunteer, asked_at=now, reserve=reserve)
        email_kinds.cover_ask(inbox, volunteer, ask, ask_url(ask), _shift(slot))
    phones = dict(
        Profile.select(Profile.user, Profile.mobile)
        .where(Profile.user.in_([r.volunteer_id for r in reserves] or [0]))
        .tuples()
    )
    tell_leaders(
        request,
        given_up,
        "opened",
        asked=CoverAsk.select().where(CoverAsk.request == request).count(),
        reserves=[(r.volunteer.name, phones.get(r.volunteer_id, "")) for r in reserves],
        volunteer=given_up.volunteer.name,
    )
    return request


def qualified(slot, people, volunteer_id):
    """Only those with the role's training, valid that night, and not away that date, are asked
    (a query for each, for them all)."""
    known = eligibility.eligibility([volunteer_id(p) for p in people], [slot.role_id])
    gone = away.away_that_day([volunteer_id(p) for p in people], away.slot_day(slot))
    return [p for p in people if not known.missing_for(volunteer_id(p), slot) and volunteer_id(p) not in gone]


def _night(slot):
    """The local date the slot starts on, as a UTC window, and a wider one to search in."""
    zone = org_zone()
    day = to_local(slot.starts_at, zone).date()
    start = to_utc(datetime.combine(day, datetime.min.time()), zone)
    end = to_utc(datetime.combine(day + timedelta(days=1), datetime.min.time()), zone)
    return start, end


def reserves_that_night(slot):
    """Volunteers registered as a Reserve of this opportunity on the slot's date."""
    start, end = _night(slot)
    return list(
        Registration.select(Registration, User)
        .join(Slot)
        .join(Role)
        .switch(Registration)
        .join(User, on=Registration.volunteer)
        .where(
            Registration.status == REGISTERED,
            Role.is_reserve == True,
            Slot.opportunity == slot.opportunity_id,
            Slot.starts_at >= start,
            Slot.starts_at < end,
            User.active == True,
        )
        .order_by(Slot.starts_at, User.first_name)
    )


def free_members(slot, exclude=()):
    """Active members of the group with no shift that night (nor one overlapping this slot) who
    offered for this opportunity in the slot's month."""
    start, end = _night(slot)
    month_start, month_end = month_bounds(month_of(slot.starts_at))
    busy = (
        Registration.select(Registration.volunteer)
        .join(Slot)
        .where(
            Registration.status == REGISTERED,
            ((Slot.starts_at >= start) & (Slot.starts_at < end))
            | ((Slot.starts_at < slot.ends_at) & (Slot.ends_at > slot.starts_at)),
        )
    )
    offered = (
        Registration.select(Registration.volunteer)
        .join(Slot)
        .where(Slot.opportunity == slot.opportunity_id, Slot.starts_at >= month_start, Slot.starts_at < month_end)
    )
    return list(
        User.select()
        .join(Membership)
        .where(
            Membership.group == slot.opportunity.group_id,
            User.active == True,
            User.id.in_(offered),
            User.id.not_in(busy),
            User.id.not_in(list(exclude) or [0]),
        )
        .order_by(User.first_name, User.last_name)
    )


def _shift(slot):
    opportunity = slot.opportunity
    return dict(
        event_name=opportunity.name,
        role=slot.role.name,
        when=emails.when(slot.starts_at, slot.ends_at),
        location=opportunity.location or opportunity.group.address,
    )


# Telling the leaders ----------------------------------------------------------------------------


def tell_leaders(request, given_up, news, tell=email_kinds.cover_leaders, **context):
    """One urgent e-mail to each of the group's leaders and the night's shift leader (stand_in.py's too)."""
    slot = given_up.slot
    group = slot.opportunity.group
    people = {u.id: u for u in group.leaders() if u.email}
    night_leader = cancellation.night_shift_leader(given_up)
    if night_leader and night_leader.volunteer.email:
        people.setdefault(night_leader.volunteer_id, night_leader.volunteer)
    context.update(_shift(slot), news=news, group=group, board=_board_url(slot))
    readers = list(people.values())
    if not readers:
        org = Organisation.current()
        readers = [org] if org.contact_email else []
    for reader in readers:
        tell(reader, request, **context)


def _board_url(slot):
    try:
        return emails.absolute(
            "leader.rota", opportunity_id=slot.opportunity_id, month=month_key(month_of(slot.starts_at))
        )
    except Exception:  # noqa: BLE001  (no rota board in this build: the e-mail goes without the link)
        return ""


def still_open(now=None):
    """Tell the leaders once about each place still open 12 hours before its shift; how many."""
    now = now or utcnow()
    due = (
        CoverRequest.select(CoverRequest.id, CoverRequest.opened_at, Slot.starts_at)
        .join(Slot)
        .where(
            CoverRequest.covered_at.is_null(),
            CoverRequest.still_open_at.is_null(),
            Slot.starts_at > now,
            Slot.starts_at <= now + LAST_CALL,
        )
    )
    told = 0
    for request_id, opened_at, starts_at in list(due.tuples()):
        if opened_at >= starts_at - LAST_CALL:
            continue  # opened within the last 12 hours: the leaders' first e-mail said it all
        with write_transaction():
            # Claimed in the same transaction as the e-mails: a second run, or a second scheduler, sends nothing.
            if (
                not CoverRequest.update(still_open_at=now)
                .where(CoverRequest.id == request_id, CoverRequest.still_open_at.is_null())
                .execute()
            ):
                continue
            request = _request(request_id)
            slot = request.slot
            if registered_counts([slot.id]).get(slot.id, 0) >= slot.capacity:
                continue  # filled on the rota board meanwhile: nothing to tell
            tell_leaders(
                request,
                request.registration,
                "still-open",
                asked=CoverAsk.select().where(CoverAsk.request == request).count(),
            )
            told += 1
    return told


def _request(request_id):
    return (
        CoverRequest.select(CoverRequest, Slot, Role, Opportunity)
        .join(Slot)
        .join(Role)
        .switch(Slot)
        .join(Opportunity)
        .where(CoverRequest.id == request_id)
        .get()
    )


# "I can cover" ----------------------------------------------------------------------------------


def ask_url(ask):
    return emails.absolute("volunteer.cover", token=signed_links.COVER.make({"a": ask.id}))


def ask_from_token(token):
    """The ask a link was made for, with its request and shift; None for a forged or stale link."""
    ask_id = signed_links.COVER.read_id(token, "a")
    if ask_id is None:
        return None
    ask = CoverAsk.select(CoverAsk, User).join(User).where(CoverAsk.id == ask_id).first()
    if ask is not None:
        ask.request = _request(ask.request_id)
    return ask


def state(ask, now):
    """What the link's page says: None while the place is open to this volunteer."""
    if ask.request.covered_at is not None:
        return TAKEN if ask.request.covered_by_id == ask.volunteer_id else COVERED
    if ask.request.slot.starts_at <= now:
        return STARTED
    return None


def refusal(ask, now):
    """Why the rota's rules would refuse this volunteer the place now (rota.may_take), or None."""
    try:
        rota.may_take(ask.request.slot, ask.volunteer, now)
    except rota.Refused as refused:
        return str(refused)
    return None


def take(ask_id, now=None):
    """The first tap wins: returns TAKEN, COVERED or STARTED; rota.Refused when the rules say no."""
    now = now or utcnow()
    with write_transaction():
        ask = CoverAsk.get_by_id(ask_id)
        request = for_update(CoverRequest.select().where(CoverRequest.id == ask.request_id)).get()
        if request.covered_at is not None:
            return TAKEN if request.covered_by_id == ask.volunteer_id else COVERED
        request = _request(request.id)
        volunteer = ask.volunteer
        outcome = fill(request.slot, volunteer, now, "cover")
        if outcome == TAKEN:
            CoverRequest.update(covered_at=now, covered_by=volunteer).where(CoverRequest.id == request.id).execute()
            tell_leaders(request, request.registration, "covered", volunteer=volunteer.name)
    return outcome


def fill(slot, volunteer, now, action, by=None):
    """The taking half of every first-tap-wins link (cover, the waiting list), inside the caller's
    write transaction once it has locked its own offer: STARTED or COVERED when the place has gone
    (a leader filled it on the rota board meanwhile), else the volunteer is registered by Call Up's
    rules (rota.move_in: never overbooked) and sent their confirmation: TAKEN."""
    if slot.starts_at <= now:
        return STARTED
    if registered_counts([slot.id]).get(slot.id, 0) >= slot.capacity:
        return COVERED
    reg = rota.move_in(volunteer.id, slot.id, by or volunteer, now, action)
    WaitingListEntry.took_place(slot.id, volunteer.id, now)
    leaders = list(slot.opportunity.group.leaders())
    rota_emails.confirmation(reg, by or (leaders[0] if leaders else None))
    return TAKEN


# For the rota board -----------------------------------------------------------------------------


def asked_for_slots(slot_ids):
    """{slot id: [cover request, ...]} for the rota board's "Cover asked": each a dict with
    opened_at, covered_at, covered_by (a name or None) and asked, a list of (name, asked_at,
    reserve?) in the order they were asked. Two queries, whatever the number of slots."""
    if not slot_ids:
        return {}
    coverer = User.alias()
    requests = list(
        CoverRequest.select(CoverRequest, coverer)
        .join(coverer, on=(CoverRequest.covered_by == coverer.id), join_type=JOIN.LEFT_OUTER)
        .where(CoverRequest.slot.in_(list(slot_ids)))
        .order_by(CoverRequest.opened_at)
    )
    asked = defaultdict(list)
    for ask in (
        CoverAsk.select(CoverAsk, User)
        .join(User)
        .where(CoverAsk.request.in_([r.id for r in requests] or [0]))
        .order_by(CoverAsk.id)
    ):
        asked[ask.request_id].append((ask.volunteer.name, ask.asked_at, ask.reserve))
    found = defaultdict(list)
    for r in requests:
        by = r.covered_by.name if r.covered_by_id else None
        found[r.slot_id].append(
            {"opened_at": r.opened_at, "covered_at": r.covered_at, "covered_by": by, "asked": asked[r.id]}
        )
    return dict(found)
