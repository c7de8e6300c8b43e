"""Import Volunteers: a CSV preview that marks every bad row, then an all-or-nothing import."""

import io
import json

import peewee
import pytest
from conftest import emails_to
from helpers_leader import ADA, LEO, confirm_import, csv_upload, person

from cervis import accounts
from cervis.models import AuditLog, Email, Membership, User

GOOD = (
    "e-mail,first name,last name,phone,groups\n"
    "nora@example.org,Nora,New,07700 900111,Northside\n"
    "Owen@Example.org,Owen,Other,,northside\n"
)


def _counts():
    return (User.select().count(), Membership.select().count(), Email.select().count(), AuditLog.select().count())


def test_import_page_explains_the_columns(auth, client, db):
    auth.login(LEO)
    page = client.get("/leader/volunteers/import").get_data(as_text=True)
    assert "Import Volunteers" in page and "e-mail, first name, last name, phone, groups" in page
    assert 'type="file"' in page and 'enctype="multipart/form-data"' in page


def test_preview_marks_each_bad_row_with_its_reason(auth, client, db):
    text = (
        "nora@example.org,Nora,New,,Northside\n"
        "not-an-address,Bad,Email,,Northside\n"
        "nameless@example.org,,,,Northside\n"
        "lost@example.org,Lost,Group,,Westside\n"
        "south@example.org,Sou,Th,,Southside\n"
        "NORA@example.org,Nora,Again,,Northside\n"
    )
    before = _counts()
    auth.login(LEO)
    response = csv_upload(client, text)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "5 rows of 6 have a problem" in page and "Nothing has been imported." in page
    for reason in (
        "Bad e-mail address: “not-an-address”",
        "Missing first name",
        "Missing last name",
        "Unknown group: “Westside”",
        "Not a group you lead: Southside",
        "Duplicate: the same e-mail address is on line 1",
    ):
        assert reason in page
    assert ">Import Volunteers</button>" not in page
    assert _counts() == before


def test_good_file_previews_then_imports_accounts_with_welcome_emails(auth, client, db):
    auth.login(LEO)
    preview = csv_upload(client, GOOD)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Will be added" in page and ">Import Volunteers</button>" in page
    assert person("nora@example.org") is None  # nothing yet: only a preview
    assert 'name="csv_text"' in page
    response = confirm_import(client, GOOD)
    assert response.status_code == 303
    assert "Import complete: 2 volunteers added" in client.get(response.headers["Location"]).get_data(as_text=True)
    nora, owen = person("nora@example.org"), person("owen@example.org")
    assert [g.name for g in nora.groups()] == ["Northside"] and [g.name for g in owen.groups()] == ["Northside"]
    assert nora.must_change_password and owen.email == "owen@example.org"
    assert len(emails_to("nora@example.org", "welcome")) == 1 and len(emails_to("owen@example.org", "welcome")) == 1
    summary = AuditLog.get(AuditLog.action == "volunteers.import")
    assert summary.actor.email == LEO and json.loads(summary.after)["accounts_created"] == 2


def test_import_refuses_the_whole_file_when_any_row_is_bad(auth, client, db):
    before = _counts()
    auth.login(LEO)
    response = confirm_import(client, GOOD + "broken,,,,Northside\n")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nothing was imported: some rows have problems." in page
    assert person("nora@example.org") is None and _counts() == before


def test_import_is_all_or_nothing_when_it_fails_part_way(auth, client, db, monkeypatch):
    made = []
    real = accounts.create_volunteer

    def fails_second_time(*args, **kwargs):
        if made:
            raise peewee.IntegrityError("someone added this address meanwhile")
        made.append(real(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(accounts, "create_volunteer", fails_second_time)
    before = _counts()
    auth.login(LEO)
    response = confirm_import(client, GOOD)
    assert response.status_code == 409 and "Nothing was imported" in response.get_data(as_text=True)
    assert made and person("nora@example.org") is None  # the first account was rolled back too
    assert _counts() == before


def test_reimporting_the_same_file_changes_nothing(auth, client, db):
    auth.login(LEO)
    confirm_import(client, GOOD)
    before = _counts()
    preview = csv_upload(client, GOOD).get_data(as_text=True)
    assert preview.count("Is already one of your members") == 2
    response = confirm_import(client, GOOD)
    assert "Nothing to import" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert _counts() == before
    assert len(emails_to("nora@example.org", "welcome")) == 1


def test_an_existing_account_only_gains_the_groups_it_lacks(auth, client, db):
    text = "vera@example.org,Vera,Volunteer,07700 900000,Northside;Southside\n"
    auth.login(ADA)
    assert "Existing account (Vera Volunteer): joins Southside" in csv_upload(client, text).get_data(as_text=True)
    confirm_import(client, text)
    vera = person("vera@example.org")
    assert [g.name for g in vera.groups()] == ["Northside", "Southside"]
    assert User.select().where(User.email == "vera@example.org").count() == 1
    assert emails_to("vera@example.org", "welcome") == []
    added = AuditLog.get(AuditLog.action == "membership.add")
    assert json.loads(added.after)["group"] == "Southside" and added.actor.email == ADA


def test_a_file_without_a_heading_row_is_read_in_the_guides_column_order(auth, client, db):
    auth.login(LEO)
    confirm_import(client, "nora@example.org,Nora,New,07700 900111,Northside\n")
    nora = person("nora@example.org")
    assert (nora.first_name, nora.last_name) == ("Nora", "New")


def test_a_heading_row_may_put_the_columns_in_another_order(auth, client, db):
    auth.login(LEO)
    confirm_import(client, "Groups,Surname,First Name,Email\nNorthside,New,Nora,nora@example.org\n")
    nora = person("nora@example.org")
    assert (nora.first_name, nora.last_name, nora.groups()[0].name) == ("Nora", "New", "Northside")


@pytest.mark.parametrize(
    "data, message",
    [
        (b"PK\x03\x04\x00\x00binary spreadsheet", "That is not a CSV file."),
        (b"e-mail,first name,last name,phone,groups\n", "That file has no volunteers in it."),
        (
            "".join(f"p{i}@example.org,P,Q,,Northside\n" for i in range(301)).encode(),
            "That file has 301 volunteers: please split it into files of at most 300.",
        ),
    ],
)
def test_a_file_that_cannot_be_used_is_refused_next_to_the_field(auth, client, db, data, message):
    auth.login(LEO)
    response = client.post(
        "/leader/volunteers/import",
        data={"file": (io.BytesIO(data), "volunteers.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_a_spreadsheet_saved_by_excel_in_windows_encoding_is_read(auth, client, db):
    text = "zoe@example.org,Zoë,Ökland,,Northside\n".encode("cp1252")
    auth.login(LEO)
    response = client.post(
        "/leader/volunteers/import",
        data={"file": (io.BytesIO(text), "volunteers.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200 and "Zoë" in response.get_data(as_text=True)


def test_a_volunteer_cannot_import(auth, client, db):
    auth.login()
    assert client.get("/leader/volunteers/import").status_code == 403
    assert confirm_import(client, GOOD).status_code == 403
    assert person("nora@example.org") is None


def test_a_leader_cannot_pull_another_groups_volunteer_into_their_group(auth, client, db):
    """Joining would show Olga Sam's allergies and emergency contact: only an administrator may."""
    text = "sam@example.org,Sam,Southsider,,Northside\n"
    auth.login(LEO)
    page = csv_upload(client, text).get_data(as_text=True)
    assert "Will be added" in page and "account" not in page.split("<tbody>")[1].split("</tbody>")[0]
    confirm_import(client, text)
    assert [g.name for g in person("sam@example.org").groups()] == ["Southside"]
