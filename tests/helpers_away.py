"""Away dates for the tests: a range saved directly, the I'm Away form, and a clock the pages share."""

from helpers_offering import stop_clock

from cervis import away
from cervis.models import AwayRange
from cervis.volunteer import away as away_page

AWAY_URL = "/portal/away"


def stop_every_clock(monkeypatch):
    """The guide's clock (helpers_offering.NOW), seen by the sign-up pages and by I'm Away."""
    stopped = stop_clock(monkeypatch)
    for module in (away, away_page):
        monkeypatch.setattr(module, "utcnow", stopped)
    return stopped


def away_from(volunteer, first, last, note=""):
    return AwayRange.create(volunteer=volunteer, starts_on=first, ends_on=last, note=note)


def away_form(first, last, note="", **more):
    return {
        "starts_on": first.isoformat() if first else "",
        "ends_on": last.isoformat() if last else "",
        "note": note,
        **more,
    }
