"""A leader going past a volunteer's limits (or their away dates) is asked once more: the answer
carries the same form, sent again with past_limits=1, which works with or without JavaScript."""

from flask import render_template, request
from markupsafe import Markup

from .. import volunteer_limits

CONFIRMED = "past_limits"


def acting(by):
    """The rota rules inside run as this leader's, confirmed when the form says so."""
    return volunteer_limits.leader_acting(by, confirmed=request.form.get(CONFIRMED) == "1")


def message(refusal, target=None):
    """A refusal's words; for a limit, with the button that confirms (htmx: swapping `target`)."""
    if not isinstance(refusal, volunteer_limits.PastLimit):
        return str(refusal)
    fields = [(k, v) for k, values in request.form.lists() for v in values if k not in ("csrf_token", CONFIRMED)]
    return confirmation(str(refusal), fields, target=target)


def confirmation(words, fields, action=None, target=None):
    """These words, and the button that sends these fields again to `action` (this page), confirmed."""
    return Markup(
        render_template(
            "leader/_past_limits.html", message=words, fields=fields, action=action or request.path, target=target
        )
    )
