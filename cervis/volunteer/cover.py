""" "I can cover": the one-tap link in a "Can you cover?" e-mail; no log-in needed.

Opening the link only shows the place; the button's POST takes it, so a mail scanner that
follows links changes nothing.
"""

from ..translated import lazy_gettext
from flask import render_template
from flask_wtf import FlaskForm

from .. import cover as rules
from ..db import utcnow
from ..rota import Refused
from . import bp

TITLE = lazy_gettext("Can you cover?")
MESSAGES = {
    rules.TAKEN: (
        lazy_gettext("Thank you: the place is yours. You are now registered, and a confirmation email is on its way."),
        "success",
    ),
    rules.COVERED: (
        lazy_gettext("Thank you for answering, but this place is already covered. There is nothing more to do."),
        "info",
    ),
    rules.STARTED: (lazy_gettext("This shift has already started, so it can no longer be covered here."), "error"),
}
INVALID = lazy_gettext("This link is not valid. Please contact your group leader.")


@bp.route("/cover/<token>", methods=["GET", "POST"])
def cover(token):
    ask = rules.ask_from_token(token)
    if ask is None:
        return render_template("volunteer/cover.html", title=TITLE, ask=None, message=INVALID, category="error"), 404
    form = FlaskForm()
    now = utcnow()
    outcome = rules.state(ask, now)
    refusal = None if outcome else rules.refusal(ask, now)
    if outcome is None and refusal is None and form.validate_on_submit():
        try:
            outcome = rules.take(ask.id)
        except Refused as exc:
            refusal = str(exc)
    if refusal or outcome:
        message, category = (refusal, "error") if refusal else MESSAGES[outcome]
        status = 200 if outcome in (rules.TAKEN, None) and not refusal else 409
        return render_template(
            "volunteer/cover.html", title=TITLE, ask=ask, done=True, message=message, category=category
        ), status
    return render_template("volunteer/cover.html", title=TITLE, ask=ask, form=form, token=token)
