"""Members: a group's list, a volunteer's page, notes, removal, deactivation and Add Volunteer."""

import json
from datetime import date, timedelta

from conftest import PASSWORD, emails_to, temp_password_in
from helpers_leader import ADA, HTMX, LEO, OLGA, group, last_audit, member_of, offer, person, slot_in

from cervis.models import (
    REGISTERED,
    ServiceRecord,
    Allergen,
    Frequency,
    LeaderNote,
    Membership,
    PlaceOfWorship,
    Profile,
    ProfileAllergen,
    ProfilePlace,
    Registration,
    User,
)


def _vera_personal_details():
    vera = person("vera@example.org")
    profile = Profile.get(Profile.user == vera)
    profile.emergency_name, profile.emergency_phone = "Edna Emergency", "07700 900999"
    profile.birth_date = date(1980, 5, 17)
    profile.frequency = Frequency.get(Frequency.name == "Fortnightly")
    profile.save()
    ProfileAllergen.create(profile=profile, allergen=Allergen.get(Allergen.name == "Sesame"))
    ProfilePlace.create(profile=profile, place=PlaceOfWorship.create(name="All Saints, Bisham", position=9))
    return vera


# The member list ---------------------------------------------------------------------------------


def test_member_list_shows_each_volunteers_details(auth, client, db):
    vera = _vera_personal_details()
    offer(vera, slot_in(timedelta(hours=-30)), status=REGISTERED)
    Membership.create(user=vera, group=group("Southside"))
    auth.login(LEO)
    page = client.get(f"/leader/groups/{group('Northside').id}/members").get_data(as_text=True)
    for text in (
        "Vera Volunteer",
        "vera@example.org",
        "07700 900000",
        "Fortnightly",
        "Northside, Southside",
        "Leo Leader",
        "Group Leader",
    ):
        assert text in page
    assert "None yet" in page  # Leo has served no shift
    assert "Shifts This Month in This Group" in page  # Suggest Rota's count is of all groups


def test_member_search_finds_by_name_or_email_and_answers_htmx_with_the_table(auth, client, db):
    member_of("Northside", "Bea", "Baker")
    url = f"/leader/groups/{group('Northside').id}/members"
    auth.login(LEO)
    page = client.get(url, query_string={"q": "bake"}).get_data(as_text=True)
    assert "Bea Baker" in page and "Vera Volunteer" not in page
    response = client.get(url, query_string={"q": "vera@"}, headers=HTMX)
    fragment = response.get_data(as_text=True)
    assert 'id="member-list"' in fragment and "<html" not in fragment
    assert "Vera Volunteer" in fragment and "Bea Baker" not in fragment
    assert "HX-Request" in response.headers["Vary"]


def test_leader_cannot_list_another_groups_members(auth, client, db):
    auth.login(LEO)
    assert client.get(f"/leader/groups/{group('Southside').id}/members").status_code == 403


# A volunteer's page: who sees what ---------------------------------------------------------------


def test_leader_sees_allergies_and_emergency_contact_but_not_birth_date_or_place_of_worship(auth, client, db):
    vera = _vera_personal_details()
    auth.login(LEO)
    page = client.get(f"/leader/volunteers/{vera.id}").get_data(as_text=True)
    assert "Sesame" in page and "Edna Emergency" in page and "07700 900999" in page and "Fortnightly" in page
    assert "1980" not in page and "Birth Date" not in page
    assert "All Saints, Bisham" not in page and "Places of Worship" not in page


def test_administrator_sees_birth_date_and_place_of_worship(auth, client, db):
    vera = _vera_personal_details()
    auth.login(ADA)
    page = client.get(f"/leader/volunteers/{vera.id}").get_data(as_text=True)
    assert "May 17 1980" in page and "All Saints, Bisham" in page
    assert "Sesame" in page and "Edna Emergency" in page


def test_leader_cannot_open_a_volunteer_outside_their_groups(auth, client, db):
    auth.login(LEO)
    assert client.get(f"/leader/volunteers/{person('sam@example.org').id}").status_code == 403
    assert client.get("/leader/volunteers/999").status_code == 404


def test_volunteer_page_shows_their_registrations_in_the_leaders_groups_and_hours(auth, client, db):
    vera = person("vera@example.org")
    offer(vera, slot_in(timedelta(days=-3), "Cook"), status=REGISTERED)
    offer(vera, slot_in(timedelta(days=4), "Reserve"))
    offer(vera, slot_in(timedelta(days=4), "Cook", group_name="Southside", opportunity="Soup Run"))
    auth.login(LEO)
    page = client.get(f"/leader/volunteers/{vera.id}").get_data(as_text=True)
    assert "Registered" in page and "Pending" in page and "Northside Night Shelter" in page
    assert "Southside Soup Run" not in page  # another leader's group
    assert "<strong>3</strong> Hours" in page and "<strong>1</strong> Activities" in page


def test_leader_sees_service_activity_recorded_for_their_groups_only(auth, client, db):
    vera = person("vera@example.org")
    ServiceRecord.create(
        volunteer=vera,
        group=group("Northside"),
        day=date(2026, 11, 2),
        minutes=90,
        description="Sorted the clothing store",
    )
    ServiceRecord.create(
        volunteer=vera, group=group("Southside"), day=date(2026, 11, 3), minutes=60, description="Soup run flyers"
    )
    auth.login(LEO)
    page = client.get(f"/leader/volunteers/{vera.id}").get_data(as_text=True)
    assert "Service Project Activity" in page
    assert "Sorted the clothing store" in page and "1.5" in page
    assert "Soup run flyers" not in page


# Leader notes --------------------------------------------------------------------------------------


def test_leader_adds_a_note_about_a_volunteer(auth, client, db):
    vera = person("vera@example.org")
    auth.login(LEO)
    response = client.post(
        f"/leader/volunteers/{vera.id}/notes", data={"group": group("Northside").id, "text": "Great with guests"}
    )
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Great with guests" in page and "The note has been added." in page
    note = LeaderNote.get()
    assert (note.author.email, note.group.name) == (LEO, "Northside")
    assert json.loads(last_audit("note.add").after)["text"] == "Great with guests"


def test_adding_a_note_with_htmx_answers_with_the_notes(auth, client, db):
    vera = person("vera@example.org")
    auth.login(LEO)
    response = client.post(
        f"/leader/volunteers/{vera.id}/notes",
        data={"group": group("Northside").id, "text": "Prefers Fridays"},
        headers=HTMX,
    )
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="notes"' in fragment and "Prefers Fridays" in fragment
    assert "<html" not in fragment


def test_an_empty_note_is_refused_next_to_the_field(auth, client, db):
    auth.login(LEO)
    response = client.post(
        f"/leader/volunteers/{person('vera@example.org').id}/notes", data={"group": group("Northside").id, "text": "  "}
    )
    assert response.status_code == 400 and "Please write the note." in response.get_data(as_text=True)
    assert LeaderNote.select().count() == 0


def test_notes_of_another_group_stay_with_its_leaders(auth, client, db):
    sam = person("sam@example.org")
    Membership.create(user=sam, group=group("Northside"))
    LeaderNote.create(volunteer=sam, group=group("Southside"), author=person(OLGA), text="Southside only")
    auth.login(LEO)
    assert "Southside only" not in client.get(f"/leader/volunteers/{sam.id}").get_data(as_text=True)
    crafted = client.post(f"/leader/volunteers/{sam.id}/notes", data={"group": group("Southside").id, "text": "Mine"})
    assert crafted.status_code == 400
    assert not LeaderNote.select().where(LeaderNote.text == "Mine").exists()
    auth.logout()
    auth.login(ADA)
    assert "Southside only" in client.get(f"/leader/volunteers/{sam.id}").get_data(as_text=True)


# Removing from a group -----------------------------------------------------------------------------


def test_leader_removes_a_volunteer_from_the_group_and_their_registrations_stay(auth, client, db):
    vera, north = person("vera@example.org"), group("Northside")
    reg = offer(vera, slot_in(timedelta(days=4)), status=REGISTERED)
    auth.login(LEO)
    response = client.post(f"/leader/groups/{north.id}/members/{vera.id}/remove")
    assert response.status_code == 303 and response.headers["Location"].split("#")[0].endswith(
        f"/leader/groups/{north.id}/members"
    )
    assert not Membership.select().where(Membership.user == vera, Membership.group == north).exists()
    assert Registration.get_by_id(reg.id).status == REGISTERED
    assert json.loads(last_audit("membership.remove").before)["group"] == "Northside"
    assert "has been removed from Northside" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_removing_with_htmx_sends_the_leader_back_to_the_list(auth, client, db):
    vera, north = person("vera@example.org"), group("Northside")
    auth.login(LEO)
    response = client.post(f"/leader/groups/{north.id}/members/{vera.id}/remove", headers=HTMX)
    assert response.headers["HX-Redirect"] == f"/leader/groups/{north.id}/members#answer"


def test_administrator_removing_one_membership_stays_on_the_volunteers_page(auth, client, db):
    vera = person("vera@example.org")
    Membership.create(user=vera, group=group("Southside"))
    auth.login(ADA)
    response = client.post(f"/leader/groups/{group('Southside').id}/members/{vera.id}/remove", headers=HTMX)
    fragment = response.get_data(as_text=True)
    assert 'id="member-groups"' in fragment and "Northside" in fragment
    assert "Vera Volunteer has been removed from Southside." in fragment


def test_leader_cannot_remove_a_member_of_another_group(auth, client, db):
    sam, south = person("sam@example.org"), group("Southside")
    auth.login(LEO)
    assert client.post(f"/leader/groups/{south.id}/members/{sam.id}/remove").status_code == 403
    assert client.post(f"/leader/groups/{group('Northside').id}/members/{sam.id}/remove").status_code == 404
    assert Membership.select().where(Membership.user == sam, Membership.group == south).exists()


def test_only_an_administrator_removes_a_group_leader(auth, client, db):
    second = member_of("Northside", "Lena", "Leader")
    Membership.update(is_leader=True).where(Membership.user == second).execute()
    auth.login(LEO)
    response = client.post(f"/leader/groups/{group('Northside').id}/members/{second.id}/remove", headers=HTMX)
    assert "Only an administrator can remove a group leader." in response.get_data(as_text=True)
    assert Membership.select().where(Membership.user == second).exists()


# Deactivating and reactivating -------------------------------------------------------------------


def test_deactivated_volunteer_cannot_log_in_and_their_history_stays(app, auth, client):
    # Two browsers at once: no `db` fixture here, whose app context would share one login between them.
    with app.app_context():
        vera = person("vera@example.org")
        reg = offer(vera, slot_in(timedelta(days=-3)), status=REGISTERED)
    her_browser = app.test_client()
    her_browser.post("/login", data={"email": "vera@example.org", "password": PASSWORD})
    assert her_browser.get("/portal/").status_code == 200
    auth.login(LEO)
    response = client.post(f"/leader/volunteers/{vera.id}/deactivate")
    assert response.status_code == 303
    assert "Vera Volunteer has been deactivated" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert her_browser.get("/portal/").status_code in (302, 303)  # her open session has ended
    assert her_browser.post("/login", data={"email": "vera@example.org", "password": PASSWORD}).status_code == 401
    with app.app_context():
        assert User.get_by_id(vera.id).active is False
        assert Registration.get_by_id(reg.id).status == REGISTERED
        change = last_audit("account.deactivate")
        assert change.actor.email == LEO and json.loads(change.before) == {"active": True}


def test_deactivating_warns_about_shifts_still_ahead(auth, client, db):
    vera = person("vera@example.org")
    offer(vera, slot_in(timedelta(days=3)), status=REGISTERED)
    auth.login(LEO)
    fragment = client.post(f"/leader/volunteers/{vera.id}/deactivate", headers=HTMX).get_data(as_text=True)
    assert "still registered for 1 coming shift" in fragment and "Reactivate Volunteer" in fragment


def test_reactivated_volunteer_can_log_in_again(app, auth, client):
    with app.app_context():
        User.update(active=False).where(User.email == "vera@example.org").execute()
        vera = person("vera@example.org")
    auth.login(LEO)
    response = client.post(f"/leader/volunteers/{vera.id}/reactivate", headers=HTMX)
    assert response.status_code == 200 and "can log in again" in response.get_data(as_text=True)
    assert app.test_client().post("/login", data={"email": "vera@example.org", "password": PASSWORD}).status_code == 303
    with app.app_context():
        assert json.loads(last_audit("account.reactivate").after) == {"active": True}


def test_leader_cannot_deactivate_another_groups_volunteer_or_an_administrator(auth, client, db):
    auth.login(LEO)
    assert client.post(f"/leader/volunteers/{person('sam@example.org').id}/deactivate").status_code == 403
    ada = person(ADA)
    Membership.create(user=ada, group=group("Northside"))
    response = client.post(f"/leader/volunteers/{ada.id}/deactivate", headers=HTMX)
    assert "Only an administrator can deactivate" in response.get_data(as_text=True)
    assert person(ADA).active and person("sam@example.org").active


def test_administrator_deactivates_anyone(auth, client, db):
    auth.login(ADA)
    assert client.post(f"/leader/volunteers/{person('sam@example.org').id}/deactivate").status_code == 303
    assert person("sam@example.org").active is False


# Add Volunteer ----------------------------------------------------------------------------------------


def _new_volunteer(**overrides):
    data = {
        "email": "New.Person@Example.org",
        "first_name": "Nora",
        "last_name": "New",
        "phone": "07700 900555",
        "groups": [str(group("Northside").id)],
    }
    data.update(overrides)
    return data


def test_add_volunteer_creates_the_account_and_queues_a_welcome_email(auth, client, db):
    auth.login(LEO)
    assert "Add Volunteer" in client.get("/leader/volunteers/new").get_data(as_text=True)
    response = client.post("/leader/volunteers/new", data=_new_volunteer())
    assert response.status_code == 303
    nora = person("new.person@example.org")
    assert nora.email == "new.person@example.org" and nora.must_change_password and nora.password_hash is None
    assert [g.name for g in nora.groups()] == ["Northside"]
    assert Profile.get(Profile.user == nora).mobile == "07700 900555"
    welcome = emails_to("new.person@example.org", "welcome")
    assert len(welcome) == 1 and "7 days" in welcome[0].body_text
    assert nora.temp_password_expires - nora.created_at > timedelta(days=6)
    assert json.loads(last_audit("account.create").after)["email"] == "new.person@example.org"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "A welcome e-mail with a temporary password is on its way" in page


def test_new_volunteer_logs_in_with_the_welcome_password_and_must_choose_their_own(app, auth, client):
    auth.login(LEO)
    with app.app_context():
        data = _new_volunteer()
    client.post("/leader/volunteers/new", data=data)
    with app.app_context():
        temp = temp_password_in(emails_to("new.person@example.org", "welcome")[0])
    response = app.test_client().post("/login", data={"email": "new.person@example.org", "password": temp})
    assert response.status_code == 303 and response.headers["Location"].split("#")[0].endswith("/password")


def test_add_volunteer_refuses_an_email_that_already_has_an_account_whatever_its_case(auth, client, db):
    auth.login(LEO)
    response = client.post("/leader/volunteers/new", data=_new_volunteer(email="VERA@example.org"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "There is already an account with this e-mail address." in page
    assert 'value="Nora"' in page
    assert emails_to("vera@example.org", "welcome") == []


def test_add_volunteer_only_into_groups_the_leader_leads(auth, client, db):
    auth.login(LEO)
    response = client.post("/leader/volunteers/new", data=_new_volunteer(groups=[str(group("Southside").id)]))
    assert response.status_code == 400 and "Please choose only groups you lead." in response.get_data(as_text=True)
    missing = client.post("/leader/volunteers/new", data=_new_volunteer(groups=[]))
    assert missing.status_code == 400 and "Please choose at least one of your groups." in missing.get_data(as_text=True)
    assert person("new.person@example.org") is None


def test_add_volunteer_refuses_a_bad_email_and_a_missing_name(auth, client, db):
    auth.login(LEO)
    response = client.post("/leader/volunteers/new", data=_new_volunteer(email="not-an-address", last_name=""))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "That is not a valid e-mail address." in page and "Please enter the last name." in page


def test_a_volunteer_cannot_add_volunteers(auth, client, db):
    auth.login()
    assert client.post("/leader/volunteers/new", data=_new_volunteer()).status_code == 403
