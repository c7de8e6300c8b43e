"""'Send E-mail to Selected': a leader ticks volunteers, writes, sends; each gets their own email
with the leader's name and Reply-To, through the outbox; rate-limited and in the audit log."""

from datetime import datetime, timedelta

from cervis import outbox
from cervis.db import utcnow
from cervis.models import (
    REGISTERED,
    AuditLog,
    Email,
    Group,
    Membership,
    Opportunity,
    Organisation,
    Registration,
    Role,
    Slot,
    User,
)
from conftest import emails_to


def _ids(*addresses):
    return [str(User.by_email(a).id) for a in addresses]


def _vera_cooks_in_three_days():
    north = Group.get(Group.name == "Northside")
    opp = Opportunity.create(group=north, name="Night Shelter", live_from=utcnow() - timedelta(days=9))
    start = datetime.combine(utcnow().date() + timedelta(days=3), datetime.min.time()) + timedelta(hours=19)
    slot = Slot.create(
        opportunity=opp,
        role=Role.get(Role.group == north, Role.name == "Cook"),
        starts_at=start,
        ends_at=start + timedelta(hours=12),
        capacity=2,
    )
    Registration.create(volunteer=User.by_email("vera@example.org"), slot=slot, status=REGISTERED)
    return opp, start


def test_leader_ticks_members_writes_and_each_gets_their_own_email(auth, client, db):
    north = Group.get(Group.name == "Northside")
    auth.login("leo@example.org")
    page = client.get(f"/leader/groups/{north.id}/members").text
    assert "Send E-mail to Selected" in page
    compose = client.post(f"/leader/groups/{north.id}/message", data={"volunteer": _ids("vera@example.org")})
    assert compose.status_code == 200 and "Vera Volunteer" in compose.text
    response = client.post(
        f"/leader/groups/{north.id}/message",
        data={
            "action": "send",
            "volunteer": _ids("vera@example.org"),
            "subject": "Thank you",
            "message": "Thank you all for last week.\n\nSee you soon.",
        },
    )
    assert response.status_code == 303
    mail = emails_to("vera@example.org", "leader-message")[0]
    assert mail.subject == "Thank you" and "Thank you all for last week." in mail.body_text
    assert (mail.from_name, mail.reply_to) == ("Leo Leader", "leo@example.org")
    built = outbox.build_message(mail, Organisation.current())
    assert built["Reply-To"] == "Leo Leader <leo@example.org>"
    assert built["From"].startswith("Leo Leader via WHC")
    assert not emails_to("leo@example.org", "leader-message")
    assert AuditLog.get(AuditLog.action == "message.send").actor.email == "leo@example.org"


def test_volunteers_of_another_group_are_never_written_to(auth, client, db):
    north = Group.get(Group.name == "Northside")
    auth.login("leo@example.org")
    client.post(
        f"/leader/groups/{north.id}/message",
        data={
            "action": "send",
            "volunteer": _ids("vera@example.org", "sam@example.org"),
            "subject": "Hi",
            "message": "Hello",
        },
    )
    assert emails_to("vera@example.org", "leader-message")
    assert not emails_to("sam@example.org", "leader-message")
    south = Group.get(Group.name == "Southside")
    assert (
        client.post(f"/leader/groups/{south.id}/message", data={"volunteer": _ids("sam@example.org")}).status_code
        == 403
    )


def test_a_missing_subject_is_said_beside_the_field_and_the_message_is_kept(auth, client, db):
    north = Group.get(Group.name == "Northside")
    auth.login("leo@example.org")
    response = client.post(
        f"/leader/groups/{north.id}/message",
        data={"action": "send", "volunteer": _ids("vera@example.org"), "subject": "", "message": "Typed words"},
    )
    assert response.status_code == 400
    assert "Please write a subject." in response.text and "Typed words" in response.text
    assert not Email.select().where(Email.kind == "leader-message").exists()


def test_a_double_click_sends_once_and_the_eleventh_message_in_an_hour_waits(auth, client, db):
    north = Group.get(Group.name == "Northside")
    auth.login("leo@example.org")
    form = {"action": "send", "volunteer": _ids("vera@example.org"), "subject": "Rota", "message": "Same"}
    client.post(f"/leader/groups/{north.id}/message", data=form)
    client.post(f"/leader/groups/{north.id}/message", data=form)
    assert len(emails_to("vera@example.org", "leader-message")) == 1
    for i in range(8):
        client.post(f"/leader/groups/{north.id}/message", data={**form, "message": f"Note {i}"})
    refused = client.post(f"/leader/groups/{north.id}/message", data={**form, "message": "One too many"})
    assert refused.status_code == 429 and "One too many" in refused.text
    assert len(emails_to("vera@example.org", "leader-message")) == 9


def test_everyone_registered_on_a_date_and_only_they(auth, client, db):
    opp, start = _vera_cooks_in_three_days()
    auth.login("leo@example.org")
    url = f"/leader/opportunities/{opp.id}/dates/{start.date().isoformat()}/message"
    page = client.get(url).text
    assert 'name="volunteer" value="%s" checked' % User.by_email("vera@example.org").id in page
    assert "Leo Leader</label>" not in page
    client.post(
        url,
        data={
            "action": "send",
            "volunteer": _ids("vera@example.org", "leo@example.org"),
            "subject": "Tonight",
            "message": "Doors at 7.",
        },
    )
    assert [e.subject for e in Email.select().where(Email.kind == "leader-message")] == ["Tonight"]
    empty = client.get(f"/leader/opportunities/{opp.id}/dates/{(start.date() + timedelta(days=1)).isoformat()}/message")
    assert empty.status_code == 303
    assert client.get(f"/leader/opportunities/{opp.id}/dates/not-a-date/message").status_code == 404


def test_a_deactivated_member_is_never_written_to_nor_listed(auth, client, db):
    north = Group.get(Group.name == "Northside")
    User.update(active=False).where(User.email == "vera@example.org").execute()
    auth.login("leo@example.org")
    compose = client.post(f"/leader/groups/{north.id}/message", data={"volunteer": _ids("vera@example.org")})
    assert compose.status_code == 303  # nobody to write to: Vera is not offered
    client.post(
        f"/leader/groups/{north.id}/message",
        data={"action": "send", "volunteer": _ids("vera@example.org"), "subject": "Hi", "message": "Hello"},
    )
    assert not emails_to("vera@example.org", "leader-message")


def test_a_family_member_is_written_to_through_an_active_parent_only(auth, client, db):
    from cervis import messages

    north = Group.get(Group.name == "Northside")
    vera = User.by_email("vera@example.org")
    kit = User.create(email=None, first_name="Kit", last_name="Volunteer", family_of=vera)
    kat = User.create(email=None, first_name="Kat", last_name="Volunteer", family_of=vera, active=False)
    for child in (kit, kat):
        Membership.create(user=child, group=north)
    assert [p.first_name for p in messages.group_members(north, [kit.id, kat.id])] == ["Kit"]
    assert kit.inbox == vera
    User.update(active=False).where(User.id == vera.id).execute()
    assert User.get_by_id(kit.id).inbox is None
    auth.login("leo@example.org")
    client.post(
        f"/leader/groups/{north.id}/message",
        data={"action": "send", "volunteer": [str(kit.id)], "subject": "Hi", "message": "Hello"},
    )
    assert not emails_to("vera@example.org", "leader-message")


def test_a_deactivated_volunteer_registered_on_a_date_is_left_out(auth, client, db):
    from cervis import messages

    opp, start = _vera_cooks_in_three_days()
    User.update(active=False).where(User.email == "vera@example.org").execute()
    assert messages.registered_on(opp, start.date()) == []
