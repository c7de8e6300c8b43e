"""One-click unsubscribe (RFC 8058) from a group's announcements: the signed link in the
List-Unsubscribe header and in the email. A POST with the token switches them off with no log-in
(the token is the proof, so that POST alone is CSRF-exempt); a GET shows a page asking to confirm
with a real form. The volunteer switches them back on in their profile."""
from flask import Blueprint, abort, render_template, request

from .db import write_transaction
from .models import AnnouncementOptOut, Group, User
from .security import csrf
from .signed_links import UNSUBSCRIBE

bp = Blueprint("unsubscribe", __name__)


def _who(token):
    try:
        user_id, group_id = UNSUBSCRIBE.read(token)
        user, group = User.get_by_id(int(user_id)), Group.get_by_id(int(group_id))
    except (ValueError, TypeError, User.DoesNotExist, Group.DoesNotExist):
        abort(404)
    return user, group


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def one_click(token):
    user, group = _who(token)
    if request.method == "POST":
        with write_transaction():
            AnnouncementOptOut.insert(user=user, group=group).on_conflict_ignore().execute()
    return render_template("unsubscribe.html", group=group, done=request.method == "POST")
