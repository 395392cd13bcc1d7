"""Working-day arithmetic on a committee's calendar.

Order of authority for one date: the committee's own CalendarDay override, then the national calendar of
public holidays and make-up working days (package ``chinesecalendar``), then, for years the package does
not know, Monday to Friday. ``calendar_known`` tells whether a year rests on more than weekdays."""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from dataclasses import dataclass, field

import chinese_calendar

from xieshang.ruleset.models import CalendarDay

_MAX_STEPS = 3660  # ten years of days: a guard against a calendar with no working day at all


def _national_year_known(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def _national_is_workday(day: dt.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


@dataclass
class WorkCalendar:
    """A committee's calendar, with its overrides loaded once."""

    overrides: dict[dt.date, bool] = field(default_factory=dict)
    # Per year, the working days from 1 January up to each day of it: counting between two dates is then two
    # lookups a year instead of one test per day (an inbox counts a year-overdue item for every row).
    _running: dict[int, list[int]] = field(default_factory=dict, repr=False)

    @classmethod
    def for_committee(cls, committee_id: int | None) -> WorkCalendar:
        if committee_id is None:
            return cls()
        rows = CalendarDay.objects.filter(committee_id=committee_id).values_list("date", "is_workday")
        return cls(overrides=dict(rows))

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return _national_is_workday(day)

    def year_known(self, year: int) -> bool:
        """The national calendar knows the year, or the committee entered its holidays itself."""
        return _national_year_known(year) or any(d.year == year and not w for d, w in self.overrides.items()
                                                 if d.weekday() < 5)

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date ``days`` working days after ``start``; the first working day after start is day 1.
        Zero returns start itself."""
        if days < 0:
            raise ValueError("days must not be negative")
        day, counted, steps = start, 0, 0
        while counted < days:
            day += dt.timedelta(days=1)
            steps += 1
            if steps > _MAX_STEPS:
                raise ValueError("the calendar has no working days ahead")
            if self.is_workday(day):
                counted += 1
        return day

    def _running_count(self, year: int) -> list[int]:
        counts = self._running.get(year)
        if counts is None:
            counts, total, day = [], 0, dt.date(year, 1, 1)
            while day.year == year:
                total += self.is_workday(day)
                counts.append(total)
                day += dt.timedelta(days=1)
            self._running[year] = counts
        return counts

    def _up_to(self, day: dt.date) -> int:
        """Working days from 1 January of ``day``'s year through ``day``."""
        return self._running_count(day.year)[day.timetuple().tm_yday - 1]

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        if start.year == end.year:
            return self._up_to(end) - self._up_to(start)
        whole_years = sum(self._running_count(y)[-1] for y in range(start.year + 1, end.year))
        return self._running_count(start.year)[-1] - self._up_to(start) + whole_years + self._up_to(end)

    def next_workday(self, day: dt.date) -> dt.date:
        """``day`` itself if it is a working day, else the next one."""
        return day if self.is_workday(day) else self.add_working_days(day, 1)


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day ``months`` later, clipped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def add_working_days(committee_id: int, start: dt.date, days: int) -> dt.date:
    return WorkCalendar.for_committee(committee_id).add_working_days(start, days)


def is_workday(committee_id: int, day: dt.date) -> bool:
    return WorkCalendar.for_committee(committee_id).is_workday(day)
