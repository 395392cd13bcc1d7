"""The search page: one box, tabs by kind with their counts, filters, ranked results with snippets."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from xieshang.search import selectors
from xieshang.search.indexing import kinds


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


def filters_from(params: Any) -> selectors.SearchFilters:
    """Filters from a query string; what does not parse is ignored, as a link someone edited by hand."""
    return selectors.SearchFilters(
        type=(params.get("type") or "")[:20], session=_number(params.get("session")),
        status=(params.get("status") or "")[:20], unit=_number(params.get("unit")),
        category=(params.get("category") or "")[:30], year=_number(params.get("year")))


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.committee_id is None or not user.role_codes:
        raise Http404
    q = request.GET.get("q", "").strip()[:200]
    f = filters_from(request.GET)
    page, results, similar = None, None, []
    if q:
        results = selectors.ResultList(user=user, query=q, filters=f)
        page = Paginator(results, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
        if page.number == 1:
            similar = results.similar(exclude=page.object_list)
    counts = results.counts if results else {}
    tabs = [{"name": "", "label": _("All"), "count": sum(counts.values())}]
    tabs += [{"name": name, "label": kind.label, "count": counts.get(name, 0)} for name, kind in kinds().items()]
    return render(request, "search/search.html", {
        "q": q, "filters": f, "page": page, "results": results, "similar": similar, "tabs": tabs,
        "options": selectors.filter_options(user=user),
        "params_without_type": _params(request, drop=("type", "page")),
    })


def _params(request: HttpRequest, *, drop: tuple[str, ...]) -> str:
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    return params.urlencode()
