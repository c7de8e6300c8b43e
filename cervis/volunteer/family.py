"""Family Members: people a volunteer registers (a teenage child, say) who have no log-in of their own.

Each is a volunteer with their own profile; only the volunteer who added them may see or change them.
"""

from flask_babel import gettext
from flask import abort, render_template, url_for
from flask_login import current_user, login_required

from ..db import utcnow, write_transaction
from ..forms import EmptyForm
from ..htmx import answered, done
from ..models import PENDING, REGISTERED, AuditLog, Organisation, Profile, Registration, Slot, User
from ..profile_forms import FamilyMemberForm, save_lists, snapshot
from . import bp
from .profile import family_of


def member_for_parent(user, member_id):
    """A family member of this volunteer; 404 for anyone else's, so ids reveal nothing."""
    member = User.get_or_none(User.id == member_id, User.family_of == user)
    if member is None:
        abort(404)
    return member


@bp.route("/profile/family/new", methods=["GET", "POST"])
@login_required
def family_add():
    parent = current_user._get_current_object()
    return _member_page(User(first_name="", last_name="", family_of=parent), Profile(), adding=True)


@bp.route("/profile/family/<int:member_id>", methods=["GET", "POST"])
@login_required
def family_edit(member_id):
    member = member_for_parent(current_user, member_id)
    return _member_page(member, Profile.for_user(member), adding=False)


def _member_page(member, record, adding):
    form = FamilyMemberForm()
    form.setup_shared(member)
    if not form.is_submitted():
        form.process(
            data=dict(form.shared_data(record, member), first_name=member.first_name, last_name=member.last_name)
        )
    if form.validate_on_submit():
        _save_member(form, member, record, adding)
        return answered(
            url_for("volunteer.profile"),
            gettext(
                "Family Member %(value)s Successfully: %(name)s.",
                value="Added" if adding else "Updated",
                name=member.name,
            ),
            target="family",
        )
    failed = form.is_submitted()
    return render_template(
        "volunteer/family_member.html", form=form, member=member, adding=adding
    ), 400 if failed else 200


def _save_member(form, member, record, adding):
    parent = current_user._get_current_object()
    with write_transaction():
        before = None if adding else snapshot(record, member)
        member.first_name, member.last_name = form.first_name.data, form.last_name.data
        if adding:
            # No e-mail or password: the parent signs them up. Verified: the parent answered for them.
            member.email, member.family_of = None, parent
            member.verified_generation = Organisation.current().verify_generation
        member.save()
        record.user = member
        record.birth_date = form.birth_date()
        record.updated_at = utcnow()
        record.save()
        save_lists(form, record, member)
        AuditLog.record(
            parent,
            "family member added" if adding else "family member updated",
            member,
            before=before,
            after=snapshot(record, member),
        )


def has_upcoming_shifts(member):
    return (
        Registration.select()
        .join(Slot)
        .where(
            Registration.volunteer == member, Registration.status.in_([PENDING, REGISTERED]), Slot.starts_at > utcnow()
        )
        .exists()
    )


@bp.route("/profile/family/<int:member_id>/remove", methods=["POST"])
@login_required
def family_remove(member_id):
    parent = current_user._get_current_object()
    member = member_for_parent(parent, member_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    with write_transaction():
        if has_upcoming_shifts(member):
            # Removing them would silently empty a place on a rota: the leader must hear of it first.
            message, category = (
                (
                    f"{member.name} still has upcoming registrations. Please cancel them "
                    "first, then remove this family member."
                ),
                "error",
            )
        else:
            AuditLog.record(parent, "family member removed", member, before=snapshot(Profile.for_user(member), member))
            member.delete_instance()
            message, category = f"Family Member Removed Successfully: {member.name}.", "success"
    return done(
        "volunteer/_profile_family.html",
        url_for("volunteer.profile") + "#family",
        message,
        category,
        target="family",
        family=family_of(parent),
        oob=True,
    )
