from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.todo import TodoItem
from xieshang.ruleset.workdays import WorkCalendar


def calendar_gaps(user: Any) -> list[TodoItem]:
    """Administrators are told when deadlines would rest on weekdays alone for this or next year."""
    if not user.has_perm("ruleset.change_ruleset") or user.committee_id is None:
        return []
    cal = WorkCalendar.for_committee(user.committee_id)
    today = timezone.localdate()
    return [
        TodoItem(title=_("Enter the %(year)d public holidays and make-up working days") % {"year": year},
                 url=reverse("ruleset:calendar") + f"?year={year}", category=_("Settings"),
                 detail=_("The national calendar does not know %(year)d yet; deadlines count weekdays only.")
                 % {"year": year})
        for year in (today.year, today.year + 1) if not cal.year_known(year)
    ]
