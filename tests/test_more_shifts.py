"""More shifts added: slots added to months already announced make one e-mail a member naming every
month that gained them, at most once a day an opportunity, and never twice across a restart."""

from datetime import timedelta

from conftest import emails_to
from helpers_announcements import NOW, add_slots, crash_on_the_second_email, night_shelter, run

from cervis.models import Announcement

MORE = "more-shifts-added"
NEXT_DAY = NOW + timedelta(days=1, minutes=5)


def three_months_announced(app):
    """The night shelter's February, March and April, live since the day before yesterday, announced at NOW."""
    opp = night_shelter(live_from=NOW - timedelta(days=2))
    for month in (3, 4):
        add_slots(opp, (1,), NOW - timedelta(days=1), month=month)
    assert run(app, NOW) == 3
    return opp


def subjects(address):
    return [e.subject for e in emails_to(address, MORE)]


def test_shifts_added_to_two_announced_months_go_in_one_email_naming_both(app, db):
    opp = three_months_announced(app)
    add_slots(opp, (3,), NOW + timedelta(hours=2))
    add_slots(opp, (2, 3), NOW + timedelta(hours=2), month=3)
    assert run(app, NEXT_DAY) == 2  # a row for each month
    assert run(app, NEXT_DAY + timedelta(hours=1)) == 0
    [mail] = emails_to("vera@example.org", MORE)
    assert mail.subject == "More shifts added: Night Shelter, February and March 2027"
    assert "February 2027: 2 slots: Cook (1), Reserve (1)" in mail.body_text
    assert "March 2027: 4 slots: Cook (2), Reserve (2)" in mail.body_text
    assert "April" not in mail.body_text
    assert f"opportunity={opp.id}&amp;month=2027-03" in mail.body_html
    assert subjects("leo@example.org") == [mail.subject]
    rows = Announcement.select().where(Announcement.kind == "more").order_by(Announcement.month)
    assert [(a.month, a.slots, a.recipients) for a in rows] == [("2027-02", 2, 2), ("2027-03", 4, 2)]


def test_a_month_that_gains_shifts_after_the_days_email_waits_for_tomorrows(app, db):
    opp = three_months_announced(app)
    add_slots(opp, (3,), NOW + timedelta(hours=2))
    run(app, NEXT_DAY)
    add_slots(opp, (2,), NEXT_DAY + timedelta(hours=1), month=3)
    assert run(app, NEXT_DAY + timedelta(hours=3)) == 0  # the opportunity had its e-mail today
    assert run(app, NEXT_DAY + timedelta(days=1, minutes=1)) == 1
    assert subjects("vera@example.org") == [
        "More shifts added: Night Shelter, February 2027",
        "More shifts added: Night Shelter, March 2027",
    ]


def test_a_leader_still_adding_to_one_month_holds_the_email_for_all_of_them(app, db):
    opp = three_months_announced(app)
    add_slots(opp, (3,), NEXT_DAY)
    add_slots(opp, (2,), NEXT_DAY + timedelta(minutes=8), month=3)
    assert run(app, NEXT_DAY + timedelta(minutes=12)) == 0  # March's batch has not settled
    assert run(app, NEXT_DAY + timedelta(minutes=20)) == 2
    assert subjects("vera@example.org") == ["More shifts added: Night Shelter, February and March 2027"]


def test_a_crash_half_way_sends_the_rest_of_the_same_email_once_whatever_was_added_meanwhile(app, db, monkeypatch):
    opp = three_months_announced(app)
    add_slots(opp, (3,), NOW + timedelta(hours=2))
    add_slots(opp, (2,), NOW + timedelta(hours=2), month=3)
    crash_on_the_second_email(app, monkeypatch, at=NEXT_DAY)
    add_slots(opp, (4,), NEXT_DAY, month=4)  # April gains a shift before the power comes back
    run(app, NEXT_DAY + timedelta(minutes=20))
    for address in ("vera@example.org", "leo@example.org"):
        assert subjects(address) == ["More shifts added: Night Shelter, February and March 2027"]
