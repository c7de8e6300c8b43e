"""Several waitress processes on one database, as a larger charity would serve CERVIS: exactly one of
them runs the scheduler, a leader's accepts arriving at all of them at once fill a one-person slot
once, and every email arrives once. On PostgreSQL each
worker has an instance folder of its own, as on separate machines, so only the database's lock
can tell them apart; on SQLite they share the instance folder and its lock file."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from datetime import datetime, timedelta
from email import message_from_bytes
from pathlib import Path

from aiosmtpd.controller import Controller
from conftest import on_postgresql
from helpers_leader import LEO
from helpers_parallel import post_at_once, session_cookie
from helpers_rota import member, night, offer

from cervis.db import utcnow
from cervis.models import REGISTERED, Email, Group, Membership, Opportunity, Registration, Role, Slot
from cervis.models.mail import SENT
from helpers_ports import worker_share

ROOT = Path(__file__).resolve().parent.parent
PORTS = worker_share(range(19500, 19600))
WORKERS = 3
WAITING = 6  # emails people's actions left in the outbox
RACERS = 6  # offers for a one-person slot, accepted at once through the three workers
SERVE = "import logging, sys; logging.basicConfig(level=logging.INFO); from waitress.runner import run; sys.exit(run())"
LEADING = "CERVIS scheduler running in process"
LAUNCHED = "shift-bookings-launched"  # the announcement job's email of a month newly open


def _free_ports(count):
    ports = []
    for port in PORTS:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)):
                ports.append(port)
        if len(ports) == count:
            return ports
    raise RuntimeError(f"no {count} free ports in {PORTS.start}-{PORTS.stop - 1}")


class MailServer:
    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append(message_from_bytes(envelope.content)["Message-ID"])
        return "250 OK"


def _arrange(now):
    """Emails waiting to go, and a month newly open that the announcement job will tell Northside of."""
    for n in range(WAITING):
        Email.create(
            kind="message",
            to_addr=f"person{n}@example.org",
            subject=f"Waiting {n}",
            body_text="Hello",
            message_id=f"<waiting-{n}@example.org>",
        )
    north = Group.get(Group.name == "Northside")
    opp = Opportunity.create(group=north, name="Night Shelter", live_from=now - timedelta(hours=1))
    start = datetime(now.year + 1, 2, 1, 19)
    Slot.create(
        opportunity=opp,
        role=Role.get(Role.group == north, Role.name == "Cook"),
        starts_at=start,
        ends_at=start + timedelta(hours=12),
        created_at=now - timedelta(days=1),
    )


def _start_workers(app, tmp_path, mail_port):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CERVIS_") and k != "DATABASE_URL"}
    env.update(
        CERVIS_DATABASE_URL=app.config["DATABASE_URL"],
        CERVIS_MAIL_SERVER="127.0.0.1",
        CERVIS_MAIL_PORT=str(mail_port),
        CERVIS_MAIL_USE_TLS="false",
        CERVIS_SESSION_COOKIE_SECURE="false",
        # The test client's session and forms are good on the workers; a confirmation goes at once.
        CERVIS_SECRET_KEY=app.config["SECRET_KEY"],
        CERVIS_WTF_CSRF_ENABLED="false",
        CERVIS_CONFIRMATION_UNDO_MINUTES="0",
    )
    workers = []
    for n, port in enumerate(_free_ports(WORKERS)):
        instance = tmp_path / f"machine-{n}" if on_postgresql() else Path(app.instance_path)
        log = open(tmp_path / f"worker-{n}.log", "wb")
        process = subprocess.Popen(
            [sys.executable, "-c", SERVE, "--host", "127.0.0.1", f"--port={port}", "--threads", "2", "app:app"],
            cwd=ROOT,
            env={**env, "CERVIS_INSTANCE_PATH": str(instance)},
            stdout=log,
            stderr=log,
        )
        log.close()  # the worker keeps its own copy
        workers.append((process, port, tmp_path / f"worker-{n}.log"))
    return workers


def _wait_until(done, seconds, workers):
    deadline = time.monotonic() + seconds
    while not done():
        for process, _, log in workers:
            assert process.poll() is None, log.read_text()
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def _everything_sent():
    """The job has told the members of the month, the leader's accept has confirmed, all has gone."""
    kinds = {kind for (kind,) in Email.select(Email.kind).distinct().tuples()}
    return {LAUNCHED, "confirmation"} <= kinds and not Email.select().where(Email.status != SENT).exists()


def _answers(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as answer:
            return answer.status == 200
    except OSError:
        return False


def _stop(workers):
    for process, _, _ in workers:
        process.send_signal(signal.SIGTERM)
    for process, _, _ in workers:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_three_workers_run_one_scheduler_fill_a_slot_once_and_send_each_email_once(app, client, db, tmp_path):
    _arrange(utcnow())
    cook = night(5, "Cook", capacity=1)
    offers = [offer(member(f"Racer{n}"), cook) for n in range(RACERS)]
    cookie = session_cookie(client, LEO)
    mail = MailServer()
    controller = Controller(mail, hostname="127.0.0.1", port=_free_ports(1)[0])
    controller.start()
    workers = _start_workers(app, tmp_path, controller.port)
    try:
        _wait_until(lambda: all(_answers(port) for _, port, _ in workers), 60, workers)
        urls = [
            f"http://127.0.0.1:{workers[n % WORKERS][1]}/leader/registrations/{reg.id}/accept"
            for n, reg in enumerate(offers)
        ]
        codes = post_at_once(urls, [{}] * RACERS, cookie=cookie)
        # The waiting emails go on the first round; the job's announcements and the one
        # confirmation on the next, 20 s on.
        _wait_until(_everything_sent, 90, workers)
        time.sleep(1)  # time for a duplicate to arrive
    finally:
        _stop(workers)
        controller.stop()
    leaders = [log.name for _, _, log in workers if LEADING in log.read_text()]
    assert len(leaders) == 1, leaders
    queued = [e.message_id for e in Email.select().order_by(Email.id)]
    told = Counter(e.to_addr for e in Email.select().where(Email.kind == LAUNCHED))
    assert told == {m.user.email: 1 for m in Membership.select().join(Group).where(Group.name == "Northside")}
    assert Counter(mail.received) == {message_id: 1 for message_id in queued}
    assert Email.select().where(Email.status != SENT).count() == 0
    assert codes == [303] * RACERS  # accepted, or refused with the reason: never an error
    assert Registration.select().where(Registration.slot == cook.id, Registration.status == REGISTERED).count() == 1
    assert Email.select().where(Email.kind == "confirmation").count() == 1


def test_the_waiting_list_and_stand_in_jobs_are_the_schedulers():
    from cervis import scheduler, stand_in, waiting_list

    jobs = [fn for fn, _ in scheduler.JOBS]
    assert waiting_list.pass_on_job in jobs and stand_in.nobody_found_job in jobs
