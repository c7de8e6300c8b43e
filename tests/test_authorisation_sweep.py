"""Changing an id never reaches someone else's data: every route of the URL map, GET and POST,
plain and htmx, with ids of objects that belong to another volunteer or another group.

Vera volunteers at Northside and Leo leads it; every id below belongs to Sam (Southside) or to
Southside (Olga's group). The routes come from app.url_map, so a new route is swept as soon as it
exists; one whose URL takes an argument this file does not know fails
test_every_route_argument_is_one_the_sweep_fills until the others() fixture names an object for it.
"""

import secrets
from datetime import timedelta
from pathlib import Path

import pytest
from flask import current_app, url_for

from cervis.db import utcnow
from cervis.models import (
    ALL,
    PENDING,
    REGISTERED,
    Allergen,
    ApiToken,
    AwayRange,
    Document,
    Email,
    Group,
    LeaderNote,
    Membership,
    Opportunity,
    Profile,
    Qualification,
    QualificationGrant,
    RecruitmentStep,
    Reference,
    Registration,
    Role,
    ServiceRecord,
    Slot,
    Throttle,
    User,
    WaitingListEntry,
)
from cervis.models.docs import GROUP, VOLUNTEER

HTMX = {"HX-Request": "true"}
# Open without logging in. Tokens are signed (forged ones are tested below); logging out is harmless.
PUBLIC = {
    "static",
    "brand.favicon",
    "brand.icon",
    "views.index",
    "views.terms",
    "views.privacy",
    "views.contact",
    "auth.login",
    "auth.reset",
    "auth.logout",
    "auth.strength",
    "auth.temporary_link",
    "auth.sso_start",
    "auth.sso_callback",
    "volunteer.cancel_link",
    "volunteer.ical",
    "volunteer.cover",
    "volunteer.waiting_offer",
    "volunteer.find_stand_in_link",
    "volunteer.stand_in_ask",
    "volunteer.feed",
    "brand.logo",
    "brand.stylesheet",
    "brand.manifest",
    "brand.tonight_manifest",
    "unsubscribe.one_click",
    "apply.apply",
    "apply.sent",
    "apply.own_page",
    "apply.withdraw",
    "referee.reference",
    "language.switch",
}
# Words that only the other persona's objects carry: none may ever show on Vera's or Leo's screen.
SECRETS = (
    "SECRET-OPPORTUNITY",
    "SECRET-OFFER-NOTE",
    "SECRETKID",
    "SECRET-EMERGENCY",
    "SECRET-ADDRESS",
    "SECRET-SERVICE",
    "SECRET-DOCUMENT",
    "SECRET-NOTE",
    "SECRETROLE",
    "SECRET-EMAIL",
    "SECRET-TRAINING",
    "SECRET-APPLICANT",
    "SECRET-REFERENCE",
    "SECRET-INTEGRATION",
    "SECRET-AWAY",
)


@pytest.fixture
def others(app, db):
    """Sam's and Southside's things, each carrying a SECRET word; returns {route argument: id}."""
    south, sam, olga = Group.get(name="Southside"), User.by_email("sam@example.org"), User.by_email("olga@example.org")
    Profile.update(emergency_name="SECRET-EMERGENCY", emergency_phone="07700 900111", address="SECRET-ADDRESS").where(
        Profile.user == sam
    ).execute()
    role = Role.create(group=south, name="SECRETROLE", default_capacity=2, position=9)
    opportunity = Opportunity.create(
        group=south, name="SECRET-OPPORTUNITY supper", live_from=utcnow() - timedelta(days=1)
    )
    starts = utcnow() + timedelta(days=5)
    slot = Slot.create(
        opportunity=opportunity, role=role, starts_at=starts, ends_at=starts + timedelta(hours=3), capacity=2
    )
    registration = Registration.create(volunteer=sam, slot=slot, status=PENDING, note="SECRET-OFFER-NOTE")
    kid = User.create(first_name="SECRETKID", last_name="Southsider", family_of=sam, verified_generation=1)
    Profile.create(user=kid, emergency_name="SECRET-EMERGENCY")
    Membership.create(user=kid, group=south)
    record = ServiceRecord.create(
        volunteer=sam, group=south, day=utcnow().date() - timedelta(days=2), minutes=60, description="SECRET-SERVICE"
    )
    document = _document("SECRET-DOCUMENT for Sam", audience=VOLUNTEER, volunteer=sam)
    _document("SECRET-DOCUMENT for Southside", audience=GROUP, group=south)
    LeaderNote.create(volunteer=sam, group=south, author=olga, text="SECRET-NOTE")
    email = Email.create(
        kind="welcome",
        to_addr=sam.email,
        subject="SECRET-EMAIL",
        body_text="SECRET-EMAIL",
        message_id=f"<{secrets.token_hex(8)}@test>",
    )
    grant = _grant_with_proof(sam)
    application = _southside_application()
    away = AwayRange.create(volunteer=sam, starts_on=starts.date(), ends_on=starts.date(), note="SECRET-AWAY")
    return {
        "away_id": away.id,
        "application_id": application.id,
        "step_id": RecruitmentStep.get(kind="manual").id,
        "group_id": south.id,
        "grant_id": grant.id,
        "opportunity_id": opportunity.id,
        "slot_id": slot.id,
        "registration_id": registration.id,
        "entry_id": WaitingListEntry.create(slot=slot, volunteer=sam).id,  # Sam waiting for a place
        "role_id": role.id,
        "volunteer_id": sam.id,
        "member_id": kid.id,
        "record_id": record.id,
        "document_id": document.id,
        "person_id": sam.id,
        "email_id": email.id,
        "item_id": Allergen.get(name="Peanuts").id,
        "kind": "allergens",
        "token": "forged",
        "filename": "cervis.css",
        "day": starts.date().isoformat(),
        "email_kind": "confirmation",
        "code": "cy",
        "token_id": ApiToken.issue(
            "SECRET-INTEGRATION", ["rota:read"], utcnow() + timedelta(days=9), User.by_email("ada@example.org")
        )[0].id,
    }


def _southside_application():
    """Someone applying to Southside only, with a reference received that only its leaders may read."""
    from helpers_applications import an_application

    application = an_application(group="Southside", first="SECRET-APPLICANT", email="secret@example.net")
    Reference.update(received_at=utcnow(), text="SECRET-REFERENCE").execute()
    return application


def _document(title, **audience):
    """A posted document with its file on disk, so a missing check would really hand it over."""
    folder = Path(current_app.config["DOCUMENTS_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    stored = secrets.token_hex(8)
    (folder / stored).write_bytes(b"SECRET-DOCUMENT contents")
    return Document.create(
        title=title, filename="secret.txt", stored_name=stored, content_type="text/plain", size=24, **audience
    )


def _grant_with_proof(sam):
    """Sam's training, with a proof waiting (its file on disk) and a note only his leaders may read."""
    from cervis import proof_files

    safeguarding = Qualification.create(name="Safeguarding", valid_months=36)
    return QualificationGrant.create(
        volunteer=sam,
        qualification=safeguarding,
        gained_on=utcnow().date(),
        note="SECRET-TRAINING",
        proof_path=proof_files.store("pdf", b"%PDF-1.4 SECRET"),
    )


def form_with_their_ids(ids):
    """Every field name our forms use for an id, each naming someone else's object; plus fields a
    volunteer must never set (mass assignment)."""
    fields = {
        "registration": "registration_id",
        "volunteer": "volunteer_id",
        "opportunity": "opportunity_id",
        "choose": "opportunity_id",
        "slot": "slot_id",
        "slot_id": "slot_id",
        "group": "group_id",
        "groups": "group_id",
        "member": "member_id",
        "volunteer_id": "volunteer_id",
        "user": "volunteer_id",
        "user_id": "volunteer_id",
        "family_of": "volunteer_id",
        "role": "role_id",
        f"add-{ids['slot_id']}-volunteer": "volunteer_id",
    }
    data = {name: str(ids[key]) for name, key in fields.items()}
    data.update(
        {
            "is_admin": "1",
            "admin": "1",
            "active": "0",
            "leader": "1",
            "confirm": "1",
            "capacity": "9",
            "reason": "POSTED",
            "text": "POSTED",
            "message": "POSTED",
            "note": "POSTED",
            "code": "not-a-code",
            f"remove-{ids['registration_id']}-reason": "POSTED",
            "email": "sam@example.org",
            "csv_text": "new.person@example.org,New,Person,,Southside",
            "direction": "up",
        }
    )
    return data


def routes(app, ids, public=False):
    """(endpoint, method, url) for every GET and POST of the URL map, arguments filled from `ids`."""
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        # The API answers a bearer token, never the session: its refusals are tests/test_api_tokens.py's.
        if (rule.endpoint in PUBLIC or rule.endpoint.startswith("api.")) != public:
            continue
        with app.test_request_context():
            url = url_for(rule.endpoint, **{arg: ids[arg] for arg in rule.arguments})
        found += [(rule.endpoint, method, url) for method in sorted(rule.methods & {"GET", "POST"})]
    return found


def snapshot(except_user=None):
    """Every row of every table (failed log-in counters aside), the acting user's own account row aside."""
    rows = {}
    for model in ALL:
        if model is Throttle:
            continue
        query = model.select().order_by(model._meta.primary_key)
        if model is User and except_user is not None:
            query = query.where(User.id != except_user)
        rows[model.__name__] = list(query.tuples())
    return rows


def test_every_route_argument_is_one_the_sweep_fills(app, others):
    unknown = {(rule.endpoint, arg) for rule in app.url_map.iter_rules() for arg in rule.arguments if arg not in others}
    assert unknown == set(), "give the others() fixture an object of Sam's or Southside's for these"


def test_the_sweep_reaches_every_area(app, others):
    endpoints = {endpoint for endpoint, _, _ in routes(app, others)}
    assert len(endpoints) > 60
    for area in ("volunteer.", "leader.", "admin."):
        assert any(e.startswith(area) for e in endpoints), area


@pytest.mark.parametrize(
    "email, area", [("sam@example.org", "volunteer."), ("ada@example.org", "leader."), ("ada@example.org", "admin.")]
)
def test_the_owners_open_every_one_of_these_urls(app, auth, client, db, others, email, area):
    """So the refusals below are about who asks, not about ids that lead nowhere."""
    auth.login(email)
    opened = 0
    for endpoint, method, url in routes(app, others):
        if method == "GET" and endpoint.startswith(area) and takes_an_id(app, endpoint):
            response = client.get(url)
            response.close()  # a document download is a file
            assert response.status_code < 400, (url, response.status_code)
            opened += 1
    assert opened >= 2


def takes_an_id(app, endpoint):
    return any(rule.arguments for rule in app.url_map.iter_rules(endpoint))


@pytest.mark.parametrize("email", ["vera@example.org", "leo@example.org"])
def test_their_ids_are_refused_on_every_route_and_change_nothing(app, auth, client, db, others, email):
    auth.login(email)
    me = User.by_email(email)
    before = snapshot(except_user=me.id)
    data = form_with_their_ids(others)
    problems = []
    for endpoint, method, url in routes(app, others):
        # A route whose URL names an object must refuse theirs; one that does not still shows nothing of theirs.
        must_refuse = takes_an_id(app, endpoint)
        for headers in ({}, HTMX):
            response = (
                client.get(url, query_string=data, headers=headers)
                if method == "GET"
                else client.post(url, data=data, headers=headers)
            )
            status, page = response.status_code, response.get_data(as_text=True)
            leaked = [word for word in SECRETS if word in page]
            if status >= 500 or leaked or (must_refuse and status not in (403, 404)):
                problems.append((method, url, "htmx" if headers else "plain", status, leaked))
    assert problems == []
    assert snapshot(except_user=me.id) == before
    assert client.get("/portal/").status_code in (200, 302, 303)  # still signed in: the sweep really ran as them


def test_someone_not_logged_in_is_sent_to_log_in_from_every_private_route(app, client, db, others):
    before = snapshot()
    for endpoint, method, url in routes(app, others):
        response = client.open(url, method=method, data=form_with_their_ids(others))
        assert response.status_code in (302, 303), (method, url, response.status_code)
        # A GET comes back after log-in: /login?next=<the same page>.
        assert response.headers["Location"].split("?")[0].endswith("/login"), (method, url)
    assert snapshot() == before


def test_public_routes_answer_without_a_log_in_and_forged_tokens_show_nothing(app, client, db, others):
    before = snapshot()
    for endpoint, method, url in routes(app, others, public=True):
        if endpoint in ("auth.login", "auth.reset"):
            continue  # their own tests: posting to them is what they are for
        response = client.open(url, method=method)
        page = response.get_data().decode("utf-8", "replace")  # an icon is an image: no secrets in words
        response.close()  # the stylesheet is a file: close it
        assert response.status_code < 500 and not [w for w in SECRETS if w in page], (method, url)
        if "forged" in url:
            assert response.status_code in (302, 303, 404), (method, url, response.status_code)
    assert snapshot() == before


def test_every_post_without_the_csrf_token_is_refused_and_changes_nothing(app, auth, client, db, others):
    auth.login()
    app.config["WTF_CSRF_ENABLED"] = True
    before = snapshot()
    posts = [
        (endpoint, url)
        for public in (False, True)
        for endpoint, method, url in routes(app, others, public)
        if method == "POST"
    ]
    assert len(posts) > 40
    for endpoint, url in posts:
        for headers in ({}, HTMX):
            response = client.post(url, data=form_with_their_ids(others), headers=headers)
            # RFC 8058's POST carries no CSRF token: its signed token is the proof, so a forged one is 404.
            # The API takes no CSRF token and no session: without a bearer token it is 401.
            expected = {"unsubscribe.one_click": 404, "api.create_volunteer": 401, "api.deactivate": 401}.get(
                endpoint, 400
            )
            assert response.status_code == expected, (url, bool(headers), response.status_code)
    assert snapshot() == before
    assert client.get("/portal/").status_code == 200  # logout was refused too


# Ids inside forms, mixed with the leader's own objects -----------------------------------------------


def _northside_slot(role="Reserve", status=REGISTERED, who="vera@example.org"):
    north = Group.get(name="Northside")
    opportunity = Opportunity.create(group=north, name="Northside night", live_from=utcnow() - timedelta(days=1))
    starts = utcnow() + timedelta(days=6)
    slot = Slot.create(
        opportunity=opportunity,
        role=Role.get(group=north, name=role),
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        capacity=2,
    )
    registration = Registration.create(volunteer=User.by_email(who), slot=slot, status=status)
    return slot, registration


def test_leader_cannot_reach_another_groups_role_through_their_own_group(auth, client, db, others):
    auth.login("leo@example.org")
    north = Group.get(name="Northside")
    before = snapshot(except_user=User.by_email("leo@example.org").id)
    base = f"/leader/groups/{north.id}/roles/{others['role_id']}"
    assert client.get(base).status_code in (403, 404)
    assert client.post(base, data={"name": "Taken over", "default_capacity": "1"}).status_code in (403, 404)
    assert client.post(f"{base}/remove").status_code in (403, 404)
    assert client.post(f"/leader/groups/{north.id}/members/{others['volunteer_id']}/remove").status_code == 404
    assert snapshot(except_user=User.by_email("leo@example.org").id) == before


def test_leader_cannot_call_a_reserve_up_into_another_groups_slot(auth, client, db, others):
    _, reserve = _northside_slot()
    auth.login("leo@example.org")
    response = client.post(f"/leader/registrations/{reserve.id}/call-up", data={"slot_id": others["slot_id"]})
    assert response.status_code == 403
    assert Registration.get_by_id(reserve.id).status == REGISTERED
    assert Registration.select().where(Registration.slot == others["slot_id"]).count() == 1  # Sam's offer only


def test_leader_cannot_put_another_groups_volunteer_on_their_rota(auth, client, db, others):
    slot, _ = _northside_slot(role="Cook")
    auth.login("leo@example.org")
    client.post(f"/leader/slots/{slot.id}/add", data={f"add-{slot.id}-volunteer": str(others["volunteer_id"])})
    assert (
        not Registration.select()
        .where(Registration.slot == slot, Registration.volunteer == others["volunteer_id"])
        .exists()
    )


def test_leader_cannot_file_a_note_under_another_group(auth, client, db, others):
    auth.login("leo@example.org")
    vera = User.by_email("vera@example.org")
    response = client.post(
        f"/leader/volunteers/{vera.id}/notes", data={"group": others["group_id"], "text": "Mine now"}
    )
    assert response.status_code == 400
    assert not LeaderNote.select().where(LeaderNote.volunteer == vera).exists()


def test_volunteer_cannot_offer_for_another_groups_slot_or_for_someone_else(auth, client, db, others):
    slot, _ = _northside_slot(role="Cook", status=PENDING, who="leo@example.org")
    auth.login()
    mixed = client.post(
        "/portal/signup/slots", data={"opportunity": slot.opportunity_id, "slot": [slot.id, others["slot_id"]]}
    )
    assert mixed.status_code == 403
    for_sam = client.post(
        "/portal/signup/slots",
        data={"volunteer": others["volunteer_id"], "opportunity": slot.opportunity_id, "slot": slot.id},
    )
    assert for_sam.status_code == 404
    vera = User.by_email("vera@example.org")
    assert (
        not Registration.select()
        .where(Registration.volunteer.in_([vera.id, others["volunteer_id"]]), Registration.slot == slot)
        .exists()
    )


def test_volunteer_cannot_download_a_document_posted_to_another_group(auth, client, db, others):
    southside_only = Document.get(Document.audience == GROUP)
    auth.login()
    assert client.get(f"/portal/documents/{southside_only.id}").status_code == 404
    assert "SECRET-DOCUMENT" not in client.get("/portal/documents").get_data(as_text=True)


def test_ids_too_large_for_the_database_are_not_found_never_an_error(app, auth, client, db):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    huge = "9" * 25
    auth.login()
    for url in (
        f"/portal/service/{huge}",
        f"/portal/documents/{huge}",
        f"/portal/signup/opportunity/{huge}",
        f"/portal/signup/slots?opportunity={huge}",
        "/portal/signup/slots?opportunity=%C2%B2",
        "/portal/signup?volunteer=%C2%B2",
        f"/portal/registrations/past?page={huge}",
    ):
        assert client.get(url).status_code in (200, 404), url
    for value in (huge, "\u00b2"):
        assert client.post("/portal/registrations", data={"registration": value}).status_code == 404
    auth.logout()
    auth.login("ada@example.org")
    for url in (
        f"/admin/people/{huge}",
        "/admin/people?page=%C2%B2",
        f"/admin/audit?actor={huge}",
        f"/leader/volunteers/new?group={huge}",
    ):
        assert client.get(url).status_code in (200, 404), url
    vera = User.by_email("vera@example.org")
    assert client.post(f"/admin/people/{vera.id}/leader", data={"group": huge, "leader": "1"}).status_code == 303
    assert not vera.is_leader


def test_pager_links_keep_only_the_filters(app, auth, client, db):
    """A crafted query string once broke the page (url_for took its names for its own)."""
    north = Group.get(name="Northside")
    for i in range(55):
        person = User.create(email=f"member{i}@example.org", first_name=f"Member{i}", last_name="Paged")
        Membership.create(user=person, group=north)
    auth.login("ada@example.org")
    people = client.get("/admin/people?q=paged&endpoint=x&_external=1&_scheme=javascript")
    assert people.status_code == 200
    assert 'href="/admin/people?q=paged&amp;page=2"' in people.get_data(as_text=True)
    members = client.get(f"/leader/groups/{north.id}/members?group_id=999&_anchor=x")
    assert members.status_code == 200
    assert f'href="/leader/groups/{north.id}/members?page=2"' in members.get_data(as_text=True)
