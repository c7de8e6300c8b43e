"""The profile's "Tell me when new shifts open": a volunteer switches shift announcements (and the
offer deadline reminder), and their group leaders' messages to members, on or off per group.
Emails about their own offers and shifts always go."""

from flask_babel import gettext
from flask import request, url_for
from flask_login import current_user, login_required

from ..db import write_transaction
from ..htmx import done
from ..models import AnnouncementOptOut, Group, LeaderMessageOptOut, Membership
from ..permissions import as_id
from . import bp

# (the ticked boxes' field, the field of the groups the form showed, who stopped them)
CHOICES = (("group", "shown", AnnouncementOptOut), ("messages", "shown_messages", LeaderMessageOptOut))


def _stopped(model, user):
    return {gid for (gid,) in model.select(model.group).where(model.user == user).tuples()}


def announcement_choices(user):
    """[(group, wants announcements, wants its leaders' messages)] for each of the volunteer's groups,
    and any group whose messages they stopped (a parent reads a family member's)."""
    off, quiet = _stopped(AnnouncementOptOut, user), _stopped(LeaderMessageOptOut, user)
    member = Membership.select(Membership.group).where(Membership.user == user)
    groups = Group.select().where(Group.id.in_(member) | Group.id.in_(list(quiet) or [0])).order_by(Group.name)
    return [(group, group.id not in off, group.id not in quiet) for group in groups]


@bp.route("/profile/announcements", methods=["POST"])
@login_required
def profile_announcements():
    user = current_user._get_current_object()
    groups = [group for group, _, _ in announcement_choices(user)]
    with write_transaction():
        for field, shown_field, model in CHOICES:
            wanted = {as_id(value) for value in request.form.getlist(field)}
            # Only the groups the form showed: one joined since (in another tab) keeps its emails.
            shown = {as_id(value) for value in request.form.getlist(shown_field)}
            for group in groups:
                if group.id not in shown:
                    continue
                if group.id in wanted:
                    model.delete().where(model.user == user, model.group == group).execute()
                else:
                    model.insert(user=user, group=group).on_conflict_ignore().execute()
    return done(
        "volunteer/_profile_announcements.html",
        url_for("volunteer.profile", _anchor="announcements"),
        gettext("Your choice of emails from your groups is saved."),
        announce=announcement_choices(user),
        oob=True,
    )
