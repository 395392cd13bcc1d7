"""Proposal statistics (§3 of shared/reference/cppcc-rules.md) for one committee, per plenary session or
per calendar year, computed in a fixed number of queries (nine, whatever the number of proposals).

Every rate is a ``Ratio`` that keeps its numerator and denominator; its rate is None when nothing is
counted below the line. Choices the specification leaves open, decided here and shown on the page:

- **Window.** A session: proposals whose session is that plenary session. A year: proposals submitted in
  that calendar year (local time; a proposal returned and submitted again counts by its last submission).
- **Received (收到提案).** Every proposal ever submitted (``submitted_at`` set), whatever it has become since:
  under review, returned for revision, filed, merged, not filed. A proposal the proposer **withdrew after
  submitting it** is not counted: nothing was decided about it, and counting it would lower the filing rate
  for no decision of the committee. It is reported apart (``withdrawn_after_submission``).
- **Merged proposals (并案)** follow the committee rule ``statistics.merged_counting``: ``inside_filed``
  (Gansu) counts them as filed, ``separate`` (Kunming) keeps them apart, so that received = filed + merged +
  not filed (+ still pending). Both counts are always kept (``filed_own``, ``merged``). Every share "÷ filed"
  uses the filed count of the convention in force. A merged proposal is answered by its lead proposal's
  reply, so where merged proposals count as filed, each takes its lead's reply and face-to-face outcome.
- **Reply rate (办复率).** An assignment that replies (lead, sole or separate; not co-handlers, not cancelled)
  is replied properly when its latest sent reply (sent = through the supervising review) went out on or
  before the assignment's reply due date (which already holds approved extensions, and the new date of a
  re-handling round) and, when ``statistics.reply_needs_contact`` is "yes", a contact record of that
  assignment was entered before the reply was sent. A proposal is replied properly when it has at least one
  such assignment and all of them are.
- **Classes, satisfaction.** Counted on the latest sent reply of each replying assignment (分办件), so a
  proposal handled separately by two units contributes two replies. Evaluations of earlier rounds are
  superseded by the round that answered them. A proposer (merged proposers included) who has not evaluated
  a sent reply whose evaluation window has passed is "not returned": in neither numerator nor denominator.
- **Member participation.** Serving members of the term (the session's term; for a year, the current term)
  who are the first proposer or a signed co-signer of a received proposal, ÷ all serving members of it.
- **Per unit.** On-time rate = replies sent by the due date ÷ assignments that replied or are past due
  (an assignment still within its time is neither on time nor late yet). Co-handlers count in the
  assignments and the re-handling rate; only replying units have an on-time rate. Overdue open: still
  open (awaiting acceptance, objection or handling) past the reply due date, or, for a co-handler that has
  not given its opinion of the round, past the opinion due date.
- **Key and excellent proposals** of the window's proposals: key ones selected by the chairman's meeting
  (selected, planned, under supervision or reported), excellent ones selected.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from xieshang.organisation.models import MemberTerm, PlenarySession
from xieshang.proposals.models import (
    Assignment,
    CohandlerOpinion,
    ContactRecord,
    Evaluation,
    ExcellentProposal,
    KeyProposal,
    Proposal,
    Proposer,
    Reply,
)
from xieshang.proposals.workflow import OPEN_ASSIGNMENT, AssignmentStatus, ProposalStatus, ReplyStatus
from xieshang.ruleset.selectors import rules_for

P, A = ProposalStatus, AssignmentStatus
FILED_OWN = frozenset({P.FILED, P.HANDLING, P.REPLIED, P.REHANDLING, P.FOLLOW_UP, P.CLOSED})
KEY_COUNTED = frozenset({KeyProposal.Status.SELECTED, KeyProposal.Status.PLANNED, KeyProposal.Status.SUPERVISING,
                         KeyProposal.Status.REPORTED})
# Taken from the model's own definition, so that "face to face" means one thing everywhere.
FACE_TO_FACE = tuple(m for m in ContactRecord.Method.values if ContactRecord(method=m).is_face_to_face)
INSIDE_FILED, SEPARATE = "inside_filed", "separate"
RESULTS = (Evaluation.Result.SATISFIED, Evaluation.Result.BASICALLY, Evaluation.Result.DISSATISFIED)
MIN_YEAR, MAX_YEAR = 1949, 2200


@dataclass(frozen=True)
class Ratio:
    numerator: int
    denominator: int

    @property
    def rate(self) -> float | None:
        return None if self.denominator == 0 else self.numerator / self.denominator

    @property
    def percent(self) -> float | None:
        """Rounded to one decimal, as the annual reports print it (68.1%)."""
        rate = self.rate
        return None if rate is None else round(rate * 100, 1)


def _speaks_chinese() -> bool:
    return (get_language() or "").lower().startswith("zh")


@dataclass(frozen=True)
class Share:
    """One category or reply class: its count over the base it is a share of."""

    code: str
    label: str  # as the committee's rules give it (Chinese)
    label_en: str
    ratio: Ratio

    @property
    def count(self) -> int:
        return self.ratio.numerator

    @property
    def display_label(self) -> str:
        return self.label if _speaks_chinese() or not self.label_en else self.label_en


@dataclass(frozen=True)
class SatisfactionSplit:
    satisfied: int
    basically: int
    dissatisfied: int

    @property
    def evaluated(self) -> int:
        return self.satisfied + self.basically + self.dissatisfied

    @property
    def ratio(self) -> Ratio:
        """满意率 = (满意 + 基本满意) ÷ all evaluated."""
        return Ratio(self.satisfied + self.basically, self.evaluated)


@dataclass(frozen=True)
class Satisfaction:
    overall: SatisfactionSplit
    attitude: SatisfactionSplit  # only evaluations that rated the handling attitude
    effect: SatisfactionSplit  # only evaluations that rated the actual effect
    not_returned: int  # (proposer, reply) pairs past the evaluation window without an evaluation


@dataclass(frozen=True)
class UnitFigures:
    unit_id: int
    name: str
    assignments: int
    on_time: Ratio
    satisfaction: Ratio
    rehandled: Ratio
    overdue_open: int


@dataclass(frozen=True)
class Scope:
    """What the figures are about: one plenary session, or one calendar year, of one committee."""

    committee_id: int
    session: PlenarySession | None = None
    year: int | None = None

    def __post_init__(self) -> None:
        if (self.session is None) == (self.year is None):
            raise ValueError("a scope is either one session or one year")

    @property
    def rules_year(self) -> int:
        """The year whose rules apply: the session's (it opens in its year) or the calendar year."""
        return self.session.opens_on.year if self.session is not None else int(self.year or 0)

    @property
    def label(self) -> str:
        if self.session is not None:
            return str(self.session)
        return _("%(year)d (submitted in the year)") % {"year": self.year}

    @property
    def label_zh(self) -> str:
        """For the spreadsheet, which is always in Chinese."""
        return str(self.session) if self.session is not None else f"{self.year}年（按提交时间）"

    @property
    def query(self) -> str:
        return f"session={self.session.pk}" if self.session is not None else f"year={self.year}"

    def proposals(self) -> QuerySet[Proposal]:
        qs = Proposal.objects.filter(committee_id=self.committee_id)
        if self.session is not None:
            return qs.filter(session=self.session)
        return qs.filter(submitted_at__year=self.year)

    def serving_members(self) -> QuerySet[MemberTerm]:
        qs = MemberTerm.objects.filter(status=MemberTerm.Status.SERVING, term__committee_id=self.committee_id)
        if self.session is not None:
            return qs.filter(term_id=self.session.term_id)
        return qs.filter(term__is_current=True)


@dataclass(frozen=True)
class ProposalStatistics:
    scope: Scope
    today: dt.date
    merged_counting: str  # "inside_filed" or "separate"
    reply_needs_contact: bool
    # Counts of the window's submitted proposals
    received: int
    session_proposals: int  # of received, 大会提案 (the rest are 平时提案)
    withdrawn_after_submission: int  # not in received
    pending: int  # received but not yet filed, merged or declined
    filed_own: int  # filed and handled under its own number
    merged: int
    not_filed: int
    filed: int  # by the convention: filed_own + merged (inside_filed) or filed_own (separate)
    # Rates
    filing_rate: Ratio
    collective: Ratio
    participation: Ratio
    categories: tuple[Share, ...]
    reply_rate: Ratio  # per proposal
    reply_rate_assignments: Ratio  # per assignment (分办件)
    classes: tuple[Share, ...]  # each ÷ replies counted
    satisfaction: Satisfaction
    face_to_face: Ratio
    key_proposals: int
    excellent_proposals: int
    units: tuple[UnitFigures, ...]

    @property
    def merged_inside_filed(self) -> bool:
        return self.merged_counting == INSIDE_FILED

    @property
    def replied(self) -> int:
        """Replies whose class is counted (the base of the class distribution)."""
        return self.classes[0].ratio.denominator if self.classes else 0


# ---------------------------------------------------------------------------------------------------
# Choosing the scope


def _committee_id(user: Any) -> int:
    if not user.is_authenticated or user.committee_id is None or not user.role_codes:
        raise Http404
    return user.committee_id


def statistics_scope_for_user(*, user: Any, session: str | None = None, year: str | None = None) -> Scope:
    """The scope a request asks for (``?session=ID`` or ``?year=YYYY``), by default the latest session; the
    current year when the committee has no session yet. Another committee's session is not found."""
    committee_id = _committee_id(user)
    sessions = PlenarySession.objects.filter(committee_id=committee_id).select_related("term")
    if session:
        try:
            return Scope(committee_id, session=sessions.get(pk=int(session)))
        except (ValueError, PlenarySession.DoesNotExist) as exc:
            raise Http404 from exc
    if year:
        try:
            number = int(year)
        except ValueError as exc:
            raise Http404 from exc
        if not MIN_YEAR <= number <= MAX_YEAR:
            raise Http404
        return Scope(committee_id, year=number)
    latest = sessions.order_by("-opens_on", "-ordinal", "-pk").first()
    if latest is None:
        return Scope(committee_id, year=timezone.localdate().year)
    return Scope(committee_id, session=latest)


def scope_choices(*, committee_id: int) -> tuple[list[PlenarySession], list[int]]:
    """The sessions (latest first) and the years with submitted proposals, for the scope picker."""
    sessions = list(PlenarySession.objects.filter(committee_id=committee_id).select_related("term")
                    .order_by("-opens_on", "-ordinal", "-pk"))
    years = sorted({d.year for d in Proposal.objects.filter(
        committee_id=committee_id, submitted_at__isnull=False).datetimes("submitted_at", "year")}, reverse=True)
    today = timezone.localdate().year
    if today not in years:
        years.insert(0, today)
    return sessions, years


# ---------------------------------------------------------------------------------------------------
# The figures


def _shares(items: Iterable[dict[str, Any]], counts: Counter[str], base: int, unknown_label: str
            ) -> tuple[Share, ...]:
    """One share per configured item, in the rules' order, then any code in the data the rules no longer
    list (a category renamed later must not silently vanish from the totals)."""
    shares, known = [], set()
    for item in items:
        code = str(item["code"])
        known.add(code)
        shares.append(Share(code, str(item.get("label", code)), str(item.get("label_en", "")),
                            Ratio(counts.get(code, 0), base)))
    for code in sorted(c for c in counts if c not in known):
        label = code or unknown_label
        shares.append(Share(code, label, label, Ratio(counts[code], base)))
    return tuple(shares)


def _split(values: Iterable[str]) -> SatisfactionSplit:
    c = Counter(v for v in values if v)
    return SatisfactionSplit(c[RESULTS[0]], c[RESULTS[1]], c[RESULTS[2]])


def proposal_statistics(scope: Scope, *, today: dt.date | None = None) -> ProposalStatistics:
    """Every figure of §3 for the scope. Nine queries; the rest is arithmetic over the fetched rows."""
    today = today or timezone.localdate()
    rules = rules_for(committee_id=scope.committee_id, year=scope.rules_year)
    merged_counting = rules["statistics.merged_counting"]
    needs_contact = rules["statistics.reply_needs_contact"] == "yes"
    inside = merged_counting == INSIDE_FILED

    submitted = scope.proposals().filter(submitted_at__isnull=False)
    received_qs = submitted.exclude(status=P.WITHDRAWN)
    own_qs = received_qs.filter(status__in=FILED_OWN)
    leads_of_merged = received_qs.filter(status=P.MERGED).values("merged_into_id")

    # 1. The window's proposals, with their key and excellent status (one-to-one, joined in the same query).
    rows = list(submitted.order_by().values("pk", "status", "kind", "category", "is_session_proposal",
                                            "merged_into_id", "key__status", "excellence__status"))
    received = [r for r in rows if r["status"] != P.WITHDRAWN]
    own = [r for r in received if r["status"] in FILED_OWN]
    merged = [r for r in received if r["status"] == P.MERGED]
    not_filed = [r for r in received if r["status"] == P.NOT_FILED]
    filed_rows = own + merged if inside else own
    filed = len(filed_rows)
    own_ids = {r["pk"] for r in own}

    # 2. Assignments of the filed proposals, and of the lead proposals the merged ones were merged into.
    assignment_qs = Assignment.objects.filter(committee_id=scope.committee_id).filter(
        Q(proposal__in=own_qs.values("pk")) | Q(proposal__in=leads_of_merged)).exclude(status=A.CANCELLED)
    assignments = list(assignment_qs.order_by().values("pk", "proposal_id", "unit_id", "unit__name", "role",
                                                       "status", "round", "reply_due", "opinion_due"))
    sent_qs = Reply.objects.filter(assignment__in=assignment_qs.values("pk"), status=ReplyStatus.SENT)
    # 3. Sent replies, oldest round first so that the last one seen per assignment is the latest.
    latest: dict[int, dict[str, Any]] = {}
    for reply in sent_qs.order_by("assignment_id", "round").values("pk", "assignment_id", "sent_at",
                                                                    "result_class", "evaluation_due"):
        latest[reply["assignment_id"]] = reply
    latest_ids = {r["pk"] for r in latest.values()}
    # 4. Per assignment: when the first contact was entered, and whether any was face to face.
    first_contact: dict[int, dt.datetime] = {}
    met: set[int] = set()
    for c in ContactRecord.objects.filter(assignment__in=assignment_qs.values("pk")).order_by().values(
            "assignment_id").annotate(first=Min("created_at"), f2f=Count("pk", filter=Q(method__in=FACE_TO_FACE))):
        first_contact[c["assignment_id"]] = c["first"]
        if c["f2f"]:
            met.add(c["assignment_id"])
    # 5. Evaluations of the sent replies; only those of each assignment's latest reply count.
    evaluations: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for e in Evaluation.objects.filter(reply__in=sent_qs.values("pk")).order_by().values(
            "reply_id", "member_id", "result", "attitude", "effect"):
        if e["reply_id"] in latest_ids:
            evaluations[e["reply_id"]].append(e)
    # 6. Co-handlers' opinions, to tell a co-handler that is late from one that has answered.
    opinions = set(CohandlerOpinion.objects.filter(
        assignment__in=assignment_qs.filter(role=Assignment.Role.CO).values("pk")).values_list(
        "assignment_id", "round"))
    # 7. Signed proposers of the received proposals, and of proposals merged into the filed ones (they
    #    get the lead's reply and are asked to evaluate it).
    #    Two queries rather than one with OR: each uses its index, where the OR scanned every proposer of
    #    the deployment (a province has millions).
    signed = Proposer.objects.filter(status=Proposer.Status.SIGNED).order_by()
    fields = ("pk", "proposal_id", "member_id", "proposal__status", "proposal__merged_into_id")
    proposer_rows = {r["pk"]: r for r in signed.filter(proposal__in=received_qs.values("pk")).values(*fields)}
    proposer_rows.update((r["pk"], r) for r in signed.filter(
        proposal__merged_into__in=own_qs.values("pk")).values(*fields))
    proposers = list(proposer_rows.values())
    # 8. Serving members of the term.
    serving = set(scope.serving_members().values_list("member_id", flat=True))

    # Replies: on time, by the proper procedure.
    def on_time(a: dict[str, Any]) -> bool:
        reply = latest.get(a["pk"])
        return reply is not None and timezone.localtime(reply["sent_at"]).date() <= a["reply_due"]

    def proper(a: dict[str, Any]) -> bool:
        if not on_time(a):
            return False
        if not needs_contact:
            return True
        first = first_contact.get(a["pk"])
        return first is not None and first <= latest[a["pk"]]["sent_at"]

    replying = [a for a in assignments if a["role"] != Assignment.Role.CO]
    replying_by_proposal: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for a in replying:
        replying_by_proposal[a["proposal_id"]].append(a)
    properly = {a["pk"] for a in replying if proper(a)}
    met_proposals = {a["proposal_id"] for a in assignments if a["pk"] in met}

    def handled_as(row: dict[str, Any]) -> int:
        """The proposal whose handling answers this one: itself, or the lead it was merged into."""
        return row["merged_into_id"] if row["status"] == P.MERGED else row["pk"]

    def replied_properly(proposal_id: int) -> bool:
        units = replying_by_proposal.get(proposal_id, [])
        return bool(units) and all(a["pk"] in properly for a in units)

    scoped = [a for a in assignments if a["proposal_id"] in own_ids]
    scoped_replying = [a for a in scoped if a["role"] != Assignment.Role.CO]
    scoped_latest = [latest[a["pk"]] for a in scoped_replying if a["pk"] in latest]

    # Satisfaction, and the forms not returned.
    scoped_evaluations = [e for r in scoped_latest for e in evaluations.get(r["pk"], [])]
    evaluators: dict[int, set[int]] = defaultdict(set)
    for p in proposers:
        if p["proposal__status"] == P.MERGED and p["proposal__merged_into_id"] is not None:
            evaluators[p["proposal__merged_into_id"]].add(p["member_id"])
        else:
            evaluators[p["proposal_id"]].add(p["member_id"])
    proposal_of = {a["pk"]: a["proposal_id"] for a in assignments}
    not_returned = 0
    for reply in scoped_latest:
        if reply["evaluation_due"] is not None and reply["evaluation_due"] < today:
            done = {e["member_id"] for e in evaluations.get(reply["pk"], [])}
            not_returned += len(evaluators[proposal_of[reply["assignment_id"]]] - done)
    satisfaction = Satisfaction(
        overall=_split(e["result"] for e in scoped_evaluations),
        attitude=_split(e["attitude"] for e in scoped_evaluations),
        effect=_split(e["effect"] for e in scoped_evaluations),
        not_returned=not_returned,
    )

    received_ids = {r["pk"] for r in received}
    participants = {p["member_id"] for p in proposers if p["proposal_id"] in received_ids} & serving

    return ProposalStatistics(
        scope=scope, today=today, merged_counting=merged_counting, reply_needs_contact=needs_contact,
        received=len(received), session_proposals=sum(1 for r in received if r["is_session_proposal"]),
        withdrawn_after_submission=len(rows) - len(received),
        pending=len(received) - len(own) - len(merged) - len(not_filed),
        filed_own=len(own), merged=len(merged), not_filed=len(not_filed), filed=filed,
        filing_rate=Ratio(filed, len(received)),
        collective=Ratio(sum(1 for r in filed_rows if r["kind"] == Proposal.Kind.COLLECTIVE), filed),
        participation=Ratio(len(participants), len(serving)),
        categories=_shares(rules["proposal.categories"], Counter(r["category"] for r in filed_rows), filed,
                           _("Uncategorised")),
        reply_rate=Ratio(sum(1 for r in filed_rows if replied_properly(handled_as(r))), filed),
        reply_rate_assignments=Ratio(sum(1 for a in scoped_replying if a["pk"] in properly), len(scoped_replying)),
        classes=_shares(rules["proposal.reply_classes"], Counter(r["result_class"] for r in scoped_latest),
                        len(scoped_latest), _("Unclassified")),
        satisfaction=satisfaction,
        face_to_face=Ratio(sum(1 for r in filed_rows if handled_as(r) in met_proposals), filed),
        key_proposals=sum(1 for r in received if r["key__status"] in KEY_COUNTED),
        excellent_proposals=sum(1 for r in received if r["excellence__status"] == ExcellentProposal.Status.SELECTED),
        units=_unit_figures(scoped, latest, evaluations, opinions, today, on_time),
    )


def _unit_figures(assignments: list[dict[str, Any]], latest: dict[int, dict[str, Any]],
                  evaluations: dict[int, list[dict[str, Any]]], opinions: set[tuple[int, int]], today: dt.date,
                  on_time: Callable[[dict[str, Any]], bool]) -> tuple[UnitFigures, ...]:
    def overdue(a: dict[str, Any]) -> bool:
        if a["status"] not in OPEN_ASSIGNMENT:
            return False
        if a["role"] == Assignment.Role.CO:
            return a["opinion_due"] is not None and a["opinion_due"] < today and (a["pk"], a["round"]) not in opinions
        return a["reply_due"] < today

    by_unit: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for a in assignments:
        by_unit[a["unit_id"]].append(a)
    figures = []
    for unit_id, rows in by_unit.items():
        replying = [a for a in rows if a["role"] != Assignment.Role.CO]
        due_or_done = [a for a in replying if a["pk"] in latest or a["reply_due"] < today]
        replies = [latest[a["pk"]]["pk"] for a in replying if a["pk"] in latest]
        split = _split(e["result"] for reply_id in replies for e in evaluations.get(reply_id, []))
        figures.append(UnitFigures(
            unit_id=unit_id, name=rows[0]["unit__name"], assignments=len(rows),
            on_time=Ratio(sum(1 for a in due_or_done if on_time(a)), len(due_or_done)),
            satisfaction=split.ratio,
            rehandled=Ratio(sum(1 for a in rows if a["round"] > 1), len(rows)),
            overdue_open=sum(1 for a in rows if overdue(a)),
        ))
    return tuple(sorted(figures, key=lambda u: (-u.assignments, u.name, u.unit_id)))


# ---------------------------------------------------------------------------------------------------
# The same figures as a workbook (always in Chinese: it goes into the annual report)

CONVENTION_ZH = {INSIDE_FILED: "并案计入立案（甘肃口径）", SEPARATE: "并案单列，不计入立案（昆明口径）"}
RESULT_ZH = ("满意", "基本满意", "不满意")


def statistics_xlsx(stats: ProposalStatistics) -> bytes:
    """Sheets 总体, 类别, 答复类别, 满意度, 承办单位, with Chinese headers. Rates are numbers formatted as
    percentages; an empty rate cell means the denominator is 0."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold, fill = Font(bold=True), PatternFill("solid", fgColor="E9ECEF")
    wb = Workbook()
    wb.remove(wb.active)

    def sheet(title: str, headers: list[str], rows: list[list[Any]], widths: list[int]) -> None:
        ws = wb.create_sheet(title)
        ws.append(headers)
        for cell in ws[1]:
            cell.font, cell.fill = bold, fill
        for row in rows:
            ws.append(row)
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        # Every column whose header names a rate (…率) holds fractions shown as percentages.
        for column, header in enumerate(headers, start=1):
            if header.endswith("率"):
                for (cell,) in ws.iter_rows(min_row=2, min_col=column, max_col=column):
                    cell.number_format = "0.0%"
        ws.freeze_panes = "A2"

    def ratio_row(name: str, r: Ratio, note: str = "") -> list[Any]:
        return [name, r.numerator, r.denominator, r.rate, note]

    def count_row(name: str, n: int, note: str = "") -> list[Any]:
        return [name, n, None, None, note]

    s = stats.satisfaction
    filed_note = "立案 + 并案" if stats.merged_inside_filed else "不含并案"
    sheet("总体", ["指标", "数值/分子", "分母", "比率", "说明"], [
        ["统计范围", stats.scope.label_zh, None, None, f"统计日期 {stats.today.isoformat()}"],
        ["并案统计口径", CONVENTION_ZH.get(stats.merged_counting, stats.merged_counting), None, None, ""],
        count_row("收到提案", stats.received, "曾经提交的提案，不含提交后撤回的"),
        count_row("其中：大会提案", stats.session_proposals),
        count_row("其中：平时提案", stats.received - stats.session_proposals),
        count_row("单独立案", stats.filed_own, "以自身编号立案办理"),
        count_row("并案", stats.merged),
        count_row("不予立案", stats.not_filed),
        count_row("待审查（含退回修改）", stats.pending),
        count_row("提交后撤回（不计入收到）", stats.withdrawn_after_submission),
        count_row("立案数（按口径）", stats.filed, filed_note),
        ratio_row("立案率", stats.filing_rate, "立案数 ÷ 收到提案"),
        ratio_row("集体提案占比", stats.collective, "集体提案 ÷ 立案数"),
        ratio_row("委员参与率", stats.participation, "提出或联名提案的在任委员 ÷ 全体在任委员"),
        ratio_row("办复率（按件）", stats.reply_rate, "按时且按程序答复的提案 ÷ 立案数"),
        ratio_row("办复率（按分办件）", stats.reply_rate_assignments, "按时且按程序答复的分办件 ÷ 应答复的分办件"),
        ratio_row("满意率", s.overall.ratio, "（满意 + 基本满意）÷ 已评价"),
        count_row("未反馈评价", s.not_returned, "逾期未评价的提案人人次，不计入满意率"),
        ratio_row("面商率", stats.face_to_face, "有面商记录的提案 ÷ 立案数"),
        count_row("重点提案", stats.key_proposals, "主席会议确定的重点提案"),
        count_row("优秀提案", stats.excellent_proposals),
        ["按程序答复须有沟通记录", "是" if stats.reply_needs_contact else "否", None, None,
         "答复发出前须有与提案人的沟通记录"],
    ], [22, 26, 10, 10, 44])
    sheet("类别", ["类别代码", "类别", "件数", "立案数", "占立案比率"],
          [[c.code, c.label, c.count, c.ratio.denominator, c.ratio.rate] for c in stats.categories],
          [14, 30, 10, 10, 12])
    sheet("答复类别", ["答复类别", "说明", "件数", "已答复件数", "占已答复比率"],
          [[c.code, c.label, c.count, c.ratio.denominator, c.ratio.rate] for c in stats.classes],
          [12, 30, 10, 12, 14])
    sheet("满意度", ["评价项", *RESULT_ZH, "已评价", "满意率"], [
        [name, split.satisfied, split.basically, split.dissatisfied, split.evaluated, split.ratio.rate]
        for name, split in (("总体评价", s.overall), ("办理态度", s.attitude), ("办理效果", s.effect))
    ] + [["未反馈（不计入）", None, None, None, s.not_returned, None]], [18, 10, 12, 10, 10, 10])
    sheet("承办单位", ["承办单位", "交办件数", "按时答复", "应答复", "按时答复率", "满意和基本满意", "已评价", "满意率",
                    "重新办理", "重办率", "超期未办结"], [
        [u.name, u.assignments, u.on_time.numerator, u.on_time.denominator, u.on_time.rate,
         u.satisfaction.numerator, u.satisfaction.denominator, u.satisfaction.rate, u.rehandled.numerator,
         u.rehandled.rate, u.overdue_open] for u in stats.units
    ], [28, 10, 10, 10, 12, 14, 10, 10, 10, 10, 12])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
