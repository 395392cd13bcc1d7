"""Proposal statistics (§3) against a small session built through the real services, every figure computed
by hand in the comments next to its assertion."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.http import Http404
from django.utils import timezone
from openpyxl import load_workbook

from xieshang.organisation.models import Role
from xieshang.organisation.tests.factories import LeaderFactory, SessionFactory, user_with_role
from xieshang.proposals import services
from xieshang.proposals.models import Proposal, Reply
from xieshang.proposals.statistics import (
    ProposalStatistics,
    Ratio,
    Scope,
    proposal_statistics,
    statistics_scope_for_user,
    statistics_xlsx,
)
from xieshang.proposals.tests.factories import Cast
from xieshang.ruleset.services import ruleset_update

TODAY = timezone.localdate
LATER = 400  # days: past every reply, re-handling and evaluation due date of the fixture


def _at(day: dt.date) -> Any:
    return time_machine.travel(dt.datetime.combine(day, dt.time(9), tzinfo=timezone.get_current_timezone()))


def _draft_reply(cast: Cast, assignment: Any, cls: str, liaison: Any = None) -> Reply:
    return services.reply_save_draft(actor=liaison or cast.liaison, assignment=assignment, body="经研究，答复如下……",
                                     result_class=cls, signatory="局长", contact_person="张科长",
                                     contact_phone="0938-1234567")


def _approve(cast: Cast, reply: Reply, *, on: dt.date | None = None) -> Reply:
    if on is None:
        return services.reply_review(actor=cast.supervisor, reply=reply, approve=True)
    with _at(on):
        return services.reply_review(actor=cast.supervisor, reply=reply, approve=True)


def _latest(p: Proposal, unit: Any = None) -> Reply:
    qs = Reply.objects.filter(assignment__proposal=p, status="sent")
    if unit is not None:
        qs = qs.filter(assignment__unit=unit)
    return qs.latest("round")


@pytest.fixture
def story(cast: Cast) -> dict[str, Any]:
    """One session of ten submitted proposals (and one draft). Members: M1 = cast.member, M2 = cast.cosigner,
    M3 = cast.outsider, M4 = a member who proposes nothing. Units: U1 = cast.unit (县生态环境局),
    U2 = cast.co_unit (县住房和城乡建设局), U3 = cast.other_unit (县农业农村局)."""
    m4 = user_with_role(cast.committee, Role.MEMBER, display_name="不提案的委员")
    u3_leader = user_with_role(cast.committee, Role.UNIT_LEADER, scope=cast.other_unit)
    today = TODAY()

    # p1 (M1, environment): sole U1, met face to face, class A on time; p7 (M3, rural) is merged into it.
    # M1 satisfied (attitude satisfied, effect basically); M3 never evaluates. Selected as a key proposal.
    p1 = cast.filed(title="p1")
    p7 = cast.submitted(title="p7", by=cast.outsider, category="rural")
    services.proposal_merge(actor=cast.staff, proposal=p7, into=p1)
    services.proposal_assign(actor=cast.staff, proposal=p1, lead=cast.unit)
    reply = cast.reply_ready(p1, cls="A")
    services.reply_submit(actor=cast.unit_leader, reply=reply)
    _approve(cast, reply)
    services.evaluation_submit(actor=cast.member, reply=reply, result="satisfied", attitude="satisfied",
                               effect="basically")
    key = services.key_nominate(actor=cast.staff, proposal=p1, year=today.year, reason="群众关注")
    services.key_select(actor=cast.staff, key=key, selected=True, selected_on=today,
                        leaders=[LeaderFactory(committee=cast.committee)])

    # p2 (M1 with M2 co-signing, rural): sole U1, met face to face, class B on time. M1 dissatisfied (effect
    # dissatisfied), M2 basically satisfied (attitude basically); then handled again (round 2, not yet replied).
    p2 = cast.draft(title="p2", category="rural")
    services.proposal_invite_cosigners(actor=cast.member, proposal=p2, members=[cast.cosigner.member])
    services.proposal_sign(actor=cast.cosigner, proposal=p2)
    services.proposal_submit(actor=cast.member, proposal=p2)
    services.proposal_file(actor=cast.staff, proposal=p2)
    services.proposal_assign(actor=cast.staff, proposal=p2, lead=cast.unit)
    reply = cast.reply_ready(Proposal.objects.get(pk=p2.pk), cls="B")
    services.reply_submit(actor=cast.unit_leader, reply=reply)
    _approve(cast, reply)
    services.evaluation_submit(actor=cast.member, reply=reply, result="dissatisfied", effect="dissatisfied")
    services.evaluation_submit(actor=cast.cosigner, reply=reply, result="basically", attitude="basically")
    services.proposal_rehandle(actor=cast.staff, proposal=p2, note="请再次面商")

    # p3 (M2, environment): lead U1 + co-handler U2; contact by phone only; class C sent a day after the due
    # date (late). M2 satisfied (effect satisfied), which closes it. Selected as an excellent proposal.
    p3 = cast.filed(title="p3", by=cast.cosigner)
    services.proposal_assign(actor=cast.staff, proposal=p3, lead=cast.unit, cohandlers=[cast.co_unit])
    lead, co = cast.lead_assignment(p3), cast.co_assignment(p3)
    services.assignment_accept(actor=cast.liaison, assignment=lead)
    services.assignment_accept(actor=cast.co_liaison, assignment=co)
    services.contact_record(actor=cast.liaison, assignment=lead, happened_on=today, method="phone",
                            summary="电话沟通")
    services.cohandler_opinion_submit(actor=cast.co_liaison, assignment=co, body="同意主办单位意见")
    reply = _draft_reply(cast, lead, "C")
    services.reply_submit(actor=cast.unit_leader, reply=reply)
    services.reply_cosign(actor=cast.co_liaison, reply=reply, assignment=co)
    _approve(cast, reply, on=lead.reply_due + dt.timedelta(days=1))
    services.evaluation_submit(actor=cast.cosigner, reply=reply, result="satisfied", effect="satisfied")
    item = services.excellent_nominate(actor=cast.staff, proposal=Proposal.objects.get(pk=p3.pk), year=today.year,
                                       reason="建议可行")
    services.excellent_select(actor=cast.staff, item=item, selected=True, selected_on=today)

    # p4 (M1, social): sole U1, class A on time but no contact at all; nobody evaluates. Only nominated as a
    # key proposal (a candidate is not counted).
    p4 = cast.assigned(title="p4", cohandlers=False, category="social")
    lead = cast.lead_assignment(p4)
    services.assignment_accept(actor=cast.liaison, assignment=lead)
    reply = _draft_reply(cast, lead, "A")
    services.reply_submit(actor=cast.unit_leader, reply=reply)
    _approve(cast, reply)
    services.key_nominate(actor=cast.staff, proposal=p4, year=today.year, reason="候选")

    # p5 (M1, economy): handled separately by U1 and U3. U1 visited the proposer (face to face), got an
    # extension of 20 days and replied (class A) 5 days after the original due date: on time. U3 accepted
    # and never replied. Nobody evaluates.
    p5 = cast.filed(title="p5", category="economy")
    a1, a3 = services.proposal_assign(actor=cast.staff, proposal=p5, separate=[cast.unit, cast.other_unit])
    services.assignment_accept(actor=cast.liaison, assignment=a1)
    services.assignment_accept(actor=cast.other_liaison, assignment=a3)
    services.contact_record(actor=cast.liaison, assignment=a1, happened_on=today, method="visit", summary="实地走访")
    original_due = a1.reply_due
    ext = services.extension_request(actor=cast.liaison, assignment=a1, reason="需协调资金",
                                     requested_due=original_due + dt.timedelta(days=20))
    services.extension_decide(actor=cast.staff, extension=ext, approve=True)
    reply = _draft_reply(cast, a1, "A")
    services.reply_submit(actor=cast.unit_leader, reply=reply)
    _approve(cast, reply, on=original_due + dt.timedelta(days=5))
    assert u3_leader  # U3 has a leader who could sign a reply; it never drafts one

    # p6 (M1, policy): a collective proposal, filed, not yet assigned.
    cast.filed(title="p6", category="policy", kind="collective", collective_kind="sector",
               collective_name="经济界", has_seal=True)
    # p8 (M2): not filed. p9 (M3): submitted, still under review. p10 (M1): withdrawn after submission.
    # p11 (M1): a draft.
    services.proposal_not_file(actor=cast.staff, proposal=cast.submitted(title="p8", by=cast.cosigner),
                               ground="no_suggestion", reason="缺少具体建议", disposition="letter")
    cast.submitted(title="p9", by=cast.outsider)
    services.proposal_withdraw(actor=cast.member, proposal=cast.submitted(title="p10"), reason="另行反映")
    cast.draft(title="p11")
    return {"m4": m4, "p1": p1, "p2": p2, "p3": p3, "p4": p4, "p5": p5, "p7": p7}


def _stats(cast: Cast, *, days_later: int = LATER) -> ProposalStatistics:
    return proposal_statistics(Scope(cast.committee.pk, session=cast.session),
                               today=TODAY() + dt.timedelta(days=days_later))


def _set(cast: Cast, **values: str) -> None:
    ruleset_update(actor=None, committee_id=cast.committee.pk, year=TODAY().year,
                   values={f"statistics.{k}": v for k, v in values.items()})


def _r(numerator: int, denominator: int) -> Ratio:
    return Ratio(numerator, denominator)


def test_counts_and_filing_rate_with_merged_inside_filed(cast, story) -> None:
    s = _stats(cast)
    assert s.merged_counting == "inside_filed" and s.merged_inside_filed  # the default (Gansu)
    # Submitted: p1–p10 (p11 is a draft). Received: p1–p9 = 9 (p10 was withdrawn after submission).
    assert (s.received, s.withdrawn_after_submission) == (9, 1)
    assert s.session_proposals == 9  # all inside the open session window
    # Filed under their own number: p1–p6 = 6; merged: p7; not filed: p8; pending: p9 = 9 − 6 − 1 − 1.
    assert (s.filed_own, s.merged, s.not_filed, s.pending) == (6, 1, 1, 1)
    # Gansu: filed = 6 + 1 merged = 7; 立案率 = 7 ÷ 9.
    assert s.filed == 7
    assert s.filing_rate == _r(7, 9)
    assert s.filing_rate.percent == 77.8
    # Collective: p6 ÷ 7.
    assert s.collective == _r(1, 7)
    # Participation: M1, M2 (p2 co-signer, p3, p8), M3 (p7, p9) of 4 serving members (M4 proposes nothing).
    assert s.participation == _r(3, 4)


def test_categories_and_class_distribution(cast, story) -> None:
    s = _stats(cast)
    # Filed (with merged): p1 env, p2 rural, p3 env, p4 social, p5 economy, p6 policy, p7 rural; ÷ 7.
    assert [(c.code, c.ratio) for c in s.categories] == [
        ("economy", _r(1, 7)), ("rural", _r(2, 7)), ("environment", _r(2, 7)), ("social", _r(1, 7)),
        ("livelihood", _r(0, 7)), ("policy", _r(1, 7))]
    assert s.categories[2].label == "资源环境"
    # Latest sent reply of each replying assignment: p1 A, p2 B (round 1), p3 C, p4 A, p5·U1 A = 5 replies.
    assert [(c.code, c.ratio) for c in s.classes] == [("A", _r(3, 5)), ("B", _r(1, 5)), ("C", _r(1, 5))]
    assert s.replied == 5
    assert s.classes[1].label == "列入计划拟解决或拟采纳"


def test_reply_rate_per_proposal_and_per_assignment(cast, story) -> None:
    s = _stats(cast)
    assert s.reply_needs_contact  # the default: a contact must precede the reply
    # Replying assignments: p1·U1 ✔ (on time, met); p2·U1 ✔ (round 1 on time, met); p3·U1 ✘ (a day late);
    # p4·U1 ✘ (no contact); p5·U1 ✔ (after the original due date but within the extension, visited);
    # p5·U3 ✘ (no reply). Per assignment: 3 ÷ 6.
    assert s.reply_rate_assignments == _r(3, 6)
    # Per proposal, ÷ 7 filed: p1 ✔, p2 ✔, p3 ✘, p4 ✘, p5 ✘ (U3 has not replied), p6 ✘ (not assigned),
    # p7 ✔ (merged into p1, answered by its reply) = 3 ÷ 7.
    assert s.reply_rate == _r(3, 7)
    # 面商率: p1 (meeting), p2 (meeting), p5 (visit), p7 (through p1); p3 had a phone call only = 4 ÷ 7.
    assert s.face_to_face == _r(4, 7)


def test_reply_rate_without_the_contact_requirement(cast, story) -> None:
    _set(cast, reply_needs_contact="no")
    s = _stats(cast)
    assert not s.reply_needs_contact
    # p4·U1 now counts (on time; the missing contact no longer matters): 4 ÷ 6 and 4 ÷ 7 (p1, p2, p4, p7).
    assert s.reply_rate_assignments == _r(4, 6)
    assert s.reply_rate == _r(4, 7)


def test_satisfaction_with_split_and_forms_not_returned(cast, story) -> None:
    s = _stats(cast).satisfaction
    # Evaluations of the latest replies: p1 M1 满意; p2 M1 不满意, M2 基本满意; p3 M2 满意.
    assert (s.overall.satisfied, s.overall.basically, s.overall.dissatisfied) == (2, 1, 1)
    assert s.overall.ratio == _r(3, 4)  # (2 + 1) ÷ 4
    # Attitude given by p1 M1 (满意) and p2 M2 (基本满意): 2 ÷ 2.
    assert (s.attitude.satisfied, s.attitude.basically, s.attitude.dissatisfied) == (1, 1, 0)
    assert s.attitude.ratio == _r(2, 2)
    # Effect given by p1 M1 (基本满意), p2 M1 (不满意), p3 M2 (满意): 2 ÷ 3.
    assert (s.effect.satisfied, s.effect.basically, s.effect.dissatisfied) == (1, 1, 1)
    assert s.effect.ratio == _r(2, 3)
    # Not returned, 400 days on: p1 by M3 (the merged proposer), p4 by M1, p5·U1 by M1 = 3.
    assert s.not_returned == 3
    # Today every evaluation window is still open: nothing is "not returned" yet.
    assert _stats(cast, days_later=0).satisfaction.not_returned == 0


def test_key_excellent_and_per_unit_figures(cast, story) -> None:
    s = _stats(cast)
    assert (s.key_proposals, s.excellent_proposals) == (1, 1)  # p1 selected (p4 only a candidate); p3
    units = {u.name: u for u in s.units}
    assert [u.name for u in s.units][0] == "县生态环境局"  # most assignments first
    u1, u2, u3 = units["县生态环境局"], units["县住房和城乡建设局"], units["县农业农村局"]
    # U1: p1, p2, p3 (lead), p4, p5 = 5 assignments, all replied; on time all but p3 = 4 ÷ 5.
    assert (u1.assignments, u1.on_time) == (5, _r(4, 5))
    # U1's evaluations: p1 满意, p2 不满意 + 基本满意, p3 满意 = 3 ÷ 4. Re-handled: p2 = 1 ÷ 5.
    assert (u1.satisfaction, u1.rehandled) == (_r(3, 4), _r(1, 5))
    # Open past the due date: p2's second round (due a month after re-handling began) = 1.
    assert u1.overdue_open == 1
    # U2: the co-handler of p3, closed with it; it has no replies of its own.
    assert (u2.assignments, u2.on_time, u2.satisfaction, u2.rehandled, u2.overdue_open) == (
        1, _r(0, 0), _r(0, 0), _r(0, 1), 0)
    assert u2.on_time.rate is None and u2.on_time.percent is None
    # U3: p5 separately, never replied: past due, so on time 0 ÷ 1 and overdue.
    assert (u3.assignments, u3.on_time, u3.satisfaction, u3.overdue_open) == (1, _r(0, 1), _r(0, 0), 1)
    # Today nothing is due yet except what was already replied: U3 is neither late nor counted.
    now = {u.name: u for u in _stats(cast, days_later=0).units}
    assert (now["县农业农村局"].on_time, now["县农业农村局"].overdue_open) == (_r(0, 0), 0)


def test_merged_counted_separately(cast, story) -> None:
    _set(cast, merged_counting="separate")
    s = _stats(cast)
    assert s.merged_counting == "separate" and not s.merged_inside_filed
    # Kunming: filed = 6 (p1–p6), merged 1 and not filed 1 apart; received 9 = 6 + 1 + 1 + 1 pending.
    assert (s.filed_own, s.merged, s.not_filed, s.pending, s.filed) == (6, 1, 1, 1, 6)
    assert s.received == s.filed + s.merged + s.not_filed + s.pending
    assert s.filing_rate == _r(6, 9)
    assert s.collective == _r(1, 6)
    # Categories ÷ 6: p7 (rural) drops out.
    assert {c.code: c.ratio for c in s.categories}["rural"] == _r(1, 6)
    # Reply rate ÷ 6: p1, p2 = 2; face to face: p1, p2, p5 = 3. The per-assignment figures do not change.
    assert (s.reply_rate, s.face_to_face, s.reply_rate_assignments) == (_r(2, 6), _r(3, 6), _r(3, 6))
    # Satisfaction still counts M3's missing form on p1's reply: merged proposers are asked either way.
    assert s.satisfaction.not_returned == 3


def test_year_scope_counts_by_submission_date(cast, story) -> None:
    # A regular proposal of the same session submitted a year ago: in the session, not in this year.
    with _at(TODAY() - dt.timedelta(days=366)):
        old = cast.submitted(title="去年的提案")
    assert old.session_id == cast.session.pk and not old.is_session_proposal
    later = TODAY() + dt.timedelta(days=LATER)
    by_session = proposal_statistics(Scope(cast.committee.pk, session=cast.session), today=later)
    by_year = proposal_statistics(Scope(cast.committee.pk, year=TODAY().year), today=later)
    # Session: 9 + 1 received, 1 more pending; the year: the 9 of the story.
    assert (by_session.received, by_session.pending, by_session.session_proposals) == (10, 2, 9)
    assert (by_year.received, by_year.pending, by_year.filing_rate) == (9, 1, _r(7, 9))
    assert (by_year.reply_rate, by_year.satisfaction, by_year.units) == (
        by_session.reply_rate, by_session.satisfaction, by_session.units)


def test_four_class_committee(cast) -> None:
    classes = [{"code": c, "label": label} for c, label in
               (("A", "已解决"), ("B", "正在解决"), ("C", "以后解决"), ("D", "留作参考"))]
    ruleset_update(actor=None, committee_id=cast.committee.pk, year=TODAY().year,
                   values={"proposal.reply_classes": classes})
    cast.replied(cls="D")
    cast.replied(cls="B")
    s = proposal_statistics(Scope(cast.committee.pk, session=cast.session))
    # Two replies: B 1 ÷ 2, D 1 ÷ 2; A and C are listed with 0.
    assert [(c.code, c.label, c.ratio) for c in s.classes] == [
        ("A", "已解决", _r(0, 2)), ("B", "正在解决", _r(1, 2)), ("C", "以后解决", _r(0, 2)),
        ("D", "留作参考", _r(1, 2))]


def test_zero_denominators(committee) -> None:
    """A session with no proposals in a committee with no members: every rate is None, never an error."""
    from xieshang.organisation.models import Term

    session = SessionFactory(term=Term.objects.get(committee=committee, is_current=True))
    s = proposal_statistics(Scope(committee.pk, session=session))
    assert (s.received, s.filed, s.withdrawn_after_submission, s.pending) == (0, 0, 0, 0)
    for ratio in (s.filing_rate, s.collective, s.participation, s.reply_rate, s.reply_rate_assignments,
                  s.face_to_face, s.satisfaction.overall.ratio, s.satisfaction.attitude.ratio,
                  s.satisfaction.effect.ratio, *(c.ratio for c in s.categories), *(c.ratio for c in s.classes)):
        assert ratio.denominator == 0 and ratio.rate is None and ratio.percent is None
    assert (s.units, s.replied, s.key_proposals, s.excellent_proposals, s.satisfaction.not_returned) == (
        (), 0, 0, 0, 0)
    assert len(s.categories) == 6 and len(s.classes) == 3  # the configured items, each at 0 ÷ 0
    book = load_workbook(io.BytesIO(statistics_xlsx(s)))
    assert book["总体"]["D13"].value is None  # 立案率 row, 0 ÷ 0: left empty


def test_another_committees_proposals_never_count(cast, other_committee) -> None:
    other = Cast(other_committee)
    other.replied()
    cast.filed()
    s = proposal_statistics(Scope(cast.committee.pk, session=cast.session))
    assert (s.received, s.filed, s.units) == (1, 1, ())


def test_scope_from_the_request(cast, other_committee) -> None:
    staff = cast.staff
    assert statistics_scope_for_user(user=staff).session == cast.session  # default: the latest session
    assert statistics_scope_for_user(user=staff, session=str(cast.session.pk)).session == cast.session
    assert statistics_scope_for_user(user=staff, year="2025").year == 2025
    foreign = Cast(other_committee).session
    for kwargs in ({"session": str(foreign.pk)}, {"session": "x"}, {"year": "abc"}, {"year": "12"}):
        with pytest.raises(Http404):
            statistics_scope_for_user(user=staff, **kwargs)


def test_scope_without_sessions_is_the_current_year(committee, make_user) -> None:
    assert statistics_scope_for_user(user=make_user(Role.PROPOSAL_STAFF)).year == TODAY().year


def test_workbook_has_the_same_figures(cast, story) -> None:
    s = _stats(cast)
    book = load_workbook(io.BytesIO(statistics_xlsx(s)))
    assert book.sheetnames == ["总体", "类别", "答复类别", "满意度", "承办单位"]
    overview = {row[0]: row[1:] for row in book["总体"].iter_rows(min_row=2, values_only=True)}
    assert overview["并案统计口径"][0] == "并案计入立案（甘肃口径）"
    assert overview["收到提案"][0] == 9
    assert overview["立案率"][:3] == (7, 9, pytest.approx(7 / 9))
    assert overview["办复率（按分办件）"][:3] == (3, 6, pytest.approx(0.5))
    assert overview["未反馈评价"][0] == 3
    assert book["总体"]["D13"].number_format == "0.0%"
    assert [c.value for c in book["类别"][1]] == ["类别代码", "类别", "件数", "立案数", "占立案比率"]
    assert [c.value for c in book["答复类别"][2]][:4] == ["A", "已解决或采纳", 3, 5]
    satisfaction = list(book["满意度"].iter_rows(min_row=2, values_only=True))
    assert satisfaction[0] == ("总体评价", 2, 1, 1, 4, 0.75)
    units = {row[0]: row for row in book["承办单位"].iter_rows(min_row=2, values_only=True)}
    assert units["县生态环境局"] == ("县生态环境局", 5, 4, 5, 0.8, 3, 4, 0.75, 1, 0.2, 1)
    assert units["县住房和城乡建设局"][4] is None  # no replies of its own: no on-time rate


def test_a_fixed_number_of_queries(cast, story, django_assert_num_queries) -> None:
    scope = Scope(cast.committee.pk, session=cast.session)
    # Rules, proposals, assignments, replies, contacts, evaluations, opinions, proposers (of the proposals,
    # of those merged into them), serving members.
    with django_assert_num_queries(10):
        proposal_statistics(scope)
    for _ in range(5):
        cast.replied(cls="C")
    with django_assert_num_queries(10):
        assert proposal_statistics(scope).received == 14
