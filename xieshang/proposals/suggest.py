"""First-cut handling-unit suggestions for the assignment board: units whose name and duties share words
with the proposal, and units this committee assigned for the same category before. A better engine
(segmentation, similar past proposals, learning from choices) replaces this in the text-intelligence work;
the board only needs ``suggest_units``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import ngettext

from xieshang.organisation.models import HandlingUnit
from xieshang.proposals.models import Assignment, Proposal

STOP = set("关于的建议提案加强推进进一步我县全县问题工作和与及对在")


def _bigrams(text: str) -> set[str]:
    chars = [c for c in text if "\u4e00" <= c <= "\u9fff" and c not in STOP]
    return {a + b for a, b in zip(chars, chars[1:], strict=False)}


@dataclass(frozen=True)
class Suggestion:
    unit: HandlingUnit
    score: float
    reason: str


def suggest_units(proposals: list[Proposal], *, limit: int = 3) -> dict[int, list[Suggestion]]:
    """Top units per proposal, in a fixed number of queries for the whole board."""
    if not proposals:
        return {}
    committee_id = proposals[0].committee_id
    units = list(HandlingUnit.objects.filter(committee_id=committee_id, is_active=True))
    unit_words = {u.pk: _bigrams(u.name + u.short_name + u.duties) for u in units}
    history: dict[str, Counter[int]] = {}
    for row in (Assignment.objects.filter(committee_id=committee_id, role__in=["lead", "sole", "separate"])
                .exclude(status="cancelled").values("proposal__category", "unit_id").annotate(n=Count("id"))):
        history.setdefault(row["proposal__category"], Counter())[row["unit_id"]] += row["n"]
    result: dict[int, list[Suggestion]] = {}
    for p in proposals:
        words = _bigrams(p.title + p.suggestions[:300])
        past = history.get(p.category, Counter())
        total_past = sum(past.values()) or 1
        scored = []
        for u in units:
            shared = words & unit_words[u.pk]
            text_score = len(shared) / (len(words) or 1)
            past_score = past.get(u.pk, 0) / total_past
            score = 0.7 * text_score + 0.3 * past_score
            if score <= 0:
                continue
            reason = "、".join(sorted(shared)[:4]) if shared else ""
            if past.get(u.pk):
                handled = ngettext("handled %(n)d proposal of this category",
                                   "handled %(n)d proposals of this category", past[u.pk]) % {"n": past[u.pk]}
                reason = f"{reason} · {handled}" if reason else handled
            scored.append(Suggestion(u, round(score, 3), reason))
        result[p.pk] = sorted(scored, key=lambda s: (-s.score, s.unit.name))[:limit]
    return result
