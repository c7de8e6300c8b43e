"""Statistics: each figure on a hand-made past season whose answers are known."""

from datetime import timedelta
from decimal import Decimal

import pytest
from helpers_statistics import SEASON, day, figures, mark, member, served, slot

from cervis import erasure, statistics
from cervis.db import utcnow
from cervis.models import CANCELLED, PENDING, REGISTERED, Group, Organisation, Registration, User
from cervis.models.attendance import volunteer_totals
from cervis.statistics import period as periods
from cervis.statistics.people import by_volunteer, gini_against
from helpers_rota import ZONE


def test_places_offered_filled_and_short_and_offers_per_place(db):
    vera, rex, sue = User.by_email("vera@example.org"), member("Rex"), member("Sue")
    night = day(11, 4)
    Registration.create(volunteer=vera, slot=slot(night, "Cook"), status=REGISTERED)
    assistants = slot(night, "Shift Asst")  # two places
    Registration.create(volunteer=rex, slot=assistants, status=REGISTERED)
    Registration.create(volunteer=sue, slot=assistants, status=PENDING)
    Registration.create(volunteer=sue, slot=slot(night, "SL"), status="not_required")
    total = figures().total
    assert (total.places, total.filled, total.short, total.offers) == (4, 2, 2, 4)
    assert total.offers_per_place == 1.0
    assert figures().by_role["Shift Asst"].short == 1


def test_share_of_nights_with_a_shift_leader_and_nights_covered(db):
    sue, rex = member("Sue"), member("Rex")
    served(sue, day(12, 1), "SL")
    served(rex, day(12, 1), "Cook")
    slot(day(12, 1), "Reserve")  # Reserves short: still covered
    served(rex, day(12, 2), "Cook")
    nights = figures().nights_summary()
    assert nights == {"nights": 2, "with_leader": 1, "share_with_leader": 0.5, "covered": 1}


def test_hours_follow_attendance_where_it_was_recorded_and_the_registrations_otherwise(db):
    vera, rex, sam = User.by_email("vera@example.org"), member("Rex"), User.by_email("sam@example.org")
    came, missed = served(vera, day(1, 10), "Cook"), served(rex, day(1, 10), "Shift Asst")
    mark(came, True)
    mark(missed, False)
    Registration.create(volunteer=rex, slot=slot(day(1, 17)), status=REGISTERED)  # no attendance recorded
    from cervis.models.attendance import Attendance

    Attendance.create(slot=slot(day(1, 24), "Cook"), volunteer=sam, attended=True)  # came unregistered
    stats = figures()
    assert stats.total.shifts == 3
    assert stats.total.hours == 9
    assert (stats.total.no_shows, stats.total.recorded, stats.total.no_show_rate) == (1, 2, 0.5)
    home = sum(volunteer_totals(v.id, utcnow(), ZONE)["hours"] for v in (vera, rex, sam))
    assert home == stats.total.hours


def test_a_family_members_hours_are_counted_as_a_volunteers(db):
    vera = User.by_email("vera@example.org")
    child = User.create(first_name="Kit", last_name="Volunteer", family_of=vera)
    served(vera, day(2, 3))
    served(child, day(2, 3), "Cook")
    stats = figures()
    assert stats.total.hours == 6
    assert sorted(stats.people["active"]) == sorted([vera.id, child.id])


def test_an_erased_volunteers_shifts_still_count(db):
    rex = member("Rex")
    served(rex, day(2, 10), hours=4)
    before = figures()
    erasure.erase(User.by_email("ada@example.org"), rex)
    after = figures()
    assert User.get_by_id(rex.id).first_name != "Rex"
    assert (after.total.hours, after.total.filled, len(after.people["active"])) == (4, 1, 1)
    assert after.total.hours == before.total.hours


def test_nights_across_the_clock_changes_count_their_real_hours(db):
    rex = member("Rex")
    autumn = max(day(10, d) for d in range(25, 32) if day(10, d).weekday() == 6) - timedelta(days=1)
    spring = max(day(3, d) for d in range(25, 32) if day(3, d).weekday() == 6) - timedelta(days=1)
    served(rex, autumn, start=20, hours=12)  # 8 PM to 8 AM: the clocks go back at 2 AM
    served(rex, spring, start=20, hours=12)  # forward
    stats = figures()
    assert stats.total.hours == 13 + 11
    assert sum(f.hours for f in stats.hours_by_month.values()) == 24


def test_hours_are_valued_at_the_organisations_hourly_rate(db):
    served(member("Rex"), day(11, 11), hours=3)
    assert Organisation.current().hourly_value == Decimal("12.71")  # the National Living Wage, April 2026
    assert figures(rate=Organisation.current().hourly_value).total.value == Decimal("38.13")
    assert figures(rate=Decimal("10")).by_venue["Northside"].value == Decimal("30.00")


def test_active_new_lapsed_and_the_retention_of_those_who_started(db):
    ann, ben, cat, dan, eve = (member(n) for n in ("Ann", "Ben", "Cat", "Dan", "Eve"))
    served(ann, day(9, 15, SEASON))  # before the season
    served(ann, day(10, 10))
    served(ann, day(2, 1))
    served(ben, day(11, 5))  # starts in the season and stays
    served(ben, day(2, 10))
    served(cat, day(11, 20))  # starts, then no shift for three months before the season's end
    served(dan, day(8, 20, SEASON))  # last shift in August: three months ran out in November
    served(eve, day(5, 1, SEASON))  # lapsed before the season began
    people = figures().people
    ids = lambda *who: sorted(v.id for v in who)  # noqa: E731
    assert people["active"] == ids(ann, ben, cat)
    assert people["new"] == ids(ben, cat)
    assert people["lapsed"] == ids(cat, dan)
    assert people["retained"] == ids(ben)


def test_cancellations_within_48_hours_as_a_count_and_a_rate(db):
    rex, sue = member("Rex"), member("Sue")
    late = Registration.create(volunteer=rex, slot=slot(day(12, 5)), status=CANCELLED)
    late.cancelled_at = late.slot.starts_at - timedelta(hours=10)
    late.save()
    early = Registration.create(volunteer=sue, slot=slot(day(12, 6)), status=CANCELLED)
    early.cancelled_at = early.slot.starts_at - timedelta(days=5)
    early.save()
    served(sue, day(12, 7))
    total = figures().total
    assert (total.cancelled, total.late, total.filled) == (2, 1, 1)
    assert total.late_rate == 0.5


def test_gini_of_shifts_against_offers():
    assert gini_against([(4, 2), (2, 1), (6, 3)]) == pytest.approx(0)  # each in proportion to their offers
    assert gini_against([(1, 0), (1, 1)]) == pytest.approx(0.5)
    assert gini_against([(4, 1), (4, 1), (4, 2), (4, 4)]) == pytest.approx(0.3125)
    assert gini_against([]) == 0


def test_fairness_median_the_busiest_tenth_and_who_is_above_their_preferred_frequency(db):
    january = periods.month(day(1, 1))
    many = member("Mo", frequency="Monthly")
    for n in (3, 10, 17, 24):
        served(many, day(1, n))
    few = [member(f"Fay{i}", frequency="Weekly") for i in range(3)]
    for i, volunteer in enumerate(few):
        served(volunteer, day(1, 5 + i))
    fair = figures(january).fair
    assert fair["median"] == 1
    assert (fair["top_count"], fair["top_least"], fair["top_share"]) == (1, 4, 4 / 7)
    assert fair["above_preference"] == [("Mo Member", "Monthly", 4, 1)]


def test_a_period_is_a_month_a_season_a_year_or_two_dates():
    assert periods.season(2025).label == "Season 2025-26 (October to March)"
    assert (periods.season(2025).first.isoformat(), periods.season(2025).last.isoformat()) == (
        "2025-10-01",
        "2026-03-31",
    )
    assert periods.year(2026).months()[-1].month == 12
    chosen, errors = periods.from_args({"period": "dates", "from": "2026-01-05", "to": "2026-01-01"}, utcnow(), ZONE)
    assert errors == {"to": "Please enter a last date on or after the first."}
    chosen, errors = periods.from_args({"period": "month", "month": "2026-02"}, utcnow(), ZONE)
    assert (chosen.label, errors) == ("February 2026", {})


def test_a_volunteers_offers_are_the_periods_whether_most_slots_are_in_it_or_not(db):
    sue = member("Sue")
    for n in (3, 10, 17):
        Registration.create(volunteer=sue, slot=slot(day(1, n)), status=PENDING)
    served(sue, day(1, 24))
    Registration.create(volunteer=sue, slot=slot(day(9, 1)), status=PENDING)  # after the season
    season = periods.season(SEASON)
    everyone = statistics.Scope(tuple(g.id for g in Group.select()), ungrouped=True)
    northside = statistics.Scope((Group.get(Group.name == "Northside").id,))
    for scope in (everyone, northside):
        rows = by_volunteer(scope, season, utcnow(), ZONE)  # most slots in it: every offer less the others
        assert rows[sue.id]["offers"] == 4
        assert by_volunteer(scope, periods.month(day(9, 1)), utcnow(), ZONE)[sue.id]["offers"] == 1
