"""The guide's "Next Steps": a reminder email before each confirmed shift, naming the shift leader."""
from datetime import timedelta

from cervis.db import utcnow
from cervis.models import (CANCELLED, PENDING, REGISTERED, Email, Group, Opportunity, Profile,
                           Registration, Role, Slot, User)
from cervis.reminders import send_reminders


def _night(starts_in):
    north = Group.get(Group.name == "Northside")
    opp = Opportunity.create(group=north, name="Night Shelter", location="1 North Street",
                             live_from=utcnow() - timedelta(days=30))
    start = utcnow() + starts_in
    slots = {r.name: Slot.create(opportunity=opp, role=r, starts_at=start, ends_at=start + timedelta(hours=3),
                                 capacity=2) for r in north.roles}
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
