"""Actions that read then write take the write lock first, so a rush of them answers no 500
("database is locked"); the scheduler's jobs never collide with each other or with requests."""

import threading
import time
from datetime import timedelta

from helpers_parallel import post_at_once, session_cookie

from cervis import reminders, scheduler
from cervis.db import database, utcnow
from cervis.models import REGISTERED, Frequency, Group, Opportunity, Registration, Slot, User

ADMINISTRATORS, MOVES_EACH = 20, 3


def test_twenty_administrators_reordering_a_list_at_once_get_no_500(live_server, client, db):
    cookie = session_cookie(client, "ada@example.org")
    monthly = Frequency.get(Frequency.name == "Monthly")
    forms = [{"direction": "up" if n % 2 else "down"} for n in range(ADMINISTRATORS * MOVES_EACH)]
    codes = []
    for start in range(0, len(forms), ADMINISTRATORS):
        codes += post_at_once(
            f"{live_server}/admin/lists/frequencies/{monthly.id}/move",
            forms[start : start + ADMINISTRATORS],
            cookie=cookie,
        )
    assert codes == [303] * len(forms)
    positions = sorted(p for (p,) in Frequency.select(Frequency.position).tuples())
    assert positions == list(range(Frequency.select().count()))  # every move whole, none interleaved


def test_administrators_adding_list_items_at_once_get_no_500_and_no_tied_positions(live_server, client, db):
    cookie = session_cookie(client, "ada@example.org")
    codes = post_at_once(
        f"{live_server}/admin/lists/frequencies/add",
        [{"name": f"Every {n} weeks"} for n in range(ADMINISTRATORS)],
        cookie=cookie,
    )
    assert codes == [303] * ADMINISTRATORS
    positions = [p for (p,) in Frequency.select(Frequency.position).tuples()]
    assert len(set(positions)) == len(positions)


def test_reminders_job_survives_a_request_writing_while_it_runs(app, db, monkeypatch):
    """A request commits between two reminders: the job's next write must not meet a stale read."""
    north = Group.get(Group.name == "Northside")
    opp = Opportunity.create(group=north, name="Night Shelter", live_from=utcnow() - timedelta(days=1))
    start = utcnow() + timedelta(hours=30)
    for email, role in zip(("vera@example.org", "leo@example.org", "sam@example.org"), north.roles):
        slot = Slot.create(opportunity=opp, role=role, starts_at=start, ends_at=start + timedelta(hours=3), capacity=3)
        Registration.create(volunteer=User.by_email(email), slot=slot, status=REGISTERED)
    real = reminders.due

    def due_while_someone_writes(now):
        for reg in real(now):  # the job's query, read row by row
            yield reg
            writer = threading.Thread(target=_write_elsewhere, args=(app,))
            writer.start()
            writer.join()

    monkeypatch.setattr(reminders, "due", due_while_someone_writes)
    with app.test_request_context():
        assert reminders.send_reminders() == 3


def _write_elsewhere(app):
    with app.app_context(), database.connection_context():
        Frequency.update(position=9).where(Frequency.name == "Weekly").execute()


def test_scheduler_runs_its_jobs_one_at_a_time_even_when_all_are_due_at_a_start():
    running, overlaps, finished = [], [], []
    lock = threading.Lock()

    def job(name):
        with lock:
            running.append(name)
            if len(running) > 1:
                overlaps.append(tuple(running))
        time.sleep(0.1)
        with lock:
            running.remove(name)
            finished.append(name)

    runner = scheduler.make_scheduler()
    for name in ("send_emails", "prune_throttles", "remind"):  # all due now, as after a start
        runner.add_job(job, "interval", seconds=600, args=[name], id=name, next_run_time=scheduler.utcnow_aware())
    runner.start()
    try:
        deadline = time.time() + 10
        while len(finished) < 3 and time.time() < deadline:
            time.sleep(0.05)
    finally:
        runner.shutdown(wait=True)
    assert sorted(finished) == ["prune_throttles", "remind", "send_emails"]  # none skipped as late
    assert overlaps == []
