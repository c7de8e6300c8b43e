"""The rota board: one opportunity and one month, and the buttons a group leader builds it with.

Each button is a plain POST form that htmx enhances: the slot's block swaps itself (and any
other block showing the same volunteer's numbers), with the green or red banner on top.
"""

from flask_babel import gettext
from ..translated import lazy_gettext
from flask import abort, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from .. import eligibility, volunteer_limits
from .. import rota as rules
from ..auth import leader_required
from ..db import utcnow
from ..htmx import done, is_htmx, vary
from ..models import RotaCompletion
from ..months import month_key, month_of, next_month, parse_month, previous_month
from ..permissions import as_id, opportunity_for_leader, registration_for_leader, slot_for_leader
from ..timeutil import slot_when
from . import bp, past_limits, rota_board

NO_REASON = lazy_gettext("Please give a reason: the volunteer is told it.")


class RemoveForm(FlaskForm):
    reason = TextAreaField(
        lazy_gettext("Reason for removing (the volunteer is told it)"),
        validators=[DataRequired(NO_REASON), Length(max=1000)],
    )


class AddForm(FlaskForm):
    volunteer = SelectField(lazy_gettext("Member of the group"), coerce=int, validate_choice=False)
    override = TextAreaField(
        lazy_gettext("Only if they lack the role's training: why they must take this place (kept in the audit log)"),
        validators=[Length(max=1000)],
    )


class RowUrls:
    """url_for once per kind of button, not once per button: a month holds hundreds of them."""

    MARK = "2147483647"

    def __init__(self):
        self._patterns = {}

    def __call__(self, endpoint, **values):
        [(name, value)] = values.items()
        key = (endpoint, name)
        if key not in self._patterns:
            self._patterns[key] = url_for(endpoint, **{name: int(self.MARK)})
        return self._patterns[key].replace(self.MARK, str(int(value)))


def month_arg(opportunity):
    text = request.values.get("month")
    if not text:
        return rota_board.default_month(opportunity, utcnow())
    day = parse_month(text)
    if day is None:
        abort(400)
    return day


def _board_url(opportunity, day, slot=None):
    return url_for(
        "leader.rota",
        opportunity_id=opportunity.id,
        month=month_key(day),
        slot=slot.id if slot else None,
        _anchor=f"slot-{slot.id}" if slot else None,
    )


def month_context(opportunity, day):
    months = rota_board.months_with_slots(opportunity)
    completion = RotaCompletion.get_or_none(
        RotaCompletion.opportunity == opportunity.id, RotaCompletion.month == month_key(day)
    )
    return dict(
        opportunity=opportunity,
        day=day,
        month=month_key(day),
        months=months,
        row_url=RowUrls(),
        previous=previous_month(day),
        next=next_month(day),
        completion=completion,
    )


def _cells_context(opportunity, day, show=None):
    days, cells = rota_board.month_cells(opportunity, day, show)
    now = utcnow()
    return dict(
        days=days,
        counts=rota_board.month_counts(cells),
        show=show,
        who_came={d.date for d in days if d.starts_at <= now},
    )  # from the night's first start


def _panel(opportunity, slot_id):
    views = rota_board.slot_views(opportunity, [slot_id])
    if views:  # what the leader should know before accepting: away that day, limits they set
        volunteer_limits.annotate(views[0].registered + views[0].pending, views[0].slot)
    return views[0] if views else None


@bp.route("/opportunities/<int:opportunity_id>/rota")
@leader_required
def rota(opportunity_id):
    """The month at a glance; ?slot= opens one slot's people in place (the page without JavaScript)."""
    opportunity = opportunity_for_leader(current_user, opportunity_id)
    day = month_arg(opportunity)
    show = request.args.get("show") if request.args.get("show") in rota_board.FILTERS else None
    panel = None
    slot_id = as_id(request.args.get("slot"))
    if slot_id:
        panel = _panel(opportunity, slot_id)
        if panel is not None and month_of(panel.slot.starts_at) != day:
            panel = None
    return render_template(
        "leader/rota.html",
        panel=panel,
        title=gettext("Rota: %(name)s", name=opportunity.name),
        **_cells_context(opportunity, day, show),
        **month_context(opportunity, day),
    )


@bp.route("/slots/<int:slot_id>/panel")
@leader_required
def rota_panel(slot_id):
    """One slot's people, opened in place on the month view."""
    slot = slot_for_leader(current_user, slot_id)
    opportunity, day = slot.opportunity, month_of(slot.starts_at)
    if not is_htmx():
        return redirect(_board_url(opportunity, day, slot), code=303)
    return vary(
        make_response(
            render_template(
                "leader/_rota_panel.html",
                view=_panel(opportunity, slot.id),
                focus=True,
                **month_context(opportunity, day),
            )
        )
    )


def _answer(opportunity, slot, volunteer_id, message, category="success", extra=(), **context):
    """htmx: the slot's panel with the answer inside it, next to the buttons, and the month's
    cells and counts that changed. A plain form: the banner, and back to the slot, opened."""
    day = month_of(slot.starts_at)
    location = _board_url(opportunity, day, slot)
    target = f"slot-{slot.id}"  # the answer shows inside the slot (cervis/htmx.py)
    if not is_htmx():
        return done(None, location, message, category, target=target)
    shown = {slot.id, *extra}
    _, cells = rota_board.month_cells(opportunity, day, marked=shown)
    changed = [c for c in cells if c.id in shown]
    return done(
        "leader/_rota_answer.html",
        location,
        message,
        category,
        target=target,
        view=_panel(opportunity, slot.id),
        cells=changed,
        counts=rota_board.month_counts(cells),
        focus=True,
        **month_context(opportunity, day),
        **context,
    )


def _act(reg, work, success):
    """Run one rota rule on a registration the leader may touch, and answer."""
    opportunity = reg.slot.opportunity
    try:
        with past_limits.acting(current_user._get_current_object()):
            result = work()
    except rules.Refused as refusal:
        message = past_limits.message(refusal, f"slot-{reg.slot_id}")
        return _answer(opportunity, reg.slot, reg.volunteer_id, message, "error")
    message, extra = success(result)
    return _answer(opportunity, reg.slot, reg.volunteer_id, message, extra=extra)


def _who_when(reg):
    return f"{reg.volunteer.name}, {reg.slot.role.name} on {slot_when(reg.slot.starts_at, reg.slot.ends_at)}"


@bp.route("/registrations/<int:registration_id>/accept", methods=["POST"])
@leader_required
def rota_accept(registration_id):
    reg = registration_for_leader(current_user, registration_id)
    minutes = rules.undo_minutes()
    return _act(
        reg,
        lambda: rules.accept(reg.id, current_user._get_current_object()),
        lambda _: (
            f"Accepted: {_who_when(reg)}. The confirmation email goes in {minutes} "
            "minutes; Undo before then and nothing is sent.",
            (),
        ),
    )


@bp.route("/registrations/<int:registration_id>/not-required", methods=["POST"])
@leader_required
def rota_not_required(registration_id):
    reg = registration_for_leader(current_user, registration_id)
    return _act(
        reg,
        lambda: rules.not_required(reg.id, current_user._get_current_object()),
        lambda _: (
            f"Not Required: {_who_when(reg)}. The volunteer is emailed in "
            f"{rules.undo_minutes()} minutes unless you Undo.",
            (),
        ),
    )


def _undo_message(undone):
    reg = undone.registration
    if undone.told:
        tail = "The confirmation had already gone, so the volunteer is emailed a change of plan."
    elif undone.withdrawn:
        tail = "The email waiting to go was withdrawn: nothing was sent."
    else:
        tail = "The volunteer had not been emailed about it."
    return f"Undone: {_who_when(reg)} is pending again. {tail}", ()


@bp.route("/registrations/<int:registration_id>/undo", methods=["POST"])
@leader_required
def rota_undo(registration_id):
    reg = registration_for_leader(current_user, registration_id)
    return _act(reg, lambda: rules.undo(reg.id, current_user._get_current_object()), _undo_message)


@bp.route("/registrations/<int:registration_id>/call-up", methods=["POST"])
@leader_required
def rota_call_up(registration_id):
    reg = registration_for_leader(current_user, registration_id)
    slot_id = as_id(request.form.get("slot_id"))
    if not slot_id:
        return _answer(
            reg.slot.opportunity, reg.slot, reg.volunteer_id, "Choose the role to call this Reserve up to.", "error"
        )
    target = slot_for_leader(current_user, slot_id)
    return _act(
        reg,
        lambda: rules.call_up(reg.id, target.id, current_user._get_current_object()),
        lambda new: (
            f"Called up: {reg.volunteer.name} is now needed as {new.slot.role.name}; they are emailed now.",
            (target.id,),
        ),
    )


@bp.route("/registrations/<int:registration_id>/remove", methods=["GET", "POST"])
@leader_required
def rota_remove(registration_id):
    reg = registration_for_leader(current_user, registration_id)
    form = RemoveForm(prefix=f"remove-{reg.id}")
    if form.validate_on_submit():
        return _act(
            reg,
            lambda: rules.remove(reg.id, current_user._get_current_object(), form.reason.data),
            lambda _: (f"Removed: {_who_when(reg)}. The volunteer is emailed the reason.", ()),
        )
    return _form_answer(reg.slot, "leader/rota_remove.html", removing=reg.id, remove_form=form, reg=reg)


@bp.route("/slots/<int:slot_id>/add", methods=["GET", "POST"])
@leader_required
def rota_add(slot_id):
    slot = slot_for_leader(current_user, slot_id)
    form = AddForm(prefix=f"add-{slot.id}")
    members = rota_board.members(slot.opportunity, slot)
    known = eligibility.eligibility([m.id for m in members], [slot.role_id])  # one query for the list
    form.volunteer.choices = [(0, "Choose a volunteer")] + [
        (m.id, " - ".join(filter(None, [m.name, eligibility.training_needed(known.missing_for(m.id, slot))])))
        for m in members
    ]
    if not known.needs:
        del form.override  # a role that needs no training: nothing to override
    if form.validate_on_submit():
        if as_id(form.volunteer.data):
            try:
                with past_limits.acting(current_user._get_current_object()):
                    reg = rules.add_to_slot(
                        slot.id,
                        form.volunteer.data,
                        current_user._get_current_object(),
                        override=form.override.data if "override" in form else None,
                    )
            except rules.Refused as refusal:
                message = past_limits.message(refusal, f"slot-{slot.id}")
                return _answer(slot.opportunity, slot, form.volunteer.data, message, "error")
            return _answer(
                slot.opportunity,
                slot,
                reg.volunteer_id,
                f"Added: {_who_when(reg)}. The confirmation email goes in "
                f"{rules.undo_minutes()} minutes; Undo before then and nothing is sent.",
            )
        form.volunteer.errors.append("Choose a member of the group.")
    return _form_answer(slot, "leader/rota_add.html", adding=True, add_form=form)


def _form_answer(slot, page, **context):
    """GET, or a form with a mistake: htmx shows the form inside the slot's block, else its own page."""
    opportunity, day = slot.opportunity, month_of(slot.starts_at)
    failed = request.method == "POST"
    if is_htmx():
        # 200 even when the form has a mistake: htmx swaps only a success, and the message must show.
        return vary(
            make_response(
                render_template(
                    "leader/_rota_answer.html",
                    view=_panel(opportunity, slot.id),
                    message=None,
                    focus=True,
                    **month_context(opportunity, day),
                    **context,
                )
            )
        )
    page = render_template(page, slot=slot, title="Rota", **month_context(opportunity, day), **context)
    return vary(make_response(page, 400 if failed else 200))
