"""One-click unsubscribe (RFC 8058) from a group's announcements or its leaders' messages: the signed
link in the List-Unsubscribe header and in the email. A POST with the token switches them off with
no log-in (the token is the proof, so that POST alone is CSRF-exempt); a GET shows a page asking to
confirm with a real form. The volunteer switches them back on in their profile."""

from flask import Blueprint, abort, render_template, request

from .db import write_transaction
from .models import AnnouncementOptOut, Group, LeaderMessageOptOut, User
from .security import csrf
from .signed_links import UNSUBSCRIBE
from .unsubscribe_links import ANNOUNCEMENTS, MESSAGES

bp = Blueprint("unsubscribe", __name__)
OPT_OUTS = {ANNOUNCEMENTS: AnnouncementOptOut, MESSAGES: LeaderMessageOptOut}


def _who(token):
    """(user, group, what the link stops); an announcement's link, the first made, names no kind."""
    try:
        user_id, group_id, *kind = UNSUBSCRIBE.read(token)
        what = kind[0] if kind else ANNOUNCEMENTS
        user, group = User.get_by_id(int(user_id)), Group.get_by_id(int(group_id))
    except (ValueError, TypeError, OverflowError, IndexError, User.DoesNotExist, Group.DoesNotExist):
        abort(404)
    if what not in OPT_OUTS:
        abort(404)
    return user, group, what


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def one_click(token):
    user, group, what = _who(token)
    if request.method == "POST":
        with write_transaction():
            OPT_OUTS[what].insert(user=user, group=group).on_conflict_ignore().execute()
    return render_template("unsubscribe.html", group=group, what=what, done=request.method == "POST")
