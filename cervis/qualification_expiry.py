"""Expiry is a cycle, not a surprise: the scheduler's job that tells people before training runs out.

The volunteer hears 60 and 14 days before a qualification's last valid day; each group's leaders
get a weekly digest of what runs out in the next 60 days and of rota places already held by
someone whose training will have lapsed by that night. Each email has a key (Email.key is unique),
so a second run, a restart or a second scheduler never sends one twice.
"""

from datetime import timedelta

from . import eligibility, email_kinds, emails
from .db import database, utcnow, write_transaction
from .models import GRANTED, Email, Group, Membership, Opportunity, Qualification, QualificationGrant, Slot, User
from .timeutil import org_zone, slot_when, to_local

STAGES = (14, 60)  # days before the last valid day, the nearest first
AHEAD = timedelta(days=max(STAGES))


def _today(now):
    return to_local(now, org_zone()).date()


def _stage(days_left):
    """The nearest stage reached: a grant first seen 10 days out gets the 14-day email only."""
    return next((stage for stage in STAGES if days_left <= stage), None)


def _expiring(today, volunteers=None):
    """Granted qualifications whose last valid day is from today to 60 days on, soonest first."""
    query = (
        QualificationGrant.select(QualificationGrant, Qualification, User)
        .join(Qualification)
        .switch(QualificationGrant)
        .join(User, on=QualificationGrant.volunteer)
        .where(
            QualificationGrant.state == GRANTED,
            QualificationGrant.expires_on >= today,
            QualificationGrant.expires_on <= today + AHEAD,
            User.active == True,
        )
        .order_by(QualificationGrant.expires_on, User.first_name, Qualification.name)
    )
    return query if volunteers is None else query.where(QualificationGrant.volunteer.in_(volunteers))


def _sent(keys):
    """The keys already used: an hourly run renders only the emails not yet queued."""
    return {key for (key,) in Email.select(Email.key).where(Email.key.in_(keys)).tuples()} if keys else set()


def tell_volunteers(now=None):
    """Queue each volunteer's 60- and 14-day emails that are due; how many."""
    today, queued = _today(now or utcnow()), 0
    due = {
        f"qualification-expiring:{g.id}:{g.expires_on.isoformat()}:{_stage((g.expires_on - today).days)}": g
        for g in _expiring(today)
    }
    already = _sent(list(due))
    for key, grant in due.items():
        inbox = grant.volunteer.inbox
        if key in already or inbox is None:
            continue
        with write_transaction():
            sent = email_kinds.qualification_expiring(
                key,
                inbox,
                grant,
                (grant.expires_on - today).days,
                emails.absolute("volunteer.profile", _anchor="training"),
            )
        queued += sent is not None
    return queued


def lapsed_in_groups(group_ids, now, until=None):
    """Upcoming rota places in these groups (until a time, or all) held by someone without the role's
    training that night: {group id: [eligibility.Lapsed]}, each with `when` as the guide writes it;
    two queries in all."""
    upcoming = (
        Slot.select(Slot.id)
        .join(Opportunity)
        .where(Opportunity.group.in_(group_ids), Opportunity.cancelled_at.is_null(), Slot.starts_at > now)
    )
    if until is not None:
        upcoming = upcoming.where(Slot.starts_at <= until)
    found = {}
    for place in eligibility.lapsed_places(upcoming):
        place.when = slot_when(place.starts_at, place.ends_at)
        found.setdefault(place.group_id, []).append(place)
    return found


def tell_leaders(now=None):
    """Each group's weekly digest to each of its leaders, once an ISO week, when there is news."""
    now = now or utcnow()
    today = _today(now)
    year, week, _ = today.isocalendar()
    groups = list(Group.select())
    lapsed = lapsed_in_groups([g.id for g in groups], now)
    queued = 0
    for group in groups:
        members = Membership.select(Membership.user).where(Membership.group == group.id)
        expiring = list(_expiring(today, members))
        places = lapsed.get(group.id, [])
        if not expiring and not places:
            continue
        for leader in [u for u in group.leaders() if u.email and u.active]:
            with write_transaction():
                sent = email_kinds.qualification_digest(
                    f"qualification-digest:{group.id}:{leader.id}:{year}-W{week:02d}",
                    leader,
                    group,
                    expiring,
                    places,
                    emails.absolute("leader.home"),
                )
            queued += sent is not None
    return queued


def expiry_notices(app, now=None):
    """The scheduler's job (hourly): each run finds for itself what is due."""
    with app.app_context(), database.connection_context():
        return tell_volunteers(now) + tell_leaders(now)
