"""Administrators read every kind of email with sample data and rewrite its opening paragraph."""

from cervis import email_previews
from cervis.models import AuditLog, EmailOpening
from conftest import emails_to


def test_every_kind_of_email_has_a_preview_with_sample_data(app, auth, client, db):
    auth.login("ada@example.org")
    page = client.get("/admin/emails").text
    with app.test_request_context():
        kinds = email_previews.kinds()
        assert all(email_previews.sample(kind) is not None for kind in email_previews.SAMPLED)
    assert {"confirmation", "shift-reminder", "shift-bookings-launched", "offer-deadline", "leader-message"} <= set(
        kinds
    )
    assert set(kinds) <= set(email_previews.SAMPLED)  # every kind there is has its sample today
    for kind in kinds:
        assert f"/admin/emails/{kind}" in page
        preview = client.get(f"/admin/emails/{kind}")
        assert preview.status_code == 200, kind
        # A kind added since the samples were written shows a note instead of failing.
        assert "Vera" in preview.text or "There is no sample" in preview.text, kind
        if kind in email_previews.SAMPLED:
            assert "Vera" in preview.text, kind
    assert "Shift bookings launched: Night Shelter" in client.get("/admin/emails/shift-bookings-launched").text


def test_admin_rewrites_an_opening_and_the_next_email_says_it(app, auth, client, db):
    auth.login("ada@example.org")
    page = client.get("/admin/emails/confirmation").text
    assert "Thank you for volunteering to serve with {organisation}." in page
    response = client.post("/admin/emails/confirmation", data={"text": "Thank you, {organisation} needs you!"})
    assert response.status_code == 303
    page = client.get("/admin/emails/confirmation").text
    assert "Changed by Ada Admin" in page
    assert "Thank you, Wycombe Example Connection needs you!" in page  # the preview follows
    row = EmailOpening.get(EmailOpening.kind == "confirmation")
    assert row.changed_by.email == "ada@example.org"
    assert AuditLog.get(AuditLog.action == "email.opening").after
    # Ours again: the row goes.
    client.post("/admin/emails/confirmation", data={"text": "Thank you for volunteering to serve with {organisation}."})
    assert not EmailOpening.select().exists()


def test_an_opening_for_a_kind_without_one_comes_before_its_first_paragraph(app, auth, client, db):
    from cervis import emails
    from cervis.models import User

    auth.login("ada@example.org")
    client.post("/admin/emails/password-changed", data={"text": "Hello from the office."})
    with app.test_request_context():
        emails.password_changed(User.by_email("vera@example.org"))
    body = emails_to("vera@example.org", "password-changed")[0].body_text
    assert body.startswith("Vera,\n\nHello from the office.\n\nThe password of your")


def test_only_administrators_open_the_email_pages(auth, client, db):
    auth.login("leo@example.org")
    assert client.get("/admin/emails").status_code == 403
    assert client.post("/admin/emails/confirmation", data={"text": "x"}).status_code == 403
    auth.logout()
    auth.login("ada@example.org")
    assert client.get("/admin/emails/no-such-kind").status_code == 404


def test_a_fresh_install_names_cervis_once_in_every_email(app, db):
    """A charity that has not yet set its short name is "CERVIS", not "CERVIS CERVIS"."""
    from cervis import emails, outbox
    from cervis.models import Organisation, User

    Organisation.update(name="Our Charity", short_name="CERVIS").execute()
    with app.test_request_context():
        for kind in email_previews.SAMPLED:
            for part in email_previews.preview(kind):
                assert "CERVIS CERVIS" not in part and "{{" not in part, (kind, part)
        assert email_previews.preview("welcome")[0] == "Welcome to CERVIS"
        vera, leo = User.by_email("vera@example.org"), User.by_email("leo@example.org")
        welcome = emails.welcome(vera, "Temp2345abc", "http://localhost/x")
        message = emails.to_user(
            "leader-message", vera, subject="Hi", message="Hello", leader=leo, from_name=leo.name, reply_to=leo.email
        )
        org = Organisation.current()
        assert outbox.build_message(welcome, org)["From"].addresses[0].display_name == "Our Charity"
        assert outbox.build_message(message, org)["From"].addresses[0].display_name == "Leo Leader via CERVIS"
    Organisation.update(short_name="WHC").execute()
    with app.test_request_context():
        assert email_previews.preview("welcome")[0] == "Welcome to WHC CERVIS"
        assert "your WHC CERVIS account" in email_previews.preview("password-changed")[1]


def test_a_fresh_install_titles_its_log_in_and_reset_pages_with_cervis_once(client, db):
    from cervis.models import Organisation

    Organisation.update(short_name="CERVIS").execute()
    assert "<title>Login · CERVIS</title>" in client.get("/login").get_data(as_text=True)
    assert "<title>Password Reset · CERVIS</title>" in client.get("/reset").get_data(as_text=True)
    Organisation.update(short_name="WHC").execute()
    assert "<title>Login · WHC CERVIS</title>" in client.get("/login").get_data(as_text=True)
