""" "Subscribe to my shifts": the secret calendar feed addresses, and the feeds themselves.

A calendar app fetches a feed with no cookie, so the address is the key: "Make a new address"
replaces it and the old one stops at once.
"""

from flask_babel import gettext
from flask import abort, make_response, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from .. import calendars
from ..htmx import done
from ..permissions import as_id, groups_led_by, leads
from . import bp


def feeds_for(user):
    """The profile's feeds: the volunteer's own, then one per group they lead."""
    return [
        {"group": g, "label": calendars.describe(g), "url": calendars.feed_url(user, g)}
        for g in [None, *groups_led_by(user)]
    ]


@bp.route("/feed/<token>.ics")
def feed(token):
    found = calendars.feed_from(token)
    if found is None:
        abort(404)
    user, group = found
    body = calendars.personal(user) if group is None else calendars.rota(group)
    response = make_response(body)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'inline; filename="shifts.ics"'
    response.headers["Cache-Control"] = "private, max-age=900"
    # The feed is the same bytes until a shift changes (each DTSTAMP is its last change), so a
    # calendar polling every few minutes is told 304 and downloads nothing.
    response.add_etag()
    return response.make_conditional(request)


@bp.route("/feed/new", methods=["POST"])
@login_required
def feed_new():
    user = current_user._get_current_object()
    group = as_id(request.form.get("group"))
    if not FlaskForm().validate_on_submit() or (group is not None and not leads(user, group)):
        abort(400 if group is None else 403)
    calendars.new_address(user, group)
    return done(
        "volunteer/_calendar_feeds.html",
        url_for("volunteer.profile") + "#calendar-feeds",
        gettext("A new address is ready: the old one no longer works. Subscribe again with the new one."),
        target="calendar-feeds",
        feeds=feeds_for(user),
    )
