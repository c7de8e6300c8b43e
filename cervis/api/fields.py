"""What every API view shares: times as UTC ISO 8601, a period's dates, an object by id or a 404."""

from datetime import datetime, timedelta

from flask import request

from ..permissions import as_id
from ..timeutil import parse_day, to_utc
from .problems import Problem


def iso(moment):
    """A stored (naive UTC) time as RFC 3339 with its Z, or None."""
    return None if moment is None else moment.replace(microsecond=0).isoformat() + "Z"


def period():
    """The optional ?from= and ?to= dates (YYYY-MM-DD, in the organisation's time zone, both included)."""
    days = {}
    for name in ("from", "to"):
        text = request.args.get(name)
        days[name] = parse_day(text) if text else None
        if text and days[name] is None:
            raise Problem(400, f"{name} must be a date like 2026-12-24.", errors=[{"field": name, "message": "a date"}])
    return days["from"], days["to"]


def starts_within(query, field, start, end):
    """Rows of `query` whose UTC `field` falls on the local days from start to end."""
    if start:
        query = query.where(field >= to_utc(datetime.combine(start, datetime.min.time())))
    if end:
        query = query.where(field < to_utc(datetime.combine(end + timedelta(days=1), datetime.min.time())))
    return query


def by_id(model, raw_id, what):
    row = model.get_or_none(model.id == raw_id) if as_id(raw_id) else None
    if row is None:
        raise Problem(404, f"There is no {what} with id {raw_id}.")
    return row


def optional_id(name):
    """An ?name= filter that must be an id when given."""
    text = request.args.get(name)
    if text is None:
        return None
    value = as_id(text)
    if value is None:
        raise Problem(400, f"{name} must be an id.", errors=[{"field": name, "message": "an id"}])
    return value
