"""The demo organisation shows the month's cycle: a month about to go live, a deadline in three days."""

from datetime import timedelta

from cervis import announcements, demo
from cervis.db import utcnow
from cervis.models import Announcement, Email, Opportunity


def test_demo_has_a_month_about_to_go_live_and_a_deadline_in_three_days(app, db):
    demo.load()
    now = utcnow()
    upcoming = Opportunity.get(Opportunity.live_from > now)
    assert upcoming.live_from - now < timedelta(hours=3)
    assert (
        Opportunity.select()
        .where(Opportunity.offer_deadline.between(now + timedelta(days=2, hours=23), now + timedelta(days=3)))
        .count()
        == 1
    )
    assert Announcement.select().where(Announcement.recipients > 0).exists()  # announced yesterday
    later = now + timedelta(hours=3)
    made = announcements.announce_due(later)
    assert upcoming.id in {row.opportunity_id for row in made}
    assert announcements.remind_deadlines(later) > 0
    assert Email.select().where(Email.kind == "offer-deadline").exists()
