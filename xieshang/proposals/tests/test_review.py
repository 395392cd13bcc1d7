import pytest

from xieshang.core.errors import DomainError, TransitionNotAllowed
from xieshang.ledger.models import Event
from xieshang.notifications.models import Notification
from xieshang.proposals import services


def test_filing_numbers_proposals_per_session(cast) -> None:
    first = cast.filed(title="一")
    second = services.proposal_pre_review(actor=cast.staff, proposal=cast.submitted(title="二"))
    second = services.proposal_file(actor=cast.staff, proposal=second)
    assert (first.number, second.number) == (1, 2)
    assert first.assign_due is not None and first.decided_by == cast.staff
    assert Notification.objects.filter(recipient=cast.member, kind="proposals.filed").count() == 2


def test_filing_twice_is_refused_with_a_clear_message(cast) -> None:
    p = cast.filed()
    with pytest.raises(TransitionNotAllowed, match="Filed|已立案"):
        services.proposal_file(actor=cast.staff, proposal=p)
    assert Event.objects.filter(verb="proposals.filed").count() == 1


def test_not_filed_needs_a_listed_ground_a_reason_and_a_disposition(cast) -> None:
    p = cast.submitted()
    for kwargs in ({"ground": "nonsense", "reason": "r", "disposition": "letter"},
                   {"ground": "no_suggestion", "reason": " ", "disposition": "letter"},
                   {"ground": "no_suggestion", "reason": "r", "disposition": ""}):
        with pytest.raises(DomainError):
            services.proposal_not_file(actor=cast.staff, proposal=p, **kwargs)
    p.refresh_from_db()
    assert p.status == "submitted"
    p = services.proposal_not_file(actor=cast.staff, proposal=p, ground="no_suggestion",
                                   reason="建议不够具体，已转有关部门参考", disposition="letter")
    assert (p.status, p.disposition) == ("not_filed", "letter")
    note = Notification.objects.get(recipient=cast.member, kind="proposals.not_filed")
    assert "建议不够具体" in note.body


def test_return_for_revision_then_resubmit(cast) -> None:
    p = services.proposal_return(actor=cast.staff, proposal=cast.submitted(), reason="请补充具体建议")
    assert p.status == "returned"
    services.proposal_update(actor=cast.member, proposal=p, suggestions="具体建议：……")
    assert services.proposal_submit(actor=cast.member, proposal=p).status == "submitted"


def test_merge_into_a_lead_of_the_same_session(cast) -> None:
    lead = cast.filed(title="主提案")
    dup = cast.submitted(title="相似提案", by=cast.cosigner)
    merged = services.proposal_merge(actor=cast.staff, proposal=dup, into=lead, reason="内容相近")
    assert (merged.status, merged.merged_into) == ("merged", lead)
    with pytest.raises(DomainError):
        services.proposal_merge(actor=cast.staff, proposal=lead, into=lead)


def test_only_proposal_staff_review(cast) -> None:
    p = cast.submitted()
    for actor in (cast.member, cast.liaison, cast.supervisor):
        with pytest.raises(DomainError):
            services.proposal_file(actor=actor, proposal=p)
    p.refresh_from_db()
    assert p.status == "submitted" and p.number is None


def test_bulk_filing_reports_each_result(cast) -> None:
    a, b = cast.submitted(title="甲"), cast.filed(title="乙")
    results = services.proposal_file_bulk(actor=cast.staff, proposals=[a, b])
    assert [r.ok for r in results] == [True, False]
    a.refresh_from_db()
    assert a.status == "filed"
