""" "Who came?": one night's attendance, for that night's shift leader and the group's leaders."""

from flask_babel import gettext
from flask import abort, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from .. import attendance as rules
from ..db import utcnow
from ..htmx import answer_now, done
from ..models import Opportunity
from ..permissions import as_id
from ..rota import Refused
from ..timeutil import parse_day
from . import bp


def _night_for(user, opportunity_id, day):
    """The opportunity and date, for a user who may record them; 404 or 403 otherwise."""
    day = parse_day(day) or abort(404)
    opportunity = Opportunity.get_or_none(Opportunity.id == opportunity_id)
    if opportunity is None:
        abort(404)
    if not rules.may_record(user, opportunity, day):
        abort(403)
    return opportunity, day


def _ids(name):
    return {i for i in (as_id(v) for v in request.form.getlist(name)) if i}


@bp.route("/opportunities/<int:opportunity_id>/attendance/<day>", methods=["GET", "POST"])
@login_required
def attendance(opportunity_id, day):
    opportunity, day = _night_for(current_user, opportunity_id, day)
    form, message, here = (
        FlaskForm(),
        None,
        url_for("leader.attendance", opportunity_id=opportunity.id, day=day.isoformat()),
    )
    if form.validate_on_submit():
        added = (as_id(request.form.get("add_volunteer")), as_id(request.form.get("add_slot")))
        try:
            rules.record(
                opportunity,
                day,
                current_user._get_current_object(),
                didnt_come={i for i in _ids("registration") if request.form.get(f"came-{i}") == "0"},
                gone={i for i in _ids("walked_in") if request.form.get(f"walked-{i}") == "0"},
                add=added if added[0] else None,
            )
            return done(
                "leader/_attendance.html",
                here,
                gettext("Attendance saved."),
                target="attendance",
                **_context(opportunity, day),
            )
        except Refused as exc:
            message = str(exc)
            answer_now(message, "error", "attendance")
    status = 400 if form.is_submitted() else 200
    return render_template(
        "leader/attendance.html", message=message, category="error", **_context(opportunity, day)
    ), status


def _context(opportunity, day):
    the_night = rules.night(opportunity, day)
    return {
        "night": the_night,
        "title": f"Who came? {local_date_of(day)}",
        "changeable": rules.changeable(opportunity.id, day, utcnow()),
        "not_changeable": rules.NOT_CHANGEABLE,
        "can_add": rules.can_add(the_night),
    }


def local_date_of(day):
    return f"{day:%a}, {day:%b} {day.day}, {day.year}"
