"""Apply to Volunteer: the public form, what happens next, and the applicant's own page (by its signed link)."""

from flask_babel import gettext
from .translated import lazy_gettext, plain
from datetime import timedelta

from flask import Blueprint, abort, flash, render_template, url_for
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from . import applications
from .forms import EmptyForm, _strip, single_line
from .htmx import answered
from .auth.landing import client_address
from .models import Frequency, Group, Organisation, Throttle
from .models.people import normal_email
from .permissions import as_id
from .profile_forms import MultiCheckboxField

bp = Blueprint("apply", __name__)

APPLY_WINDOW = timedelta(hours=1)
APPLY_PER_EMAIL, APPLY_PER_ADDRESS = 3, 10
TOO_MANY = lazy_gettext(
    "Too many applications have been sent from here. Please wait an hour and try again, or contact us."
)
PHONE = Regexp(r"^\+?[0-9 ()\-]{10,20}$", message=lazy_gettext("Please enter a phone number, like 07700 900123."))


def _text(label, message=None, size=100, required=True):
    checks = [DataRequired(message)] if required else [Optional()]
    return StringField(
        label,
        filters=[_strip],
        validators=checks
        + [
            Length(max=size, message=lazy_gettext("Please keep this to %(size)s characters or fewer.", size=size)),
            single_line,
        ],
    )


def _email(label, message):
    return EmailField(
        label,
        filters=[_strip],
        validators=[
            DataRequired(message),
            Email(lazy_gettext("Please enter a valid e-mail address.")),
            Length(max=254, message=lazy_gettext("Please keep this to 254 characters or fewer.")),
            single_line,
        ],
    )


class ApplyForm(FlaskForm):
    first_name = _text(lazy_gettext("First Name:*"), lazy_gettext("Please enter your first name."))
    last_name = _text(lazy_gettext("Last Name:*"), lazy_gettext("Please enter your last name."))
    email = _email(lazy_gettext("E-mail Address:*"), lazy_gettext("Please enter your e-mail address."))
    phone = StringField(
        lazy_gettext("Phone:*"),
        filters=[_strip],
        validators=[DataRequired(lazy_gettext("Please enter your phone number.")), PHONE, single_line],
    )
    groups = MultiCheckboxField(
        lazy_gettext("Where would you like to volunteer?*"), validate_choice=False, coerce=lambda v: as_id(v) or 0
    )
    frequency = SelectField(lazy_gettext("How often would you like to volunteer?*"), validate_choice=False)
    referee1_name = _text(lazy_gettext("Referee 1 Name:*"), lazy_gettext("Please give the name of your first referee."))
    referee1_email = _email(
        lazy_gettext("Referee 1 E-mail:*"), lazy_gettext("Please give your first referee's e-mail address.")
    )
    referee1_relationship = _text(
        lazy_gettext("How does Referee 1 know you?*"), lazy_gettext("Please say how your first referee knows you."), 200
    )
    referee2_name = _text(
        lazy_gettext("Referee 2 Name:*"), lazy_gettext("Please give the name of your second referee.")
    )
    referee2_email = _email(
        lazy_gettext("Referee 2 E-mail:*"), lazy_gettext("Please give your second referee's e-mail address.")
    )
    referee2_relationship = _text(
        lazy_gettext("How does Referee 2 know you?*"),
        lazy_gettext("Please say how your second referee knows you."),
        200,
    )
    privacy = BooleanField(
        lazy_gettext("I have read and accept the privacy policy"),
        validators=[DataRequired(lazy_gettext("Please accept the privacy policy to apply."))],
    )
    website = StringField(
        lazy_gettext("Leave this empty"), validators=[Optional(), single_line]
    )  # the honeypot: people never see it

    def validate_groups(self, field):
        chosen = field.data or []
        known = {g.id for g in Group.select(Group.id).where(Group.id.in_(chosen or [0]))}
        field.data = [g for g in chosen if g in known]
        if not field.data:
            raise ValidationError(gettext("Please choose at least one place."))

    def validate_frequency(self, field):
        if _frequency(field.data) is None and Frequency.select().exists():  # no list there: nothing asked
            raise ValidationError(gettext("Please choose how often."))

    def validate_referee1_email(self, field):
        if normal_email(field.data) == normal_email(self.email.data):
            raise ValidationError(gettext("A referee cannot be you: please give someone else's e-mail address."))

    def validate_referee2_email(self, field):
        self.validate_referee1_email(field)
        if normal_email(field.data) == normal_email(self.referee1_email.data):
            raise ValidationError(gettext("Please give two different referees."))


def _form():
    form = ApplyForm()
    form.groups.choices = [SelectChoice(g.id, g.name) for g in Group.select().order_by(Group.name)]
    form.frequency.choices = [("", gettext("Please select"))] + [(str(f.id), f.name) for f in Frequency.ordered()]
    return form


@bp.route("/apply", methods=["GET", "POST"])
def apply():
    form = _form()
    # A robot filled the field people never see: the same answer, nothing done, and never a field
    # error (checked before the fields are, whatever it typed).
    if form.is_submitted() and form.website.data:
        return answered(url_for("apply.sent"))
    if not form.validate_on_submit():
        return _page(form, 400 if form.is_submitted() else 200)
    email = normal_email(form.email.data)
    blocked, _ = Throttle.reserve(
        [(f"apply-email:{email}", APPLY_PER_EMAIL), (f"apply-addr:{client_address()}", APPLY_PER_ADDRESS)], APPLY_WINDOW
    )
    if blocked is not None:
        flash(plain(TOO_MANY), "error")
        return _page(form, 429)
    applications.apply(_details(form), form.groups.data, [_referee(form, n) for n in (1, 2)])
    return answered(url_for("apply.sent"))


def _details(form):
    return dict(
        first_name=form.first_name.data,
        last_name=form.last_name.data,
        email=form.email.data,
        phone=form.phone.data,
        frequency=_frequency(form.frequency.data),
    )


def _frequency(value):
    chosen = as_id(value)
    return Frequency.get_or_none(Frequency.id == chosen) if chosen else None


def _referee(form, n):
    return {part: getattr(form, f"referee{n}_{part}").data for part in ("name", "email", "relationship")}


def _page(form, status):
    return render_template("apply/apply.html", form=form, org=Organisation.current()), status


@bp.route("/apply/sent")
def sent():
    return render_template("apply/sent.html", org=Organisation.current())


def _application(token):
    application = applications.from_link(token)
    if application is None:
        abort(404)
    return application


@bp.route("/apply/<token>")
def own_page(token):
    application = _application(token)
    if applications.confirm(application):
        flash(
            gettext("Thank you: your e-mail address is confirmed, and we have asked your referees for references."),
            "success",
        )
        application = applications.from_link(token)
    return render_template(
        "apply/own_page.html",
        application=application,
        token=token,
        steps=applications.steps(application),
        state=applications.STATES[application.status],
        can_withdraw=applications.may_withdraw(application),
        form=EmptyForm(),
        org=Organisation.current(),
    )


@bp.route("/apply/<token>/withdraw", methods=["POST"])
def withdraw(token):
    if not EmptyForm().validate_on_submit():
        abort(400)
    application = _application(token)
    done = applications.withdraw(application)
    message = "Your application is withdrawn. Thank you for your interest." if done else None
    return answered(url_for("apply.own_page", token=token), message)
