"""Download My Data (everything held about me and my family members) and asking to be erased."""

from flask_babel import gettext
from ..translated import lazy_gettext
import json
from datetime import date, datetime

from flask import Response, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import DataRequired

from .. import privacy
from ..timeutil import local_datetime, utcnow
from . import bp


class AskToEraseForm(FlaskForm):
    understood = BooleanField(
        lazy_gettext("I understand that once my data is erased I can no longer log in, and it cannot be undone."),
        validators=[DataRequired(lazy_gettext("Please tick to confirm that you want your data erased."))],
    )


@bp.route("/profile/my-data")
@login_required
def my_data(form=None):
    user = current_user._get_current_object()
    return render_template(
        "volunteer/my_data.html",
        data=privacy.held_about(user),
        shown=shown,
        asked=privacy.requested_by(user),
        form=form or AskToEraseForm(formdata=None),
    )


def shown(value):
    """A value as the page shows it: times in the organisation's zone, yes/no, a dash for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return local_datetime(value)
    if isinstance(value, date):
        return f"{value:%a}, {value:%b} {value.day}, {value.year}"
    return value


@bp.route("/profile/my-data.json")
@login_required
def my_data_json():
    now = utcnow()
    body = json.dumps(privacy.held_about(current_user._get_current_object(), now), default=str, indent=1)
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="my-data-{now:%Y-%m-%d}.json"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/profile/erasure", methods=["POST"])
@login_required
def ask_to_erase():
    form = AskToEraseForm()
    if not form.validate_on_submit():
        return my_data(form), 400
    privacy.ask_to_erase(current_user._get_current_object())
    flash(
        gettext(
            "Your request to erase your data has been sent to the administrators. "
            "They will erase it and tell you, or get in touch if something stops them."
        ),
        "success",
    )
    return redirect(url_for("volunteer.my_data"), code=303)
