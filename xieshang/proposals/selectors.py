"""Visibility-filtered reads of proposals. Who sees what:

- proposal-committee staff, office staff, administrators, supervising offices and leaders: every proposal
  of the committee once submitted;
- a member: their own proposals (as first proposer, co-signer or invitee) in any state, and every filed
  proposal of the committee;
- a handling unit: the proposals assigned to it.

Anything else is not found (404)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from xieshang.organisation.models import Role
from xieshang.proposals.models import (
    Assignment,
    CohandlerOpinion,
    ContactRecord,
    Evaluation,
    Extension,
    KeyProposal,
    Proposal,
    Proposer,
    Reply,
    ReplyCosign,
)
from xieshang.proposals.workflow import OPEN_ASSIGNMENT, AssignmentStatus, ProposalStatus, ReplyStatus

P, A, R = ProposalStatus, AssignmentStatus, ReplyStatus
PRE_SUBMISSION = (P.DRAFT, P.COSIGNING)
FILED_ONWARDS = (P.FILED, P.HANDLING, P.REPLIED, P.REHANDLING, P.FOLLOW_UP, P.CLOSED)
SEES_ALL = (Role.PROPOSAL_STAFF, Role.OFFICE_STAFF, Role.COMMITTEE_ADMIN, Role.SUPERVISOR, Role.LEADER)


def _committee_id(user: Any) -> int:
    if not user.is_authenticated or user.committee_id is None or not user.role_codes:
        raise Http404
    return user.committee_id


def unit_ids(user: Any) -> set[int]:
    return user.scope_ids(Role.UNIT_LIAISON, "handling_unit") | user.scope_ids(Role.UNIT_LEADER, "handling_unit")


def visible_proposals(user: Any) -> QuerySet[Proposal]:
    committee_id = _committee_id(user)
    qs = Proposal.objects.filter(committee_id=committee_id)
    staff_q = ~Q(status__in=PRE_SUBMISSION) if user.has_role(*SEES_ALL) else Q(pk__in=[])
    member = user.member
    member_q = Q(pk__in=[])
    if member is not None:
        member_q = Q(status__in=FILED_ONWARDS) | Q(pk__in=Proposer.objects.filter(member=member).values(
            "proposal_id"))
    units = unit_ids(user)
    unit_q = Q(pk__in=Assignment.objects.filter(unit_id__in=units).exclude(status=A.CANCELLED).values(
        "proposal_id")) if units else Q(pk__in=[])
    return qs.filter(staff_q | member_q | unit_q)


@dataclass(frozen=True)
class ProposalFilters:
    q: str = ""
    session: int | None = None
    status: str = ""
    category: str = ""
    unit: int | None = None
    kind: str = ""
    mine: bool = False
    overdue: bool = False


def proposal_list_for_user(*, user: Any, filters: ProposalFilters | None = None) -> QuerySet[Proposal]:
    f = filters or ProposalFilters()
    qs = visible_proposals(user)
    if f.q:
        qs = qs.filter(Q(title__contains=f.q) | Q(suggestions__contains=f.q) | Q(lead_member__name__contains=f.q)
                       | Q(proposer_text__contains=f.q))
    if f.session:
        qs = qs.filter(session_id=f.session)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.unit:
        qs = qs.filter(assignments__unit_id=f.unit).exclude(assignments__status=A.CANCELLED)
    if f.mine and user.member is not None:
        qs = qs.filter(proposers__member=user.member)
    if f.overdue:
        today = timezone.localdate()
        qs = qs.filter(assignments__status=A.HANDLING, assignments__reply_due__lt=today)
    if f.unit or f.mine or f.overdue:
        # Those filters join to-many tables; only then can a proposal appear twice. DISTINCT over every
        # column is expensive on a province-sized table, so it is not paid otherwise.
        qs = qs.distinct()
    return qs.select_related("session", "session__term", "lead_member").prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.exclude(status=A.CANCELLED).select_related("unit")
                 .order_by("role", "id"))
    ).order_by("-session__opens_on", "number", "-submitted_at", "-id")


def proposal_get_for_user(*, user: Any, proposal_id: int) -> Proposal:
    try:
        return visible_proposals(user).select_related(
            "session", "session__term", "lead_member", "lead_member__sector", "merged_into", "decided_by"
        ).prefetch_related(
            Prefetch("proposers", queryset=Proposer.objects.select_related("member", "member__sector")),
            "merged_proposals",
        ).get(pk=proposal_id)
    except Proposal.DoesNotExist as exc:
        raise Http404 from exc


def proposal_dossier(proposal: Proposal) -> list[Assignment]:
    """Every assignment of a proposal with its contacts, opinions, replies, co-signatures and evaluations,
    in a fixed number of queries."""
    return list(proposal.assignments.select_related("unit").prefetch_related(
        Prefetch("contacts", queryset=ContactRecord.objects.order_by("happened_on")),
        "opinions",
        Prefetch("replies", queryset=Reply.objects.order_by("round").prefetch_related(
            Prefetch("evaluations", queryset=Evaluation.objects.select_related("member")),
            Prefetch("cosigns", queryset=ReplyCosign.objects.select_related("assignment__unit")),
        )),
        Prefetch("extensions", queryset=Extension.objects.order_by("-requested_at")),
    ).order_by("status", "role", "id"))


def assignment_get_for_user(*, user: Any, assignment_id: int) -> Assignment:
    """A unit reaches its own assignments; staff and supervisors reach all of their committee's."""
    committee_id = _committee_id(user)
    qs = Assignment.objects.filter(committee_id=committee_id).select_related("proposal", "unit")
    if not user.has_role(*SEES_ALL):
        qs = qs.filter(unit_id__in=unit_ids(user))
    try:
        return qs.get(pk=assignment_id)
    except Assignment.DoesNotExist as exc:
        raise Http404 from exc


def unit_inbox(*, user: Any, include_done: bool = False) -> QuerySet[Assignment]:
    """A unit's assignments, the ones awaiting action first, by due date."""
    committee_id = _committee_id(user)
    qs = Assignment.objects.filter(committee_id=committee_id, unit_id__in=unit_ids(user))
    if not include_done:
        qs = qs.filter(status__in=OPEN_ASSIGNMENT)
    pending_cosign = ReplyCosign.objects.filter(assignment=OuterRef("pk"), signed_at__isnull=True,
                                                reply__status=R.COSIGNING)
    return qs.select_related("proposal", "proposal__lead_member", "unit").annotate(
        contact_count=Count("contacts", distinct=True), needs_cosign=Exists(pending_cosign),
    ).order_by("reply_due", "id")


def review_queue(*, committee_id: int) -> QuerySet[Proposal]:
    return Proposal.objects.filter(committee_id=committee_id, status__in=[P.SUBMITTED, P.REVIEW]).select_related(
        "lead_member", "session").annotate(cosigner_count=Count("proposers")).order_by("review_due", "submitted_at")


def assignment_queue(*, committee_id: int) -> QuerySet[Proposal]:
    return Proposal.objects.filter(committee_id=committee_id, status=P.FILED).select_related(
        "lead_member", "session").order_by("assign_due", "number")


@dataclass
class OverdueBoard:
    assignments: list[Assignment]
    reviews: list[Proposal]
    unassigned: list[Proposal]
    replies: list[Reply]
    evaluations: list[Reply]


def overdue_board(*, committee_id: int, on: dt.date | None = None) -> OverdueBoard:
    """Everything past its due date, whoever must act: units, the proposal committee, reviewers, proposers."""
    today = on or timezone.localdate()
    handling = Assignment.objects.filter(committee_id=committee_id).select_related("proposal", "unit")
    opinion_given = CohandlerOpinion.objects.filter(assignment=OuterRef("pk"), round=OuterRef("round"))
    late_units = list(handling.filter(status__in=[A.ASSIGNED, A.HANDLING]).filter(
        Q(status=A.HANDLING, role__in=["lead", "sole", "separate"], reply_due__lt=today)
        | (Q(status=A.HANDLING, role="co", opinion_due__lt=today) & ~Exists(opinion_given))
    ).prefetch_related("opinions").order_by("reply_due"))
    evaluated = Evaluation.objects.filter(reply=OuterRef("pk"))
    return OverdueBoard(
        assignments=late_units,
        reviews=list(review_queue(committee_id=committee_id).filter(review_due__lt=today)),
        unassigned=list(assignment_queue(committee_id=committee_id).filter(assign_due__lt=today)),
        replies=list(Reply.objects.filter(assignment__committee_id=committee_id, status=R.IN_REVIEW,
                                          review_due__lt=today).select_related("assignment__proposal",
                                                                               "assignment__unit")),
        evaluations=list(Reply.objects.filter(
            assignment__committee_id=committee_id, status=R.SENT, evaluation_due__lt=today,
            assignment__proposal__status=P.REPLIED).annotate(has_eval=Exists(evaluated)).select_related(
                "assignment__proposal", "assignment__unit")),
    )


def replies_to_review(*, committee_id: int) -> QuerySet[Reply]:
    return Reply.objects.filter(assignment__committee_id=committee_id, status=R.IN_REVIEW).select_related(
        "assignment__proposal", "assignment__unit").annotate(
        contact_count=Count("assignment__contacts", distinct=True)).order_by("review_due", "id")


def key_proposals(*, committee_id: int, year: int | None = None) -> QuerySet[KeyProposal]:
    qs = KeyProposal.objects.filter(committee_id=committee_id)
    if year:
        qs = qs.filter(year=year)
    return qs.select_related("proposal", "proposal__lead_member", "supervising_office").prefetch_related(
        "leaders", "activities").order_by("-year", "status", "id")


def proposal_timeline(proposal: Proposal) -> QuerySet[Any]:
    """Every event of a proposal, its assignments and their replies, oldest first."""
    from django.contrib.contenttypes.models import ContentType

    from xieshang.ledger.models import Event

    assignment_ids = list(proposal.assignments.values_list("pk", flat=True))
    reply_ids = list(Reply.objects.filter(assignment_id__in=assignment_ids).values_list("pk", flat=True))
    types = ContentType.objects.get_for_models(Proposal, Assignment, Reply)
    return Event.objects.filter(committee_id=proposal.committee_id).filter(
        Q(target_type=types[Proposal], target_id=proposal.pk)
        | Q(target_type=types[Assignment], target_id__in=assignment_ids)
        | Q(target_type=types[Reply], target_id__in=reply_ids)
    ).select_related("actor").order_by("created_at", "id")


def reply_get_for_user(*, user: Any, reply_id: int) -> Reply:
    """A reply is reachable when its proposal is; drafts only to its unit and staff."""
    try:
        reply = Reply.objects.select_related("assignment", "assignment__proposal", "assignment__unit").get(
            pk=reply_id, assignment__committee_id=_committee_id(user))
    except Reply.DoesNotExist as exc:
        raise Http404 from exc
    if not visible_proposals(user).filter(pk=reply.assignment.proposal_id).exists():
        raise Http404
    if reply.status != R.SENT and not can_see_reply_drafts(user, reply):
        raise Http404
    return reply


# Drafts of a reply are the unit's working papers: its own people, the units that must co-sign it, and the
# offices that review it see them; leaders and members only see what was sent.
REPLY_DRAFT_ROLES = (Role.PROPOSAL_STAFF, Role.OFFICE_STAFF, Role.COMMITTEE_ADMIN, Role.SUPERVISOR)


def can_see_reply_drafts(user: Any, reply: Reply) -> bool:
    if user.has_role(*REPLY_DRAFT_ROLES):
        return True
    units = unit_ids(user)
    return reply.assignment.unit_id in units or reply.cosigns.filter(assignment__unit_id__in=units).exists()
