"""Tonight: every venue's night at a glance, for administrators and leaders (their groups only).

One address answers the page, or (to htmx's once-a-minute refresh) the board alone.
"""

from flask import current_app, g, make_response, render_template, url_for
from flask_login import current_user

from .. import tonight as rules
from ..auth import leader_required
from ..db import utcnow
from ..htmx import is_htmx, vary
from ..timeutil import local_time
from . import bp
from .home import rota_link

REFRESH_SECONDS = 60
ANY_ID = 2147483647


def fast_url(endpoint, **args):
    """url_for once a page, then by replacing the placeholders (a wall screen's 80 links, not 80 url_fors)."""
    key = f"fast_url:{endpoint}"
    if key not in g:
        setattr(g, key, url_for(endpoint, **{name: ANY_ID if kind is int else "ARG" for name, kind in args.items()}))
    return lambda **values: _filled(getattr(g, key), args, values)


def _filled(pattern, args, values):
    for name, kind in args.items():
        pattern = pattern.replace(str(ANY_ID) if kind is int else "ARG", str(values[name]), 1)
    return pattern


def links(board):
    """Each night's rota board and slot list, each role's slot on the board, each "Who came?"."""
    slots = fast_url("leader.slots", opportunity_id=int)
    who_came = fast_url("leader.attendance", opportunity_id=int, day=str)
    for venue in board.venues:
        for night in (n for nights in venue.nights.values() for n in nights):
            night.rota = rota_link(night.opportunity.id, night.places[0].starts_at)
            night.slots = slots(opportunity_id=night.opportunity.id)
            night.who_came_link = who_came(opportunity_id=night.opportunity.id, day=night.day.isoformat())
            for place in night.places:
                place.link = f"{night.rota}&slot={place.id}#slot-{place.id}"
        venue.earlier = [
            (opportunity, day, who_came(opportunity_id=opportunity.id, day=day.isoformat()))
            for opportunity, day in venue.earlier
        ]
    return board


@bp.route("/tonight")
@leader_required
def tonight():
    now = utcnow()
    context = {
        "board": links(rules.board(current_user, now)),
        "updated": local_time(now),
        "refresh": current_app.config.get("TONIGHT_REFRESH_SECONDS", REFRESH_SECONDS),
    }
    template = "leader/_tonight.html" if is_htmx() else "leader/tonight.html"
    return vary(make_response(render_template(template, **context)))
