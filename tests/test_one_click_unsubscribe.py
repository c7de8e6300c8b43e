"""One-click unsubscribe (RFC 8058): the bulk emails carry it, a POST with no log-in switches the
group's announcements off, a GET asks first, and the profile switches them back on."""

import re
from datetime import timedelta

from cervis import outbox
from cervis.models import AnnouncementOptOut, Email, Group, Organisation, User
from helpers_announcements import GO_LIVE, night_shelter, run


def _launched(app):
    night_shelter()
    run(app, GO_LIVE + timedelta(minutes=5))
    vera = User.get(User.email == "vera@example.org")
    mail = Email.get(Email.user == vera, Email.kind == "shift-bookings-launched")
    return vera, outbox.build_message(mail, Organisation.current())


def test_an_announcement_carries_one_click_unsubscribe_and_a_post_switches_it_off(app, db):
    vera, msg = _launched(app)
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.fullmatch(r"<(https?://[^>]+)>", str(msg["List-Unsubscribe"])).group(1)
    path = link.split("localhost", 1)[1]
    client = app.test_client()  # no log-in, no CSRF token: the signed link is the proof
    page = client.get(path)
    assert page.status_code == 200 and b'<form method="post">' in page.data
    assert AnnouncementOptOut.select().count() == 0
    assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    north = Group.get(Group.name == "Northside")
    assert AnnouncementOptOut.get(AnnouncementOptOut.user == vera).group_id == north.id


def test_a_tampered_link_is_refused(app, db):
    client = app.test_client()
    assert client.post("/unsubscribe/not-a-token").status_code == 404
    assert client.get("/unsubscribe/WzEsMV0.bad").status_code == 404


def test_an_email_about_a_volunteers_own_account_has_no_unsubscribe(app, db):
    from cervis import emails

    vera = User.get(User.email == "vera@example.org")
    mail = emails.to_user("password-changed", vera)
    msg = outbox.build_message(mail, Organisation.current())
    assert "List-Unsubscribe" not in msg and "List-Unsubscribe-Post" not in msg


def test_the_announcement_shows_its_unsubscribe_link_in_text_and_html(app, db):
    vera, msg = _launched(app)
    link = str(msg["List-Unsubscribe"]).strip("<>")
    mail = Email.get(Email.user == vera, Email.kind == "shift-bookings-launched")
    assert f"unsubscribe from these emails in one click: {link}" in mail.body_text
    assert f'<a href="{link}">unsubscribe in one click</a>' in mail.body_html


def _message_members(client, subject="Thank you", to=("vera@example.org",)):
    north = Group.get(Group.name == "Northside")
    return client.post(
        f"/leader/groups/{north.id}/message",
        data={
            "action": "send",
            "volunteer": [str(User.by_email(a).id) for a in to],
            "subject": subject,
            "message": "Thank you all for last week.",
        },
    )


def test_a_leaders_message_to_members_carries_one_click_unsubscribe_for_that_groups_messages(auth, client, db):
    from cervis.models import LeaderMessageOptOut

    auth.login("leo@example.org")
    _message_members(client)
    vera = User.by_email("vera@example.org")
    mail = Email.get(Email.user == vera, Email.kind == "leader-message")
    msg = outbox.build_message(mail, Organisation.current())
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.fullmatch(r"<(https?://[^>]+)>", str(msg["List-Unsubscribe"])).group(1)
    assert f"stop messages from the leaders of Northside in one click: {link}" in mail.body_text
    assert f'<a href="{link}">unsubscribe in one click</a>' in mail.body_html
    auth.logout()
    stranger = client.application.test_client()
    assert "messages from the leaders of Northside" in stranger.get(link.split("localhost", 1)[1]).text
    done = stranger.post(link.split("localhost", 1)[1], data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "no longer receive messages from the leaders of Northside" in done.text
    assert LeaderMessageOptOut.get().user_id == vera.id
    assert not AnnouncementOptOut.select().exists()  # shift announcements still come
    auth.login("leo@example.org")
    north = Group.get(Group.name == "Northside")
    compose = client.post(f"/leader/groups/{north.id}/message", data={"volunteer": [str(vera.id)]}).text
    assert "Stopped this group's messages, so they will not get it: Vera Volunteer." in compose
    _message_members(client, "Next week", to=("vera@example.org", "leo@example.org"))
    assert [e.subject for e in Email.select().where(Email.user == vera, Email.kind == "leader-message")] == [
        "Thank you"
    ]


def test_a_leaders_message_to_those_registered_on_a_date_is_about_their_shift_and_always_goes(auth, client, db):
    from datetime import datetime
    from cervis.db import utcnow
    from cervis.models import REGISTERED, LeaderMessageOptOut, Opportunity, Registration, Role, Slot

    north, vera = Group.get(Group.name == "Northside"), User.by_email("vera@example.org")
    LeaderMessageOptOut.create(user=vera, group=north)
    opp = Opportunity.create(group=north, name="Night Shelter", live_from=utcnow() - timedelta(days=9))
    start = datetime.combine(utcnow().date() + timedelta(days=3), datetime.min.time()) + timedelta(hours=19)
    slot = Slot.create(
        opportunity=opp,
        role=Role.get(Role.group == north, Role.name == "Cook"),
        starts_at=start,
        ends_at=start + timedelta(hours=12),
        capacity=2,
    )
    Registration.create(volunteer=vera, slot=slot, status=REGISTERED)
    auth.login("leo@example.org")
    client.post(
        f"/leader/opportunities/{opp.id}/dates/{start.date().isoformat()}/message",
        data={"action": "send", "volunteer": [str(vera.id)], "subject": "Tonight", "message": "Doors at 7."},
    )
    mail = Email.get(Email.user == vera, Email.kind == "leader-message")
    msg = outbox.build_message(mail, Organisation.current())
    assert "List-Unsubscribe" not in msg and "unsubscribe" not in mail.body_text.lower()


def test_the_volunteer_switches_leaders_messages_back_on_in_their_profile(auth, client, db):
    from cervis.models import LeaderMessageOptOut

    north, vera = Group.get(Group.name == "Northside"), User.by_email("vera@example.org")
    LeaderMessageOptOut.create(user=vera, group=north)
    auth.login()
    page = client.get("/portal/profile").text
    assert f'name="messages" value="{north.id}">' in page  # shown, unticked
    assert f'name="group" value="{north.id}" checked' in page
    response = client.post(
        "/portal/profile/announcements",
        data={
            "shown": str(north.id),
            "group": str(north.id),
            "shown_messages": str(north.id),
            "messages": str(north.id),
        },
    )
    assert response.status_code == 303
    assert not LeaderMessageOptOut.select().exists() and not AnnouncementOptOut.select().exists()
    # A form from before this choice existed (no shown_messages) leaves leaders' messages alone.
    client.post("/portal/profile/announcements", data={"shown": str(north.id)})
    assert not LeaderMessageOptOut.select().exists() and AnnouncementOptOut.select().exists()
