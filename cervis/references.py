"""References: each referee is asked by e-mail once the applicant has confirmed their address, with a
signed link to a short form (no account); reminded after 7 and 14 days at most; a reference received
ticks its step. What a referee writes is given in confidence: only administrators and the
applicant's group leaders read it (vetting.application_for_leader decides who)."""

from datetime import timedelta

import peewee

from . import email_kinds, emails, signed_links
from .db import database, utcnow, write_transaction
from .models import OPEN, Application, RecruitmentStep, Reference, StepDone

REMIND_AFTER = (timedelta(days=7), timedelta(days=14))  # from the request; never a third


def link(reference):
    return emails.absolute("referee.reference", token=signed_links.REFERENCE.make({"r": reference.id}))


def from_link(token):
    """The reference this link asks for (its application still kept); else None."""
    reference_id = signed_links.REFERENCE.read_id(token, "r")
    if reference_id is None:
        return None
    return Reference.select(Reference, Application).join(Application).where(Reference.id == reference_id).first()


def _letter(send, reference, key):
    """send (an email_kinds function) queued once per key: a second run, a restart or a second
    scheduler queues nothing (None)."""
    application = reference.application
    applicant = f"{application.first_name} {application.last_name}".strip()
    try:
        with database.atomic():
            return send(reference, applicant, link(reference), key)
    except peewee.IntegrityError:
        return None


def ask(application):
    """E-mail each referee not yet asked. Call it inside the transaction that confirms the
    application; how many were asked."""
    asked, now = 0, utcnow()
    for reference in application.references.where(Reference.requested_at.is_null()):
        reference.application = application
        if _letter(email_kinds.reference_request, reference, f"reference-request:{reference.id}") is not None:
            Reference.update(requested_at=now).where(Reference.id == reference.id).execute()
            asked += 1
    return asked


def due_reminders(now):
    """References asked for, not received, whose next reminder is due (at most two)."""
    waiting = (
        Reference.select(Reference, Application)
        .join(Application)
        .where(
            Application.status == OPEN,
            Reference.requested_at.is_null(False),
            Reference.received_at.is_null(),
            Reference.reminders < len(REMIND_AFTER),
        )
    )
    return [r for r in waiting if r.requested_at + REMIND_AFTER[r.reminders] <= now]


def send_reminders(now=None):
    now, sent = now or utcnow(), 0
    for reference in due_reminders(now):
        stage = reference.reminders + 1
        with write_transaction():
            # Claimed with the email in one transaction, and keyed by stage: never twice, never none.
            claimed = (
                Reference.update(reminders=stage, reminded_at=now)
                .where(Reference.id == reference.id, Reference.reminders == stage - 1, Reference.received_at.is_null())
                .execute()
            )
            if claimed and _letter(
                email_kinds.reference_reminder, reference, f"reference-reminder:{reference.id}:{stage}"
            ):
                sent += 1
    return sent


def remind_referees(app, now=None):
    """The scheduler's job (its name is its id there: unique among the jobs)."""
    with app.app_context(), database.connection_context():
        return send_reminders(now)


def receive(reference, known_for, capacity, concerns, text):
    """The referee's answer; ticks the matching reference step. False when it was already given."""
    now = utcnow()
    with write_transaction():
        given = (
            Reference.update(known_for=known_for, capacity=capacity, concerns=concerns, text=text, received_at=now)
            .where(Reference.id == reference.id, Reference.received_at.is_null())
            .execute()
        )
        if not given:
            return False
        step = RecruitmentStep.get_or_none(RecruitmentStep.kind == f"reference-{reference.number}")
        if step is not None:
            StepDone.insert(
                application=reference.application_id, step=step, done_at=now, note=f"From {reference.name}"
            ).on_conflict_ignore().execute()
    return True


def state(reference):
    """What the leader sees: "received", "reminded", "requested" or "not yet requested"."""
    if reference.received_at:
        return "received"
    if reference.reminders:
        return "reminded"
    return "requested" if reference.requested_at else "not yet requested"


def givers(user):
    """For Download My Data: who gave references for this volunteer's application, never what they said."""
    return list(
        Reference.select(Reference.name, Reference.received_at)
        .join(Application)
        .where(Application.user == user, Reference.received_at.is_null(False))
        .order_by(Reference.number)
    )
