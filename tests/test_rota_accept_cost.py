"""An inline Accept asks who is qualified once under the lock and once for its answer (the slot's
people and its Reserve's Call Up list together), and checks lapsed training only for the cells it
sends back, not for the whole month (issue 16's speed: Accept within 20 ms at the benchmark's scale)."""

from datetime import date

import pytest
from helpers_qualifications import lee, sl_needs_training
from helpers_rota import LEO, act, member, night, offer

from cervis import eligibility
from cervis.models import REGISTERED


@pytest.fixture
def asked(monkeypatch):
    """How many times eligibility() was asked."""
    calls, real = [], eligibility.eligibility

    def spy(volunteers, role_ids):
        calls.append(set(role_ids))
        return real(volunteers, role_ids)

    monkeypatch.setattr(eligibility, "eligibility", spy)
    return calls


@pytest.mark.parametrize("lapsed_night", [12, 5])  # later in the month; in the cells sent back
def test_accept_asks_who_is_qualified_three_times_however_the_month_looks(auth, client, db, asked, lapsed_night):
    """Under the lock, for the answer's people, and for its cells' lapsed places, found or not (the
    same statements whatever the data: tests/test_bench_queries.py)."""
    sl_needs_training()
    offer(lee(lapses_on=date(2000, 1, 1)), night(lapsed_night, "SL"), status=REGISTERED)
    offer(member("Rhea"), night(5, "Reserve"), status=REGISTERED)  # her Call Up list names the night's slots
    pending = offer(member("Sid"), night(5, "Shift Asst"))
    auth.login(LEO)
    answer = act(client, "accept", pending, htmx=True)
    assert answer.status_code == 200 and "Accepted:" in answer.get_data(as_text=True)
    assert len(asked) == 3, asked
