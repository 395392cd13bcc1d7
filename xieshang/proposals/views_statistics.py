"""The proposal statistics page and its spreadsheet (§3): per plenary session (``?session=ID``) or per
calendar year (``?year=YYYY``), the latest session by default."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xieshang.proposals import statistics as stats_module
from xieshang.proposals.statistics import ProposalStatistics, Ratio, Scope

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scope(request: HttpRequest) -> Scope:
    """Outsiders (no role in a committee) are not found; insiders without the right are forbidden; another
    committee's session is not found."""
    user = request.user
    if user.committee_id is None or not user.role_codes:
        raise Http404
    if not user.has_perm("proposals.view_statistics"):
        raise PermissionDenied
    return stats_module.statistics_scope_for_user(user=user, session=request.GET.get("session"),
                                                  year=request.GET.get("year"))


def _percent(ratio: Ratio) -> float | None:
    return ratio.percent


def chart_data(stats: ProposalStatistics) -> dict[str, Any]:
    """What the four charts draw, passed to the page with json_script; labels already translated."""
    s = stats.satisfaction
    return {
        "categories": [{"name": c.display_label, "value": c.count} for c in stats.categories if c.count],
        "classes": {"labels": [c.code for c in stats.classes], "names": [c.display_label for c in stats.classes],
                    "values": [c.count for c in stats.classes], "percents": [_percent(c.ratio) for c in stats.classes]},
        "satisfaction": {
            "results": [_("Satisfied"), _("Basically satisfied"), _("Dissatisfied")],
            "series": [{"name": name, "data": [split.satisfied, split.basically, split.dissatisfied]}
                       for name, split in ((_("Overall"), s.overall), (_("Handling attitude"), s.attitude),
                                           (_("Actual effect"), s.effect))],
        },
        "units": {"names": [u.name for u in stats.units if u.on_time.denominator],
                  "percents": [_percent(u.on_time) for u in stats.units if u.on_time.denominator],
                  "series": _("On-time rate (%)")},
        "text": {"noData": _("Nothing to show yet"), "count": _("Count")},
    }


@login_required
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    stats = stats_module.proposal_statistics(scope)
    sessions, years = stats_module.scope_choices(committee_id=scope.committee_id)
    return render(request, "proposals/statistics.html", {
        "stats": stats, "scope": scope, "sessions": sessions, "years": years, "chart": chart_data(stats),
        "satisfaction_rows": [(_("Overall"), stats.satisfaction.overall),
                              (_("Handling attitude"), stats.satisfaction.attitude),
                              (_("Actual effect"), stats.satisfaction.effect)],
    })


@login_required
@require_GET
def statistics_xlsx(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    stats = stats_module.proposal_statistics(scope)
    response = HttpResponse(stats_module.statistics_xlsx(stats), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"提案统计-{scope.label_zh}.xlsx")
    return response
