from __future__ import annotations

import calendar as pycal
import datetime as dt
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from xieshang.core.errors import DomainError
from xieshang.ruleset.defaults import RULES
from xieshang.ruleset.selectors import rules_for
from xieshang.ruleset.services import calendar_clear_day, calendar_set_days, parse_calendar_lines, ruleset_update
from xieshang.ruleset.workdays import WorkCalendar


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year") or request.POST.get("year") or ""
    today = timezone.localdate().year
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= today + 5 else today


@login_required
def rules_page(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("ruleset.view_ruleset"):
        raise Http404
    year = _year(request)
    committee_id = request.user.committee_id
    can_edit = request.user.has_perm("ruleset.change_ruleset")
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        values = {r.key: request.POST.get(r.key, "") for r in RULES if r.key in request.POST}
        try:
            ruleset_update(actor=request.user, committee_id=committee_id, year=year, values=values)
        except (DomainError, json.JSONDecodeError) as exc:
            messages.error(request, getattr(exc, "message", str(exc)))
        else:
            messages.success(request, _("The rules for %(year)d were saved.") % {"year": year})
            return redirect(f"{request.path}?year={year}")
    rules = rules_for(committee_id=committee_id, year=year)
    rows = [{"rule": r, "value": json.dumps(v, ensure_ascii=False, indent=1) if r.unit == "list" else v,
             "default": r.default, "is_default": d} for r, v, d in rules.items()]
    return render(request, "ruleset/rules.html", {"rows": rows, "year": year, "rules": rules,
                                                  "can_edit": can_edit})


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("ruleset.view_ruleset"):
        raise Http404
    year = _year(request)
    committee_id = request.user.committee_id
    if request.method == "POST":
        if not request.user.has_perm("ruleset.change_ruleset"):
            raise PermissionDenied
        try:
            if "clear" in request.POST:
                calendar_clear_day(actor=request.user, committee_id=committee_id,
                                   day=dt.date.fromisoformat(request.POST["clear"]))
            else:
                count = calendar_set_days(actor=request.user, committee_id=committee_id,
                                          days=parse_calendar_lines(request.POST.get("lines", "")))
                messages.success(request, ngettext("%(count)d day was declared.", "%(count)d days were declared.",
                                                   count) % {"count": count})
        except (DomainError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", str(exc)))
        else:
            return redirect(f"{request.path}?year={year}")
    cal = WorkCalendar.for_committee(committee_id)
    months = []
    for month in range(1, 13):
        weeks = []
        for week in pycal.Calendar().monthdatescalendar(year, month):
            weeks.append([{"date": d, "in_month": d.month == month, "workday": cal.is_workday(d),
                           "override": d in cal.overrides} for d in week])
        months.append({"month": month, "weeks": weeks})
    overrides = sorted((d, w) for d, w in cal.overrides.items() if d.year == year)
    return render(request, "ruleset/calendar.html", {
        "year": year, "months": months, "overrides": overrides, "known": cal.year_known(year),
        "can_edit": request.user.has_perm("ruleset.change_ruleset"),
    })
