"""Family members: a parent registers a teenage child, who volunteers with them but has no log-in."""

from datetime import timedelta

from helpers_profile import ids
from cervis.db import utcnow
from cervis.models import Allergen, AuditLog, Group, Opportunity, Organisation, Profile, Registration, Role, Slot, User


def child(**changes):
    data = {
        "first_name": "Tess",
        "last_name": "Volunteer",
        "birth_month": "5",
        "birth_day": "20",
        "birth_year": str(utcnow().year - 15),
        "allergens": ids(Allergen, "Peanuts"),
        "groups": ids(Group, "Northside"),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def add_tess(auth, client):
    auth.login()
    response = client.post("/portal/profile/family/new", data=child())
    assert response.status_code == 303, response.get_data(as_text=True)
    return User.get(User.first_name == "Tess")


def test_volunteer_adds_a_family_member_from_the_profile_page(auth, client, db):
    auth.login()
    page = client.get("/portal/profile").get_data(as_text=True)
    assert "Family Members" in page and "No family members yet." in page
    assert 'href="/portal/profile/family/new"' in page
    form = client.get("/portal/profile/family/new").get_data(as_text=True)
    assert "Add Family Member" in form and "Volunteer Birth Date:*" in form and "Peanuts" in form

    response = client.post("/portal/profile/family/new", data=child())
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/portal/profile#answer")
    page = client.get("/portal/profile").get_data(as_text=True)
    assert "Family Member Added Successfully: Tess Volunteer." in page
    assert "Tess Volunteer" in page
    tess = User.get(User.first_name == "Tess")
    vera = User.get(User.email == "vera@example.org")
    assert tess.email is None and tess.password_hash is None and tess.family_of_id == vera.id
    assert tess.verified_generation == Organisation.current().verify_generation
    profile = Profile.get(Profile.user == tess)
    assert [a.name for a in profile.allergens()] == ["Peanuts"]
    assert [g.name for g in tess.groups()] == ["Northside"]
    assert [u.name for u in vera.household()] == ["Vera Volunteer", "Tess Volunteer"]
    assert AuditLog.get(AuditLog.action == "family member added").actor_id == vera.id


def test_family_member_form_marks_mistakes_and_keeps_what_was_typed(auth, client, db):
    auth.login()
    response = client.post(
        "/portal/profile/family/new",
        data=child(
            first_name="", birth_month="2", birth_day="30", allergens=ids(Allergen, "None", "Eggs"), groups=None
        ),
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Please enter their first name." in page
    assert "February 30" in page and "is not a real date" in page
    assert "not both" in page and "Please tick at least one group to join." in page
    assert 'value="Volunteer"' in page
    assert f'value="{ids(Allergen, "Eggs")[0]}" checked' in page
    assert not User.select().where(User.last_name == "Volunteer", User.email.is_null()).exists()


def test_volunteer_edits_their_family_member(auth, client, db):
    tess = add_tess(auth, client)
    page = client.get(f"/portal/profile/family/{tess.id}").get_data(as_text=True)
    assert 'value="Tess"' in page and "Update Family Member" in page
    response = client.post(
        f"/portal/profile/family/{tess.id}",
        data=child(first_name="Tessa", allergens=ids(Allergen, "None"), groups=ids(Group, "Southside")),
    )
    assert response.status_code == 303
    tess = User.get_by_id(tess.id)
    assert tess.first_name == "Tessa"
    assert [a.name for a in Profile.get(Profile.user == tess).allergens()] == ["None"]
    assert [g.name for g in tess.groups()] == ["Southside"]
    assert "Tess Volunteer" in AuditLog.get(AuditLog.action == "family member updated").before


def test_another_volunteer_cannot_see_edit_or_remove_it(auth, client, db):
    tess = add_tess(auth, client)
    auth.logout()
    auth.login("sam@example.org")
    assert "Tess" not in client.get("/portal/profile").get_data(as_text=True)
    assert client.get(f"/portal/profile/family/{tess.id}").status_code == 404
    assert client.post(f"/portal/profile/family/{tess.id}", data=child(first_name="Hacked")).status_code == 404
    assert client.post(f"/portal/profile/family/{tess.id}/remove").status_code == 404
    # Nor can an id of a volunteer with a log-in be opened as a "family member".
    sam = User.get(User.email == "sam@example.org")
    assert client.get(f"/portal/profile/family/{sam.id}").status_code == 404
    assert User.get_by_id(tess.id).first_name == "Tess"


def test_volunteer_removes_a_family_member(auth, client, db):
    tess = add_tess(auth, client)
    response = client.post(f"/portal/profile/family/{tess.id}/remove")
    assert response.status_code == 303
    assert "Family Member Removed Successfully: Tess Volunteer." in client.get("/portal/profile").get_data(as_text=True)
    assert User.get_or_none(User.id == tess.id) is None
    assert AuditLog.get(AuditLog.action == "family member removed").object_id == tess.id


def test_removing_with_htmx_answers_the_family_section_and_its_banner(auth, client, db):
    tess = add_tess(auth, client)
    response = client.post(f"/portal/profile/family/{tess.id}/remove", headers={"HX-Request": "true"})
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert '<section id="family"' in fragment and "No family members yet." in fragment
    assert 'hx-swap-oob="true"' in fragment and "Family Member Removed Successfully" in fragment
    assert "<html" not in fragment
    assert User.get_or_none(User.id == tess.id) is None


def test_a_family_member_with_an_upcoming_shift_is_not_removed(auth, client, db):
    tess = add_tess(auth, client)
    north = Group.get(Group.name == "Northside")
    opportunity = Opportunity.create(group=north, name="Night Shelter")
    start = utcnow() + timedelta(days=3)
    slot = Slot.create(
        opportunity=opportunity,
        role=Role.get(Role.group == north, Role.name == "Cook"),
        starts_at=start,
        ends_at=start + timedelta(hours=3),
    )
    Registration.create(volunteer=tess, slot=slot)
    response = client.post(f"/portal/profile/family/{tess.id}/remove", headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True)
    assert "still has upcoming registrations" in fragment and "banner-error" in fragment
    assert "Tess Volunteer" in fragment
    assert User.get_or_none(User.id == tess.id) is not None


def test_family_pages_wait_until_the_volunteers_own_profile_is_verified(auth, client, db):
    Organisation.update(verify_generation=Organisation.verify_generation + 1).execute()
    auth.login()
    assert client.get("/portal/profile/family/new").headers["Location"].split("#")[0].endswith("/portal/profile")
    assert "Family Members" not in client.get("/portal/profile").get_data(as_text=True)


def test_a_family_members_emails_go_to_the_parent_and_nobody_reads_one_without_an_address(db):
    vera = User.get(User.email == "vera@example.org")
    tess = User.create(first_name="Tess", last_name="Volunteer", family_of=vera)
    blank = User.create(first_name="Bea", last_name="Volunteer", email="", family_of=vera)
    lone = User.create(first_name="Lone", last_name="Volunteer")
    no_address = User.create(first_name="Kit", last_name="Volunteer", family_of=lone)
    assert (vera.inbox, tess.inbox, blank.inbox) == (vera, vera, vera)
    assert lone.inbox is None and no_address.inbox is None
