"""The proposal page, shared by every role: what the proposal says, where it stands, what each unit did,
its history, and the actions this user may take now. Action views of members and staff live in
views_member.py and views_staff.py and re-render this page when a service refuses."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from xieshang.core.errors import DomainError
from xieshang.proposals import forms, selectors
from xieshang.proposals.models import Proposal, Proposer, Reply
from xieshang.proposals.services._common import evaluator_member_ids
from xieshang.proposals.workflow import ProposalStatus, ReplyStatus

P = ProposalStatus


def _visible_replies(user: Any, assignment: Any) -> list[Reply]:
    """Proposers see sent replies; the unit and staff also see drafts."""
    replies = list(assignment.replies.all())
    if user.has_role(*selectors.REPLY_DRAFT_ROLES) or assignment.unit_id in selectors.unit_ids(user):
        return replies
    units = selectors.unit_ids(user)
    return [r for r in replies if r.status == ReplyStatus.SENT
            or any(c.assignment.unit_id in units for c in r.cosigns.all())]


def detail_context(request: HttpRequest, proposal: Proposal, **bound: Any) -> dict[str, Any]:
    user = request.user
    committee_id = proposal.committee_id
    dossier = selectors.proposal_dossier(proposal)
    for a in dossier:
        a.visible_replies = _visible_replies(user, a)
    member = user.member
    my_row = next((p for p in proposal.proposers.all() if member is not None and p.member_id == member.pk), None)
    evaluators = evaluator_member_ids(proposal) if proposal.status in (P.REPLIED, P.REHANDLING, P.HANDLING) else []
    to_evaluate = []
    if member is not None and member.pk in evaluators:
        for a in dossier:
            sent = [r for r in a.visible_replies if r.status == ReplyStatus.SENT]
            if sent and not any(e.member_id == member.pk for e in sent[-1].evaluations.all()):
                to_evaluate.append(sent[-1])
    in_review = [r for a in dossier for r in a.replies.all() if r.status == ReplyStatus.IN_REVIEW]
    can = {
        "edit": user.has_perm("proposals.edit_proposal", proposal) and proposal.status in (P.DRAFT, P.RETURNED),
        "invite": user.has_perm("proposals.edit_proposal", proposal) and proposal.status in (
            P.DRAFT, P.RETURNED, P.COSIGNING),
        "submit": user.has_perm("proposals.edit_proposal", proposal) and proposal.status in (
            P.DRAFT, P.RETURNED, P.COSIGNING),
        "withdraw": user.has_perm("proposals.edit_proposal", proposal) and proposal.status in (
            P.DRAFT, P.COSIGNING, P.SUBMITTED, P.RETURNED),
        "sign": my_row is not None and not my_row.is_lead and my_row.status == Proposer.Status.INVITED
        and proposal.status == P.COSIGNING,
        "review": user.has_perm("proposals.review_proposal", proposal) and proposal.status in (P.SUBMITTED, P.REVIEW),
        "assign": user.has_perm("proposals.assign_proposal", proposal) and proposal.status == P.FILED,
        "close": user.has_perm("proposals.close_proposal", proposal) and proposal.status == P.REPLIED,
        "implemented": user.has_perm("proposals.close_proposal", proposal) and proposal.status == P.FOLLOW_UP,
        "paper": user.has_perm("proposals.enter_paper_evaluation", proposal) and bool(evaluators),
        "review_reply": user.has_perm("proposals.review_reply", proposal) and bool(in_review),
        "publish": user.has_perm("proposals.publish_proposal", proposal) and proposal.status not in (
            P.DRAFT, P.COSIGNING, P.SUBMITTED, P.REVIEW, P.RETURNED, P.WITHDRAWN),
        "key": user.has_perm("proposals.manage_key_proposals", proposal) and proposal.status in (
            P.FILED, P.HANDLING, P.REPLIED, P.REHANDLING, P.FOLLOW_UP, P.CLOSED),
        "see_evaluations": user.has_role(*selectors.SEES_ALL) or my_row is not None,
    }
    ctx: dict[str, Any] = {
        "proposal": proposal, "assignments": dossier, "timeline": selectors.proposal_timeline(proposal),
        "my_row": my_row, "to_evaluate": to_evaluate, "in_review": in_review, "can": can,
        "user_unit_ids": selectors.unit_ids(user), "today": timezone.localdate(),
        "documents": reverse_if("proposals:document_form", proposal.pk),
    }
    if can["invite"]:
        ctx["invite_form"] = bound.get("invite_form") or forms.InviteForm(proposal=proposal)
    if can["review"]:
        ctx["file_form"] = bound.get("file_form") or forms.FileForm(committee_id=committee_id)
        ctx["not_file_form"] = bound.get("not_file_form") or forms.NotFileForm(committee_id=committee_id)
        ctx["merge_form"] = bound.get("merge_form") or forms.MergeForm(proposal=proposal)
        ctx["return_form"] = bound.get("return_form") or forms.ReasonForm()
        ctx["suggested_category"] = suggested_category(proposal)
    if to_evaluate:
        ctx["evaluation_form"] = bound.get("evaluation_form") or forms.EvaluationForm()
    if can["paper"]:
        ctx["paper_form"] = bound.get("paper_form") or forms.PaperEvaluationForm(member_ids=evaluators)
        ctx["paper_replies"] = [r for a in dossier for r in a.replies.all() if r.status == ReplyStatus.SENT]
    if can["review_reply"]:
        ctx["review_reply_form"] = bound.get("review_reply_form") or forms.ReviewReplyForm(committee_id=committee_id)
    if can["close"] or can["implemented"]:
        ctx["note_form"] = bound.get("note_form") or forms.NoteForm()
    if can["publish"]:
        ctx["disclosure_form"] = forms.DisclosureForm(initial={"publish": proposal.is_public,
                                                               "not_for_disclosure": proposal.not_for_disclosure})
    if can["key"] and not hasattr(proposal, "key"):
        ctx["key_form"] = bound.get("key_form") or forms.KeyNominateForm()
    if can["key"] and proposal.status in (P.REPLIED, P.FOLLOW_UP, P.CLOSED) and not hasattr(proposal, "excellence"):
        ctx["excellent_form"] = bound.get("excellent_form") or forms.KeyNominateForm(prefix="excellent")
    ctx["error"] = bound.get("error")
    return ctx


def suggested_category(proposal: Proposal) -> dict[str, Any] | None:
    """The category the committee's filed proposals suggest, when it differs from the proposer's choice."""
    from xieshang.ruleset.selectors import rules_for
    from xieshang.search.similarity import proposal_body
    from xieshang.search.units import suggest_category

    code, score = suggest_category(committee_id=proposal.committee_id, title=proposal.title,
                                   body=proposal_body(proposal.situation, proposal.suggestions))
    if not code or code == proposal.category:
        return None
    labels = {c["code"]: c["label"] for c in rules_for(committee_id=proposal.committee_id)["proposal.categories"]}
    return {"code": code, "label": labels.get(code, code), "score": score}


def reverse_if(name: str, *args: Any) -> str:
    """A URL that another part of the app may not provide yet (documents are optional)."""
    from django.urls import NoReverseMatch

    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def render_detail(request: HttpRequest, proposal: Proposal, *, status: int = 200, **bound: Any) -> HttpResponse:
    return render(request, "proposals/detail.html", detail_context(request, proposal, **bound), status=status)


@login_required
def detail(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = selectors.proposal_get_for_user(user=request.user, proposal_id=proposal_id)
    return render_detail(request, proposal)


@login_required
def assignment(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Units work an assignment in their workspace; everyone else sees it on the proposal's page."""
    item = selectors.assignment_get_for_user(user=request.user, assignment_id=assignment_id)
    if item.unit_id in selectors.unit_ids(request.user):
        target = reverse_if("proposals:unit_assignment", item.pk)
        if target:
            return redirect(target)
    return redirect(reverse("proposals:detail", args=[item.proposal_id]) + f"#assignment-{item.pk}")


def run(request: HttpRequest, proposal: Proposal, action: Any, success: str, *, form_name: str = "",
        form: Any = None) -> HttpResponse:
    """Call one service; on success go back to the proposal, on refusal show the page again with the
    message and the user's input kept."""
    try:
        action()
    except DomainError as exc:
        if form is not None:
            form.add_error(None, exc.message)
        messages.error(request, exc.message)
        fresh = selectors.proposal_get_for_user(user=request.user, proposal_id=proposal.pk)
        return render_detail(request, fresh, status=400, error=exc.message, **({form_name: form} if form_name else {}))
    messages.success(request, success)
    return redirect("proposals:detail", proposal.pk)



