"""An absolute session lifetime: however busy a session is kept, it ends a set number of hours
after logging in (12 by default, an organisation setting), enforced on the server."""

import peewee
import pytest
from playhouse.migrate import SqliteMigrator, migrate

from cervis import migrations
from cervis.auth import session as auth_module
from cervis.db import database
from cervis.models import Organisation
from conftest import on_postgresql
from helpers_settings import settings


class Clock:
    def __init__(self):
        self.now = 1_800_000_000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    stopped = Clock()
    monkeypatch.setattr(auth_module, "_clock", stopped)
    return stopped


def _busy_until(client, clock, hours, url="/portal/"):
    """A request every 20 minutes, so the idle timeout never ends the session."""
    for _ in range(int(hours * 3)):
        clock.now += 20 * 60
        assert client.get(url).status_code == 200


def test_a_session_kept_busy_ends_twelve_hours_after_logging_in(auth, client, clock):
    auth.login()
    _busy_until(client, clock, 12)
    clock.now += 60
    response = client.get("/portal/")
    assert response.status_code == 303 and response.headers["Location"].endswith("/login")
    assert "signed out because you have been signed in for 12 hours" in client.get("/login").get_data(as_text=True)
    assert client.get("/portal/").status_code in (302, 303)  # over, not only redirected once


def test_htmx_requests_of_an_old_session_are_sent_to_log_in(auth, client, clock):
    auth.login()
    _busy_until(client, clock, 12)
    clock.now += 60
    assert client.get("/portal/", headers={"HX-Request": "true"}).headers["HX-Redirect"] == "/login"


def test_logging_in_again_starts_a_new_lifetime(auth, client, clock):
    auth.login()
    _busy_until(client, clock, 11)
    auth.logout()
    auth.login()
    _busy_until(client, clock, 2)  # 13 hours after the first log-in, 2 after this one


def test_administrators_set_the_session_lifetime(auth, client, db, clock):
    auth.login("ada@example.org")
    page = client.get("/admin/settings").get_data(as_text=True)
    assert "Session lifetime (hours)" in page and 'value="12"' in page
    for hours in ("0", "169", "abc", ""):
        response = client.post("/admin/settings", data=settings(session_lifetime=hours))
        assert response.status_code == 400
        assert "Please enter a number of hours between 1 and 168." in response.get_data(as_text=True)
    assert client.post("/admin/settings", data=settings(session_lifetime="2")).status_code == 303
    assert Organisation.current().session_lifetime == 2
    _busy_until(client, clock, 2, "/admin/")
    clock.now += 60
    assert client.get("/admin/").status_code == 303


@pytest.mark.skipif(on_postgresql(), reason="the SQLite file of an older release")
def test_an_older_database_gains_the_session_lifetime_at_twelve_hours(app, db):
    migrate(SqliteMigrator(database).drop_column("organisation", "session_lifetime"))
    migrations.SchemaVersion.update(version=0).execute()
    migrations.apply()
    assert Organisation.current().session_lifetime == 12
    assert migrations.SchemaVersion.get().version == len(migrations.MIGRATIONS)
    with pytest.raises(peewee.IntegrityError):
        Organisation.update(session_lifetime=None).execute()
