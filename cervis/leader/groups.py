"""Groups (venues) and their roles: administrators create groups and choose leaders; leaders edit their own."""

from flask_babel import gettext
from ..translated import lazy_gettext
import peewee
from flask import render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from peewee import fn
from wtforms import BooleanField, IntegerField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from .. import eligibility, training
from ..forms import single_line
from ..profile_forms import MultiCheckboxField
from ..accounts import normal_email
from ..auth import admin_required, leader_required
from ..db import utcnow, write_transaction
from ..htmx import answer_now, answered, done, is_htmx
from ..models import AuditLog, Group, Membership, Qualification, Role, Slot, User
from ..permissions import as_id, group_for_leader, groups_led_by, role_for_leader
from . import bp


class GroupForm(FlaskForm):
    name = StringField(
        lazy_gettext("Group Name"),
        validators=[DataRequired(lazy_gettext("Please enter the group's name.")), Length(max=100), single_line],
    )
    address = TextAreaField(lazy_gettext("Address"), validators=[Length(max=1000)])
    description = TextAreaField(lazy_gettext("Description"), validators=[Length(max=5000)])
    open_to_join = BooleanField(lazy_gettext("Open to join: volunteers may choose this group on their profile"))
    leaders = TextAreaField(lazy_gettext("Group Leaders"), validators=[Length(max=5000)])


class RoleForm(FlaskForm):
    name = StringField(
        lazy_gettext("Role Name"),
        validators=[DataRequired(lazy_gettext("Please enter the role's name.")), Length(max=60), single_line],
    )
    default_capacity = IntegerField(
        lazy_gettext("Default Capacity"),
        default=1,
        validators=[
            InputRequired(lazy_gettext("Please enter how many volunteers a slot of this role needs.")),
            NumberRange(0, 100, lazy_gettext("Please enter a number from 0 to 100.")),
        ],
    )
    is_shift_leader = BooleanField(lazy_gettext("Shift leader role (one per group)"))
    is_reserve = BooleanField(lazy_gettext("Reserve role"))
    position = IntegerField(
        lazy_gettext("Position in Lists"),
        validators=[Optional(), NumberRange(0, 999, lazy_gettext("Please enter a number from 0 to 999."))],
    )
    # An id that names no qualification (a crafted form) is dropped, not a refusal.
    needs = MultiCheckboxField(
        lazy_gettext("Needs (all of these)"), validate_choice=False, coerce=lambda v: as_id(v) or 0
    )

    def with_qualifications(self, role=None):
        self.needs.choices = [SelectChoice(q.id, q.name) for q in Qualification.ordered()]
        if role is not None and role.id and not self.is_submitted():
            self.needs.data = [r.qualification_id for r in role.requirements]
        return self


def group_form(group=None):
    """The group form; the leaders field only for an administrator, so a leader's crafted field is ignored."""
    form = GroupForm(obj=group)
    if not current_user.is_admin:
        del form.leaders
    elif group is not None and not form.is_submitted():
        form.leaders.data = "\n".join(u.email or "" for u in group.leaders())
    return form


def _leader_accounts(form):
    """The accounts named in the leaders field, or None with the field's errors set."""
    accounts, missing = [], []
    for email in dict.fromkeys(normal_email(e) for e in form.leaders.data.replace(",", "\n").split("\n")):
        account = User.by_email(email) if email else None
        if account is not None and account.active:
            accounts.append(account)
        elif email:
            missing.append(email)
    if missing:
        form.leaders.errors.append("No active account has the e-mail address " + ", ".join(missing) + ".")
        return None
    return accounts


def _name_taken(form, group=None):
    query = Group.select().where(fn.LOWER(Group.name) == form.name.data.strip().lower())
    if group is not None:
        query = query.where(Group.id != group.id)
    if query.exists():
        form.name.errors.append("There is already a group with this name.")
        return True
    return False


def _details(group):
    return {
        "name": group.name,
        "address": group.address,
        "description": group.description,
        "open_to_join": group.open_to_join,
    }


def _set_leaders(group, accounts):
    before = sorted(u.email for u in group.leaders())
    wanted = {u.id for u in accounts}
    Membership.update(is_leader=False).where(
        Membership.group == group, Membership.is_leader == True, Membership.user.not_in(list(wanted) or [0])
    ).execute()
    for account in accounts:
        membership, _ = Membership.get_or_create(user=account, group=group)
        if not membership.is_leader:
            membership.is_leader = True
            membership.save()
    after = sorted(u.email for u in group.leaders())
    if before != after:
        AuditLog.record(
            current_user._get_current_object(),
            "group.leaders",
            group,
            before={"leaders": before},
            after={"leaders": after},
        )


def _save_group(form, group):
    """Create or update from a validated form; False (with the field errors set) if refused."""
    accounts = _leader_accounts(form) if "leaders" in form else None
    if _name_taken(form, group) or ("leaders" in form and accounts is None):
        return False
    before = _details(group) if group.id else None
    group.name, group.address = form.name.data.strip(), form.address.data.strip()
    group.description, group.open_to_join = form.description.data.strip(), form.open_to_join.data
    try:
        with write_transaction():
            group.save()
            AuditLog.record(
                current_user._get_current_object(),
                "group.update" if before else "group.create",
                group,
                before=before,
                after=_details(group),
            )
            if accounts is not None:
                _set_leaders(group, accounts)
    except peewee.IntegrityError:
        form.name.errors.append("There is already a group with this name.")
        return False
    return True


@bp.route("/groups")
@leader_required
def groups():
    members = dict(Membership.select(Membership.group, fn.COUNT(Membership.id)).group_by(Membership.group).tuples())
    return render_template("leader/groups.html", groups=list(groups_led_by(current_user)), members=members)


@bp.route("/groups/new", methods=["GET", "POST"])
@admin_required
def group_new():
    form, group = group_form(), Group()
    if form.validate_on_submit() and _save_group(form, group):
        return answered(
            url_for("leader.group", group_id=group.id), gettext("The group %(name)s has been created.", name=group.name)
        )
    return render_template("leader/group_form.html", form=form, group=None), 400 if form.is_submitted() else 200


@bp.route("/groups/<int:group_id>")
@leader_required
def group(group_id):
    group = group_for_leader(current_user, group_id)
    return render_template("leader/group.html", **_roles_context(group))


@bp.route("/groups/<int:group_id>/edit", methods=["GET", "POST"])
@leader_required
def group_edit(group_id):
    group = group_for_leader(current_user, group_id)
    form = group_form(group)
    if form.validate_on_submit() and _save_group(form, group):
        return answered(url_for("leader.group", group_id=group.id), gettext("The group's details have been updated."))
    return render_template("leader/group_form.html", form=form, group=group), 400 if form.is_submitted() else 200


# Roles ---------------------------------------------------------------------------------------------


def _roles_context(group, form=None):
    roles = list(group.roles.order_by(Role.position, Role.name))
    used = dict(
        Slot.select(Slot.role, fn.COUNT(Slot.id))
        .where(Slot.role.in_([r.id for r in roles] or [0]))
        .group_by(Slot.role)
        .tuples()
    )
    return {
        "group": group,
        "roles": roles,
        "used": used,
        "role_form": form or RoleForm(formdata=None).with_qualifications(),
    }


def _role_refused(form, group, role=None):
    """Why these role details cannot be saved, written onto the form's fields; False if they can."""
    others = Role.select().where(Role.group == group)
    if role is not None:
        others = others.where(Role.id != role.id)
    if others.where(fn.LOWER(Role.name) == form.name.data.strip().lower()).exists():
        form.name.errors.append("This group already has a role with this name.")
    leader = others.where(Role.is_shift_leader == True).first()
    if form.is_shift_leader.data and leader is not None:
        form.is_shift_leader.errors.append(
            f"Only one role per group can be the shift leader: {leader.name} already is."
        )
    if form.is_shift_leader.data and form.is_reserve.data:
        form.is_reserve.errors.append("A role cannot be both the shift leader and a reserve.")
    if role is not None:
        _keep_what_past_nights_recorded(form, role)
    return bool(form.name.errors or form.is_shift_leader.errors or form.is_reserve.errors)


def _keep_what_past_nights_recorded(form, role):
    """A role that started slots use keeps its name and kind: the rota, attendance and every
    volunteer's history of those nights show it (and who led them). Its capacity and place may change."""
    if not Slot.select().where(Slot.role == role.id, Slot.starts_at <= utcnow()).exists():
        return
    why = "Slots that have started use this role, so it stays as their record shows it: add a new role instead."
    if form.name.data.strip() != role.name:
        form.name.errors.append(why)
    for field, was in ((form.is_shift_leader, role.is_shift_leader), (form.is_reserve, role.is_reserve)):
        if bool(field.data) != was:
            field.errors.append(why)


def _role_details(role):
    return {
        "name": role.name,
        "default_capacity": role.default_capacity,
        "is_shift_leader": role.is_shift_leader,
        "is_reserve": role.is_reserve,
        "position": role.position,
        "group": role.group_id,
        "needs": eligibility.needs_by_role([role.id]).get(role.id, []),
    }


def _save_role(form, group, role):
    before = _role_details(role) if role.id else None
    role.group, role.name = group, form.name.data.strip()
    role.default_capacity = form.default_capacity.data
    role.is_shift_leader, role.is_reserve = form.is_shift_leader.data, form.is_reserve.data
    if form.position.data is not None:
        role.position = form.position.data
    elif role.id is None:
        role.position = (Role.select(fn.MAX(Role.position)).where(Role.group == group).scalar() or 0) + 1
    with write_transaction():
        role.save()
        training.set_requirements(role, form.needs.data or [])
        AuditLog.record(
            current_user._get_current_object(),
            "role.update" if before else "role.create",
            role,
            before=before,
            after=_role_details(role),
        )


def _roles_answer(group, form=None, status=200, message=None, category="success"):
    """The roles section: the fragment to htmx (a refusal still 200, its banner says why), else the page."""
    context = _roles_context(group, form)
    answer_now(message, category, "roles")
    if is_htmx():
        return render_template("leader/_group_roles.html", message=message, category=category, **context)
    return render_template("leader/group.html", **context), status


@bp.route("/groups/<int:group_id>/roles", methods=["POST"])
@leader_required
def role_add(group_id):
    group = group_for_leader(current_user, group_id)
    form = RoleForm().with_qualifications()
    if not form.validate_on_submit() or _role_refused(form, group):
        return _roles_answer(group, form, 400, "The role was not added: please see below.", "error")
    role = Role()
    _save_role(form, group, role)
    return done(
        "leader/_group_roles.html",
        url_for("leader.group", group_id=group.id),
        gettext("The role %(name)s has been added.", name=role.name),
        target="roles",
        **_roles_context(group),
    )


@bp.route("/groups/<int:group_id>/roles/<int:role_id>", methods=["GET", "POST"])
@leader_required
def role_edit(group_id, role_id):
    group = group_for_leader(current_user, group_id)
    role = role_for_leader(current_user, group, role_id)
    form = RoleForm(obj=role).with_qualifications(role)
    if form.validate_on_submit() and not _role_refused(form, group, role):
        _save_role(form, group, role)
        return done(
            "leader/_group_roles.html",
            url_for("leader.group", group_id=group.id),
            gettext("The role %(name)s has been updated.", name=role.name),
            target="roles",
            **_roles_context(group),
        )
    status = 400 if form.is_submitted() else 200
    return render_template("leader/group_role.html", group=group, role=role, form=form), status


@bp.route("/groups/<int:group_id>/roles/<int:role_id>/remove", methods=["POST"])
@leader_required
def role_remove(group_id, role_id):
    group = group_for_leader(current_user, group_id)
    role = role_for_leader(current_user, group, role_id)
    with write_transaction():
        # Counted under the lock: a slot made for the role meanwhile keeps it (and its nights' record).
        used = Slot.select().where(Slot.role == role).count()
        if not used:
            AuditLog.record(current_user._get_current_object(), "role.remove", role, before=_role_details(role))
            role.delete_instance()
    if used:
        message = (
            f"The role {role.name} cannot be removed: {used} slot{'s' if used != 1 else ''} use it. "
            "Keep the role, or change those slots first."
        )
        if is_htmx():
            return _roles_answer(group, message=message, category="error")
        return done(
            "leader/_group_roles.html", url_for("leader.group", group_id=group.id), message, "error", target="roles"
        )
    return done(
        "leader/_group_roles.html",
        url_for("leader.group", group_id=group.id),
        gettext("The role %(name)s has been removed.", name=role.name),
        target="roles",
        **_roles_context(group),
    )
