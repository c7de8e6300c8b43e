"""Recruitment Steps: Ada adds, renames, reorders and removes the organisation's steps; nobody else may."""

from helpers_applications import the_steps

from cervis.models import AuditLog, RecruitmentStep


def names():
    return [s.name for s in RecruitmentStep.ordered()]


def test_the_administrator_adds_renames_moves_and_removes_a_step(app, auth, client, db):
    the_steps()
    auth.login("ada@example.org")
    assert "Volunteer agreement accepted" in client.get("/admin/recruitment-steps").get_data(as_text=True)
    assert (
        client.post("/admin/recruitment-steps", data={"name": "Shadow shift done", "kind": "manual"}).status_code == 303
    )
    assert names()[-1] == "Shadow shift done"
    new = RecruitmentStep.get(name="Shadow shift done")
    client.post(f"/admin/recruitment-steps/{new.id}/move", data={"direction": "up"})
    assert names()[-2:] == ["Shadow shift done", "DBS check"]
    client.post(f"/admin/recruitment-steps/{new.id}", data={"name": "Shadow shift attended"})
    assert "Shadow shift attended" in names() and RecruitmentStep.get_by_id(new.id).kind == "manual"
    client.post(f"/admin/recruitment-steps/{new.id}/remove")
    assert "Shadow shift attended" not in names()
    assert AuditLog.select().where(AuditLog.action.startswith("recruitment-step.")).count() == 4


def test_a_duplicate_name_or_a_second_reference_step_is_refused_beside_the_field(app, auth, client, db):
    the_steps()
    auth.login("ada@example.org")
    response = client.post("/admin/recruitment-steps", data={"name": "induction ATTENDED", "kind": "manual"})
    assert response.status_code == 400 and "There is already a step with that name." in response.get_data(as_text=True)
    response = client.post("/admin/recruitment-steps", data={"name": "Another reference", "kind": "reference-1"})
    page = response.get_data(as_text=True)
    assert "There is already a step of that kind." in page and 'value="Another reference"' in page
    response = client.post("/admin/recruitment-steps", data={"name": "", "kind": "manual"})
    assert "Please enter the step&#39;s name." in response.get_data(as_text=True)
    assert len(names()) == 6


def test_a_leader_may_not_edit_the_steps(app, auth, client, db):
    steps = the_steps()
    auth.login("leo@example.org")
    assert client.get("/admin/recruitment-steps").status_code == 403
    assert client.post(f"/admin/recruitment-steps/{steps['DBS check'].id}/remove").status_code == 403
    assert len(names()) == 6
