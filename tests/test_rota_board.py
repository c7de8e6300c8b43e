"""The rota board: a group leader's month of slots, offers and the buttons that build the rota."""

from datetime import date

import pytest
from conftest import PASSWORD
from helpers_rota import (
    HTMX,
    LEO,
    MONTH,
    OLGA,
    YEAR,
    act,
    board,
    fresh,
    member,
    night,
    offer,
    opened,
    panel,
    opportunity,
    race,
    user,
)

from cervis import rota
from cervis.db import database, utcnow
from cervis.months import parse_month
from cervis.models import CANCELLED, NOT_REQUIRED, PENDING, REGISTERED, AuditLog, Email, Registration, RegistrationEvent


def vera():
    return user("vera@example.org")


# Seeing the month -------------------------------------------------------------------------------


def test_board_shows_each_date_and_slot_with_counts_and_offers(auth, client, db):
    cook, asst = night(5, "Cook"), night(5, "Shift Asst")
    bea = member("Bea", frequency="Fortnightly")
    offer(vera(), cook, note="Happy to cook, home by 10 please")
    offer(bea, asst)
    offer(bea, night(12, "Cook"), status=REGISTERED)
    auth.login(LEO)
    page = board(client).get_data(as_text=True)
    assert f"Rota: Northside Night Shelter, February {YEAR}" in page
    assert '<h2 id="d5">Sat 5</h2>' in page or '<h2 id="d5">' in page
    assert f'id="c{cook.id}" class="cell offers"' in page and "Cook <b>0/1</b> 1 offer" in page
    assert "Cook <b>1/1</b> Full" in page  # the 12th, Bea registered
    assert "Vera Volunteer" not in page  # the month carries counts; people load when a slot opens
    for button in ("Suggest Rota", "Complete Rota", "Short only", "With offers"):
        assert button in page
    cook_panel, asst_panel = panel(client, cook), panel(client, asst)
    assert "<strong>0 / 1</strong> registered" in cook_panel
    assert "Vera Volunteer" in cook_panel and "Happy to cook, home by 10 please" in cook_panel
    assert "Prefers: Fortnightly · 1 shift this month" in asst_panel  # Bea's registered Cook night
    assert "Prefers: Not given · 0 shifts this month in all groups" in cook_panel
    for button in ("Accept", "Not Required", "Accept Selected", "Not Required Selected", "Add Volunteer to Slot"):
        assert button in cook_panel


def test_board_shows_one_month_at_a_time_with_month_links(auth, client, db):
    night(5, "Cook")
    offer(vera(), night(9, "Cook", month=3), note="A March night")
    auth.login(LEO)
    february = board(client).get_data(as_text=True)
    assert "1 offer" not in february
    assert f"month={YEAR}-03" in february and f"month={YEAR}-01" in february
    march = board(client, month=f"{YEAR}-03").get_data(as_text=True)
    assert "Cook <b>0/1</b> 1 offer" in march


def test_board_opens_on_the_first_upcoming_month_with_offers(auth, client, db):
    night(5, "Cook")
    offer(vera(), night(9, "Cook", month=3), note="Pending in March")
    auth.login(LEO)
    page = client.get(f"/leader/opportunities/{opportunity().id}/rota").get_data(as_text=True)
    assert f"March {YEAR}</h1>" in page and "1 offer" in page


def test_a_month_that_is_not_a_month_is_refused(auth, client, db):
    auth.login(LEO)
    assert board(client, month="February").status_code == 400


def test_the_board_and_an_announcements_link_read_a_month_the_same_way(auth, client, db):
    assert parse_month(" 2026-11 ") == date(2026, 11, 1)
    assert [parse_month(text) for text in ("February", "2026-13", "1999-12", "", None)] == [None] * 5
    auth.login(LEO)
    assert board(client, month=" 2026-11 ").status_code == 200
    assert board(client, month="1999-12").status_code == 400


def test_pending_offer_warns_when_the_volunteer_is_already_on_at_that_time(auth, client, db):
    offer(vera(), night(5, "Cook"), status=REGISTERED)
    asst = night(5, "Shift Asst")
    offer(vera(), asst)
    auth.login(LEO)
    page = panel(client, asst)
    assert "Already registered as Cook at an overlapping time" in page
    assert 'value="accept:' not in page  # Accept is not offered where it would be refused


def test_board_queries_do_not_grow_with_dates_roles_and_offers(auth, client, db, monkeypatch):
    """~30 dates x 4 roles x 10 offers: a few grouped queries, never one per row."""
    opp = opportunity()

    def count_queries():
        seen = []
        real = database.obj.execute_sql
        monkeypatch.setattr(database.obj, "execute_sql", lambda sql, *a, **k: seen.append(sql) or real(sql, *a, **k))
        assert board(client, opp).status_code == 200
        monkeypatch.undo()
        return len(seen)

    people = [member(f"Person{i}", frequency="Weekly") for i in range(10)]
    first = [night(1, role) for role in ("Cook", "Reserve", "Shift Asst", "SL")]
    Registration.insert_many([{"volunteer": p.id, "slot": s.id} for s in first for p in people[:2]]).execute()
    auth.login(LEO)
    small = count_queries()
    slots = [night(day, role) for day in range(2, 29) for role in ("Cook", "Reserve", "Shift Asst", "SL")]
    Registration.insert_many([{"volunteer": p.id, "slot": s.id} for s in slots for p in people]).execute()
    Registration.update(status=REGISTERED).where(
        Registration.slot == slots[0].id, Registration.volunteer == people[0].id
    ).execute()
    big = count_queries()
    assert big <= small < 20


def test_volunteers_and_other_groups_leaders_cannot_open_the_board(auth, client, db):
    night(5, "Cook")
    auth.login()
    assert board(client).status_code == 403
    auth.logout()
    auth.login(OLGA)
    assert board(client).status_code == 403


def test_administrator_can_open_any_board(auth, client, db):
    cook = night(5, "Cook")
    offer(vera(), cook)
    auth.login("ada@example.org")
    assert board(client).status_code == 200
    assert "Vera Volunteer" in opened(client, cook)


# Accept -------------------------------------------------------------------------------------------


def test_accept_with_htmx_swaps_the_slot_and_updates_counts_in_place(auth, client, db):
    cook = night(5, "Cook")
    other = night(12, "Shift Asst")
    reg, later = offer(vera(), cook), offer(vera(), other)
    auth.login(LEO)
    response = act(client, "accept", reg, htmx=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<article class="slot" id="slot-{cook.id}"')
    assert "<strong>1 / 1</strong> registered · Full" in body
    assert f'<a id="c{cook.id}" class="cell full"' in body  # the month's cell, swapped out of band
    assert f'id="c{other.id}"' not in body  # only what changed
    assert 'id="rota-counts"' in body and 'id="banners"' in body and "banner-success" in body
    answer = body.index('id="answer" class="answer banner banner-success" role="status" tabindex="-1" autofocus')
    assert answer < body.index("</article>")  # the answer is inside the slot, next to its buttons
    assert "Accepted: Vera Volunteer" in body
    assert fresh(reg).status == REGISTERED and fresh(later).status == PENDING


def test_accept_with_a_plain_form_goes_back_to_the_slot_with_a_green_banner(auth, client, db):
    cook = night(5, "Cook")
    reg = offer(vera(), cook)
    auth.login(LEO)
    response = act(client, "accept", reg)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/rota?month={MONTH}&slot={cook.id}#answer")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "banner-success" in page and "Accepted: Vera Volunteer" in page
    slot_block = page[page.index(f'<article class="slot" id="slot-{cook.id}"') :]
    assert 'id="answer"' in slot_block and "Accepted: Vera Volunteer" in slot_block  # beside the slot too
    assert fresh(reg).status == REGISTERED


def test_accepting_into_a_full_slot_is_refused_and_says_why(auth, client, db):
    cook = night(5, "Cook", capacity=1)
    offer(member("Bea"), cook, status=REGISTERED)
    reg = offer(vera(), cook)
    auth.login(LEO)
    body = act(client, "accept", reg, htmx=True).get_data(as_text=True)
    assert "banner-error" in body and "is Full (1 / 1)" in body
    plain = act(client, "accept", reg)
    assert plain.status_code == 303
    assert "is Full (1 / 1)" in client.get(plain.headers["Location"]).get_data(as_text=True)
    assert fresh(reg).status == PENDING
    assert not Email.select().where(Email.kind == "confirmation").exists()


def test_accepting_into_an_overlapping_slot_is_refused(auth, client, db):
    offer(vera(), night(5, "Cook", start=18, hours=3), status=REGISTERED)
    reg = offer(vera(), night(5, "Shift Asst", start=20, hours=3))
    auth.login(LEO)
    body = act(client, "accept", reg, htmx=True).get_data(as_text=True)
    assert "banner-error" in body
    assert "Vera Volunteer is already registered as Cook" in body and "which overlaps this slot" in body
    assert fresh(reg).status == PENDING


def test_overlap_with_another_opportunitys_slot_is_refused_too(auth, client, db):
    other_opp = opportunity(name="Support Centre")
    from cervis.models import Slot

    clash = night(5, "Cook")
    Slot.update(opportunity=other_opp).where(Slot.id == clash.id).execute()
    offer(vera(), clash, status=REGISTERED)
    reg = offer(vera(), night(5, "Shift Asst"))
    auth.login(LEO)
    act(client, "accept", reg)
    assert fresh(reg).status == PENDING


def test_a_cancelled_opportunity_takes_no_more_volunteers(auth, client, db):
    reg = offer(vera(), night(5, "Cook"))
    opp = opportunity()
    opp.cancelled_at = utcnow()
    opp.save()
    auth.login(LEO)
    body = act(client, "accept", reg, htmx=True).get_data(as_text=True)
    assert "has been cancelled" in body and fresh(reg).status == PENDING


def test_back_to_back_slots_do_not_overlap(auth, client, db):
    offer(vera(), night(5, "Cook", start=15, hours=3), status=REGISTERED)
    reg = offer(vera(), night(5, "Shift Asst", start=18, hours=3))
    auth.login(LEO)
    act(client, "accept", reg)
    assert fresh(reg).status == REGISTERED


def test_accepting_twice_is_refused_the_second_time(auth, client, db):
    reg = offer(vera(), night(5, "Shift Asst"))
    auth.login(LEO)
    act(client, "accept", reg)
    body = act(client, "accept", reg, htmx=True).get_data(as_text=True)
    assert "this offer is already registered" in body
    assert Email.select().where(Email.kind == "confirmation").count() == 1


def test_concurrent_accepts_into_a_one_person_slot_never_exceed_it(app, db):
    cook = night(5, "Cook", capacity=1)
    regs = [offer(member(f"Racer{i}"), cook) for i in range(6)]
    outcomes = race(app, lambda reg: rota.accept(reg.id, user(LEO)), regs)
    assert sorted(outcomes) == ["accepted"] + ["refused"] * 5
    assert Registration.select().where(Registration.slot == cook.id, Registration.status == REGISTERED).count() == 1
    assert Email.select().where(Email.kind == "confirmation").count() == 1


def test_concurrent_accepts_of_one_volunteer_into_overlapping_slots_keep_one(app, db):
    regs = [offer(vera(), night(5, role)) for role in ("Cook", "Shift Asst", "SL")]
    outcomes = race(app, lambda reg: rota.accept(reg.id, user(LEO)), regs)
    assert outcomes.count("accepted") == 1
    assert (
        Registration.select().where(Registration.volunteer == vera().id, Registration.status == REGISTERED).count() == 1
    )


# Not Required and Undo ----------------------------------------------------------------------------


def test_not_required_then_undo_brings_the_offer_back(auth, client, db):
    slot = night(5, "Shift Asst")
    reg = offer(vera(), slot)
    auth.login(LEO)
    body = act(client, "not-required", reg, htmx=True).get_data(as_text=True)
    assert fresh(reg).status == NOT_REQUIRED
    assert "Not required (1)" in body and "Pending offers (0)" in body
    plain = act(client, "undo", reg)
    assert plain.status_code == 303
    assert fresh(reg).status == PENDING
    assert "is pending again" in client.get(plain.headers["Location"]).get_data(as_text=True)


def test_undo_of_an_accept_frees_the_spot(auth, client, db):
    cook = night(5, "Cook")
    reg = offer(vera(), cook)
    auth.login(LEO)
    act(client, "accept", reg)
    body = act(client, "undo", reg, htmx=True).get_data(as_text=True)
    assert "<strong>0 / 1</strong> registered" in body and "Pending offers (1)" in body
    assert fresh(reg).status == PENDING


def test_undo_of_a_pending_offer_is_refused(auth, client, db):
    reg = offer(vera(), night(5, "Cook"))
    auth.login(LEO)
    body = act(client, "undo", reg, htmx=True).get_data(as_text=True)
    assert "banner-error" in body and "Nothing to undo" in body


def test_every_status_change_keeps_its_history(auth, client, db):
    reg = offer(vera(), night(5, "Cook"))
    auth.login(LEO)
    for action in ("accept", "undo", "not-required", "undo"):
        act(client, action, reg)
    events = list(
        RegistrationEvent.select().where(RegistrationEvent.registration == reg.id).order_by(RegistrationEvent.id)
    )
    assert [e.status for e in events] == [REGISTERED, PENDING, NOT_REQUIRED, PENDING]
    assert all(e.by_id == user(LEO).id and e.at is not None for e in events)


# Call Up --------------------------------------------------------------------------------------------


def test_calling_up_a_reserve_moves_them_to_the_role_and_keeps_the_history(auth, client, db):
    reserve_slot, cook = night(5, "Reserve"), night(5, "Cook")
    reserve = offer(vera(), reserve_slot, status=REGISTERED)
    auth.login(LEO)
    assert "Call up Vera Volunteer as" in panel(client, reserve_slot)
    body = act(client, "call-up", reserve, htmx=True, slot_id=cook.id).get_data(as_text=True)
    assert "Called up: Vera Volunteer is now needed as Cook" in body
    assert f'<a id="c{cook.id}" class="cell full"' in body and 'hx-swap-oob="true"' in body
    moved = fresh(reserve)
    assert moved.status == CANCELLED and moved.cancel_reason == "Called up as Cook"
    assert moved.cancelled_by_id == user(LEO).id
    now = Registration.get(Registration.volunteer == vera().id, Registration.slot == cook.id)
    assert now.status == REGISTERED
    assert Email.get(Email.kind == "called-up").subject_id == now.id


def test_call_up_with_a_plain_form_redirects(auth, client, db):
    reserve = offer(vera(), night(5, "Reserve"), status=REGISTERED)
    cook = night(5, "Cook")
    auth.login(LEO)
    response = act(client, "call-up", reserve, slot_id=cook.id)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"slot={reserve.slot_id}#answer")


def test_call_up_is_refused_into_a_full_slot_or_another_date(auth, client, db):
    reserve = offer(vera(), night(5, "Reserve"), status=REGISTERED)
    cook = night(5, "Cook", capacity=1)
    offer(member("Bea"), cook, status=REGISTERED)
    auth.login(LEO)
    assert "is Full" in act(client, "call-up", reserve, htmx=True, slot_id=cook.id).get_data(as_text=True)
    body = act(client, "call-up", reserve, htmx=True, slot_id=night(12, "Cook").id).get_data(as_text=True)
    assert "only be called up to a role slot on the same date" in body
    assert fresh(reserve).status == REGISTERED


def test_call_up_list_marks_full_role_slots_and_offers_the_others(auth, client, db):
    offer(vera(), night(5, "Reserve"), status=REGISTERED)
    cook, assistant = night(5, "Cook", capacity=1), night(5, "Shift Asst")
    offer(member("Bea"), cook, status=REGISTERED)
    auth.login(LEO)
    page = panel(client, Registration.get(Registration.volunteer == vera().id).slot)
    assert f'<option value="{cook.id}" disabled>Cook, 6:00 PM to 9:00 PM (Full)</option>' in page
    assert f'<option value="{assistant.id}">Shift Asst, 6:00 PM to 9:00 PM</option>' in page


def test_only_a_registered_reserve_can_be_called_up(auth, client, db):
    reg = offer(vera(), night(5, "Shift Asst"), status=REGISTERED)
    auth.login(LEO)
    body = act(client, "call-up", reg, htmx=True, slot_id=night(5, "Cook").id).get_data(as_text=True)
    assert "Only a registered Reserve can be called up." in body


# Add Volunteer to Slot ---------------------------------------------------------------------------


def test_add_volunteer_to_slot_lists_the_groups_members_and_registers_one(auth, client, db):
    slot = night(5, "Shift Asst")
    auth.login(LEO)
    form = client.get(f"/leader/slots/{slot.id}/add", headers=HTMX).get_data(as_text=True)
    assert "Vera Volunteer" in form and "Sam Southsider" not in form
    body = client.post(
        f"/leader/slots/{slot.id}/add", headers=HTMX, data={f"add-{slot.id}-volunteer": vera().id}
    ).get_data(as_text=True)
    assert "Added: Vera Volunteer" in body and "<strong>1 / 2</strong> registered" in body
    reg = Registration.get(Registration.volunteer == vera().id, Registration.slot == slot.id)
    assert reg.status == REGISTERED
    assert Email.get(Email.kind == "confirmation").subject_id == reg.id


def test_add_volunteer_without_javascript_has_its_own_page(auth, client, db):
    slot = night(5, "Shift Asst")
    auth.login(LEO)
    page = client.get(f"/leader/slots/{slot.id}/add").get_data(as_text=True)
    assert "<h1>Add Volunteer to Slot</h1>" in page
    missing = client.post(f"/leader/slots/{slot.id}/add", data={f"add-{slot.id}-volunteer": "0"})
    assert missing.status_code == 400 and "Choose a member of the group." in missing.get_data(as_text=True)
    done = client.post(f"/leader/slots/{slot.id}/add", data={f"add-{slot.id}-volunteer": vera().id})
    assert done.status_code == 303


def test_add_volunteer_refuses_someone_outside_the_group(auth, client, db):
    slot = night(5, "Shift Asst")
    auth.login(LEO)
    body = client.post(
        f"/leader/slots/{slot.id}/add", headers=HTMX, data={f"add-{slot.id}-volunteer": user("sam@example.org").id}
    ).get_data(as_text=True)
    assert "Sam Southsider is not a member of this group." in body
    assert not Registration.select().exists()


def test_add_volunteer_turns_their_pending_offer_into_a_registration(auth, client, db):
    slot = night(5, "Shift Asst")
    reg = offer(vera(), slot)
    auth.login(LEO)
    client.post(f"/leader/slots/{slot.id}/add", data={f"add-{slot.id}-volunteer": vera().id})
    assert fresh(reg).status == REGISTERED and Registration.select().count() == 1


# Remove -------------------------------------------------------------------------------------------


def test_remove_asks_for_a_reason_then_cancels_and_tells_the_volunteer(auth, client, db):
    cook = night(5, "Cook")
    reg = offer(vera(), cook, status=REGISTERED)
    auth.login(LEO)
    page = client.get(f"/leader/registrations/{reg.id}/remove").get_data(as_text=True)
    assert "Reason for removing" in page
    field = f"remove-{reg.id}-reason"
    empty = act(client, "remove", reg, **{field: " "})
    assert empty.status_code == 400 and "Please give a reason" in empty.get_data(as_text=True)
    inline = act(client, "remove", reg, htmx=True, **{field: ""})
    assert inline.status_code == 200 and "Please give a reason" in inline.get_data(as_text=True)
    body = act(client, "remove", reg, htmx=True, **{field: "The kitchen is closed for repairs"}).get_data(as_text=True)
    assert "Removed: Vera Volunteer" in body and "<strong>0 / 1</strong> registered" in body
    removed = fresh(reg)
    assert removed.status == CANCELLED and removed.cancelled_by_id == user(LEO).id
    assert removed.cancel_reason == "The kitchen is closed for repairs"
    assert "The kitchen is closed for repairs" in Email.get(Email.kind == "removed").body_text


def test_remove_shows_its_form_inside_the_slot_with_htmx(auth, client, db):
    reg = offer(vera(), night(5, "Cook"), status=REGISTERED)
    auth.login(LEO)
    body = client.get(f"/leader/registrations/{reg.id}/remove", headers=HTMX).get_data(as_text=True)
    assert f'id="slot-{reg.slot_id}"' in body and f'name="remove-{reg.id}-reason"' in body


# Who may press what ------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["accept", "not-required", "undo", "remove", "call-up"])
def test_leo_cannot_act_on_a_southside_registration_by_id(auth, client, db, action):
    south = night(5, "Reserve", group="Southside")
    reg = offer(user("sam@example.org"), south, status=PENDING if action in ("accept", "not-required") else REGISTERED)
    auth.login(LEO)
    data = {"slot_id": night(5, "Cook").id, f"remove-{reg.id}-reason": "No"}
    assert act(client, action, reg, **data).status_code == 403
    assert act(client, action, reg, htmx=True, **data).status_code == 403
    assert fresh(reg).status == reg.status
    assert not AuditLog.select().where(AuditLog.action.startswith("rota.")).exists()


def test_leo_cannot_add_to_or_call_up_into_a_southside_slot(auth, client, db):
    south = night(5, "Cook", group="Southside")
    reserve = offer(vera(), night(5, "Reserve"), status=REGISTERED)
    auth.login(LEO)
    assert client.get(f"/leader/slots/{south.id}/add").status_code == 403
    assert (
        client.post(f"/leader/slots/{south.id}/add", data={f"add-{south.id}-volunteer": vera().id}).status_code == 403
    )
    assert act(client, "call-up", reserve, slot_id=south.id).status_code == 403
    assert fresh(reserve).status == REGISTERED


def test_a_volunteer_cannot_press_the_leaders_buttons(auth, client, db):
    reg = offer(vera(), night(5, "Cook"))
    auth.login()
    assert act(client, "accept", reg).status_code == 403
    assert fresh(reg).status == PENDING


def test_every_leader_action_is_audited(auth, client, db):
    reserve = offer(member("Bea"), night(5, "Reserve"), status=REGISTERED)
    reg = offer(vera(), night(12, "Cook"))
    cook = night(5, "Cook")
    auth.login(LEO)
    act(client, "accept", reg)
    act(client, "undo", reg)
    act(client, "not-required", reg)
    act(client, "call-up", reserve, slot_id=cook.id)
    slot = night(19, "Cook")
    client.post(f"/leader/slots/{slot.id}/add", data={f"add-{slot.id}-volunteer": vera().id})
    added = Registration.get(Registration.slot == slot.id)
    act(client, "remove", added, **{f"remove-{added.id}-reason": "Double booked"})
    actions = [a.action for a in AuditLog.select().where(AuditLog.actor == user(LEO).id).order_by(AuditLog.id)]
    for expected in ("rota.accept", "rota.undo", "rota.not-required", "rota.call-up", "rota.add", "rota.remove"):
        assert expected in actions
    entry = AuditLog.get(AuditLog.action == "rota.accept")
    assert entry.object_type == "Registration" and '"pending"' in entry.before and '"registered"' in entry.after


# On a phone, with htmx --------------------------------------------------------------------------


def test_leader_builds_the_rota_on_a_phone_without_a_page_reload(phone, db):
    cook = night(5, "Cook")
    offer(vera(), cook)
    offer(member("Bea"), cook)
    phone.goto("/login")
    phone.get_by_label("E-mail Address").fill(LEO)
    phone.get_by_label("Password", exact=True).fill(PASSWORD)
    phone.get_by_role("button", name="Log in with E-mail").click()
    phone.wait_for_url("**/leader/")
    phone.goto(f"/leader/opportunities/{opportunity().id}/rota?month={MONTH}")
    phone.evaluate("window.stillTheSamePage = true")  # gone if the page reloads
    phone.locator(f"#c{cook.id}").click()  # the month's cell opens the slot's people below its date
    block = phone.locator(f"#slot-{cook.id}")
    block.get_by_role("button", name="Accept Vera Volunteer").click()
    answer = block.locator("#answer")
    answer.get_by_text("Accepted: Vera Volunteer").wait_for()
    assert answer.evaluate("el => el === document.activeElement")  # focus is on the answer
    assert answer.evaluate(
        "el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"
    )
    assert "1 / 1" in block.locator(".slot-count").inner_text()
    assert "1/1" in phone.locator(f"#c{cook.id}").inner_text()
    assert block.get_by_role("button", name="Accept Bea Member").count() == 0  # Full: not offered
    block.get_by_text("The slot is Full").wait_for()
    block.get_by_role("link", name="Remove Vera Volunteer").click()
    phone.get_by_label("Reason for removing").fill("Double booked")
    phone.locator(f"#slot-{cook.id}").get_by_role("button", name="Remove Vera Volunteer").click()
    phone.locator(f"#slot-{cook.id} #answer").get_by_text("Removed: Vera Volunteer").wait_for()
    assert "0 / 1" in phone.locator(f"#slot-{cook.id} .slot-count").inner_text()
    assert phone.evaluate("window.stillTheSamePage === true")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
