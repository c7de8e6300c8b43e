"""Line breaks and other control characters: refused beside every single-line field (a name that
reaches an e-mail header could never be sent), and an email that cannot be built fails at once,
with the reason on the administrators' Outbox page."""

import pytest
from flask_wtf import FlaskForm
from helpers_leader import ADA, LEO, confirm_import, group, person
from wtforms import HiddenField, PasswordField, StringField, TextAreaField

from cervis import outbox
from cervis.db import utcnow
from cervis.forms import HIDDEN_DIRECTION, ONE_LINE, single_line
from cervis.models import Email, Group, Opportunity, Organisation, Role, User
from cervis.models.mail import FAILED, SENT
from helpers_settings import settings

BROKEN = "Eve\r\nBcc: everyone@example.org"


def _all_forms(cls=FlaskForm):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_forms(sub)


def test_every_single_line_field_of_every_form_refuses_control_characters(app):
    missing = []
    for form in _all_forms():
        for name in dir(form):
            unbound = getattr(form, name)
            kind = getattr(unbound, "field_class", None)
            if (
                kind
                and issubclass(kind, StringField)
                and not issubclass(kind, (TextAreaField, PasswordField, HiddenField))
                and single_line not in (unbound.kwargs.get("validators") or [])
            ):
                missing.append(f"{form.__module__}.{form.__name__}.{name}")
    assert missing == []
    assert len(list(_all_forms())) > 10  # the forms of every area were found


def test_a_line_break_in_a_new_volunteers_first_name_is_refused_beside_the_field(auth, client, db):
    auth.login(LEO)
    response = client.post(
        "/leader/volunteers/new",
        data={
            "email": "eve@example.org",
            "first_name": BROKEN,
            "last_name": "Evans",
            "phone": "",
            "groups": [str(group("Northside").id)],
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and ONE_LINE in page
    assert 'value="eve@example.org"' in page and 'value="Evans"' in page  # nothing typed is lost
    assert person("eve@example.org") is None and not Email.select().exists()


@pytest.mark.parametrize(
    "who, url, data",
    [
        (ADA, "/admin/settings", lambda: settings(name="Our\nCharity")),
        (ADA, "/admin/lists/frequencies/add", lambda: {"name": "Every\ttwo weeks"}),
        (ADA, "/leader/groups/new", lambda: {"name": "East\rside", "address": "", "description": "", "leaders": ""}),
        (
            LEO,
            lambda: f"/leader/groups/{group('Northside').id}/roles",
            lambda: {"name": "Cook\u2028Helper", "default_capacity": "1"},
        ),
        (
            LEO,
            "/leader/opportunities/new",
            lambda: {"group": str(group("Northside").id), "name": "Night\nShelter", "live_date": "2025-10-10"},
        ),
        ("vera@example.org", "/portal/profile/family/new", lambda: {"first_name": "Kid\x1bdo", "last_name": "V"}),
    ],
)
def test_names_with_control_characters_are_refused_with_a_clear_message(auth, client, db, who, url, data):
    auth.login(who)
    before = [(m.select().count()) for m in (Group, Role, Opportunity, User)]
    response = client.post(url() if callable(url) else url, data=data())
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 400) and ONE_LINE in page
    assert [(m.select().count()) for m in (Group, Role, Opportunity, User)] == before
    assert "\n" not in Organisation.current().name


def test_an_imported_name_with_a_line_break_marks_its_row(auth, client, db):
    auth.login(LEO)
    response = confirm_import(
        client, 'e-mail,first name,last name,phone,groups\neve@example.org,"Eve\nBcc: x@example.org",Evans,,Northside\n'
    )
    assert response.status_code == 400
    assert "A line break or other control character" in response.get_data(as_text=True)
    assert person("eve@example.org") is None


def queued(name, to_name, **fields):
    """An e-mail in the outbox, due now, as one stored before today's rules would be."""
    fields = {"kind": "welcome", "subject": "Welcome", **fields}
    return Email.create(
        to_addr=f"{name}@example.org",
        to_name=to_name,
        body_text="Hello",
        message_id=f"<{name}@example.org>",
        send_after=utcnow(),
        **fields,
    )


def test_outbox_fails_an_email_it_cannot_build_at_once_and_shows_why(app, auth, client, db):
    stuck, fine = queued("eve", BROKEN), queued("sam", "Sam")
    with app.test_request_context():
        assert outbox.send_due() == 1
    stuck, fine = Email.get_by_id(stuck.id), Email.get_by_id(fine.id)
    assert stuck.status == FAILED and stuck.attempts == 1 and fine.status == SENT
    assert "could not be built" in stuck.last_error and "linefeed" in stuck.last_error
    auth.login(ADA)
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "could not be built" in page


# Text-direction overrides and isolates: "Eve\u202egnp.exe" reads as "Eveexe.png", a name can be made
# to read as another's. Refused beside the field; the joiners Persian and Indic names need are not.
SPOOFED = "Leo \u202eredaeL"


@pytest.mark.parametrize(
    "mark", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
)
def test_a_text_direction_override_is_refused_in_a_single_line_field(app, mark):
    class Form(FlaskForm):
        name = StringField("Name", validators=[single_line])

    with app.test_request_context(method="POST", data={"name": f"Eve{mark}gnp.exe"}):
        form = Form(meta={"csrf": False})
        assert not form.validate() and form.name.errors == [HIDDEN_DIRECTION]


def test_a_subject_that_reads_backwards_is_refused_beside_the_field_and_kept(auth, client, db):
    north = Group.get(Group.name == "Northside")
    vera = User.by_email("vera@example.org")
    auth.login(LEO)
    response = client.post(
        f"/leader/groups/{north.id}/message",
        data={"action": "send", "volunteer": [str(vera.id)], "subject": SPOOFED, "message": "Hello all"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 400) and HIDDEN_DIRECTION in page
    assert "Hello all" in page and not Email.select().where(Email.kind == "leader-message").exists()


def test_a_new_volunteers_name_with_an_isolate_is_refused_and_a_persian_name_is_not(auth, client, db):
    auth.login(LEO)
    data = {"email": "eve@example.org", "last_name": "Evans", "phone": "", "groups": [str(group("Northside").id)]}
    refused = client.post("/leader/volunteers/new", data={**data, "first_name": "Eve\u2067"})
    assert refused.status_code == 400 and HIDDEN_DIRECTION in refused.get_data(as_text=True)
    assert person("eve@example.org") is None
    client.post("/leader/volunteers/new", data={**data, "first_name": "نرگس\u200cبانو"})  # a joiner the name needs
    assert person("eve@example.org").first_name == "نرگس\u200cبانو"


def test_an_imported_or_api_name_with_an_override_is_refused(auth, client, db):
    from helpers_api import Api, make_token

    from cervis.models.api import WRITE_VOLUNTEERS

    said = "A hidden character that changes the direction of the text"
    api = Api(client, make_token([WRITE_VOLUNTEERS]))
    added = api.post("/api/v1/volunteers", json={"email": "eve@example.org", "first_name": SPOOFED, "last_name": "E"})
    assert added.status_code == 422 and said in added.text
    auth.login(LEO)
    text = f"e-mail,first name,last name,phone,groups\neve@example.org,{SPOOFED},Evans,,Northside\n"
    response = confirm_import(client, text)
    assert response.status_code == 400 and said in response.text
    assert person("eve@example.org") is None


def test_a_name_stored_before_the_rule_reaches_no_header_with_its_override(app, db):
    """Names and subjects saved before the forms refused direction marks still go out, without them."""
    from email import message_from_bytes, policy

    old = queued(
        "eve",
        SPOOFED,
        kind="leader-message",
        from_name="Ada \u2067Admin",
        reply_to="ada@example.org",
        subject="Rota \u202echange",
    )
    with app.test_request_context():
        raw = bytes(outbox.build_message(old, Organisation.current()))
    parsed = message_from_bytes(raw, policy=policy.default)
    for header in ("To", "Reply-To", "Subject"):
        assert not set(str(parsed[header])) & {"\u202e", "\u2067"}, header
    assert str(parsed["Subject"]).endswith("Rota change")
    assert "Leo redaeL" in str(parsed["To"])
