"""Role × action matrix of the proposals app, as in docs/permissions.md ("Proposals"). Each action is
attempted through its service by a user holding exactly one role; a denial leaves the data and the event
ledger exactly as they were."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from xieshang.core.errors import DomainError
from xieshang.ledger.models import Event
from xieshang.organisation.models import Role
from xieshang.organisation.tests.factories import user_with_role
from xieshang.proposals import services
from xieshang.proposals.models import Assignment, Evaluation, KeyProposal, Proposal, Reply
from xieshang.proposals.tests.factories import BODY, Cast

R = Role


@dataclass(frozen=True)
class Action:
    allowed: set[str]
    setup: Callable[[Cast], Any]
    call: Callable[[Any, Any, Cast], Any]


def _in_review(c: Cast) -> Reply:
    reply = c.reply_ready(c.assigned(cohandlers=False))
    services.reply_submit(actor=c.unit_leader, reply=reply)
    return reply


MATRIX: dict[str, Action] = {
    "draft": Action({R.MEMBER}, lambda c: None,
                    lambda u, _o, c: services.proposal_create(actor=u, title="新提案", **BODY)),
    "edit": Action({R.MEMBER}, lambda c: c.draft(),
                   lambda u, p, c: services.proposal_update(actor=u, proposal=p, title="改")),
    "file": Action({R.PROPOSAL_STAFF}, lambda c: c.submitted(),
                   lambda u, p, c: services.proposal_file(actor=u, proposal=p)),
    "assign": Action({R.PROPOSAL_STAFF}, lambda c: c.filed(),
                     lambda u, p, c: services.proposal_assign(actor=u, proposal=p, lead=c.unit)),
    "accept": Action({R.UNIT_LIAISON, R.UNIT_LEADER}, lambda c: c.lead_assignment(c.assigned(cohandlers=False)),
                     lambda u, a, c: services.assignment_accept(actor=u, assignment=a)),
    "sign_off": Action({R.UNIT_LEADER}, lambda c: c.reply_ready(c.assigned(cohandlers=False)),
                       lambda u, r, c: services.reply_submit(actor=u, reply=r)),
    "review_reply": Action({R.SUPERVISOR, R.PROPOSAL_STAFF}, _in_review,
                           lambda u, r, c: services.reply_review(actor=u, reply=r, approve=True)),
    "evaluate": Action({R.MEMBER}, lambda c: Reply.objects.get(assignment__proposal=c.replied(cls="B")),
                       lambda u, r, c: services.evaluation_submit(actor=u, reply=r, result="satisfied")),
    "close": Action({R.PROPOSAL_STAFF}, lambda c: c.replied(),
                    lambda u, p, c: services.proposal_close(actor=u, proposal=p)),
    "key": Action({R.PROPOSAL_STAFF}, lambda c: c.filed(),
                  lambda u, p, c: services.key_nominate(actor=u, proposal=p, year=2026, reason="重要")),
    "publish": Action({R.PROPOSAL_STAFF}, lambda c: c.replied(),
                      lambda u, p, c: services.proposal_set_disclosure(actor=u, proposal=p, publish=True)),
}


def _snapshot() -> tuple[Any, ...]:
    return (
        list(Proposal.objects.order_by("pk").values_list("pk", "status", "title", "number", "is_public")),
        list(Assignment.objects.order_by("pk").values_list("pk", "status")),
        list(Reply.objects.order_by("pk").values_list("pk", "status")),
        Evaluation.objects.count(), KeyProposal.objects.count(), Event.objects.count(),
    )


def _actor(cast: Cast, role: str) -> Any:
    """A user with exactly this role; scoped roles are scoped to the cast's own proposal and unit."""
    scoped = {R.MEMBER: cast.member, R.UNIT_LIAISON: cast.liaison, R.UNIT_LEADER: cast.unit_leader,
              R.SUPERVISOR: cast.supervisor, R.PROPOSAL_STAFF: cast.staff}
    return scoped.get(role) or user_with_role(cast.committee, role)


@pytest.mark.parametrize("action", list(MATRIX))
@pytest.mark.parametrize("role", list(Role.values))
def test_role_action_matrix(cast, role, action) -> None:
    spec = MATRIX[action]
    target = spec.setup(cast)
    actor = _actor(cast, role)
    before = _snapshot()
    if role in spec.allowed:
        spec.call(actor, target, cast)
        assert _snapshot() != before
        return
    with pytest.raises(DomainError) as exc:
        spec.call(actor, target, cast)
    assert exc.value.code == "permission_denied", exc.value.message
    assert _snapshot() == before


def test_another_units_liaison_cannot_touch_the_assignment(cast) -> None:
    lead = cast.lead_assignment(cast.assigned(cohandlers=False))
    before = _snapshot()
    with pytest.raises(DomainError):
        services.assignment_accept(actor=cast.other_liaison, assignment=lead)
    assert _snapshot() == before


def test_a_co_signer_who_is_not_the_first_proposer_cannot_edit(cast) -> None:
    p = cast.draft()
    services.proposal_invite_cosigners(actor=cast.member, proposal=p, members=[cast.cosigner.member])
    services.proposal_sign(actor=cast.cosigner, proposal=p)
    before = _snapshot()
    with pytest.raises(DomainError):
        services.proposal_update(actor=cast.cosigner, proposal=p, title="改")
    assert _snapshot() == before
