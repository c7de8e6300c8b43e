"""Group leaders' slots: the list, adding one or many, copying a month, capacity, close, reopen, delete."""

import json
from datetime import datetime

from helpers_opportunities import HTMX, bulk, fresh, made, offer, opportunity, person, role, slot, volunteer

from cervis.models import AuditLog, Slot

EVENING = dict(starts=datetime(2030, 11, 7, 18), ends=datetime(2030, 11, 7, 21))  # Thu, 6 PM GMT


# The slot list --------------------------------------------------------------------------------------


def test_slot_list_shows_role_capacity_registered_pending_and_closed(auth, client, db):
    opp = opportunity(name="Night Shelter November")
    cook = slot(opp, "Cook", capacity=3, **EVENING)
    slot(opp, "SL", closed=True, **EVENING)
    offer(cook, person("vera@example.org"), "registered")
    offer(cook, volunteer("Pat"))
    offer(cook, volunteer("Pip"))
    auth.login("leo@example.org")
    page = client.get(f"/leader/opportunities/{opp.id}/slots").get_data(as_text=True)
    assert "Night Shelter November" in page
    assert "Thu, Nov 7, 2030 - 6:00 PM to 9:00 PM Cook" in page
    row = page[page.index(f'id="slot-{cook.id}"') :]
    row = row[: row.index("</tr>")]
    assert "Capacity: </span>3" in row and "Registered: </span>1" in row and "Pending: </span>2" in row
    assert "Open" in row and "Delete" not in row  # offers were made: it can only be closed
    assert "Closed" in page and "Reopen" in page


def test_leader_adds_one_slot_in_local_time_with_the_roles_usual_capacity(auth, client, db):
    opp = opportunity()
    auth.login("leo@example.org")
    response = client.post(
        f"/leader/opportunities/{opp.id}/slots",
        data={"day": "2025-10-09", "start": "6:00 PM", "end": "21:00", "role": str(role("Reserve").id), "capacity": ""},
    )
    assert response.status_code == 303
    assert made(opp) == [("Reserve", datetime(2025, 10, 9, 17), datetime(2025, 10, 9, 20), 2)]
    assert "Slot added: Thu, Oct 9, 2025 - 6:00 PM to 9:00 PM Reserve." in client.get(
        response.headers["Location"]
    ).get_data(as_text=True)
    log = AuditLog.get(AuditLog.action == "slot.create")
    assert json.loads(log.after)["capacity"] == 2


def test_adding_the_same_slot_twice_makes_it_once(auth, client, db):
    opp = opportunity()
    auth.login("leo@example.org")
    data = {"day": "2025-10-09", "start": "18:00", "end": "21:00", "role": str(role("Cook").id), "capacity": "1"}
    client.post(f"/leader/opportunities/{opp.id}/slots", data=data)
    response = client.post(f"/leader/opportunities/{opp.id}/slots", data=data, follow_redirects=True)
    assert "That slot already exists" in response.get_data(as_text=True)
    assert len(made(opp)) == 1


def test_add_slot_mistakes_are_shown_beside_the_fields(auth, client, db):
    opp = opportunity()
    auth.login("leo@example.org")
    response = client.post(
        f"/leader/opportunities/{opp.id}/slots",
        data={"day": "Thursday", "start": "18:00", "end": "18:00", "role": str(role("Cook", "Southside").id)},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Please enter a date, like 09/10/2025." in page
    assert "The end time must be different from the start time." in page
    assert "Not a valid choice" in page  # another group's role
    assert not Slot.select().exists()


def test_night_shift_across_the_october_clock_change_lasts_thirteen_hours(auth, client, db):
    opp = opportunity()
    auth.login("leo@example.org")
    client.post(
        f"/leader/opportunities/{opp.id}/slots",
        data={"day": "2025-10-25", "start": "20:00", "end": "08:00", "role": str(role("SL").id)},
    )
    [night] = Slot.select()
    assert night.hours == 13
    assert (night.starts_at, night.ends_at) == (datetime(2025, 10, 25, 19), datetime(2025, 10, 26, 8))
    page = client.get(f"/leader/opportunities/{opp.id}/slots").get_data(as_text=True)
    assert "Sat, Oct 25, 2025 - 8:00 PM to 8:00 AM (Sun) SL" in page


def test_night_shift_across_the_march_clock_change_lasts_eleven_hours(auth, client, db):
    opp = opportunity()
    auth.login("leo@example.org")
    client.post(
        f"/leader/opportunities/{opp.id}/slots",
        data={"day": "2026-03-28", "start": "8:00 PM", "end": "8:00 AM", "role": str(role("SL").id)},
    )
    [night] = Slot.select()
    assert night.hours == 11
    assert (night.starts_at, night.ends_at) == (datetime(2026, 3, 28, 20), datetime(2026, 3, 29, 7))


# Many slots at once ---------------------------------------------------------------------------------


def test_bulk_preview_lists_the_slots_in_the_guides_words_and_makes_nothing(auth, client, db):
    opp = opportunity()
    auth.login("leo@example.org")
    page = client.get(f"/leader/opportunities/{opp.id}/slots/bulk").get_data(as_text=True)
    assert f'name="capacity_{role("Reserve").id}"' in page and 'value="2"' in page  # the role's usual number
    response = bulk(opp, client)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Thu, Oct 16, 2025 - 6:00 PM to 9:00 PM Cook" in page
    assert "Thu, Oct 16, 2025 - 6:00 PM to 9:00 PM Reserve" in page
    assert "Thu, Nov 6, 2025 - 6:00 PM to 9:00 PM Reserve" in page
    assert "Shift Asst" not in page.split("Preview</h2>")[1]  # capacity 0: not made
    assert "Create 8 Slots" in page
    assert not Slot.select().exists()


def test_bulk_create_makes_them_and_a_second_run_makes_nothing_new(auth, client, db):
    opp = opportunity()
    auth.login("leo@example.org")
    response = bulk(opp, client, action="create")
    assert response.status_code == 303
    assert "8 slots created." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert len(made(opp)) == 8
    assert AuditLog.select().where(AuditLog.action == "slot.create").count() == 8
    page = bulk(opp, client).get_data(as_text=True)
    assert page.count("Already exists: not made again") == 8
    assert "Nothing new to create" in page and "Create 0" not in page
    response = bulk(opp, client, action="create", last="2025-11-13")
    assert "2 slots created." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert len(made(opp)) == 10


def test_bulk_thursday_evenings_keep_six_pm_across_the_october_clock_change(auth, client, db):
    opp = opportunity()
    auth.login("leo@example.org")
    bulk(opp, client, action="create", first="2025-10-20", last="2025-11-02")
    cooks = [(s, e) for name, s, e, _ in made(opp) if name == "Cook"]
    assert cooks == [
        (datetime(2025, 10, 23, 17), datetime(2025, 10, 23, 20)),
        (datetime(2025, 10, 30, 18), datetime(2025, 10, 30, 21)),
    ]
    page = client.get(f"/leader/opportunities/{opp.id}/slots").get_data(as_text=True)
    assert "Thu, Oct 23, 2025 - 6:00 PM to 9:00 PM Cook" in page
    assert "Thu, Oct 30, 2025 - 6:00 PM to 9:00 PM Cook" in page


def test_bulk_picked_dates_from_the_textarea(auth, client, db):
    opp = opportunity()
    auth.login("leo@example.org")
    bulk(
        opp,
        client,
        action="create",
        mode="dates",
        dates="2025-10-09\n16/10/2025",
        first="",
        last="",
        weekdays=[],
        start="20:00",
        end="08:00",
        **{f"capacity_{role('Reserve').id}": "0"},
    )
    assert made(opp) == [
        ("Cook", datetime(2025, 10, 9, 19), datetime(2025, 10, 10, 7), 1),
        ("Cook", datetime(2025, 10, 16, 19), datetime(2025, 10, 17, 7), 1),
    ]


def test_bulk_mistakes_are_shown_beside_the_fields_and_kept(auth, client, db):
    opp = opportunity()
    auth.login("leo@example.org")
    response = bulk(opp, client, weekdays=[], last="2025-10-01", start="18:00", end="nine")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Please choose at least one weekday." in page
    assert "The last date must not be before the first date." in page
    assert "Please enter a time, like 6:00 PM." in page
    assert 'value="2025-10-16"' in page and 'value="nine"' in page
    response = bulk(opp, client, mode="dates", dates="2025-10-09\nnext week")
    assert "These are not dates: next week." in response.get_data(as_text=True)
    zero = {f"capacity_{role('Cook').id}": "0", f"capacity_{role('Reserve').id}": "0"}
    response = bulk(opp, client, **zero)
    assert "Please give at least one role a capacity of 1 or more." in response.get_data(as_text=True)
    assert not Slot.select().exists()


def test_bulk_with_htmx_previews_in_place_and_creates_with_a_redirect(auth, client, db):
    opp = opportunity()
    auth.login("leo@example.org")
    response = bulk(opp, client, headers=HTMX)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.lstrip().startswith("<form") and "<html" not in page
    assert 'hx-target="this"' in page and "Create 8 Slots" in page
    wrong = bulk(opp, client, headers=HTMX, weekdays=[])
    assert wrong.status_code == 422 and "Please choose at least one weekday." in wrong.get_data(as_text=True)
    response = bulk(opp, client, headers=HTMX, action="create")
    assert response.headers["HX-Redirect"].endswith(f"/leader/opportunities/{opp.id}/slots#answer")
    assert len(made(opp)) == 8
    assert "8 slots created." in client.get(response.headers["HX-Redirect"]).get_data(as_text=True)


def test_no_slots_are_added_to_a_cancelled_opportunity(auth, client, db):
    opp = opportunity(cancelled_at=datetime(2025, 10, 1))
    auth.login("leo@example.org")
    response = bulk(opp, client, action="create")
    assert response.status_code == 303
    response = client.post(
        f"/leader/opportunities/{opp.id}/slots",
        data={"day": "2025-10-09", "start": "18:00", "end": "21:00", "role": str(role("Cook").id)},
    )
    assert "no slots can be added" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert not Slot.select().exists()


# Copy to next month ---------------------------------------------------------------------------------


def _november_thursdays(client, opp):
    bulk(opp, client, action="create", first="2025-11-01", last="2025-11-30")


def test_copy_to_next_month_previews_every_thursday_of_december(auth, client, db):
    opp = opportunity()
    auth.login("leo@example.org")
    _november_thursdays(client, opp)
    page = client.get(f"/leader/opportunities/{opp.id}/slots/copy").get_data(as_text=True)
    assert "November 2025" in page and "December 2025" in page
    for day in (4, 11, 18, 25):
        assert f"Thu, Dec {day}, 2025 - 6:00 PM to 9:00 PM Cook" in page
        assert f"Thu, Dec {day}, 2025 - 6:00 PM to 9:00 PM Reserve" in page
    assert "Create 8 Slots" in page
    assert len(made(opp)) == 8


def test_copy_to_next_month_creates_them_once(auth, client, db):
    opp = opportunity()
    auth.login("leo@example.org")
    _november_thursdays(client, opp)
    response = client.post(f"/leader/opportunities/{opp.id}/slots/copy", data={"month": "2025-11"})
    assert response.status_code == 303
    assert "8 slots created." in client.get(response.headers["Location"]).get_data(as_text=True)
    december = [(name, s, cap) for name, s, _, cap in made(opp) if s.month == 12]
    assert ("Cook", datetime(2025, 12, 4, 18), 1) in december and ("Reserve", datetime(2025, 12, 25, 18), 2) in december
    assert len(december) == 8
    page = client.get(f"/leader/opportunities/{opp.id}/slots/copy?month=2025-11").get_data(as_text=True)
    assert page.count("Already exists: not made again") == 8
    client.post(f"/leader/opportunities/{opp.id}/slots/copy", data={"month": "2025-11"})
    assert len(made(opp)) == 16


def test_copying_october_keeps_local_times_across_the_clock_change(auth, client, db):
    opp = opportunity()
    slot(opp, "Cook", datetime(2025, 10, 9, 17), datetime(2025, 10, 9, 20))  # 2nd Thursday, 6 PM BST
    auth.login("leo@example.org")
    client.post(f"/leader/opportunities/{opp.id}/slots/copy", data={"month": "2025-10"})
    november = [s for name, s, _, _ in made(opp) if s.month == 11]
    assert november == [datetime(2025, 11, 13, 18)]  # 2nd Thursday, 6 PM GMT


def test_copy_with_no_slots_says_so(auth, client, db):
    opp = opportunity()
    auth.login("leo@example.org")
    response = client.get(f"/leader/opportunities/{opp.id}/slots/copy")
    assert response.status_code == 303
    assert "no slots to copy" in client.get(response.headers["Location"]).get_data(as_text=True)


# Capacity ------------------------------------------------------------------------------------------


def test_leader_changes_a_slots_capacity_with_a_plain_form(auth, client, db):
    cook = slot(opportunity(), "Cook", capacity=1, **EVENING)
    auth.login("leo@example.org")
    page = client.get(f"/leader/slots/{cook.id}/capacity").get_data(as_text=True)
    assert "Change Capacity" in page and f'name="slot{cook.id}-capacity"' in page
    response = client.post(f"/leader/slots/{cook.id}/capacity", data={f"slot{cook.id}-capacity": "3"})
    assert response.status_code == 303
    assert fresh(cook).capacity == 3
    assert "Capacity changed to 3" in client.get(response.headers["Location"]).get_data(as_text=True)
    log = AuditLog.get(AuditLog.action == "slot.capacity")
    assert (json.loads(log.before)["capacity"], json.loads(log.after)["capacity"]) == (1, 3)


def test_capacity_row_swaps_itself_with_htmx(auth, client, db):
    cook = slot(opportunity(), "Cook", capacity=1, **EVENING)
    auth.login("leo@example.org")
    edit = client.get(f"/leader/slots/{cook.id}/capacity", headers=HTMX).get_data(as_text=True)
    assert edit.lstrip().startswith(f'<tr id="slot-{cook.id}" hx-target="this" hx-swap="outerHTML"')
    assert "<form" in edit and "Save" in edit
    response = client.post(f"/leader/slots/{cook.id}/capacity", data={f"slot{cook.id}-capacity": "2"}, headers=HTMX)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.lstrip().startswith(f'<tr id="slot-{cook.id}"') and "Capacity: </span>2" in page
    assert 'hx-swap-oob="true"' in page and "Capacity changed to 2" in page
    back = client.get(f"/leader/slots/{cook.id}", headers=HTMX).get_data(as_text=True)
    assert back.lstrip().startswith(f'<tr id="slot-{cook.id}"') and "<form" in back and "Change" in back


def test_capacity_below_the_registered_count_is_refused_beside_the_field(auth, client, db):
    cook = slot(opportunity(), "Cook", capacity=3, **EVENING)
    offer(cook, person("vera@example.org"), "registered")
    offer(cook, volunteer("Pat"), "registered")
    offer(cook, volunteer("Pip"))  # pending offers use up no spot
    auth.login("leo@example.org")
    field = f"slot{cook.id}-capacity"
    response = client.post(f"/leader/slots/{cook.id}/capacity", data={field: "1"})
    message = "2 volunteers are registered for this slot, so its capacity cannot be less than 2."
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    response = client.post(f"/leader/slots/{cook.id}/capacity", data={field: "1"}, headers=HTMX)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page and 'value="1"' in page
    assert page.lstrip().startswith("<tr")
    assert fresh(cook).capacity == 3
    assert client.post(f"/leader/slots/{cook.id}/capacity", data={field: "2"}).status_code == 303
    assert fresh(cook).capacity == 2


def test_capacity_must_be_a_number_of_one_or_more(auth, client, db):
    cook = slot(opportunity(), "Cook", **EVENING)
    auth.login("leo@example.org")
    for typed in ("0", "lots", ""):
        response = client.post(f"/leader/slots/{cook.id}/capacity", data={f"slot{cook.id}-capacity": typed})
        assert response.status_code == 400
    assert fresh(cook).capacity == 1


# Close, reopen, delete -----------------------------------------------------------------------------


def test_leader_closes_and_reopens_a_slot(auth, client, db):
    cook = slot(opportunity(), "Cook", **EVENING)
    auth.login("leo@example.org")
    response = client.post(f"/leader/slots/{cook.id}/close")
    assert response.status_code == 303 and fresh(cook).closed
    assert "Slot closed: Thu, Nov 7, 2030" in client.get(response.headers["Location"]).get_data(as_text=True)
    response = client.post(f"/leader/slots/{cook.id}/reopen", headers=HTMX)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and not fresh(cook).closed
    assert page.lstrip().startswith(f'<tr id="slot-{cook.id}"') and "Slot reopened" in page and ">Close<" in page
    page = client.post(f"/leader/slots/{cook.id}/close", headers=HTMX).get_data(as_text=True)
    assert ">Reopen<" in page and fresh(cook).closed
    actions = [log.action for log in AuditLog.select().order_by(AuditLog.id)]
    assert actions == ["slot.close", "slot.reopen", "slot.close"]


def test_leader_deletes_a_slot_nobody_offered_for(auth, client, db):
    opp = opportunity()
    cook, reserve = slot(opp, "Cook", **EVENING), slot(opp, "Reserve", **EVENING)
    auth.login("leo@example.org")
    response = client.post(f"/leader/slots/{cook.id}/delete")
    assert response.status_code == 303
    assert "Slot deleted: Thu, Nov 7, 2030" in client.get(response.headers["Location"]).get_data(as_text=True)
    response = client.post(f"/leader/slots/{reserve.id}/delete", headers=HTMX)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Slot deleted" in page
    assert page.count("<tr") == 1 and 'id="answer"' in page  # the row's place holds only the answer
    assert not Slot.select().exists()
    log = AuditLog.get(AuditLog.action == "slot.delete", AuditLog.object_id == cook.id)
    assert json.loads(log.before)["role"] == role("Cook").id and log.after == ""


def test_a_slot_with_any_offer_cannot_be_deleted(auth, client, db):
    cook = slot(opportunity(), "Cook", **EVENING)
    offer(cook, person("vera@example.org"), "cancelled")  # even a withdrawn offer is history to keep
    auth.login("leo@example.org")
    response = client.post(f"/leader/slots/{cook.id}/delete")
    assert response.status_code == 303
    assert "cannot be deleted because volunteers have offered" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    response = client.post(f"/leader/slots/{cook.id}/delete", headers=HTMX)
    page = response.get_data(as_text=True)
    assert page.lstrip().startswith(f'<tr id="slot-{cook.id}"') and "banner-error" in page
    assert Slot.select().count() == 1
    assert not AuditLog.select().where(AuditLog.action == "slot.delete").exists()


# Who may touch what --------------------------------------------------------------------------------


def _every_slot_request(opp, target):
    return [
        ("get", f"/leader/opportunities/{opp.id}/slots", {}),
        (
            "post",
            f"/leader/opportunities/{opp.id}/slots",
            {"day": "2025-10-09", "start": "18:00", "end": "21:00", "role": str(target.role_id)},
        ),
        ("get", f"/leader/opportunities/{opp.id}/slots/bulk", {}),
        ("post", f"/leader/opportunities/{opp.id}/slots/bulk", {"action": "create"}),
        ("get", f"/leader/opportunities/{opp.id}/slots/copy", {}),
        ("post", f"/leader/opportunities/{opp.id}/slots/copy", {"month": "2030-11"}),
        ("get", f"/leader/slots/{target.id}", {}),
        ("get", f"/leader/slots/{target.id}/capacity", {}),
        ("post", f"/leader/slots/{target.id}/capacity", {f"slot{target.id}-capacity": "9"}),
        ("post", f"/leader/slots/{target.id}/close", {}),
        ("post", f"/leader/slots/{target.id}/reopen", {}),
        ("post", f"/leader/slots/{target.id}/delete", {}),
    ]


def _unchanged(target):
    now = fresh(target)
    return (now.capacity, now.closed) == (target.capacity, target.closed) and Slot.select().count() == 1


def test_leo_acting_on_a_southside_opportunity_or_slot_by_id_gets_403(auth, client, db):
    south = opportunity("Southside", name="Southside November")
    target = slot(south, "Cook", **EVENING)
    auth.login("leo@example.org")
    for method, url, data in _every_slot_request(south, target):
        response = getattr(client, method)(url, data=data)
        assert response.status_code == 403, (method, url)
        assert getattr(client, method)(url, data=data, headers=HTMX).status_code == 403, (method, url)
    assert _unchanged(target)


def test_volunteer_acting_on_slots_gets_403(auth, client, db):
    opp = opportunity()
    target = slot(opp, "Cook", **EVENING)
    auth.login()
    for method, url, data in _every_slot_request(opp, target):
        assert getattr(client, method)(url, data=data).status_code == 403, (method, url)
    assert _unchanged(target)


def test_olga_manages_southside_slots_and_ada_any(auth, client, db):
    south = opportunity("Southside", name="Southside November")
    target = slot(south, "Cook", **EVENING)
    auth.login("olga@example.org")
    assert client.post(f"/leader/slots/{target.id}/close").status_code == 303
    auth.logout()
    auth.login("ada@example.org")
    assert client.post(f"/leader/slots/{target.id}/reopen").status_code == 303
    assert not fresh(target).closed


def test_unknown_slot_is_404(auth, client, db):
    auth.login("leo@example.org")
    assert client.post("/leader/slots/999/close").status_code == 404
    assert client.get("/leader/opportunities/999/slots").status_code == 404


def test_closing_a_slot_keeps_a_capacity_changed_meanwhile(auth, client, db, monkeypatch):
    """Close reads the slot, then saves: only the closed flag may be written back."""
    from cervis.leader import slot_changes as slot_views

    cook = slot(opportunity(), "Cook", **EVENING)
    real = slot_views.slot_for_leader

    def read_then_someone_else_edits(user, slot_id):
        fetched = real(user, slot_id)
        Slot.update(capacity=7).where(Slot.id == slot_id).execute()
        return fetched

    monkeypatch.setattr(slot_views, "slot_for_leader", read_then_someone_else_edits)
    auth.login("leo@example.org")
    client.post(f"/leader/slots/{cook.id}/close")
    assert fresh(cook).closed and fresh(cook).capacity == 7
