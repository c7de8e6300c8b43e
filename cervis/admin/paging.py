"""Fifty rows a page for long lists (outbox, people, audit log), and who is acting on an admin page."""

from flask import request
from flask_login import current_user

from ..permissions import as_id

PER_PAGE = 50


class Page:
    """One page of a query, numbered from 1; a page number past the end shows the last page."""

    def __init__(self, query, per_page=PER_PAGE, total=None):
        """`total`: how many rows `query` has, when a cheaper query than counting it knows."""
        self.total = query.count() if total is None else total
        self.pages = max(1, -(-self.total // per_page))
        number = as_id(request.args.get("page", "1")) or 1
        self.number = min(max(number, 1), self.pages)
        self.items = list(query.paginate(self.number, per_page))

    def args(self, number):
        """The current filters with another page number: for the pager's links."""
        # Only the filters: never a name url_for() takes itself ("_external", "endpoint", the ids in the URL).
        reserved = {"page", "endpoint", *(request.view_args or {})}
        values = {k: v for k, v in request.args.items() if k not in reserved and not k.startswith("_")}
        values["page"] = number
        return values


def me():
    """The signed-in administrator as a User, for AuditLog.record (a proxy or an id would not be kept)."""
    return current_user._get_current_object()
