"""Arranging Tonight: a clock stopped at a chosen local time, nights at Northside and Southside."""

from datetime import datetime
from zoneinfo import ZoneInfo

from helpers_rota import member, slot_at, user

from cervis.leader import tonight as tonight_page
from cervis.models import CANCELLED, PENDING, REGISTERED, CoverAsk, CoverRequest, Registration
from cervis.timeutil import to_utc

ZONE = ZoneInfo("Europe/London")
HTMX = {"HX-Request": "true"}


def local(y, m, d, hh, mm=0):
    return to_utc(datetime(y, m, d, hh, mm), ZONE)


NOW = local(2027, 2, 9, 17)  # a Tuesday teatime: tonight is the 9th, tomorrow the 10th


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


def tonights_rota():
    """Tonight at Northside: Vera cooks; Rex assists (one place short, Mo offered); Sue leads; Rae
    stands by. Bo gave up Cook last night and Vera covered; Di gave up Shift Asst this morning and
    nobody has taken it yet; Cy cancelled a week ago. Tomorrow: a Cook place, nobody yet. Saturday
    (three nights ago): Vera cooked, and nobody has said who came."""
    vera, rex, sue, rae, mo, bo, cy, di = (
        user("vera@example.org"),
        member("Rex"),
        member("Sue", mobile="07700 900321"),
        member("Rae", mobile="07700 900222"),
        member("Mo"),
        member("Bo"),
        member("Cy"),
        member("Di"),
    )
    evening = local(2027, 2, 9, 19)
    cook, asst = shift(evening, "Cook", capacity=1), shift(evening, "Shift Asst", capacity=2)
    on(vera, cook)
    on(rex, asst)
    on(mo, asst, PENDING)
    on(sue, shift(evening, "SL"))
    on(rae, shift(evening, "Reserve", capacity=2))
    bo_gave_up = on(bo, cook, CANCELLED, cancelled_at=local(2027, 2, 8, 20))
    CoverRequest.create(
        slot=cook,
        registration=bo_gave_up,
        opened_at=local(2027, 2, 8, 20),
        covered_at=local(2027, 2, 8, 21),
        covered_by=vera,
    )
    di_gave_up = on(di, asst, CANCELLED, cancelled_at=local(2027, 2, 9, 9))
    asked = CoverRequest.create(slot=asst, registration=di_gave_up, opened_at=local(2027, 2, 9, 9))
    for volunteer, reserve in ((rae, True), (mo, False)):
        CoverAsk.create(request=asked, volunteer=volunteer, asked_at=local(2027, 2, 9, 9), reserve=reserve)
    on(cy, asst, CANCELLED, cancelled_at=local(2027, 2, 1, 12))
    tomorrow = shift(local(2027, 2, 10, 19), "Cook", capacity=1)
    on(vera, shift(local(2027, 2, 6, 19), "Cook"))
    return cook, tomorrow
