"""The guide's "Logging into CERVIS": the login page, wrong turns, and signing out."""

from conftest import PASSWORD

from cervis.auth.session import LOGIN_PER_ACCOUNT

FULLWIDTH_VERA = "\uff56\uff45\uff52\uff41@example.org"  # "ｖｅｒａ": the same address, typed in fullwidth letters


def test_login_page_uses_the_guides_words(client):
    page = client.get("/login").get_data(as_text=True)
    for words in (
        "WHC CERVIS Login",
        "E-mail Address",
        "Password",
        "Remember my profile",
        "Log in with E-mail",
        "Don't Know Password / Reset Password",
        "Contact Us",
    ):
        assert words in page


def test_volunteer_logs_in_with_email_and_reaches_portal_home(auth, client):
    response = auth.login("Vera@Example.org ")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/portal/")
    home = client.get("/portal/").get_data(as_text=True)
    assert "Volunteer Portal Home" in home
    assert "Hours" in home and "Activities" in home and "Days" in home


def test_an_address_typed_in_fullwidth_letters_logs_in_as_its_plain_letters(auth, client):
    response = auth.login(FULLWIDTH_VERA)
    assert response.status_code == 303 and response.headers["Location"].endswith("/portal/")
    assert "Volunteer Portal Home" in client.get("/portal/").get_data(as_text=True)


def test_guesses_typed_in_fullwidth_letters_count_against_the_same_account(auth):
    """A look-alike spelling of the address is no way round the account's limit of wrong guesses."""
    for n in range(LOGIN_PER_ACCOUNT):
        auth.login(FULLWIDTH_VERA if n % 2 else "vera@example.org", password="not the password at all")
    assert auth.login(FULLWIDTH_VERA).status_code == 429
    assert auth.login("vera@example.org").status_code == 429


def test_wrong_password_and_unknown_email_get_the_same_message(auth):
    wrong = auth.login(password="not the password at all")
    unknown = auth.login(email="nobody@example.org")
    assert wrong.status_code == unknown.status_code == 401
    message = "The e-mail address or password is not right."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


def test_login_keeps_the_email_typed_after_a_mistake(auth):
    page = auth.login(password="wrong password here").get_data(as_text=True)
    assert 'value="vera@example.org"' in page


def test_sign_out_ends_the_session_for_real(auth, client):
    auth.login()
    stolen = client.get_cookie("session").value
    auth.logout()
    client.set_cookie("session", stolen)
    response = client.get("/portal/")
    assert response.status_code in (302, 303)
    assert "/login" in response.headers["Location"]


def test_remember_my_profile_fills_in_the_email_but_never_the_password(auth, client):
    auth.login(remember="y")
    auth.logout()
    page = client.get("/login").get_data(as_text=True)
    assert 'value="vera@example.org"' in page
    assert PASSWORD not in page
    assert client.get("/portal/").status_code in (302, 303)


def test_leader_reaches_leader_home_with_a_link_to_the_volunteer_portal(auth, client):
    response = auth.login("leo@example.org")
    assert response.headers["Location"].endswith("/leader/")
    page = client.get("/leader/").get_data(as_text=True)
    assert "Northside" in page and "/portal/" in page


def test_administrator_reaches_administrator_home(auth, client):
    response = auth.login("ada@example.org")
    assert response.headers["Location"].endswith("/admin/")
    assert "Administrator Home" in client.get("/admin/").get_data(as_text=True)


def test_volunteer_cannot_open_leader_or_admin_pages(auth, client):
    auth.login()
    assert client.get("/leader/").status_code == 403
    assert client.get("/admin/").status_code == 403
