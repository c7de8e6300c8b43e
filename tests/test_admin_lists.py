"""Lists: allergens, places of worship, interest categories and preferred frequencies."""

from cervis.models import (
    Allergen,
    AuditLog,
    Frequency,
    InterestCategory,
    PlaceOfWorship,
    Profile,
    ProfileAllergen,
    User,
)

HX = {"HX-Request": "true"}


def names(model):
    return [i.name for i in model.ordered()]


def test_lists_page_shows_the_four_lists_with_their_items(auth, client):
    auth.login("ada@example.org")
    page = client.get("/admin/lists").get_data(as_text=True)
    for words in (
        "Allergies and Intolerances",
        "Places of worship",
        "Interest categories",
        "Preferred frequencies",
        "Celery",
        "I prefer not to say",
        "Fortnightly",
        "Night shelter",
    ):
        assert words in page


def test_admin_adds_a_place_of_worship_with_the_star(auth, client, db):
    auth.login("ada@example.org")
    response = client.post("/admin/lists/places/add", data={"name": " All Saints, Bisham ", "starred": "y"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/admin/lists#answer")
    place = PlaceOfWorship.get(PlaceOfWorship.name == "All Saints, Bisham")
    assert place.starred and names(PlaceOfWorship)[-1] == "All Saints, Bisham"
    log = AuditLog.get(AuditLog.action == "list-add")
    assert log.object_type == "PlaceOfWorship" and log.actor.email == "ada@example.org"
    assert "“All Saints, Bisham” has been added." in client.get("/admin/lists").get_data(as_text=True)


def test_admin_adds_an_interest_with_htmx_and_gets_the_section_back(auth, client, db):
    auth.login("ada@example.org")
    response = client.post("/admin/lists/interests/add", data={"name": "Gardening"}, headers=HX)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.lstrip().startswith('<section class="card list-section" id="list-interests"')
    assert "Gardening" in page and 'hx-swap-oob="true"' in page and "has been added" in page
    assert "Celery" not in page  # only this list's section


def test_a_name_already_in_the_list_is_refused_beside_the_field(auth, client, db):
    auth.login("ada@example.org")
    response = client.post("/admin/lists/frequencies/add", data={"name": "weekly"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="frequencies-new-error"' in page and "“weekly” is already in this list." in page
    assert 'value="weekly"' in page
    htmx = client.post("/admin/lists/frequencies/add", data={"name": ""}, headers=HX)
    assert htmx.status_code == 422 and "Please enter a name." in htmx.get_data(as_text=True)
    assert names(Frequency).count("Weekly") == 1


def test_admin_renames_an_item_and_the_audit_log_keeps_both_names(auth, client, db):
    gluten = Allergen.get(Allergen.name == "Gluten")
    auth.login("ada@example.org")
    response = client.post(f"/admin/lists/allergens/{gluten.id}", data={"name": "Gluten (coeliac)"}, headers=HX)
    assert response.status_code == 200 and "Gluten (coeliac)" in response.get_data(as_text=True)
    assert Allergen.get_by_id(gluten.id).name == "Gluten (coeliac)"
    log = AuditLog.get(AuditLog.action == "list-rename")
    assert '"Gluten"' in log.before and '"Gluten (coeliac)"' in log.after


def test_admin_unstars_a_place(auth, client, db):
    unknown = PlaceOfWorship.get(PlaceOfWorship.name == "Unknown")
    auth.login("ada@example.org")
    client.post(f"/admin/lists/places/{unknown.id}", data={"name": "Unknown"})
    assert PlaceOfWorship.get_by_id(unknown.id).starred is False


def test_admin_moves_an_item_up_and_down(auth, client, db):
    monthly = Frequency.get(Frequency.name == "Monthly")
    auth.login("ada@example.org")
    client.post(f"/admin/lists/frequencies/{monthly.id}/move", data={"direction": "up"})
    assert names(Frequency) == ["Weekly", "Monthly", "Fortnightly", "Occasionally"]
    client.post(f"/admin/lists/frequencies/{monthly.id}/move", data={"direction": "down"}, headers=HX)
    client.post(f"/admin/lists/frequencies/{monthly.id}/move", data={"direction": "down"}, headers=HX)
    assert names(Frequency) == ["Weekly", "Fortnightly", "Occasionally", "Monthly"]
    response = client.post(f"/admin/lists/frequencies/{monthly.id}/move", data={"direction": "down"}, headers=HX)
    assert "is already last" in response.get_data(as_text=True)


def test_admin_removes_an_unused_item(auth, client, db):
    cooking = InterestCategory.get(InterestCategory.name == "Cooking")
    auth.login("ada@example.org")
    assert client.post(f"/admin/lists/interests/{cooking.id}/remove").status_code == 303
    assert "Cooking" not in names(InterestCategory)
    assert AuditLog.get(AuditLog.action == "list-remove").before.count("Cooking") == 1


def test_an_item_in_use_is_not_removed_and_the_admin_is_told_why(auth, client, db):
    celery = Allergen.get(Allergen.name == "Celery")
    ProfileAllergen.create(profile=Profile.get(Profile.user == User.by_email("vera@example.org")), allergen=celery)
    auth.login("ada@example.org")
    response = client.post(f"/admin/lists/allergens/{celery.id}/remove")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "“Celery” is in use (1 volunteer profile), so it cannot be removed. You can rename it instead." in page
    assert "Celery" in names(Allergen)
    htmx = client.post(f"/admin/lists/allergens/{celery.id}/remove", headers=HX)
    assert htmx.status_code == 422 and "is in use" in htmx.get_data(as_text=True)


def test_allergen_none_cannot_be_removed_or_renamed(auth, client, db):
    none = Allergen.get(Allergen.name == "None")
    auth.login("ada@example.org")
    response = client.post(f"/admin/lists/allergens/{none.id}/remove")
    assert response.status_code == 400
    assert "“None” is what volunteers with no allergies choose, so it cannot be removed." in response.get_data(
        as_text=True
    )
    client.post(f"/admin/lists/allergens/{none.id}", data={"name": "Nothing"})
    assert Allergen.get_by_id(none.id).name == "None"


def test_unknown_list_or_item_is_404(auth, client):
    auth.login("ada@example.org")
    assert client.post("/admin/lists/hobbies/add", data={"name": "Chess"}).status_code == 404
    assert client.post("/admin/lists/allergens/9999/remove").status_code == 404
