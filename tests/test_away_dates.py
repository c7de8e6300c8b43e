"""I'm Away: a volunteer's away dates, on Volunteer Portal Home under Registration Management; the slot
table and Register while away; and away dates added over shifts already registered."""

from datetime import date

import pytest
from conftest import emails_to
from helpers_away import AWAY_URL, away_form, away_from, stop_every_clock
from helpers_offering import fill, person, plug_in, register_form, slot_of, slots_page, text

from cervis.models import CANCELLED, PENDING, REGISTERED, AuditLog, AwayRange, Registration

VERA = "vera@example.org"
OCT_9, OCT_16, OCT_23 = date(2025, 10, 9), date(2025, 10, 16), date(2025, 10, 23)


@pytest.fixture
def clock(monkeypatch):
    return stop_every_clock(monkeypatch)


def test_portal_home_offers_im_away_under_registration_management(auth, client, clock):
    auth.login()
    home = text(client.get("/portal/"))
    section = home.split("<h2>Registration Management</h2>")[1].split("</section>")[0]
    assert f'href="{AWAY_URL}">I&#39;m Away</a>' in section


def test_a_volunteer_adds_lists_and_removes_away_dates(auth, client, clock, db):
    auth.login()
    response = client.post(AWAY_URL, data=away_form(OCT_16, OCT_23, "On holiday"))
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Away dates added: Thu, Oct 16 - Thu, Oct 23, 2025." in page
    assert "Thu, Oct 16 - Thu, Oct 23, 2025: On holiday" in page
    [saved] = AwayRange.select()
    assert (saved.volunteer.email, saved.starts_on, saved.ends_on) == (VERA, OCT_16, OCT_23)
    assert AuditLog.select().where(AuditLog.action == "away.add").count() == 1
    response = client.post(f"{AWAY_URL}/{saved.id}/remove")
    assert response.status_code == 303 and AwayRange.select().count() == 0
    assert "Away dates removed." in client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize(
    "first, last, note, field, message",
    [
        (None, OCT_23, "", "starts_on", "Please enter the first day you are away."),
        (OCT_16, None, "", "ends_on", "Please enter the last day you are away."),
        (OCT_23, OCT_16, "", "ends_on", "The last day cannot be before the first."),
        (date(2025, 9, 1), date(2025, 9, 5), "", "ends_on", "That range is already over: choose dates from today on."),
        (
            OCT_16,
            date(2026, 11, 1),
            "",
            "ends_on",
            "Please keep one range to a year at most; add another for the rest.",
        ),
        (OCT_16, OCT_23, "x" * 201, "note", "Please keep the note under 200 characters."),
        (OCT_16, OCT_23, "two\nlines", "note", "Please keep this to one line"),
    ],
)
def test_away_dates_that_cannot_be_saved_say_why_beside_the_field_and_keep_what_was_typed(
    auth, client, clock, db, first, last, note, field, message
):
    auth.login()
    response = client.post(AWAY_URL, data=away_form(first, last, note))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and AwayRange.select().count() == 0
    assert f'<p class="field-error" id="{field}-error">{message}' in page.replace("&#39;", "'")
    if first:
        assert f'value="{first.isoformat()}"' in page


def test_a_range_overlapping_another_is_refused_beside_the_first_day(auth, client, clock, db):
    away_from(person(VERA), OCT_9, OCT_16)
    auth.login()
    page = client.post(AWAY_URL, data=away_form(OCT_16, OCT_23)).get_data(as_text=True)
    assert "You are already away on Thu, Oct 9 - Thu, Oct 16, 2025: remove that range first" in page
    assert AwayRange.select().count() == 1


def test_another_volunteers_away_dates_cannot_be_removed(auth, client, clock, db):
    theirs = away_from(person("sam@example.org"), OCT_9, OCT_16)
    auth.login()
    assert client.post(f"{AWAY_URL}/{theirs.id}/remove").status_code == 404
    assert AwayRange.select().count() == 1


def test_the_slot_table_marks_the_dates_youre_away_and_offers_no_box(auth, client, clock, db):
    opp = plug_in(weeks=3)
    away_from(person(VERA), OCT_16, OCT_16, "Wedding")
    auth.login()
    page = text(slots_page(client, person(VERA), opp))
    oct_16 = page.split("Thu, Oct 16, 2025 - 6:00 PM to 9:00 PM Cook")[1].split("</tr>")[0]
    assert "You&#39;re away" in page.split("Thu, Oct 16, 2025 - 6:00 PM to 9:00 PM Cook")[0].rsplit("<tr", 1)[1]
    assert 'name="slot"' not in oct_16
    assert "You told us you are away on some of these dates" in page
    assert f'name="slot" value="{slot_of(opp, OCT_9, "Cook").id}"' in page


def test_register_refuses_a_date_youre_away_with_the_reason_and_saves_the_rest(auth, client, clock, db):
    opp = plug_in(weeks=2)
    vera = person(VERA)
    cook_9, cook_16 = slot_of(opp, OCT_9, "Cook"), slot_of(opp, OCT_16, "Cook")
    auth.login()
    slots_page(client, vera, opp)  # the table was opened before the away dates were added (another tab)
    away_from(vera, OCT_16, OCT_16)
    response = client.post("/portal/signup/slots", data=register_form(vera, opp, [cook_9, cook_16]))
    page = text(client.get(response.headers["Location"]))
    assert "Thu, Oct 16, 2025 - 6:00 PM to 9:00 PM Cook (You&#39;re away)" in page
    assert "You told us you are away on some of these dates" in page
    assert [r.slot_id for r in Registration.select().where(Registration.status == PENDING)] == [cook_9.id]


def test_away_dates_over_a_registered_shift_list_it_and_cancel_the_ticked_ones_with_the_reason_away(
    auth, client, clock, db
):
    opp = plug_in(weeks=3)
    vera = person(VERA)
    cook = Registration.create(volunteer=vera, slot=slot_of(opp, OCT_16, "Cook"), status=REGISTERED)
    kept = Registration.create(volunteer=vera, slot=slot_of(opp, OCT_23, "Shift Asst"), status=PENDING)
    auth.login()
    page = client.post(AWAY_URL, data=away_form(OCT_16, OCT_23, "Away")).get_data(as_text=True)
    assert "You have shifts on these dates" in page and AwayRange.select().count() == 0
    assert f'name="registration" value="{cook.id}" checked' in page
    assert f'name="registration" value="{kept.id}" checked' in page
    response = client.post(AWAY_URL, data=away_form(OCT_16, OCT_23, "Away", save="cancel", registration=[cook.id]))
    assert response.status_code == 303
    assert "1 shift cancelled" in client.get(response.headers["Location"]).get_data(as_text=True)
    cook = Registration.get_by_id(cook.id)
    assert (cook.status, cook.cancel_reason) == (CANCELLED, "away")
    assert Registration.get_by_id(kept.id).status == PENDING  # unticked: kept
    assert AwayRange.select().count() == 1
    [told] = emails_to("leo@example.org", "cancellation-leader")
    assert "away" in told.body_text and "Vera Volunteer" in told.body_text


def test_away_dates_saved_keeping_the_shifts_cancel_nothing(auth, client, clock, db):
    opp = plug_in(weeks=2)
    cook = Registration.create(volunteer=person(VERA), slot=slot_of(opp, OCT_16, "Cook"), status=REGISTERED)
    auth.login()
    response = client.post(AWAY_URL, data=away_form(OCT_16, OCT_16, save="keep", registration=[cook.id]))
    assert response.status_code == 303 and AwayRange.select().count() == 1
    assert Registration.get_by_id(cook.id).status == REGISTERED
    assert emails_to("leo@example.org", "cancellation-leader") == []


def test_a_full_slot_on_an_away_date_still_says_full(auth, client, clock, db):
    opp = plug_in(weeks=2)
    fill(slot_of(opp, OCT_16, "Cook"))
    away_from(person(VERA), OCT_16, OCT_16)
    auth.login()
    page = text(slots_page(client, person(VERA), opp))
    row = page.split("Thu, Oct 16, 2025 - 6:00 PM to 9:00 PM Cook")[1].split("</tr>")[0]
    assert "Full" in row


def test_dates_years_ahead_are_refused_beside_the_field_not_an_error(auth, client, clock, db):
    auth.login()
    response = client.post(AWAY_URL, data=away_form(date(9999, 12, 30), date(9999, 12, 31)))
    assert response.status_code == 400 and AwayRange.select().count() == 0
    assert "Please choose dates within the next three years." in response.get_data(as_text=True)


def test_my_data_holds_the_away_dates_and_limits_and_erasure_leaves_none(auth, client, clock, db):
    from cervis import erasure
    from cervis.models import VolunteerLimit

    vera = person(VERA)
    away_from(vera, OCT_16, OCT_23, "On holiday")
    VolunteerLimit.create(volunteer=vera, per_month=4, gap_days=7)
    auth.login()
    [me] = client.get("/portal/profile/my-data.json").get_json()["people"]
    assert me["away_dates"] == [{"from": "2025-10-16", "to": "2025-10-23", "note": "On holiday"}]
    assert me["limits"] == [{"at_most_shifts_a_month": 4, "at_least_days_apart": 7}]
    erasure.erase(person("ada@example.org"), vera)
    assert AwayRange.select().count() == 0 and VolunteerLimit.select().count() == 0


def test_a_shift_within_48_hours_asks_to_contact_the_shift_leader_too(auth, client, clock, db):
    from helpers_offering import local, opportunity, slot

    tomorrow = slot(opportunity(), local(2025, 10, 2), "Cook")
    Registration.create(volunteer=person(VERA), slot=tomorrow, status=REGISTERED)
    auth.login()
    page = client.post(AWAY_URL, data=away_form(date(2025, 10, 2), date(2025, 10, 3))).get_data(as_text=True)
    assert "Starts within 48 hours: please also contact your shift leader." in page


def test_with_htmx_a_mistake_is_answered_in_place_and_a_saved_range_reloads_the_page(auth, client, clock, db):
    auth.login()
    htmx = {"HX-Request": "true"}
    wrong = client.post(AWAY_URL, data=away_form(OCT_23, OCT_16), headers=htmx)
    assert wrong.status_code == 200 and "The last day cannot be before the first." in wrong.get_data(as_text=True)
    assert 'hx-post="/portal/away"' in wrong.get_data(as_text=True) and AwayRange.select().count() == 0
    saved = client.post(AWAY_URL, data=away_form(OCT_16, OCT_23), headers=htmx)
    assert saved.headers["HX-Redirect"].startswith(AWAY_URL) and AwayRange.select().count() == 1
