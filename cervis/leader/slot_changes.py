"""One slot changed from its row of the slot list: change its capacity, close, reopen or delete it
(the row replaces itself under htmx; a plain form redirects). slots.py lists and adds the slots."""

from flask_babel import gettext
from ..translated import lazy_gettext
from flask import make_response, redirect, render_template, request
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from .. import cancellation
from ..auth import leader_required
from ..db import for_update, utcnow, write_transaction
from ..htmx import done, is_htmx, vary
from ..models import AuditLog, Registration, Slot
from ..permissions import slot_for_leader
from . import bp
from .slots import CAPACITY_RANGE, MAX_CAPACITY, label, me, slot_rows, slot_snapshot, slots_url

STARTED = lazy_gettext("This slot has already started, so it stays as the rota and attendance recorded it.")
OFFERED = lazy_gettext(
    "This slot cannot be deleted because volunteers have offered for it. Close it instead, so nobody else can offer."
)


class CapacityForm(FlaskForm):
    capacity = IntegerField(
        lazy_gettext("Capacity"),
        validators=[
            InputRequired(lazy_gettext("Please enter the capacity.")),
            NumberRange(1, MAX_CAPACITY, CAPACITY_RANGE),
        ],
        render_kw={"inputmode": "numeric"},
    )


def _row_done(slot_id, location, message, category="success"):
    return done(
        "leader/_slot_row_done.html",
        location,
        message,
        category,
        target=f"slot-{slot_id}",
        slot=slot_rows(slot_id=slot_id),
    )


@bp.route("/slots/<int:slot_id>")
@leader_required
def slot_row(slot_id):
    """One row of the slot list: what "Cancel" brings back after "Change capacity"."""
    slot = slot_for_leader(current_user, slot_id)
    if not is_htmx():
        return redirect(slots_url(slot.opportunity_id))
    return vary(make_response(render_template("leader/_slot_row.html", slot=slot_rows(slot_id=slot.id))))


@bp.route("/slots/<int:slot_id>/capacity", methods=["GET", "POST"])
@leader_required
def slot_capacity(slot_id):
    slot = slot_for_leader(current_user, slot_id)
    form = CapacityForm(prefix=f"slot{slot.id}")
    if request.method == "GET":
        form.capacity.data = slot.capacity
    elif form.validate():
        with write_transaction():
            locked = for_update(Slot.select().where(Slot.id == slot.id)).get()
            registered = locked.registered_count()
            if locked.starts_at <= utcnow():
                form.capacity.errors.append(STARTED)
            elif form.capacity.data < registered:
                form.capacity.errors.append(
                    f"{registered} volunteer{'s are' if registered != 1 else ' is'} registered for this slot, "
                    f"so its capacity cannot be less than {registered}."
                )
            else:
                before = slot_snapshot(locked)
                locked.capacity = form.capacity.data
                locked.save()
                AuditLog.record(me(), "slot.capacity", locked, before=before, after=slot_snapshot(locked))
                if locked.capacity > before["capacity"]:
                    cancellation.places_freed([locked.id], utcnow())  # room for the waiting list
        if not form.capacity.errors:
            return _row_done(
                slot.id,
                slots_url(slot.opportunity_id),
                gettext("Capacity changed to %(capacity)s: %(slot)s.", capacity=form.capacity.data, slot=label(slot)),
            )
    status = 200 if request.method == "GET" else (422 if is_htmx() else 400)
    template = "leader/_slot_row_edit.html" if is_htmx() else "leader/slot_capacity.html"
    return vary(
        make_response(
            render_template(template, form=form, slot=slot_rows(slot_id=slot.id), opportunity=slot.opportunity), status
        )
    )


@bp.route("/slots/<int:slot_id>/close", methods=["POST"])
@leader_required
def slot_close(slot_id):
    return _set_closed(slot_id, True)


@bp.route("/slots/<int:slot_id>/reopen", methods=["POST"])
@leader_required
def slot_reopen(slot_id):
    return _set_closed(slot_id, False)


def _set_closed(slot_id, closed):
    slot = slot_for_leader(current_user, slot_id)
    with write_transaction():
        before = slot_snapshot(slot)
        slot.closed = closed
        slot.save(only=[Slot.closed])  # never write back a capacity someone changed meanwhile
        AuditLog.record(me(), "slot.close" if closed else "slot.reopen", slot, before=before, after=slot_snapshot(slot))
    message = f"{'Slot closed' if closed else 'Slot reopened'}: {label(slot)}."
    return _row_done(slot.id, slots_url(slot.opportunity_id), message)


@bp.route("/slots/<int:slot_id>/delete", methods=["POST"])
@leader_required
def slot_delete(slot_id):
    slot = slot_for_leader(current_user, slot_id)
    location, what = slots_url(slot.opportunity_id), label(slot)
    with write_transaction():
        locked = for_update(Slot.select().where(Slot.id == slot.id)).get()
        refusal = (
            STARTED
            if locked.starts_at <= utcnow()
            else OFFERED
            if Registration.select().where(Registration.slot == slot.id).exists()
            else None
        )
        if refusal is None:
            AuditLog.record(me(), "slot.delete", locked, before=slot_snapshot(locked))
            locked.delete_instance()
    if refusal:
        return _row_done(slot.id, location, refusal, "error")
    return done(
        "leader/_slot_deleted.html",
        location,
        gettext("Slot deleted: %(what)s.", what=what),
        target="slot-list",
        slot_id=slot_id,
    )
