"""Members: the Training and checks view, each member's qualifications with their state, and its CSV."""

from datetime import date, timedelta

from helpers_rota import member
from helpers_training import checked, grant, qualifications

from cervis.models import Group, WAITING

LEO = "leo@example.org"


def north():
    return Group.get(name="Northside")


def arrange():
    """Vera qualified; Quinn unqualified; Lana's safeguarding lapses mid-month; Wes has proof waiting."""
    q = qualifications()
    for name in ("Quinn", "Lana", "Wes"):
        member(name)
    grant("vera@example.org", q["Safeguarding"])
    grant("vera@example.org", q["Shift leader training"])
    checked("vera@example.org", q["DBS enhanced"])
    grant("lana@example.org", q["Safeguarding"], expires_on=date.today() + timedelta(days=14))
    grant("wes@example.org", q["Food hygiene level 2"], state=WAITING, proof_path="x.pdf")
    grant("quinn@example.org", q["Food hygiene level 2"], gained_on=date(2020, 1, 1))
    return q


def test_leo_sees_every_members_qualifications_with_their_state(auth, client, db):
    arrange()
    auth.login(LEO)
    assert "Training and checks" in client.get(f"/leader/groups/{north().id}/members").get_data(as_text=True)
    page = client.get(f"/leader/groups/{north().id}/members/training").get_data(as_text=True)
    for words in (
        "Safeguarding",
        "Shift leader training",
        "Valid",
        "Expiring within 60 days",
        "Expired",
        "Waiting to be checked",
        "Checked until",
        "Not checked",
    ):
        assert words in page, words
    assert "001234567890" not in page


def test_filtered_by_qualification_and_state(auth, client, db):
    q = arrange()
    auth.login(LEO)
    page = client.get(
        f"/leader/groups/{north().id}/members/training",
        query_string={"qualification": q["Safeguarding"].id, "state": "expiring"},
    ).get_data(as_text=True)
    assert "Lana Member" in page and "Vera Volunteer" not in page and "Quinn Member" not in page
    assert "Shift leader training</th>" not in page
    missing = client.get(
        f"/leader/groups/{north().id}/members/training",
        query_string={"qualification": q["Safeguarding"].id, "state": "missing"},
    ).get_data(as_text=True)
    assert "Quinn Member" in missing and "Wes Member" in missing and "Lana Member" not in missing


def test_the_csv_has_the_same_rows(auth, client, db):
    q = arrange()
    auth.login(LEO)
    response = client.get(
        f"/leader/groups/{north().id}/members/training.csv",
        query_string={"qualification": q["Food hygiene level 2"].id},
    )
    text = response.get_data(as_text=True)
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0] == "Name,E-mail,Food hygiene level 2"
    assert "Quinn Member,quinn@example.org,Expired (on 1 Jan 2023)" in lines
    assert "Wes Member,wes@example.org,Waiting to be checked" in lines


def test_bad_filters_show_everything_and_other_groups_are_refused(auth, client, db):
    arrange()
    auth.login(LEO)
    for args in ({"qualification": "x"}, {"qualification": "99999999999999999999"}, {"state": "nonsense"}):
        assert client.get(f"/leader/groups/{north().id}/members/training", query_string=args).status_code == 200
    south = Group.get(name="Southside")
    assert client.get(f"/leader/groups/{south.id}/members/training").status_code == 403
    assert client.get(f"/leader/groups/{south.id}/members/training.csv").status_code == 403


def test_the_members_page_says_how_many_proofs_wait_and_the_view_shows_them(auth, client, db):
    arrange()
    auth.login(LEO)
    page = client.get(f"/leader/groups/{north().id}/members").get_data(as_text=True)
    assert "Training and checks (1 waiting to be checked)" in page and "state=waiting" in page
    waiting = client.get(f"/leader/groups/{north().id}/members/training?state=waiting").get_data(as_text=True)
    assert "Wes Member" in waiting and "Vera Volunteer" not in waiting


def test_an_administrator_reaches_training_and_checks_from_the_person_page(auth, client, db):
    from cervis.models import User

    auth.login("ada@example.org")
    vera = User.by_email("vera@example.org")
    page = client.get(f"/admin/people/{vera.id}").get_data(as_text=True)
    assert f"/leader/volunteers/{vera.id}#training" in page
