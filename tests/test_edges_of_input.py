"""The ends of every range a link can carry: dates at the ends of the calendar and ids no database
column holds (0, negative, past 2^63, 10^30). Each gets "not found" or a clear page, never a 500."""

from datetime import timedelta

import pytest
from helpers_leader import LEO, slot_in
from itsdangerous import URLSafeSerializer, URLSafeTimedSerializer

from cervis import signed_links
from cervis.models import Group, User

FAR_DAYS = ("9999-12-31", "0001-01-01")
OUT_OF_RANGE = (10**30, 2**63, -1, 0)


@pytest.fixture
def night(db):
    return slot_in(timedelta(days=3)).opportunity


@pytest.mark.parametrize("day", FAR_DAYS)
def test_who_came_on_a_day_at_the_end_of_the_calendar_is_not_found(auth, client, night, day):
    auth.login()  # any volunteer may ask for it: the page decides who may record
    assert client.get(f"/leader/opportunities/{night.id}/attendance/{day}").status_code == 404
    auth.logout()
    auth.login(LEO)
    assert client.get(f"/leader/opportunities/{night.id}/attendance/{day}").status_code == 404


@pytest.mark.parametrize("day", FAR_DAYS)
def test_a_message_to_a_day_at_the_end_of_the_calendar_is_not_found(auth, client, night, day):
    auth.login(LEO)
    assert client.get(f"/leader/opportunities/{night.id}/dates/{day}/message").status_code == 404


@pytest.mark.parametrize("day", FAR_DAYS)
def test_activity_history_between_the_ends_of_the_calendar_ignores_those_dates(auth, client, db, day):
    auth.login()
    for path in ("/portal/history", "/portal/history.csv"):
        assert client.get(path, query_string={"from": day, "to": day}).status_code == 200


def _signed(salt, value, timed=False):
    from flask import current_app

    kind = URLSafeTimedSerializer if timed else URLSafeSerializer
    return kind(current_app.secret_key, salt=salt).dumps(value)


def _links(number):
    """Every signed link, its token holding this id where a real one holds an id."""
    north = Group.get(Group.name == "Northside").id
    vera = User.by_email("vera@example.org").id
    return {
        "cancel": f"/portal/cancel/{_signed('cancel-registration', {'r': number})}",
        "cover": f"/portal/cover/{_signed('cover-ask', {'a': number})}",
        "ical": f"/portal/calendar/{_signed('ical-registration', number)}.ics",
        "feed": f"/portal/feed/{_signed('calendar-feed', [number, None, 0])}.ics",
        "leader's feed": f"/portal/feed/{_signed('calendar-feed', [vera, number, 0])}.ics",
        "unsubscribe": f"/unsubscribe/{_signed('one-click-unsubscribe', [vera, number])}",
        "unsubscribe's person": f"/unsubscribe/{_signed('one-click-unsubscribe', [number, north])}",
        "temporary password": f"/password/temporary/{_signed('temporary-password', {'u': number, 't': 'x'}, True)}",
    }


@pytest.mark.parametrize("number", OUT_OF_RANGE)
def test_a_signed_link_naming_an_id_no_database_holds_is_not_valid(client, db, number):
    answers = {name: client.get(path).status_code for name, path in _links(number).items()}
    assert answers == {**{name: 404 for name in answers}, "temporary password": 302}
    for path in (_links(number)["cancel"], _links(number)["cover"]):
        assert client.post(path).status_code in (400, 404)


def test_every_signed_link_goes_through_one_helper_that_refuses_ids_out_of_range(app, db):
    with app.test_request_context():
        for kind in signed_links.KINDS:
            for number in OUT_OF_RANGE:
                assert kind.read_id(kind.make({"id": number}), "id") is None
            assert kind.read_id(kind.make({"id": 7}), "id") == 7
        salts = [kind.salt for kind in signed_links.KINDS]
        assert len(salts) == len(set(salts)) == len(signed_links.KINDS) >= 8  # one use each: a token opens nothing else


@pytest.mark.parametrize("number", OUT_OF_RANGE[:2])
def test_an_id_in_a_page_address_past_what_a_database_holds_is_not_found(auth, client, db, number):
    auth.login(LEO)
    for path in (
        f"/leader/opportunities/{number}/slots",
        f"/leader/slots/{number}/panel",
        f"/leader/registrations/{number}/remove",
        f"/leader/volunteers/{number}",
    ):
        assert client.get(path).status_code == 404, path
