"""The guide's FAQ "How can I see what activities I'm registered for?" and "How can I cancel a shift?"."""

from datetime import timedelta

from conftest import emails_to

from cervis import cancellation
from cervis.db import utcnow
from cervis.models import (
    CANCELLED,
    NOT_REQUIRED,
    PENDING,
    REGISTERED,
    Email,
    Opportunity,
    Registration,
    RegistrationEvent,
    Role,
    Slot,
    User,
)
from cervis.timeutil import slot_when
from helpers_registrations import cancel, fresh, person, register, shift, shift_leader_at, vera

HTMX = {"HX-Request": "true"}
LEO = "leo@example.org"


# Seeing what I'm registered for ------------------------------------------------------------------


def test_view_or_cancel_registration_page_uses_the_guides_words(auth, client, db):
    register(vera(), shift())
    auth.login()
    page = client.get("/portal/registrations").get_data(as_text=True)
    for words in (
        "WHC Event Registration",
        "Your current registration for upcoming opportunities is listed below.",
        "If you would like to SIGN UP for a new, upcoming opportunity, please",
        "If you would like to view your PAST registration activity, please",
        "CLICK HERE",
        "Current Registration Activity",
        "Registration Info",
        "Reason for Canceling (Optional)",
        "Cancel selected registration(s)",
        "&lt; Portal Home",
    ):
        assert words in page
    assert 'href="/portal/registrations/past"' in page


def test_list_shows_pending_registered_and_reserve_for_me_and_my_family(auth, client, db):
    me = vera()
    fin = User.create(first_name="Fin", last_name="Volunteer", family_of=me)
    pending, registered = shift("Cook"), shift("Shift Asst", starts_in=timedelta(days=11))
    reserve, family = shift("Reserve", starts_in=timedelta(days=12)), shift("Cook", starts_in=timedelta(days=13))
    register(me, pending, PENDING)
    register(me, registered)
    register(me, reserve)
    register(fin, family, PENDING)
    auth.login()
    page = client.get("/portal/registrations").get_data(as_text=True)
    assert page.count("Pending") == 2
    assert "Registered (Reserve)" in page
    assert page.count(">Registered<") == 1
    with client.application.test_request_context():
        assert slot_when(registered.starts_at, registered.ends_at) in page
    assert "Northside Night Shelter" in page and "Shift Asst" in page
    assert "Fin Volunteer" in page and "Vera Volunteer" in page
    assert page.index("Cook") < page.index("Registered (Reserve)")  # soonest first


def test_list_leaves_out_ended_cancelled_not_required_and_other_volunteers(auth, client, db):
    me, sam = vera(), User.by_email("sam@example.org")
    register(me, shift("Cook", starts_in=-timedelta(days=2)))
    register(me, shift("SL"), CANCELLED)
    register(me, shift("Reserve"), NOT_REQUIRED)
    register(sam, shift("Cook", group="Southside"))
    auth.login()
    page = client.get("/portal/registrations").get_data(as_text=True)
    assert "You have no registrations for upcoming opportunities." in page
    assert "Southside" not in page and "Cancel selected registration(s)" not in page


def test_list_needs_a_log_in(client):
    response = client.get("/portal/registrations")
    assert response.status_code in (302, 303) and "/login" in response.headers["Location"]


def test_a_registration_knows_its_status_label(db):
    """The words the volunteer's list and the slot table show, from the registration alone."""
    assert register(vera(), shift("Reserve")).status_label == "Registered (Reserve)"
    assert register(vera(), shift("Cook")).status_label == "Registered"
    assert register(vera(), shift(starts_in=timedelta(days=11)), PENDING).status_label == "Pending"
    assert register(vera(), shift(starts_in=timedelta(days=12)), NOT_REQUIRED).status_label == "Not Required"
    assert register(vera(), shift(starts_in=timedelta(days=13)), CANCELLED).status_label == "Cancelled"


# Cancelling on CERVIS ----------------------------------------------------------------------------


def test_volunteer_cancels_with_a_reason_and_the_group_leader_is_told(auth, client, db):
    slot = shift(capacity=2)
    reg = register(vera(), slot)
    register(User.by_email("sam@example.org"), slot)
    auth.login()
    response = cancel(client, reg, reason="My car has broken down")
    assert response.status_code == 303 and response.headers["Location"].endswith("/portal/registrations#answer")
    reg = fresh(reg)
    assert reg.status == CANCELLED and reg.cancelled_by_id == vera().id and reg.cancelled_at is not None
    assert reg.cancel_reason == "My car has broken down"
    event = RegistrationEvent.get(RegistrationEvent.registration == reg)
    assert event.status == CANCELLED and event.by_id == vera().id
    page = client.get("/portal/registrations").get_data(as_text=True)
    assert "banner-success" in page and "Your registration has been cancelled." in page
    assert "You have no registrations for upcoming opportunities." in page
    [email] = emails_to(LEO, "cancellation-leader")
    assert not email.urgent and not email.subject.startswith("URGENT")
    assert "Vera Volunteer" in email.subject
    assert "Vera Volunteer has cancelled a registration at Northside." in email.body_text
    assert "My car has broken down" in email.body_text and "(was Registered)" in email.body_text
    assert "Volunteers now registered for this slot: 1/2" in email.body_text
    assert slot_when(slot.starts_at, slot.ends_at) in email.body_text
    assert emails_to("olga@example.org") == []  # Southside's leader hears nothing of Northside


def test_volunteer_cancels_without_a_reason_with_htmx_and_the_table_swaps_in_place(auth, client, db):
    keep = register(vera(), shift("Cook", starts_in=timedelta(days=20)))
    reg = register(vera(), shift(), PENDING)
    auth.login()
    response = cancel(client, reg, headers=HTMX)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    fragment = response.get_data(as_text=True)
    assert '<div id="registrations">' in fragment and 'hx-swap-oob="true"' in fragment
    assert "banner-success" in fragment and "Your registration has been cancelled." in fragment
    assert f'value="{keep.id}"' in fragment and f'value="{reg.id}"' not in fragment
    assert "<html" not in fragment
    assert fresh(reg).status == CANCELLED and fresh(reg).cancel_reason == ""
    assert fresh(keep).status == REGISTERED
    [email] = emails_to(LEO, "cancellation-leader")
    assert "Reason for Canceling: (none given)" in email.body_text and "(was Pending)" in email.body_text


def test_cancelling_two_at_once_sends_each_leader_one_email(auth, client, db):
    first, second = register(vera(), shift()), register(vera(), shift("Cook"))
    auth.login()
    assert cancel(client, first, second).status_code == 303
    assert fresh(first).status == fresh(second).status == CANCELLED
    [email] = emails_to(LEO, "cancellation-leader")
    assert "2 registrations" in email.subject and "Cook" in email.body_text and "Shift Asst" in email.body_text
    assert "2 registrations have been cancelled" in client.get("/portal/registrations").get_data(as_text=True)


def test_nothing_selected_shows_a_red_banner_and_keeps_the_reason(auth, client, db):
    reg = register(vera(), shift())
    auth.login()
    response = cancel(client, reason="Away that week")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "banner-error" in page and "Please select the registration(s) you want to cancel" in page
    assert "Away that week" in page
    response = cancel(client, headers=HTMX, reason="Away that week")
    assert response.status_code == 200
    assert "banner-error" in response.get_data(as_text=True)
    assert fresh(reg).status == REGISTERED and Email.select().count() == 0


def test_a_too_long_reason_is_refused_beside_the_field_and_the_tick_kept(auth, client, db):
    reg = register(vera(), shift())
    auth.login()
    response = cancel(client, reg, reason="x" * 1001)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Please keep the reason under 1,000 characters." in page and "checked" in page
    assert fresh(reg).status == REGISTERED


def test_volunteer_cannot_cancel_someone_elses_registration_by_id(auth, client, db):
    sams = register(User.by_email("sam@example.org"), shift(group="Southside"))
    mine = register(vera(), shift())
    auth.login()
    assert cancel(client, sams).status_code == 404
    assert cancel(client, mine, sams).status_code == 404
    assert cancel(client, mine, registration="abc").status_code == 404
    assert fresh(sams).status == REGISTERED and fresh(mine).status == REGISTERED
    assert Email.select().count() == 0 and RegistrationEvent.select().count() == 0


def test_parent_cancels_a_family_members_registration(auth, client, db):
    fin = User.create(first_name="Fin", last_name="Volunteer", family_of=vera())
    reg = register(fin, shift("Cook"))
    auth.login()
    assert cancel(client, reg, reason="School trip").status_code == 303
    reg = fresh(reg)
    assert reg.status == CANCELLED and reg.cancelled_by_id == vera().id
    [email] = emails_to(LEO, "cancellation-leader")
    assert "Fin Volunteer" in email.body_text and "Vera Volunteer has cancelled" in email.body_text


def test_a_registration_cancelled_in_another_tab_is_not_cancelled_twice(auth, client, db):
    reg = register(vera(), shift())
    auth.login()
    cancel(client, reg)
    response = cancel(client, reg)
    assert response.status_code == 409 and "Nothing was cancelled" in response.get_data(as_text=True)
    assert RegistrationEvent.select().count() == 1 and len(emails_to(LEO)) == 1


# The 48-hour rule --------------------------------------------------------------------------------


def test_within_48_hours_the_volunteer_is_told_to_call_the_shift_leader_then_cancels(auth, client, db):
    soon = shift(starts_in=timedelta(hours=30))
    shift_leader_at(soon)
    reg = register(vera(), soon)
    auth.login()
    response = cancel(client, reg, reason="Flu")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "This shift starts within 48 hours" in page and "Please contact your shift leader directly" in page
    assert "Sue Shiftlead" in page and "07700 900123" in page and 'href="tel:07700900123"' in page
    assert "Cancel anyway" in page and 'name="confirm" value="1"' in page and "Flu" in page
    assert fresh(reg).status == REGISTERED and Email.select().count() == 0

    response = cancel(client, reg, reason="Flu", confirm="1")
    assert response.status_code == 303 and fresh(reg).status == CANCELLED
    [email] = emails_to(LEO, "cancellation-leader")
    assert email.urgent and email.subject.startswith("URGENT: ")
    assert "within 48 hours" in email.body_text and "Shift leader: Sue Shiftlead, 07700 900123" in email.body_text


def test_the_shift_leader_is_the_one_registered_that_night_in_the_same_opportunity(app, db):
    soon = shift(starts_in=timedelta(hours=30))
    reg = register(vera(), soon)
    sl = Role.get(Role.name == "SL", Role.group == soon.opportunity.group)
    other_night = Slot.create(
        opportunity=soon.opportunity,
        role=sl,
        starts_at=soon.starts_at + timedelta(days=7),
        ends_at=soon.ends_at + timedelta(days=7),
    )
    register(person("ann@example.org", "Ann", "Othernight", mobile="07700 900111"), other_night)
    offered = register(
        person("bob@example.org", "Bob", "Offered", mobile="07700 900222"),
        Slot.create(opportunity=soon.opportunity, role=sl, starts_at=soon.starts_at, ends_at=soon.ends_at),
        PENDING,
    )
    with app.test_request_context():
        assert cancellation.shift_leader(reg) is None
        Registration.update(status=REGISTERED).where(Registration.id == offered.id).execute()
        assert cancellation.shift_leader(fresh(reg)) == {"name": "Bob Offered", "phone": "07700 900222"}


def test_within_48_hours_by_htmx_the_question_swaps_in_and_cancel_anyway_cancels(auth, client, db):
    reg = register(vera(), shift(starts_in=timedelta(hours=5)))
    auth.login()
    page = cancel(client, reg, headers=HTMX).get_data(as_text=True)
    assert "Cancel anyway" in page and '<div id="registrations">' in page
    assert "No shift leader is registered for this shift yet" in page and "01234 567890" in page
    response = cancel(client, reg, headers=HTMX, confirm="1")
    assert "Your registration has been cancelled." in response.get_data(as_text=True)
    assert fresh(reg).status == CANCELLED and emails_to(LEO)[0].urgent


def test_a_shift_that_has_started_shows_without_a_checkbox_and_cannot_be_cancelled(auth, client, db):
    reg = register(vera(), shift(starts_in=-timedelta(hours=1)))
    auth.login()
    page = client.get("/portal/registrations").get_data(as_text=True)
    assert "This shift has started" in page and f'value="{reg.id}"' not in page
    response = cancel(client, reg, confirm="1")
    assert response.status_code == 409 and fresh(reg).status == REGISTERED


# The cancellation link in e-mails ----------------------------------------------------------------


def link_for(client, reg):
    with client.application.test_request_context():
        url = cancellation.cancel_url(reg)
    return url.removeprefix("http://localhost")


def test_cancel_url_is_an_absolute_signed_link(app, db):
    reg = register(vera(), shift())
    with app.test_request_context():
        url = cancellation.cancel_url(reg)
    assert url.startswith("http://localhost/portal/cancel/")
    assert cancellation.registration_from_token(url.rsplit("/", 1)[1]).id == reg.id
    assert cancellation.cancel_url(reg) == url  # the scheduler, outside a request, makes the same link


def test_opening_the_link_shows_the_shift_and_changes_nothing(client, db):
    slot = shift()
    reg = register(vera(), slot)
    response = client.get(link_for(client, reg))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Cancel Registration" in page and "Reason for Canceling (Optional)" in page
    assert "Northside Night Shelter" in page and "Shift Asst" in page
    with client.application.test_request_context():
        assert slot_when(slot.starts_at, slot.ends_at) in page
    assert "<dd>Vera</dd>" in page
    for private in ("vera@example.org", "Vera Volunteer", "07700", "HP11"):
        assert private not in page
    assert fresh(reg).status == REGISTERED
    assert Email.select().count() == 0 and RegistrationEvent.select().count() == 0


def test_email_link_cancels_once_and_the_second_time_says_already_cancelled(client, db):
    reg = register(vera(), shift())
    link = link_for(client, reg)
    response = client.post(link, data={"reason": "Double booked"})
    assert response.status_code == 200
    assert "Your registration has been cancelled." in response.get_data(as_text=True)
    reg = fresh(reg)
    assert reg.status == CANCELLED and reg.cancel_reason == "Double booked"
    assert reg.cancelled_by_id == vera().id
    assert "Double booked" in emails_to(LEO, "cancellation-leader")[0].body_text

    again = client.get(link)
    assert again.status_code == 410
    assert "This registration has already been cancelled." in again.get_data(as_text=True)
    assert client.post(link, data={"reason": "again"}).status_code == 410
    assert RegistrationEvent.select().count() == 1 and len(emails_to(LEO)) == 1
    assert fresh(reg).cancel_reason == "Double booked"


def test_email_link_after_the_shift_has_started_is_refused(client, db):
    reg = register(vera(), shift(starts_in=-timedelta(minutes=10)))
    link = link_for(client, reg)
    response = client.get(link)
    assert response.status_code == 410
    assert "This shift has already started" in response.get_data(as_text=True)
    assert "Cancel Registration</button>" not in response.get_data(as_text=True)
    assert client.post(link).status_code == 410 and fresh(reg).status == REGISTERED


def test_email_link_within_48_hours_asks_to_call_the_shift_leader(client, db):
    soon = shift(starts_in=timedelta(hours=20))
    shift_leader_at(soon, later=timedelta(hours=1))
    reg = register(vera(), soon)
    page = client.get(link_for(client, reg)).get_data(as_text=True)
    assert "This shift starts within 48 hours" in page and "Sue Shiftlead" in page and "07700 900123" in page
    client.post(link_for(client, reg))
    assert fresh(reg).status == CANCELLED and emails_to(LEO)[0].urgent


def test_a_forged_or_mangled_link_is_not_found(client, db):
    reg = register(vera(), shift())
    link = link_for(client, reg)
    assert client.get(link[:-2] + "xx").status_code == 404
    assert client.post(link[:-2] + "xx").status_code == 404
    assert "This cancellation link is not valid." in client.get("/portal/cancel/nonsense").get_data(as_text=True)
    assert fresh(reg).status == REGISTERED


def test_email_link_for_a_family_member_is_cancelled_by_the_parent(client, db):
    fin = User.create(first_name="Fin", last_name="Volunteer", family_of=vera())
    reg = register(fin, shift("Cook"))
    client.post(link_for(client, reg))
    assert fresh(reg).status == CANCELLED and fresh(reg).cancelled_by_id == vera().id


def test_email_link_for_a_family_member_with_a_blank_address_is_cancelled_by_the_parent(client, db):
    fin = User.create(first_name="Fin", last_name="Volunteer", email="", family_of=vera())
    reg = register(fin, shift("Cook"))
    client.post(link_for(client, reg))
    assert fresh(reg).status == CANCELLED and fresh(reg).cancelled_by_id == vera().id


def test_a_cancelled_opportunity_moves_to_past_activity(auth, client, db):
    slot = shift()
    register(vera(), slot)
    Opportunity.update(cancelled_at=utcnow()).where(Opportunity.id == slot.opportunity_id).execute()
    auth.login()
    assert "Northside Night Shelter" not in client.get("/portal/registrations").get_data(as_text=True)
    assert "Opportunity Cancelled" in client.get("/portal/registrations/past").get_data(as_text=True)


# Past registration activity ----------------------------------------------------------------------


def test_past_registration_activity_lists_ended_cancelled_and_not_required_newest_first(auth, client, db):
    me = vera()
    old = register(me, shift("Cook", starts_in=-timedelta(days=30)))
    recent = register(me, shift("Shift Asst", starts_in=-timedelta(days=3)))
    dropped = register(me, shift("SL", starts_in=timedelta(days=5)), CANCELLED)
    Registration.update(cancel_reason="Holiday", cancelled_by=me, cancelled_at=utcnow()).where(
        Registration.id == dropped.id
    ).execute()
    register(me, shift("Reserve", starts_in=timedelta(days=6)), NOT_REQUIRED)
    register(me, shift("Cook", starts_in=timedelta(days=7)))  # upcoming: not past
    auth.login()
    page = client.get("/portal/registrations/past").get_data(as_text=True)
    assert "Past Registration Activity" in page
    assert "Cancelled" in page and "Holiday" in page and "Not Required" in page
    assert page.count("<tr>") == 1 + 4
    assert page.index("Not Required") < page.index("Holiday") < page.index(">Registered<")
    with client.application.test_request_context():
        assert page.index(slot_when(recent.slot.starts_at, recent.slot.ends_at)) < page.index(
            slot_when(old.slot.starts_at, old.slot.ends_at)
        )


def test_the_cancelled_message_shows_once_beside_the_button(auth, client, db):
    reg = register(vera(), shift(), PENDING)
    auth.login()
    fragment = cancel(client, reg, headers=HTMX).get_data(as_text=True)
    assert fragment.count("Your registration has been cancelled.") == 1
    assert '<div id="banners" hx-swap-oob="true"></div>' in fragment  # the top banner emptied
