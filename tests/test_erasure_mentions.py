"""Erasure takes the person's own data and the e-mails to them; in other people's records only what
identifies them (name, e-mail, phone) where it refers to them, in every form it is stored in."""

import json
from email import policy
from email.parser import BytesParser
from pathlib import Path
from urllib.parse import quote

from cervis import emails, erasure, messages, outbox
from cervis.db import database, utcnow
from cervis.models import AuditLog, Email, Group, Membership, Profile, User

NAME, ADDRESS, PHONE = "Siobhán O'Brien", "siobhan.obrien@example.org", "07700 900005"
STREET, POSTCODE = "12 Brook Lane, Exampleton", "EX1 2AB"
# Every stored form of what identifies her: plain, HTML-escaped, JSON-escaped, URL-encoded, tel:,
# digits without spaces, case-folded.
FORMS = (
    NAME,
    "O&#39;Brien",
    "O&#x27;Brien",
    "Siobh\\u00e1n",
    NAME.upper(),
    NAME.casefold(),
    ADDRESS,
    quote(ADDRESS),
    quote(ADDRESS, safe=""),
    "tel:07700900005",
    "07700900005",
    PHONE,
    "Siobh=C3=A1n",
)


def _arrange(app):
    """Siobhán, a leader living at the venue's address; Vera her neighbour with a phone that starts
    with Siobhán's digits; e-mails to each, from her and about her."""
    north = Group.get(Group.name == "Northside")
    north.address = f"{STREET} {POSTCODE}"
    north.save()
    siobhan = User.create(email=ADDRESS, first_name="Siobhán", last_name="O'Brien", verified_generation=1)
    Membership.create(user=siobhan, group=north, is_leader=True)
    Profile.create(user=siobhan, mobile=PHONE, address=STREET, postcode=POSTCODE)
    vera, leo = User.by_email("vera@example.org"), User.by_email("leo@example.org")
    Profile.update(mobile="07700 9000051", address=STREET, postcode=POSTCODE).where(Profile.user == vera).execute()
    with app.test_request_context():
        emails.to_user("password-changed", siobhan)  # to her: goes, with its file
        to_vera = emails.queue(
            "leader-message",
            vera.email,
            vera.name,
            user=vera,
            user_first="Vera",
            subject="Meeting",
            message=f"Meeting Location: {STREET} {POSTCODE}. Call me on 07700 9000051.",
            leader=leo,
            from_name=leo.name,
            reply_to=leo.email,
        )
        messages.send(siobhan, [vera], f"Thanks from {NAME.upper()}", "See you on Friday.", north)
        emails.to_user(
            "cover-leaders",
            leo,
            news="opened",
            volunteer=NAME,
            asked=2,
            event_name="Night Shelter",
            when="Fri 4 Dec",
            role="Reserve",
            reserves=[(NAME, PHONE)],
            board="",
        )
        Email.update(body_html=Email.body_html + f'<a href="mailto:{quote(ADDRESS)}">x</a>').where(
            Email.kind == "cover-leaders"
        ).execute()
        outbox.send_due(utcnow())
    AuditLog.record(leo, "message.send", north, after={"subject": f"Thanks to {NAME}", "to": [vera.id]})
    return siobhan, vera, to_vera


def _files(app):
    return {p.name: p.read_bytes() for p in Path(app.config["OUTBOX_DIR"]).glob("*.eml")}


def _stored_text(but=None):
    """Every text of the records that can mention someone, but one e-mail's."""
    tables = ("email", "emailattachment", "auditlog", "leadernote", "registration", "registrationevent")
    return "\n".join(
        str(value)
        for table in tables
        for row in database.execute_sql(f'SELECT * FROM "{table}"')
        for value in row
        if not (table == "email" and row[0] == but)
    )


def test_erasing_a_leader_removes_her_in_every_form_and_leaves_venues_and_neighbours_alone(app, db):
    siobhan, vera, to_vera = _arrange(app)
    text = _stored_text()
    assert [f for f in FORMS if f not in text] == ["O&#x27;Brien", NAME.casefold(), "Siobh=C3=A1n"]
    files = _files(app)
    vera_before = Email.get_by_id(to_vera.id).__data__.copy()
    vera_file = next(name for name in files if f"{to_vera.id:08d}" in name)

    with app.test_request_context():
        erasure.erase(User.by_email("ada@example.org"), siobhan)

    text = _stored_text(but=to_vera.id)  # Vera's own phone starts with Siobhán's digits
    assert not [form for form in FORMS if form.casefold() in text.casefold()]
    after = _files(app)
    assert len(after) == len(files) - 1  # only the e-mail to her; the leaders' and Vera's stay
    assert after[vera_file] == files[vera_file] and Email.get_by_id(to_vera.id).__data__ == vera_before
    for name, data in ((n, d) for n, d in after.items() if n != vera_file):
        message = BytesParser(policy=policy.default).parsebytes(data)
        shown = " ".join(str(message[h] or "") for h in ("From", "Reply-To", "To", "Subject")) + data.decode("latin-1")
        assert not [f for f in FORMS if f.casefold() in shown.casefold()], name
    cover = Email.get(Email.kind == "cover-leaders")
    assert "Erased volunteer has given up their place" in cover.body_text and "[erased]" in cover.body_text
    from_her = Email.get(Email.kind == "leader-message", Email.id != to_vera.id)
    assert (from_her.from_name, from_her.reply_to, from_her.to_addr) == ("", "", "vera@example.org")
    assert "See you on Friday." in from_her.body_text
    assert Group.get(Group.name == "Northside").address == f"{STREET} {POSTCODE}"
    profile = Profile.get(Profile.user == vera)
    assert (profile.mobile, profile.address, profile.postcode) == ("07700 9000051", STREET, POSTCODE)
    assert json.loads(
        AuditLog.get(AuditLog.action == "message.send", AuditLog.actor == User.by_email("leo@example.org")).after
    )["to"] == [vera.id]


def test_every_page_describes_an_erasure_in_the_same_words(client, auth, db):
    vera = User.by_email("vera@example.org")
    auth.login("vera@example.org")
    pages = [client.get("/portal/profile/my-data").get_data(as_text=True)]
    auth.logout()
    auth.login("ada@example.org")
    pages += [
        client.get(url).get_data(as_text=True) for url in ("/admin/data-protection", f"/admin/people/{vera.id}/erase")
    ]
    pages.append(
        client.post(f"/admin/people/{vera.id}/erase", data={"understood": "y"}, follow_redirects=True).get_data(
            as_text=True
        )
    )
    for page in pages:
        assert "under the name “Erased volunteer”" in page
        assert "anonymous numbers" not in page and "without a name" not in page
    assert "their full name becomes “Erased volunteer”" in pages[1]


def test_the_readme_and_every_template_describe_an_erasure_in_the_same_words():
    root = Path(__file__).resolve().parent.parent
    for path in [root / "README.md", *(root / "templates").rglob("*.html"), *(root / "templates").rglob("*.txt")]:
        text = path.read_text().lower()
        assert "anonymous number" not in text and "without a name" not in text, path
