"""Pages of the proposals app (being built)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xieshang.proposals import selectors


@login_required
def detail(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = selectors.proposal_get_for_user(user=request.user, proposal_id=proposal_id)
    return render(request, "proposals/detail.html", {"proposal": proposal,
                                                     "assignments": selectors.proposal_dossier(proposal)})


@login_required
def assignment(request: HttpRequest, assignment_id: int) -> HttpResponse:
    item = selectors.assignment_get_for_user(user=request.user, assignment_id=assignment_id)
    return render(request, "proposals/assignment.html", {"assignment": item})
