"""What a cheap phone on poor mobile data downloads, and what a Raspberry Pi spends: compressed
pages, static files cached for a year under names that change with them, a favicon, a session
cookie sent only when it changes, argon2id hashes that fit a Pi, lists in pages."""

import gzip
import re
from datetime import timedelta
from pathlib import Path

import brotli
from argon2 import PasswordHasher
from conftest import PASSWORD

from cervis import create_app, passwords
from cervis.db import utcnow
from cervis.models import REGISTERED, Group, Opportunity, Registration, Role, Slot, User

BROWSER = {"Accept-Encoding": "gzip, deflate, br"}


def test_pages_are_compressed_as_the_browser_accepts(auth, client):
    auth.login()
    for accepts, decode in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        response = client.get("/portal/", headers={"Accept-Encoding": accepts})
        assert response.headers["Content-Encoding"] == accepts
        assert "Accept-Encoding" in response.headers["Vary"]
        assert "Volunteer Portal" in decode(response.get_data()).decode()
    assert "Content-Encoding" not in client.get("/portal/").headers  # asked for nothing: plain


def test_static_files_have_names_that_change_with_them_and_are_kept_a_year(client):
    page = client.get("/login", headers=BROWSER).get_data()
    html = brotli.decompress(page).decode()
    names = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert len(names) >= 4  # stylesheet, htmx, our script, the favicon
    for name in names:
        assert re.search(r"\.[0-9a-f]{10}\.(css|js|svg|png)$", name), name
        response = client.get(name, headers=BROWSER)
        assert response.status_code == 200
        assert (
            "immutable" in response.headers["Cache-Control"] and "max-age=31536000" in response.headers["Cache-Control"]
        )
        if name.endswith((".css", ".js")):
            assert response.headers["Content-Encoding"] == "br"
        response.close()
    plain = client.get("/static/cervis.css")  # the unhashed name still works, without the long cache
    assert plain.status_code == 200 and "immutable" not in plain.headers.get("Cache-Control", "")
    plain.close()


def test_htmx_and_the_stylesheet_are_sent_compressed_at_the_highest_level(app, client):
    page = brotli.decompress(client.get("/login", headers=BROWSER).get_data()).decode()
    for name in re.findall(r'(?:href|src)="(/static/(?:htmx[^"]+\.js|cervis[^"]+\.css))"', page):
        whole = (Path(app.static_folder) / re.sub(r"\.[0-9a-f]{10}\.", ".", name.rsplit("/", 1)[1])).read_bytes()
        # flask-compress's own levels (Brotli 4, gzip 6) suit pages made afresh; these are made once.
        for accepts, decode, smallest, usual in (
            ("br", brotli.decompress, brotli.compress(whole, quality=11), brotli.compress(whole, quality=4)),
            ("gzip", gzip.decompress, gzip.compress(whole, 9, mtime=0), gzip.compress(whole, 6, mtime=0)),
        ):
            response = client.get(name, headers={"Accept-Encoding": accepts})
            sent = response.get_data()
            assert response.headers["Content-Encoding"] == accepts and decode(sent) == whole
            assert len(sent) == len(smallest) <= len(usual)
            assert accepts in response.headers["ETag"] and "Accept-Encoding" in response.headers["Vary"]
            response.close()
        refused = client.get(name, headers={"Accept-Encoding": "br;q=0.0, gzip"})  # quality 0: not Brotli
        assert refused.headers["Content-Encoding"] == "gzip"
        refused.close()


def test_there_is_a_favicon(client):
    assert 'rel="icon"' in client.get("/login").get_data(as_text=True)
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/vnd.microsoft.icon"
    icon.close()


def test_the_session_cookie_is_sent_again_only_when_it_changes(auth, client):
    auth.login()
    client.get("/portal/")
    again = client.get("/portal/")
    assert again.status_code == 200 and "Set-Cookie" not in again.headers


def test_the_bench_floor_exists_only_when_the_benchmark_asks(app, client, tmp_path):
    assert client.get("/_bench/floor").status_code == 404
    bench = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "INSTANCE_PATH": str(tmp_path / "b"),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'b.db'}",
            "BENCH_FLOOR": True,
        }
    )
    assert bench.test_client().get("/_bench/floor").get_data() == b"ok"


def test_an_old_password_hash_is_upgraded_at_the_next_log_in(auth, db):
    vera = User.get(User.email == "vera@example.org")
    vera.password_hash = PasswordHasher().hash(PASSWORD)  # argon2-cffi's 64 MiB default
    vera.save()
    assert auth.login().status_code == 303
    stored = User.get_by_id(vera.id).password_hash
    assert stored.startswith("$argon2id$") and "m=7168,t=5,p=1" in stored
    assert not passwords.needs_rehash(stored) and passwords.verify_password(stored, PASSWORD)


def _offers(volunteer, nights):
    group = Group.get(Group.name == "Northside")
    opportunity = Opportunity.create(group=group, name="Night Shelter")
    role = Role.get(Role.group == group, Role.name == "Shift Asst")
    start = utcnow().replace(hour=18, minute=0, second=0, microsecond=0)
    for n in range(1, nights + 1):
        slot = Slot.create(
            opportunity=opportunity,
            role=role,
            starts_at=start + timedelta(days=n),
            ends_at=start + timedelta(days=n, hours=3),
            capacity=2,
        )
        Registration.create(volunteer=volunteer, slot=slot, status=REGISTERED)
    return opportunity


def test_view_or_cancel_shows_fifty_at_a_time(auth, client, db):
    _offers(User.get(User.email == "vera@example.org"), 60)
    auth.login()
    first = client.get("/portal/registrations").get_data(as_text=True)
    assert first.count('name="registration"') == 50 and "?page=2" in first
    second = client.get("/portal/registrations?page=2").get_data(as_text=True)
    assert second.count('name="registration"') == 10 and "?page=3" not in second


def test_history_shows_fifty_at_a_time_and_counts_everything(auth, client, db):
    opportunity = _offers(User.get(User.email == "vera@example.org"), 0)
    role = Role.get(Role.group == opportunity.group, Role.name == "Cook")
    start = utcnow().replace(hour=18, minute=0, second=0, microsecond=0) - timedelta(days=61)
    for n in range(60):
        slot = Slot.create(
            opportunity=opportunity,
            role=role,
            starts_at=start + timedelta(days=n),
            ends_at=start + timedelta(days=n, hours=3),
            capacity=1,
        )
        Registration.create(volunteer=User.get(User.email == "vera@example.org"), slot=slot, status=REGISTERED)
    auth.login()
    first = client.get("/portal/history").get_data(as_text=True)
    assert first.count('<td class="num">') == 50 and "<strong>60</strong> Activities" in first
    assert "<strong>180</strong> Hours" in first and "?page=2" in first
    second = client.get("/portal/history?page=2").get_data(as_text=True)
    assert second.count('<td class="num">') == 10 and "?page=3" not in second
