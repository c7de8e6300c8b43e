"""Groups, Roles and Members: administrators create groups and choose leaders; leaders edit their own."""

import json
from datetime import timedelta

from helpers_leader import ADA, HTMX, LEO, group, last_audit, person, role, slot_in

from cervis.models import Group, Membership, Role


def _group_data(**overrides):
    data = {
        "name": "Eastside",
        "address": "3 East Street",
        "description": "Tuesday nights",
        "open_to_join": "y",
        "leaders": "",
    }
    data.update(overrides)
    return data


# The list ---------------------------------------------------------------------------------------


def test_leader_sees_only_their_own_groups(auth, client, db):
    auth.login(LEO)
    page = client.get("/leader/groups").get_data(as_text=True)
    assert "Northside" in page and "Southside" not in page
    assert "Create Group" not in page


def test_administrator_sees_every_group_and_can_create_one(auth, client, db):
    auth.login(ADA)
    page = client.get("/leader/groups").get_data(as_text=True)
    assert "Northside" in page and "Southside" in page and "Create Group" in page


# Creating and editing groups ----------------------------------------------------------------------


def test_administrator_creates_a_group_with_its_leader(auth, client, db):
    auth.login(ADA)
    response = client.post("/leader/groups/new", data=_group_data(leaders="Olga@Example.org"))
    assert response.status_code == 303
    east = group("Eastside")
    assert (east.address, east.description, east.open_to_join) == ("3 East Street", "Tuesday nights", True)
    assert [u.email for u in east.leaders()] == ["olga@example.org"]
    created = last_audit("group.create")
    assert created.actor.email == ADA and json.loads(created.after)["name"] == "Eastside"
    assert json.loads(last_audit("group.leaders").after) == {"leaders": ["olga@example.org"]}


def test_administrator_sees_the_leaders_field_filled_in(auth, client, db):
    auth.login(ADA)
    assert "Group Leaders" in client.get("/leader/groups/new").get_data(as_text=True)
    page = client.get(f"/leader/groups/{group('Northside').id}/edit").get_data(as_text=True)
    assert "Group Leaders" in page and LEO in page


def test_a_leader_cannot_create_a_group(auth, client, db):
    auth.login(LEO)
    assert client.get("/leader/groups/new").status_code == 403
    assert client.post("/leader/groups/new", data=_group_data()).status_code == 403
    assert not Group.select().where(Group.name == "Eastside").exists()


def test_a_group_name_already_used_is_refused_and_the_form_keeps_what_was_typed(auth, client, db):
    auth.login(ADA)
    response = client.post("/leader/groups/new", data=_group_data(name="northside", address="9 Typed Road"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is already a group with this name." in page and "9 Typed Road" in page


def test_a_leader_email_without_an_account_is_refused_next_to_the_field(auth, client, db):
    auth.login(ADA)
    response = client.post("/leader/groups/new", data=_group_data(leaders="nobody@example.org"))
    assert response.status_code == 400
    assert "No active account has the e-mail address nobody@example.org." in response.get_data(as_text=True)
    assert not Group.select().where(Group.name == "Eastside").exists()


def test_leader_edits_their_groups_details_but_cannot_change_its_leaders(auth, client, db):
    north = group("Northside")
    auth.login(LEO)
    page = client.get(f"/leader/groups/{north.id}/edit").get_data(as_text=True)
    assert "Group Leaders" not in page
    response = client.post(
        f"/leader/groups/{north.id}/edit",
        data=_group_data(name="Northside Shelter", address="1 North Street", leaders="vera@example.org"),
    )
    assert response.status_code == 303
    north = group("Northside Shelter")
    assert north.description == "Tuesday nights"
    assert [u.email for u in north.leaders()] == [LEO]  # the crafted leaders field was ignored
    change = last_audit("group.update")
    assert json.loads(change.before)["name"] == "Northside" and json.loads(change.after)["name"] == "Northside Shelter"


def test_administrator_changes_a_groups_leaders_and_the_old_leader_stays_a_member(auth, client, db):
    north = group("Northside")
    auth.login(ADA)
    response = client.post(
        f"/leader/groups/{north.id}/edit", data=_group_data(name="Northside", leaders="olga@example.org")
    )
    assert response.status_code == 303
    assert [u.email for u in north.leaders()] == ["olga@example.org"]
    assert Membership.get(Membership.user == person(LEO), Membership.group == north).is_leader is False
    leaders = last_audit("group.leaders")
    assert json.loads(leaders.before) == {"leaders": [LEO]}


def test_leader_cannot_open_or_change_another_leaders_group_by_id(auth, client, db):
    south, cook = group("Southside"), role("Southside", "Cook")
    auth.login(LEO)
    assert client.get(f"/leader/groups/{south.id}").status_code == 403
    assert client.get(f"/leader/groups/{south.id}/edit").status_code == 403
    assert client.post(f"/leader/groups/{south.id}/edit", data=_group_data(name="Mine")).status_code == 403
    role_data = {"name": "Driver", "default_capacity": 1}
    assert client.post(f"/leader/groups/{south.id}/roles", data=role_data).status_code == 403
    assert client.post(f"/leader/groups/{south.id}/roles/{cook.id}", data=role_data).status_code == 403
    assert client.post(f"/leader/groups/{south.id}/roles/{cook.id}/remove").status_code == 403
    assert group("Southside").name == "Southside" and Role.get_by_id(cook.id).name == "Cook"


def test_leader_cannot_reach_another_groups_role_through_their_own_group(auth, client, db):
    north, south_cook = group("Northside"), role("Southside", "Cook")
    auth.login(LEO)
    assert client.get(f"/leader/groups/{north.id}/roles/{south_cook.id}").status_code == 403
    assert client.post(f"/leader/groups/{north.id}/roles/{south_cook.id}/remove").status_code == 403
    assert Role.select().where(Role.id == south_cook.id).exists()


def test_a_group_that_does_not_exist_is_not_found(auth, client, db):
    auth.login(LEO)
    assert client.get("/leader/groups/999").status_code == 404


# Roles -------------------------------------------------------------------------------------------


def test_group_page_lists_its_roles(auth, client, db):
    auth.login(LEO)
    page = client.get(f"/leader/groups/{group('Northside').id}").get_data(as_text=True)
    for name in ("Cook", "Reserve", "Shift Asst", "SL", "Shift leader", "Add Role"):
        assert name in page


def test_leader_adds_a_role(auth, client, db):
    north = group("Northside")
    auth.login(LEO)
    response = client.post(f"/leader/groups/{north.id}/roles", data={"name": "Driver", "default_capacity": 2})
    assert response.status_code == 303
    driver = Role.get(Role.group == north, Role.name == "Driver")
    assert driver.default_capacity == 2 and driver.position == 4  # after the four others
    assert json.loads(last_audit("role.create").after)["name"] == "Driver"
    assert "The role Driver has been added." in client.get(response.headers["Location"]).get_data(as_text=True)


def test_leader_adds_a_role_with_htmx_and_gets_the_roles_list_back(auth, client, db):
    north = group("Northside")
    auth.login(LEO)
    response = client.post(
        f"/leader/groups/{north.id}/roles", data={"name": "Driver", "default_capacity": 1}, headers=HTMX
    )
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="roles"' in fragment and "Driver" in fragment and "<html" not in fragment
    assert "The role Driver has been added." in fragment


def test_only_one_role_per_group_can_be_the_shift_leader(auth, client, db):
    north = group("Northside")
    auth.login(LEO)
    data = {"name": "Deputy SL", "default_capacity": 1, "is_shift_leader": "y"}
    response = client.post(f"/leader/groups/{north.id}/roles", data=data)
    assert response.status_code == 400
    assert "Only one role per group can be the shift leader: SL already is." in response.get_data(as_text=True)
    htmx = client.post(f"/leader/groups/{north.id}/roles", data=data, headers=HTMX)
    assert htmx.status_code == 200 and "SL already is" in htmx.get_data(as_text=True)
    assert "Deputy SL" in htmx.get_data(as_text=True)  # what was typed stays
    assert not Role.select().where(Role.name == "Deputy SL").exists()


def test_a_role_name_used_in_the_group_is_refused(auth, client, db):
    auth.login(LEO)
    north = group("Northside")
    response = client.post(f"/leader/groups/{north.id}/roles", data={"name": "cook", "default_capacity": 1})
    assert response.status_code == 400
    assert "This group already has a role with this name." in response.get_data(as_text=True)


def test_leader_edits_a_role(auth, client, db):
    north, cook = group("Northside"), role("Northside", "Cook")
    auth.login(LEO)
    assert "Edit Role: Cook" in client.get(f"/leader/groups/{north.id}/roles/{cook.id}").get_data(as_text=True)
    response = client.post(
        f"/leader/groups/{north.id}/roles/{cook.id}", data={"name": "Head Cook", "default_capacity": 2, "position": 0}
    )
    assert response.status_code == 303
    cook = Role.get_by_id(cook.id)
    assert (cook.name, cook.default_capacity) == ("Head Cook", 2)
    change = last_audit("role.update")
    assert json.loads(change.before)["name"] == "Cook" and json.loads(change.after)["name"] == "Head Cook"


def test_removing_a_role_used_by_slots_is_refused_with_a_message(auth, client, db):
    north = group("Northside")
    slot_in(timedelta(days=5), "Cook")
    cook = role("Northside", "Cook")
    auth.login(LEO)
    response = client.post(f"/leader/groups/{north.id}/roles/{cook.id}/remove")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The role Cook cannot be removed: 1 slot use it." in page
    htmx = client.post(f"/leader/groups/{north.id}/roles/{cook.id}/remove", headers=HTMX)
    assert htmx.status_code == 200 and "cannot be removed" in htmx.get_data(as_text=True)
    assert Role.select().where(Role.id == cook.id).exists()


def test_leader_removes_a_role_no_slot_uses(auth, client, db):
    north, reserve = group("Northside"), role("Northside", "Reserve")
    auth.login(LEO)
    response = client.post(f"/leader/groups/{north.id}/roles/{reserve.id}/remove", headers=HTMX)
    fragment = response.get_data(as_text=True)
    assert "The role Reserve has been removed." in fragment
    assert not Role.select().where(Role.id == reserve.id).exists()
    assert json.loads(last_audit("role.remove").before)["name"] == "Reserve"
