"""The proposal committee reviews submitted proposals (初审/复审): files them, declines to file them with
a ground and a reason the proposer sees, merges duplicates, or returns them for revision."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.errors import DomainError
from xieshang.organisation.models import PlenarySession
from xieshang.proposals import workflow
from xieshang.proposals.models import Proposal
from xieshang.proposals.services._common import (
    calendar,
    lock_proposal,
    proposal_url,
    require,
    rules,
    signed_member_ids,
    tell,
    today,
    transition,
    users_of_members,
)
from xieshang.proposals.workflow import PROPOSAL_TRANSITIONS, ProposalStatus

P = ProposalStatus
LABEL = "the proposal"


def proposal_pre_review(*, actor: Any, proposal: Proposal, note: str = "") -> Proposal:
    """初审 passed: the proposal goes on to the committee's review (复审)."""
    require(actor, "proposals.review_proposal", proposal)
    with transaction.atomic():
        proposal = lock_proposal(proposal)
        transition(proposal, PROPOSAL_TRANSITIONS, "pre_review", actor=actor, verb="proposals.pre_reviewed",
                   label=_(LABEL), note=note)
    return proposal


def proposal_return(*, actor: Any, proposal: Proposal, reason: str) -> Proposal:
    """Back to the first proposer for revision, with the reason."""
    require(actor, "proposals.review_proposal", proposal)
    if not reason.strip():
        raise DomainError(_("Say what the proposer should revise."))
    with transaction.atomic():
        proposal = lock_proposal(proposal)
        proposal.decision_reason = reason.strip()
        transition(proposal, PROPOSAL_TRANSITIONS, "return", actor=actor, verb="proposals.returned", label=_(LABEL),
                   note=reason, extra_fields=["decision_reason"])
        tell(proposal.committee_id, users_of_members([proposal.lead_member_id]), "returned",
             _("Your proposal was returned for revision: %(title)s") % {"title": proposal.title}, reason,
             proposal_url(proposal))
    return proposal


def _next_number(session: PlenarySession) -> int:
    # Locking the session row serialises numbering: two filings at once cannot take the same number.
    PlenarySession.objects.select_for_update().get(pk=session.pk)
    top = Proposal.objects.filter(session=session).aggregate(m=Max("number"))["m"]
    return (top or 0) + 1


def proposal_file(*, actor: Any, proposal: Proposal, category: str | None = None, note: str = "") -> Proposal:
    """立案: the proposal gets its number in the session and waits for assignment."""
    require(actor, "proposals.review_proposal", proposal)
    with transaction.atomic():
        proposal = lock_proposal(proposal)
        if category is not None:
            if category not in [c["code"] for c in rules(proposal.committee_id)["proposal.categories"]]:
                raise DomainError(_("Choose one of the committee's categories."))
            proposal.category = category
        workflow.check(PROPOSAL_TRANSITIONS, proposal.status, "file", _(LABEL))  # before taking a number
        proposal.number = _next_number(proposal.session)
        proposal.decided_at, proposal.decided_by = timezone.now(), actor
        proposal.assign_due = calendar(proposal.committee_id).add_working_days(
            today(), rules(proposal.committee_id)["proposal.assign_working_days"])
        transition(proposal, PROPOSAL_TRANSITIONS, "file", actor=actor, verb="proposals.filed", label=_(LABEL),
                   note=note, data={"number": proposal.number},
                   extra_fields=["category", "number", "decided_at", "decided_by", "assign_due"])
        tell(proposal.committee_id, users_of_members(signed_member_ids(proposal)), "filed",
             _("Your proposal was filed as No. %(n)d: %(title)s") % {"n": proposal.number, "title": proposal.title},
             url=proposal_url(proposal))
    return proposal


def proposal_not_file(*, actor: Any, proposal: Proposal, ground: str, reason: str, disposition: str) -> Proposal:
    """不予立案, on one of the committee's listed grounds, with a reason the proposer sees and what becomes
    of the content (a letter for reference, a public-opinion item, or left to the proposer)."""
    require(actor, "proposals.review_proposal", proposal)
    grounds = {g["code"] for g in rules(proposal.committee_id)["proposal.not_filed_grounds"]}
    if ground not in grounds:
        raise DomainError(_("Choose one of the listed grounds for not filing."))
    if not reason.strip():
        raise DomainError(_("Give the proposer the reason."))
    if disposition not in {d for d in Proposal.Disposition.values if d}:
        raise DomainError(_("Say what becomes of the content."))
    with transaction.atomic():
        proposal = lock_proposal(proposal)
        proposal.not_filed_ground, proposal.decision_reason, proposal.disposition = ground, reason.strip(), disposition
        proposal.decided_at, proposal.decided_by = timezone.now(), actor
        transition(proposal, PROPOSAL_TRANSITIONS, "not_file", actor=actor, verb="proposals.not_filed", label=_(LABEL),
                   note=reason, data={"ground": ground, "disposition": disposition},
                   extra_fields=["not_filed_ground", "decision_reason", "disposition", "decided_at", "decided_by"])
        tell(proposal.committee_id, users_of_members(signed_member_ids(proposal)), "not_filed",
             _("Your proposal was not filed: %(title)s") % {"title": proposal.title}, reason, proposal_url(proposal))
    return proposal


def proposal_merge(*, actor: Any, proposal: Proposal, into: Proposal, reason: str = "") -> Proposal:
    """并案: the proposal joins a lead proposal of the same session; its proposers get the lead's reply and
    evaluate it like the lead's own proposers."""
    require(actor, "proposals.review_proposal", proposal)
    if into.pk == proposal.pk:
        raise DomainError(_("A proposal cannot be merged into itself."))
    if into.committee_id != proposal.committee_id:
        raise DomainError(_("Proposals of another committee cannot be merged."))
    with transaction.atomic():
        # Lock both rows in id order so that two merges in opposite directions cannot deadlock.
        first, second = sorted([proposal, into], key=lambda p: p.pk)
        locked = {p.pk: lock_proposal(p) for p in (first, second)}
        proposal, into = locked[proposal.pk], locked[into.pk]
        if into.status in (P.MERGED, P.NOT_FILED, P.WITHDRAWN, P.DRAFT, P.RETURNED, P.COSIGNING, P.CLOSED):
            raise DomainError(_("The lead proposal must itself be under review, filed or being handled."))
        if into.session_id != proposal.session_id:
            raise DomainError(_("Only proposals of the same session can be merged."))
        if proposal.merged_proposals.exists():
            raise DomainError(_("Other proposals are merged into this one; merge them into the new lead first."))
        proposal.merged_into = into
        proposal.decided_at, proposal.decided_by = timezone.now(), actor
        transition(proposal, PROPOSAL_TRANSITIONS, "merge", actor=actor, verb="proposals.merged", label=_(LABEL),
                   note=reason, data={"into": into.pk}, extra_fields=["merged_into", "decided_at", "decided_by"])
        tell(proposal.committee_id, users_of_members(signed_member_ids(proposal)), "merged",
             _("Your proposal was merged into “%(lead)s”; you will receive its reply.") % {"lead": into.title},
             reason, proposal_url(into))
    return proposal


@dataclass(frozen=True)
class BulkResult:
    proposal: Proposal
    ok: bool
    message: str


def proposal_file_bulk(*, actor: Any, proposals: Sequence[Proposal]) -> list[BulkResult]:
    """File several proposals at once; each is its own transaction, so one refusal stops no other."""
    results = []
    for proposal in proposals:
        try:
            filed = proposal_file(actor=actor, proposal=proposal)
        except DomainError as exc:
            results.append(BulkResult(proposal, False, exc.message))
        else:
            results.append(BulkResult(filed, True, filed.reference))
    return results
