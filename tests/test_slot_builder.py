"""Working out the slots to make: weekdays between dates, picked dates, clock changes, copying a month."""

import calendar
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from cervis.slot_builder import Pattern, copy_month, local_span, parse_dates, patterns_for, to_planned, weekdays_between
from cervis.timeutil import slot_when

LONDON = ZoneInfo("Europe/London")
THURSDAY = 3
COOK, RESERVE = 1, 2


def test_every_thursday_between_two_dates():
    days = weekdays_between(date(2025, 10, 1), date(2025, 10, 31), [THURSDAY])
    assert days == [date(2025, 10, 2), date(2025, 10, 9), date(2025, 10, 16), date(2025, 10, 23), date(2025, 10, 30)]


def test_first_and_last_day_are_included():
    assert weekdays_between(date(2025, 10, 9), date(2025, 10, 16), [THURSDAY]) == [
        date(2025, 10, 9),
        date(2025, 10, 16),
    ]


def test_picked_dates_are_read_in_iso_and_british_forms_without_repeats():
    days, bad = parse_dates("2025-10-09\n16/10/2025, 9/10/2025\n\n23.10.2025")
    assert days == [date(2025, 10, 9), date(2025, 10, 16), date(2025, 10, 23)]
    assert bad == []


def test_picked_dates_report_what_was_not_understood():
    days, bad = parse_dates("2025-10-09\nnext Thursday\n31/02/2025")
    assert days == [date(2025, 10, 9)]
    assert bad == ["next Thursday", "31/02/2025"]


def test_an_end_time_before_the_start_time_means_the_next_morning():
    starts, ends = local_span(date(2025, 10, 9), time(20), time(8))
    assert starts == datetime(2025, 10, 9, 20)
    assert ends == datetime(2025, 10, 10, 8)


def test_a_role_with_capacity_zero_is_not_made():
    patterns = patterns_for([date(2025, 10, 9)], time(18), time(21), [(COOK, 1), (RESERVE, 0)])
    assert [p.role_id for p in patterns] == [COOK]


def test_slots_come_out_by_date_then_in_role_order():
    days = [date(2025, 10, 16), date(2025, 10, 9)]
    patterns = patterns_for(days, time(18), time(21), [(RESERVE, 2), (COOK, 1)])
    planned = to_planned(patterns, LONDON, role_order=[COOK, RESERVE])
    assert [(slot_when(s.starts_at, s.ends_at, LONDON), s.role_id) for s in planned] == [
        ("Thu, Oct 9, 2025 - 6:00 PM to 9:00 PM", COOK),
        ("Thu, Oct 9, 2025 - 6:00 PM to 9:00 PM", RESERVE),
        ("Thu, Oct 16, 2025 - 6:00 PM to 9:00 PM", COOK),
        ("Thu, Oct 16, 2025 - 6:00 PM to 9:00 PM", RESERVE),
    ]


def test_thursday_evening_keeps_six_pm_across_the_october_clock_change():
    days = weekdays_between(date(2025, 10, 20), date(2025, 11, 2), [THURSDAY])
    planned = to_planned(patterns_for(days, time(18), time(21), [(COOK, 1)]), LONDON)
    assert [s.starts_at for s in planned] == [datetime(2025, 10, 23, 17), datetime(2025, 10, 30, 18)]
    assert [slot_when(s.starts_at, s.ends_at, LONDON) for s in planned] == [
        "Thu, Oct 23, 2025 - 6:00 PM to 9:00 PM",
        "Thu, Oct 30, 2025 - 6:00 PM to 9:00 PM",
    ]


def test_night_shift_over_the_october_clock_change_lasts_thirteen_hours():
    [slot] = to_planned(patterns_for([date(2025, 10, 25)], time(20), time(8), [(COOK, 1)]), LONDON)
    assert (slot.ends_at - slot.starts_at).total_seconds() / 3600 == 13
    assert slot_when(slot.starts_at, slot.ends_at, LONDON) == "Sat, Oct 25, 2025 - 8:00 PM to 8:00 AM (Sun)"


def test_night_shift_over_the_march_clock_change_lasts_eleven_hours():
    [slot] = to_planned(patterns_for([date(2026, 3, 28)], time(20), time(8), [(COOK, 1)]), LONDON)
    assert (slot.ends_at - slot.starts_at).total_seconds() / 3600 == 11
    assert slot_when(slot.starts_at, slot.ends_at, LONDON) == "Sat, Mar 28, 2026 - 8:00 PM to 8:00 AM (Sun)"


def _thursdays(year, month):
    first, last = date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    return patterns_for(weekdays_between(first, last, [THURSDAY]), time(18), time(21), [(COOK, 1)])


def test_every_thursday_of_november_becomes_every_thursday_of_december():
    copied = copy_month(_thursdays(2025, 11), 2025, 11)
    assert [p.day for p in copied] == [date(2025, 12, 4), date(2025, 12, 11), date(2025, 12, 18), date(2025, 12, 25)]
    assert {(p.start, p.end, p.role_id, p.capacity) for p in copied} == {(time(18), time(21), COOK, 1)}


def test_every_thursday_includes_a_fifth_thursday_in_the_next_month():
    # December 2025 has four Thursdays, January 2026 has five.
    copied = copy_month(_thursdays(2025, 12), 2025, 12)
    assert [p.day.day for p in copied] == [1, 8, 15, 22, 29]


def test_second_thursday_goes_to_the_second_thursday_with_its_capacity():
    second = Pattern(date(2025, 11, 13), time(20), time(8), RESERVE, 3)
    [copied] = copy_month([second], 2025, 11)
    assert copied == Pattern(date(2025, 12, 11), time(20), time(8), RESERVE, 3)


def test_a_fifth_thursday_the_next_month_lacks_is_dropped():
    # October 2025 has five Thursdays; only the fifth has a slot, and November has four.
    fifth = Pattern(date(2025, 10, 30), time(18), time(21), COOK, 1)
    assert copy_month([fifth], 2025, 10) == []


def test_copying_december_goes_to_january_of_the_next_year():
    pattern = Pattern(date(2025, 12, 4), time(18), time(21), COOK, 1)
    assert copy_month([pattern], 2025, 12)[0].day == date(2026, 1, 1)


def test_patterns_of_other_months_are_not_copied():
    other = Pattern(date(2025, 10, 9), time(18), time(21), COOK, 1)
    assert copy_month([other], 2025, 11) == []
