"""View or Print Volunteer Activity History: shifts served and service recorded, with a CSV copy."""

from ..translated import lazy_gettext
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import abort, render_template, request
from flask_login import current_user, login_required
from peewee import JOIN

from ..permissions import as_id
from ..spreadsheet import csv_download
from ..models import Group, Opportunity, Role, ServiceRecord, Slot
from ..models.attendance import served, served_by
from ..timeutil import org_zone, parse_day, slot_when, to_local, to_utc, utcnow
from . import bp

TITLE = lazy_gettext("View or Print Volunteer Activity History")
MAX_PAGE = 100_000


@dataclass
class Activity:
    day: date  # the local date it started: a night shift counts on the evening it began
    kind: str  # "Shift" or "Service Project"
    name: str
    detail: str
    group: str
    hours: float
    when: str
    sort_key: datetime


PER_PAGE = 50


def _within(start, end):
    """Conditions on Slot: it starts on a local date from start to end (either may be None)."""
    conditions = []
    if start:
        conditions.append(Slot.starts_at >= to_utc(datetime.combine(start, datetime.min.time())))
    if end:
        conditions.append(Slot.starts_at < to_utc(datetime.combine(end + timedelta(days=1), datetime.min.time())))
    return conditions


def _shift_query(user, now, start, end, *columns):
    return Slot.select(*columns).where(served(user, now), *_within(start, end))


def _service_query(user, start, end, *columns):
    query = ServiceRecord.select(*columns).where(ServiceRecord.volunteer == user)
    if start:
        query = query.where(ServiceRecord.day >= start)
    if end:
        query = query.where(ServiceRecord.day <= end)
    return query


def _shifts(user, now, start, end, limit):
    query = (
        _shift_query(user, now, start, end, Slot, Role, Opportunity, Group)
        .join(Role)
        .switch(Slot)
        .join(Opportunity)
        .join(Group)
        .order_by(Slot.starts_at.desc())
        .limit(limit)
    )
    zone = org_zone()
    for slot in query:
        yield Activity(
            day=to_local(slot.starts_at, zone).date(),
            kind="Shift",
            name=slot.opportunity.name,
            detail=slot.role.name,
            group=slot.opportunity.group.name,
            hours=slot.hours,
            when=slot_when(slot.starts_at, slot.ends_at, zone),
            sort_key=slot.starts_at,
        )


def _service(user, start, end, limit):
    query = (
        _service_query(user, start, end, ServiceRecord, Group)
        .join(Group, join_type=JOIN.LEFT_OUTER)
        .order_by(ServiceRecord.day.desc(), ServiceRecord.id.desc())
        .limit(limit)
    )
    for record in query:
        yield Activity(
            day=record.day,
            kind="Service Project",
            name="Service Project Activity",
            detail=record.description,
            group=record.group.name if record.group else "",
            hours=record.minutes / 60,
            when=f"{record.day:%a, %b} {record.day.day}, {record.day.year}",
            sort_key=datetime.combine(record.day, datetime.max.time()),
        )


def _totals(user, now, start, end):
    """Hours, activities, and days = distinct local dates served, over the whole period: the shifts
    by the portal home's rule (served_by), and the service recorded, whatever the page shows."""
    zone = org_zone()
    shifts = served_by(now, [Slot.starts_at], *_within(start, end), volunteer=user)
    service = list(_service_query(user, start, end, ServiceRecord.day, ServiceRecord.minutes).tuples())
    minutes = sum(m for _, m in shifts.values()) + sum(m for _, m in service)
    days = {to_local(s, zone).date() for (s,) in shifts} | {d for d, _ in service}
    activities = sum(n for n, _ in shifts.values()) + len(service)
    return {"hours": round(minutes / 60, 2), "activities": activities, "days": len(days)}


def activity_history(user, now, start=None, end=None, page=None, per_page=PER_PAGE):
    """(activities newest first, totals, whether more follow): one page of them, or every one
    (page None, for the CSV)."""
    limit = page * per_page + 1 if page else None  # None: no LIMIT (SQLite alone reads -1 so)
    rows = sorted(
        [*_shifts(user, now, start, end, limit), *_service(user, start, end, limit)],
        key=lambda a: a.sort_key,
        reverse=True,
    )
    more = bool(page) and len(rows) > page * per_page
    if page:
        rows = rows[(page - 1) * per_page : page * per_page]
    return rows, _totals(user, now, start, end), more


def _period():
    """The optional From / To dates; a bad one is ignored rather than refused."""
    return parse_day(request.args.get("from")), parse_day(request.args.get("to"))


@bp.route("/history")
@login_required
def history():
    start, end = _period()
    page = as_id(request.args.get("page", "1")) or 1
    if page > MAX_PAGE:  # a larger one would overflow the query's LIMIT
        abort(404)
    rows, totals, more = activity_history(current_user.id, utcnow(), start, end, page=page)
    return render_template(
        "volunteer/history.html",
        title=TITLE,
        rows=rows,
        totals=totals,
        page=page,
        more=more,
        start=start,
        end=end,
        printed=to_local(utcnow(), org_zone()),
        period={k: v.isoformat() for k, v in (("from", start), ("to", end)) if v},
    )


@bp.route("/history.csv")
@login_required
def history_csv():
    start, end = _period()
    rows, _, _ = activity_history(current_user.id, utcnow(), start, end)
    name = f"volunteer-activity-history-{to_local(utcnow(), org_zone()):%Y-%m-%d}.csv"
    return csv_download(
        name,
        ["Date", "Date/Time", "Type", "Activity", "Details", "Group", "Hours"],
        [(a.day.isoformat(), a.when, a.kind, a.name, a.detail, a.group, f"{a.hours:g}") for a in rows],
    )
