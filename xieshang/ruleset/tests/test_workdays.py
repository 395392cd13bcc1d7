"""Working days across Spring Festival and National Day, with make-up Saturdays and committee overrides."""

import datetime as dt

import pytest

from xieshang.ruleset.models import CalendarDay
from xieshang.ruleset.workdays import WorkCalendar, add_months, add_working_days

D = dt.date


def test_spring_festival_2026_is_skipped_and_makeup_saturday_counts() -> None:
    cal = WorkCalendar()
    # 2026: holiday 15–23 Feb; Saturday 14 Feb and Saturday 28 Feb are make-up working days.
    assert cal.is_workday(D(2026, 2, 14)) is True
    assert cal.is_workday(D(2026, 2, 16)) is False
    assert cal.is_workday(D(2026, 2, 28)) is True
    # Friday 13 Feb + 1 working day = Saturday 14 Feb (make-up day), + 2 = Tuesday 24 Feb.
    assert cal.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert cal.add_working_days(D(2026, 2, 13), 2) == D(2026, 2, 24)


def test_national_day_2025_week_is_skipped() -> None:
    cal = WorkCalendar()
    # 2025: 1–8 Oct rest; Sunday 28 Sep and Saturday 11 Oct are make-up working days.
    assert cal.add_working_days(D(2025, 9, 27), 1) == D(2025, 9, 28)
    assert cal.add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert cal.add_working_days(D(2025, 10, 9), 2) == D(2025, 10, 11)
    assert cal.working_days_between(D(2025, 9, 30), D(2025, 10, 11)) == 3


def test_fifteen_working_days_span_the_holiday() -> None:
    # From Monday 9 Feb 2026, counted by hand: 10-14 Feb (5, Sat 14 a make-up day), rest 15-23,
    # 24-28 Feb (5, Sat 28 a make-up day), 2-6 Mar (5) -> Friday 6 March.
    result = WorkCalendar().add_working_days(D(2026, 2, 9), 15)
    assert result == D(2026, 3, 6)
    assert WorkCalendar().working_days_between(D(2026, 2, 9), result) == 15


def test_unknown_year_counts_weekdays_until_the_committee_declares_holidays(committee) -> None:
    cal = WorkCalendar.for_committee(committee.pk)
    assert cal.year_known(2030) is False
    assert cal.add_working_days(D(2030, 1, 31), 1) == D(2030, 2, 1)
    CalendarDay.objects.create(committee=committee, date=D(2030, 2, 1), is_workday=False, note="春节")
    CalendarDay.objects.create(committee=committee, date=D(2030, 2, 2), is_workday=True, note="调休")
    cal = WorkCalendar.for_committee(committee.pk)
    assert cal.year_known(2030) is True
    assert cal.add_working_days(D(2030, 1, 31), 1) == D(2030, 2, 2)
    assert add_working_days(committee.pk, D(2030, 1, 31), 1) == D(2030, 2, 2)


def test_override_beats_the_national_calendar(committee, other_committee) -> None:
    CalendarDay.objects.create(committee=committee, date=D(2026, 3, 2), is_workday=False, note="local")
    assert add_working_days(committee.pk, D(2026, 2, 27), 1) == D(2026, 2, 28)
    assert add_working_days(committee.pk, D(2026, 2, 28), 1) == D(2026, 3, 3)
    assert add_working_days(other_committee.pk, D(2026, 2, 28), 1) == D(2026, 3, 2)


def test_zero_and_negative() -> None:
    assert WorkCalendar().add_working_days(D(2026, 5, 1), 0) == D(2026, 5, 1)
    with pytest.raises(ValueError, match="negative"):
        WorkCalendar().add_working_days(D(2026, 5, 1), -1)


@pytest.mark.parametrize(("start", "months", "expected"), [
    (D(2026, 1, 31), 1, D(2026, 2, 28)), (D(2026, 11, 30), 3, D(2027, 2, 28)), (D(2026, 5, 15), 6, D(2026, 11, 15)),
])
def test_add_months_clips_to_month_end(start, months, expected) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(("start", "end"), [
    (dt.date(2026, 9, 28), dt.date(2026, 10, 9)),  # across the National Day holiday and its make-up days
    (dt.date(2025, 12, 20), dt.date(2027, 1, 5)),  # across two year ends
    (dt.date(2026, 3, 1), dt.date(2026, 3, 1)),
    (dt.date(2027, 2, 1), dt.date(2026, 11, 15)),  # backwards
])
def test_counting_between_two_dates_agrees_with_counting_day_by_day(start: dt.date, end: dt.date) -> None:
    cal = WorkCalendar(overrides={dt.date(2026, 10, 9): False, dt.date(2026, 3, 1): True})
    lo, hi, sign = (start, end, 1) if start <= end else (end, start, -1)
    by_day = sum(cal.is_workday(lo + dt.timedelta(days=i)) for i in range(1, (hi - lo).days + 1))
    assert cal.working_days_between(start, end) == sign * by_day
