"""Qualifications: the organisation-wide list the administrators keep on the Lists page."""

from cervis.models import AuditLog, Qualification, QualificationGrant, User

HX = {"HX-Request": "true"}


def test_admin_adds_safeguarding_that_expires_after_36_months(auth, client, db):
    auth.login("ada@example.org")
    response = client.post("/admin/lists/qualifications/add", data={"name": "Safeguarding", "valid_months": "36"})
    assert response.status_code == 303
    item = Qualification.get(Qualification.name == "Safeguarding")
    assert item.valid_months == 36 and not item.criminal_record_check
    assert AuditLog.get(AuditLog.action == "list-add").object_type == "Qualification"
    page = client.get("/admin/lists").get_data(as_text=True)
    assert "Qualifications" in page and "Safeguarding" in page


def test_a_dbs_check_that_never_expires_and_is_a_criminal_record_check(auth, client, db):
    auth.login("ada@example.org")
    client.post(
        "/admin/lists/qualifications/add",
        data={"name": "DBS enhanced", "valid_months": "", "criminal_record_check": "y"},
    )
    item = Qualification.get(Qualification.name == "DBS enhanced")
    assert item.valid_months is None and item.criminal_record_check


def test_admin_changes_the_months_and_a_bad_number_is_refused_beside_the_field(auth, client, db):
    item = Qualification.create(name="Food hygiene level 2", valid_months=36)
    auth.login("ada@example.org")
    bad = client.post(
        f"/admin/lists/qualifications/{item.id}", data={"name": "Food hygiene level 2", "valid_months": "many"}
    )
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "whole number of months" in page and 'value="many"' in page
    assert (
        client.post(
            f"/admin/lists/qualifications/{item.id}", data={"name": "Food hygiene level 2", "valid_months": "0"}
        ).status_code
        == 400
    )
    ok = client.post(
        f"/admin/lists/qualifications/{item.id}",
        data={"name": "Food hygiene level 2", "valid_months": "24"},
        headers=HX,
    )
    assert ok.status_code == 200 and Qualification.get_by_id(item.id).valid_months == 24


def test_a_qualification_someone_holds_cannot_be_removed(auth, client, db):
    item = Qualification.create(name="Safeguarding", valid_months=36)
    QualificationGrant.create(volunteer=User.by_email("vera@example.org"), qualification=item, gained_on="2026-01-01")
    auth.login("ada@example.org")
    response = client.post(f"/admin/lists/qualifications/{item.id}/remove")
    assert response.status_code == 400 and "1 volunteer record" in response.get_data(as_text=True)
    assert Qualification.get_or_none(id=item.id) is not None


def test_a_leader_cannot_change_the_list(auth, client, db):
    auth.login("leo@example.org")
    assert client.post("/admin/lists/qualifications/add", data={"name": "Made up"}).status_code == 403
    assert not Qualification.select().exists()


def test_a_control_character_in_the_months_is_refused_not_an_error(auth, client, db):
    auth.login("ada@example.org")
    response = client.post("/admin/lists/qualifications/add", data={"name": "Safeguarding", "valid_months": "3\x0b6"})
    assert response.status_code == 400 and not Qualification.select().exists()
