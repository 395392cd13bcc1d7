"""Importing members and handling units from Excel: checking, applying, refusing, reporting."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from xieshang.core.errors import DomainError
from xieshang.ledger.models import Event
from xieshang.organisation import importing
from xieshang.organisation.importing import error_report, import_apply, import_discard, import_validate
from xieshang.organisation.models import (
    ActivityGroup,
    HandlingUnit,
    ImportBatch,
    Member,
    MemberTerm,
    Party,
    SpecialCommitteeMembership,
    Term,
)
from xieshang.organisation.tests.factories import LeaderFactory, MemberFactory, SpecialCommitteeFactory, UnitFactory

MEMBER_HEADERS = ["姓名", "性别", "民族", "出生日期", "党派", "界别", "工作单位", "职务", "手机", "邮箱", "是否常委",
                  "政协职务", "专委会", "活动组"]
UNIT_HEADERS = ["单位名称", "简称", "类型", "职责", "主要负责人", "分管领导", "联系电话", "地址"]


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"  # what a person typed, as Excel keeps text that starts with "="
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(rows: list[list[Any]], name: str = "名单.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, xlsx_bytes(rows), content_type=importing.XLSX_CONTENT_TYPE)


def member_row(name: str, **kw: Any) -> list[Any]:
    values = {"姓名": name, "性别": "男", "民族": "汉族", "出生日期": "1975-03-02", "党派": "民盟", "界别": "教育界",
              "工作单位": f"{name}所在单位", "职务": "校长", "手机": "13800000000", "邮箱": "", "是否常委": "否",
              "政协职务": "", "专委会": "", "活动组": ""}
    values.update(kw)
    return [values[h] for h in MEMBER_HEADERS]


def unit_row(name: str, **kw: Any) -> list[Any]:
    values = {"单位名称": name, "简称": "", "类型": "政府部门", "职责": "", "主要负责人": "", "分管领导": "",
              "联系电话": "", "地址": ""}
    values.update(kw)
    return [values[h] for h in UNIT_HEADERS]


@pytest.fixture
def reference(committee: Any) -> dict[str, Any]:
    """Special committees, an activity group and a leader for rows to point at."""
    return {
        "proposals": SpecialCommitteeFactory(committee=committee, name="提案委员会", short_name="提案委"),
        "culture": SpecialCommitteeFactory(committee=committee, name="文化文史和学习委员会", short_name="文史委"),
        "group": ActivityGroup.objects.create(committee=committee, kind=ActivityGroup.Kind.ACTIVITY_GROUP,
                                              name="城关镇活动组"),
        "leader": LeaderFactory(committee=committee, name="李四", title="副县长"),
    }


def errors_at(batch: ImportBatch) -> set[tuple[int, str]]:
    return {(e["row"], e["column"]) for e in batch.errors}


def stored_files(path: str = "imports") -> set[str]:
    """Every file under a folder of the storage (which outlives a test in memory)."""
    if not default_storage.exists(path):
        return set()
    dirs, files = default_storage.listdir(path)
    return {f"{path}/{f}" for f in files}.union(*(stored_files(f"{path}/{d}") for d in dirs))


def counts() -> tuple[int, int, int, int, int]:
    return (Member.objects.count(), MemberTerm.objects.count(), SpecialCommitteeMembership.objects.count(),
            HandlingUnit.objects.count(), Event.objects.count())


# --- members -------------------------------------------------------------------------------------


def test_a_good_member_file_imports_every_row_with_its_events(committee, admin_user, reference) -> None:
    rows = [
        MEMBER_HEADERS,
        member_row("王五", 出生日期=dt.date(1970, 5, 6), 是否常委="是", 专委会="提案委员会、文史委",
                   活动组="城关镇活动组", 邮箱="wangwu@example.com", 政协职务="副主席"),
        member_row("赵六", 性别="女", 出生日期="1975.3.2", 党派="民建会员", 手机=13900000001, 民族="回"),
        member_row("孙七", 出生日期="1980年12月1日", 党派="中共党员", 界别="中共", 专委会="提案委员会"),
    ]
    batch = import_validate(actor=admin_user, committee=committee, kind="members", file=upload(rows))
    assert (batch.status, batch.total_rows, batch.valid_rows, batch.errors) == ("validated", 3, 3, [])
    assert batch.uploaded_by == admin_user and batch.original_filename == "名单.xlsx"
    assert batch.file.name.startswith("imports/") and default_storage.exists(batch.file.name)
    assert Event.objects.filter(verb="organisation.import_validated", target_id=batch.pk).count() == 1
    assert Member.objects.count() == 0  # checking writes nothing to the directory

    assert import_apply(actor=admin_user, batch=batch, only_valid=False) == 3

    wang = Member.objects.get(name="王五")
    assert wang.committee == committee and wang.birth_date == dt.date(1970, 5, 6)
    assert wang.is_standing and wang.leadership_role == Member.LeadershipRole.VICE_CHAIRMAN
    assert wang.sector.name == "教育界" and wang.activity_group == reference["group"]
    assert set(wang.special_committees.all()) == {reference["proposals"], reference["culture"]}
    zhao = Member.objects.get(name="赵六")
    assert (zhao.gender, zhao.party, zhao.phone, zhao.ethnicity) == ("f", Party.CDNCA, "13900000001", "回族")
    assert zhao.birth_date == dt.date(1975, 3, 2)
    sun = Member.objects.get(name="孙七")
    assert sun.party == Party.CPC and sun.birth_date == dt.date(1980, 12, 1)
    term = Term.objects.get(committee=committee, is_current=True)
    assert MemberTerm.objects.filter(term=term, status=MemberTerm.Status.SERVING).count() == 3

    created = Event.objects.filter(verb="organisation.member_created")
    assert created.count() == 3
    assert all(e.data == {"import_batch": batch.pk} and e.actor == admin_user for e in created)
    applied = Event.objects.get(verb="organisation.import_applied")
    assert applied.target_id == batch.pk and applied.data["imported_rows"] == 3
    batch.refresh_from_db()
    assert batch.status == "imported" and batch.imported_rows == 3 and batch.imported_at is not None


def test_headers_are_matched_despite_spaces_marks_synonyms_and_a_title_row(committee, admin_user) -> None:
    rows = [
        ["政协某县第十届委员会委员名单"],
        [],
        ["序号", " 姓  名 ", "性别*", "出生日期（格式：1975-03-02）", "政治面貌", "所属界别", "工作单位", "手机号码",
         "备注"],
        [1, "王　五", "男", "1975-03-02", "无党派人士", "教育界", "县一中", "138 0000 0000", "新任"],
    ]
    batch = import_validate(actor=admin_user, committee=committee, kind="members", file=upload(rows))
    assert batch.errors == [] and batch.valid_rows == 1
    assert batch.ignored_columns == ["备注"]
    import_apply(actor=admin_user, batch=batch, only_valid=False)
    member = Member.objects.get()
    assert (member.name, member.party, member.phone) == ("王五", Party.NON_PARTY, "13800000000")


def test_bad_rows_are_reported_by_row_and_column(committee, other_committee, admin_user, reference) -> None:
    SpecialCommitteeFactory(committee=other_committee, name="农业和农村委员会")
    MemberFactory(committee=committee, name="钱八", work_unit="县医院")
    rows = [
        MEMBER_HEADERS,
        member_row("甲一", 性别="未知"),  # row 2
        member_row("甲二", 界别="不存在界"),  # row 3
        member_row("甲三", 手机="1380000"),  # row 4
        member_row("甲四", 出生日期="1975-13-40"),  # row 5
        member_row("甲五", 党派="某党"),  # row 6
        member_row("", 性别=""),  # row 7: two required values missing
        member_row("甲七", 专委会="提案委员会、农业和农村委员会"),  # row 8: another committee's name
        member_row("甲八", 邮箱="not-an-address", 是否常委="也许"),  # row 9
        member_row("甲一"),  # row 10: same name and work unit as row 2
        member_row("钱八", 工作单位="县医院"),  # row 11: already in the directory
        member_row("甲十", 出生日期="2999-01-01", 政协职务="常务副主席"),  # row 12
        member_row("甲十一"),  # row 13: fine
    ]
    batch = import_validate(actor=admin_user, committee=committee, kind="members", file=upload(rows))
    assert errors_at(batch) == {
        (2, "性别"), (3, "界别"), (4, "手机"), (5, "出生日期"), (6, "党派"), (7, "姓名"), (7, "性别"), (8, "专委会"),
        (9, "邮箱"), (9, "是否常委"), (10, "姓名"), (11, "姓名"), (12, "出生日期"), (12, "政协职务"),
    }
    assert all(e["message"] for e in batch.errors)
    by_row = {e["row"]: e["message"] for e in batch.errors}
    assert "2" in by_row[10]  # points at the first occurrence
    assert "already exists" in by_row[11]
    assert "农业和农村委员会" in by_row[8]
    assert (batch.total_rows, batch.valid_rows, batch.error_rows) == (12, 1, 11)


def test_all_or_nothing_refuses_a_file_with_errors_and_creates_nothing(committee, admin_user) -> None:
    rows = [MEMBER_HEADERS, member_row("甲"), member_row("乙", 界别="无此界别"), member_row("丙")]
    batch = import_validate(actor=admin_user, committee=committee, kind="members", file=upload(rows))
    before = counts()
    with pytest.raises(DomainError):
        import_apply(actor=admin_user, batch=batch, only_valid=False)
    assert counts() == before
    batch.refresh_from_db()
    assert batch.status == "validated" and batch.imported_rows == 0


def test_only_valid_imports_exactly_the_valid_rows(committee, admin_user) -> None:
    rows = [MEMBER_HEADERS, member_row("甲"), member_row("乙", 界别="无此界别"), member_row("丙"),
            member_row("丁", 手机="12345")]
    batch = import_validate(actor=admin_user, committee=committee, kind="members", file=upload(rows))
    assert batch.valid_rows == 2
    assert import_apply(actor=admin_user, batch=batch, only_valid=True) == 2
    assert set(Member.objects.values_list("name", flat=True)) == {"甲", "丙"}
    assert Event.objects.filter(verb="organisation.member_created").count() == 2
    applied = Event.objects.get(verb="organisation.import_applied")
    assert applied.data == {"imported_rows": 2, "only_valid": True, "skipped_rows": 2}
    assert batch.status == "imported" and batch.imported_rows == 2


def test_a_batch_is_applied_only_once(committee, admin_user) -> None:
    batch = import_validate(actor=admin_user, committee=committee, kind="members",
                            file=upload([MEMBER_HEADERS, member_row("甲")]))
    import_apply(actor=admin_user, batch=batch, only_valid=False)
    before = counts()
    for only_valid in (False, True):
        with pytest.raises(DomainError, match="already been imported"):
            import_apply(actor=admin_user, batch=batch, only_valid=only_valid)
    assert counts() == before
    with pytest.raises(DomainError):
        import_discard(actor=admin_user, batch=batch)


def test_a_discarded_batch_cannot_be_applied(committee, admin_user, django_capture_on_commit_callbacks) -> None:
    batch = import_validate(actor=admin_user, committee=committee, kind="members",
                            file=upload([MEMBER_HEADERS, member_row("甲")]))
    stored = batch.file.name
    with django_capture_on_commit_callbacks(execute=True):
        import_discard(actor=admin_user, batch=batch)
    assert batch.status == "discarded" and not default_storage.exists(stored)
    assert Event.objects.filter(verb="organisation.import_discarded", target_id=batch.pk).exists()
    with pytest.raises(DomainError):
        import_apply(actor=admin_user, batch=batch, only_valid=True)
    assert Member.objects.count() == 0


def test_rows_are_checked_again_when_applied(committee, admin_user) -> None:
    batch = import_validate(actor=admin_user, committee=committee, kind="members",
                            file=upload([MEMBER_HEADERS, member_row("甲"), member_row("乙")]))
    assert batch.errors == []
    MemberFactory(committee=committee, name="乙", work_unit="乙所在单位")  # someone entered him meanwhile
    before = counts()
    with pytest.raises(DomainError):
        import_apply(actor=admin_user, batch=batch, only_valid=False)
    assert counts() == before
    assert errors_at(batch) == {(3, "姓名")} and batch.valid_rows == 1
    assert import_apply(actor=admin_user, batch=batch, only_valid=True) == 1
    assert Member.objects.filter(name="乙").count() == 1


def test_without_a_current_term_members_are_imported_without_one(committee, admin_user) -> None:
    Term.objects.filter(committee=committee).update(is_current=False)
    batch = import_validate(actor=admin_user, committee=committee, kind="members",
                            file=upload([MEMBER_HEADERS, member_row("甲")]))
    import_apply(actor=admin_user, batch=batch, only_valid=False)
    assert Member.objects.count() == 1 and MemberTerm.objects.count() == 0


def _zip_without_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    return out.getvalue()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("名单.csv", b"\xe5\xa7\x93\xe5\x90\x8d\n", ".xlsx"),
    ("名单.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "old-style"),
    ("名单.xlsx", b"<html>not a workbook</html>", "could not be read"),
    ("名单.xlsx", _zip_without_workbook(), "could not be read"),
    ("名单.xlsx", b"", "empty"),
    ("名单.xlsx", b"PK\x03\x04" + b"\0" * (5 * 1024 * 1024), "larger than 5 MB"),
    ("名单.xlsx", xlsx_bytes([]), "empty"),
    ("名单.xlsx", xlsx_bytes([MEMBER_HEADERS]), "no rows"),
    ("名单.xlsx", xlsx_bytes([[h for h in MEMBER_HEADERS if h != "界别"], ["甲"]]), "界别"),
    ("名单.xlsx", xlsx_bytes([["工作单位", "职务"], ["县一中", "校长"]]), "姓名"),
    ("名单.xlsx", xlsx_bytes([[*MEMBER_HEADERS, "手机号码"], member_row("甲")]), "more than once"),
    ("名单.xlsx", xlsx_bytes([UNIT_HEADERS, unit_row("县教育局")]), "handling units"),
])
def test_an_unusable_file_is_refused_and_nothing_is_stored(committee, admin_user, name, content, message) -> None:
    events, files = Event.objects.count(), stored_files()
    with pytest.raises(DomainError, match=message):
        import_validate(actor=admin_user, committee=committee, kind="members",
                        file=SimpleUploadedFile(name, content))
    assert ImportBatch.objects.count() == 0
    assert Event.objects.count() == events
    assert stored_files() == files


def test_too_many_rows_are_refused(committee, admin_user, monkeypatch) -> None:
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    rows = [MEMBER_HEADERS] + [member_row(f"甲{i}") for i in range(4)]
    with pytest.raises(DomainError, match="more than 3 rows"):
        import_validate(actor=admin_user, committee=committee, kind="members", file=upload(rows))
    assert ImportBatch.objects.count() == 0


def test_a_sheet_formatted_far_below_the_data_is_refused(committee, admin_user, monkeypatch) -> None:
    monkeypatch.setattr(importing, "MAX_SHEET_ROWS", 10)
    wb = Workbook()
    ws = wb.active
    ws.append(MEMBER_HEADERS)
    ws.append(member_row("甲"))
    ws.cell(row=20, column=1).number_format = "@"  # an empty cell that is still written out
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(DomainError, match="past row 10"):
        import_validate(actor=admin_user, committee=committee, kind="members",
                        file=SimpleUploadedFile("名单.xlsx", out.getvalue()))


@pytest.mark.parametrize(("value", "expected"), [
    (dt.datetime(1975, 3, 2), dt.date(1975, 3, 2)),
    ("1975-03-02", dt.date(1975, 3, 2)),
    ("1975.3.2", dt.date(1975, 3, 2)),
    ("1975/3/2", dt.date(1975, 3, 2)),
    ("1975年3月2日", dt.date(1975, 3, 2)),
    ("１９７５年３月２日", dt.date(1975, 3, 2)),
    ("19750302", dt.date(1975, 3, 2)),
    (27455, dt.date(1975, 3, 2)),  # a date cell that lost its date format
])
def test_birth_dates_in_the_usual_spellings(value, expected) -> None:
    assert importing._birth_date(value, importing._text(value)) == expected


@pytest.mark.parametrize("value", ["1975.03", "1975年3月", "1975-02-30", "明年", 1975.03, "1899-12-31"])
def test_birth_dates_that_are_refused(value) -> None:
    with pytest.raises(importing._Invalid):
        importing._birth_date(value, importing._text(value))


@pytest.mark.parametrize(("value", "expected"), [
    ("中共", Party.CPC), ("中共党员", Party.CPC), ("民革", Party.RCCK), ("民盟盟员", Party.CDL), ("民建", Party.CDNCA),
    ("民进会员", Party.CAPD), ("农工党", Party.CPWDP), ("致公党党员", Party.CZGP), ("九三学社社员", Party.JS),
    ("台盟", Party.TDSGL), ("无党派", Party.NON_PARTY), ("无党派人士", Party.NON_PARTY), ("群众", Party.MASSES),
])
def test_party_names(value, expected) -> None:
    assert importing._party(value, value) == expected


# --- handling units ------------------------------------------------------------------------------


def test_units_are_imported_and_checked(committee, admin_user, reference) -> None:
    UnitFactory(committee=committee, name="县财政局")
    rows = [
        UNIT_HEADERS,
        unit_row("县教育局", 简称="教育局", 类型="政府部门", 职责="教育", 主要负责人="周九", 分管领导="李四",
                 联系电话="0817-1234567", 地址="城关镇"),
        unit_row("县委宣传部", 类型="党委部门", 分管领导="副县长李四"),
        unit_row("县人民法院", 类型="人民法院"),
        unit_row("县财政局"),  # row 5: exists
        unit_row("县教育局"),  # row 6: twice in the file
        unit_row("县某公司", 类型="公司"),  # row 7
        unit_row("县某局", 分管领导="王某"),  # row 8
    ]
    batch = import_validate(actor=admin_user, committee=committee, kind="units", file=upload(rows))
    assert errors_at(batch) == {(5, "单位名称"), (6, "单位名称"), (7, "类型"), (8, "分管领导")}
    assert batch.valid_rows == 3
    with pytest.raises(DomainError):
        import_apply(actor=admin_user, batch=batch, only_valid=False)
    assert HandlingUnit.objects.count() == 1
    assert import_apply(actor=admin_user, batch=batch, only_valid=True) == 3
    edu = HandlingUnit.objects.get(name="县教育局")
    assert (edu.kind, edu.short_name, edu.principal, edu.phone) == ("government_dept", "教育局", "周九", "0817-1234567")
    assert edu.responsible_leader == reference["leader"]
    assert HandlingUnit.objects.get(name="县人民法院").kind == HandlingUnit.Kind.COURT
    created = Event.objects.filter(verb="organisation.handlingunit_created")
    assert created.count() == 3 and {e.data["import_batch"] for e in created} == {batch.pk}


# --- downloads -----------------------------------------------------------------------------------


def test_error_report_has_the_rows_and_an_error_column(committee, admin_user) -> None:
    rows = [MEMBER_HEADERS, member_row("甲"), member_row("乙", 界别="无此界别", 手机="123", 职务="=1+1"),
            member_row("丙")]
    batch = import_validate(actor=admin_user, committee=committee, kind="members", file=upload(rows))
    wb = load_workbook(io.BytesIO(error_report(batch)))
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    assert header == [*MEMBER_HEADERS, "错误"]
    err = len(header)
    assert [ws.cell(row=r, column=1).value for r in (2, 3, 4)] == ["甲", "乙", "丙"]
    assert ws.cell(row=2, column=err).value is None
    problem = ws.cell(row=3, column=err).value
    assert "界别" in problem and "手机" in problem
    assert ws.cell(row=3, column=1).fill.fgColor.rgb.endswith("F8D7DA")
    assert ws.cell(row=2, column=1).fill.fill_type is None
    assert ws.cell(row=3, column=MEMBER_HEADERS.index("职务") + 1).data_type == "s"  # text, not a formula


def test_the_corrected_report_can_be_uploaded_again(committee, admin_user) -> None:
    rows = [MEMBER_HEADERS, member_row("甲"), member_row("乙", 界别="无此界别")]
    batch = import_validate(actor=admin_user, committee=committee, kind="members", file=upload(rows))
    wb = load_workbook(io.BytesIO(error_report(batch)))
    ws = wb.worksheets[0]
    ws.cell(row=3, column=MEMBER_HEADERS.index("界别") + 1, value="教育界")
    out = io.BytesIO()
    wb.save(out)
    again = import_validate(actor=admin_user, committee=committee, kind="members",
                            file=SimpleUploadedFile("名单-检查结果.xlsx", out.getvalue()))
    assert again.errors == [] and again.valid_rows == 2 and again.ignored_columns == []


def test_member_template_has_the_headers_and_an_example_row_that_is_not_imported(committee, admin_user,
                                                                                reference) -> None:
    content = importing.template_workbook(kind="members", committee_id=committee.pk)
    wb = load_workbook(io.BytesIO(content))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == MEMBER_HEADERS
    assert ws.cell(row=2, column=1).value
    values = wb["可选值"]
    sectors = [values.cell(row=r, column=3).value for r in range(2, values.max_row + 1)]
    assert "教育界" in sectors and "特别邀请人士" in sectors
    batch = import_validate(actor=admin_user, committee=committee, kind="members",
                            file=SimpleUploadedFile("委员导入模板.xlsx", content))
    assert errors_at(batch) == {(2, "姓名")} and "example" in batch.errors[0]["message"]
    assert batch.ignored_columns == []


def test_unit_template_has_the_headers(committee, admin_user) -> None:
    wb = load_workbook(io.BytesIO(importing.template_workbook(kind="units", committee_id=committee.pk)))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == UNIT_HEADERS
    ws.append(unit_row("县水利局"))
    out = io.BytesIO()
    wb.save(out)
    batch = import_validate(actor=admin_user, committee=committee, kind="units",
                            file=SimpleUploadedFile("承办单位.xlsx", out.getvalue()))
    assert batch.errors == [] and batch.valid_rows == 1


def test_a_clash_the_check_did_not_see_rolls_the_whole_import_back(committee, admin_user, monkeypatch) -> None:
    batch = import_validate(actor=admin_user, committee=committee, kind="units",
                            file=upload([UNIT_HEADERS, unit_row("县甲局"), unit_row("县乙局")]))
    UnitFactory(committee=committee, name="县乙局")  # saved by someone else between check and insert
    monkeypatch.setattr(importing, "_duplicate", lambda *args: [])
    before = counts()
    with pytest.raises(DomainError, match="changed while importing"):
        import_apply(actor=admin_user, batch=batch, only_valid=False)
    assert counts() == before
    batch.refresh_from_db()
    assert batch.status == "validated"
