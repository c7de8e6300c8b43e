"""The waiting list's and stand-in's e-mails through the same checks as the others: SpamAssassin well
under its threshold, and a MIME parser nobody here wrote (npm's mailparser) reads the subject as
written and the signed link in both the text and the HTML."""

import json
import re
import subprocess
from datetime import timedelta

import pytest

from cervis import cancellation, outbox, rota_emails, stand_in
from cervis.models import Email, Organisation, User, WaitingListEntry
from helpers_calendar import JS, install_icaljs
from helpers_cover import tomorrows_rota
from helpers_mail import spam_score
from helpers_registrations import shift_leader_at, vera
from helpers_waiting import full_cook

KINDS = ["waiting-offer", "stand-in-ask", "stand-in-volunteer", "stand-in-leaders", "confirmation"]
LINKS = {
    "waiting-offer": "/portal/waiting/",
    "stand-in-ask": "/portal/stand-in/take/",
    "confirmation": "/portal/stand-in/",
    "stand-in-leaders": "/leader/",
    "stand-in-volunteer": None,
}
SCRIPT = """
const {simpleParser} = require('mailparser');
let data = [];
process.stdin.on('data', c => data.push(c)).on('end', async () => {
  const m = await simpleParser(Buffer.concat(data));
  console.log(JSON.stringify({subject: m.subject, text: m.text, html: m.html}));
});
"""


@pytest.fixture(scope="module")
def mailparser():
    install_icaljs()


def one_of_each(kind):
    """Every kind queued by its own flow; the newest of `kind`."""
    cook, place = tomorrows_rota(starts_in=timedelta(days=3))
    shift_leader_at(cook)
    rota_emails.confirmation(place, User.by_email("leo@example.org"))
    stand_in.take(stand_in.start(place.id).asks.first().id)
    waiting, [held] = full_cook(starts_in=timedelta(days=9), holder="Ned")
    WaitingListEntry.create(slot=waiting, volunteer=vera())
    cancellation.cancel([held.id], by=held.volunteer)
    return Email.select().where(Email.kind == kind).order_by(Email.id.desc()).first()


@pytest.mark.parametrize("kind", KINDS)
def test_it_scores_well_under_spamassassins_threshold(db, kind):
    mail = one_of_each(kind)
    score, out = spam_score(bytes(outbox.build_message(mail, Organisation.current())))
    assert score < 2.5, out.decode(errors="replace")[-3000:]


@pytest.mark.parametrize("kind", KINDS)
def test_a_second_parser_reads_the_subject_and_the_signed_link_in_text_and_html(db, mailparser, kind):
    mail = one_of_each(kind)
    raw = bytes(outbox.build_message(mail, Organisation.current()))
    out = subprocess.run(["node", "-e", SCRIPT], input=raw, cwd=JS, capture_output=True, timeout=60, check=True)
    parsed = json.loads(out.stdout)
    assert parsed["subject"] == mail.subject and "{{" not in parsed["text"] + parsed["html"]
    if LINKS[kind]:
        link = re.search(rf"http://localhost{re.escape(LINKS[kind])}\S*", parsed["text"]).group(0)
        assert f'href="{link}"' in parsed["html"]
