"""Shift bookings launched and the offer deadline: the scheduler's jobs, driven by a controlled clock."""

import threading
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest

from cervis import announcements, scheduler
from cervis.models import (
    PENDING,
    Announcement,
    AnnouncementOptOut,
    Email,
    Group,
    Membership,
    Opportunity,
    Organisation,
    Registration,
    Slot,
    User,
)
from conftest import _user, emails_to
from helpers_announcements import GO_LIVE, NOW, add_slots, crash_on_the_second_email, night_shelter, run, three_months

LAUNCHED = "shift-bookings-launched"


def kinds(address):
    return [e.kind for e in emails_to(address)]


def test_month_going_live_sends_each_member_one_email(app, db):
    opp = night_shelter()
    assert run(app, NOW) == 0  # not live yet
    assert run(app, GO_LIVE + timedelta(minutes=5)) == 1
    assert run(app, GO_LIVE + timedelta(minutes=10)) == 0  # never twice
    assert kinds("vera@example.org") == [LAUNCHED]
    assert kinds("leo@example.org") == [LAUNCHED]
    assert kinds("sam@example.org") == []  # Southside
    mail = emails_to("vera@example.org")[0]
    assert mail.subject == "Shift bookings launched: Night Shelter, February 2027"
    assert "4 slots: Cook (2), Reserve (2)" in mail.body_text
    assert "Offer deadline: Mon, Jan 25, 2027 6:00 PM" in mail.body_text
    assert f"http://localhost/portal/signup/slots?opportunity={opp.id}&month=2027-02" in mail.body_text
    assert mail.key == f"{LAUNCHED}:{opp.id}:2027-02:{mail.user_id}"
    row = Announcement.get()
    assert (row.month, row.recipients, row.slots) == ("2027-02", 2, 4)


def test_a_later_batch_sends_one_short_email_at_most_once_a_day(app, db):
    opp = night_shelter(live_from=NOW - timedelta(days=2))
    run(app, NOW)
    added = NOW + timedelta(hours=2)
    add_slots(opp, (3, 4, 5), added)
    assert run(app, added + timedelta(minutes=5)) == 0  # the leader may still be adding
    assert run(app, added + timedelta(minutes=15)) == 0  # announced today already: waits
    next_day = NOW + timedelta(days=1, minutes=5)
    assert run(app, next_day) == 1
    assert run(app, next_day + timedelta(hours=1)) == 0
    assert kinds("vera@example.org") == [LAUNCHED, "more-shifts-added"]
    more = emails_to("vera@example.org", "more-shifts-added")[0]
    assert more.subject == "More shifts added: Night Shelter, February 2027"
    assert "6 slots: Cook (3), Reserve (3)" in more.body_text


def test_a_new_month_added_to_a_live_opportunity_is_launched(app, db):
    opp = night_shelter(live_from=NOW - timedelta(days=2))
    run(app, NOW)
    add_slots(opp, (1, 2), NOW, month=3)  # "Copy to Next Month"
    run(app, NOW + timedelta(minutes=30))
    assert [e.subject for e in emails_to("vera@example.org")] == [
        "Shift bookings launched: Night Shelter, February 2027",
        "Shift bookings launched: Night Shelter, March 2027",
    ]


def test_volunteer_who_switched_announcements_off_hears_nothing(app, db):
    vera = User.by_email("vera@example.org")
    AnnouncementOptOut.create(user=vera, group=Group.get(Group.name == "Northside"))
    night_shelter()
    run(app, GO_LIVE + timedelta(hours=1))
    assert kinds("vera@example.org") == []
    assert kinds("leo@example.org") == [LAUNCHED]


def test_inactive_members_and_private_opportunities(app, db):
    _user("ina@example.org", "Ina", "Inactive", active=False)
    Membership.create(user=User.by_email("ina@example.org"), group=Group.get(Group.name == "Northside"))
    night_shelter(private_code="secret")
    run(app, GO_LIVE + timedelta(hours=1))
    assert kinds("ina@example.org") == []
    assert kinds("vera@example.org") == []  # has not entered the code


def test_deadline_reminder_goes_three_days_before_to_members_who_offered_nothing(app, db):
    opp = night_shelter(live_from=NOW - timedelta(days=2))
    first = Slot.select().where(Slot.opportunity == opp).order_by(Slot.id).first()
    Registration.create(volunteer=User.by_email("leo@example.org"), slot=first, status=PENDING)
    run(app, NOW)
    deadline = opp.offer_deadline
    assert run(app, deadline - timedelta(days=3, minutes=10)) == 0
    assert run(app, deadline - timedelta(days=3) + timedelta(minutes=1)) == 1
    assert run(app, deadline - timedelta(days=2)) == 0
    assert kinds("vera@example.org") == [LAUNCHED, "offer-deadline"]
    assert kinds("leo@example.org") == [LAUNCHED]
    reminder = emails_to("vera@example.org", "offer-deadline")[0]
    assert f"opportunity={opp.id}&month=2027-02" in reminder.body_text


def test_deadline_reminder_setting_zero_switches_it_off(app, db):
    Organisation.update(deadline_reminder_days=0).execute()
    opp = night_shelter(live_from=NOW - timedelta(days=2))
    run(app, opp.offer_deadline - timedelta(days=1))
    assert kinds("vera@example.org") == [LAUNCHED]


def test_after_a_night_switched_off_what_is_still_useful_goes(app, db):
    """Off from 5 PM to 9 AM: February's go-live passed (it still goes); another opportunity's
    deadline passed in the night (no reminder: too late)."""
    night_shelter()
    missed = night_shelter(live_from=NOW - timedelta(days=20), deadline=NOW + timedelta(hours=10), days=(8,))
    Announcement.create(opportunity=missed, month="2027-02", key="done", upto_slot=10**6, at=NOW - timedelta(days=20))
    run(app, NOW + timedelta(hours=21))
    assert kinds("vera@example.org") == [LAUNCHED]


def test_two_schedulers_at_once_send_each_email_once(app, db):
    for i in range(12):
        Membership.create(
            user=_user(f"v{i}@example.org", f"V{i}", "Volunteer"), group=Group.get(Group.name == "Northside")
        )
    opp = night_shelter()
    at = opp.offer_deadline - timedelta(days=2)  # live, and within the deadline reminder's days
    start = threading.Barrier(2)
    errors = []

    def scheduler_process():
        try:
            start.wait()
            announcements.announce(app, at)  # as the scheduler calls it: its own connection
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=scheduler_process) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Email.select().where(Email.kind == LAUNCHED).count() == 14
    assert Email.select().where(Email.kind == "offer-deadline").count() == 14
    assert Announcement.select().count() == 1


def test_the_scheduler_runs_the_announcement_job(app):
    import cervis.announcements  # noqa: F401

    assert announcements.announce in [fn for fn, _ in scheduler.JOBS]


def test_a_crash_half_way_keeps_the_batches_written_and_a_restart_sends_the_rest_once(app, db, monkeypatch):
    """The write lock is held one batch at a time, not for the whole announcement."""
    night_shelter()
    crash_on_the_second_email(app, monkeypatch)
    assert Email.select().count() == 1  # the first batch was committed before the crash
    assert run(app, GO_LIVE + timedelta(minutes=6)) == 1
    assert kinds("vera@example.org") == [LAUNCHED] and kinds("leo@example.org") == [LAUNCHED]
    assert Announcement.get().recipients == 2


# The write lock, a batch at a time ------------------------------------------------------------


@pytest.fixture
def emails_per_transaction(monkeypatch):
    """How many emails each of the announcements' write transactions queued."""
    counts, real = [], announcements.write_transaction

    @contextmanager
    def counted():
        before = Email.select().count()
        with real() as tx:
            yield tx
            counts.append(Email.select().count() - before)

    monkeypatch.setattr(announcements, "write_transaction", counted)
    monkeypatch.setattr(announcements, "BATCH", 2)
    return counts


def five_more_members():
    for i in range(5):
        Membership.create(
            user=_user(f"member{i}@example.org", f"Member{i}", "Northsider"), group=Group.get(Group.name == "Northside")
        )


def test_announce_now_queues_its_emails_a_batch_at_a_time(app, db, emails_per_transaction):
    opp = night_shelter(live_from=NOW - timedelta(days=2))
    five_more_members()
    leo = User.by_email("leo@example.org")
    row = announcements.announce_by_hand(opp, "2027-02", leo, now=NOW)
    assert row.recipients == 7 and Email.select().where(Email.kind == LAUNCHED).count() == 7
    assert max(emails_per_transaction) == 2 and sum(emails_per_transaction) == 7
    with pytest.raises(announcements.TooSoon):  # the hour is claimed before the first batch
        announcements.announce_by_hand(opp, "2027-02", leo, now=NOW + timedelta(minutes=1))


def test_deadline_reminders_are_queued_a_batch_at_a_time(app, db, emails_per_transaction):
    opp = night_shelter(live_from=NOW - timedelta(days=2))
    five_more_members()
    assert announcements.remind_deadlines(opp.offer_deadline - timedelta(days=2)) == 7
    assert max(emails_per_transaction) == 2 and sum(emails_per_transaction) == 7


def test_three_open_months_go_live_in_one_email_that_names_them(app, db):
    opp = three_months()
    assert run(app, GO_LIVE + timedelta(minutes=5)) == 3  # three months launched
    assert run(app, GO_LIVE + timedelta(minutes=10)) == 0
    [mail] = emails_to("vera@example.org")
    assert mail.subject == "Shift bookings launched: Night Shelter, February, March and April 2027"
    text = mail.body_text
    for month, slots in (
        ("February 2027", "4 slots: Cook (2), Reserve (2)"),
        ("March 2027", "2 slots: Cook (1), Reserve (1)"),
        ("April 2027", "2 slots"),
    ):
        assert f"{month}: {slots}" in text
    for month in ("2027-02", "2027-03", "2027-04"):
        assert f"opportunity={opp.id}&amp;month={month}" in mail.body_html
    assert mail.key == f"{LAUNCHED}:{opp.id}:2027-02+2027-03+2027-04:{mail.user_id}"
    assert [(a.month, a.kind, a.recipients) for a in Announcement.select().order_by(Announcement.month)] == [
        ("2027-02", "launched", 2),
        ("2027-03", "launched", 2),
        ("2027-04", "launched", 2),
    ]


def test_months_across_a_new_year_are_named_by_year():
    assert announcements.months_named(["2026-12", "2027-01", "2027-02"]) == "December 2026, January and February 2027"
    assert announcements.months_named(["2027-02"]) == "February 2027"


def test_a_crash_during_a_three_month_launch_sends_the_rest_once_even_if_a_month_settles_meanwhile(
    app, db, monkeypatch
):
    opp = three_months()
    crash_on_the_second_email(app, monkeypatch)
    add_slots(opp, (1,), GO_LIVE, month=5)  # May, settled by the restart: its own email
    assert run(app, GO_LIVE + timedelta(minutes=20)) == 4
    assert [e.subject for e in emails_to("vera@example.org")] == [
        "Shift bookings launched: Night Shelter, February, March and April 2027",
        "Shift bookings launched: Night Shelter, May 2027",
    ]
    assert len(emails_to("leo@example.org")) == 2


def test_two_schedulers_at_once_send_one_three_month_email_each(app, db):
    for i in range(6):
        Membership.create(
            user=_user(f"v{i}@example.org", f"V{i}", "Volunteer"), group=Group.get(Group.name == "Northside")
        )
    three_months()
    start = threading.Barrier(2)

    def scheduler_process():
        start.wait()
        announcements.announce(app, GO_LIVE + timedelta(minutes=5))

    threads = [threading.Thread(target=scheduler_process) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Email.select().where(Email.kind == LAUNCHED).count() == 8
    assert Announcement.select().where(Announcement.kind == "launched").count() == 3


def test_the_deadline_reminder_of_three_months_is_one_email_naming_the_months_not_offered_for(app, db):
    opp = three_months(deadline=datetime(2027, 1, 25, 18, 0))
    february = Slot.select().where(Slot.opportunity == opp).order_by(Slot.id).first()
    Registration.create(volunteer=User.by_email("leo@example.org"), slot=february, status=PENDING)
    run(app, GO_LIVE + timedelta(minutes=5))
    reminder_time = opp.offer_deadline - timedelta(days=3) + timedelta(minutes=1)
    assert run(app, reminder_time) == 2
    assert run(app, reminder_time + timedelta(hours=1)) == 0
    [vera] = emails_to("vera@example.org", "offer-deadline")
    assert vera.subject == "Offer deadline Mon, Jan 25, 2027 6:00 PM: Night Shelter, February, March and April 2027"
    [leo] = emails_to("leo@example.org", "offer-deadline")
    assert leo.subject.endswith("Night Shelter, March and April 2027")
    assert "month=2027-02" not in leo.body_text and "month=2027-04" in leo.body_text


def test_a_reminder_queued_before_the_upgrade_one_a_month_is_not_sent_again(app, db):
    opp = three_months(deadline=datetime(2027, 1, 25, 18, 0))
    run(app, GO_LIVE + timedelta(minutes=5))
    vera = User.by_email("vera@example.org")
    stamp = f"{opp.offer_deadline:%Y%m%d%H%M}"
    Email.create(
        kind="offer-deadline",
        to_addr=vera.email,
        user=vera,
        subject="s",
        body_text="b",
        message_id="<old@t>",
        key=f"offer-deadline:{opp.id}:2027-02:{stamp}:{vera.id}",
    )
    assert run(app, opp.offer_deadline - timedelta(days=2)) == 1  # Leo's
    assert len(emails_to("vera@example.org", "offer-deadline")) == 1


def test_a_launch_cut_short_is_not_finished_after_its_opportunity_is_cancelled(app, db, monkeypatch):
    opp = three_months()
    crash_on_the_second_email(app, monkeypatch)
    Opportunity.update(cancelled_at=GO_LIVE + timedelta(minutes=6)).where(Opportunity.id == opp.id).execute()
    run(app, GO_LIVE + timedelta(minutes=10))
    assert len(emails_to("vera@example.org")) + len(emails_to("leo@example.org")) == 1  # only the one before
    assert not Announcement.select().where(Announcement.kind == announcements.LAUNCHING).exists()
