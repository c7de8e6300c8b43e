"""Tonight: every venue's night, tonight and tomorrow, for administrators and for leaders (their
groups only): places filled or short, the shift leader and Reserves with their phones, cover asked
or found, late cancellations, and "Who came?" still to do."""

from datetime import timedelta

import pytest
from flask_babel import Domain
from helpers_rota import ADA, LEO, OLGA, member, user
from helpers_rota import opportunity as shelter
from helpers_tonight import HTMX, NOW, local, on, page, section, shift, stop_clock, tonights_rota

from cervis.db import database
from cervis.models import Registration


@pytest.fixture
def clock(monkeypatch):
    return lambda now: stop_clock(monkeypatch, now)


@pytest.fixture
def statements(monkeypatch):
    """The SQL of each statement run from here on: a list that grows."""
    seen = []
    real = database.obj.execute_sql
    monkeypatch.setattr(database.obj, "execute_sql", lambda sql, *a, **k: seen.append(sql) or real(sql, *a, **k))
    return seen


def test_leo_sees_tonights_places_shift_leader_reserves_cover_and_late_cancellations(auth, client, db, clock):
    clock(NOW)
    cook, _ = tonights_rota()
    auth.login(LEO)
    text = page(client)
    tonight = section(text, 'Tonight <span class="hint">Tue, Feb 9', "Tomorrow")
    assert "<b>1 of 1</b> Full" in tonight  # Cook
    assert "<b>1 of 2</b> 1 short, 1 offer waiting" in tonight  # Shift Asst
    assert "7:00 PM to 8:00 AM" in tonight
    assert 'Shift leader: Sue Member, <a href="tel:07700900321">07700 900321</a>' in tonight
    assert 'Reserves: Rae Member, <a href="tel:07700900222">07700 900222</a>' in tonight
    assert "Cover found: Vera Volunteer took the Cook place at 9:00 PM" in tonight
    assert "Cover asked</strong> for the Shift Asst place at 9:00 AM: 2 asked, nobody yet" in tonight
    late = section(tonight, "Late cancellations", "</ul>")
    assert "Di Member (Shift Asst), Tue, Feb 9, 2027 9:00 AM" in late
    assert "Bo Member (Cook), Mon, Feb 8, 2027 8:00 PM" in late
    assert late.index("Di Member") < late.index("Bo Member")  # the latest first
    assert "Cy Member" not in text  # a week before: not late
    opp = shelter()
    board = f"/leader/opportunities/{opp.id}/rota?month=2027-02"
    assert f'href="{board}"' in tonight and f'href="{board}&amp;slot={cook.id}#slot-{cook.id}"' in tonight
    assert f'href="/leader/opportunities/{opp.id}/slots"' in tonight
    assert "Who came?" not in tonight  # under way: nobody can say yet


def test_tomorrow_shows_the_place_short_and_no_shift_leader_and_the_summary_counts_them(auth, client, db, clock):
    clock(NOW)
    tonights_rota()
    auth.login(LEO)
    text = page(client)
    tomorrow = section(text, 'Tomorrow <span class="hint">Wed, Feb 10')
    assert "<b>0 of 1</b> 1 short" in tomorrow and "No shift leader" in tomorrow
    summary = section(text, '<ul class="tonight-summary">', "</ul>")
    # Shift Asst's place; Rae's fellow Reserve's is no place short (a night goes ahead without its standby).
    assert '(Tue, Feb 9): <span class="tonight-short">1 place short</span></li>' in summary
    tomorrow_line = section(summary, "<strong>Tomorrow</strong>", "</li>")
    assert "1 place short" in tomorrow_line and "1 night without a shift leader" in tomorrow_line


def test_a_past_night_with_no_attendance_recorded_waits_for_who_came(auth, client, db, clock):
    clock(NOW)
    tonights_rota()
    auth.login(LEO)
    waiting = section(page(client), "“Who came?” still to do: ", "</p>")
    assert waiting == f'<a href="/leader/opportunities/{shelter().id}/attendance/2027-02-06">Sat, Feb 6</a>'


def test_the_morning_after_tonight_is_still_last_night_and_who_came_is_asked_once_it_is_over(auth, client, db, clock):
    clock(NOW)
    tonights_rota()
    clock(local(2027, 2, 10, 9))  # the night ended at 8 AM
    auth.login(LEO)
    text = page(client)
    tonight = section(text, 'Tonight <span class="hint">Tue, Feb 9', "Tomorrow")
    assert f'/leader/opportunities/{shelter().id}/attendance/2027-02-09">“Who came?”</a> still to do' in tonight
    clock(local(2027, 2, 10, 12))  # noon: tonight is the 10th
    assert 'Tonight <span class="hint">Wed, Feb 10' in page(client)


def test_leaders_see_only_their_own_groups_and_administrators_every_group(auth, client, db, clock):
    clock(NOW)
    tonights_rota()
    on(user("sam@example.org"), shift(local(2027, 2, 9, 19), "SL", group="Southside"))
    auth.login(LEO)
    text = page(client)
    assert "Northside Night Shelter" in text and "Southside" not in text and "Sam Southsider" not in text
    auth.logout()
    auth.login(OLGA)
    text = page(client)
    assert "Southside Night Shelter" in text and "Shift leader: Sam Southsider" in text and "Northside" not in text
    auth.logout()
    auth.login(ADA)
    text = page(client)
    assert "Northside Night Shelter" in text and "Southside Night Shelter" in text


def test_a_volunteer_is_refused_and_a_stranger_is_asked_to_log_in(auth, client, db):
    assert client.get("/leader/tonight").headers["Location"].startswith("/login")
    assert client.get("/tonight").headers["Location"].startswith("/login?next=/tonight")
    auth.login()
    assert client.get("/leader/tonight").status_code == 403
    assert client.get("/leader/tonight", headers=HTMX).status_code == 403


def test_the_short_address_opens_tonight_and_has_its_own_home_screen_manifest(auth, client, db):
    auth.login(LEO)
    answer = client.get("/tonight")
    assert answer.status_code == 303 and answer.headers["Location"] == "/leader/tonight"
    text = page(client)
    assert '<link rel="manifest" href="/tonight.webmanifest">' in text
    assert '<meta name="apple-mobile-web-app-title" content="Tonight">' in text
    manifest = client.get("/tonight.webmanifest").get_json()
    assert manifest["start_url"] == "/tonight" and manifest["short_name"] == "Tonight"
    assert manifest["id"] != client.get("/manifest.webmanifest").get_json()["id"]  # an app of its own


def test_the_board_alone_answers_htmx_and_the_whole_page_a_plain_request(auth, client, db, clock):
    clock(NOW)
    tonights_rota()
    auth.login(LEO)
    fragment = client.get("/leader/tonight", headers=HTMX)
    assert "HX-Request" in fragment.headers["Vary"]
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and "<h1>" not in text and "Northside Night Shelter" in text
    assert 'id="tonight"' in text and 'hx-trigger="every 60s"' in text and "X-Cervis-Background" in text
    plain = client.get("/leader/tonight")
    assert "HX-Request" in plain.headers["Vary"]
    text = plain.get_data(as_text=True)
    assert "<h1>Tonight</h1>" in text and 'id="tonight"' in text
    assert 'Updated at 5:00 PM. <a href="/leader/tonight">Refresh</a>' in text  # without JavaScript


def test_the_menu_offers_tonight_to_leaders_and_administrators_only(auth, client, db):
    link = '<a href="/leader/tonight">Tonight</a>'
    for email, shown in ((LEO, True), (ADA, True), ("vera@example.org", False)):
        auth.login(email)
        assert (link in client.get("/contact").get_data(as_text=True)) is shown, email
        auth.logout()


# Across the clock changes ------------------------------------------------------------------------


def test_the_night_the_clocks_go_back_is_tonight_from_saturday_noon_to_sunday_noon(auth, client, db, clock):
    """Saturday 24 October 2026: 7 PM BST to 8 AM GMT, fourteen hours."""
    friday = shift(local(2026, 10, 23, 19), "Cook")
    saturday = shift(local(2026, 10, 24, 19), "SL", hours=14)
    sunday = shift(local(2026, 10, 25, 19), "Cook")
    monday = shift(local(2026, 10, 26, 19), "Cook")
    auth.login(LEO)
    for now in (local(2026, 10, 24, 12, 30), local(2026, 10, 25, 11, 30)):  # 11:30 AM UTC, BST then GMT
        clock(now)
        text = page(client)
        tonight = section(text, 'Tonight <span class="hint">Sat, Oct 24', "Tomorrow")
        assert f"slot={saturday.id}#" in tonight and "7:00 PM to 8:00 AM" in tonight
        tomorrow = section(text, 'Tomorrow <span class="hint">Sun, Oct 25')
        assert f"slot={sunday.id}#" in tomorrow and "7:00 PM to 8:00 AM" in tomorrow
        assert f"slot={friday.id}#" not in text and f"slot={monday.id}#" not in text


def test_the_night_the_clocks_go_forward_turns_at_noon_local_time(auth, client, db, clock):
    """Sunday 28 March 2027, 12:30 PM BST (11:30 AM UTC): tonight is Sunday's already."""
    saturday = shift(local(2027, 3, 27, 19), "Cook")
    sunday = shift(local(2027, 3, 28, 19), "SL")
    monday = shift(local(2027, 3, 29, 19), "Cook")
    clock(local(2027, 3, 28, 12, 30))
    auth.login(LEO)
    text = page(client)
    tonight = section(text, 'Tonight <span class="hint">Sun, Mar 28', "Tomorrow")
    assert f"slot={sunday.id}#" in tonight and "7:00 PM to 8:00 AM" in tonight
    assert f"slot={monday.id}#" in section(text, 'Tomorrow <span class="hint">Mon, Mar 29')
    assert f"slot={saturday.id}#" not in text


# Its cost ---------------------------------------------------------------------------------------


def test_the_page_runs_as_many_queries_after_a_winter_of_history(auth, client, db, clock, statements):
    def counted():
        statements.clear()
        page(client)
        return len(statements)

    clock(NOW)
    tonights_rota()
    auth.login(ADA)
    before = counted()
    people = [member(f"Past{i}") for i in range(5)]
    for night in range(1, 60):
        slot = shift(NOW - timedelta(days=night), "Shift Asst", capacity=5)
        Registration.insert_many(
            [{"volunteer": p.id, "slot": slot.id, "status": s} for p, s in zip(people, ["registered", "cancelled"] * 3)]
        ).execute()
    assert counted() == before <= 15


def test_an_administrators_board_asks_for_every_group_without_listing_them(auth, client, db, clock, statements):
    """20 venues' ids in each statement, for the one reader who sees them all, are 20 values to
    send and check for nothing; a leader's statements keep to their groups."""
    seen = statements
    clock(NOW)
    tonights_rota()
    auth.login(ADA)
    page(client)
    assert not [sql for sql in seen if '"group_id" IN' in sql]
    auth.logout()
    auth.login(LEO)
    seen.clear()
    page(client)
    assert len([sql for sql in seen if '"group_id" IN' in sql]) >= 4


def test_the_nights_statements_are_built_once_while_the_night_lasts(auth, client, db, clock, statements, monkeypatch):
    """The slots, the named people and the cover of the nights shown depend on the nights alone:
    peewee builds their SQL for the first page of the night, and the next pages run it again."""
    ran, built, real_execute = statements, [], database.obj.execute
    monkeypatch.setattr(database.obj, "execute", lambda query, **k: built.append(query) or real_execute(query, **k))
    clock(NOW)
    tonights_rota()
    auth.login(LEO)
    page(client)
    ran.clear(), built.clear()
    page(client)
    assert len(ran) - len(built) >= 3


def test_who_came_still_to_do_reads_no_opportunity_the_board_has_already(auth, client, db, clock, statements):
    seen = statements
    clock(NOW)
    tonights_rota()
    auth.login(LEO)
    assert "“Who came?” still to do: " in page(client)  # Saturday's, at the Night Shelter shown tonight
    assert not [sql for sql in seen if 'FROM "opportunity" AS "t1" WHERE ("t1"."id" IN' in sql]


def test_the_page_finds_its_language_once_however_many_nights_it_shows(auth, client, db, clock, monkeypatch):
    """A wall screen shows 20 venues' nights: its phrases are looked up in the catalogue once a page
    (Flask-Babel finds the catalogue again at each gettext), not once a role or a night."""
    seen = []
    real = Domain.get_translations
    monkeypatch.setattr(Domain, "get_translations", lambda self: seen.append(1) or real(self))

    def lookups():
        seen.clear()
        page(client)
        return len(seen)

    clock(NOW)
    tonights_rota()
    auth.login(ADA)
    lookups()  # the app's first page also words its menus (once for each language: tests/test_menus.py)
    before = lookups()
    for day in (9, 10):
        for role in ("SL", "Cook", "Shift Asst"):
            on(member(f"{role[:2]}{day}", group="Southside"), shift(local(2027, 2, day, 19), role, group="Southside"))
            shift(local(2027, 2, day, 20), role, group="Northside")
    assert lookups() == before


def test_the_boards_own_refresh_is_not_activity_so_a_screen_left_on_is_still_signed_out(auth, client, db):
    """A wall screen's session ends after the organisation's idle timeout, like any page left alone:
    its phone numbers are not left on show to whoever walks past."""
    refresh = {**HTMX, "X-Cervis-Background": "1"}  # what the board's hx-headers send
    auth.login(LEO)
    with client.session_transaction() as session:
        session["seen"] = session["seen"] - 10 * 60
        before = session["seen"]
    assert client.get("/leader/tonight", headers=refresh).status_code == 200
    with client.session_transaction() as session:
        assert session["seen"] == before
        session["seen"] = before - 21 * 60
    assert client.get("/leader/tonight", headers=refresh).headers["HX-Redirect"] == "/login"
