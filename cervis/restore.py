"""Restoring a backup archive into a stopped instance, so that no archive can leave it broken.

Everything is extracted and checked in a folder of its own first: each member once, plain files and
folders only, names and sizes within bounds, copied in pieces (never read whole), the database
opened and integrity-checked there. Only then are the instance's files moved aside and the new
ones moved in, by renames; any error puts back what was there and says why.
"""

import fcntl
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from pathlib import Path

from flask import current_app

from .backups import DATABASE, DOCUMENTS, MANIFEST, STAMP, BackupError, database_file
from . import erasure
from .db import database, utcnow

SMALL = {MANIFEST, "secret_key", "config.py"}
SMALL_LIMIT = 1 << 20  # the manifest, key and settings are a few hundred bytes
NAME_LIMIT, PART_LIMIT = 1024, 200  # a whole member name, and one part of it (file systems allow 255)
LOCK = "running.lock"  # held (shared) by every serving process: cervis.db.hold_running_lock


def running(app=None):
    """Why this instance is in use (a reason), or None: a serving process holds one of its locks.
    Not the write-ahead log's size: a stopped instance may leave one behind."""
    for name in (LOCK, "scheduler.lock"):
        path = Path((app or current_app).instance_path) / name
        if not path.exists():
            continue
        with open(path, "a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return f"CERVIS is running (a process holds instance/{name})"
            fcntl.flock(handle, fcntl.LOCK_UN)
    return None


def restore(archive, force=False, now=None):
    """Put the archive's database, key, settings and documents in place; what was there before is
    moved into instance/before-restore-<time>/ (returned with the manifest), never deleted."""
    reason = running()
    if reason and not force:
        raise BackupError(
            f"Not restored: {reason}. Stop it first (sudo systemctl stop cervis), "
            "or add --force to restore anyway and restart it at once."
        )
    instance = Path(current_app.instance_path)
    staging = Path(tempfile.mkdtemp(prefix=".restoring-", dir=instance))
    try:
        manifest = _extract(archive, staging)
        aside = instance / f"before-restore-{(now or utcnow()).strftime(STAMP)}"
        aside = Path(tempfile.mkdtemp(prefix=aside.name + "-", dir=instance))
        if not database.is_closed():
            database.close()  # this process's connection is to the file about to be moved aside
        _swap(staging, aside)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    with database.connection_context():
        erased = erasure.erase_again()
    return manifest, aside, erased


def _extract(archive, staging):
    """Every member into staging, checked; the manifest."""
    limit = current_app.config.get("RESTORE_LIMIT", 8 << 30)
    seen, total = set(), 0
    try:
        # A stream: each member read once, in order. Small reads, since 1 KB of zeros inflates to
        # 1 MB: 8 KB reads peaked at 25 MB for a 64 MB zero-filled database, 1 KB ones at 3.5 MB.
        with tarfile.open(archive, "r|gz", bufsize=1024) as tar:
            for member in tar:
                name = _checked_name(archive, member, seen)
                if member.isdir():
                    (staging / name).mkdir(parents=True, exist_ok=True)
                    continue
                total += member.size
                if total > limit or (name in SMALL and member.size > SMALL_LIMIT):
                    raise BackupError(
                        f"{archive} holds more than a CERVIS backup can ({name!r} is "
                        f"{member.size:,} bytes); nothing was restored."
                    )
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                with tar.extractfile(member) as source, open(target, "xb") as out:
                    shutil.copyfileobj(source, out, 1 << 16)
    except (OSError, tarfile.TarError, EOFError) as error:
        raise BackupError(f"{archive} cannot be read as a CERVIS backup ({error}); nothing was restored.") from error
    if not {MANIFEST, DATABASE} <= seen:
        raise BackupError(f"{archive} is not a CERVIS backup (no {MANIFEST} or {DATABASE}); nothing was restored.")
    _check_database(archive, staging / DATABASE)
    try:
        manifest = json.loads((staging / MANIFEST).read_text())
        assert isinstance(manifest, dict)
    except (ValueError, AssertionError) as error:
        raise BackupError(f"{archive}'s {MANIFEST} is not a CERVIS manifest; nothing was restored.") from error
    return manifest


def _checked_name(archive, member, seen):
    """The member's name once it is a plain file or folder where a CERVIS backup puts one, seen once."""
    name = member.name.rstrip("/")
    parts = Path(name).parts
    top = parts[0] if parts else ""
    fits = (
        member.isfile()
        and (name in SMALL | {DATABASE} or (top == DOCUMENTS and len(parts) > 1))
        or member.isdir()
        and top == DOCUMENTS
    )
    safe = (
        name
        and not name.startswith("/")
        and ".." not in parts
        and "\\" not in name
        and len(name) <= NAME_LIMIT
        and all(len(p.encode()) <= PART_LIMIT for p in parts)
    )
    if not (fits and safe) or name in seen:
        shown = name if len(name) <= 80 else name[:77] + "..."
        why = "twice" if name in seen else "which no CERVIS backup holds"
        raise BackupError(f"{archive} holds {shown!r} {why}; nothing was restored.")
    seen.add(name)
    return name


def _check_database(archive, path):
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            answer = "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(
            f"The {DATABASE} in {archive} is not an SQLite database ({error}); nothing was restored."
        ) from error
    if answer != "ok" or "user" not in tables:
        raise BackupError(
            f"The {DATABASE} in {archive} fails its integrity check or is not CERVIS's "
            f"({answer[:200]}); nothing was restored."
        )


def _swap(staging, aside):
    """The instance's files aside, the staged ones in; on any error, everything back as it was."""
    instance = Path(current_app.instance_path)
    database = database_file()
    places = {
        DATABASE: database,
        "secret_key": instance / "secret_key",
        "config.py": instance / "config.py",
        DOCUMENTS: Path(current_app.config["DOCUMENTS_DIR"]),
    }
    old = [database, Path(f"{database}-wal"), Path(f"{database}-shm"), *list(places.values())[1:]]
    done = []  # (from, to), to undo in reverse
    try:
        for path in old:
            if path.exists():
                _move(path, aside / path.name, done)
        for name, target in places.items():
            if (staging / name).exists():
                _move(staging / name, target, done)
    except OSError as error:
        for source, target in reversed(done):
            _move(target, source, [])
        aside.rmdir()
        raise BackupError(f"Not restored: {error}. The instance is as it was.") from error


def _move(source, target, done):
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.rename(source, target)
    except OSError as error:
        if error.errno != 18:  # EXDEV: documents kept on another disk are copied across
            raise
        shutil.move(source, target)
    done.append((source, target))
