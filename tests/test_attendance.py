"""After the night: "Who came?", and hours that follow what was recorded."""

from datetime import datetime, timedelta

from helpers_rota import ZONE, member, offer, opportunity

from cervis import attendance
from cervis.db import utcnow
from cervis.models import REGISTERED, Role, Slot, User
from cervis.models.attendance import Attendance
from cervis.models.attendance import volunteer_totals
from cervis.timeutil import to_local, to_utc
from cervis.volunteer.history import activity_history
from helpers_attendance import a_night

HTMX = {"HX-Request": "true"}


def test_the_nights_shift_leader_records_who_came_and_hours_follow(auth, client, db):
    regs, url = a_night()
    auth.login("sue@example.org")
    page = client.get(url).get_data(as_text=True)
    assert "Who came?" in page and "Rex Member" in page and "Vera Volunteer" in page
    assert page.count('value="1" checked') == 3  # Attended by default
    answer = client.post(url, data={"registration": [r.id for r in regs.values()], f"came-{regs['rex'].id}": "0"})
    assert answer.status_code == 303
    marks = {a.volunteer.first_name: a.attended for a in Attendance.select()}
    assert marks == {"Vera": True, "Rex": False, "Sue": True}
    now = utcnow()
    assert volunteer_totals(regs["rex"].volunteer_id, now, ZONE) == {"hours": 0, "activities": 0, "days": None}
    assert volunteer_totals(regs["vera"].volunteer_id, now, ZONE)["hours"] == 3
    assert activity_history(regs["rex"].volunteer_id, now)[1]["activities"] == 0
    assert 'value="0" checked' in client.get(url).get_data(as_text=True)  # changeable: saved choices show


def test_only_that_nights_shift_leader_and_the_groups_leaders_may_open_it(auth, client, db):
    _, url = a_night()
    for email, status in (
        ("vera@example.org", 403),
        ("olga@example.org", 403),
        ("leo@example.org", 200),
        ("ada@example.org", 200),
    ):
        auth.login(email)
        assert client.get(url).status_code == status, email
        auth.logout()
    auth.login("leo@example.org")
    assert client.get(url.rsplit("/", 1)[0] + "/not-a-date").status_code == 404


def test_someone_who_came_unregistered_is_added_and_counts(auth, client, db):
    regs, url = a_night()
    mo = member("Mo")
    auth.login("leo@example.org")
    answer = client.post(
        url,
        headers=HTMX,
        data={"registration": [r.id for r in regs.values()], "add_volunteer": mo.id, "add_slot": regs["rex"].slot_id},
    )
    assert "Attendance saved." in answer.get_data(as_text=True) and "came unregistered" in answer.get_data(as_text=True)
    assert volunteer_totals(mo.id, utcnow(), ZONE)["activities"] == 1
    walk_in = Attendance.get(Attendance.volunteer == mo.id)
    client.post(
        url, data={"registration": [r.id for r in regs.values()], "walked_in": walk_in.id, f"walked-{walk_in.id}": "0"}
    )
    assert volunteer_totals(mo.id, utcnow(), ZONE)["activities"] == 0


def test_a_stranger_cannot_be_added_and_nothing_half_happens(auth, client, db):
    regs, url = a_night()
    sam = User.by_email("sam@example.org")  # Southside only
    auth.login("leo@example.org")
    answer = client.post(
        url,
        data={
            "registration": [r.id for r in regs.values()],
            f"came-{regs['rex'].id}": "0",
            "add_volunteer": sam.id,
            "add_slot": regs["rex"].slot_id,
        },
    )
    assert answer.status_code == 400 and "member of the group" in answer.get_data(as_text=True)
    assert Attendance.select().count() == 0


def test_attendance_is_changeable_for_seven_days_only(auth, client, db):
    regs, url = a_night(days=8)
    auth.login("leo@example.org")
    assert "Save" not in client.get(url).get_data(as_text=True)
    answer = client.post(url, data={"registration": [regs["rex"].id], f"came-{regs['rex'].id}": "0"})
    assert answer.status_code == 400 and Attendance.select().count() == 0


def test_leader_home_lists_last_weeks_nights_until_recorded(auth, client, db):
    regs, url = a_night()
    auth.login("leo@example.org")
    home = client.get("/leader/").get_data(as_text=True)
    assert "Nights waiting for “Who came?”" in home and f'href="{url}"' in home
    client.post(url, data={"registration": [r.id for r in regs.values()]})
    assert f'href="{url}"' not in client.get("/leader/").get_data(as_text=True)
    assert attendance.waiting([opportunity().group_id], utcnow()) == []


def test_the_member_page_shows_attended_and_missed_shifts(auth, client, db):
    regs, url = a_night()
    auth.login("leo@example.org")
    client.post(url, data={"registration": [r.id for r in regs.values()], f"came-{regs['rex'].id}": "0"})
    page = client.get(f"/leader/volunteers/{regs['rex'].volunteer_id}").get_data(as_text=True)
    assert "<strong>0</strong> Attended" in page and "<strong>1</strong> Didn't come" in page


def test_the_shift_leader_finds_the_night_on_the_portal_home_until_recorded(auth, client, db):
    regs, url = a_night()
    auth.login("sue@example.org")
    assert f'href="{url}"' in client.get("/portal/").get_data(as_text=True)
    client.post(url, data={"registration": [r.id for r in regs.values()]})
    assert f'href="{url}"' not in client.get("/portal/").get_data(as_text=True)
    auth.logout()
    auth.login("vera@example.org")  # she cooked, she did not lead
    assert "Who came?" not in client.get("/portal/").get_data(as_text=True)


def test_who_came_opens_when_tonights_first_shift_starts_not_at_midnight(auth, client, db):
    now = utcnow()
    today = to_local(now, ZONE).date()
    midnight = to_utc(datetime.combine(today + timedelta(days=1), datetime.min.time()), ZONE)
    starts = now + (midnight - now) / 2  # later today, whatever the time the test runs
    opp = opportunity()
    cook = Slot.create(
        opportunity=opp,
        role=Role.get(Role.group == opp.group, Role.name == "Cook"),
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        capacity=2,
    )
    reg = offer(User.by_email("vera@example.org"), cook, REGISTERED)
    url = f"/leader/opportunities/{opp.id}/attendance/{today.isoformat()}"
    auth.login("leo@example.org")
    board = client.get(f"/leader/opportunities/{opp.id}/rota?month={today:%Y-%m}").get_data(as_text=True)
    assert cook.id and f'/attendance/{today.isoformat()}"' not in board
    assert "Save" not in client.get(url).get_data(as_text=True)
    answer = client.post(url, data={"registration": [reg.id], f"came-{reg.id}": "0"})
    assert answer.status_code == 400 and Attendance.select().count() == 0
    assert not attendance.changeable(opp.id, today, starts - timedelta(seconds=1))
    assert attendance.changeable(opp.id, today, starts)
