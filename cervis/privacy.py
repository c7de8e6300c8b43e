"""Data protection (UK GDPR): what we hold about a volunteer (Download My Data), erasure requests,
and retention (volunteers inactive for the organisation's chosen years, reminded monthly).

The erasure itself is cervis/erasure.py.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

import peewee

from . import email_kinds, emails, references, training
from .db import database, utcnow, write_transaction
from .models import (
    AnnouncementOptOut,
    Attendance,
    AwayRange,
    AuditLog,
    CalendarFeed,
    CoverAsk,
    Document,
    Email,
    Erasure,
    Group,
    LeaderMessageOptOut,
    LeaderNote,
    Membership,
    Opportunity,
    OpportunityUnlock,
    Organisation,
    Profile,
    QualificationGrant,
    Registration,
    RegistrationEvent,
    RetentionReminder,
    Role,
    ServiceRecord,
    Slot,
    User,
    VolunteerLimit,
)
from .models.docs import VOLUNTEER


def held_about(user, now=None):
    """Everything held about this volunteer and the family members they registered, as plain data."""
    people = user.household()
    ids = [p.id for p in people]
    return {
        "exported_at": now or utcnow(),
        "organisation": Organisation.current().name,
        "people": [_person(p) for p in people],
        "emails": [
            _email(e)
            for e in Email.select()
            .where(Email.user.in_(ids) | ((Email.to_addr == (user.email or "")) & (Email.to_addr != "")))
            .order_by(Email.created_at)
        ],
        "documents_posted_to_you": [
            {"title": d.title, "file": d.filename, "posted": d.uploaded_at}
            for d in Document.select().where(Document.audience == VOLUNTEER, Document.volunteer.in_(ids))
        ],
        "audit_log": [_audit(a, ids) for a in audit_about(people)],
    }


def _person(p):
    profile = Profile.get_or_none(Profile.user == p)
    return {
        "name": p.name,
        "email": p.email,
        "account_created": p.created_at,
        "active": p.active,
        "family_member_of": p.family_of.name if p.family_of_id else None,
        "groups": [
            {"group": m.group.name, "leader": m.is_leader, "joined": m.joined_at}
            for m in Membership.select(Membership, Group).join(Group).where(Membership.user == p)
        ],
        "profile": _profile(profile) if profile else None,
        "registrations": [
            _registration(r)
            for r in (
                Registration.select(Registration, Slot, Opportunity, Role)
                .join(Slot)
                .join(Opportunity)
                .switch(Slot)
                .join(Role)
                .where(Registration.volunteer == p)
                .order_by(Slot.starts_at)
            )
        ],
        "service_records": [
            {
                "day": s.day,
                "minutes": s.minutes,
                "description": s.description,
                "group": s.group.name if s.group_id else None,
            }
            for s in p.service_records.order_by(ServiceRecord.day)
        ],
        "attendance": [
            {
                "opportunity": a.slot.opportunity.name,
                "role": a.slot.role.name,
                "starts": a.slot.starts_at,
                "came": a.attended,
                "registered": a.registration_id is not None,
            }
            for a in Attendance.select().join(Slot).where(Attendance.volunteer == p).order_by(Slot.starts_at)
        ],
        "asked_to_cover": [
            {
                "opportunity": c.request.slot.opportunity.name,
                "starts": c.request.slot.starts_at,
                "asked": c.asked_at,
                "as_reserve": c.reserve,
                "you_covered": c.request.covered_by_id == p.id,
            }
            for c in CoverAsk.select().where(CoverAsk.volunteer == p).order_by(CoverAsk.asked_at)
        ],
        "calendar_feed_addresses_made": CalendarFeed.select().where(CalendarFeed.user == p).count(),
        "private_opportunities_unlocked": [
            {"opportunity": u.opportunity.name, "at": u.at} for u in p.unlocks.order_by(OpportunityUnlock.at)
        ],
        "training_and_checks": training.held_for_export(p),
        "away_dates": [
            {"from": a.starts_on, "to": a.ends_on, "note": a.note}
            for a in AwayRange.select().where(AwayRange.volunteer == p).order_by(AwayRange.starts_on)
        ],
        "limits": [
            {"at_most_shifts_a_month": v.per_month, "at_least_days_apart": v.gap_days}
            for v in VolunteerLimit.select().where(VolunteerLimit.volunteer == p)
        ],
        "notes_by_group_leaders": [
            {"group": n.group.name, "written": n.created_at, "text": n.text}
            for n in p.leader_notes.order_by(LeaderNote.created_at)
        ],
        "emails_stopped": _stopped(p),
        # Given in confidence: that they exist and who gave them, never what they say.
        "references_for_your_application": [
            {"given_by": r.name, "received": r.received_at} for r in references.givers(p)
        ],
    }


STOPPED = (
    (AnnouncementOptOut, "When a month of shifts opens, and before its offer deadline"),
    (LeaderMessageOptOut, "Messages from the group leaders to its members"),
)


def _stopped(p):
    """The e-mails this person stopped, for which group and since when (the profile or a one-click link)."""
    return [
        {"emails": emails, "group": row.group.name, "since": row.at}
        for model, emails in STOPPED
        for row in model.select(model, Group).join(Group).where(model.user == p).order_by(Group.name)
    ]


def _profile(profile):
    fields = (
        "mobile",
        "address",
        "postcode",
        "emergency_name",
        "emergency_phone",
        "postal_mailings",
        "supporter_emails",
        "linked_organisation",
        "linked_organisation_name",
        "birth_date",
        "terms_accepted_at",
        "privacy_accepted_at",
        "updated_at",
    )
    data = {name: getattr(profile, name) for name in fields}
    data["frequency"] = profile.frequency.name if profile.frequency_id else None
    data["allergies_and_intolerances"] = [a.name for a in profile.allergens()]
    data["places_of_worship"] = [p.name for p in profile.places()]
    return data


def _registration(r):
    return {
        "opportunity": r.slot.opportunity.name,
        "role": r.slot.role.name,
        "starts": r.slot.starts_at,
        "ends": r.slot.ends_at,
        "status": r.status,
        "note": r.note,
        "offered": r.created_at,
        "cancelled": r.cancelled_at,
        "cancel_reason": r.cancel_reason,
        "history": [
            {"status": e.status, "at": e.at, "note": e.note}
            for e in r.events.order_by(RegistrationEvent.at, RegistrationEvent.id)
        ],
    }


def _email(e):
    return {
        "to": e.to_addr,
        "subject": e.subject,
        "written": e.created_at,
        "status": e.status,
        "sent": e.sent_at,
        "text": e.body_text,
    }


def _audit(a, ids):
    return {
        "at": a.at,
        "action": a.action,
        "about": f"{a.object_type} {a.object_id or ''}".strip(),
        "by_you": a.actor_id in ids,
        "before": a.before,
        "after": a.after,
    }


def audit_about(people):
    """Audit entries made by these people or about them, their profiles, registrations and notes."""
    ids = [p.id for p in people]
    about = [
        ("User", ids),
        ("Profile", [p.id for p in Profile.select(Profile.id).where(Profile.user.in_(ids))]),
        ("Registration", [r.id for r in Registration.select(Registration.id).where(Registration.volunteer.in_(ids))]),
        ("LeaderNote", [n.id for n in LeaderNote.select(LeaderNote.id).where(LeaderNote.volunteer.in_(ids))]),
        (
            "QualificationGrant",
            [
                g.id
                for g in QualificationGrant.select(QualificationGrant.id).where(QualificationGrant.volunteer.in_(ids))
            ],
        ),
    ]
    where = AuditLog.actor.in_(ids)
    for kind, object_ids in about:
        if object_ids:
            where |= (AuditLog.object_type == kind) & AuditLog.object_id.in_(object_ids)
    return AuditLog.select().where(where).order_by(AuditLog.at, AuditLog.id)


# Erasure requests ------------------------------------------------------------------------------


def ask_to_erase(user, now=None):
    """The volunteer asks; the administrators see it on Data Protection (and Administrator Home)."""
    now = now or utcnow()
    with write_transaction():
        erasure, created = Erasure.get_or_create(user=user, defaults={"requested_at": now})
        if not created and erasure.requested_at is None:
            Erasure.update(requested_at=now).where(Erasure.id == erasure.id).execute()
        AuditLog.record(user, "erasure.request", user)


def requested_by(user):
    return (
        Erasure.select()
        .where(Erasure.user == user, Erasure.requested_at.is_null(False), Erasure.erased_at.is_null())
        .exists()
    )


def open_requests():
    return (
        User.select(User, Erasure.requested_at.alias("requested_at"))
        .join(Erasure, on=(Erasure.user == User.id))
        .where(Erasure.requested_at.is_null(False), Erasure.erased_at.is_null())
        .order_by(Erasure.requested_at)
        .objects()
    )


# Retention -------------------------------------------------------------------------------------


def last_activity():
    """{volunteer id: the latest thing they (or their family members) did}; family rolled up.

    Per person, not grouped over the whole history: the audit log through AuditLog(actor, at), one
    seek a person, so a million rows cost what a thousand do; their registrations through the
    (volunteer, slot) index. 1.0 s a month at the benchmark's size (5,000 people, 400,000
    registrations), was 2.8 s."""
    latest_of = [
        Profile.select(Profile.updated_at).where(Profile.user == User.id),
        Registration.select(peewee.fn.MAX(Registration.updated_at)).where(Registration.volunteer == User.id),
        (Slot.select(peewee.fn.MAX(Slot.starts_at)).join(Registration).where(Registration.volunteer == User.id)),
        ServiceRecord.select(peewee.fn.MAX(ServiceRecord.created_at)).where(ServiceRecord.volunteer == User.id),
        AuditLog.select(peewee.fn.MAX(AuditLog.at)).where(AuditLog.actor == User.id),
    ]
    query = User.select(peewee.fn.COALESCE(User.family_of, User.id), User.created_at, *latest_of)
    latest, as_time = {}, User.created_at.python_value  # a subquery's answer comes back as text
    for user_id, *times in query.tuples():
        for at in map(as_time, times):
            if at is not None and (user_id not in latest or at > latest[user_id]):
                latest[user_id] = at
    return latest


def due_for_erasure(now=None, org=None):
    """Volunteers (never administrators or the erased) with nothing done for the chosen years."""
    org = org or Organisation.current()
    cutoff = (now or utcnow()) - timedelta(days=round(365.25 * org.retention_years))
    latest = last_activity()
    erased = Erasure.select(Erasure.user).where(Erasure.erased_at.is_null(False))
    candidates = (
        User.select()
        .where(User.family_of.is_null(), User.is_admin == False, User.id.not_in(erased))
        .order_by(User.last_name, User.first_name)
    )
    return [(u, latest.get(u.id, u.created_at)) for u in candidates if latest.get(u.id, u.created_at) < cutoff]


def monthly_reminder(app, now=None):
    """The scheduler's job (hourly): in each month's first run, tell the administrators who is due."""
    now = now or utcnow()
    with app.app_context(), database.connection_context():
        org = Organisation.current()
        month = now.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(org.timezone)).strftime("%Y-%m")
        if RetentionReminder.select().where(RetentionReminder.month == month).exists():
            return 0
        due, asked = due_for_erasure(now, org), list(open_requests())
        try:
            with write_transaction():
                RetentionReminder.create(month=month)  # a second runner fails here: never twice
                admins = (
                    list(User.select().where(User.is_admin == True, User.active == True, User.email.is_null(False)))
                    if (due or asked)
                    else []
                )
                for admin in admins:
                    email_kinds.data_protection_reminder(
                        admin, len(due), len(asked), org.retention_years, emails.absolute("admin.data_protection")
                    )
        except peewee.IntegrityError:
            return 0
        return len(admins)
