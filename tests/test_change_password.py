"""The guide's "Change CERVIS Password": after a temporary password, at first login, and from the menu."""

import pytest
from conftest import PASSWORD, TEMP, emails_to

from cervis import passwords
from cervis.models import Organisation, User

NEW = "a brand new passphrase of mine"


def change(client, new=NEW, confirm=None, current=None, **headers):
    data = {"new_password": new, "confirm": new if confirm is None else confirm}
    if current is not None:
        data["current_password"] = current
    return client.post("/password", data=data, headers=headers)


def user(email):
    return User.get(User.email == email)


def test_temporary_password_leads_straight_to_change_cervis_password(auth, client):
    response = auth.login("nia@example.org", TEMP)
    assert response.status_code == 303 and response.headers["Location"].split("#")[0].endswith("/password")
    page = client.get("/password").get_data(as_text=True)
    for words in (
        "Change CERVIS Password",
        "Please create a personal password for your CERVIS account below.",
        "Your password must contain between 10 and 128 characters",
        "Name:",
        "Nia Newcomer",
        "E-mail:",
        "nia@example.org",
        "New Password:*",
        "Confirm New Password:*",
        "Password Strength:",
        "Change Password",
    ):
        assert words in page
    assert "Current Password" not in page  # the temporary password was proof enough


def test_nothing_else_opens_until_the_password_is_changed(auth, client):
    auth.login("nia@example.org", TEMP)
    for url in ("/portal/", "/leader/", "/admin/", "/"):
        response = client.get(url)
        assert response.status_code in (302, 303) and response.headers["Location"].split("#")[0].endswith("/password")
    htmx = client.get("/portal/", headers={"HX-Request": "true"})
    assert htmx.headers["HX-Redirect"].endswith("/password")
    assert client.get("/contact").status_code == 200
    assert client.post("/logout").status_code == 303


def test_account_made_by_the_charity_changes_its_password_at_first_login(auth, client, db):
    User.update(must_change_password=True).where(User.email == "vera@example.org").execute()
    response = auth.login()
    assert response.headers["Location"].split("#")[0].endswith("/password")
    assert client.get("/portal/").headers["Location"].split("#")[0].endswith("/password")
    assert "Current Password" not in client.get("/password").get_data(as_text=True)


def test_new_volunteer_changes_password_then_verifies_profile(auth, client, app, db):
    auth.login("nia@example.org", TEMP)
    response = change(client)
    assert response.status_code == 303
    profile_page = "/portal/profile" if "volunteer.profile" in app.view_functions else "/portal/"
    assert response.headers["Location"].split("#")[0].endswith(profile_page)
    nia = user("nia@example.org")
    assert not nia.must_change_password and nia.temp_password_hash is None
    assert nia.password_hash.startswith("$argon2id$") and passwords.verify_password(nia.password_hash, NEW)
    assert "Your password has been changed." in client.get(response.headers["Location"]).get_data(as_text=True)
    [email] = emails_to("nia@example.org", "password-changed")
    assert "every other session of your account was signed out" in email.body_text
    client.post("/logout")
    assert auth.login("nia@example.org", TEMP).status_code == 401
    assert auth.login("nia@example.org", NEW).status_code == 303


def test_change_password_from_the_menu_asks_for_the_current_password(auth, client):
    auth.login()
    assert "Change Password" in client.get("/portal/").get_data(as_text=True)
    page = client.get("/password").get_data(as_text=True)
    assert "Current Password:*" in page and "New Password:*" in page and "&lt; Portal Home" in page
    response = change(client, current=PASSWORD)
    assert response.status_code == 303 and response.headers["Location"].split("#")[0].endswith("/portal/")
    assert passwords.verify_password(user("vera@example.org").password_hash, NEW)


def test_wrong_current_password_is_refused(auth, client):
    auth.login()
    response = change(client, current="not my password at all")
    assert response.status_code == 400
    assert "That is not your current password." in response.get_data(as_text=True)
    both = change(client, new="short", current="not my password at all").get_data(as_text=True)
    assert "That is not your current password." in both and "at least 10 characters" in both
    assert passwords.verify_password(user("vera@example.org").password_hash, PASSWORD)


@pytest.mark.parametrize(
    "weak, reason",
    [
        ("Short1", "Your password must be at least 10 characters long."),
        ("x" * 129, "Your password must be at most 128 characters long."),
        ("password1234", "This is one of the most common passwords"),
        ("qwertyuiop", "This is one of the most common passwords"),
        ("Volunteer-for-ever-and-ever", "Your password must not contain your name."),
        ("i am vera and I cook", "Your password must not contain your name."),
        ("vera@example.org is me", "Your password must not contain your e-mail address."),
        ("I love WHC night shelter", "Your password must not contain the organisation"),
        ("wycombe example connection", "Your password must not contain the organisation"),
    ],
)
def test_weak_new_password_is_refused_with_reason(auth, client, weak, reason):
    auth.login()
    response = change(client, new=weak, current=PASSWORD)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert reason in page
    assert weak not in page  # a password is never sent back to the page
    assert passwords.verify_password(user("vera@example.org").password_hash, PASSWORD)


def test_confirmation_must_match(auth, client):
    auth.login()
    response = change(client, confirm=NEW + "!", current=PASSWORD)
    assert response.status_code == 400
    assert "The two passwords are not the same." in response.get_data(as_text=True)


def test_long_passphrase_of_128_characters_is_accepted(auth, client):
    auth.login()
    phrase = ("the night shelter kitchen smells of soup " * 4)[:128]
    assert change(client, new=phrase, current=PASSWORD).status_code == 303
    assert passwords.verify_password(user("vera@example.org").password_hash, phrase)


def test_guide_rule_needs_an_uppercase_a_lowercase_and_a_number(auth, client, db):
    Organisation.update(guide_password_rule=True).execute()
    auth.login()
    page = client.get("/password").get_data(as_text=True)
    assert (
        "Your password must contain between 10 and 128 characters and must contain at least "
        "1 uppercase character, 1 lowercase character, and 1 number!"
    ) in page
    refused = change(client, current=PASSWORD)
    assert refused.status_code == 400
    assert "at least 1 uppercase character, 1 lowercase character, and 1 number." in refused.get_data(as_text=True)
    assert change(client, new="Brand New Passphrase 7", current=PASSWORD).status_code == 303


def test_plain_rule_is_stated_when_the_guide_rule_is_off(auth, client):
    auth.login()
    page = client.get("/password").get_data(as_text=True)
    assert "common passwords, your name, your e-mail and our name are not allowed" in page
    assert "1 uppercase character" not in page


def test_password_change_ends_other_sessions_but_keeps_this_one(app, auth, client):
    elsewhere = app.test_client()
    elsewhere.post("/login", data={"email": "vera@example.org", "password": PASSWORD})
    auth.login()
    copied = client.get_cookie("session").value
    change(client, current=PASSWORD)
    assert client.get("/portal/").status_code == 200
    response = elsewhere.get("/portal/")
    assert response.status_code == 303 and "/login" in response.headers["Location"]
    replay = app.test_client()
    replay.set_cookie("session", copied)  # a copy taken before the change
    assert replay.get("/portal/").status_code in (302, 303)


def test_password_strength_meter_updates_as_the_volunteer_types(auth, client):
    auth.login()
    weak = client.post(
        "/password/strength", data={"new_password": "vera12345678"}, headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert "Password Strength:" in weak and "Weak" in weak
    assert "Your password must not contain your name." in weak
    strong = client.post(
        "/password/strength", data={"new_password": "tidal orchid lantern 58 gravel"}, headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert 'id="strength"' in strong and "Strong" in strong
    longest = client.post("/password/strength", data={"new_password": "Zq8!" * 32})
    assert longest.status_code == 200  # zxcvbn's own 72-character limit never breaks the meter


def test_strength_meter_is_wired_to_the_new_password_field(auth, client):
    auth.login()
    page = client.get("/password").get_data(as_text=True)
    assert 'hx-post="/password/strength"' in page and 'hx-target="#strength"' in page
    assert 'hx-params="new_password,token"' in page  # the current password never goes with it


def test_strength_meter_on_the_email_link_page_knows_whose_password_it_is(client, db):
    client.post("/reset", data={"email": "vera@example.org", "first_name": "Vera"})
    link = emails_to("vera@example.org", "temporary-password")[0].body_text.split("http://localhost")[-1]
    token = link.split()[0].rsplit("/", 1)[1]
    page = client.get(f"/password/temporary/{token}").get_data(as_text=True)
    assert f'name="token" value="{token}"' in page
    meter = client.post("/password/strength", data={"new_password": "veravolunteer", "token": token})
    assert "Your password must not contain your name." in meter.get_data(as_text=True)


def test_strength_meter_says_nothing_to_a_stranger(client):
    assert client.post("/password/strength", data={"new_password": "anything at all"}).status_code == 204


def test_strength_meter_works_in_a_browser_with_csrf_on(app, phone, live_server):
    """As in production: the meter's request carries only the CSRF header from base.html's hx-headers."""
    app.config["WTF_CSRF_ENABLED"] = True
    phone.goto("/login")
    phone.get_by_label("E-mail Address").fill("vera@example.org")
    phone.get_by_label("Password", exact=True).fill(PASSWORD)
    phone.get_by_role("button", name="Log in with E-mail").click()
    phone.wait_for_url("**/portal/*")
    phone.goto("/password")
    meter = phone.locator("#strength")
    phone.get_by_label("New Password:*", exact=True).press_sequentially("vera12345678", delay=5)
    meter.get_by_text("Your password must not contain your name.").wait_for()
    phone.get_by_label("New Password:*", exact=True).fill("tidal orchid lantern 58 gravel")
    meter.get_by_text("Strong").wait_for()
    phone.get_by_label("Current Password:*").fill(PASSWORD)
    phone.get_by_label("Confirm New Password:*").fill("tidal orchid lantern 58 gravel")
    phone.get_by_role("button", name="Change Password").click()
    phone.wait_for_url("**/portal/*")
    assert phone.get_by_text("Your password has been changed.").is_visible()


def test_a_refused_password_shows_the_meter_verdict_and_an_error_summary_without_javascript(auth, client):
    auth.login("nia@example.org", TEMP)
    response = change(client, new="password12")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    meter = page[page.index('id="strength"') : page.index('class="meter"')]
    assert "Password Strength: <strong>—" not in meter and "<strong>" in meter  # a verdict, not a blank
    assert 'id="answer"' in page and 'href="#new_password">' in page  # the summary, focused on load
    assert 'value="password12"' not in page  # what was typed is never sent back
