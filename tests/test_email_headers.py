"""Every string a user can type that reaches an e-mail's headers, sent through the outbox to a
real SMTP server on 127.0.0.1 (aiosmtpd): the parsed e-mail has no header it should not have, and
each value arrives as the text that was typed, RFC 2047 look-alikes included."""

import email
import email.policy
import os
import re
import socket

import pytest
from aiosmtpd.controller import Controller

from cervis import emails, outbox
from cervis.db import utcnow
from cervis.models import Organisation, User
from helpers_mail import BULK, KID, SUBJECT

HEADERS = {
    "subject",
    "from",
    "to",
    "reply-to",
    "message-id",
    "date",
    "mime-version",
    "content-type",
    "importance",
    "auto-submitted",
    "list-unsubscribe",
    "list-unsubscribe-post",
    "content-transfer-encoding",
}


class Inbox:
    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


# CERVIS_TEST_PORTS="19300-19399": where several people test on one machine, each in their own range.
PORTS = range(*(int(n) + i for i, n in enumerate(os.environ.get("CERVIS_TEST_PORTS", "18100-18199").split("-"))))


def port_in_our_range():
    for number in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", number))
            except OSError:
                continue
            return number
    pytest.skip(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


@pytest.fixture
def inbox(app):
    number = port_in_our_range()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=number, MAIL_USE_TLS=False, MAIL_USE_SSL=False)
    box = Inbox()
    controller = Controller(box, hostname="127.0.0.1", port=number)
    controller.start()
    yield box
    controller.stop()


def test_encoded_words_in_names_subjects_and_reply_to_never_become_headers(db, inbox):
    org = Organisation.current()
    org.name, org.short_name = KID, SUBJECT
    org.save()
    vera = User.get(User.email == "vera@example.org")
    row = emails.queue(
        "password-changed",
        vera.email,
        to_name=KID,
        user=vera,
        user_first=KID,
        from_name=SUBJECT,
        reply_to="leader@example.org",
    )
    row.subject = SUBJECT
    row.save()
    assert outbox.send_due(utcnow()) == 1
    [msg] = inbox.received
    names = {k.lower() for k in msg.keys()}
    assert "bcc" not in names and "x-injected" not in names
    assert names <= HEADERS | {"x-peer", "x-mailfrom", "x-rcptto"}
    assert str(msg["Subject"]) == SUBJECT
    assert msg["To"].addresses[0].display_name == KID
    assert msg["From"].addresses[0].display_name == f"{SUBJECT} via {SUBJECT}"
    assert msg["Reply-To"].addresses[0].display_name == SUBJECT
    assert msg["Reply-To"].addresses[0].addr_spec == "leader@example.org"


@pytest.mark.parametrize("name", ['O\'Brien, "Jo" <x@y>', "Zoë Ãlvarez", "plain"])
def test_ordinary_and_awkward_names_arrive_as_typed(db, inbox, name):
    vera = User.get(User.email == "vera@example.org")
    emails.queue("password-changed", vera.email, to_name=name, user=vera, user_first="Vera")
    assert outbox.send_due(utcnow()) == 1
    [msg] = inbox.received
    assert msg["To"].addresses[0].display_name == name
    assert msg["To"].addresses[0].addr_spec == vera.email


def test_an_email_is_dated_when_sent_not_when_queued_and_has_no_x_priority(db, inbox):
    from datetime import timedelta
    from email.utils import parsedate_to_datetime

    vera = User.get(User.email == "vera@example.org")
    row = emails.queue("password-changed", vera.email, to_name="Vera", user=vera, user_first="Vera", urgent=True)
    row.created_at = utcnow() - timedelta(hours=3)
    row.save()
    assert outbox.send_due(utcnow()) == 1
    [msg] = inbox.received
    sent = parsedate_to_datetime(msg["Date"]).replace(tzinfo=None)
    assert abs(sent - utcnow()) < timedelta(minutes=1)
    assert "X-Priority" not in msg and msg["Importance"] == "high"


def test_automatic_emails_say_so_and_a_leaders_message_does_not(db, inbox):
    vera = User.get(User.email == "vera@example.org")
    emails.queue("password-changed", vera.email, to_name="Vera", user=vera, user_first="Vera")
    row = emails.queue("password-changed", vera.email, to_name="Vera", user=vera, user_first="Vera")
    row.kind = "leader-message"
    row.save()
    assert outbox.send_due(utcnow()) == 2
    automatic, written = inbox.received
    assert automatic["Auto-Submitted"] == "auto-generated"
    assert "Auto-Submitted" not in written


def test_the_html_layout_gives_apples_reformatting_meta_a_content():
    from pathlib import Path

    layout = (Path(__file__).parent.parent / "templates/emails/_layout.html").read_text()
    assert '<meta name="x-apple-disable-message-reformatting" content="">' in layout


def test_bodies_are_quoted_printable_so_no_server_needs_8bitmime(db, inbox):
    vera = User.get(User.email == "vera@example.org")
    emails.queue("password-changed", vera.email, to_name="Zoë", user=vera, user_first="Zoë — café")
    assert outbox.send_due(utcnow()) == 1
    [msg] = inbox.received
    parts = [p for p in msg.walk() if p.get_content_maintype() == "text"]
    assert {p["Content-Transfer-Encoding"] for p in parts} == {"quoted-printable"}
    assert "Zoë — café" in msg.get_body(("plain",)).get_content()


@pytest.mark.parametrize("which", list(BULK))
def test_a_bulk_emails_one_click_unsubscribe_arrives_as_one_link_whatever_its_length(app, db, inbox, which):
    """A long BASE_URL and token make the header longer than a folded line: it must stay a <URL>."""
    app.config["BASE_URL"] = "https://volunteers.wycombe-homeless-connection.example.org.uk/cervis"
    mail = BULK[which](app)
    assert outbox.send_due(utcnow()) >= 1
    [msg] = [m for m in inbox.received if m["To"].addresses[0].addr_spec == mail.to_addr]
    assert {k.lower() for k in msg.keys()} <= HEADERS | {"x-peer", "x-mailfrom", "x-rcptto"}
    link = re.fullmatch(
        r"<(https://volunteers\.wycombe-homeless-connection\.example\.org\.uk/cervis"
        r"/unsubscribe/[\w.-]+)>",
        str(msg["List-Unsubscribe"]),
    ).group(1)
    assert "=?" not in dict(msg.raw_items())["List-Unsubscribe"]  # as written: a link, not an encoded word
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert str(msg["Subject"]) == mail.subject and link in msg.get_body(("plain",)).get_content()
