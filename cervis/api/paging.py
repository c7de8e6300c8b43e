"""Paging for every list: ?limit= (1 to 200, 50 unless asked) and ?cursor= (the next_cursor of the page
before). Rows come in id order and the cursor is the last id sent, so a row added meanwhile is
neither skipped nor repeated."""

from flask import request

from ..permissions import as_id
from .problems import Problem

DEFAULT_LIMIT, MAX_LIMIT = 50, 200


def limit_and_after():
    raw_limit, raw_cursor = request.args.get("limit"), request.args.get("cursor")
    limit = DEFAULT_LIMIT if raw_limit is None else as_id(raw_limit)
    if limit is None or limit > MAX_LIMIT:
        raise Problem(
            400,
            f"limit must be a whole number from 1 to {MAX_LIMIT}.",
            errors=[{"field": "limit", "message": "1 to 200"}],
        )
    after = 0 if raw_cursor in (None, "") else as_id(raw_cursor)
    if after is None:
        raise Problem(
            400,
            "cursor must be the next_cursor of an earlier page.",
            errors=[{"field": "cursor", "message": "not a cursor"}],
        )
    return limit, after


def page(query, id_field, shape):
    """{"items": [...], "next_cursor": ...} for one page of `query`, each row drawn by `shape`."""
    limit, after = limit_and_after()
    rows = list(query.where(id_field > after).order_by(id_field).limit(limit + 1))
    more = len(rows) > limit
    rows = rows[:limit]
    items = shape(rows)
    return {"items": items, "next_cursor": str(rows[-1].id) if more else None}
