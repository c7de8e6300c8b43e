"""The guide's "Record or Update Service Project Activity": service given outside the rota."""

from datetime import date, timedelta

from cervis.models import Group, ServiceRecord, User

HTMX = {"HX-Request": "true"}
YESTERDAY = (date.today() - timedelta(days=1)).isoformat()


def northside():
    return Group.get(Group.name == "Northside")


def record(volunteer, minutes=90, day=date(2025, 10, 4), description="Sorted donations"):
    return ServiceRecord.create(
        volunteer=volunteer, group=northside(), day=day, minutes=minutes, description=description
    )


def entry(**changes):
    data = {
        "day": YESTERDAY,
        "group": str(northside().id),
        "hours": "2.5",
        "description": "Helped at the Christmas food drive",
    }
    data.update(changes)
    return data


def test_page_uses_the_guides_title_and_offers_only_my_groups(auth, client, db):
    auth.login()
    page = client.get("/portal/service").get_data(as_text=True)
    assert "Record or Update Service Project Activity" in page
    assert "Northside" in page and "Southside" not in page
    assert 'step="0.25"' in page and "&lt; Portal Home" in page
    assert "You have not recorded any service project activity yet." in page


def test_volunteer_records_service_and_it_counts_on_portal_home(auth, client, db):
    auth.login()
    response = client.post("/portal/service", data=entry())
    assert response.status_code == 303 and response.headers["Location"].split("#")[0].endswith("/portal/service")
    saved = ServiceRecord.get()
    assert saved.volunteer.email == "vera@example.org" and saved.minutes == 150
    assert saved.group.name == "Northside" and saved.day.isoformat() == YESTERDAY
    page = client.get("/portal/service").get_data(as_text=True)
    assert "Your service project activity has been recorded." in page
    assert "Helped at the Christmas food drive" in page and "2.5" in page
    home = client.get("/portal/").get_data(as_text=True)
    assert "<strong>2.5</strong> Hours" in home and "<strong>1</strong> Activities" in home


def test_recording_by_htmx_answers_the_form_and_list_with_a_banner(auth, client, db):
    auth.login()
    response = client.post("/portal/service", data=entry(hours="0.75"), headers=HTMX)
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert '<div id="service">' in fragment and 'hx-swap-oob="true"' in fragment
    assert "has been recorded" in fragment and "0.75" in fragment and "<html" not in fragment
    assert ServiceRecord.get().minutes == 45


def test_hours_must_be_quarter_hours_and_nothing_typed_is_lost(auth, client, db):
    auth.login()
    for hours, message in (
        ("1.1", "quarter hours"),
        ("0", "between 0.25 and 24"),
        ("25", "between 0.25 and 24"),
        ("lots", "as a number"),
        ("NaN", "quarter hours"),
        ("", "Please enter the hours you served."),
    ):
        response = client.post("/portal/service", data=entry(hours=hours))
        assert response.status_code == 400, hours
        page = response.get_data(as_text=True)
        assert message in page, hours
        assert "Helped at the Christmas food drive" in page
    assert ServiceRecord.select().count() == 0


def test_date_group_and_description_are_checked(auth, client, db):
    auth.login()
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    south = Group.get(Group.name == "Southside")
    checks = (
        (entry(day=tomorrow), "cannot be in the future"),
        (entry(day=""), "Please enter the date"),
        (entry(group=str(south.id)), "Please choose one of your groups."),
        (entry(description="  "), "Please say briefly what you did."),
    )
    for data, message in checks:
        response = client.post("/portal/service", data=data)
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    invalid = client.post("/portal/service", data=entry(day=""), headers=HTMX)
    assert invalid.status_code == 200 and "Please enter the date" in invalid.get_data(as_text=True)
    assert ServiceRecord.select().count() == 0


def test_volunteer_edits_their_own_record(auth, client, db):
    mine = record(User.by_email("vera@example.org"))
    auth.login()
    page = client.get(f"/portal/service/{mine.id}").get_data(as_text=True)
    assert "Update Service Project Activity" in page and "Sorted donations" in page
    assert 'value="1.50"' in page and 'value="2025-10-04"' in page
    response = client.post(f"/portal/service/{mine.id}", data=entry(hours="3.25", description="Sorted coats"))
    assert response.status_code == 303
    mine = ServiceRecord.get_by_id(mine.id)
    assert mine.minutes == 195 and mine.description == "Sorted coats"
    assert "has been updated" in client.get("/portal/service").get_data(as_text=True)


def test_editing_by_htmx_puts_the_address_back_to_the_list(auth, client, db):
    mine = record(User.by_email("vera@example.org"))
    auth.login()
    response = client.post(f"/portal/service/{mine.id}", data=entry(), headers=HTMX)
    assert response.status_code == 200 and response.headers["HX-Push-Url"] == "/portal/service"
    assert "Record Service Project Activity" in response.get_data(as_text=True)


def test_volunteer_deletes_their_own_record_plain_and_by_htmx(auth, client, db):
    vera = User.by_email("vera@example.org")
    first, second = record(vera), record(vera, description="Washed up")
    auth.login()
    response = client.post(f"/portal/service/{first.id}/delete")
    assert response.status_code == 303 and ServiceRecord.get_or_none(ServiceRecord.id == first.id) is None
    assert "has been deleted" in client.get("/portal/service").get_data(as_text=True)
    response = client.post(f"/portal/service/{second.id}/delete", headers=HTMX)
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and '<section id="service-records">' in fragment
    assert "has been deleted" in fragment and "Washed up" not in fragment
    assert ServiceRecord.select().count() == 0


def test_another_volunteers_record_by_id_is_not_found(auth, client, db):
    sams = record(User.by_email("sam@example.org"), description="Sam's secret project")
    auth.login()
    assert client.get(f"/portal/service/{sams.id}").status_code == 404
    assert client.post(f"/portal/service/{sams.id}", data=entry()).status_code == 404
    assert client.post(f"/portal/service/{sams.id}/delete").status_code == 404
    assert client.get("/portal/service/99999").status_code == 404
    assert "Sam's secret project" not in client.get("/portal/service").get_data(as_text=True)
    kept = ServiceRecord.get_by_id(sams.id)
    assert kept.description == "Sam's secret project" and kept.minutes == 90


def test_delete_only_by_post(auth, client, db):
    mine = record(User.by_email("vera@example.org"))
    auth.login()
    assert client.get(f"/portal/service/{mine.id}/delete").status_code == 405
    assert ServiceRecord.select().count() == 1
