"""Organisation Settings: what the login page, Contact Us and every date show."""

import json

from cervis.models import AuditLog, Organisation
from helpers_settings import settings


def test_settings_page_shows_the_current_values(auth, client):
    auth.login("ada@example.org")
    page = client.get("/admin/settings").get_data(as_text=True)
    assert "Organisation Settings" in page
    assert 'value="Wycombe Example Connection"' in page and 'value="Europe/London"' in page


def test_admin_changes_the_short_name_and_the_login_page_follows(auth, client, db):
    auth.login("ada@example.org")
    response = client.post(
        "/admin/settings",
        data=settings(
            short_name="WYHOC", contact_hours="Mon - Fri 9am - 5pm", guide_password_rule="y", session_timeout="45"
        ),
    )
    assert response.status_code == 303
    org = Organisation.current()
    assert (org.short_name, org.contact_hours, org.guide_password_rule, org.session_timeout) == (
        "WYHOC",
        "Mon - Fri 9am - 5pm",
        True,
        45,
    )
    assert "Organisation settings saved." in client.get("/admin/settings").get_data(as_text=True)
    log = AuditLog.get(AuditLog.action == "settings-change")
    assert json.loads(log.before)["short_name"] == "WHC" and json.loads(log.after)["short_name"] == "WYHOC"
    assert "name" not in json.loads(log.after)  # only what changed
    assert log.actor.email == "ada@example.org"
    auth.logout()
    assert "WYHOC CERVIS Login" in client.get("/login").get_data(as_text=True)


def test_terms_and_privacy_texts_are_shown_to_volunteers(auth, client, db):
    auth.login("ada@example.org")
    client.post(
        "/admin/settings", data=settings(terms_text="Be kind.\n\nBe on time.", privacy_text="We keep your data safe.")
    )
    assert "Be on time." in client.get("/terms").get_data(as_text=True)
    assert "We keep your data safe." in client.get("/privacy").get_data(as_text=True)


def test_unknown_time_zone_is_refused_beside_the_field(auth, client, db):
    auth.login("ada@example.org")
    response = client.post("/admin/settings", data=settings(timezone="Europe/Wycombe", short_name="Typed"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="timezone-error"' in page and "That is not a time zone we know" in page
    assert 'value="Typed"' in page  # nothing typed is lost
    assert Organisation.current().timezone == "Europe/London"


def test_session_timeout_must_be_between_5_and_240_minutes(auth, client, db):
    auth.login("ada@example.org")
    for minutes in ("4", "241", "soon"):
        response = client.post("/admin/settings", data=settings(session_timeout=minutes))
        assert response.status_code == 400
        assert "between 5 and 240" in response.get_data(as_text=True)
    assert Organisation.current().session_timeout == 30
    assert client.post("/admin/settings", data=settings(session_timeout="240")).status_code == 303


def test_contact_email_must_look_like_an_email(auth, client, db):
    auth.login("ada@example.org")
    response = client.post("/admin/settings", data=settings(contact_email="not an address"))
    assert response.status_code == 400
    assert "Please enter a valid e-mail address" in response.get_data(as_text=True)


def test_saving_without_changes_writes_no_audit_entry(auth, client, db):
    auth.login("ada@example.org")
    client.post("/admin/settings", data=settings())
    assert not AuditLog.select().where(AuditLog.action == "settings-change").exists()


def test_offer_deadline_reminder_days_are_set_here_and_zero_switches_them_off(auth, client, db):
    auth.login("ada@example.org")
    assert client.post("/admin/settings", data=settings(deadline_reminder_days="0")).status_code == 303
    assert Organisation.current().deadline_reminder_days == 0
    response = client.post("/admin/settings", data=settings(deadline_reminder_days="-1", short_name="Typed"))
    assert response.status_code == 400
    assert "Please enter a number of days between 0 and 14" in response.text
    assert 'value="Typed"' in response.text
