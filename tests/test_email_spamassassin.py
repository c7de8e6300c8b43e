"""The bulk emails as SpamAssassin scores them (local rules only, no network tests): well under its
spam threshold of 5. The README's test command installs it
(Debian's `spamassassin`)."""

import re

import pytest

from cervis import outbox
from cervis.models import Organisation
from helpers_mail import BULK, spam_score


@pytest.mark.parametrize("which", list(BULK))
def test_a_bulk_email_scores_well_under_spamassassins_threshold(app, db, which):
    mail = BULK[which](app)
    raw = bytes(outbox.build_message(mail, Organisation.current()))
    score, out = spam_score(raw)
    print(which, "SpamAssassin score", score, re.findall(rb"^ *(-?\d+\.\d) ([A-Z][A-Z_0-9]+)", out, re.M))
    assert score < 2.5, out.decode(errors="replace")[-3000:]
    assert b"END_FUTURE_EMAILS" not in out  # "stop these emails" reads as spam; "stop receiving these emails" not
