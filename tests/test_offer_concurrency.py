"""Many volunteers offering for the same slots at the same moment (the evening the month goes live):
nothing lost, nothing doubled, no error shown. SQLite file database in WAL with a busy timeout."""

import threading
from collections import Counter
from datetime import timedelta

from conftest import PASSWORD, hashed

from cervis import registering
from cervis.db import database, is_sqlite, utcnow
from cervis.models import Email, Group, Membership, Opportunity, Registration, RegistrationEvent, Role, Slot, User

THREADS = 8
VOLUNTEERS_PER_THREAD = 3
SLOTS = 5


def _arrange(app):
    """An opportunity with SLOTS slots tomorrow evening, and THREADS x VOLUNTEERS_PER_THREAD members."""
    with app.app_context(), database.connection_context():
        if is_sqlite():  # on PostgreSQL (CERVIS_TEST_DATABASE_URL) the same rush runs on the server
            assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert database.execute_sql("PRAGMA busy_timeout").fetchone()[0] > 0
        north = Group.get(Group.name == "Northside")
        opp = Opportunity.create(group=north, name="Launch Night", live_from=utcnow() - timedelta(days=1))
        start = utcnow().replace(second=0, microsecond=0) + timedelta(days=1)
        roles = list(Role.select().where(Role.group == north))
        slot_ids = [
            Slot.create(
                opportunity=opp,
                role=roles[i % len(roles)],
                starts_at=start + timedelta(hours=i // len(roles)),
                ends_at=start + timedelta(hours=3 + i // len(roles)),
                capacity=2,
            ).id
            for i in range(SLOTS)
        ]
        people = []
        for n in range(THREADS * VOLUNTEERS_PER_THREAD):
            user = User.create(
                email=f"rush{n}@example.org",
                first_name=f"Rush{n}",
                password_hash=hashed(PASSWORD),
                verified_generation=1,
            )
            Membership.create(user=user, group=north)
            people.append(user.id)
        return opp.id, slot_ids, people


def _run(workers):
    """Start every worker at once; return the exceptions any of them raised."""
    barrier, errors = threading.Barrier(len(workers)), []

    def wrapped(work):
        try:
            barrier.wait()
            work()
        except BaseException as exc:  # noqa: BLE001  (collected, then failed on below)
            errors.append(exc)

    threads = [threading.Thread(target=wrapped, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a worker hung"
    return errors


def _check(app, people, slot_ids, saved_count):
    with app.app_context(), database.connection_context():
        rows = list(
            Registration.select(Registration.volunteer, Registration.slot)
            .where(Registration.volunteer.in_(people))
            .tuples()
        )
        expected = {(p, s) for p in people for s in slot_ids}
        assert set(rows) == expected  # nothing lost
        assert len(rows) == len(expected)  # nothing doubled
        assert saved_count == len(expected)  # each offer saved exactly once, by one of its threads
        assert RegistrationEvent.select().join(Registration).where(Registration.volunteer.in_(people)).count() == len(
            expected
        )
        acks = Counter(e.user_id for e in Email.select().where(Email.kind == "offer-acknowledgement"))
        assert acks == {p: 1 for p in people}  # one e-mail each, from whichever thread saved


def test_eight_threads_offering_the_same_slots_through_offer_lose_and_double_nothing(app):
    _, slot_ids, people = _arrange(app)
    saved = []
    lock = threading.Lock()

    def offer_for(chunk):
        def work():
            # Peewee connections are per thread: each worker opens and closes its own.
            with app.test_request_context(), database.connection_context():
                for volunteer_id in chunk:
                    volunteer = User.get_by_id(volunteer_id)
                    result = registering.offer(volunteer, volunteer, slot_ids, note="rush")
                    with lock:
                        saved.extend(result.saved)

        return work

    # Every volunteer is offered by two threads at once: the second finds the first's rows.
    chunks = [people[i::THREADS] for i in range(THREADS)]
    workers = [offer_for(chunks[i] + chunks[(i + 1) % THREADS]) for i in range(THREADS)]
    assert _run(workers) == []
    _check(app, people, slot_ids, len(saved))


def test_eight_volunteers_pressing_register_at_once_through_the_pages(app):
    opp_id, slot_ids, people = _arrange(app)
    people = people[:THREADS]
    with app.app_context(), database.connection_context():
        emails = [User.get_by_id(p).email for p in people]
    clients = [app.test_client() for _ in people]
    for client, email in zip(clients, emails):
        assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 303
    answers = []

    def press(client, volunteer_id, times=2):
        def work():
            # A double click: the same form arrives twice.
            for _ in range(times):
                form = {"volunteer": volunteer_id, "opportunity": opp_id, "slot": slot_ids}
                answers.append(client.post("/portal/signup/slots", data=form).status_code)

        return work

    assert _run([press(c, p) for c, p in zip(clients, people)]) == []
    assert Counter(answers) == {303: len(people), 200: len(people)}  # saved once, then "already"
    _check(app, people, slot_ids, len(people) * len(slot_ids))
