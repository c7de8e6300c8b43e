"""SQL statements per request, counted in-process with the Flask test client.

Every statement SQLite runs is counted (sqlite3's trace callback), PRAGMAs and BEGIN/COMMIT
included: what the connection really does, not what peewee was asked for. A page whose count
differs between two scales runs a query per row of history somewhere.
"""

from contextlib import contextmanager

from .build import bench_config, fresh_instance
from .pages import accept_targets, api_path, pages, register_batches, registerers


class Counter:
    def __init__(self):
        self.n = 0

    def __call__(self, statement):
        self.n += 1


@contextmanager
def counted_app(bench, name="queries"):
    """An app on a fresh copy of this scale's data whose SQLite connections count statements."""
    from cervis import create_app
    from cervis.db import database
    from cervis.migrations import init_db

    instance = fresh_instance(bench, name)
    app = create_app(bench_config(instance, WTF_CSRF_ENABLED=False, TESTING=True, RATELIMIT_ENABLED=False))
    with app.app_context():
        init_db()  # as the server's start does: tables added since the build, migrations
    counter = Counter()
    db = database.obj
    original = db._connect

    def connect():
        conn = original()
        conn.set_trace_callback(counter)
        return conn

    db._connect = connect
    try:
        yield app, counter, instance
    finally:
        db._connect = original
        if not db.is_closed():
            db.close()


def _login(client, email, password):
    answer = client.post("/login", data={"email": email, "password": password})
    assert answer.status_code == 303, (email, answer.status_code)


def count(bench, repeat=2, name="queries"):
    """{page name: statements for one request} at this scale (the last of `repeat` requests)."""
    facts, result = bench.facts, {}
    password = facts["password"]
    with counted_app(bench, name) as (app, counter, instance):
        db_path = instance / "cervis.db"
        for page in pages(facts):
            client = app.test_client()
            if page.action == "login":
                for _ in range(repeat):
                    client = app.test_client()
                    counter.n = 0
                    _login(client, facts["people"][page.who], password)
                result[page.name] = counter.n
                continue
            if page.action == "complete":
                continue  # its writes grow with the month's offers: measured by time, not counted
            if page.who == "api":
                path = api_path(db_path, facts, page.path)
                result[page.name] = _api_count(app, client, counter, path, facts["people"]["admin"], repeat)
                continue
            if page.action == "register":
                email = registerers(db_path, facts, 1)[0]
                targets = register_batches(db_path, facts, email)[:repeat]
            else:
                email = facts["people"][page.who]
                targets = accept_targets(db_path, facts, repeat) if page.action == "accept" else [None] * repeat
            _login(client, email, password)
            headers = {"HX-Request": "true"} if page.htmx else {}
            for target in targets:
                counter.n = 0
                answer = _request(client, page, target, headers)
                assert answer.status_code == 200, (page.name, answer.status_code)
            result[page.name] = counter.n
    return result


def _request(client, page, target, headers):
    if page.action == "register":
        opportunity, slots = target
        return client.post("/portal/signup/slots", data={"opportunity": opportunity, "slot": slots}, headers=headers)
    if page.action == "accept":
        return client.post(f"/leader/registrations/{target}/accept", headers=headers)
    return client.get(page.path, headers=headers)


def _api_count(app, client, counter, path, admin, repeat):
    """Statements for one API request with a token the benchmark's administrator made."""
    from datetime import timedelta

    from cervis.db import utcnow
    from cervis.models import ApiToken, User

    with app.app_context():
        _, token = ApiToken.issue(
            "bench", ["rota:read", "volunteers:read"], utcnow() + timedelta(days=1), User.by_email(admin)
        )
    for _ in range(repeat):
        counter.n = 0
        answer = client.get(path, headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200, (path, answer.status_code)
    return counter.n
