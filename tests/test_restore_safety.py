"""Restore never leaves an instance broken, and never brings an erased volunteer back."""

import io
import os
import tarfile
import tracemalloc
from pathlib import Path

import pytest
from conftest import on_postgresql

from cervis import backups, erasure, restore
from cervis.backups import BackupError
from cervis.db import database
from cervis.models import User

pytestmark = pytest.mark.skipif(on_postgresql(), reason="SQLite's backup; PostgreSQL uses pg_dump")


def _instance(app):
    """Every file the instance has, with its bytes: what a refused restore must leave as it was."""
    db = Path(app.config["DATABASE_URL"][len("sqlite:///") :])
    files = [db, *Path(app.instance_path).rglob("*")]
    return {str(p): p.read_bytes() for p in files if p.is_file() and p.name != restore.LOCK}


def _archive(path, members):
    """A hand-made archive: (name, bytes | "dir" | ("symlink", target))."""
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            if data == "dir":
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            elif isinstance(data, tuple):
                info.type, info.linkname = tarfile.SYMTYPE, data[1]
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return path


def _good_members(app, tmp_path):
    with app.app_context():
        made = backups.make(tmp_path / "good.tar.gz")
    with tarfile.open(made) as tar:
        return [(m.name, tar.extractfile(m).read() if m.isfile() else "dir") for m in tar.getmembers()]


def _refused(app, archive, words):
    before = _instance(app)
    with app.app_context(), pytest.raises(BackupError) as refused:
        restore.restore(archive)
    assert (
        words in str(refused.value)
        and "nothing was restored" in str(refused.value)
        or "as it was" in str(refused.value)
    )
    assert _instance(app) == before
    assert not list(Path(app.instance_path).glob("before-restore-*"))
    assert not list(Path(app.instance_path).glob(".restoring-*"))


def test_a_symlink_then_a_file_of_the_same_name_is_refused_before_anything_moves(app, tmp_path):
    members = _good_members(app, tmp_path) + [("documents/d", ("symlink", "/etc/passwd")), ("documents/d", b"x")]
    _refused(app, _archive(tmp_path / "a.tar.gz", members), "documents/d")
    twice = _good_members(app, tmp_path) + [("documents/e", b"x"), ("documents/e", b"y")]
    _refused(app, _archive(tmp_path / "b.tar.gz", twice), "twice")


def test_a_member_name_too_long_for_the_file_system_is_refused(app, tmp_path):
    members = _good_members(app, tmp_path) + [("documents/" + "n" * 300, b"x")]
    _refused(app, _archive(tmp_path / "a.tar.gz", members), "which no CERVIS backup holds")


def test_a_documents_member_that_is_a_plain_file_is_refused(app, tmp_path):
    members = [m for m in _good_members(app, tmp_path) if not m[0].startswith("documents")]
    _refused(app, _archive(tmp_path / "a.tar.gz", members + [("documents", b"not a folder")]), "'documents'")


def test_a_cervis_db_that_is_not_a_database_gets_a_clear_message(app, tmp_path):
    members = [(n, b"hello, not sqlite" * 100 if n == "cervis.db" else d) for n, d in _good_members(app, tmp_path)]
    _refused(app, _archive(tmp_path / "a.tar.gz", members), "is not an SQLite database")


def test_a_huge_zero_filled_database_is_streamed_not_read_whole_and_a_size_cap_holds(app, tmp_path):
    size = 64 << 20
    members = [(n, bytes(size) if n == "cervis.db" else d) for n, d in _good_members(app, tmp_path)]
    archive = _archive(tmp_path / "a.tar.gz", members)
    assert archive.stat().st_size < size // 100
    tracemalloc.start()
    try:
        _refused(app, archive, "is not an SQLite database")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 << 20, peak  # was the whole 64 MB, and more
    app.config["RESTORE_LIMIT"] = 1 << 20
    _refused(app, archive, "more than a CERVIS backup can")


def test_a_failure_while_swapping_puts_every_file_back(app, tmp_path, monkeypatch):
    archive = _archive(tmp_path / "a.tar.gz", _good_members(app, tmp_path))
    calls, real = [], os.rename

    def failing(source, target):
        calls.append(source)
        if len(calls) == 4:
            raise OSError(28, "No space left on device")
        return real(source, target)

    monkeypatch.setattr(os, "rename", failing)
    _refused(app, archive, "No space left on device")
    assert len(calls) > 4  # it failed half-way, then moved back


def test_restoring_a_backup_from_before_an_erasure_erases_them_again(app, tmp_path):
    with app.app_context():
        made = backups.make(tmp_path / "before.tar.gz")
    with app.test_request_context(), database.connection_context():
        vera = User.by_email("vera@example.org")
        erasure.erase(User.by_email("ada@example.org"), vera)
    log = (Path(app.instance_path) / erasure.LOG).read_text()
    assert "vera" not in log.lower() and f'"user": {vera.id}' in log
    assert oct(os.stat(Path(app.instance_path) / erasure.LOG).st_mode & 0o777) == "0o600"
    result = app.test_cli_runner().invoke(args=["restore", str(made)])
    assert result.exit_code == 0, result.output
    assert "Erased again 1 volunteer erased since this backup was made" in result.output
    with app.app_context(), database.connection_context():
        again = User.get_by_id(vera.id)
    assert (again.email, again.password_hash, again.active, again.name) == (None, None, False, "Erased volunteer")
