"""The proposal committee's and the supervising office's working screens: the review queue (bulk filing),
the assignment board, the decisions queue (objections, extensions, dissatisfied evaluations), the
overdue board, the supervision view (replies to review) and key proposals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from xieshang.core.errors import DomainError
from xieshang.proposals import forms, selectors, services
from xieshang.proposals.models import (
    Assignment,
    Evaluation,
    ExcellentProposal,
    Extension,
    KeyProposal,
    Proposal,
)
from xieshang.proposals.views import render_detail, run
from xieshang.proposals.workflow import AssignmentStatus, ProposalStatus
from xieshang.search.similarity import duplicate_groups_by_session
from xieshang.search.units import suggest_units


def _board(request: HttpRequest, perm: str = "proposals.view_boards") -> int:
    user = request.user
    if user.committee_id is None or not user.role_codes:
        raise Http404
    if not user.has_perm(perm):
        raise PermissionDenied
    return user.committee_id


def _proposal(request: HttpRequest, proposal_id: int) -> Proposal:
    return selectors.proposal_get_for_user(user=request.user, proposal_id=proposal_id)


# Review ------------------------------------------------------------------------------------------------

@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """Proposals waiting for review, with the likely duplicates of their sessions grouped for merging (并案)."""
    committee_id = _board(request)
    queue = list(selectors.review_queue(committee_id=committee_id))
    duplicates = duplicate_groups_by_session(committee_id=committee_id, session_ids={p.session_id for p in queue})
    return render(request, "proposals/office/review_queue.html", {
        "queue": queue, "today": timezone.localdate(), "duplicates": duplicates,
        "can_review": request.user.has_perm("proposals.review_proposal")})


@login_required
@require_POST
def file_bulk(request: HttpRequest) -> HttpResponse:
    committee_id = _board(request, "proposals.review_proposal")
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    chosen = list(Proposal.objects.filter(committee_id=committee_id, pk__in=ids))
    if not chosen:
        messages.error(request, _("Tick the proposals to file."))
        return redirect("proposals:review_queue")
    results = services.proposal_file_bulk(actor=request.user, proposals=chosen)
    done = [r for r in results if r.ok]
    if done:
        messages.success(request, ngettext("%(n)d proposal was filed.", "%(n)d proposals were filed.", len(done))
                         % {"n": len(done)})
    for r in results:
        if not r.ok:
            messages.error(request, f"{r.proposal.title}: {r.message}")
    return redirect("proposals:review_queue")


def _review_action(request: HttpRequest, proposal_id: int, form_class: Any, form_name: str,
                   call: Callable[[Proposal, dict[str, Any]], Any], success: str, **form_kw: Any) -> HttpResponse:
    proposal = _proposal(request, proposal_id)
    kw = {k: (v(proposal) if callable(v) else v) for k, v in form_kw.items()}
    form = form_class(request.POST, **kw) if form_class else None
    if form is not None and not form.is_valid():
        return render_detail(request, proposal, status=400, **{form_name: form})
    data = form.cleaned_data if form is not None else {}
    return run(request, proposal, lambda: call(proposal, data), success, form_name=form_name, form=form)


@login_required
@require_POST
def pre_review(request: HttpRequest, proposal_id: int) -> HttpResponse:
    return _review_action(request, proposal_id, None, "", lambda p, d: services.proposal_pre_review(
        actor=request.user, proposal=p), _("Passed the first review."))


@login_required
@require_POST
def file(request: HttpRequest, proposal_id: int) -> HttpResponse:
    return _review_action(request, proposal_id, forms.FileForm, "file_form", lambda p, d: services.proposal_file(
        actor=request.user, proposal=p, category=d.get("category") or None), _("The proposal was filed."),
        committee_id=lambda p: p.committee_id)


@login_required
@require_POST
def not_file(request: HttpRequest, proposal_id: int) -> HttpResponse:
    return _review_action(request, proposal_id, forms.NotFileForm, "not_file_form",
                          lambda p, d: services.proposal_not_file(actor=request.user, proposal=p, **d),
                          _("The proposal was not filed; the proposer sees the reason."),
                          committee_id=lambda p: p.committee_id)


@login_required
@require_POST
def merge(request: HttpRequest, proposal_id: int) -> HttpResponse:
    response = _review_action(request, proposal_id, forms.MergeForm, "merge_form", lambda p, d: services.proposal_merge(
        actor=request.user, proposal=p, into=d["into"], reason=d.get("reason", "")),
        _("The proposal was merged."), proposal=lambda p: p)
    if response.status_code == 302 and request.POST.get("next") == "review_queue":
        return redirect("proposals:review_queue")  # merged from the duplicates of the review queue
    return response


@login_required
@require_POST
def return_for_revision(request: HttpRequest, proposal_id: int) -> HttpResponse:
    return _review_action(request, proposal_id, forms.ReasonForm, "return_form", lambda p, d: services.proposal_return(
        actor=request.user, proposal=p, reason=d["reason"]), _("The proposal was returned to the proposer."))


# Assignment --------------------------------------------------------------------------------------------

@login_required
def assignment_board(request: HttpRequest) -> HttpResponse:
    committee_id = _board(request)
    queue = list(selectors.assignment_queue(committee_id=committee_id))
    suggestions = suggest_units(queue)
    rows = [{"proposal": p, "suggestions": suggestions.get(p.pk, [])} for p in queue]
    return render(request, "proposals/office/assignment_board.html", {
        "rows": rows, "form": forms.AssignForm(committee_id=committee_id), "today": timezone.localdate(),
        "can_assign": request.user.has_perm("proposals.assign_proposal")})


@login_required
@require_POST
def assign(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal(request, proposal_id)
    form = forms.AssignForm(request.POST, committee_id=proposal.committee_id)
    back = request.POST.get("next") or reverse("proposals:assignment_board")
    if not form.is_valid():
        messages.error(request, _("Check the units chosen."))
        return redirect(back)
    d = form.cleaned_data
    try:
        if d["mode"] == forms.AssignForm.MODE_SEPARATE:
            created = services.proposal_assign(actor=request.user, proposal=proposal, separate=list(d["separate"]))
        else:
            created = services.proposal_assign(actor=request.user, proposal=proposal, lead=d["lead"],
                                               cohandlers=list(d["cohandlers"]))
    except DomainError as exc:
        messages.error(request, f"{proposal.title}: {exc.message}")
    else:
        messages.success(request, _("%(title)s was assigned to %(units)s.") % {
            "title": proposal.title, "units": "、".join(str(a.unit) for a in created)})
    return redirect(back)


# Decisions ---------------------------------------------------------------------------------------------

@login_required
def decisions(request: HttpRequest) -> HttpResponse:
    committee_id = _board(request)
    objections = Assignment.objects.filter(committee_id=committee_id, status=AssignmentStatus.OBJECTED).select_related(
        "proposal", "unit").order_by("objection_at")
    extensions = Extension.objects.filter(assignment__committee_id=committee_id, status=Extension.Status.PENDING
                                          ).select_related("assignment__proposal", "assignment__unit")
    replied = Proposal.objects.filter(committee_id=committee_id, status=ProposalStatus.REPLIED)
    dissatisfied = replied.filter(assignments__replies__evaluations__result=Evaluation.Result.DISSATISFIED
                                  ).distinct().select_related("lead_member")
    late_evaluation = replied.filter(assignments__replies__status="sent",
                                     assignments__replies__evaluation_due__lt=timezone.localdate()
                                     ).exclude(pk__in=dissatisfied.values("pk")).distinct().select_related("lead_member")
    follow_up = Proposal.objects.filter(committee_id=committee_id, status=ProposalStatus.FOLLOW_UP).select_related(
        "lead_member")
    return render(request, "proposals/office/decisions.html", {
        "objections": objections, "extensions": extensions, "dissatisfied": dissatisfied,
        "late_evaluation": late_evaluation, "follow_up": follow_up,
        "objection_form": _rendered_once(forms.ObjectionDecisionForm(committee_id=committee_id)),
        "decision_form": forms.DecisionForm(),
        "can_decide": request.user.has_perm("proposals.decide_objection")})


@login_required
@require_POST
def decide_objection(request: HttpRequest, assignment_id: int) -> HttpResponse:
    item = selectors.assignment_get_for_user(user=request.user, assignment_id=assignment_id)
    form = forms.ObjectionDecisionForm(request.POST, committee_id=item.committee_id)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.assignment_decide_objection(actor=request.user, assignment=item, uphold=d["uphold"],
                                                 note=d["note"], new_unit=d["new_unit"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The objection was decided."))
    else:
        messages.error(request, _("Choose a decision."))
    return redirect("proposals:decisions")


@login_required
@require_POST
def decide_extension(request: HttpRequest, extension_id: int) -> HttpResponse:
    committee_id = _board(request)
    extension = Extension.objects.filter(pk=extension_id, assignment__committee_id=committee_id).first()
    if extension is None:
        raise Http404
    form = forms.DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.extension_decide(actor=request.user, extension=extension, approve=form.cleaned_data["approve"],
                                      note=form.cleaned_data["note"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The extension request was decided."))
    return redirect("proposals:decisions")


@login_required
@require_POST
def close(request: HttpRequest, proposal_id: int) -> HttpResponse:
    return _review_action(request, proposal_id, forms.NoteForm, "note_form", lambda p, d: services.proposal_close(
        actor=request.user, proposal=p, note=d["note"]), _("The proposal was closed."))


@login_required
@require_POST
def rehandle(request: HttpRequest, proposal_id: int) -> HttpResponse:
    return _review_action(request, proposal_id, forms.NoteForm, "note_form", lambda p, d: services.proposal_rehandle(
        actor=request.user, proposal=p, note=d["note"]), _("The units were asked to handle it again."))


@login_required
@require_POST
def implemented(request: HttpRequest, proposal_id: int) -> HttpResponse:
    return _review_action(request, proposal_id, forms.NoteForm, "note_form",
                          lambda p, d: services.proposal_mark_implemented(actor=request.user, proposal=p,
                                                                          note=d["note"]),
                          _("The follow-up was closed as implemented."))


@login_required
@require_POST
def disclosure(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal(request, proposal_id)
    form = forms.DisclosureForm(request.POST)
    form.is_valid()
    summaries = {int(k.split("_")[1]): v for k, v in request.POST.items() if k.startswith("summary_")
                 and k.split("_")[1].isdigit()}
    return run(request, proposal, lambda: services.proposal_set_disclosure(
        actor=request.user, proposal=proposal, publish=form.cleaned_data.get("publish", False),
        not_for_disclosure=form.cleaned_data.get("not_for_disclosure", False), summaries=summaries),
        _("Disclosure settings were saved."))


# Overdue and supervision -------------------------------------------------------------------------------

@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    committee_id = _board(request)
    return render(request, "proposals/office/overdue.html", {
        "board": selectors.overdue_board(committee_id=committee_id), "today": timezone.localdate()})


@login_required
def supervision(request: HttpRequest) -> HttpResponse:
    committee_id = _board(request, "proposals.review_reply")
    return render(request, "proposals/office/supervision.html", {
        "replies": selectors.replies_to_review(committee_id=committee_id), "today": timezone.localdate(),
        "form": forms.ReviewReplyForm(committee_id=committee_id)})


@login_required
@require_POST
def review_reply(request: HttpRequest, reply_id: int) -> HttpResponse:
    reply = selectors.reply_get_for_user(user=request.user, reply_id=reply_id)
    proposal = _proposal(request, reply.assignment.proposal_id)
    form = forms.ReviewReplyForm(request.POST, committee_id=proposal.committee_id)
    if not form.is_valid():
        return render_detail(request, proposal, status=400, review_reply_form=form)
    d = form.cleaned_data
    response = run(request, proposal, lambda: services.reply_review(
        actor=request.user, reply=reply, approve=d["approve"], note=d["note"], result_class=d["result_class"] or None),
        _("The reply was sent to the proposers.") if d["approve"] else _("The reply was returned to the unit."),
        form_name="review_reply_form", form=form)
    if response.status_code == 302 and request.POST.get("next") == "supervision":
        return redirect("proposals:supervision")
    return response


# Key proposals -----------------------------------------------------------------------------------------

def _key(request: HttpRequest, key_id: int) -> KeyProposal:
    committee_id = _board(request, "proposals.view_statistics")
    key = KeyProposal.objects.filter(pk=key_id, committee_id=committee_id).select_related("proposal").first()
    if key is None:
        raise Http404
    return key


def _rendered_once(form: Any) -> Any:
    """A form drawn once per row: evaluate its drop-downs now, not one query per row."""
    for field in form.fields.values():
        if hasattr(field, "queryset"):
            field.widget.choices = list(field.choices)
    return form


@login_required
def key_list(request: HttpRequest) -> HttpResponse:
    committee_id = _board(request, "proposals.view_statistics")
    year = request.GET.get("year", "")
    keys = selectors.key_proposals(committee_id=committee_id, year=int(year) if year.isdigit() else None)
    excellent = ExcellentProposal.objects.filter(committee_id=committee_id).select_related(
        "proposal", "proposal__lead_member").order_by("-year", "status", "id")
    return render(request, "proposals/office/key_list.html", {
        "keys": keys, "excellent": excellent, "can_manage": request.user.has_perm("proposals.manage_key_proposals"),
        "excellent_form": forms.ExcellentSelectForm(),
        "select_form": _rendered_once(forms.KeySelectForm(committee_id=committee_id)), "plan_form": forms.KeyPlanForm(),
        "activity_form": forms.KeyActivityForm(), "report_form": forms.KeyReportForm()})


@login_required
@require_POST
def key_nominate(request: HttpRequest, proposal_id: int) -> HttpResponse:
    return _review_action(request, proposal_id, forms.KeyNominateForm, "key_form", lambda p, d: services.key_nominate(
        actor=request.user, proposal=p, year=d["year"], reason=d["reason"]), _("Nominated as a key proposal."))


@login_required
@require_POST
def excellent_nominate(request: HttpRequest, proposal_id: int) -> HttpResponse:
    return _review_action(request, proposal_id, forms.KeyNominateForm, "excellent_form",
                          lambda p, d: services.excellent_nominate(actor=request.user, proposal=p, year=d["year"],
                                                                   reason=d["reason"]),
                          _("Nominated as an excellent proposal."), prefix="excellent")


@login_required
@require_POST
def excellent_decide(request: HttpRequest, excellent_id: int) -> HttpResponse:
    committee_id = _board(request, "proposals.view_statistics")
    item = ExcellentProposal.objects.filter(pk=excellent_id, committee_id=committee_id).first()
    if item is None:  # not found before forbidden: another committee's nomination does not exist here
        raise Http404
    form = forms.ExcellentSelectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the decision and the meeting date."))
    else:
        try:
            services.excellent_select(actor=request.user, item=item, selected=form.cleaned_data["selected"],
                                      selected_on=form.cleaned_data["selected_on"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Saved."))
    return redirect("proposals:key_list")


@login_required
@require_POST
def key_step(request: HttpRequest, key_id: int, step: str) -> HttpResponse:
    key = _key(request, key_id)
    committee_id = key.committee_id
    handlers: dict[str, tuple[Any, Callable[[dict[str, Any]], Any]]] = {
        "select": (forms.KeySelectForm(request.POST, committee_id=committee_id), lambda d: services.key_select(
            actor=request.user, key=key, selected=d["selected"], selected_on=d["selected_on"],
            leaders=list(d["leaders"]), office=d["office"])),
        "plan": (forms.KeyPlanForm(request.POST), lambda d: services.key_plan(actor=request.user, key=key,
                                                                              plan=d["plan"])),
        "activity": (forms.KeyActivityForm(request.POST), lambda d: services.key_record_activity(
            actor=request.user, key=key, **d)),
        "report": (forms.KeyReportForm(request.POST), lambda d: services.key_report(actor=request.user, key=key, **d)),
    }
    if step not in handlers:
        raise Http404
    form, call = handlers[step]
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    else:
        try:
            call(form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Saved."))
    return redirect("proposals:key_list")



