"""Arranging Tonight: a clock stopped at a chosen local time, nights at Northside and Southside."""

from datetime import datetime
from zoneinfo import ZoneInfo

from helpers_rota import slot_at

from cervis.leader import tonight as tonight_page
from cervis.models import REGISTERED, Registration
from cervis.timeutil import to_utc

ZONE = ZoneInfo("Europe/London")
HTMX = {"HX-Request": "true"}


def local(y, m, d, hh, mm=0):
    return to_utc(datetime(y, m, d, hh, mm), ZONE)


def stop_clock(monkeypatch, now):
    """The time the Tonight page (and all it asks) sees."""
    monkeypatch.setattr(tonight_page, "utcnow", lambda: now)


def shift(starts, role, capacity=None, hours=13, group="Northside"):
    """A slot of the group's Night Shelter from `starts` (UTC), 7 PM to 8 AM unless told."""
    return slot_at(starts, role, capacity, hours, group)


def on(volunteer, slot, status=REGISTERED, **fields):
    return Registration.create(volunteer=volunteer, slot=slot, status=status, **fields)


def page(client, headers=None):
    answer = client.get("/leader/tonight", headers=headers)
    assert answer.status_code == 200, answer.status_code
    return answer.get_data(as_text=True)


def section(text, start, end=None):
    """The part of the page from the first `start` to the next `end` after it."""
    assert start in text, start
    part = text.split(start, 1)[1]
    return part.split(end, 1)[0] if end else part
