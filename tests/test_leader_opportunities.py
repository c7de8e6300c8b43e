"""Group leaders' "Opportunities and Slots": listing, creating, editing and cancelling opportunities."""

import json
from datetime import datetime

from conftest import emails_to
from helpers_opportunities import fresh, group, offer, opportunity, person, slot, volunteer

from cervis.models import AuditLog, InterestCategory, Opportunity, OpportunityInterest, Registration, RegistrationEvent


def form_data(**overrides):
    data = {
        "group": str(group().id),
        "name": "Night Shelter December",
        "description": "Winter night shelter",
        "location": "The HUB\nEaston Street",
        "private_code": "",
        "live_date": "2025-10-10",
        "live_time": "09:00",
        "deadline_date": "",
        "deadline_time": "",
        "min_age": "",
    }
    data.update(overrides)
    return data


def test_leader_sees_the_opportunities_of_the_groups_they_lead_only(auth, client, db):
    opportunity(name="Northside December")
    opportunity("Southside", name="Southside December")
    auth.login("leo@example.org")
    page = client.get("/leader/opportunities").get_data(as_text=True)
    assert "Opportunities and Slots" in page
    assert "Northside December" in page
    assert "Southside December" not in page


def test_opportunities_page_is_in_the_leaders_menu(auth, client, db):
    auth.login("leo@example.org")
    page = client.get("/leader/").get_data(as_text=True)
    assert "/leader/opportunities" in page


def test_leader_creates_an_opportunity_with_local_live_from_and_interests(auth, client, db):
    cooking = InterestCategory.get(InterestCategory.name == "Cooking")
    auth.login("leo@example.org")
    response = client.post(
        "/leader/opportunities/new",
        data={
            **form_data(private_code=" PLUGIN25 ", min_age="18", deadline_date="2025-11-20"),
            "interests": [str(cooking.id)],
        },
    )
    assert response.status_code == 303
    opp = Opportunity.get(Opportunity.name == "Night Shelter December")
    assert response.headers["Location"].split("#")[0].endswith(f"/leader/opportunities/{opp.id}/slots")
    assert opp.group_id == group().id
    assert opp.location == "The HUB\nEaston Street"
    assert opp.private_code == "PLUGIN25"
    assert opp.min_age == 18
    assert opp.live_from == datetime(2025, 10, 10, 8)  # 9:00 AM British Summer Time
    assert opp.offer_deadline == datetime(2025, 11, 20, 23, 59)  # no time given: the end of that day (GMT)
    assert [link.category_id for link in opp.interest_links] == [cooking.id]
    log = AuditLog.get(AuditLog.action == "opportunity.create")
    assert log.actor == person("leo@example.org") and log.object_id == opp.id
    assert json.loads(log.after)["name"] == "Night Shelter December"
    assert "created" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_new_opportunity_form_offers_only_the_groups_led(auth, client, db):
    auth.login("leo@example.org")
    page = client.get("/leader/opportunities/new").get_data(as_text=True)
    assert "Northside" in page and "Southside" not in page
    assert "Meeting Location" in page and "Private Registration Code" in page and "Cooking" in page


def test_crafted_group_the_leader_does_not_lead_is_refused(auth, client, db):
    auth.login("leo@example.org")
    response = client.post("/leader/opportunities/new", data=form_data(group=str(group("Southside").id)))
    assert response.status_code == 400
    assert not Opportunity.select().exists()


def test_missing_name_is_shown_beside_the_field_and_the_rest_is_kept(auth, client, db):
    auth.login("leo@example.org")
    response = client.post("/leader/opportunities/new", data=form_data(name="", description="Keep me"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Please enter the opportunity&#39;s name." in page
    assert "Keep me" in page
    assert not Opportunity.select().exists()


def test_private_code_already_used_is_refused_whatever_its_case(auth, client, db):
    opportunity(private_code="PLUGIN25")
    auth.login("leo@example.org")
    response = client.post("/leader/opportunities/new", data=form_data(private_code="plugin25"))
    assert response.status_code == 400
    assert "Another opportunity already uses this code." in response.get_data(as_text=True)
    assert Opportunity.select().count() == 1


def test_offer_deadline_before_going_live_is_refused(auth, client, db):
    auth.login("leo@example.org")
    response = client.post(
        "/leader/opportunities/new", data=form_data(deadline_date="2025-10-01", deadline_time="18:00")
    )
    assert response.status_code == 400
    assert "The offer deadline must be after the date it goes live." in response.get_data(as_text=True)


def test_minimum_age_must_be_a_sensible_number(auth, client, db):
    auth.login("leo@example.org")
    response = client.post("/leader/opportunities/new", data=form_data(min_age="0"))
    assert response.status_code == 400
    assert "Please enter an age from 1 to 120" in response.get_data(as_text=True)


def test_leader_edits_an_opportunity_and_the_audit_log_keeps_before_and_after(auth, client, db):
    opp = opportunity(name="Night Shelter November", offer_deadline=datetime(2025, 10, 20, 17))
    OpportunityInterest.create(opportunity=opp, category=InterestCategory.get(InterestCategory.name == "Cooking"))
    auth.login("leo@example.org")
    page = client.get(f"/leader/opportunities/{opp.id}/edit").get_data(as_text=True)
    assert 'value="Night Shelter November"' in page
    assert 'value="18:00"' in page  # the deadline in local time (BST)
    response = client.post(f"/leader/opportunities/{opp.id}/edit", data=form_data(name="Night Shelter Nov 2025"))
    assert response.status_code == 303
    opp = fresh(opp)
    assert opp.name == "Night Shelter Nov 2025"
    assert opp.offer_deadline is None
    assert not opp.interest_links.exists()
    log = AuditLog.get(AuditLog.action == "opportunity.edit")
    before, after = json.loads(log.before), json.loads(log.after)
    assert before["name"] == "Night Shelter November" and after["name"] == "Night Shelter Nov 2025"
    assert before["interests"] and after["interests"] == []


def test_group_of_an_opportunity_with_slots_cannot_change(auth, client, db):
    opp = opportunity()
    slot(opp)
    auth.login("ada@example.org")
    response = client.post(f"/leader/opportunities/{opp.id}/edit", data=form_data(group=str(group("Southside").id)))
    assert response.status_code == 400
    assert "its group cannot change" in response.get_data(as_text=True)
    assert fresh(opp).group_id == group().id


def test_leo_cannot_open_edit_or_cancel_a_southside_opportunity(auth, client, db):
    south = opportunity("Southside", name="Southside December")
    auth.login("leo@example.org")
    assert client.get(f"/leader/opportunities/{south.id}/edit").status_code == 403
    assert client.post(f"/leader/opportunities/{south.id}/edit", data=form_data()).status_code == 403
    assert client.get(f"/leader/opportunities/{south.id}/cancel").status_code == 403
    assert client.post(f"/leader/opportunities/{south.id}/cancel", data={"message": "x"}).status_code == 403
    south = fresh(south)
    assert south.name == "Southside December" and south.cancelled_at is None


def test_volunteer_cannot_reach_the_opportunities_pages(auth, client, db):
    opp = opportunity()
    auth.login()
    assert client.get("/leader/opportunities").status_code == 403
    assert client.get("/leader/opportunities/new").status_code == 403
    assert client.post("/leader/opportunities/new", data=form_data()).status_code == 403
    assert client.post(f"/leader/opportunities/{opp.id}/cancel", data={"message": "x"}).status_code == 403
    assert fresh(opp).cancelled_at is None


def test_unknown_opportunity_is_404(auth, client, db):
    auth.login("leo@example.org")
    assert client.get("/leader/opportunities/999/edit").status_code == 404


def _cancellable():
    """Vera registered, Pat pending (twice), Cal cancelled earlier."""
    opp = opportunity(name="Night Shelter November")
    cook = slot(opp, "Cook", datetime(2030, 11, 7, 18), datetime(2030, 11, 7, 21))
    reserve = slot(opp, "Reserve", datetime(2030, 11, 7, 18), datetime(2030, 11, 7, 21))
    later = slot(opp, "Cook", datetime(2030, 11, 14, 18), datetime(2030, 11, 14, 21))
    vera, pat, cal = person("vera@example.org"), volunteer("Pat"), volunteer("Cal")
    regs = [offer(cook, vera, "registered"), offer(reserve, pat), offer(later, pat), offer(later, cal, "cancelled")]
    return opp, regs


def test_cancelling_emails_registered_and_pending_volunteers_but_not_cancelled_ones(auth, client, db):
    opp, regs = _cancellable()
    auth.login("leo@example.org")
    page = client.get(f"/leader/opportunities/{opp.id}/cancel").get_data(as_text=True)
    assert "2 volunteers are registered or waiting" in page
    response = client.post(
        f"/leader/opportunities/{opp.id}/cancel", data={"message": "The church hall is flooded. Sorry!"}
    )
    assert response.status_code == 303
    assert fresh(opp).cancelled_at is not None
    assert [fresh(r).status for r in regs] == ["cancelled"] * 4
    assert RegistrationEvent.select().where(RegistrationEvent.status == "cancelled").count() == 3
    [to_vera] = emails_to("vera@example.org", "opportunity-cancelled")
    [to_pat] = emails_to("pat@example.org", "opportunity-cancelled")
    assert emails_to("cal@example.org") == []
    assert to_vera.subject == "Cancelled: Night Shelter November"
    assert "The church hall is flooded. Sorry!" in to_vera.body_text
    assert "Thu, Nov 7, 2030 - 6:00 PM to 9:00 PM Cook" in to_vera.body_text
    assert "Thu, Nov 7, 2030 - 6:00 PM to 9:00 PM Reserve" in to_pat.body_text
    assert "Thu, Nov 14, 2030 - 6:00 PM to 9:00 PM Cook" in to_pat.body_text
    assert "flooded" in to_pat.body_html
    log = AuditLog.get(AuditLog.action == "opportunity.cancel")
    assert json.loads(log.before)["cancelled_at"] is None
    assert json.loads(log.after)["message"] == "The church hall is flooded. Sorry!"
    listing = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 volunteers will be e-mailed." in listing


def test_cancelling_with_registrations_asks_for_a_message_first(auth, client, db):
    opp, regs = _cancellable()
    auth.login("leo@example.org")
    response = client.post(f"/leader/opportunities/{opp.id}/cancel", data={"message": "  "})
    assert response.status_code == 400
    assert "Please write a message" in response.get_data(as_text=True)
    assert fresh(opp).cancelled_at is None
    assert fresh(regs[0]).status == "registered"
    assert emails_to("vera@example.org", "opportunity-cancelled") == []


def test_cancelling_an_opportunity_nobody_offered_for_needs_no_message(auth, client, db):
    opp = opportunity()
    slot(opp)
    auth.login("leo@example.org")
    assert "Nobody is registered" in client.get(f"/leader/opportunities/{opp.id}/cancel").get_data(as_text=True)
    response = client.post(f"/leader/opportunities/{opp.id}/cancel", data={"message": ""})
    assert response.status_code == 303
    assert fresh(opp).cancelled_at is not None


def test_a_family_members_cancellation_goes_to_the_parent(auth, client, db):
    opp = opportunity(name="Night Shelter November")
    vera = person("vera@example.org")
    kid = volunteer("Kit", email=None, family_of=vera, password_hash=None)
    kid.email = None
    kid.save()
    offer(slot(opp), kid)
    auth.login("leo@example.org")
    client.post(f"/leader/opportunities/{opp.id}/cancel", data={"message": "Sorry"})
    [email] = emails_to("vera@example.org", "opportunity-cancelled")
    assert "Kit Volunteer" in email.body_text
    assert fresh(kid).registrations.get().status == "cancelled"


def test_a_cancelled_opportunity_cannot_be_edited_or_cancelled_again(auth, client, db):
    opp = opportunity(cancelled_at=datetime(2025, 10, 1))
    auth.login("leo@example.org")
    response = client.post(f"/leader/opportunities/{opp.id}/edit", data=form_data(name="Changed"))
    assert response.status_code == 303
    assert fresh(opp).name != "Changed"
    response = client.post(f"/leader/opportunities/{opp.id}/cancel", data={"message": "again"})
    assert response.status_code == 303
    assert "already cancelled" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_past_and_cancelled_opportunities_are_listed_apart(auth, client, db):
    opportunity(name="Next Winter")
    opportunity(name="Called Off", cancelled_at=datetime(2025, 10, 1))
    slot(opportunity(name="Last Winter"), starts=datetime(2020, 1, 2, 18), ends=datetime(2020, 1, 2, 21))
    auth.login("leo@example.org")
    current = client.get("/leader/opportunities").get_data(as_text=True)
    past = client.get("/leader/opportunities?show=past").get_data(as_text=True)
    assert "Next Winter" in current and "Called Off" not in current and "Last Winter" not in current
    assert "Called Off" in past and "Last Winter" in past and "Next Winter" not in past
    assert "Thu, Jan 2, 2020" in past


def test_cancelled_registrations_are_kept_not_deleted(auth, client, db):
    opp, regs = _cancellable()
    auth.login("leo@example.org")
    client.post(f"/leader/opportunities/{opp.id}/cancel", data={"message": "Sorry"})
    assert Registration.select().count() == 4
    reg = fresh(regs[0])
    assert reg.cancelled_by == person("leo@example.org") and reg.cancel_reason == "Sorry"
