"""Public disclosure: a proposal and its reply may be published on the public site, unless marked not for
disclosure; a reply that must stay internal is published as a summary."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xieshang.core.errors import DomainError
from xieshang.ledger.services import event_record
from xieshang.proposals.models import Proposal, Reply
from xieshang.proposals.services._common import lock_proposal, require
from xieshang.proposals.workflow import ProposalStatus

P = ProposalStatus
PUBLISHABLE = (P.REPLIED, P.FOLLOW_UP, P.CLOSED, P.HANDLING, P.REHANDLING, P.FILED)


def proposal_set_disclosure(*, actor: Any, proposal: Proposal, publish: bool, not_for_disclosure: bool = False,
                            summaries: dict[int, str] | None = None) -> Proposal:
    """Publish or withdraw a proposal from the public site; ``summaries`` maps reply ids to the public
    summary shown instead of a reply's full text."""
    require(actor, "proposals.publish_proposal", proposal)
    with transaction.atomic():
        proposal = lock_proposal(proposal)
        if publish and not_for_disclosure:
            raise DomainError(_("A proposal marked not for disclosure cannot be published."))
        if publish and proposal.status not in PUBLISHABLE:
            raise DomainError(_("Only a filed proposal can be published."))
        for reply_id, summary in (summaries or {}).items():
            reply = Reply.objects.select_for_update().filter(pk=reply_id, assignment__proposal=proposal).first()
            if reply is None:
                raise DomainError(_("That reply does not belong to this proposal."))
            reply.public_summary = summary.strip()
            reply.save(update_fields=["public_summary"])
        proposal.is_public, proposal.not_for_disclosure = publish, not_for_disclosure
        proposal.save(update_fields=["is_public", "not_for_disclosure", "updated_at"])
        event_record(committee_id=proposal.committee_id, actor=actor,
                     verb="proposals.published" if publish else "proposals.unpublished", target=proposal,
                     data={"not_for_disclosure": not_for_disclosure, "summaries": sorted(summaries or {})})
    return proposal
