"""People: find an account; make a group leader or administrator; deactivate; unlock; ask to verify."""

import json

from conftest import PASSWORD

from cervis.auth import LOGIN_PER_ACCOUNT
from cervis.models import AuditLog, Group, Membership, Organisation, Throttle, User

HX = {"HX-Request": "true"}


def person(email):
    return User.by_email(email)


def test_people_list_shows_names_groups_roles_and_status(auth, client, db):
    auth.login("ada@example.org")
    page = client.get("/admin/people").get_data(as_text=True)
    for words in (
        "Vera Volunteer",
        "vera@example.org",
        "Northside (leader)",
        "Administrator",
        "Group leader",
        "Locked?",
    ):
        assert words in page


def test_admin_searches_people_by_name_or_email(auth, client, db):
    auth.login("ada@example.org")
    page = client.get("/admin/people?q=vera").get_data(as_text=True)
    assert "Vera Volunteer" in page and "Sam Southsider" not in page
    page = client.get("/admin/people?q=southsider%40example").get_data(as_text=True)
    assert "Sam Southsider" not in page  # the e-mail is sam@..., not southsider@
    fragment = client.get("/admin/people?q=sam", headers=HX).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="people-results"') and "Sam Southsider" in fragment
    assert "<html" not in fragment


def test_admin_makes_vera_a_group_leader_of_southside_and_back(auth, client, db):
    vera, south = person("vera@example.org"), Group.get(Group.name == "Southside")
    auth.login("ada@example.org")
    response = client.post(f"/admin/people/{vera.id}/leader", data={"group": south.id, "leader": "1"})
    assert response.status_code == 303
    assert Membership.get(user=vera, group=south).is_leader
    assert "Vera Volunteer is now a group leader of Southside." in client.get(f"/admin/people/{vera.id}").get_data(
        as_text=True
    )
    response = client.post(f"/admin/people/{vera.id}/leader", data={"group": south.id, "leader": "0"}, headers=HX)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and page.lstrip().startswith('<div id="person-actions">')
    assert "is no longer a group leader of Southside" in page
    assert not Membership.get(user=vera, group=south).is_leader
    grant, revoke = AuditLog.select().where(AuditLog.object_id == vera.id).order_by(AuditLog.id)
    assert (grant.action, revoke.action) == ("leader-grant", "leader-revoke")
    assert json.loads(grant.before) == {"group": "Southside", "member": False, "leader": False}
    assert json.loads(grant.after) == {"group": "Southside", "member": True, "leader": True}
    assert grant.actor.email == revoke.actor.email == "ada@example.org"


def test_new_group_leader_can_open_leader_home(auth, client, db):
    sam, south = person("sam@example.org"), Group.get(Group.name == "Southside")
    auth.login("ada@example.org")
    client.post(f"/admin/people/{sam.id}/leader", data={"group": south.id, "leader": "1"})
    auth.logout()
    auth.login("sam@example.org")
    assert client.get("/leader/").status_code == 200


def test_admin_makes_leo_an_administrator_and_back(auth, client, db):
    leo = person("leo@example.org")
    auth.login("ada@example.org")
    client.post(f"/admin/people/{leo.id}/admin", data={"admin": "1"})
    assert person("leo@example.org").is_admin
    response = client.post(f"/admin/people/{leo.id}/admin", data={"admin": "0"}, headers=HX)
    assert "Leo Leader is no longer an administrator." in response.get_data(as_text=True)
    assert not person("leo@example.org").is_admin
    log = AuditLog.get(AuditLog.action == "admin-revoke")
    assert json.loads(log.before)["is_admin"] is True and json.loads(log.after)["is_admin"] is False


def test_admin_cannot_remove_their_own_admin_rights(auth, client, db):
    ada = person("ada@example.org")
    auth.login("ada@example.org")
    page = client.get(f"/admin/people/{ada.id}").get_data(as_text=True)
    assert "Remove Administrator Rights" not in page and "Deactivate Account" not in page
    response = client.post(f"/admin/people/{ada.id}/admin", data={"admin": "0"}, headers=HX)
    assert "You cannot remove your own administrator rights." in response.get_data(as_text=True)
    client.post(f"/admin/people/{ada.id}/admin", data={"admin": "0"})
    assert person("ada@example.org").is_admin
    assert not AuditLog.select().where(AuditLog.action == "admin-revoke").exists()


def test_admin_cannot_deactivate_themselves(auth, client, db):
    ada = person("ada@example.org")
    auth.login("ada@example.org")
    response = client.post(f"/admin/people/{ada.id}/active", data={"active": "0"})
    assert response.status_code == 303
    assert "You cannot deactivate your own account." in client.get(f"/admin/people/{ada.id}").get_data(as_text=True)
    assert person("ada@example.org").active


def test_deactivated_volunteer_is_signed_out_and_cannot_log_in_until_reactivated(app, auth, client):
    # No `db` fixture here: its app context would let one browser's signed-in user leak into the other's requests.
    vera = person("vera@example.org")
    vera_browser = app.test_client()
    vera_browser.post("/login", data={"email": "vera@example.org", "password": PASSWORD})
    assert vera_browser.get("/portal/").status_code == 200
    auth.login("ada@example.org")
    client.post(f"/admin/people/{vera.id}/active", data={"active": "0"})
    assert person("vera@example.org").active is False
    assert vera_browser.get("/portal/").status_code in (302, 303)
    assert vera_browser.post("/login", data={"email": "vera@example.org", "password": PASSWORD}).status_code == 401
    assert "No (deactivated)" in client.get("/admin/people?q=vera").get_data(as_text=True)
    client.post(f"/admin/people/{vera.id}/active", data={"active": "1"}, headers=HX)
    assert person("vera@example.org").active
    assert [a.action for a in AuditLog.select().order_by(AuditLog.id)] == ["account.deactivate", "account.reactivate"]


def test_admin_unlocks_an_account_locked_by_failed_logins(auth, client, db):
    vera = person("vera@example.org")
    for _ in range(LOGIN_PER_ACCOUNT):
        Throttle.hit("login-email:vera@example.org")
    auth.login("ada@example.org")
    assert "Locked" in client.get("/admin/people?q=vera").get_data(as_text=True)
    assert "Unlock Account" in client.get(f"/admin/people/{vera.id}").get_data(as_text=True)
    response = client.post(f"/admin/people/{vera.id}/unlock", headers=HX)
    assert "account has been unlocked" in response.get_data(as_text=True)
    assert Throttle.select().where(Throttle.key == "login-email:vera@example.org").count() == 0
    assert AuditLog.get(AuditLog.action == "unlock").actor.email == "ada@example.org"
    auth.logout()
    assert auth.login().status_code == 303


def test_admin_asks_everyone_to_verify_their_profile_at_next_login(auth, client, db):
    before = Organisation.current().verify_generation
    auth.login("ada@example.org")
    assert "4 of 5 active volunteers have verified" in client.get("/admin/people").get_data(as_text=True)
    response = client.post("/admin/people/verify", headers=HX)
    assert "0 of 5 active volunteers have verified" in response.get_data(as_text=True)
    assert Organisation.current().verify_generation == before + 1
    assert json.loads(AuditLog.get(AuditLog.action == "ask-verify").after) == {"verify_generation": before + 1}
    auth.logout()
    assert person("vera@example.org").needs_profile()


def test_unknown_person_is_404(auth, client):
    auth.login("ada@example.org")
    assert client.get("/admin/people/9999").status_code == 404
    assert client.post("/admin/people/9999/admin", data={"admin": "1"}).status_code == 404
