"""The administrator's Outbox: every email, newest first; read one; send a failed one again."""

import uuid
from datetime import timedelta

from cervis.db import utcnow
from cervis.models import AuditLog, Email
from cervis.models.mail import FAILED, QUEUED, SENT


def email(subject="Your shift", status=SENT, minutes_ago=0, **kw):
    kw.setdefault("body_text", "Hello Vera,\nSee you on Thursday.")
    return Email.create(
        kind=kw.pop("kind", "confirmation"),
        to_addr=kw.pop("to_addr", "vera@example.org"),
        to_name="Vera Volunteer",
        subject=subject,
        status=status,
        message_id=f"<{uuid.uuid4().hex}@test>",
        created_at=utcnow() - timedelta(minutes=minutes_ago),
        **kw,
    )


def test_admin_sees_every_email_newest_first(auth, client, db):
    email("Older one", minutes_ago=30)
    email("Newer one", status=FAILED, attempts=8, last_error="SMTPServerDisconnected: gone", minutes_ago=1)
    auth.login("ada@example.org")
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert page.index("Newer one") < page.index("Older one")
    for words in ("vera@example.org", "confirmation", "Failed", "Sent", "SMTPServerDisconnected: gone", "Send again"):
        assert words in page


def test_admin_filters_the_outbox_by_status(auth, client, db):
    email("Delivered fine")
    email("Bounced", status=FAILED)
    auth.login("ada@example.org")
    page = client.get("/admin/outbox?status=failed").get_data(as_text=True)
    assert "Bounced" in page and "Delivered fine" not in page
    assert '<option value="failed" selected>' in page


def test_outbox_shows_fifty_emails_a_page(auth, client, db):
    for i in range(55):
        email(f"Message number {i:02d}", minutes_ago=i)
    auth.login("ada@example.org")
    first = client.get("/admin/outbox").get_data(as_text=True)
    assert "Message number 00" in first and "Message number 49" in first
    assert "Message number 50" not in first and "Page 1 of 2" in first
    second = client.get("/admin/outbox?page=2").get_data(as_text=True)
    assert "Message number 54" in second and "Message number 00" not in second


def test_admin_reads_one_email_with_the_temporary_password_hidden(auth, client, db):
    sent = email(
        "Temporary password",
        kind="temporary-password",
        body_text="Temporary password: Abc123xyz\nhttp://localhost/password/temporary/tok.en-1\nBye",
    )
    auth.login("ada@example.org")
    page = client.get(f"/admin/outbox/{sent.id}").get_data(as_text=True)
    assert "Temporary password: [hidden]" in page and "/password/temporary/[hidden]" in page
    assert "Abc123xyz" not in page and "tok.en-1" not in page and "Bye" in page


def test_unknown_email_is_404(auth, client):
    auth.login("ada@example.org")
    assert client.get("/admin/outbox/999").status_code == 404


def test_admin_sends_a_failed_email_again(auth, client, db):
    failed = email("Bounced", status=FAILED, attempts=8, last_error="Refused")
    auth.login("ada@example.org")
    response = client.post(f"/admin/outbox/{failed.id}/retry", data={"status": "failed"})
    assert response.status_code == 303
    assert response.headers["Location"].split("#")[0].endswith("/admin/outbox?status=failed")
    failed = Email.get_by_id(failed.id)
    assert failed.status == QUEUED and failed.attempts == 0
    log = AuditLog.get(AuditLog.action == "email-retry")
    assert '"failed"' in log.before and '"queued"' in log.after and log.actor.email == "ada@example.org"
    assert "will be sent again shortly" in client.get("/admin/outbox").get_data(as_text=True)


def test_admin_sends_a_failed_email_again_with_htmx_and_the_row_updates(auth, client, db):
    failed = email("Bounced", status=FAILED, attempts=8)
    auth.login("ada@example.org")
    response = client.post(f"/admin/outbox/{failed.id}/retry", headers={"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.lstrip().startswith(f'<tr id="email-{failed.id}"')
    assert "Queued" in page and "Send again" not in page and 'hx-swap-oob="true"' in page


def test_sending_again_from_the_email_page_returns_there(auth, client, db):
    failed = email("Bounced", status=FAILED)
    auth.login("ada@example.org")
    response = client.post(f"/admin/outbox/{failed.id}/retry", data={"back": "email"})
    assert response.headers["Location"].split("#")[0].endswith(f"/admin/outbox/{failed.id}")


def test_an_email_that_did_not_fail_is_not_sent_again(auth, client, db):
    sent = email("Delivered", status=SENT, attempts=1)
    auth.login("ada@example.org")
    client.post(f"/admin/outbox/{sent.id}/retry")
    assert Email.get_by_id(sent.id).status == SENT
    assert "Only a failed email can be sent again." in client.get("/admin/outbox").get_data(as_text=True)
    assert not AuditLog.select().where(AuditLog.action == "email-retry").exists()
