"""People: accounts, volunteer profiles, groups (venues) and who belongs to them."""

import secrets
import unicodedata
from datetime import date

import peewee
from flask_login import UserMixin

from ..db import BaseModel, utcnow
from .org import Allergen, Frequency, Organisation, PlaceOfWorship


def normal_email(text):
    """How every e-mail address is stored, and every address someone typed is looked up: trimmed,
    lower case and NFKC-normalised, so a fullwidth "ｖｅｒａ" is the same address as "vera"."""
    return unicodedata.normalize("NFKC", text or "").strip().lower()


def new_token():
    return secrets.token_urlsafe(24)


class User(UserMixin, BaseModel):
    # Family members registered by a parent have no e-mail or password of their own.
    email = peewee.CharField(null=True, unique=True)
    first_name = peewee.CharField()
    last_name = peewee.CharField(default="")
    password_hash = peewee.CharField(null=True)
    temp_password_hash = peewee.CharField(null=True)
    temp_password_expires = peewee.DateTimeField(null=True)
    must_change_password = peewee.BooleanField(default=False)
    session_token = peewee.CharField(default=new_token)
    active = peewee.BooleanField(default=True)
    is_admin = peewee.BooleanField(default=False)
    family_of = peewee.ForeignKeyField("self", null=True, backref="family", on_delete="CASCADE")
    verified_generation = peewee.IntegerField(default=0)
    created_at = peewee.DateTimeField(default=utcnow)
    # When this leader last marked the cancellations on Leader Home as seen.
    leader_seen_at = peewee.DateTimeField(null=True)
    language = peewee.CharField(default="")  # "" = the organisation's default (cervis.languages)

    @property
    def name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def inbox(self):
        """Who reads this person's email: themselves, or the parent of a family member (who has
        no address of their own); None when nobody can, and nobody for a deactivated volunteer,
        nor through a deactivated parent."""
        if not self.active:
            return None
        if self.email:
            return self
        parent = self.family_of if self.family_of_id else None
        return parent if parent is not None and parent.active and parent.email else None

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        # The token makes a copied cookie worthless once the token changes.
        return f"{self.id}:{self.session_token}"

    def end_sessions(self):
        self.session_token = new_token()

    @property
    def is_leader(self):
        # Asked by the menus, the leader pages' guard and home_for: one query per loaded user.
        if "_is_leader" not in self.__dict__:
            self.__dict__["_is_leader"] = self.memberships.where(Membership.is_leader == True).exists()
        return self.__dict__["_is_leader"]

    def led_groups(self):
        return (
            Group.select()
            .join(Membership)
            .where(Membership.user == self, Membership.is_leader == True)
            .order_by(Group.name)
        )

    def groups(self):
        return Group.select().join(Membership).where(Membership.user == self).order_by(Group.name)

    def needs_profile(self, org=None):
        """A volunteer verifies their profile at first login, and again when asked."""
        if self.is_admin:
            return False
        org = org or Organisation.current()
        return self.verified_generation < org.verify_generation

    def household(self):
        """The volunteer and the family members they register for."""
        return [self, *self.family.order_by(User.first_name)]

    @classmethod
    def by_email(cls, email):
        """The account with the address someone typed, by normal_email's one rule."""
        return cls.get_or_none(cls.email == normal_email(email))


class Group(BaseModel):
    """A venue: volunteers join it, leaders run its opportunities."""

    name = peewee.CharField(unique=True)
    address = peewee.TextField(default="")
    description = peewee.TextField(default="")
    open_to_join = peewee.BooleanField(default=True)  # offered on the profile form

    def leaders(self):
        return (
            User.select()
            .join(Membership)
            .where(Membership.group == self, Membership.is_leader == True)
            .order_by(User.first_name)
        )


class Membership(BaseModel):
    user = peewee.ForeignKeyField(User, backref="memberships", on_delete="CASCADE")
    group = peewee.ForeignKeyField(Group, backref="memberships", on_delete="CASCADE")
    is_leader = peewee.BooleanField(default=False)
    joined_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("user", "group"), True),)


class Profile(BaseModel):
    """What a volunteer tells us about themselves: personal data, shown only to who needs it."""

    user = peewee.ForeignKeyField(User, unique=True, backref="profiles", on_delete="CASCADE")
    frequency = peewee.ForeignKeyField(Frequency, null=True, on_delete="SET NULL")
    mobile = peewee.CharField(default="")
    address = peewee.TextField(default="")
    postcode = peewee.CharField(default="")
    emergency_name = peewee.CharField(default="")
    emergency_phone = peewee.CharField(default="")
    postal_mailings = peewee.BooleanField(null=True)
    supporter_emails = peewee.BooleanField(null=True)
    linked_organisation = peewee.BooleanField(null=True)
    linked_organisation_name = peewee.CharField(default="")
    birth_date = peewee.DateField(null=True)
    terms_accepted_at = peewee.DateTimeField(null=True)
    privacy_accepted_at = peewee.DateTimeField(null=True)
    updated_at = peewee.DateTimeField(default=utcnow)

    @classmethod
    def for_user(cls, user):
        return cls.get_or_none(cls.user == user) or cls(user=user)

    def age_on(self, day: date):
        if self.birth_date is None:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))

    def allergens(self):
        return (
            Allergen.select().join(ProfileAllergen).where(ProfileAllergen.profile == self).order_by(Allergen.position)
        )

    def places(self):
        return (
            PlaceOfWorship.select()
            .join(ProfilePlace)
            .where(ProfilePlace.profile == self)
            .order_by(PlaceOfWorship.position)
        )


class ProfileAllergen(BaseModel):
    profile = peewee.ForeignKeyField(Profile, backref="allergen_links", on_delete="CASCADE")
    allergen = peewee.ForeignKeyField(Allergen, on_delete="CASCADE")

    class Meta:
        indexes = ((("profile", "allergen"), True),)


class ProfilePlace(BaseModel):
    profile = peewee.ForeignKeyField(Profile, backref="place_links", on_delete="CASCADE")
    place = peewee.ForeignKeyField(PlaceOfWorship, on_delete="CASCADE")

    class Meta:
        indexes = ((("profile", "place"), True),)
