"""View or Cancel Registration for an Upcoming Opportunity, and the past registration activity."""

from flask_babel import gettext, ngettext
from ..translated import lazy_gettext
from flask import abort, make_response, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length

from .. import cancellation, stand_in, waiting_list
from ..db import utcnow
from ..htmx import answer_now, done, is_htmx, vary
from ..models import Registration, Slot
from ..permissions import as_id, household_ids
from . import bp

NOTHING_SELECTED = lazy_gettext(
    "Please select the registration(s) you want to cancel, then click “Cancel selected registration(s)”."
)
PER_PAGE = 50
MAX_PAGE = 100_000


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        lazy_gettext("Reason for Canceling (Optional)"),
        validators=[Length(max=1000, message=lazy_gettext("Please keep the reason under 1,000 characters."))],
    )


def _page():
    page = as_id(request.values.get("page", "1")) or 1
    if page > MAX_PAGE:  # a larger one would overflow the query's OFFSET
        abort(404)
    return page


def _rows(user, now, page=1):
    """One page of the list (a volunteer may have offered for hundreds of nights) and whether more follow."""
    regs = cancellation.upcoming_for(user, now, page=page, per_page=PER_PAGE)
    asked = stand_in.asked_for([reg.id for reg in regs[:PER_PAGE]])
    return [
        {
            "reg": reg,
            "status": reg.status_label,
            "close": cancellation.is_close(reg, now),
            "started": reg.slot.starts_at <= now,
            "stand_in": reg.id in asked,
        }
        for reg in regs[:PER_PAGE]
    ], len(regs) > PER_PAGE


def _answer(form, status=200, message=None, category="success", **context):
    """The current list: the fragment (with its banner) to htmx, else the whole page."""
    user = current_user._get_current_object()
    page = _page()
    rows, more = _rows(user, utcnow(), page)
    context.update(form=form, rows=rows, page=page, more=more, message=message, category=category)
    context.update(waiting=waiting_list.upcoming_for(user, utcnow()))
    answer_now(message, category, "registrations")
    if is_htmx():
        # htmx swaps only 2xx answers: a refusal still comes back 200, its banner says what went wrong.
        return vary(make_response(render_template("volunteer/_registrations.html", **context)))
    return render_template("volunteer/registrations.html", **context), status


@bp.route("/registrations", methods=["GET", "POST"])
@login_required
def registrations():
    form = ReasonForm()
    if request.method == "GET":
        return _answer(form)
    selected = _selected(current_user._get_current_object())
    if not form.validate_on_submit():
        return _answer(form, status=400, chosen={r.id for r in selected})
    if not selected:
        return _answer(form, status=400, message=NOTHING_SELECTED, category="error")
    now = utcnow()
    warnings = cancellation.close_ones(selected, now)
    if warnings and request.form.get("confirm") != "1":
        return _answer(form, confirm=selected, warnings=warnings)
    cancelled = cancellation.cancel(
        [r.id for r in selected], by=current_user._get_current_object(), reason=form.reason.data, now=now
    )
    if not cancelled:
        return _answer(
            ReasonForm(formdata=None),
            status=409,
            category="error",
            message=gettext(
                "Nothing was cancelled: the registration had already been cancelled or its shift has started."
            ),
        )
    page = _page()
    rows, more = _rows(current_user, utcnow(), page)
    return done(
        "volunteer/_registrations.html",
        url_for("volunteer.registrations", page=page if page > 1 else None),
        cancelled_message(len(cancelled)),
        target="registrations",
        form=ReasonForm(formdata=None),
        rows=rows,
        page=page,
        more=more,
        waiting=waiting_list.upcoming_for(current_user, utcnow()),
    )


def _selected(user):
    """The ticked registrations, each one this volunteer's or their family's; any other id is a 404."""
    ids = {as_id(value) for value in request.form.getlist("registration")}
    if None in ids:
        abort(404)
    if not ids:
        return []
    query = Registration.select().where(Registration.id.in_(ids), Registration.volunteer.in_(household_ids(user)))
    found = list(cancellation.with_shift(query).order_by(Slot.starts_at))
    if len(found) != len(ids):
        abort(404)
    return found


def cancelled_message(count):
    return ngettext(
        "Your registration has been cancelled. The group leader has been told, so that a reserve can be contacted.",
        "%(num)d registrations have been cancelled. The group leader has been told, so that a reserve can be "
        "contacted.",
        count,
    )


@bp.route("/registrations/past")
@login_required
def past_registrations():
    page = _page()
    user = current_user._get_current_object()
    now = utcnow()
    regs = cancellation.past_for(user, now, page=page, per_page=PER_PAGE)
    more = len(regs) > PER_PAGE
    household = household_ids(user)
    rows = [(reg, *cancellation.past_status(reg, now, household)) for reg in regs[:PER_PAGE]]
    return render_template("volunteer/past_registrations.html", rows=rows, page=page, more=more)
