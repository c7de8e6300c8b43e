"""The guide's "View Posted Documents", and the administrator posting and removing them."""

import io
from pathlib import Path

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from cervis.models import AuditLog, Document, Group, User

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def post_document(
    client,
    title="Winter rota",
    name="rota.pdf",
    content=PDF,
    mimetype="application/pdf",
    audience="everyone",
    group=0,
    volunteer=0,
    headers=None,
):
    data = {
        "title": title,
        "file": (io.BytesIO(content), name, mimetype),
        "audience": audience,
        "group": str(group),
        "volunteer": str(volunteer),
    }
    return client.post("/admin/documents", data=data, content_type="multipart/form-data", headers=headers)


def stored_file(app, doc):
    return Path(app.config["DOCUMENTS_DIR"]) / doc.stored_name


def as_ada_post(auth, client, **kw):
    auth.login("ada@example.org")
    response = post_document(client, **kw)
    assert response.status_code == 303, response.get_data(as_text=True)
    auth.logout()
    return Document.select().order_by(Document.id.desc()).first()


def test_admin_posts_a_document_to_everyone_and_vera_downloads_it(app, auth, client, db):
    doc = as_ada_post(auth, client, title="Volunteer Handbook", name="Handbook 2026.pdf")
    assert stored_file(app, doc).read_bytes() == PDF
    assert doc.stored_name != "Handbook 2026.pdf" and "Handbook" not in doc.stored_name
    auth.login()
    page = client.get("/portal/documents").get_data(as_text=True)
    assert "View Posted Documents" in page and "Volunteer Handbook" in page and "Everyone" in page
    response = client.get(f"/portal/documents/{doc.id}")
    assert response.status_code == 200
    assert response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "Handbook 2026.pdf" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.mimetype == "application/pdf"
    response.close()


def test_document_posted_to_northside_is_seen_by_vera_and_not_by_sam(auth, client, db):
    north = Group.get(Group.name == "Northside")
    doc = as_ada_post(auth, client, title="Northside key codes", audience="group", group=north.id)
    auth.login()
    assert "Northside key codes" in client.get("/portal/documents").get_data(as_text=True)
    client.get(f"/portal/documents/{doc.id}").close()
    auth.logout()
    auth.login("sam@example.org")
    assert "Northside key codes" not in client.get("/portal/documents").get_data(as_text=True)
    assert client.get(f"/portal/documents/{doc.id}").status_code == 404


def test_volunteer_asking_for_another_volunteers_document_gets_404(auth, client, db):
    vera = User.by_email("vera@example.org")
    doc = as_ada_post(auth, client, title="Your DBS certificate", audience="volunteer", volunteer=vera.id)
    auth.login("sam@example.org")
    assert client.get(f"/portal/documents/{doc.id}").status_code == 404
    assert "DBS" not in client.get("/portal/documents").get_data(as_text=True)
    auth.logout()
    auth.login()
    page = client.get("/portal/documents").get_data(as_text=True)
    assert "Your DBS certificate" in page and "You" in page
    response = client.get(f"/portal/documents/{doc.id}")
    assert response.status_code == 200
    response.close()


def test_unknown_document_is_404(auth, client):
    auth.login()
    assert client.get("/portal/documents/999").status_code == 404


def test_volunteer_with_no_documents_is_told_so(auth, client):
    auth.login()
    assert "There are no posted documents for you" in client.get("/portal/documents").get_data(as_text=True)


def test_upload_of_an_exe_is_refused_with_a_message_beside_the_field(app, auth, client, db):
    auth.login("ada@example.org")
    response = post_document(
        client, title="Setup", name="setup.exe", content=b"MZ\x90\x00", mimetype="application/x-msdownload"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="file-error"' in page and "That kind of file cannot be posted" in page
    assert 'value="Setup"' in page  # the title typed is kept
    assert Document.select().count() == 0
    assert not list(Path(app.config["DOCUMENTS_DIR"]).glob("*"))  # nothing was written to disk


def test_an_exe_renamed_to_pdf_is_refused(auth, client, db):
    auth.login("ada@example.org")
    response = post_document(client, name="invoice.pdf", content=b"MZ\x90\x00\x03\x00\x00\x00")
    assert response.status_code == 400
    assert "do not match a .pdf file" in response.get_data(as_text=True)
    assert Document.select().count() == 0


def test_a_file_sent_with_the_wrong_content_type_is_refused(auth, client, db):
    auth.login("ada@example.org")
    response = post_document(client, name="notes.txt", content=b"hello", mimetype="application/x-msdownload")
    assert response.status_code == 400
    assert "does not look like a .txt file" in response.get_data(as_text=True)


def test_office_images_and_text_files_are_accepted(auth, client, db):
    auth.login("ada@example.org")
    files = [
        ("rota.docx", b"PK\x03\x04rest", "application/octet-stream"),
        ("rota.ods", b"PK\x03\x04rest", "application/vnd.oasis.opendocument.spreadsheet"),
        ("map.png", b"\x89PNG\r\n\x1a\nrest", "image/png"),
        ("notes.txt", "Bring a torch – thank you".encode(), "text/plain"),
    ]
    for name, content, mimetype in files:
        assert post_document(client, title=name, name=name, content=content, mimetype=mimetype).status_code == 303
    assert sorted(d.filename for d in Document.select()) == sorted(f[0] for f in files)


def test_oversize_upload_is_refused_with_the_friendly_page(auth, client, db):
    auth.login("ada@example.org")
    # Encoded in memory: the test client's own temporary file would be left open when the app refuses it.
    boundary, body = encode_multipart(
        {
            "title": "Big",
            "audience": "everyone",
            "file": FileStorage(io.BytesIO(PDF + b"0" * (10 * 1024 * 1024)), "big.pdf", content_type="application/pdf"),
        }
    )
    response = client.post("/admin/documents", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413
    assert "That file is larger than we accept (10 MB at most)" in response.get_data(as_text=True)
    assert Document.select().count() == 0


def test_choosing_group_without_a_group_asks_for_one(auth, client, db):
    auth.login("ada@example.org")
    response = post_document(client, audience="group", group=0)
    assert response.status_code == 400
    assert "Please choose the group to post this document to." in response.get_data(as_text=True)


def test_admin_removes_a_document_and_its_file_is_deleted(app, auth, client, db):
    doc = as_ada_post(auth, client)
    path = stored_file(app, doc)
    assert path.exists()
    auth.login("ada@example.org")
    response = client.post(f"/admin/documents/{doc.id}/remove")
    assert response.status_code == 303
    assert not path.exists()
    assert Document.get_or_none(Document.id == doc.id) is None
    assert "“Winter rota” has been removed." in client.get("/admin/documents").get_data(as_text=True)
    actions = [a.action for a in AuditLog.select().order_by(AuditLog.id)]
    assert actions == ["document-post", "document-remove"]
    assert {a.actor.email for a in AuditLog.select()} == {"ada@example.org"}


def test_admin_removes_a_document_with_htmx_and_gets_the_banner(app, auth, client, db):
    doc = as_ada_post(auth, client)
    auth.login("ada@example.org")
    response = client.post(f"/admin/documents/{doc.id}/remove", headers={"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'hx-swap-oob="true"' in page and "has been removed" in page
    assert not stored_file(app, doc).exists()


def test_admin_documents_page_lists_the_upload_form_and_documents(auth, client, db):
    north = Group.get(Group.name == "Northside")
    as_ada_post(auth, client, title="Fire drill", audience="group", group=north.id)
    auth.login("ada@example.org")
    page = client.get("/admin/documents").get_data(as_text=True)
    assert "Fire drill" in page and "Group: Northside" in page
    assert 'enctype="multipart/form-data"' in page and "Vera Volunteer (vera@example.org)" in page
