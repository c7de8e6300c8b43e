""" "Take this place": the link in a waiting list's e-mail (no log-in needed), and leaving a waiting
list from View or Cancel Registration.

Opening the link only shows the place; the button's POST takes it, so a mail scanner that
follows links changes nothing.
"""

from flask_babel import gettext
from flask import abort, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from .. import waiting_list as rules
from ..db import utcnow
from ..htmx import done
from ..permissions import as_id
from ..rota import Refused
from . import bp
from .cover import INVALID
from .cover import MESSAGES as COVER

TITLE = "Take this place"
MESSAGES = {
    rules.TAKEN: COVER[rules.TAKEN],
    rules.COVERED: (
        "Sorry, this place has already been taken. You are still on the waiting list for the next one.",
        "info",
    ),
    rules.LAPSED: (
        "Sorry, the time to take this place has passed, so it was offered to the next on the waiting list.",
        "info",
    ),
    rules.STARTED: ("This shift has already started, so the place can no longer be taken here.", "error"),
}


def _page(offer, status=200, **context):
    return render_template("volunteer/waiting_offer.html", title=TITLE, offer=offer, **context), status


@bp.route("/waiting/<token>", methods=["GET", "POST"])
def waiting_offer(token):
    offer = rules.offer_from_token(token)
    if offer is None:
        return _page(None, 404, message=INVALID, category="error")
    form, now = FlaskForm(), utcnow()
    outcome, refusal = rules.state(offer, now), None
    if outcome is None and form.validate_on_submit():
        try:
            outcome = rules.take(offer.id)
        except Refused as exc:
            refusal = str(exc)
    if refusal or outcome:
        message, category = (refusal, "error") if refusal else MESSAGES[outcome]
        return _page(offer, 200 if outcome == rules.TAKEN else 409, done=True, message=message, category=category)
    return _page(offer, form=form, token=token)


@bp.route("/waiting-list/<entry_id>/leave", methods=["POST"])
@login_required
def leave_waiting_list(entry_id):
    entry = rules.entry_for(current_user, as_id(entry_id))
    if entry is None or not FlaskForm().validate_on_submit():
        abort(404 if entry is None else 400)
    rules.leave(entry.id)
    return done(
        None,
        url_for("volunteer.registrations", _anchor="waiting-list"),
        gettext("You have left the waiting list. You can join it again from the slot table while the slot is Full."),
        target="waiting-list",
    )
