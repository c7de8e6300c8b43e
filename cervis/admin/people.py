"""People: every account; make a group leader or an administrator, deactivate, unlock, ask to verify.

An administrator can never take away their own administrator rights or deactivate themselves,
so there is always someone left who can put a mistake right.
"""

from flask_babel import gettext
from flask import make_response, render_template, request, url_for
from flask_login import current_user
from peewee import fn

from .. import accounts
from ..auth import LOGIN_PER_ACCOUNT, LOGIN_WINDOW, admin_required
from ..db import utcnow, write_transaction
from ..htmx import done, is_htmx, vary
from ..models import AuditLog, Group, Membership, Organisation, Throttle, User
from ..permissions import as_id, person_or_404
from . import bp
from .paging import Page, me


def locked_emails(emails):
    """Which of these addresses are locked out by failed log-ins right now."""
    keys = {Throttle.stored(f"login-email:{e}"): e for e in emails if e}
    if not keys:
        return set()
    rows = (
        Throttle.select(Throttle.key)
        .where(Throttle.key.in_(list(keys)), Throttle.at > utcnow() - LOGIN_WINDOW)
        .group_by(Throttle.key)
        .having(fn.COUNT(Throttle.id) >= LOGIN_PER_ACCOUNT)
    )
    return {keys[key] for (key,) in rows.tuples()}


def is_locked(user):
    return bool(user.email) and Throttle.count(f"login-email:{user.email}", LOGIN_WINDOW) >= LOGIN_PER_ACCOUNT


def search(q):
    query = User.select().order_by(User.first_name, User.last_name, User.id)
    for word in q.lower().split():
        query = query.where(
            fn.LOWER(User.first_name).contains(word)
            | fn.LOWER(User.last_name).contains(word)
            | fn.LOWER(fn.COALESCE(User.email, "")).contains(word)
        )
    return query


def memberships_by_user(user_ids):
    found = {}
    rows = Membership.select(Membership, Group).join(Group).where(Membership.user.in_(user_ids)).order_by(Group.name)
    for membership in rows:
        found.setdefault(membership.user_id, []).append(membership)
    return found


def verify_counts(org):
    volunteers = User.select().where(User.active == True, User.is_admin == False, User.family_of.is_null())
    return {
        "verified": volunteers.where(User.verified_generation >= org.verify_generation).count(),
        "all": volunteers.count(),
    }


@bp.route("/people")
@admin_required
def people():
    q = request.args.get("q", "").strip()[:100]
    page = Page(search(q))
    context = dict(
        q=q,
        page=page,
        groups=memberships_by_user([u.id for u in page.items]),
        locked=locked_emails([u.email for u in page.items]),
    )
    # Back to a pushed search URL, htmx asks for the whole page again: give it the page.
    if is_htmx() and request.headers.get("HX-History-Restore-Request") != "true":
        return vary(make_response(render_template("admin/_people_table.html", **context)))
    org = Organisation.current()
    return render_template("admin/people.html", counts=verify_counts(org), **context)


def person_context(person):
    memberships = memberships_by_user([person.id]).get(person.id, [])
    member_of = {m.group_id for m in memberships}
    return dict(
        person=person,
        memberships=memberships,
        locked=is_locked(person),
        is_self=person.id == current_user.id,
        other_groups=[g for g in Group.select().order_by(Group.name) if g.id not in member_of],
    )


@bp.route("/people/<int:person_id>")
@admin_required
def person(person_id):
    return render_template("admin/person.html", **person_context(person_or_404(person_id)))


def _answer(person, message, category="success"):
    return done(
        "admin/_person_actions.html",
        url_for("admin.person", person_id=person.id),
        message,
        category,
        target="person-actions",
        **person_context(person),
    )


def _flags(person):
    return {"active": person.active, "is_admin": person.is_admin}


@bp.route("/people/<int:person_id>/leader", methods=["POST"])
@admin_required
def person_leader(person_id):
    person = person_or_404(person_id)
    group = Group.get_or_none(Group.id == as_id(request.form.get("group")))
    if group is None:
        return _answer(person, "Please choose a group.", "error")
    make = request.form.get("leader") == "1"
    with write_transaction():
        membership = Membership.get_or_none(Membership.user == person, Membership.group == group)
        before = {
            "group": group.name,
            "member": membership is not None,
            "leader": bool(membership and membership.is_leader),
        }
        if membership is None and make:
            membership = Membership.create(user=person, group=group, is_leader=True)
        elif membership is not None:
            membership.is_leader = make
            membership.save()
        after = {"group": group.name, "member": membership is not None, "leader": make and membership is not None}
        if before != after:
            AuditLog.record(me(), "leader-grant" if make else "leader-revoke", person, before=before, after=after)
    if make:
        return _answer(person, f"{person.name} is now a group leader of {group.name}.")
    return _answer(person, f"{person.name} is no longer a group leader of {group.name}.")


@bp.route("/people/<int:person_id>/admin", methods=["POST"])
@admin_required
def person_admin(person_id):
    person = person_or_404(person_id)
    make = request.form.get("admin") == "1"
    if person.id == current_user.id and not make:
        return _answer(
            person,
            "You cannot remove your own administrator rights. Another administrator can do this for you.",
            "error",
        )
    before = _flags(person)
    with write_transaction():
        person.is_admin = make
        person.save()
        if before != _flags(person):
            AuditLog.record(
                me(), "admin-grant" if make else "admin-revoke", person, before=before, after=_flags(person)
            )
    return _answer(
        person, f"{person.name} is now an administrator." if make else f"{person.name} is no longer an administrator."
    )


@bp.route("/people/<int:person_id>/active", methods=["POST"])
@admin_required
def person_active(person_id):
    person = person_or_404(person_id)
    make = request.form.get("active") == "1"
    if person.id == current_user.id and not make:
        return _answer(person, "You cannot deactivate your own account.", "error")
    if person.active != make:
        with write_transaction():
            accounts.set_active(me(), person, make)  # the same rule and audit entry as a leader's
    return _answer(
        person,
        f"{person.name}'s account has been reactivated."
        if make
        else f"{person.name}'s account has been deactivated: they can no longer log in.",
    )


@bp.route("/people/<int:person_id>/unlock", methods=["POST"])
@admin_required
def person_unlock(person_id):
    person = person_or_404(person_id)
    if not person.email:
        return _answer(person, "This person has no login of their own to unlock.", "error")
    accounts.unlock(person.email, me())
    return _answer(person, f"{person.name}'s account has been unlocked: they can try to log in again now.")


@bp.route("/people/verify", methods=["POST"])
@admin_required
def people_verify():
    org = Organisation.current()
    before = {"verify_generation": org.verify_generation}
    with write_transaction():
        Organisation.update(verify_generation=Organisation.verify_generation + 1).where(
            Organisation.id == org.id
        ).execute()
        org = Organisation.get_by_id(org.id)
        AuditLog.record(me(), "ask-verify", org, before=before, after={"verify_generation": org.verify_generation})
    return done(
        "admin/_verify.html",
        url_for("admin.people"),
        gettext("Every volunteer will be asked to verify their profile at their next login."),
        target="verify",
        counts=verify_counts(org),
    )
