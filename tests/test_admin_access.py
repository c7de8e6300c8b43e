"""Only administrators open the administrator's pages: every admin URL, GET and POST."""

import re
import uuid

import pytest
from flask import url_for
from werkzeug.routing import IntegerConverter

from cervis.models import AuditLog, Document, Email, Organisation, User
from cervis.models.mail import FAILED

MINE = {
    "admin.settings",
    "admin.lists",
    "admin.list_add",
    "admin.list_rename",
    "admin.list_move",
    "admin.list_remove",
    "admin.people",
    "admin.person",
    "admin.person_leader",
    "admin.person_admin",
    "admin.person_active",
    "admin.person_unlock",
    "admin.people_verify",
    "admin.documents",
    "admin.document_remove",
    "admin.audit",
    "admin.outbox",
    "admin.outbox_email",
    "admin.outbox_retry",
}


def admin_urls(app):
    """(method, url) for every route of the admin blueprint, ids filled in with ones that exist."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin."):
            continue
        values = {
            arg: 1 if isinstance(rule._converters[arg], IntegerConverter) else "allergens" for arg in rule.arguments
        }
        with app.test_request_context():
            url = url_for(rule.endpoint, **values)
        found += [(method, url, rule.endpoint) for method in sorted(rule.methods & {"GET", "POST"})]
    return found


def test_every_admin_page_in_this_area_exists(app):
    assert MINE <= {endpoint for _, _, endpoint in admin_urls(app)}


@pytest.mark.parametrize("email", ["vera@example.org", "leo@example.org"])
def test_volunteers_and_leaders_get_403_on_every_admin_url(app, auth, client, db, email):
    auth.login(email)
    org_before = Organisation.current().verify_generation
    for method, url, _ in admin_urls(app):
        response = client.open(
            url, method=method, data={"admin": "1", "active": "0", "name": "X", "group": "1", "leader": "1"}
        )
        assert response.status_code == 403, (method, url, response.status_code)
    assert not User.by_email(email).is_admin
    assert User.by_email("ada@example.org").active
    assert Organisation.current().verify_generation == org_before
    assert AuditLog.select().count() == 0 and Document.select().count() == 0


def test_someone_not_logged_in_is_sent_to_the_login_page(app, client):
    for method, url, _ in admin_urls(app):
        response = client.open(url, method=method)
        assert response.status_code in (302, 303) and "/login" in response.headers["Location"], (method, url)


def test_admin_sees_every_page_of_the_administration_menu(auth, client):
    auth.login("ada@example.org")
    home = client.get("/admin/").get_data(as_text=True)
    for label, url in (
        ("Organisation Settings", "/admin/settings"),
        ("Lists", "/admin/lists"),
        ("People", "/admin/people"),
        ("Posted Documents", "/admin/documents"),
        ("Audit Log", "/admin/audit"),
        ("Outbox", "/admin/outbox"),
    ):
        assert f'href="{url}"' in home, label
        assert client.get(url).status_code == 200, url


def test_every_admin_form_carries_the_csrf_token_and_a_post_without_it_is_refused(app, auth, client, db):
    vera = User.by_email("vera@example.org")
    failed = Email.create(
        kind="welcome",
        to_addr=vera.email,
        subject="Welcome",
        body_text="Hi",
        status=FAILED,
        message_id=f"<{uuid.uuid4().hex}@test>",
    )
    Document.create(title="Handbook", filename="h.pdf", stored_name="abc", content_type="application/pdf", size=3)
    AuditLog.record(None, "create-admin", vera)
    auth.login("ada@example.org")
    app.config["WTF_CSRF_ENABLED"] = True
    pages = [
        "/admin/settings",
        "/admin/lists",
        "/admin/people",
        f"/admin/people/{vera.id}",
        "/admin/documents",
        "/admin/outbox",
        f"/admin/outbox/{failed.id}",
        "/admin/audit",
    ]
    forms = 0
    for url in pages:
        page = client.get(url).get_data(as_text=True)
        for form in re.findall(r'<form[^>]*method="post"[^>]*>(.*?)</form>', page, re.S):
            assert 'name="csrf_token"' in form, url
            forms += 1
    assert forms > 20
    assert client.post("/admin/people/verify").status_code == 400
    assert client.post(f"/admin/people/{vera.id}/admin", data={"admin": "1"}).status_code == 400
    assert not User.by_email("vera@example.org").is_admin
