"""I'm Away: the dates a volunteer cannot serve, from one day to another (both included, local dates).

While away, the slot table marks those dates and Register refuses them (offers.py, registering.py),
Suggest Rota and the cover flow leave the volunteer out, and a leader Accepting them is warned
(volunteer_limits). Adding a range over shifts already offered for or registered lists them; the
volunteer may cancel them with it, through the normal cancellation (reason "away"), in the same
transaction.
"""

from flask_babel import gettext
from datetime import datetime, time, timedelta

from .cancellation import ACTIVE, cancel, with_shift
from .db import for_update, utcnow, write_transaction
from .models import AuditLog, AwayRange, Opportunity, Registration, Slot, User
from .refused import Refused
from .timeutil import day_label, org_zone, short_day, to_local, to_utc

NOTE_MAX = 200
LONGEST = timedelta(days=366)
FURTHEST = timedelta(days=3 * 366)  # and so never near the last date a date can hold
REASON = "away"  # the cancellation's reason, as the leaders' e-mail shows it


def today(now=None):
    return to_local(now or utcnow(), org_zone()).date()


def upcoming(volunteer, now=None):
    """The volunteer's ranges not yet over, soonest first."""
    return list(
        AwayRange.select()
        .where(AwayRange.volunteer == volunteer.id, AwayRange.ends_on >= today(now))
        .order_by(AwayRange.starts_on, AwayRange.id)
    )


def problems(volunteer, starts_on, ends_on, now=None):
    """{field: message} for a range that cannot be saved; empty when it can."""
    if starts_on is None or ends_on is None:
        return {}  # the form says which date is missing
    if ends_on < starts_on:
        return {"ends_on": gettext("The last day cannot be before the first.")}
    if ends_on < today(now):
        return {"ends_on": gettext("That range is already over: choose dates from today on.")}
    if starts_on > today(now) + FURTHEST:
        return {"starts_on": gettext("Please choose dates within the next three years.")}
    if ends_on - starts_on >= LONGEST:
        return {"ends_on": gettext("Please keep one range to a year at most; add another for the rest.")}
    clash = _overlapping(volunteer, starts_on, ends_on).first()
    if clash is not None:
        return {
            "starts_on": gettext(
                "You are already away on %(dates)s: remove that range first, or choose other dates.",
                dates=describe(clash),
            )
        }
    return {}


def _overlapping(volunteer, starts_on, ends_on):
    return AwayRange.select().where(
        AwayRange.volunteer == volunteer.id, AwayRange.starts_on <= ends_on, AwayRange.ends_on >= starts_on
    )


def describe(away):
    """'Mon, Feb 8 - Wed, Feb 10, 2027', as the slot table writes dates."""
    a, b = away.starts_on, away.ends_on
    last = day_label(b)
    if a == b:
        return last
    return (day_label(a) if a.year != b.year else short_day(a)) + f" - {last}"


def _window(starts_on, ends_on):
    zone = org_zone()
    return (
        to_utc(datetime.combine(starts_on, time()), zone),
        to_utc(datetime.combine(ends_on + timedelta(days=1), time()), zone),
    )


def shifts_within(volunteer, starts_on, ends_on, now=None):
    """The volunteer's offers and registered shifts starting on those dates, not yet started."""
    start, end = _window(starts_on, ends_on)
    query = Registration.select().where(Registration.volunteer == volunteer.id, Registration.status.in_(ACTIVE))
    query = with_shift(query).where(
        Slot.starts_at >= max(start, now or utcnow()), Slot.starts_at < end, Opportunity.cancelled_at.is_null()
    )
    return list(query.order_by(Slot.starts_at, Registration.id))


def add(volunteer, starts_on, ends_on, note="", cancel_ids=(), now=None):
    """Save the range and cancel the chosen shifts within it, in one transaction. Checked again
    under the write lock (a second tab may have added an overlapping range). Returns (range,
    the registrations cancelled)."""
    now = now or utcnow()
    with write_transaction():
        for_update(User.select().where(User.id == volunteer.id)).get()  # one volunteer's ranges one at a time
        found = problems(volunteer, starts_on, ends_on, now)
        if found:
            raise Refused(next(iter(found.values())))
        away = AwayRange.create(volunteer=volunteer, starts_on=starts_on, ends_on=ends_on, note=note[:NOTE_MAX])
        AuditLog.record(volunteer, "away.add", away, after={"from": starts_on, "to": ends_on, "note": away.note})
        within = {r.id for r in shifts_within(volunteer, starts_on, ends_on, now)}
        cancelled = cancel(sorted(within & set(cancel_ids)), by=volunteer, reason=REASON, now=now, via="I'm Away")
    return away, cancelled


def remove(volunteer, away_id):
    """Remove one of the volunteer's own ranges; False when it was not theirs (or already gone)."""
    with write_transaction():
        away = AwayRange.get_or_none(AwayRange.id == away_id, AwayRange.volunteer == volunteer.id)
        if away is None:
            return False
        AuditLog.record(volunteer, "away.remove", away, before={"from": away.starts_on, "to": away.ends_on})
        away.delete_instance()
    return True


def away_on(volunteer_id, day):
    """The range covering this local date, for a check under the write lock; None when not away."""
    return AwayRange.get_or_none(
        AwayRange.volunteer == volunteer_id, AwayRange.starts_on <= day, AwayRange.ends_on >= day
    )


def away_that_day(volunteer_ids, day):
    """The ids among these of volunteers away on this local date."""
    return set(AwayRange.of(volunteer_ids, day, day))


def slot_day(slot):
    return to_local(slot.starts_at, org_zone()).date()
