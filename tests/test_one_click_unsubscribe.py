"""One-click unsubscribe (RFC 8058): the bulk emails carry it, a POST with no log-in switches the
group's announcements off, a GET asks first, and the profile switches them back on."""
import re
from datetime import timedelta

from cervis import outbox
from cervis.models import AnnouncementOptOut, Email, Group, Organisation, User
from test_announcements import GO_LIVE, night_shelter, run


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
