"""The guide: "Your session will end after 30 minutes' inactivity. Shortly beforehand, the screen will
turn pink and give you the option to stave off the timeout." Enforced on the server."""

import re
import time

from cervis.models import Organisation

BACKGROUND = {"HX-Request": "true", "X-Cervis-Background": "1"}


def idle_for(client, minutes):
    with client.session_transaction() as session:
        session["seen"] = time.time() - minutes * 60


def seen(client):
    with client.session_transaction() as session:
        return session.get("seen")


def test_session_ends_after_30_minutes_without_activity(auth, client):
    auth.login()
    idle_for(client, 31)
    response = client.get("/portal/")
    assert response.status_code == 303 and response.headers["Location"].endswith("/login")
    page = client.get("/login").get_data(as_text=True)
    assert "You were signed out because there was no activity for 30 minutes." in page
    assert client.get("/portal/").status_code in (302, 303)  # really over, not just redirected once


def test_activity_within_30_minutes_keeps_the_session(auth, client):
    auth.login()
    idle_for(client, 29)
    before = seen(client)
    assert client.get("/portal/").status_code == 200
    assert seen(client) > before + 28 * 60  # the clock started again


def test_the_pages_own_idle_check_is_not_activity(auth, client):
    auth.login()
    idle_for(client, 10)
    before = seen(client)
    assert client.get("/session/idle", headers=BACKGROUND).status_code == 200
    assert seen(client) == before


def test_expired_htmx_request_is_sent_to_the_login_page(auth, client):
    auth.login()
    idle_for(client, 31)
    response = client.get("/session/idle", headers=BACKGROUND)
    assert response.status_code == 200 and response.headers["HX-Redirect"] == "/login"
    assert "no activity for 30 minutes" in client.get("/login").get_data(as_text=True)


def test_page_turns_pink_two_minutes_before_the_end(auth, client):
    auth.login()
    idle_for(client, 28.5)
    warning = client.get("/session/idle", headers=BACKGROUND).get_data(as_text=True)
    assert 'class="idle-warning"' in warning and 'role="alertdialog"' in warning
    assert "Your session will end in 2 minutes because there has been no activity." in warning
    assert 'action="/session/stay"' in warning and "Stay signed in" in warning
    assert '<form method="post"' in warning  # a real form: works without JavaScript too
    # The warning asks again just after the end, so the page goes to the login page by itself.
    delay = int(re.search(r"load delay:(\d+)s", warning).group(1))
    assert 85 <= delay <= 95


def test_no_warning_while_there_is_time_left(auth, client):
    auth.login()
    idle_for(client, 10)
    probe = client.get("/session/idle", headers=BACKGROUND).get_data(as_text=True)
    assert "idle-warning" not in probe and 'id="idle"' in probe
    delay = int(re.search(r"load delay:(\d+)s", probe).group(1))
    assert 17 * 60 <= delay <= 18 * 60 + 1  # next look: two minutes before the end


def test_every_page_checks_in_the_background(auth, client):
    auth.login()
    page = client.get("/portal/").get_data(as_text=True)
    probe = re.search(r'<div id="idle"[^>]*>', page).group(0)
    assert 'hx-get="/session/idle"' in probe and "X-Cervis-Background" in probe
    assert "load delay:1680s" in probe  # 28 minutes: the warning's moment


def test_stay_signed_in_restarts_the_clock(auth, client):
    auth.login()
    idle_for(client, 29)
    # The button sits inside the background check, so htmx passes its header down: it still counts.
    response = client.post("/session/stay", headers=BACKGROUND)
    assert response.status_code == 200 and "idle-warning" not in response.get_data(as_text=True)
    assert time.time() - seen(client) < 5
    idle_for(client, 29)
    plain = client.post("/session/stay", headers={"Referer": "http://localhost/portal/"})
    assert plain.status_code == 303 and plain.headers["Location"].endswith("/portal/")
    assert time.time() - seen(client) < 5
    assert client.get("/portal/").status_code == 200


def test_timeout_follows_the_organisation_setting(auth, client, db):
    Organisation.update(session_timeout=10).execute()
    auth.login()
    idle_for(client, 11)
    client.get("/portal/")
    assert "no activity for 10 minutes" in client.get("/login").get_data(as_text=True)


def test_copied_cookie_is_refused_after_the_timeout(auth, client):
    auth.login()
    idle_for(client, 31)
    stale = client.get_cookie("session").value
    client.get("/portal/")
    client.set_cookie("session", stale)
    response = client.get("/portal/")
    assert response.status_code == 303 and "/login" in response.headers["Location"]


def test_remembered_email_is_filled_in_after_the_timeout_but_not_the_password(auth, client):
    auth.login(remember="y")
    idle_for(client, 31)
    client.get("/portal/")
    page = client.get("/login").get_data(as_text=True)
    assert 'value="vera@example.org"' in page
    assert re.search(r'<input[^>]*name="password"[^>]*value="[^"]', page) is None
    assert client.get("/portal/").status_code == 303  # the password is still needed


def test_warning_turns_the_page_pink_and_stay_signed_in_works_in_a_browser(app, auth, phone, live_server):
    """With CSRF on, as in production: htmx's requests carry the token from base.html's hx-headers."""
    app.config["WTF_CSRF_ENABLED"] = True
    phone.goto("/login")
    phone.get_by_label("E-mail Address").fill("vera@example.org")
    phone.get_by_label("Password", exact=True).fill("correct horse battery staple")
    phone.get_by_role("button", name="Log in with E-mail").click()
    phone.wait_for_url("**/portal/")
    _age_browser_session(app, phone, minutes=28.5)
    # Rather than wait 28 minutes, ask now exactly as the probe would.
    phone.evaluate(
        "htmx.ajax('GET', '/session/idle', {target: '#idle', swap: 'outerHTML', headers: {'X-Cervis-Background': '1'}})"
    )
    warning = phone.locator(".idle-warning")
    warning.wait_for()
    assert warning.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 209, 227)"
    phone.get_by_role("button", name="Stay signed in").click()
    warning.wait_for(state="detached")
    assert time.time() - _browser_session(app, phone)["seen"] < 30


def _browser_session(app, page):
    cookie = next(c for c in page.context.cookies() if c["name"] == "session")
    return app.session_interface.get_signing_serializer(app).loads(cookie["value"])


def _age_browser_session(app, page, minutes):
    data = _browser_session(app, page)
    data["seen"] = time.time() - minutes * 60
    value = app.session_interface.get_signing_serializer(app).dumps(data)
    cookie = next(c for c in page.context.cookies() if c["name"] == "session")
    page.context.add_cookies([{**cookie, "value": value}])


def test_stay_signed_in_without_javascript_never_leaves_the_site(auth, client):
    auth.login()
    response = client.post("/session/stay", headers={"Referer": "https://evil.example/phish"})
    assert response.status_code == 303 and response.headers["Location"] == "/portal/"
