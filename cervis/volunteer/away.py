"""I'm Away: the dates a volunteer cannot serve (Registration Management, on Volunteer Portal Home).

Add a range (from, to, an optional note), see them, remove one. A range over shifts already
offered for or registered lists them first: the volunteer saves it and cancels the ticked ones
(the normal cancellation, reason "away"), or saves it and keeps them.
"""

from flask_babel import gettext
from ..translated import lazy_gettext
from flask import abort, make_response, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.validators import InputRequired, Length

from .. import away, cancellation
from ..db import utcnow
from ..forms import EmptyForm, single_line
from ..htmx import answered, is_htmx, vary
from ..permissions import as_id
from ..refused import Refused
from . import bp

REAL_DATE = lazy_gettext("Please enter a real date, like 2027-02-08.")


class AwayForm(FlaskForm):
    starts_on = DateField(
        lazy_gettext("First Day Away"),
        validators=[InputRequired(lazy_gettext("Please enter the first day you are away."))],
        invalid_value_message=REAL_DATE,
    )
    ends_on = DateField(
        lazy_gettext("Last Day Away"),
        validators=[InputRequired(lazy_gettext("Please enter the last day you are away."))],
        invalid_value_message=REAL_DATE,
    )
    note = StringField(
        lazy_gettext("Note (Optional)"),
        validators=[
            Length(
                max=away.NOTE_MAX,
                message=lazy_gettext("Please keep the note under %(most)s characters.", most=away.NOTE_MAX),
            ),
            single_line,
        ],
        description=lazy_gettext('Your group\'s leaders see it, for example "On holiday".'),
    )


@bp.route("/away", methods=["GET", "POST"])
@login_required
def away_dates():
    user = current_user._get_current_object()
    form = AwayForm()
    if not form.validate_on_submit():
        return _page(user, form, 400 if form.is_submitted() else 200)
    starts_on, ends_on, now = form.starts_on.data, form.ends_on.data, utcnow()
    for name, message in away.problems(user, starts_on, ends_on, now).items():
        form[name].errors.append(message)
    if form.errors:
        return _page(user, form, 400)
    shifts = away.shifts_within(user, starts_on, ends_on, now)
    if shifts and not request.form.get("save"):
        close = {r.id for r in shifts if cancellation.is_close(r, now)}
        return _page(user, form, 200, shifts=shifts, close=close)  # say which shifts, and ask what to do
    ticked = {as_id(v) for v in request.form.getlist("registration")} if request.form.get("save") == "cancel" else set()
    try:
        added, cancelled = away.add(user, starts_on, ends_on, (form.note.data or "").strip(), ticked - {None}, now)
    except Refused as refusal:
        form.starts_on.errors.append(str(refusal))
        return _page(user, form, 409)
    message = f"Away dates added: {away.describe(added)}."
    if cancelled:
        n = len(cancelled)
        message += f" {n} shift{'' if n == 1 else 's'} cancelled; your group's leaders are e-mailed."
    return answered(url_for("volunteer.away_dates"), message, target="away-list")


def _page(user, form, status, shifts=(), close=()):
    # htmx swaps only 2xx answers: a form with a mistake comes back 200 to it, its messages inside.
    return vary(
        make_response(
            render_template(
                "volunteer/away.html",
                form=form,
                ranges=away.upcoming(user),
                shifts=shifts,
                close=close,
                describe=away.describe,
            ),
            200 if is_htmx() else status,
        )
    )


@bp.route("/away/<int:away_id>/remove", methods=["POST"])
@login_required
def away_remove(away_id):
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not away.remove(current_user._get_current_object(), away_id):
        abort(404)  # another volunteer's range, or one already removed: never touched from here
    return answered(url_for("volunteer.away_dates"), gettext("Away dates removed."), target="away-list")
