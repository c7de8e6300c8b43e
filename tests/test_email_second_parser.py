"""The e-mails we write, read by a MIME parser nobody here wrote (npm's mailparser, through Node, pinned
in tests/js/package.json): no injected header, and the names and subject arrive as typed."""

import json
import subprocess

import pytest

from cervis import emails, outbox
from cervis.models import Organisation, User
from helpers_calendar import JS, install_icaljs
from helpers_mail import BULK, KID, SUBJECT

FOLDER = JS


@pytest.fixture(scope="module", autouse=True)
def mailparser():
    install_icaljs()


SCRIPT = """
const {simpleParser} = require('mailparser');
let data = [];
process.stdin.on('data', c => data.push(c)).on('end', async () => {
  const m = await simpleParser(Buffer.concat(data));
  console.log(JSON.stringify({keys: [...m.headers.keys()], subject: m.subject,
    to: m.to.value[0].name, from: m.from.value[0].name, text: m.text}));
});
"""


def test_mailparser_reads_no_injected_header_and_the_values_as_typed(db):
    org = Organisation.current()
    org.short_name = "Shelter"
    org.save()
    vera = User.get(User.email == "vera@example.org")
    row = emails.queue("password-changed", vera.email, to_name=KID, user=vera, user_first="Zoë", from_name=SUBJECT)
    row.subject = SUBJECT
    row.save()
    raw = bytes(outbox.build_message(row, org))
    out = subprocess.run(["node", "-e", SCRIPT], input=raw, cwd=FOLDER, capture_output=True, timeout=60, check=True)
    parsed = json.loads(out.stdout)
    assert "bcc" not in parsed["keys"] and "x-injected" not in parsed["keys"]
    assert (parsed["subject"], parsed["to"], parsed["from"]) == (SUBJECT, KID, f"{SUBJECT} via Shelter")
    assert "Zoë" in parsed["text"]


BULK_SCRIPT = """
const {simpleParser} = require('mailparser');
let data = [];
process.stdin.on('data', c => data.push(c)).on('end', async () => {
  const m = await simpleParser(Buffer.concat(data));
  console.log(JSON.stringify({keys: [...m.headers.keys()], subject: m.subject, from: m.from.value[0].name,
    list: m.headers.get('list'), text: m.text, html: m.html}));
});
"""


@pytest.mark.parametrize("which", list(BULK))
def test_mailparser_reads_a_bulk_emails_one_click_unsubscribe_and_its_link_in_the_text(app, db, which):
    mail = BULK[which](app)
    msg = outbox.build_message(mail, Organisation.current())
    out = subprocess.run(
        ["node", "-e", BULK_SCRIPT], input=bytes(msg), cwd=FOLDER, capture_output=True, timeout=60, check=True
    )
    parsed = json.loads(out.stdout)
    link = str(msg["List-Unsubscribe"]).strip("<>")
    # mailparser reads a List-* header's <url> as its url, and a bare value as its name.
    unsubscribe, post = parsed["list"]["unsubscribe"], parsed["list"]["unsubscribe-post"]
    assert unsubscribe["url"] == link and post["name"] == "List-Unsubscribe=One-Click"
    assert parsed["subject"] == mail.subject and link in parsed["text"] and f'href="{link}"' in parsed["html"]
    assert parsed["from"] == ("Leo Leader via WHC" if mail.kind == "leader-message" else "Wycombe Example Connection")
