"""Organisation Settings: the charity's name, contact details, time zone, texts and security switches."""

from flask_babel import gettext
from ..translated import lazy_gettext
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import render_template, url_for
from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..forms import single_line
from ..auth import admin_required
from ..db import write_transaction
from ..htmx import answered
from ..languages import offered
from ..models import AuditLog, Organisation
from . import bp
from .paging import me

FIELDS = [
    "name",
    "short_name",
    "contact_email",
    "contact_phone",
    "contact_hours",
    "timezone",
    "terms_text",
    "privacy_text",
    "session_timeout",
    "session_lifetime",
    "guide_password_rule",
    "retention_years",
    "application_retention_months",
    "deadline_reminder_days",
    "language",
    "waiting_offer_hours",
    "hourly_value",
]
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Pounds(DecimalField):
    """An amount of money as typed: "12.71" or "£12.71"."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata([v.strip().removeprefix("£").strip() for v in valuelist])
        except ValueError:
            raise ValueError("Please enter an amount in pounds, for example 12.71.") from None


class SettingsForm(FlaskForm):
    name = StringField(
        lazy_gettext("Organisation name"),
        validators=[DataRequired(lazy_gettext("Please enter the organisation's name.")), Length(max=200), single_line],
    )
    short_name = StringField(
        lazy_gettext("Short name"),
        validators=[
            DataRequired(lazy_gettext("Please enter a short name.")),
            Length(max=30, message=lazy_gettext("Please keep it under 30 characters.")),
            single_line,
        ],
    )
    contact_email = StringField(lazy_gettext("Contact e-mail"), validators=[Optional(), Length(max=200), single_line])
    contact_phone = StringField(lazy_gettext("Contact phone"), validators=[Optional(), Length(max=50), single_line])
    contact_hours = StringField(lazy_gettext("Contact hours"), validators=[Optional(), Length(max=100), single_line])
    timezone = StringField(
        lazy_gettext("Time zone"), validators=[DataRequired(lazy_gettext("Please enter a time zone.")), single_line]
    )
    terms_text = TextAreaField(lazy_gettext("Terms and conditions"))
    privacy_text = TextAreaField(lazy_gettext("Privacy policy for volunteers"))
    session_timeout = IntegerField(
        lazy_gettext("Session timeout (minutes)"),
        validators=[
            DataRequired(lazy_gettext("Please enter a number of minutes between 5 and 240.")),
            NumberRange(5, 240, lazy_gettext("Please enter a number of minutes between 5 and 240.")),
        ],
    )
    session_lifetime = IntegerField(
        lazy_gettext("Session lifetime (hours)"),
        validators=[
            DataRequired(lazy_gettext("Please enter a number of hours between 1 and 168.")),
            NumberRange(1, 168, lazy_gettext("Please enter a number of hours between 1 and 168.")),
        ],
    )
    retention_years = IntegerField(
        lazy_gettext("Keep an inactive volunteer's data for (years)"),
        validators=[
            DataRequired(lazy_gettext("Please enter a number of years between 1 and 20.")),
            NumberRange(1, 20, lazy_gettext("Please enter a number of years between 1 and 20.")),
        ],
    )
    # No InputRequired (as below): a form sent without it keeps the current value.
    application_retention_months = IntegerField(
        lazy_gettext("Keep a declined or withdrawn application for (months)"),
        validators=[NumberRange(1, 24, lazy_gettext("Please enter a number of months between 1 and 24."))],
        render_kw={"inputmode": "numeric"},
    )
    # No InputRequired: a form sent without the field (an older page) keeps the current value.
    deadline_reminder_days = IntegerField(
        lazy_gettext("Offer deadline reminder (days before)"),
        validators=[
            NumberRange(0, 14, lazy_gettext("Please enter a number of days between 0 and 14 (0: no reminder)."))
        ],
        render_kw={"inputmode": "numeric"},
    )
    # No InputRequired: a form sent without the field (an older page) keeps the current value.
    waiting_offer_hours = IntegerField(
        lazy_gettext("Waiting list: hours to take a freed place"),
        validators=[NumberRange(1, 48, lazy_gettext("Please enter a number of hours between 1 and 48."))],
        render_kw={"inputmode": "numeric"},
    )
    hourly_value = Pounds(
        lazy_gettext("Value of a volunteer hour (£)"),
        places=2,
        validators=[
            NumberRange(
                0, 1000, lazy_gettext("Please enter an amount in pounds between 0 and 1000, for example 12.71.")
            )
        ],
        render_kw={"inputmode": "decimal"},
    )
    guide_password_rule = BooleanField(
        lazy_gettext(
            "Passwords must contain at least 1 uppercase character, 1 lowercase character, and 1 number "
            "(the rule in the volunteer guide)"
        )
    )

    language = SelectField(lazy_gettext("Language"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = offered()

    def validate_contact_email(self, field):
        if field.data and not EMAIL.match(field.data.strip()):
            raise ValidationError(gettext("Please enter a valid e-mail address, like volunteers@example.org."))

    def validate_timezone(self, field):
        try:
            # OSError: a name too long for a file name (the zones are files) is simply not a zone.
            ZoneInfo((field.data or "").strip())
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise ValidationError(gettext("That is not a time zone we know. Please use a name like Europe/London."))


def snapshot(org):
    return {name: getattr(org, name) for name in FIELDS}


@bp.route("/settings", methods=["GET", "POST"])
@admin_required
def settings():
    org = Organisation.current()
    form = SettingsForm(obj=org)
    if form.validate_on_submit():
        before = snapshot(org)
        for name in FIELDS:
            value = getattr(form, name).data
            setattr(org, name, value.strip() if isinstance(value, str) else value)
        after = snapshot(org)
        changed = [name for name in FIELDS if before[name] != after[name]]
        if changed:
            with write_transaction():
                org.save()
                AuditLog.record(
                    me(),
                    "settings-change",
                    org,
                    before={n: before[n] for n in changed},
                    after={n: after[n] for n in changed},
                )
        return answered(
            url_for("admin.settings"),
            gettext("Organisation settings saved.") if changed else gettext("Nothing was changed."),
            target="settings-save",
        )
    status = 400 if form.is_submitted() else 200
    return render_template("admin/settings.html", form=form), status
