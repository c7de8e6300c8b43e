"""Staff sign in with the organisation's accounts: against a real OpenID provider (oidc-provider),
matched by verified e-mail to an existing leader or administrator, never a new account, never a
volunteer unless the organisation allows it; PKCE, state and nonce checked, the session rules as
for a password log-in."""

from urllib.parse import parse_qs, quote, urlsplit

import pytest
from helpers_sso import APP, at_the_provider, back_at_cervis, flashed, openid_provider, set_up, sign_in

from cervis.auth import sso
from cervis.models import User


def signed_out(client, page):
    return client.get(page).headers.get("Location", "").startswith("/login")


@pytest.fixture(scope="module")
def issuer():
    with openid_provider() as address:
        yield address


@pytest.fixture
def configured(db, issuer):
    set_up(issuer)
    return issuer


def test_the_log_in_page_offers_the_organisation_account_beside_the_password_log_in(client, configured):
    page = client.get("/login").get_data(as_text=True)
    assert "Sign in with Example 365" in page and "Log in with E-mail" in page


def test_no_sign_in_button_until_an_administrator_sets_it_up(client, db):
    assert "Sign in with" not in client.get("/login").get_data(as_text=True)
    assert client.get("/login/sso").status_code == 404


def test_a_leader_signs_in_with_their_organisation_account(client, configured):
    started = client.get("/login/sso")
    asked = parse_qs(urlsplit(started.headers["Location"]).query)
    assert asked["code_challenge_method"] == ["S256"] and asked["state"] and asked["nonce"]
    answer = back_at_cervis(client, at_the_provider(started.headers["Location"], "leo"))
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/leader/")
    assert client.get("/leader/").status_code == 200


def test_signing_in_from_a_link_opens_the_page_it_pointed_to_and_never_another_site(client, configured):
    assert sign_in(client, "leo", start="/login/sso?next=/leader/groups").headers["Location"].endswith("/leader/groups")
    for elsewhere in (
        "//evil.example",
        "/\\evil.example",
        "https:evil.example",
        "/\t/evil.example",
        "https://evil.example",
    ):
        client.post("/logout")
        answer = sign_in(client, "leo", start=f"/login/sso?next={quote(elsewhere)}")
        assert answer.headers["Location"] == "/leader/", elsewhere


def test_a_volunteer_is_refused_unless_the_organisation_allows_it(client, configured):
    answer = sign_in(client, "vera")
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/login")
    assert "Signing in with an organisation account is for staff." in flashed(client)
    assert signed_out(client, "/portal/")
    set_up(configured, volunteers_allowed=True)
    assert sign_in(client, "vera").headers["Location"].endswith("/portal/")


def test_an_unverified_email_signs_nobody_in(client, configured):
    sign_in(client, "unverified")
    assert "e-mail address is not verified" in flashed(client)
    assert signed_out(client, "/leader/")  # Olga's account stays signed out


def test_an_address_with_no_account_makes_none(client, configured):
    before = User.select().count()
    sign_in(client, "stranger")
    assert "There is no account here" in flashed(client) and User.select().count() == before


def test_a_replayed_answer_from_the_provider_is_refused(client, configured):
    address = at_the_provider(client.get("/login/sso").headers["Location"], "leo")
    assert back_at_cervis(client, address).headers["Location"].endswith("/leader/")
    client.post("/logout")
    again = back_at_cervis(client, address)
    assert again.headers["Location"].endswith("/login")
    assert "That sign-in had expired or was already used." in flashed(client)
    assert signed_out(client, "/leader/")


def test_a_state_from_another_sign_in_is_refused(client, configured):
    address = at_the_provider(client.get("/login/sso").headers["Location"], "leo")
    client.get("/login/sso")  # a second sign-in started meanwhile: a new state
    back_at_cervis(client, address)
    assert "That sign-in had expired or was already used." in flashed(client)


def test_an_expired_id_token_is_refused(client, configured, monkeypatch):
    address = at_the_provider(client.get("/login/sso").headers["Location"], "leo")
    real = sso._clock
    monkeypatch.setattr(sso, "_clock", lambda: real() + 3600)  # the provider's ID tokens live 60 s
    back_at_cervis(client, address)
    assert "Your organisation's sign-in had expired." in flashed(client)
    assert signed_out(client, "/leader/")


def test_a_provider_that_is_not_the_configured_issuer_is_refused(client, configured):
    # The same server under another name: its settings name 127.0.0.1, not localhost.
    set_up(configured.replace("127.0.0.1", "localhost"))
    answer = client.get("/login/sso")
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/login")
    assert "is not the one set up for this site" in flashed(client)


def test_the_session_rules_are_a_password_log_ins(app, client, configured, monkeypatch):
    from cervis.auth import session as rules

    sign_in(client, "leo")
    real = rules._clock
    monkeypatch.setattr(rules, "_clock", lambda: real() + 31 * 60)  # the default idle timeout is 30 minutes
    assert client.get("/leader/").headers["Location"].endswith("/login")
    assert "no activity for 30 minutes" in flashed(client)


def test_password_log_in_still_works_beside_it(auth, client, configured):
    assert auth.login("leo@example.org").status_code == 303
    assert client.get("/leader/").status_code == 200


def test_the_redirect_address_is_under_the_sites_address(app):
    with app.app_context():
        assert sso.redirect_address() == f"{APP}/login/sso/callback"


def test_an_answer_naming_another_issuer_is_refused(client, configured):
    address = at_the_provider(client.get("/login/sso").headers["Location"], "leo")
    assert "iss=" in address  # oidc-provider names itself (RFC 9207)
    back_at_cervis(client, address.replace("iss=http", "iss=https"))
    assert "is not the one set up for this site" in flashed(client)
    assert signed_out(client, "/leader/")


def test_an_answer_opened_in_another_browser_signs_nobody_in(app, client, configured):
    address = at_the_provider(client.get("/login/sso").headers["Location"], "leo")
    other = app.test_client()  # the browser a link with someone's sign-in was sent to
    assert back_at_cervis(other, address).headers["Location"].endswith("/login")
    assert other.get("/leader/").status_code != 200


def test_signing_in_starts_a_new_session_and_the_one_before_opens_nothing(app, client, configured):
    address = at_the_provider(client.get("/login/sso").headers["Location"], "leo")
    before = client.get_cookie("session").value  # as a planted or copied cookie would be
    back_at_cervis(client, address)
    assert client.get_cookie("session").value != before and client.get("/leader/").status_code == 200
    planted = app.test_client()
    planted.set_cookie("session", before)
    assert signed_out(planted, "/leader/")
    # The cookie from before still holds the state: the provider takes its code only once.
    assert back_at_cervis(planted, address).headers["Location"].endswith("/login")
    assert signed_out(planted, "/leader/")


def _discovery_fetches(monkeypatch):
    fetched, real = [], sso.requests.get

    def get(url, *args, **kwargs):
        if url.endswith("/.well-known/openid-configuration"):
            fetched.append(url)
        return real(url, *args, **kwargs)

    monkeypatch.setattr(sso.requests, "get", get)
    return fetched


def test_two_log_ins_fetch_the_providers_settings_once_and_again_after_an_hour(client, configured, monkeypatch):
    fetched = _discovery_fetches(monkeypatch)
    for _ in range(2):
        assert sign_in(client, "leo").headers["Location"] == "/leader/"
        client.post("/logout")
    assert fetched == [configured + "/.well-known/openid-configuration"]
    later = sso._now() + sso.DISCOVERY_SECONDS
    monkeypatch.setattr(sso, "_now", lambda: later)
    assert sign_in(client, "leo").headers["Location"] == "/leader/"
    assert len(fetched) == 2


def test_settings_that_could_not_be_fetched_are_asked_for_again(client, configured, monkeypatch):
    set_up(configured.replace("127.0.0.1", "localhost"))  # names another issuer: refused, not kept
    client.get("/login/sso")
    fetched = _discovery_fetches(monkeypatch)
    client.get("/login/sso")
    assert len(fetched) == 1
