"""Who is qualified for which slot: a role's requirements, met by grants still valid on the slot's date.

A requirement is met only by a GRANTED grant (proof waiting to be checked is not yet a
qualification) whose expires_on is None or on or after the slot's local date: training that runs
out mid-month counts for the nights before and not the nights after. Each page reads what it
needs in one query (every slot of a month, every offerer), never one query a slot.
"""

from flask_babel import gettext
from dataclasses import dataclass
from datetime import date

from flask import g
from peewee import JOIN, Query, fn

from .models import (
    GRANTED,
    REGISTERED,
    AuditLog,
    Opportunity,
    Qualification,
    QualificationGrant,
    QualificationOverride,
    Registration,
    Role,
    RoleRequirement,
    Slot,
    User,
)
from .refused import Refused
from .timeutil import org_zone, to_local

FOR_GOOD = date.max  # the last valid day of a grant that never expires
NOT_HELD = date.min


@dataclass
class Eligibility:
    needs: dict  # role id -> [(qualification id, name)], in the list's order
    held: dict  # (volunteer id, qualification id) -> last day it is valid

    def missing(self, volunteer_id, role_id, day):
        """The names of the role's qualifications this volunteer lacks on `day` (a local date)."""
        return [name for qid, name in self.needs.get(role_id, ()) if self.held.get((volunteer_id, qid), NOT_HELD) < day]

    def missing_for(self, volunteer_id, slot, zone=None):
        if slot.role_id not in self.needs:
            return []
        return self.missing(volunteer_id, slot.role_id, slot_day(slot, zone))


def slot_day(slot, zone=None):
    return to_local(slot.starts_at, zone or org_zone()).date()


def eligibility(volunteers, role_ids):
    """The roles' requirements and these volunteers' grants of them, in one query.

    `volunteers`: ids, or a query selecting them (a month's offerers, a group's members); `role_ids`
    likewise. What the roles need is read here and nowhere else (needs_by_role: with no volunteers)."""
    if not isinstance(role_ids, Query):
        # No roles still asks (for none): a page runs the same statements whatever its data shows.
        role_ids = sorted(set(role_ids)) or [0]
    if not isinstance(volunteers, Query):
        volunteers = sorted(set(volunteers)) or [0]
    grants = (
        (QualificationGrant.qualification == RoleRequirement.qualification)
        & QualificationGrant.volunteer.in_(volunteers)
        & (QualificationGrant.state == GRANTED)
    )
    rows = (
        RoleRequirement.select(
            RoleRequirement.role,
            Qualification.id,
            Qualification.name,
            QualificationGrant.volunteer,
            QualificationGrant.expires_on,
        )
        .join(Qualification)
        .switch(RoleRequirement)
        .join(QualificationGrant, JOIN.LEFT_OUTER, on=grants)
        .where(RoleRequirement.role.in_(role_ids))
        .order_by(Qualification.position, Qualification.name)
        .tuples()
    )
    needs, held = {}, {}
    for role_id, qid, name, volunteer_id, expires_on in rows:
        wanted = needs.setdefault(role_id, [])
        if (qid, name) not in wanted:
            wanted.append((qid, name))
        if volunteer_id is not None:
            held[(volunteer_id, qid)] = expires_on or FOR_GOOD
    return Eligibility(needs, held)


def needs_by_role(role_ids):
    """{role id: [qualification names]}, in the list's order: what the roles need, whoever holds it."""
    return {role_id: [name for _, name in wanted] for role_id, wanted in eligibility((), role_ids).needs.items()}


def role_needs(role):
    """What this role needs, for templates (the `needs` filter): every role's needs read once a request."""
    if "role_needs" not in g:
        g.role_needs = needs_by_role(RoleRequirement.select(RoleRequirement.role).distinct())
    return g.role_needs.get(getattr(role, "id", role), [])


def training_needed(missing):
    """What the slot table and the rota board show instead of a tick box or an Accept button."""
    return f"Training needed: {', '.join(missing)}" if missing else None


def missing_for(volunteer_id, slot):
    """One volunteer and one slot, for an action's check under the write lock."""
    return eligibility([volunteer_id], [slot.role_id]).missing_for(volunteer_id, slot)


def check_qualified(slot, volunteer, registration=None, override=None, by=None):
    """Refuse a volunteer without the slot's role's qualifications (valid on its date), unless a
    leader gives a reason to override: then the override is recorded for that place and audited.
    Inside the caller's write transaction; with `override`, `registration` is the place it is for."""
    missing = missing_for(volunteer.id, slot)
    if not missing:
        return None
    reason, day = (override or "").strip(), slot_day(slot)
    if not reason or registration is None:
        raise Refused(
            gettext(
                "Not registered: %(name)s does not have %(join)s (valid on %(day)s, %(day2)s %(day3)s), which %(name2)s needs.",
                name=volunteer.name,
                join=", ".join(missing),
                day=format(day, "%a"),
                day2=format(day, "%b"),
                day3=day.day,
                name2=slot.role.name,
            )
        )
    return record_override(registration, missing, reason[:1000], by)


def record_override(registration, missing, reason, by):
    """One override a place: a second (after an Undo) replaces the first, the audit keeps both."""
    QualificationOverride.delete().where(QualificationOverride.registration == registration.id).execute()
    row = QualificationOverride.create(registration=registration, reason=reason, by=by)
    AuditLog.record(
        by,
        "rota.qualification-override",
        registration,
        after={
            "volunteer": registration.volunteer_id,
            "slot": registration.slot_id,
            "missing": missing,
            "reason": reason,
        },
    )
    return row


def overridden(registration_ids):
    """{registration id: reason} of the places a leader filled without the role's qualifications."""
    if not registration_ids:
        return {}
    return dict(
        QualificationOverride.select(QualificationOverride.registration, QualificationOverride.reason)
        .where(QualificationOverride.registration.in_(list(registration_ids)))
        .tuples()
    )


@dataclass
class Lapsed:
    """A rota place held by someone whose training will have run out (or never was) by that night."""

    registration_id: int
    volunteer_id: int
    slot_id: int
    role_id: int
    starts_at: object
    ends_at: object
    role: str
    opportunity_id: int
    opportunity: str
    group_id: int
    first_name: str
    last_name: str
    missing: list = None

    @property
    def volunteer(self):
        return f"{self.first_name} {self.last_name or ''}".strip()


def may_have_lapsed():
    """A condition on Registration joined to its Slot: some qualification the role needs is held by
    nobody's grant valid after the slot's UTC date. That includes every place lacking training on its
    local date (a day at most from the UTC one), so the database hands back the few such places and
    lapsed_places() decides them exactly, not every place of the months a page covers."""
    valid = QualificationGrant.select(QualificationGrant.id).where(
        QualificationGrant.volunteer == Registration.volunteer,
        QualificationGrant.qualification == RoleRequirement.qualification,
        QualificationGrant.state == GRANTED,
        # A date against a time: on the slot's UTC date it is the earlier (text in SQLite, midnight in PostgreSQL).
        QualificationGrant.expires_on.is_null() | (QualificationGrant.expires_on >= Slot.starts_at),
    )
    return fn.EXISTS(
        RoleRequirement.select(RoleRequirement.id).where(RoleRequirement.role == Slot.role, ~fn.EXISTS(valid))
    )


def lapsed_places(slots):
    """The registered places of these slots (ids or a query of them) whose holder lacks the role's
    training on the slot's date, leaving out those a leader overrode: two queries, however many."""
    rows = [
        Lapsed(*row)
        for row in Registration.select(
            Registration.id,
            Registration.volunteer,
            Slot.id,
            Slot.role,
            Slot.starts_at,
            Slot.ends_at,
            Role.name,
            Opportunity.id,
            Opportunity.name,
            Opportunity.group,
            User.first_name,
            User.last_name,
        )
        .join(Slot)
        .join(Role)
        .switch(Slot)
        .join(Opportunity)
        .switch(Registration)
        .join(User, on=Registration.volunteer)
        .where(
            Slot.id.in_(slots),
            Registration.status == REGISTERED,
            may_have_lapsed(),
            Registration.id.not_in(QualificationOverride.select(QualificationOverride.registration)),
        )
        .order_by(Slot.starts_at, Role.position)
        .tuples()
    ]
    # Asked even for no rows: the board runs the same statements whether or not a grant has lapsed.
    known, zone = eligibility({r.volunteer_id for r in rows}, {r.role_id for r in rows}), org_zone()
    for place in rows:
        place.missing = known.missing(place.volunteer_id, place.role_id, to_local(place.starts_at, zone).date())
    return [place for place in rows if place.missing]
