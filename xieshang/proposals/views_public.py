"""The public site: proposals a committee chose to publish, with their replies (or the public summary of
a reply that must stay internal). No login; nothing else of the committee is reachable here."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from xieshang.organisation.models import Committee
from xieshang.proposals.models import Assignment, Proposal, Reply
from xieshang.proposals.services.disclosure import PUBLISHABLE


def _committee(code: str) -> Committee:
    committee = Committee.objects.filter(code=code, is_active=True).first()
    if committee is None:
        raise Http404
    return committee


def public_proposals(committee: Committee) -> QuerySet[Proposal]:
    return Proposal.objects.filter(committee=committee, is_public=True, not_for_disclosure=False,
                                   status__in=PUBLISHABLE).select_related("lead_member", "session", "session__term")


def public_list(request: HttpRequest, committee_code: str) -> HttpResponse:
    committee = _committee(committee_code)
    qs = public_proposals(committee).order_by("-session__opens_on", "number")
    q = request.GET.get("q", "")[:50]
    if q:
        qs = qs.filter(Q(title__contains=q) | Q(suggestions__contains=q))
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "proposals/public/list.html", {"committee": committee, "page": page, "q": q})


def public_detail(request: HttpRequest, committee_code: str, proposal_id: int) -> HttpResponse:
    committee = _committee(committee_code)
    sent = Reply.objects.filter(status="sent").order_by("round")
    try:
        proposal = public_proposals(committee).prefetch_related(
            "proposers__member",
            Prefetch("assignments", queryset=Assignment.objects.exclude(status="cancelled").select_related("unit")
                     .prefetch_related(Prefetch("replies", queryset=sent)))).get(pk=proposal_id)
    except Proposal.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "proposals/public/detail.html", {"committee": committee, "proposal": proposal})
