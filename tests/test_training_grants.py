"""A volunteer's qualifications, recorded by a leader of one of their groups or an administrator."""

from datetime import date, timedelta

from helpers_training import checked, fresh, grant, qualifications

from cervis.models import AuditLog, QualificationGrant, RecordCheck, User

LEO, OLGA, ADA = "leo@example.org", "olga@example.org", "ada@example.org"


def vera():
    return User.by_email("vera@example.org")


def test_leo_records_safeguarding_for_vera_and_the_expiry_defaults_to_36_months(auth, client, db):
    q = qualifications()
    auth.login(LEO)
    response = client.post(
        f"/leader/volunteers/{vera().id}/training",
        data={"qualification": q["Safeguarding"].id, "gained_on": "2026-01-31", "note": "Course at the diocese"},
    )
    assert response.status_code == 303 and "#answer" in response.headers["Location"]
    g = QualificationGrant.get(QualificationGrant.volunteer == vera())
    assert g.gained_on == date(2026, 1, 31) and g.expires_on == date(2029, 1, 31)
    assert g.recorded_by.email == LEO and g.note == "Course at the diocese"
    assert AuditLog.get(AuditLog.action == "training.record").object_id == g.id
    page = client.get(f"/leader/volunteers/{vera().id}").get_data(as_text=True)
    assert "Training and Checks" in page and "Safeguarding" in page and "31 Jan 2029" in page
    assert "The qualification has been recorded." in page


def test_the_expiry_can_be_typed_or_never(auth, client, db):
    q = qualifications()
    auth.login(LEO)
    client.post(
        f"/leader/volunteers/{vera().id}/training",
        data={"qualification": q["Food hygiene level 2"].id, "gained_on": "2026-01-01", "expires_on": "2027-06-30"},
    )
    client.post(
        f"/leader/volunteers/{vera().id}/training",
        data={"qualification": q["Safeguarding"].id, "gained_on": "2026-01-01", "never": "y"},
    )
    held = {g.qualification.name: g.expires_on for g in QualificationGrant.select()}
    assert held == {"Food hygiene level 2": date(2027, 6, 30), "Safeguarding": None}


def test_leo_edits_and_removes_a_grant_and_both_are_audited(auth, client, db):
    g = grant("vera@example.org", qualifications()["Safeguarding"])
    auth.login(LEO)
    form = client.get(f"/leader/volunteers/{vera().id}/training/{g.id}").get_data(as_text=True)
    assert "Edit Safeguarding" in form
    client.post(
        f"/leader/volunteers/{vera().id}/training/{g.id}",
        data={"gained_on": g.gained_on.isoformat(), "expires_on": "2030-01-01", "note": "Renewed early"},
    )
    assert fresh(g).expires_on == date(2030, 1, 1) and fresh(g).note == "Renewed early"
    assert "2030-01-01" in AuditLog.get(AuditLog.action == "training.update").after
    response = client.post(f"/leader/volunteers/{vera().id}/training/{g.id}/remove")
    assert response.status_code == 303 and fresh(g) is None
    assert AuditLog.get(AuditLog.action == "training.remove").before


def test_bad_input_is_refused_beside_the_field_and_keeps_what_was_typed(auth, client, db):
    q = qualifications()
    auth.login(LEO)
    for data in (
        {"qualification": q["Safeguarding"].id, "gained_on": "31/01/2026", "note": "KEEP-ME"},
        {
            "qualification": q["Safeguarding"].id,
            "gained_on": "2026-01-01",
            "expires_on": "2025-01-01",
            "note": "KEEP-ME",
        },
        {"qualification": "999999", "gained_on": "2026-01-01", "note": "KEEP-ME"},
        {"qualification": "x", "gained_on": "0001-01-01", "expires_on": "99999-99-99", "note": "KEEP-ME"},
    ):
        response = client.post(f"/leader/volunteers/{vera().id}/training", data=data)
        assert response.status_code == 400 and "KEEP-ME" in response.get_data(as_text=True)
        assert 'class="field-error"' in response.get_data(as_text=True)
    assert not QualificationGrant.select().exists()


def test_a_leader_only_records_for_members_of_their_own_groups(auth, client, db):
    q = qualifications()
    sam = User.by_email("sam@example.org")
    theirs = grant("sam@example.org", q["Safeguarding"])
    auth.login(LEO)
    assert (
        client.post(
            f"/leader/volunteers/{sam.id}/training",
            data={"qualification": q["Safeguarding"].id, "gained_on": "2026-01-01"},
        ).status_code
        == 403
    )
    assert client.post(f"/leader/volunteers/{sam.id}/training/{theirs.id}/remove").status_code == 403
    # Vera's id with Sam's grant: still not found.
    assert client.post(f"/leader/volunteers/{vera().id}/training/{theirs.id}/remove").status_code == 404
    assert fresh(theirs) is not None
    auth.logout()
    auth.login("vera@example.org")
    assert client.get(f"/leader/volunteers/{vera().id}/training").status_code == 403


def test_a_leader_cannot_record_or_open_a_criminal_record_check(auth, client, db):
    q = qualifications()
    auth.login(LEO)
    form = client.get(f"/leader/volunteers/{vera().id}/training").get_data(as_text=True)
    assert "DBS enhanced" not in form and "Certificate number" not in form
    response = client.post(
        f"/leader/volunteers/{vera().id}/training",
        data={
            "qualification": q["DBS enhanced"].id,
            "gained_on": "2026-01-01",
            "level": "enhanced",
            "certificate_number": "001",
            "cleared": "yes",
        },
    )
    assert response.status_code == 400 and not QualificationGrant.select().exists()
    g = checked("vera@example.org", q["DBS enhanced"])
    assert client.get(f"/leader/volunteers/{vera().id}/training/{g.id}").status_code == 403
    assert client.post(f"/leader/volunteers/{vera().id}/training/{g.id}/remove").status_code == 403


def test_ada_records_a_dbs_check_and_only_she_sees_its_details(auth, client, db):
    q = qualifications()
    auth.login(ADA)
    missing = client.post(
        f"/leader/volunteers/{vera().id}/training",
        data={"qualification": q["DBS enhanced"].id, "gained_on": "2026-02-01"},
    )
    assert missing.status_code == 400 and "Please enter the certificate number." in missing.get_data(as_text=True)
    client.post(
        f"/leader/volunteers/{vera().id}/training",
        data={
            "qualification": q["DBS enhanced"].id,
            "gained_on": "2026-02-01",
            "level": "enhanced",
            "certificate_number": "009876543210",
            "cleared": "yes",
        },
    )
    check = RecordCheck.get()
    assert check.cleared and check.level == "enhanced" and check.decided_by.email == ADA
    assert check.issued_on == date(2026, 2, 1) and check.grant.expires_on == date(2029, 2, 1)
    assert "009876543210" not in AuditLog.get(AuditLog.action == "training.record").after
    assert "009876543210" in client.get(f"/leader/volunteers/{vera().id}").get_data(as_text=True)
    auth.logout()
    auth.login(LEO)
    page = client.get(f"/leader/volunteers/{vera().id}").get_data(as_text=True)
    assert "Checked until 1 February 2029" in page and "009876543210" not in page and "Enhanced" not in page


def test_a_check_not_cleared_or_missing_shows_a_leader_not_checked(auth, client, db):
    q = qualifications()
    checked("vera@example.org", q["DBS enhanced"], cleared=False)
    auth.login(LEO)
    page = client.get(f"/leader/volunteers/{vera().id}").get_data(as_text=True)
    assert "Not checked" in page and "Not cleared" not in page and "not cleared" not in page


def test_a_grant_lapsing_mid_month_shows_as_expiring(auth, client, db):
    q = qualifications()
    grant("vera@example.org", q["Safeguarding"], expires_on=date.today() + timedelta(days=15))
    auth.login(LEO)
    assert "Expiring within 60 days" in client.get(f"/leader/volunteers/{vera().id}").get_data(as_text=True)


def test_a_leader_cannot_record_their_own_training_nor_a_date_to_come(auth, client, db):
    q = qualifications()
    leo = User.by_email(LEO)
    auth.login(LEO)
    assert (
        client.post(
            f"/leader/volunteers/{leo.id}/training",
            data={"qualification": q["Shift leader training"].id, "gained_on": "2026-01-01"},
        ).status_code
        == 403
    )
    assert "recorded by another leader" in client.get(f"/leader/volunteers/{leo.id}").get_data(as_text=True)
    future = client.post(
        f"/leader/volunteers/{vera().id}/training",
        data={"qualification": q["Safeguarding"].id, "gained_on": (date.today() + timedelta(days=3)).isoformat()},
    )
    assert future.status_code == 400 and "in the future" in future.get_data(as_text=True)
    assert not QualificationGrant.select().exists()
