"""My Training and Checks: a volunteer sees theirs with expiry dates and sends in proof; leaders check it."""

import io
from datetime import date, timedelta

from helpers_training import checked, fresh, grant, qualifications
from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from cervis import proof_files
from cervis.models import GRANTED, WAITING, AuditLog, QualificationGrant, User

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def jpeg_with_exif():
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "SECRET-CAMERA"  # the make of the camera, where a phone also keeps where it was
    Image.new("RGB", (40, 30), "white").save(out, "JPEG", exif=exif)
    return out.getvalue()


def send(client, qualification, data, name="certificate.pdf", gained_on="2026-01-10"):
    # Encoded in memory: the test client's own temporary file for a large body would be left open.
    boundary, body = encode_multipart(
        {"qualification": str(qualification.id), "gained_on": gained_on, "proof": FileStorage(io.BytesIO(data), name)}
    )
    return client.post("/portal/training/proof", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def vera():
    return User.by_email("vera@example.org")


def test_vera_sees_her_training_and_checks_with_expiry_dates_on_her_profile(auth, client, db):
    q = qualifications()
    grant("vera@example.org", q["Safeguarding"], gained_on=date(2025, 3, 1))
    checked("vera@example.org", q["DBS enhanced"])
    auth.login()
    page = client.get("/portal/profile").get_data(as_text=True)
    assert "My Training and Checks" in page and "Safeguarding" in page and "1 Mar 2028" in page
    assert "DBS enhanced" in page and "certificate 001234567890" in page  # her own check: hers to see


def test_vera_sends_in_a_pdf_and_leo_sees_it_waiting_and_approves_it(auth, client, db, app):
    q = qualifications()
    auth.login()
    response = send(client, q["Food hygiene level 2"], PDF)
    assert response.status_code == 303
    g = QualificationGrant.get()
    assert g.state == WAITING and g.proof_gained_on == date(2026, 1, 10)
    stored = proof_files.path_of(g.proof_path)
    assert stored.read_bytes() == PDF and oct(stored.stat().st_mode)[-3:] == "600"
    assert "Waiting to be checked" in client.get("/portal/profile").get_data(as_text=True)
    auth.logout()
    auth.login("leo@example.org")
    page = client.get(f"/leader/volunteers/{vera().id}").get_data(as_text=True)
    assert "Waiting to be checked" in page and "Approve" in page and "Refuse" in page
    download = client.get(f"/leader/volunteers/{vera().id}/training/{g.id}/proof")
    assert download.data == PDF and "attachment" in download.headers["Content-Disposition"]
    assert "sandbox" in download.headers["Content-Security-Policy"]
    download.close()
    assert client.post(f"/leader/volunteers/{vera().id}/training/{g.id}/approve").status_code == 303
    g = fresh(g)
    assert g.state == GRANTED and g.gained_on == date(2026, 1, 10) and g.expires_on == date(2029, 1, 10)
    assert g.recorded_by.email == "leo@example.org" and g.proof_path is None and not stored.exists()
    assert AuditLog.select().where(AuditLog.action == "training.approve").exists()


def test_a_refused_proof_is_deleted_with_its_file_and_a_renewal_keeps_the_grant(auth, client, db):
    q = qualifications()
    held = grant("vera@example.org", q["Safeguarding"], expires_on=date.today() + timedelta(days=20))
    auth.login()
    send(client, q["Safeguarding"], PDF)
    send(client, q["Food hygiene level 2"], PDF)
    renewal = fresh(held)
    assert renewal.state == GRANTED and renewal.proof_path  # still counts while the proof waits
    new = QualificationGrant.get(QualificationGrant.state == WAITING)
    files = [proof_files.path_of(renewal.proof_path), proof_files.path_of(new.proof_path)]
    auth.logout()
    auth.login("leo@example.org")
    for g in (renewal, new):
        assert client.post(f"/leader/volunteers/{vera().id}/training/{g.id}/refuse").status_code == 303
    assert fresh(new) is None and not any(f.exists() for f in files)
    assert fresh(held).expires_on == held.expires_on and fresh(held).proof_path is None
    again = client.post(f"/leader/volunteers/{vera().id}/training/{held.id}/refuse")
    assert again.status_code == 303


def test_a_photo_is_rewritten_without_its_exif(auth, client, db):
    q = qualifications()
    auth.login()
    assert send(client, q["Safeguarding"], jpeg_with_exif(), name="photo.jpg").status_code == 303
    kept = proof_files.path_of(QualificationGrant.get().proof_path).read_bytes()
    assert kept.startswith(b"\xff\xd8\xff") and b"SECRET-CAMERA" not in kept


def test_bad_proof_is_refused_beside_the_field(auth, client, db):
    q = qualifications()
    auth.login()
    for data, name, words in (
        (b"MZ\x90\x00 not a certificate", "cert.exe", "must be a PDF, PNG or JPEG"),
        (b"%PDF-1.4 /JavaScript (app.alert(1))\n%%EOF", "cert.pdf", "holds scripts"),
        (b"%PDF-1.4 cut short", "cert.pdf", "cut short"),
        (b"\x89PNG\r\n\x1a\n broken", "cert.png", "could not be read"),
        (b"%PDF-" + b"0" * proof_files.MAX_BYTES, "big.pdf", "larger than 5 MB"),
        (b"", "empty.pdf", "Please choose"),
    ):
        response = send(client, q["Safeguarding"], data, name=name)
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and words in page, words
    future = send(client, q["Safeguarding"], PDF, gained_on=(date.today() + timedelta(days=9)).isoformat())
    assert future.status_code == 400 and "in the future" in future.get_data(as_text=True)
    assert not QualificationGrant.select().exists() and not list(proof_files.proofs_dir().iterdir())


def test_proof_of_a_criminal_record_check_is_never_taken(auth, client, db):
    q = qualifications()
    auth.login()
    assert "DBS enhanced" not in client.get("/portal/training/proof").get_data(as_text=True)
    assert send(client, q["DBS enhanced"], PDF).status_code == 400
    assert not QualificationGrant.select().exists()


def test_another_groups_leader_cannot_see_or_decide_the_proof(auth, client, db):
    q = qualifications()
    auth.login()
    send(client, q["Safeguarding"], PDF)
    g = QualificationGrant.get()
    auth.logout()
    auth.login("olga@example.org")
    assert client.get(f"/leader/volunteers/{vera().id}/training/{g.id}/proof").status_code == 403
    assert client.post(f"/leader/volunteers/{vera().id}/training/{g.id}/approve").status_code == 403
    assert fresh(g).state == WAITING


def test_approve_with_htmx_answers_with_the_section_and_without_it_with_a_redirect(auth, client, db):
    q = qualifications()
    auth.login()
    send(client, q["Safeguarding"], PDF)
    send(client, q["Food hygiene level 2"], PDF)
    first, second = QualificationGrant.select().order_by(QualificationGrant.id)
    auth.logout()
    auth.login("leo@example.org")
    htmx = client.post(f"/leader/volunteers/{vera().id}/training/{first.id}/approve", headers={"HX-Request": "true"})
    page = htmx.get_data(as_text=True)
    assert htmx.status_code == 200 and page.lstrip().startswith('<section id="training"')
    assert 'id="training"' in page and "The proof of Safeguarding has been approved" in page
    assert "<html" not in page
    plain = client.post(f"/leader/volunteers/{vera().id}/training/{second.id}/refuse")
    assert plain.status_code == 303 and plain.headers["Location"].endswith("#answer")
