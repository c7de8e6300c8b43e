"""Members: a group's searchable list, a volunteer's page, notes, removal, deactivation. (Add Volunteer: add_volunteer.py.)"""

from flask_babel import gettext
from ..translated import lazy_gettext
from datetime import datetime

from flask import abort, make_response, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from peewee import JOIN, Case, fn
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from .. import accounts, attendance, away, training, volunteer_limits
from ..admin.paging import Page
from ..auth import leader_required
from ..db import utcnow, write_transaction
from ..htmx import answered, done, is_htmx, vary
from ..models import (
    REGISTERED,
    AuditLog,
    Frequency,
    Group,
    LeaderNote,
    Membership,
    Opportunity,
    Profile,
    Registration,
    Role,
    ServiceRecord,
    Slot,
    User,
)
from ..models.attendance import volunteer_totals
from ..permissions import group_for_leader, leads, member_for_leader
from ..profile_forms import LimitsForm
from ..timeutil import org_zone, to_local, to_utc
from . import bp
from .training import member_training


class NoteForm(FlaskForm):
    group = SelectField(lazy_gettext("Group"), coerce=int, validate_choice=False)
    text = TextAreaField(
        lazy_gettext("Note"), validators=[DataRequired(lazy_gettext("Please write the note.")), Length(max=5000)]
    )


# The group's member list ---------------------------------------------------------------------------


def _this_month(now):
    local = to_local(now)
    start = datetime(local.year, local.month, 1)
    end = datetime(local.year + (local.month == 12), local.month % 12 + 1, 1)
    return to_utc(start), to_utc(end)


def _search(query, text):
    for word in text.split()[:5]:
        query = query.where(
            User.first_name.contains(word)
            | User.last_name.contains(word)
            | User.email.contains(word)
            | Profile.mobile.contains(word)
        )
    return query


def _member_facts(group, users, now):
    """Shifts registered this month and the last shift served (both in this group), and all their groups."""
    ids = [u.id for u in users] or [0]
    start, end = _this_month(now)
    # One pass over these members' registrations (from the volunteer's side: a page of members,
    # not every past slot of the group) gives both columns.
    rows = (
        Registration.select(
            Registration.volunteer,
            fn.MAX(Case(None, [(Slot.starts_at <= now, Slot.starts_at)])),
            fn.SUM(Case(None, [((Slot.starts_at >= start) & (Slot.starts_at < end), 1)], 0)),
        )
        .join(Slot)
        .join(Opportunity)
        .where(Opportunity.group == group, Registration.volunteer.in_(ids), Registration.status == REGISTERED)
        .group_by(Registration.volunteer)
        .tuples()
    )
    this_month, last = {}, {}
    for user_id, last_served, month_count in rows:
        if last_served is not None:
            last[user_id] = Slot.starts_at.python_value(last_served)  # a CASE comes back as text
        if month_count:
            this_month[user_id] = month_count
    groups = {}
    for user_id, name in (
        Membership.select(Membership.user, Group.name)
        .join(Group)
        .where(Membership.user.in_(ids))
        .order_by(Group.name)
        .tuples()
    ):
        groups.setdefault(user_id, []).append(name)
    return {"this_month": this_month, "last": last, "groups": groups}


@bp.route("/groups/<int:group_id>/members")
@leader_required
def members(group_id):
    group = group_for_leader(current_user, group_id)
    q = request.args.get("q", "").strip()[:100]
    # What the table shows, no more (not password hashes, allergies or every profile field).
    query = (
        User.select(
            User.id,
            User.email,
            User.first_name,
            User.last_name,
            User.active,
            Membership.id,
            Membership.is_leader,
            Profile.id,
            Profile.mobile,
            Profile.frequency,
            Frequency.id,
            Frequency.name,
        )
        .join(Membership, attr="membership")
        .switch(User)
        .join(Profile, JOIN.LEFT_OUTER, attr="profile")
        .join(Frequency, JOIN.LEFT_OUTER)
        .where(Membership.group == group)
        .order_by(User.first_name, User.last_name, User.id)
    )
    # Unsearched, the group's memberships alone say how many: not their users, profiles and frequencies.
    total = None if q else Membership.select().where(Membership.group == group).count()
    page = Page(_search(query, q), total=total)
    context = {
        "group": group,
        "q": q,
        "page": page,
        **_member_facts(group, page.items, utcnow()),
        "waiting": training.proofs_waiting(group),
    }
    if is_htmx():
        return vary(make_response(render_template("leader/_members_table.html", **context)))
    return vary(make_response(render_template("leader/members.html", **context)))


# A volunteer's page ---------------------------------------------------------------------------------


def _visible_groups(user):
    """Whose notes and registrations this user may see: their own groups; None means every group."""
    return None if user.is_admin else [g.id for g in user.led_groups()]


def _only(query, field, visible):
    return query if visible is None else query.where(field.in_(visible or [0]))


def _note_form(volunteer, blank=False):
    form = NoteForm(formdata=None) if blank else NoteForm()
    visible = _visible_groups(current_user)
    form.group.choices = [(g.id, g.name) for g in volunteer.groups() if visible is None or g.id in visible]
    return form


def _notes_context(volunteer, form=None):
    query = (
        LeaderNote.select(LeaderNote, Group)
        .join(Group)
        .where(LeaderNote.volunteer == volunteer)
        .order_by(LeaderNote.created_at.desc(), LeaderNote.id.desc())
    )
    notes = list(_only(query, LeaderNote.group, _visible_groups(current_user)))
    return {"volunteer": volunteer, "notes": notes, "note_form": form or _note_form(volunteer, blank=True)}


def _groups_context(volunteer):
    memberships = list(
        Membership.select(Membership, Group).join(Group).where(Membership.user == volunteer).order_by(Group.name)
    )
    for m in memberships:
        m.can_remove = leads(current_user, m.group_id) and (current_user.is_admin or not m.is_leader)
    return {"volunteer": volunteer, "memberships": memberships}


def _status_context(volunteer):
    return {"volunteer": volunteer, "refusal": _status_refusal(volunteer)}


def _status_refusal(volunteer):
    """Why this user may not deactivate or reactivate the volunteer, or None."""
    if volunteer.id == current_user.id:
        return "You cannot deactivate your own account."
    if not current_user.is_admin and (volunteer.is_admin or volunteer.is_leader):
        return "Only an administrator can deactivate a group leader or an administrator."
    return None


def _profile_context(volunteer):
    profile = Profile.for_user(volunteer)
    saved = profile.id is not None
    personal = None
    if current_user.is_admin:  # birth date and place of worship: administrators only
        personal = {"birth_date": profile.birth_date, "places": list(profile.places()) if saved else []}
    return {"profile": profile, "allergens": list(profile.allergens()) if saved else [], "personal": personal}


def _registrations(volunteer):
    query = (
        Registration.select(Registration, Slot, Opportunity, Role)
        .join(Slot)
        .join(Opportunity)
        .switch(Slot)
        .join(Role)
        .where(Registration.volunteer == volunteer)
        .order_by(Slot.starts_at.desc())
        .limit(200)
    )
    return list(_only(query, Opportunity.group, _visible_groups(current_user)))


@bp.route("/volunteers/<int:volunteer_id>")
@leader_required
def member(volunteer_id):
    return member_page_with(member_for_leader(current_user, volunteer_id))


@bp.route("/volunteers/<int:volunteer_id>/notes", methods=["POST"])
@leader_required
def member_note_add(volunteer_id):
    volunteer = member_for_leader(current_user, volunteer_id)
    form = _note_form(volunteer)
    valid = form.validate_on_submit()
    if valid and form.group.data not in dict(form.group.choices):  # a crafted group id
        form.group.errors.append("Please choose one of your groups that this volunteer belongs to.")
        valid = False
    if not valid:
        if is_htmx():
            return render_template("leader/_member_notes.html", **_notes_context(volunteer, form))
        return member_page_with(volunteer, note_form=form), 400
    with write_transaction():
        note = LeaderNote.create(
            volunteer=volunteer, group=form.group.data, author=current_user.id, text=form.text.data.strip()
        )
        AuditLog.record(
            current_user._get_current_object(),
            "note.add",
            note,
            after={"volunteer": volunteer.id, "group": note.group_id, "text": note.text},
        )
    return done(
        "leader/_member_notes.html",
        url_for("leader.member", volunteer_id=volunteer.id) + "#notes",
        gettext("The note has been added."),
        target="notes",
        **_notes_context(volunteer),
    )


def _service_records(volunteer):
    """Service the volunteer recorded outside the rota, for the groups this leader can see."""
    query = (
        ServiceRecord.select(ServiceRecord, Group)
        .join(Group, JOIN.LEFT_OUTER)
        .where(ServiceRecord.volunteer == volunteer)
        .order_by(ServiceRecord.day.desc())
        .limit(200)
    )
    return list(_only(query, ServiceRecord.group, _visible_groups(current_user)))


def away_and_limits(volunteer, form=None):
    limits = volunteer_limits.limits_of(volunteer)
    return {
        "away_ranges": [(away.describe(r), r.note) for r in away.upcoming(volunteer)],
        "limits_said": volunteer_limits.describe(limits),
        "limits_form": form or LimitsForm.of(limits),
    }


def member_page_with(volunteer, **override):
    context = {
        **away_and_limits(volunteer),
        "registrations": _registrations(volunteer),
        "service_records": _service_records(volunteer),
        "totals": volunteer_totals(volunteer.id, utcnow(), org_zone()),
        **_profile_context(volunteer),
        **_groups_context(volunteer),
        **_notes_context(volunteer),
        **_status_context(volunteer),
        **member_training(volunteer),
        "attendance": attendance.record_of(volunteer, _visible_groups(current_user)),
    }
    context.update(override)
    return render_template("leader/member.html", **context)


@bp.route("/groups/<int:group_id>/members/<int:volunteer_id>/remove", methods=["POST"])
@leader_required
def member_remove(group_id, volunteer_id):
    group = group_for_leader(current_user, group_id)
    membership = Membership.get_or_none(Membership.group == group, Membership.user == volunteer_id)
    if membership is None:
        abort(404)
    volunteer, here = membership.user, url_for("leader.member", volunteer_id=volunteer_id)
    if membership.is_leader and not current_user.is_admin:
        return done(
            "leader/_member_groups.html",
            here,
            gettext("Only an administrator can remove a group leader."),
            "error",
            target="member-groups",
            **_groups_context(volunteer),
        )
    with write_transaction():
        accounts.remove_membership(current_user._get_current_object(), membership)
    message = f"{volunteer.name} has been removed from {group.name}. Their registrations stay."
    if current_user.is_admin or leads_any(volunteer):
        return done("leader/_member_groups.html", here, message, target="member-groups", **_groups_context(volunteer))
    return answered(url_for("leader.members", group_id=group.id), message)  # no longer one of theirs: the list


def leads_any(volunteer):
    led = [g.id for g in current_user.led_groups()] or [0]
    return Membership.select().where(Membership.user == volunteer, Membership.group.in_(led)).exists()


def _change_status(volunteer_id, active):
    volunteer = member_for_leader(current_user, volunteer_id)
    here = url_for("leader.member", volunteer_id=volunteer.id)
    refusal = _status_refusal(volunteer)
    if refusal:
        return done(
            "leader/_member_status.html", here, refusal, "error", target="account-status", **_status_context(volunteer)
        )
    with write_transaction():
        accounts.set_active(current_user._get_current_object(), volunteer, active)
    if active:
        message = f"{volunteer.name} has been reactivated and can log in again."
    else:
        message = f"{volunteer.name} has been deactivated and can no longer log in. Their history stays."
        ahead = accounts.coming_shifts(volunteer)
        if ahead:
            message += (
                f" They are still registered for {ahead} coming shift{'s' if ahead != 1 else ''}:"
                " please find cover on the rota."
            )
    return done("leader/_member_status.html", here, message, target="account-status", **_status_context(volunteer))


@bp.route("/volunteers/<int:volunteer_id>/deactivate", methods=["POST"])
@leader_required
def member_deactivate(volunteer_id):
    return _change_status(volunteer_id, False)


@bp.route("/volunteers/<int:volunteer_id>/reactivate", methods=["POST"])
@leader_required
def member_reactivate(volunteer_id):
    return _change_status(volunteer_id, True)
