"""The demo organisation shows the cycle: a shift tomorrow with a reserve, last week's nights waiting
for "Who came?"."""

from datetime import date, datetime, time, timedelta

from cervis import attendance, cancellation, demo
from cervis.db import utcnow
from cervis.models import REGISTERED, CoverAsk, Group, Registration, Role, Slot
from cervis.timeutil import org_zone, to_local, to_utc


def test_the_demo_has_a_shift_tomorrow_with_a_reserve_and_nights_waiting_for_attendance(db):
    demo.load()
    groups = [g.id for g in Group.select().where(Group.name.in_([v[0] for v in demo.VENUES]))]
    today = to_local(utcnow()).date()
    # Last week's night at each venue; tonight's, once it is over, waits too (CI may run at any hour).
    assert len([night for night in attendance.waiting(groups, utcnow()) if night[1] < today]) == 2
    tomorrow = to_utc(datetime.combine(date.today() + timedelta(days=1), time(18)), org_zone())
    night = (
        Registration.select(Registration, Slot, Role)
        .join(Slot)
        .join(Role)
        .where(Slot.starts_at == tomorrow, Registration.status == REGISTERED)
    )
    assert {r.slot.role.name for r in night} >= {"Cook", "Reserve", "Shift Asst", "SL"}
    cook = next(r for r in night if r.slot.role.name == "Cook")
    cancellation.cancel([cook.id], by=cook.volunteer)
    reserve = next(r for r in night if r.slot.role.is_reserve)
    assert CoverAsk.select().where(CoverAsk.volunteer == reserve.volunteer_id, CoverAsk.reserve == True).exists()
