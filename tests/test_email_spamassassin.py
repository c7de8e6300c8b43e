"""An announcement as SpamAssassin scores it (local rules only, no network tests): well under its
spam threshold of 5. Skipped when spamassassin is not installed (`apt-get install -y spamassassin`)."""
import re
import shutil
import subprocess
from datetime import timedelta

import pytest

from cervis import outbox
from cervis.models import Email, Organisation
from test_announcements import GO_LIVE, night_shelter, run


@pytest.mark.skipif(not shutil.which("spamassassin"), reason="spamassassin not installed")
def test_an_announcement_scores_well_under_spamassassins_threshold(app, db):
    night_shelter()
    run(app, GO_LIVE + timedelta(minutes=5))
    mail = Email.select().where(Email.kind == "shift-bookings-launched").first()
    raw = bytes(outbox.build_message(mail, Organisation.current()))
    out = subprocess.run(["spamassassin", "-L", "-t"], input=raw, capture_output=True, timeout=120).stdout
    score = float(re.search(rb"X-Spam-Status: \w+, score=(-?[\d.]+)", out).group(1))
    print("SpamAssassin score", score)
    assert score < 2.5, out.decode(errors="replace")[-3000:]
