"""The README's stop → restore → start, with a real waitress process stopped by SIGTERM (what
systemctl stop sends), and an instance's files private to the service user whatever the umask."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import on_postgresql
from helpers_ports import worker_share

ROOT = Path(__file__).resolve().parent.parent
PORTS = worker_share(range(18200, 18300))
pytestmark = pytest.mark.skipif(on_postgresql(), reason="SQLite's files and locks")


def _free_port():
    for port in PORTS:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)):
                return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


def _env(instance):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CERVIS_")}
    return {**env, "CERVIS_INSTANCE_PATH": str(instance), "CERVIS_SESSION_COOKIE_SECURE": "false"}


def _flask(instance, *args):
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", *args],
        cwd=ROOT,
        env=_env(instance),
        capture_output=True,
        text=True,
        timeout=120,
        umask=0o022,
    )


def _serve(instance, port):
    waitress = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "waitress",
            "--host",
            "127.0.0.1",
            f"--port={port}",
            "--threads",
            "4",
            "--ident=",
            "app:app",
        ],
        cwd=ROOT,
        env=_env(instance),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        umask=0o022,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as answer:
                assert answer.status == 200
                return waitress
        except OSError:
            assert waitress.poll() is None, waitress.stderr.read().decode()
            time.sleep(0.3)
    waitress.kill()
    raise AssertionError("waitress did not answer")


def _stop(waitress):
    waitress.send_signal(signal.SIGTERM)
    try:
        return waitress.wait(timeout=30)
    finally:
        if waitress.poll() is None:
            waitress.kill()
        waitress.stderr.close()


def _mode(path):
    return oct(path.stat().st_mode & 0o777)


def test_stop_restore_start_works_without_force_and_restore_while_running_is_refused(tmp_path):
    instance = tmp_path / "instance"
    assert _flask(instance, "init-db").returncode == 0
    made = _flask(
        instance,
        "create-admin",
        "ada@example.org",
        "--first-name",
        "Ada",
        "--password",
        "correct horse battery staple 42",
    )
    assert made.returncode == 0, made.stderr
    waitress = _serve(instance, _free_port())
    try:
        backup = _flask(instance, "backup", str(tmp_path / "b.tar.gz"))
        assert backup.returncode == 0, backup.stderr
        refused = _flask(instance, "restore", str(tmp_path / "b.tar.gz"))
        assert refused.returncode != 0 and "CERVIS is running" in refused.stderr, refused.stderr

        # Files the server and the CLI made under umask 022: the service user's alone.
        assert _mode(instance) == "0o700"
        for name in ("cervis.db", "cervis.db-wal", "cervis.db-shm", "secret_key"):
            assert _mode(instance / name) == "0o600", name
        for name in ("outbox", "documents", "backups"):
            assert _mode(instance / name) == "0o700", name
        assert _mode(tmp_path / "b.tar.gz") == "0o600"
    finally:
        assert _stop(waitress) == 0
    wal = instance / "cervis.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0  # checkpointed on the way out

    restored = _flask(instance, "restore", str(tmp_path / "b.tar.gz"))
    assert restored.returncode == 0 and "Restored the backup" in restored.stdout, restored.stderr
    assert _stop(_serve(instance, _free_port())) == 0
