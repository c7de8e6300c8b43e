"""Becoming a volunteer, the applicant's side: apply, confirm the e-mail address, see the steps, withdraw.

The leaders' side (the queue, the steps they tick, references, approval) builds on these functions.
"""

from .translated import lazy_gettext
from . import email_kinds, emails, references
from .db import utcnow, write_transaction
from .models import (
    APPROVED,
    DECLINED,
    OPEN,
    UNCONFIRMED,
    WITHDRAWN,
    Application,
    ApplicationGroup,
    AuditLog,
    Group,
    RecruitmentStep,
    Reference,
    StepDone,
    User,
)
from .models.people import normal_email
from .signed_links import APPLICATION

# The organisation's steps until an administrator edits them: (name, kind).
DEFAULT_STEPS = [
    (lazy_gettext("E-mail confirmed"), "email"),
    (lazy_gettext("Reference 1 received"), "reference-1"),
    (lazy_gettext("Reference 2 received"), "reference-2"),
    (lazy_gettext("Interview or induction attended"), "manual"),
    (lazy_gettext("Volunteer agreement accepted"), "manual"),
    (lazy_gettext("DBS check"), "dbs"),
]
# What the applicant reads about each step, by its state: plain words, never a reference's content.
STATES = {
    UNCONFIRMED: lazy_gettext("Waiting for you to confirm your e-mail address"),
    OPEN: lazy_gettext("In progress"),
    APPROVED: lazy_gettext("Approved: welcome!"),
    DECLINED: lazy_gettext("Not taken further"),
    WITHDRAWN: lazy_gettext("Withdrawn by you"),
}


def default_steps():
    """The default steps, made once: an organisation that has any steps keeps its own. Call inside a write."""
    if not RecruitmentStep.select().exists():
        for position, (name, kind) in enumerate(DEFAULT_STEPS):
            RecruitmentStep.create(name=name, kind=kind, position=position)
    return list(RecruitmentStep.ordered())


def link(application):
    """The applicant's own page, which also confirms their address the first time it is opened."""
    return emails.absolute("apply.own_page", token=APPLICATION.make({"a": application.id}))


def from_link(token):
    application_id = APPLICATION.read_id(token, "a")
    return Application.get_or_none(Application.id == application_id) if application_id else None


def apply(details, group_ids, referees):
    """One application from the form, or for an address that already has an account an e-mail saying so
    instead (or, for one switched off, to contact us): the visitor's answer is the same either way. details: first_name, last_name, email, phone,
    frequency (id or None); referees: two dicts of name, email, relationship."""
    email = normal_email(details["email"])
    with write_transaction():
        user = User.by_email(email)
        if user is not None:
            if user.active:
                email_kinds.application_has_account(user, emails.absolute("auth.reset"))
            else:  # "log in" would not work for them; the organisation knows why it was switched off
                email_kinds.application_inactive_account(user)
            return None
        pending = (
            Application.select()
            .where(Application.email == email, Application.status == UNCONFIRMED)
            .order_by(Application.id.desc())
            .first()
        )
        if pending is None:
            pending = _new_application(dict(details, email=email), group_ids, referees)
        email_kinds.application_confirm(pending, link(pending))
        return pending


def _new_application(details, group_ids, referees):
    application = Application.create(**details)
    groups = Group.select(Group.id).where(Group.id.in_(list(group_ids) or [0]))
    for group in groups:
        ApplicationGroup.create(application=application, group=group)
    for number, referee in enumerate(referees, start=1):
        Reference.create(application=application, number=number, **referee)
    return application


def confirm(application):
    """The address is confirmed (its link was opened): the application opens and its referees are asked.
    Opening the link again changes nothing. True when it was confirmed just now."""
    with write_transaction():
        application = Application.get_by_id(application.id)  # read again under the lock
        if application.status != UNCONFIRMED:
            return False
        application.status, application.confirmed_at = OPEN, utcnow()
        application.save()
        step = next((s for s in default_steps() if s.kind == "email"), None)
        if step is not None:
            StepDone.get_or_create(application=application, step=step)
        confirmed(application)
        return True


def confirmed(application):
    """Called once, inside confirm()'s transaction, when an address is confirmed: only now are the
    referees asked (an address nobody confirmed never makes us e-mail strangers)."""
    references.ask(application)


def steps(application):
    """[(name, done_at or None)] in the organisation's order: what the applicant's page shows."""
    done = {d.step_id: d.done_at for d in StepDone.select().where(StepDone.application == application)}
    return [(step.name, done.get(step.id)) for step in RecruitmentStep.ordered()]


def may_withdraw(application):
    return application.status in (UNCONFIRMED, OPEN)


def withdraw(application):
    """The applicant withdraws; audited. False when it was already decided or withdrawn."""
    with write_transaction():
        application = Application.get_by_id(application.id)
        if not may_withdraw(application):
            return False
        before = application.status
        application.status, application.decided_at = WITHDRAWN, utcnow()
        application.save()
        AuditLog.record(
            None, "application withdrawn", application, before={"status": before}, after={"status": WITHDRAWN}
        )
        return True
