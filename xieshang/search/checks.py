"""Draft checks (提案预审): hints a member reads while drafting, each with its reason. A hint never blocks
submission (what blocks is ``proposals.services.problems``); the proposal committee decides.

- **structure**: a part that says almost nothing, suggestions written into the situation or the
  analysis, long suggestions not set out as points;
- **length**: a body too short to act on, or close to the committee's limit; a subject too long;
- **several issues**: a subject joining two matters that different units answer, or suggestions falling
  into unrelated groups (no shared words with each other or with the subject) that different units
  answer. Points that name no matter (加强组织领导) are ignored;
- **no concrete suggestion**: suggestions without a measure, a number or a date, or mostly exhortation
  (高度重视, 加大力度);
- **not fileable**: words that point to a ground for not filing in the committee's list
  (``rules["proposal.not_filed_grounds"]``): personal matters, named reports, litigation, promotion of a
  product, academic debate, secrets, internal matters of a party; for a ground of the committee's own,
  the words of its label."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from xieshang.ruleset.selectors import rules_for
from xieshang.search import similarity
from xieshang.search.text import char_ngrams, normalise, tokens


@dataclass(frozen=True)
class Hint:
    code: str  # structure, length, several_issues, no_concrete_suggestion, not_fileable
    message: str
    reason: str


# Thresholds, in characters. A county proposal that a unit can act on runs to 800–2,500 characters
# (the committee's limit, proposal.body_max_chars, is 2,500 by default); under 300 it rarely has figures,
# causes and measures at once.
THIN_PART = 40
SHORT_BODY = 300
NEAR_LIMIT = 0.9
LONG_SUBJECT = 40
UNNUMBERED_SUGGESTIONS = 200
# A second issue is a group of at least this many suggestion points sharing no word with the subject
# and going to another unit: a single stray point is usually an aspect (宣传, 人才) of the same matter.
SECOND_ISSUE_POINTS = 2

_N = "[一二三四五六七八九十]+"
_ENUMERATION = re.compile(rf"(?:^|[。；;：:\s])\s*(?:{_N}是|{_N}、|[（(]{_N}[)）]|\d+[.、．)）]|第{_N}[，,、])")
_SPLIT_POINTS = re.compile(rf"(?={_N}是)|(?=[（(]{_N}[)）])|(?<=[。；;])|(?=(?<![\d.])\d+[.、．](?!\d))|(?={_N}、)")
_SUGGESTING = re.compile(r"建议如下|提出(以下|如下)建议|(特|现)?建议[:：]|为此[,，]?建议")

# Measures: what a unit can do, count or schedule.
_MEASURES = re.compile(
    "设立|建立|建设|新建|修建|扩建|改建|改造|制定|出台|修订|印发|增加|增设|配备|配齐|落实|开展|实行|推行|实施|"
    "安排|纳入|列入|给予|补贴|补助|奖补|奖励|划定|规定|简化|取消|降低|减免|贴息|延长|试点|设置|开通|购置|招聘|"
    "培训|引进|培育|整合|统筹|争取|明确|下放|公开|公布|组建|成立|设岗|考核|督查|评估|清理|收回|划拨|提标|分档|"
    "补齐|普查|摸底|立法|备案|审批|招标|采购|轮岗|挂钩|托管|共享|督促|记入|限制|支付|调整|扩大|新增|建成")
_NUMBERS = re.compile(r"\d|[一二三四五六七八九十百千万两]+"
                      r"(?:个|家|所|名|人|万元|亿元|元|公里|亩|天|日|年|月|周|次|处|座|辆|张|户|项|%|成)")
_VAGUE = re.compile("高度重视|引起重视|加大(?:[^，。；,;]{0,6})?力度|采取有效措施|采取措施|进一步|切实|提高认识|"
                    "统一思想|认真研究|尽快解决|予以解决|让群众满意|有关部门|相关部门|积极|努力|大力")

# Words every proposal uses, that name no matter: ignored when telling one issue from another.
_GENERIC_TEXT = (
    "加强 加大 加快 推进 推动 提高 提升 完善 建立 健全 强化 做好 抓好 优化 规范 落实 实施 开展 支持 鼓励 引导 "
    "建议 问题 工作 机制 体系 制度 政策 措施 力度 水平 能力 质量 效率 作用 服务 管理 保障 发展 建设 部门 单位 "
    "群众 社会 全县 我县 县 有关 相关 进一步 积极 切实 资金 投入 组织 领导 宣传 责任 考核 督查 氛围 方面 "
    "一是 二是 三是 四是 五是 六是 同时 并 等 及时 定期 持续 长效 统筹 协调 力量 合力 形成 确保 实现 促进 "
    "重点 基层 各类 各级 相应 政府 财政 县级 乡镇 村级 农村 城乡 乡村 生活 补助 标准 条件 改善 解决 每个 "
    "配备 配齐 发放 按月 每年 年内 完成 明确 给予 提供 增加 设立 纳入 列入 实行 组织 人员 情况 目前 设施 项目")
GENERIC = frozenset(_GENERIC_TEXT.split(" "))

# Words that point to a ground for not filing ([S2]), by the ground's code in ruleset.defaults.
NOT_FILED_PATTERNS: dict[str, re.Pattern[str]] = {
    "personal": re.compile(
        r"(?:本人|我|笔者)(?:的)?(?:家属|亲属|爱人|丈夫|妻子|儿子|女儿|父亲|母亲|孩子|家人|家庭)|工作调动|调入县城|"
        r"(?:解决|照顾)(?:本人|其|我)(?:的)?(?:工作|待遇|困难|编制|职称)|个人(?:待遇|职称|编制|调动)"),
    "named_report": re.compile(
        r"举报|(?:对|将|把)(?:该|这名|这位|此|某)[^，。；,;]{0,8}(?:干部|局长|书记|主任|村干部|负责人|工作人员|校长|院长)"
        r"[^。；]{0,14}(?:调查|查处|处理|处分|问责)|[张王李赵刘陈杨黄周吴徐孙马朱胡郭何林罗高]某某?[^，。；,;]{0,10}"
        r"(?:贪污|受贿|违纪|违法|侵占|挪用|优亲厚友)"),
    # A case of one's own before a court, an arbitrator or a disciplinary body, not 诉讼 as a policy word.
    "litigation": re.compile(
        r"提起诉讼|已起诉|(?:向|到)[^，。；,;]{0,10}(?:法院|仲裁委)[^，。；,;]{0,6}(?:起诉|申请|提起)|申请仲裁|"
        r"仲裁(?:中|庭|裁决)|判决书|(?:一审|二审|终审)判决|申请再审|正在审理|诉讼(?:中|期间|程序)|行政复议申请|"
        r"纪委[^，。；,;]{0,6}(?:调查|审查)"),
    "promotion": re.compile(
        r"(?:某|该|这一?)品牌|本公司|我公司|(?:该|某|这家|一家)(?:企业|公司|厂家)(?:生产|研发|推出)的|"
        r"指定(?:使用|采购)|(?:推广|推介|采购|使用)[^，。；,;]{0,10}(?:该|某|我们?)(?:公司|企业|品牌)的?(?:产品|设备)"),
    "academic": re.compile(r"学术探讨|学术观点|学术争议|学界|考证|学术问题|史学界"),
    "secret": re.compile(r"机密|绝密|秘密级|涉密|国家秘密"),
    "party_internal": re.compile(
        r"党内(?:人事|干部任免|职务)|(?:干部|领导)(?:任免|提拔|调整)[^，。；,;]{0,8}(?:意见|不公)"),
    "democratic_party_internal": re.compile(
        r"(?:民革|民盟|民建|民进|农工党|致公党|九三学社|台盟|民主党派)[^，。；,;]{0,10}(?:内部|换届|人事|班子)"),
}
# Grounds checked by other means (no_suggestion: the concrete-suggestion check) or too broad for words.
_NOT_BY_WORDS = frozenset({"no_suggestion", "prohibited"})
_LABEL_GENERIC = frozenset(["涉及", "属于", "范围", "提案", "提案者", "具体", "内容", "意见", "问题", "个人"])


def draft_hints(*, committee_id: int, title: str, situation: str = "", analysis: str = "", suggestions: str = "",
                units: bool = True) -> list[Hint]:
    """Every hint for a draft, in the order a member would fix them. ``units``: tell issues apart by the
    units that answer them (one query to the committee's units); without, by words alone."""
    rules = rules_for(committee_id=committee_id)
    title, situation, analysis, suggestions = (normalise(t) for t in (title, situation, analysis, suggestions))
    hints: list[Hint] = []
    hints += _structure(situation, analysis, suggestions)
    hints += _length(title, situation, analysis, suggestions, rules["proposal.body_max_chars"])
    hints += _several_issues(committee_id, title, suggestions, units=units)
    hints += _concrete(suggestions)
    hints += _not_fileable(rules["proposal.not_filed_grounds"], title, situation, analysis, suggestions)
    return hints


def proposal_hints(proposal: Any, *, units: bool = True) -> list[Hint]:
    return draft_hints(committee_id=proposal.committee_id, title=proposal.title, situation=proposal.situation,
                       analysis=proposal.analysis, suggestions=proposal.suggestions, units=units)


# Structure and length ---------------------------------------------------------------------------------

def _structure(situation: str, analysis: str, suggestions: str) -> list[Hint]:
    hints = []
    parts = ((situation, _("situation (情况)"), _("say what happens, where, and how much, with figures")),
             (analysis, _("analysis (分析)"), _("explain why it happens: the causes the suggestions address")),
             (suggestions, _("suggestions (建议)"), _("say what should be done, by whom and by when")))
    for text, label, what in parts:
        if 0 < len(text) < THIN_PART:
            hints.append(Hint("structure", _("The %(part)s is very short.") % {"part": label},
                              _("%(n)d characters: %(what)s.") % {"n": len(text), "what": what}))
    for text, label in ((situation, _("situation (情况)")), (analysis, _("analysis (分析)"))):
        found = _SUGGESTING.search(text)
        if found:
            hints.append(Hint("structure", _("The %(part)s seems to hold suggestions.") % {"part": label},
                              _("It says “%(words)s”: move the suggestions to the suggestions part, where the unit "
                                "answers them point by point.") % {"words": found.group(0)}))
    if len(suggestions) > UNNUMBERED_SUGGESTIONS and len(_ENUMERATION.findall(suggestions)) < 2:
        hints.append(Hint("structure", _("Set out the suggestions as points."),
                          _("%(n)d characters without numbered points (一是……二是……): a unit answers each point "
                            "of a proposal in turn.") % {"n": len(suggestions)}))
    return hints


def _length(title: str, situation: str, analysis: str, suggestions: str, limit: int) -> list[Hint]:
    hints = []
    body = len(situation) + len(analysis) + len(suggestions)
    if situation and analysis and suggestions and body < SHORT_BODY:
        hints.append(Hint("length", _("The proposal is short."),
                          _("%(n)d characters: a proposal a unit can act on usually gives figures, causes and "
                            "measures in %(min)d characters or more.") % {"n": body, "min": SHORT_BODY}))
    if NEAR_LIMIT * limit <= body <= limit:
        hints.append(Hint("length", _("The proposal is close to the length limit."),
                          _("%(n)d of %(limit)d characters.") % {"n": body, "limit": limit}))
    if len(title) > LONG_SUBJECT:
        hints.append(Hint("length", _("The subject is long."),
                          _("%(n)d characters: name the one issue in a phrase, e.g. 关于加快农村生活污水治理的建议.")
                          % {"n": len(title)}))
    return hints


# Several issues ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Content:
    """What a piece of text is about: its words less the words every proposal uses, and their character
    pairs (教师 and 乡村教师 share one)."""

    words: frozenset[str]
    pairs: frozenset[str]

    @classmethod
    def of(cls, text: str) -> _Content:
        words = frozenset(w for w in tokens(text, normalised=True)
                          if w not in GENERIC and len(w) >= 2 and not w.isdigit())
        return cls(words, frozenset(g for w in words for g in char_ngrams(w, normalised=True) if g not in GENERIC))

    def __len__(self) -> int:
        return len(self.words)

    def related(self, other: _Content) -> bool:
        """One shared word, or two shared character pairs."""
        return bool(self.words & other.words) or len(self.pairs & other.pairs) >= 2


def points(suggestions: str) -> list[str]:
    """The suggestions' points (一是……; （一）……; 1. ……; else sentences)."""
    pieces = [p.strip(" ；;。\n") for p in _SPLIT_POINTS.split(suggestions)]
    return [p for p in pieces if len(p) >= 6]


# A subject joining two actions (关于加快……和加强……的建议) may treat two matters.
_ACTIONS = ("加强 加快 加大 推进 推动 提高 提升 完善 建立 健全 强化 做好 改善 解决 建设 发展 规范 保障 整治 治理 "
            "支持 扶持 促进 优化 落实 实施 开展 设立 增加 恢复 保护 打造 培育 引进 扩大 破解 缓解")
ACTIONS = tuple(_ACTIONS.split(" "))
_JOIN = re.compile(r"和|及|与|以及|并|、|暨|;|；|,|，")


def _title_actions(core: str) -> list[str]:
    """The subject's parts when it joins two or more actions, each part starting with a verb."""
    parts = [p for p in _JOIN.split(core) if p]
    acts = [p for p in parts if p.startswith(ACTIONS) and len(p) >= 4]
    return acts if len(acts) >= 2 and len(acts) == len(parts) else []


def _units_of(committee_id: int, texts: list[str]) -> list[Any]:
    """The unit whose duties best match each text (None when none clearly does)."""
    from xieshang.search import units

    return units.duty_leaders(committee_id, texts)


def _several_issues(committee_id: int, title: str, suggestions: str, *, units: bool) -> list[Hint]:
    core = similarity.subject_core(title) if title else ""
    hints = []
    actions = _title_actions(core)
    if actions:
        contents = [_Content.of(a) for a in actions]
        unrelated = not any(a.related(b) for i, a in enumerate(contents) for b in contents[i + 1:])
        leaders = _units_of(committee_id, actions) if units and unrelated else []
        named = {u.pk: u for u in leaders if u is not None}
        if unrelated and (not units or len(named) >= 2):
            hints.append(Hint("several_issues", _("The subject seems to join several matters."), _(
                "%(parts)s share no words%(units)s: one issue per proposal, so that each is answered in full.")
                % {"parts": "、".join(f"“{a}”" for a in actions),
                   "units": _(" and would go to different units (%(units)s)") % {
                       "units": "、".join(u.name for u in named.values())} if named else ""}))
    pts = points(suggestions)
    if len(pts) < 2 * SECOND_ISSUE_POINTS:
        return hints
    title_content = _Content.of(core)
    contents = [_Content.of(p) for p in pts]
    # Points sharing a word with each other or with the subject form one group; a point that names no
    # matter (加强组织领导) joins none.
    nodes = [i for i, c in enumerate(contents) if len(c) >= 2]
    edges = [(-1, i) for i in nodes if contents[i].related(title_content)]
    edges += [(i, j) for i in nodes for j in nodes if i < j and contents[i].related(contents[j])]
    components = similarity._components([-1, *nodes], edges)
    linked = {i for g in components for i in g}
    groups = [[i for i in g if i >= 0] for g in components] + [[i] for i in nodes if i not in linked]
    on_topic = next((g for g in groups if any(contents[i].related(title_content) for i in g)), [])
    off_topic = [g for g in groups if g is not on_topic and len(g) >= SECOND_ISSUE_POINTS]
    if not off_topic:
        return hints
    if units:
        texts = [core + "".join(pts[i] for i in on_topic)] + ["".join(pts[i] for i in g) for g in off_topic]
        main, *others = _units_of(committee_id, texts)
        found = [(g, u) for g, u in zip(off_topic, others, strict=True)
                 if u is not None and main is not None and u.pk != main.pk]
        if not found:
            return hints
        described = "；".join(_("points %(n)s look like a matter for %(unit)s, the subject for %(main)s") % {
            "n": "、".join(str(i + 1) for i in g), "unit": u.name, "main": main.name} for g, u in found)
    else:
        described = "；".join(_("points %(n)s share no words with the subject") % {
            "n": "、".join(str(i + 1) for i in g)} for g in off_topic)
    hints.append(Hint("several_issues", _("The suggestions seem to cover more than one issue."),
                      _("%(what)s. One issue per proposal: the others deserve proposals of their own.")
                      % {"what": described}))
    return hints


# Concrete suggestions ---------------------------------------------------------------------------------

def _concrete(suggestions: str) -> list[Hint]:
    if not suggestions:
        return []
    measures = _MEASURES.findall(suggestions)
    numbers = _NUMBERS.findall(suggestions)
    vague = _VAGUE.findall(suggestions)
    concrete = len(measures) + len(numbers)
    if concrete == 0 or (concrete <= 1 and len(vague) >= 2):
        reason = _("No measure, figure or date found (such as 设立, 纳入, 补贴, 每年, 50万元)")
        if vague:
            reason += _("; mostly exhortation: %(words)s") % {"words": "、".join(dict.fromkeys(vague))}
        return [Hint("no_concrete_suggestion", _("The suggestions may not be concrete enough."),
                     reason + _(". Proposals with empty suggestions are not filed (内容空泛、没有具体建议)."))]
    return []


# Not fileable -----------------------------------------------------------------------------------------

_CLAUSE_END = "，。；！？,;!?\n"


def _clause(text: str, start: int, end: int, most: int = 40) -> str:
    """The clause around a match, as evidence a member recognises (at most ``most`` characters)."""
    while start > 0 and text[start - 1] not in _CLAUSE_END and end - start < most:
        start -= 1
    while end < len(text) and text[end] not in _CLAUSE_END and end - start < most:
        end += 1
    return text[start:end]


def _not_fileable(grounds: list[dict[str, Any]], *texts: str) -> list[Hint]:
    text = "\n".join(texts)
    hints = []
    words = set(tokens(text, normalised=True))
    for ground in grounds:
        code, label = ground.get("code", ""), ground.get("label", "")
        if code in _NOT_BY_WORDS:
            continue
        pattern = NOT_FILED_PATTERNS.get(code)
        if pattern is not None:
            found = pattern.search(text)
            evidence = _clause(text, found.start(), found.end()) if found else ""
        else:
            # A ground of the committee's own: two distinctive words of its label in the text.
            label_words = {w for w in tokens(label) if len(w) >= 2 and w not in _LABEL_GENERIC}
            hits = sorted(label_words & words)
            evidence = "、".join(hits) if len(hits) >= 2 else ""
        if evidence:
            hints.append(Hint("not_fileable", _("This may be a matter that is not filed: %(ground)s.")
                              % {"ground": label},
                              _("The text says “%(words)s”. The proposal committee does not file such matters; "
                                "a general issue behind them can be proposed instead.") % {"words": evidence}))
    return hints
