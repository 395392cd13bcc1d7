"""The official documents themselves: what the proposal form, the reply letter and the compilation say, and
how the .xlsx lists are laid out."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from xieshang.organisation.models import PlenarySession, Term
from xieshang.proposals import documents, selectors, services
from xieshang.proposals.models import Proposal, Reply
from xieshang.proposals.tests.factories import BODY, Cast

SESSION = "政协甲县第十届委员会第一次会议"


def paragraphs(data: bytes) -> list[str]:
    return [p.text for p in Document(BytesIO(data)).paragraphs]


def all_text(data: bytes) -> str:
    doc = Document(BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def east_asia(paragraph: Any, run: int = 0) -> str:
    return paragraph.runs[run]._r.rPr.rFonts.get(qn("w:eastAsia"))


def joint(cast: Cast, **kw: Any) -> Proposal:
    """A joint proposal the co-signer signed, submitted."""
    p = cast.draft(kind="joint", **kw)
    services.proposal_invite_cosigners(actor=cast.member, proposal=p, members=[cast.cosigner.member])
    services.proposal_sign(actor=cast.cosigner, proposal=p)
    return services.proposal_submit(actor=cast.member, proposal=Proposal.objects.get(pk=p.pk))


# ------------------------------------------------------------------------------------------- wording


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (5, "五"), (10, "十"), (11, "十一"), (20, "二十"), (21, "二十一"),
                                         (99, "九十九"), (100, "100")])
def test_chinese_ordinal(n: int, text: str) -> None:
    assert documents.chinese_ordinal(n) == text


def test_chinese_date_has_no_leading_zeros() -> None:
    assert documents.chinese_date(dt.date(2026, 3, 5)) == "2026年3月5日"
    aware = timezone.make_aware(dt.datetime(2026, 12, 31, 23, 30))
    assert documents.chinese_date(aware) == "2026年12月31日"


@pytest.mark.parametrize(("name", "region"), [("甲县政协", "甲县"), ("政协示范县委员会", "示范县"),
                                              ("中国人民政治协商会议示范县委员会", "示范县")])
def test_region_name(committee, name: str, region: str) -> None:
    committee.name, committee.short_name = name, ""
    assert documents.region_name(committee) == region


@pytest.mark.parametrize(("title", "subject"), [("关于加快农村生活污水治理的建议", "加快农村生活污水治理"),
                                                ("关于设立社区食堂的提案", "设立社区食堂"),
                                                ("加强学前教育", "加强学前教育")])
def test_subject_of(title: str, subject: str) -> None:
    assert documents.subject_of(title) == subject


@pytest.mark.parametrize(("unit", "work"), [("县生态环境局", "生态环境"), ("县住房和城乡建设局", "住房和城乡建设"),
                                            ("甲县教育体育局", "教育体育"), ("城关镇人民政府", "城关镇"),
                                            ("县人民法院", "人民法院")])
def test_unit_work(unit: str, work: str) -> None:
    assert documents.unit_work(unit, "甲县") == work


# ------------------------------------------------------------------------------------------- 答复函


def test_sent_reply_letter_carries_every_part_of_the_format(cast) -> None:
    proposal = cast.replied(cls="B")
    reply = Reply.objects.get(assignment__proposal=proposal)
    doc = Document(BytesIO(documents.reply_letter_docx(reply)))
    texts = [p.text for p in doc.paragraphs]
    lead = proposal.lead_member.name
    sent = documents.chinese_date(reply.sent_at)

    assert texts[0] == "\tB"  # the class mark, alone at the top right
    assert doc.paragraphs[0].runs[-1]._r.rPr.find(qn("w:bdr")) is not None  # boxed
    assert texts[1] == "县生态环境局"  # letterhead
    assert texts[2] == "环函〔2026〕1号\t签发人：局长 王某"
    title = f"关于{SESSION}第{proposal.number}号提案的答复"
    assert title == "关于政协甲县第十届委员会第一次会议第1号提案的答复"
    i = texts.index(title)
    assert texts[i + 1:i + 6] == ["", f"{lead}委员：", "您提出的关于《加快农村生活污水治理》的提案收悉，现答复如下：",
                                  "经研究，答复如下……", "感谢您对生态环境工作的关心和支持。"]
    assert texts.index("（印章）") < texts.index(sent)
    assert "（联系单位：县生态环境局　联系人：张科长　联系电话：0938-1234567）" in texts
    assert "抄送：政协甲县委员会提案委员会。" in texts
    assert f"　县生态环境局\t{sent}印发　" in texts
    assert documents.DRAFT_MARK not in "\n".join(texts)
    assert not doc.sections[0].header.paragraphs[0].text


def test_letter_is_a4_with_official_margins_and_fonts(cast) -> None:
    reply = Reply.objects.get(assignment__proposal=cast.replied())
    doc = Document(BytesIO(documents.reply_letter_docx(reply)))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [37, 35, 28, 26]
    by_text = {p.text: p for p in doc.paragraphs}
    title = next(t for t in by_text if t.endswith("提案的答复"))
    assert east_asia(by_text[title]) == "方正小标宋简体"
    assert east_asia(by_text["感谢您对生态环境工作的关心和支持。"]) == "仿宋_GB2312"
    assert by_text["感谢您对生态环境工作的关心和支持。"].runs[0].font.size.pt == 16
    assert east_asia(doc.paragraphs[0], -1) == "黑体"  # the class mark
    assert doc.paragraphs[1].runs[0].font.color.rgb == documents.RED  # the letterhead
    # Where the GB fonts are missing, the font table names the common face to use instead.
    font_table = next(p for p in doc.part.package.iter_parts() if p.partname == "/word/fontTable.xml").blob.decode()
    assert 'w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in font_table


def test_draft_letter_is_marked_and_undated(cast) -> None:
    proposal = cast.assigned(cohandlers=False)
    reply = cast.reply_ready(proposal, cls="A")
    doc = Document(BytesIO(documents.reply_letter_docx(reply)))
    assert doc.paragraphs[0].text == f"{documents.DRAFT_MARK}\tA"
    assert documents.DRAFT_MARK in doc.sections[0].header.paragraphs[0].text
    assert "　　年　　月　　日" in [p.text for p in doc.paragraphs]


def test_cc_lists_the_units_copies_the_proposal_committee_and_the_cohandlers(cast) -> None:
    proposal = cast.assigned()
    reply = cast.reply_ready(proposal)
    reply = services.reply_save_draft(actor=cast.liaison, assignment=reply.assignment,
                                      cc="县政府督查室、县财政局；政协甲县委员会提案委员会")
    assert documents.reply_letter_parts(reply).cc == (
        "抄送：县政府督查室，县财政局，政协甲县委员会提案委员会，县住房和城乡建设局。")


def test_salutation_names_every_signed_proposer_or_the_organisation(cast) -> None:
    p = services.proposal_file(actor=cast.staff, proposal=joint(cast))
    services.proposal_assign(actor=cast.staff, proposal=p, lead=cast.unit)
    reply = cast.reply_ready(Proposal.objects.get(pk=p.pk))
    names = f"{cast.member.member.name}、{cast.cosigner.member.name}"
    assert documents.reply_letter_parts(reply).salutation == f"{names}委员："

    c = cast.filed(kind="collective", collective_kind="party", collective_name="民盟甲县委员会", has_seal=True)
    services.proposal_assign(actor=cast.staff, proposal=c, lead=cast.other_unit)
    services.assignment_accept(actor=cast.other_liaison, assignment=cast.lead_assignment(c))
    draft = services.reply_save_draft(actor=cast.other_liaison, assignment=cast.lead_assignment(c), body="答复")
    parts = documents.reply_letter_parts(draft)
    assert parts.salutation == "民盟甲县委员会："
    assert parts.closing == "感谢您对农业农村工作的关心和支持。"


# ------------------------------------------------------------------------------------------- 提案表


def test_form_of_a_filed_and_assigned_joint_proposal(cast) -> None:
    p = services.proposal_file(actor=cast.staff, proposal=joint(cast))
    services.proposal_assign(actor=cast.staff, proposal=p, lead=cast.unit, cohandlers=[cast.co_unit])
    p = selectors.proposal_get_for_user(user=cast.staff, proposal_id=p.pk)
    data = documents.proposal_form_docx(p)
    texts = paragraphs(data)
    assert texts[:3] == [SESSION, "提　案", "第 1 号"]
    doc = Document(BytesIO(data))
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    lead, co = cast.member.member, cast.cosigner.member
    assert rows[0] == ["类　　别", "资源环境", "提案类型", "联名提案"]
    assert rows[1] == ["第一提案人", lead.name, "界　　别", lead.sector.name]
    assert rows[2][:2] == ["工作单位\n及职务", "县第一中学校长"]
    assert rows[3][:2] == ["联名提案人", f"{co.name}（{co.sector.name}，县第一中学）"]
    assert rows[4][:2] == ["案　　由", "关于加快农村生活污水治理的建议"]
    for heading, part in (("一、情况", "situation"), ("二、分析", "analysis"), ("三、建议", "suggestions")):
        assert texts[texts.index(heading) + 1] == BODY[part]
    review = [[c.text for c in row.cells] for row in doc.tables[1].rows]
    assert review == [["审查意见", "立案（第1号）"], ["主办单位", "县生态环境局"], ["协办单位", "县住房和城乡建设局"]]


def test_form_records_not_filing_and_merging(cast) -> None:
    lead = cast.filed()
    declined = services.proposal_not_file(actor=cast.staff, proposal=cast.submitted(title="关于某事的建议"),
                                          ground="no_suggestion", reason="没有具体建议", disposition="letter")
    merged = services.proposal_merge(actor=cast.staff, proposal=cast.submitted(title="关于污水的建议"), into=lead,
                                     reason="内容相近")
    text = all_text(documents.proposal_form_docx(Proposal.objects.get(pk=declined.pk)))
    assert "不予立案（内容空泛、没有具体建议的）\n理由：没有具体建议\n处理方式：以来信形式转有关部门参考" in text
    assert "第　　号" in text
    text = all_text(documents.proposal_form_docx(Proposal.objects.get(pk=merged.pk)))
    assert "审查意见\n并案：并入第1号《关于加快农村生活污水治理的建议》\n主办单位" in text


def test_form_of_a_collective_proposal_and_of_a_draft(cast) -> None:
    c = cast.draft(kind="collective", collective_kind="party", collective_name="民盟甲县委员会", has_seal=True)
    text = all_text(documents.proposal_form_docx(c))
    assert "集体提案" in text and "民盟甲县委员会" in text and "党派" in text and "已盖章或签名" in text
    assert "（待审查）" in text and "第一提案人" not in text


# ---------------------------------------------------------------------------------------------- 提案汇编


def toc(data: bytes) -> list[tuple[str, str, str]]:
    return [tuple(t.split("\t")) for t in paragraphs(data) if t.startswith("第") and t.count("\t") == 2]


def test_compilation_lists_every_filed_proposal_of_the_session_in_number_order(cast, other_committee) -> None:
    economy = cast.filed(title="关于发展县域经济的建议", category="economy")
    environment = cast.filed(title="关于治理河道的建议", category="environment")
    economy2 = cast.filed(title="关于扶持小微企业的建议", category="economy")
    collective = cast.filed(title="关于加强教育的建议", category="social", kind="collective",
                            collective_kind="party", collective_name="民盟甲县委员会", has_seal=True)
    cast.draft(title="关于草稿的建议")
    cast.submitted(title="关于待审的建议")
    services.proposal_not_file(actor=cast.staff, proposal=cast.submitted(title="关于不立案的建议"),
                               ground="academic", reason="学术问题", disposition="proposer")
    services.proposal_merge(actor=cast.staff, proposal=cast.submitted(title="关于并案的建议"), into=environment)
    Cast(other_committee).filed(title="关于乙县的建议")
    # A later session of the same committee, with a proposal of its own.
    today = timezone.localdate()
    later = PlenarySession.objects.create(
        committee=cast.committee, term=Term.objects.get(committee=cast.committee, is_current=True), ordinal=2,
        name="第二次会议", opens_on=today + dt.timedelta(days=400), closes_on=today + dt.timedelta(days=403),
        proposal_window_start=today + dt.timedelta(days=300),
        proposal_deadline=timezone.now() + dt.timedelta(days=399))
    with time_machine.travel(timezone.now() + dt.timedelta(days=310)):
        other_session = cast.filed(title="关于下次会议的建议")
    assert other_session.session_id == later.pk

    data = documents.compilation_docx(cast.session)
    lead = cast.member.member.name
    assert toc(data) == [("第1号", economy.title, lead), ("第2号", environment.title, lead),
                         ("第3号", economy2.title, lead), ("第4号", collective.title, "民盟甲县委员会")]
    texts = paragraphs(data)
    assert texts[4:6] == [SESSION, ""] and "提 案 汇 编" in texts
    headings = [t for t in texts if t.endswith("件）")]
    assert headings == ["一、经济发展和城乡建设（2件）", "二、资源环境（1件）", "三、科教文卫体（1件）"]
    body = texts[texts.index(headings[0]):]
    assert [t for t in body if t.startswith("关于") and t.endswith("的建议")] == [
        economy.title, economy2.title, environment.title, collective.title]
    assert "提案单位：民盟甲县委员会" in body and f"提案人：{lead}" in body
    assert "并案提案：《关于并案的建议》（" in "\n".join(body)
    for absent in ("关于草稿的建议", "关于待审的建议", "关于不立案的建议", "关于乙县的建议", "关于下次会议的建议"):
        assert absent not in "\n".join(t for t in texts if not t.startswith("并案提案"))


def test_compilation_queries_do_not_grow_with_the_proposals(cast, django_assert_num_queries) -> None:
    for i in range(3):
        cast.filed(title=f"关于第{i}项的建议")
    with CaptureQueriesContext(connection) as small:
        documents.compilation_docx(cast.session)
    assert len(small.captured_queries) == 4  # rules, proposals, their proposers, merged proposals
    for i in range(3, 12):
        cast.filed(title=f"关于第{i}项的建议", category=["economy", "social"][i % 2])
    with django_assert_num_queries(len(small.captured_queries)):
        data = documents.compilation_docx(cast.session)
    assert len(toc(data)) == 12


# ---------------------------------------------------------------------------------------------- .xlsx


def test_proposals_xlsx_has_chinese_headers_frozen_row_widths_and_filter(cast) -> None:
    replied = cast.replied(cls="B")
    reply = Reply.objects.get(assignment__proposal=replied)
    services.evaluation_submit(actor=cast.member, reply=reply, result="basically")
    handling = cast.assigned(title="关于第二件的建议")
    rows = list(selectors.proposal_list_for_user(user=cast.staff))
    ws = load_workbook(BytesIO(documents.proposals_xlsx(rows))).active
    headers = [c.value for c in ws[1]]
    assert headers == ["编号", "案由", "第一提案人", "类别", "类型", "状态", "主办单位", "协办单位", "分办单位",
                       "答复类别", "满意度", "提交时间", "截止日期"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:M3"
    assert ws.column_dimensions["B"].width == 48
    values = {r[1]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    first = values[replied.title]
    assert first[0] == 1 and first[2] == cast.member.member.name and first[3] == "资源环境"
    assert first[4] == "个人提案" and first[6] == "县生态环境局" and first[9] == "B" and first[10] == "基本满意1"
    assert isinstance(first[11], dt.datetime)
    second = values[handling.title]
    assert second[6] == "县生态环境局" and second[7] == "县住房和城乡建设局" and second[9] is None
    assert second[12].date() == cast.lead_assignment(handling).reply_due


def test_proposals_xlsx_takes_chosen_columns_and_refuses_unknown_ones(cast) -> None:
    p = cast.filed()
    ws = load_workbook(BytesIO(documents.proposals_xlsx([p], columns=("title", "number")))).active
    assert [[c.value for c in row] for row in ws.iter_rows()] == [["案由", "编号"], [p.title, 1]]
    with pytest.raises(ValueError, match="nonsense"):
        documents.proposals_xlsx([p], columns=("nonsense",))


def test_overdue_xlsx_has_a_sheet_per_kind_of_lateness(cast) -> None:
    p = cast.assigned(cohandlers=False)
    services.assignment_accept(actor=cast.liaison, assignment=cast.lead_assignment(p))
    later = timezone.localdate() + dt.timedelta(days=200)
    board = selectors.overdue_board(committee_id=cast.committee.pk, on=later)
    wb = load_workbook(BytesIO(documents.overdue_xlsx(board, today=later)))
    assert wb.sheetnames == ["逾期办理", "逾期审查", "逾期交办", "逾期审核答复", "逾期评价"]
    rows = list(wb["逾期办理"].iter_rows(values_only=True))
    due = cast.lead_assignment(p).reply_due
    assert rows[1] == (1, p.title, "县生态环境局", "主办", dt.datetime.combine(due, dt.time()), (later - due).days)
