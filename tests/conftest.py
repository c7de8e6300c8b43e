"""Personas and helpers. Vera volunteers at Northside, which Leo leads; Olga leads Southside;
Ada administers; Sam volunteers only at Southside; Nia is new (temporary password, no profile)."""

import contextlib
import gc
import os
import re
import shutil
import threading
from datetime import timedelta

import peewee
import pytest
from werkzeug.serving import make_server

from cervis import create_app
from cervis import passwords
from cervis.db import database, is_sqlite, utcnow
from cervis.migrations import init_db
from cervis.models import Email, Group, Membership, Organisation, Profile, Role, User

PASSWORD = "correct horse battery staple"
TEMP = "TempPass2345abc"
_hashes = {}


def hashed(pw):
    if pw not in _hashes:
        _hashes[pw] = passwords.hash_password(pw)
    return _hashes[pw]


# --database postgresql: the suite runs on a PostgreSQL server this run starts and throws away, or
# on the server of CERVIS_TEST_DATABASE_URL (e.g. postgresql://cervis@127.0.0.1/postgres, a role that
# may create databases) when that is set. Every test gets its own copy of one prepared database.
TEST_DATABASE_URL = os.environ.get("CERVIS_TEST_DATABASE_URL")
_chosen = {"database": "sqlite"}


def pytest_addoption(parser):
    parser.addoption(
        "--database",
        choices=("sqlite", "postgresql"),
        default=None,
        help="the database the suite runs on (default sqlite; postgresql starts a throwaway "
        "server unless CERVIS_TEST_DATABASE_URL names one)",
    )


def pytest_configure(config):
    given = config.getoption("--database")
    if given is None and TEST_DATABASE_URL and TEST_DATABASE_URL.startswith("postgres"):
        given = "postgresql"
    _chosen["database"] = given or "sqlite"


def pytest_collection_finish(session):
    """What collection imported lives as long as this process, as start-up's does in the service:
    frozen, as app.py freezes it, so the collector's full passes walk only what the tests make.
    Unfrozen, a full pass over it (150 to 450 ms on a busy 2-core machine) came due in whichever
    test came after one that made much garbage (every route's fuzz), and landed inside its write lock."""
    gc.collect()
    gc.freeze()


def pytest_collection_modifyitems(config, items):
    """The PostgreSQL run repeats only what meets the database: the browser tests check pages, the
    same on either database, and a test without the `app` fixture never opens the database under test."""
    if not on_postgresql():
        return
    browser = pytest.mark.skip(reason="a browser test: the SQLite run covers it")
    no_database = pytest.mark.skip(reason="touches no database: the SQLite run covers it")
    for item in items:
        names = getattr(item, "fixturenames", ())
        if "browser" in names:
            item.add_marker(browser)
        elif "app" not in names and "prepared" not in names:
            item.add_marker(no_database)


def on_postgresql():
    return _chosen["database"] == "postgresql"


def _test_app(tmp_path, url):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "DATABASE_URL": url,
            "SESSION_COOKIE_SECURE": False,
            "WTF_CSRF_ENABLED": False,
            "BASE_URL": "http://localhost",
        }
    )


class SqliteCopies:
    """The prepared database is one file; a test's copy is a copy of the file."""

    def __init__(self, folder):
        self.file = folder / "test.db"
        self.url = f"sqlite:///{self.file}"

    def copy(self, tmp_path):
        shutil.copyfile(self.file, tmp_path / "test.db")
        return f"sqlite:///{tmp_path / 'test.db'}"

    def discard(self):
        pass

    def close(self):
        pass


@pytest.fixture(scope="session")
def prepared(tmp_path_factory):
    """The lists, the organisation and the personas, built once a run (init_db's migrations and
    ANALYZE took most of each test's set-up); every test works on a copy of its own."""
    folder = tmp_path_factory.mktemp("prepared")
    server = None
    if not on_postgresql():
        copies = SqliteCopies(folder)
    else:
        from helpers_postgresql import PostgresqlCopies, Server

        if not TEST_DATABASE_URL:
            server = Server()
        copies = PostgresqlCopies(TEST_DATABASE_URL or server.url)
    copies.made_at = _prepare(_test_app(folder, copies.url))
    if on_postgresql():
        from cervis import migrations
        from cervis.models import ALL

        copies.seal([m._meta.table_name for m in peewee.sort_models(ALL + [migrations.SchemaVersion])])
    yield copies
    copies.close()
    if server:
        server.stop()


def _prepare(app):
    made_at = utcnow()
    with app.app_context():
        init_db()
        with database.connection_context():
            org = Organisation.current()
            org.name, org.short_name = "Wycombe Example Connection", "WHC"
            org.contact_email, org.contact_phone = "help@example.org", "01234 567890"
            org.save()
            _personas()
            if is_sqlite():  # everything in the one file that is copied, nothing left in the WAL
                database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return made_at


def _moved_on(since):
    """The prepared rows were made at `since`: their times move on to now, as if made for this test
    (a temporary password made an hour before the test would have expired)."""
    delta = utcnow() - since
    with database.atomic():
        for model in (User, Membership, Profile):
            fields = [f for f in model._meta.sorted_fields if isinstance(f, peewee.DateTimeField)]
            for row in model.select():
                for field in fields:
                    if getattr(row, field.name) is not None:
                        setattr(row, field.name, getattr(row, field.name) + delta)
                row.save(only=fields)


@pytest.fixture
def app(tmp_path, prepared):
    app = _test_app(tmp_path, prepared.copy(tmp_path))
    with app.app_context(), database.connection_context():
        _moved_on(prepared.made_at)
    yield app
    prepared.discard()


def _user(email, first, last, **kw):
    kw.setdefault("password_hash", hashed(PASSWORD))
    kw.setdefault("verified_generation", 1)
    return User.create(email=email, first_name=first, last_name=last, **kw)


def _personas():
    north = Group.create(name="Northside", address="1 North Street")
    south = Group.create(name="Southside", address="2 South Street")
    for group in (north, south):
        for i, (name, cap) in enumerate([("Cook", 1), ("Reserve", 2), ("Shift Asst", 2), ("SL", 1)]):
            Role.create(
                group=group,
                name=name,
                default_capacity=cap,
                position=i,
                is_reserve=name == "Reserve",
                is_shift_leader=name == "SL",
            )
    vera = _user("vera@example.org", "Vera", "Volunteer")
    leo = _user("leo@example.org", "Leo", "Leader")
    olga = _user("olga@example.org", "Olga", "Otherleader")
    _user("ada@example.org", "Ada", "Admin", is_admin=True)
    sam = _user("sam@example.org", "Sam", "Southsider")
    _user(
        "nia@example.org",
        "Nia",
        "Newcomer",
        password_hash=None,
        verified_generation=0,
        temp_password_hash=hashed(TEMP),
        temp_password_expires=utcnow() + timedelta(hours=1),
    )
    Membership.create(user=vera, group=north)
    Membership.create(user=leo, group=north, is_leader=True)
    Membership.create(user=olga, group=south, is_leader=True)
    Membership.create(user=sam, group=south)
    for person in (vera, leo, olga, sam):
        Profile.create(user=person, mobile="07700 900000", postcode="HP11 1AA")


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def db(app):
    """The database, for arranging and checking inside a test."""
    with app.app_context():
        with database.connection_context():
            yield database


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, email="vera@example.org", password=PASSWORD, **extra):
        return self.client.post("/login", data={"email": email, "password": password, **extra})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


def emails_to(address, kind=None):
    query = Email.select().where(Email.to_addr == address)
    if kind:
        query = query.where(Email.kind == kind)
    return list(query.order_by(Email.id))


def temp_password_in(email):
    return re.search(r"Temporary password: (\S+)", email.body_text).group(1)


# The browser: a live server on 127.0.0.1 and Debian's Chromium driven by Playwright.
CHROMIUM = os.environ.get("CERVIS_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]


@contextlib.contextmanager
def serving(app, ports=(0,)):
    """The app on 127.0.0.1, on the first of `ports` that is free (0: any), until the block ends."""
    for port in ports:
        try:
            server = make_server("127.0.0.1", port, app, threaded=True)
            break
        except (OSError, SystemExit):  # werkzeug exits, not raises, when the port is taken
            continue
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


@pytest.fixture
def live_server(app):
    with serving(app) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: the README's test command installs Debian's chromium.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


def log_in(page, email="vera@example.org", password=PASSWORD):
    """Log in through the browser's log-in page, and wait until it has moved on."""
    page.goto("/login")
    page.get_by_label("E-mail Address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in with E-mail").click()
    page.wait_for_url(lambda url: "/login" not in url)


@pytest.fixture
def phone(browser, live_server):
    """A page the size of a cheap phone (360 x 740)."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server)
    page = context.new_page()
    yield page
    context.close()
