"""Acting on a slot's offers from its panel: one form, whichever button was pressed.

"Accept Selected" and "Not Required Selected" act on the ticked offers in one transaction;
a row's own button (do=accept:ID, undo:ID, call-up:ID...) acts on that row alone. Every answer
comes back inside the panel, next to the buttons (see rota._answer).
"""

from flask_babel import gettext
from flask import abort, request
from flask_login import current_user

from .. import rota as rules
from ..auth import leader_required
from ..models import Registration, Role, Slot, User
from ..permissions import as_id, slot_for_leader
from ..timeutil import slot_when
from . import bp, past_limits
from .rota import _answer


def _names(regs):
    return ", ".join(r.volunteer.name for r in regs)


def _many(word, rule, regs, by):
    done = rule([r.id for r in regs], by)
    if len(done) == 1:
        reg = done[0]
        return (
            f"{word}: {reg.volunteer.name}, {reg.slot.role.name} on {slot_when(reg.slot.starts_at, reg.slot.ends_at)}"
        )
    return f"{word}: {len(done)} offers ({_names(done)})"


def _accept(regs, by, slot):  # each action: (the answer, other slots whose cells change)
    emails = "email goes" if len(regs) == 1 else "emails go"
    return (
        _many("Accepted", rules.accept_selected, regs, by) + f". The confirmation {emails} in "
        f"{rules.undo_minutes()} minutes; Undo before then and nothing is sent."
    ), ()


def _override(regs, by, slot):
    [reg] = regs
    reason = (request.form.get(f"override-{reg.id}") or "").strip()
    if not reason:
        raise rules.Refused(
            gettext("Please give a reason for accepting without training: it is kept in the audit log.")
        )
    rules.accept(reg.id, by, override=reason)
    return (
        f"Accepted without training: {reg.volunteer.name}, {reg.slot.role.name} on "
        f"{slot_when(reg.slot.starts_at, reg.slot.ends_at)}. The override and its reason are recorded. "
        f"The confirmation email goes in {rules.undo_minutes()} minutes."
    ), ()


def _not_required(regs, by, slot):
    return (
        _many("Not Required", rules.not_required_selected, regs, by)
        + f". {'The volunteer is' if len(regs) == 1 else 'The volunteers are'} emailed in "
        f"{rules.undo_minutes()} minutes unless you Undo."
    ), ()


def _undo(regs, by, slot):
    [reg] = regs
    undone = rules.undo(reg.id, by)
    return f"Undone: {reg.volunteer.name} is pending again." + (
        " The confirmation had already gone, so they are emailed a change of plan." if undone.told else ""
    ), ()


def _call_up(regs, by, slot):
    [reg] = regs
    target = as_id(request.form.get(f"to-{reg.id}"))
    if not target:
        raise rules.Refused(gettext("Choose the role to call this Reserve up to."))
    target_slot = slot_for_leader(current_user, target)
    new = rules.call_up(reg.id, target_slot.id, by)
    return (
        f"Called up: {reg.volunteer.name} is now needed as {new.slot.role.name}; they are emailed now.",
        (target_slot.id,),
    )


ACTIONS = {"accept": _accept, "not-required": _not_required, "undo": _undo, "call-up": _call_up, "override": _override}
ONE_ONLY = {"undo", "call-up", "override"}


@bp.route("/slots/<int:slot_id>/act", methods=["POST"])
@leader_required
def rota_act(slot_id):
    slot = slot_for_leader(current_user, slot_id)
    action, _, one = request.form.get("do", "").partition(":")
    if action not in ACTIONS or (action in ONE_ONLY and not one):
        abort(400)
    ids = {as_id(one)} if one else {as_id(v) for v in request.form.getlist("offer")}
    ids.discard(None)
    if not ids:
        return _answer(slot.opportunity, slot, None, "Tick at least one offer first.", "error")
    regs = list(
        Registration.select(Registration, Slot, Role, User)
        .join(Slot)
        .join(Role)
        .switch(Registration)
        .join(User, on=Registration.volunteer)
        .where(Registration.id.in_(list(ids)))
        .order_by(Registration.created_at, Registration.id)
    )
    if len(regs) != len(ids) or any(r.slot_id != slot.id for r in regs):
        abort(404)  # an offer of another slot, or another group's: never acted on from here
    try:
        with past_limits.acting(current_user._get_current_object()):
            message, extra = ACTIONS[action](regs, current_user._get_current_object(), slot)
    except rules.Refused as refusal:
        return _answer(slot.opportunity, slot, None, past_limits.message(refusal, f"slot-{slot.id}"), "error")
    return _answer(slot.opportunity, slot, None, message, extra=extra)
