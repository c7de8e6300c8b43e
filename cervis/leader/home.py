"""Leader home: each of the leader's groups, its coming opportunities, and what needs attention first."""

from flask_babel import gettext
from collections import defaultdict
from datetime import datetime, timedelta

from flask import current_app, g, render_template, request, url_for
from flask_login import current_user
from peewee import JOIN, fn

from .. import attendance, qualification_expiry
from ..auth import leader_required
from ..db import utcnow, write_transaction
from ..htmx import done
from ..models import CANCELLED, PENDING, REGISTERED, Group, Opportunity, Registration, Role, Slot, User
from ..permissions import groups_led_by
from ..timeutil import org_zone, to_local
from . import bp

COMING = timedelta(weeks=8)
SHORT_SOON = timedelta(days=14)
FIRST_LOOK = timedelta(days=14)  # a leader who never looked sees the last two weeks' cancellations
LOOK_BACK = timedelta(days=31)  # however long ago they last looked: the page never reads further back
WAITING_AHEAD = timedelta(days=92)  # offers for this month and the next two: shifts open two months ahead


def rota_link(opportunity_id, starts_at):
    """The rota board at that opportunity and month; the opportunity list until the board exists."""
    views = current_app.view_functions
    if "leader.rota" in views:
        if "rota_link" not in g:  # url_for once a page, not once a row
            g.rota_link = url_for("leader.rota", opportunity_id=2147483647, month="MONTH")
        month = f"{to_local(starts_at):%Y-%m}"
        return g.rota_link.replace("2147483647", str(int(opportunity_id))).replace("MONTH", month)
    if "leader.opportunities" in views:
        return url_for("leader.opportunities")
    return None


def _live(query, group_ids, now):
    return query.where(Opportunity.group.in_(group_ids), Opportunity.cancelled_at.is_null(), Slot.starts_at > now)


def coming_opportunities(group_ids, now):
    """Per group: each opportunity with slots in the next eight weeks, and how full they are."""
    # One row an opportunity, summed in the database: not one a slot (eight weeks of nights).
    window = (
        _live(
            Slot.select(
                Slot.opportunity,
                fn.MIN(Slot.starts_at),
                fn.MAX(Slot.starts_at),
                fn.COUNT(Slot.id),
                fn.SUM(Slot.capacity),
            ).join(Opportunity),
            group_ids,
            now,
        )
        .where(Slot.starts_at <= now + COMING)
        .group_by(Slot.opportunity)
    )
    statuses = (
        _live(
            Registration.select(Slot.opportunity, Registration.status, fn.COUNT(Registration.id))
            .join(Slot)
            .join(Opportunity),
            group_ids,
            now,
        )
        .where(Slot.starts_at <= now + COMING)
        .group_by(Slot.opportunity, Registration.status)
    )
    counts = {(opp, status): n for opp, status, n in statuses.tuples()}
    as_time = Slot.starts_at.python_value  # an aggregate comes back from SQLite as text
    rows = {
        opp_id: {"first": as_time(first), "last": as_time(last), "slots": slots, "capacity": capacity}
        for opp_id, first, last, slots, capacity in window.tuples()
    }
    by_group = defaultdict(list)
    for opp in Opportunity.select().where(Opportunity.id.in_(list(rows) or [0])).order_by(Opportunity.name):
        row = rows[opp.id]
        row.update(
            opportunity=opp,
            link=rota_link(opp.id, row["first"]),
            registered=counts.get((opp.id, REGISTERED), 0),
            pending=counts.get((opp.id, PENDING), 0),
        )
        by_group[opp.group_id].append(row)
    for items in by_group.values():
        items.sort(key=lambda r: r["first"])
    return by_group


def offers_waiting(group_ids, now):
    """Per group: pending offers in future slots, counted by opportunity and month."""
    # Counted per start time in SQL, then per local month here: one row a night, not one an offer.
    query = (
        _live(
            Registration.select(
                Opportunity.group, Opportunity.id, Opportunity.name, Slot.starts_at, fn.COUNT(Registration.id)
            )
            .join(Slot)
            .join(Opportunity),
            group_ids,
            now,
        )
        .where(Registration.status == PENDING, Slot.starts_at <= now + WAITING_AHEAD)
        .group_by(Opportunity.group, Opportunity.id, Opportunity.name, Slot.starts_at)
    )
    counted, zone = {}, org_zone()
    for group_id, opp_id, name, starts_at, offers in query.tuples():
        local = to_local(starts_at, zone)
        key = (group_id, opp_id, local.year, local.month)
        if key not in counted:
            counted[key] = {
                "name": name,
                "month": f"{local:%B %Y}",
                "count": 0,
                "link": rota_link(opp_id, starts_at),
                "sort": (local.year, local.month, name),
            }
        counted[key]["count"] += offers
    by_group = defaultdict(list)
    for (group_id, *_), row in sorted(counted.items(), key=lambda kv: kv[1]["sort"]):
        by_group[group_id].append(row)
    return by_group


def short_slots(group_ids, now):
    """Per group: open slots in the next fourteen days with fewer registered volunteers than spots."""
    filled = fn.COUNT(Registration.id)
    # What the table shows, no more: Leader Home is the page a leader opens most.
    query = (
        _live(
            Slot.select(
                Slot.id,
                Slot.starts_at,
                Slot.ends_at,
                Slot.capacity,
                Slot.opportunity,
                Slot.role,
                Opportunity.id,
                Opportunity.name,
                Opportunity.group,
                Role.id,
                Role.name,
                filled.alias("filled"),
            )
            .join(Opportunity)
            .switch(Slot)
            .join(Role)
            .switch(Slot)
            .join(
                Registration, JOIN.LEFT_OUTER, on=(Registration.slot == Slot.id) & (Registration.status == REGISTERED)
            ),
            group_ids,
            now,
        )
        .where(Slot.starts_at <= now + SHORT_SOON, Slot.closed == False)
        .group_by(Slot.id, Opportunity.id, Role.id)
        .having(filled < Slot.capacity)
        .order_by(Slot.starts_at, Role.position)
    )
    by_group = defaultdict(list)
    for slot in query:
        slot.link = rota_link(slot.opportunity_id, slot.starts_at)
        by_group[slot.opportunity.group_id].append(slot)
    return by_group


def cancellations_since(group_ids, since):
    """Registrations cancelled after `since` in these groups, newest first, with their reasons."""
    canceller = User.alias()
    query = (
        Registration.select(
            Registration.id,
            Registration.volunteer,
            Registration.slot,
            Registration.cancel_reason,
            Registration.cancelled_at,
            Registration.cancelled_by,
            Slot.id,
            Slot.starts_at,
            Slot.ends_at,
            Slot.opportunity,
            Slot.role,
            Opportunity.id,
            Opportunity.name,
            Opportunity.group,
            Role.id,
            Role.name,
            User.id,
            User.first_name,
            User.last_name,
            Group.id,
            Group.name,
            canceller.id,
            canceller.first_name,
            canceller.last_name,
        )
        .join(Slot)
        .join(Opportunity)
        .join(Group)
        .switch(Slot)
        .join(Role)
        .switch(Registration)
        .join(User, on=Registration.volunteer == User.id)
        .switch(Registration)
        .join(canceller, JOIN.LEFT_OUTER, on=Registration.cancelled_by == canceller.id)
        .where(Registration.status == CANCELLED, Registration.cancelled_at > since, Opportunity.group.in_(group_ids))
        .order_by(Registration.cancelled_at.desc())
        .limit(100)
    )
    found = list(query)
    for reg in found:
        reg.link = rota_link(reg.slot.opportunity_id, reg.slot.starts_at)
    return found


def _seen_since(user, now):
    return max(user.leader_seen_at or now - FIRST_LOOK, now - LOOK_BACK)


def _cancellations_context(user, now):
    groups = groups_led_by(user).select(Group.id)
    return {
        "cancellations": cancellations_since(groups, _seen_since(user, now)),
        "seen_at": user.leader_seen_at,
        "looked_at": now.isoformat(timespec="seconds"),
    }


def _attendance_context(group_ids, now):
    """Last week's nights whose attendance is not recorded yet, each with its "Who came?" link."""
    return {"attendance_waiting": attendance.with_links(attendance.waiting(group_ids, now))}


@bp.route("/")
@leader_required
def home():
    now = utcnow()
    groups = list(groups_led_by(current_user))
    ids = [g.id for g in groups]
    coming, waiting, short = coming_opportunities(ids, now), offers_waiting(ids, now), short_slots(ids, now)
    # The next eight weeks, as the coming opportunities: the weekly digest names the later ones.
    lapsed = qualification_expiry.lapsed_in_groups(ids, now, until=now + COMING) if ids else {}
    for place in (p for places in lapsed.values() for p in places):
        place.link = rota_link(place.opportunity_id, place.starts_at)
    context = {**_cancellations_context(current_user, now), **_attendance_context(ids, now)}
    sections = [
        {
            "group": g,
            "coming": coming[g.id],
            "waiting": waiting[g.id],
            "short": short[g.id],
            "lapsed": lapsed.get(g.id, []),
            "waiting_total": sum(r["count"] for r in waiting[g.id]),
        }
        for g in groups
    ]
    totals = {
        "waiting": sum(s["waiting_total"] for s in sections),
        "short": sum(len(s["short"]) for s in sections),
        "cancelled": len(context["cancellations"]),
        "lapsed": sum(len(s["lapsed"]) for s in sections),
    }
    return render_template("leader/home.html", sections=sections, totals=totals, **context)


@bp.route("/seen", methods=["POST"])
@leader_required
def home_seen():
    """Mark the cancellations shown as seen: only up to when the page showed them, never later ones."""
    now = utcnow()
    try:
        looked_at = min(datetime.fromisoformat(request.form.get("looked_at", "")), now)
    except (ValueError, TypeError):  # missing, or a time with a zone: not ours
        looked_at = now
    user = current_user._get_current_object()
    with write_transaction():
        user.leader_seen_at = max(looked_at, user.leader_seen_at or looked_at)
        user.save()
    return done(
        "leader/_home_cancellations.html",
        url_for("leader.home"),
        gettext("The cancellations are marked as seen."),
        target="cancellations",
        **_cancellations_context(user, now),
    )
