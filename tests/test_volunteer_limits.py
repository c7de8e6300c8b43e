"""Limits that protect volunteers: set on the profile and by leaders on the member's page, shown in a
slot's panel, and warned of (one more tap, audited) when a leader goes past them or past away dates."""

from datetime import date

from helpers_away import away_from
from helpers_rota import HTMX, LEO, MONTH, OLGA, YEAR, fresh, member, night, offer, opened, panel, press

from cervis import volunteer_limits
from cervis.models import PENDING, REGISTERED, AuditLog, Registration, User, VolunteerLimit
from cervis.months import parse_month

LIMITS = "/portal/profile/limits"


def limits_of(user):
    return VolunteerLimit.get_or_none(VolunteerLimit.volunteer == user.id)


def test_a_volunteer_sets_their_limits_on_the_profile(auth, client, db):
    auth.login()
    page = client.get("/portal/profile").get_data(as_text=True)
    assert "My Limits" in page and f'action="{LIMITS}"' in page
    response = client.post(LIMITS, data={"per_month": "4", "gap_days": "7"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/portal/profile#answer")
    vera = User.by_email("vera@example.org")
    assert (limits_of(vera).per_month, limits_of(vera).gap_days) == (4, 7)
    assert "My Limits Saved." in client.get("/portal/profile").get_data(as_text=True)
    assert AuditLog.select().where(AuditLog.action == "limits.set").count() == 1
    client.post(LIMITS, data={"per_month": "", "gap_days": ""})
    assert (limits_of(vera).per_month, limits_of(vera).gap_days) == (None, None)  # both optional


def test_limits_that_cannot_be_saved_say_why_beside_the_field_and_keep_what_was_typed(auth, client, db):
    auth.login()
    for data, field, message in (
        ({"per_month": "lots"}, "per_month", "Please enter a whole number, or leave it empty for no limit."),
        ({"per_month": "0"}, "per_month", "Please enter a number from 1 to 31, or leave it empty for no limit."),
        ({"gap_days": "90"}, "gap_days", "Please enter a number from 1 to 60, or leave it empty for no limit."),
    ):
        response = client.post(LIMITS, data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 400, data
        assert f'<p class="field-error" id="{field}-error">{message}</p>' in page
        assert f'value="{data[field]}"' in page
    assert VolunteerLimit.select().count() == 0


def test_a_leader_sees_a_members_away_dates_and_limits_and_sets_the_limits(auth, client, db):
    bea = member("Bea")
    away_from(bea, date(YEAR, 2, 8), date(YEAR, 2, 10), "Holiday")
    auth.login(LEO)
    page = client.get(f"/leader/volunteers/{bea.id}").get_data(as_text=True)
    first, last = date(YEAR, 2, 8), date(YEAR, 2, 10)
    assert f"Away {first:%a}, Feb 8 - {last:%a}, Feb 10, {YEAR}: Holiday" in page and "No limits set." in page
    response = client.post(f"/leader/volunteers/{bea.id}/limits", data={"per_month": "2"})
    assert response.status_code == 303 and limits_of(bea).per_month == 2
    assert "At most 2 shifts a month" in client.get(f"/leader/volunteers/{bea.id}").get_data(as_text=True)
    bad = client.post(f"/leader/volunteers/{bea.id}/limits", data={"per_month": "x"})
    assert bad.status_code == 400 and "Please enter a whole number" in bad.get_data(as_text=True)


def test_a_leader_of_another_group_cannot_set_a_members_limits(auth, client, db):
    bea = member("Bea")
    auth.login(OLGA)
    assert client.post(f"/leader/volunteers/{bea.id}/limits", data={"per_month": "2"}).status_code in (403, 404)
    assert limits_of(bea) is None


def test_a_slots_panel_shows_who_is_away_that_day_and_the_limits_they_set(auth, client, db):
    bea, cal = member("Bea"), member("Cal")
    cook = night(9, "Cook")
    offer(bea, cook)
    offer(cal, cook)
    away_from(bea, date(YEAR, 2, 9), date(YEAR, 2, 9), "Wedding")
    VolunteerLimit.create(volunteer=cal, per_month=3)
    auth.login(LEO)
    for page in (panel(client, cook), opened(client, cook)):
        assert f"Away {date(YEAR, 2, 9):%a}, Feb 9, {YEAR}: Wedding" in page
        assert "Limits: At most 3 shifts a month" in page


def _over_the_monthly_limit():
    bea = member("Bea")
    VolunteerLimit.create(volunteer=bea, per_month=1)
    offer(bea, night(2, "Cook"), status=REGISTERED)
    cook = night(9, "Cook")
    return bea, cook, offer(bea, cook)


def test_accept_past_a_monthly_limit_warns_and_one_more_tap_accepts_and_is_audited(auth, client, db):
    bea, cook, pending = _over_the_monthly_limit()
    auth.login(LEO)
    response = press(client, cook, f"accept:{pending.id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Not yet: this would be shift 2 this month; Bea set at most 1." in page
    assert 'name="past_limits" value="1"' in page and f'name="do" value="accept:{pending.id}"' in page
    assert fresh(pending).status == PENDING
    response = press(client, cook, f"accept:{pending.id}", past_limits="1")
    assert response.status_code == 303 and fresh(pending).status == REGISTERED
    [audit] = AuditLog.select().where(AuditLog.action == "rota.past-limit")
    assert audit.actor.email == LEO and "at most 1" in audit.after


def test_accept_selected_past_a_limit_warns_in_the_panel_with_htmx_too(auth, client, db):
    bea, cook, pending = _over_the_monthly_limit()
    auth.login(LEO)
    page = press(client, cook, "accept", pending, htmx=True).get_data(as_text=True)
    assert "Not yet: this would be shift 2 this month" in page and f'hx-post="/leader/slots/{cook.id}/act"' in page
    assert f'name="offer" value="{pending.id}"' in page and fresh(pending).status == PENDING
    press(client, cook, "accept", pending, htmx=True, past_limits="1")
    assert fresh(pending).status == REGISTERED


def test_add_volunteer_closer_than_their_gap_warns_and_confirms(auth, client, db):
    bea = member("Bea")
    VolunteerLimit.create(volunteer=bea, gap_days=7)
    offer(bea, night(5, "Cook"), status=REGISTERED)
    slot = night(9, "Cook")
    auth.login(LEO)
    data = {f"add-{slot.id}-volunteer": bea.id}
    page = client.post(f"/leader/slots/{slot.id}/add", headers=HTMX, data=data).get_data(as_text=True)
    assert "Not yet: Bea has a shift 4 days away; they set at least 7." in page
    assert not slot.registrations.where(Registration.status == REGISTERED).exists()
    client.post(f"/leader/slots/{slot.id}/add", headers=HTMX, data={**data, "past_limits": "1"})
    assert slot.registrations.where(Registration.status == REGISTERED).count() == 1
    assert AuditLog.select().where(AuditLog.action == "rota.past-limit").count() == 1


def test_accepting_someone_on_a_date_they_are_away_warns_first(auth, client, db):
    bea = member("Bea")
    cook = night(9, "Cook")
    pending = offer(bea, cook)
    away_from(bea, date(YEAR, 2, 9), date(YEAR, 2, 9), "Wedding")
    auth.login(LEO)
    page = press(client, cook, f"accept:{pending.id}", htmx=True).get_data(as_text=True)
    assert "Not yet: Bea Member is away that day (Wedding)." in page and fresh(pending).status == PENDING


def test_who_is_at_or_over_their_monthly_limit(db):
    bea, cal, dee = member("Bea"), member("Cal"), member("Dee")
    VolunteerLimit.create(volunteer=bea, per_month=1)
    VolunteerLimit.create(volunteer=cal, per_month=3)
    VolunteerLimit.create(volunteer=dee, gap_days=3)
    for day in (2, 9):
        offer(bea, night(day, "Cook"), status=REGISTERED)
    offer(cal, night(3, "Cook"), status=REGISTERED)
    offer(dee, night(4, "Cook"), status=REGISTERED)
    found = volunteer_limits.at_or_over(parse_month(MONTH))
    assert [(u.first_name, shifts, most) for u, shifts, most in found] == [("Bea", 2, 1)]
    close = volunteer_limits.at_or_over(parse_month(MONTH), within=2)
    assert [(u.first_name, shifts, most) for u, shifts, most in close] == [("Bea", 2, 1), ("Cal", 1, 3)]
    assert volunteer_limits.at_or_over(parse_month(MONTH), volunteer_ids=[cal.id], within=2)[0][0] == cal


def _statistics(client, month=MONTH):
    return client.get(f"/leader/statistics?period=month&month={month}").get_data(as_text=True)


def test_the_statistics_list_who_is_at_or_close_to_their_own_monthly_limit(auth, client, db):
    bea, cal, dee, eve = member("Bea"), member("Cal"), member("Dee"), member("Eve", group="Southside")
    for who, most in ((bea, 1), (cal, 3), (dee, 4), (eve, 1)):
        VolunteerLimit.create(volunteer=who, per_month=most)
    for day in (2, 9):
        offer(bea, night(day, "Cook"), status=REGISTERED)  # over: 2 of at most 1
    for day in (3, 10):
        offer(cal, night(day, "Cook"), status=REGISTERED)  # close: one more and Cal is at 3
    offer(dee, night(4, "Cook"), status=REGISTERED)  # 1 of 4: not close
    offer(eve, night(5, "Cook", group="Southside"), status=REGISTERED)  # at: Southside's, not Leo's
    auth.login(LEO)
    page = _statistics(client)
    assert "At or close to their own limit" in page
    table = page.split('id="near-limits"')[1].split("</table>")[0]
    assert table.index("Bea Member") < table.index("Cal Member")
    assert "Over by 1" in table and "One shift from it" in table
    assert "Dee Member" not in table and "Eve Member" not in table  # not close; another group's
    assert f"February {YEAR}" in table
    auth.logout()
    auth.login("ada@example.org")
    assert "Eve Member" in _statistics(client).split('id="near-limits"')[1]  # administrators see all


def test_nobody_near_their_limit_shows_no_list(auth, client, db):
    auth.login(LEO)
    assert 'id="near-limits"' not in _statistics(client)


def test_accept_suggestion_rechecks_the_limits_at_the_moment_of_accepting(auth, client, db):
    from helpers_suggestion import suggest_url

    bea, cal = member("Bea"), member("Cal")
    VolunteerLimit.create(volunteer=bea, per_month=1)
    beas, cals = offer(bea, night(5, "Cook")), offer(cal, night(6, "Cook"))
    auth.login(LEO)
    page = client.get(suggest_url()).get_data(as_text=True)
    assert f'name="offer" value="{beas.id}" checked' in page  # within her limit when suggested
    offer(bea, night(7, "Cook", group="Southside"), status=REGISTERED)  # Olga took her meanwhile
    url = f"/leader/opportunities/{beas.slot.opportunity_id}/rota/suggestion?month={MONTH}"
    page = client.post(url, data={"offer": [beas.id, cals.id]}, follow_redirects=True).get_data(as_text=True)
    assert "Suggestion accepted: 1 offer accepted." in page and fresh(cals).status == REGISTERED
    assert "Not yet accepted, past their limits: Bea Member (Cook," in page
    assert "this would be shift 2 this month; Bea set at most 1" in page and fresh(beas).status == PENDING
    assert not AuditLog.select().where(AuditLog.action == "rota.past-limit").exists()
    confirm = page.split('class="past-limits"')[0].rsplit("<form", 1)[1]
    assert f'action="{url}"' in confirm.replace("&amp;", "&")
    page = page.split('class="past-limits"')[1].split("</form>")[0]
    assert f'name="offer" value="{beas.id}"' in page and f'value="{cals.id}"' not in page  # only the one past
    again = client.post(url, data={"offer": [beas.id], "past_limits": "1"}, follow_redirects=True)
    assert "Suggestion accepted: 1 offer accepted." in again.get_data(as_text=True)
    assert fresh(beas).status == REGISTERED
    assert AuditLog.select().where(AuditLog.action == "rota.past-limit").count() == 1
