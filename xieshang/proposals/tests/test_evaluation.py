import pytest

from xieshang.core.errors import ConcurrentChange, DomainError, TransitionNotAllowed
from xieshang.proposals import services
from xieshang.proposals.models import Evaluation, Proposal, Reply
from xieshang.ruleset.services import ruleset_update


def _reply(p: Proposal) -> Reply:
    return Reply.objects.filter(assignment__proposal=p, status="sent").latest("round")


def test_satisfied_proposer_closes_the_case(cast) -> None:
    p = cast.replied(cls="A")
    services.evaluation_submit(actor=cast.member, reply=_reply(p), result="satisfied", attitude="satisfied",
                               effect="basically", comment="答复认真")
    p.refresh_from_db()
    assert p.status == "closed"
    assert set(p.assignments.values_list("status", flat=True)) == {"closed"}


def test_class_b_reply_is_followed_until_implemented(cast) -> None:
    p = cast.replied(cls="B")
    services.evaluation_submit(actor=cast.member, reply=_reply(p), result="basically")
    p.refresh_from_db()
    assert p.status == "follow_up"
    with pytest.raises(DomainError):
        services.proposal_mark_implemented(actor=cast.staff, proposal=p, note=" ")
    assert services.proposal_mark_implemented(actor=cast.staff, proposal=p, note="项目已建成").status == "closed"


def test_only_proposers_evaluate(cast) -> None:
    p = cast.replied()
    for actor in (cast.outsider, cast.liaison, cast.staff):
        with pytest.raises(DomainError):
            services.evaluation_submit(actor=actor, reply=_reply(p), result="satisfied")
    assert not Evaluation.objects.exists()


def test_staff_enters_a_paper_form_marked_as_such(cast) -> None:
    p = cast.replied()
    e = services.evaluation_submit(actor=cast.staff, reply=_reply(p), result="satisfied",
                                   on_behalf_of=cast.member.member)
    assert (e.channel, e.entered_by, e.member) == ("paper", cast.staff, cast.member.member)
    with pytest.raises(DomainError):  # a unit may never fill in the form for the member
        services.evaluation_submit(actor=cast.liaison, reply=_reply(p), result="satisfied",
                                   on_behalf_of=cast.member.member)


def test_one_evaluation_per_proposer(cast) -> None:
    p = cast.replied(cls="B")
    services.evaluation_submit(actor=cast.member, reply=_reply(p), result="dissatisfied")
    with pytest.raises(ConcurrentChange):
        services.evaluation_submit(actor=cast.member, reply=_reply(p), result="satisfied")
    assert Evaluation.objects.get().result == "dissatisfied"


def test_dissatisfied_leads_to_rehandling_within_the_round_limit(cast) -> None:
    ruleset_update(actor=None, committee_id=cast.committee.pk, year=_year(),
                   values={"proposal.rehandling_max_rounds": 1})
    p = cast.replied()
    services.evaluation_submit(actor=cast.member, reply=_reply(p), result="dissatisfied", comment="未解决")
    p.refresh_from_db()
    assert p.status == "replied"
    services.proposal_rehandle(actor=cast.staff, proposal=p, note="请与委员再次面商")
    lead = cast.lead_assignment(p)
    assert (lead.status, lead.round) == ("handling", 2)
    reply2 = services.reply_save_draft(actor=cast.liaison, assignment=lead, body="再次答复", result_class="A",
                                       signatory="局长", contact_person="张", contact_phone="1")
    services.reply_submit(actor=cast.unit_leader, reply=reply2)
    services.reply_review(actor=cast.supervisor, reply=reply2, approve=True)
    services.evaluation_submit(actor=cast.member, reply=reply2, result="dissatisfied")
    p.refresh_from_db()
    with pytest.raises(DomainError, match="limit"):
        services.proposal_rehandle(actor=cast.staff, proposal=p, note="再来")
    assert services.proposal_close(actor=cast.staff, proposal=p, note="已两次办理").status == "closed"


def test_no_evaluation_after_closing(cast) -> None:
    p = cast.replied()
    services.proposal_close(actor=cast.staff, proposal=p, note="委员未反馈")
    with pytest.raises(DomainError, match="closed"):
        services.evaluation_submit(actor=cast.member, reply=_reply(p), result="satisfied")
    with pytest.raises(DomainError):  # a reply after closing
        services.reply_save_draft(actor=cast.liaison, assignment=cast.lead_assignment(p), body="迟到的答复")
    with pytest.raises(TransitionNotAllowed):
        services.proposal_close(actor=cast.staff, proposal=p)
    assert Reply.objects.filter(assignment__proposal=p).count() == 1


def test_merged_proposers_evaluate_the_lead_reply(cast) -> None:
    lead = cast.filed(title="主提案")
    dup = cast.submitted(title="相似提案", by=cast.cosigner)
    services.proposal_merge(actor=cast.staff, proposal=dup, into=lead)
    services.proposal_assign(actor=cast.staff, proposal=lead, lead=cast.unit)
    reply = cast.reply_ready(lead)
    services.reply_submit(actor=cast.unit_leader, reply=reply)
    services.reply_review(actor=cast.supervisor, reply=reply, approve=True)
    services.evaluation_submit(actor=cast.member, reply=reply, result="satisfied")
    lead.refresh_from_db()
    assert lead.status == "replied"  # the merged proposer has not evaluated yet
    services.evaluation_submit(actor=cast.cosigner, reply=reply, result="basically")
    lead.refresh_from_db()
    assert lead.status == "closed"


def _year() -> int:
    from django.utils import timezone

    return timezone.localdate().year
