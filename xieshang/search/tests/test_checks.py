from collections.abc import Iterator

import pytest

from xieshang.organisation.models import HandlingUnit
from xieshang.organisation.tests.factories import UnitFactory
from xieshang.proposals.tests.factories import Cast
from xieshang.ruleset.models import RuleSet
from xieshang.search import similarity, units
from xieshang.search.checks import draft_hints, points

# A proposal that should draw no hint at all.
GOOD = {
    "title": "关于加快农村生活污水治理的建议",
    "situation": "我县农村生活污水收集率不足30%，全县312个行政村中有180余个村庄污水直排，部分河道水质下降，"
                 "群众反映强烈。调研中走访了8个乡镇，发现已建成的污水处理设施约四成不能正常运行，有的设施建成后从未通水，"
                 "有的因电费无人承担而长期停运，造成了财政资金的浪费。",
    "analysis": "一是管网建设资金不足，县级财政配套压力大，争取的上级资金只能覆盖三分之一的村庄；二是运维机制不健全，"
                "设施建成后无人管护；三是群众环保意识有待提高，部分农户不愿接入管网。",
    "suggestions": "一是将农村生活污水治理纳入县级重点项目，每年安排专项资金不少于2000万元；二是建立县乡村三级运维"
                   "机制，委托专业公司统一运维，运维费用由县乡两级财政分担；三是对接入管网的农户给予每户300元补贴。",
}


@pytest.fixture
def cast(committee):
    return Cast(committee)


@pytest.fixture(autouse=True)
def _fresh(monkeypatch) -> Iterator[None]:
    monkeypatch.setattr(similarity, "VERSION_TTL", 0.0)
    units.reset()
    yield
    units.reset()


@pytest.fixture
def county(cast):
    HandlingUnit.objects.filter(pk=cast.unit.pk).update(
        duties="负责生态环境保护和污染防治。承办农村生活污水治理、大气污染防治和河道水环境方面的提案。")
    UnitFactory(committee=cast.committee, name="县教育局",
                duties="负责教育事业。承办学校布局、乡村教师队伍、教师待遇、学生资助和校园安全方面的提案。")
    UnitFactory(committee=cast.committee, name="县卫生健康局",
                duties="负责卫生健康事业。承办乡村医生、村卫生室、医疗服务和公共卫生方面的提案。")
    return cast.committee


def hints(committee, **fields):
    return draft_hints(committee_id=committee.pk, **{**GOOD, **fields})


def codes(found):
    return [h.code for h in found]


def test_a_good_proposal_draws_no_hint(county) -> None:
    assert hints(county) == []


# Structure ----------------------------------------------------------------------------------------------

def test_a_thin_part_is_pointed_out(county) -> None:
    found = hints(county, analysis="资金不足。")
    assert codes(found) == ["structure", "length"]  # and the whole is short now
    assert "analysis" in found[0].message and "5 characters" in found[0].reason


def test_suggestions_written_into_the_situation(county) -> None:
    found = hints(county, situation=GOOD["situation"] + "为此建议：加快管网建设。")
    assert codes(found) == ["structure"] and "为此建议" in found[0].reason
    assert hints(county, situation=GOOD["situation"] + "群众建议加快建设。") == []  # reported speech is fine


def test_long_suggestions_without_points(county) -> None:
    prose = ("将农村生活污水治理纳入县级重点项目并每年安排专项资金不少于2000万元，同时建立县乡村三级运维机制，"
             "委托专业公司统一运维，对接入管网的农户给予每户300元补贴，并把设施运行情况纳入乡镇年度考核，"
             "定期通报各乡镇污水处理设施的运行率和出水水质，对长期停运的设施限期整改，整改不到位的扣减下一年度的"
             "运维补助资金。")
    assert len(prose) > 100
    found = hints(county, suggestions=prose * 2)
    assert codes(found) == ["structure"] and "points" in found[0].message
    assert "structure" not in codes(hints(county))  # numbered 一是……二是……


def test_points_are_split_the_ways_proposals_number_them() -> None:
    assert points("一是建设管网；二是建立运维机制；三是给予补贴。") == [
        "一是建设管网", "二是建立运维机制", "三是给予补贴"]
    assert points("（一）建设管网。（二）建立运维机制。") == ["（一）建设管网", "（二）建立运维机制"]
    assert points("1.建设污水管网；2.建立运维机制") == ["1.建设污水管网", "2.建立运维机制"]


# Length ---------------------------------------------------------------------------------------------------

def test_a_short_proposal(county) -> None:
    found = hints(county,
                  situation="我县村庄生活污水直排现象十分普遍，群众反映强烈，部分河道水质下降明显，亟待加以治理。",
                  analysis="主要原因是管网建设资金不足，运维机制不健全，设施建成后无人管护，群众的环保意识也不强。",
                  suggestions="一是每年安排专项资金2000万元建设污水管网；二是委托专业公司对已建成的设施统一运维。")
    assert codes(found) == ["length"] and "short" in found[0].message


def test_close_to_the_limit_and_a_long_subject(county) -> None:
    rules = RuleSet.objects.filter(committee=county).order_by("-year").first()
    body = len(GOOD["situation"]) + len(GOOD["analysis"]) + len(GOOD["suggestions"])
    rules.values = {**rules.values, "proposal.body_max_chars": body + 10}
    rules.save()
    found = hints(county)
    assert codes(found) == ["length"] and f"{body} of {body + 10}" in found[0].reason
    found = hints(county, title="关于加快农村生活污水治理并同步推进农村改厕和村庄清洁行动以全面改善农村人居环境的建议")
    assert "long" in found[-1].message


# Several issues -------------------------------------------------------------------------------------------

def test_a_subject_joining_two_matters(county) -> None:
    found = hints(county, title="关于加快农村生活污水治理和加强乡村教师队伍建设的建议")
    issue = [h for h in found if h.code == "several_issues"]
    assert len(issue) == 1 and "加强乡村教师队伍建设" in issue[0].reason and "县教育局" in issue[0].reason
    # One action on one matter is one issue, even with 和.
    assert "several_issues" not in codes(hints(county, title="关于推进农村生活污水收集和处理设施建设的建议"))


def test_suggestions_straying_into_another_matter(county) -> None:
    stray = (GOOD["suggestions"] + "四是将乡村学校教师生活补助提高到每月500元；五是为乡村学校教师建设周转宿舍，"
             "解决青年教师住宿问题。")
    found = [h for h in hints(county, suggestions=stray) if h.code == "several_issues"]
    assert len(found) == 1 and "points 4、5" in found[0].reason and "县教育局" in found[0].reason
    # One stray point about publicity is an aspect of the same matter, not a second issue.
    aside = GOOD["suggestions"] + "四是加强宣传引导，营造全社会共同参与的良好氛围。"
    assert "several_issues" not in codes(hints(county, suggestions=aside))


def test_without_units_issues_are_told_apart_by_words(county) -> None:
    stray = GOOD["suggestions"] + "四是提高乡村学校教师生活补助标准；五是建设乡村教师周转宿舍。"
    found = draft_hints(committee_id=county.pk, **{**GOOD, "suggestions": stray}, units=False)
    assert codes(found) == ["several_issues"] and "share no words" in found[0].reason


# Concrete suggestions -------------------------------------------------------------------------------------

def test_suggestions_without_a_measure(county) -> None:
    vague = "建议有关部门高度重视机关作风建设，采取有效措施，进一步转变工作作风，提高服务水平，让群众满意。"
    found = hints(county, suggestions=vague)
    assert "no_concrete_suggestion" in codes(found)
    assert "高度重视" in next(h.reason for h in found if h.code == "no_concrete_suggestion")
    assert "no_concrete_suggestion" not in codes(hints(county))


# Not fileable ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("ground", "text", "evidence"), [
    ("personal", "本人家属在中心小学任教已满十二年，多次申请调入县城学校均未获批准。", "本人家属"),
    ("promotion", "建议将该品牌设备列入政府采购目录，在全县统一推广使用。", "该品牌设备"),
    ("litigation", "施工队多次催要无果，目前已向县人民法院提起诉讼。", "提起诉讼"),
    ("named_report", "建议有关部门对该村干部的问题进行调查，严肃处理。", "对该村干部"),
    ("academic", "建议组织专家对全县古地名进行系统考证，形成统一结论。", "考证"),
    ("secret", "有关数据属于涉密内容，不宜公开。", "涉密"),
    ("democratic_party_internal", "民盟县委换届中存在的问题应当引起重视。", "民盟县委换届"),
])
def test_matters_that_are_not_filed(county, ground, text, evidence) -> None:
    found = [h for h in hints(county, situation=GOOD["situation"] + text) if h.code == "not_fileable"]
    assert len(found) == 1, found
    labels = {"personal": "个人及亲属私事", "promotion": "宣传推介", "litigation": "诉讼", "named_report": "指名举报",
              "academic": "学术探讨", "secret": "秘密", "democratic_party_internal": "民主党派"}
    assert labels[ground] in found[0].message and evidence in found[0].reason


def test_policy_words_are_not_a_case(county) -> None:
    """诉讼 and 举报 as policy topics are fileable: only one's own case is not."""
    text = "建议完善诉讼与调解对接机制，畅通群众举报渠道，规范品牌农产品认证。"
    assert "not_fileable" not in codes(hints(county, suggestions=GOOD["suggestions"] + text.replace("举报", "投诉")))


def test_the_committees_own_grounds(county) -> None:
    rules = RuleSet.objects.filter(committee=county).order_by("-year").first()
    grounds = [g for g in rules.values.get("proposal.not_filed_grounds", []) or [] if g["code"] != "personal"]
    if not grounds:
        from xieshang.ruleset.defaults import DEFAULT_NOT_FILED_GROUNDS

        grounds = [g for g in DEFAULT_NOT_FILED_GROUNDS if g["code"] != "personal"]
    rules.values = {**rules.values, "proposal.not_filed_grounds": [
        *grounds, {"code": "local_lottery", "label": "涉及彩票销售网点审批的"}]}
    rules.save()
    found = hints(county, situation=GOOD["situation"] + "本人家属申请彩票销售网点审批一直未获批准。")
    assert [h.message for h in found if h.code == "not_fileable"] == [
        "This may be a matter that is not filed: 涉及彩票销售网点审批的."]
    assert "审批" in found[0].reason or "彩票" in found[-1].reason
