"""Delivering the outbox: to .eml files in instance/outbox/, or by SMTP when MAIL_SERVER is set."""

import hashlib
import os
import smtplib
import time
from datetime import timedelta, timezone
import email.policy
import re
from email.header import Header
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path

from flask import current_app

from .db import utcnow, write_transaction
from .unsubscribe_links import ANNOUNCEMENTS, BULK, MESSAGES, unsubscribe_url
from .models import Email, EmailAttachment, Opportunity, Organisation
from .models.mail import FAILED, QUEUED, SENDING, SENT

MAX_ATTEMPTS = 8
STALE_CLAIM = timedelta(minutes=15)
PAUSE = 0.002  # seconds between two emails of a batch: 100 emails take 0.2 s longer, pages none


def backoff(attempts):
    """1, 2, 4 ... minutes, at most 4 hours, between tries."""
    return timedelta(minutes=min(2 ** (attempts - 1), 240))


# The headers are written as given (never re-parsed): the email package's parser decodes an
# RFC 2047 word such as "=?utf-8?q?Hi=0D=0ABcc:...?=" and its folder then writes the CR/LF raw.
POLICY = email.policy.SMTP.clone(refold_source="none")
WRITTEN_BY_A_PERSON = {"leader-message"}
CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
# Unicode's direction embeddings, overrides and isolates: the forms refuse them, but a name saved
# before they did still holds them, and "Leo \u202eredaeL" would read as another person's name.
DIRECTION = re.compile("[\u202a-\u202e\u2066-\u2069]")


def one_line(value):
    """A header's text, refused (the email fails at once, with why) if it holds a line break: the
    forms refuse them, so one here came round them. Direction marks are dropped, not refused: the
    e-mail still goes, reading as its characters are stored."""
    value = DIRECTION.sub("", value or "").strip()
    if CONTROL.search(value):
        raise ValueError(f"a header may not contain a linefeed or other control character: {value!r}")
    return value


def header_text(value):
    """A user's text as a header value that decodes to exactly that text and nothing more: anything
    non-ASCII or that looks like an encoded word is itself encoded."""
    value = one_line(value)
    if value.isascii() and "=?" not in value:
        return value
    # One word, unfolded: some parsers put a space between two words of a display name.
    return Header(value, "utf-8", maxlinelen=998).encode()


def address(name, addr):
    name = one_line(name)
    if name.isascii() and "=?" not in name:
        return formataddr((name, addr))
    return f"{header_text(name)} <{addr}>"


def build_message(email, org):
    msg = EmailMessage(policy=POLICY)
    msg.set_raw("Subject", header_text(email.subject))
    sender = f"{email.from_name} via {org.short_name}" if email.from_name else org.name
    msg.set_raw("From", address(sender, current_app.config["MAIL_SENDER"]))
    msg.set_raw("To", address(email.to_name, email.to_addr))
    if email.reply_to:
        msg.set_raw("Reply-To", address(email.from_name, email.reply_to))
    elif org.contact_email:
        msg.set_raw("Reply-To", address("", org.contact_email))
    msg["Message-ID"] = email.message_id  # the same on a retry, so a receiver can drop a repeat
    msg["Date"] = format_datetime(utcnow().replace(tzinfo=timezone.utc))  # sent, not queued
    if email.urgent:
        msg["Importance"] = "high"
    if email.kind not in WRITTEN_BY_A_PERSON:
        msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies to it
    _list_unsubscribe(msg, email)
    # Quoted-printable: 7-bit clean, whatever the server offers (no BODY=8BITMIME needed).
    msg.set_content(email.body_text, cte="quoted-printable")
    if email.body_html:
        msg.add_alternative(email.body_html, subtype="html", cte="quoted-printable")
    for item in EmailAttachment.select().where(EmailAttachment.email == email.id).order_by(EmailAttachment.id):
        kind, *params = [part.strip() for part in item.content_type.split(";")]
        msg.add_attachment(
            item.content,
            subtype=kind.split("/")[1],
            filename=item.filename,
            params=dict(p.split("=", 1) for p in params),
        )
    return msg


def _list_unsubscribe(msg, email):
    """RFC 8058 on a group's bulk emails: mail providers require it of a sender of thousands a day.
    Announcements are about an opportunity, a leader's message to members about their group; a
    leader's message to those registered on a date is about their own shift, so it has none."""
    what = BULK.get(email.kind)
    if what is None or not email.user_id:
        return
    if what == ANNOUNCEMENTS and email.subject_type == "Opportunity":
        group_id = Opportunity.get_by_id(email.subject_id).group_id
    elif what == MESSAGES and email.subject_type == "Group":
        group_id = email.subject_id
    else:
        return
    # Raw: a link longer than a folded line would otherwise be written as an RFC 2047 encoded word,
    # which no mail provider reads as a URL.
    msg.set_raw("List-Unsubscribe", f"<{unsubscribe_url(email.user_id, group_id, what)}>")
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"


def eml_path(email):
    """Where an email is written without a mail server (and where an erasure looks for it)."""
    # The Message-ID in the name: an outbox folder kept across a fresh database never hides a new email.
    tag = hashlib.sha256(email.message_id.encode()).hexdigest()[:12]
    return Path(current_app.config["OUTBOX_DIR"]) / f"{email.id:08d}-{email.kind}-{tag}.eml"


def deliver_to_file(email, msg):
    path = eml_path(email)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        return  # written before a crash stopped us marking it sent: never write it twice
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(bytes(msg))
    os.replace(tmp, path)


def deliver_by_smtp(email, msg):
    cfg = current_app.config
    cls = smtplib.SMTP_SSL if cfg["MAIL_USE_SSL"] else smtplib.SMTP
    with cls(cfg["MAIL_SERVER"], int(cfg["MAIL_PORT"]), timeout=30) as smtp:
        if cfg["MAIL_USE_TLS"] and not cfg["MAIL_USE_SSL"]:
            smtp.starttls()
        if cfg["MAIL_USERNAME"]:
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        smtp.send_message(msg)


def _claim(email_ids, now):
    """Queued to sending in one UPDATE (one commit for the batch, not one an email): of two runners
    at once, only one gets each email. The ids this runner claimed, in the order given."""
    if not email_ids:
        return []
    Email.update(status=SENDING, claimed_at=now).where(Email.id.in_(email_ids), Email.status == QUEUED).execute()
    mine = {
        i
        for (i,) in Email.select(Email.id)
        .where(Email.id.in_(email_ids), Email.status == SENDING, Email.claimed_at == now)
        .tuples()
    }
    return [i for i in email_ids if i in mine]


def send_due(now=None, limit=100):
    """Send every email whose time has come; returns how many were sent."""
    now = now or utcnow()
    deliver = deliver_by_smtp if current_app.config.get("MAIL_SERVER") else deliver_to_file
    org = Organisation.current()
    with write_transaction():  # each write under the app's lock, never meeting SQLite's own
        # A claim older than STALE_CLAIM was cut off by a crash: try again, with the same Message-ID.
        Email.update(status=QUEUED).where(Email.status == SENDING, Email.claimed_at < now - STALE_CLAIM).execute()
    due = (
        Email.select(Email.id)
        .where(Email.status == QUEUED, Email.send_after <= now)
        .order_by(Email.urgent.desc(), Email.send_after, Email.id)
        .limit(limit)
    )
    due = [i for (i,) in due.tuples()]  # read before the lock is taken: the claim re-checks each
    with write_transaction():
        claimed = _claim(due, now)
    sent = 0
    for email_id in claimed:
        email = Email.get_by_id(email_id)
        try:
            msg = build_message(email, org)
        except Exception as exc:  # noqa: BLE001  (it will build no better in an hour)
            _unbuildable(email, exc)
            continue
        try:
            deliver(email, msg)
        except Exception as exc:  # noqa: BLE001  (any failure: keep the email, try later)
            _failed(email, exc, now)
            continue
        with write_transaction():
            Email.update(status=SENT, sent_at=utcnow(), attempts=email.attempts + 1, last_error="").where(
                Email.id == email_id
            ).execute()
        sent += 1
        time.sleep(PAUSE)  # a page waiting for Python's lock gets it now, not after the whole batch
    return sent


def _failed(email, exc, now):
    """Try again after a back-off; give up after MAX_ATTEMPTS, or at once when the address is refused."""
    attempts = email.attempts + 1
    final = attempts >= MAX_ATTEMPTS or isinstance(exc, smtplib.SMTPRecipientsRefused)
    with write_transaction():
        Email.update(
            status=FAILED if final else QUEUED,
            attempts=attempts,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            send_after=now + backoff(attempts),
        ).where(Email.id == email.id).execute()


def _unbuildable(email, exc):
    """An email that cannot even be written (a line break in a name, say) fails at once, with the
    reason on the Outbox page; retrying would only delay the news for hours."""
    with write_transaction():
        Email.update(
            status=FAILED,
            attempts=email.attempts + 1,
            last_error=f"This email could not be built, so it was not sent: {type(exc).__name__}: {exc}"[:2000],
        ).where(Email.id == email.id).execute()


def retry(email):
    """An administrator's 'Send again' for a failed email."""
    with write_transaction():
        Email.update(status=QUEUED, attempts=0, send_after=utcnow()).where(
            Email.id == email.id, Email.status == FAILED
        ).execute()
