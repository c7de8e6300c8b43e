"""Leader Home: each group's coming opportunities, and what needs the leader's attention first."""

import re
from datetime import timedelta

from helpers_leader import HTMX, LEO, ADA, offer, person, slot_in

from cervis.db import utcnow
from cervis.models import CANCELLED, REGISTERED, User
from cervis.timeutil import to_local


def _cancelled(volunteer, slot, reason, ago=timedelta(hours=1), by=None):
    return offer(
        volunteer,
        slot,
        status=CANCELLED,
        cancel_reason=reason,
        cancelled_at=utcnow() - ago,
        cancelled_by=by or volunteer,
    )


def test_leader_home_lists_each_group_with_its_coming_opportunities(auth, client, db):
    slot_in(timedelta(days=10), opportunity="Night Shelter")
    slot_in(timedelta(weeks=10), opportunity="Spring Shelter")  # beyond the next 8 weeks
    slot_in(timedelta(days=10), group_name="Southside", opportunity="Soup Run")
    auth.login(LEO)
    page = client.get("/leader/").get_data(as_text=True)
    assert "Northside" in page and "Northside Night Shelter" in page
    assert "Spring Shelter" not in page
    assert "Southside" not in page and "Soup Run" not in page


def test_leader_home_links_to_the_volunteer_portal(auth, client, db):
    auth.login(LEO)
    page = client.get("/leader/").get_data(as_text=True)
    assert 'href="/portal/"' in page and "Volunteer Portal Home" in page


def test_administrator_sees_every_group_on_leader_home(auth, client, db):
    slot_in(timedelta(days=10), group_name="Southside", opportunity="Soup Run")
    auth.login(ADA)
    page = client.get("/leader/").get_data(as_text=True)
    assert "Northside" in page and "Southside Soup Run" in page


def test_offers_waiting_for_a_decision_are_counted_and_link_to_the_rota_board(auth, client, db):
    vera = person("vera@example.org")
    future = slot_in(timedelta(days=20))
    offer(vera, future)
    offer(User.create(email="bea@example.org", first_name="Bea", last_name="B"), slot_in(timedelta(days=20), "Reserve"))
    offer(vera, slot_in(-timedelta(days=2), "Shift Asst"))  # already past: no longer waiting
    month = f"{to_local(future.starts_at):%Y-%m}"
    auth.login(LEO)
    page = client.get("/leader/").get_data(as_text=True)
    assert "Offers waiting for a decision: 2" in page
    link = f'href="/leader/opportunities/{future.opportunity_id}/rota?month={month}">2</a>'
    assert link in page


def test_counts_link_to_the_opportunity_list_while_there_is_no_rota_board(app, auth, client, db):
    offer(person("vera@example.org"), slot_in(timedelta(days=20)))
    app.view_functions.pop("leader.rota")
    auth.login(LEO)
    page = client.get("/leader/").get_data(as_text=True)
    assert 'href="/leader/opportunities">1</a>' in page


def test_slots_below_capacity_in_the_next_14_days_are_listed(auth, client, db):
    short = slot_in(timedelta(days=3), "Shift Asst")  # capacity 2
    offer(person("vera@example.org"), short, status=REGISTERED)
    full = slot_in(timedelta(days=3), "Cook")  # capacity 1
    offer(person("leo@example.org"), full, status=REGISTERED)
    slot_in(timedelta(days=20), "Reserve")  # short, but not in the next 14 days
    auth.login(LEO)
    page = client.get("/leader/").get_data(as_text=True)
    assert "Slots below capacity in the next 14 days: 1" in page
    assert ">1 of 2</a>" in page
    assert "1 of 1" not in page


def test_cancellations_since_the_leader_last_looked_show_with_their_reasons(auth, client, db):
    vera = person("vera@example.org")
    _cancelled(vera, slot_in(timedelta(days=5)), "My car broke down")
    auth.login(LEO)
    page = client.get("/leader/").get_data(as_text=True)
    assert "Cancellations since you last looked" in page
    assert "Vera Volunteer" in page and "My car broke down" in page
    assert re.search(r'id="cancelled-count">1<', page)


def test_a_cancellation_shows_its_shift_group_and_who_cancelled_it(auth, client, db):
    shift = slot_in(timedelta(days=5), "Cook", opportunity="Winter Shelter")
    _cancelled(person("vera@example.org"), shift, "", by=person(LEO))
    auth.login(LEO)
    page = client.get("/leader/").get_data(as_text=True)
    row = re.search(r'<td data-label="Volunteer">Vera Volunteer</td>.*?</tr>', page, re.S).group(0)
    with client.application.test_request_context():
        from cervis.timeutil import slot_when

        assert slot_when(shift.starts_at, shift.ends_at) in row
    assert "Winter Shelter · Cook" in row and ">Northside<" in row and "No reason given" in row
    assert f"by {person(LEO).name}" in row


def test_mark_as_seen_hides_those_cancellations_but_not_later_ones(auth, client, db):
    vera = person("vera@example.org")
    _cancelled(vera, slot_in(timedelta(days=5)), "My car broke down")
    auth.login(LEO)
    response = client.post("/leader/seen", data={"looked_at": utcnow().isoformat()})
    assert response.status_code == 303
    assert person(LEO).leader_seen_at is not None
    page = client.get("/leader/").get_data(as_text=True)
    assert "My car broke down" not in page and "No cancellations." in page
    _cancelled(vera, slot_in(timedelta(days=6), "Reserve"), "Feeling unwell", ago=timedelta(seconds=-1))
    assert "Feeling unwell" in client.get("/leader/").get_data(as_text=True)


def test_mark_as_seen_with_htmx_answers_with_the_emptied_list_and_a_banner(auth, client, db):
    _cancelled(person("vera@example.org"), slot_in(timedelta(days=5)), "My car broke down")
    auth.login(LEO)
    response = client.post("/leader/seen", data={"looked_at": utcnow().isoformat()}, headers=HTMX)
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="cancellations"' in fragment and "<html" not in fragment
    assert "The cancellations are marked as seen." in fragment
    assert "My car broke down" not in fragment


def test_cancellations_in_another_leaders_group_are_not_shown(auth, client, db):
    _cancelled(person("sam@example.org"), slot_in(timedelta(days=5), group_name="Southside"), "Away that week")
    auth.login(LEO)
    assert "Away that week" not in client.get("/leader/").get_data(as_text=True)


def test_a_volunteer_cannot_open_leader_home(auth, client, db):
    auth.login()
    assert client.get("/leader/").status_code == 403
    assert client.post("/leader/seen").status_code == 403


def test_leader_home_reads_no_further_back_than_a_month_of_cancellations(auth, client, db):
    from helpers_leader import slot_in as _slot

    vera = User.by_email("vera@example.org")
    leo = User.by_email("leo@example.org")
    leo.leader_seen_at = utcnow() - timedelta(days=400)  # last looked more than a year ago
    leo.save()
    _cancelled(vera, _slot(timedelta(days=3)), "Long ago", ago=timedelta(days=60))
    _cancelled(vera, _slot(timedelta(days=4)), "Last week", ago=timedelta(days=7))
    auth.login(LEO)
    page = client.get("/leader/").get_data(as_text=True)
    assert "Last week" in page and "Long ago" not in page


def test_existing_databases_get_the_rota_indexes_on_init_db(app, db):
    from cervis import migrations
    from cervis.db import database
    from cervis.migrations import init_db

    def names():
        return {i.name for table in ("registration", "slot") for i in database.get_indexes(table)}

    wanted = {"registration_cancelled_at", "registration_slot_id_status_volunteer_id", "slot_opportunity_id_starts_at"}
    assert wanted <= names()  # a fresh database is made with them
    for name in wanted:
        database.execute_sql(f"DROP INDEX {name}")
    migrations.SchemaVersion.update(version=0).execute()  # as a database made before them
    migrations.apply()
    assert wanted <= names()
    init_db()  # and again on every start: nothing breaks
    assert wanted <= names()
