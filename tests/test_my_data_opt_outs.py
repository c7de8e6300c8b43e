"""Download My Data names the e-mails a volunteer stopped, which group's and since when: the shift
announcements they unticked in their profile and the leaders' messages they stopped by the one-click link."""

import json

from cervis.db import utcnow
from cervis.models import Group, User
from cervis.unsubscribe_links import MESSAGES, unsubscribe_url

ANNOUNCEMENTS_STOPPED = "When a month of shifts opens, and before its offer deadline"
MESSAGES_STOPPED = "Messages from the group leaders to its members"


def test_my_data_lists_the_emails_i_stopped_with_their_dates(app, auth, client, db):
    vera, north = User.by_email("vera@example.org"), Group.get(Group.name == "Northside")
    auth.login()
    client.post("/portal/profile/announcements", data={"shown": north.id, "shown_messages": north.id})
    client.post(
        "/portal/profile/announcements", data={"shown": north.id, "shown_messages": north.id, "messages": north.id}
    )
    with app.test_request_context():
        link = unsubscribe_url(vera.id, north.id, MESSAGES)
    app.test_client().post(link.split("localhost", 1)[1], data={"List-Unsubscribe": "One-Click"})
    today = f"{utcnow():%Y-%m-%d}"
    data = json.loads(client.get("/portal/profile/my-data.json").data)
    stopped = data["people"][0]["emails_stopped"]
    assert [(s["emails"], s["group"]) for s in stopped] == [
        (ANNOUNCEMENTS_STOPPED, "Northside"),
        (MESSAGES_STOPPED, "Northside"),
    ]
    assert all(s["since"].startswith(today) for s in stopped)
    page = client.get("/portal/profile/my-data").get_data(as_text=True)
    section = page.split("E-mails you stopped")[1].split("</ol>")[0]
    assert ANNOUNCEMENTS_STOPPED in section and MESSAGES_STOPPED in section and "Northside" in section
    assert "Since" in section and str(utcnow().year) in section
