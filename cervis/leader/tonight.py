"""Tonight: every venue's night at a glance, for administrators and leaders (their groups only).

One address answers the page, or (to htmx's once-a-minute refresh) the board alone. A wall screen
shows 20 venues' nights, so what repeats is worked out once a page, not once a row: the language's
catalogue, each day's and each time's words, each link's address.
"""

from functools import cache

from flask import current_app, g, make_response, render_template, url_for
from flask_babel import get_translations
from flask_login import current_user
from markupsafe import Markup

from .. import tonight as rules
from ..auth import leader_required
from ..db import utcnow
from ..htmx import is_htmx, vary
from ..timeutil import local_time, short_day
from ..translated import N_
from . import bp
from .home import rota_link
from .tonight_cards import cards

REFRESH_SECONDS = 60
ANY_ID = 2147483647
DAYS = (N_("Tonight"), N_("Tomorrow"))


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


class Phrases:
    """What the page says, written once for each distinct value (the wall screen's 160 roles say a
    dozen things), in the words its template used to write at each role."""

    def __init__(self, catalogue):
        self.catalogue = catalogue
        self.day, self.clock = cache(short_day), cache(local_time)
        self.hours, self.filled, self.state = cache(self._hours), cache(self._filled), cache(self._state)

    def say(self, text, **values):
        return Markup(self.catalogue.ugettext(text)) % values

    def _hours(self, starts, ends):
        return self.catalogue.ugettext("%(first)s to %(last)s") % {
            "first": self.clock(starts),
            "last": self.clock(ends),
        }

    def _filled(self, filled, capacity):
        return self.say(N_("%(filled)s of %(capacity)s"), filled=filled, capacity=capacity)

    def _state(self, short, pending):
        if not short:
            return self.say(N_("Full"))
        if not pending:
            return self.say(N_("%(short)s short"), short=short)
        waiting = Markup(self.catalogue.ungettext("%(count)s offer waiting", "%(count)s offers waiting", pending))
        return (
            self.say(N_("%(short)s short"), short=short) + Markup(", ") + waiting % {"count": pending, "num": pending}
        )


def words(board, catalogue):
    """Each day's heading and date, each night's (or role's) hours and places, as this page's language writes them."""
    said = Phrases(catalogue)
    board.headings = [(day, catalogue.ugettext(label), said.day(day)) for day, label in zip(board.days, DAYS)]
    for venue in board.venues:
        for night in (n for nights in venue.nights.values() for n in nights):
            night.times = said.hours(*night.hours) if night.hours else None
            for place in night.places:
                place.times = None if night.times else said.hours(place.starts_at, place.ends_at)
                place.figures = said.filled(place.filled, place.capacity)
                place.state = said.state(place.short, place.pending)
        venue.named = len({opportunity.id for opportunity, *_ in venue.earlier}) > 1
        venue.earlier = [(opportunity, said.day(day), link) for opportunity, day, link in venue.earlier]
    return board


@bp.route("/tonight")
@leader_required
def tonight():
    now, catalogue = utcnow(), get_translations()
    context = {
        "board": cards(words(links(rules.board(current_user, now)), catalogue), catalogue),
        "updated": local_time(now),
        "refresh": current_app.config.get("TONIGHT_REFRESH_SECONDS", REFRESH_SECONDS),
    }
    template = "leader/_tonight.html" if is_htmx() else "leader/tonight.html"
    return vary(make_response(render_template(template, **context)))
