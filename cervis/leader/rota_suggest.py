"""Suggest Rota: a proposed rota shown on the month view, then accepted in one go or discarded."""

from flask_babel import gettext
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import rota as rules
from .. import suggest_rota, volunteer_limits
from ..auth import leader_required
from ..db import utcnow
from ..models import Registration, Slot
from ..months import month_bounds, month_key
from ..permissions import as_id, opportunity_for_leader
from ..timeutil import slot_when
from . import bp, past_limits, rota_board
from .rota import month_arg, month_context


@bp.route("/opportunities/<int:opportunity_id>/rota/suggest")
@leader_required
def rota_suggest(opportunity_id):
    """Nothing changes here: the suggestion is computed afresh and only shown."""
    opportunity = opportunity_for_leader(current_user, opportunity_id)
    day = month_arg(opportunity)
    suggestion = suggest_rota.suggest(opportunity, day, utcnow())
    days, cells = rota_board.month_cells(opportunity, day)
    return render_template(
        "leader/rota_suggestion.html",
        suggestion=suggestion,
        days=days,
        counts=rota_board.month_counts(cells),
        title=gettext("Suggested rota: %(name)s", name=opportunity.name),
        **month_context(opportunity, day),
    )


def _refusal(reg, reason):
    if reg is None:
        return reason
    return f"{reg.volunteer.name} ({reg.slot.role.name}, {slot_when(reg.slot.starts_at, reg.slot.ends_at)}): {reason}"


@bp.route("/opportunities/<int:opportunity_id>/rota/suggestion", methods=["POST"])
@leader_required
def rota_accept_suggestion(opportunity_id):
    opportunity = opportunity_for_leader(current_user, opportunity_id)
    day = month_arg(opportunity)
    ids = {as_id(v) for v in request.form.getlist("offer")} - {None}
    board = url_for("leader.rota", opportunity_id=opportunity.id, month=month_key(day))
    if not ids:
        flash(gettext("Nothing was accepted: no suggested name was ticked."), "error")
        return redirect(board, code=303)
    start, end = month_bounds(day)
    ours = (
        Registration.select(Registration.id)
        .join(Slot)
        .where(
            Registration.id.in_(list(ids)),
            Slot.opportunity == opportunity.id,
            Slot.starts_at >= start,
            Slot.starts_at < end,
        )
    )
    if len(ours) != len(ids):
        abort(404)  # an offer of another opportunity, month or group is never accepted from here
    by = current_user._get_current_object()
    with past_limits.acting(by):  # as Accept: a limit gone past since the preview is asked again
        accepted, refused = rules.accept_suggestion(sorted(ids), by)
    if accepted:
        flash(
            gettext(
                "Suggestion accepted: %(len)s offer%(value)s accepted. The confirmation emails go in %(undo_minutes)s minutes; Undo before then and nothing is sent.",
                len=len(accepted),
                value="" if len(accepted) == 1 else "s",
                undo_minutes=rules.undo_minutes(),
            ),
            "success",
        )
    _say_refused(refused, url_for("leader.rota_accept_suggestion", opportunity_id=opportunity.id, month=month_key(day)))
    return redirect(board, code=303)


def _say_refused(refused, again):
    """Name the offers left out: changed since the preview, or past a volunteer's limits (with the
    button that accepts those, confirmed, at `again`)."""
    past = [(reg, why) for reg, why in refused if isinstance(why, volunteer_limits.PastLimit)]
    changed = [(reg, why) for reg, why in refused if not isinstance(why, volunteer_limits.PastLimit)]
    if changed:
        flash(
            "Not accepted, because it changed since the suggestion was made: "
            + "; ".join(_refusal(reg, reason) for reg, reason in changed),
            "error",
        )
    if past:
        words = "Not yet accepted, past their limits: " + "; ".join(
            _refusal(reg, str(why).removeprefix("Not yet: ")) for reg, why in past
        )
        flash(past_limits.confirmation(words, [("offer", reg.id) for reg, _ in past], again), "error")
