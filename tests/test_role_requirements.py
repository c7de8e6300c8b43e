"""What a role needs: a leader ticks the qualifications on the group's roles page, and the role says so."""

from cervis.models import AuditLog, Group, Qualification, Role, RoleRequirement


def _sl(group_name="Northside"):
    return Role.get(Role.group == Group.get(name=group_name), Role.name == "SL")


def test_leader_ticks_what_the_shift_leader_role_needs_and_the_roles_page_says_so(auth, client, db):
    training = Qualification.create(name="Shift leader training", position=0)
    safe = Qualification.create(name="Safeguarding", valid_months=36, position=1)
    sl = _sl()
    auth.login("leo@example.org")
    form = client.get(f"/leader/groups/{sl.group_id}/roles/{sl.id}").get_data(as_text=True)
    assert "Needs (all of these)" in form and "Shift leader training" in form
    response = client.post(
        f"/leader/groups/{sl.group_id}/roles/{sl.id}",
        data={
            "name": "SL",
            "default_capacity": "1",
            "position": "3",
            "is_shift_leader": "y",
            "needs": [str(training.id), str(safe.id)],
        },
    )
    assert response.status_code == 303
    assert {r.qualification_id for r in RoleRequirement.select().where(RoleRequirement.role == sl)} == {
        training.id,
        safe.id,
    }
    assert "Shift leader training" in AuditLog.get(AuditLog.action == "role.update").after
    page = client.get(f"/leader/groups/{sl.group_id}").get_data(as_text=True)
    assert "Needs Shift leader training, Safeguarding" in page


def test_unticking_leaves_the_role_needing_nothing(auth, client, db):
    safe = Qualification.create(name="Safeguarding", valid_months=36)
    sl = _sl()
    RoleRequirement.create(role=sl, qualification=safe)
    auth.login("leo@example.org")
    client.post(
        f"/leader/groups/{sl.group_id}/roles/{sl.id}",
        data={"name": "SL", "default_capacity": "1", "is_shift_leader": "y"},
    )
    assert not RoleRequirement.select().where(RoleRequirement.role == sl).exists()


def test_a_new_role_can_need_food_hygiene_and_a_made_up_id_is_ignored(auth, client, db):
    food = Qualification.create(name="Food hygiene level 2", valid_months=36)
    north = Group.get(name="Northside")
    auth.login("leo@example.org")
    response = client.post(
        f"/leader/groups/{north.id}/roles",
        data={"name": "Second Cook", "default_capacity": "1", "needs": [str(food.id), "999999", "x"]},
    )
    assert response.status_code in (303, 400)
    role = Role.get(Role.name == "Second Cook")
    assert [r.qualification.name for r in role.requirements] == ["Food hygiene level 2"]


def test_the_slot_builder_and_the_rota_board_say_what_a_role_needs(auth, client, db):
    from helpers_rota import MONTH, board, night

    RoleRequirement.create(role=_sl(), qualification=Qualification.create(name="Shift leader training"))
    slot = night(5, role="SL")
    auth.login("leo@example.org")
    assert 'SL: <span class="tag tag-needs">Needs Shift leader training' in board(client, month=MONTH).get_data(
        as_text=True
    )
    builder = client.get(f"/leader/opportunities/{slot.opportunity_id}/slots/bulk").get_data(as_text=True)
    assert "Needs Shift leader training" in builder
