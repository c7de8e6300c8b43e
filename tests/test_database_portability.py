"""The same code on SQLite (the default) and on PostgreSQL through a DATABASE_URL, with exactly one
scheduler running whatever the number of web workers. The README's test command runs the suite on
PostgreSQL too (`--database postgresql`); the tests marked so run only there."""

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from conftest import PASSWORD, on_postgresql
from helpers_rota import act, night, offer, user

from cervis import create_app, scheduler
from cervis.db import PG_WRITE_LOCK_ID, database, write_transaction
from cervis.models import Email, Group, Opportunity, Registration, Throttle

postgresql_only = pytest.mark.skipif(not on_postgresql(), reason="the PostgreSQL run (--database postgresql) covers it")
# 64 + 1 + 63 + 1 + 63 + 1 + 57 + 4 = 254 characters: the longest address there can be.
LONGEST_ADDRESS = f"{'v' * 64}@{'a' * 63}.{'b' * 63}.{'c' * 57}.org"


# Values longer than PostgreSQL's varchar(255) columns ---------------------------------------------


def test_log_ins_with_a_very_long_address_are_refused_then_locked_like_any_other(auth, db):
    address = "x" * 300 + "@example.org"
    answers = [auth.login(address, "wrong").status_code for _ in range(6)]
    assert answers == [401] * 5 + [429]
    assert Throttle.count(f"login-email:{address}", scheduler.THROTTLE_KEPT) == 5


def test_password_reset_for_the_longest_address_gives_the_usual_answer(client, db):
    response = client.post("/reset", data={"email": LONGEST_ADDRESS, "first_name": "Vera"})
    assert response.status_code == 303 and response.headers["Location"].split("#")[0].endswith("/login")
    assert Throttle.count(f"reset-email:{LONGEST_ADDRESS}", scheduler.THROTTLE_KEPT) == 1


def test_accepting_an_offer_for_an_opportunity_with_a_long_name_still_confirms_it(auth, client, db):
    slot = night(3)
    Opportunity.update(name="Night Shelter " + "N" * 186).execute()  # the form allows 200
    reg = offer(user("vera@example.org"), slot)
    auth.login("leo@example.org")
    assert act(client, "accept", reg).status_code == 303
    assert Registration.get_by_id(reg.id).status == "registered"
    [email] = Email.select().where(Email.kind == "confirmation")
    assert email.subject.startswith("Registration Confirmation: Night Shelter NNN")
    assert len(email.subject) <= 255 and email.subject.endswith("\u2026")


# NUL characters, which PostgreSQL's text cannot hold ---------------------------------------------


def test_a_nul_character_in_a_form_or_a_search_is_a_bad_request(auth, client, db):
    assert auth.login("vera\x00@example.org", PASSWORD).status_code == 400
    assert Throttle.select().count() == 0  # refused before anything was looked up or counted
    auth.login("leo@example.org")
    north = Group.get(Group.name == "Northside")
    assert client.get(f"/leader/groups/{north.id}/members", query_string={"q": "ve\x00ra"}).status_code == 400
    assert client.get(f"/leader/groups/{north.id}/members", query_string={"q": "vera"}).status_code == 200


# The scheduler: one leader among the workers ------------------------------------------------------


def _job_ids(sched):
    return {job.id for job in sched.get_jobs()}


def test_only_the_worker_holding_the_lock_runs_the_jobs(app):
    first, second = scheduler.SchedulerLock(app), scheduler.SchedulerLock(app)
    one, two = BackgroundScheduler(timezone="UTC"), BackgroundScheduler(timezone="UTC")
    try:
        assert scheduler.lead(one, first, app) is True
        assert scheduler.lead(two, second, app) is False
        assert scheduler.lead(one, first, app) is True  # a minute later: still the leader
        assert _job_ids(one) == {fn.__name__ for fn, _ in scheduler.JOBS} and _job_ids(two) == set()
        first.release()  # the leader's process ends
        assert scheduler.lead(two, second, app) is True
        assert _job_ids(two) == {fn.__name__ for fn, _ in scheduler.JOBS}
    finally:
        first.release()
        second.release()


@postgresql_only
def test_two_workers_on_two_machines_share_one_advisory_lock(app, tmp_path):
    # Different instance folders: a file lock could not see the other; the database's lock does.
    other = create_app({**app.config, "INSTANCE_PATH": str(tmp_path / "other-machine")})
    first, second = scheduler.SchedulerLock(app), scheduler.SchedulerLock(other)
    try:
        assert first.acquire() is True
        assert second.acquire() is False
        assert second.acquire() is False  # asked again a minute later: still held
        first.release()
        assert second.acquire() is True
        assert first.acquire() is False
    finally:
        first.release()
        second.release()


@postgresql_only
def test_a_worker_asking_for_the_lock_every_minute_keeps_its_pooled_connections(app, tmp_path):
    # DATABASE_URL=postgresql+pool://...: the pool counts each connection it handed out until it is
    # given back, and a lock's connection is closed, never given back.
    url = app.config["DATABASE_URL"].replace("postgresql://", "postgresql+pool://", 1) + "?max_connections=2"
    pooled = create_app({**app.config, "DATABASE_URL": url, "INSTANCE_PATH": str(tmp_path / "pooled")})
    first, second = scheduler.SchedulerLock(pooled), scheduler.SchedulerLock(pooled)
    try:
        assert first.acquire() is True
        for _minute in range(3):
            assert second.acquire() is False
        assert pooled.test_client().get("/login").status_code == 200
    finally:
        first.release()
        second.release()


@postgresql_only
def test_a_leader_that_lost_its_connection_stops_and_another_worker_takes_over(app):
    first, second = scheduler.SchedulerLock(app), scheduler.SchedulerLock(app)
    one, two = BackgroundScheduler(timezone="UTC"), BackgroundScheduler(timezone="UTC")
    try:
        assert scheduler.lead(one, first, app) is True
        with app.app_context(), database.connection_context():
            # The database restarts or the network drops the leader's connection: its lock is gone.
            database.execute_sql("SELECT pg_terminate_backend(%s, 5000)", (first.pg_conn.info.backend_pid,))
        assert scheduler.lead(two, second, app) is True
        assert scheduler.lead(one, first, app) is False
        assert _job_ids(one) == set() and _job_ids(two) == {fn.__name__ for fn, _ in scheduler.JOBS}
    finally:
        first.release()
        second.release()


# Write transactions: one at a time, as SQLite's BEGIN IMMEDIATE -----------------------------------


@postgresql_only
def test_while_one_write_transaction_is_open_no_other_can_start(app):
    with app.app_context():
        other = database.obj._connect()  # another worker's connection
        try:
            with database.connection_context(), write_transaction():
                assert _try_write_lock(other) is False
            assert _try_write_lock(other) is True
        finally:
            other.close()


def _try_write_lock(conn):
    with conn.cursor() as cur:
        cur.execute("BEGIN")
        cur.execute("SELECT pg_try_advisory_xact_lock(%s)", (PG_WRITE_LOCK_ID,))
        got = cur.fetchone()[0]
        cur.execute("ROLLBACK")
    return got
