"""Import Volunteers accepts qualification columns: the date gained, the expiry from the qualification."""

from datetime import date

from helpers_leader import LEO, confirm_import, csv_upload
from helpers_training import grant, qualifications

from cervis.models import QualificationGrant, User

FILE = (
    "e-mail,first name,last name,phone,groups,Safeguarding,Food hygiene level 2\n"
    "nora@example.org,Nora,New,,Northside,2025-03-01,\n"
    "vera@example.org,Vera,Volunteer,,Northside,31/01/2026,01/02/2026\n"
)


def held():
    return {(g.volunteer.email, g.qualification.name): (g.gained_on, g.expires_on) for g in QualificationGrant.select()}


def test_the_preview_shows_the_training_and_the_import_records_it(auth, client, db):
    qualifications()
    auth.login(LEO)
    preview = csv_upload(client, FILE).get_data(as_text=True)
    assert "training: Safeguarding 1 Mar 2025" in preview
    assert confirm_import(client, FILE).status_code == 303
    assert held() == {
        ("nora@example.org", "Safeguarding"): (date(2025, 3, 1), date(2028, 3, 1)),
        ("vera@example.org", "Safeguarding"): (date(2026, 1, 31), date(2029, 1, 31)),
        ("vera@example.org", "Food hygiene level 2"): (date(2026, 2, 1), date(2029, 2, 1)),
    }
    assert (
        QualificationGrant.get(QualificationGrant.volunteer == User.by_email("nora@example.org")).recorded_by.email
        == LEO
    )
    confirm_import(client, FILE)  # again: nothing changes
    assert len(held()) == 3


def test_a_newer_date_held_is_kept_and_bad_dates_are_marked_on_their_row(auth, client, db):
    q = qualifications()
    grant("vera@example.org", q["Safeguarding"], gained_on=date(2026, 6, 1))
    auth.login(LEO)
    confirm_import(client, FILE)
    assert held()[("vera@example.org", "Safeguarding")][0] == date(2026, 6, 1)
    bad = FILE.replace("2025-03-01", "last spring").replace("01/02/2026", "01/02/2999")
    response = csv_upload(client, bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Bad date for Safeguarding: “last spring”" in page
    assert "Bad date for Food hygiene level 2" in page


def test_a_criminal_record_check_column_is_refused(auth, client, db):
    qualifications()
    auth.login(LEO)
    response = csv_upload(client, "e-mail,first name,last name,DBS enhanced\nnora@example.org,Nora,New,2026-01-01\n")
    assert response.status_code == 400 and "is a criminal-record check" in response.get_data(as_text=True)
    assert not QualificationGrant.select().exists()
