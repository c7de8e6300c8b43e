"""My Limits, on View or Update Volunteer Profile Information: at most N shifts a month, at least D
days from one shift to the next. Leaders see them and are warned before going past them."""

from flask_babel import gettext
from flask import render_template, url_for
from flask_login import current_user, login_required

from .. import volunteer_limits
from ..htmx import answered
from ..profile_forms import LimitsForm
from . import bp


@bp.route("/profile/limits", methods=["GET", "POST"])
@login_required
def profile_limits():
    user = current_user._get_current_object()
    form = LimitsForm.of(volunteer_limits.limits_of(user))
    if form.validate_on_submit():
        volunteer_limits.save(user, form.per_month.data, form.gap_days.data, by=user)
        return answered(url_for("volunteer.profile", _anchor="limits"), gettext("My Limits Saved."), target="limits")
    return render_template("volunteer/limits.html", form=form), 400 if form.is_submitted() else 200
