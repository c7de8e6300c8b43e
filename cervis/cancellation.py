"""Cancelling a registration: the rules, the signed e-mail link, and telling the group's leaders.

The guide's FAQ "How can I cancel a shift?": a volunteer cancels on CERVIS as soon as they can
"so that a reserve can be contacted"; close to the shift (once the 24-48 hour reminder has gone)
they should call their shift leader as well.
"""

from collections import defaultdict

from flask_babel import gettext
from datetime import timedelta

from . import calendars, email_kinds, emails, signed_links
from .calendar_links import links
from .db import for_update, utcnow, write_transaction
from .models import (
    CANCELLED,
    NOT_REQUIRED,
    PENDING,
    REGISTERED,
    STATUS_LABELS,
    Opportunity,
    Organisation,
    Profile,
    Registration,
    RegistrationEvent,
    Role,
    Slot,
    User,
)
from .permissions import household_ids
from .timeutil import local_datetime, org_zone, to_local

CALL_THE_SHIFT_LEADER = timedelta(hours=48)
ACTIVE = (PENDING, REGISTERED)


# The signed link in acknowledgement and confirmation e-mails ------------------------------------


def cancel_token(registration):
    return signed_links.CANCEL.make({"r": registration.id})


def cancel_url(registration):
    """The "Cancel Registration" link for one registration: works without logging in."""
    return emails.absolute("volunteer.cancel_link", token=cancel_token(registration))


def stand_in_url(registration):
    """The "Find a Stand-in" link for one registered place (not a Reserve's: it needs none)."""
    if registration.slot.role.is_reserve:
        return ""
    return emails.absolute(
        "volunteer.find_stand_in_link", token=signed_links.FIND_STAND_IN.make({"r": registration.id})
    )


def registration_from_token(token):
    """The registration a link was made for, or None for a forged, mangled or stale token."""
    reg_id = signed_links.CANCEL.read_id(token, "r")
    if reg_id is None:
        return None
    return with_shift(Registration.select()).where(Registration.id == reg_id).first()


# What a volunteer sees --------------------------------------------------------------------------


def with_shift(query):
    """Registrations joined to their slot, role, opportunity and volunteer: one query per page."""
    return (
        query.select_extend(Slot, Role, Opportunity, User)
        .join(Slot)
        .join(Role)
        .switch(Slot)
        .join(Opportunity)
        .switch(Registration)
        .join(User, on=Registration.volunteer)
    )


def upcoming_for(user, now, page=None, per_page=50):
    """The household's "Current Registration Activity": slots not yet over, still pending or registered,
    of opportunities still running (a cancelled one is past activity: nothing is left to cancel).
    With a page: that page, soonest first, and one more row when another page follows."""
    query = Registration.select().where(
        Registration.volunteer.in_(household_ids(user)), Registration.status.in_(ACTIVE)
    )
    query = with_shift(query).where(Slot.ends_at > now, Opportunity.cancelled_at.is_null())
    query = query.order_by(Slot.starts_at, User.first_name, Registration.id)
    return list(query if page is None else _page_and_one(query, page, per_page))


def past_for(user, now, page=1, per_page=50):
    """Past registration activity, newest first: slots that are over, or cancelled / not required."""
    query = Registration.select().where(Registration.volunteer.in_(household_ids(user)))
    query = with_shift(query).where(
        (Slot.ends_at <= now) | Registration.status.not_in(ACTIVE) | Opportunity.cancelled_at.is_null(False)
    )
    return list(_page_and_one(query.order_by(Slot.starts_at.desc(), User.first_name, Registration.id), page, per_page))


def _page_and_one(query, page, per_page):
    """The page's rows and the first of the next page, if any (peewee's paginate() would count
    pages of per_page + 1 and skip a row at every page)."""
    return query.limit(per_page + 1).offset((page - 1) * per_page)


def past_status(registration, now, household):
    """(status, detail) for the past activity list; a reason shows only when the household gave it."""
    reg = registration
    if reg.status == CANCELLED:
        detail = gettext("Cancelled %(when)s", when=local_datetime(reg.cancelled_at)) if reg.cancelled_at else ""
        if reg.cancel_reason and reg.cancelled_by_id in household:
            detail += ". " + gettext("Reason: %(reason)s", reason=reg.cancel_reason)
        return gettext("Cancelled"), detail
    if reg.slot.called_off():
        return gettext("Opportunity Cancelled"), ""
    if reg.status == PENDING and reg.slot.ends_at <= now:
        return gettext("Pending"), gettext("Your offer was not confirmed before the shift.")
    return reg.status_label, ""


def has_started(registration, now):
    return registration.slot.starts_at <= now


def is_close(registration, now):
    """Within 48 hours of the start: the volunteer should call the shift leader too."""
    return registration.slot.starts_at - now <= CALL_THE_SHIFT_LEADER


def why_not_cancellable(registration, now):
    """None when the volunteer may still cancel, else the sentence that says why not."""
    if registration.status == CANCELLED:
        return gettext("This registration has already been cancelled.")
    if registration.status == NOT_REQUIRED:
        return gettext("You are not required for this shift, so there is nothing to cancel.")
    if registration.slot.opportunity.cancelled_at is not None:
        return gettext("This opportunity has been cancelled, so there is nothing to cancel.")
    if has_started(registration, now):
        return gettext(
            "This shift has already started, so it can no longer be cancelled here. "
            "Please contact your shift leader or group leader directly."
        )
    return None


def shift_leader(registration):
    """(name, mobile) of the shift leader that night, or None."""
    row = night_shift_leader(registration)
    if row is None:
        return None
    profile = Profile.get_or_none(Profile.user == row.volunteer_id)
    return {"name": row.volunteer.name, "phone": profile.mobile if profile else ""}


def shift_details(registration, leader):
    """What every rota email about one slot says: event, date, role, links, and who to ask."""
    slot, profile = registration.slot, None
    if leader is not None:
        profile = Profile.get_or_none(Profile.user == leader.id)
    return dict(
        event_name=slot.opportunity.name,
        when=emails.when(slot.starts_at, slot.ends_at),
        role="Reserve" if slot.role.is_reserve else slot.role.name,
        calendar=links(registration),
        cancel_link=cancel_url(registration),
        stand_in_link=stand_in_url(registration),
        location=slot.opportunity.meeting_location(),
        leader=leader,
        leader_phone=profile.mobile if profile else "",
        # "contact me by replying to this email": the reply reaches the leader who signs it.
        from_name=leader.name if leader is not None and leader.email else "",
        reply_to=leader.email if leader is not None and leader.email else "",
    )


def night_shift_leader(registration):
    """The shift leader's registration that night, or None: a volunteer registered in a shift
    leader role for the same opportunity and the same start date."""
    slot = registration.slot
    zone = org_zone()
    day = to_local(slot.starts_at, zone).date()
    # A wide window in UTC, then the exact local date: a night's slots all start on one evening.
    rows = (
        Registration.select(Registration, Slot, User)
        .join(Slot)
        .join(Role)
        .switch(Registration)
        .join(User, on=Registration.volunteer)
        .where(
            Slot.opportunity == slot.opportunity_id,
            Role.is_shift_leader == True,
            Registration.status == REGISTERED,
            Registration.volunteer != registration.volunteer_id,
            Slot.starts_at.between(slot.starts_at - timedelta(days=1), slot.starts_at + timedelta(days=1)),
        )
        .order_by(Slot.starts_at, User.first_name)
    )
    return next((row for row in rows if to_local(row.slot.starts_at, zone).date() == day), None)


def close_ones(registrations, now):
    """The selected registrations within 48 hours, each with its shift leader, for the warning."""
    return [(reg, shift_leader(reg)) for reg in registrations if is_close(reg, now)]


# Cancelling -------------------------------------------------------------------------------------


def cancel(registration_ids, by, reason="", now=None, via=""):
    """Cancel these registrations in one transaction and queue the e-mail to their group leaders.

    Re-reads each row under the write lock, so two clicks (or a click and an e-mail link) at
    once cancel it once. Returns the registrations cancelled now; the others were already
    cancelled, not required, or started by the time the lock was taken.
    """
    now = now or utcnow()
    reason = (reason or "").strip()
    with write_transaction():
        query = with_shift(Registration.select()).where(Registration.id.in_(list(registration_ids)))
        done = []
        for reg in for_update(query):
            if why_not_cancellable(reg, now) is not None:
                continue
            reg.was = reg.status
            reg.status, reg.cancelled_by, reg.cancelled_at = CANCELLED, by, now
            reg.cancel_reason, reg.updated_at = reason, now
            reg.save()
            RegistrationEvent.create(
                registration=reg, status=CANCELLED, at=now, by=by, note=" ".join(filter(None, [via, reason]))
            )
            done.append(reg)
        _tell_leaders(done, by, reason, now)
        for reg in done:
            if reg.was == REGISTERED:
                calendars.attach(emails.rota_cancelled(reg, shift_details(reg, None)), reg, "CANCEL")
        places_given_up([reg for reg in done if reg.was == REGISTERED], now)
    return done


# Told of every registered place given up (the registrations, now), inside the transaction that
# gave it up: cover (cervis/cover.py) listens. A hook, not an import: cover builds on this module.
PLACE_GIVEN_UP = []


def places_given_up(registrations, now):
    """The one path every cancellation of a registered place takes: the portal, the e-mail link,
    and a leader's Remove on the rota board."""
    for listener in PLACE_GIVEN_UP:
        listener(registrations, now)
    places_freed([reg.slot_id for reg in registrations], now)


# Told of every slot where a registered place came free (slot ids, now), whatever freed it (a
# cancellation, a Remove, an Undo, a Reserve called up or covering, more capacity), inside the
# transaction that freed it, after cover has opened its request: the waiting list listens.
PLACE_FREED = []


def places_freed(slot_ids, now):
    if slot_ids:
        for listener in PLACE_FREED:
            listener(sorted(set(slot_ids)), now)


def _tell_leaders(cancelled, by, reason, now):
    """One e-mail per leader of each group, urgent when any shift starts within 48 hours."""
    by_group = defaultdict(list)
    for reg in cancelled:
        by_group[reg.slot.opportunity.group].append(reg)
    for group, regs in by_group.items():
        shifts = [_shift_summary(reg) for reg in regs]
        urgent = any(is_close(reg, now) for reg in regs)
        leaders = list(group.leaders())
        readers = [leader for leader in leaders if leader.email]
        if not leaders:
            # Someone must hear of it, so a reserve can be called: the charity's own address.
            org = Organisation.current()
            readers = [org] if org.contact_email else []
        for reader in readers:
            email_kinds.cancellation_leader(reader, urgent, regs[0], group, shifts, by, reason)


def _shift_summary(reg):
    slot = reg.slot
    leader = shift_leader(reg)
    return {
        "volunteer": reg.volunteer.name,
        "opportunity": slot.opportunity.name,
        "role": slot.role.name,
        "when": emails.when(slot.starts_at, slot.ends_at),
        "registered": slot.registered_count(),
        "capacity": slot.capacity,
        "was": STATUS_LABELS[reg.was],
        "shift_leader": leader,
    }


__all__ = [
    "cancel_url",
    "cancel_token",
    "registration_from_token",
    "upcoming_for",
    "past_for",
    "past_status",
    "why_not_cancellable",
    "is_close",
    "shift_leader",
    "shift_details",
    "close_ones",
    "cancel",
    "places_given_up",
    "PLACE_GIVEN_UP",
    "places_freed",
    "PLACE_FREED",
]
