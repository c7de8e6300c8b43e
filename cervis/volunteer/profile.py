"""View or Update Volunteer Profile Information, and "Verify Volunteer Information" at first login."""

from flask_babel import gettext
from flask import render_template, request
from flask_login import current_user, login_required

from .. import volunteer_limits
from ..translated import lazy_gettext
from ..auth.landing import home_for
from ..db import utcnow, write_transaction
from ..htmx import answered
from ..models import AuditLog, Organisation, Profile, User
from ..profile_forms import LimitsForm, ProfileForm, profile_data, save_lists, set_places, snapshot
from . import bp
from .announcement_settings import announcement_choices
from .feeds import feeds_for
from .training import my_training

VERIFY, UPDATE = lazy_gettext("Verify Volunteer Information"), lazy_gettext("Update Volunteer Information")


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    user = current_user._get_current_object()
    org = Organisation.current()
    verifying = user.needs_profile(org)
    record = Profile.for_user(user)
    form = ProfileForm().setup(user, org)
    if request.method == "GET":
        form.process(data=profile_data(form, record, user, verifying))
    if form.validate_on_submit():
        save_profile(form, record, user, org, verifying)
        return answered(
            home_for(user),
            gettext("Volunteer Information Verified Successfully.")
            if verifying
            else gettext("Volunteer Information Updated Successfully."),
        )
    status = 400 if form.is_submitted() else 200
    return render_template(
        "volunteer/profile.html",
        form=form,
        user=user,
        profile=record,
        verifying=verifying,
        first_time=user.verified_generation == 0,
        button=VERIFY if verifying else UPDATE,
        family=family_of(user),
        feeds=[] if verifying else feeds_for(user),
        announce=announcement_choices(user),
        limits_form=None if verifying else LimitsForm.of(volunteer_limits.limits_of(user)),
        **my_training(user),
    ), status


def family_of(user):
    return list(User.select().where(User.family_of == user).order_by(User.first_name, User.last_name))


def save_profile(form, record, user, org, verifying):
    """All of it or none of it: the profile, its lists, the groups, the verification and the audit."""
    with write_transaction():
        before = snapshot(record, user) if record.id else None
        if record.id is None:
            # A double click sends the first-time form twice: both must end in the one profile row.
            Profile.insert(user=user).on_conflict_ignore().execute()
            record.id = Profile.get(Profile.user == user).id
        for name in ("mobile", "address", "postcode", "emergency_name", "emergency_phone", "linked_organisation_name"):
            setattr(record, name, getattr(form, name).data)
        record.frequency = form.frequency.data
        record.postal_mailings = form.postal_mailings.data == "yes"
        record.supporter_emails = form.supporter_emails.data == "yes"
        record.linked_organisation = form.linked_organisation.data == "yes"
        if not record.linked_organisation:
            record.linked_organisation_name = ""
        now = utcnow()
        # The acceptance time is when they ticked it: first time, or again when asked to re-verify.
        if verifying or not record.terms_accepted_at:
            record.terms_accepted_at = now
        if verifying or not record.privacy_accepted_at:
            record.privacy_accepted_at = now
        record.updated_at = now
        record.birth_date = form.birth_date()
        record.save()
        save_lists(form, record, user)
        set_places(record, form.places.data)
        # Only this column: a whole-row save could undo a change made elsewhere since the page loaded.
        user.verified_generation = max(user.verified_generation, org.verify_generation)
        User.update(verified_generation=user.verified_generation).where(User.id == user.id).execute()
        AuditLog.record(
            user,
            "profile verified" if verifying else "profile updated",
            record,
            before=before,
            after=snapshot(record, user),
        )
