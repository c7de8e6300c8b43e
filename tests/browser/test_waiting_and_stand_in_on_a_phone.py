"""On a phone (360 x 740): Vera joins a Full slot's waiting list and takes the freed place from the
e-mail's link; then she finds a stand-in for another shift, and Mo takes it from his e-mail."""

from datetime import timedelta

import pytest
from conftest import emails_to, log_in, serving
from helpers_accessibility import Audit
from helpers_cover import tomorrows_rota
from helpers_waiting import full_cook, link_in

from cervis import cancellation
from cervis.db import database, utcnow
from cervis.models import REGISTERED, Opportunity, Registration, User


@pytest.fixture
def live_server(app):
    with serving(app, ports=range(19600, 19700)) as url:  # this helper's own port range
        yield url


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def checked(audit, name):
    """Axe, the Tab key and the width, on the page as it is now; True, so it reads as an assertion."""
    audit.check(name)
    return fits(audit.page)


def test_join_a_waiting_list_take_the_freed_place_then_find_a_stand_in_who_takes_it(app, phone):
    audit = Audit(phone, 360)
    with app.app_context(), database.connection_context():
        cook, [held] = full_cook(holder="Ned")
        Opportunity.update(live_from=utcnow() - timedelta(days=1)).execute()
        vera_id, opp_id = User.by_email("vera@example.org").id, cook.opportunity_id
    log_in(phone)
    phone.goto(f"/portal/signup/slots?volunteer={vera_id}&opportunity={opp_id}")
    phone.get_by_label("Join Waiting List", exact=False).first.check()
    assert checked(audit, "the slot table with Join Waiting List")
    phone.get_by_role("button", name="Register").click()
    phone.get_by_text("You are on the waiting list").first.wait_for()
    phone.goto("/portal/registrations")
    assert phone.get_by_text("Number 1 on the waiting list").is_visible() and checked(audit, "View or Cancel")

    with app.app_context(), database.connection_context():
        cancellation.cancel([held.id], by=held.volunteer)  # Ned cannot come after all
        take = link_in(emails_to("vera@example.org", "waiting-offer")[0], "waiting")
    phone.goto(take)
    assert checked(audit, "Take this place")
    phone.get_by_role("button", name="Take this place").click()
    phone.get_by_text("the place is yours").wait_for()
    assert fits(phone)

    with app.app_context(), database.connection_context():
        night, place = tomorrows_rota(starts_in=timedelta(days=3))
        assert Registration.get_by_id(place.id).status == REGISTERED
    phone.goto(f"/portal/registrations/{place.id}/stand-in")
    assert checked(audit, "Find a Stand-in")
    phone.get_by_role("button", name="Find a Stand-in").click()
    phone.get_by_text("Your stand-in request has gone to").wait_for()
    assert fits(phone)

    phone.context.clear_cookies()  # Mo, from his e-mail, without logging in
    with app.app_context(), database.connection_context():
        mine = link_in(emails_to("mo@example.org", "stand-in-ask")[0], "stand-in/take")
    phone.goto(mine)
    assert checked(audit, "I'll take it")
    phone.get_by_role("button", name="I'll take it").click()
    phone.get_by_text("the place is yours").wait_for()
    assert fits(phone)
    with app.app_context(), database.connection_context():
        holders = Registration.select().where(Registration.slot == night, Registration.status == REGISTERED)
        assert [r.volunteer.first_name for r in holders] == ["Mo"]
    audit.assert_clean()
