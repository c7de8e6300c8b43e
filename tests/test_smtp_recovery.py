"""The outbox against a real SMTP server on 127.0.0.1 (aiosmtpd), down and then back: every
announcement arrives, and arrives once."""

import socket
from datetime import datetime, timedelta
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller

from cervis import announcements, outbox
from cervis.db import utcnow
from cervis.models import Email, Group, Opportunity, Role, Slot
from cervis.models.mail import QUEUED, SENT


class FlakyMailServer:
    """Refuses the first `refusals` messages with 451 (try again later), then accepts."""

    def __init__(self, refusals):
        self.refusals, self.received = refusals, []

    async def handle_DATA(self, server, session, envelope):
        if self.refusals:
            self.refusals -= 1
            return "451 4.3.0 Mail server temporarily unavailable"
        self.received.append(message_from_bytes(envelope.content))
        return "250 OK"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def port(app):
    number = free_port()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=number, MAIL_USE_TLS=False, MAIL_USE_SSL=False)
    return number


def _announced(now):
    north = Group.get(Group.name == "Northside")
    opp = Opportunity.create(group=north, name="Night Shelter", live_from=now - timedelta(hours=1))
    start = datetime(now.year + 1, 2, 1, 19)
    Slot.create(
        opportunity=opp,
        role=Role.get(Role.group == north, Role.name == "Cook"),
        starts_at=start,
        ends_at=start + timedelta(hours=12),
        created_at=now - timedelta(days=1),
    )
    announcements.announce_due(now)
    return [e.message_id for e in Email.select().order_by(Email.id)]


def test_announcements_survive_a_mail_server_that_is_down_then_refuses_then_recovers(app, db, port):
    ids = _announced(utcnow())
    assert len(ids) == 2  # Vera and Leo
    now = utcnow() + timedelta(seconds=1)
    # Down: nothing listens on the port.
    assert outbox.send_due(now) == 0
    assert all(e.status == QUEUED and e.attempts == 1 for e in Email.select())
    server = FlakyMailServer(refusals=1)
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert outbox.send_due(now) == 0  # back-off: not yet due
        later = now + timedelta(minutes=1)
        assert outbox.send_due(later) == 1  # the server refuses one with 451, takes the other
        assert outbox.send_due(later + timedelta(minutes=5)) == 1
        assert outbox.send_due(later + timedelta(hours=1)) == 0
    finally:
        controller.stop()
    assert all(e.status == SENT for e in Email.select())
    assert sorted(m["Message-ID"] for m in server.received) == sorted(ids)
    assert {m["To"] for m in server.received} == {"Vera Volunteer <vera@example.org>", "Leo Leader <leo@example.org>"}
