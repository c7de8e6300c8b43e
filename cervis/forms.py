"""Forms shared across areas. Labels keep the volunteer guide's wording."""

from flask_babel import gettext

from .translated import N_, lazy_gettext
import unicodedata

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from .passwords import MAX_LENGTH, TOO_LONG


# A plain string (tests and callers compare it), translated where it is raised; N_ marks it for pybabel.
ONE_LINE = N_("Please keep this to one line, without line breaks, tabs or other control characters.")
HIDDEN_DIRECTION = N_(
    "Please take out the hidden character that changes the direction of the text: it can make a name or a "
    "subject read as something else."
)
# Unicode's embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): "Eve\u202egnp.exe"
# shows as "Eveexe.png". The joiners (U+200C, U+200D) stay: Persian, Indic names and emoji need them.
DIRECTION_CONTROLS = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))


def has_control(text):
    """A line break, tab or other control character: never in a name, a title or a subject (they
    reach e-mail headers, where a line break cannot be written)."""
    return any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in text or "")


def changes_direction(text):
    """A hidden character that makes the text read in another order than it is written."""
    return not DIRECTION_CONTROLS.isdisjoint(text or "")


def single_line(form, field):
    """The validator of every single-line field."""
    if isinstance(field.data, str) and has_control(field.data):
        raise ValidationError(gettext(ONE_LINE))
    if isinstance(field.data, str) and changes_direction(field.data):
        raise ValidationError(gettext(HIDDEN_DIRECTION))


class EmptyForm(FlaskForm):
    """For button-only actions: the form carries nothing but its CSRF token."""


class LoginForm(FlaskForm):
    email = EmailField(
        lazy_gettext("E-mail Address"),
        validators=[DataRequired(lazy_gettext("Please enter your e-mail address.")), single_line],
    )
    password = PasswordField(
        lazy_gettext("Password"), validators=[DataRequired(lazy_gettext("Please enter your password."))]
    )
    remember = BooleanField(lazy_gettext("Remember my profile"))


def _strip(value):
    # A phone's keyboard often adds a space after a word: never let it make an address "invalid".
    return value.strip() if isinstance(value, str) else value


class ResetForm(FlaskForm):
    email = EmailField(
        lazy_gettext("E-mail:"),
        filters=[_strip],
        validators=[
            DataRequired(lazy_gettext("Please enter your e-mail address.")),
            Email(lazy_gettext("Please enter a valid e-mail address.")),
            single_line,
        ],
    )
    first_name = StringField(
        lazy_gettext("First Name:"),
        filters=[_strip],
        validators=[DataRequired(lazy_gettext("Please enter your first name.")), single_line],
    )


class NewPasswordForm(FlaskForm):
    new_password = PasswordField(
        lazy_gettext("New Password:*"),
        validators=[
            DataRequired(lazy_gettext("Please choose a new password.")),
            Length(max=MAX_LENGTH, message=TOO_LONG),
        ],
    )
    confirm = PasswordField(
        lazy_gettext("Confirm New Password:*"),
        validators=[
            DataRequired(lazy_gettext("Please enter the new password again.")),
            EqualTo("new_password", lazy_gettext("The two passwords are not the same.")),
        ],
    )


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        lazy_gettext("Current Password:*"),
        validators=[DataRequired(lazy_gettext("Please enter your current password."))],
    )
