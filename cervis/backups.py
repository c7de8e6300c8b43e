"""Backups: one archive holding a consistent copy of the database, the secret key, config.py and
the posted documents; made on demand and nightly by the scheduler. Restoring one is cervis/restore.py.

SQLite only: a PostgreSQL server is backed up with pg_dump (README, "Backups").
"""

import io
import json
import os
import sqlite3
import tarfile
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app

from .db import utcnow

KEPT = 14  # nightly archives kept in instance/backups/
NIGHT_STARTS, NIGHT_ENDS = 2, 8  # the local hours in which tonight's backup is made
PREFIX, SUFFIX = "cervis-", ".tar.gz"
STAMP = "%Y%m%dT%H%M%SZ"
DATABASE, MANIFEST, DOCUMENTS = "cervis.db", "MANIFEST.json", "documents"


class BackupError(Exception):
    """A backup or restore that cannot be done safely; the message says why and what to do."""


def folder(app=None):
    return Path((app or current_app).instance_path) / "backups"


def database_file(app=None):
    url = (app or current_app).config["DATABASE_URL"]
    if not url.startswith("sqlite:///"):
        raise BackupError('This install runs on PostgreSQL: back it up with pg_dump (README, "Backups").')
    return Path(url[len("sqlite:///") :])


def make(path=None, now=None):
    """Write the archive (to instance/backups/ unless given a path) and return its path."""
    now = now or utcnow()
    source = database_file()
    target = Path(path) if path else folder() / f"{PREFIX}{now.strftime(STAMP)}{SUFFIX}"
    if target.is_dir():
        target = target / f"{PREFIX}{now.strftime(STAMP)}{SUFFIX}"
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        copy = Path(work) / DATABASE
        manifest = {"made_at": now.isoformat(), "format": 1, "integrity": _copy_database(source, copy)}
        partial = Path(work) / "archive.part"
        # Level 6, not tarfile's 9: a third of the time for a few per cent more bytes, on a Pi at night.
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1).encode())
            tar.add(copy, DATABASE)
            for name in ("secret_key", "config.py"):
                if (Path(current_app.instance_path) / name).is_file():
                    tar.add(Path(current_app.instance_path) / name, name)
            documents = Path(current_app.config["DOCUMENTS_DIR"])
            if documents.is_dir():
                tar.add(documents, DOCUMENTS)
        os.chmod(partial, 0o600)  # it holds the secret key and everyone's personal data
        os.replace(partial, target)  # never half an archive under the final name
    return target


def _copy_database(source, copy):
    """SQLite's online backup: a consistent copy while offers keep arriving. Returns its integrity
    check's answer ("ok"), the manifest's."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(copy)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        dst.close()
        src.close()
    integrity = _integrity(copy)
    if integrity != "ok":
        raise BackupError("The copy of the database failed its integrity check; nothing was written.")
    return integrity


def _integrity(path):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()


def _add_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, int(datetime.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def archives(app=None):
    """This instance's archives, newest first, as (made at UTC, path)."""
    found = []
    for path in folder(app).glob(f"{PREFIX}*{SUFFIX}"):
        try:
            found.append((datetime.strptime(path.name[len(PREFIX) : -len(SUFFIX)], STAMP), path))
        except ValueError:
            continue  # someone else's file: neither counted nor pruned
    return sorted(found, reverse=True)


def latest(app=None):
    found = archives(app)
    return found[0][0] if found else None


def prune(app=None, kept=KEPT):
    for _, path in archives(app)[kept:]:
        path.unlink(missing_ok=True)


def due(now, zone, last):
    """Tonight's backup is due in the night's quiet hours (02:00 to 08:00 local) once none was made
    since 02:00; by day only when the last one is overdue. A fresh install waits for its first
    night: a backup by day (a minute of both cores on a Pi, at the large charity's size) would
    slow every page while people use them."""
    local = now.replace(tzinfo=timezone.utc).astimezone(zone)
    night = local.replace(hour=NIGHT_STARTS, minute=0, second=0, microsecond=0)
    if local < night:
        night -= timedelta(days=1)
    night_utc = night.astimezone(timezone.utc).replace(tzinfo=None)
    if last is not None and last >= night_utc:
        return False
    return local.hour < NIGHT_ENDS or (last is not None and is_overdue(now, last))


def is_overdue(now, last):
    """The administrators' warning: no backup from the last two days."""
    return last is None or now - last > timedelta(days=2)


def nightly(app, now=None):
    """The scheduler's job (hourly): make tonight's archive if due, keep the last KEPT."""
    from .db import database, is_sqlite
    from .models import Organisation

    now = now or utcnow()
    with app.app_context():
        if not is_sqlite():
            return None
        with database.connection_context():
            zone = ZoneInfo(Organisation.current().timezone)
        if not due(now, zone, latest()):
            return None
        made = make(now=now)  # on the scheduler's thread, which runs niced (cervis.scheduler)
        prune()
        current_app.logger.info("Backup written: %s", made)
        return made
