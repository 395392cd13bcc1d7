"""Importing a committee's past proposals (历史提案导入) from the ledger its office keeps in Excel or CSV,
so that the committee arrives with its history: search, similar proposals and unit suggestions learn from it.

The experience is that of the member and unit import (xieshang/organisation/importing.py), whose helpers
it reuses: an upload is read and checked row by row (``history_validate``) and kept as an ``ImportBatch`` of
kind "proposals" with every problem found, by row and column; nothing is written until someone applies it
(``history_apply``), which checks the rows again and imports all of them or none, in one transaction. The
command ``manage.py proposals_import`` does both at once.

Columns (Chinese headers, with the usual synonyms; only 标题 is required):
年份, 届次, 案号, 标题, 提案人, 主办单位, 协办单位, 分办单位, 答复类别, 类别, 正文.

Rules, in the order a row is read (the template's sheet 填写说明 tells the office the same, shorter):

- **Session.** Every proposal belongs to a plenary session (届次会议). 届次 may name term and session
  (十届一次, 第十届第一次会议, 政协第十届委员会第三次会议, 10届1次), the term only (十届, then 年份 picks
  the session opening that year), or be empty (then 年份 picks the committee's session opening that year).
  A session that does not exist yet is created, dated 15 January of its year, and so is a missing term
  (named 第N届, starting 1 January of its first session's year, not current). When only a year is known and
  no session opened that year, its place is counted from the nearest known session or term: one session a
  year, five sessions a term. A row with neither 年份 nor 届次 is reported. 年份 must be the session's
  year or the year before (regular proposals of a session are written in the year before it opens).
- **Number.** 案号 (12, 第12号, 2023-012 → 12) is unique within a session: a number used twice in the file
  or already used in the session is reported. Rows without 案号 are numbered after the highest number of
  their session, in file order. A row without 案号 whose title is already in its session is reported, so
  that importing a file twice does not double the history.
- **Proposers.** 提案人 may hold several names (separated by 、，,;；/). Each name that is exactly one member
  of the committee becomes a signed proposer; the first, when matched, is the first proposer. Nothing is
  ever added to the member directory: the cell is kept as written (Proposal.proposer_text). A single name
  that reads as an organisation (民盟示范县委员会, 经济界, 第三活动小组) makes a collective proposal.
- **Units.** 主办单位 (lead), 协办单位 (co-handling) and 分办单位 (separate) are matched to the committee's
  units after normalising (traditional/simplified, full-width), without 县/市/区 or the committee's place
  name in front, without 和/与/及, without the 局/委/办/分局 suffix, and with the common abbreviations
  (住建 = 住房和城乡建设, 人社, 发改, 卫健, 文旅, 市场监管, 环保 = 生态环境 …; ``ABBREVIATIONS``). A cell
  may name several units. An unknown unit is reported, unless units may be created (``--create-units``, or
  the page's button), in which case it is created with a kind guessed from its name. One lead unit is the
  sole unit, or the lead with co-handlers; several units in 主办单位 are handled separately (分办) unless
  协办单位 is given too, when the first leads and the others co-handle.
- **Reply class.** 答复类别 is a code (A, B类, a) or a label (已解决或采纳) of the committee's reply classes.
  It needs a unit to have replied.
- **State.** Imported proposals are records of the past, created in their final state. A proposal with a
  reply class or a unit is closed: its assignments closed and, with a class, a sent reply of that class
  from each replying unit (no text: "（历史导入，无答复正文）"). A proposal with neither is filed: it waits
  on the assignment board, where the office can assign it. Dates follow the session: submitted, filed and
  assigned on the day the session opened (1 July of 年份 for a proposal of the year before), replied and
  closed three months later, never after today. A proposal of the session's year counts as a session
  proposal (大会提案).
- **Text.** 正文 is split into 情况 / 分析 / 建议 where it has those headings (一、情况 …, 【建议】, 建议：…);
  without headings it all goes to 建议, the part the list page searches. 类别 is matched to the committee's
  categories by label or code; an unknown one is left empty with a note.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from xieshang.core.errors import DomainError
from xieshang.ledger.services import event_record
from xieshang.organisation import importing
from xieshang.organisation.importing import (
    _ERROR_FILL,
    _HEADER_FILL,
    _HEADER_FONT,
    _REQUIRED_FONT,
    ERROR_HEADER,
    EXAMPLE_MARK,
    HEADER_SEARCH_ROWS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    Column,
    Sheet,
    _header_key,
    _Invalid,
    _is_blank,
    _lookup_key,
    _put,
    _stored_bytes,
    _text,
    _to_bytes,
    import_discard,
    sheet_below_header,
)
from xieshang.organisation.models import (
    Committee,
    HandlingUnit,
    ImportBatch,
    Member,
    PlenarySession,
    Sector,
    SpecialCommittee,
    Term,
)
from xieshang.organisation.services import reference_save
from xieshang.proposals.models import Assignment, Proposal, Proposer, Reply
from xieshang.proposals.workflow import AssignmentStatus, ProposalStatus, ReplyStatus
from xieshang.ruleset.selectors import rules_for
from xieshang.ruleset.workdays import add_months
from xieshang.search.text import normalise

KIND = ImportBatch.Kind.PROPOSALS
# Who may import: the proposal committee's staff (who own the proposals) and those who may import the
# directory (administrators and office staff). Both are checked by name, so the table in
# docs/permissions.md stays the one place that says who holds them.
PERMS = ("proposals.review_proposal", "organisation.import_directory")
CSV_CONTENT_TYPES = ("text/csv", "application/vnd.ms-excel")
NO_REPLY_TEXT = "（历史导入，无答复正文）"
# How long handling took when the file does not say: the usual reply limit (§2.1).
HANDLING_MONTHS = 3
SESSIONS_PER_TERM = 5
# A county session usually opens in January; a created session is dated so, and can be corrected later.
NEW_SESSION_MONTH_DAY = (1, 15)
FIRST_YEAR = 1949


# ---------------------------------------------------------------------------------------------------
# Columns

COLUMNS: tuple[Column, ...] = (
    Column("year", "年份", ("年度", "年", "提案年份", "提案年度"), hint="2023"),
    Column("sitting", "届次", ("会次", "届次会议", "会议", "届别", "所属会议"), hint="十届一次"),
    Column("number", "案号", ("编号", "提案号", "提案编号", "案卷号", "提案案号"), hint="12"),
    Column("title", "标题", ("案由", "提案标题", "题目", "提案题目", "提案名称", "提案案由"), required=True),
    Column("proposers", "提案人", ("第一提案人", "领衔提案人", "提案者", "提案单位", "提案人（单位）", "提案人姓名"),
           hint="张三、李四"),
    Column("lead_units", "主办单位", ("承办单位", "主办", "牵头单位", "主办单位名称"), hint="县住建局"),
    Column("co_units", "协办单位", ("会办单位", "协办", "配合单位", "协办单位名称"), hint="县交通运输局、县财政局"),
    Column("separate_units", "分办单位", ("分办",)),
    Column("reply_class", "答复类别", ("办理结果", "答复结果", "办复类别", "结果类别", "答复类型", "办理类别"),
           hint="A"),
    Column("category", "类别", ("提案类别", "分类", "所属类别")),
    Column("body", "正文", ("内容", "提案内容", "正文内容", "提案正文", "案据")),
)
_BY_KEY = {c.key: c for c in COLUMNS}
_HEADER_INDEX = {_header_key(h): c for c in COLUMNS for h in (c.header, *c.synonyms)}


# ---------------------------------------------------------------------------------------------------
# Reading the file


def read_upload(file: Any) -> tuple[str, bytes]:
    """The upload's name and bytes, refusing what is plainly neither an .xlsx nor a .csv."""
    name = PurePath(str(getattr(file, "name", "") or "")).name
    size = getattr(file, "size", None)
    too_large = _("The file is larger than %(max)s MB.") % {"max": MAX_FILE_BYTES // (1024 * 1024)}
    if size is not None and size > MAX_FILE_BYTES:
        raise DomainError(too_large)
    lower = name.lower()
    if lower.endswith((".xls", ".et")):
        raise DomainError(_("This is an old-style Excel file. Open it in Excel or WPS, save it as .xlsx "
                            "(Excel workbook) and upload it again."))
    if not lower.endswith((".xlsx", ".csv")):
        raise DomainError(_("Upload an Excel workbook ending in .xlsx or a CSV file ending in .csv."))
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise DomainError(too_large)
    if not data:
        raise DomainError(_("The file is empty."))
    return name, data


def read_table(data: bytes, filename: str) -> Sheet:
    """The header row and data rows of an .xlsx (first sheet with the headers) or a .csv."""
    if filename.lower().endswith(".csv"):
        return _find_table([_csv_rows(data)])
    if not data.startswith(b"PK\x03\x04"):
        # An .xlsx is a zip archive; a CSV or an HTML export renamed to .xlsx stops here.
        raise DomainError(_("The file could not be read as an Excel workbook (.xlsx). Open it in Excel or "
                            "WPS, save it as .xlsx and upload it again."))
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        # openpyxl raises whatever its zip and XML layers raise on a damaged file.
        raise DomainError(_("The file could not be read as an Excel workbook (.xlsx). Open it in Excel or "
                            "WPS, save it as .xlsx and upload it again.")) from exc
    try:
        sheets = []
        for ws in wb.worksheets:
            ws.reset_dimensions()  # some tools declare a wrong sheet size, which read-only mode trusts
            sheets.append(ws.iter_rows(max_col=MAX_COLUMNS, values_only=True))
        return _find_table(sheets)
    except DomainError:
        raise
    except Exception as exc:
        raise DomainError(_("The file could not be read as an Excel workbook (.xlsx). Open it in Excel or "
                            "WPS, save it as .xlsx and upload it again.")) from exc
    finally:
        wb.close()


def decode_csv(data: bytes) -> str:
    """CSV text in whatever encoding an office's tools wrote it: UTF-8 with or without the BOM Excel adds,
    UTF-16 (Excel's "Unicode text"), or GB18030, a superset of the GBK that Chinese Excel and WPS use when
    saving "CSV (逗号分隔)". UTF-8 is tried strictly first: GBK bytes are almost never valid UTF-8."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise DomainError(_("The CSV file's characters could not be read. Save it from Excel or WPS as "
                            "“CSV UTF-8” and upload it again.")) from exc


def _csv_rows(data: bytes) -> Iterator[tuple[Any, ...]]:
    text = decode_csv(data)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    for record in csv.reader(io.StringIO(text, newline=""), dialect):
        yield tuple(record[:MAX_COLUMNS])


def _match_headers(values: tuple[Any, ...]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = defaultdict(list)
    for pos, v in enumerate(values):
        if v is not None and (col := _HEADER_INDEX.get(_header_key(v))):
            found[col.key].append(pos)
    return found


def _find_table(sheets: Iterable[Iterator[tuple[Any, ...]]]) -> Sheet:
    saw_anything = False
    for rows in sheets:
        for number, values in enumerate(rows, start=1):
            if number > HEADER_SEARCH_ROWS:
                break
            if _is_blank(values):
                continue
            saw_anything = True
            found = _match_headers(values)
            if "title" in found:
                return sheet_below_header(number, values, found, rows, columns=COLUMNS)
    if not saw_anything:
        raise DomainError(_("The file is empty."))
    raise DomainError(_("Required columns are missing: %(columns)s. Download the template to see the "
                        "expected headers.") % {"columns": "标题"})


# ---------------------------------------------------------------------------------------------------
# Values

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_CN_NUMBER = "[〇零一二两三四五六七八九十百\\d]+"


def cn_int(text: str) -> int | None:
    """二十三 → 23, 十 → 10, 12 → 12 (numbers up to 999, as in term and session ordinals)."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current or None


def cn_ordinal(n: int) -> str:
    """10 → 十, 13 → 十三, 21 → 二十一: how terms and sessions are named (第十届第一次会议)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return f"{'' if tens == 1 else digits[tens]}十{digits[ones] if ones else ''}" if n < 100 else str(n)


def parse_year(raw: Any, text: str) -> int:
    if isinstance(raw, dt.date):
        year = raw.year
    elif isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer():
        year = int(raw)
    else:
        m = re.fullmatch(r"(\d{4})\s*年?度?", normalise(text).replace(" ", ""))
        if not m:
            raise _Invalid(_("Not a year. Write it like 2023."))
        year = int(m[1])
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise _Invalid(_("The year must lie between %(first)s and this year.") % {"first": FIRST_YEAR})
    return year


@dataclass(frozen=True)
class Sitting:
    """What 届次 says: a term and session ordinal, or a year written there instead."""

    term: int | None = None
    session: int | None = None
    year: int | None = None


_SITTING = re.compile(rf"第?({_CN_NUMBER})届(?:委员会)?(?:第?({_CN_NUMBER})次(?:全体)?(?:会议)?)?")


def parse_sitting(raw: Any, text: str) -> Sitting:
    key = normalise(text).replace(" ", "")
    if isinstance(raw, int | float) and not isinstance(raw, bool) or re.fullmatch(r"\d{4}年?度?", key):
        return Sitting(year=parse_year(raw, text))
    m = _SITTING.search(key)
    term = cn_int(m[1]) if m else None
    session = cn_int(m[2]) if m and m[2] else None
    if not term or (m and m[2] and not session):
        raise _Invalid(_("Cannot read the session from %(value)s. Write it like 十届一次 or 第十届第一次会议.")
                       % {"value": text})
    return Sitting(term=term, session=session)


def parse_case_number(raw: Any, text: str) -> int:
    """12, 12.0, 第12号, 提案第12号, 2023-012 and 十届一次-012 all mean 12: the last number in the cell."""
    if isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer():
        number = int(raw)
    else:
        digits = re.findall(r"\d+", normalise(text))
        if not digits:
            raise _Invalid(_("Not a proposal number. Write it like 12 or 第12号."))
        number = int(digits[-1])
    if not 0 < number < 1_000_000:
        raise _Invalid(_("Not a proposal number. Write it like 12 or 第12号."))
    return number


_SEPARATORS = re.compile(r"[、，,;；/／\n\r]+")
_REMARK = re.compile(r"[(（][^)）]*[)）]")


def split_cell(text: str) -> list[str]:
    """The names in one cell, as written (a cell may name several units or proposers)."""
    return [part.strip() for part in _SEPARATORS.split(text) if part.strip()]


# ---------------------------------------------------------------------------------------------------
# Proposal text

_SECTION_WORDS: dict[str, tuple[str, ...]] = {
    "situation": ("基本情况", "情况", "现状", "背景"),
    "analysis": ("存在问题及原因", "问题及原因", "存在的问题", "存在问题", "主要问题", "问题分析", "原因分析",
                 "分析"),
    "suggestions": ("对策建议", "具体建议", "措施建议", "几点建议", "意见建议", "工作建议", "建议"),
}
_WORD_SECTION = {w: s for s, words in _SECTION_WORDS.items() for w in words}
_WORDS = "|".join(sorted(_WORD_SECTION, key=len, reverse=True))
_NUMBERING = r"(?:[一二三四五六七八九十]{1,3}\s*[、.．]|\d{1,2}\s*[、.．]|[(（][一二三四五六七八九十\d]{1,3}[)）])"
_HEADING = re.compile(rf"^\s*{_NUMBERING}?\s*[【\[]?\s*(?P<word>{_WORDS})\s*(?:如下)?\s*[】\]]?\s*"
                      r"(?:[:：]\s*(?P<rest>.*))?$")
# A heading run into the text of one line: "……。二、建议：……" gets its own line first.
_INLINE_HEADING = re.compile(rf"(?<=[。！？；;])\s*(?={_NUMBERING}?\s*[【\[]?(?:{_WORDS})[】\]]?\s*[:：])")


def split_body(text: str) -> tuple[str, str, str]:
    """情况, 分析 and 建议 of a proposal's text, by its headings. Text before the first heading belongs to
    情况; a text without headings goes to 建议 whole."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return "", "", ""
    lines = _INLINE_HEADING.sub("\n", text).split("\n")
    parts: dict[str, list[str]] = {"situation": [], "analysis": [], "suggestions": []}
    current: str | None = None
    found = False
    for line in lines:
        m = _HEADING.match(line)
        if m:
            found = True
            current = _WORD_SECTION[m["word"]]
            if m["rest"]:
                parts[current].append(m["rest"].strip())
            continue
        parts[current or "situation"].append(line.strip())
    if not found:
        return "", "", text
    return tuple("\n".join(p for p in parts[s] if p) for s in ("situation", "analysis", "suggestions"))  # type: ignore[return-value]


# ---------------------------------------------------------------------------------------------------
# Unit names

# Each group: the forms one unit name takes in offices' files, the first being the one compared. Full
# forms are written without 和/与/及, which are dropped before comparing. Longer forms win over shorter
# ones (科学技术协会 before 科学技术).
ABBREVIATIONS: tuple[tuple[str, ...], ...] = (
    ("住建", "住房城乡建设", "住房城乡建设管理", "城乡建设", "建设"),
    ("人社", "人力资源社会保障", "人力社保", "劳动人事"),
    ("发改", "发展改革", "发展计划"),
    ("自然资源", "自然资源规划", "国土资源", "自然"),
    ("卫健", "卫生健康", "卫生计生", "卫计", "卫生"),
    ("文旅", "文化旅游", "文化广电旅游", "文广旅", "文化广电体育旅游", "文体广电旅游"),
    ("农业农村", "农业", "农村农业", "农牧"),
    ("市场监管", "市场监督管理", "市监"),
    ("生态环境", "环境保护", "环保"),
    ("工信", "工业信息化", "经济信息化", "经信", "工业商务信息化"),
    ("科技", "科学技术"),
    ("医保", "医疗保障"),
    ("林草", "林业草原", "林业"),
    ("城管", "城市管理综合执法", "城市管理行政执法", "城市管理", "综合执法"),
    ("民宗", "民族宗教事务", "民族宗教"),
    ("退役军人", "退役军人事务"),
    ("交通", "交通运输"),
    ("教育", "教育体育", "教育科技", "教体", "教科体"),
    ("应急", "应急管理"),
    ("编办", "机构编制委员会办公室", "机构编制办公室", "编委办"),
    ("政法委", "政法委员会"),
    ("法院", "人民法院"),
    ("检察院", "人民检察院"),
    ("妇联", "妇女联合会"),
    ("工商联", "工商业联合会"),
    ("科协", "科学技术协会"),
    ("残联", "残疾人联合会"),
    ("侨联", "归国华侨联合会"),
    ("文联", "文学艺术界联合会"),
    ("团委", "共青团县委员会", "共青团委员会", "共青团县委", "团县委", "共青团"),
    ("政府办", "人民政府办公室", "政府办公室"),
    ("委办", "委办公室"),
    ("税务", "国家税务总局税务", "税务"),
)
_ALIAS = {form: group[0] for group in ABBREVIATIONS for form in group}
_ALIAS_RE = re.compile("|".join(sorted(map(re.escape, _ALIAS), key=len, reverse=True)))
_CANONICAL = tuple(group[0] for group in ABBREVIATIONS)
# Words that begin with a level character: 市场 is no 市-level 场.
_LEVEL_WORDS = frozenset({"市场", "市政", "市容", "市民", "县城", "区域", "州府"})
_SUFFIXES = ("人民政府", "办事处", "委员会", "办公室", "分局", "局", "委", "办")


def place_names(committee: Committee) -> tuple[str, ...]:
    """示范县 and 示范 for 示范县政协: the place a committee's units carry in their full names."""
    names = []
    for raw in (committee.name, committee.short_name):
        place = re.sub(r"中国人民政治协商会议|政协|委员会|\s", "", normalise(raw or ""))
        if len(place) >= 2:
            names.append(place)
            bare = re.sub(r"[县市区旗州]$", "", place)
            if len(bare) >= 2 and bare != place:
                names.append(bare)
    return tuple(dict.fromkeys(names))


def unit_key(text: str) -> str:
    """A name compared as written: normalised, without spaces."""
    return _lookup_key(normalise(text))


def unit_alias(text: str, places: tuple[str, ...] = ()) -> str:
    """A name compared loosely: 县住房和城乡建设局, 住建局 and 示范县住建局 all give 住建; 县委组织部 and
    中共示范县委组织部 give 组织部."""
    key = _REMARK.sub("", unit_key(text))
    for place in places:
        if place[-1] in "县市区旗州":
            key = key.replace(place, place[-1])  # 示范县住建局 → 县住建局, 共青团示范县委员会 → 共青团县委员会
        else:
            key = re.sub(rf"^{re.escape(place)}|{re.escape(place)}(?=[分支])", "", key)  # 示范分局
    key = key.removeprefix("国家税务总局").removeprefix("中国共产党").removeprefix("中共")
    key = re.sub(r"(?<=.)[和与及]", "", key)
    key = _ALIAS_RE.sub(lambda m: _ALIAS[m[0]], key)
    if re.match(r"[县市区州旗]委", key) and len(key) >= 4:
        key = key[2:]  # 县委组织部 → 组织部
    elif re.match(r"[县市区州旗]", key) and len(key) >= 3 and (
            key[:2] not in _LEVEL_WORDS or key[1:].startswith(_CANONICAL)):
        key = key[1:]  # 县住建局 → 住建局, but 市场监管局 stays, while 县城管局 → 城管局
    stripped = True
    while stripped:
        stripped = False
        for suffix in _SUFFIXES:
            if key.endswith(suffix) and len(key) - len(suffix) >= 2:
                key, stripped = key[: -len(suffix)], True
                break
    return key


def guess_unit_kind(name: str) -> str:
    """The kind of a unit created by the import, from its name; the office can correct it later."""
    key = unit_key(name)
    K = HandlingUnit.Kind
    if re.search(r"(镇|乡|街道|街道办事处)(人民政府)?$", key):
        return K.TOWNSHIP
    if "法院" in key:
        return K.COURT
    if "检察院" in key:
        return K.PROCURATORATE
    if re.search(r"工会|共青团|团[县市区]委|妇联|妇女联合会|工商联|科协|侨联|残联|文联|红十字会|青联|联合会$", key):
        return K.PEOPLES_ORG
    if re.match(r"(中共|[县市区]委)", key) or key.endswith("部"):
        return K.PARTY_DEPT
    if re.search(r"公司|集团|银行|医院|学校|中学|小学|学院|电视台|供电|移动|联通|电信|邮政", key):
        return K.ENTERPRISE
    return K.GOVERNMENT_DEPT


@dataclass
class NewUnit:
    """A unit the import will create (units may be created, and the name matched none)."""

    name: str
    kind: str
    first_row: int
    unit: HandlingUnit | None = None  # once created


class UnitMatcher:
    """The committee's units by exact name and short name, then by alias."""

    def __init__(self, units: Iterable[HandlingUnit], places: tuple[str, ...]) -> None:
        self.places = places
        self.exact: dict[str, list[HandlingUnit]] = defaultdict(list)
        self.alias: dict[str, list[HandlingUnit]] = defaultdict(list)
        for unit in units:
            for name in {unit.name, unit.short_name} - {""}:
                if unit not in self.exact[unit_key(name)]:
                    self.exact[unit_key(name)].append(unit)
                alias = unit_alias(name, places)
                if alias and unit not in self.alias[alias]:
                    self.alias[alias].append(unit)

    def match(self, text: str) -> list[HandlingUnit]:
        """The units the name may mean: one, several (ambiguous) or none."""
        found = self.exact.get(unit_key(text)) or self.exact.get(unit_key(_REMARK.sub("", text)))
        if found:
            return found
        return self.alias.get(unit_alias(text, self.places), [])


# ---------------------------------------------------------------------------------------------------
# Proposers

_PARTY_WORDS = re.compile(r"民革|民盟|民建|民进|农工党|致公党|九三学社|台盟|^中共|党支部|党总支")
_PEOPLES_ORG_WORDS = re.compile(r"工商联|共青团|团[县市区]委|妇联|总工会|科协|侨联|青联|台联|残联|文联")
_GROUP_WORDS = re.compile(r"(?:小组|联组|工作站|工作室)$")
# 张三等5人, 张三委员, 张三等委员: the name is what comes first.
_NAME_TAIL = re.compile(r"(?:等.*|委员)$")


# ---------------------------------------------------------------------------------------------------
# Sessions


@dataclass
class SessionRef:
    """A plenary session a row belongs to: an existing one, or one the import will create."""

    term: int
    ordinal: int
    year: int
    existing: PlenarySession | None = None
    first_row: int = 0
    created: PlenarySession | None = None

    @property
    def key(self) -> tuple[int, int]:
        return self.term, self.ordinal

    @property
    def label(self) -> str:
        return str(self.existing) if self.existing else f"第{cn_ordinal(self.term)}届第{cn_ordinal(self.ordinal)}次会议"

    @property
    def session(self) -> PlenarySession:
        session = self.existing or self.created
        assert session is not None, "created before the rows are"
        return session

    @property
    def opens_on(self) -> dt.date:
        return self.existing.opens_on if self.existing else dt.date(self.year, *NEW_SESSION_MONTH_DAY)


class SessionResolver:
    """Finds the session of each row (see the module's rules), planning missing terms and sessions."""

    def __init__(self, committee_id: int) -> None:
        self.terms: dict[int, Term] = {t.ordinal: t for t in Term.objects.filter(committee_id=committee_id)}
        self.new_terms: dict[int, int] = {}  # ordinal → first year
        self.new_term_rows: dict[int, int] = {}
        self.sessions: dict[tuple[int, int], SessionRef] = {}
        for s in PlenarySession.objects.filter(committee_id=committee_id).select_related("term"):
            self.sessions[(s.term.ordinal, s.ordinal)] = SessionRef(s.term.ordinal, s.ordinal, s.opens_on.year, s)

    @property
    def new_sessions(self) -> list[SessionRef]:
        return [s for s in self.sessions.values() if s.existing is None]

    def term_start(self, ordinal: int) -> int | None:
        if ordinal in self.terms:
            return self.terms[ordinal].start_date.year
        if ordinal in self.new_terms:
            return self.new_terms[ordinal]
        known = {**{o: t.start_date.year for o, t in self.terms.items()}, **self.new_terms}
        if not known:
            return None
        nearest = min(known, key=lambda o: (abs(o - ordinal), -o))
        return known[nearest] + SESSIONS_PER_TERM * (ordinal - nearest)

    def resolve(self, sitting: Sitting | None, year: int | None, row: int) -> SessionRef:
        if sitting and sitting.year:
            if year and year != sitting.year:
                raise _Invalid(_("年份 %(year)s and 届次 %(sitting)s disagree.") % {"year": year,
                                                                                 "sitting": sitting.year})
            year, sitting = sitting.year, None
        if sitting and sitting.term and sitting.session:
            return self._by_ordinals(sitting.term, sitting.session, year, row)
        if sitting and sitting.term:
            if year is None:
                raise _Invalid(_("届次 names the term only: give 年份 as well, or write the session (十届一次)."))
            same = [s for s in self.sessions.values() if s.term == sitting.term and s.year == year]
            if len(same) == 1:
                return same[0]
            start = self.term_start(sitting.term)
            if start is None:
                raise _Invalid(_("Write the session as well (十届一次): the committee has no term to count from."))
            ordinal = year - start + 1
            if not 1 <= ordinal <= SESSIONS_PER_TERM:
                raise _Invalid(_("%(year)s is not a year of the %(term)s term (%(first)s–%(last)s).") % {
                    "year": year, "term": f"第{cn_ordinal(sitting.term)}届", "first": start,
                    "last": start + SESSIONS_PER_TERM - 1})
            return self._by_ordinals(sitting.term, ordinal, year, row)
        if year is None:
            raise _Invalid(_("Give 年份 or 届次 so that the proposal can be placed in a plenary session."))
        same = [s for s in self.sessions.values() if s.year == year]
        if len(same) > 1:
            raise _Invalid(_("Several sessions opened in %(year)s (%(sessions)s): write 届次.") % {
                "year": year, "sessions": "、".join(s.label for s in same)})
        if same:
            return same[0]
        term, ordinal = self._count_from_known(year)
        return self._by_ordinals(term, ordinal, year, row)

    def _count_from_known(self, year: int) -> tuple[int, int]:
        """One session a year and five a term: the place of ``year`` counted from the nearest session, or
        from a term's first year."""
        if self.sessions:
            ref = min(self.sessions.values(), key=lambda s: (abs(s.year - year), -s.year))
            base, base_year = ref.term * SESSIONS_PER_TERM + ref.ordinal - 1, ref.year
        else:
            known = {**{o: t.start_date.year for o, t in self.terms.items()}, **self.new_terms}
            current = next((o for o, t in self.terms.items() if t.is_current), None)
            if not known:
                raise _Invalid(_("The committee has no term yet: write 届次 (十届一次) so that the term can be "
                                 "created."))
            term = current if current is not None else max(known)
            base, base_year = term * SESSIONS_PER_TERM, known[term]
        index = base + (year - base_year)
        return index // SESSIONS_PER_TERM, index % SESSIONS_PER_TERM + 1

    def _by_ordinals(self, term: int, ordinal: int, year: int | None, row: int) -> SessionRef:
        ref = self.sessions.get((term, ordinal))
        if ref is not None:
            if year is not None and not ref.year - 1 <= year <= ref.year:
                raise _Invalid(_("年份 %(year)s does not fit %(session)s, which opened in %(opened)s.") % {
                    "year": year, "session": ref.label, "opened": ref.year})
            return ref
        start = self.term_start(term)
        if year is None:
            if start is None:
                raise _Invalid(_("%(session)s is not in the directory yet: give 年份 so that it can be "
                                 "created.") % {"session": f"第{cn_ordinal(term)}届第{cn_ordinal(ordinal)}次会议"})
            year = start + ordinal - 1
        if year - ordinal + 1 < FIRST_YEAR or year > timezone.localdate().year:
            raise _Invalid(_("The year must lie between %(first)s and this year.") % {"first": FIRST_YEAR})
        if term in self.terms and year < self.terms[term].start_date.year:
            raise _Invalid(_("%(year)s is before the %(term)s term began (%(start)s).") % {
                "year": year, "term": self.terms[term].name, "start": self.terms[term].start_date.year})
        if term not in self.terms and term not in self.new_terms:
            self.new_terms[term] = year - ordinal + 1
            self.new_term_rows[term] = row
        ref = SessionRef(term, ordinal, year, None, first_row=row)
        self.sessions[ref.key] = ref
        return ref


# ---------------------------------------------------------------------------------------------------
# Checking rows


@dataclass
class Row:
    """One row as it will be imported."""

    number: int  # the spreadsheet's row number
    title: str
    session: SessionRef
    year: int | None = None
    case_number: int | None = None
    proposer_text: str = ""
    proposer_ids: list[int | None] = field(default_factory=list)  # per name, the member matched or None
    kind: str = Proposal.Kind.INDIVIDUAL
    collective_kind: str = ""
    collective_name: str = ""
    lead_units: list[HandlingUnit | NewUnit] = field(default_factory=list)
    co_units: list[HandlingUnit | NewUnit] = field(default_factory=list)
    separate_units: list[HandlingUnit | NewUnit] = field(default_factory=list)
    reply_class: str = ""
    category: str = ""
    situation: str = ""
    analysis: str = ""
    suggestions: str = ""

    @property
    def has_units(self) -> bool:
        return bool(self.lead_units or self.co_units or self.separate_units)


@dataclass
class Plan:
    """What a file would import: its valid rows, every problem (errors) and what will be created (notes)."""

    total: int
    rows: dict[int, Row] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    sessions: SessionResolver | None = None
    new_units: dict[str, NewUnit] = field(default_factory=dict)

    @property
    def valid(self) -> int:
        return len(self.rows)

    @property
    def only_unknown_units(self) -> bool:
        """Every error is a unit that is not in the directory: creating units would clear them all."""
        return bool(self.errors) and all(e.get("code") == "unknown_unit" for e in self.errors)

    def findings(self) -> list[dict[str, Any]]:
        """Errors and notes together, by row, as ImportBatch.errors keeps them (notes with level "note")."""
        return sorted([*self.errors, *({**n, "level": "note"} for n in self.notes)],
                      key=lambda e: (e["row"], e.get("level", "")))


class _Context:
    """What rows are checked against, read once per check."""

    def __init__(self, committee: Committee, *, create_units: bool) -> None:
        self.committee = committee
        self.create_units = create_units
        # Inactive units too: past proposals went to units that may since have been merged or renamed.
        self.units = UnitMatcher(HandlingUnit.objects.filter(committee_id=committee.pk), place_names(committee))
        self.members: dict[str, list[int]] = defaultdict(list)
        for pk, name in Member.objects.filter(committee_id=committee.pk).values_list("pk", "name"):
            self.members[_lookup_key(name)].append(pk)
        self.sessions = SessionResolver(committee.pk)
        self.numbers: dict[int, set[int]] = defaultdict(set)  # existing session id → numbers taken
        self.titles: dict[int, set[str]] = defaultdict(set)  # existing session id → normalised titles
        for session_id, number, title in Proposal.objects.filter(
                committee_id=committee.pk, session__isnull=False).values_list("session_id", "number", "title"):
            if number:
                self.numbers[session_id].add(number)
            self.titles[session_id].add(_lookup_key(normalise(title)))
        self.rules: dict[int, Any] = {}
        self.new_units: dict[str, NewUnit] = {}
        # What a proposer's name is compared with to tell a collective proposal (集体提案) from a person.
        self.sector_names = [_lookup_key(n) for n in Sector.objects.filter(committee_id=committee.pk)
                             .values_list("name", flat=True)]
        self.special_committee_names = [
            _lookup_key(n) for pair in SpecialCommittee.objects.filter(committee_id=committee.pk)
            .values_list("name", "short_name") for n in pair if n]

    def collective_kind(self, name: str) -> str | None:
        """The kind of body a proposer's name reads as (民盟示范县委员会, 经济界, 提案委员会, 第三活动小组),
        or None for a person."""
        key = _lookup_key(name)
        K = Proposal.CollectiveKind
        if len(key) < 3:
            return None
        if _PARTY_WORDS.search(key):
            return K.PARTY
        if _PEOPLES_ORG_WORDS.search(key):
            return K.PEOPLES_ORG
        if any(key.startswith(n) for n in self.sector_names if len(n) >= 2) or re.search(r"界(?:别|联组)?$", key) \
                and len(key) >= 4:
            return K.SECTOR
        if any(n in key for n in self.special_committee_names if len(n) >= 3) or "专委" in key:
            return K.SPECIAL_COMMITTEE
        if _GROUP_WORDS.search(key):
            return K.MEMBER_GROUP
        return None

    def reply_classes(self, year: int | None) -> list[dict[str, Any]]:
        year = year or timezone.localdate().year
        if year not in self.rules:
            self.rules[year] = rules_for(committee_id=self.committee.pk, year=year)
        return self.rules[year]["proposal.reply_classes"]

    def categories(self, year: int | None) -> list[dict[str, Any]]:
        year = year or timezone.localdate().year
        if year not in self.rules:
            self.rules[year] = rules_for(committee_id=self.committee.pk, year=year)
        return self.rules[year]["proposal.categories"]


def _reply_class(text: str, classes: list[dict[str, Any]]) -> str:
    key = _lookup_key(normalise(text))
    codes = {str(c["code"]).lower(): c["code"] for c in classes}
    bare = _REMARK.sub("", key).removesuffix("类")
    if bare in codes:
        return codes[bare]
    old = {"甲": "a", "乙": "b", "丙": "c"}  # older ledgers count the classes 甲乙丙
    if bare in old and old[bare] in codes:
        return codes[old[bare]]
    m = re.match(r"([a-z甲乙丙])类", key)
    if m and (code := codes.get(old.get(m[1], m[1]))):
        return code
    by_label = [c["code"] for c in classes if bare and (bare == _lookup_key(c["label"])
                                                         or (len(bare) >= 2 and bare in _lookup_key(c["label"])))]
    if len(by_label) == 1:
        return by_label[0]
    raise _Invalid(_("Unknown reply class %(value)s. Write one of: %(choices)s.") % {
        "value": text, "choices": "、".join(f"{c['code']}（{c['label']}）" for c in classes)})


def _category(text: str, categories: list[dict[str, Any]]) -> str | None:
    key = _lookup_key(normalise(text))
    for c in categories:
        if key in (_lookup_key(c["code"]), _lookup_key(normalise(c["label"]))):
            return c["code"]
    # 经济发展城乡建设 for 经济发展和城乡建设: compare without 和/与/及 as well.
    loose = re.sub(r"[和与及、]", "", key)
    for c in categories:
        if loose == re.sub(r"[和与及、]", "", _lookup_key(normalise(c["label"]))):
            return c["code"]
    return None


def _name_rank(name: str, places: tuple[str, ...]) -> tuple[bool, bool, int]:
    """Which of the spellings of a unit to create it under: the full name as a county writes it
    (县住房和城乡建设局) rather than an abbreviation (住建局) or one with the county's name (示范县住建局)."""
    return (not any(p in name for p in places if len(p) > 2), name[:1] in "县市区旗", len(name))


def _units(ctx: _Context, text: str, row: int) -> tuple[list[HandlingUnit | NewUnit], list[tuple[str, str, str]]]:
    """The units a cell names, and its problems as (code, message, value)."""
    found: list[HandlingUnit | NewUnit] = []
    problems: list[tuple[str, str, str]] = []
    for name in split_cell(text):
        units = ctx.units.match(name)
        if len(units) == 1:
            unit: HandlingUnit | NewUnit = units[0]
        elif units:
            problems.append(("ambiguous_unit", _("%(value)s may mean several units (%(units)s); write the full "
                                                 "name.") % {"value": name, "units": "、".join(u.name for u in units)},
                             name))
            continue
        else:
            clean = _REMARK.sub("", re.sub(r"\s+", "", name))[: HandlingUnit._meta.get_field("name").max_length]
            if not ctx.create_units or not clean:
                problems.append(("unknown_unit", _("No handling unit named %(value)s in this committee.")
                                 % {"value": name}, name))
                continue
            alias = unit_alias(clean, ctx.units.places) or unit_key(clean)
            new = ctx.new_units.get(alias)
            if new is None:
                new = ctx.new_units[alias] = NewUnit(name=clean, kind=guess_unit_kind(clean), first_row=row)
            elif _name_rank(clean, ctx.units.places) > _name_rank(new.name, ctx.units.places):
                new.name, new.kind = clean, guess_unit_kind(clean)
            unit = new
        if unit not in found:
            found.append(unit)
    return found, problems


def _proposers(ctx: _Context, text: str, row: Row) -> None:
    names = [_NAME_TAIL.sub("", re.sub(r"\s+", "", n)) or n for n in split_cell(text)]
    row.proposer_text = re.sub(r"\s+", " ", text).strip()
    ids: list[int | None] = []
    for name in names:
        matches = ctx.members.get(_lookup_key(name), [])
        # A member named twice in one cell signs once.
        ids.append(matches[0] if len(matches) == 1 and matches[0] not in ids else None)
    row.proposer_ids = ids
    if len(names) == 1 and ids[0] is None and (kind := ctx.collective_kind(names[0])) is not None:
        row.kind, row.collective_kind = Proposal.Kind.COLLECTIVE, kind
        row.collective_name = names[0][: Proposal._meta.get_field("collective_name").max_length]
    elif len(names) > 1:
        row.kind = Proposal.Kind.JOINT


def check_rows(*, committee: Committee, sheet: Sheet, create_units: bool = False) -> Plan:
    """Every problem of every row, with its row number and the column as the file names it; and what
    the import will create on the way."""
    ctx = _Context(committee, create_units=create_units)
    plan = Plan(total=len(sheet.rows), sessions=ctx.sessions, new_units=ctx.new_units)
    numbers_in_file: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)  # session key → number → row
    title_limit = Proposal._meta.get_field("title").max_length
    text_limit = Proposal._meta.get_field("proposer_text").max_length
    unmatched_names = 0
    for number, values in sheet.rows:
        problems: list[tuple[str, str, str, str]] = []  # (column key, message, code, value)

        def cell(key: str, values: tuple[Any, ...] = values) -> tuple[Any, str]:
            if key not in sheet.positions:
                return None, ""
            pos = sheet.positions[key]
            raw = values[pos] if pos < len(values) else None
            return raw, _text(raw)

        raw, title = cell("title")
        title = re.sub(r"\s+", " ", title).strip()
        if not title:
            problems.append(("title", _("This value is required."), "", ""))
        elif EXAMPLE_MARK in title:
            problems.append(("title", _("This is the template's example row: delete it."), "", ""))
        elif len(title) > title_limit:
            problems.append(("title", _("At most %(max)s characters.") % {"max": title_limit}, "", ""))

        year: int | None = None
        raw, text = cell("year")
        if text:
            try:
                year = parse_year(raw, text)
            except _Invalid as exc:
                problems.append(("year", exc.message, "", ""))
        sitting: Sitting | None = None
        raw, text = cell("sitting")
        if text:
            try:
                sitting = parse_sitting(raw, text)
            except _Invalid as exc:
                problems.append(("sitting", exc.message, "", ""))
        session: SessionRef | None = None
        if not any(k in ("year", "sitting") for k, *_rest in problems):
            try:
                session = ctx.sessions.resolve(sitting, year, number)
            except _Invalid as exc:
                problems.append(("sitting", exc.message, "", ""))

        row = Row(number=number, title=title, session=session or SessionRef(0, 0, 0), year=year)
        raw, text = cell("number")
        if text:
            try:
                row.case_number = parse_case_number(raw, text)
            except _Invalid as exc:
                problems.append(("number", exc.message, "", ""))
        if session is not None and row.case_number is not None:
            taken = numbers_in_file[session.key]
            if row.case_number in taken:
                problems.append(("number", _("Number %(number)s is also on row %(row)s of the same session.")
                                 % {"number": row.case_number, "row": taken[row.case_number]}, "", ""))
            elif session.existing and row.case_number in ctx.numbers[session.existing.pk]:
                problems.append(("number", _("Number %(number)s is already used in %(session)s.")
                                 % {"number": row.case_number, "session": session.label}, "", ""))
            else:
                taken[row.case_number] = number
        elif session is not None and session.existing and title and \
                _lookup_key(normalise(title)) in ctx.titles[session.existing.pk]:
            problems.append(("title", _("A proposal with this title is already in %(session)s; it may have been "
                                        "imported before. Give its 案号 to import it anyway.")
                             % {"session": session.label}, "", ""))

        raw, text = cell("proposers")
        if text:
            if len(text) > text_limit:
                problems.append(("proposers", _("At most %(max)s characters.") % {"max": text_limit}, "", ""))
            else:
                _proposers(ctx, text, row)
                unmatched_names += sum(1 for i in row.proposer_ids if i is None) if row.kind != "collective" else 0

        for key in ("lead_units", "co_units", "separate_units"):
            raw, text = cell(key)
            if text:
                units, unit_problems = _units(ctx, text, number)
                setattr(row, key, units)
                problems.extend((key, message, code, value) for code, message, value in unit_problems)
        # A unit named as lead and again as co-handler handles it once, as lead.
        row.co_units = [u for u in row.co_units if u not in row.lead_units]
        if row.separate_units and (row.lead_units or row.co_units):
            problems.append(("separate_units", _("A proposal is handled either separately (分办单位) or by a lead "
                                                 "unit with co-handlers, not both."), "", ""))
        elif row.co_units and not row.lead_units and not any(k == "lead_units" for k, *_r in problems):
            problems.append(("co_units", _("Co-handling units need a lead unit (主办单位)."), "", ""))

        raw, text = cell("reply_class")
        if text:
            try:
                row.reply_class = _reply_class(text, ctx.reply_classes(year or (session.year if session else None)))
            except _Invalid as exc:
                problems.append(("reply_class", exc.message, "", ""))
            else:
                if not row.has_units and not any(k.endswith("units") for k, *_r in problems):
                    problems.append(("reply_class", _("A reply class needs the unit that replied (主办单位)."),
                                     "", ""))

        raw, text = cell("category")
        if text:
            code = _category(text, ctx.categories(year or (session.year if session else None)))
            if code is None:
                plan.notes.append({"row": number, "column": sheet.headers[sheet.positions["category"]],
                                   "message": _("%(value)s is not one of the committee's categories; the category "
                                                "is left empty.") % {"value": text}})
            else:
                row.category = code

        raw, text = cell("body")
        if text:
            row.situation, row.analysis, row.suggestions = split_body(text)

        for key, message, code, value in problems:
            entry: dict[str, Any] = {"row": number, "column": _column_label(sheet, key), "message": message}
            if code:
                entry.update(code=code, value=value)
            plan.errors.append(entry)
        if not problems:
            plan.rows[number] = row

    _plan_notes(plan, sheet, ctx, unmatched_names)
    return plan


def _column_label(sheet: Sheet, key: str) -> str:
    return sheet.headers[sheet.positions[key]] if key in sheet.positions else _BY_KEY[key].header


def _plan_notes(plan: Plan, sheet: Sheet, ctx: _Context, unmatched_names: int) -> None:
    resolver = ctx.sessions
    for ordinal, first_year in sorted(resolver.new_terms.items()):
        plan.notes.append({"row": resolver.new_term_rows[ordinal], "column": _column_label(sheet, "sitting"),
                           "message": _("New term %(term)s, from %(year)s.")
                           % {"term": f"第{cn_ordinal(ordinal)}届", "year": first_year}})
    for ref in resolver.new_sessions:
        plan.notes.append({"row": ref.first_row, "column": _column_label(sheet, "sitting"),
                           "message": _("New plenary session %(session)s, opening %(date)s.")
                           % {"session": ref.label, "date": ref.opens_on.isoformat()}})
    for unit in ctx.new_units.values():
        plan.notes.append({"row": unit.first_row, "column": _column_label(sheet, "lead_units"),
                           "message": _("New handling unit %(unit)s (%(kind)s).")
                           % {"unit": unit.name, "kind": HandlingUnit.Kind(unit.kind).label}})
    if unmatched_names:
        first = min((r.number for r in plan.rows.values() if None in r.proposer_ids), default=0)
        if first:
            plan.notes.append({"row": first, "column": _column_label(sheet, "proposers"),
                               "message": ngettext(
                                   "%(n)s proposer name matches no single member: it is kept as written, and no "
                                   "member is added.",
                                   "%(n)s proposer names match no single member: they are kept as written, and no "
                                   "member is added.", unmatched_names) % {"n": unmatched_names}})


# ---------------------------------------------------------------------------------------------------
# Applying


def _aware(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _create_sessions(*, actor: Any, committee: Committee, resolver: SessionResolver) -> None:
    for ordinal, first_year in sorted(resolver.new_terms.items()):
        term = Term(committee=committee, ordinal=ordinal, name=f"第{cn_ordinal(ordinal)}届",
                    start_date=dt.date(first_year, 1, 1), is_current=False)
        reference_save(actor=actor, instance=term, committee_id=committee.pk)
        resolver.terms[ordinal] = term
    for ref in resolver.new_sessions:
        opens_on = ref.opens_on
        session = PlenarySession(
            committee=committee, term=resolver.terms[ref.term], ordinal=ref.ordinal,
            name=f"第{cn_ordinal(ref.ordinal)}次会议", opens_on=opens_on, closes_on=opens_on + dt.timedelta(days=3),
            proposal_window_start=add_months(opens_on, -3),
            proposal_deadline=_aware(opens_on + dt.timedelta(days=1), 18))
        reference_save(actor=actor, instance=session, committee_id=committee.pk)
        ref.created = session


def _create_units(*, actor: Any, committee: Committee, new_units: dict[str, NewUnit]) -> None:
    for new in new_units.values():
        unit = HandlingUnit(committee=committee, name=new.name, kind=new.kind)
        reference_save(actor=actor, instance=unit, committee_id=committee.pk)
        new.unit = unit


def _unit(u: HandlingUnit | NewUnit) -> HandlingUnit:
    if isinstance(u, NewUnit):
        assert u.unit is not None, "created before the rows are"
        return u.unit
    return u


def _dates(row: Row) -> tuple[dt.date, dt.date]:
    """When the proposal came in and when its handling ended, as far as the file tells."""
    opens_on = row.session.opens_on
    start = opens_on if row.year is None or row.year == opens_on.year else dt.date(row.year, 7, 1)
    end = min(add_months(start, HANDLING_MONTHS), timezone.localdate())
    return start, max(end, start)


def _create_proposal(*, actor: Any, committee: Committee, row: Row, number: int, batch: ImportBatch | None,
                     filename: str) -> Proposal:
    start, end = _dates(row)
    started, ended = _aware(start), _aware(end, 17)
    closed = bool(row.reply_class or row.has_units)
    status = ProposalStatus.CLOSED if closed else ProposalStatus.FILED
    lead_id = row.proposer_ids[0] if row.proposer_ids else None
    proposal = Proposal.objects.create(
        committee=committee, session=row.session.session, number=number,
        is_session_proposal=row.year is None or row.year == row.session.opens_on.year,
        title=row.title, category=row.category, situation=row.situation, analysis=row.analysis,
        suggestions=row.suggestions, kind=row.kind, collective_kind=row.collective_kind,
        collective_name=row.collective_name, lead_member_id=lead_id, proposer_text=row.proposer_text,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        status=status, status_changed_at=ended if closed else started, submitted_at=started,
        decided_at=started, decided_by=actor if actor is not None and actor.is_authenticated else None,
        closed_at=ended if closed else None)
    Proposer.objects.bulk_create(
        Proposer(proposal=proposal, member_id=member_id, order=order, is_lead=member_id == lead_id and order == 1,
                 status=Proposer.Status.SIGNED, invited_at=started, signed_at=started)
        for order, member_id in enumerate(row.proposer_ids, start=1) if member_id is not None)
    replies: list[Reply] = []
    if closed:
        roles: list[tuple[HandlingUnit | NewUnit, str]]
        if row.separate_units:
            role = Assignment.Role.SEPARATE if len(row.separate_units) > 1 else Assignment.Role.SOLE
            roles = [(u, role) for u in row.separate_units]
        elif len(row.lead_units) > 1 and not row.co_units:
            roles = [(u, Assignment.Role.SEPARATE) for u in row.lead_units]
        elif row.lead_units:
            lead, *others = row.lead_units
            co = [*others, *row.co_units]
            roles = [(lead, Assignment.Role.LEAD if co else Assignment.Role.SOLE),
                     *((u, Assignment.Role.CO) for u in co)]
        else:
            roles = []
        for u, role in roles:
            assignment = Assignment.objects.create(
                committee=committee, proposal=proposal, unit=_unit(u), role=role, status=AssignmentStatus.CLOSED,
                assigned_at=started, assigned_by=None, objection_due=start, accepted_at=started,
                reply_due=end, hard_due=end, closed_at=ended)
            if row.reply_class and role != Assignment.Role.CO:
                replies.append(Reply(assignment=assignment, round=1, status=ReplyStatus.SENT,
                                     result_class=row.reply_class, body=NO_REPLY_TEXT, submitted_at=ended,
                                     sent_at=ended))
        Reply.objects.bulk_create(replies)
    event_record(committee_id=committee.pk, actor=actor, verb="proposals.imported", target=proposal,
                 to_state=status, data={"row": row.number, "import_batch": batch.pk if batch else None,
                                        "file": filename, "reply_class": row.reply_class})
    _index_after_commit([proposal, *(r for r in replies if r.pk is not None)])
    return proposal


def _index_after_commit(objects: list[Any]) -> None:
    """Hand the new rows to the search index once the import commits, when the search app offers it."""
    try:
        from xieshang.search import indexing
    except ImportError:
        return
    hook = getattr(indexing, "index_instance_after_commit", None)
    if hook is None:
        return
    for obj in objects:
        hook(obj)


def apply_plan(*, actor: Any, committee: Committee, plan: Plan, batch: ImportBatch | None = None,
               filename: str = "") -> list[Proposal]:
    """Create the plan's terms, sessions, units and proposals. The caller holds the transaction and has
    made sure the plan has no errors."""
    assert plan.sessions is not None, "a checked plan"
    assert not plan.errors, "only a plan without errors is applied"
    _create_sessions(actor=actor, committee=committee, resolver=plan.sessions)
    _create_units(actor=actor, committee=committee, new_units=plan.new_units)
    rows = [plan.rows[n] for n in sorted(plan.rows)]
    # Rows without 案号 are numbered after the highest number of their session, file numbers included.
    top: dict[tuple[int, int], int] = {}
    for row in rows:
        key = row.session.key
        if key not in top:
            top[key] = Proposal.objects.filter(session=row.session.session).aggregate(m=Max("number"))["m"] or 0
        if row.case_number:
            top[key] = max(top[key], row.case_number)
    created = []
    for row in rows:
        if row.case_number:
            number = row.case_number
        else:
            top[row.session.key] += 1
            number = top[row.session.key]
        created.append(_create_proposal(actor=actor, committee=committee, row=row, number=number, batch=batch,
                                        filename=filename))
    return created


# ---------------------------------------------------------------------------------------------------
# Services


def require_import(actor: Any) -> None:
    """Proposal-committee staff, office staff and administrators; ``None`` is the command line."""
    if actor is not None and not any(actor.has_perm(p) for p in PERMS):
        raise DomainError(_("You are not allowed to do this."), code="permission_denied")


def history_import_file(*, actor: Any, committee: Committee, data: bytes, filename: str,
                        create_units: bool = False) -> tuple[Plan, list[Proposal]]:
    """Check a file and, when every row is valid, import it whole (the command line). With errors nothing
    is written and the plan comes back with them."""
    require_import(actor)
    sheet = read_table(data, filename)
    with transaction.atomic():
        plan = check_rows(committee=committee, sheet=sheet, create_units=create_units)
        if plan.errors:
            return plan, []
        try:
            created = apply_plan(actor=actor, committee=committee, plan=plan, filename=filename)
        except IntegrityError as exc:
            raise DomainError(_("The directory changed while importing; nothing was imported. Try again.")) from exc
    return plan, created


def history_validate(*, actor: Any, committee: Committee, file: Any) -> ImportBatch:
    """Read and check an upload and keep it as a batch waiting to be applied. A file that cannot be used at
    all is refused and nothing is stored. Unknown units are errors here; the batch page offers to create
    them."""
    require_import(actor)
    name, data = read_upload(file)
    sheet = read_table(data, name)
    plan = check_rows(committee=committee, sheet=sheet)
    with transaction.atomic():
        batch = ImportBatch(
            committee=committee, kind=KIND, original_filename=name[:200],
            uploaded_by=actor if actor is not None and actor.is_authenticated else None,
            total_rows=plan.total, valid_rows=plan.valid, errors=plan.findings(), ignored_columns=sheet.ignored)
        # A random stored name, keeping the extension that says how to read it.
        batch.file.save(f"{uuid.uuid4().hex}{PurePath(name).suffix.lower()}", ContentFile(data), save=False)
        batch.save()
        event_record(committee_id=committee.pk, actor=actor, verb="proposals.import_validated", target=batch,
                     data={"filename": batch.original_filename, "total_rows": plan.total, "valid_rows": plan.valid})
    return batch


def _batch_sheet(batch: ImportBatch) -> Sheet:
    return read_table(_stored_bytes(batch), batch.file.name or batch.original_filename)


def history_apply(*, actor: Any, batch: ImportBatch, create_units: bool = False) -> int:
    """Import every row of the batch in one transaction, or none: the rows are checked again first, since
    the directory may have changed. ``create_units`` creates the units no row could be matched to.
    Returns the number of proposals imported."""
    require_import(actor)
    refusal = ""
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().select_related("committee").get(pk=batch.pk, kind=KIND)
        if locked.status == ImportBatch.Status.IMPORTED:
            raise DomainError(_("This file has already been imported."))
        if locked.status != ImportBatch.Status.VALIDATED:
            raise DomainError(_("This file was discarded; upload it again."))
        plan = check_rows(committee=locked.committee, sheet=_batch_sheet(locked), create_units=create_units)
        locked.total_rows, locked.valid_rows, locked.errors = plan.total, plan.valid, plan.findings()
        if plan.errors:
            refusal = _("The file has errors, so nothing was imported. Correct them and upload the file again.")
            locked.save(update_fields=["total_rows", "valid_rows", "errors"])
        else:
            try:
                created = apply_plan(actor=actor, committee=locked.committee, plan=plan, batch=locked,
                                     filename=locked.original_filename)
            except IntegrityError as exc:
                raise DomainError(_("The directory changed while importing; nothing was imported. Try "
                                    "again.")) from exc
            locked.status = ImportBatch.Status.IMPORTED
            locked.imported_rows = len(created)
            locked.imported_at = timezone.now()
            locked.save(update_fields=["total_rows", "valid_rows", "errors", "status", "imported_rows",
                                       "imported_at"])
            event_record(committee_id=locked.committee_id, actor=actor, verb="proposals.import_applied",
                         target=locked, to_state=locked.status,
                         data={"imported_rows": len(created), "create_units": create_units,
                               "units_created": len(plan.new_units),
                               "sessions_created": len(plan.sessions.new_sessions) if plan.sessions else 0})
    batch.refresh_from_db()
    if refusal:
        raise DomainError(refusal)
    return batch.imported_rows


def history_discard(*, actor: Any, batch: ImportBatch) -> None:
    require_import(actor)
    import_discard(actor=actor, batch=batch)


# ---------------------------------------------------------------------------------------------------
# Reads


def batch_list_for_user(*, user: Any) -> QuerySet[ImportBatch]:
    return importing.batch_list_for_user(user=user, kinds=[KIND])


def batch_get_for_user(*, user: Any, batch_id: int) -> ImportBatch:
    """A batch of past proposals of the user's own committee; any other is not found."""
    return importing.batch_get_for_user(user=user, batch_id=batch_id, kinds=[KIND])


def split_findings(batch: ImportBatch) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The batch's errors and its notes (what the import will create)."""
    errors = [e for e in batch.errors if e.get("level") != "note"]
    notes = [e for e in batch.errors if e.get("level") == "note"]
    return errors, notes


# ---------------------------------------------------------------------------------------------------
# Workbooks for download


def error_report(batch: ImportBatch) -> bytes:
    """The uploaded rows as they were, with a column 错误 naming each row's problems; rows with problems
    are highlighted. The 错误 column is ignored on upload, so the corrected report can be sent again."""
    sheet = _batch_sheet(batch)
    errors, _notes = split_findings(batch)
    problems: dict[int, list[str]] = defaultdict(list)
    for e in errors:
        problems[e["row"]].append(f"{e['column']}：{e['message']}" if e.get("column") else e["message"])
    headers = list(sheet.headers)
    drop = headers.index(ERROR_HEADER) if ERROR_HEADER in headers else None
    if drop is not None:
        headers.pop(drop)  # a report uploaded again: its old findings are replaced, not doubled
    wb = Workbook()
    ws = wb.active
    ws.title = "历史提案"
    for c, h in enumerate([*headers, ERROR_HEADER], start=1):
        cell = _put(ws, 1, c, h)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    error_col = len(headers) + 1
    for r, (number, values) in enumerate(sheet.rows, start=2):
        cells = list(values) + [None] * (len(sheet.headers) - len(values))
        if drop is not None:
            cells.pop(drop)
        for c, v in enumerate(cells[: len(headers)], start=1):
            _put(ws, r, c, v)
        if problems.get(number):
            _put(ws, r, error_col, "\n".join(problems[number]))
            for c in range(1, error_col + 1):
                ws.cell(row=r, column=c).fill = _ERROR_FILL
    for c in range(1, error_col + 1):
        ws.column_dimensions[get_column_letter(c)].width = 40 if c == error_col else 16
    ws.freeze_panes = "A2"
    return _to_bytes(wb)


def template_workbook(*, committee_id: int) -> bytes:
    """The expected headers (标题 in red), one example row, the committee's reply classes, categories and
    unit names to copy from, and notes on how the rows are read."""
    rules = rules_for(committee_id=committee_id)
    wb = Workbook()
    ws = wb.active
    ws.title = "历史提案"
    for c, col in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=c, value=col.header)
        cell.font = _REQUIRED_FONT if col.required else _HEADER_FONT
        cell.fill = _HEADER_FILL
        note = _("Required.") if col.required else ""
        if col.hint:
            note = f"{note} {_('For example: %(example)s') % {'example': col.hint}}".strip()
        if note:
            cell.comment = Comment(note, "Xieshang")
        ws.column_dimensions[get_column_letter(c)].width = {"title": 40, "body": 60}.get(col.key, 14)
    example = {
        "year": 2022, "sitting": "十届一次", "number": 1, "title": f"关于加快农村生活污水治理的建议（{EXAMPLE_MARK}）",
        "proposers": "张三、李四", "lead_units": "县生态环境局", "co_units": "县住建局、县农业农村局",
        "separate_units": "", "reply_class": rules.reply_class_codes()[0] if rules.reply_class_codes() else "A",
        "category": (rules["proposal.categories"] or [{"label": ""}])[0]["label"],
        "body": "一、情况\n……\n二、分析\n……\n三、建议\n……",
    }
    grey = Font(italic=True, color="808080")
    for c, col in enumerate(COLUMNS, start=1):
        _put(ws, 2, c, example[col.key]).font = grey
    ws.freeze_panes = "A2"

    values = wb.create_sheet("可选值")
    lists = {
        "答复类别": [f"{c['code']}（{c['label']}）" for c in rules["proposal.reply_classes"]],
        "类别": [c["label"] for c in rules["proposal.categories"]],
        "承办单位": list(HandlingUnit.objects.filter(committee_id=committee_id, is_active=True)
                         .order_by("kind", "name").values_list("name", flat=True)),
    }
    for c, (title, items) in enumerate(lists.items(), start=1):
        values.cell(row=1, column=c, value=title).font = _HEADER_FONT
        for r, v in enumerate(items, start=2):
            values.cell(row=r, column=c, value=v)
        values.column_dimensions[get_column_letter(c)].width = 30
    notes = wb.create_sheet("填写说明")
    lines = [
        _("One row per past proposal below the header row. Only 标题 is required; row 2 is an example: delete "
          "it before uploading."),
        _("届次 like 十届一次 or 第十届第一次会议; or 年份 alone, for the session that opened that year. Missing "
          "terms and sessions are created."),
        _("案号 is unique within a session; rows without one are numbered after the session's last number."),
        _("Several proposers or units go in one cell, separated by 、. Proposers are matched to members by name; "
          "other names are kept as written."),
        _("Units may be written as the office writes them (县住建局 for 县住房和城乡建设局); the sheet 可选值 lists "
          "the committee's units."),
        _("答复类别 is a code or label from the sheet 可选值. A proposal with a reply class or a unit is imported "
          "as closed; one with neither waits for assignment."),
        _("正文 is split into 情况, 分析 and 建议 at those headings; without headings it is kept as 建议."),
        _("The file may also be saved as CSV (UTF-8 or GBK)."),
    ]
    for r, line in enumerate(lines, start=1):
        notes.cell(row=r, column=1, value=line)
    notes.column_dimensions["A"].width = 110
    return _to_bytes(wb)
