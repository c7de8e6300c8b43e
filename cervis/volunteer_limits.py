"""Limits that protect volunteers: at most N shifts a month, at least D days from one shift to the next.

Set by the volunteer on their profile or by a leader of their group on the member's page. Suggest
Rota keeps them as hard limits (suggest_rota, rota_limits). A leader who goes past one (Accept,
Accept Selected, Call Up, Add Volunteer to Slot), or takes someone on a date they are away, is
warned first and confirms with one more tap; the confirmation is audited. The check runs inside
rota's own checks under the write lock (rota_checks.check_room), for the leader named by leader_acting():
a context, not a parameter, so that every way onto the rota gets it without each signature
growing; a volunteer taking a place themselves (a cover link) is not warned of their own limits.
"""

from flask_babel import gettext, ngettext
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from peewee import SQL, Case, Select, fn

from . import away
from .db import write_transaction
from .models import REGISTERED, AuditLog, AwayRange, Registration, Slot, User, VolunteerLimit
from .months import month_bounds, month_of
from .refused import Refused
from .timeutil import org_zone, to_local

MOST_PER_MONTH, MOST_GAP = 31, 60
CLOSE = 1  # near a limit: one more shift and they are at it
_acting = ContextVar("limits_leader", default=None)


class PastLimit(Refused):
    """Refused until the leader confirms: the message says which limit."""


@contextmanager
def leader_acting(by, confirmed=False):
    """Rota actions inside are a leader's: warned of a volunteer's limits, or (confirmed) audited."""
    token = _acting.set((by, confirmed))
    try:
        yield
    finally:
        _acting.reset(token)


def limits_of(volunteer):
    return VolunteerLimit.get_or_none(VolunteerLimit.volunteer == volunteer.id)


def save(volunteer, per_month, gap_days, by):
    """Set both limits (None: no limit), audited, in one transaction."""
    with write_transaction():
        row = limits_of(volunteer) or VolunteerLimit(volunteer=volunteer)
        before = {"per_month": row.per_month, "gap_days": row.gap_days} if row.id else None
        if (row.per_month, row.gap_days) == (per_month, gap_days):
            return row  # nothing changed: nothing written, nothing audited
        row.per_month, row.gap_days = per_month, gap_days
        row.save()
        AuditLog.record(
            by, "limits.set", volunteer, before=before, after={"per_month": per_month, "gap_days": gap_days}
        )
    return row


def describe(limits):
    """'At most 4 shifts a month; at least 7 days from one shift to the next', or '' for none."""
    if limits is None:
        return ""
    said = []
    if limits.per_month:
        said.append(ngettext("at most %(num)s shift a month", "at most %(num)s shifts a month", limits.per_month))
    if limits.gap_days:
        said.append(
            ngettext(
                "at least %(num)s day from one shift to the next",
                "at least %(num)s days from one shift to the next",
                limits.gap_days,
            )
        )
    return "; ".join(said).capitalize()


def past_limits(slot, volunteer, ignore=()):
    """What taking this slot would go past: their limits (counting their registered shifts, not
    `ignore`), and their away dates. Empty when nothing."""
    zone = org_zone()
    day = to_local(slot.starts_at, zone).date()
    found = []
    away = AwayRange.on(AwayRange.of([volunteer.id], day, day).get(volunteer.id, ()), day)
    if away is not None:
        found.append(
            gettext("%(name)s is away that day", name=volunteer.name) + (f" ({away.note})" if away.note else "")
        )
    limits = limits_of(volunteer)
    if limits is None:
        return found
    theirs = (
        Registration.select(Slot.starts_at)
        .join(Slot)
        .where(
            Registration.volunteer == volunteer.id,
            Registration.status == REGISTERED,
            Registration.id.not_in(list(ignore) or [0]),
        )
    )
    if limits.per_month:
        start, end = month_bounds(month_of(slot.starts_at))
        n = theirs.where(Slot.starts_at >= start, Slot.starts_at < end).count()
        if n + 1 > limits.per_month:
            found.append(
                gettext(
                    "this would be shift %(n)s this month; %(name)s set at most %(most)s",
                    n=n + 1,
                    name=volunteer.first_name,
                    most=limits.per_month,
                )
            )
    if limits.gap_days:
        reach = timedelta(days=limits.gap_days + 1)
        for (starts_at,) in theirs.where(
            Slot.starts_at > slot.starts_at - reach, Slot.starts_at < slot.starts_at + reach
        ).tuples():
            apart = abs((to_local(starts_at, zone).date() - day).days)
            if apart < limits.gap_days:
                found.append(
                    ngettext(
                        "%(name)s has a shift %(num)s day away; they set at least %(least)s",
                        "%(name)s has a shift %(num)s days away; they set at least %(least)s",
                        apart,
                        name=volunteer.first_name,
                        least=limits.gap_days,
                    )
                )
                break
    return found


def check(slot, volunteer, ignore=()):
    """Inside rota's checks under the write lock: warn the leader acting, or audit their confirmation."""
    acting = _acting.get()
    if acting is None:
        return
    found = past_limits(slot, volunteer, ignore)
    if not found:
        return
    by, confirmed = acting
    if not confirmed:
        raise PastLimit(gettext("Not yet: %(found)s.", found="; ".join(found)))
    AuditLog.record(by, "rota.past-limit", volunteer, after={"slot": slot.id, "volunteer": volunteer.id, "past": found})


def annotate(entries, slot):
    """For a slot's panel: each entry's away range that day (.away) and limits (.limits), two queries."""
    day = to_local(slot.starts_at, org_zone()).date()
    ids = {e.volunteer_id for e in entries}
    ranges, limits = AwayRange.of(ids, day, day), VolunteerLimit.of(ids)
    for entry in entries:
        gone = AwayRange.on(ranges.get(entry.volunteer_id, ()), day)
        entry.away = (
            gettext("Away %(dates)s", dates=away.describe(gone)) + (f": {gone.note}" if gone.note else "")
            if gone
            else ""
        )
        entry.limits = describe(limits.get(entry.volunteer_id))


def at_or_over(day, volunteer_ids=None, within=0):
    """Who has as many registered shifts in the month of `day` as they set at most, or more (or
    `within` that many of it: who is close): [(volunteer, shifts, at most)], most over first."""
    return [(v, shifts, most) for v, _, shifts, most in near_limits([day], volunteer_ids, within)]


def near_limits(months, volunteers=None, within=CLOSE):
    """The statistics' list beside "above preferred frequency": [(volunteer, month, shifts, at most)]
    for each of these months in which a volunteer has as many registered shifts as they set at most,
    or more, or `within` that many of it (close: one more shift and they are at it); most over first.
    Their shifts in every group count, as Accept's warning counts them; `volunteers` (ids, or a query
    of them) says whose. One query, whatever the number of volunteers or months."""
    ends = [month_bounds(m)[1] for m in months]
    # Asked once before any row is read: with no monthly limit anywhere, no registration is read.
    anyone = VolunteerLimit.alias()
    someone = anyone.select(SQL("1")).where(anyone.per_month.is_null(False))
    month = Case(None, [(Slot.starts_at < end, i) for i, end in enumerate(ends)], len(ends))
    each = (
        Registration.select(Registration.volunteer.alias("v"), month.alias("m"), VolunteerLimit.per_month.alias("most"))
        .join(Slot)
        .switch(Registration)
        .join(VolunteerLimit, on=(VolunteerLimit.volunteer == Registration.volunteer))
        .where(
            VolunteerLimit.per_month.is_null(False),
            Registration.status == REGISTERED,
            Slot.starts_at >= month_bounds(months[0])[0],
            Slot.starts_at < ends[-1],
            fn.EXISTS(someone),
        )
    )
    if volunteers is not None:
        each = each.where(
            Registration.volunteer.in_(volunteers if isinstance(volunteers, Select) else list(volunteers) or [0])
        )
    each = each.alias("each")
    shifts = fn.COUNT(SQL("*"))
    query = (
        User.select(User, each.c.m, shifts.alias("shifts"), each.c.most)
        .from_(each)
        .join(User, on=(User.id == each.c.v))
        .group_by(User.id, each.c.m, each.c.most)
        .having(shifts + within >= each.c.most)
    )
    rows = [(u, months[u.m], u.shifts, u.most) for u in query.objects()]
    return sorted(rows, key=lambda r: (r[3] - r[2], r[1], r[0].first_name, r[0].id))
