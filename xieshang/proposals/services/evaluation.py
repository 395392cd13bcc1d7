"""Each proposer evaluates the reply; the proposal committee closes the case, sends it back for another
round of handling, or follows a reply that promised action (class B) until it is implemented."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.errors import ConcurrentChange, DomainError
from xieshang.ledger.services import event_record
from xieshang.organisation.models import Member
from xieshang.proposals.models import Assignment, Evaluation, Proposal, Reply
from xieshang.proposals.services._common import (
    assignment_url,
    calendar,
    evaluator_member_ids,
    lock_proposal,
    proposal_url,
    require,
    rules,
    tell,
    today,
    transition,
    users_of_members,
    users_of_unit,
    users_with_role,
)
from xieshang.proposals.workflow import ASSIGNMENT_TRANSITIONS, PROPOSAL_TRANSITIONS, AssignmentStatus, ProposalStatus
from xieshang.ruleset.workdays import add_months

A, P = AssignmentStatus, ProposalStatus
RESULTS = Evaluation.Result.values


def evaluation_submit(*, actor: Any, reply: Reply, result: str, attitude: str = "", effect: str = "",
                      comment: str = "", on_behalf_of: Member | None = None) -> Evaluation:
    """A proposer rates the reply (满意/基本满意/不满意; attitude and effect optional). Staff may enter a
    paper form on a proposer's behalf; it is marked as such."""
    proposal = reply.assignment.proposal
    if on_behalf_of is None:
        require(actor, "proposals.evaluate_reply", proposal)
        member, channel = actor.member, Evaluation.Channel.ONLINE
    else:
        require(actor, "proposals.enter_paper_evaluation", proposal)
        member, channel = on_behalf_of, Evaluation.Channel.PAPER
    if result not in RESULTS or (attitude and attitude not in RESULTS) or (effect and effect not in RESULTS):
        raise DomainError(_("Choose satisfied, basically satisfied or dissatisfied."))
    with transaction.atomic():
        proposal = lock_proposal(proposal)
        reply = Reply.objects.select_for_update().get(pk=reply.pk)
        if member is None or member.pk not in evaluator_member_ids(proposal):
            raise DomainError(_("Only the proposal's proposers evaluate its reply."), code="permission_denied")
        if reply.status != "sent":
            raise DomainError(_("This reply has not been sent yet."), code="transition_not_allowed")
        if proposal.status not in (P.REPLIED, P.REHANDLING, P.HANDLING):
            raise DomainError(_("The proposal is closed; its replies can no longer be evaluated."),
                              code="transition_not_allowed")
        try:
            with transaction.atomic():
                evaluation = Evaluation.objects.create(reply=reply, member=member, result=result, attitude=attitude,
                                                       effect=effect, comment=comment.strip(), channel=channel,
                                                       entered_by=actor)
        except IntegrityError as exc:
            raise ConcurrentChange(_("This reply was already evaluated by %(name)s.") % {"name": member}) from exc
        event_record(committee_id=proposal.committee_id, actor=actor, verb="proposals.evaluated", target=reply,
                     to_state=result, note=comment, data={"member": member.pk, "channel": channel})
        if result == Evaluation.Result.DISSATISFIED:
            tell(proposal.committee_id, users_with_role(proposal.committee_id, "proposal_staff"), "dissatisfied",
                 _("%(name)s is dissatisfied with the reply of %(unit)s: %(title)s")
                 % {"name": member, "unit": reply.assignment.unit, "title": proposal.title}, comment,
                 proposal_url(proposal))
        elif proposal.status == P.REPLIED and _all_evaluated(proposal) and not _any_dissatisfied(proposal):
            _close(actor=None, proposal=proposal, note=_("Every proposer is satisfied."))
    return evaluation


def _sent_replies(proposal: Proposal) -> list[Reply]:
    """The latest sent reply of every unit that replies."""
    latest: dict[int, Reply] = {}
    for reply in Reply.objects.filter(assignment__proposal=proposal, status="sent").exclude(
            assignment__status=A.CANCELLED).order_by("round"):
        latest[reply.assignment_id] = reply
    return list(latest.values())


def _all_evaluated(proposal: Proposal) -> bool:
    members = set(evaluator_member_ids(proposal))
    return all(set(r.evaluations.values_list("member_id", flat=True)) >= members for r in _sent_replies(proposal))


def _any_dissatisfied(proposal: Proposal) -> bool:
    return any(r.evaluations.filter(result=Evaluation.Result.DISSATISFIED).exists() for r in _sent_replies(proposal))


def _close(*, actor: Any, proposal: Proposal, note: str) -> Proposal:
    classes = {c["code"]: c for c in rules(proposal.committee_id)["proposal.reply_classes"]}
    # A class marked follow_up (by default B, "planned") keeps the case open until implemented.
    follow_up = any(classes.get(r.result_class, {}).get("follow_up", False) for r in _sent_replies(proposal))
    proposal.closed_at = timezone.now()
    transition(proposal, PROPOSAL_TRANSITIONS, "close", actor=actor, verb="proposals.closed",
               label=_("the proposal"), to=P.FOLLOW_UP if follow_up else P.CLOSED, note=note,
               extra_fields=["closed_at"])
    for a in proposal.assignments.filter(status__in=[A.REPLIED, A.HANDLING]):
        a.closed_at = timezone.now()
        transition(a, ASSIGNMENT_TRANSITIONS, "close", actor=actor, verb="proposals.assignment_closed",
                   label=_("the assignment"), extra_fields=["closed_at"])
    return proposal


def proposal_close(*, actor: Any, proposal: Proposal, note: str = "") -> Proposal:
    """办结, decided by the proposal committee (also when some proposers never returned the form)."""
    require(actor, "proposals.close_proposal", proposal)
    with transaction.atomic():
        proposal = lock_proposal(proposal)
        _close(actor=actor, proposal=proposal, note=note)
        tell(proposal.committee_id, users_of_members(evaluator_member_ids(proposal)), "closed",
             _("Your proposal was closed: %(title)s") % {"title": proposal.title}, note, proposal_url(proposal))
    return proposal


def proposal_rehandle(*, actor: Any, proposal: Proposal, note: str, units: list[Assignment] | None = None) -> Proposal:
    """商请重新办理: the units whose reply left a proposer dissatisfied handle it again, within the
    committee's limit on rounds and with a fresh due date."""
    require(actor, "proposals.close_proposal", proposal)
    if not note.strip():
        raise DomainError(_("Say what the unit must do again."))
    with transaction.atomic():
        proposal = lock_proposal(proposal)
        r = rules(proposal.committee_id)
        targets = units or [rep.assignment for rep in _sent_replies(proposal)
                            if rep.evaluations.filter(result=Evaluation.Result.DISSATISFIED).exists()]
        if not targets:
            raise DomainError(_("No reply was rated dissatisfied; close the proposal instead."))
        for a in targets:
            if a.proposal_id != proposal.pk or not a.replies_to_proposer:
                raise DomainError(_("Choose units that replied to this proposal."))
            if a.round > r["proposal.rehandling_max_rounds"]:
                raise DomainError(_("%(unit)s has already handled it %(n)d times, the committee's limit.")
                                  % {"unit": a.unit, "n": a.round})
        transition(proposal, PROPOSAL_TRANSITIONS, "rehandle", actor=actor, verb="proposals.rehandling",
                   label=_("the proposal"), note=note, data={"units": [a.unit_id for a in targets]})
        start = today()
        due = calendar(proposal.committee_id).next_workday(add_months(start, r["proposal.rehandling_months"]))
        for a in targets:
            a.round += 1
            a.reply_due, a.hard_due = due, max(due, a.hard_due)
            a.reminded_on = a.escalated_on = None
            transition(a, ASSIGNMENT_TRANSITIONS, "rehandle", actor=actor, verb="proposals.assignment_rehandling",
                       label=_("the assignment"), note=note,
                       extra_fields=["round", "reply_due", "hard_due", "reminded_on", "escalated_on"])
            tell(proposal.committee_id, users_of_unit(a.unit_id), "rehandle",
                 _("Please handle again (round %(n)d, due %(due)s): %(title)s")
                 % {"n": a.round, "due": due.isoformat(), "title": proposal.title}, note, assignment_url(a))
    return proposal


def proposal_mark_implemented(*, actor: Any, proposal: Proposal, note: str) -> Proposal:
    """A class-B reply's promise was kept (落实): the follow-up ends."""
    require(actor, "proposals.close_proposal", proposal)
    if not note.strip():
        raise DomainError(_("Record what was implemented."))
    with transaction.atomic():
        proposal = lock_proposal(proposal)
        transition(proposal, PROPOSAL_TRANSITIONS, "implemented", actor=actor, verb="proposals.implemented",
                   label=_("the proposal"), note=note)
    return proposal
