"""Recruitment Steps: the organisation's safer-recruitment steps each application goes through, in
order. A leader ticks the "manual" ones; CERVIS ticks the e-mail and reference steps itself; the DBS
step counts only where a role in a chosen group needs a criminal-record check."""

from flask_babel import gettext
from ..translated import lazy_gettext
from flask import render_template, request, url_for
from flask_wtf import FlaskForm
from peewee import fn
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from ..auth import admin_required
from ..db import write_transaction
from ..forms import single_line
from ..htmx import answered
from ..models import AuditLog, RecruitmentStep
from ..permissions import recruitment_step_or_404
from . import bp
from .paging import me

KINDS = {
    "manual": lazy_gettext("Ticked by a leader"),
    "email": lazy_gettext("E-mail address confirmed (ticked by CERVIS)"),
    "reference-1": lazy_gettext("First reference received (ticked by CERVIS)"),
    "reference-2": lazy_gettext("Second reference received (ticked by CERVIS)"),
    "dbs": lazy_gettext("DBS check (only where a chosen role needs one; ticked by a leader)"),
}


class StepForm(FlaskForm):
    name = StringField(
        lazy_gettext("Step"),
        validators=[
            DataRequired(lazy_gettext("Please enter the step's name.")),
            Length(max=100, message=lazy_gettext("Please keep it under 100 characters.")),
            single_line,
        ],
    )
    kind = SelectField(
        lazy_gettext("Who ticks it"), choices=[SelectChoice(k, v) for k, v in KINDS.items()], default="manual"
    )


def _page(form=None, status=200):
    return render_template(
        "admin/recruitment_steps.html",
        steps=list(RecruitmentStep.ordered()),
        form=form or StepForm(formdata=None),
        kinds=KINDS,
    ), status


def _done(message, category="success"):
    return answered(url_for("admin.recruitment_steps"), message, category)


def _refusal(form, step_id=None):
    """Why this name or kind cannot be saved, or None: names are unique; CERVIS ticks each of its kinds once."""
    name = form.name.data.strip()
    same = RecruitmentStep.select().where(
        fn.LOWER(RecruitmentStep.name) == name.lower(), RecruitmentStep.id != (step_id or 0)
    )
    if same.exists():
        return "There is already a step with that name."
    if (
        step_id is None
        and form.kind.data != "manual"
        and RecruitmentStep.select().where(RecruitmentStep.kind == form.kind.data).exists()
    ):
        return "There is already a step of that kind."
    return None


@bp.route("/recruitment-steps", methods=["GET", "POST"])
@admin_required
def recruitment_steps():
    if request.method == "GET":
        return _page()
    form = StepForm()
    refusal = _refusal(form) if form.validate() else None
    if refusal or form.errors:
        form.name.errors = list(form.name.errors) + ([refusal] if refusal else [])
        return _page(form, 400)
    with write_transaction():
        last = RecruitmentStep.select(fn.MAX(RecruitmentStep.position)).scalar() or 0
        step = RecruitmentStep.create(name=form.name.data.strip(), kind=form.kind.data, position=last + 1)
        AuditLog.record(me(), "recruitment-step.add", step, after={"name": step.name, "kind": step.kind})
    return _done(gettext("Step “%(name)s” added.", name=step.name))


@bp.post("/recruitment-steps/<int:step_id>")
@admin_required
def recruitment_step_rename(step_id):
    step = recruitment_step_or_404(step_id)
    form = StepForm(data={"kind": step.kind})
    form.kind.data = step.kind
    refusal = _refusal(form, step.id) if form.validate() else form.name.errors[0]
    if refusal:
        return _done(refusal, "error")
    with write_transaction():
        AuditLog.record(
            me(), "recruitment-step.rename", step, before={"name": step.name}, after={"name": form.name.data.strip()}
        )
        RecruitmentStep.update(name=form.name.data.strip()).where(RecruitmentStep.id == step.id).execute()
    return _done(gettext("Step renamed."))


@bp.post("/recruitment-steps/<int:step_id>/move")
@admin_required
def recruitment_step_move(step_id):
    step = recruitment_step_or_404(step_id)
    with write_transaction():
        steps = list(RecruitmentStep.ordered())
        at = [s.id for s in steps].index(step.id)
        to = at - 1 if request.form.get("direction") == "up" else at + 1
        if 0 <= to < len(steps):
            steps[at], steps[to] = steps[to], steps[at]
            for position, s in enumerate(steps):
                RecruitmentStep.update(position=position).where(RecruitmentStep.id == s.id).execute()
            AuditLog.record(me(), "recruitment-step.move", step, after={"position": to})
    return _done(gettext("Step “%(name)s” moved.", name=step.name))


@bp.post("/recruitment-steps/<int:step_id>/remove")
@admin_required
def recruitment_step_remove(step_id):
    step = recruitment_step_or_404(step_id)
    with write_transaction():
        AuditLog.record(me(), "recruitment-step.remove", step, before={"name": step.name, "kind": step.kind})
        step.delete_instance()  # what it recorded on applications goes with it
    return _done(gettext("Step “%(name)s” removed.", name=step.name))
