"""Add Volunteer: a group leader makes an account for someone in their groups, who gets a welcome
e-mail with a temporary password. (The member list and a volunteer's page: members.py.)"""

from flask_babel import gettext
from ..translated import lazy_gettext
import peewee
from flask import render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectMultipleField, StringField, TelField
from wtforms.validators import DataRequired, Length, Optional

from .. import accounts
from ..auth import leader_required
from ..db import write_transaction
from ..forms import single_line
from ..htmx import answered
from ..models import Group, User
from ..permissions import as_id, groups_led_by
from . import bp


class VolunteerForm(FlaskForm):
    email = EmailField(
        lazy_gettext("E-mail Address"),
        validators=[DataRequired(lazy_gettext("Please enter the e-mail address.")), Length(max=254), single_line],
    )
    first_name = StringField(
        lazy_gettext("First Name"),
        validators=[
            DataRequired(lazy_gettext("Please enter the first name.")),
            Length(max=accounts.NAME_MAX),
            single_line,
        ],
    )
    last_name = StringField(
        lazy_gettext("Last Name"),
        validators=[
            DataRequired(lazy_gettext("Please enter the last name.")),
            Length(max=accounts.NAME_MAX),
            single_line,
        ],
    )
    phone = TelField(lazy_gettext("Phone"), validators=[Optional(), Length(max=accounts.PHONE_MAX), single_line])
    groups = SelectMultipleField(lazy_gettext("Groups"), coerce=int, validate_choice=False)


def _volunteer_form():
    form = VolunteerForm()
    form.groups.choices = [(g.id, g.name) for g in groups_led_by(current_user)]
    if not form.is_submitted() and as_id(request.args.get("group")):
        form.groups.data = [as_id(request.args["group"])]
    return form


def _volunteer_refused(form):
    """Why this account cannot be made, written onto the fields; False if it can."""
    if form.email.data and not form.email.errors:
        problem = accounts.email_problem(form.email.data)
        if problem is None and User.by_email(form.email.data) is not None:
            problem = "There is already an account with this e-mail address."
        if problem:
            form.email.errors.append(problem)
    allowed = dict(form.groups.choices)
    if any(g not in allowed for g in form.groups.data or []):
        form.groups.errors.append("Please choose only groups you lead.")
    elif not form.groups.data and not current_user.is_admin:
        form.groups.errors.append("Please choose at least one of your groups.")
    return bool(form.email.errors or form.groups.errors)


@bp.route("/volunteers/new", methods=["GET", "POST"])
@leader_required
def member_new():
    form = _volunteer_form()
    # Both checks always run, so every problem shows at once beside its field.
    valid = form.is_submitted() and form.validate()
    if form.is_submitted() and not _volunteer_refused(form) and valid:
        groups = list(Group.select().where(Group.id.in_(form.groups.data or [0])).order_by(Group.name))
        try:
            with write_transaction():
                user = accounts.create_volunteer(
                    current_user._get_current_object(),
                    form.email.data,
                    form.first_name.data,
                    form.last_name.data,
                    form.phone.data,
                    groups,
                )
        except peewee.IntegrityError:  # the same address added at the same moment elsewhere
            form.email.errors.append("There is already an account with this e-mail address.")
        else:
            return answered(
                url_for("leader.member", volunteer_id=user.id),
                gettext(
                    "The account for %(name)s has been created. A welcome e-mail with a temporary password is on its way to %(email)s.",
                    name=user.name,
                    email=user.email,
                ),
            )
    return render_template("leader/member_new.html", form=form), 400 if form.is_submitted() else 200
