"""Places whose training will have lapsed are found in the database: the page (Leader Home, the rota
board, an Accept's answer, the weekly digest) reads the few lapsed places, not every place of the
months it covers (issue 16's speed), and still counts training as valid through its last local day."""

from datetime import date

import pytest
from helpers_qualifications import SAFEGUARDING, SL_TRAINING, grant, lee, person, quinn, sl_needs_training
from helpers_rota import YEAR, night, offer

from cervis import eligibility
from cervis.models import REGISTERED, Slot


@pytest.fixture
def asked(monkeypatch):
    """The volunteers whose training eligibility() was asked about."""
    seen, real = set(), eligibility.eligibility

    def spy(volunteers, role_ids):
        seen.update(volunteers)
        return real(volunteers, role_ids)

    monkeypatch.setattr(eligibility, "eligibility", spy)
    return seen


def test_only_the_places_that_may_have_lapsed_are_read_and_checked(db, asked):
    sl_needs_training()
    for day in range(1, 13):
        offer(quinn() if day == 1 else _qualified(f"Q{day:02}"), night(day, "SL"), status=REGISTERED)
    lapsing = lee(lapses_on=date(YEAR, 2, 10))
    held = offer(lapsing, night(12, "SL", start=21), status=REGISTERED)
    places = eligibility.lapsed_places(Slot.select(Slot.id))
    assert [(p.registration_id, p.missing) for p in places] == [(held.id, [SL_TRAINING])]
    assert asked == {lapsing.id}


def test_training_is_valid_through_its_last_local_day_even_when_the_slot_starts_the_evening_before_in_utc(db):
    sl_needs_training()
    # 00:00 on July 10th in London is 23:00 on July 9th in UTC.
    midnight = night(10, "SL", start=0, month=7, capacity=2)
    last_day, day_before = lee(lapses_on=date(YEAR, 7, 10)), _qualified("Early", lapses_on=date(YEAR, 7, 9))
    offer(last_day, midnight, status=REGISTERED)
    lapsed = offer(day_before, midnight, status=REGISTERED)
    assert [p.registration_id for p in eligibility.lapsed_places(Slot.select(Slot.id))] == [lapsed.id]


def _qualified(first, lapses_on=None):
    user = person(first)
    grant(user, SL_TRAINING, expires_on=lapses_on)
    grant(user, SAFEGUARDING)
    return user
