"""Official documents (公文) of the proposals loop: the proposal form (提案表), the reply letter (答复函), the
session's compilation (提案汇编) as .docx, and proposal, inbox and overdue lists as .xlsx.

The wording of these documents is fixed official Chinese whatever the interface language, so it is written
here in Chinese and not passed through gettext. The callers (views_documents.py) decide who may get which
document; the functions here only lay out what they are given, loading related rows in bulk.

Layout follows GB/T 9704-2012 as county offices apply it: A4, margins 37/35/28/26 mm, body in 三号
仿宋_GB2312 on an exact 28 pt line, titles in 二号 方正小标宋简体, first-level headings in 黑体. Font names
are set on every run, East Asian slot included (w:eastAsia), and the font table names a common fallback
(w:altName) so that a computer without the GB fonts still shows a 仿宋/宋体/黑体 face."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone, translation
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from lxml import etree
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from xieshang.organisation.models import Committee, PlenarySession
from xieshang.proposals.models import Assignment, Evaluation, Proposal, Proposer, Reply
from xieshang.proposals.workflow import AssignmentStatus, ProposalStatus, ReplyStatus
from xieshang.ruleset.selectors import rules_for

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Fonts of 公文, and the face Word or LibreOffice should use where the GB font is not installed.
FANGSONG = "仿宋_GB2312"
KAITI = "楷体_GB2312"
HEITI = "黑体"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"
FALLBACK_FONTS = {FANGSONG: "仿宋", KAITI: "楷体", XIAOBIAOSONG: "宋体", HEITI: "SimHei", SONGTI: "SimSun"}

# Sizes (号) in points.
SIZE_XIAOCHU, SIZE_ER, SIZE_SAN, SIZE_SI = 36, 22, 16, 14
LINE = Pt(28)  # 22 lines a page on the 公文 type area
RED = RGBColor(0xE0, 0x00, 0x00)
GREY = RGBColor(0x80, 0x80, 0x80)
TYPE_AREA_PT = 156 / 25.4 * 72  # 版心 156 mm wide

P, A, R = ProposalStatus, AssignmentStatus, ReplyStatus
FILED_ONWARDS = (P.FILED, P.HANDLING, P.REPLIED, P.REHANDLING, P.FOLLOW_UP, P.CLOSED)
ROLE_LABELS = {Assignment.Role.LEAD: "主办", Assignment.Role.SOLE: "主办", Assignment.Role.CO: "协办",
               Assignment.Role.SEPARATE: "分办"}
KIND_LABELS = {Proposal.Kind.INDIVIDUAL: "个人提案", Proposal.Kind.JOINT: "联名提案",
               Proposal.Kind.COLLECTIVE: "集体提案"}
COLLECTIVE_LABELS = {"party": "党派", "peoples_org": "人民团体", "sector": "界别", "special_committee": "专委会",
                     "member_group": "委员小组"}
DISPOSITION_LABELS = {"letter": "以来信形式转有关部门参考", "public_opinion": "转为社情民意信息",
                      "proposer": "由提案人另行反映"}
RESULT_LABELS = {Evaluation.Result.SATISFIED: "满意", Evaluation.Result.BASICALLY: "基本满意",
                 Evaluation.Result.DISSATISFIED: "不满意"}
DIGITS = "零一二三四五六七八九"


# ---------------------------------------------------------------------------------------------- wording


def chinese_ordinal(n: int) -> str:
    """10 → 十, 21 → 二十一: the ordinals of terms and sessions (第十届, 第五次)."""
    if n <= 0 or n >= 100:
        return str(n)
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def chinese_date(value: dt.date | dt.datetime | None) -> str:
    """2026年3月5日, the form of dates in 公文 (Arabic digits, no leading zeros)."""
    if value is None:
        return "　　年　　月　　日"
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return f"{value.year}年{value.month}月{value.day}日"


def region_name(committee: Committee) -> str:
    """The county a committee belongs to: 示范县政协 / 政协示范县委员会 → 示范县."""
    name = (committee.short_name or committee.name).strip()
    for prefix in ("中国人民政治协商会议", "政协"):
        name = name.removeprefix(prefix)
    for suffix in ("委员会", "政协"):
        name = name.removesuffix(suffix)
    return name or committee.name


def committee_title(committee: Committee) -> str:
    """政协示范县委员会."""
    return f"政协{region_name(committee)}委员会"


def session_title(committee: Committee, session: PlenarySession | None) -> str:
    """政协示范县第十届委员会第五次会议."""
    if session is None:
        return committee_title(committee)
    return (f"政协{region_name(committee)}第{chinese_ordinal(session.term.ordinal)}届委员会"
            f"第{chinese_ordinal(session.ordinal)}次会议")


def reply_title(proposal: Proposal) -> str:
    """关于政协示范县第十届委员会第五次会议第12号提案的答复."""
    committee = proposal.committee
    if proposal.session is None or not proposal.number:
        return f"关于{committee_title(committee)}《{proposal.title}》提案的答复"
    return f"关于{session_title(committee, proposal.session)}第{proposal.number}号提案的答复"


def subject_of(title: str) -> str:
    """What the opening sentence quotes: "关于加快污水治理的建议" → "加快污水治理", since the sentence
    itself already says 关于《…》的提案."""
    subject = title.strip().removeprefix("关于")
    for suffix in ("的建议案", "的提案", "的建议", "的意见"):
        if subject.endswith(suffix) and len(subject) > len(suffix):
            return subject[: -len(suffix)]
    return subject


def unit_work(unit_name: str, region: str) -> str:
    """The field a unit works in, for the closing "感谢您对XX工作的关心和支持": 县生态环境局 → 生态环境."""
    name = unit_name.strip()
    for prefix in (f"中共{region}", region, "中共", "县"):
        if name.startswith(prefix) and len(name) > len(prefix) + 1:
            name = name[len(prefix):]
            break
    for suffix in ("人民政府", "管理局", "委员会", "办公室", "局", "委", "办", "部", "厅", "中心"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def salutation(proposal: Proposal, proposers: Sequence[Proposer]) -> str:
    """张三委员： / 张三、李四委员： / 民盟示范县委员会： (a collective proposal is answered to the body)."""
    if proposal.kind == Proposal.Kind.COLLECTIVE and proposal.collective_name:
        return f"{proposal.collective_name}："
    names = [p.member.name for p in proposers] or [proposal.proposer_name]
    return f"{'、'.join(names)}委员："


def opening_sentence(proposal: Proposal) -> str:
    return f"您提出的关于《{subject_of(proposal.title)}》的提案收悉，现答复如下："


def _split_names(text: str) -> list[str]:
    return [n for n in re.split(r"[,，、;；\n]+", text) if n.strip()]


def _unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        item = item.strip().rstrip("。")
        if item:
            seen.setdefault(item, None)
    return list(seen)


def _zh(label: Any) -> str:
    """A model choice's label in Chinese, whatever language the request reads."""
    with translation.override("zh-hans"):
        return str(label)


def _category_labels(committee_id: int) -> dict[str, str]:
    return {c["code"]: c["label"] for c in rules_for(committee_id=committee_id)["proposal.categories"]}


# ------------------------------------------------------------------------------------------- docx layer


class OfficialDocument:
    """A python-docx document set up as 公文, with the few paragraph kinds the documents need."""

    def __init__(self) -> None:
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.header_distance, section.footer_distance = Mm(15), Mm(24)
        self._defaults()
        self._fallback_fonts()
        self._page_number(section.footer.paragraphs[0])

    def _defaults(self) -> None:
        """Normal style: 三号仿宋 on an exact 28 pt line, Chinese language tag for line breaking."""
        normal = self.doc.styles["Normal"]
        _set_fonts(normal.element.get_or_add_rPr(), FANGSONG)
        normal.font.size = Pt(SIZE_SAN)
        rpr = normal.element.get_or_add_rPr()
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
        rpr.append(lang)
        fmt = normal.paragraph_format
        fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, LINE
        fmt.space_before, fmt.space_after = Pt(0), Pt(0)
        fmt.widow_control = False

    def _fallback_fonts(self) -> None:
        """Declare the GB fonts in the font table with the common face to use where they are missing."""
        part = next(p for p in self.doc.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
        root = etree.fromstring(part.blob)
        for name, alt in FALLBACK_FONTS.items():
            root.append(parse_xml(
                f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
                f'<w:family w:val="{"swiss" if name == HEITI else "roman"}"/><w:pitch w:val="variable"/></w:font>'))
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _page_number(self, paragraph: Paragraph) -> None:
        """— 1 —, 四号宋体, centred under the type area."""
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.run(paragraph, "— ", SONGTI, SIZE_SI)
        field = parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>')
        _set_fonts(field[0].get_or_add_rPr(), SONGTI)
        field[0].rPr.get_or_add_sz().val = Pt(SIZE_SI)
        paragraph._p.append(field)
        self.run(paragraph, " —", SONGTI, SIZE_SI)

    @staticmethod
    def run(paragraph: Paragraph, text: str, face: str = FANGSONG, size: float = SIZE_SAN, *, bold: bool = False,
            color: RGBColor | None = None, boxed: bool = False) -> Any:
        run = paragraph.add_run(text)
        rpr = run._r.get_or_add_rPr()
        _set_fonts(rpr, face)
        if bold:
            run.bold = True
        if color is not None:
            run.font.color.rgb = color
        run.font.size = Pt(size)
        if boxed:
            rpr.append(parse_xml(f'<w:bdr {nsdecls("w")} w:val="single" w:sz="8" w:space="1" w:color="000000"/>'))
        return run

    def para(self, text: str = "", face: str = FANGSONG, size: float = SIZE_SAN, *,
             align: WD_ALIGN_PARAGRAPH | None = None, indent: bool = False, bold: bool = False,
             color: RGBColor | None = None, line: Pt | None = LINE, before: float = 0, after: float = 0,
             right_indent: Any = None, left_indent: Any = None, container: Any = None) -> Paragraph:
        paragraph = (container or self.doc).add_paragraph()
        fmt = paragraph.paragraph_format
        if align is not None:
            paragraph.alignment = align
        if indent:
            fmt.first_line_indent = Pt(2 * size)
        if line is None:
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        elif line != LINE:
            fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, line
        if before:
            fmt.space_before = Pt(before)
        if after:
            fmt.space_after = Pt(after)
        if right_indent is not None:
            fmt.right_indent = right_indent
        if left_indent is not None:
            fmt.left_indent = left_indent
        if text:
            self.run(paragraph, text, face, size, bold=bold, color=color)
        return paragraph

    def title(self, text: str, size: float = SIZE_ER, *, after_blank: bool = True) -> Paragraph:
        """标题: 二号方正小标宋简体, centred, a blank line under it."""
        paragraph = self.para(text, XIAOBIAOSONG, size, align=WD_ALIGN_PARAGRAPH.CENTER,
                              line=Pt(max(size + 8, 28)))
        if after_blank:
            self.para()
        return paragraph

    def heading(self, text: str, *, container: Any = None) -> Paragraph:
        """一级标题: 黑体三号, indented like body text, never left alone at the foot of a page."""
        paragraph = self.para(text, HEITI, indent=True, container=container)
        paragraph.paragraph_format.keep_with_next = True
        return paragraph

    def body(self, text: str, *, container: Any = None, face: str = FANGSONG, size: float = SIZE_SAN) -> None:
        """Body text: one indented paragraph per line of the source."""
        lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
        for line in lines or [""]:
            self.para(line, face, size, indent=True, container=container)

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def rule(self, paragraph: Paragraph, *, color: str = "000000", size: int = 8, where: str = "bottom") -> None:
        """A horizontal line as wide as the type area: the red separator, the lines of the 版记."""
        ppr = paragraph._p.get_or_add_pPr()
        borders = ppr.find(qn("w:pBdr"))
        if borders is None:
            borders = OxmlElement("w:pBdr")
            # pBdr must precede spacing/ind/jc in CT_PPr's sequence.
            anchor = next((ppr.find(qn(t)) for t in ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing",
                                                       "w:ind", "w:jc") if ppr.find(qn(t)) is not None), None)
            if anchor is not None:
                anchor.addprevious(borders)
            else:
                ppr.append(borders)
        edge = OxmlElement(f"w:{where}")
        for attr, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "4"), ("w:color", color)):
            edge.set(qn(attr), value)
        borders.append(edge)

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def _set_fonts(rpr: Any, face: str) -> None:
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), face)
    fonts.set(qn("w:hint"), "eastAsia")


def _cell(doc: OfficialDocument, cell: _Cell, text: str, *, face: str = FANGSONG, size: float = SIZE_SI,
          align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.LEFT) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(size + 8)
    lines = text.split("\n") if text else [""]
    doc.run(paragraph, lines[0], face, size)
    for line in lines[1:]:
        extra = cell.add_paragraph()
        extra.alignment = align
        extra.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        extra.paragraph_format.line_spacing = Pt(size + 8)
        doc.run(extra, line, face, size)


def _fix_widths(table: Any, widths: Sequence[Any]) -> None:
    """Fixed column widths: the grid and every cell, so Word and LibreOffice agree."""
    table.autofit = False
    for width, column in zip(widths, table.columns, strict=True):
        column.width = width
    for row in table.rows:
        index = 0
        for tc in row._tr.tc_lst:
            span = tc.grid_span
            tc.width = sum(widths[index:index + span], Mm(0))
            index += span


def _label_cell(doc: OfficialDocument, cell: _Cell, text: str) -> None:
    _cell(doc, cell, text, face=HEITI, align=WD_ALIGN_PARAGRAPH.CENTER)


# -------------------------------------------------------------------------------------------- 提案表


def _signed_proposers(proposal: Proposal) -> list[Proposer]:
    return sorted((p for p in proposal.proposers.all() if p.status == Proposer.Status.SIGNED),
                  key=lambda p: (not p.is_lead, p.order, p.pk))


def _member_line(member: Any) -> str:
    return "，".join(x for x in (member.name, member.sector.name if member.sector_id else "",
                                 f"{member.work_unit}{member.job_title}".strip()) if x)


def decision_text(proposal: Proposal, grounds: dict[str, str]) -> str:
    """审查意见: 立案 / 不予立案（ground）reason, disposition / 并案 into …; empty before review."""
    if proposal.status in FILED_ONWARDS:
        return f"立案（{proposal.reference}）" if proposal.number else "立案"
    if proposal.status == P.NOT_FILED:
        parts = ["不予立案"]
        if proposal.not_filed_ground:
            parts[0] += f"（{grounds.get(proposal.not_filed_ground, proposal.not_filed_ground)}）"
        if proposal.decision_reason:
            parts.append(f"理由：{proposal.decision_reason}")
        if proposal.disposition:
            parts.append(f"处理方式：{DISPOSITION_LABELS.get(proposal.disposition, proposal.disposition)}")
        return "\n".join(parts)
    if proposal.status == P.MERGED and proposal.merged_into is not None:
        lead = proposal.merged_into
        text = f"并案：并入{lead.reference}《{lead.title}》" if lead.number else f"并案：并入《{lead.title}》"
        return text + (f"\n理由：{proposal.decision_reason}" if proposal.decision_reason else "")
    return ""


def proposal_form_docx(proposal: Proposal) -> bytes:
    """提案表 of one proposal, as the proposer filed it and as the committee decided on it."""
    prefetch_related_objects(
        [proposal], Prefetch("proposers", queryset=Proposer.objects.select_related("member", "member__sector")),
        Prefetch("assignments", queryset=Assignment.objects.exclude(status=A.CANCELLED).select_related("unit")
                 .order_by("id"), to_attr="active_assignments"))
    committee = proposal.committee
    rules = rules_for(committee_id=committee.pk)
    categories = {c["code"]: c["label"] for c in rules["proposal.categories"]}
    grounds = {g["code"]: g["label"] for g in rules["proposal.not_filed_grounds"]}

    d = OfficialDocument()
    d.title(session_title(committee, proposal.session), after_blank=False)
    d.title("提　案", size=SIZE_XIAOCHU, after_blank=False)
    number = d.para(align=WD_ALIGN_PARAGRAPH.RIGHT, after=6)
    d.run(number, f"第 {proposal.number} 号" if proposal.number else "第　　号", FANGSONG, SIZE_SAN)

    proposers = _signed_proposers(proposal)
    lead = next((p for p in proposers if p.is_lead), None)
    lead_member = lead.member if lead else proposal.lead_member
    cosigners = [p for p in proposers if not p.is_lead]

    table = d.doc.add_table(rows=0, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER

    def row(*cells: tuple[str, bool, int]) -> None:
        """One table row of (text, is_label, columns spanned)."""
        out, index = table.add_row().cells, 0
        for text, is_label, span in cells:
            cell = out[index] if span == 1 else out[index].merge(out[index + span - 1])
            (_label_cell if is_label else _cell)(d, cell, text)
            index += span

    row(("类　　别", True, 1), (categories.get(proposal.category, proposal.category), False, 1),
        ("提案类型", True, 1), (KIND_LABELS.get(proposal.kind, proposal.kind), False, 1))
    if proposal.kind == Proposal.Kind.COLLECTIVE:
        row(("提案单位", True, 1), (proposal.collective_name, False, 1),
            ("单位类别", True, 1), (COLLECTIVE_LABELS.get(proposal.collective_kind, ""), False, 1))
        row(("召 集 人", True, 1), (_member_line(lead_member) if lead_member else "", False, 1),
            ("盖章签名", True, 1), ("已盖章或签名" if proposal.has_seal else "未盖章", False, 1))
    else:
        # An imported past proposal may name a first proposer who is not in the member directory.
        row(("第一提案人", True, 1), (lead_member.name if lead_member else proposal.proposer_text, False, 1),
            ("界　　别", True, 1), (lead_member.sector.name if lead_member and lead_member.sector_id else "",
                                   False, 1))
        row(("工作单位\n及职务", True, 1),
            (f"{lead_member.work_unit}{lead_member.job_title}" if lead_member else "", False, 3))
    if cosigners:
        row(("联名提案人", True, 1), ("\n".join(
            f"{p.member.name}（{p.member.sector.name if p.member.sector_id else ''}，{p.member.work_unit}）"
            for p in cosigners), False, 3))
    row(("案　　由", True, 1), (proposal.title, False, 3))
    _fix_widths(table, (Mm(30), Mm(48), Mm(30), Mm(48)))

    d.para()
    for heading, text in (("一、情况", proposal.situation), ("二、分析", proposal.analysis),
                          ("三、建议", proposal.suggestions)):
        d.heading(heading)
        d.body(text)

    d.para()
    review = d.doc.add_table(rows=0, cols=2)
    review.style = "Table Grid"
    review.alignment = WD_TABLE_ALIGNMENT.CENTER
    decided = decision_text(proposal, grounds)
    units: dict[str, list[str]] = defaultdict(list)
    for a in proposal.active_assignments:
        units[ROLE_LABELS.get(a.role, a.role)].append(a.unit.name)
    lines = [("审查意见", decided or "（待审查）"), ("主办单位", "、".join(units.get("主办", [])))]
    # Co-handling and separate units only where there are any: most proposals have a lead unit alone.
    lines += [(f"{role}单位", "、".join(units[role])) for role in ("协办", "分办") if units.get(role)]
    for label, text in lines:
        cells = review.add_row().cells
        _label_cell(d, cells[0], label)
        _cell(d, cells[1], text)
    _fix_widths(review, (Mm(30), Mm(126)))
    if proposal.submitted_at:
        d.para(f"提交时间：{chinese_date(proposal.submitted_at)}", FANGSONG, SIZE_SI,
               align=WD_ALIGN_PARAGRAPH.RIGHT, before=6)
    return d.bytes()


# ---------------------------------------------------------------------------------------------- 答复函


@dataclass(frozen=True)
class LetterParts:
    """Every line of a reply letter whose wording is fixed, so that tests and pages can show the same."""

    class_mark: str
    letterhead: str
    document_number: str
    signatory: str
    title: str
    salutation: str
    opening: str
    closing: str
    date: str
    contact: str
    cc: str


def reply_letter_parts(reply: Reply) -> LetterParts:
    assignment = reply.assignment
    proposal = assignment.proposal
    unit = assignment.unit
    committee = proposal.committee
    region = region_name(committee)
    proposers = list(Proposer.objects.filter(proposal=proposal, status=Proposer.Status.SIGNED)
                     .select_related("member").order_by("-is_lead", "order", "id"))
    cohandlers = []
    if assignment.role == Assignment.Role.LEAD:
        cohandlers = list(proposal.assignments.filter(role=Assignment.Role.CO).exclude(status=A.CANCELLED)
                          .select_related("unit").order_by("id").values_list("unit__name", flat=True))
    copied = _unique([*_split_names(reply.cc), f"{committee_title(committee)}提案委员会", *cohandlers])
    contact = "　".join(x for x in (f"联系单位：{unit.name}",
                                     f"联系人：{reply.contact_person}" if reply.contact_person else "",
                                     f"联系电话：{reply.contact_phone}" if reply.contact_phone else "") if x)
    return LetterParts(
        class_mark=reply.result_class,
        letterhead=unit.name,
        document_number=reply.document_number,
        signatory=reply.signatory,
        title=reply_title(proposal),
        salutation=salutation(proposal, proposers),
        opening=opening_sentence(proposal),
        closing=f"感谢您对{unit_work(unit.name, region)}工作的关心和支持。",
        date=chinese_date(reply.sent_at),
        contact=f"（{contact}）",
        cc=f"抄送：{'，'.join(copied)}。",
    )


DRAFT_MARK = "征求意见稿"


def reply_letter_docx(reply: Reply, *, draft: bool | None = None) -> bytes:
    """答复函 (§2.1 "Reply format"): class mark top right, the unit's letterhead in red, 文号 and 签发人, the
    standard title, salutation, opening, body, closing, seal and date, contact note and the CC 版记. A reply
    not yet sent prints as 征求意见稿, with the mark in the page header so every page carries it."""
    draft = reply.status != R.SENT if draft is None else draft
    parts = reply_letter_parts(reply)
    d = OfficialDocument()
    section = d.doc.sections[0]
    section.different_first_page_header_footer = False
    if draft:
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        d.run(header, f"{DRAFT_MARK}　未经签发，不作正式答复", HEITI, SIZE_SI, color=GREY)

    top = d.para(line=None)
    top.paragraph_format.tab_stops.add_tab_stop(Mm(156), WD_TAB_ALIGNMENT.RIGHT)
    if draft:
        d.run(top, DRAFT_MARK, HEITI, SIZE_SAN, color=RED)
    d.run(top, "\t")
    d.run(top, parts.class_mark or "　", HEITI, SIZE_SAN, bold=True, boxed=True)

    # 发文机关标志: red 小标宋, as large as fits the type area on one line (at most 小初).
    size = min(SIZE_XIAOCHU, int(TYPE_AREA_PT / max(len(parts.letterhead), 1)))
    d.para(parts.letterhead, XIAOBIAOSONG, size, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED, line=None,
           before=24, after=12)
    numbers = d.para(after=2)
    numbers.paragraph_format.tab_stops.add_tab_stop(Mm(156), WD_TAB_ALIGNMENT.RIGHT)
    d.run(numbers, parts.document_number or "　")
    d.run(numbers, "\t签发人：")
    d.run(numbers, parts.signatory, KAITI)
    d.rule(numbers, color="E00000", size=18)
    d.para()
    d.title(parts.title)
    d.para(parts.salutation)
    d.para(parts.opening, indent=True)
    d.body(reply.body)
    d.para(parts.closing, indent=True)
    # Seal, unit and date stay on one page: 成文日期 right, four characters in; the seal over both.
    signature = [d.para(), d.para(),
                 d.para("（印章）", color=GREY, align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=Pt(6 * SIZE_SAN)),
                 d.para(parts.letterhead, align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=Pt(4 * SIZE_SAN)),
                 d.para(parts.date, align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=Pt(4 * SIZE_SAN))]
    for paragraph in signature[:-1]:
        paragraph.paragraph_format.keep_with_next = True
    d.para()
    d.para(parts.contact, indent=True)
    d.para()
    # 版记: a full-width line, 抄送 in 四号 one character in (wrapped lines align after the colon), a thin
    # line, the issuing unit and date, a closing line.
    top = d.para(line=Pt(2))
    d.rule(top, size=8)
    cc = d.para(parts.cc, FANGSONG, SIZE_SI, line=Pt(SIZE_SI + 14), left_indent=Pt(4 * SIZE_SI),
                right_indent=Pt(SIZE_SI))
    cc.paragraph_format.first_line_indent = Pt(-3 * SIZE_SI)
    printed = d.para(line=Pt(SIZE_SI + 14))
    printed.paragraph_format.tab_stops.add_tab_stop(Mm(156), WD_TAB_ALIGNMENT.RIGHT)
    d.run(printed, f"　{parts.letterhead}", FANGSONG, SIZE_SI)
    d.run(printed, f"\t{parts.date}印发　", FANGSONG, SIZE_SI)
    d.rule(printed, size=4, where="top")
    d.rule(printed, size=8, where="bottom")
    for paragraph in (top, cc):
        paragraph.paragraph_format.keep_with_next = True
    return d.bytes()


# ---------------------------------------------------------------------------------------------- 提案汇编


def compilation_proposals(session: PlenarySession) -> list[Proposal]:
    """The session's filed proposals by number, with proposers and merged proposals, in three queries."""
    return list(Proposal.objects.filter(committee_id=session.committee_id, session=session,
                                        status__in=FILED_ONWARDS, number__isnull=False)
                .select_related("lead_member").prefetch_related(
                    Prefetch("proposers", queryset=Proposer.objects.filter(status=Proposer.Status.SIGNED)
                             .select_related("member", "member__sector").order_by("-is_lead", "order", "id")),
                    Prefetch("merged_proposals", queryset=Proposal.objects.select_related("lead_member")
                             .order_by("id")))
                .order_by("number"))


def _proposers_text(proposal: Proposal) -> str:
    if proposal.kind == Proposal.Kind.COLLECTIVE and proposal.collective_name:
        return f"提案单位：{proposal.collective_name}"
    if proposal.proposer_text:
        # An imported past proposal: its proposers as the committee's records name them.
        return f"提案人：{proposal.proposer_text}"
    names = [p.member.name for p in proposal.proposers.all()] or [proposal.proposer_name]
    return f"提案人：{'、'.join(names)}"


def _first_proposer(proposal: Proposal) -> str:
    if proposal.kind == Proposal.Kind.COLLECTIVE and proposal.collective_name:
        return proposal.collective_name
    return proposal.proposer_name


def compilation_docx(session: PlenarySession, proposals: Sequence[Proposal] | None = None) -> bytes:
    """提案汇编 of one session: cover, contents by number, then the proposals grouped by category."""
    committee = session.committee
    proposals = compilation_proposals(session) if proposals is None else proposals
    categories = rules_for(committee_id=committee.pk, on=session.opens_on)["proposal.categories"]
    d = OfficialDocument()

    # Cover
    for _ in range(4):
        d.para()
    d.title(session_title(committee, session), size=SIZE_ER, after_blank=False)
    d.para()
    d.title("提 案 汇 编", size=42, after_blank=False)
    for _ in range(10):
        d.para()
    d.para(f"{committee_title(committee)}提案委员会", HEITI, align=WD_ALIGN_PARAGRAPH.CENTER)
    d.para(chinese_date(timezone.localdate()).rsplit("月", 1)[0] + "月", FANGSONG,
           align=WD_ALIGN_PARAGRAPH.CENTER)
    contents = d.doc.add_section(WD_SECTION.NEW_PAGE)
    # The cover carries no page number (a blank first-page footer); numbering starts at the contents.
    d.doc.sections[0].different_first_page_header_footer = True
    contents.different_first_page_header_footer = False
    page_numbers = OxmlElement("w:pgNumType")
    page_numbers.set(qn("w:start"), "1")
    contents._sectPr.insert_element_before(page_numbers, "w:cols", "w:formProt", "w:vAlign", "w:noEndnote",
                                           "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid")

    # Contents: every proposal by number, title and first proposer.
    d.title("目　　录")
    for proposal in proposals:
        entry = d.para(size=SIZE_SI, line=Pt(24))
        fmt = entry.paragraph_format
        fmt.left_indent, fmt.first_line_indent = Pt(5 * SIZE_SI), Pt(-5 * SIZE_SI)
        fmt.tab_stops.add_tab_stop(Pt(5 * SIZE_SI), WD_TAB_ALIGNMENT.LEFT)
        fmt.tab_stops.add_tab_stop(Mm(156), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        d.run(entry, f"第{proposal.number}号\t{proposal.title}\t{_first_proposer(proposal)}", FANGSONG, SIZE_SI)
    if not proposals:
        d.para("本次会议尚无立案提案。", align=WD_ALIGN_PARAGRAPH.CENTER)

    # The proposals, category by category in the committee's order; unknown codes last.
    by_category: dict[str, list[Proposal]] = defaultdict(list)
    for proposal in proposals:
        by_category[proposal.category].append(proposal)
    order = [(c["code"], c["label"]) for c in categories]
    known = {code for code, _ in order}
    order += [(code, code or "其他") for code in sorted(set(by_category) - known)]
    groups = [(label, by_category[code]) for code, label in order if by_category.get(code)]
    for index, (label, items) in enumerate(groups, start=1):
        d.page_break()
        d.para(f"{chinese_ordinal(index)}、{label}（{len(items)}件）", HEITI, SIZE_ER - 2,
               align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(36), after=12)
        for proposal in items:
            head = [d.para(f"第{proposal.number}号", HEITI, SIZE_SAN, align=WD_ALIGN_PARAGRAPH.CENTER, before=18),
                    d.para(proposal.title, XIAOBIAOSONG, SIZE_SAN + 2, align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(30)),
                    d.para(_proposers_text(proposal), KAITI, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)]
            merged = list(proposal.merged_proposals.all())
            if merged:
                head.append(d.para("并案提案：" + "；".join(f"《{m.title}》（{m.lead_member.name}）" for m in merged),
                                   KAITI, SIZE_SI, align=WD_ALIGN_PARAGRAPH.CENTER))
            for paragraph in head:  # a proposal's heading block starts on the page its text starts on
                paragraph.paragraph_format.keep_with_next = True
            for heading, text in (("一、情况", proposal.situation), ("二、分析", proposal.analysis),
                                  ("三、建议", proposal.suggestions)):
                d.heading(heading)
                d.body(text)
    return d.bytes()


# ---------------------------------------------------------------------------------------------- .xlsx


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    kind: str = "text"  # "text", "int", "datetime", "date"


@dataclass
class _ListContext:
    categories: dict[str, str]
    replies: dict[int, list[str]]  # proposal id → the result classes of its sent replies (latest round)
    evaluations: dict[int, dict[str, int]]  # proposal id → result → count


def _units(p: Proposal, *roles: str) -> str:
    return "、".join(a.unit.name for a in p.assignments.all() if a.role in roles and a.status != A.CANCELLED)


def _reply_due(p: Proposal) -> dt.date | None:
    dues = [a.reply_due for a in p.assignments.all() if a.role != Assignment.Role.CO and a.status in
            (A.ASSIGNED, A.OBJECTED, A.HANDLING)]
    return min(dues) if dues else None


def _satisfaction(counts: dict[str, int]) -> str:
    return "，".join(f"{RESULT_LABELS[k]}{counts[k]}" for k in RESULT_LABELS if counts.get(k))


PROPOSAL_COLUMNS: dict[str, tuple[Column, Callable[[Proposal, _ListContext], Any]]] = {
    "number": (Column("编号", 8, "int"), lambda p, c: p.number),
    "title": (Column("案由", 48), lambda p, c: p.title),
    "lead": (Column("第一提案人", 14), lambda p, c: _first_proposer(p)),
    "category": (Column("类别", 22), lambda p, c: c.categories.get(p.category, p.category)),
    "kind": (Column("类型", 10), lambda p, c: KIND_LABELS.get(p.kind, p.kind)),
    "status": (Column("状态", 12), lambda p, c: _zh(p.get_status_display())),
    "lead_unit": (Column("主办单位", 24), lambda p, c: _units(p, Assignment.Role.LEAD, Assignment.Role.SOLE)),
    "co_units": (Column("协办单位", 30), lambda p, c: _units(p, Assignment.Role.CO)),
    "separate_units": (Column("分办单位", 30), lambda p, c: _units(p, Assignment.Role.SEPARATE)),
    "result_class": (Column("答复类别", 10), lambda p, c: "/".join(c.replies.get(p.pk, []))),
    "satisfaction": (Column("满意度", 22), lambda p, c: _satisfaction(c.evaluations.get(p.pk, {}))),
    "submitted_at": (Column("提交时间", 18, "datetime"), lambda p, c: p.submitted_at),
    "reply_due": (Column("截止日期", 12, "date"), lambda p, c: _reply_due(p)),
}
DEFAULT_COLUMNS = ("number", "title", "lead", "category", "kind", "status", "lead_unit", "co_units",
                   "separate_units", "result_class", "satisfaction", "submitted_at", "reply_due")
_NEEDS_ASSIGNMENTS = {"lead_unit", "co_units", "separate_units", "reply_due"}
_NEEDS_REPLIES = {"result_class", "satisfaction"}


def _list_context(proposals: list[Proposal], columns: Sequence[str]) -> _ListContext:
    """Everything the columns need beyond the rows, in a fixed number of queries whatever the row count."""
    wanted = set(columns)
    if proposals and wanted & _NEEDS_ASSIGNMENTS and "assignments" not in getattr(
            proposals[0], "_prefetched_objects_cache", {}):
        prefetch_related_objects(proposals, Prefetch(
            "assignments", queryset=Assignment.objects.exclude(status=A.CANCELLED).select_related("unit")))
    if proposals and "lead" in wanted:
        prefetch_related_objects(proposals, "lead_member")
    categories = _category_labels(proposals[0].committee_id) if proposals and "category" in wanted else {}
    replies: dict[int, list[str]] = defaultdict(list)
    evaluations: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if proposals and wanted & _NEEDS_REPLIES:
        ids = [p.pk for p in proposals]
        latest: dict[int, int] = {}
        sent = list(Reply.objects.filter(assignment__proposal_id__in=ids, status=R.SENT)
                    .values_list("assignment__proposal_id", "round", "result_class").order_by("round", "id"))
        for proposal_id, round_, _cls in sent:
            latest[proposal_id] = max(latest.get(proposal_id, 0), round_)
        for proposal_id, round_, cls in sent:
            if round_ == latest[proposal_id] and cls:
                replies[proposal_id].append(cls)
        for proposal_id, round_, result in Evaluation.objects.filter(
                reply__assignment__proposal_id__in=ids, reply__status=R.SENT).values_list(
                "reply__assignment__proposal_id", "reply__round", "result"):
            if round_ == latest.get(proposal_id):
                evaluations[proposal_id][result] += 1
    return _ListContext(categories, replies, evaluations)


def _cell_value(value: Any, kind: str) -> Any:
    """Excel stores no time zone: datetimes go in as local wall time."""
    if value is None:
        return None
    if kind == "datetime" and isinstance(value, dt.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).replace(tzinfo=None)
    return value


def _sheet(ws: Worksheet, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> None:
    """Chinese headers in bold on a grey band, frozen; widths per column; an auto-filter over the data."""
    ws.append([c.header for c in columns])
    header_font, band = Font(bold=True), PatternFill("solid", fgColor="DDDDDD")
    for cell in ws[1]:
        cell.font, cell.fill = header_font, band
        cell.alignment = Alignment(horizontal="center", vertical="center")
    formats = {"datetime": "yyyy-mm-dd hh:mm", "date": "yyyy-mm-dd"}
    count = 1
    for row in rows:
        ws.append([_cell_value(v, c.kind) for v, c in zip(row, columns, strict=True)])
        count += 1
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = column.width
        if column.kind in formats:
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = formats[column.kind]
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count}"


def _workbook_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def proposals_xlsx(proposals: Iterable[Proposal], *, columns: Sequence[str] = DEFAULT_COLUMNS,
                   sheet_title: str = "提案") -> bytes:
    """A list of proposals as a spreadsheet; ``columns`` are keys of PROPOSAL_COLUMNS, in order."""
    unknown = [c for c in columns if c not in PROPOSAL_COLUMNS]
    if unknown:
        raise ValueError(f"unknown columns: {unknown}")
    rows = list(proposals)
    context = _list_context(rows, columns)
    spec = [PROPOSAL_COLUMNS[c] for c in columns]
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title
    _sheet(ws, [s[0] for s in spec], ([value(p, context) for _, value in spec] for p in rows))
    return _workbook_bytes(wb)


INBOX_COLUMNS = (Column("编号", 8, "int"), Column("案由", 48), Column("第一提案人", 14), Column("承办单位", 22),
                 Column("承办方式", 10), Column("状态", 12), Column("交办时间", 18, "datetime"),
                 Column("异议截止", 12, "date"), Column("答复截止", 12, "date"), Column("面商次数", 10, "int"),
                 Column("待会签", 8))


def inbox_xlsx(assignments: Iterable[Assignment]) -> bytes:
    """A unit's assignments (selectors.unit_inbox) as a spreadsheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = "承办件"
    _sheet(ws, INBOX_COLUMNS, ([
        a.proposal.number, a.proposal.title, _first_proposer(a.proposal), a.unit.name,
        ROLE_LABELS.get(a.role, a.role), _zh(a.get_status_display()), a.assigned_at, a.objection_due,
        a.opinion_due if a.role == Assignment.Role.CO else a.reply_due, getattr(a, "contact_count", None),
        "是" if getattr(a, "needs_cosign", False) else "",
    ] for a in assignments))
    return _workbook_bytes(wb)


def _days_late(due: dt.date | None, today: dt.date) -> int | None:
    return (today - due).days if due else None


def overdue_xlsx(board: Any, *, today: dt.date | None = None) -> bytes:
    """The overdue board (selectors.overdue_board), one sheet per kind of lateness."""
    today = today or timezone.localdate()
    wb = Workbook()
    ws = wb.active
    ws.title = "逾期办理"
    _sheet(ws, (Column("编号", 8, "int"), Column("案由", 48), Column("承办单位", 22), Column("承办方式", 10),
                Column("截止日期", 12, "date"), Column("逾期天数", 10, "int")), ([
        a.proposal.number, a.proposal.title, a.unit.name, ROLE_LABELS.get(a.role, a.role),
        (due := a.opinion_due if a.role == Assignment.Role.CO else a.reply_due), _days_late(due, today),
    ] for a in board.assignments))
    _sheet(wb.create_sheet("逾期审查"), (Column("案由", 48), Column("第一提案人", 14),
                                      Column("提交时间", 18, "datetime"), Column("审查截止", 12, "date"),
                                      Column("逾期天数", 10, "int")), ([
        p.title, _first_proposer(p), p.submitted_at, p.review_due, _days_late(p.review_due, today),
    ] for p in board.reviews))
    _sheet(wb.create_sheet("逾期交办"), (Column("编号", 8, "int"), Column("案由", 48), Column("第一提案人", 14),
                                      Column("交办截止", 12, "date"), Column("逾期天数", 10, "int")), ([
        p.number, p.title, _first_proposer(p), p.assign_due, _days_late(p.assign_due, today),
    ] for p in board.unassigned))
    reply_columns = (Column("编号", 8, "int"), Column("案由", 48), Column("承办单位", 22),
                     Column("截止日期", 12, "date"), Column("逾期天数", 10, "int"))
    _sheet(wb.create_sheet("逾期审核答复"), reply_columns, ([
        r.assignment.proposal.number, r.assignment.proposal.title, r.assignment.unit.name, r.review_due,
        _days_late(r.review_due, today),
    ] for r in board.replies))
    _sheet(wb.create_sheet("逾期评价"), (*reply_columns, Column("已有评价", 10)), ([
        r.assignment.proposal.number, r.assignment.proposal.title, r.assignment.unit.name, r.evaluation_due,
        _days_late(r.evaluation_due, today), "是" if getattr(r, "has_eval", False) else "否",
    ] for r in board.evaluations))
    return _workbook_bytes(wb)
