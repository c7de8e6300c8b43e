"""The guide's "Don't Know Password / Reset Password": a temporary password by e-mail."""

import re
from datetime import timedelta

from conftest import PASSWORD, TEMP, emails_to, temp_password_in

from cervis import passwords
from cervis.db import utcnow
from cervis.models import Throttle, User

NEW = "a brand new passphrase of mine"
SAME_ANSWER = "If that e-mail address and first name match an account, a temporary password is on its way."


def ask_for_reset(client, email="vera@example.org", first_name="Vera"):
    return client.post("/reset", data={"email": email, "first_name": first_name})


def link_in(email):
    return re.search(r"http://localhost(/password/temporary/\S+)", email.body_text).group(1)


def vera(db):
    return User.get(User.email == "vera@example.org")


def test_reset_page_uses_the_guides_words(client):
    page = client.get("/reset").get_data(as_text=True)
    for words in (
        "WHC CERVIS Password Reset",
        "E-mail:",
        "First Name:",
        "E-mail Temporary Password",
        "Back to CERVIS Login",
        "Contact Us",
        "please enter your E-mail address and first name below",
    ):
        assert words in page


def test_volunteer_resets_password_with_email_and_first_name(client, auth, db):
    response = ask_for_reset(client)
    assert response.status_code == 303 and response.headers["Location"].split("#")[0].endswith("/login")
    [email] = emails_to("vera@example.org", "temporary-password")
    temp = temp_password_in(email)
    assert len(temp) >= 12
    user = vera(db)
    # Stored only as an argon2 hash, lasting one hour.
    assert user.temp_password_hash.startswith("$argon2") and temp not in user.temp_password_hash
    assert timedelta(minutes=59) < user.temp_password_expires - utcnow() <= timedelta(hours=1)
    login = auth.login(password=temp)
    assert login.headers["Location"].split("#")[0].endswith("/password")
    page = client.get("/password").get_data(as_text=True)
    assert "Change CERVIS Password" in page and "Current Password" not in page


def test_first_name_matches_whatever_the_capitals_and_spaces(client):
    ask_for_reset(client, email=" VERA@example.org", first_name=" vERA ")
    assert len(emails_to("vera@example.org", "temporary-password")) == 1


def test_reset_page_answers_the_same_whether_or_not_they_matched(client, db):
    answers = []
    for email, first in (("vera@example.org", "Vera"), ("vera@example.org", "Vanessa"), ("nobody@example.org", "Vera")):
        response = ask_for_reset(client, email, first)
        login_page = client.get("/login").get_data(as_text=True)
        answers.append((response.status_code, response.headers["Location"], SAME_ANSWER in login_page))
    assert answers[0] == answers[1] == answers[2] == (303, "/login#answer", True)
    assert len(emails_to("vera@example.org", "temporary-password")) == 1
    assert emails_to("nobody@example.org") == []


def test_old_password_keeps_working_until_the_temporary_one_is_used(client, auth, db):
    ask_for_reset(client)
    response = auth.login()
    assert response.headers["Location"].split("#")[0].endswith("/portal/")
    user = vera(db)
    assert user.temp_password_hash is not None and not user.must_change_password


def test_temporary_password_works_only_once(client, auth, db):
    ask_for_reset(client)
    temp = temp_password_in(emails_to("vera@example.org", "temporary-password")[0])
    assert auth.login(password=temp).status_code == 303
    auth.logout()
    again = auth.login(password=temp)
    assert again.status_code == 401
    assert vera(db).temp_password_hash is None


def test_expired_temporary_password_is_refused(auth, db):
    User.update(temp_password_expires=utcnow() - timedelta(seconds=1)).where(User.email == "nia@example.org").execute()
    response = auth.login("nia@example.org", TEMP)
    assert response.status_code == 401
    assert "The e-mail address or password is not right." in response.get_data(as_text=True)


def test_a_second_reset_replaces_the_first_temporary_password(client, auth):
    ask_for_reset(client)
    ask_for_reset(client)
    first, second = emails_to("vera@example.org", "temporary-password")
    assert auth.login(password=temp_password_in(first)).status_code == 401
    assert auth.login(password=temp_password_in(second)).status_code == 303


def test_deactivated_account_gets_no_temporary_password(client, db):
    User.update(active=False).where(User.email == "vera@example.org").execute()
    response = ask_for_reset(client)
    assert response.status_code == 303
    assert emails_to("vera@example.org") == []


def test_reset_form_says_what_is_missing_and_keeps_what_was_typed(client):
    response = client.post("/reset", data={"email": "vera@example.org", "first_name": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Please enter your first name." in page and 'value="vera@example.org"' in page


def test_using_the_temporary_password_signs_out_every_other_session(app, client, auth):
    other = app.test_client()
    other.post("/login", data={"email": "vera@example.org", "password": PASSWORD})
    assert other.get("/portal/").status_code == 200
    ask_for_reset(client)
    auth.login(password=temp_password_in(emails_to("vera@example.org", "temporary-password")[0]))
    response = other.get("/portal/")
    assert response.status_code == 303 and "/login" in response.headers["Location"]


def test_reset_is_limited_per_account(client):
    for _ in range(3):
        assert ask_for_reset(client).status_code == 303
    refused = ask_for_reset(client)
    assert refused.status_code == 429
    assert "Too many password reset requests." in refused.get_data(as_text=True)
    assert len(emails_to("vera@example.org", "temporary-password")) == 3


def test_reset_is_limited_per_address(client, db):
    for i in range(10):
        ask_for_reset(client, email=f"someone{i}@example.org")
    assert ask_for_reset(client).status_code == 429
    assert Throttle.select().where(Throttle.key.startswith("reset-addr:")).count() == 10


# The link in the e-mail: mail scanners open links before people do, so opening it uses nothing up.


def test_email_link_opens_change_password_without_using_anything_up(client, auth, db):
    ask_for_reset(client)
    email = emails_to("vera@example.org", "temporary-password")[0]
    link = link_in(email)
    for _ in range(2):
        page = client.get(link)
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        assert "Change CERVIS Password" in text and "New Password:*" in text and "Current Password" not in text
    assert vera(db).temp_password_hash is not None
    assert auth.login(password=temp_password_in(email)).status_code == 303  # still valid


def test_email_link_sets_the_new_password_and_signs_in(client, auth, db):
    ask_for_reset(client)
    link = link_in(emails_to("vera@example.org", "temporary-password")[0])
    response = client.post(link, data={"new_password": NEW, "confirm": NEW})
    assert response.status_code == 303 and response.headers["Location"].split("#")[0].endswith("/portal/")
    assert client.get("/portal/").status_code == 200
    user = vera(db)
    assert user.temp_password_hash is None and not user.must_change_password
    auth.logout()
    assert auth.login(password=PASSWORD).status_code == 401
    assert auth.login(password=NEW).status_code == 303
    assert len(emails_to("vera@example.org", "password-changed")) == 1


def test_email_link_is_dead_once_used(client):
    ask_for_reset(client)
    link = link_in(emails_to("vera@example.org", "temporary-password")[0])
    client.post(link, data={"new_password": NEW, "confirm": NEW})
    client.post("/logout")
    response = client.get(link)
    assert response.status_code == 302 and response.headers["Location"].split("#")[0].endswith("/reset")
    assert "That link has expired or has already been used." in client.get("/reset").get_data(as_text=True)


def test_email_link_is_dead_once_the_temporary_password_is_used(client, auth):
    ask_for_reset(client)
    email = emails_to("vera@example.org", "temporary-password")[0]
    auth.login(password=temp_password_in(email))
    auth.logout()
    assert client.get(link_in(email)).status_code == 302


def test_email_link_refuses_a_weak_password_with_its_reason(client, db):
    ask_for_reset(client)
    link = link_in(emails_to("vera@example.org", "temporary-password")[0])
    response = client.post(link, data={"new_password": "short", "confirm": "short"})
    assert response.status_code == 400
    assert "at least 10 characters" in response.get_data(as_text=True)
    assert vera(db).temp_password_hash is not None


def test_tampered_or_expired_link_is_refused(client, db):
    ask_for_reset(client)
    link = link_in(emails_to("vera@example.org", "temporary-password")[0])
    assert client.get(link[:-3] + "abc").status_code == 302
    User.update(temp_password_expires=utcnow() - timedelta(seconds=1)).where(User.email == "vera@example.org").execute()
    assert client.get(link).status_code == 302
    assert client.post(link, data={"new_password": NEW, "confirm": NEW}).status_code == 302
    assert passwords.verify_password(vera(db).password_hash, PASSWORD)
