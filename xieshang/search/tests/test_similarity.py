from collections.abc import Iterator

import pytest

from xieshang.organisation.models import HandlingUnit, Role
from xieshang.organisation.tests.factories import UnitFactory, user_with_role
from xieshang.proposals import services
from xieshang.proposals.models import Proposal
from xieshang.proposals.tests.factories import BODY, Cast
from xieshang.search import similarity
from xieshang.search.dictionary import unit_name_variants
from xieshang.search.similarity import (
    Terms,
    committee_index,
    duplicate_groups,
    duplicate_groups_by_session,
    similar_proposals,
    subject_core,
)

SEWAGE = "关于加快农村生活污水治理的建议"
TEACHERS = "关于加强乡村教师队伍建设的建议"
TEACHERS_BODY = {
    "situation": "近三年我县乡村学校每年都有一批中青年骨干教师进入县城学校，部分乡村小学只剩下年龄较大的教师。",
    "analysis": "乡村学校交通不便、生活条件差，乡村教师补助标准偏低，县城学校选调教师缺少限制。",
    "suggestions": "一是提高乡村教师生活补助标准；二是规定乡村教师最低服务年限；三是建设乡村教师周转宿舍。",
}


@pytest.fixture
def cast(committee):
    return Cast(committee)


@pytest.fixture(autouse=True)
def _fresh(monkeypatch) -> Iterator[None]:
    """Every lookup checks the table fully (no grace period), and no index survives a test."""
    monkeypatch.setattr(similarity, "VERSION_TTL", 0.0)
    similarity.reset()
    yield
    similarity.reset()


def ids(matches):
    return [m.proposal.pk for m in matches]


def test_subject_core_drops_the_frame() -> None:
    assert subject_core("关于加快农村生活污水治理的建议") == "加快农村生活污水治理"
    assert subject_core("關於加快農村生活污水治理的提案") == "加快农村生活污水治理"
    assert subject_core("建议") == "建议"  # nothing left: the subject stays as it is


def test_unit_name_variants_are_how_members_write_units() -> None:
    assert unit_name_variants("县住房和城乡建设局", "县住建局") == [
        "县住房和城乡建设局", "住房和城乡建设局", "县住建局", "住建局"]
    assert unit_name_variants("县委组织部") == ["县委组织部", "组织部"]
    assert unit_name_variants("滩歌镇") == ["滩歌镇", "滩歌"]


def test_a_traditional_subject_finds_its_simplified_twin(cast) -> None:
    sewage = cast.filed(title=SEWAGE)
    teachers = cast.filed(title=TEACHERS, **TEACHERS_BODY)
    found = similar_proposals(committee_id=cast.committee.pk, title="關於加快農村生活汙水治理的建議")
    assert ids(found)[0] == sewage.pk
    assert found[0].score > 0.5
    found = similar_proposals(committee_id=cast.committee.pk, title="关于稳定乡村学校教师队伍的建议",
                              body="提高乡村教师补助，建设周转宿舍")
    assert ids(found)[0] == teachers.pk


def test_the_body_alone_finds_a_proposal(cast) -> None:
    sewage = cast.filed(title=SEWAGE)
    cast.filed(title=TEACHERS, **TEACHERS_BODY)
    found = similar_proposals(committee_id=cast.committee.pk, title="", body="村庄污水直排，管网建设资金不足")
    assert ids(found)[0] == sewage.pk


def test_the_committee_dictionary_keeps_unit_and_township_names_whole(cast) -> None:
    UnitFactory(committee=cast.committee, name="滩歌镇", kind=HandlingUnit.Kind.TOWNSHIP)
    HandlingUnit.objects.filter(pk=cast.co_unit.pk).update(short_name="县住建局")  # 县住房和城乡建设局
    p = cast.filed(title="关于滩歌镇古建筑保护的建议", situation="县住建局和滩歌镇对古建筑的保护投入不足。")
    index = committee_index(cast.committee.pk)
    text = index.stored(p.pk).text()
    assert text["县住建局"] == 1 and text["滩歌镇"] >= 1
    # A township names a place, not a matter: the subject field leaves it out, the text keeps it.
    assert "滩歌镇" not in index.stored(p.pk).subject(index.dictionary.places)
    assert index.dictionary.places_in("滩歌镇的古建筑") == frozenset({"滩歌"})


def test_a_query_in_the_words_of_the_dictionary_finds_the_proposal(cast) -> None:
    HandlingUnit.objects.filter(pk=cast.co_unit.pk).update(short_name="县住建局")  # 县住房和城乡建设局
    housing = cast.filed(title="关于加快县城老旧小区改造的建议",
                         situation="老旧小区管网老化，县住建局改造资金不足。", suggestions="一是筹措改造资金。")
    cast.filed(title=SEWAGE)
    found = similar_proposals(committee_id=cast.committee.pk, title="请县住建局加快改造", body="")
    assert ids(found)[0] == housing.pk


def test_the_index_follows_the_table(cast, monkeypatch) -> None:
    committee_id = cast.committee.pk
    first = cast.filed(title=SEWAGE)
    assert ids(similar_proposals(committee_id=committee_id, title=TEACHERS)) == [first.pk]  # 建设 in its body
    added = cast.filed(title=TEACHERS, **TEACHERS_BODY)  # a new proposal is found at once
    assert ids(similar_proposals(committee_id=committee_id, title=TEACHERS)) == [added.pk, first.pk]
    draft = cast.draft(title="关于发展乡村旅游的建议")

    def score() -> float:
        return next(m.score for m in similar_proposals(committee_id=committee_id, title="乡村教师培训")
                    if m.proposal.pk == draft.pk)

    before = score()
    services.proposal_update(actor=cast.member, proposal=draft, title="关于加强乡村教师培训的建议")
    edited = score()
    assert edited > before
    monkeypatch.setattr(similarity, "VERSION_TTL", 3600.0)  # an edit waits for the next full check
    services.proposal_update(actor=cast.member, proposal=draft, title="关于发展乡村旅游的建议")
    assert score() == edited
    monkeypatch.setattr(similarity, "VERSION_TTL", 0.0)
    assert score() == before
    Proposal.objects.filter(pk=first.pk).delete()  # a deleted proposal goes at once
    assert first.pk not in ids(similar_proposals(committee_id=committee_id, title=SEWAGE))


def test_a_member_never_sees_another_members_draft(cast) -> None:
    committee_id = cast.committee.pk
    filed = cast.filed(title=SEWAGE)
    mine = cast.draft(title="关于推进农村生活污水治理设施建设的建议")
    theirs = cast.draft(title="关于农村生活污水治理的建议", by=cast.outsider)
    found = ids(similar_proposals(committee_id=committee_id, title=SEWAGE, user=cast.member))
    assert filed.pk in found and mine.pk in found and theirs.pk not in found
    found = ids(similar_proposals(committee_id=committee_id, title=SEWAGE, user=cast.outsider))
    assert theirs.pk in found and mine.pk not in found
    # Staff see proposals once submitted; nobody's drafts.
    found = ids(similar_proposals(committee_id=committee_id, title=SEWAGE, user=cast.staff))
    assert found == [filed.pk]
    # Without a user (the command line), everything of the committee.
    assert set(ids(similar_proposals(committee_id=committee_id, title=SEWAGE))) == {filed.pk, mine.pk, theirs.pk}


def test_a_committee_never_finds_anothers_proposals(cast, other_committee) -> None:
    other = Cast(other_committee)
    theirs = other.filed(title=SEWAGE)
    ours = cast.filed(title=SEWAGE)
    assert ids(similar_proposals(committee_id=cast.committee.pk, title=SEWAGE)) == [ours.pk]
    assert ids(similar_proposals(committee_id=other_committee.pk, title=SEWAGE)) == [theirs.pk]
    outsider = user_with_role(other_committee, Role.MEMBER)
    assert similar_proposals(committee_id=cast.committee.pk, title=SEWAGE, user=outsider) == []


def test_exclude_and_limit(cast) -> None:
    a = cast.filed(title=SEWAGE)
    b = cast.filed(title="关于推进农村生活污水治理的建议")
    found = similar_proposals(committee_id=cast.committee.pk, title=SEWAGE, exclude_id=a.pk)
    assert ids(found) == [b.pk]
    assert len(similar_proposals(committee_id=cast.committee.pk, title=SEWAGE, limit=1)) == 1
    assert similar_proposals(committee_id=cast.committee.pk, title="  ", body="") == []


def test_lookups_take_the_same_queries_however_many_proposals(cast, django_assert_max_num_queries) -> None:
    committee_id = cast.committee.pk
    cast.filed(title=SEWAGE)
    similar_proposals(committee_id=committee_id, title=SEWAGE, user=cast.member)  # builds the index
    with django_assert_max_num_queries(4) as small:
        similar_proposals(committee_id=committee_id, title=SEWAGE, user=cast.member)
    for i in range(12):
        cast.filed(title=f"关于加快第{i}片区农村生活污水治理的建议")
    similar_proposals(committee_id=committee_id, title=SEWAGE, user=cast.member)
    with django_assert_max_num_queries(len(small.captured_queries)):
        found = similar_proposals(committee_id=committee_id, title=SEWAGE, user=cast.member)
    assert len(found) == 10


def test_segmented_proposals_are_kept_for_the_next_process(cast, monkeypatch) -> None:
    monkeypatch.setattr(similarity, "PERSIST_MIN", 1)
    for title in (SEWAGE, TEACHERS):
        cast.filed(title=title)
    committee_index(cast.committee.pk)
    similarity.reset()  # another process, sharing the cache
    calls = []
    original = Terms.of

    def counting(*args, **kw):
        calls.append(args)
        return original(*args, **kw)

    monkeypatch.setattr(Terms, "of", staticmethod(counting))
    index = committee_index(cast.committee.pk)
    assert index.size == 2 and calls == []
    assert ids(similar_proposals(committee_id=cast.committee.pk, title=TEACHERS))[0] in index.slot_of


# Duplicates at review ---------------------------------------------------------------------------------

def test_duplicates_of_a_session_are_grouped(cast) -> None:
    a = cast.submitted(title=SEWAGE)
    b = cast.submitted(title="关于推进农村生活污水治理的建议", by=cast.cosigner,
                       situation="我县部分村庄生活污水直排，农村生活污水收集率偏低。")
    lead = cast.filed(title="关于加快推进农村生活污水治理工作的建议", by=cast.outsider)
    other = cast.submitted(title=TEACHERS, **TEACHERS_BODY)
    cast.draft(title=SEWAGE)  # a draft is not under review
    groups = duplicate_groups(committee_id=cast.committee.pk, session_id=cast.session.pk)
    assert [[p.pk for p in g] for g in groups] == [[lead.pk, a.pk, b.pk]]  # the filed one leads
    assert other.pk not in {p.pk for g in groups for p in g}
    # The threshold is the caller's: at 1.0 nothing is alike enough.
    assert duplicate_groups(committee_id=cast.committee.pk, session_id=cast.session.pk, threshold=1.0) == []


def test_duplicates_never_cross_sessions_or_committees(cast, other_committee) -> None:
    from xieshang.proposals.tests.factories import open_session

    a = cast.submitted(title=SEWAGE)
    Proposal.objects.filter(pk=a.pk).update(session=open_session(cast.committee))
    cast.submitted(title=SEWAGE)
    Cast(other_committee).submitted(title=SEWAGE)
    assert duplicate_groups(committee_id=cast.committee.pk, session_id=cast.session.pk) == []


def test_the_same_proposal_for_another_township_is_no_duplicate(cast) -> None:
    for town in ("洛门镇", "滩歌镇"):
        UnitFactory(committee=cast.committee, name=town, kind=HandlingUnit.Kind.TOWNSHIP)
    cast.submitted(title="关于加快洛门镇生活污水治理的建议")
    cast.submitted(title="关于加快滩歌镇生活污水治理的建议")
    assert duplicate_groups(committee_id=cast.committee.pk, session_id=cast.session.pk) == []
    same = cast.submitted(title="关于加快洛门生活污水治理的建议")  # 洛门 is 洛门镇
    groups = duplicate_groups_by_session(committee_id=cast.committee.pk, session_ids=[cast.session.pk])
    assert len(groups) == 1 and same in groups[0].proposals and len(groups[0].proposals) == 2
    assert groups[0].members[0][1] is None and groups[0].members[1][1] == groups[0].best


def test_duplicate_pairs_are_symmetric_with_lookups(cast, monkeypatch) -> None:
    """A pair's score is the score one would get looking the other up with its whole text (lookups keep
    the heaviest MAX_QUERY_TERMS terms of a query)."""
    monkeypatch.setattr(similarity, "MAX_QUERY_TERMS", 10_000)
    a = cast.submitted(title=SEWAGE)
    b = cast.submitted(title="关于推进农村生活污水治理的建议", **BODY)
    index = committee_index(cast.committee.pk)
    pair = similarity._pair_scores(index, [a.pk, b.pk])[(a.pk, b.pk)]
    looked_up = similarity.ranked(committee_id=cast.committee.pk, title=a.title,
                                  body=similarity.proposal_body(a.situation, a.suggestions))
    assert pair == pytest.approx(next(f[0] for f in looked_up if f[3] == b.pk), abs=1e-4)
