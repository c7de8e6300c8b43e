"""Arranging "Shift bookings launched": February's night shelter going live at GO_LIVE, slots
added to it, three months open at once, and the scheduler's job run at a chosen time."""

from datetime import datetime, timedelta

from cervis import announcements
from cervis.models import Group, Opportunity, Role, Slot

# 10 January 2027, noon UTC (GMT): February's night shelter goes live at 6 PM.
NOW = datetime(2027, 1, 10, 12, 0)
GO_LIVE = datetime(2027, 1, 10, 18, 0)


def night_shelter(
    live_from=GO_LIVE,
    deadline=datetime(2027, 1, 25, 18, 0),
    days=(1, 2),
    group="Northside",
    created=NOW - timedelta(days=1),
    **kw,
):
    north = Group.get(Group.name == group)
    opp = Opportunity.create(group=north, name="Night Shelter", live_from=live_from, offer_deadline=deadline, **kw)
    add_slots(opp, days, created)
    return opp


def add_slots(opp, days, created, month=2):
    made = []
    for day in days:
        start = datetime(2027, month, day, 19, 0)
        for name in ("Cook", "Reserve"):
            role = Role.get(Role.group == opp.group_id, Role.name == name)
            made.append(
                Slot.create(
                    opportunity=opp,
                    role=role,
                    starts_at=start,
                    ends_at=start + timedelta(hours=12),
                    capacity=2,
                    created_at=created,
                )
            )
    return made


def run(app, now):
    """What the scheduler's job does, at this time."""
    return len(announcements.announce_due(now)) + announcements.remind_deadlines(now)


def three_months(deadline=None):
    """A live opportunity whose February, March and April are open at once."""
    opp = night_shelter(deadline=deadline)
    for month in (3, 4):
        add_slots(opp, (1,), NOW - timedelta(days=1), month=month)
    return opp


def crash_on_the_second_email(app, monkeypatch, at=GO_LIVE + timedelta(minutes=5)):
    """The power goes as the job's second batch (of one email) is written; then it comes back."""
    monkeypatch.setattr(announcements, "BATCH", 1)
    real_row, calls = announcements.emails.Letters.row, []

    def crash_on_the_second(*args, **kw):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("power cut")
        return real_row(*args, **kw)

    with monkeypatch.context() as power:
        power.setattr(announcements.emails.Letters, "row", crash_on_the_second)
        try:
            run(app, at)
        except RuntimeError:
            pass
