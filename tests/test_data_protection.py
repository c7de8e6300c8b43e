"""Data protection (UK GDPR): Download My Data, erasure that leaves no trace, retention reminders,
and why we ask for allergies and places of worship."""

import json
import secrets
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import on_postgresql
from helpers_profile import valid_profile

from cervis import emails, outbox, privacy
from cervis.db import database, utcnow
from cervis.models import (
    CANCELLED,
    PENDING,
    REGISTERED,
    Allergen,
    Attendance,
    AuditLog,
    CalendarFeed,
    CoverAsk,
    CoverRequest,
    Document,
    Email,
    EmailAttachment,
    Erasure,
    Group,
    LeaderNote,
    Membership,
    Opportunity,
    Organisation,
    PlaceOfWorship,
    Profile,
    ProfileAllergen,
    ProfilePlace,
    Registration,
    RegistrationEvent,
    Role,
    ServiceRecord,
    Slot,
    Throttle,
    User,
)
from cervis.models.docs import VOLUNTEER

# Words only Zeb and his daughter carry: after the erasure none may be anywhere on the disk.
ZEB = {
    "first": "Zebedee",
    "last": "Quartermaine",
    "email": "zeb.quarter@example.org",
    "mobile": "07700 912345",
    "kid": "Philippa",
    "emergency": "Yolanda Emergencycontact",
    "emergency_phone": "01632 987654",
    "address": "17 Xylophone Crescent",
    "note": "bringing my own guitar",
    "reason": "dentist appointment clash",
    "service": "sorted the clothing donations",
    "leader_note": "very reliable with the kitchen",
}


def _slot(group, days, role="Reserve"):
    opp = Opportunity.get_or_create(
        group=group, name="Night Shelter", defaults={"live_from": utcnow() - timedelta(days=2000)}
    )[0]
    starts = (utcnow() + timedelta(days=days)).replace(microsecond=0)
    return Slot.create(
        opportunity=opp,
        role=Role.get(Role.group == group, Role.name == role),
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        capacity=2,
    )


def _register(volunteer, slot, status, by=None, **fields):
    reg = Registration.create(volunteer=volunteer, slot=slot, status=status, **fields)
    RegistrationEvent.create(registration=reg, status=PENDING, by=volunteer, note=fields.get("note", ""))
    if status != PENDING:
        RegistrationEvent.create(
            registration=reg, status=status, by=by or volunteer, note=fields.get("cancel_reason", "")
        )
    return reg


def _arrange_zeb(app):
    """Zeb, his daughter, their shifts, emails, notes, documents and audit entries."""
    north, leo = Group.get(Group.name == "Northside"), User.by_email("leo@example.org")
    zeb = User.create(
        email=ZEB["email"], first_name=ZEB["first"], last_name=ZEB["last"], verified_generation=1, password_hash="x"
    )
    kid = User.create(first_name=ZEB["kid"], last_name=ZEB["last"], family_of=zeb, verified_generation=1)
    for person in (zeb, kid):
        Membership.create(user=person, group=north)
        profile = Profile.create(
            user=person,
            mobile=ZEB["mobile"],
            address=ZEB["address"],
            postcode="ZZ9 9ZZ",
            emergency_name=ZEB["emergency"],
            emergency_phone=ZEB["emergency_phone"],
        )
        ProfileAllergen.create(profile=profile, allergen=Allergen.get(Allergen.name == "Sesame"))
        ProfilePlace.create(profile=profile, place=PlaceOfWorship.get(PlaceOfWorship.name == "I prefer not to say"))
    past, future, cancelled = _slot(north, -30), _slot(north, 10), _slot(north, -60, "Cook")
    came = _register(zeb, past, REGISTERED, by=leo, note=ZEB["note"])
    _register(kid, past, REGISTERED, by=leo)
    Attendance.create(slot=past, volunteer=zeb, registration=came, attended=True)
    given_up = _register(leo, future, CANCELLED)
    CoverAsk.create(request=CoverRequest.create(slot=future, registration=given_up), volunteer=zeb, reserve=True)
    CalendarFeed.create(user=zeb, generation=2)
    _register(zeb, future, PENDING, note=ZEB["note"])
    _register(zeb, cancelled, CANCELLED, cancel_reason=ZEB["reason"], cancelled_at=utcnow() - timedelta(days=61))
    ServiceRecord.create(
        volunteer=zeb, group=north, day=utcnow().date() - timedelta(days=5), minutes=90, description=ZEB["service"]
    )
    LeaderNote.create(volunteer=zeb, group=north, author=leo, text=ZEB["leader_note"])
    with app.test_request_context():
        emails.to_user("password-changed", zeb)
        outbox.send_due(utcnow() + timedelta(seconds=1))  # written to instance/outbox/ as an .eml file
        to_leo = Email.create(
            kind="cancellation-leader",
            to_addr=leo.email,
            user=leo,
            subject=f"{ZEB['first']} {ZEB['last']} cancelled",
            body_text=f"{ZEB['first']} {ZEB['last']} ({ZEB['mobile']}) cannot come.",
            message_id=f"<{secrets.token_hex(8)}@test>",
        )
        EmailAttachment.create(
            email=to_leo,
            filename="shift.ics",
            content_type="text/calendar",
            content=f"BEGIN:VCALENDAR\nATTENDEE;CN={ZEB['first']} {ZEB['last']}\nEND:VCALENDAR",
        )
    folder = Path(app.config["DOCUMENTS_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "zeb-stored").write_bytes(f"Letter to {ZEB['first']} {ZEB['last']}".encode())
    Document.create(
        title=f"DBS letter for {ZEB['last']}",
        filename="dbs.pdf",
        stored_name="zeb-stored",
        content_type="application/pdf",
        size=10,
        audience=VOLUNTEER,
        volunteer=zeb,
    )
    AuditLog.record(
        zeb,
        "profile updated",
        Profile.get(Profile.user == zeb),
        before={"mobile": "old"},
        after={"mobile": ZEB["mobile"], "name": f"{ZEB['first']} {ZEB['last']}"},
    )
    AuditLog.record(leo, "volunteers.import", None, after={"added": [ZEB["email"], "someone@example.org"]})
    Throttle.hit(f"login-email:{ZEB['email']}")
    return zeb, kid, past, future


def test_volunteer_downloads_everything_held_about_them_and_their_family_as_json_and_a_page(app, client, auth, db):
    zeb, kid, past, _ = _arrange_zeb(app)
    User.update(password_hash=User.by_email("vera@example.org").password_hash).where(User.id == zeb.id).execute()
    auth.login(ZEB["email"])
    page = client.get("/portal/profile/my-data").get_data(as_text=True)
    for word in (
        ZEB["kid"],
        ZEB["mobile"],
        ZEB["note"],
        ZEB["reason"],
        ZEB["service"],
        ZEB["leader_note"],
        "Sesame",
        "I prefer not to say",
        "Your CERVIS password was changed".split()[0],
        "DBS letter",
        "profile updated",
        "Download My Data (JSON)",
        "Ask to Erase My Data",
    ):
        assert word in page, word
    assert "SECRET" not in page and "Southsider" not in page and "Vera" not in page
    answer = client.get("/portal/profile/my-data.json")
    assert answer.headers["Content-Disposition"].startswith("attachment;")
    data = json.loads(answer.data)
    me, daughter = data["people"]
    assert (me["email"], daughter["name"]) == (ZEB["email"], f"{ZEB['kid']} {ZEB['last']}")
    assert me["profile"]["allergies_and_intolerances"] == ["Sesame"]
    assert me["profile"]["places_of_worship"] == ["I prefer not to say"]
    offered = next(r for r in me["registrations"] if r["note"] == ZEB["note"] and r["status"] == REGISTERED)
    assert [e["status"] for e in offered["history"]] == [PENDING, REGISTERED]
    assert daughter["registrations"][0]["status"] == REGISTERED
    assert me["attendance"][0]["came"] is True and me["asked_to_cover"][0]["as_reserve"] is True
    assert me["calendar_feed_addresses_made"] == 1
    assert me["service_records"][0]["minutes"] == 90 and me["notes_by_group_leaders"][0]["text"] == ZEB["leader_note"]
    assert [e["subject"] for e in data["emails"]] == ["Your WHC CERVIS password was changed"]
    assert data["documents_posted_to_you"][0]["title"].startswith("DBS letter")
    assert any(a["action"] == "profile updated" and a["by_you"] for a in data["audit_log"])


def _on_disk(app):
    """Every byte of the database and its write-ahead log, as text to search."""
    path = Path(app.config["DATABASE_URL"][len("sqlite:///") :])
    found = b""
    for part in (path, Path(f"{path}-wal"), Path(f"{path}-journal")):
        if part.exists():
            found += part.read_bytes()
    return found.decode("latin-1").lower()


@pytest.mark.skipif(on_postgresql(), reason="reads SQLite's files")
def test_an_erased_volunteer_leaves_no_trace_in_the_database_files_yet_the_rota_still_counts(app, client, auth, db):
    zeb, kid, past, future = _arrange_zeb(app)
    before = _on_disk(app)
    assert ZEB["mobile"] in before and ZEB["reason"] in before  # the search finds them while they are there
    auth.login("ada@example.org")
    page = client.get(f"/admin/people/{zeb.id}/erase").get_data(as_text=True)
    assert ZEB["kid"] in page and "cannot be undone" in page
    refused = client.post(f"/admin/people/{zeb.id}/erase", data={})
    assert refused.status_code == 400 and "Please tick to confirm" in refused.get_data(as_text=True)
    answer = client.post(f"/admin/people/{zeb.id}/erase", data={"understood": "y"})
    assert answer.status_code == 303

    disk = _on_disk(app)
    for word in ZEB.values():
        assert word.lower() not in disk, word
    assert "zz9 9zz" not in disk
    files = [
        p
        for folder in (app.config["OUTBOX_DIR"], app.config["DOCUMENTS_DIR"])
        for p in Path(folder).glob("*")
        if p.is_file()
    ]
    assert not any(ZEB["last"].encode() in p.read_bytes() or ZEB["email"].encode() in p.read_bytes() for p in files)

    database.connect(reuse_if_open=True)  # the request closed this thread's connection
    assert past.registered_count() == 2  # the past night still had two people
    assert Attendance.get(Attendance.slot == past).volunteer_id == zeb.id  # and he came
    assert not CoverAsk.select().where(CoverAsk.volunteer == zeb).exists()
    assert not CalendarFeed.select().where(CalendarFeed.user == zeb).exists()
    assert "CN=Erased volunteer\n" in EmailAttachment.get().content
    erased = User.get_by_id(zeb.id)
    assert (erased.name, erased.email, erased.active) == ("Erased volunteer", None, False)
    assert Registration.get(Registration.slot == future).status == CANCELLED  # no longer holds a place
    assert Erasure.get(Erasure.user == zeb).erased_at is not None and Erasure.get(Erasure.user == kid).erased_at
    fact = AuditLog.get(AuditLog.action == "volunteer.erase")
    assert fact.object_id == zeb.id and json.loads(fact.after)["family_members"] == 1
    assert "Philippa" not in fact.after
    assert "someone@example.org" in AuditLog.get(AuditLog.action == "volunteers.import").after  # others stay
    assert auth.login(ZEB["email"]).status_code != 303 or "Log in" in client.get("/login").get_data(as_text=True)


def test_a_volunteer_asks_to_be_erased_and_the_administrators_see_it(client, auth, db):
    auth.login("vera@example.org")
    refused = client.post("/portal/profile/erasure")
    assert refused.status_code == 400 and "Please tick to confirm" in refused.get_data(as_text=True)
    assert not Erasure.select().exists()
    answer = client.post("/portal/profile/erasure", data={"understood": "y"})
    assert answer.status_code == 303
    assert "You have asked us to erase your data" in client.get("/portal/profile/my-data").get_data(as_text=True)
    auth.logout()
    auth.login("ada@example.org")
    assert "1</strong> volunteer asked to be erased" in client.get("/admin/").get_data(as_text=True)
    page = client.get("/admin/data-protection").get_data(as_text=True)
    assert "Vera Volunteer" in page.split("Asked to be erased")[1].split("Not active")[0]


def test_only_administrators_erase_and_never_an_administrator_or_themselves(client, auth, db):
    vera, ada = User.by_email("vera@example.org"), User.by_email("ada@example.org")
    auth.login("leo@example.org")
    assert client.post(f"/admin/people/{vera.id}/erase", data={"understood": "y"}).status_code == 403
    auth.logout()
    auth.login("ada@example.org")
    refused = client.post(f"/admin/people/{ada.id}/erase", data={"understood": "y"})
    assert refused.status_code == 400 and "cannot erase your own account" in refused.get_data(as_text=True)
    assert User.get_by_id(ada.id).email == "ada@example.org"


def _run_job_at_once(app, times):
    """The scheduler's job in threads of its own, as the scheduler runs it (a connection each)."""
    counts, barrier = [], threading.Barrier(len(times))

    def run(now):
        barrier.wait()
        counts.append(privacy.monthly_reminder(app, now))

    threads = [threading.Thread(target=run, args=(now,)) for now in times]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return counts


def test_volunteers_inactive_for_the_chosen_years_are_listed_and_administrators_reminded_once_a_month(
    app, client, auth, db
):
    north, long_ago = Group.get(Group.name == "Northside"), utcnow() - timedelta(days=4 * 365)
    olive = User.create(
        email="olive@example.org", first_name="Olive", last_name="Oldtimer", verified_generation=1, created_at=long_ago
    )
    Profile.create(user=olive, updated_at=long_ago)
    reg = _register(olive, _slot(north, -4 * 365), REGISTERED)
    Registration.update(created_at=long_ago, updated_at=long_ago).where(Registration.id == reg.id).execute()
    assert [u.email for u, _ in privacy.due_for_erasure()] == ["olive@example.org"]
    auth.login("ada@example.org")
    assert "Olive Oldtimer" in client.get("/admin/data-protection").get_data(as_text=True)

    # Mid-month, so "an hour later" is the same month whatever the hour the suite runs.
    month = utcnow().replace(day=15, hour=12, minute=0, second=0, microsecond=0)
    assert sorted(_run_job_at_once(app, [month] * 3)) == [0, 0, 1]  # three runners at once: one reminder
    assert _run_job_at_once(app, [month + timedelta(hours=1)]) == [0]
    assert _run_job_at_once(app, [month + timedelta(days=32)]) == [1]  # the next month
    reminders = Email.select().where(Email.kind == "data-protection-reminder")
    assert [e.to_addr for e in reminders] == ["ada@example.org"] * 2
    assert "1 volunteer has done nothing for 3 years" in reminders[0].body_text

    org_years = client.post(
        "/admin/settings",
        data={
            "name": "Wycombe Example Connection",
            "short_name": "WHC",
            "timezone": "Europe/London",
            "session_timeout": "30",
            "retention_years": "5",
        },
    )
    assert org_years.status_code == 303
    assert privacy.due_for_erasure() == []


def test_the_profile_says_why_allergies_and_places_of_worship_are_asked_and_who_sees_them(client, auth, db):
    auth.login("vera@example.org")
    page = client.get("/portal/profile").get_data(as_text=True)
    allergies, worship = (
        page.split("Volunteer Allergies and Intolerances:")[1],
        page.split("Volunteer Places of worship:")[1],
    )
    assert "explicit consent (UK GDPR Article 9(2)(a))" in allergies[:1200]
    assert "leaders of your groups and our administrators" in allergies[:1200]
    assert "administrators only, never group leaders" in worship[:1200] and "I prefer not to say" in worship[:1600]
    vera = User.by_email("vera@example.org")
    answer = client.post("/portal/profile", data=valid_profile(allergens=None))  # prefer not to say: all unticked
    assert answer.status_code == 303
    profile = Profile.get(Profile.user == vera)
    assert list(profile.allergens()) == [] and [p.name for p in profile.places()] == ["I prefer not to say"]


def test_a_database_made_before_the_retention_setting_gets_it_on_init_db(app, db):
    from cervis import migrations
    from cervis.migrations import init_db

    database.execute_sql('ALTER TABLE "organisation" DROP COLUMN "retention_years"')
    migrations.SchemaVersion.update(version=1).execute()  # as a database made before it
    init_db()
    assert Organisation.current().retention_years == 3
    init_db()  # and again on every start: nothing breaks
