"""Training and checks: who holds which qualification until when, proof sent in, criminal-record checks.

A grant is valid through its expiry date (a slot on that day still counts it, cervis/eligibility.py).
A criminal-record check keeps only what UK guidance allows (level, certificate number, issue date,
the decision, who decided and when) and its details are for administrators: leaders see "checked
until DATE" or "not checked".
"""

from .translated import lazy_gettext
import calendar
from datetime import date, timedelta

import peewee

from . import proof_files
from .db import utcnow, write_transaction
from .models import (
    GRANTED,
    NOT_CLEARED,
    WAITING,
    AuditLog,
    Membership,
    Qualification,
    QualificationGrant,
    RecordCheck,
    RoleRequirement,
)

SOON_DAYS = 60
VALID, EXPIRING, EXPIRED, WAITING_STATE, NOT_CLEARED_STATE = "valid", "expiring", "expired", "waiting", "not-cleared"
STATE_WORDS = {
    VALID: lazy_gettext("Valid"),
    EXPIRING: lazy_gettext("Expiring within 60 days"),
    EXPIRED: lazy_gettext("Expired"),
    WAITING_STATE: lazy_gettext("Waiting to be checked"),
    NOT_CLEARED_STATE: lazy_gettext("Not cleared"),
}
LEVELS = [
    ("basic", lazy_gettext("Basic")),
    ("standard", lazy_gettext("Standard")),
    ("enhanced", lazy_gettext("Enhanced")),
    ("enhanced-barred", lazy_gettext("Enhanced with barred lists")),
]


class TrainingRefused(ValueError):
    """Why this cannot be recorded, in words for the person who tried."""


def add_months(day, months):
    """The same day-of-month `months` later (31 January + 1 month: 28 or 29 February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_expiry(qualification, gained_on):
    if qualification.valid_months is None or gained_on is None:
        return None
    return add_months(gained_on, qualification.valid_months)


def state_of(grant, today):
    if grant.state == WAITING:
        return WAITING_STATE
    if grant.state == NOT_CLEARED:
        return NOT_CLEARED_STATE
    if grant.expires_on is None or grant.expires_on > today + timedelta(days=SOON_DAYS):
        return VALID
    return EXPIRED if grant.expires_on < today else EXPIRING


def leader_words(grant, today):
    """A criminal-record check as a leader may see it: "Checked until DATE" or "Not checked"."""
    if grant.state != GRANTED or (grant.expires_on is not None and grant.expires_on < today):
        return "Not checked"
    return f"Checked until {grant.expires_on:%-d %B %Y}" if grant.expires_on else "Checked"


def grants_of(volunteer_ids):
    """These volunteers' grants with their qualification, in the list's order."""
    return list(
        QualificationGrant.select(QualificationGrant, Qualification)
        .join(Qualification)
        .where(QualificationGrant.volunteer.in_(list(volunteer_ids) or [0]))
        .order_by(Qualification.position, Qualification.name)
    )


def checks_of(grants):
    """{grant id: RecordCheck} for these grants: for administrators' eyes and the volunteer's own."""
    ids = [g.id for g in grants if g.qualification.criminal_record_check]
    return {c.grant_id: c for c in RecordCheck.select().where(RecordCheck.grant.in_(ids or [0]))}


def _describe(grant, check=None):
    data = {
        "volunteer": grant.volunteer_id,
        "qualification": grant.qualification.name,
        "state": grant.state,
        "gained_on": grant.gained_on,
        "expires_on": grant.expires_on,
        "note": grant.note,
    }
    if check is not None:  # the decision only: the certificate number stays out of the log
        data.update(level=check.level, issued_on=check.issued_on, cleared=check.cleared)
    return data


def record(actor, volunteer, qualification, gained_on, expires_on, note="", check=None):
    """Record (or record again) a qualification for a volunteer; `check` is the criminal-record
    check's details ({level, certificate_number, cleared}), required for one and refused otherwise.
    Returns the grant and the name of a proof file it replaced (deleted after the commit)."""
    if qualification.criminal_record_check != (check is not None):
        raise TrainingRefused(
            "A criminal-record check is recorded with its level, certificate number and decision."
            if check is None
            else "Only a criminal-record check has a certificate and decision."
        )
    if expires_on is not None and expires_on < gained_on:
        raise TrainingRefused("The expiry date is before the date gained.")
    with write_transaction():
        grant = QualificationGrant.get_or_none(volunteer=volunteer, qualification=qualification)
        before = _describe(grant) if grant else None
        old_proof = grant.proof_path if grant else None
        grant = grant or QualificationGrant(volunteer=volunteer, qualification=qualification)
        grant.state = GRANTED if check is None or check["cleared"] else NOT_CLEARED
        grant.gained_on, grant.expires_on, grant.note = gained_on, expires_on, note.strip()
        grant.recorded_by, grant.recorded_at = actor, utcnow()
        grant.proof_path, grant.proof_name, grant.proof_gained_on = None, "", None
        grant.save()
        saved = _save_check(grant, actor, gained_on, check) if check is not None else None
        AuditLog.record(
            actor,
            "training.update" if before else "training.record",
            grant,
            before=before,
            after=_describe(grant, saved),
        )
    proof_files.delete([old_proof])
    return grant


def _save_check(grant, actor, issued_on, check):
    row = RecordCheck.get_or_none(RecordCheck.grant == grant) or RecordCheck(grant=grant)
    row.level, row.certificate_number = check["level"], check["certificate_number"].strip()
    row.issued_on, row.cleared = issued_on, check["cleared"]
    row.decided_by, row.decided_at = actor, utcnow()
    row.save()
    return row


def remove(actor, grant):
    with write_transaction():
        AuditLog.record(actor, "training.remove", grant, before=_describe(grant))
        grant.delete_instance(recursive=True)
    proof_files.delete([grant.proof_path])


def send_proof(volunteer, qualification, gained_on, data):
    """The volunteer's proof of a training qualification, waiting for a leader to check it. A grant
    they hold keeps counting until the proof is decided (a renewal)."""
    if qualification.criminal_record_check:
        raise TrainingRefused("A criminal-record check is recorded by the administrators: please do not send it in.")
    if gained_on > date.today() + timedelta(days=1):
        raise TrainingRefused("The date gained is in the future.")
    kind, kept = proof_files.check_proof(data)
    name = proof_files.store(kind, kept)
    try:
        with write_transaction():
            grant = QualificationGrant.get_or_none(volunteer=volunteer, qualification=qualification)
            old = grant.proof_path if grant else None
            if grant is None:
                grant = QualificationGrant(
                    volunteer=volunteer,
                    qualification=qualification,
                    state=WAITING,
                    gained_on=gained_on,
                    expires_on=default_expiry(qualification, gained_on),
                )
            grant.proof_path, grant.proof_name, grant.proof_gained_on = name, f"proof.{kind}", gained_on
            grant.save()
            AuditLog.record(
                volunteer,
                "training.proof",
                grant,
                after={"qualification": qualification.name, "gained_on": gained_on, "file": kind},
            )
    except Exception:
        proof_files.delete([name])
        raise
    proof_files.delete([old])
    return grant


def decide(actor, grant, approve):
    """Approve (the grant counts from the date the proof gives) or refuse the proof; the file goes."""
    with write_transaction():
        before = _describe(grant)
        name = grant.proof_path
        if approve:
            grant.state, grant.gained_on = GRANTED, grant.proof_gained_on or grant.gained_on
            grant.expires_on = default_expiry(grant.qualification, grant.gained_on)
            grant.recorded_by, grant.recorded_at = actor, utcnow()
        grant.proof_path, grant.proof_name, grant.proof_gained_on = None, "", None
        if not approve and grant.state == WAITING:
            grant.delete_instance()  # nothing held, nothing to keep
        else:
            grant.save()
        AuditLog.record(
            actor, "training.approve" if approve else "training.refuse", grant, before=before, after=_describe(grant)
        )
    proof_files.delete([name])


def proofs_waiting(group):
    """How many of this group's members have proof waiting to be checked."""
    # From the proofs waiting (their own small index), each checked for membership: not every
    # member's grants (a join or IN would let the planner start from the members).
    member = Membership.select().where(Membership.user == QualificationGrant.volunteer, Membership.group == group)
    return (
        QualificationGrant.select()
        .where(QualificationGrant.proof_path.is_null(False), peewee.fn.EXISTS(member))
        .count()
    )


# What roles need (read by eligibility.needs_by_role) -------------------------------------------


def set_requirements(role, qualification_ids):
    """Inside the caller's transaction: the role needs exactly these; returns the names, before and after."""
    wanted = {q.id for q in Qualification.select().where(Qualification.id.in_(list(qualification_ids) or [0]))}
    have = {r.qualification_id for r in RoleRequirement.select().where(RoleRequirement.role == role)}
    RoleRequirement.delete().where(
        RoleRequirement.role == role, RoleRequirement.qualification.not_in(list(wanted) or [0])
    ).execute()
    for qualification_id in sorted(wanted - have):
        RoleRequirement.create(role=role, qualification=qualification_id)
    return have != wanted


# Data protection ----------------------------------------------------------------------------


def held_for_export(user):
    """The volunteer's training and checks for Download My Data: their own, every detail."""
    grants = grants_of([user.id])
    checks = checks_of(grants)
    out = []
    for grant in grants:
        item = {
            "qualification": grant.qualification.name,
            "state": STATE_WORDS[state_of(grant, date.today())],
            "gained_on": grant.gained_on,
            "expires_on": grant.expires_on,
            "note": grant.note,
            "proof_waiting": bool(grant.proof_path),
        }
        check = checks.get(grant.id)
        if check is not None:
            item.update(
                check_level=dict(LEVELS).get(check.level, check.level),
                certificate_number=check.certificate_number,
                issued_on=check.issued_on,
                cleared=check.cleared,
                decided_at=check.decided_at,
            )
        out.append(item)
    return out


def erase_for(ids):
    """Inside the erasure's transaction: their grants and checks go; returns the proof files to delete."""
    theirs = QualificationGrant.volunteer.in_(list(ids) or [0])
    files = [g.proof_path for g in QualificationGrant.select(QualificationGrant.proof_path).where(theirs)]
    grant_ids = QualificationGrant.select(QualificationGrant.id).where(theirs)
    RecordCheck.delete().where(RecordCheck.grant.in_(grant_ids)).execute()
    QualificationGrant.delete().where(theirs).execute()
    return [proof_files.path_of(f) for f in files if f]
