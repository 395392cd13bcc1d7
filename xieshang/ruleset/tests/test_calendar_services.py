import datetime as dt

import pytest

from xieshang.core.errors import DomainError
from xieshang.ruleset.models import CalendarDay
from xieshang.ruleset.services import calendar_clear_day, calendar_set_days, parse_calendar_lines

D = dt.date


def test_parse_ranges_and_make_up_days() -> None:
    days = parse_calendar_lines("2027-02-06 至 2027-02-08 休 春节\n\n2027-2-14 班 春节调休\n")
    assert days == [(D(2027, 2, 6), False, "春节"), (D(2027, 2, 7), False, "春节"), (D(2027, 2, 8), False, "春节"),
                    (D(2027, 2, 14), True, "春节调休")]


@pytest.mark.parametrize("text", ["2027-02-30 休", "tomorrow 休", "2027-02-06 休息", "2027-03-01 至 2027-02-01 休",
                                  "2027-01-01 至 2027-06-01 休"])
def test_bad_lines_are_refused(text: str) -> None:
    with pytest.raises(DomainError):
        parse_calendar_lines(text)


def test_declaring_replaces_and_clearing_removes(committee, admin_user) -> None:
    calendar_set_days(actor=admin_user, committee_id=committee.pk, days=[(D(2027, 10, 1), False, "国庆")])
    calendar_set_days(actor=admin_user, committee_id=committee.pk, days=[(D(2027, 10, 1), True, "改")])
    assert CalendarDay.objects.get(committee=committee).is_workday is True
    calendar_clear_day(actor=admin_user, committee_id=committee.pk, day=D(2027, 10, 1))
    assert not CalendarDay.objects.exists()
    with pytest.raises(DomainError):
        calendar_clear_day(actor=admin_user, committee_id=committee.pk, day=D(2027, 10, 1))
