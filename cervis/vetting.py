"""Safer recruitment: an application's steps, approving (the account is made only
then) and declining, and erasing what is kept no longer. Who may see an application is
cervis/permissions.py's to say."""

from datetime import timedelta

import peewee
from peewee import fn

from . import accounts, email_kinds, outbox
from .db import database, utcnow, write_transaction
from .models import (
    APPROVED,
    DECLINED,
    OPEN,
    UNCONFIRMED,
    WITHDRAWN,
    Application,
    ApplicationGroup,
    AuditLog,
    Email,
    Group,
    Organisation,
    Profile,
    Qualification,
    QualificationGrant,
    RecruitmentStep,
    Reference,
    Role,
    RoleRequirement,
    StepDone,
    User,
)

ABANDONED_AFTER = timedelta(days=7)  # never confirmed: erased
TICKED_BY_HAND = ("manual", "dbs")  # CERVIS ticks the e-mail and reference steps itself


def group_ids(application):
    return [link.group_id for link in ApplicationGroup.select().where(ApplicationGroup.application == application)]


def needs_dbs(application):
    """A role in one of the chosen groups needs a criminal-record check."""
    return (
        RoleRequirement.select()
        .join(Qualification)
        .switch(RoleRequirement)
        .join(Role)
        .where(Qualification.criminal_record_check == True, Role.group.in_(group_ids(application) or [0]))
        .exists()
    )


def steps(application):
    """[(step, StepDone or None)] in the organisation's order; the DBS step only where it counts."""
    done = {d.step_id: d for d in StepDone.select().where(StepDone.application == application)}
    dbs = None
    found = []
    for step in RecruitmentStep.ordered():
        if step.kind == "dbs":
            dbs = needs_dbs(application) if dbs is None else dbs
            if not dbs:
                continue
        found.append((step, done.get(step.id)))
    return found


def mark_done(actor, application, step, note=""):
    """A leader ticks a step; ticking it again changes nothing. True when it was ticked now."""
    with write_transaction():
        try:
            with database.atomic():
                done = StepDone.create(application=application, step=step, done_by=actor, note=note)
        except peewee.IntegrityError:
            return False
        AuditLog.record(actor, "application.step", application, after={"step": step.name, "note": note})
    return done is not None


def _claim(application, status, actor):
    """Move an open application to its decision; False when someone else decided it first."""
    return (
        Application.update(status=status, decided_at=utcnow(), decided_by=actor)
        .where(Application.id == application.id, Application.status == OPEN)
        .execute()
        == 1
    )


def approve(actor, application):
    """The account, its memberships and its qualifications, in one transaction; then the welcome
    e-mail into the guide's first log-in. None when it was already decided (or the address is taken)."""
    temporary = accounts.make_temporary_password()  # the slow hash, before the write lock
    with write_transaction():
        # Someone already holds the address (they joined meanwhile): the leader adds them to the groups instead.
        if User.by_email(application.email) is not None or not _claim(application, APPROVED, actor):
            return None
        groups = list(Group.select().where(Group.id.in_(group_ids(application) or [0])))
        user = accounts.create_volunteer(
            actor,
            application.email,
            application.first_name,
            application.last_name,
            application.phone,
            groups,
            temporary,
        )
        Profile.update(frequency=application.frequency_id).where(Profile.user == user).execute()
        Application.update(user=user).where(Application.id == application.id).execute()
        _grant_steps(actor, application, user)
        AuditLog.record(actor, "application.approve", application, after={"user": user.id, "email": user.email})
    return user


def _grant_steps(actor, application, user):
    """A step done that has a qualification's name becomes that qualification, from the day it was done."""
    for step, done in steps(application):
        qualification = Qualification.get_or_none(Qualification.name == step.name)
        if done is not None and qualification is not None:
            gained = done.done_at.date()
            expires = None
            if qualification.valid_months:
                expires = gained + timedelta(days=round(qualification.valid_months * 30.44))
            QualificationGrant.create(
                volunteer=user,
                qualification=qualification,
                gained_on=gained,
                expires_on=expires,
                recorded_by=actor,
                note="From the application",
            )


def decline(actor, application):
    """A kind e-mail (its opening is the administrators' to write); False when already decided."""
    with write_transaction():
        if not _claim(application, DECLINED, actor):
            return False
        email_kinds.application_declined(application)
        AuditLog.record(actor, "application.decline", application, after={"email": application.email})
    return True


def to_erase(now=None):
    """What the retention job will erase: decided-against applications past the organisation's
    period, and ones never confirmed after 7 days. (References go with their application.)"""
    now = now or utcnow()
    months = Organisation.current().application_retention_months
    ended = now - timedelta(days=round(months * 30.44))
    return (
        Application.select()
        .where(
            (
                Application.status.in_([DECLINED, WITHDRAWN])
                & (fn.COALESCE(Application.decided_at, Application.created_at) < ended)
            )
            | ((Application.status == UNCONFIRMED) & (Application.created_at < now - ABANDONED_AFTER))
        )
        .order_by(Application.created_at)
    )


def erase_applications(query):
    """These applications, their references and steps, and the e-mails about them (to the applicant
    and the referees, who are named in them); returns the e-mails' files, to delete once committed."""
    ids = [a.id for a in query] or [0]
    refs = [r.id for r in Reference.select(Reference.id).where(Reference.application.in_(ids))] or [0]
    about = ((Email.subject_type == "Application") & Email.subject_id.in_(ids)) | (
        (Email.subject_type == "Reference") & Email.subject_id.in_(refs)
    )
    files = [outbox.eml_path(e) for e in Email.select().where(about)]
    Email.delete().where(about).execute()
    Application.delete().where(Application.id.in_(ids)).execute()  # references and steps cascade
    return files


def erase_due(now=None):
    """How many were erased; a second run finds none."""
    with write_transaction():
        due = list(to_erase(now))
        files = erase_applications(due) if due else []
        if due:
            AuditLog.record(None, "application.erase", after={"count": len(due)})
    for path in files:
        path.unlink(missing_ok=True)
    return len(due)


def application_retention(app, now=None):
    """The scheduler's job (its name is its id there: unique among the jobs)."""
    with app.app_context(), database.connection_context():
        return erase_due(now)
