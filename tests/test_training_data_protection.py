"""Criminal-record checks and training are in Download My Data, go with an erasure, and the Data
Protection page states the condition relied on."""

import json

from helpers_training import checked, grant, qualifications

from cervis import erasure, proof_files
from cervis.models import AuditLog, QualificationGrant, RecordCheck, User


def test_download_my_data_includes_training_and_the_check(auth, client, db):
    q = qualifications()
    grant("vera@example.org", q["Safeguarding"])
    checked("vera@example.org", q["DBS enhanced"], number="009988776655")
    auth.login()
    data = json.loads(client.get("/portal/profile/my-data.json").get_data(as_text=True))
    held = {t["qualification"]: t for t in data["people"][0]["training_and_checks"]}
    assert set(held) == {"Safeguarding", "DBS enhanced"}
    assert held["DBS enhanced"]["certificate_number"] == "009988776655" and held["DBS enhanced"]["cleared"]
    page = client.get("/portal/profile/my-data").get_data(as_text=True)
    assert "Training and checks" in page and "009988776655" in page


def test_erasure_removes_grants_checks_proof_files_and_what_the_audit_log_said(auth, client, db, app):
    q = qualifications()
    vera = User.by_email("vera@example.org")
    g = checked("vera@example.org", q["DBS enhanced"], number="009988776655")
    AuditLog.record(User.by_email("ada@example.org"), "training.record", g, after={"number": "009988776655"})
    name = proof_files.store("pdf", b"%PDF-1.4\n%%EOF")
    grant("vera@example.org", q["Safeguarding"], proof_path=name)
    erasure.erase(User.by_email("ada@example.org"), vera)
    assert not QualificationGrant.select().exists() and not RecordCheck.select().exists()
    assert not proof_files.path_of(name).exists()
    assert not AuditLog.select().where(AuditLog.after.contains("009988776655")).exists()


def test_the_data_protection_page_states_the_condition_relied_on(auth, client, db):
    auth.login("ada@example.org")
    page = client.get("/admin/data-protection").get_data(as_text=True)
    assert "Criminal-record checks" in page and "Schedule 1, Part 2, paragraph 18" in page
