"""The volunteer profile and family-member forms, and how their answers reach the database.

Labels keep the volunteer guide's words; "WHC" in them is the organisation's short name.
"""

from flask_babel import gettext
from .translated import lazy, lazy_gettext
import re
from datetime import date

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField, TelField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError

from .forms import single_line
from .models import Allergen, Frequency, Group, Membership, PlaceOfWorship, ProfileAllergen, ProfilePlace
from .timeutil import month_name, org_zone, to_local, utcnow

PLACEHOLDER_BIRTH_DATE = date(1875, 1, 1)  # where the guide's three selects start
EARLIEST_YEAR = 1900


def _frequency_id(value):
    """The chosen frequency's id; 0 for the empty "Please select", which DataRequired refuses."""
    return int(value) if value not in ("", None) else 0


YES_NO = [
    SelectChoice("", lazy_gettext("Please select")),
    SelectChoice("yes", lazy_gettext("Yes")),
    SelectChoice("no", lazy_gettext("No")),
]
PHONE = Regexp(r"^\+?[0-9 ()\-]{10,20}$", message=lazy_gettext("Please enter a phone number, like 07700 900123."))
# Outward code, optional space, inward code: "HP11 2AB", "W1A 1AA".
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes: the template lays them out in the .checks grid."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("coerce", int)
        super().__init__(label, validators, **kwargs)


def today():
    return to_local(utcnow(), org_zone()).date()


class BirthDateAndAllergies:
    """Fields a volunteer and a family member both answer."""

    birth_month = SelectField(
        lazy_gettext("Month"),
        validate_choice=False,
        choices=[SelectChoice(str(m), lazy(month_name, m)) for m in range(1, 13)],
    )
    birth_day = SelectField(
        lazy_gettext("Day"), validate_choice=False, choices=[SelectChoice(str(d), f"{d:02d}") for d in range(1, 32)]
    )
    birth_year = SelectField(lazy_gettext("Year"), validate_choice=False)
    allergens = MultiCheckboxField(lazy_gettext("Volunteer Allergies and Intolerances:"))
    groups = MultiCheckboxField(lazy_gettext("Groups I Would Like to Join:*"))

    def setup_shared(self, member):
        """Fill the lists from the database; `member` is whose memberships are shown."""
        years = [str(y) for y in range(today().year, EARLIEST_YEAR - 1, -1)]
        self.birth_year.choices = [SelectChoice(y, y) for y in years + [str(PLACEHOLDER_BIRTH_DATE.year)]]
        self.allergens.choices = [SelectChoice(a.id, a.name) for a in Allergen.ordered()]
        self.none_allergen_ids = {a.id for a in Allergen.ordered() if a.name.strip().lower() == "none"}
        memberships = list(Membership.select().where(Membership.user == member)) if member.id else []
        self.led_group_ids = {m.group_id for m in memberships if m.is_leader}
        member_of = {m.group_id for m in memberships}
        offered = Group.select().where(Group.open_to_join | Group.id.in_(member_of or [0])).order_by(Group.name)
        self.groups.choices = [SelectChoice(g.id, g.name) for g in offered]

    def birth_date(self):
        """The chosen date, or None when the selects do not make a real one."""
        try:
            return date(int(self.birth_year.data), int(self.birth_month.data), int(self.birth_day.data))
        except (TypeError, ValueError):
            return None

    def validate_birth_year(self, field):
        try:
            year, month, day = int(field.data), int(self.birth_month.data), int(self.birth_day.data)
        except (TypeError, ValueError):
            raise ValidationError(gettext("Please select the month, day and year of birth."))
        if not 1 <= month <= 12:
            raise ValidationError(gettext("Please select the month of birth."))
        if (year, month, day) == (PLACEHOLDER_BIRTH_DATE.year, 1, 1):
            raise ValidationError(
                gettext("Please select the birth date: January 01 1875 is only where the list starts.")
            )
        if year < EARLIEST_YEAR:
            raise ValidationError(
                gettext("Please select a birth year from %(EARLIEST_YEAR)s onwards.", EARLIEST_YEAR=EARLIEST_YEAR)
            )
        if self.birth_date() is None:
            raise ValidationError(
                gettext(
                    "%(month)s %(day)s %(year)s is not a real date. Please select the birth date again.",
                    month=month_name(month),
                    day=format(day, "02d"),
                    year=year,
                )
            )
        if self.birth_date() > today():
            raise ValidationError(gettext("The birth date cannot be in the future."))

    def validate_allergens(self, field):
        chosen = set(field.data or [])
        if chosen & self.none_allergen_ids and chosen - self.none_allergen_ids:
            raise ValidationError(gettext('Please tick either "None" or the allergies and intolerances, not both.'))

    def validate_groups(self, field):
        if self.groups.choices and not (set(field.data or []) | self.led_group_ids):
            raise ValidationError(gettext("Please tick at least one group to join."))

    def shared_data(self, profile, member):
        """The form's starting values for an existing profile and member."""
        born = profile.birth_date or PLACEHOLDER_BIRTH_DATE
        return dict(
            birth_month=str(born.month),
            birth_day=str(born.day),
            birth_year=str(born.year),
            allergens=[a.id for a in profile.allergens()] if profile.id else [],
            groups=[g.id for g in member.groups()] if member.id else [],
        )


class ProfileForm(BirthDateAndAllergies, FlaskForm):
    frequency = SelectField(
        lazy_gettext("Preferred Frequency of Volunteering:*"),
        coerce=_frequency_id,
        validators=[DataRequired(lazy_gettext("Please select how often you would like to volunteer."))],
    )
    mobile = TelField(
        lazy_gettext("Mobile Phone:*"),
        filters=[_strip],
        validators=[DataRequired(lazy_gettext("Please enter your mobile phone number.")), PHONE, single_line],
    )
    address = TextAreaField(
        lazy_gettext("Address:*"),
        filters=[_strip],
        validators=[DataRequired(lazy_gettext("Please enter your address.")), Length(max=500)],
    )
    postcode = StringField(
        lazy_gettext("Postcode:*"),
        filters=[_strip, lambda v: v.upper() if v else v],
        validators=[DataRequired(lazy_gettext("Please enter your postcode.")), single_line],
    )
    emergency_name = StringField(
        lazy_gettext("Emergency Contact Name:*"),
        filters=[_strip],
        validators=[
            DataRequired(lazy_gettext("Please enter the name of someone we can call in an emergency.")),
            Length(max=120),
            single_line,
        ],
    )
    emergency_phone = TelField(
        lazy_gettext("Emergency Contact Phone:*"),
        filters=[_strip],
        validators=[
            DataRequired(lazy_gettext("Please enter your emergency contact's phone number.")),
            PHONE,
            single_line,
        ],
    )
    postal_mailings = SelectField(choices=YES_NO, validators=[DataRequired(lazy_gettext("Please select Yes or No."))])
    supporter_emails = SelectField(choices=YES_NO, validators=[DataRequired(lazy_gettext("Please select Yes or No."))])
    places = MultiCheckboxField(lazy_gettext("Volunteer Places of worship:"))
    linked_organisation = SelectField(
        lazy_gettext("Linked to Supporting Organisation:*"),
        choices=YES_NO,
        validators=[DataRequired(lazy_gettext("Please select Yes or No."))],
    )
    linked_organisation_name = StringField(
        lazy_gettext("Name of Supporting Organisation:"), filters=[_strip], validators=[Length(max=200), single_line]
    )
    accept_terms = BooleanField(
        lazy_gettext("I have read, understand, and accept the following terms & conditions:"),
        validators=[DataRequired(lazy_gettext("Please accept the terms & conditions."))],
    )
    accept_privacy = BooleanField(validators=[DataRequired(lazy_gettext("Please accept the privacy policy."))])

    def setup(self, user, org):
        self.setup_shared(user)
        short = org.short_name
        self.postal_mailings.label.text = gettext(
            "I Would Like to Receive %(short)s Supporter postal mailings:*", short=short
        )
        self.supporter_emails.label.text = gettext("I Would Like to Receive %(short)s Supporter E-mails:*", short=short)
        self.accept_privacy.label.text = gettext(
            "I have read, understand, and accept the %(short)s Privacy Policy for Volunteers", short=short
        )
        self.frequency.choices = [SelectChoice("", gettext("Please select"))] + [
            SelectChoice(f.id, f.name) for f in Frequency.ordered()
        ]
        # Starred answers ("I prefer not to say"...) come first, shown with their "*" as in the guide.
        places = PlaceOfWorship.select().order_by(
            PlaceOfWorship.starred.desc(), PlaceOfWorship.position, PlaceOfWorship.name
        )
        self.places.choices = [SelectChoice(p.id, f"*{p.name}" if p.starred else p.name) for p in places]
        return self

    def validate_postcode(self, field):
        if field.data and not POSTCODE.match(field.data):
            raise ValidationError(gettext("Please enter a UK postcode, like HP11 2AB."))

    def validate_linked_organisation_name(self, field):
        if self.linked_organisation.data == "yes" and not field.data:
            raise ValidationError(gettext("Please enter the name of the supporting organisation."))


def yes_no(value):
    return "" if value is None else ("yes" if value else "no")


def profile_data(form, profile, user, verifying):
    """The starting values: what the volunteer told us before; acceptances again when re-verifying."""
    data = form.shared_data(profile, user)
    data.update(
        frequency=profile.frequency_id or 0,
        mobile=profile.mobile,
        address=profile.address,
        postcode=profile.postcode,
        emergency_name=profile.emergency_name,
        emergency_phone=profile.emergency_phone,
        postal_mailings=yes_no(profile.postal_mailings),
        supporter_emails=yes_no(profile.supporter_emails),
        linked_organisation=yes_no(profile.linked_organisation),
        linked_organisation_name=profile.linked_organisation_name,
        places=[p.id for p in profile.places()] if profile.id else [],
        accept_terms=bool(profile.terms_accepted_at) and not verifying,
        accept_privacy=bool(profile.privacy_accepted_at) and not verifying,
    )
    return data


class FamilyMemberForm(BirthDateAndAllergies, FlaskForm):
    first_name = StringField(
        lazy_gettext("First Name:*"),
        filters=[_strip],
        validators=[DataRequired(lazy_gettext("Please enter their first name.")), Length(max=80), single_line],
    )
    last_name = StringField(
        lazy_gettext("Last Name:*"),
        filters=[_strip],
        validators=[DataRequired(lazy_gettext("Please enter their last name.")), Length(max=80), single_line],
    )


def save_lists(form, profile, member):
    """Allergies and groups; inside the caller's transaction, once the profile is saved."""
    ProfileAllergen.delete().where(ProfileAllergen.profile == profile).execute()
    for allergen_id in form.allergens.data:
        ProfileAllergen.create(profile=profile, allergen=allergen_id)
    set_groups(member, set(form.groups.data), {c.value for c in form.groups.choices})


def set_places(profile, place_ids):
    ProfilePlace.delete().where(ProfilePlace.profile == profile).execute()
    for place_id in place_ids:
        ProfilePlace.create(profile=profile, place=place_id)


def set_groups(member, chosen, offered):
    """Join the ticked groups; leave the unticked ones, except where this person is a leader."""
    current = {m.group_id for m in Membership.select().where(Membership.user == member)}
    for group_id in sorted((chosen & offered) - current):
        Membership.create(user=member, group=group_id)
    (
        Membership.delete()
        .where(
            Membership.user == member,
            Membership.group.in_(list(offered - chosen) or [0]),
            Membership.is_leader == False,
        )
        .execute()
    )


def snapshot(profile, member):
    """What the audit log keeps of a profile: enough to see what changed."""
    return dict(
        name=member.name,
        frequency=profile.frequency_id,
        mobile=profile.mobile,
        address=profile.address,
        postcode=profile.postcode,
        emergency_name=profile.emergency_name,
        emergency_phone=profile.emergency_phone,
        postal_mailings=profile.postal_mailings,
        supporter_emails=profile.supporter_emails,
        linked_organisation=profile.linked_organisation,
        linked_organisation_name=profile.linked_organisation_name,
        birth_date=profile.birth_date,
        allergens=[a.name for a in profile.allergens()] if profile.id else [],
        places=[p.name for p in profile.places()] if profile.id else [],
        groups=[g.name for g in member.groups()] if member.id else [],
    )


class WholeNumber(IntegerField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Please enter a whole number, or leave it empty for no limit.") from None


class LimitsForm(FlaskForm):
    """Limits that protect a volunteer, on their profile and on their member page."""

    per_month = WholeNumber(
        lazy_gettext("At most this many shifts a month"),
        validators=[
            Optional(),
            NumberRange(1, 31, lazy_gettext("Please enter a number from 1 to 31, or leave it empty for no limit.")),
        ],
        render_kw={"inputmode": "numeric", "min": "1", "max": "31"},
    )
    gap_days = WholeNumber(
        lazy_gettext("At least this many days from one shift to the next"),
        validators=[
            Optional(),
            NumberRange(1, 60, lazy_gettext("Please enter a number from 1 to 60, or leave it empty for no limit.")),
        ],
        description=lazy_gettext("7 means at most one shift a week; 2, never two nights running."),
        render_kw={"inputmode": "numeric", "min": "1", "max": "60"},
    )

    @classmethod
    def of(cls, limits):
        """Filled with the limits saved (None: none yet), unless a form was sent."""
        return cls(
            data={"per_month": getattr(limits, "per_month", None), "gap_days": getattr(limits, "gap_days", None)}
        )
