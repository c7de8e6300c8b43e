"""The organisation's settings and the lists an administrator edits."""

from decimal import Decimal

import peewee
from flask import g, has_request_context

from ..db import BaseModel


class Organisation(BaseModel):
    """One row: the charity running this install."""

    name = peewee.CharField(default="Our Charity")
    short_name = peewee.CharField(default="CERVIS")
    contact_email = peewee.CharField(default="")
    contact_phone = peewee.CharField(default="")
    contact_hours = peewee.CharField(default="")
    timezone = peewee.CharField(default="Europe/London")
    terms_text = peewee.TextField(default="")
    privacy_text = peewee.TextField(default="")
    session_timeout = peewee.IntegerField(default=30)  # minutes without activity
    session_lifetime = peewee.IntegerField(default=12)  # hours from log-in, however busy
    guide_password_rule = peewee.BooleanField(default=False)  # 1 upper, 1 lower, 1 digit
    verify_generation = peewee.IntegerField(default=1)  # bump to make everyone verify again
    retention_years = peewee.IntegerField(default=3)  # inactive this long: listed for erasure
    deadline_reminder_days = peewee.IntegerField(default=3)  # before an offer deadline; 0 = none
    application_retention_months = peewee.IntegerField(default=6)  # declined or withdrawn: then erased
    language = peewee.CharField(default="en")  # for pages before log-in and people who chose none
    waiting_offer_hours = peewee.IntegerField(default=6)  # a freed place waits this long for its taker
    # What a volunteer hour is worth in the statistics and the funder's report: by default the UK
    # National Living Wage from April 2026.
    hourly_value = peewee.DecimalField(max_digits=8, decimal_places=2, default=Decimal("12.71"))

    @property
    def site_name(self):
        """ "WHC CERVIS", in page titles and emails; a charity still called CERVIS is not "CERVIS CERVIS"."""
        return self.short_name if "CERVIS" in self.short_name else f"{self.short_name} CERVIS"

    @classmethod
    def current(cls):
        """The row, read once per request (cervis.auth forgets it as each request starts and ends);
        outside a request, read every time."""
        cached = g.get("org") if has_request_context() else None
        if cached is not None:
            return cached
        org = cls.select().order_by(cls.id).first()
        org = org if org is not None else cls.create()
        if has_request_context():
            g.org = org
        return org


class ListItem(BaseModel):
    name = peewee.CharField(unique=True)
    position = peewee.IntegerField(default=0)

    @classmethod
    def ordered(cls):
        return cls.select().order_by(cls.position, cls.name)


class Allergen(ListItem):
    pass


class PlaceOfWorship(ListItem):
    starred = peewee.BooleanField(default=False)  # the answers that are not a place


class Frequency(ListItem):
    pass


class InterestCategory(ListItem):
    pass


ALLERGENS = [
    "None",
    "Celery",
    "Gluten",
    "Crustaceans",
    "Eggs",
    "Fish",
    "Lupin",
    "Milk",
    "Molluscs",
    "Mustard",
    "Tree nuts",
    "Peanuts",
    "Sesame",
    "Soya",
    "Sulphites",
]
STARRED_PLACES = [
    "I don't belong to a place of worship",
    "I prefer not to say",
    "My place of worship isn't on this list",
    "Unknown",
]
FREQUENCIES = ["Weekly", "Fortnightly", "Monthly", "Occasionally"]
INTERESTS = ["Night shelter", "Cooking", "Support centre", "Fundraising"]


def seed_lists():
    Organisation.current()
    for model, names in ((Allergen, ALLERGENS), (Frequency, FREQUENCIES), (InterestCategory, INTERESTS)):
        if not model.select().exists():
            model.insert_many([{"name": n, "position": i} for i, n in enumerate(names)]).execute()
    if not PlaceOfWorship.select().exists():
        PlaceOfWorship.insert_many(
            [{"name": n, "position": i, "starred": True} for i, n in enumerate(STARRED_PLACES)]
        ).execute()
