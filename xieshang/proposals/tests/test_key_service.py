"""Nominating key and excellent proposals decides on the proposal as it is, not as the caller read it."""

from __future__ import annotations

import pytest

from xieshang.core.errors import DomainError
from xieshang.ledger.models import Event
from xieshang.proposals.models import ExcellentProposal, KeyProposal, Proposal
from xieshang.proposals.services import excellent_nominate, key_nominate
from xieshang.proposals.tests.factories import Cast
from xieshang.proposals.workflow import ProposalStatus


def test_a_key_nomination_reads_the_state_again(committee) -> None:
    cast = Cast(committee)
    stale = cast.filed(title="关于加快农村生活污水治理的建议")
    key = key_nominate(actor=cast.staff, proposal=stale, year=2026, reason="群众关注")
    assert key.proposal_id == stale.pk
    other = cast.filed(title="关于整治违规停车的建议")
    Proposal.objects.filter(pk=other.pk).update(status=ProposalStatus.WITHDRAWN)  # withdrawn meanwhile
    events = Event.objects.count()
    with pytest.raises(DomainError):
        key_nominate(actor=cast.staff, proposal=other, year=2026, reason="群众关注")
    assert not KeyProposal.objects.filter(proposal=other).exists() and Event.objects.count() == events


def test_an_excellent_nomination_reads_the_state_again(committee) -> None:
    cast = Cast(committee)
    replied = cast.replied(title="关于增设公交站台的建议")
    Proposal.objects.filter(pk=replied.pk).update(status=ProposalStatus.REHANDLING)  # sent back meanwhile
    events = Event.objects.count()
    with pytest.raises(DomainError):
        excellent_nominate(actor=cast.staff, proposal=replied, year=2026, reason="答复扎实")
    assert not ExcellentProposal.objects.exists() and Event.objects.count() == events
    Proposal.objects.filter(pk=replied.pk).update(status=ProposalStatus.CLOSED)
    item = excellent_nominate(actor=cast.staff, proposal=replied, year=2026, reason="答复扎实")
    assert item.proposal_id == replied.pk and Event.objects.count() == events + 1
