"""The server under test: waitress as the README deploys it (one process, 4 threads, the scheduler).

Bound to 127.0.0.1 on a free port, with the bare floor route switched on (BENCH_FLOOR), and
stopped when the run ends. Its own counters come from /proc: CPU time summed over its
threads in nanoseconds (schedstat), and its peak resident memory (VmHWM).
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR = "/_bench/floor"
# The README's systemd unit's options (tests/test_response_headers.py holds them the same).
WAITRESS_OPTIONS = ("--threads", "4", "--connection-limit", "200", "--channel-timeout", "15", "--cleanup-interval", "5")


def free_port():
    if os.environ.get("CERVIS_BENCH_PORT"):  # a machine shared with other servers gives each its own ports
        return int(os.environ["CERVIS_BENCH_PORT"])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, instance, pin_core=None):
        self.instance, self.pin_core = Path(instance), pin_core
        self.port = free_port()
        self.log_path = self.instance / "server.log"
        self.process = None
        self.startup_seconds = None

    def start(self):
        env = dict(
            os.environ,
            CERVIS_INSTANCE_PATH=str(self.instance),
            CERVIS_SESSION_COOKIE_SECURE="false",
            CERVIS_BENCH_FLOOR="true",
            CERVIS_API_RATE_PER_MINUTE="1000000",  # the API pages send hundreds a minute on one token
            CERVIS_BASE_URL=f"http://127.0.0.1:{self.port}",
            PYTHONPATH=str(ROOT),
        )
        env.pop("CERVIS_SCHEDULER", None)
        command = [
            sys.executable,
            "-m",
            "waitress",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            *WAITRESS_OPTIONS,
            "app:app",
        ]
        if self.pin_core is not None:
            command = ["taskset", "-c", str(self.pin_core)] + command
        log = open(self.log_path, "w")
        # As the README's service does before every start (ExecStartPre): tables, migrations, lists.
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "app", "init-db"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started = time.perf_counter()
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{FLOOR}", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"the server stopped: {self.log_path.read_text()[-2000:]}")
                if time.perf_counter() - started > 60:
                    self.stop()
                    raise RuntimeError("the server did not answer within 60 s")
                time.sleep(0.01)
        self.startup_seconds = time.perf_counter() - started
        self.startup_cpu_seconds = self.cpu_ns() / 1e9  # what starting cost, however busy the machine
        self.settle()
        return self

    def settle(self, quiet=0.02, limit=180):
        """Wait for the scheduler's first round of jobs (each runs once at start: announcements,
        reminders, this month's retention check) to finish, so that no page is measured with a
        job's CPU counted in it; their cost is kept apart (settle_cpu_seconds, settle_seconds)."""
        started, before = time.perf_counter(), self.cpu_ns()
        while time.perf_counter() - started < limit:
            mark = self.cpu_ns()
            time.sleep(0.5)
            if (self.cpu_ns() - mark) / 0.5e9 < quiet:
                break
        self.settle_seconds = time.perf_counter() - started
        self.settle_cpu_seconds = (self.cpu_ns() - before) / 1e9

    @property
    def pid(self):
        return self.process.pid

    def cpu_ns(self, pages_only=False):
        """CPU time of the server's threads so far (ns): what our code cost, not the wait. pages_only:
        without the scheduler's jobs thread ("cervis-jobs"), which sends the emails an action queued
        while the next request is measured."""
        total = 0
        for task in Path(f"/proc/{self.pid}/task").iterdir():
            try:
                if pages_only and (task / "comm").read_text().strip() == "cervis-jobs":
                    continue
                total += int((task / "schedstat").read_text().split()[0])
            except (OSError, ValueError, IndexError):
                pass  # a thread that just ended
        return total

    def peak_rss_mb(self):
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return None

    def log_problems(self):
        text = self.log_path.read_text(errors="replace")
        return {
            "errors": sum(
                1 for line in text.splitlines() if "Traceback" in line or " ERROR " in line or line.startswith("ERROR")
            ),
            "database_locked": text.count("database is locked"),
            "tail": text[-3000:] if ("Traceback" in text or "locked" in text) else "",
        }

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
