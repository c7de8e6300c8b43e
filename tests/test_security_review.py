"""What the security review found and fixed, and what it checked and keeps checking:
redirects, links in e-mails, signed links, guessing passwords, forms that set more than they
should, cookies and the error page."""

import re
from datetime import timedelta

import pytest

from conftest import PASSWORD, emails_to
from cervis import passwords
from cervis.calendar_links import ical_token
from cervis.cancellation import cancel_token
from cervis.db import utcnow
from cervis.models import (
    REGISTERED,
    Allergen,
    Frequency,
    Group,
    Membership,
    Opportunity,
    Organisation,
    PlaceOfWorship,
    Profile,
    Registration,
    Role,
    ServiceRecord,
    Slot,
    Throttle,
    User,
)

NEW_PASSWORD = "Lantern Quietly Mended 42"


def _registration(who="vera@example.org", status=REGISTERED):
    north = Group.get(name="Northside")
    opportunity = Opportunity.create(group=north, name="Northside night", live_from=utcnow() - timedelta(days=1))
    starts = utcnow() + timedelta(days=6)
    slot = Slot.create(
        opportunity=opportunity,
        role=Role.get(group=north, name="Cook"),
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        capacity=2,
    )
    return Registration.create(volunteer=User.by_email(who), slot=slot, status=status)


# Redirects and links --------------------------------------------------------------------------------


def test_stay_signed_in_goes_back_to_the_page_but_never_to_another_site(auth, client):
    auth.login()
    back = client.post("/session/stay", headers={"Referer": "http://localhost/portal/history?from=2025-01-01"})
    assert back.headers["Location"] == "/portal/history?from=2025-01-01"
    for referrer in (
        "http://localhost//evil.example/x",
        "http://localhost/\\evil.example/x",
        "http://evil.example/portal/",
    ):
        response = client.post("/session/stay", headers={"Referer": referrer})
        assert response.status_code == 303 and response.headers["Location"] == "/portal/", referrer


def test_links_in_emails_use_base_url_whatever_host_the_visitor_sent(client, db):
    client.post("/reset", data={"email": "vera@example.org", "first_name": "Vera"}, base_url="http://evil.example")
    [email] = emails_to("vera@example.org", "temporary-password")
    links = re.findall(r"https?://\S+", email.body_text + email.body_html)
    assert links and all(link.startswith("http://localhost/") for link in links)
    assert "evil.example" not in email.body_text + email.body_html


def test_a_volunteers_offer_email_links_ignore_the_host_header(client, db):
    registration = _registration(who="leo@example.org")  # an opportunity Vera can offer for
    login = client.post(
        "/login", data={"email": "vera@example.org", "password": PASSWORD}, base_url="http://evil.example"
    )
    assert login.status_code == 303
    client.post(
        "/portal/signup/slots",
        data={"opportunity": registration.slot.opportunity_id, "slot": registration.slot_id},
        base_url="http://evil.example",
    )
    [email] = emails_to("vera@example.org", "offer-acknowledgement")
    assert "http://localhost/portal/cancel/" in email.body_text and "evil.example" not in email.body_text


def test_a_signed_link_works_only_for_what_it_was_made_for(client, db):
    registration = _registration()
    # The calendar link's token is no cancel token, and the reverse: each is signed for one use.
    assert client.get(f"/portal/cancel/{ical_token(registration)}").status_code == 404
    assert client.get(f"/portal/calendar/{cancel_token(registration)}.ics").status_code == 404
    opened = client.get(f"/portal/cancel/{cancel_token(registration)}")
    assert opened.status_code == 200 and Registration.get_by_id(registration.id).status == REGISTERED


# Guessing passwords ---------------------------------------------------------------------------------


@pytest.fixture
def hashes_checked(monkeypatch):
    """How many times a password is checked against a hash: each costs the same deliberate time."""
    calls = []
    real = passwords.verify_password

    def counting(stored, password):
        calls.append(stored)
        return real(stored, password)

    monkeypatch.setattr(passwords, "verify_password", counting)
    return calls


def test_a_wrong_password_takes_as_long_whoever_the_address_belongs_to(auth, db, hashes_checked):
    """Unknown address, an account, an account waiting on a temporary password: the same work each."""
    counts = {}
    for who in ("nobody@example.org", "vera@example.org", "nia@example.org"):
        hashes_checked.clear()
        assert auth.login(who, "not the password at all").status_code == 401
        counts[who] = len(hashes_checked)
        assert all(hashes_checked), who  # never a shortcut past the hashing for an empty hash
    assert len(set(counts.values())) == 1, counts


def test_the_temporary_password_still_logs_in(auth, db):
    response = auth.login("nia@example.org", "TempPass2345abc")
    assert response.status_code == 303 and response.headers["Location"].endswith("/password")


def test_guessing_the_current_password_is_limited(auth, client, db):
    auth.login()
    for _ in range(5):
        wrong = client.post(
            "/password",
            data={"current_password": "a wrong guess", "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        )
        assert wrong.status_code == 400 and "That is not your current password." in wrong.get_data(as_text=True)
    locked = client.post(
        "/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert locked.status_code == 429
    assert "Too many wrong current passwords." in locked.get_data(as_text=True)
    assert passwords.verify_password(User.by_email("vera@example.org").password_hash, PASSWORD)
    assert Throttle.select().where(Throttle.key.startswith("login-email:")).count() == 0  # logging in is untouched


def test_the_right_current_password_changes_it_after_a_slip(auth, client, db):
    auth.login()
    client.post("/password", data={"current_password": "a slip", "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    changed = client.post(
        "/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert changed.status_code == 303
    assert passwords.verify_password(User.by_email("vera@example.org").password_hash, NEW_PASSWORD)


# Forms that try to set more than they show -------------------------------------------------------------


def _profile(**extra):
    first = lambda model, name: str(model.get(model.name == name).id)  # noqa: E731
    return {
        "groups": first(Group, "Northside"),
        "frequency": first(Frequency, "Monthly"),
        "mobile": "07700 900123",
        "address": "3 Oak Lane",
        "postcode": "HP11 2AB",
        "emergency_name": "Ed Emergency",
        "emergency_phone": "01494 000111",
        "allergens": first(Allergen, "None"),
        "postal_mailings": "yes",
        "supporter_emails": "no",
        "places": first(PlaceOfWorship, "I prefer not to say"),
        "linked_organisation": "no",
        "birth_month": "3",
        "birth_day": "14",
        "birth_year": "1980",
        "accept_terms": "y",
        "accept_privacy": "y",
        **extra,
    }


def test_a_volunteer_cannot_make_themselves_admin_or_write_into_someone_elses_profile(auth, client, db):
    sam = User.by_email("sam@example.org")
    auth.login()
    response = client.post(
        "/portal/profile",
        data=_profile(
            is_admin="1",
            user=str(sam.id),
            user_id=str(sam.id),
            volunteer=str(sam.id),
            email="sam@example.org",
            verified_generation="99",
            active="1",
            session_token="chosen",
        ),
    )
    assert response.status_code == 303
    vera = User.by_email("vera@example.org")
    assert not vera.is_admin and vera.email == "vera@example.org" and vera.verified_generation == 1
    assert Profile.get(Profile.user == vera).emergency_name == "Ed Emergency"
    assert Profile.get(Profile.user == sam).emergency_name == ""


def test_a_family_member_added_with_someone_elses_id_is_still_the_volunteers_own(auth, client, db):
    sam = User.by_email("sam@example.org")
    auth.login()
    response = client.post(
        "/portal/profile/family/new",
        data={
            "first_name": "Tess",
            "last_name": "Volunteer",
            "birth_month": "5",
            "birth_day": "20",
            "birth_year": str(utcnow().year - 15),
            "groups": str(Group.get(name="Northside").id),
            "family_of": str(sam.id),
            "email": "tess@example.org",
            "is_admin": "1",
            "id": str(sam.id),
        },
    )
    assert response.status_code == 303
    tess = User.get(User.first_name == "Tess")
    assert tess.family_of_id == User.by_email("vera@example.org").id
    assert tess.email is None and not tess.is_admin
    assert User.by_email("sam@example.org").first_name == "Sam"


def test_service_recorded_with_someone_elses_id_is_the_volunteers_own(auth, client, db):
    sam = User.by_email("sam@example.org")
    auth.login()
    response = client.post(
        "/portal/service",
        data={
            "day": (utcnow().date() - timedelta(days=1)).isoformat(),
            "group": str(Group.get(name="Northside").id),
            "hours": "2",
            "description": "Sorted the store room",
            "volunteer": str(sam.id),
            "volunteer_id": str(sam.id),
        },
    )
    assert response.status_code == 303
    [record] = ServiceRecord.select()
    assert record.volunteer_id == User.by_email("vera@example.org").id


# Cookies, the error page ----------------------------------------------------------------------------


def test_session_and_remember_cookies_are_secure_where_https_is_on(app, auth):
    app.config["SESSION_COOKIE_SECURE"] = True  # the default everywhere but these tests
    response = auth.login(remember="y")
    cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
    for name in ("session", "remember_email"):
        assert "Secure" in cookies[name] and "HttpOnly" in cookies[name] and "SameSite=Lax" in cookies[name]
    assert "Strict-Transport-Security" in response.headers


def test_when_even_the_error_page_fails_the_visitor_gets_plain_words_not_a_trace(app, monkeypatch):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken():
        raise RuntimeError("secret internals of the database")

    def no_database():
        raise RuntimeError("database is unreachable at 10.0.0.5")

    app.add_url_rule("/broken-for-review", "broken_for_review", broken)
    monkeypatch.setattr(Organisation, "current", classmethod(lambda cls: no_database()))
    response = app.test_client().get("/broken-for-review")
    page = response.get_data(as_text=True)
    assert response.status_code == 500 and "Sorry, something went wrong" in page
    assert "Traceback" not in page and "secret internals" not in page and "10.0.0.5" not in page


# Limits on what can be guessed, and what is said to a stranger --------------------------------------


def test_guessing_private_registration_codes_is_limited(auth, client, db):
    south = Group.get(name="Southside")
    Opportunity.create(group=south, name="Invitation only", private_code="ORCHARD-7", live_from=utcnow())
    auth.login()
    for attempt in range(10):
        wrong = client.post("/portal/signup/code", data={"code": f"GUESS-{attempt}"})
        assert wrong.status_code == 400
    locked = client.post("/portal/signup/code", data={"code": "ORCHARD-7"})
    assert locked.status_code == 429 and "Too many codes tried." in locked.get_data(as_text=True)
    assert (
        not Group.select()
        .join(Membership)
        .where(Membership.user == User.by_email("vera@example.org"), Group.id == south.id)
        .exists()
    )


def test_the_strength_meter_tells_a_stranger_nothing(client, db):
    for data in ({"new_password": "Vera Volunteer 2025"}, {"new_password": "Vera 2025", "token": "forged"}):
        response = client.post("/password/strength", data=data)
        assert response.status_code == 204 and response.get_data() == b""


def test_logging_in_never_follows_a_next_link_elsewhere(client, db):
    response = client.post("/login?next=http://evil.example/", data={"email": "vera@example.org", "password": PASSWORD})
    assert response.status_code == 303 and response.headers["Location"] == "/portal/"
