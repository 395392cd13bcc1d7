"""Importing past proposals (history_import.py and the proposals_import command): reading .xlsx and CSV in
the encodings offices use, placing rows in sessions, matching unit names as offices write them, proposers,
reply classes, and importing all rows or none."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from xieshang.core.errors import DomainError
from xieshang.ledger.models import Event
from xieshang.organisation.models import HandlingUnit, ImportBatch, Member, PlenarySession, Role, Term
from xieshang.organisation.tests.factories import MemberFactory, SessionFactory, UnitFactory, user_with_role
from xieshang.organisation.tests.test_importing import xlsx_bytes
from xieshang.proposals import documents, history_import, selectors
from xieshang.proposals.history_import import (
    NO_REPLY_TEXT,
    cn_int,
    cn_ordinal,
    decode_csv,
    parse_case_number,
    parse_sitting,
    split_body,
    unit_alias,
)
from xieshang.proposals.models import Assignment, Proposal, Proposer, Reply

HEADERS = ["年份", "届次", "案号", "标题", "提案人", "主办单位", "协办单位", "答复类别", "正文"]
UNIT_NAMES = {
    "县住房和城乡建设局": "县住建局", "县人力资源和社会保障局": "", "县发展和改革局": "县发改局", "县卫生健康局": "",
    "县文化和旅游局": "", "县市场监督管理局": "", "县生态环境局": "", "县农业农村局": "", "县交通运输局": "",
    "县委组织部": "", "县教育局": "",
}


def row(title: str = "关于加快农村生活污水治理的建议", **kw: Any) -> list[Any]:
    values = {"年份": 2023, "届次": "十届二次", "案号": None, "标题": title, "提案人": "张三",
              "主办单位": "县生态环境局", "协办单位": "", "答复类别": "A", "正文": ""}
    values.update(kw)
    return [values[h] for h in HEADERS]


def csv_bytes(rows: list[list[Any]], encoding: str = "utf-8-sig") -> bytes:
    lines = []
    for r in rows:
        cells = ["" if v is None else str(v) for v in r]
        lines.append(",".join(f'"{c}"' if ("," in c or "\n" in c) else c for c in cells))
    return "\r\n".join(lines).encode(encoding)


@pytest.fixture
def office(committee: Any) -> dict[str, Any]:
    return make_office(committee)


def make_office(committee: Any) -> dict[str, Any]:
    """甲县 with the current term (第十届, 2022) and its first two sessions, units and members."""
    term = Term.objects.get(committee=committee, is_current=True)
    s1 = SessionFactory(term=term, ordinal=1, name="第一次会议", opens_on=dt.date(2022, 1, 12),
                        closes_on=dt.date(2022, 1, 15), proposal_window_start=dt.date(2021, 10, 12),
                        proposal_deadline=timezone.make_aware(dt.datetime(2022, 1, 14, 18)))
    s2 = SessionFactory(term=term, ordinal=2, name="第二次会议", opens_on=dt.date(2023, 1, 10),
                        closes_on=dt.date(2023, 1, 13), proposal_window_start=dt.date(2022, 10, 10),
                        proposal_deadline=timezone.make_aware(dt.datetime(2023, 1, 12, 18)))
    units = {name: UnitFactory(committee=committee, name=name, short_name=short) for name, short in UNIT_NAMES.items()}
    members = {n: MemberFactory(committee=committee, name=n) for n in ("张三", "李四", "王五")}
    return {"term": term, "s1": s1, "s2": s2, "units": units, "members": members,
            "staff": user_with_role(committee, Role.PROPOSAL_STAFF)}


def run(committee: Any, rows: list[list[Any]], *, create_units: bool = False, name: str = "历史提案.xlsx",
        data: bytes | None = None) -> tuple[history_import.Plan, list[Proposal]]:
    data = data if data is not None else xlsx_bytes(rows)
    return history_import.history_import_file(actor=None, committee=committee, data=data, filename=name,
                                              create_units=create_units)


def _state() -> tuple[int, ...]:
    return (Proposal.objects.count(), Assignment.objects.count(), Reply.objects.count(), Proposer.objects.count(),
            HandlingUnit.objects.count(), PlenarySession.objects.count(), Term.objects.count(),
            Member.objects.count(), Event.objects.count())


# --- Values -------------------------------------------------------------------------------------------


def test_chinese_numbers_and_ordinals() -> None:
    assert [cn_int(t) for t in ("十", "十一", "二十", "二十三", "九", "12", "一百零五")] == [10, 11, 20, 23, 9, 12, 105]
    assert cn_int("届") is None
    assert [cn_ordinal(n) for n in (1, 10, 13, 20, 21)] == ["一", "十", "十三", "二十", "二十一"]


@pytest.mark.parametrize(("text", "term", "session"), [
    ("十届一次", 10, 1), ("第十届第一次会议", 10, 1), ("十届三次会议", 10, 3), ("10届2次", 10, 2),
    ("政协第十一届委员会第二次会议", 11, 2), ("第十屆第二次會議", 10, 2), ("十届", 10, None),
])
def test_sitting_forms(text: str, term: int, session: int | None) -> None:
    s = parse_sitting(None, text)
    assert (s.term, s.session, s.year) == (term, session, None)


def test_a_year_in_the_sitting_column_is_a_year() -> None:
    assert parse_sitting(2023, "2023").year == 2023
    assert parse_sitting(None, "2023年").year == 2023
    with pytest.raises(history_import._Invalid):
        parse_sitting(None, "春季会议")


@pytest.mark.parametrize(("raw", "number"), [(12, 12), (12.0, 12), ("第12号", 12), ("2023-012", 12),
                                              ("十届一次-007", 7), ("１２", 12)])
def test_case_numbers(raw: Any, number: int) -> None:
    assert parse_case_number(raw, str(raw)) == number


def test_body_is_split_at_its_headings() -> None:
    assert split_body("一、情况\n县城污水多。\n二、分析\n管网老化。\n三、建议\n改造管网。\n增加投入。") == (
        "县城污水多。", "管网老化。", "改造管网。\n增加投入。")
    assert split_body("情况：甲。分析：乙。建议：丙。") == ("甲。", "乙。", "丙。")
    assert split_body("【基本情况】\nA\n【存在问题】\nB\n【对策建议】\nC") == ("A", "B", "C")
    assert split_body("前言。\n建议如下：\n一是加强。") == ("前言。", "", "一是加强。")


def test_a_body_without_headings_is_kept_whole_as_suggestions() -> None:
    text = "我县农村生活污水治理滞后。建议加强管网建设。"
    assert split_body(text) == ("", "", text)


def test_csv_encodings_are_detected() -> None:
    text = "标题,主办单位\r\n关于加强县城停车管理的建议,县住建局\r\n"
    for encoding in ("utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"):
        assert decode_csv(text.encode(encoding)) == text, encoding


# --- Unit names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "unit"), [
    ("县住房和城乡建设局", "县住房和城乡建设局"), ("住建局", "县住房和城乡建设局"), ("县住建局", "县住房和城乡建设局"),
    ("甲县住房与城乡建设局", "县住房和城乡建设局"), ("县住建局（牵头）", "县住房和城乡建设局"),
    ("县人社局", "县人力资源和社会保障局"), ("人力资源社会保障局", "县人力资源和社会保障局"),
    ("县发改委", "县发展和改革局"), ("发改局", "县发展和改革局"), ("县卫健委", "县卫生健康局"),
    ("县卫计局", "县卫生健康局"), ("文旅局", "县文化和旅游局"), ("县市场监管局", "县市场监督管理局"),
    ("县环保局", "县生态环境局"), ("生态环境分局", "县生态环境局"), ("县农业局", "县农业农村局"),
    ("县交通局", "县交通运输局"), ("中共甲县委组织部", "县委组织部"), ("組織部", "县委组织部"),
    ("县教体局", "县教育局"), ("縣住建局", "县住房和城乡建设局"),
])
def test_unit_names_as_offices_write_them(committee, office, written: str, unit: str) -> None:
    ctx = history_import._Context(committee, create_units=False)
    assert [u.name for u in ctx.units.match(written)] == [unit]


def test_aliases_of_the_common_abbreviations() -> None:
    pairs = [("县住房和城乡建设局", "住建局"), ("县人力资源和社会保障局", "人社局"), ("县发展和改革局", "发改委"),
             ("县自然资源局", "自然资源局"), ("县卫生健康局", "卫健委"), ("县文化和旅游局", "文旅局"),
             ("县农业农村局", "农业局"), ("县市场监督管理局", "市场监管局"), ("市生态环境局示范分局", "环保局"),
             ("国家税务总局示范县税务局", "县税务局"), ("共青团示范县委员会", "团县委")]
    for full, short in pairs:
        assert unit_alias(full, ("示范县", "示范")) == unit_alias(short, ("示范县", "示范")), (full, short)
    assert unit_alias("县教育局") != unit_alias("县公安局")


def test_a_name_that_fits_two_units_is_reported_not_guessed(committee, office) -> None:
    UnitFactory(committee=committee, name="市住房和城乡建设局驻县办")  # alias 住建驻县, not a clash
    UnitFactory(committee=committee, name="住房和城乡建设局")
    plan, created = run(committee, [HEADERS, row(主办单位="住建局")])
    assert created == [] and plan.errors[0]["row"] == 2 and "several units" in plan.errors[0]["message"]


def test_several_units_in_one_cell(committee, office) -> None:
    plan, (p,) = run(committee, [HEADERS, row(主办单位="县住建局、县交通局", 协办单位="县发改局，人社局")])
    roles = {a.unit.name: a.role for a in p.assignments.all()}
    assert roles == {"县住房和城乡建设局": "lead", "县交通运输局": "co", "县发展和改革局": "co",
                     "县人力资源和社会保障局": "co"}
    plan, (p,) = run(committee, [HEADERS, row(主办单位="县住建局;县交通局", 协办单位="", 案号=2)])
    assert sorted(a.role for a in p.assignments.all()) == ["separate", "separate"]
    assert Reply.objects.filter(assignment__proposal=p).count() == 2


# --- A good file ------------------------------------------------------------------------------------


def test_a_good_file_is_imported_in_its_final_state(committee, office) -> None:
    body = "一、情况\n污水直排。\n二、分析\n管网不足。\n三、建议\n建设管网。"
    plan, created = run(committee, [
        ["政协甲县委员会历史提案台账"],
        HEADERS,
        row(案号="第3号", 提案人="张三、李四、赵六", 协办单位="县住建局", 正文=body),
        row("关于缓解县城停车难问题的建议", 年份=2022, 届次="第十届第一次会议", 案号=1, 提案人="王五",
            主办单位="县交通局", 答复类别="B类"),
        row("关于加强乡村教师队伍建设的建议", 年份=2023, 届次="", 案号=4, 提案人="民盟甲县委员会",
            主办单位="", 答复类别=""),
    ])
    assert plan.errors == [] and len(created) == 3
    first, parking, teachers = created
    s1, s2 = office["s1"], office["s2"]
    assert (first.session, first.number, first.status) == (s2, 3, "closed")
    assert (first.situation, first.analysis, first.suggestions) == ("污水直排。", "管网不足。", "建设管网。")
    assert first.lead_member == office["members"]["张三"] and first.kind == "joint"
    assert first.proposer_text == "张三、李四、赵六"
    assert [(p.member.name, p.is_lead, p.status) for p in first.proposers.order_by("order")] == [
        ("张三", True, "signed"), ("李四", False, "signed")]
    co, lead = first.assignments.order_by("role")
    assert (co.unit.name, co.role, co.status) == ("县住房和城乡建设局", "co", "closed")
    assert (lead.unit.name, lead.role, lead.status) == ("县生态环境局", "lead", "closed")
    reply = Reply.objects.get(assignment__proposal=first)
    assert (reply.assignment.role, reply.status, reply.result_class, reply.body) == ("lead", "sent", "A", NO_REPLY_TEXT)
    # Dated by the session: in on the opening day, out three months later.
    assert timezone.localtime(first.submitted_at).date() == s2.opens_on
    assert timezone.localtime(reply.sent_at).date() == dt.date(2023, 4, 10) == lead.reply_due
    assert first.is_session_proposal

    assert (parking.session, parking.number, parking.kind) == (s1, 1, "individual")
    assert Reply.objects.get(assignment__proposal=parking).result_class == "B"
    assert parking.assignments.get().role == "sole"

    # Neither unit nor class: filed, waiting on the assignment board; a party's name makes it collective.
    assert (teachers.status, teachers.session, teachers.assignments.count()) == ("filed", s2, 0)
    assert (teachers.kind, teachers.collective_kind, teachers.lead_member) == ("collective", "party", None)
    assert teachers in selectors.assignment_queue(committee_id=committee.pk)

    events = Event.objects.filter(verb="proposals.imported")
    assert events.count() == 3 and events.first().data["file"] == "历史提案.xlsx"
    assert Member.objects.count() == 3  # 赵六 was not added


def test_rows_without_a_number_follow_the_sessions_highest(committee, office) -> None:
    plan, created = run(committee, [HEADERS, row("甲", 案号=None), row("乙", 案号=7), row("丙", 案号=None)])
    assert [p.number for p in created] == [8, 7, 9]


def test_proposers_not_in_the_directory_are_kept_as_written(committee, office) -> None:
    plan, (p,) = run(committee, [HEADERS, row(提案人="赵六等3人")])
    assert (p.lead_member, p.proposer_text, p.proposer_name, p.proposers.count()) == (None, "赵六等3人", "赵六等3人", 0)
    assert any("kept as written" in n["message"] for n in plan.notes)


def test_an_imported_session_prints_its_compilation(committee, office) -> None:
    run(committee, [HEADERS, row(提案人="赵六"), row("关于加强县城停车管理的建议", 案号=9)])
    content = documents.compilation_docx(office["s2"])
    assert content.startswith(b"PK")


# --- Sessions ---------------------------------------------------------------------------------------


def test_a_year_alone_finds_the_session_that_opened_that_year(committee, office) -> None:
    plan, (p,) = run(committee, [HEADERS, row(届次="", 年份=2022)])
    assert p.session == office["s1"]


def test_missing_sessions_and_terms_are_created(committee, office) -> None:
    plan, created = run(committee, [
        HEADERS,
        row("甲", 届次="", 年份=2024, 案号=1),  # counted on from 第十届第二次 (2023)
        row("乙", 届次="九届五次", 年份=2021, 案号=1),  # term 9 is new: it began in 2017
        row("丙", 届次="", 年份=2020, 案号=1),  # counted back from the session of 2021
    ])
    assert plan.errors == []
    sessions = {p.title: p.session for p in created}
    assert (sessions["甲"].term.ordinal, sessions["甲"].ordinal) == (10, 3)
    assert sessions["甲"].opens_on == dt.date(2024, 1, 15)
    assert (sessions["乙"].term.ordinal, sessions["乙"].ordinal, str(sessions["乙"])) == (9, 5, "第九届第五次会议")
    assert (sessions["丙"].term.ordinal, sessions["丙"].ordinal) == (9, 4)
    term9 = Term.objects.get(committee=committee, ordinal=9)
    assert (term9.name, term9.start_date, term9.is_current) == ("第九届", dt.date(2017, 1, 1), False)
    assert Term.objects.get(committee=committee, is_current=True).ordinal == 10
    notes = " ".join(n["message"] for n in plan.notes)
    assert "第九届" in notes and "第十届第三次会议" in notes
    assert Event.objects.filter(verb="organisation.plenarysession_created").count() == len(
        {s.pk for s in sessions.values()} - {office["s1"].pk, office["s2"].pk})


@pytest.mark.parametrize(("cells", "message"), [
    ({"年份": None, "届次": None}, "Give 年份 or 届次"),
    ({"年份": 2020, "届次": "十届二次"}, "does not fit"),
    ({"年份": "二〇二三", "届次": None}, "Not a year"),
    ({"年份": 3023, "届次": None}, "between 1949 and this year"),
    ({"年份": None, "届次": "十届"}, "term only"),
    ({"年份": 2023, "届次": "春季会议"}, "Cannot read the session"),
])
def test_rows_that_cannot_be_placed_in_a_session(committee, office, cells: dict[str, Any], message: str) -> None:
    plan, created = run(committee, [HEADERS, row(**cells)])
    assert created == [] and len(plan.errors) == 1 and message in plan.errors[0]["message"]


def test_a_committee_without_a_term_needs_the_sitting(other_committee) -> None:
    Term.objects.filter(committee=other_committee).delete()
    plan, _created = run(other_committee, [HEADERS, row(届次="", 主办单位="", 答复类别="")])
    assert "no term yet" in plan.errors[0]["message"]
    plan, (p,) = run(other_committee, [HEADERS, row(届次="十届二次", 主办单位="", 答复类别="")])
    assert (p.session.term.start_date, p.session.opens_on) == (dt.date(2022, 1, 1), dt.date(2023, 1, 15))


# --- Bad files: everything reported, nothing imported ----------------------------------------------


def test_one_bad_row_imports_nothing_and_every_bad_row_is_reported(committee, office) -> None:
    before = _state()
    plan, created = run(committee, [
        HEADERS,
        row("好的一行", 案号=1),
        row("", 案号=2),  # row 3: no title
        row("类别不对", 案号=3, 答复类别="D"),  # row 4
        row("单位不在", 案号=4, 主办单位="县气象局"),  # row 5
        row("年份不对", 案号=5, 年份="去年"),  # row 6
        row("重号", 案号=1),  # row 7
        row("另一好行", 案号=6),
    ])
    assert created == [] and _state() == before
    assert [(e["row"], e["column"]) for e in plan.errors] == [
        (3, "标题"), (4, "答复类别"), (5, "主办单位"), (6, "年份"), (7, "案号")]
    assert plan.errors[2] == {"row": 5, "column": "主办单位", "message": "No handling unit named 县气象局 in this "
                              "committee.", "code": "unknown_unit", "value": "县气象局"}
    assert "also on row 2" in plan.errors[4]["message"]
    assert "A（" in plan.errors[1]["message"]
    assert plan.valid == 2 and plan.total == 7


def test_numbers_already_used_and_a_file_imported_twice(committee, office) -> None:
    rows = [HEADERS, row("甲", 案号=1), row("乙", 案号=None)]
    run(committee, rows)
    before = _state()
    plan, created = run(committee, rows)
    assert created == [] and _state() == before
    assert [e["row"] for e in plan.errors] == [2, 3]
    assert "already used in 第十届第二次会议" in plan.errors[0]["message"]
    assert "may have been imported before" in plan.errors[1]["message"]


def test_reply_class_forms_and_its_need_of_a_unit(committee, office) -> None:
    plan, created = run(committee, [HEADERS, row("甲", 案号=1, 答复类别="a类"),
                                    row("乙", 案号=2, 答复类别="已解决或采纳"),
                                    row("丙", 案号=3, 答复类别="C（留作参考）"), row("丁", 案号=4, 答复类别="丙类")])
    assert [Reply.objects.get(assignment__proposal=p).result_class for p in created] == ["A", "A", "C", "C"]
    plan, created = run(committee, [HEADERS, row("戊", 案号=5, 主办单位="", 答复类别="A")])
    assert plan.errors[0]["column"] == "答复类别" and "needs the unit" in plan.errors[0]["message"]


def test_unknown_units_can_be_created_with_a_guessed_kind(committee, office) -> None:
    rows = [HEADERS, row("甲", 案号=1, 主办单位="县气象局"), row("乙", 案号=2, 主办单位="城关镇人民政府"),
            row("丙", 案号=3, 主办单位="县气象局", 协办单位="县人民医院")]
    plan, created = run(committee, rows)
    assert created == [] and plan.only_unknown_units and len(plan.errors) == 4
    plan, created = run(committee, rows, create_units=True)
    assert plan.errors == [] and len(created) == 3
    kinds = dict(HandlingUnit.objects.filter(name__in=["县气象局", "城关镇人民政府", "县人民医院"])
                 .values_list("name", "kind"))
    assert kinds == {"县气象局": "government_dept", "城关镇人民政府": "township", "县人民医院": "enterprise"}
    assert created[0].assignments.get().unit == created[2].assignments.get(role="lead").unit
    assert len([n for n in plan.notes if n["message"].startswith("New handling unit")]) == 3


def test_a_created_unit_takes_the_full_name_among_its_spellings(committee, office) -> None:
    rows = [HEADERS, row("甲", 案号=1, 主办单位="气象局"), row("乙", 案号=2, 主办单位="甲县气象局"),
            row("丙", 案号=3, 主办单位="县气象局"), row("丁", 案号=4, 主办单位="县自来水公司")]
    plan, created = run(committee, rows, create_units=True)
    assert {p.assignments.get().unit.name for p in created[:3]} == {"县气象局"}
    assert HandlingUnit.objects.get(name="县自来水公司").kind == "enterprise"


def test_a_file_without_the_title_column_is_refused(committee, office) -> None:
    with pytest.raises(DomainError, match="Required columns are missing: 标题"):
        run(committee, [["年份", "案由号"], [2023, 1]])


# --- CSV --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk"])
def test_csv_files_in_the_encodings_offices_use(committee, office, encoding: str) -> None:
    rows = [HEADERS, row("关于加强县城停车管理的建议", 案号=5, 主办单位="县住建局", 协办单位="县交通局、县发改局",
                         正文="情况：车多，位少。建议：建停车场。")]
    plan, (p,) = run(committee, [], name="台账.csv", data=csv_bytes(rows, encoding))
    assert (p.number, p.title) == (5, "关于加强县城停车管理的建议")
    assert (p.situation, p.suggestions) == ("车多，位少。", "建停车场。")
    assert sorted(a.unit.name for a in p.assignments.all()) == ["县交通运输局", "县住房和城乡建设局", "县发展和改革局"]


def test_a_bad_gbk_csv_reports_its_rows(committee, office) -> None:
    data = csv_bytes([HEADERS, row("甲", 案号=1), row("乙", 案号=2, 主办单位="县气象局")], "gbk")
    before = _state()
    plan, created = run(committee, [], name="台账.csv", data=data)
    assert created == [] and _state() == before and [(e["row"], e["column"]) for e in plan.errors] == [(3, "主办单位")]


# --- Pages' services: validate, apply, discard --------------------------------------------------------


def test_validate_then_apply_as_the_proposal_staff(committee, office) -> None:
    staff = office["staff"]
    upload = SimpleUploadedFile("台账.xlsx", xlsx_bytes([HEADERS, row(案号=1), row("乙", 案号=2, 主办单位="县气象局")]))
    batch = history_import.history_validate(actor=staff, committee=committee, file=upload)
    assert (batch.kind, batch.total_rows, batch.valid_rows, batch.status) == ("proposals", 2, 1, "validated")
    errors, notes = history_import.split_findings(batch)
    assert [e["row"] for e in errors] == [3] and notes == []
    with pytest.raises(DomainError, match="nothing was imported"):
        history_import.history_apply(actor=staff, batch=batch)
    assert Proposal.objects.count() == 0
    assert history_import.history_apply(actor=staff, batch=batch, create_units=True) == 2
    batch.refresh_from_db()
    assert (batch.status, batch.imported_rows) == ("imported", 2)
    assert Event.objects.filter(verb="proposals.import_applied", target_id=batch.pk).exists()
    with pytest.raises(DomainError, match="already been imported"):
        history_import.history_apply(actor=staff, batch=batch)

    report = load_workbook(io.BytesIO(history_import.error_report(batch)))
    assert report.active["J1"].value == "错误" and report.active["J3"].value is None  # fixed by creating the unit


def test_the_error_report_marks_the_rows(committee, office) -> None:
    upload = SimpleUploadedFile("台账.csv", csv_bytes([HEADERS, row(案号=1), row("", 案号=2)], "gbk"))
    batch = history_import.history_validate(actor=office["staff"], committee=committee, file=upload)
    ws = load_workbook(io.BytesIO(history_import.error_report(batch))).active
    assert [c.value for c in ws[1]] == [*HEADERS, "错误"]
    assert ws["J2"].value is None and ws["J3"].value == "标题：This value is required."


@pytest.mark.parametrize("role", [Role.MEMBER, Role.UNIT_LIAISON, Role.SUPERVISOR, Role.INFO_STAFF])
def test_others_may_not_import(committee, office, role: str) -> None:
    actor = user_with_role(committee, role)
    before = (_state(), ImportBatch.objects.count())
    with pytest.raises(DomainError, match="not allowed"):
        history_import.history_validate(actor=actor, committee=committee,
                                        file=SimpleUploadedFile("台账.xlsx", xlsx_bytes([HEADERS, row()])))
    assert (_state(), ImportBatch.objects.count()) == before


def test_unreadable_uploads_are_refused(committee, office) -> None:
    staff = office["staff"]
    for name, data, message in [("台账.xls", b"x", "old-style"), ("台账.txt", b"x", ".xlsx or a CSV"),
                                ("台账.xlsx", b"plain text", "could not be read"), ("台账.csv", b"", "empty")]:
        with pytest.raises(DomainError, match=message):
            history_import.history_validate(actor=staff, committee=committee, file=SimpleUploadedFile(name, data))
    assert ImportBatch.objects.count() == 0


# --- The command ------------------------------------------------------------------------------------


def test_the_command_lists_every_bad_row_and_imports_nothing(committee, office, tmp_path, capsys) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(xlsx_bytes([HEADERS, row("甲", 案号=1), row("乙", 案号=2, 答复类别="Z"), row("丙", 案号=3),
                                 row("丁", 案号=4, 主办单位="县气象局", 年份="明年")]))
    before = _state()
    with pytest.raises(CommandError, match="2 of 4 rows cannot be placed; nothing was imported"):
        call_command("proposals_import", str(path), "--committee", committee.code)
    err = capsys.readouterr().err
    assert "row 3 · 答复类别: Unknown reply class Z" in err
    assert "row 5 · 年份: Not a year" in err and "row 5 · 主办单位: No handling unit named 县气象局" in err
    assert _state() == before


def test_the_command_imports_and_creates_units(committee, office, tmp_path, capsys) -> None:
    path = tmp_path / "台账.csv"
    path.write_bytes(csv_bytes([HEADERS, row("甲", 案号=1, 主办单位="县气象局"), row("乙", 案号=2)], "gbk"))
    with pytest.raises(CommandError, match="--create-units"):
        call_command("proposals_import", str(path), "--committee", committee.code)
    call_command("proposals_import", str(path), "--committee", committee.code, "--create-units", "--check")
    assert Proposal.objects.count() == 0 and not HandlingUnit.objects.filter(name="县气象局").exists()
    call_command("proposals_import", str(path), "--committee", committee.code, "--create-units")
    out = capsys.readouterr().out
    assert "Imported 2 proposals into alpha; created 0 sessions and 1 units." in out
    assert "row 2 · 主办单位: New handling unit 县气象局 (Government department)." in out
    assert Proposal.objects.filter(committee=committee, status="closed").count() == 2


def test_the_command_refuses_an_unknown_committee(db, tmp_path) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(b"")
    with pytest.raises(CommandError, match="No committee"):
        call_command("proposals_import", str(path), "--committee", "nope")


def test_another_committee_is_untouched(committee, office, other_committee) -> None:
    UnitFactory(committee=other_committee, name="县气象局")
    plan, created = run(committee, [HEADERS, row(主办单位="县气象局")])
    assert created == [] and plan.errors[0]["code"] == "unknown_unit"
    run(other_committee, [HEADERS, row(主办单位="县气象局", 提案人="张三")])
    p = Proposal.objects.get(committee=other_committee)
    assert p.lead_member is None  # 张三 is a member of 甲县, not of 乙县
    assert not Proposal.objects.filter(committee=committee).exists()
