"""Importing members (委员) and handling units (承办单位) from Excel.

An upload is read and checked row by row first (``import_validate``): the file is kept in an
``ImportBatch`` together with every problem found, by spreadsheet row and column. Nothing is written to
the directory until someone applies the batch (``import_apply``), which checks the rows again (the
directory may have changed meanwhile) and imports either all rows or, when asked, only the valid ones,
in one transaction.

Headers are the Chinese ones an office would type; spaces, a trailing ``*``, remarks in brackets
(``出生日期（格式：1975-03-02）``) and the usual synonyms are tolerated, unknown columns are ignored and
listed, and the header row may sit below a title row."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from xieshang.core.errors import DomainError
from xieshang.ledger.services import event_record
from xieshang.organisation.models import (
    ActivityGroup,
    HandlingUnit,
    ImportBatch,
    Leader,
    Member,
    MemberTerm,
    Party,
    Sector,
    SpecialCommittee,
    SpecialCommitteeMembership,
    Term,
)
from xieshang.organisation.selectors import _committee_id
from xieshang.search.indexing import index_instance_after_commit

MAX_FILE_BYTES = 5 * 1024 * 1024
# A county committee has a few hundred members and about a hundred units; the caps keep a hostile or
# mistaken file (a whole census sheet, a sheet formatted down to row 1,048,576) from tying up a worker.
MAX_ROWS = 5000
MAX_COLUMNS = 60
# Empty but formatted rows count too: a sheet formatted down to Excel's last row would otherwise be
# walked a million rows long.
MAX_SHEET_ROWS = 50_000
# Offices often put a title such as "政协XX县第十届委员会委员名单" above the headers.
HEADER_SEARCH_ROWS = 10
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERROR_HEADER = "错误"
EXAMPLE_MARK = "示例"

Kind = ImportBatch.Kind


# ---------------------------------------------------------------------------------------------------
# Columns


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    synonyms: tuple[str, ...] = ()
    # The header must be present and every row must give a value.
    required: bool = False
    # Shown as a comment on the header cell of the template.
    hint: str = ""


# 性别 and 党派 (members) and 类型 (units) are required although the issue only names 姓名, 界别 and
# 单位名称: the model has no empty value for them and guessing one would put wrong data in a file.
MEMBER_COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", ("委员姓名", "名字"), required=True),
    Column("gender", "性别", required=True, hint="男 / 女"),
    Column("ethnicity", "民族", hint="汉族"),
    Column("birth_date", "出生日期", ("出生年月日", "出生年月", "生日"), hint="1975-03-02"),
    Column("party", "党派", ("政治面貌", "党派面貌", "党派/政治面貌"), required=True),
    Column("sector", "界别", ("所属界别",), required=True),
    Column("work_unit", "工作单位", ("所在单位", "工作单位名称")),
    Column("job_title", "职务", ("现任职务", "单位职务", "工作职务")),
    Column("phone", "手机", ("手机号", "手机号码", "移动电话", "联系手机"), hint="13800000000"),
    Column("email", "邮箱", ("电子邮箱", "电子邮件", "email", "e-mail", "邮件")),
    Column("is_standing", "是否常委", ("常委", "是否为常委", "政协常委"), hint="是 / 否"),
    Column("leadership_role", "政协职务", ("政协领导职务",), hint="主席 / 副主席 / 秘书长"),
    Column("special_committees", "专委会", ("专门委员会", "所属专委会", "专委"), hint="提案委员会、经济委员会"),
    Column("activity_group", "活动组", ("活动小组", "委员活动小组", "所属活动组", "活动组/工作站")),
)
UNIT_COLUMNS: tuple[Column, ...] = (
    Column("name", "单位名称", ("承办单位", "承办单位名称", "单位", "名称", "单位全称"), required=True),
    Column("short_name", "简称", ("单位简称",)),
    Column("kind", "类型", ("单位类型", "类别", "单位类别"), required=True),
    Column("duties", "职责", ("主要职责", "工作职责", "职能职责", "职能")),
    Column("principal", "主要负责人", ("负责人", "单位负责人", "主要领导")),
    Column("responsible_leader", "分管领导", ("分管县领导", "联系领导", "分管负责人")),
    Column("phone", "联系电话", ("电话", "办公电话", "联系方式")),
    Column("address", "地址", ("办公地址", "单位地址", "通讯地址")),
)
COLUMNS: dict[str, tuple[Column, ...]] = {Kind.MEMBERS: MEMBER_COLUMNS, Kind.UNITS: UNIT_COLUMNS}
# Columns an office adds out of habit that hold nothing to import: ignored without a mention.
SILENT_COLUMNS = frozenset({"序号", "编号", "no", "no."})

_HEADER_NOISE = re.compile(r"\([^)]*\)|[\s*:]")


def _nfkc(text: str) -> str:
    """Full-width letters, digits, brackets and spaces as their ASCII forms."""
    return unicodedata.normalize("NFKC", text)


def _header_key(text: Any) -> str:
    return _HEADER_NOISE.sub("", _nfkc(str(text))).lower()


def _lookup_key(text: str) -> str:
    """How names are compared: without spaces (names are often padded, 王　五) and width differences."""
    return re.sub(r"\s+", "", _nfkc(text)).lower()


def _header_index(kind: str) -> dict[str, Column]:
    index: dict[str, Column] = {}
    for col in COLUMNS[kind]:
        for h in (col.header, *col.synonyms):
            index[_header_key(h)] = col
    return index


# ---------------------------------------------------------------------------------------------------
# Reading the workbook


@dataclass
class Sheet:
    header_row: int
    headers: list[str]  # header cells as written, by position (empty string for an empty cell)
    positions: dict[str, int]  # column key → position
    ignored: list[str]
    rows: list[tuple[int, tuple[Any, ...]]]  # (spreadsheet row number, cell values), blank rows left out

    def header_of(self, key: str) -> str:
        return self.headers[self.positions[key]]


def _is_blank(values: Iterable[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _kind_label(kind: str) -> str:
    return str(Kind(kind).label).lower()


def _match_headers(kind: str, values: tuple[Any, ...]) -> dict[str, list[int]]:
    index = _header_index(kind)
    found: dict[str, list[int]] = defaultdict(list)
    for pos, v in enumerate(values):
        if v is not None and (col := index.get(_header_key(v))):
            found[col.key].append(pos)
    return found


def read_sheet(data: bytes, kind: str) -> Sheet:
    """The header row and the data rows of the first worksheet that has the headers of this kind.
    Anything wrong with the file as a whole is a DomainError; problems of single cells are not looked at
    here."""
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        # openpyxl raises whatever its zip and XML layers raise on a damaged or foreign file; to the
        # user they all mean the same thing.
        raise DomainError(_("The file could not be read as an Excel workbook (.xlsx). Open it in Excel or "
                            "WPS, save it as .xlsx and upload it again.")) from exc
    try:
        return _read_workbook(wb, kind)
    except DomainError:
        raise
    except Exception as exc:
        # read_only mode parses lazily, so a damaged sheet only shows up while iterating.
        raise DomainError(_("The file could not be read as an Excel workbook (.xlsx). Open it in Excel or "
                            "WPS, save it as .xlsx and upload it again.")) from exc
    finally:
        wb.close()


def _read_workbook(wb: Any, kind: str) -> Sheet:
    columns = COLUMNS[kind]
    anchor = columns[0]
    other = Kind.UNITS if kind == Kind.MEMBERS else Kind.MEMBERS
    saw_anything = looks_like_other = False
    for ws in wb.worksheets:
        # Files written by some tools declare a wrong sheet size, which read-only mode would trust.
        ws.reset_dimensions()
        rows = ws.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        for number, values in enumerate(rows, start=1):
            if number > HEADER_SEARCH_ROWS:
                break
            if _is_blank(values):
                continue
            saw_anything = True
            found = _match_headers(kind, values)
            if anchor.key not in found:
                looks_like_other = looks_like_other or COLUMNS[other][0].key in _match_headers(other, values)
                continue
            return _read_below_header(kind, number, values, found, rows)
    if not saw_anything:
        raise DomainError(_("The file is empty."))
    if looks_like_other:
        raise DomainError(_("This looks like a file of %(other)s, not of %(kind)s. Choose the other kind or "
                            "another file.") % {"other": _kind_label(other), "kind": _kind_label(kind)})
    raise DomainError(_("Required columns are missing: %(columns)s. Download the template to see the "
                        "expected headers.") % {"columns": "、".join(c.header for c in columns if c.required)})


def _read_below_header(kind: str, header_row: int, header_values: tuple[Any, ...], found: dict[str, list[int]],
                       rows: Iterator[tuple[Any, ...]]) -> Sheet:
    return sheet_below_header(header_row, header_values, found, rows, columns=COLUMNS[kind])


def sheet_below_header(header_row: int, header_values: tuple[Any, ...], found: dict[str, list[int]],
                       rows: Iterator[tuple[Any, ...]], *, columns: Sequence[Column]) -> Sheet:
    """The sheet below a header row (of any importer: members, units, past proposals): the headers as
    written, where each known column is (one appearing twice, or a required one missing, is an error), the
    headers nobody reads, and the non-blank rows, within the size limits."""
    headers = ["" if v is None else str(v).strip() for v in header_values]
    while headers and not headers[-1]:
        headers.pop()
    by_key = {c.key: c for c in columns}
    twice = [by_key[k].header for k, positions in found.items() if len(positions) > 1]
    if twice:
        raise DomainError(_("These columns appear more than once: %(columns)s. Keep one of each.")
                          % {"columns": "、".join(twice)})
    missing = [c.header for c in columns if c.required and c.key not in found]
    if missing:
        raise DomainError(_("Required columns are missing: %(columns)s. Download the template to see the "
                            "expected headers.") % {"columns": "、".join(missing)})
    positions = {k: p[0] for k, p in found.items()}
    known = set(positions.values())
    ignored = [h for pos, h in enumerate(headers)
               if h and pos not in known and h != ERROR_HEADER and _header_key(h) not in SILENT_COLUMNS]
    width = len(headers)
    data: list[tuple[int, tuple[Any, ...]]] = []
    for number, values in enumerate(rows, start=header_row + 1):
        if number > MAX_SHEET_ROWS:
            raise DomainError(_("The sheet runs past row %(max)s. Delete the empty rows below the data and "
                                "upload it again.") % {"max": MAX_SHEET_ROWS})
        cells = tuple(values[:width])
        if _is_blank(cells):
            continue
        if len(data) >= MAX_ROWS:
            raise DomainError(_("The file has more than %(max)s rows. Split it into several files.")
                              % {"max": MAX_ROWS})
        data.append((number, cells))
    if not data:
        raise DomainError(_("The file has no rows below the headers."))
    return Sheet(header_row=header_row, headers=headers, positions=positions, ignored=ignored, rows=data)


def _read_upload(file: Any) -> tuple[str, bytes]:
    """The upload's name and bytes, refusing what is plainly not an .xlsx before openpyxl sees it."""
    name = PurePath(str(getattr(file, "name", "") or "")).name
    size = getattr(file, "size", None)
    if size is not None and size > MAX_FILE_BYTES:
        raise DomainError(_("The file is larger than %(max)s MB.") % {"max": MAX_FILE_BYTES // (1024 * 1024)})
    if name.lower().endswith(".xls") or name.lower().endswith(".et"):
        raise DomainError(_("This is an old-style Excel file. Open it in Excel or WPS, save it as .xlsx "
                            "(Excel workbook) and upload it again."))
    if not name.lower().endswith(".xlsx"):
        raise DomainError(_("Upload an Excel workbook ending in .xlsx."))
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise DomainError(_("The file is larger than %(max)s MB.") % {"max": MAX_FILE_BYTES // (1024 * 1024)})
    if not data:
        raise DomainError(_("The file is empty."))
    if not data.startswith(b"PK\x03\x04"):
        # An .xlsx is a zip archive; anything else renamed to .xlsx (a CSV, an HTML export) stops here.
        raise DomainError(_("The file could not be read as an Excel workbook (.xlsx). Open it in Excel or "
                            "WPS, save it as .xlsx and upload it again."))
    return name, data


# ---------------------------------------------------------------------------------------------------
# Checking cells


class _Invalid(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _text(value: Any) -> str:
    """A cell as text: integral numbers without ".0" (phone numbers typed as numbers), dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _max_length(model: type[models.Model], name: str) -> int:
    return model._meta.get_field(name).max_length  # type: ignore[union-attr,return-value]


def _limited(model: type[models.Model], name: str) -> Callable[[Any, str], str]:
    limit = _max_length(model, name)

    def clean(raw: Any, text: str) -> str:
        if len(text) > limit:
            raise _Invalid(_("At most %(max)s characters.") % {"max": limit})
        return text

    return clean


def _person_name(model: type[models.Model]) -> Callable[[Any, str], str]:
    limit = _max_length(model, "name")

    def clean(raw: Any, text: str) -> str:
        if EXAMPLE_MARK in text:
            raise _Invalid(_("This is the template's example row: delete it."))
        # Two-character names are padded to the width of three in printed lists (王　五).
        if re.fullmatch(r"[\u4e00-\u9fff\s]+", text):
            text = re.sub(r"\s+", "", text)
        if len(text) > limit:
            raise _Invalid(_("At most %(max)s characters.") % {"max": limit})
        return text

    return clean


def _choice(mapping: dict[str, str], message: Callable[[str], str]) -> Callable[[Any, str], str]:
    index = {_lookup_key(k): v for k, v in mapping.items()}

    def clean(raw: Any, text: str) -> str:
        try:
            return index[_lookup_key(text)]
        except KeyError:
            raise _Invalid(message(text)) from None

    return clean


GENDERS = {"男": Member.Gender.MALE, "男性": Member.Gender.MALE, "女": Member.Gender.FEMALE,
           "女性": Member.Gender.FEMALE}
PARTIES: dict[str, str] = {
    "中共": Party.CPC, "中共党员": Party.CPC, "中共预备党员": Party.CPC, "中国共产党": Party.CPC,
    "共产党员": Party.CPC,
    "民革": Party.RCCK, "中国国民党革命委员会": Party.RCCK,
    "民盟": Party.CDL, "中国民主同盟": Party.CDL,
    "民建": Party.CDNCA, "中国民主建国会": Party.CDNCA,
    "民进": Party.CAPD, "中国民主促进会": Party.CAPD,
    "农工党": Party.CPWDP, "农工": Party.CPWDP, "中国农工民主党": Party.CPWDP,
    "致公党": Party.CZGP, "中国致公党": Party.CZGP,
    "九三学社": Party.JS, "九三": Party.JS,
    "台盟": Party.TDSGL, "台湾民主自治同盟": Party.TDSGL,
    "无党派": Party.NON_PARTY, "无党派人士": Party.NON_PARTY,
    "群众": Party.MASSES,
}
# The names the template offers, one per party.
PARTY_NAMES = ("中共", "民革", "民盟", "民建", "民进", "农工党", "致公党", "九三学社", "台盟", "无党派人士", "群众")
# 民盟盟员, 民建会员, 九三学社社员, 农工党党员 …: the member suffix of each party.
_PARTY_SUFFIXES = ("党员", "盟员", "会员", "社员")
LEADERSHIP_ROLES = {"主席": Member.LeadershipRole.CHAIRMAN, "副主席": Member.LeadershipRole.VICE_CHAIRMAN,
                    "秘书长": Member.LeadershipRole.SECRETARY_GENERAL, "无": "", "-": "", "/": ""}
UNIT_KINDS: dict[str, str] = {
    "党委部门": HandlingUnit.Kind.PARTY_DEPT, "党委工作部门": HandlingUnit.Kind.PARTY_DEPT,
    "县委部门": HandlingUnit.Kind.PARTY_DEPT,
    "政府部门": HandlingUnit.Kind.GOVERNMENT_DEPT, "政府工作部门": HandlingUnit.Kind.GOVERNMENT_DEPT,
    "县政府部门": HandlingUnit.Kind.GOVERNMENT_DEPT,
    "法院": HandlingUnit.Kind.COURT, "人民法院": HandlingUnit.Kind.COURT,
    "检察院": HandlingUnit.Kind.PROCURATORATE, "人民检察院": HandlingUnit.Kind.PROCURATORATE,
    "人民团体": HandlingUnit.Kind.PEOPLES_ORG, "群团组织": HandlingUnit.Kind.PEOPLES_ORG,
    "乡镇": HandlingUnit.Kind.TOWNSHIP, "乡镇街道": HandlingUnit.Kind.TOWNSHIP, "街道": HandlingUnit.Kind.TOWNSHIP,
    "企事业单位": HandlingUnit.Kind.ENTERPRISE, "企业": HandlingUnit.Kind.ENTERPRISE,
    "事业单位": HandlingUnit.Kind.ENTERPRISE, "国有企业": HandlingUnit.Kind.ENTERPRISE,
}
YES = frozenset({"是", "y", "yes", "√", "✓", "1", "true", "常委"})
NO = frozenset({"否", "n", "no", "×", "0", "false", "不是", "非常委", "无"})


_PARTY_INDEX = {_lookup_key(k): v for k, v in PARTIES.items()}


def _party(raw: Any, text: str) -> str:
    key = _lookup_key(text)
    if key in _PARTY_INDEX:
        return _PARTY_INDEX[key]
    for suffix in _PARTY_SUFFIXES:
        if key.endswith(suffix) and key[: -len(suffix)] in _PARTY_INDEX:
            return _PARTY_INDEX[key[: -len(suffix)]]
    raise _Invalid(_("Unknown party affiliation %(value)s. Write one of: %(choices)s.")
                   % {"value": text, "choices": "、".join(PARTY_NAMES)})


def _yes_no(raw: Any, text: str) -> bool:
    key = _lookup_key(text)
    if key in YES:
        return True
    if key in NO:
        return False
    raise _Invalid(_("Write 是 or 否."))


def _leadership(raw: Any, text: str) -> str:
    key = re.sub(r"^(县|市|区|旗)?政协", "", _lookup_key(text))
    if key in LEADERSHIP_ROLES:
        return LEADERSHIP_ROLES[key]
    raise _Invalid(_("Write 主席, 副主席 or 秘书长, or leave the cell empty."))


_DATE_RE = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$")
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH_RE = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?$")


def _birth_date(raw: Any, text: str) -> dt.date:
    today = timezone.localdate()
    bad_format = _("Not a date. Write it like 1975-03-02, 1975.3.2 or 1975年3月2日.")
    if isinstance(raw, dt.datetime):
        value = raw.date()
    elif isinstance(raw, dt.date):
        value = raw
    else:
        if isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer() \
                and 10000 <= raw < 100000:
            # A date cell without a date format arrives as Excel's day number (27455 = 1975-03-02).
            return _plausible(from_excel(int(raw)).date(), today)
        text = _nfkc(text)
        m = _DATE_RE.match(text) or _COMPACT_DATE_RE.match(text)
        if not m:
            if _MONTH_RE.match(text):
                raise _Invalid(_("Give the day as well, e.g. 1975-03-02."))
            raise _Invalid(bad_format)
        try:
            value = dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise _Invalid(bad_format) from None
    return _plausible(value, today)


def _plausible(value: dt.date, today: dt.date) -> dt.date:
    if value > today:
        raise _Invalid(_("The birth date is in the future."))
    if value.year < 1900:
        raise _Invalid(_("The birth date is before 1900."))
    return value


def _mobile(raw: Any, text: str) -> str:
    digits = re.sub(r"[\s\-]", "", _nfkc(text))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if not re.fullmatch(r"1[3-9]\d{9}", digits):
        raise _Invalid(_("A mobile number has 11 digits and starts with 1, e.g. 13800000000."))
    return digits


def _email(raw: Any, text: str) -> str:
    text = _nfkc(text)
    try:
        validate_email(text)
    except ValidationError:
        raise _Invalid(_("Not a valid e-mail address.")) from None
    if len(text) > _max_length(Member, "email"):
        raise _Invalid(_("At most %(max)s characters.") % {"max": _max_length(Member, "email")})
    return text


def _ethnicity(raw: Any, text: str) -> str:
    text = re.sub(r"\s+", "", text)
    # All 56 recognised groups end in 族; offices often write 汉 or 回 alone.
    if not text.endswith("族"):
        text += "族"
    if len(text) > _max_length(Member, "ethnicity"):
        raise _Invalid(_("At most %(max)s characters.") % {"max": _max_length(Member, "ethnicity")})
    return text


class _Named:
    """Lookup of a committee's objects by name (and short name where there is one)."""

    def __init__(self, objects: Iterable[Any], *, extra_keys: Callable[[Any], Iterable[str]] | None = None) -> None:
        self.index: dict[str, list[Any]] = defaultdict(list)
        for obj in objects:
            keys = {_lookup_key(obj.name), *(_lookup_key(k) for k in (extra_keys(obj) if extra_keys else ()) if k)}
            for k in keys:
                self.index[k].append(obj)

    def get(self, text: str) -> list[Any]:
        return self.index.get(_lookup_key(text), [])


@dataclass
class _Context:
    """What a row is checked against: the committee's reference data and what already exists."""

    committee_id: int
    sectors: _Named
    special_committees: _Named
    activity_groups: _Named
    leaders: _Named
    existing: set[Any]

    @classmethod
    def load(cls, committee_id: int, kind: str) -> _Context:
        if kind == Kind.MEMBERS:
            existing: set[Any] = {
                (_lookup_key(n), _lookup_key(w))
                for n, w in Member.objects.filter(committee_id=committee_id).values_list("name", "work_unit")
            }
            return cls(
                committee_id=committee_id,
                sectors=_Named(Sector.objects.filter(committee_id=committee_id)),
                special_committees=_Named(SpecialCommittee.objects.filter(committee_id=committee_id),
                                          extra_keys=lambda c: [c.short_name]),
                activity_groups=_Named(ActivityGroup.objects.filter(committee_id=committee_id)),
                leaders=_Named([]), existing=existing,
            )
        return cls(
            committee_id=committee_id, sectors=_Named([]), special_committees=_Named([]),
            activity_groups=_Named([]),
            leaders=_Named(Leader.objects.filter(committee_id=committee_id),
                           extra_keys=lambda x: [f"{x.title}{x.name}"]),
            existing={_lookup_key(n) for n in HandlingUnit.objects.filter(committee_id=committee_id)
                      .values_list("name", flat=True)},
        )

    def one(self, named: _Named, text: str, missing: str) -> Any:
        found = named.get(text)
        if not found:
            raise _Invalid(missing % {"value": text})
        if len(found) > 1:
            raise _Invalid(_("Several records are named %(value)s; write the full name.") % {"value": text})
        return found[0]


def _member_cleaners(ctx: _Context) -> dict[str, Callable[[Any, str], Any]]:
    def special_committees(raw: Any, text: str) -> list[SpecialCommittee]:
        result: list[SpecialCommittee] = []
        for part in re.split(r"[、,，;；/\s]+", text):
            if part:
                sc = ctx.one(ctx.special_committees, part, _("No special committee named %(value)s."))
                if sc not in result:
                    result.append(sc)
        return result

    return {
        "name": _person_name(Member),
        "gender": _choice(GENDERS, lambda v: _("Write 男 or 女.")),
        "ethnicity": _ethnicity,
        "birth_date": _birth_date,
        "party": _party,
        "sector": lambda raw, text: ctx.one(ctx.sectors, text, _("No sector named %(value)s in this committee.")),
        "work_unit": _limited(Member, "work_unit"),
        "job_title": _limited(Member, "job_title"),
        "phone": _mobile,
        "email": _email,
        "is_standing": _yes_no,
        "leadership_role": _leadership,
        "special_committees": special_committees,
        "activity_group": lambda raw, text: ctx.one(ctx.activity_groups, text,
                                                    _("No activity group named %(value)s.")),
    }


def _unit_cleaners(ctx: _Context) -> dict[str, Callable[[Any, str], Any]]:
    return {
        "name": _limited(HandlingUnit, "name"),
        "short_name": _limited(HandlingUnit, "short_name"),
        "kind": _choice(UNIT_KINDS, lambda v: _("Unknown kind %(value)s. Write one of: %(choices)s.") % {
            "value": v, "choices": "、".join(("党委部门", "政府部门", "法院", "检察院", "人民团体", "乡镇",
                                              "企事业单位"))}),
        "duties": lambda raw, text: text,
        "principal": _limited(HandlingUnit, "principal"),
        "responsible_leader": lambda raw, text: ctx.one(ctx.leaders, text, _("No leader named %(value)s.")),
        "phone": _limited(HandlingUnit, "phone"),
        "address": _limited(HandlingUnit, "address"),
    }


# What an optional column left empty (or absent) stands for.
MEMBER_DEFAULTS: dict[str, Any] = {
    "ethnicity": "汉族", "birth_date": None, "work_unit": "", "job_title": "", "phone": "", "email": "",
    "is_standing": False, "leadership_role": "", "special_committees": [], "activity_group": None,
}
UNIT_DEFAULTS: dict[str, Any] = {
    "short_name": "", "duties": "", "principal": "", "responsible_leader": None, "phone": "", "address": "",
}


@dataclass
class CheckResult:
    total: int
    cleaned: dict[int, dict[str, Any]] = field(default_factory=dict)  # valid rows by row number
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def valid(self) -> int:
        return len(self.cleaned)


def check_rows(*, committee_id: int, kind: str, sheet: Sheet) -> CheckResult:
    """Every problem of every row, with the row number and the column as the file names it."""
    ctx = _Context.load(committee_id, kind)
    cleaners = _member_cleaners(ctx) if kind == Kind.MEMBERS else _unit_cleaners(ctx)
    defaults = MEMBER_DEFAULTS if kind == Kind.MEMBERS else UNIT_DEFAULTS
    result = CheckResult(total=len(sheet.rows))
    first_seen: dict[Any, int] = {}
    for number, values in sheet.rows:
        row: dict[str, Any] = dict(defaults)
        problems: list[tuple[str, str]] = []
        for col in COLUMNS[kind]:
            if col.key not in sheet.positions:
                continue
            pos = sheet.positions[col.key]
            raw = values[pos] if pos < len(values) else None
            text = _text(raw)
            if not text:
                if col.required:
                    problems.append((col.key, _("This value is required.")))
                continue
            try:
                row[col.key] = cleaners[col.key](raw, text)
            except _Invalid as exc:
                problems.append((col.key, exc.message))
        # A duplicate is only judged on a clean name (and work unit): a key built from a default would
        # report rows that do not clash.
        if "name" in row and not any(k == "work_unit" for k, _m in problems):
            problems.extend(_duplicate(kind, number, row, ctx, first_seen))
        for key, message in problems:
            result.errors.append({"row": number, "column": sheet.header_of(key), "message": message})
        if not problems:
            result.cleaned[number] = row
    return result


def _duplicate(kind: str, number: int, row: dict[str, Any], ctx: _Context, first_seen: dict[Any, int]
               ) -> list[tuple[str, str]]:
    if kind == Kind.MEMBERS:
        key: Any = (_lookup_key(row["name"]), _lookup_key(row["work_unit"]))
        same_row = _("Same name and work unit as row %(row)s.")
        exists = _("A member with this name and work unit already exists.")
    else:
        key = _lookup_key(row["name"])
        same_row = _("Same unit name as row %(row)s.")
        exists = _("A handling unit with this name already exists.")
    if key in first_seen:
        return [("name", same_row % {"row": first_seen[key]})]
    first_seen[key] = number
    if key in ctx.existing:
        return [("name", exists)]
    return []


# ---------------------------------------------------------------------------------------------------
# Services


def import_validate(*, actor: Any, committee: Any, kind: str, file: Any) -> ImportBatch:
    """Read and check an upload and keep it as a batch waiting to be applied. A file that cannot be used
    at all (wrong type, too large, empty, required headers missing) is refused and nothing is stored."""
    if kind not in COLUMNS:
        raise DomainError(_("Unknown kind of import."))
    name, data = _read_upload(file)
    sheet = read_sheet(data, kind)
    result = check_rows(committee_id=committee.pk, kind=kind, sheet=sheet)
    with transaction.atomic():
        batch = ImportBatch(
            committee=committee, kind=kind, original_filename=name[:200],
            uploaded_by=actor if actor is not None and actor.is_authenticated else None,
            total_rows=result.total, valid_rows=result.valid, errors=result.errors, ignored_columns=sheet.ignored,
        )
        # A random stored name: the original one may carry personal names and odd characters.
        batch.file.save(f"{uuid.uuid4().hex}.xlsx", ContentFile(data), save=False)
        batch.save()
        event_record(committee_id=committee.pk, actor=actor, verb="organisation.import_validated", target=batch,
                     data={"kind": kind, "filename": batch.original_filename, "total_rows": result.total,
                           "valid_rows": result.valid})
    return batch


def _stored_bytes(batch: ImportBatch) -> bytes:
    try:
        with batch.file.open("rb") as fh:
            return fh.read()
    except (ValueError, OSError) as exc:
        raise DomainError(_("The uploaded file is no longer available.")) from exc


def import_apply(*, actor: Any, batch: ImportBatch, only_valid: bool) -> int:
    """Import the batch's rows in one transaction: all of them, or with ``only_valid`` the rows without
    errors. The rows are checked again first, since members or units may have been added meanwhile.
    Returns the number of records created."""
    refusal = ""
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status == ImportBatch.Status.IMPORTED:
            raise DomainError(_("This file has already been imported."))
        if locked.status != ImportBatch.Status.VALIDATED:
            raise DomainError(_("This file was discarded; upload it again."))
        sheet = read_sheet(_stored_bytes(locked), locked.kind)
        result = check_rows(committee_id=locked.committee_id, kind=locked.kind, sheet=sheet)
        locked.total_rows, locked.valid_rows, locked.errors = result.total, result.valid, result.errors
        if result.errors and not only_valid:
            refusal = _("The file has errors, so nothing was imported. Correct them and upload the file again, "
                        "or import only the valid rows.")
        elif not result.cleaned:
            refusal = _("No row is valid, so nothing was imported.")
        if refusal:
            # Keep the fresh findings so that the page shows why; no directory record is touched.
            locked.save(update_fields=["total_rows", "valid_rows", "errors"])
        else:
            create = _create_members if locked.kind == Kind.MEMBERS else _create_units
            try:
                created = create(actor=actor, batch=locked,
                                 rows=[result.cleaned[n] for n in sorted(result.cleaned)])
            except IntegrityError as exc:
                # A unit of the same name saved by someone else after the check: the whole import rolls
                # back rather than stopping half-way.
                raise DomainError(_("The directory changed while importing; nothing was imported. Try "
                                    "again.")) from exc
            locked.status = ImportBatch.Status.IMPORTED
            locked.imported_rows = created
            locked.imported_at = timezone.now()
            locked.save(update_fields=["total_rows", "valid_rows", "errors", "status", "imported_rows",
                                       "imported_at"])
            event_record(committee_id=locked.committee_id, actor=actor, verb="organisation.import_applied",
                         target=locked, to_state=locked.status,
                         data={"imported_rows": created, "only_valid": only_valid,
                               "skipped_rows": result.total - created})
    batch.refresh_from_db()
    if refusal:
        raise DomainError(refusal)
    return locked.imported_rows


def _create_members(*, actor: Any, batch: ImportBatch, rows: list[dict[str, Any]]) -> int:
    term = Term.objects.filter(committee_id=batch.committee_id, is_current=True).first()
    for values in rows:
        values = dict(values)
        special_committees = values.pop("special_committees")
        member = Member.objects.create(committee_id=batch.committee_id, **values)
        if term is not None:
            # Imported members are the current term's roll; without a term they simply have none yet.
            MemberTerm.objects.create(member=member, term=term, status=MemberTerm.Status.SERVING)
        SpecialCommitteeMembership.objects.bulk_create(
            SpecialCommitteeMembership(special_committee=sc, member=member) for sc in special_committees
        )
        event_record(committee_id=batch.committee_id, actor=actor, verb="organisation.member_created",
                     target=member, data={"import_batch": batch.pk})
        index_instance_after_commit(member)
    return len(rows)


def _create_units(*, actor: Any, batch: ImportBatch, rows: list[dict[str, Any]]) -> int:
    for values in rows:
        unit = HandlingUnit.objects.create(committee_id=batch.committee_id, **values)
        event_record(committee_id=batch.committee_id, actor=actor, verb="organisation.handlingunit_created",
                     target=unit, data={"import_batch": batch.pk})
        index_instance_after_commit(unit)
    return len(rows)


def import_discard(*, actor: Any, batch: ImportBatch) -> None:
    """Drop a batch that will not be imported. Its file holds phone numbers and birth dates, so it is
    deleted rather than kept for nothing."""
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportBatch.Status.VALIDATED:
            raise DomainError(_("Only a file that has not been imported can be discarded."))
        name, storage = locked.file.name, locked.file.storage
        locked.status = ImportBatch.Status.DISCARDED
        locked.file = ""
        locked.save(update_fields=["status", "file"])
        event_record(committee_id=locked.committee_id, actor=actor, verb="organisation.import_discarded",
                     target=locked, to_state=locked.status)
        if name:
            # After the commit, so that a rolled-back discard still has its file.
            transaction.on_commit(lambda: storage.delete(name))
    batch.refresh_from_db()


# ---------------------------------------------------------------------------------------------------
# Reads


def batch_list_for_user(*, user: Any, kinds: Sequence[str] = tuple(COLUMNS)) -> QuerySet[ImportBatch]:
    """The user's committee's batches of these kinds: members and units by default (batches of past
    proposals belong to the proposals app's import pages, which ask for their own kind)."""
    return (ImportBatch.objects.filter(committee_id=_committee_id(user), kind__in=list(kinds))
            .select_related("uploaded_by")
            .order_by("-created_at", "-id"))


def batch_get_for_user(*, user: Any, batch_id: int, kinds: Sequence[str] = tuple(COLUMNS)) -> ImportBatch:
    """A batch of these kinds of the user's own committee; any other is not found."""
    try:
        return batch_list_for_user(user=user, kinds=kinds).get(pk=batch_id)
    except ImportBatch.DoesNotExist as exc:
        raise Http404 from exc


# ---------------------------------------------------------------------------------------------------
# Workbooks for download

_HEADER_FONT = Font(bold=True)
_REQUIRED_FONT = Font(bold=True, color="C00000")
_ERROR_FILL = PatternFill("solid", fgColor="F8D7DA")
_HEADER_FILL = PatternFill("solid", fgColor="E9ECEF")


def _to_bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _put(ws: Any, row: int, column: int, value: Any) -> Any:
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        # Text from the upload must stay text, not become a formula in the user's spreadsheet program.
        cell.data_type = "s"
    if isinstance(value, dt.datetime | dt.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def error_report(batch: ImportBatch) -> bytes:
    """The uploaded rows as they were, with a column 错误 naming each row's problems; rows with problems
    are highlighted. The 错误 column is ignored on upload, so the corrected report can be sent again."""
    sheet = read_sheet(_stored_bytes(batch), batch.kind)
    problems: dict[int, list[str]] = defaultdict(list)
    for e in batch.errors:
        problems[e["row"]].append(f"{e['column']}：{e['message']}" if e.get("column") else e["message"])
    headers = list(sheet.headers)
    if ERROR_HEADER in headers:
        # A report uploaded again: replace its old findings instead of adding a second 错误 column.
        drop = headers.index(ERROR_HEADER)
        headers.pop(drop)
    else:
        drop = None
    wb = Workbook()
    ws = wb.active
    ws.title = "委员" if batch.kind == Kind.MEMBERS else "承办单位"
    for c, h in enumerate([*headers, ERROR_HEADER], start=1):
        cell = _put(ws, 1, c, h)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    error_col = len(headers) + 1
    for r, (number, values) in enumerate(sheet.rows, start=2):
        cells = list(values) + [None] * (len(sheet.headers) - len(values))
        if drop is not None:
            cells.pop(drop)
        for c, v in enumerate(cells[: len(headers)], start=1):
            _put(ws, r, c, v)
        if problems.get(number):
            cell = _put(ws, r, error_col, "\n".join(problems[number]))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            for c in range(1, error_col + 1):
                ws.cell(row=r, column=c).fill = _ERROR_FILL
    for c in range(1, error_col + 1):
        ws.column_dimensions[get_column_letter(c)].width = 40 if c == error_col else 16
    ws.freeze_panes = "A2"
    return _to_bytes(wb)


def _options(kind: str, committee_id: int) -> dict[str, list[str]]:
    """The values a column may take, for the template's drop-downs and its list of values."""
    if kind == Kind.MEMBERS:
        return {
            "性别": ["男", "女"],
            "党派": list(PARTY_NAMES),
            "界别": list(Sector.objects.filter(committee_id=committee_id).order_by("order", "id")
                         .values_list("name", flat=True)),
            "是否常委": ["是", "否"],
            "政协职务": ["主席", "副主席", "秘书长"],
            "专委会": list(SpecialCommittee.objects.filter(committee_id=committee_id).order_by("order", "id")
                           .values_list("name", flat=True)),
            "活动组": list(ActivityGroup.objects.filter(committee_id=committee_id).order_by("kind", "id")
                           .values_list("name", flat=True)),
        }
    return {
        "类型": ["党委部门", "政府部门", "法院", "检察院", "人民团体", "乡镇", "企事业单位"],
        "分管领导": list(Leader.objects.filter(committee_id=committee_id).order_by("order", "id")
                         .values_list("name", flat=True)),
    }


def template_workbook(*, kind: str, committee_id: int) -> bytes:
    """A blank sheet with the expected headers (required ones in red), drop-downs where the values are
    fixed, a sheet listing those values, and for members one example row."""
    if kind not in COLUMNS:
        raise DomainError(_("Unknown kind of import."))
    columns = COLUMNS[kind]
    options = _options(kind, committee_id)
    wb = Workbook()
    ws = wb.active
    ws.title = "委员" if kind == Kind.MEMBERS else "承办单位"
    values_ws = wb.create_sheet("可选值")
    for c, (title, values) in enumerate(options.items(), start=1):
        values_ws.cell(row=1, column=c, value=title).font = _HEADER_FONT
        for r, v in enumerate(values, start=2):
            values_ws.cell(row=r, column=c, value=v)
        values_ws.column_dimensions[get_column_letter(c)].width = 18
    option_columns = {title: get_column_letter(c) for c, title in enumerate(options, start=1)}
    for c, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=c, value=col.header)
        cell.font = _REQUIRED_FONT if col.required else _HEADER_FONT
        cell.fill = _HEADER_FILL
        note = _("Required.") if col.required else ""
        if col.hint:
            note = f"{note} {_('For example: %(example)s') % {'example': col.hint}}".strip()
        if note:
            cell.comment = Comment(note, "Xieshang")
        ws.column_dimensions[get_column_letter(c)].width = 30 if col.key in ("duties", "work_unit") else 14
        values = options.get(col.header)
        # 专委会 takes several names in one cell, which a drop-down cannot offer.
        if values and col.key != "special_committees":
            letter = option_columns[col.header]
            dv = DataValidation(type="list", formula1=f"'可选值'!${letter}$2:${letter}${len(values) + 1}",
                                allow_blank=True, showErrorMessage=False)
            dv.add(f"{get_column_letter(c)}2:{get_column_letter(c)}{MAX_ROWS + 1}")
            ws.add_data_validation(dv)
    if kind == Kind.MEMBERS:
        example = {
            "name": f"张三（{EXAMPLE_MARK}）", "gender": "男", "ethnicity": "汉族", "birth_date": dt.date(1975, 3, 2),
            "party": "民盟", "sector": (options["界别"] or ["教育界"])[0], "work_unit": "县第一中学",
            "job_title": "副校长", "phone": "13800000000", "email": "zhangsan@example.com", "is_standing": "否",
            "leadership_role": "", "special_committees": "、".join(options["专委会"][:2]),
            "activity_group": (options["活动组"] or [""])[0],
        }
        grey = Font(italic=True, color="808080")
        for c, col in enumerate(columns, start=1):
            _put(ws, 2, c, example[col.key]).font = grey
    ws.freeze_panes = "A2"
    notes = wb.create_sheet("填写说明")
    lines = [
        _("One row per member below the header row. Keep the headers; columns in red are required.")
        if kind == Kind.MEMBERS else
        _("One row per handling unit below the header row. Keep the headers; columns in red are required."),
        _("Values with a drop-down are listed on the sheet 可选值; other spellings in common use are accepted too."),
        _("Names of sectors, special committees, activity groups and leaders must match those of the committee."),
    ]
    if kind == Kind.MEMBERS:
        lines += [
            _("Row 2 is an example: delete it before uploading."),
            _("Birth dates may be written 1975-03-02, 1975.3.2 or 1975年3月2日."),
            _("Several special committees go in one cell, separated by 、"),
            _("A member whose name and work unit are already in the directory is reported, not imported twice."),
        ]
    else:
        lines.append(_("A unit whose name is already in the directory is reported, not imported twice."))
    for r, line in enumerate(lines, start=1):
        notes.cell(row=r, column=1, value=line)
    notes.column_dimensions["A"].width = 100
    return _to_bytes(wb)
