"""Named rules of the proposals app (docs/permissions.md, "Proposals"). Object rules take the proposal,
the assignment or the reply they are about."""

from __future__ import annotations

from typing import Any

import rules

from xieshang.core.permissions import has_role, same_committee
from xieshang.organisation.models import Role

is_proposal_staff = has_role(Role.PROPOSAL_STAFF)
is_supervisor = has_role(Role.SUPERVISOR)
is_member = has_role(Role.MEMBER)
is_unit_user = has_role(Role.UNIT_LIAISON, Role.UNIT_LEADER)
is_leader = has_role(Role.LEADER)


@rules.predicate
def is_proposer(user: Any, proposal: Any) -> bool:
    """A signed proposer (the first proposer, or a co-signer who signed) of the proposal or of a proposal
    merged into it: every merged proposer gets the reply and evaluates it."""
    member = getattr(user, "member", None)
    if member is None or proposal is None:
        return False
    if any(p.member_id == member.pk and p.status == "signed" for p in proposal.proposers.all()):
        return True
    from xieshang.proposals.models import Proposer

    return Proposer.objects.filter(proposal__merged_into=proposal, member=member, status="signed").exists()


@rules.predicate
def is_first_proposer(user: Any, proposal: Any) -> bool:
    member = getattr(user, "member", None)
    return bool(member is not None and proposal is not None and proposal.lead_member_id == member.pk)


@rules.predicate
def is_invited_cosigner(user: Any, proposal: Any) -> bool:
    member = getattr(user, "member", None)
    if member is None or proposal is None:
        return False
    return any(p.member_id == member.pk and not p.is_lead for p in proposal.proposers.all())


@rules.predicate
def works_for_unit(user: Any, assignment: Any) -> bool:
    """A liaison or leader of the unit this assignment is addressed to."""
    if assignment is None:
        return False
    return assignment.unit_id in (user.scope_ids(Role.UNIT_LIAISON, "handling_unit")
                                  | user.scope_ids(Role.UNIT_LEADER, "handling_unit"))


@rules.predicate
def leads_unit(user: Any, assignment: Any) -> bool:
    return assignment is not None and assignment.unit_id in user.scope_ids(Role.UNIT_LEADER, "handling_unit")


# Members
rules.add_perm("proposals.create_proposal", is_member)
rules.add_perm("proposals.edit_proposal", is_first_proposer & same_committee)
rules.add_perm("proposals.sign_proposal", is_invited_cosigner & same_committee)
rules.add_perm("proposals.evaluate_reply", is_proposer & same_committee)
# Proposal-committee staff
rules.add_perm("proposals.review_proposal", is_proposal_staff & same_committee)
rules.add_perm("proposals.assign_proposal", is_proposal_staff & same_committee)
rules.add_perm("proposals.decide_objection", is_proposal_staff & same_committee)
rules.add_perm("proposals.decide_extension", is_proposal_staff & same_committee)
rules.add_perm("proposals.enter_paper_evaluation", is_proposal_staff & same_committee)
rules.add_perm("proposals.close_proposal", is_proposal_staff & same_committee)
rules.add_perm("proposals.manage_key_proposals", is_proposal_staff & same_committee)
rules.add_perm("proposals.publish_proposal", is_proposal_staff & same_committee)
# Handling units
rules.add_perm("proposals.handle_assignment", works_for_unit & same_committee)
rules.add_perm("proposals.sign_off_reply", leads_unit & same_committee)
# Supervising offices review replies; so may proposal-committee staff.
rules.add_perm("proposals.review_reply", (is_supervisor | is_proposal_staff) & same_committee)
# Boards and statistics
rules.add_perm("proposals.view_boards", (is_proposal_staff | is_supervisor | has_role(Role.COMMITTEE_ADMIN,
                                                                                       Role.OFFICE_STAFF))
               & same_committee)
rules.add_perm("proposals.view_statistics", (is_proposal_staff | is_supervisor | is_leader | has_role(
    Role.COMMITTEE_ADMIN, Role.OFFICE_STAFF)) & same_committee)
