"""The pages around announcements: the leader's "Announce Now", the volunteer's "Tell me when new
shifts open", and the email's link through the log-in page to that month's slots."""

from datetime import datetime, timedelta

from cervis import announcements
from cervis.db import utcnow
from cervis.models import AnnouncementOptOut, AuditLog, Email, Group, Opportunity, Role, Slot, User
from conftest import emails_to

HTMX = {"HX-Request": "true"}


def _next_months_shelter(live_from=None, months=(1, 2)):
    """Slots at 7 PM UTC on the 3rd of each of the coming months."""
    now = utcnow()
    north = Group.get(Group.name == "Northside")
    opp = Opportunity.create(group=north, name="Night Shelter", live_from=live_from or now - timedelta(days=1))
    cook = Role.get(Role.group == north, Role.name == "Cook")
    for ahead in months:
        year, month = now.year + (now.month - 1 + ahead) // 12, (now.month - 1 + ahead) % 12 + 1
        start = datetime(year, month, 3, 19)
        Slot.create(
            opportunity=opp,
            role=cook,
            starts_at=start,
            ends_at=start + timedelta(hours=12),
            created_at=now - timedelta(hours=1),
        )
    return opp


def _month(opp, which=0):
    slot = Slot.select().where(Slot.opportunity == opp).order_by(Slot.starts_at)[which]
    return f"{slot.starts_at:%Y-%m}", f"{slot.starts_at:%B %Y}"


def test_leader_sees_when_each_month_was_announced_and_to_how_many(auth, client, db):
    opp = _next_months_shelter()
    auth.login("leo@example.org")
    page = client.get(f"/leader/opportunities/{opp.id}/slots").text
    assert "Not announced yet" in page
    announcements.announce_due(utcnow())
    page = client.get(f"/leader/opportunities/{opp.id}/slots").text
    assert f"{_month(opp)[1]}: Shift bookings launched" in page
    assert "to 2 people" in page


def test_announce_now_asks_to_confirm_then_sends_and_never_twice_within_an_hour(auth, client, db):
    opp = _next_months_shelter()
    month, name = _month(opp, 1)
    auth.login("leo@example.org")
    confirm = client.get(f"/leader/opportunities/{opp.id}/announce?month={month}")
    assert f"Yes, Announce {name} Now" in confirm.text
    assert "(2 people)" in confirm.text
    assert not Email.select().exists()  # asking sends nothing
    response = client.post(f"/leader/opportunities/{opp.id}/announce", data={"month": month})
    assert response.status_code == 303
    assert f"{name} announced to 2 people." in client.get(response.location).text
    assert [e.subject for e in emails_to("vera@example.org")] == [f"Shift bookings launched: Night Shelter, {name}"]
    again = client.post(f"/leader/opportunities/{opp.id}/announce", data={"month": month}, follow_redirects=True)
    assert "at most once an hour" in again.text
    assert len(emails_to("vera@example.org")) == 1
    assert AuditLog.select().where(AuditLog.action == "opportunity.announce").count() == 1
    # The job later finds the month told: nothing more for it.
    announcements.announce_due(utcnow())
    assert [e.subject for e in emails_to("vera@example.org")].count(
        f"Shift bookings launched: Night Shelter, {name}"
    ) == 1


def test_announce_now_is_refused_before_go_live_and_to_other_groups_leaders(auth, client, db):
    opp = _next_months_shelter(live_from=utcnow() + timedelta(days=2))
    auth.login("olga@example.org")
    assert client.get(f"/leader/opportunities/{opp.id}/announce").status_code == 403
    assert client.post(f"/leader/opportunities/{opp.id}/announce").status_code == 403
    auth.logout()
    auth.login("leo@example.org")
    page = client.post(f"/leader/opportunities/{opp.id}/announce", follow_redirects=True).text
    assert "cannot be announced" in page
    assert not Email.select().exists()


def test_volunteer_switches_announcements_off_for_a_group(auth, client, db):
    auth.login()
    page = client.get("/portal/profile").text
    assert "Tell me when new shifts open" in page
    north = Group.get(Group.name == "Northside")
    assert f'name="group" value="{north.id}" checked' in page
    response = client.post("/portal/profile/announcements", data={"shown": str(north.id)}, headers=HTMX)
    assert "Your choice of emails from your groups is saved." in response.text
    assert f'name="group" value="{north.id}">' in response.text
    assert AnnouncementOptOut.select().where(AnnouncementOptOut.user == User.by_email("vera@example.org")).exists()
    response = client.post("/portal/profile/announcements", data={"shown": str(north.id), "group": str(north.id)})
    assert response.status_code == 303
    assert not AnnouncementOptOut.select().exists()


def test_the_emails_link_opens_that_months_slots_after_log_in(auth, client, db):
    opp = _next_months_shelter()
    month, name = _month(opp, 1)
    announcements.announce_due(utcnow())
    [mail] = emails_to("vera@example.org")  # both months in one email, a link for each
    path = next(word for word in mail.body_text.split() if f"month={month}" in word).split("localhost", 1)[1]
    response = client.get(path)
    assert response.status_code == 303 and "/login?next=" in response.location
    response = client.post(
        response.location, data={"email": "vera@example.org", "password": "correct horse battery staple"}
    )
    assert response.status_code == 303 and response.location == path
    page = client.get(path).text
    assert f"Showing the slots in {name} only." in page
    assert page.count('name="slot"') == 1  # the other month's slot is not shown


def test_log_in_never_follows_a_next_to_another_site(client, db):
    response = client.post(
        "/login?next=//evil.example/x", data={"email": "vera@example.org", "password": "correct horse battery staple"}
    )
    assert response.status_code == 303 and response.location == "/portal/"
