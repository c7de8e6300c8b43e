"""The guide's "Offering Shifts": Sign up / Apply for an Upcoming Opportunity, Step 1 to "Register"."""

import re
from datetime import date, timedelta

from conftest import emails_to
import pytest
from helpers_offering import (
    HTMX,
    family_member,
    fill,
    has_box,
    local,
    member,
    offers_of,
    opportunity,
    person,
    plug_in,
    register_form,
    slot,
    slot_of,
    slots_page,
    stop_clock,
    text,
)

from cervis import cancellation
from cervis.models import (
    CANCELLED,
    PENDING,
    REGISTERED,
    InterestCategory,
    OpportunityInterest,
    OpportunityUnlock,
    Registration,
    RegistrationEvent,
)

VERA = "vera@example.org"
SUBMITTED = "Registration Request Submitted Successfully."
GUIDE_TEXT = (
    "Please check your E-mail for additional details. If you would like to sign up for an "
    'additional opportunity, please select one from the "Select an Available Opportunity" '
    'section below or click "Portal Home" for more options.'
)
OCT_9, OCT_16 = date(2025, 10, 9), date(2025, 10, 16)


@pytest.fixture
def clock(monkeypatch):
    return stop_clock(monkeypatch)


# Step 1 and Step 2 --------------------------------------------------------------------------------


def test_portal_home_links_to_sign_up(auth, client, clock):
    auth.login()
    home = text(client.get("/portal/"))
    assert 'href="/portal/signup">Sign up / Apply for an Upcoming Opportunity</a>' in home


def test_signup_page_shows_step_1_and_the_opportunities_of_my_groups(auth, client, db, clock):
    plug = plug_in()
    fill(slot_of(plug, OCT_9, "Cook"))
    opportunity("Southside Shelter", "Southside")
    auth.login()
    page = text(client.get("/portal/signup"))
    assert "WHC Opportunity Registration" in page
    assert "Step 1: Select a Volunteer" in page
    assert re.search(r'<option value="\d+" selected>Vera Volunteer</option>', page)
    for words in (
        "Show Opportunity Calendar",
        "Use Private Registration Code",
        "Search Opportunities by Interest, Location, Date or Keyword",
        "Step 2: Select an Available Opportunity Below",
        "Plug-In",
        "Oct 9 - Nov 27, 2025 (Multiple Shifts Available)",
        "Wycombe Homeless Connection",
        "Click here to learn more (Optional)",
        "Step 2a: (Optional) Include a note about this registration",
        "Step 3: Click here to choose time slot(s) and sign up for this event",
        "Choose time slot(s) and sign up for the selected event",
    ):
        assert words in page
    # 8 Thursdays x (1 + 2 + 2 + 1) spots, less the Cook already registered on Oct 9.
    assert "47 Available" in page
    assert "Southside Shelter" not in page


def test_opportunity_is_hidden_before_it_goes_live_and_after_its_deadline(auth, client, db, clock):
    plug_in(live_from=clock.now + timedelta(days=1))
    late = opportunity("Past deadline", offer_deadline=clock.now - timedelta(hours=1))
    slot(late, local(2025, 10, 20), "Cook")
    auth.login()
    page = text(client.get("/portal/signup"))
    assert "Plug-In" not in page and "Past deadline" not in page
    clock.now += timedelta(days=2)
    assert "Plug-In" in text(client.get("/portal/signup"))


def test_learn_more_opens_in_place_and_as_a_page(auth, client, db, clock):
    plug = plug_in(description="Evening drop-in at the hub.", min_age=16)
    auth.login()
    url = f"/portal/signup/opportunity/{plug.id}"
    fragment = text(client.get(url, headers=HTMX))
    assert "Evening drop-in at the hub." in fragment and "<html" not in fragment
    assert "Minimum age" in fragment
    page = client.get(url)
    assert "<html" in text(page) and "Evening drop-in at the hub." in text(page)
    south = opportunity("Southside Shelter", "Southside", description="Secret")
    assert client.get(f"/portal/signup/opportunity/{south.id}").status_code == 404


# "Select an Available Slot Below" -----------------------------------------------------------------


def test_slot_table_shows_full_and_closed_slots_without_a_box(auth, client, db, clock):
    plug = plug_in()
    cook, reserve = slot_of(plug, OCT_9, "Cook"), slot_of(plug, OCT_9, "Reserve")
    closed = slot_of(plug, OCT_9, "SL")
    closed.closed = True
    closed.save()
    fill(cook)
    auth.login()
    page = text(slots_page(client, person(VERA), plug))
    assert "Select an Available Slot Below" in page
    assert "Date/Time &amp; Details" in page and "Spots Available" in page
    assert "Thu, Oct 9, 2025 - 6:00 PM to 9:00 PM Cook</td>" in page
    assert re.search(r"6:00 PM to 9:00 PM Cook</td>\s*<td class=\"spots\">Full</td>", page)
    assert re.search(r"6:00 PM to 9:00 PM SL</td>\s*<td class=\"spots\">Closed</td>", page)
    assert re.search(r"6:00 PM to 9:00 PM Reserve</label></td>\s*<td class=\"spots\">2</td>", page)
    assert not has_box(page, cook) and not has_box(page, closed) and has_box(page, reserve)


def test_slot_table_says_which_slots_i_have_offered_for_and_am_registered_to(auth, client, db, clock):
    plug = plug_in()
    cook, reserve = slot_of(plug, OCT_9, "Cook"), slot_of(plug, OCT_9, "Reserve")
    Registration.create(volunteer=person(VERA), slot=cook, status=PENDING)
    Registration.create(volunteer=person(VERA), slot=reserve, status=REGISTERED)
    auth.login()
    page = text(slots_page(client, person(VERA), plug))
    assert re.search(r'<span class="status">Pending</span>\s*</td>\s*<td>[^<]*Cook</td>', page)
    assert re.search(r'<span class="status">Registered \(Reserve\)</span>\s*</td>\s*<td>[^<]*Reserve</td>', page)
    assert not has_box(page, cook) and not has_box(page, reserve)


def test_slot_table_loads_in_place_with_htmx_and_as_a_page(auth, client, db, clock):
    plug = plug_in()
    auth.login()
    fragment = slots_page(client, person(VERA), plug, headers=HTMX)
    assert fragment.status_code == 200 and "<html" not in text(fragment)
    assert 'hx-swap-oob="true"' in text(fragment)
    assert "Register Vera Volunteer for Plug-In" in text(fragment)
    page = text(slots_page(client, person(VERA), plug))
    assert "<html" in page and 'method="post" action="/portal/signup/slots"' in page
    # The Step 3 button names its opportunity and carries that opportunity's note.
    chosen = client.get(
        "/portal/signup/slots",
        query_string={"volunteer": person(VERA).id, "choose": plug.id, f"note_{plug.id}": "Happy to cook"},
    )
    assert "Happy to cook</textarea>" in text(chosen)


def test_choosing_slots_without_selecting_an_opportunity_says_so(auth, client, db, clock):
    plug_in()
    auth.login()
    response = client.get("/portal/signup/slots", query_string={"volunteer": person(VERA).id})
    assert response.status_code == 400
    assert "Please select an opportunity under" in text(response)


def test_select_all_is_our_own_deferred_script_and_the_page_has_no_inline_code(auth, client, db, clock):
    plug = plug_in()
    auth.login()
    for page in (text(client.get("/portal/signup")), text(slots_page(client, person(VERA), plug))):
        # Under a name that changes with its content (cached for a year: see test_static_files...).
        src = re.search(r'<script src="(/static/select-all\.[0-9a-f]{10}\.js)" defer></script>', page).group(1)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
        assert not re.search(r"\son[a-z]+=|\sstyle=", page)
    assert "data-select-all hidden" in text(slots_page(client, person(VERA), plug))
    script = client.get(src)
    assert script.status_code == 200 and "data-select-all" in text(script)
    script.close()


# "Register" ---------------------------------------------------------------------------------------


def test_volunteer_offers_two_slots_and_gets_one_email(auth, client, db, clock):
    plug = plug_in()
    vera = person(VERA)
    chosen = [slot_of(plug, OCT_9, "Shift Asst"), slot_of(plug, OCT_16, "Reserve")]
    auth.login()
    response = client.post("/portal/signup/slots", data=register_form(vera, plug, chosen, "Can cook too"))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/portal/signup?volunteer={vera.id}#answer")
    page = text(client.get(response.headers["Location"]))
    assert f"<strong>{SUBMITTED}</strong> {GUIDE_TEXT}" in page
    assert "Step 1: Select a Volunteer" in page
    offers = offers_of(vera)
    assert [o.slot_id for o in offers] == [s.id for s in chosen]
    assert all(o.status == PENDING and o.note == "Can cook too" for o in offers)
    assert RegistrationEvent.select().where(RegistrationEvent.registration.in_(offers)).count() == 2
    # Pending offers use up no spot.
    assert [s.spots_available() for s in chosen] == [2, 2]
    [email] = emails_to(VERA, "offer-acknowledgement")
    assert "Thu, Oct 9, 2025 - 6:00 PM to 9:00 PM" in email.body_text
    assert "Thu, Oct 16, 2025 - 6:00 PM to 9:00 PM" in email.body_text
    assert "Shift Asst" in email.body_text and "Reserve" in email.body_text
    links = re.findall(r"http://localhost/portal/cancel/\S+", email.body_text)
    assert len(set(links)) == 2
    assert {cancellation.registration_from_token(link.rsplit("/", 1)[1]).id for link in links} == {o.id for o in offers}
    assert email.body_html.count(">Cancel Registration</a>") == 2


def test_register_with_htmx_answers_the_table_and_the_green_banner(auth, client, db, clock):
    plug = plug_in()
    vera, chosen = person(VERA), slot_of(plug, OCT_9, "Cook")
    auth.login()
    response = client.post("/portal/signup/slots", data=register_form(vera, plug, [chosen]), headers=HTMX)
    page = text(response)
    assert response.status_code == 200 and "<html" not in page
    assert 'id="banners"' in page and 'hx-swap-oob="true"' in page and SUBMITTED in page
    assert re.search(
        r'<span class="status">Pending</span>\s*</td>\s*<td>Thu, Oct 9, 2025 - 6:00 PM to 9:00 PM Cook', page
    )
    assert not has_box(page, chosen)
    assert len(emails_to(VERA, "offer-acknowledgement")) == 1


def test_ticking_nothing_gives_a_red_banner(auth, client, db, clock):
    plug = plug_in()
    vera = person(VERA)
    auth.login()
    plain = client.post("/portal/signup/slots", data=register_form(vera, plug, [], "keep me"))
    assert plain.status_code == 400
    assert "banner-error" in text(plain) and "Please tick at least one slot" in text(plain)
    assert "keep me</textarea>" in text(plain)
    htmx = client.post("/portal/signup/slots", data=register_form(vera, plug, []), headers=HTMX)
    assert htmx.status_code == 200 and "banner-error" in text(htmx)
    assert offers_of(vera) == [] and emails_to(VERA) == []


def test_slot_filled_while_choosing_is_named_and_the_others_are_saved(auth, client, db, clock):
    plug = plug_in()
    vera = person(VERA)
    cook, asst = slot_of(plug, OCT_9, "Cook"), slot_of(plug, OCT_9, "Shift Asst")
    auth.login()
    assert has_box(text(slots_page(client, vera, plug)), cook)
    fill(cook)  # a leader accepted someone else while Vera was choosing
    response = client.post("/portal/signup/slots", data=register_form(vera, plug, [cook, asst]), follow_redirects=True)
    page = text(response)
    assert "banner-error" in page
    assert "Thu, Oct 9, 2025 - 6:00 PM to 9:00 PM Cook (Full)" in page
    assert SUBMITTED in page
    assert [o.slot_id for o in offers_of(vera)] == [asst.id]
    [email] = emails_to(VERA, "offer-acknowledgement")
    assert "Shift Asst" in email.body_text and "Cook" not in email.body_text


def test_offers_close_at_the_deadline(auth, client, db, clock):
    plug = plug_in(offer_deadline=local(2025, 10, 5, 23, 59))
    vera, cook = person(VERA), slot_of(plug, OCT_16, "Cook")
    auth.login()
    assert has_box(text(slots_page(client, vera, plug)), cook)
    clock.now = local(2025, 10, 6, 9, 0)
    page = text(slots_page(client, vera, plug))
    assert not has_box(page, cook) and "Closed" in page and "Plug-In" not in text(client.get("/portal/signup"))
    response = client.post("/portal/signup/slots", data=register_form(vera, plug, [cook]))
    assert response.status_code == 409 and "(Closed)" in text(response)
    assert offers_of(vera) == []


def test_a_slot_already_started_is_closed(auth, client, db, clock):
    plug = plug_in()
    vera, started, later = person(VERA), slot_of(plug, OCT_9, "Cook"), slot_of(plug, OCT_16, "Cook")
    clock.now = local(2025, 10, 9, 19, 0)  # an hour into the Oct 9 evening
    auth.login()
    page = text(slots_page(client, vera, plug))
    assert re.search(r"Oct 9, 2025 - 6:00 PM to 9:00 PM Cook</td>\s*<td class=\"spots\">Closed", page)
    assert not has_box(page, started) and has_box(page, later)
    client.post("/portal/signup/slots", data=register_form(vera, plug, [started]))
    assert offers_of(vera) == []


def test_offering_the_same_slot_twice_keeps_one_row_and_a_cancelled_offer_reopens(auth, client, db, clock):
    plug = plug_in()
    vera, cook = person(VERA), slot_of(plug, OCT_9, "Cook")
    auth.login()
    client.post("/portal/signup/slots", data=register_form(vera, plug, [cook]))
    again = client.post("/portal/signup/slots", data=register_form(vera, plug, [cook]))
    assert "already offered" in text(again)
    assert len(offers_of(vera)) == 1 and len(emails_to(VERA, "offer-acknowledgement")) == 1
    [first] = offers_of(vera)
    cancellation.cancel([first.id], by=vera, reason="Away", now=clock.now)
    assert Registration.get_by_id(first.id).status == CANCELLED
    client.post("/portal/signup/slots", data=register_form(vera, plug, [cook], "Back after all"))
    [reopened] = offers_of(vera)
    assert reopened.id == first.id and reopened.status == PENDING and reopened.note == "Back after all"
    assert reopened.cancelled_at is None and reopened.cancel_reason == ""
    assert [e.status for e in reopened.events.order_by(RegistrationEvent.id)] == [PENDING, CANCELLED, PENDING]


# Who may offer for what ---------------------------------------------------------------------------


def test_crafted_post_for_another_groups_slot_is_refused(auth, client, db, clock):
    plug, south = plug_in(), opportunity("Southside Shelter", "Southside")
    theirs = slot(south, local(2025, 10, 10), "Cook")
    vera = person(VERA)
    auth.login()
    mixed = register_form(vera, plug, [slot_of(plug, OCT_9, "Cook"), theirs])
    assert client.post("/portal/signup/slots", data=mixed).status_code == 403
    assert client.post("/portal/signup/slots", data=register_form(vera, south, [theirs])).status_code == 404
    assert offers_of(vera) == [] and emails_to(VERA) == []
    sam = person("sam@example.org")
    assert client.get("/portal/signup", query_string={"volunteer": sam.id}).status_code == 404


def test_a_slot_of_another_opportunity_of_the_same_group_is_refused_in_a_register(auth, client, db, clock):
    plug, lunch = plug_in(), opportunity("Sunday Lunch")
    other = slot(lunch, local(2025, 10, 12, 12), "Cook")
    vera = person(VERA)
    auth.login()
    mixed = register_form(vera, plug, [slot_of(plug, OCT_9, "Cook"), other])
    assert client.post("/portal/signup/slots", data=mixed).status_code == 403
    assert client.post("/portal/signup/slots", data=register_form(vera, plug, [other])).status_code == 403
    assert offers_of(vera) == [] and emails_to(VERA) == []
    assert client.post("/portal/signup/slots", data=register_form(vera, lunch, [other])).status_code == 303


def test_private_code_reveals_the_opportunity_and_joins_its_group(auth, client, db, clock):
    hidden = opportunity("Christmas Lunch", "Southside", private_code="XMAS25")
    lunch = slot(hidden, local(2025, 12, 25, 12), "Cook", capacity=4)
    vera = person(VERA)
    auth.login()
    assert "Christmas Lunch" not in text(client.get("/portal/signup"))
    assert slots_page(client, vera, hidden).status_code == 404
    wrong = client.post("/portal/signup/code", data={"volunteer": vera.id, "code": "NOPE"})
    assert wrong.status_code == 400 and "does not match any opportunity" in text(wrong)
    assert 'value="NOPE"' in text(wrong)
    right = client.post("/portal/signup/code", data={"volunteer": vera.id, "code": " xmas25 "})
    assert right.status_code == 303 and f"opportunity={hidden.id}" in right.headers["Location"]
    page = text(client.get(right.headers["Location"]))
    assert "Christmas Lunch" in page and f'value="{hidden.id}" id="opp-{hidden.id}" checked' in page
    assert member(vera, "Southside")
    assert OpportunityUnlock.select().where(OpportunityUnlock.user == vera).count() == 1
    client.post("/portal/signup/slots", data=register_form(vera, hidden, [lunch]))
    assert [o.slot_id for o in offers_of(vera)] == [lunch.id]
    # Sam belongs to Southside but never entered the code: the opportunity stays hidden from him.
    auth.logout()
    auth.login("sam@example.org")
    assert "Christmas Lunch" not in text(client.get("/portal/signup"))


def test_private_code_with_htmx_shows_the_opportunity_in_step_2(auth, client, db, clock):
    hidden = opportunity("Christmas Lunch", private_code="XMAS25")
    slot(hidden, local(2025, 12, 25, 12), "Cook")
    auth.login()
    form = text(client.get("/portal/signup/code", headers=HTMX))
    assert "Private Registration Code" in form and 'hx-post="/portal/signup/code"' in form
    answer = text(client.post("/portal/signup/code", data={"code": "XMAS25"}, headers=HTMX))
    assert 'id="opportunities" hx-swap-oob="true"' in answer and "Christmas Lunch" in answer
    assert "is now shown under Step 2" in answer


def test_volunteer_offers_for_a_family_member(auth, client, db, clock):
    plug = plug_in()
    vera = person(VERA)
    tom = family_member(vera, "Tom", birth_date=date(2005, 1, 1))
    auth.login()
    page = text(client.get("/portal/signup", query_string={"volunteer": tom.id}))
    assert re.search(rf'<option value="{tom.id}" selected>Tom Volunteer</option>', page)
    assert "Plug-In" in page  # Tom shares Vera's group
    cook = slot_of(plug, OCT_9, "Cook")
    assert "Register Tom Volunteer for Plug-In" in text(slots_page(client, tom, plug))
    client.post("/portal/signup/slots", data=register_form(tom, plug, [cook]))
    assert [o.slot_id for o in offers_of(tom)] == [cook.id] and offers_of(vera) == []
    assert offers_of(tom)[0].events.get().by_id == vera.id
    assert member(tom, "Northside")  # so Northside's leaders see him like any volunteer
    [email] = emails_to(VERA, "offer-acknowledgement")
    assert "This email is about Tom Volunteer's registration." in email.body_text


def test_minimum_age_is_checked_on_the_day_of_each_slot(auth, client, db, clock):
    plug = plug_in(min_age=16)
    vera = person(VERA)
    # Amy turns 16 on Oct 16, 2025: too young on Oct 9, old enough from Oct 16.
    amy = family_member(vera, "Amy", birth_date=date(2009, 10, 16))
    young, old_enough = slot_of(plug, OCT_9, "Cook"), slot_of(plug, OCT_16, "Cook")
    auth.login()
    page = text(slots_page(client, amy, plug))
    assert not has_box(page, young) and has_box(page, old_enough)
    assert "Age 16+" in page and "Volunteers must be 16 or over on the day of this slot." in page
    response = client.post(
        "/portal/signup/slots", data=register_form(amy, plug, [young, old_enough]), follow_redirects=True
    )
    assert "Volunteers must be 16 or over" in text(response)
    assert [o.slot_id for o in offers_of(amy)] == [old_enough.id]
    # No birth date: the age is unknown, so no offer until it is added to the profile.
    ben = family_member(vera, "Ben")
    page = text(slots_page(client, ben, plug))
    assert "Ben&#39;s birth date is needed to check the minimum age of 16" in page
    assert not has_box(page, old_enough)


# The finders --------------------------------------------------------------------------------------


def test_calendar_shows_the_month_and_links_each_day_to_its_slots(auth, client, db, clock):
    plug = plug_in()
    vera = person(VERA)
    auth.login()
    page = text(client.get("/portal/signup/calendar", query_string={"volunteer": vera.id}))
    assert "Opportunity Calendar: October 2025" in page and "November 2025 &gt;" in page
    day_link = f"/portal/signup/slots?volunteer={vera.id}&amp;opportunity={plug.id}&amp;day=2025-10-16"
    assert f'href="{day_link}"' in page and "Plug-In: 4 slots" in page
    november = text(client.get("/portal/signup/calendar", query_string={"volunteer": vera.id, "month": "2025-11"}))
    assert "day=2025-11-27" in november and "day=2025-10-16" not in november
    one_day = text(slots_page(client, vera, plug, day="2025-10-16"))
    assert "Thu, Oct 16, 2025" in one_day and "Thu, Oct 9, 2025" not in one_day
    fragment = text(client.get("/portal/signup/calendar", headers=HTMX))
    assert "<html" not in fragment and 'hx-target="#slots"' in fragment


def test_search_by_interest_location_date_and_keyword(auth, client, db, clock):
    plug = plug_in(description="Evening drop-in")
    cooking = InterestCategory.get(InterestCategory.name == "Cooking")
    OpportunityInterest.create(opportunity=plug, category=cooking)
    breakfast = opportunity("Breakfast Club", location="The Hall")
    slot(breakfast, local(2025, 10, 11, 8), "Cook")
    vera = person(VERA)
    auth.login()

    def found(**args):
        page = text(client.get("/portal/signup", query_string={"volunteer": vera.id, **args}))
        return {name for name in ("Plug-In", "Breakfast Club") if f'class="opp-name">{name}<' in page}

    assert found() == {"Plug-In", "Breakfast Club"}
    assert found(interest=cooking.id) == {"Plug-In"}
    assert found(date="2025-10-11") == {"Breakfast Club"}
    assert found(q="drop-in") == {"Plug-In"} and found(q="hall") == {"Breakfast Club"}
    assert found(group=plug.group_id) == {"Plug-In", "Breakfast Club"}
    assert "Please enter the date" in text(client.get("/portal/signup", query_string={"date": "31/02"}))
    form = text(client.get("/portal/signup/search", headers=HTMX))
    assert 'hx-target="#opportunities"' in form and "Southside" not in form  # only Vera's locations
    results = text(
        client.get("/portal/signup", query_string={"q": "hall"}, headers={**HTMX, "HX-Target": "opportunities"})
    )
    assert "<html" not in results and "Breakfast Club" in results and "Plug-In" not in results


# Time --------------------------------------------------------------------------------------------


def test_night_shift_across_the_clock_change_shows_local_times_and_counts_13_hours(auth, client, db, clock):
    # Europe/London goes back an hour at 01:00 UTC on Sunday Oct 25, 2026.
    clock.now = local(2026, 10, 1, 12)
    night = opportunity("Winter Night Shelter", live_from=clock.now - timedelta(days=1))
    shift = slot(night, local(2026, 10, 24, 20), "SL", hours=13, capacity=1)
    assert shift.ends_at == local(2026, 10, 25, 8)  # 8:00 AM GMT, after the change
    vera = person(VERA)
    auth.login()
    page = text(slots_page(client, vera, night))
    assert "Sat, Oct 24, 2026 - 8:00 PM to 8:00 AM (Sun) SL" in page
    client.post("/portal/signup/slots", data=register_form(vera, night, [shift]))
    [offer] = offers_of(vera)
    assert offer.slot.hours == 13
    [email] = emails_to(VERA, "offer-acknowledgement")
    assert "Sat, Oct 24, 2026 - 8:00 PM to 8:00 AM (Sun) (13 hours)" in email.body_text


# On a phone: one of each button and note box, the slot table grouped by date -------------------


def test_step_3_shows_one_note_box_and_the_slot_table_sends_it(auth, client, db, clock):
    plug = plug_in()
    auth.login()
    chosen = client.get(
        "/portal/signup/slots",
        headers=HTMX,
        query_string={"volunteer": person(VERA).id, "choose": plug.id, f"note_{plug.id}": "Happy to cook"},
    )
    page = text(chosen)
    # Step 2a's box is above, on the sign-up page: the table sends it, and has none of its own.
    assert "Step 2a" not in page and f'hx-include="#note-{plug.id}"' in page
    form = {
        "volunteer": person(VERA).id,
        "opportunity": plug.id,
        f"note_{plug.id}": "Happy to cook",
        "slot": [slot_of(plug, OCT_9, "Reserve").id],
    }
    assert "Step 2a" not in text(client.post("/portal/signup/slots", data=form, headers=HTMX))
    assert offers_of(person(VERA))[0].note == "Happy to cook"


def test_the_choose_button_shows_only_until_an_opportunity_is_selected(auth, client, db, clock):
    plug_in()
    auth.login()
    page = text(client.get("/portal/signup"))
    assert page.count("Step 2a: (Optional)") == page.count('type="radio" name="opportunity"')
    assert '<button type="submit" class="primary choose-selected">Choose time slot(s)' in page
    css = text(client.get(re.search(r'href="(/static/cervis\.[0-9a-f]+\.css)"', page).group(1)))
    assert "fieldset.opportunities:has(input[type=radio]:checked) .choose-selected { display: none; }" in css


def test_slot_table_groups_the_slots_under_their_dates_with_the_role_on_its_own(auth, client, db, clock):
    plug = plug_in(weeks=2)
    auth.login()
    page = slots_page(client, person(VERA), plug).get_data(as_text=True)  # the markup, not text()'s words
    assert page.count('<tr class="day-heading">') == 2
    assert '<th colspan="3" scope="rowgroup">Thu, Oct 9, 2025</th>' in page
    assert (
        '<span class="day">Thu, Oct 9, 2025 - </span><span class="time"><span>6:00 PM</span> to '
        '<span>9:00 PM</span></span> <span class="role">Cook</span>'
    ) in page
    assert re.search(
        r'<button type="submit" class="primary">Register<span class="picked" aria-hidden="true">'
        r"</span></button>",
        page,
    )
    assert re.search(r'<script src="/static/slot-count\.[0-9a-f]{10}\.js" defer></script>', page)
