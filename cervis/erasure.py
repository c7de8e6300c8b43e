"""Erasing a volunteer (UK GDPR's right to erasure), with the family members they registered.

What stays is what keeps the rota's past right: their registrations and attendance, on a nameless
account named "Erased volunteer", without notes or reasons, so each past slot still counts its
people and hours. Everything that says who they were goes: profile, e-mail, phone, notes,
memberships, the emails to them and documents, the audit log's copies of their data (the log keeps
the fact of the erasure). Other people's emails and records keep every word but their full name,
e-mail address and phones (cervis/mentions.py), and the .eml copies are written again, not deleted. SQLite overwrites what it deletes (secure_delete) and the write-ahead log is emptied
after, so the words are not left in the database's files either.
"""

import hashlib
import hmac
import json
import os
from pathlib import Path

from flask import current_app

from . import cancellation, outbox, training, vetting
from .db import database, is_sqlite, utcnow, write_transaction
from .models import (
    CANCELLED,
    PENDING,
    REGISTERED,
    Application,
    AuditLog,
    AwayRange,
    CalendarFeed,
    CoverAsk,
    Document,
    Email,
    EmailAttachment,
    Erasure,
    LeaderNote,
    Membership,
    OpportunityUnlock,
    Organisation,
    Profile,
    Registration,
    RegistrationEvent,
    ServiceRecord,
    Slot,
    Throttle,
    User,
    VolunteerLimit,
    WaitingListEntry,
)
from .models.docs import VOLUNTEER
from .mentions import ERASED_NAME, Mentions
from .models.people import new_token
from .models.waiting import LEFT

ERASED_FIRST, ERASED_LAST = ERASED_NAME.split()
LOG = "erasures.log"


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
    kept = _erase(actor, volunteer, now)
    _log(volunteer, now)
    return kept


def _erase(actor, volunteer, now):
    people = volunteer.household()
    ids = [p.id for p in people]
    mentions = Mentions(people, list(Profile.select().where(Profile.user.in_(ids))))
    with write_transaction():
        kept = _anonymise_history(ids, now)
        files = _delete_personal_rows(people, ids)
        rewritten = _redact_mentions(mentions)
        _wipe_people(ids, now)
        AuditLog.record(actor, "volunteer.erase", volunteer, after={"family_members": len(ids) - 1, **kept})
    for path in files:
        path.unlink(missing_ok=True)
    _rewrite_copies(rewritten)
    checkpoint()
    return kept


# The erasure log ------------------------------------------------------------------------------
# instance/erasures.log, outside the backups: a line per erasure with the account's id and its
# e-mail keyed-hashed with the instance's secret (no personal data), so a restore of an older
# backup erases them again.


def _email_key(email):
    key = current_app.config["SECRET_KEY"]
    return hmac.new(
        key.encode() if isinstance(key, str) else key, email.strip().lower().encode(), hashlib.sha256
    ).hexdigest()


def _log(volunteer, now):
    line = (
        json.dumps(
            {
                "user": volunteer.id,
                "email": _email_key(volunteer.email) if volunteer.email else None,
                "erased_at": now.isoformat(),
            }
        )
        + "\n"
    )
    fd = os.open(Path(current_app.instance_path) / LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode())
        os.fsync(fd)  # an erasure acknowledged is one a restore will repeat
    finally:
        os.close(fd)


def logged():
    path = Path(current_app.instance_path) / LOG
    entries = []
    for line in path.read_text().splitlines() if path.exists() else []:
        try:
            entries.append(json.loads(line))
        except ValueError:
            continue  # a line cut short by a power cut
    return entries


def erase_again():
    """After a restore: every logged erasure the restored database does not hold, done again
    (with the secret the log was written with: the one before the restore). Their account ids."""
    done = []
    for entry in logged():
        person = _logged_person(entry)
        if person is not None and not is_erased(person):
            _erase(None, person, utcnow())
            done.append(person.id)
    return done


def _logged_person(entry):
    """The account by its e-mail's keyed hash (ids can differ in another database), or by its id
    for a family member without an e-mail."""
    if not entry.get("email"):
        return User.get_or_none(User.id == entry.get("user"), User.email.is_null())
    by_id = User.get_or_none(User.id == entry.get("user"))
    if by_id is not None and by_id.email and _email_key(by_id.email) == entry["email"]:
        return by_id
    return next(
        (u for u in User.select().where(User.email.is_null(False)) if _email_key(u.email) == entry["email"]), None
    )


def _anonymise_history(ids, now):
    """Past registrations and service stay (the counts); future offers are withdrawn."""
    theirs = Registration.volunteer.in_(ids)
    rows = list(
        Registration.select(Registration.id, Registration.slot, Registration.status)
        .join(Slot)
        .where(theirs, Slot.starts_at > now, Registration.status.in_([PENDING, REGISTERED]))
    )
    future = [r.id for r in rows]
    WaitingListEntry.update(left_at=now, outcome=LEFT).where(
        WaitingListEntry.volunteer.in_(ids), WaitingListEntry.left_at.is_null()
    ).execute()
    if future:
        Registration.update(status=CANCELLED, cancelled_at=now, updated_at=now).where(
            Registration.id.in_(future)
        ).execute()
        RegistrationEvent.insert_many([{"registration": r, "status": CANCELLED, "at": now} for r in future]).execute()
        cancellation.places_freed([r.slot_id for r in rows if r.status == REGISTERED], now)  # the waiting lists'
    Registration.update(note="", cancel_reason="").where(theirs).execute()
    RegistrationEvent.update(note="").where(
        RegistrationEvent.registration.in_(Registration.select(Registration.id).where(theirs))
    ).execute()
    ServiceRecord.update(description="").where(ServiceRecord.volunteer.in_(ids)).execute()
    return {"registrations_kept": Registration.select().where(theirs).count(), "future_offers_withdrawn": len(future)}


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
    AuditLog.update(before="", after="").where(AuditLog.id.in_([a.id for a in audit_about(people)])).execute()
    files += training.erase_for(ids)  # criminal-offence data among them: nothing of it stays
    files += vetting.erase_applications(Application.select().where(Application.user.in_(ids)))  # and references
    for query in (
        Document.delete().where(Document.id.in_([d.id for d in docs] or [0])),
        Email.delete().where(theirs),
        Profile.delete().where(Profile.user.in_(ids)),
        Membership.delete().where(Membership.user.in_(ids)),
        LeaderNote.delete().where(LeaderNote.volunteer.in_(ids)),
        CoverAsk.delete().where(CoverAsk.volunteer.in_(ids)),
        CalendarFeed.delete().where(CalendarFeed.user.in_(ids)),
        OpportunityUnlock.delete().where(OpportunityUnlock.user.in_(ids)),
        AwayRange.delete().where(AwayRange.volunteer.in_(ids)),
        VolunteerLimit.delete().where(VolunteerLimit.volunteer.in_(ids)),
    ):
        query.execute()
    for address in addresses:
        Throttle.delete().where(Throttle.key.endswith(":" + address)).execute()
    return files


# Other people's records that can name them; an e-mail's from_name / reply_to are handled apart.
TEXTS = (
    (Email, ("subject", "body_text", "body_html")),
    (EmailAttachment, ("filename", "content")),
    (AuditLog, ("before", "after")),
    (LeaderNote, ("text",)),
    (RegistrationEvent, ("note",)),
    (Registration, ("note", "cancel_reason")),
)


def _redact_mentions(mentions):
    """Other people's e-mails and records that name them: their name, address and phone go, every
    other word stays. Returns the e-mails whose .eml copies must be written again."""
    rewritten = set()
    if not mentions.rules:
        return rewritten
    for model, fields in TEXTS:
        wide = list(fields) + (["from_name", "reply_to"] if model is Email else [])
        query = model.select().where(_holding(model, wide, mentions.fragments))
        for row in query:
            theirs = model is Email and (
                mentions.names_them(row.from_name) or row.reply_to.lower() in mentions.addresses
            )
            changes = {f: mentions.redact(getattr(row, f), theirs) for f in fields}
            if theirs:
                changes.update(from_name="", reply_to="")
            changes = {f: v for f, v in changes.items() if v != getattr(row, f)}
            if changes:
                model.update(**changes).where(model.id == row.id).execute()
                rewritten.add(row.id if model is Email else getattr(row, "email_id", None))
    return {i for i in rewritten if i} if rewritten else rewritten


def _holding(model, fields, fragments):
    """Rows that might name them (LIKE on each stored form), for the exact patterns to read."""
    # LIKE ignores ASCII case already; a balanced tree of ORs, which SQLite's parser can take.
    fragments = {f.lower() if f.isascii() else f for f in fragments}
    terms = [getattr(model, field).contains(f) for field in fields for f in sorted(fragments)]
    while len(terms) > 1:
        terms = [a | b for a, b in zip(terms[::2], terms[1::2])] + terms[len(terms) // 2 * 2 :]
    return terms[0]


def _rewrite_copies(email_ids):
    """Other people's .eml copies that named them are written again from the redacted rows: kept, not deleted."""
    org = Organisation.current()
    for email in Email.select().where(Email.id.in_(list(email_ids) or [0])):
        path = outbox.eml_path(email)
        if path.exists():
            part = path.with_suffix(".tmp")
            part.write_bytes(bytes(outbox.build_message(email, org)))
            os.replace(part, path)


def _wipe_people(ids, now):
    User.update(
        first_name=ERASED_FIRST,
        last_name=ERASED_LAST,
        email=None,
        password_hash=None,
        temp_password_hash=None,
        temp_password_expires=None,
        must_change_password=False,
        session_token=new_token(),
        active=False,
        is_admin=False,
        leader_seen_at=None,
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
