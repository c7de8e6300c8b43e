"""The guide's "Next Steps": a reminder email before each confirmed shift, naming the shift leader."""

from datetime import datetime, timedelta

from cervis.db import utcnow
from cervis.models import (
    CANCELLED,
    PENDING,
    REGISTERED,
    Email,
    Group,
    Opportunity,
    Profile,
    Registration,
    Role,
    Slot,
    User,
)
from cervis.reminders import send_reminders


def _night(starts_in):
    north = Group.get(Group.name == "Northside")
    opp = Opportunity.create(
        group=north, name="Night Shelter", location="1 North Street", live_from=utcnow() - timedelta(days=30)
    )
    start = utcnow() + starts_in
    slots = {
        r.name: Slot.create(opportunity=opp, role=r, starts_at=start, ends_at=start + timedelta(hours=3), capacity=2)
        for r in north.roles
    }
    return slots


def _register(email, slot, status=REGISTERED):
    return Registration.create(volunteer=User.by_email(email), slot=slot, status=status)


def test_confirmed_volunteer_gets_one_reminder_two_days_before_naming_the_shift_leader(app, db):
    slots = _night(timedelta(hours=30))
    _register("vera@example.org", slots["Cook"])
    _register("leo@example.org", slots["SL"])
    Profile.update(mobile="07700 900123").where(Profile.user == User.by_email("leo@example.org")).execute()
    with app.test_request_context():
        assert send_reminders() == 2
        assert send_reminders() == 0  # never twice
    mail = Email.get(Email.to_addr == "vera@example.org", Email.kind == "shift-reminder")
    assert "Reminder: Night Shelter" in mail.subject
    assert "Shift leader: Leo Leader (07700 900123)" in mail.body_text
    assert "Additional Event Details: Cook" in mail.body_text
    assert "/cancel/" in mail.body_text or "cancel" in mail.body_text.lower()


def test_no_reminder_for_pending_cancelled_or_far_away_shifts(app, db):
    soon = _night(timedelta(hours=20))
    later = _night(timedelta(days=5))
    _register("vera@example.org", soon["Cook"], status=PENDING)
    _register("sam@example.org", soon["Reserve"], status=CANCELLED)
    _register("leo@example.org", later["SL"])
    with app.test_request_context():
        assert send_reminders() == 0
    assert not Email.select().where(Email.kind == "shift-reminder").exists()


def test_family_members_reminder_goes_to_the_parent(app, db):
    vera = User.by_email("vera@example.org")
    child = User.create(first_name="Viv", last_name="Volunteer", family_of=vera, verified_generation=1)
    slots = _night(timedelta(hours=40))
    Registration.create(volunteer=child, slot=slots["Shift Asst"], status=REGISTERED)
    with app.test_request_context():
        assert send_reminders() == 1
    mail = Email.get(Email.kind == "shift-reminder")
    assert mail.to_addr == "vera@example.org"
    assert "Viv Volunteer's shift" in mail.body_text


# A controlled clock: 48 real hours before the shift, whatever the clocks do that weekend ----------


def _confirmed(email, start, confirmed, role="Cook", opp=None):
    from cervis.models import RegistrationEvent

    north = Group.get(Group.name == "Northside")
    opp = opp or Opportunity.create(group=north, name="Night Shelter", live_from=confirmed - timedelta(days=30))
    slot = Slot.create(
        opportunity=opp,
        role=Role.get(Role.group == north, Role.name == role),
        starts_at=start,
        ends_at=start + timedelta(hours=12),
        capacity=2,
    )
    reg = Registration.create(volunteer=User.by_email(email), slot=slot, status=REGISTERED, updated_at=confirmed)
    RegistrationEvent.create(registration=reg, status=REGISTERED, at=confirmed)
    return reg


def _reminders_at(app, now):
    with app.test_request_context():
        return send_reminders(now)


def test_reminder_on_the_weekend_the_clocks_go_forward(app, db):
    # Monday 29 March 2027, 7 PM BST = 18:00 UTC; the clocks went forward at 1 AM on Sunday 28th.
    start = datetime(2027, 3, 29, 18, 0)
    _confirmed("vera@example.org", start, confirmed=datetime(2027, 3, 1))
    assert _reminders_at(app, start - timedelta(hours=48, minutes=5)) == 0
    assert _reminders_at(app, start - timedelta(hours=47, minutes=55)) == 1
    mail = Email.get(Email.kind == "shift-reminder")
    assert "Mon, Mar 29, 2027 - 7:00 PM to 7:00 AM (Tue)" in mail.body_text
    assert mail.subject.endswith("Mon, Mar 29, 2027")


def test_reminder_on_the_weekend_the_clocks_go_back(app, db):
    # Monday 1 November 2027, 7 PM GMT = 19:00 UTC; the clocks went back at 2 AM on Sunday 31 October.
    start = datetime(2027, 11, 1, 19, 0)
    _confirmed("vera@example.org", start, confirmed=datetime(2027, 10, 1))
    assert _reminders_at(app, start - timedelta(hours=48, minutes=5)) == 0
    assert _reminders_at(app, start - timedelta(hours=47, minutes=55)) == 1
    assert "Mon, Nov 1, 2027 - 7:00 PM to 7:00 AM (Tue)" in Email.get(Email.kind == "shift-reminder").body_text


def test_night_across_the_clock_change_is_reminded_48_real_hours_before(app, db):
    # Saturday 30 October 2027, 8 PM BST (19:00 UTC), twelve real hours to 7 AM GMT, the clocks going back at 2 AM.
    start = datetime(2027, 10, 30, 19, 0)
    _confirmed("vera@example.org", start, confirmed=datetime(2027, 10, 1))
    assert _reminders_at(app, datetime(2027, 10, 28, 18, 55)) == 0
    assert _reminders_at(app, datetime(2027, 10, 28, 19, 5)) == 1
    assert "Sat, Oct 30, 2027 - 8:00 PM to 7:00 AM (Sun)" in Email.get(Email.kind == "shift-reminder").body_text


def test_after_the_pi_was_off_a_reminder_still_goes_before_the_shift_but_never_after_it_started(app, db):
    start = datetime(2027, 2, 3, 19, 0)
    _confirmed("vera@example.org", start, confirmed=datetime(2027, 1, 10))
    _confirmed("leo@example.org", start - timedelta(days=1), confirmed=datetime(2027, 1, 10))
    # Off from Monday morning to Wednesday 9 AM: Leo's Tuesday shift has started, Vera's is tonight.
    assert _reminders_at(app, datetime(2027, 2, 3, 9, 0)) == 1
    assert [e.to_addr for e in Email.select().where(Email.kind == "shift-reminder")] == ["vera@example.org"]


def test_shift_confirmed_less_than_a_day_before_gets_no_reminder_its_confirmation_says_it_is_soon(app, db):
    from cervis import rota

    now = datetime(2027, 2, 3, 9, 0)
    start = now + timedelta(hours=10)
    night = _confirmed("leo@example.org", start, confirmed=datetime(2027, 1, 10), role="SL").slot.opportunity
    Profile.update(mobile="07700 900123").where(Profile.user == User.by_email("leo@example.org")).execute()
    reg = _confirmed("vera@example.org", start, confirmed=now, opp=night)
    reg.status = PENDING
    reg.save()
    with app.test_request_context():
        rota.accept(reg.id, User.by_email("leo@example.org"), now=now)
    confirmation = Email.get(Email.kind == "confirmation", Email.to_addr == "vera@example.org")
    assert "Your shift is soon: Wed, Feb 3, 2027 - 7:00 PM to 7:00 AM (Thu)." in confirmation.body_text
    assert "Your shift leader that night is Leo Leader (07700 900123)." in confirmation.body_text
    assert _reminders_at(app, now + timedelta(minutes=20)) == 1  # Leo's, confirmed weeks ago
    assert not Email.select().where(Email.kind == "shift-reminder", Email.to_addr == "vera@example.org").exists()


def test_a_confirmation_days_ahead_does_not_say_soon(app, db):
    from cervis import rota

    now = datetime(2027, 2, 1, 9, 0)
    reg = _confirmed("vera@example.org", now + timedelta(days=3), confirmed=now)
    reg.status = PENDING
    reg.save()
    with app.test_request_context():
        rota.accept(reg.id, User.by_email("leo@example.org"), now=now)
    assert "soon" not in Email.get(Email.kind == "confirmation").body_text


def test_no_reminder_to_a_deactivated_volunteer_nor_through_a_deactivated_parent(app, db):
    slots = _night(timedelta(hours=30))
    _register("vera@example.org", slots["Cook"])
    sam = User.by_email("sam@example.org")
    kid = User.create(email=None, first_name="Kit", last_name="Southsider", family_of=sam)
    Registration.create(volunteer=kid, slot=slots["Reserve"], status=REGISTERED)
    User.update(active=False).where(User.email.in_(["vera@example.org", "sam@example.org"])).execute()
    with app.test_request_context():
        assert send_reminders() == 0
    assert not Email.select().where(Email.kind == "shift-reminder").exists()
