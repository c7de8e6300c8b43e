"""A slot's waiting list in its panel on the rota board, and a leader's Accept straight from it."""

from flask import abort
from flask_login import current_user

from .. import waiting_list as rules
from ..auth import leader_required
from ..models import WaitingListEntry
from ..permissions import as_id, slot_for_leader
from ..rota import Refused
from . import bp
from .rota import _answer, _who_when


@bp.app_template_global("waiting_list_of")
def waiting_list_of(slot_id):
    """The slot's waiting list, in order, for its panel (only the opened panel asks)."""
    return rules.for_slot(slot_id)


@bp.route("/waiting-list/<entry_id>/accept", methods=["POST"])
@leader_required
def waiting_list_accept(entry_id):
    entry = WaitingListEntry.get_or_none(WaitingListEntry.id == as_id(entry_id))
    if entry is None:
        abort(404)
    slot = slot_for_leader(current_user, entry.slot_id)
    try:
        reg = rules.accept(entry.id, current_user._get_current_object())
    except Refused as refusal:
        return _answer(slot.opportunity, slot, entry.volunteer_id, str(refusal), "error")
    message = f"Accepted from the waiting list: {_who_when(reg)}. The confirmation email goes now."
    return _answer(slot.opportunity, slot, reg.volunteer_id, message)
