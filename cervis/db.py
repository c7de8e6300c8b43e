"""The database: one peewee proxy, initialised from DATABASE_URL.

SQLite: each server thread keeps its connection from one request to the next (opening one and
setting its PRAGMAs cost more than most pages' queries). PostgreSQL: connected per request.
"""

import contextvars
import fcntl
import os
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timezone

import peewee
from flask import abort, has_request_context, request
from playhouse.db_url import connect

database = peewee.DatabaseProxy()

# synchronous=full: an offer acknowledged is on the disk, even when the Pi's power is pulled.
# secure_delete: an erased volunteer's words are overwritten, not left in free pages.
# cache_size: 1 MiB of pages a connection (SQLite's default is 2), and a connection a server thread:
# the operating system's file cache holds the rest once, not once a thread.
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10000,
    "synchronous": "full",
    "secure_delete": 1,
    "cache_size": -1024,
}
_sqlite_writer = threading.Lock()  # this process's threads, one write transaction at a time
PG_WRITE_LOCK_ID = 0x43455256495357  # "CERVISW": not the scheduler's lock (cervis.scheduler.PG_LOCK_ID)


class WriteLockClock:
    """The longest this process has held the write lock since reset(), in seconds, in all and by
    what held it (a page's endpoint, a job's name, else the thread's): every page and log-in waits
    behind it, so the benchmark and the tests hold it to a bound."""

    longest = 0.0
    by_what = {}
    doing = contextvars.ContextVar("doing", default=None)  # a job's name, while the benchmark runs it

    @classmethod
    def note(cls, seconds):
        cls.longest = max(cls.longest, seconds)
        what = cls.doing.get() or (request.endpoint if has_request_context() else threading.current_thread().name)
        cls.by_what[what] = max(cls.by_what.get(what, 0.0), seconds)

    @classmethod
    def reset(cls):
        cls.longest, cls.by_what = 0.0, {}


def utcnow():
    """Naive UTC: what every DateTimeField stores."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class BaseModel(peewee.Model):
    class Meta:
        database = database


def is_sqlite():
    return isinstance(database.obj, peewee.SqliteDatabase)


@contextmanager
def write_transaction():
    """A transaction that takes the write lock at once, so check-then-write cannot race.

    SQLite: BEGIN IMMEDIATE. PostgreSQL: a transaction-scoped advisory lock, the same one for
    every write_transaction, so they run one at a time as on SQLite: a check sees every earlier
    action's commit, and two actions that lock rows in different orders (accept locks the offer
    then its opportunity, Complete Rota the opportunity then its offers) cannot deadlock. Callers
    still lock the rows they check with for_update(), against writes made outside it.
    """
    if is_sqlite():
        if database.in_transaction():  # nested: a savepoint inside the lock this thread holds
            with database.atomic() as tx:
                yield tx
            return
        # The server's threads queue for the write lock here, each woken the moment the one
        # before commits; SQLite's own busy wait polls with sleeps of up to 100 ms, which made
        # eight Registers at once wait a second. Other processes still meet SQLite's lock.
        with _sqlite_writer:
            taken = time.perf_counter()
            try:
                with database.atomic("IMMEDIATE") as tx:
                    yield tx
            finally:
                WriteLockClock.note(time.perf_counter() - taken)
    else:
        with database.atomic() as tx:
            database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (PG_WRITE_LOCK_ID,))
            yield tx


def for_update(query):
    """SELECT ... FOR UPDATE where the database has it (SQLite's IMMEDIATE lock covers it)."""
    return query if is_sqlite() else query.for_update()


def insert_rows(model, fields, rows):
    """Insert many rows with one prepared statement (executemany): peewee's insert_many builds
    SQL text value by value, which costs more than the insert itself for hundreds of rows."""
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    marks = ", ".join([database.obj.param] * len(fields))
    sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'
    convert = [f.db_value for f in fields]
    database.cursor().executemany(sql, [tuple(c(v) for c, v in zip(convert, row)) for row in rows])


def make_private(app):
    """The instance folder and what CERVIS keeps there, the service user's alone whatever the umask:
    folders 0700, the database 0600 before SQLite first opens it (its WAL and SHM take its mode)."""
    folders = [
        app.instance_path,
        app.config["OUTBOX_DIR"],
        app.config["DOCUMENTS_DIR"],
        os.path.join(app.instance_path, "backups"),
    ]
    url = app.config["DATABASE_URL"]
    files = []
    if url.startswith("sqlite:///") and ":memory:" not in url:
        path = url[len("sqlite:///") :]
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        files = [path, f"{path}-wal", f"{path}-shm"]
    try:
        for folder in folders:
            os.makedirs(folder, mode=0o700, exist_ok=True)
            os.chmod(folder, 0o700)
        for path in filter(os.path.exists, files):
            os.chmod(path, 0o600)
    except PermissionError:
        pass  # another user's install (a check run as someone else): theirs to keep private


_running_lock = []  # the open file whose lock says "this instance is serving"


def serve_cleanly(app):
    """In a serving process: hold instance/running.lock (shared, so a restore can tell it runs),
    stop on SIGTERM (what systemctl stop sends) as on Ctrl-C, and on the way out copy the
    write-ahead log into the database and close it."""
    import atexit
    import signal
    import sys

    handle = open(os.path.join(app.instance_path, "running.lock"), "a")
    fcntl.flock(handle, fcntl.LOCK_SH)  # waits while a restore holds it
    _running_lock.append(handle)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    atexit.register(close_cleanly)


def close_cleanly():
    if is_sqlite():
        database.connect(reuse_if_open=True)
        database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    if not database.is_closed():
        database.close()


def open_database(url):
    if url.startswith("sqlite"):
        db = connect(url, pragmas=SQLITE_PRAGMAS, check_same_thread=False)
    else:
        db = connect(url)
    database.initialize(db)
    return db


def init_app(app):
    make_private(app)
    open_database(app.config["DATABASE_URL"])

    @app.before_request
    def _refuse_nul():
        # PostgreSQL's text cannot hold NUL (psycopg refuses the query): no form or link a person
        # uses sends one, so refuse it on every database rather than answer 500 on one.
        if _has_nul(request):
            abort(400)

    @app.before_request
    def _connect():
        database.connect(reuse_if_open=True)

    @app.teardown_appcontext
    def _close(exc):
        if not database.is_closed() and not is_sqlite():
            database.close()


def _has_nul(req):
    values = [req.path] + [v for source in (req.args, req.form) for _, vs in source.lists() for v in vs]
    return any("\x00" in v for v in values)
