""" "Find a Stand-in": from View or Cancel (logged in) or the link in the confirmation and the
reminder (signed, no log-in), and "I'll take it", the link in the e-mail the members are sent.

Opening a link only shows the shift; the buttons' POSTs act, so a mail scanner changes nothing.
"""

from flask import abort, render_template, request
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from .. import cancellation
from .. import stand_in as rules
from ..db import utcnow
from ..permissions import as_id
from ..rota import Refused
from . import bp
from .cover import INVALID
from .cover import MESSAGES as COVER

TITLE = "Find a Stand-in"
ASKED = (
    "Your stand-in request has gone to {asked}. You stay registered, and responsible for this shift, "
    "until one of them takes your place: you will get an e-mail when they do."
)
NOBODY = (
    "There is nobody free and qualified to ask for this shift. You are still registered: "
    "please contact your group leader, or cancel as usual."
)
ANSWERS = {
    rules.TAKEN: COVER[rules.TAKEN],
    rules.COVERED: ("Thank you for answering, but someone else has already taken this place.", "info"),
    rules.CLOSED: ("Thank you for answering, but this place no longer needs a stand-in.", "info"),
    rules.STARTED: ("This shift has already started, so the place can no longer be taken here.", "error"),
}


@bp.route("/registrations/<registration_id>/stand-in", methods=["GET", "POST"])
@login_required
def find_stand_in(registration_id):
    reg = rules.registration_for(current_user, as_id(registration_id))
    if reg is None:
        abort(404)
    return _find(reg, request.path)


@bp.route("/stand-in/<token>", methods=["GET", "POST"])
def find_stand_in_link(token):
    reg = rules.registration_from_token(token)
    if reg is None:
        return render_template("volunteer/stand_in.html", title=TITLE, reg=None, message=INVALID, category="error"), 404
    return _find(reg, request.path)


def _find(reg, here):
    """The shift, what the guide says once the reminder has gone, and the request (started by the POST)."""
    form, now = FlaskForm(), utcnow()
    refusal, message, category, status = rules.why_not(reg, now), None, "success", 200
    if refusal is None and form.validate_on_submit():
        try:
            asked = rules.start(reg.id, now).asks.count()
            message = ASKED.format(asked=f"{asked} member{'s' if asked != 1 else ''}") if asked else NOBODY
            category = "success" if asked else "info"
        except Refused as exc:
            refusal = str(exc)
    if refusal and request.method == "POST":
        message, category, status = refusal, "error", 409
    close = cancellation.is_close(reg, now) or reg.reminded_at is not None
    context = dict(title=TITLE, reg=reg, form=form, here=here, refusal=refusal, open=rules.open_request(reg))
    context.update(
        leader=cancellation.shift_leader(reg) if close else None, close=close, started=reg.slot.starts_at <= now
    )
    return render_template("volunteer/stand_in.html", message=message, category=category, **context), status


@bp.route("/stand-in/take/<token>", methods=["GET", "POST"])
def stand_in_ask(token):
    ask = rules.ask_from_token(token)
    if ask is None:
        return render_template(
            "volunteer/stand_in_ask.html", title=TITLE, ask=None, message=INVALID, category="error"
        ), 404
    form, now = FlaskForm(), utcnow()
    outcome, message = rules.state(ask, now), None
    if outcome is None and form.validate_on_submit():
        if request.form.get("answer") == "no":
            rules.decline(ask.id, now)
            message = "Thank you for letting us know. There is nothing more to do."
            return render_template(
                "volunteer/stand_in_ask.html", title=TITLE, ask=ask, done=True, message=message, category="info"
            )
        try:
            outcome = rules.take(ask.id, now)
        except Refused as exc:
            message = str(exc)
    if message or outcome:
        message, category = (message, "error") if message else ANSWERS[outcome]
        status = 200 if outcome == rules.TAKEN else 409
        return render_template(
            "volunteer/stand_in_ask.html", title=TITLE, ask=ask, done=True, message=message, category=category
        ), status
    return render_template("volunteer/stand_in_ask.html", title=TITLE, ask=ask, form=form, token=token)
