"""The guide's "Logging in for the First Time" profile step, and "How do I update my details in CERVIS?"."""

import re
from datetime import timedelta

import pytest

from conftest import PASSWORD, TEMP, hashed
from helpers_profile import fill_profile, ids
from cervis.db import utcnow
from cervis.models import Allergen, AuditLog, Group, Membership, Organisation, PlaceOfWorship, Profile, User
from helpers_profile import valid_profile

NEW_PASSWORD = "Lantern Quietly Mended 42"


def is_ticked(page, name):
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
    return " checked" in tag


def login_as_new_volunteer(auth, client):
    """Nia's first log-in: the temporary password, then a password of her own."""
    assert auth.login("nia@example.org", TEMP).headers["Location"].split("#")[0].endswith("/password")
    response = client.post("/password", data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 303
    return response


def test_first_login_goes_from_password_to_profile_and_verifies(auth, client, db):
    response = login_as_new_volunteer(auth, client)
    assert response.headers["Location"].split("#")[0].endswith("/portal/profile")
    # Nothing else opens until the profile is verified.
    assert client.get("/portal/").headers["Location"].split("#")[0].endswith("/portal/profile")
    page = client.get("/portal/profile").get_data(as_text=True)
    assert "Verify Volunteer Information" in page and "Update Volunteer Information" not in page
    assert "Family Members" not in page

    response = client.post("/portal/profile", data=valid_profile())
    assert response.status_code == 303
    assert response.headers["Location"].split("#")[0].endswith("/portal/")
    home = client.get("/portal/", follow_redirects=True).get_data(as_text=True)
    assert "Volunteer Information Verified Successfully." in home
    nia = User.get(User.email == "nia@example.org")
    assert nia.verified_generation == Organisation.current().verify_generation
    profile = Profile.get(Profile.user == nia)
    assert profile.postcode == "HP11 2AB" and profile.mobile == "07700 900123"
    assert profile.birth_date.isoformat() == "1980-03-14"
    assert profile.postal_mailings is True and profile.supporter_emails is False
    assert [a.name for a in profile.allergens()] == ["None"]
    assert [p.name for p in profile.places()] == ["I prefer not to say"]
    assert profile.terms_accepted_at and profile.privacy_accepted_at
    assert [g.name for g in nia.groups()] == ["Northside"]
    assert AuditLog.get(AuditLog.action == "profile verified").actor_id == nia.id


def test_volunteer_who_already_changed_password_is_still_asked_for_the_profile(auth, client, db):
    User.create(
        email="pat@example.org",
        first_name="Pat",
        last_name="Prepared",
        password_hash=hashed(PASSWORD),
        verified_generation=0,
    )
    assert auth.login("pat@example.org").status_code == 303
    assert client.get("/portal/").headers["Location"].split("#")[0].endswith("/portal/profile")
    assert client.get("/leader/").headers["Location"].split("#")[0].endswith("/portal/profile")
    assert "Verify Volunteer Information" in client.get("/portal/profile").get_data(as_text=True)


def test_terms_and_privacy_open_before_the_profile_is_verified(auth, client, db):
    org = Organisation.current()
    org.terms_text, org.privacy_text = "Be kind to guests.", "We keep your data safe."
    org.save()
    login_as_new_volunteer(auth, client)
    page = client.get("/portal/profile").get_data(as_text=True)
    assert 'href="/terms"' in page and 'href="/privacy"' in page
    assert "Be kind to guests." in client.get("/terms").get_data(as_text=True)
    assert "We keep your data safe." in client.get("/privacy").get_data(as_text=True)


def test_profile_form_uses_the_guides_words(auth, client, db):
    PlaceOfWorship.create(name="Abundant Life Family Church, High Wycombe", position=10)
    login_as_new_volunteer(auth, client)
    page = client.get("/portal/profile").get_data(as_text=True)
    for words in (
        "Volunteer Allergies and Intolerances:",
        "Allergies and Intolerances",
        "I Would Like to Receive WHC Supporter postal mailings:*",
        "I Would Like to Receive WHC Supporter E-mails:*",
        "Volunteer Places of worship:",
        "Places of worship",
        "Linked to Supporting Organisation:*",
        "Volunteer Birth Date:*",
        "I have read, understand, and accept the following terms &amp; conditions:",
        "WHC Privacy Policy for Volunteers",
        "Click here to view",
        "Preferred Frequency of Volunteering:*",
        "Mobile Phone:*",
        "Emergency Contact Name:*",
        "Postcode:*",
        "Celery",
        "Sulphites",
        'class="checks"',
    ):
        assert words in page, words
    # Starred answers come first, with their "*" as in the guide.
    assert page.index("*I don&#39;t belong to a place of worship") < page.index("Abundant Life Family Church")
    # The three selects start where the guide's do: January 01 1875.
    assert '<option selected value="1">January</option>' in page
    assert '<option selected value="1">01</option>' in page
    assert '<option selected value="1875">1875</option>' in page


def test_missing_required_fields_each_get_a_message_and_keep_what_was_typed(auth, client, db):
    login_as_new_volunteer(auth, client)
    response = client.post(
        "/portal/profile",
        data=valid_profile(
            groups=None,
            frequency="0",
            mobile="",
            address="",
            postcode="",
            emergency_name="",
            emergency_phone="07700 900456",
            postal_mailings="",
            supporter_emails="",
            linked_organisation="",
            accept_terms=None,
            accept_privacy=None,
            allergens=ids(Allergen, "Milk", "Sesame"),
        ),
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    for message in (
        "Please tick at least one group to join.",
        "Please select how often you would like to volunteer.",
        "Please enter your mobile phone number.",
        "Please enter your address.",
        "Please enter your postcode.",
        "Please enter the name of someone we can call in an emergency.",
        "Please accept the terms &amp; conditions.",
        "Please accept the privacy policy.",
    ):
        assert message in page, message
    assert page.count("Please select Yes or No.") == 6  # beside each field, and in the summary above
    summary = page[page.index('class="banner banner-error error-summary"') : page.index("Fields marked * are required")]
    assert "11 fields need attention" in summary
    for link in (
        'href="#mobile">Mobile Phone: Please enter your mobile phone number.',
        'href="#accept_privacy">',
        'href="#postal_mailings">',
        'href="#groups-',
    ):
        assert link in summary, link
    # What was typed stays.
    assert 'value="07700 900456"' in page
    assert f'value="{ids(Allergen, "Milk")[0]}" checked' in page
    assert '<option selected value="14">14</option>' in page
    assert '<option selected value="1980">1980</option>' in page
    assert "Verify Volunteer Information" in page
    assert User.get(User.email == "nia@example.org").verified_generation == 0
    assert not Profile.select().join(User).where(User.email == "nia@example.org").exists()


@pytest.mark.parametrize(
    "month, day, year, message",
    [
        ("1", "1", "1875", "January 01 1875 is only where the list starts"),
        ("2", "31", "1990", "February 31 1990 is not a real date"),
        ("6", "1", "1899", "Please select a birth year from 1900 onwards."),
    ],
)
def test_birth_date_must_be_a_real_one(auth, client, db, month, day, year, message):
    login_as_new_volunteer(auth, client)
    response = client.post("/portal/profile", data=valid_profile(birth_month=month, birth_day=day, birth_year=year))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert 'value="07700 900123"' in page


def test_birth_date_in_the_future_is_rejected(auth, client, db):
    tomorrow = (utcnow() + timedelta(days=2)).date()
    login_as_new_volunteer(auth, client)
    response = client.post(
        "/portal/profile",
        data=valid_profile(birth_month=str(tomorrow.month), birth_day=str(tomorrow.day), birth_year=str(tomorrow.year)),
    )
    assert response.status_code == 400
    assert "The birth date cannot be in the future." in response.get_data(as_text=True)


def test_none_together_with_eggs_is_rejected(auth, client, db):
    login_as_new_volunteer(auth, client)
    response = client.post("/portal/profile", data=valid_profile(allergens=ids(Allergen, "None", "Eggs")))
    assert response.status_code == 400
    assert "Please tick either &#34;None&#34; or the allergies and intolerances, not both." in response.get_data(
        as_text=True
    )


def test_linked_to_supporting_organisation_yes_needs_its_name(auth, client, db):
    login_as_new_volunteer(auth, client)
    response = client.post("/portal/profile", data=valid_profile(linked_organisation="yes"))
    assert response.status_code == 400
    assert "Please enter the name of the supporting organisation." in response.get_data(as_text=True)
    response = client.post(
        "/portal/profile", data=valid_profile(linked_organisation="yes", linked_organisation_name="St Mary's Church")
    )
    assert response.status_code == 303
    profile = Profile.select().join(User).where(User.email == "nia@example.org").get()
    assert profile.linked_organisation is True and profile.linked_organisation_name == "St Mary's Church"


def test_bad_phone_and_postcode_are_marked_beside_the_field(auth, client, db):
    login_as_new_volunteer(auth, client)
    page = client.post("/portal/profile", data=valid_profile(mobile="call me", postcode="NOWHERE")).get_data(
        as_text=True
    )
    assert "Please enter a phone number, like 07700 900123." in page
    assert "Please enter a UK postcode, like HP11 2AB." in page
    assert 'value="call me"' in page and 'value="NOWHERE"' in page


def test_volunteer_verifies_again_when_the_organisation_asks(auth, client, db):
    auth.login()
    client.post("/portal/profile", data=valid_profile())
    vera = User.get(User.email == "vera@example.org")
    first_accepted = Profile.get(Profile.user == vera).terms_accepted_at
    Organisation.update(verify_generation=Organisation.verify_generation + 1).execute()

    assert client.get("/portal/").headers["Location"].split("#")[0].endswith("/portal/profile")
    page = client.get("/portal/profile").get_data(as_text=True)
    assert "Verify Volunteer Information" in page
    assert 'value="07700 900123"' in page  # what she told us before is kept
    assert not is_ticked(page, "accept_terms") and not is_ticked(page, "accept_privacy")  # accept again
    response = client.post("/portal/profile", data=valid_profile())
    assert response.status_code == 303
    assert User.get_by_id(vera.id).verified_generation == 2
    assert Profile.get(Profile.user == vera).terms_accepted_at > first_accepted
    assert client.get("/portal/").status_code == 200


def test_update_later_says_update_volunteer_information(auth, client, db):
    auth.login()
    home = client.get("/portal/").get_data(as_text=True)
    assert "View or Update Volunteer Profile Information" in home and "Update My Profile" in home
    page = client.get("/portal/profile").get_data(as_text=True)
    assert "Update Volunteer Information" in page and "Verify Volunteer Information" not in page
    assert "&lt; Portal Home" in page and "Family Members" in page
    response = client.post("/portal/profile", data=valid_profile(mobile="07700 900999"))
    assert response.status_code == 303 and response.headers["Location"].split("#")[0].endswith("/portal/")
    assert "Volunteer Information Updated Successfully." in client.get("/portal/").get_data(as_text=True)
    vera = User.get(User.email == "vera@example.org")
    assert Profile.get(Profile.user == vera).mobile == "07700 900999"
    log = AuditLog.get(AuditLog.action == "profile updated")
    assert "07700 900000" in log.before and "07700 900999" in log.after


def test_acceptance_time_is_kept_on_a_later_update(auth, client, db):
    auth.login()
    client.post("/portal/profile", data=valid_profile())
    vera = User.get(User.email == "vera@example.org")
    accepted = Profile.get(Profile.user == vera).terms_accepted_at
    page = client.get("/portal/profile").get_data(as_text=True)
    assert is_ticked(page, "accept_terms") and is_ticked(page, "accept_privacy")
    assert "Accepted " in page
    client.post("/portal/profile", data=valid_profile(mobile="07700 900888"))
    assert Profile.get(Profile.user == vera).terms_accepted_at == accepted


def test_unticking_a_group_leaves_it_and_ticking_another_joins(auth, client, db):
    auth.login()
    response = client.post("/portal/profile", data=valid_profile(groups=ids(Group, "Southside")))
    assert response.status_code == 303
    vera = User.get(User.email == "vera@example.org")
    assert [g.name for g in vera.groups()] == ["Southside"]


def test_a_leader_keeps_the_group_they_lead(auth, client, db):
    auth.login("leo@example.org")
    page = client.get("/portal/profile").get_data(as_text=True)
    assert "(Group Leader)" in page and "checked disabled" in page
    # A disabled box sends nothing: the leader's membership must survive the save.
    response = client.post("/portal/profile", data=valid_profile(groups=ids(Group, "Southside")))
    assert response.status_code == 303
    leo = User.get(User.email == "leo@example.org")
    assert [g.name for g in leo.groups()] == ["Northside", "Southside"]
    assert Membership.get(Membership.user == leo, Membership.group == ids(Group, "Northside")[0]).is_leader


def test_a_group_closed_to_joining_cannot_be_joined_with_a_crafted_id(auth, client, db):
    closed = Group.create(name="Kitchen Crew", open_to_join=False)
    auth.login()
    page = client.get("/portal/profile").get_data(as_text=True)
    assert "Kitchen Crew" not in page
    response = client.post("/portal/profile", data=valid_profile(groups=[closed.id]))
    assert response.status_code == 400
    vera = User.get(User.email == "vera@example.org")
    assert [g.name for g in vera.groups()] == ["Northside"]


def test_the_profile_page_shows_only_the_volunteers_own_data(auth, client, db):
    sam = User.get(User.email == "sam@example.org")
    Profile.update(emergency_name="Sammy's Secret Contact", mobile="07700 111222").where(Profile.user == sam).execute()
    auth.login()
    page = client.get("/portal/profile").get_data(as_text=True)
    assert "Vera Volunteer" in page
    assert "Sammy" not in page and "07700 111222" not in page and "sam@example.org" not in page


def test_profile_works_on_a_320px_phone(browser, live_server):
    context = browser.new_context(viewport={"width": 320, "height": 640}, base_url=live_server)
    page = context.new_page()
    try:
        page.goto("/login")
        page.get_by_label("E-mail Address").fill("nia@example.org")
        page.get_by_label("Password", exact=True).fill(TEMP)
        page.get_by_role("button", name="Log in with E-mail").click()
        page.wait_for_url("**/password")
        page.get_by_label("New Password:*", exact=True).fill(NEW_PASSWORD)
        page.get_by_label("Confirm New Password:*").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Change Password").click()
        page.wait_for_url("**/portal/profile*")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.get_by_role("button", name="Verify Volunteer Information").click()
        assert page.locator(".field-error", has_text="Please enter your mobile phone number.").is_visible()
        assert page.evaluate("document.activeElement.id") == "answer"  # the error summary, at the top
        fill_profile(page)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.get_by_role("button", name="Verify Volunteer Information").click()
        page.wait_for_url("**/portal/*")
        assert page.get_by_text("Volunteer Information Verified Successfully.").is_visible()
    finally:
        context.close()
