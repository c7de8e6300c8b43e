"""The in-process scheduler: sends the outbox and (later) reminders.

Jobs are plain functions of (app, now) so tests call them directly. Exactly one process
runs them, whatever the number of web workers: the one that holds the scheduler lock
(a file lock beside an SQLite database, an advisory lock on PostgreSQL). The others try
again every minute, so a restarted worker takes over.
"""

import atexit
import ctypes
import fcntl
import logging
import os
import sys
import threading
from datetime import timedelta
from pathlib import Path

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from playhouse.pool import PooledDatabase

from . import (
    announcements,
    backups,
    cover,
    outbox,
    privacy,
    qualification_expiry,
    references,
    reminders,
    stand_in,
    vetting,
    waiting_list,
)
from .db import database, is_sqlite, utcnow, write_transaction

log = logging.getLogger(__name__)
PG_LOCK_ID = 0x434552564953  # "CERVIS"
JOBS = []  # (function of (app, now), seconds between runs)
THROTTLE_KEPT = timedelta(days=1)  # longer than every rate-limit window in cervis.auth


def job(seconds):
    def register(fn):
        JOBS.append((fn, seconds))
        return fn

    return register


@job(seconds=20)
def send_emails(app, now=None):
    with app.app_context(), database.connection_context():
        return outbox.send_due(now or utcnow())


@job(seconds=3600)
def prune_throttles(app, now=None):
    """Failed attempts older than any rate-limit window count for nothing: drop them."""
    from .models import Throttle

    with app.app_context(), database.connection_context(), write_transaction():
        cutoff = (now or utcnow()) - THROTTLE_KEPT
        return Throttle.delete().where(Throttle.at < cutoff).execute()


@job(seconds=600)
def cover_still_open(app, now=None):
    """The leaders hear of a place still open 12 hours before its shift."""
    with app.app_context(), database.connection_context():
        return cover.still_open(now or utcnow())


# The jobs of other modules: the scheduler imports them, they never import the scheduler.
JOBS.append((announcements.announce, 300))  # months newly open, more shifts, offer deadlines near
JOBS.append((reminders.remind, 600))  # the day-before reminder of each shift
JOBS.append((waiting_list.pass_on_job, 300))  # a freed place not taken in time: offered to the next on the list
JOBS.append((stand_in.nobody_found_job, 600))  # no stand-in 24 hours before: the volunteer and leaders are told
# Hourly: each finds for itself whether its work is due (tonight's backup, this month's reminder).
JOBS.append((backups.nightly, 3600))
JOBS.append((privacy.monthly_reminder, 3600))
JOBS.append((qualification_expiry.expiry_notices, 3600))  # training running out: the 60- and 14-day emails, the digest
JOBS.append((references.remind_referees, 3600))  # referees not yet answered: after 7 and 14 days
JOBS.append((vetting.application_retention, 3600))  # applications declined, withdrawn or abandoned: erased when due


class SchedulerLock:
    def __init__(self, app):
        self.app, self.handle, self.pg_conn = app, None, None

    def acquire(self):
        with self.app.app_context():
            return self._acquire_sqlite() if is_sqlite() else self._acquire_pg()

    def is_held(self):
        """Still ours? A PostgreSQL lock dies with its connection (a database restart, a dropped
        network): then another process may take over, so this one must stop running the jobs."""
        if self.handle is not None:
            return True
        if self.pg_conn is None:
            return False
        try:
            with self.pg_conn.cursor() as cur:
                cur.execute("SELECT 1")
            return True
        except Exception:  # noqa: BLE001  (any driver's "connection lost")
            self.release()
            return False

    def release(self):
        """Give the lock up, as the process's exit would."""
        for held in (self.handle, self.pg_conn):
            if held is not None:
                try:
                    held.close()
                except Exception:  # noqa: BLE001  (already broken: nothing left to release)
                    pass
        self.handle = self.pg_conn = None

    def _acquire_sqlite(self):
        handle = open(Path(self.app.instance_path) / "scheduler.lock", "w")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self.handle = handle  # held open for the life of the process
        return True

    def _acquire_pg(self):
        # A connection of its own, outside peewee's per-thread ones, made from the same
        # DATABASE_URL by the same driver (any playhouse.db_url form: postgresql://, +pool, ...),
        # and outside a pool: one counts each connection it handed out until it is given back, and
        # this one is closed instead, so every minute's try would use up one of the pages'.
        db = database.obj
        conn = super(PooledDatabase, db)._connect() if isinstance(db, PooledDatabase) else db._connect()
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT pg_try_advisory_lock(%s)", (PG_LOCK_ID,))
            if cur.fetchone()[0]:
                self.pg_conn = conn  # the lock lives as long as this connection
                return True
        conn.close()
        return False


def lead(scheduler, lock, app):
    """Run the jobs in this process while it holds the lock; True while it does (every minute)."""
    if lock.is_held():
        return True
    for fn, _ in JOBS:  # the lock was lost (or never held): another process may run them now
        if scheduler.get_job(fn.__name__):
            scheduler.remove_job(fn.__name__)
    if not lock.acquire():
        return False
    for fn, seconds in JOBS:
        scheduler.add_job(fn, "interval", seconds=seconds, args=[app], id=fn.__name__, next_run_time=utcnow_aware())
    log.info("CERVIS scheduler running in process %s", os.getpid())
    return True


def start(app):
    """Start the scheduler in this process; the jobs run only while it holds the lock."""
    lock = SchedulerLock(app)
    scheduler = make_scheduler()

    scheduler.add_job(
        lead, "interval", minutes=1, args=[scheduler, lock, app], id="leader", next_run_time=utcnow_aware()
    )
    scheduler.start()
    atexit.register(lambda: scheduler.shutdown(wait=False))
    return scheduler


def make_scheduler():
    """One worker thread: jobs run one after another, never two writing at once (at a start every
    job is due together); each job's read-then-write takes the write lock, as a request's does."""
    return BackgroundScheduler(
        timezone="UTC",
        executors={"default": ThreadPoolExecutor(max_workers=1, pool_kwargs={"initializer": _name_thread})},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
    )


def _name_thread():
    """The jobs' thread is "cervis-jobs" to the system (top -H, /proc), so its CPU is told apart
    from the pages' (bench/ times a request without the emails sent meanwhile), and it runs at a
    lower priority: everything it does can wait a moment for a person's page (Linux sets one
    thread's niceness)."""
    threading.current_thread().name = "cervis-jobs"  # and to Python (the write-lock clock's label)
    try:
        ctypes.CDLL("libc.so.6").prctl(15, b"cervis-jobs", 0, 0, 0)  # PR_SET_NAME
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (OSError, AttributeError):
        pass  # not Linux: the name and the priority only help there


def utcnow_aware():
    from datetime import timezone

    return utcnow().replace(tzinfo=timezone.utc)


def start_if_serving(app):
    """Start in a serving process only: `flask run` or a WSGI server, never another CLI command."""
    if app.config.get("TESTING") or not app.config.get("SCHEDULER", True):
        return None
    import click

    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.info_name != "run":
        return None  # init-db, demo, create-admin...
    if ctx is not None and app.debug and os.environ.get("WERKZEUG_RUN_MAIN") != "true":
        return None  # the reloader's watcher process; its child serves
    if "pytest" in sys.modules:
        return None
    return start(app)
