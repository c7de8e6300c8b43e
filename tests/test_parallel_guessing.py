"""Guesses sent all at once against a live server: each attempt is counted before it is checked,
so the limits hold however many arrive together (log-in per account and per address, password
reset, the current password on Change Password, private registration codes)."""

import threading
import time

from conftest import PASSWORD
from helpers_parallel import post_at_once, session_cookie

from cervis import offers
from cervis.auth import password_pages
from cervis.auth import session as auth_module
from cervis.models import Email, Opportunity, User
from cervis.volunteer import signup_find

AT_ONCE = 16


def _counting(monkeypatch, module, name):
    """Wrap module.name so each call is counted and slow (as a real hash is on a Pi): the window
    in which parallel guesses used to read the same count is then wide open."""
    real, calls, lock = getattr(module, name), [], threading.Lock()

    def wrapped(*args, **kwargs):
        with lock:
            calls.append(1)
        time.sleep(0.2)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapped)
    return calls


def test_parallel_guessing_checks_at_most_five_passwords_for_one_account(live_server, monkeypatch):
    checked = _counting(monkeypatch, auth_module, "_authenticate")
    codes = post_at_once(
        f"{live_server}/login", [{"email": "vera@example.org", "password": f"guess {n}"} for n in range(AT_ONCE)]
    )
    assert len(checked) <= auth_module.LOGIN_PER_ACCOUNT
    assert codes.count(429) == AT_ONCE - len(checked) and codes.count(401) == len(checked)


def test_parallel_guessing_from_one_address_is_limited_across_accounts(live_server, monkeypatch):
    monkeypatch.setattr(auth_module, "LOGIN_PER_ADDRESS", 4)
    checked = _counting(monkeypatch, auth_module, "_authenticate")
    codes = post_at_once(
        f"{live_server}/login", [{"email": f"someone{n}@example.org", "password": "guess"} for n in range(AT_ONCE)]
    )
    assert len(checked) <= 4 and codes.count(429) == AT_ONCE - len(checked)


def test_parallel_right_password_still_logs_in_and_gives_its_attempt_back(live_server, client, db):
    codes = post_at_once(f"{live_server}/login", [{"email": "vera@example.org", "password": PASSWORD}] * 3)
    assert codes == [303, 303, 303]
    assert client.post("/login", data={"email": "vera@example.org", "password": PASSWORD}).status_code == 303


def test_parallel_password_resets_send_at_most_three_temporary_passwords(live_server, db):
    codes = post_at_once(f"{live_server}/reset", [{"email": "vera@example.org", "first_name": "Vera"}] * AT_ONCE)
    sent = Email.select().where(Email.to_addr == "vera@example.org", Email.kind == "temporary-password").count()
    assert sent <= password_pages.RESET_PER_ACCOUNT
    assert codes.count(429) == AT_ONCE - password_pages.RESET_PER_ACCOUNT


def test_parallel_guessing_of_the_current_password_checks_at_most_five(live_server, client, monkeypatch):
    cookie = session_cookie(client)
    checked = _counting(monkeypatch, password_pages.passwords, "verify_password")
    forms = [
        {
            "current_password": f"guess {n}",
            "new_password": "a brand new phrase here",
            "confirm": "a brand new phrase here",
        }
        for n in range(AT_ONCE)
    ]
    codes = post_at_once(f"{live_server}/password", forms, cookie=cookie)
    assert len(checked) <= auth_module.LOGIN_PER_ACCOUNT
    assert codes.count(429) == AT_ONCE - len(checked)


def test_parallel_guessing_of_private_codes_checks_at_most_the_limit(live_server, client, db, monkeypatch):
    monkeypatch.setattr(signup_find, "CODE_TRIES", 4)
    cookie = session_cookie(client)
    vera = User.by_email("vera@example.org")
    checked = _counting(monkeypatch, offers, "unlock")
    codes = post_at_once(
        f"{live_server}/portal/signup/code",
        [{"volunteer": vera.id, "code": f"GUESS{n}"} for n in range(AT_ONCE)],
        cookie=cookie,
    )
    assert len(checked) <= 4 and codes.count(429) == AT_ONCE - len(checked)
    assert not Opportunity.select().exists()
