"""Malformed input on every route, as the persona the route is for: missing, wrong type, huge,
negative, impossible dates, unicode, NUL, repeated keys, 10,000 ticks. Never a 500. And every
argument of every route's address at its edges: ids 0, -1, 2^63 and 10^30, dates at the ends of the
calendar, huge strings, and each signed link holding those ids.

A fixed seed and a few cases a route keep it quick and the same on every run; the field names
come from the route's own page where it has one, else from the names our forms use."""

import random
import re
from datetime import date, timedelta

from conftest import PASSWORD, hashed
from werkzeug.datastructures import MultiDict

from cervis import signed_links
from cervis.db import utcnow
from cervis.models import (
    PENDING,
    AwayRange,
    Email,
    Frequency,
    Group,
    Membership,
    Opportunity,
    Organisation,
    Qualification,
    QualificationGrant,
    Registration,
    Role,
    ServiceRecord,
    Slot,
    User,
    WaitingListEntry,
)

SEED = 20261130
ANONYMOUS = {
    "auth.login",
    "auth.reset",
    "auth.temporary_link",
    "auth.sso_start",
    "auth.sso_callback",
    "volunteer.cancel_link",
    "volunteer.ical",
}
PERSONA = {"admin": "ada@example.org", "leader": "leo@example.org"}  # else Vera
COMMON_NAMES = [
    "name",
    "email",
    "first_name",
    "last_name",
    "day",
    "date",
    "month",
    "hours",
    "group",
    "opportunity",
    "slot",
    "volunteer",
    "registration",
    "direction",
    "status",
    "note",
    "code",
    "reason",
    "capacity",
    "page",
    "q",
    "looked_at",
    "seen",
    "action",
    "mode",
    "dates",
    "weekdays",
    "leader",
    "admin",
    "active",
    "back",
    "confirm",
    "token",
    "new_password",
]
BAD = [
    "",
    " ",
    "abc",
    "-1",
    "0",
    "-99999999999999999999",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "inf",
    "1.5",
    "0x10",
    "9999-12-31",
    "0000-00-00",
    "2026-02-30",
    "2026-13-01",
    "-2026-01-01",
    "25:99",
    "31/02/2026",
    "\u540d\u524d\U0001f642\u202e",
    "\x00",
    "Ab\r\nBcc: x@example.org",
    "<script>",
    "'; --",
    "true",
    "on",
    "../../etc/passwd",
    "%00",
    "\ud7ff\ufffe",
    "0001-01-01",
    str(2**63),
    str(10**30),
]
HUGE = "x" * 200_000
TICKS = 10_000
MISSING_ID = 987_654_321
EDGE_IDS = (0, -1, 2**63 - 1, 2**63, 10**30)
EDGE_TEXT = ("9999-12-31", "0001-01-01", "1899-12-31", "9998-12-31", "2027-02-29", "x" * 20_000, "..")


def _arrange():
    """Objects for the routes' ids: Northside's night, and Vic, whom the actions may be aimed at."""
    north = Group.get(Group.name == "Northside")
    vic = User.create(
        email="vic@example.org",
        first_name="Vic",
        last_name="Victim",
        password_hash=hashed(PASSWORD),
        verified_generation=1,
    )
    Membership.create(user=vic, group=north)
    vera = User.by_email("vera@example.org")
    opp = Opportunity.create(group=north, name="Fuzz Night", live_from=utcnow() - timedelta(days=1))
    start = utcnow().replace(microsecond=0) + timedelta(days=3)
    role = Role.get(Role.group == north, Role.name == "Shift Asst")
    slot = Slot.create(opportunity=opp, role=role, starts_at=start, ends_at=start + timedelta(hours=3), capacity=2)
    registration = Registration.create(volunteer=vic, slot=slot, status=PENDING)
    child = User.create(first_name="Kit", last_name="Volunteer", family_of=vera, verified_generation=1)
    record = ServiceRecord.create(volunteer=vera, group=north, day=date.today(), minutes=60, description="Sorting")
    email = Email.create(
        kind="welcome",
        to_addr=vic.email,
        subject="Welcome",
        body_text="Hi",
        message_id="<fuzz@example.org>",
        status="failed",
    )
    food = Qualification.create(name="Food hygiene level 2", valid_months=36)
    Qualification.create(name="DBS basic", criminal_record_check=True)
    grant = QualificationGrant.create(volunteer=vic, qualification=food, gained_on=date.today(), proof_path="x.pdf")
    away = AwayRange.create(volunteer=vera, starts_on=date.today(), ends_on=date.today() + timedelta(days=2))
    return {
        "away_id": away.id,
        "opportunity_id": opp.id,
        "group_id": north.id,
        "grant_id": grant.id,
        "slot_id": slot.id,
        "volunteer_id": vic.id,
        "registration_id": registration.id,
        "person_id": vic.id,
        "kind": "frequencies",
        "token": "not-a-token",
        "item_id": Frequency.get(Frequency.name == "Weekly").id,
        "document_id": MISSING_ID,
        "member_id": child.id,
        "record_id": record.id,
        "role_id": role.id,
        "email_id": email.id,
        "day": start.date().isoformat(),
        "entry_id": WaitingListEntry.create(slot=slot, volunteer=vera).id,
    }


def _sign_in(client, endpoint):
    """The route's persona, restored before each route: an earlier route may have signed them out."""
    client.delete_cookie("session")
    if endpoint in ANONYMOUS:
        return
    email = PERSONA.get(endpoint.partition(".")[0], "vera@example.org")
    org = Organisation.current()
    User.update(
        active=True,
        must_change_password=False,
        verified_generation=org.verify_generation,
        is_admin=User.email == "ada@example.org",
    ).where(User.email == email).execute()
    user = User.by_email(email)
    with client.session_transaction() as session:
        session.update(_user_id=user.get_id(), _fresh=True, seen=9e18, started=9e18)


def _names(client, url):
    page = client.get(url)
    html = page.get_data(as_text=True) if page.status_code == 200 and page.mimetype == "text/html" else ""
    found = re.findall(r'<(?:input|select|textarea|button)\b[^>]*\sname="([^"]+)"', html)
    return sorted(set(found) - {"csrf_token"}) or COMMON_NAMES


def _cases(rng, names):
    """(data as a list of pairs, with htmx?) for one route: a handful, each malformed differently."""
    bad = lambda: rng.choice(BAD)  # noqa: E731
    yield [], False
    yield [(n, bad()) for n in names], True
    yield [(n, bad()) for n in names], False
    yield [(n, v) for n in names for v in (bad(), bad())], True  # every key repeated
    yield [(n, HUGE if n == rng.choice(names) else bad()) for n in names], False
    yield [(rng.choice(names), "1")] * TICKS + [(n, bad()) for n in names], True


def _requests(app, client, rule, ids, rng):
    """Every malformed request for one route: (method, url, data, headers)."""
    with app.test_request_context():
        from flask import url_for

        url = url_for(rule.endpoint, **{a: ids.get(a, 1) for a in rule.arguments})
        missing = url_for(rule.endpoint, **{a: MISSING_ID if a.endswith("_id") else "zzz" for a in rule.arguments})
    names = _names(client, url) if "GET" in rule.methods else COMMON_NAMES
    for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
        for data, htmx in _cases(rng, names):
            yield method, url, data, {"HX-Request": "true"} if htmx else {}
        if rule.arguments:
            yield method, missing, [(names[0], bad_value) for bad_value in BAD[:3]], {}


def _tokens(endpoint, number, ids):
    """The route's own signed link, holding this number where a real one holds an id."""
    person, group = ids["person_id"], ids["group_id"]
    payloads = {
        "volunteer.cancel_link": [(signed_links.CANCEL, {"r": number})],
        "volunteer.cover": [(signed_links.COVER, {"a": number})],
        "volunteer.waiting_offer": [(signed_links.WAITING, {"o": number})],
        "volunteer.stand_in_ask": [(signed_links.STAND_IN, {"a": number})],
        "volunteer.find_stand_in_link": [(signed_links.FIND_STAND_IN, {"r": number})],
        "volunteer.ical": [(signed_links.ICAL, number)],
        "volunteer.feed": [
            (signed_links.FEED, [number, None, 0]),
            (signed_links.FEED, [person, number, 0]),
            (signed_links.FEED, [person, None, number]),
        ],
        "apply.own_page": [(signed_links.APPLICATION, {"a": number})],
        "apply.withdraw": [(signed_links.APPLICATION, {"a": number})],
        "auth.temporary_link": [(signed_links.TEMPORARY_PASSWORD, {"u": number, "t": "x"})],
        "unsubscribe.one_click": [
            (signed_links.UNSUBSCRIBE, [number, group]),
            (signed_links.UNSUBSCRIBE, [person, number]),
        ],
    }
    return [kind.make(value) for kind, value in payloads.get(endpoint, [])]


def _edges(app, rule, ids):
    """The route's address with one argument at a time at an edge, the others as arranged."""
    with app.test_request_context():
        from flask import url_for

        for name in sorted(rule.arguments):
            if name.endswith("_id"):
                values = EDGE_IDS
            elif name == "token":
                values = [t for n in EDGE_IDS for t in _tokens(rule.endpoint, n, ids)] + list(EDGE_TEXT)
            else:
                values = EDGE_TEXT
            for value in values:
                yield url_for(rule.endpoint, **{**{a: ids.get(a, 1) for a in rule.arguments}, name: value})


def _send(client, method, url, data, headers):
    if method == "GET":
        return client.get(url, query_string=MultiDict(data), headers=headers)
    return client.post(url, data=MultiDict(data), headers=headers)


def _rules(app):
    return sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint != "static"),
        key=lambda r: (r.endpoint == "admin.people_verify", r.rule, r.endpoint),
    )


def _failures(client, requests):
    """(the requests that gave a 500, how many were sent)."""
    failures, sent = [], 0
    for method, url, data, headers in requests:
        try:
            status = _send(client, method, url, data, headers).status_code
        except Exception as exc:  # noqa: BLE001  (a 500 under TESTING: collected, not stopped on)
            status = f"{type(exc).__name__}: {str(exc)[:200]}"
        sent += 1
        if status == 500 or isinstance(status, str):
            failures.append(f"{method} {url[:120]} {[(k, v[:40]) for k, v in data[:6]]}: {status}")
    return failures, sent


def test_malformed_values_on_every_route_never_give_a_500(app, db):
    ids = _arrange()
    client, failures, sent = app.test_client(), [], 0
    rules = _rules(app)
    for number, rule in enumerate(rules):
        _sign_in(client, rule.endpoint)
        found, count = _failures(client, _requests(app, client, rule, ids, random.Random(SEED + number)))
        failures, sent = failures + found, sent + count
    assert failures == [], f"{len(failures)} of {sent} requests failed:\n" + "\n".join(failures[:40])
    assert sent > 6 * len(rules)


def test_every_route_argument_at_its_edges_never_gives_a_500(app, db):
    ids = _arrange()
    client, failures, sent = app.test_client(), [], 0
    rules = [rule for rule in _rules(app) if rule.arguments]
    for rule in rules:
        _sign_in(client, rule.endpoint)
        found, count = _failures(
            client,
            (
                (method, url, [], {})
                for url in _edges(app, rule, ids)
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
            ),
        )
        failures, sent = failures + found, sent + count
    assert failures == [], f"{len(failures)} of {sent} requests failed:\n" + "\n".join(failures[:40])
    assert sent > 5 * len(rules)


def test_the_inputs_that_gave_500s_get_clear_answers(auth, client, db):
    from helpers_settings import settings

    ids = _arrange()
    auth.login()
    far = client.get("/portal/signup/slots", query_string={"opportunity": ids["opportunity_id"], "day": "9999-12-31"})
    assert far.status_code == 200 and "Fuzz Night" in far.get_data(as_text=True)
    for day in ("2026-02-30", "abc"):
        response = client.post(
            "/portal/service", data={"day": day, "hours": "2", "description": "Sorting", "group": str(ids["group_id"])}
        )
        assert response.status_code == 400 and "Please enter a real date" in response.get_data(as_text=True)
    auth.logout()
    auth.login("ada@example.org")
    response = client.post("/admin/settings", data=settings(timezone="A" * 200_000))
    assert response.status_code == 400 and "That is not a time zone we know" in response.get_data(as_text=True)
