"""Which handling unit should answer a proposal, and which category it belongs to.

Two kinds of evidence, mixed by how much the committee's own history has to say:

- **duties**: the proposal's words against each unit's profile — its names as members write them
  (县住房和城乡建设局, 住建局, the words of the name), and its duties (``HandlingUnit.duties``, editable per
  unit), TF-IDF over the units. This works on the first day, with no history;
- **history**: the office's final choices, the lead, sole and separate assignments that were not cancelled
  (``Assignment``): the most similar past proposals (``similarity``) vote for the units that answered
  them. Nothing else is stored: once the office assigns a proposal, the next similar proposal finds it, so
  a choice made against the suggestion raises the chosen unit next time.

``suggest_category`` works the same way on the committee's category list: the categories of similar
filed proposals, else the words of the category labels."""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, OuterRef, Subquery
from django.utils.translation import gettext as _

from xieshang.organisation.models import Committee, HandlingUnit
from xieshang.proposals.models import Assignment, Proposal
from xieshang.proposals.workflow import AssignmentStatus, ProposalStatus
from xieshang.ruleset.selectors import rules_for
from xieshang.search import similarity
from xieshang.search.dictionary import UNIT_PREFIX, unit_name_variants, vocabulary
from xieshang.search.text import char_ngrams, normalise, tokens

HISTORY_ROLES = (Assignment.Role.LEAD, Assignment.Role.SOLE, Assignment.Role.SEPARATE)
FILED_ONWARDS = (ProposalStatus.FILED, ProposalStatus.HANDLING, ProposalStatus.REPLIED, ProposalStatus.REHANDLING,
                 ProposalStatus.FOLLOW_UP, ProposalStatus.CLOSED)

# The constants below were checked on the 104 subject → unit items of bench/text/units.jsonl against the
# demo committee's history (top-1 0.712, top-3 0.865) and a copy of its units without history (0.625,
# 0.779); docs/text-quality.md has the baselines.

# How many similar past proposals vote: 4–20 give the same top-1 within one item.
NEIGHBOURS = 8

# How far history outweighs duties: the weight of the neighbours' vote is the best neighbour's
# similarity divided by HISTORY_FULL, at most HISTORY_MAX. A near-duplicate answered before nearly settles
# it; a faint resemblance leaves the duties in charge. 0.25 and 0.7 lose 3–6 points of top-1.
HISTORY_FULL = 0.35
HISTORY_MAX = 0.85

# A duty cosine of this much is a clear match (a unit's profile is short; proposals are long); 0.2 and
# 0.4 lose 2–3 points.
DUTY_FULL = 0.3

# In the fallback on category labels, a label word in the body counts this much against one in the subject,
# and a label score of LABEL_FULL is a clear match.
BODY_LABEL_WEIGHT = 0.3
LABEL_FULL = 0.3

# How often a unit of each kind leads on a county proposal, relative to a government department: townships
# and enterprises mostly co-handle (the department answers, the township helps), so on duties alone they
# are held back (without this, top-1 with no history drops from 0.625 to 0.577). History, when there is
# some, speaks for itself through the neighbours.
KIND_PRIOR = {
    HandlingUnit.Kind.TOWNSHIP: 0.5,
    HandlingUnit.Kind.ENTERPRISE: 0.7,
    HandlingUnit.Kind.PEOPLES_ORG: 0.85,
}

# Words every duty description uses (负责……，承办……方面的提案): they tell no unit from another.
_DUTY_GENERIC_TEXT = ("负责 承办 方面 提案 工作 重点 基层 发展 建设 服务 保障 管理 群众 为主 涉及 辖区 本镇 本乡 "
                      "经济社会 较 多 县域 全县 有关 相关 和县")
DUTY_GENERIC = frozenset(_DUTY_GENERIC_TEXT.split(" "))


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split(" "))


# Words proposals of the default categories (ruleset.defaults.DEFAULT_CATEGORIES) typically use, for
# the fallback on category labels: a label such as 资源环境 alone rarely appears in a proposal about sewage.
CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "economy": _words("经济 产业 企业 项目 园区 工业 营商 物流 商贸 投资 招商 城市 城区 县城 住房 小区 道路 交通 停车 "
                      "供水 管网 金融 民营 消费 电商 市场 基础设施"),
    "rural": _words("农业 农村 农民 乡村 振兴 种植 养殖 蔬菜 苹果 花椒 中药材 合作社 耕地 农田 村级 集体 村庄 "
                    "搬迁 扶持 脱贫 农产品 肉牛 畜牧 水利 饮水"),
    "environment": _words("生态 环境 污染 污水 垃圾 治理 森林 防火 林区 水土 保护 绿色 扬尘 大气 河道 秸秆 农膜 "
                          "粪污 资源化 节能 地质灾害"),
    "social": _words("教育 学校 教师 学生 医疗 卫生 医院 医生 健康 文化 旅游 体育 健身 科技 人才 图书 古建筑 "
                     "传统村落 课后 学位 职业"),
    "livelihood": _words("就业 创业 社保 养老 救助 低保 社区 网格 治理 安全 留守 儿童 老年人 残疾人 诈骗 "
                         "劳动 工资 社会保障 食品安全 应急"),
    "policy": _words("法治 法律 统战 政协 民族 宗教 团结 民主党派 党派 协商 作风 机关 政务 执法 司法 "
                     "营商环境 信访"),
}

# Endings of unit names that say what kind of body it is, not what it does.
_NAME_SUFFIX_TEXT = "有限公司 分公司 委员会 办公室 管理局 公司 中心 局 委 办 部 院 会 所 站"
_NAME_SUFFIXES = tuple(_NAME_SUFFIX_TEXT.split(" "))


@dataclass(frozen=True)
class Suggestion:
    unit: HandlingUnit
    score: float
    reason: str


def _name_pairs(name: str) -> list[str]:
    """The character pairs of a unit's name without its county prefix and kind (the committee's segmenter
    keeps the name whole, so its parts are matched as pairs): 县生态环境局 → 生态, 态环, 环境."""
    bare = UNIT_PREFIX.sub("", normalise(name).replace(" ", ""))
    for suffix in _NAME_SUFFIXES:
        if bare.endswith(suffix) and len(bare) > len(suffix) + 1:
            bare = bare[: -len(suffix)]
            break
    return char_ngrams(bare, normalised=True)


def unit_profile(unit: HandlingUnit) -> Counter[str]:
    """What a unit is known by: its names whole (as the committee's dictionary keeps them), the character
    pairs of its name, and the words and character pairs of its duties."""
    terms: Counter[str] = Counter()
    for variant in unit_name_variants(unit.name, unit.short_name):
        terms[variant] += 2
    for pair in set(_name_pairs(unit.name) + _name_pairs(unit.short_name)):
        terms["#" + pair] += 2
    terms.update(w for w in tokens(unit.duties) if w not in DUTY_GENERIC)
    # Character pairs meet what segmentation splits differently (污水处理 in the duties, 污水治理 in the
    # proposal): leaving each demo proposal out in turn, they lift the duties-only top-1 from 38 % to 46 %.
    terms.update("#" + g for g in char_ngrams(unit.duties))
    return terms


@dataclass
class _Model:
    """One committee's units, their profiles and the office's past choices."""

    cheap: tuple[Any, ...] = ()
    versions: tuple[Any, ...] = ()
    checked_at: float = 0.0
    units: dict[int, HandlingUnit] = field(default_factory=dict)
    idf: dict[str, float] = field(default_factory=dict)
    postings: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    history: dict[int, list[int]] = field(default_factory=dict)  # proposal id → unit ids that answered
    categories: dict[int, str] = field(default_factory=dict)  # filed proposal id → its category
    lock: threading.RLock = field(default_factory=threading.RLock)


_models: dict[int, _Model] = {}
_registry = threading.Lock()


def _cheap_versions(committee_id: int) -> tuple[Any, ...]:
    """One query, index-only but for the units (a few dozen rows): the units' count and last change, the
    last assignment, and the committee's creation (ids are reused after a rollback)."""
    def of(model: Any, expression: Any) -> Subquery:
        return Subquery(model.objects.filter(committee_id=OuterRef("pk")).order_by().values("committee_id")
                        .annotate(v=expression).values("v")[:1])

    row = Committee.objects.filter(pk=committee_id).annotate(
        u=of(HandlingUnit, Count("id")), t=of(HandlingUnit, Max("updated_at")), a=of(Assignment, Max("id")),
    ).values_list("u", "t", "a", "created_at").first()
    return tuple(row or ())


def _full_versions(committee_id: int) -> tuple[Any, ...]:
    a = Assignment.objects.filter(committee_id=committee_id, role__in=HISTORY_ROLES).exclude(
        status=AssignmentStatus.CANCELLED).aggregate(n=Count("id"), last=Max("id"))
    p = Proposal.objects.filter(committee_id=committee_id, status__in=FILED_ONWARDS).aggregate(
        n=Count("id"), t=Max("status_changed_at"))
    return (a["n"], a["last"]), (p["n"], p["t"])


def _model(committee_id: int) -> _Model:
    """The committee's units and history, up to date: units and new assignments at once, cancellations
    and categories changed at filing within ``similarity.VERSION_TTL`` seconds."""
    cheap = _cheap_versions(committee_id)
    with _registry:
        model = _models.setdefault(committee_id, _Model())
    with model.lock:
        now = time.monotonic()
        if model.cheap == cheap and now - model.checked_at < similarity.VERSION_TTL:
            return model
        if model.cheap[:2] != cheap[:2] or model.cheap[3:] != cheap[3:]:
            vocabulary(committee_id)
            _load_units(model, committee_id)
        versions = _full_versions(committee_id)
        if model.versions[:1] != versions[:1] or model.cheap[3:] != cheap[3:]:
            model.history = {}
            for pid, uid in Assignment.objects.filter(committee_id=committee_id, role__in=HISTORY_ROLES).exclude(
                    status=AssignmentStatus.CANCELLED).values_list("proposal_id", "unit_id").order_by("id"):
                model.history.setdefault(pid, []).append(uid)
        if model.versions[1:] != versions[1:] or model.cheap[3:] != cheap[3:]:
            model.categories = dict(Proposal.objects.filter(
                committee_id=committee_id, status__in=FILED_ONWARDS).exclude(category="").values_list(
                "id", "category"))
        model.cheap, model.versions, model.checked_at = cheap, versions, now
    return model


def _load_units(model: _Model, committee_id: int) -> None:
    units = list(HandlingUnit.objects.filter(committee_id=committee_id, is_active=True).order_by("name"))
    raw = {u.pk: unit_profile(u) for u in units}
    df: Counter[str] = Counter()
    for terms in raw.values():
        df.update(terms.keys())
    n = len(units)
    model.idf = {t: math.log((n + 1) / (d + 1)) + 1.0 for t, d in df.items()}
    model.units = {u.pk: u for u in units}
    model.postings = {}
    for uid, terms in raw.items():
        vec = {t: (1.0 + math.log(tf)) * model.idf[t] for t, tf in terms.items()}
        norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
        for t, w in vec.items():
            model.postings.setdefault(t, []).append((uid, w / norm))


def warm(committee_id: int) -> None:
    """Build or bring up to date the committee's unit model in this process (``search.warming``)."""
    _model(committee_id)


def reset() -> None:
    with _registry:
        _models.clear()


# Evidence ---------------------------------------------------------------------------------------------

def _query_words(terms: similarity.Terms) -> Counter[str]:
    """The proposal's words for the duty match: the subject's words and character pairs count three times
    (it names the matter), the body's words once."""
    words = Counter(terms.core_words)
    words.update("#" + g for g in terms.core_pairs)
    for w in words:
        words[w] *= 3
    words.update(terms.body_words)
    return words


def _duty_scores(model: _Model, words: Counter[str]) -> dict[int, tuple[float, list[str]]]:
    """Cosine of the proposal's words with each unit's profile, and the shared words by weight (character
    pairs left out: they explain nothing)."""
    vec = {t: (1.0 + math.log(tf)) * model.idf[t] for t, tf in words.items() if t in model.idf}
    norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
    acc: dict[int, float] = {}
    shared: dict[int, list[tuple[float, str]]] = {}
    for t, qw in vec.items():
        for uid, w in model.postings.get(t, ()):
            c = qw / norm * w
            acc[uid] = acc.get(uid, 0.0) + c
            if not t.startswith("#"):
                shared.setdefault(uid, []).append((c, t))
    return {uid: (s, [t for _c, t in sorted(shared.get(uid, []), reverse=True)]) for uid, s in acc.items()}


@dataclass(frozen=True)
class _Neighbour:
    proposal_id: int
    score: float


def _neighbours(found: list[tuple[float, float, float, int]], known: dict[int, Any], exclude_id: int | None
                ) -> list[_Neighbour]:
    out = []
    for score, _s, _t, pid in found:
        if pid != exclude_id and pid in known:
            out.append(_Neighbour(pid, score))
            if len(out) == NEIGHBOURS:
                break
    return out


def _history_weight(neighbours: list[_Neighbour]) -> float:
    return min(HISTORY_MAX, neighbours[0].score / HISTORY_FULL) if neighbours else 0.0


def _lookup(index: similarity.CommitteeIndex, title: str, body: str, proposal_id: int | None
            ) -> tuple[similarity.Terms, list[tuple[float, float, float, int]]]:
    """The text's terms and the committee's proposals ranked against it; a proposal already in the index
    is looked up by its stored terms (no segmentation)."""
    with index.lock:
        terms = index.stored(proposal_id) or index.prepare(title, body)
        return terms, index.scores(terms)


Ranked = list[tuple[float, int, int | None, list[str]]]


def _rank_units(model: _Model, terms: similarity.Terms, found: list[tuple[float, float, float, int]],
                exclude_id: int | None) -> Ranked:
    """(score, unit id, the most similar past proposal it answered, shared duty words), best first."""
    neighbours = _neighbours(found, model.history, exclude_id)
    h = _history_weight(neighbours)
    total = sum(n.score for n in neighbours) or 1.0
    votes: dict[int, float] = {}
    example: dict[int, int] = {}
    for n in neighbours:
        for uid in dict.fromkeys(model.history[n.proposal_id]):
            if uid in model.units:
                votes[uid] = votes.get(uid, 0.0) + n.score / total
                example.setdefault(uid, n.proposal_id)
    duties = _duty_scores(model, _query_words(terms))
    scale = max(max((s for s, _w in duties.values()), default=0.0), DUTY_FULL)
    ranked = []
    for uid in set(votes) | set(duties):
        d, shared = duties.get(uid, (0.0, []))
        prior = KIND_PRIOR.get(model.units[uid].kind, 1.0)
        score = h * votes.get(uid, 0.0) + (1.0 - h) * prior * d / scale
        if score > 0:
            ranked.append((score, uid, example.get(uid), shared))
    ranked.sort(key=lambda r: (-r[0], model.units[r[1]].name))
    return ranked


def _reason(shared: list[str], example_title: str | None) -> str:
    parts = []
    if example_title:
        parts.append(_("answered the similar “%(title)s”") % {"title": example_title})
    if shared:
        parts.append(_("duties match: %(words)s") % {"words": "、".join(shared[:4])})
    return " · ".join(parts)


def _suggestions(model: _Model, ranked: Ranked, titles: dict[int, str], limit: int) -> list[Suggestion]:
    return [Suggestion(model.units[uid], round(score, 3), _reason(shared, titles.get(example) if example else None))
            for score, uid, example, shared in ranked[:limit]]


def _titles(rankings: Iterable[Ranked], limit: int) -> dict[int, str]:
    examples = {r[2] for ranked in rankings for r in ranked[:limit] if r[2]}
    return dict(Proposal.objects.filter(pk__in=examples).values_list("id", "title")) if examples else {}


# The interface ----------------------------------------------------------------------------------------

def suggest_units_for_text(*, committee_id: int, title: str, body: str = "", exclude_id: int | None = None,
                           limit: int = 3) -> list[Suggestion]:
    """The most likely units for a subject and body, best first, each with its reason. ``exclude_id``: a
    proposal whose own assignments must not vote (the proposal itself)."""
    index = similarity.committee_index(committee_id)
    model = _model(committee_id)
    terms, found = _lookup(index, title, body, None)
    ranked = _rank_units(model, terms, found, exclude_id)
    return _suggestions(model, ranked, _titles([ranked], limit), limit)


def suggest_units(proposals: Sequence[Proposal], *, limit: int = 3) -> dict[int, list[Suggestion]]:
    """Top units for each proposal of one committee (the assignment board): {proposal id: suggestions},
    in a fixed number of queries whatever the number of proposals."""
    if not proposals:
        return {}
    committee_id = proposals[0].committee_id
    index = similarity.committee_index(committee_id)
    model = _model(committee_id)
    rankings = {}
    for p in proposals:
        terms, found = _lookup(index, p.title, similarity.proposal_body(p.situation, p.suggestions), p.pk)
        rankings[p.pk] = _rank_units(model, terms, found, p.pk)
    titles = _titles(rankings.values(), limit)
    return {pid: _suggestions(model, ranked, titles, limit) for pid, ranked in rankings.items()}


def suggest_category(*, committee_id: int, title: str, body: str = "", exclude_id: int | None = None
                     ) -> tuple[str, float]:
    """The likeliest category of the committee's list, with a score in [0, 1]; ("", 0.0) when nothing
    points anywhere."""
    categories = [c for c in rules_for(committee_id=committee_id)["proposal.categories"] if c.get("code")]
    if not categories:
        return "", 0.0
    codes = {c["code"] for c in categories}
    index = similarity.committee_index(committee_id)
    model = _model(committee_id)
    terms, found = _lookup(index, title, body, None)
    known = {pid: cat for pid, cat in model.categories.items() if cat in codes}
    neighbours = _neighbours(found, known, exclude_id)
    h = _history_weight(neighbours)
    total = sum(n.score for n in neighbours) or 1.0
    votes: Counter[str] = Counter()
    for n in neighbours:
        votes[known[n.proposal_id]] += n.score / total
    labels = _label_scores(categories, terms)
    scale = max(max(labels.values(), default=0.0), LABEL_FULL)
    scored = {code: h * votes.get(code, 0.0) + (1.0 - h) * labels.get(code, 0.0) / scale for code in codes}
    code, score = max(scored.items(), key=lambda kv: (kv[1], kv[0]))
    return (code, round(score, 3)) if score > 0 else ("", 0.0)


def _label_scores(categories: list[dict[str, Any]], terms: similarity.Terms) -> dict[str, float]:
    """How many of each category's words the proposal uses — the words and character pairs of its label,
    and for the default categories the words their proposals typically use — the subject counting more
    than the body: the fallback for a committee with no filed proposals yet."""
    body_pairs = {w[i:i + 2] for w in terms.body_words for i in range(len(w) - 1)}
    parts = [(1.0, set(terms.core_words) | set(char_ngrams(terms.core, normalised=True))),
             (BODY_LABEL_WEIGHT, set(terms.body_words) | body_pairs)]
    out = {}
    for c in categories:
        label = normalise(c.get("label", ""))
        vocabulary = {w for w in tokens(label, normalised=True) if len(w) >= 2}
        vocabulary |= set(char_ngrams(label, normalised=True))
        vocabulary |= set(CATEGORY_WORDS.get(c["code"], ()))
        hits = sum(weight * len(vocabulary & seen) for weight, seen in parts)
        out[c["code"]] = hits / math.sqrt(len(vocabulary)) if vocabulary else 0.0
    return out


# A duty cosine below this names no unit with any confidence (the draft checks ask "which unit is this
# point for?" and must not guess).
DUTY_CONFIDENT = 0.12


def duty_leaders(committee_id: int, texts: list[str]) -> list[HandlingUnit | None]:
    """For each text, the unit whose names and duties it matches best, or None when none clearly does.
    Duties only: the draft checks ask what a piece of text is about, not who answered it before."""
    model = _model(committee_id)
    out: list[HandlingUnit | None] = []
    for text in texts:
        duties = _duty_scores(model, _query_words(similarity.Terms.of(text)))
        best = max(duties.items(), key=lambda kv: (KIND_PRIOR.get(model.units[kv[0]].kind, 1.0) * kv[1][0], -kv[0]),
                   default=None)
        out.append(model.units[best[0]] if best and best[1][0] >= DUTY_CONFIDENT else None)
    return out
