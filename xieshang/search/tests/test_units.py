from collections.abc import Iterator

import pytest

from xieshang.organisation.models import HandlingUnit
from xieshang.organisation.tests.factories import UnitFactory
from xieshang.proposals import services
from xieshang.proposals.tests.factories import Cast
from xieshang.ruleset.models import RuleSet
from xieshang.search import similarity, units
from xieshang.search.units import suggest_category, suggest_units, suggest_units_for_text

SEWAGE = "关于加快农村生活污水治理的建议"


@pytest.fixture
def cast(committee):
    return Cast(committee)


@pytest.fixture(autouse=True)
def _fresh(monkeypatch) -> Iterator[None]:
    monkeypatch.setattr(similarity, "VERSION_TTL", 0.0)
    similarity.reset()
    units.reset()
    yield
    similarity.reset()
    units.reset()


@pytest.fixture
def county(cast):
    """Units with the duties a county office writes for them (no history yet)."""
    HandlingUnit.objects.filter(pk=cast.unit.pk).update(
        duties="负责生态环境保护和污染防治。承办农村生活污水治理、大气污染防治和河道水环境方面的提案。")
    HandlingUnit.objects.filter(pk=cast.co_unit.pk).update(
        short_name="县住建局", duties="负责城乡建设和住房保障。承办老旧小区改造、市政设施和建筑市场方面的提案。")
    HandlingUnit.objects.filter(pk=cast.other_unit.pk).update(
        duties="负责农业农村发展和乡村振兴。承办特色产业、农田建设和农产品加工方面的提案。")
    water = UnitFactory(committee=cast.committee, name="县水务局",
                        duties="负责水资源管理和农村供水。承办农村饮水安全、水利工程和河湖管理方面的提案。")
    school = UnitFactory(committee=cast.committee, name="县教育局",
                         duties="负责教育事业。承办学校布局、教师队伍、学生资助和校园安全方面的提案。")
    UnitFactory(committee=cast.committee, name="滩歌镇", kind=HandlingUnit.Kind.TOWNSHIP,
                duties="负责本镇经济社会发展。承办涉及本镇辖区的提案，重点是乡村旅游和古建筑保护。")
    return {"water": water, "school": school}


def names(suggestions):
    return [s.unit.name for s in suggestions]


def test_with_no_history_units_come_from_their_names_and_duties(cast, county) -> None:
    cid = cast.committee.pk
    assert names(suggest_units_for_text(committee_id=cid, title=SEWAGE))[0] == "县生态环境局"
    assert names(suggest_units_for_text(committee_id=cid, title="关于保障山区农村饮水安全的建议"))[0] == "县水务局"
    top = suggest_units_for_text(committee_id=cid, title="关于稳定乡村学校教师队伍的建议", body="乡村教师流失严重")
    assert top[0].unit == county["school"]
    assert "教师队伍" in top[0].reason and "duties match" in top[0].reason
    assert names(suggest_units_for_text(committee_id=cid, title="关于县住建局加快老旧小区改造的建议"))[0] == \
        "县住房和城乡建设局"


def test_a_unit_with_no_duties_is_found_by_its_name(cast) -> None:
    """The first-cut suggester's case: three units and nothing but their names."""
    found = suggest_units_for_text(committee_id=cast.committee.pk, title="关于加强生态环境保护的建议")
    assert found[0].unit == cast.unit  # 县生态环境局


def test_a_township_does_not_lead_on_a_shared_duty(cast, county) -> None:
    found = names(suggest_units_for_text(committee_id=cast.committee.pk, title="关于滩歌镇发展乡村旅游的建议"))
    assert "滩歌镇" in found
    found = names(suggest_units_for_text(committee_id=cast.committee.pk, title="关于加强古建筑保护的建议"))
    assert found[0] == "滩歌镇"  # the only unit whose duties say so


def _assign(cast, proposal, unit):
    services.proposal_assign(actor=cast.staff, proposal=proposal, lead=unit)


def test_history_names_the_past_proposal_the_unit_answered(cast, county) -> None:
    past = cast.filed(title="关于提升农村学校食堂供餐质量的建议", situation="农村学校食堂条件简陋，供餐质量不高。",
                      suggestions="一是改造学校食堂；二是配齐食堂从业人员。")
    _assign(cast, past, county["school"])
    found = suggest_units_for_text(committee_id=cast.committee.pk, title="关于改善农村学校食堂条件的建议",
                                   body="学校食堂供餐质量不高")
    assert found[0].unit == county["school"]
    assert "关于提升农村学校食堂供餐质量的建议" in found[0].reason
    # The proposal itself does not vote for its own unit when looked up with its id left out.
    alone = suggest_units_for_text(committee_id=cast.committee.pk, title=past.title, exclude_id=past.pk)
    assert "关于提升农村学校食堂供餐质量的建议" not in alone[0].reason


def test_the_office_choice_against_the_suggestion_is_learnt(cast, county) -> None:
    """The office gives rural sewage to 县住建局 rather than the suggested 县生态环境局: the next similar
    proposal gets 县住建局 first."""
    cid = cast.committee.pk
    housing = cast.co_unit
    first = cast.filed(title=SEWAGE)
    board = suggest_units([first])[first.pk]
    assert board[0].unit == cast.unit
    similar = "关于推进农村生活污水治理的建议"
    before = {s.unit.pk: s.score for s in suggest_units_for_text(committee_id=cid, title=similar, limit=10)}
    _assign(cast, first, housing)
    second = cast.filed(title=similar)
    after = suggest_units([second])[second.pk]
    assert after[0].unit == housing
    assert after[0].score > before.get(housing.pk, 0.0)
    assert SEWAGE in after[0].reason


def test_a_cancelled_assignment_is_not_a_choice(cast, county) -> None:
    first = cast.filed(title=SEWAGE)
    _assign(cast, first, cast.co_unit)
    lead = first.assignments.get()
    services.assignment_object(actor=cast.co_liaison, assignment=lead, reason="不属于本单位职责")
    services.assignment_decide_objection(actor=cast.staff, assignment=lead, uphold=False, note="改由生态环境局办理",
                                         new_unit=cast.unit)
    second = cast.filed(title="关于推进农村生活污水治理的建议")
    found = suggest_units([second])[second.pk]
    assert found[0].unit == cast.unit and cast.co_unit not in [s.unit for s in found[:1]]


def test_the_board_takes_the_same_queries_however_many_proposals(cast, county, django_assert_max_num_queries) -> None:
    first = [cast.filed(title=SEWAGE)]
    suggest_units(first)
    with django_assert_max_num_queries(10) as small:
        suggest_units(first)
    many = first + [cast.filed(title=f"关于第{i}批农村生活污水治理项目的建议") for i in range(8)]
    _assign(cast, many[1], cast.unit)
    suggest_units(many)
    with django_assert_max_num_queries(len(small.captured_queries) + 1):  # + the titles of the examples
        result = suggest_units(many)
    assert set(result) == {p.pk for p in many} and all(len(r) == 3 for r in result.values())


def test_inactive_units_are_never_suggested(cast, county) -> None:
    HandlingUnit.objects.filter(pk=cast.unit.pk).update(is_active=False)
    assert cast.unit not in [s.unit for s in suggest_units_for_text(committee_id=cast.committee.pk, title=SEWAGE)]


# Categories -------------------------------------------------------------------------------------------

def test_category_without_history_comes_from_the_labels(cast) -> None:
    cid = cast.committee.pk
    assert suggest_category(committee_id=cid, title=SEWAGE)[0] == "environment"
    assert suggest_category(committee_id=cid, title="关于稳定乡村学校教师队伍的建议")[0] == "social"
    assert suggest_category(committee_id=cid, title="关于推动苹果产业提质增效的建议")[0] == "rural"
    assert suggest_category(committee_id=cid, title="你好") == ("", 0.0)


def test_category_follows_the_committees_filed_proposals(cast) -> None:
    cid = cast.committee.pk
    # This committee files rural sewage under agriculture (rural), not environment.
    for title in (SEWAGE, "关于推进农村生活污水治理的建议"):
        cast.filed(title=title, category="rural")
    code, score = suggest_category(committee_id=cid, title="关于农村生活污水治理设施运维的建议")
    assert code == "rural" and 0 < score <= 1
    cast.draft(title="关于农村生活污水治理设施运维的建议", category="environment")  # drafts do not count
    assert suggest_category(committee_id=cid, title="关于农村生活污水治理设施运维的建议")[0] == "rural"


def test_category_comes_from_the_committees_own_list(cast) -> None:
    rules = RuleSet.objects.filter(committee=cast.committee).order_by("-year").first()
    rules.values = {**rules.values, "proposal.categories": [{"code": "eco", "label": "生态文明建设"},
                                                            {"code": "edu", "label": "教育事业"}]}
    rules.save()
    assert suggest_category(committee_id=cast.committee.pk, title="关于加强生态文明建设的建议")[0] == "eco"
    assert suggest_category(committee_id=cast.committee.pk, title="关于发展职业教育事业的建议")[0] == "edu"
