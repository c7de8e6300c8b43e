"""Every write goes through the app's write lock: a write that meets SQLite's own lock instead
answered 500 "database is locked" while a job held it."""

import threading
import time
from datetime import timedelta

import pytest
from conftest import on_postgresql
from helpers_leader import LEO, slot_in
from helpers_write_lock import holds_write_lock

from cervis import db as cervis_db
from cervis.db import database, write_transaction
from cervis.models import Email, Throttle

WRITES = ("insert", "update", "delete", "replace")


@pytest.fixture
def unlocked_writes(monkeypatch):
    """The write statements run while this thread holds no write lock."""
    found, real = [], database.obj.execute_sql

    def watched(sql, params=None, *args, **kwargs):
        if sql.lstrip().lower().startswith(WRITES) and not holds_write_lock(real):
            found.append(sql)
        return real(sql, params, *args, **kwargs)

    monkeypatch.setattr(database.obj, "execute_sql", watched)
    return found


def test_giving_back_and_clearing_attempts_waits_for_the_write_lock_held_by_a_job(app, db):
    with write_transaction():
        ids = [Throttle.create(key="login-email:vera@example.org").id]
    held = threading.Event()

    def job():
        with database.connection_context(), write_transaction():
            held.set()
            time.sleep(0.4)

    worker = threading.Thread(target=job)
    worker.start()
    held.wait()
    if cervis_db.is_sqlite():  # PostgreSQL waits for a lock until it is free: it has no such limit
        database.execute_sql("PRAGMA busy_timeout = 20")  # SQLite's wait alone gives up long before the job ends
    try:
        Throttle.release(ids)
        Throttle.clear("login-email:vera@example.org")
        Throttle.hit("message:1")
    finally:
        worker.join()
    assert Throttle.select().where(Throttle.key == "login-email:vera@example.org").count() == 0


def test_logging_in_and_out_writes_only_under_the_write_lock(auth, client, db, unlocked_writes):
    client.post("/login", data={"email": "vera@example.org", "password": "wrong"})
    auth.login()
    client.post("/logout")
    assert unlocked_writes == []


def test_printing_and_downloading_the_rota_write_their_audit_under_the_write_lock(auth, client, db, unlocked_writes):
    opportunity = slot_in(timedelta(days=3)).opportunity
    auth.login(LEO)
    unlocked_writes.clear()  # arranging the slot is not the app's doing
    assert client.get(f"/leader/opportunities/{opportunity.id}/rota/print").status_code == 200
    assert client.get(f"/leader/opportunities/{opportunity.id}/rota.csv").status_code == 200
    assert unlocked_writes == []


# Every job run in the test's one connection: on PostgreSQL a job's own connection context ends it under the test.
@pytest.mark.skipif(on_postgresql(), reason="the jobs' connection contexts close the test's PostgreSQL connection")
def test_the_jobs_write_only_under_the_write_lock(app, db, unlocked_writes):
    from cervis import scheduler

    with write_transaction():
        Throttle.create(key="login-email:vera@example.org", at=cervis_db.utcnow() - timedelta(days=30))
        Email.create(
            kind="welcome",
            to_addr="vera@example.org",
            subject="Welcome",
            body_text="Hi",
            message_id="<jobs@example.org>",
            send_after=cervis_db.utcnow() - timedelta(minutes=1),
        )
    unlocked_writes.clear()
    for job, _ in scheduler.JOBS:
        job(app)
    assert Email.get().status == "sent" and Throttle.select().count() == 0
    assert unlocked_writes == []
