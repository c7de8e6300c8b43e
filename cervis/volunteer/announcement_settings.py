"""The profile's "Tell me when new shifts open": a volunteer switches shift announcements (and the
offer deadline reminder) on or off per group. Emails about their own offers and shifts always go."""
from flask import request, url_for
from flask_login import current_user, login_required

from ..db import write_transaction
from ..htmx import done
from ..models import AnnouncementOptOut, Group, Membership
from ..permissions import as_id
from . import bp


def announcement_choices(user):
    """[(group, wants to hear)] for each of the volunteer's groups."""
    off = {gid for (gid,) in AnnouncementOptOut.select(AnnouncementOptOut.group)
           .where(AnnouncementOptOut.user == user).tuples()}
    groups = Group.select().join(Membership).where(Membership.user == user).order_by(Group.name)
    return [(group, group.id not in off) for group in groups]


@bp.route("/profile/announcements", methods=["POST"])
@login_required
def profile_announcements():
    user = current_user._get_current_object()
    wanted = {as_id(value) for value in request.form.getlist("group")}
    # Only the groups the form showed: one joined since (in another tab) keeps its announcements.
    shown = {as_id(value) for value in request.form.getlist("shown")}
    with write_transaction():
        for group, _ in announcement_choices(user):
            if group.id not in shown:
                continue
            if group.id in wanted:
                AnnouncementOptOut.delete().where(AnnouncementOptOut.user == user,
                                                  AnnouncementOptOut.group == group).execute()
            else:
                AnnouncementOptOut.insert(user=user, group=group).on_conflict_ignore().execute()
    return done("volunteer/_profile_announcements.html", url_for("volunteer.profile", _anchor="announcements"),
                "Your choice of emails about new shifts is saved.", announce=announcement_choices(user), oob=True)
