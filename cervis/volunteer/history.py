"""View or Print Volunteer Activity History: shifts served and service recorded, with a CSV copy."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import render_template, request
from flask_login import current_user, login_required
from peewee import JOIN

from ..spreadsheet import csv_download
from ..models import Group, Opportunity, Role, ServiceRecord, Slot
from ..models.attendance import served
from ..timeutil import org_zone, slot_when, to_local, to_utc, utcnow
from . import bp

TITLE = "View or Print Volunteer Activity History"
# A spreadsheet runs a cell that starts with one of these as a formula.


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


def _shifts(user, now, start, end):
    query = (Slot.select(Slot, Role, Opportunity, Group).join(Role).switch(Slot).join(Opportunity).join(Group)
             .where(served(user, now)))
    if start:
        query = query.where(Slot.starts_at >= to_utc(datetime.combine(start, datetime.min.time())))
    if end:
        query = query.where(Slot.starts_at < to_utc(datetime.combine(end + timedelta(days=1), datetime.min.time())))
    zone = org_zone()
    for slot in query:
        yield Activity(day=to_local(slot.starts_at, zone).date(), kind="Shift", name=slot.opportunity.name,
                       detail=slot.role.name, group=slot.opportunity.group.name, hours=slot.hours,
                       when=slot_when(slot.starts_at, slot.ends_at, zone), sort_key=slot.starts_at)


def _service(user, start, end):
    query = (ServiceRecord.select(ServiceRecord, Group).join(Group, join_type=JOIN.LEFT_OUTER)
             .where(ServiceRecord.volunteer == user))
    if start:
        query = query.where(ServiceRecord.day >= start)
    if end:
        query = query.where(ServiceRecord.day <= end)
    for record in query:
        yield Activity(day=record.day, kind="Service Project", name="Service Project Activity",
                       detail=record.description, group=record.group.name if record.group else "",
                       hours=record.minutes / 60, when=f"{record.day:%a, %b} {record.day.day}, {record.day.year}",
                       sort_key=datetime.combine(record.day, datetime.max.time()))


def activity_history(user, now, start=None, end=None):
    """(activities newest first, totals): hours, activities, and days = distinct local dates served."""
    rows = sorted([*_shifts(user, now, start, end), *_service(user, start, end)],
                  key=lambda a: a.sort_key, reverse=True)
    totals = {"hours": round(sum(a.hours for a in rows), 2), "activities": len(rows),
              "days": len({a.day for a in rows})}
    return rows, totals


def _period():
    """The optional From / To dates; a bad one is ignored rather than refused."""
    def parse(name):
        try:
            return date.fromisoformat(request.args.get(name, ""))
        except ValueError:
            return None
    return parse("from"), parse("to")


@bp.route("/history")
@login_required
def history():
    start, end = _period()
    rows, totals = activity_history(current_user.id, utcnow(), start, end)
    return render_template("volunteer/history.html", title=TITLE, rows=rows, totals=totals,
                           start=start, end=end, printed=to_local(utcnow(), org_zone()),
                           period={k: v.isoformat() for k, v in (("from", start), ("to", end)) if v})


@bp.route("/history.csv")
@login_required
def history_csv():
    start, end = _period()
    rows, _ = activity_history(current_user.id, utcnow(), start, end)
    name = f"volunteer-activity-history-{to_local(utcnow(), org_zone()):%Y-%m-%d}.csv"
    return csv_download(name, ["Date", "Date/Time", "Type", "Activity", "Details", "Group", "Hours"],
                        [(a.day.isoformat(), a.when, a.kind, a.name, a.detail, a.group, f"{a.hours:g}")
                         for a in rows])
