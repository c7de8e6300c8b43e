"""A throwaway PostgreSQL server for the suite's run on PostgreSQL: Debian's `postgresql` binaries,
a data folder in /tmp, 127.0.0.1 only, nothing synced to disk. It stops when the test run ends,
however the run ends (the kernel signals it when pytest dies), and its folder goes with it."""

import ctypes
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from helpers_ports import worker_share

PORTS = worker_share(range(18850, 18900))
FOLDER_PREFIX = "cervis-pg-"
SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "unix_socket_directories": "",
}


def binaries(debian=Path("/usr/lib/postgresql")):
    """The newest installed version's bin/ (Debian keeps them in /usr/lib/postgresql/N/bin, off the PATH)."""
    found = sorted(debian.glob("*/bin/postgres"), key=lambda p: int(p.parts[-3]))
    if found:
        return found[-1].parent
    on_path = shutil.which("postgres")
    if on_path:
        return Path(on_path).resolve().parent
    raise RuntimeError("PostgreSQL is missing: the README's test command installs Debian's postgresql.")


def _owner():
    """PostgreSQL refuses to run as root (CI's user): then it runs as Debian's `postgres` user."""
    if os.geteuid() != 0:
        return {}
    account = pwd.getpwnam("postgres")
    return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}


def _die_with_parent():
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGQUIT)  # PR_SET_PDEATHSIG: immediate stop


def _free_port(ports=PORTS, what="PostgreSQL"):
    for port in ports:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports.start}-{ports.stop - 1} for {what}")


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_stale_folders():
    """A run killed outright leaves its server's folder behind (the server itself has stopped). Each folder
    names the test process that made it, so one xdist worker never takes another's folder mid-initdb."""
    for folder in Path(tempfile.gettempdir()).glob(FOLDER_PREFIX + "*"):
        owner = folder.name[len(FOLDER_PREFIX) :].split("-")[0]
        if owner.isdigit() and _alive(int(owner)):
            continue
        if not (folder / "data" / "postmaster.pid").exists():
            shutil.rmtree(folder, ignore_errors=True)


class Server:
    """initdb, then postgres in the foreground as a child of this process."""

    def __init__(self):
        _remove_stale_folders()
        self.folder = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-"))
        owner, data = _owner(), self.folder / "data"
        if owner:
            os.chown(self.folder, owner["user"], owner["group"])
        bin_ = binaries()
        subprocess.run(
            [
                str(bin_ / "initdb"),
                "-D",
                str(data),
                "-U",
                "cervis",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
                "--no-instructions",
            ],
            check=True,
            capture_output=True,
            **owner,
        )
        self.port = _free_port()
        options = [f"-c{name}={value}" for name, value in SETTINGS.items()]
        with open(self.folder / "server.log", "wb") as log:  # the child keeps its own copy
            self.process = subprocess.Popen(
                [str(bin_ / "postgres"), "-D", str(data), "-h", "127.0.0.1", "-p", str(self.port), *options],
                stdout=log,
                stderr=log,
                preexec_fn=_die_with_parent,
                **owner,
            )
        self.url = f"postgresql://cervis@127.0.0.1:{self.port}/postgres"
        self._wait_until_ready()

    def _wait_until_ready(self, seconds=60):
        import psycopg2

        deadline = time.monotonic() + seconds
        while True:
            try:
                psycopg2.connect(self.url).close()
                return
            except psycopg2.OperationalError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"PostgreSQL did not start (exit {self.process.poll()})") from None
                time.sleep(0.1)

    def stop(self):
        self.process.send_signal(signal.SIGINT)  # fast shutdown: the data is thrown away anyway
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


# Anything made, dropped or altered in the schema changes this: then a test gets a whole fresh copy.
SCHEMA_PRINT = """
SELECT md5(string_agg(x, ',' ORDER BY x)) FROM (
  SELECT c.oid || c.relname || coalesce(a.attname || a.atttypid || a.attnotnull || a.attisdropped, '') AS x
    FROM pg_class c LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
   WHERE c.relnamespace = 'public'::regnamespace
  UNION ALL SELECT oid::text FROM pg_constraint WHERE connamespace = 'public'::regnamespace
  UNION ALL SELECT d.oid::text FROM pg_attrdef d JOIN pg_class c ON c.oid = d.adrelid
             WHERE c.relnamespace = 'public'::regnamespace) parts"""
OTHERS_OUT = """SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity
                 WHERE datname = current_database() AND pid <> pg_backend_pid()"""


def _connect(url, autocommit=False):
    import psycopg2

    conn = psycopg2.connect(url)
    conn.autocommit = autocommit
    return conn


class PostgresqlCopies:
    """The prepared database, and the database the tests use, put back as prepared before each test:
    its rows emptied and refilled from a copy kept beside them, its sequences set back (about 7 ms;
    CREATE DATABASE ... TEMPLATE copies 10 MB of catalogs, 0.3 to 0.6 s on a busy machine). A test
    that changed the schema (dropped an index, a column) leaves the next one a whole fresh copy."""

    PREPARED, TEST, ROWS = "cervis_prepared", "cervis_test", "cervis_prepared_rows"

    def __init__(self, server_url):
        self.server = _connect(server_url, autocommit=True)  # CREATE DATABASE runs outside a transaction
        self.base = server_url.rsplit("/", 1)[0]
        self.url = self._create(self.PREPARED)
        self.test, self.reset_sql, self.schema = None, None, None

    def seal(self, tables):
        """Once the prepared database is built: keep its rows beside them; `tables` parents first."""
        with _connect(self.url) as conn, conn.cursor() as cur:
            cur.execute(f'CREATE SCHEMA "{self.ROWS}"')
            refill = []
            for table in tables:
                cur.execute(f'CREATE TABLE "{self.ROWS}"."{table}" AS SELECT * FROM "{table}"')
                if cur.rowcount:
                    refill.append(f'INSERT INTO "{table}" SELECT * FROM "{self.ROWS}"."{table}"')
            cur.execute("SELECT schemaname, sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
            numbers = [
                f"SELECT setval('\"{name}\"', {value or 1}, {value is not None})" for _, name, value in cur.fetchall()
            ]
            cur.execute(SCHEMA_PRINT)
            self.schema = cur.fetchone()[0]
        conn.close()
        empty = [f'DELETE FROM "{table}"' for table in reversed(tables)]
        self.reset_sql = ";\n".join(empty + refill + numbers)
        self._fresh_copy()

    def copy(self, tmp_path):
        """The test database as prepared; its URL."""
        if self.test is None:
            self._fresh_copy()
        with self.test.cursor() as cur:
            cur.execute(OTHERS_OUT)  # a connection the last test left open could hold a lock
            cur.execute(SCHEMA_PRINT)
            if cur.fetchone()[0] != self.schema:
                self.test.rollback()
                self._fresh_copy()
            else:
                cur.execute(self.reset_sql)
        self.test.commit()
        return f"{self.base}/{self.TEST}"

    def discard(self):
        pass

    def close(self):
        if self.test is not None:
            self.test.close()
        self._drop(self.TEST)
        self._drop(self.PREPARED)
        self.server.close()

    def _fresh_copy(self):
        if self.test is not None:
            self.test.close()
        self._create(self.TEST, template=self.PREPARED)
        self.test = _connect(f"{self.base}/{self.TEST}")

    def _create(self, name, template=None):
        self._drop(name)
        with self.server.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return f"{self.base}/{name}"

    def _drop(self, name):
        with self.server.cursor() as cur:  # FORCE: a connection a test left open goes too
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
