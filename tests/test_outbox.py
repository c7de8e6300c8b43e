"""The outbox: every email is sent once, by the scheduler, never in a request."""

import email
import email.policy
import smtplib
import sys
from datetime import timedelta
from pathlib import Path

import click
import pytest

from conftest import on_postgresql

from cervis import emails, outbox, scheduler
from cervis.db import database, utcnow
from cervis.models import Email, Throttle, User
from cervis.models.mail import FAILED, QUEUED, SENDING, SENT


@pytest.fixture
def vera(db):
    return User.get(User.email == "vera@example.org")


@pytest.fixture
def folder(app):
    return Path(app.config["OUTBOX_DIR"])


def queue_one(vera, **kw):
    return emails.to_user("password-changed", vera, **kw)


def fresh(row):
    return Email.get_by_id(row.id)


def test_queued_email_is_written_once_as_an_eml_file(vera, folder):
    row = queue_one(vera)
    assert outbox.send_due() == 1
    [path] = folder.glob("*.eml")
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["To"] == "Vera Volunteer <vera@example.org>"
    assert message["From"] == "Wycombe Example Connection <cervis@localhost>"
    assert message["Reply-To"] == "help@example.org"
    assert message["Message-ID"] == row.message_id and message["Date"]
    assert message["Subject"] == "Your WHC CERVIS password was changed"
    assert "every other session of your account was signed out" in message.get_body("plain").get_content()
    assert message.get_body("html") is not None
    row = fresh(row)
    assert row.status == SENT and row.sent_at is not None and row.attempts == 1


def test_a_second_run_sends_nothing(vera, folder):
    queue_one(vera)
    outbox.send_due()
    assert outbox.send_due() == 0
    assert len(list(folder.glob("*.eml"))) == 1


def test_a_crash_after_writing_but_before_marking_never_writes_twice(vera, folder, monkeypatch):
    row = queue_one(vera)
    real = outbox.deliver_to_file

    def write_then_crash(email_row, msg):
        real(email_row, msg)
        raise KeyboardInterrupt  # the process dies here: nothing below runs, no except catches it

    monkeypatch.setattr(outbox, "deliver_to_file", write_then_crash)
    with pytest.raises(KeyboardInterrupt):
        outbox.send_due()
    [path] = folder.glob("*.eml")
    written = path.stat()
    assert fresh(row).status == SENDING
    monkeypatch.setattr(outbox, "deliver_to_file", real)
    assert outbox.send_due(utcnow() + timedelta(minutes=1)) == 0  # another runner may still hold it
    assert outbox.send_due(utcnow() + outbox.STALE_CLAIM + timedelta(minutes=1)) == 1
    assert [p.name for p in folder.glob("*.eml")] == [path.name]
    assert path.stat().st_ino == written.st_ino and path.stat().st_mtime_ns == written.st_mtime_ns
    assert fresh(row).status == SENT


def test_transport_failure_is_retried_with_back_off(vera, monkeypatch):
    row = queue_one(vera)

    def refuse(email_row, msg):
        raise OSError("disk full")

    monkeypatch.setattr(outbox, "deliver_to_file", refuse)
    now = utcnow()
    assert outbox.send_due(now) == 0
    row = fresh(row)
    assert row.status == QUEUED and row.attempts == 1 and row.last_error == "OSError: disk full"
    assert row.send_after == now + timedelta(minutes=1)
    assert outbox.send_due(now + timedelta(seconds=30)) == 0 and fresh(row).attempts == 1  # still waiting
    outbox.send_due(now + timedelta(minutes=1))
    assert fresh(row).attempts == 2 and fresh(row).send_after == now + timedelta(minutes=1) + timedelta(minutes=2)


def test_email_is_marked_failed_after_max_attempts(vera, monkeypatch):
    row = queue_one(vera)
    monkeypatch.setattr(outbox, "deliver_to_file", lambda e, m: (_ for _ in ()).throw(OSError("no")))
    now = utcnow()
    for _ in range(outbox.MAX_ATTEMPTS):
        now = fresh(row).send_after
        outbox.send_due(now)
    row = fresh(row)
    assert row.status == FAILED and row.attempts == outbox.MAX_ATTEMPTS
    assert outbox.send_due(now + timedelta(days=1)) == 0 and fresh(row).attempts == outbox.MAX_ATTEMPTS


def test_failed_email_can_be_sent_again(vera, folder, monkeypatch):
    row = queue_one(vera)
    Email.update(status=FAILED, attempts=outbox.MAX_ATTEMPTS).where(Email.id == row.id).execute()
    outbox.retry(row)
    assert outbox.send_due() == 1 and fresh(row).status == SENT


class FakeSMTP:
    """Stands in for smtplib.SMTP and records what would have gone out."""

    sent, logins, refuse = [], [], None

    def __init__(self, host, port, timeout=None):
        self.host, self.port = host, port
        self.tls = False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        self.tls = True

    def login(self, user, password):
        FakeSMTP.logins.append((user, password))

    def send_message(self, msg):
        if FakeSMTP.refuse:
            raise FakeSMTP.refuse
        FakeSMTP.sent.append((self.host, self.port, self.tls, msg))


@pytest.fixture
def smtp(app, monkeypatch):
    app.config.update(
        MAIL_SERVER="smtp.example.org", MAIL_PORT=2525, MAIL_USERNAME="cervis", MAIL_PASSWORD="app password"
    )
    FakeSMTP.sent, FakeSMTP.logins, FakeSMTP.refuse = [], [], None
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    return FakeSMTP


def test_smtp_is_used_when_mail_server_is_set(vera, folder, smtp):
    row = queue_one(vera)
    assert outbox.send_due() == 1
    [(host, port, tls, msg)] = smtp.sent
    assert (host, port, tls) == ("smtp.example.org", 2525, True)
    assert smtp.logins == [("cervis", "app password")]
    assert msg["To"] == "Vera Volunteer <vera@example.org>" and msg["Message-ID"] == row.message_id
    assert fresh(row).status == SENT
    assert not folder.exists() or not list(folder.glob("*.eml"))
    assert outbox.send_due() == 0 and len(smtp.sent) == 1


def test_smtp_failure_is_retried_and_a_refused_address_fails_at_once(vera, smtp):
    row = queue_one(vera)
    smtp.refuse = smtplib.SMTPServerDisconnected("gone")
    outbox.send_due()
    assert fresh(row).status == QUEUED and fresh(row).attempts == 1
    smtp.refuse = smtplib.SMTPRecipientsRefused({"vera@example.org": (550, b"no such user")})
    outbox.send_due(fresh(row).send_after)
    assert fresh(row).status == FAILED and "SMTPRecipientsRefused" in fresh(row).last_error


def test_email_waits_until_its_send_after_time(vera, folder):
    later = utcnow() + timedelta(minutes=10)
    row = queue_one(vera, send_after=later)
    assert outbox.send_due() == 0 and fresh(row).status == QUEUED
    assert not folder.exists() or not list(folder.glob("*.eml"))
    assert outbox.send_due(later) == 1 and fresh(row).status == SENT


def test_urgent_email_goes_first(vera):
    ordinary = queue_one(vera)
    urgent = emails.to_user("password-changed", vera, urgent=True)
    outbox.send_due(limit=1)
    assert fresh(urgent).status == SENT and fresh(ordinary).status == QUEUED
    assert fresh(urgent).subject.startswith("URGENT: ")


def test_scheduler_job_sends_the_outbox(app, folder):
    # No db fixture here: the job opens and closes its own connection, as in the scheduler's thread.
    with app.app_context(), database.connection_context():
        queue_one(User.get(User.email == "vera@example.org"))
    assert scheduler.send_emails(app) == 1
    assert len(list(folder.glob("*.eml"))) == 1


def test_scheduler_job_forgets_old_failed_log_ins(app):
    with app.app_context(), database.connection_context():
        Throttle.create(key="login-email:old@example.org", at=utcnow() - timedelta(days=2))
        Throttle.create(key="login-email:new@example.org")
    assert scheduler.prune_throttles(app) == 1
    with app.app_context(), database.connection_context():
        assert [t.key for t in Throttle.select()] == ["login-email:new@example.org"]


# The scheduler runs in the serving process only, and in one process only.


@pytest.fixture
def started(monkeypatch):
    calls = []
    monkeypatch.setattr(scheduler, "start", lambda app: calls.append(app) or "scheduler")
    return calls


def test_scheduler_does_not_start_under_tests(app, started):
    assert scheduler.start_if_serving(app) is None
    app.config["TESTING"] = False
    assert scheduler.start_if_serving(app) is None  # pytest is loaded: still a test
    assert started == []


@pytest.mark.parametrize("command", ["init-db", "demo", "create-admin", "unlock"])
def test_scheduler_does_not_start_under_cli_commands(app, started, monkeypatch, command):
    app.config["TESTING"] = False
    monkeypatch.delitem(sys.modules, "pytest")  # as outside the tests: only the command decides
    with click.Context(click.Command(command), info_name=command):
        assert scheduler.start_if_serving(app) is None
    assert started == []


def test_scheduler_starts_under_flask_run_and_a_wsgi_server(app, started, monkeypatch):
    app.config["TESTING"] = False
    monkeypatch.delitem(sys.modules, "pytest")
    with click.Context(click.Command("run"), info_name="run"):
        assert scheduler.start_if_serving(app) == "scheduler"
    assert scheduler.start_if_serving(app) == "scheduler"  # waitress-serve: no click at all
    app.config["SCHEDULER"] = False  # CERVIS_SCHEDULER=false (tests/test_configuration.py)
    assert scheduler.start_if_serving(app) is None  # switched off by the operator
    assert len(started) == 2


@pytest.mark.skipif(
    on_postgresql(),
    reason="a file lock beside SQLite; PostgreSQL's advisory lock is tested in test_database_portability.py",
)
def test_only_one_scheduler_lock_per_instance_folder(app):
    first, second = scheduler.SchedulerLock(app), scheduler.SchedulerLock(app)
    assert first.acquire() is True
    try:
        assert second.acquire() is False
    finally:
        first.handle.close()  # closing the file releases the lock, as when a process dies
    assert second.acquire() is True
    second.handle.close()
