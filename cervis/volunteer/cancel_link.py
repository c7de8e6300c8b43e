"""The "Cancel Registration" link in acknowledgement and confirmation e-mails: no log-in needed.

The signed token names one registration and nothing else. Opening the link only shows that
shift; only the button's POST cancels, so a mail scanner that follows links changes nothing.
"""

from flask_babel import gettext
from ..translated import lazy, lazy_gettext
from flask import render_template

from .. import cancellation
from ..db import utcnow
from ..htmx import answer_now
from . import bp
from .registrations import ReasonForm, cancelled_message

INVALID = lazy_gettext(
    "This cancellation link is not valid. Please log in and use “View or Cancel Registration "
    "for an Upcoming Opportunity”, or contact us."
)
# One registration's answer, as the portal's View or Cancel says it (one message in the catalogue).
CANCELLED_MESSAGE = lazy(cancelled_message, 1)


def _holder(reg):
    """Who cancels through the link: the volunteer, or the parent whose inbox holds a child's e-mails."""
    return reg.volunteer.inbox or reg.volunteer


@bp.route("/cancel/<token>", methods=["GET", "POST"])
def cancel_link(token):
    reg = cancellation.registration_from_token(token)
    if reg is None:
        return render_template(
            "volunteer/cancel_link.html",
            reg=None,
            title=gettext("Cancel Registration"),
            message=INVALID,
            category="error",
        ), 404
    now = utcnow()
    form = ReasonForm()
    refusal = cancellation.why_not_cancellable(reg, now)
    if refusal is None and form.validate_on_submit():
        done = cancellation.cancel(
            [reg.id], by=_holder(reg), reason=form.reason.data, now=now, via="Cancelled with the e-mail link."
        )
        if done:
            return _page(token, reg, form, cancelled=True, message=CANCELLED_MESSAGE)
        # Cancelled some other way between opening the page and pressing the button.
        reg = cancellation.registration_from_token(token)
        refusal = cancellation.why_not_cancellable(reg, utcnow()) or "This registration can no longer be cancelled."
    if refusal is not None:
        return _page(token, reg, form, refusal=refusal, message=refusal, category="error", status=410)
    close = cancellation.is_close(reg, now)
    return _page(
        token,
        reg,
        form,
        close=close,
        leader=cancellation.shift_leader(reg) if close else None,
        status=400 if form.is_submitted() else 200,
    )


def _page(token, reg, form, status=200, **context):
    answer_now(context.get("message"), context.get("category", "success"))  # the banner at the top of this short page
    return render_template(
        "volunteer/cancel_link.html", token=token, reg=reg, form=form, title=gettext("Cancel Registration"), **context
    ), status
