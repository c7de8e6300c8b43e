"""What keeps accounts safe: CSRF, strict headers, no inline code, friendly errors, rate limits."""

import re
from pathlib import Path

import pytest
from conftest import PASSWORD

from cervis import DEFAULTS
from cervis.cli import unlock_command
from cervis.db import database
from cervis.models import AuditLog, Throttle, User

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@pytest.fixture
def csrf_client(app):
    """A client of an app with CSRF on, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app.test_client()


def csrf_token_of(page):
    """The token base.html gives htmx in hx-headers on <body>."""
    return re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)


def test_post_without_csrf_token_is_refused_with_a_friendly_page(csrf_client):
    response = csrf_client.post("/login", data={"email": "vera@example.org", "password": PASSWORD})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The form could not be accepted" in page
    assert "Traceback" not in page and "token is missing" not in page


def test_post_with_the_csrf_header_as_htmx_sends_it_is_accepted(csrf_client):
    token = csrf_token_of(csrf_client.get("/login").get_data(as_text=True))
    response = csrf_client.post(
        "/login", data={"email": "vera@example.org", "password": PASSWORD}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 303 and response.headers["Location"].endswith("/portal/")


def test_strength_meter_accepts_the_csrf_header_from_the_page(csrf_client):
    token = csrf_token_of(csrf_client.get("/login").get_data(as_text=True))
    csrf_client.post("/login", data={"email": "vera@example.org", "password": PASSWORD}, headers={"X-CSRFToken": token})
    token = csrf_token_of(csrf_client.get("/password").get_data(as_text=True))
    refused = csrf_client.post(
        "/password/strength", data={"new_password": "anything at all"}, headers={"HX-Request": "true"}
    )
    assert refused.status_code == 400
    meter = csrf_client.post(
        "/password/strength",
        data={"new_password": "anything at all"},
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert meter.status_code == 200 and "Password Strength:" in meter.get_data(as_text=True)


def test_form_token_field_is_accepted_without_javascript(csrf_client):
    page = csrf_client.get("/reset").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = csrf_client.post("/reset", data={"csrf_token": token, "email": "vera@example.org", "first_name": "Vera"})
    assert response.status_code == 303


def test_content_security_policy_is_strict(client):
    policy = client.get("/login").headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'" and directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_pages_are_never_cached_or_framed(client):
    response = client.get("/login")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def _page_templates():
    return [p for p in TEMPLATES.rglob("*.html") if "emails" not in p.relative_to(TEMPLATES).parts]


def test_no_template_has_inline_script_style_or_event_handlers():
    """The CSP would block them: they would silently do nothing (emails excepted: no CSP there)."""
    found = []
    for path in _page_templates():
        text = path.read_text()
        for match in re.finditer(r"<script\b([^>]*)>(.*?)</script>", text, re.S | re.I):
            if "src=" not in match.group(1) or match.group(2).strip():
                found.append(f"{path.name}: inline <script>")
        for pattern, what in (
            (r"\sstyle\s*=", "style attribute"),
            (r"\son[a-z]+\s*=", "on* handler"),
            (r"\shx-on[:-]", "hx-on handler"),
            (r"<style\b", "<style> block"),
        ):
            if re.search(pattern, text, re.I):
                found.append(f"{path.relative_to(TEMPLATES)}: {what}")
    assert found == []
    assert len(_page_templates()) > 10  # the scan really looked


def test_server_error_shows_the_friendly_page_without_a_trace(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken():
        raise RuntimeError("secret internals of the database")

    app.add_url_rule("/broken-for-test", "broken_for_test", broken)
    response = app.test_client().get("/broken-for-test")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, something went wrong" in page
    assert "Traceback" not in page and "secret internals" not in page and "RuntimeError" not in page


def test_missing_page_is_a_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and "We could not find that page." in response.get_data(as_text=True)


def test_session_and_remember_cookies_are_httponly_and_samesite(auth):
    response = auth.login(remember="y")
    cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
    for name in ("session", "remember_email"):
        assert "HttpOnly" in cookies[name] and "SameSite=Lax" in cookies[name]
    assert DEFAULTS["SESSION_COOKIE_SECURE"] is True  # only the tests turn it off (no HTTPS here)


def test_login_is_locked_after_five_failures_for_that_account(auth, client):
    for _ in range(5):
        assert auth.login(password="wrong password again").status_code == 401
    locked = auth.login()  # even the right password, until the lock ends
    assert locked.status_code == 429
    assert "This account is locked for 15 minutes" in locked.get_data(as_text=True)
    assert client.get("/portal/").status_code in (302, 303)
    assert auth.login("leo@example.org").status_code == 303  # other accounts carry on


def test_unknown_accounts_are_locked_just_the_same(auth):
    for _ in range(5):
        auth.login("nobody@example.org", "wrong password again")
    assert auth.login("nobody@example.org", "wrong password again").status_code == 429


def test_login_is_limited_per_address(app, db):
    Throttle.insert_many([{"key": "login-addr:10.0.0.1"}] * 50).execute()
    there = app.test_client()
    there.environ_base["REMOTE_ADDR"] = "10.0.0.1"
    response = there.post("/login", data={"email": "vera@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed log-ins from this network." in response.get_data(as_text=True)
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.0.0.2"
    assert elsewhere.post("/login", data={"email": "vera@example.org", "password": PASSWORD}).status_code == 303


def test_successful_login_clears_the_failures(auth, db):
    for _ in range(4):
        auth.login(password="wrong password again")
    auth.login()
    assert Throttle.select().where(Throttle.key == "login-email:vera@example.org").count() == 0


def test_unlock_command_lets_a_locked_account_log_in(app, auth, db):
    for _ in range(5):
        auth.login(password="wrong password again")
    result = app.test_cli_runner().invoke(unlock_command, ["Vera@Example.org"])
    assert result.exit_code == 0 and "unlocked" in result.output
    assert auth.login().status_code == 303
    assert AuditLog.select().where(AuditLog.action == "unlock").count() == 1


def test_unlock_is_a_flask_command(app):
    result = app.test_cli_runner().invoke(args=["unlock", "--help"])
    assert result.exit_code == 0 and "locked by failed log-ins" in result.output


def test_deactivated_volunteer_is_signed_out_at_once(app, auth, client):
    auth.login()
    assert client.get("/portal/").status_code == 200
    # Not the db fixture: its app context would keep the signed-in user cached across requests.
    with app.app_context(), database.connection_context():
        User.update(active=False).where(User.email == "vera@example.org").execute()
    response = client.get("/portal/")
    assert response.status_code in (302, 303) and "/login" in response.headers["Location"]
    assert auth.login().status_code == 401


def test_copied_cookie_is_refused_after_sign_out(auth, client, app):
    auth.login()
    stolen = client.get_cookie("session").value
    auth.logout()
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/portal/").status_code in (302, 303)
    assert thief.get("/password").status_code in (302, 303)


def test_sign_out_needs_a_post(auth, client):
    auth.login()
    assert client.get("/logout").status_code == 405
    assert client.get("/portal/").status_code == 200
