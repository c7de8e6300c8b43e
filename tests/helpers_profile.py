"""Helpers for the profile and family tests: list ids by name, and filling in the form in a browser."""

from cervis.models import Allergen, Frequency, Group, PlaceOfWorship


def ids(model, *names):
    """The ids of list entries (groups, allergens...) by their names, as the form posts them."""
    return [model.get(model.name == n).id for n in names]


def fill_profile(page, group="Northside"):
    """Answer every required question on "Verify Volunteer Information" (leaves the click to the caller)."""
    page.get_by_label(group, exact=True).check()
    page.get_by_label("Preferred Frequency of Volunteering:*").select_option(label="Monthly")
    page.get_by_label("Mobile Phone:*").fill("07700 900123")
    page.get_by_label("Address:*").fill("3 Oak Lane, High Wycombe")
    page.get_by_label("Postcode:*").fill("HP11 2AB")
    page.get_by_label("Emergency Contact Name:*").fill("Ed Emergency")
    page.get_by_label("Emergency Contact Phone:*").fill("01494 000111")
    page.get_by_label("None", exact=True).check()
    page.get_by_label("Supporter postal mailings:*").select_option(label="Yes")
    page.get_by_label("Supporter E-mails:*").select_option(label="No")
    page.get_by_label("Linked to Supporting Organisation:*").select_option(label="No")
    page.get_by_label("Month", exact=True).select_option(label="March")
    page.get_by_label("Day", exact=True).select_option(label="14")
    page.get_by_label("Year", exact=True).select_option(label="1980")
    page.get_by_label("I have read, understand, and accept the following terms & conditions:").check()
    page.get_by_label("Privacy Policy for Volunteers", exact=False).last.check()


def valid_profile(**changes):
    """Everything the form asks for, answered as a careful volunteer would."""
    data = {
        "groups": ids(Group, "Northside"),
        "frequency": ids(Frequency, "Monthly")[0],
        "mobile": "07700 900123",
        "address": "3 Oak Lane\nHigh Wycombe",
        "postcode": "hp11 2ab",
        "emergency_name": "Ed Emergency",
        "emergency_phone": "01494 000111",
        "allergens": ids(Allergen, "None"),
        "postal_mailings": "yes",
        "supporter_emails": "no",
        "places": ids(PlaceOfWorship, "I prefer not to say"),
        "linked_organisation": "no",
        "linked_organisation_name": "",
        "birth_month": "3",
        "birth_day": "14",
        "birth_year": "1980",
        "accept_terms": "y",
        "accept_privacy": "y",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}
