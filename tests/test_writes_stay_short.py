"""A write transaction holds every other writer waiting (issue 22: under 100 ms at the benchmark's
scale): what can be done before the write lock is taken is done before it, and what the lock
decides is still read again under it."""
from datetime import date

from helpers_rota import LEO, MONTH, member, night, offer, opportunity, user
from helpers_write_lock import rendered_under_the_lock

from cervis import complete_rota
from cervis.models import REGISTERED, Email, Registration


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
