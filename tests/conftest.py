"""Personas and helpers. Vera volunteers at Northside, which Leo leads; Olga leads Southside;
Ada administers; Sam volunteers only at Southside; Nia is new (temporary password, no profile)."""
import os
import re
import shutil
import threading
from datetime import timedelta

import pytest
from werkzeug.serving import make_server

from cervis import create_app
from cervis import passwords
from cervis.db import database, init_db, utcnow
from cervis.models import Email, Group, Membership, Organisation, Profile, Role, User

PASSWORD = "correct horse battery staple"
TEMP = "TempPass2345abc"
_hashes = {}


def hashed(pw):
    if pw not in _hashes:
        _hashes[pw] = passwords.hash_password(pw)
    return _hashes[pw]


# e.g. postgresql://cervis:cervis@127.0.0.1/cervis_test: the suite then runs on that server
# (every table is dropped and made again for each test). Unset: an SQLite file per test.
TEST_DATABASE_URL = os.environ.get("CERVIS_TEST_DATABASE_URL")


def on_postgresql():
    return bool(TEST_DATABASE_URL) and TEST_DATABASE_URL.startswith("postgres")


def _clean_server_database():
    from cervis import migrations
    from cervis.models import ALL

    with database.connection_context():
        database.drop_tables(ALL + [migrations.SchemaVersion], cascade=True, safe=True)


@pytest.fixture
def app(tmp_path):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "DATABASE_URL": TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'test.db'}",
        "SESSION_COOKIE_SECURE": False,
        "WTF_CSRF_ENABLED": False,
        "BASE_URL": "http://localhost",
    })
    with app.app_context():
        if TEST_DATABASE_URL:
            _clean_server_database()
        init_db()
        database.connect(reuse_if_open=True)
        org = Organisation.current()
        org.name, org.short_name = "Wycombe Example Connection", "WHC"
        org.contact_email, org.contact_phone = "help@example.org", "01234 567890"
        org.save()
        _personas()
        database.close()
    yield app


def _user(email, first, last, **kw):
    kw.setdefault("password_hash", hashed(PASSWORD))
    kw.setdefault("verified_generation", 1)
    return User.create(email=email, first_name=first, last_name=last, **kw)


def _personas():
    north = Group.create(name="Northside", address="1 North Street")
    south = Group.create(name="Southside", address="2 South Street")
    for group in (north, south):
        for i, (name, cap) in enumerate([("Cook", 1), ("Reserve", 2), ("Shift Asst", 2), ("SL", 1)]):
            Role.create(group=group, name=name, default_capacity=cap, position=i,
                        is_reserve=name == "Reserve", is_shift_leader=name == "SL")
    vera = _user("vera@example.org", "Vera", "Volunteer")
    leo = _user("leo@example.org", "Leo", "Leader")
    olga = _user("olga@example.org", "Olga", "Otherleader")
    _user("ada@example.org", "Ada", "Admin", is_admin=True)
    sam = _user("sam@example.org", "Sam", "Southsider")
    _user("nia@example.org", "Nia", "Newcomer", password_hash=None, verified_generation=0,
          temp_password_hash=hashed(TEMP), temp_password_expires=utcnow() + timedelta(hours=1))
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
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync"]


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


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
