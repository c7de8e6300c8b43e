"""Data that is never lost: power cuts, backups and restores."""

import io
import sqlite3
import tarfile
import threading
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import on_postgresql

from cervis import backups, registering, restore, scheduler
from cervis.db import database, utcnow
from cervis.models import Group, Membership, Opportunity, Role, Slot, User


@pytest.mark.skipif(on_postgresql(), reason="SQLite's pragmas")
def test_a_committed_offer_survives_a_power_cut_because_sqlite_syncs_fully(db):
    assert database.execute_sql("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.execute_sql("PRAGMA secure_delete").fetchone()[0] == 1


def _sqlite_file(app):
    return Path(app.config["DATABASE_URL"][len("sqlite:///") :])


def _dump(path):
    conn = sqlite3.connect(path)
    try:
        return [line for line in conn.iterdump() if "sqlite_sequence" not in line]
    finally:
        conn.close()


def _arrange_rush(app, people=24, slots=4):
    with app.app_context(), database.connection_context():
        north = Group.get(Group.name == "Northside")
        opp = Opportunity.create(group=north, name="Launch Night", live_from=utcnow() - timedelta(days=1))
        start = utcnow().replace(second=0, microsecond=0) + timedelta(days=2)
        role = Role.get(Role.group == north, Role.name == "Reserve")
        slot_ids = [
            Slot.create(
                opportunity=opp,
                role=role,
                starts_at=start + timedelta(days=i),
                ends_at=start + timedelta(days=i, hours=3),
                capacity=2,
            ).id
            for i in range(slots)
        ]
        ids = []
        for n in range(people):
            user = User.create(email=f"rush{n}@example.org", first_name=f"Rush{n}", verified_generation=1)
            Membership.create(user=user, group=north)
            ids.append(user.id)
        return slot_ids, ids


def _restored(tmp_path, name, archive, app):
    """Restore into a fresh instance folder of its own; return that instance's database file."""
    other = tmp_path / name
    with app.app_context():
        saved = dict(app.config)
        app.config.update(DOCUMENTS_DIR=str(other / "documents"), DATABASE_URL=f"sqlite:///{other / 'cervis.db'}")
        original_instance, app.instance_path = app.instance_path, str(other)
        try:
            other.mkdir()
            restore.restore(archive)
        finally:
            app.config.update(saved)
            app.instance_path = original_instance
    return other


@pytest.mark.skipif(on_postgresql(), reason="SQLite's backup; PostgreSQL uses pg_dump")
def test_a_backup_made_during_a_burst_of_offers_restores_whole_and_consistent(app, tmp_path):
    slot_ids, people = _arrange_rush(app)
    instance = Path(app.instance_path)
    (instance / "config.py").write_text('MAIL_SERVER = "smtp.example.org"\n')
    (instance / "secret_key").write_text("a3" * 32)  # as create_app writes it outside the tests
    documents = Path(app.config["DOCUMENTS_DIR"])
    documents.mkdir(parents=True, exist_ok=True)
    (documents / "rota-rules.pdf").write_bytes(b"%PDF-1.4 the shelter's rules")
    during, stop = [], threading.Event()

    def offer_all(chunk):
        with app.test_request_context(), database.connection_context():
            for volunteer_id in chunk:
                volunteer = User.get_by_id(volunteer_id)
                registering.offer(volunteer, volunteer, slot_ids, note="rush")

    def back_up_meanwhile():
        with app.app_context():
            while not stop.is_set() and len(during) < 5:
                during.append(backups.make(tmp_path / f"during-{len(during)}.tar.gz"))

    workers = [threading.Thread(target=offer_all, args=(people[i::4],)) for i in range(4)]
    backer = threading.Thread(target=back_up_meanwhile)
    backer.start()
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    stop.set()
    backer.join(timeout=120)
    assert during and not any(w.is_alive() for w in workers)

    with app.app_context():
        final = backups.make(tmp_path / "after.tar.gz")
    live = _dump(_sqlite_file(app))
    restored = _restored(tmp_path, "restored", final, app)
    assert _dump(restored / "cervis.db") == live  # every row of every table, as it was
    assert (restored / "secret_key").read_text() == (instance / "secret_key").read_text()
    assert (restored / "config.py").read_text() == (instance / "config.py").read_text()
    assert (restored / "documents" / "rota-rules.pdf").read_bytes() == b"%PDF-1.4 the shelter's rules"

    offered = {(p, s) for p in people for s in slot_ids}
    for n, archive in enumerate(during):  # a moment of the burst: whole offers only, never half of one
        conn = sqlite3.connect(_restored(tmp_path, f"during{n}", archive, app) / "cervis.db")
        rows = conn.execute(
            "SELECT r.volunteer_id, r.slot_id, COUNT(e.id) FROM registration r "
            "LEFT JOIN registrationevent e ON e.registration_id = r.id "
            "GROUP BY r.id"
        ).fetchall()
        conn.close()
        assert {(v, s) for v, s, _ in rows} <= offered
        assert all(events == 1 for _, _, events in rows)


@pytest.mark.skipif(on_postgresql(), reason="SQLite's backup; PostgreSQL uses pg_dump")
def test_restore_refuses_a_running_instance_unless_forced_and_keeps_what_it_replaced(app, tmp_path):
    (Path(app.instance_path) / "secret_key").write_text("a3" * 32)
    runner = app.test_cli_runner()
    made = runner.invoke(args=["backup", str(tmp_path / "b.tar.gz")])
    assert made.exit_code == 0 and "Backup written" in made.output, made.output
    lock = scheduler.SchedulerLock(app)
    assert lock.acquire()  # as the serving process holds it
    try:
        refused = runner.invoke(args=["restore", str(tmp_path / "b.tar.gz")])
        assert refused.exit_code != 0 and "CERVIS is running" in refused.output and "--force" in refused.output
        forced = runner.invoke(args=["restore", "--force", str(tmp_path / "b.tar.gz")])
        assert forced.exit_code == 0 and "restart it now" in forced.output, forced.output
    finally:
        lock.release()
    aside = next(Path(app.instance_path).glob("before-restore-*"))
    assert (aside / _sqlite_file(app).name).is_file() and (aside / "secret_key").is_file()
    assert runner.invoke(args=["restore", str(tmp_path / "b.tar.gz")]).exit_code == 0  # stopped: fine


@pytest.mark.skipif(on_postgresql(), reason="SQLite's backup; PostgreSQL uses pg_dump")
def test_restore_refuses_an_archive_that_is_not_a_sound_backup(app, tmp_path):
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        for name, data in (("MANIFEST.json", b"{}"), ("cervis.db", b"not a database at all"), ("../outside", b"x")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    (tmp_path / "junk.tar.gz").write_bytes(b"junk")
    runner = app.test_cli_runner()
    for archive, says in ((evil, "'../outside'"), (tmp_path / "junk.tar.gz", "cannot be read")):
        answer = runner.invoke(args=["restore", str(archive)])
        assert answer.exit_code != 0 and says in answer.output, answer.output
    assert not list(Path(app.instance_path).glob("before-restore-*"))  # nothing was touched


@pytest.mark.skipif(on_postgresql(), reason="SQLite's backup; PostgreSQL uses pg_dump")
def test_the_nightly_backup_runs_once_a_night_and_keeps_the_last_fourteen(app):
    first = datetime(2026, 1, 1, 3, 0)  # 03:00 in London in winter
    for night in range(20):
        now = first + timedelta(days=night)
        assert backups.nightly(app, now) is not None
        assert backups.nightly(app, now + timedelta(hours=1)) is None  # the hourly run finds it done
    assert backups.nightly(app, first + timedelta(days=20, hours=-2)) is None  # 01:00: not yet tonight
    kept = backups.archives(app)
    assert len(kept) == 14 and kept[0][0] == first + timedelta(days=19)
    assert backups.nightly in [fn for fn, _ in scheduler.JOBS]
    assert oct(kept[0][1].stat().st_mode & 0o777) == "0o600"  # it holds the secret key


@pytest.mark.skipif(on_postgresql(), reason="SQLite's backup; PostgreSQL uses pg_dump")
def test_administrators_see_the_last_backup_and_a_warning_when_none_for_two_days(app, client, auth):
    auth.login("ada@example.org")
    assert "No backup has been made yet" in client.get("/admin/").get_data(as_text=True)
    with app.app_context():
        backups.make(now=utcnow() - timedelta(days=3))
    page = client.get("/admin/").get_data(as_text=True)
    assert "No backup from the last two days" in page and "The last backup was made on" in page
    with app.app_context():
        backups.make()
    page = client.get("/admin/").get_data(as_text=True)
    assert "No backup from the last two days" not in page and "Last backup:" in page


@pytest.mark.skipif(on_postgresql(), reason="SQLite's backup; PostgreSQL uses pg_dump")
def test_backups_wait_for_the_night_unless_overdue(app):
    london = ZoneInfo("Europe/London")
    noon, three_am = datetime(2026, 1, 10, 12, 0), datetime(2026, 1, 10, 3, 0)
    assert not backups.due(noon, london, None)  # a fresh install by day: its first night
    assert backups.due(three_am, london, None)
    assert not backups.due(datetime(2026, 1, 10, 9, 0), london, datetime(2026, 1, 9, 3, 0))  # last night's
    assert backups.due(noon, london, noon - timedelta(days=3))  # overdue: at once, even by day
    assert not backups.due(three_am + timedelta(hours=1), london, three_am)
