import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from xieshang.core.errors import DomainError, TransitionNotAllowed
from xieshang.ledger.models import Event
from xieshang.notifications.models import Notification
from xieshang.organisation.models import PlenarySession
from xieshang.proposals import services
from xieshang.proposals.models import Proposal, Proposer
from xieshang.proposals.tests.factories import BODY


def test_member_drafts_and_is_first_proposer(cast) -> None:
    p = cast.draft()
    assert p.status == "draft"
    assert p.lead_member == cast.member.member
    assert list(p.proposers.values_list("member_id", "is_lead", "status")) == [(cast.member.member.pk, True, "signed")]
    assert Event.objects.filter(verb="proposals.created", target_id=p.pk).exists()


def test_only_members_draft(cast) -> None:
    with pytest.raises(DomainError):
        services.proposal_create(actor=cast.staff, title="x", **BODY)
    assert not Proposal.objects.exists()


def test_submit_checks_the_three_parts_length_and_category(cast) -> None:
    p = cast.draft(analysis="", category="")
    with pytest.raises(DomainError) as exc:
        services.proposal_submit(actor=cast.member, proposal=p)
    assert "analysis" in exc.value.message and "category" in exc.value.message
    services.proposal_update(actor=cast.member, proposal=p, analysis="分析" * 1300, category="environment")
    with pytest.raises(DomainError, match="2500"):
        services.proposal_submit(actor=cast.member, proposal=p)
    p.refresh_from_db()
    assert p.status == "draft"


def test_collective_proposal_needs_its_organisation_and_seal(cast) -> None:
    p = cast.draft(kind="collective", collective_kind="sector", collective_name="教育界")
    with pytest.raises(DomainError, match="seal"):
        services.proposal_submit(actor=cast.member, proposal=p)
    services.proposal_update(actor=cast.member, proposal=p, has_seal=True)
    assert services.proposal_submit(actor=cast.member, proposal=p).status == "submitted"


def test_submission_inside_the_window_is_a_session_proposal(cast) -> None:
    p = cast.submitted()
    assert (p.session, p.is_session_proposal) == (cast.session, True)
    assert p.review_due > timezone.localdate()
    assert Notification.objects.filter(recipient=cast.staff, kind="proposals.submitted").count() == 1


def test_submission_outside_every_window_is_a_regular_proposal_of_the_next_session(cast) -> None:
    PlenarySession.objects.filter(pk=cast.session.pk).update(
        proposal_window_start=timezone.localdate() + dt.timedelta(days=5))
    p = cast.submitted()
    assert (p.session_id, p.is_session_proposal) == (cast.session.pk, False)


def test_cosigners_sign_before_the_deadline_and_latecomers_drop_out(cast) -> None:
    p = cast.draft()
    invited = services.proposal_invite_cosigners(actor=cast.member, proposal=p,
                                                 members=[cast.cosigner.member, cast.outsider.member])
    p.refresh_from_db()
    assert p.status == "cosigning" and p.kind == "joint"
    assert Notification.objects.filter(recipient=cast.cosigner, kind="proposals.cosign_invited").exists()
    services.proposal_sign(actor=cast.cosigner, proposal=p)
    due = invited[0].due
    later = dt.datetime.combine(due + dt.timedelta(days=1), dt.time(10), tzinfo=timezone.get_current_timezone())
    with time_machine.travel(later), pytest.raises(DomainError, match="deadline"):
        services.proposal_sign(actor=cast.outsider, proposal=p)
    services.proposal_submit(actor=cast.member, proposal=p)
    statuses = dict(p.proposers.values_list("member_id", "status"))
    assert statuses[cast.cosigner.member.pk] == "signed"
    assert statuses[cast.outsider.member.pk] == "expired"


def test_joint_proposal_nobody_signed_becomes_individual(cast) -> None:
    p = cast.draft()
    services.proposal_invite_cosigners(actor=cast.member, proposal=p, members=[cast.cosigner.member])
    p = services.proposal_submit(actor=cast.member, proposal=p)
    assert p.kind == "individual"


def test_a_stranger_cannot_sign_or_edit(cast) -> None:
    p = cast.draft()
    services.proposal_invite_cosigners(actor=cast.member, proposal=p, members=[cast.cosigner.member])
    with pytest.raises(DomainError):
        services.proposal_sign(actor=cast.outsider, proposal=p)
    with pytest.raises(DomainError):
        services.proposal_update(actor=cast.cosigner, proposal=p, title="改")
    p.refresh_from_db()
    assert p.title != "改"
    assert Proposer.objects.filter(proposal=p, status="signed").count() == 1


def test_submitted_proposal_cannot_be_edited_or_submitted_again(cast) -> None:
    p = cast.submitted()
    with pytest.raises(DomainError):
        services.proposal_update(actor=cast.member, proposal=p, title="改")
    with pytest.raises(TransitionNotAllowed):
        services.proposal_submit(actor=cast.member, proposal=p)
    assert Event.objects.filter(verb="proposals.submitted").count() == 1


def test_withdraw_before_filing(cast) -> None:
    p = cast.submitted()
    assert services.proposal_withdraw(actor=cast.member, proposal=p, reason="重复").status == "withdrawn"
    filed = cast.filed(title="另一件提案")
    with pytest.raises(TransitionNotAllowed):
        services.proposal_withdraw(actor=cast.member, proposal=filed)
