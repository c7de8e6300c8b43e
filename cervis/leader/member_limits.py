"""A member's away dates and limits on their page: the leader sees both and may set the limits
(after a conversation with the volunteer, say); the volunteer sees the change on their profile."""

from flask_babel import gettext
from flask import url_for
from flask_login import current_user

from .. import volunteer_limits
from ..auth import leader_required
from ..htmx import answered
from ..permissions import member_for_leader
from ..profile_forms import LimitsForm
from . import bp
from .members import away_and_limits, member_page_with


@bp.route("/volunteers/<int:volunteer_id>/limits", methods=["POST"])
@leader_required
def member_limits(volunteer_id):
    volunteer = member_for_leader(current_user, volunteer_id)
    form = LimitsForm()
    if not form.validate_on_submit():
        return member_page_with(volunteer, **away_and_limits(volunteer, form)), 400
    volunteer_limits.save(volunteer, form.per_month.data, form.gap_days.data, by=current_user._get_current_object())
    return answered(
        url_for("leader.member", volunteer_id=volunteer.id, _anchor="limits"),
        gettext("Limits saved for %(name)s.", name=volunteer.name),
        target="limits",
    )
