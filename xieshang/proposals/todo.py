"""Home-page items of the proposals loop for members, the proposal committee, supervising offices and
leaders (the units' items are in todo_unit.py). Each item has its due date where the rules give one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from xieshang.core.todo import TodoItem
from xieshang.organisation.models import Role
from xieshang.proposals.models import Assignment, Evaluation, Extension, KeyProposal, Proposal, Proposer, Reply
from xieshang.proposals.workflow import AssignmentStatus, ProposalStatus, ReplyStatus

P = ProposalStatus


def member_items(user: Any) -> list[TodoItem]:
    member = user.member
    if member is None:
        return []
    cat = _("Proposals")
    items = []
    for p in Proposal.objects.filter(lead_member=member, status__in=[P.DRAFT, P.RETURNED]).order_by("-updated_at")[:20]:
        items.append(TodoItem(
            title=(_("Revise and resubmit: %(t)s") if p.status == P.RETURNED else _("Finish and submit: %(t)s"))
            % {"t": p.title}, url=reverse("proposals:detail", args=[p.pk]), category=cat,
            detail=p.decision_reason if p.status == P.RETURNED else ""))
    for row in Proposer.objects.filter(member=member, status=Proposer.Status.INVITED, is_lead=False,
                                       proposal__status=P.COSIGNING).select_related("proposal"):
        items.append(TodoItem(title=_("Co-sign or decline: %(t)s") % {"t": row.proposal.title},
                              url=reverse("proposals:detail", args=[row.proposal_id]), category=cat, due=row.due))
    evaluated = Evaluation.objects.filter(member=member).values("reply_id")
    mine = Proposer.objects.filter(member=member, status=Proposer.Status.SIGNED).values("proposal_id")
    replies = Reply.objects.filter(status=ReplyStatus.SENT, assignment__proposal__status__in=[
        P.REPLIED, P.REHANDLING, P.HANDLING]).filter(
        assignment__proposal_id__in=mine).exclude(pk__in=evaluated).select_related(
        "assignment__proposal", "assignment__unit")
    merged_replies = Reply.objects.filter(status=ReplyStatus.SENT, assignment__proposal__status=P.REPLIED,
                                          assignment__proposal__merged_proposals__in=mine).exclude(pk__in=evaluated)
    for r in (replies | merged_replies).distinct().select_related("assignment__proposal", "assignment__unit"):
        items.append(TodoItem(title=_("Evaluate the reply of %(u)s: %(t)s") % {"u": r.assignment.unit.name,
                                                                              "t": r.assignment.proposal.title},
                              url=reverse("proposals:detail", args=[r.assignment.proposal_id]), category=cat,
                              due=r.evaluation_due))
    return items


def _count_item(qs: Any, due_field: str | None, label: Callable[[int], str], url: str, category: str
                ) -> list[TodoItem]:
    count = qs.count()
    if not count:
        return []
    due = qs.aggregate(d=Min(due_field))["d"] if due_field else None
    return [TodoItem(title=label(count) % {"n": count}, url=url, category=category, due=due)]


def staff_items(user: Any) -> list[TodoItem]:
    if user.committee_id is None or not user.has_role(Role.PROPOSAL_STAFF):
        return []
    c, cat = user.committee_id, _("Proposal office")
    proposals = Proposal.objects.filter(committee_id=c)
    today = timezone.localdate()
    decisions = reverse("proposals:decisions")
    return [
        *_count_item(proposals.filter(status__in=[P.SUBMITTED, P.REVIEW]), "review_due",
                     lambda n: ngettext("%(n)d proposal to review", "%(n)d proposals to review", n),
                     reverse("proposals:review_queue"), cat),
        *_count_item(proposals.filter(status=P.FILED), "assign_due",
                     lambda n: ngettext("%(n)d filed proposal to assign", "%(n)d filed proposals to assign", n),
                     reverse("proposals:assignment_board"), cat),
        *_count_item(Assignment.objects.filter(committee_id=c, status=AssignmentStatus.OBJECTED), None,
                     lambda n: ngettext("%(n)d objection to decide", "%(n)d objections to decide", n), decisions, cat),
        *_count_item(Extension.objects.filter(assignment__committee_id=c, status=Extension.Status.PENDING), None,
                     lambda n: ngettext("%(n)d extension request to decide", "%(n)d extension requests to decide", n),
                     decisions, cat),
        *_count_item(proposals.filter(status=P.REPLIED, assignments__replies__evaluations__result="dissatisfied"
                                      ).distinct(), None,
                     lambda n: ngettext("%(n)d dissatisfied proposer to answer",
                                        "%(n)d dissatisfied proposers to answer", n), decisions, cat),
        *_count_item(Assignment.objects.filter(committee_id=c, status=AssignmentStatus.HANDLING,
                                               reply_due__lt=today).exclude(role="co"), "reply_due",
                     lambda n: ngettext("%(n)d overdue reply", "%(n)d overdue replies", n),
                     reverse("proposals:overdue"), cat),
    ]


def supervisor_items(user: Any) -> list[TodoItem]:
    if user.committee_id is None or not user.has_role(Role.SUPERVISOR, Role.PROPOSAL_STAFF):
        return []
    return _count_item(Reply.objects.filter(assignment__committee_id=user.committee_id, status=ReplyStatus.IN_REVIEW),
                       "review_due", lambda n: ngettext("%(n)d reply to review", "%(n)d replies to review", n),
                       reverse("proposals:supervision"), _("Supervision"))


def leader_items(user: Any) -> list[TodoItem]:
    if user.committee_id is None or not user.has_role(Role.LEADER):
        return []
    leader_ids = user.scope_ids(Role.LEADER, "leader")
    keys = KeyProposal.objects.filter(committee_id=user.committee_id, leaders__in=leader_ids, status__in=[
        KeyProposal.Status.SELECTED, KeyProposal.Status.PLANNED, KeyProposal.Status.SUPERVISING]).select_related(
        "proposal").distinct()
    return [TodoItem(title=_("Key proposal you supervise: %(t)s") % {"t": k.proposal.title},
                     url=reverse("proposals:detail", args=[k.proposal_id]), category=_("Key proposals"),
                     detail=k.get_status_display()) for k in keys]
