"""Volunteers for other systems: a group's members, one volunteer, their hours (scope volunteers:read;
names alone with rota:read), and the two writes a CRM needs (volunteers:write): add a volunteer, as
Import Volunteers does, and deactivate one. Never special-category data (birth date, allergies, place
of worship) nor criminal-record checks: no route reads them."""

import peewee
from flask import g, request

from .. import accounts
from ..db import utcnow, write_transaction
from ..leader.import_csv import check_rows
from ..leader.volunteer_file import Row
from ..models import AuditLog, Group, Membership, Profile, User
from ..models.api import READ_ROTA, READ_VOLUNTEERS, WRITE_VOLUNTEERS
from ..permissions import as_id
from ..volunteer.history import _totals as hours_totals
from . import bp, needs
from .fields import by_id, iso, period
from .paging import page
from .problems import Problem

FIELDS = ("email", "first_name", "last_name", "phone")


@bp.route("/v1/groups")
@needs(READ_ROTA)
def groups():
    return page(
        Group.select(), Group.id, lambda rows: [{"id": x.id, "name": x.name, "address": x.address} for x in rows]
    )


@bp.route("/v1/groups/<int:group_id>/members")
def members(group_id):
    """Names with either read scope; e-mail and phone only with volunteers:read."""
    scopes = g.api_token.scope_set
    if not scopes & {READ_ROTA, READ_VOLUNTEERS}:
        raise Problem(403, f"This token has neither the {READ_ROTA} nor the {READ_VOLUNTEERS} scope.")
    group = by_id(Group, group_id, "group")
    query = (
        Membership.select(Membership, User, Profile.mobile)
        .join(User)
        .join(Profile, peewee.JOIN.LEFT_OUTER, on=(Profile.user == User.id), attr="profile")
        .where(Membership.group == group)
    )
    return page(query, Membership.id, lambda rows: [_member(m, READ_VOLUNTEERS in scopes) for m in rows])


def _member(membership, contact):
    user = membership.user
    item = {
        "id": user.id,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "active": user.active,
        "is_leader": membership.is_leader,
        "joined_at": iso(membership.joined_at),
    }
    if contact:
        profile = getattr(user, "profile", None)
        item.update(email=user.email, phone=(profile.mobile if profile else "") or "")
    return item


def _volunteer(user, contact=True):
    """The volunteer; their e-mail and phone only with `contact` (a write token may not read them)."""
    groups = Membership.select(Membership, Group).join(Group).where(Membership.user == user).order_by(Group.name)
    item = {
        "id": user.id,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "active": user.active,
        "created_at": iso(user.created_at),
        "groups": [{"id": m.group.id, "name": m.group.name, "is_leader": m.is_leader} for m in groups],
    }
    if contact:
        profile = Profile.get_or_none(Profile.user == user)
        item.update(email=user.email, phone=profile.mobile if profile else "")
    return item


@bp.route("/v1/volunteers/<int:volunteer_id>")
@needs(READ_VOLUNTEERS)
def volunteer(volunteer_id):
    return _volunteer(by_id(User, volunteer_id, "volunteer"))


@bp.route("/v1/volunteers/<int:volunteer_id>/hours")
@needs(READ_VOLUNTEERS)
def hours(volunteer_id):
    """Hours served in a period (both dates included, none: all time), as View or Print Volunteer
    Activity History counts them."""
    user = by_id(User, volunteer_id, "volunteer")
    start, end = period()
    totals = hours_totals(user, utcnow(), start, end)
    return {
        "volunteer_id": user.id,
        "from": start.isoformat() if start else None,
        "to": end.isoformat() if end else None,
        **totals,
    }


def _body():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Problem(400, "Send a JSON object (Content-Type: application/json).")
    wrong = [n for n in FIELDS if not isinstance(data.get(n, ""), str)]
    groups = data.get("group_ids", [])
    if not isinstance(groups, list) or not all(as_id(i) for i in groups):
        wrong.append("group_ids")
    if wrong:
        raise Problem(
            422, "Some fields have the wrong type.", errors=[{"field": n, "message": "wrong type"} for n in wrong]
        )
    return data, groups


def _actor():
    """Who the audit log names for a write: the administrator who made the token."""
    return g.api_token.created_by


@bp.route("/v1/volunteers", methods=["POST"])
@needs(WRITE_VOLUNTEERS)
def create_volunteer():
    data, group_ids = _body()
    names = dict(Group.select(Group.id, Group.name).where(Group.id.in_(group_ids or [0])).tuples())
    unknown = [i for i in group_ids if i not in names]
    row = Row(0, *(data.get(n, "").strip() for n in FIELDS), [names[i] for i in group_ids if i in names])
    problems = [f"Unknown group: {i}" for i in unknown] + check_rows([row], _actor())[0].problems
    if problems:
        raise Problem(422, "The volunteer could not be added.", errors=[{"message": p} for p in problems])
    if row.account is not None:
        raise Problem(409, "There is already an account with this e-mail address.")
    temporary = accounts.make_temporary_password()  # slow: before the write lock
    try:
        with write_transaction():
            user = accounts.create_volunteer(
                _actor(), row.email, row.first_name, row.last_name, row.phone, row.groups, temporary=temporary
            )
            _audit("api.volunteer.create", user)
    except peewee.IntegrityError:  # the address was taken meanwhile
        raise Problem(409, "There is already an account with this e-mail address.") from None
    return _volunteer(user), 201, {"Location": f"/api/v1/volunteers/{user.id}"}


@bp.route("/v1/volunteers/<int:volunteer_id>/deactivate", methods=["POST"])
@needs(WRITE_VOLUNTEERS)
def deactivate(volunteer_id):
    user = by_id(User, volunteer_id, "volunteer")
    if user.is_admin or user.is_leader:
        raise Problem(
            403, "Only an administrator, on the People page, can deactivate a group leader or an administrator."
        )
    if user.active:
        with write_transaction():
            accounts.set_active(_actor(), user, False)
            _audit("api.volunteer.deactivate", user)
    # A CRM told to deactivate someone learns no address it could not already read.
    return _volunteer(user, contact=READ_VOLUNTEERS in g.api_token.scope_set)


def _audit(action, user):
    token = g.api_token
    AuditLog.record(_actor(), action, user, after={"api_token": token.name, "api_token_id": token.id})
