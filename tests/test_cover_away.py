"""Cover never asks a volunteer who is away on the night of the place given up."""

from helpers_away import away_from
from helpers_cover import tomorrows_rota
from helpers_registrations import cancel

from cervis.models import CoverAsk, User
from cervis.timeutil import org_zone, to_local


def test_a_reserve_or_a_free_member_away_that_night_is_not_asked_to_cover(auth, client, db):
    cook, place = tomorrows_rota()
    night = to_local(cook.starts_at, org_zone()).date()
    away_from(User.by_email("rex@example.org"), night, night)
    away_from(User.by_email("mo@example.org"), night, night, "Visiting family")
    auth.login()
    cancel(client, place, confirm="1")
    assert [a.volunteer.first_name for a in CoverAsk.select().order_by(CoverAsk.id)] == ["Rae"]
