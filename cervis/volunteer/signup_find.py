"""The three ways to find an opportunity under Step 1: "Show Opportunity Calendar", "Use Private
Registration Code" and "Search Opportunities by Interest, Location, Date or Keyword".

Each opens in place on the sign-up page (htmx), or as a page of its own without JavaScript.
"""

from ..translated import lazy_gettext, plain
from datetime import date, timedelta

from flask_babel import gettext
from flask import abort, flash, make_response, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import DateField, Form, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import single_line
from .. import offers
from ..db import utcnow
from ..htmx import answer_now, answered, is_htmx, vary
from ..models import Group, InterestCategory, Throttle, User
from ..permissions import as_id, household_ids
from ..timeutil import local_datetime, org_zone, to_local
from . import bp

WRONG_CODE = lazy_gettext("That code does not match any opportunity. Please check it with your group leader.")
TOO_MANY_CODES = lazy_gettext("Too many codes tried. Please wait an hour, or ask your group leader for the code.")
CODE_WINDOW, CODE_TRIES = timedelta(hours=1), 10


class SearchForm(Form):
    """A GET form: filters for Step 2's list, so a search can be bookmarked or shared."""

    interest = SelectField(lazy_gettext("Interest"), choices=[], default="")
    group = SelectField(lazy_gettext("Location"), choices=[], default="")
    date = DateField(lazy_gettext("Date"), validators=[Optional()])
    q = StringField(lazy_gettext("Keyword"), validators=[Optional(), Length(max=100), single_line])


class CodeForm(FlaskForm):
    code = StringField(
        lazy_gettext("Private Registration Code"),
        validators=[DataRequired(lazy_gettext("Please enter the code you were given.")), Length(max=64), single_line],
    )


def volunteer_for(user, volunteer_id):
    """Step 1's volunteer: the user or one of their family members; 404 for anyone else."""
    if volunteer_id in (None, ""):
        return user
    volunteer_id = as_id(volunteer_id)
    if volunteer_id not in household_ids(user):
        abort(404)
    return user if volunteer_id == user.id else User.get_by_id(volunteer_id)


def search_filters(volunteer, args):
    """The search form (filled from the query string) and the filters it asks for, if valid."""
    form = SearchForm(args)
    form.interest.choices = [("", gettext("Any interest"))] + [(str(c.id), c.name) for c in InterestCategory.ordered()]
    groups = Group.select().where(Group.id.in_(offers.visible_group_ids(volunteer))).order_by(Group.name)
    form.group.choices = [("", gettext("Any location"))] + [(str(g.id), g.name) for g in groups]
    if not any(args.get(name) for name in ("interest", "group", "date", "q")):
        return form, {}
    if not form.validate():
        if form.date.errors:
            form.date.errors = ["Please enter the date as day, month and year."]
        return form, {}
    return form, {
        "interest": int(form.interest.data) if form.interest.data else None,
        "group": int(form.group.data) if form.group.data else None,
        "day": form.date.data,
        "keyword": (form.q.data or "").strip() or None,
    }


def _panel(fragment, title, status=200, **context):
    """The finder's fragment into the sign-up page (htmx), else a page of its own."""
    context.update(embedded=is_htmx(), panel=fragment, title=title)
    if is_htmx():
        # htmx swaps only 2xx answers: the error beside the field says what went wrong.
        return vary(make_response(render_template(fragment, **context)))
    return vary(make_response(render_template("volunteer/signup_panel.html", **context), status))


@bp.route("/signup/search")
@login_required
def signup_search():
    volunteer = volunteer_for(current_user._get_current_object(), request.args.get("volunteer"))
    search, _ = search_filters(volunteer, request.args)
    return _panel(
        "volunteer/_search.html",
        "Search Opportunities by Interest, Location, Date or Keyword",
        volunteer=volunteer,
        search=search,
    )


def _month(text, now, zone):
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        today = to_local(now, zone).date()
        return today.replace(day=1)


@bp.route("/signup/calendar")
@login_required
def signup_calendar():
    volunteer = volunteer_for(current_user._get_current_object(), request.args.get("volunteer"))
    now, zone = utcnow(), org_zone()
    month = _month(request.args.get("month"), now, zone)
    if not 1 <= month.year <= 9998:
        abort(404)
    weeks = offers.month_calendar(volunteer, now, month.year, month.month, zone)
    before = (month - timedelta(days=1)).replace(day=1)
    after = (month + timedelta(days=31)).replace(day=1)
    return _panel(
        "volunteer/_calendar.html",
        gettext("Opportunity Calendar"),
        volunteer=volunteer,
        month=month,
        weeks=weeks,
        before=before,
        after=after,
        empty=not any(entries for week in weeks for day, entries in week if day.month == month.month),
    )


@bp.route("/signup/code", methods=["GET", "POST"])
@login_required
def signup_code():
    user = current_user._get_current_object()
    volunteer = volunteer_for(user, request.values.get("volunteer"))
    form = CodeForm()
    if form.validate_on_submit():
        blocked, reserved = Throttle.reserve([(f"private-code:{user.id}", CODE_TRIES)], CODE_WINDOW)
        if blocked is not None:
            form.code.errors.append(TOO_MANY_CODES)
            return _code_panel(volunteer, form, status=429)
        opportunity = offers.unlock(volunteer, form.code.data, utcnow())
        if opportunity is not None:
            Throttle.release(reserved)
            return _unlocked(volunteer, opportunity)
        form.code.errors.append(WRONG_CODE)
    return _code_panel(volunteer, form, status=400 if form.is_submitted() else 200)


def _code_panel(volunteer, form, status=200):
    return _panel(
        "volunteer/_code.html", gettext("Use Private Registration Code"), status, volunteer=volunteer, form=form
    )


def _unlocked(volunteer, opportunity):
    """Back to Step 2 with the private opportunity shown and selected, and a green banner."""
    now = utcnow()
    listings = offers.open_opportunities(volunteer, now)
    if not opportunity.is_live(now):
        message = (
            f"Thank you: “{opportunity.name}” will be shown under Step 2 from {local_datetime(opportunity.live_from)}."
        )
    elif opportunity.id not in {item.opportunity.id for item in listings}:
        message = f"“{opportunity.name}” is no longer open for offers."
    else:
        message = f"“{opportunity.name}” is now shown under Step 2: choose its time slot(s) below."
    listed = opportunity.id in {item.opportunity.id for item in listings}
    target = f"opp-{opportunity.id}" if listed else None  # beside it in Step 2, else the top banner
    if not is_htmx():
        return answered(
            url_for("volunteer.signup", volunteer=volunteer.id, opportunity=opportunity.id), message, target=target
        )
    flash(plain(message), "success")
    answer_now(message, "success", target)
    return vary(
        make_response(
            render_template(
                "volunteer/_code_done.html",
                volunteer=volunteer,
                listings=listings,
                selected=opportunity.id,
                notes={},
                searching=False,
            )
        )
    )
