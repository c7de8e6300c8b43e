"""Applications: the queue (oldest first), one application's steps and references, a step ticked,
Approve and Decline. Leaders see the applications naming a group they lead; administrators all."""

from flask_babel import gettext
from ..translated import lazy_gettext
from flask import abort, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length

from .. import references, vetting
from ..auth import leader_required
from ..htmx import answered
from ..models import (
    APPROVED,
    DECLINED,
    OPEN,
    WITHDRAWN,
    Application,
    ApplicationGroup,
    Group,
    RecruitmentStep,
    Reference,
)
from ..permissions import application_for_leader, applications_visible_to, as_id, groups_led_by
from . import bp

STATES = {
    OPEN: lazy_gettext("Open"),
    APPROVED: lazy_gettext("Approved"),
    DECLINED: lazy_gettext("Declined"),
    WITHDRAWN: lazy_gettext("Withdrawn"),
}


class StepForm(FlaskForm):
    note = TextAreaField(lazy_gettext("Note"), validators=[Length(max=2000)])


@bp.get("/applications")
@leader_required
def applications():
    groups = list(groups_led_by(current_user))
    group_id = as_id(request.args.get("group"))
    state = request.args.get("state", OPEN)
    state = state if state in STATES else OPEN
    query = applications_visible_to(current_user).where(Application.status == state)
    if group_id in {g.id for g in groups}:
        query = query.where(
            Application.id.in_(
                ApplicationGroup.select(ApplicationGroup.application).where(ApplicationGroup.group == group_id)
            )
        )
    rows = [(a, vetting.steps(a)) for a in query.order_by(Application.created_at, Application.id)]
    return render_template(
        "leader/applications.html", rows=rows, groups=groups, group_id=group_id, state=state, states=STATES
    )


@bp.get("/applications/<int:application_id>")
@leader_required
def application(application_id):
    found = application_for_leader(current_user, application_id)
    refs = list(Reference.select().where(Reference.application == found).order_by(Reference.number))
    groups = Group.select().where(Group.id.in_(vetting.group_ids(found) or [0])).order_by(Group.name)
    return render_template(
        "leader/application.html",
        application=found,
        steps=vetting.steps(found),
        references=[(r, references.state(r)) for r in refs],
        groups=list(groups),
        form=StepForm(),
        states=STATES,
    )


def _here(found):
    return url_for("leader.application", application_id=found.id)


@bp.post("/applications/<int:application_id>/steps/<int:step_id>")
@leader_required
def application_step(application_id, step_id):
    found = application_for_leader(current_user, application_id)
    step = RecruitmentStep.get_or_none(RecruitmentStep.id == step_id)
    if step is None or step.id not in {s.id for s, _ in vetting.steps(found)}:
        abort(404)
    form = StepForm()
    if found.status != OPEN or step.kind not in vetting.TICKED_BY_HAND or not form.validate():
        return answered(_here(found), gettext("That step cannot be marked done here."), "error")
    ticked = vetting.mark_done(current_user, found, step, (form.note.data or "").strip())
    return answered(
        _here(found),
        gettext("%(name)s: done.", name=step.name) if ticked else gettext("%(name)s was already done.", name=step.name),
    )


@bp.post("/applications/<int:application_id>/approve")
@leader_required
def application_approve(application_id):
    found = application_for_leader(current_user, application_id)
    user = vetting.approve(current_user, found)
    if user is None:
        return answered(
            _here(found),
            gettext(
                "Nothing was changed: this application is not open, or an account with its e-mail address already exists."
            ),
            "error",
        )
    return answered(
        _here(found), gettext("Approved: %(name)s has an account and has been sent the welcome e-mail.", name=user.name)
    )


@bp.post("/applications/<int:application_id>/decline")
@leader_required
def application_decline(application_id):
    found = application_for_leader(current_user, application_id)
    if not vetting.decline(current_user, found):
        return answered(_here(found), gettext("Nothing was changed: this application is not open."), "error")
    return answered(_here(found), gettext("Declined: the applicant has been sent the e-mail."))
