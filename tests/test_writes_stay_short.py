"""A write transaction holds every other writer waiting (issue 22: under 100 ms at the benchmark's
scale): what can be done before the write lock is taken is done before it, and what the lock
decides is still read again under it."""

from datetime import date, timedelta

from helpers_rota import LEO, MONTH, member, night, offer, opportunity, user
from helpers_write_lock import holds_write_lock, rendered_under_the_lock

from cervis import calendars, complete_rota, rota
from cervis.models import REGISTERED, Email, Registration, Slot
from cervis.timeutil import slot_when


def complete(opp=None):
    return complete_rota.complete_rota(opp or opportunity(), date.fromisoformat(f"{MONTH}-01"), user(LEO))


def not_required_emails():
    return {e.to_addr: e for e in Email.select().where(Email.kind == "not-required")}


def test_complete_rota_writes_its_not_required_emails_before_it_takes_the_write_lock(db, monkeypatch):
    offer(user("vera@example.org"), night(5))
    offer(member("Bea"), night(12, "Cook"))
    rendered = rendered_under_the_lock(monkeypatch)
    result = complete()
    assert result.emails == 2 and rendered == [False, False]
    assert set(not_required_emails()) == {"vera@example.org", "bea@example.org"}


def test_an_offer_that_changes_while_complete_rota_writes_its_emails_is_told_as_the_lock_finds_it(db, monkeypatch):
    """Bea is accepted and Cal offers between the emails being written and the write lock: Bea is
    told nothing, Cal is told, and Vera's email is the one written first."""
    vera, bea = user("vera@example.org"), member("Bea")
    offer(vera, night(5))
    beas = offer(bea, night(12, "Cook"))
    real = complete_rota.write_transaction

    def meanwhile():
        beas.status = REGISTERED  # as an Accept at that moment leaves it
        beas.save()
        offer(member("Cal"), night(19, "Cook"))
        return real()

    monkeypatch.setattr(complete_rota, "write_transaction", meanwhile)
    rendered = rendered_under_the_lock(monkeypatch)
    result = complete()
    sent = not_required_emails()
    assert result.not_required == 2 and set(sent) == {"vera@example.org", "cal@example.org"}
    assert "Cook" in sent["cal@example.org"].body_text
    assert rendered == [False, False, True]  # Vera and Bea before the lock; only Cal's under it
    assert Registration.get_by_id(beas.id).status == REGISTERED


def test_accept_writes_the_confirmation_and_its_calendar_before_it_takes_the_write_lock(db, monkeypatch):
    reg = offer(user("vera@example.org"), night(5))
    rendered = rendered_under_the_lock(monkeypatch)
    made, real = [], calendars.invitation
    monkeypatch.setattr(calendars, "invitation", lambda *a, **k: made.append(holds_write_lock()) or real(*a, **k))
    rota.accept(reg.id, user(LEO))
    email = Email.get(Email.kind == "confirmation")
    assert rendered == [False] and made == [False]
    ics = email.attachments.get().content
    assert "SEQUENCE:1" in ics and "Shift Asst" in ics and email.to_addr == "vera@example.org"


def test_a_shift_that_moves_while_accept_writes_the_confirmation_is_confirmed_as_the_lock_finds_it(db, monkeypatch):
    slot = night(5, start=18)
    reg = offer(user("vera@example.org"), slot)
    later = slot.starts_at + timedelta(hours=1), slot.ends_at + timedelta(hours=1)
    real = rota.write_transaction

    def meanwhile():
        Slot.update(starts_at=later[0], ends_at=later[1]).where(Slot.id == slot.id).execute()
        return real()

    monkeypatch.setattr(rota, "write_transaction", meanwhile)
    rendered = rendered_under_the_lock(monkeypatch)
    rota.accept(reg.id, user(LEO))
    email = Email.get(Email.kind == "confirmation")
    assert rendered == [False, True]
    assert slot_when(*later) in email.body_text and slot_when(slot.starts_at, slot.ends_at) not in email.body_text
    assert Email.select().count() == 1 and email.attachments.count() == 1


def test_a_log_in_that_upgrades_an_old_password_hash_makes_it_before_the_write_lock(client, auth, monkeypatch):
    """A hash takes a Pi most of a second: made under the lock, every offer and page write waits."""
    from argon2 import PasswordHasher

    from cervis import passwords
    from cervis.db import write_transaction
    from cervis.models import User
    from conftest import PASSWORD

    with write_transaction():
        User.update(password_hash=PasswordHasher(time_cost=1, memory_cost=1024).hash(PASSWORD)).where(
            User.email == "vera@example.org"
        ).execute()
    hashed_under_the_lock, real = [], passwords.hash_password

    def watched(password):
        hashed_under_the_lock.append(holds_write_lock())
        return real(password)

    monkeypatch.setattr(passwords, "hash_password", watched)
    assert auth.login().status_code == 303
    assert hashed_under_the_lock == [False]
    stored = User.get(User.email == "vera@example.org").password_hash
    assert not passwords.needs_rehash(stored) and passwords.verify_password(stored, PASSWORD)
