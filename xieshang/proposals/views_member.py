"""A member's pages: the proposal list, drafting with live checks, co-signing, submitting, evaluating."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core.errors import DomainError
from xieshang.organisation.models import PlenarySession
from xieshang.proposals import forms, selectors, services
from xieshang.proposals.models import Proposal
from xieshang.proposals.views import run
from xieshang.proposals.workflow import ProposalStatus
from xieshang.ruleset.selectors import rules_for
from xieshang.search.checks import proposal_hints


def _filters(request: HttpRequest) -> selectors.ProposalFilters:
    g = request.GET

    def num(key: str) -> int | None:
        v = g.get(key, "")
        return int(v) if v.isdigit() else None

    return selectors.ProposalFilters(
        q=g.get("q", "")[:50], session=num("session"), status=g.get("status", "")[:12],
        category=g.get("category", "")[:30], unit=num("unit"), kind=g.get("kind", "")[:12],
        mine=g.get("mine") == "1", overdue=g.get("overdue") == "1")


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    f = _filters(request)
    if user.member is not None and not user.has_role(*selectors.SEES_ALL) and "mine" not in request.GET:
        f = selectors.ProposalFilters(**{**f.__dict__, "mine": True})  # a member starts with their own
    page = Paginator(selectors.proposal_list_for_user(user=user, filters=f), 30).get_page(request.GET.get("page"))
    committee_id = user.committee_id
    categories = {c["code"]: c["label"] for c in rules_for(committee_id=committee_id)["proposal.categories"]}
    ctx = {"page": page, "filters": f, "categories": categories, "statuses": ProposalStatus.choices,
           "sessions": PlenarySession.objects.filter(committee_id=committee_id).select_related("term"),
           "can_create": user.has_perm("proposals.create_proposal")}
    template = "proposals/_list_rows.html" if request.htmx else "proposals/list.html"
    return render(request, template, ctx)


def _editor(request: HttpRequest, form: forms.ProposalForm, proposal: Proposal | None, status: int = 200
            ) -> HttpResponse:
    limit = rules_for(committee_id=request.user.committee_id)["proposal.body_max_chars"]
    return render(request, "proposals/edit.html", {"form": form, "proposal": proposal, "limit": limit},
                  status=status)


@login_required
def proposal_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("proposals.create_proposal"):
        raise PermissionDenied
    form = forms.ProposalForm(request.POST or None, committee_id=request.user.committee_id)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Draft saved. Invite co-signers or submit it when it is ready."))
            return redirect("proposals:detail", proposal.pk)
    return _editor(request, form, None, 400 if form.errors else 200)


@login_required
def proposal_edit(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = selectors.proposal_get_for_user(user=request.user, proposal_id=proposal_id)
    if not request.user.has_perm("proposals.edit_proposal", proposal):
        raise PermissionDenied
    form = forms.ProposalForm(request.POST or None, instance=proposal, committee_id=proposal.committee_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_update(actor=request.user, proposal=proposal, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("proposals:detail", proposal.pk)
    return _editor(request, form, proposal, 400 if form.errors else 200)


@login_required
@require_POST
def proposal_check(request: HttpRequest) -> HttpResponse:
    """Live checks while drafting: what would stop submission, the length against the limit, and hints
    that never block (structure, several issues, concreteness, grounds for not filing). Nothing is saved."""
    if not request.user.has_perm("proposals.create_proposal"):
        raise PermissionDenied
    draft = Proposal(committee_id=request.user.committee_id, lead_member=request.user.member)
    for field in ("title", "category", "situation", "analysis", "suggestions", "kind", "collective_kind",
                  "collective_name"):
        setattr(draft, field, request.POST.get(field, "")[:20000])
    draft.has_seal = request.POST.get("has_seal") in ("on", "true", "1")
    draft.kind = draft.kind or Proposal.Kind.INDIVIDUAL
    limit = rules_for(committee_id=request.user.committee_id)["proposal.body_max_chars"]
    return render(request, "proposals/_checks.html", {"problems": services.problems(draft),
                                                      "hints": proposal_hints(draft),
                                                      "length": draft.body_length, "limit": limit})


def _proposal(request: HttpRequest, proposal_id: int) -> Proposal:
    return selectors.proposal_get_for_user(user=request.user, proposal_id=proposal_id)


@login_required
@require_POST
def proposal_invite(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal(request, proposal_id)
    form = forms.InviteForm(request.POST, proposal=proposal)
    if not form.is_valid():
        from xieshang.proposals.views import render_detail

        return render_detail(request, proposal, status=400, invite_form=form)
    return run(request, proposal, lambda: services.proposal_invite_cosigners(
        actor=request.user, proposal=proposal, members=list(form.cleaned_data["members"])),
        _("The invitations were sent."), form_name="invite_form", form=form)


@login_required
@require_POST
def proposal_sign(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal(request, proposal_id)
    accept = request.POST.get("accept", "1") == "1"
    return run(request, proposal, lambda: services.proposal_sign(actor=request.user, proposal=proposal,
                                                                 accept=accept),
               _("You co-signed the proposal.") if accept else _("You declined the invitation."))


@login_required
@require_POST
def proposal_submit(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal(request, proposal_id)
    return run(request, proposal, lambda: services.proposal_submit(actor=request.user, proposal=proposal),
               _("Submitted. The proposal committee will review it."))


@login_required
@require_POST
def proposal_withdraw(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal(request, proposal_id)
    return run(request, proposal, lambda: services.proposal_withdraw(
        actor=request.user, proposal=proposal, reason=request.POST.get("reason", "")[:500]),
        _("The proposal was withdrawn."))


@login_required
@require_POST
def reply_evaluate(request: HttpRequest, reply_id: int) -> HttpResponse:
    reply = selectors.reply_get_for_user(user=request.user, reply_id=reply_id)
    proposal = _proposal(request, reply.assignment.proposal_id)
    paper = "member" in request.POST
    if paper:
        from xieshang.proposals.services._common import evaluator_member_ids

        form: Any = forms.PaperEvaluationForm(request.POST, member_ids=evaluator_member_ids(proposal))
    else:
        form = forms.EvaluationForm(request.POST)
    form_name = "paper_form" if paper else "evaluation_form"
    if not form.is_valid():
        from xieshang.proposals.views import render_detail

        return render_detail(request, proposal, status=400, **{form_name: form})
    d = form.cleaned_data
    return run(request, proposal, lambda: services.evaluation_submit(
        actor=request.user, reply=reply, result=d["result"], attitude=d.get("attitude", ""),
        effect=d.get("effect", ""), comment=d.get("comment", ""), on_behalf_of=d.get("member")),
        _("Thank you: the evaluation was recorded."), form_name=form_name, form=form)



