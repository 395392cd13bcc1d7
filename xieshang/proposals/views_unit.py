"""The handling unit's working screens (承办单位): the inbox of its assignments and the workspace of one
assignment, where the liaison accepts, meets the proposer, drafts the reply and the unit's leader signs it off.

Every action posts to its own URL and calls one service. A refusal (DomainError) is shown beside the form
that caused it, with what the user typed still in it; with htmx only the workspace (or the inbox) is
redrawn, without it the whole page is."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from xieshang.core.errors import DomainError
from xieshang.ledger.selectors import events_for_object
from xieshang.organisation.models import PlenarySession, Role
from xieshang.proposals import selectors, services
from xieshang.proposals.forms_unit import (
    AcceptForm,
    ContactForm,
    CosignForm,
    ExtensionForm,
    InboxFilterForm,
    LetterForm,
    ObjectForm,
    OpinionForm,
    ReplyForm,
    SubmitForm,
    rule_label,
)
from xieshang.proposals.models import Assignment, CohandlerOpinion, Extension, Proposal, Reply, ReplyCosign
from xieshang.proposals.permissions import is_proposer
from xieshang.proposals.services.handling import reply_problems
from xieshang.proposals.todo_unit import unit_worklist
from xieshang.proposals.workflow import AssignmentStatus, ReplyStatus
from xieshang.ruleset.selectors import rules_for
from xieshang.ruleset.workdays import WorkCalendar

A, R = AssignmentStatus, ReplyStatus
EDITABLE_REPLY = (R.DRAFT, R.RETURNED)
# Who may read a reply's signed letter besides the unit itself (and, once sent, its proposers).
LETTER_READERS = (Role.PROPOSAL_STAFF, Role.OFFICE_STAFF, Role.COMMITTEE_ADMIN, Role.SUPERVISOR)

VERB_LABELS: dict[str, Any] = {
    "proposals.assigned": gettext_lazy("Assigned to the unit"),
    "proposals.assignment_accepted": gettext_lazy("Accepted"),
    "proposals.assignment_objected": gettext_lazy("Objection raised"),
    "proposals.objection_refused": gettext_lazy("Objection not accepted; the assignment stands"),
    "proposals.reassigned": gettext_lazy("Reassigned to another unit"),
    "proposals.assignment_stood": gettext_lazy("The objection window passed; the assignment stands"),
    "proposals.contact_recorded": gettext_lazy("Contact with the proposer recorded"),
    "proposals.opinion_given": gettext_lazy("Opinion sent to the lead unit"),
    "proposals.extension_requested": gettext_lazy("Extension requested"),
    "proposals.extension_approved": gettext_lazy("Extension approved"),
    "proposals.extension_refused": gettext_lazy("Extension refused"),
    "proposals.overdue_escalated": gettext_lazy("Overdue; reported to the proposal committee"),
    "proposals.assignment_replied": gettext_lazy("Reply sent to the proposers"),
    "proposals.assignment_closed": gettext_lazy("Closed"),
    "proposals.assignment_rehandling": gettext_lazy("To be handled again"),
    "proposals.reply_drafted": gettext_lazy("Reply drafted"),
    "proposals.reply_edited": gettext_lazy("Reply edited"),
    "proposals.reply_submitted": gettext_lazy("Reply signed off by the unit's leader"),
    "proposals.reply_cosigned": gettext_lazy("Reply co-signed"),
    "proposals.reply_cosigned_all": gettext_lazy("All co-handlers signed; reply sent for review"),
    "proposals.reply_returned": gettext_lazy("Reply returned by the supervising office"),
    "proposals.reply_sent": gettext_lazy("Reply approved and sent"),
    "proposals.letter_attached": gettext_lazy("Signed letter uploaded"),
    "proposals.evaluated": gettext_lazy("Evaluated by a proposer"),
}

# Numbered points of a proposal's suggestions: 一、 二、, 一是 二是, 1. 2、, （一） (1); a number counts only at
# the start of the text or after a break, so "3.5亿元" or "其中一是" inside a sentence stays whole.
_NUMBER = r"(?:[一二三四五六七八九十]{1,3}[、是]|\d{1,2}[、.．](?!\d)|[（(][一二三四五六七八九十\d]{1,3}[)）])"
_POINT = re.compile(r"(?:^|(?<=[\s。；;：:]))(?=" + _NUMBER + ")")
_NUMBERING = re.compile(r"^" + _NUMBER + r"\s*")


def suggestion_points(text: str) -> list[str]:
    """The proposal's suggestions split into the points a reply answers one by one; one point when the
    text is not numbered."""
    parts = [p.strip() for p in _POINT.split(text or "") if p.strip()]
    if len(parts) > 1 and parts[0].endswith(("：", ":")) and not _NUMBERING.match(parts[0]):
        parts = parts[1:]  # a lead-in such as "建议：" is not a point
    return parts


def reply_outline(points: list[str]) -> str:
    """One heading per suggestion, for the reply to answer them in order (逐条答复)."""
    lines = []
    for n, point in enumerate(points, 1):
        gist = re.split(r"[，,。；;：:]", _NUMBERING.sub("", point), maxsplit=1)[0][:30]
        lines += [_("%(n)d. On “%(point)s”") % {"n": n, "point": gist}, ""]  # the answer goes below each
    return "\n".join(lines).rstrip() + "\n"


def _form(name: str, *args: Any, **kwargs: Any) -> forms.Form:
    """The form of one action; ids carry the action's name, since every panel shares the page."""
    return ACTIONS[name].form(*args, auto_id=f"id_{name}_%s", **kwargs)


# ---------------------------------------------------------------------------------------------- access


def _require_unit_user(request: HttpRequest) -> set[int]:
    """The units this user answers for; anyone else (staff included) finds nothing here."""
    units = selectors.unit_ids(request.user) if request.user.committee_id is not None else set()
    if not units:
        raise Http404
    return units


def _unit_assignment(request: HttpRequest, assignment_id: int) -> Assignment:
    """An assignment of one of the user's own units; another unit's, another committee's or a cancelled
    one is not found."""
    assignment = selectors.assignment_get_for_user(user=request.user, assignment_id=assignment_id)
    if assignment.unit_id not in selectors.unit_ids(request.user) or assignment.status == A.CANCELLED:
        raise Http404
    return assignment


def _current_reply(assignment: Assignment) -> Reply | None:
    return assignment.replies.filter(round=assignment.round).first()


# ----------------------------------------------------------------------------------------------- inbox


def _sessions(user: Any) -> list[PlenarySession]:
    return list(PlenarySession.objects.filter(committee_id=user.committee_id).select_related("term"))


def _inbox_context(request: HttpRequest, source: Any) -> dict[str, Any]:
    form = InboxFilterForm(source or None, sessions=_sessions(request.user))
    work = unit_worklist(request.user, **form.filters())
    units = sorted({r.handling_unit for r in request.user.role_assignments if r.handling_unit_id is not None},
                   key=lambda u: u.name)
    return {"form": form, "work": work, "sections": work.sections(), "today": timezone.localdate(), "units": units,
            "counts": [(key, label, len(rows)) for key, label, rows in work.sections()],
            "filtered": bool(form.filters()["q"] or form.filters()["session"])}


def _inbox_response(request: HttpRequest, *, notice: str = "", row_error: tuple[int, str] | None = None,
                    status: int = 200) -> HttpResponse:
    """The inbox after an inline action: its body for htmx, else the page (a redirect after success)."""
    source = {k: v for k, v in request.POST.items() if k in ("q", "session")}
    if notice and not request.htmx:
        messages.success(request, notice)
        query = urlencode({k: v for k, v in source.items() if v})
        return redirect(reverse("proposals:unit_inbox") + (f"?{query}" if query else ""))
    context = _inbox_context(request, source)
    context.update(notice=notice, row_error=row_error, posted=request.POST)
    template = "proposals/unit/_inbox_body.html" if request.htmx else "proposals/unit/inbox.html"
    return render(request, template, context, status=200 if request.htmx else status)


@require_GET
@login_required
def unit_inbox(request: HttpRequest) -> HttpResponse:
    _require_unit_user(request)
    context = _inbox_context(request, request.GET)
    template = "proposals/unit/_inbox_body.html" if request.htmx else "proposals/unit/inbox.html"
    return render(request, template, context)


# ------------------------------------------------------------------------------------------- workspace


@dataclass
class Due:
    label: str
    date: dt.date | None
    days_left: int | None = None
    overdue: bool = False
    done: bool = False
    note: str = ""
    done_label: str = ""

    @property
    def late(self) -> int:
        return -self.days_left if self.overdue and self.days_left is not None and self.days_left < 0 else 0


def _dues(assignment: Assignment, *, reply: Reply | None, contacts: int, opinion: bool,
          cal: WorkCalendar, today: dt.date) -> list[Due]:
    a = assignment
    open_ = a.status in (A.ASSIGNED, A.OBJECTED, A.HANDLING)
    replied = a.status in (A.REPLIED, A.CLOSED) or (reply is not None and reply.status != R.DRAFT
                                                    and reply.status != R.RETURNED)

    def due(label: str, date: dt.date | None, *, done: bool, late_counts: bool = True, note: str = "",
            done_label: str = "") -> Due:
        item = Due(label=label, date=date, done=done, note=note, done_label=done_label)
        if date is not None and not done:
            item.days_left = cal.working_days_between(today, date)
            item.overdue = late_counts and open_ and date < today
        return item

    sent = a.status in (A.REPLIED, A.CLOSED)
    reply_done = _("Sent") if sent else _("Signed off")
    items = [due(_("Objection window ends"), a.objection_due, done=a.status != A.ASSIGNED, late_counts=False,
                 done_label=_("Accepted") if a.accepted_at else _("Objected") if a.status == A.OBJECTED else "",
                 note=_("closed; the assignment stands") if a.status == A.ASSIGNED and a.objection_due < today
                 else "")]
    if a.role == Assignment.Role.CO:
        items.append(due(_("Opinion to the lead unit due"), a.opinion_due, done=opinion, done_label=_("Sent")))
        items.append(due(_("Lead unit's reply due"), a.reply_due, done=sent, late_counts=False,
                         done_label=_("Sent")))
    else:
        items.append(due(_("First contact with the proposer due"), a.first_contact_due, done=contacts > 0,
                         done_label=_("Contacted")))
        items.append(due(_("Reply due"), a.reply_due, done=replied, done_label=reply_done))
    items.append(due(_("Latest possible reply date"), a.hard_due, done=replied, late_counts=False,
                     note=_("hard maximum, extensions included"), done_label=reply_done))
    return items


def _history(assignment: Assignment, replies: list[Reply]) -> list[Any]:
    events = list(events_for_object(committee_id=assignment.committee_id, target=assignment))
    for reply in replies:
        events += list(events_for_object(committee_id=assignment.committee_id, target=reply))
    events.sort(key=lambda e: (e.created_at, e.pk))
    for e in events:
        e.label = VERB_LABELS.get(e.verb, e.verb)
    return events


def _workspace_context(request: HttpRequest, assignment: Assignment, *, bound: dict[str, forms.Form] | None = None,
                       error: str = "", panel: str = "", notice: str = "") -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    proposal = selectors.proposal_get_for_user(user=user, proposal_id=assignment.proposal_id)
    rules = rules_for(committee_id=assignment.committee_id)
    cal = WorkCalendar.for_committee(assignment.committee_id)
    others = list(proposal.assignments.exclude(status=A.CANCELLED).exclude(pk=assignment.pk)
                  .select_related("unit").order_by("role", "id"))
    contacts = list(assignment.contacts.select_related("recorded_by").order_by("happened_on", "id"))
    replies = list(assignment.replies.order_by("round"))
    reply = next((r for r in replies if r.round == assignment.round), None)
    earlier_replies = [r for r in replies if r.round != assignment.round]
    is_co = assignment.role == Assignment.Role.CO
    handling = assignment.status == A.HANDLING
    own_opinion = assignment.opinions.filter(round=assignment.round).first() if is_co else None
    cosign_request = (ReplyCosign.objects.filter(assignment=assignment).select_related(
        "reply", "reply__assignment__unit").order_by("-id").first() if is_co else None)
    cosign_pending = bool(cosign_request and cosign_request.signed_at is None
                          and cosign_request.reply.status == R.COSIGNING)
    cosigns = list(reply.cosigns.select_related("assignment__unit", "signed_by")) if reply else []
    opinions = list(CohandlerOpinion.objects.filter(
        assignment__proposal=proposal, assignment__role=Assignment.Role.CO).exclude(
        assignment__status=A.CANCELLED).select_related("assignment__unit").order_by("assignment__unit__name",
                                                                                    "round")
                    ) if assignment.role == Assignment.Role.LEAD else []
    extensions = list(assignment.extensions.all())
    pending_extension = next((e for e in extensions if e.status == Extension.Status.PENDING), None)
    is_leader = user.has_perm("proposals.sign_off_reply", assignment)
    reply_editable = (assignment.replies_to_proposer and handling
                      and (reply is None or reply.status in EDITABLE_REPLY))
    panels = {
        "accept": assignment.status == A.ASSIGNED,
        "object": assignment.status == A.ASSIGNED and today <= assignment.objection_due,
        "contact": handling,
        "opinion": is_co and handling and own_opinion is None,
        "reply": reply_editable,
        "submit": reply_editable and reply is not None,
        "cosign": cosign_pending,
        "letter": (assignment.replies_to_proposer and reply is not None and (bool(reply.body)
                                                                             or reply.status != R.DRAFT)),
        "extension": (assignment.replies_to_proposer and assignment.status in (A.ASSIGNED, A.HANDLING)
                      and pending_extension is None and today <= assignment.reply_due),
    }
    classes = rules["proposal.reply_classes"]
    bound = bound or {}
    form_for: dict[str, forms.Form] = {
        name: _form(name) for name in ("accept", "object", "opinion", "submit", "cosign", "letter")}
    form_for["contact"] = _form("contact", initial={"happened_on": today})
    form_for["reply"] = _form("reply", reply_classes=classes, reply=reply, initial=None if reply else {
        "signatory": assignment.unit.principal, "contact_phone": assignment.unit.phone})
    form_for["extension"] = _form("extension", initial={"requested_due": assignment.hard_due})
    form_for.update(bound)
    categories = {c["code"]: rule_label(c) for c in rules["proposal.categories"]}
    points = suggestion_points(proposal.suggestions)
    class_labels = {c["code"]: rule_label(c) for c in classes}
    return {
        "assignment": assignment, "proposal": proposal, "today": today, "others": others,
        "lead": next((o for o in others if o.role == Assignment.Role.LEAD), None),
        "proposers": [p for p in proposal.proposers.all() if p.status == "signed" or p.is_lead],
        "category_label": categories.get(proposal.category, proposal.category),
        "points": points, "outline": reply_outline(points),
        "opening": _("Your proposal “%(title)s” has been received. Our reply is as follows:")
        % {"title": proposal.title},
        "dues": _dues(assignment, reply=reply, contacts=len(contacts), opinion=own_opinion is not None, cal=cal,
                      today=today),
        "contacts": contacts, "reply": reply, "earlier_replies": earlier_replies, "cosigns": cosigns,
        "reply_problems": reply_problems(reply) if panels["submit"] and reply is not None else [],
        "class_label": class_labels.get(reply.result_class, "") if reply else "",
        "own_opinion": own_opinion, "opinions": opinions,
        "missing_opinions": [o for o in others if o.role == Assignment.Role.CO
                             and o.pk not in {op.assignment_id for op in opinions}],
        "cosign_request": cosign_request, "cosign_pending": cosign_pending,
        "extensions": extensions, "pending_extension": pending_extension,
        "is_leader": is_leader, "is_co": is_co, "handling": handling, "panels": panels, "forms": form_for,
        "error": error, "error_panel": panel if panel and panels.get(panel) else "", "notice": notice,
        "typed": _typed(bound.get(panel)) if panel and not panels.get(panel) else [],
        "history": _history(assignment, replies),
        "letter_url": reverse("proposals:reply_letter_download", args=[reply.pk])
        if reply is not None and reply.signed_letter else "",
        "letter_name": PurePosixPath(reply.signed_letter.name).name if reply is not None and reply.signed_letter
        else "",
    }


def _typed(form: forms.Form | None) -> list[tuple[str, str]]:
    """What the user typed into a form whose panel is gone (its state moved on), so it is not lost."""
    if form is None or not form.is_bound:
        return []
    return [(str(f.label), str(f.value())) for f in form.visible_fields()
            if isinstance(f.value(), str) and f.value().strip()]


def _render_workspace(request: HttpRequest, assignment: Assignment, *, status: int = 200,
                      **kwargs: Any) -> HttpResponse:
    context = _workspace_context(request, assignment, **kwargs)
    template = "proposals/unit/_workspace.html" if request.htmx else "proposals/unit/workspace.html"
    return render(request, template, context, status=200 if request.htmx else status)


@require_GET
@login_required
def unit_assignment(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = selectors.assignment_get_for_user(user=request.user, assignment_id=assignment_id)
    if assignment.unit_id not in selectors.unit_ids(request.user) or assignment.status == A.CANCELLED:
        # Staff and supervisors reach every assignment through the proposal's page; no one else sees it.
        if request.user.has_role(*selectors.SEES_ALL):
            return redirect(reverse("proposals:detail", args=[assignment.proposal_id]) + f"#assignment-{assignment.pk}")
        raise Http404
    return _render_workspace(request, assignment)


# --------------------------------------------------------------------------------------------- actions


def _need_reply(assignment: Assignment) -> Reply:
    reply = _current_reply(assignment)
    if reply is None:
        raise DomainError(_("Draft the reply first."))
    return reply


def _do_accept(user: Any, a: Assignment, data: dict[str, Any]) -> str:
    services.assignment_accept(actor=user, assignment=a)
    return _("Accepted. The proposal is now being handled by your unit.")


def _do_object(user: Any, a: Assignment, data: dict[str, Any]) -> str:
    services.assignment_object(actor=user, assignment=a, reason=data["reason"])
    return _("Your objection was sent to the proposal committee, which decides.")


def _do_contact(user: Any, a: Assignment, data: dict[str, Any]) -> str:
    services.contact_record(actor=user, assignment=a, happened_on=data["happened_on"], method=data["method"],
                            summary=data["summary"], participants=data["participants"])
    return _("Contact recorded.")


def _do_opinion(user: Any, a: Assignment, data: dict[str, Any]) -> str:
    services.cohandler_opinion_submit(actor=user, assignment=a, body=data["body"])
    return _("Your opinion was sent to the lead unit.")


def _do_reply(user: Any, a: Assignment, data: dict[str, Any]) -> str:
    services.reply_save_draft(actor=user, assignment=a, **data)
    return _("Reply draft saved.")


def _do_submit(user: Any, a: Assignment, data: dict[str, Any]) -> str:
    reply = services.reply_submit(actor=user, reply=_need_reply(a))
    if reply.status == R.COSIGNING:
        return _("Signed off. The co-handling units are asked to co-sign the reply.")
    return _("Signed off and sent to the supervising office for review.")


def _do_cosign(user: Any, a: Assignment, data: dict[str, Any]) -> str:
    pending = ReplyCosign.objects.filter(assignment=a, signed_at__isnull=True, reply__status=R.COSIGNING
                                         ).select_related("reply").first()
    if pending is None:
        raise DomainError(_("No reply awaits your unit's co-signature."))
    services.reply_cosign(actor=user, reply=pending.reply, assignment=a, note=data["note"])
    return _("Co-signed. Thank you.")


def _do_letter(user: Any, a: Assignment, data: dict[str, Any]) -> str:
    services.reply_attach_signed_letter(actor=user, reply=_need_reply(a), upload=data["letter"])
    return _("Signed letter uploaded.")


def _do_extension(user: Any, a: Assignment, data: dict[str, Any]) -> str:
    services.extension_request(actor=user, assignment=a, reason=data["reason"], requested_due=data["requested_due"])
    return _("Extension requested; the proposal committee decides.")


@dataclass(frozen=True)
class Action:
    form: type[forms.Form]
    run: Callable[[Any, Assignment, dict[str, Any]], str]


ACTIONS: dict[str, Action] = {
    "accept": Action(AcceptForm, _do_accept),
    "object": Action(ObjectForm, _do_object),
    "contact": Action(ContactForm, _do_contact),
    "opinion": Action(OpinionForm, _do_opinion),
    "reply": Action(ReplyForm, _do_reply),
    "submit": Action(SubmitForm, _do_submit),
    "cosign": Action(CosignForm, _do_cosign),
    "letter": Action(LetterForm, _do_letter),
    "extension": Action(ExtensionForm, _do_extension),
}


def _perform(request: HttpRequest, assignment_id: int, name: str) -> HttpResponse:
    assignment = _unit_assignment(request, assignment_id)
    action = ACTIONS[name]
    kwargs: dict[str, Any] = {}
    if action.form is ReplyForm:
        kwargs["reply_classes"] = rules_for(committee_id=assignment.committee_id)["proposal.reply_classes"]
    form = _form(name, request.POST, request.FILES, **kwargs)
    from_inbox = request.POST.get("return_to") == "inbox"
    if form.is_valid():
        try:
            notice = action.run(request.user, assignment, form.cleaned_data)
        except DomainError as exc:
            error = exc.message
        else:
            if from_inbox:
                return _inbox_response(request, notice=notice)
            if not request.htmx:
                messages.success(request, notice)
                return redirect(reverse("proposals:unit_assignment", args=[assignment.pk]) + f"#panel-{name}")
            return _render_workspace(request, _unit_assignment(request, assignment_id), notice=notice)
    else:
        error = _("Please correct the marked fields.")
    if from_inbox:
        return _inbox_response(request, row_error=(assignment.pk, error), status=400)
    return _render_workspace(request, assignment, bound={name: form}, error=error, panel=name, status=400)


def _action_view(name: str) -> Callable[[HttpRequest, int], HttpResponse]:
    @require_POST
    @login_required
    def view(request: HttpRequest, assignment_id: int) -> HttpResponse:
        return _perform(request, assignment_id, name)

    view.__name__ = view.__qualname__ = f"unit_{name}"
    view.__doc__ = f"POST: the unit's “{name}” action on its assignment."
    return view


unit_accept = _action_view("accept")
unit_object = _action_view("object")
unit_contact = _action_view("contact")
unit_opinion = _action_view("opinion")
unit_reply = _action_view("reply")
unit_submit = _action_view("submit")
unit_cosign = _action_view("cosign")
unit_letter = _action_view("letter")
unit_extension = _action_view("extension")


# ------------------------------------------------------------------------------------------ the letter


def _may_read_letter(user: Any, reply: Reply) -> bool:
    """Narrower than seeing the reply: members who did not propose it do not get the stamped letter."""
    assignment = reply.assignment
    if assignment.unit_id in selectors.unit_ids(user) or user.has_role(*LETTER_READERS):
        return True
    proposal: Proposal = assignment.proposal
    return reply.status == R.SENT and user.has_role(Role.MEMBER) and is_proposer(user, proposal)


@require_GET
@login_required
def reply_letter_download(request: HttpRequest, reply_id: int) -> HttpResponse:
    """The signed letter, for those who may see the reply; anyone else finds nothing (404)."""
    reply = selectors.reply_get_for_user(user=request.user, reply_id=reply_id)
    if not reply.signed_letter or not _may_read_letter(request.user, reply):
        raise Http404
    name = f"{reply.assignment.proposal.reference or reply.assignment.proposal_id}-{reply.assignment.unit_id}" \
           f"-{reply.round}.pdf"
    return FileResponse(reply.signed_letter.open("rb"), content_type="application/pdf", filename=name)
