"""Erasing a volunteer (UK GDPR's right to erasure), with the family members they registered.

What stays is what keeps the rota's past right: their registrations and attendance, on a nameless
account ("Erased volunteer"), without notes or reasons, so each past slot still counts its people
and hours. Everything that says who they were goes: profile, e-mail, phone, notes, memberships,
their emails and documents, the audit log's copies of their data (the log keeps the fact of the
erasure). SQLite overwrites what it deletes (secure_delete) and the write-ahead log is emptied
after, so the words are not left in the database's files either.
"""
import html
import re
from pathlib import Path

from flask import current_app

from . import outbox
from .db import database, is_sqlite, utcnow, write_transaction
from .models import (CANCELLED, PENDING, REGISTERED, AuditLog, CalendarFeed, CoverAsk, Document, Email,
                     EmailAttachment, Erasure, LeaderNote, Membership, OpportunityUnlock, Profile,
                     Registration, RegistrationEvent, ServiceRecord, Slot, Throttle, User)
from .models.docs import VOLUNTEER
from .models.people import new_token

ERASED_FIRST, ERASED_LAST = "Erased", "volunteer"
REDACTED = "[erased]"


class CannotErase(Exception):
    pass


def refusal(actor, volunteer):
    """Why this administrator may not erase this person, or None."""
    if volunteer.id == actor.id:
        return "You cannot erase your own account."
    if volunteer.is_admin:
        return "Take away their administrator rights first: an administrator cannot be erased."
    if is_erased(volunteer):
        return "This volunteer has already been erased."
    return None


def is_erased(user):
    return Erasure.select().where(Erasure.user == user, Erasure.erased_at.is_null(False)).exists()


def erase(actor, volunteer, now=None):
    """Erase the volunteer and their family members in one transaction; returns what was kept."""
    reason = refusal(actor, volunteer)
    if reason:
        raise CannotErase(reason)
    now = now or utcnow()
    people = volunteer.household()
    ids = [p.id for p in people]
    marks = _identifying_words(people)
    with write_transaction():
        kept = _anonymise_history(ids, now)
        files = _delete_personal_rows(people, ids)
        _redact_mentions(marks)
        _wipe_people(ids, now)
        AuditLog.record(actor, "volunteer.erase", volunteer,
                        after={"family_members": len(ids) - 1, **kept})
    for path in files:
        path.unlink(missing_ok=True)
    checkpoint()
    return kept


def _identifying_words(people):
    """What would say who they were, in any text: names, e-mail, phones, addresses."""
    words = set()
    for p in people:
        profile = Profile.get_or_none(Profile.user == p)
        words |= {p.name, p.first_name, p.last_name, p.email or ""}
        if profile:
            words |= {profile.mobile, profile.emergency_phone, profile.emergency_name,
                      profile.address, profile.postcode}
    words = {w.strip() for w in words if w and len(w.strip()) >= 2}
    return sorted(words | {html.escape(w) for w in words}, key=len, reverse=True)


def _anonymise_history(ids, now):
    """Past registrations and service stay (the counts); future offers are withdrawn."""
    theirs = Registration.volunteer.in_(ids)
    future = [r.id for r in Registration.select(Registration.id).join(Slot).where(
        theirs, Slot.starts_at > now, Registration.status.in_([PENDING, REGISTERED]))]
    if future:
        Registration.update(status=CANCELLED, cancelled_at=now, updated_at=now).where(
            Registration.id.in_(future)).execute()
        RegistrationEvent.insert_many([{"registration": r, "status": CANCELLED, "at": now}
                                       for r in future]).execute()
    Registration.update(note="", cancel_reason="").where(theirs).execute()
    RegistrationEvent.update(note="").where(RegistrationEvent.registration.in_(
        Registration.select(Registration.id).where(theirs))).execute()
    ServiceRecord.update(description="").where(ServiceRecord.volunteer.in_(ids)).execute()
    return {"registrations_kept": Registration.select().where(theirs).count(),
            "future_offers_withdrawn": len(future)}


def _delete_personal_rows(people, ids):
    """Profile, memberships, notes, unlocks, their emails and documents; returns files to delete."""
    from .privacy import audit_about

    files = []
    docs = list(Document.select().where(Document.audience == VOLUNTEER, Document.volunteer.in_(ids)))
    files += [Path(current_app.config["DOCUMENTS_DIR"]) / d.stored_name for d in docs]
    addresses = [p.email for p in people if p.email]
    theirs = Email.user.in_(ids) | Email.to_addr.in_(addresses or [""])
    files += [outbox.eml_path(e) for e in Email.select().where(theirs)]
    # The audit log keeps that something happened to them, not what it said.
    AuditLog.update(before="", after="").where(AuditLog.id.in_(
        [a.id for a in audit_about(people)])).execute()
    for query in (Document.delete().where(Document.id.in_([d.id for d in docs] or [0])),
                  Email.delete().where(theirs),
                  Profile.delete().where(Profile.user.in_(ids)),
                  Membership.delete().where(Membership.user.in_(ids)),
                  LeaderNote.delete().where(LeaderNote.volunteer.in_(ids)),
                  CoverAsk.delete().where(CoverAsk.volunteer.in_(ids)),
                  CalendarFeed.delete().where(CalendarFeed.user.in_(ids)),
                  OpportunityUnlock.delete().where(OpportunityUnlock.user.in_(ids))):
        query.execute()
    for address in addresses:
        Throttle.delete().where(Throttle.key.endswith(":" + address)).execute()
    return files


def _redact_mentions(marks):
    """Other people's emails and audit entries that name them: the name goes, the rest stays."""
    strong = [m for m in marks if "@" in m or " " in m.strip() or any(c.isdigit() for c in m)]
    if not strong:
        return
    pattern = re.compile("|".join(re.escape(m) for m in marks), re.IGNORECASE)
    for model, fields in ((Email, ("subject", "body_text", "body_html", "to_name")),
                          (EmailAttachment, ("filename", "content")),
                          (AuditLog, ("before", "after")), (LeaderNote, ("text",)),
                          (RegistrationEvent, ("note",)), (Registration, ("note", "cancel_reason"))):
        mentions = None
        for field in fields:
            for mark in strong:
                clause = getattr(model, field).contains(mark)
                mentions = clause if mentions is None else mentions | clause
        for row in model.select().where(mentions):
            changes = {f: pattern.sub(REDACTED, getattr(row, f)) for f in fields}
            model.update(**changes).where(model.id == row.id).execute()
            if model in (Email, EmailAttachment):
                outbox.eml_path(row if model is Email else row.email).unlink(missing_ok=True)  # its copy too


def _wipe_people(ids, now):
    User.update(first_name=ERASED_FIRST, last_name=ERASED_LAST, email=None, password_hash=None,
                temp_password_hash=None, temp_password_expires=None, must_change_password=False,
                session_token=new_token(), active=False, is_admin=False, leader_seen_at=None,
                ).where(User.id.in_(ids)).execute()
    for user_id in ids:
        updated = Erasure.update(erased_at=now).where(Erasure.user == user_id).execute()
        if not updated:
            Erasure.create(user=user_id, erased_at=now)


def checkpoint():
    """Copy the write-ahead log into the database and empty it: the old pages leave the disk."""
    if not is_sqlite():
        return
    for _ in range(5):
        busy = database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        if not busy:
            return
