"""Pages that read the committee's past proposals as text: the drafting panel of similar proposals (what
was proposed before, who answered and what they said), refreshed by htmx as a member types."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from xieshang.proposals.models import Assignment, Proposal, Reply
from xieshang.proposals.workflow import AssignmentStatus, ReplyStatus
from xieshang.ruleset.selectors import rules_for
from xieshang.search import similarity

# The panel looks once the subject or the suggestions say something: a subject of a few characters, or a
# sentence of suggestions.
MIN_SUBJECT = 4
MIN_SUGGESTIONS = 10
PANEL_SIZE = 5
GIST_CHARS = 120

# A reply opens with its addressee and a formula (张委员：您提出的《……》收悉，现答复如下：); the gist
# starts after it.
_OPENING = re.compile(r"^[^\n：:]{0,40}[：:]\s*|^.{0,80}?(收悉|现答复如下|答复如下)[^，,。：:]*[，,。：:]\s*", re.S)


def reply_gist(body: str, limit: int = GIST_CHARS) -> str:
    """What the unit said, in its first ``limit`` characters after the opening formula."""
    text = body.strip()
    for _ in range(3):
        stripped = _OPENING.sub("", text, count=1).strip()
        if stripped == text:
            break
        text = stripped
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= limit else text[:limit].rstrip("，,、；;") + "…"


@dataclass
class SimilarRow:
    proposal: Proposal
    score: float
    units: list[Any] = field(default_factory=list)
    reply_class: str = ""
    reply_class_label: str = ""
    gist: str = ""
    gist_unit: Any = None


def similar_rows(*, user: Any, title: str, body: str, exclude_id: int | None, limit: int = PANEL_SIZE
                 ) -> list[SimilarRow]:
    """The panel's rows: similar proposals the user may see, each with its units, the class of its latest
    sent reply and the gist of that reply. A fixed number of queries."""
    committee_id = user.committee_id
    matches = similarity.similar_proposals(committee_id=committee_id, title=title, body=body, exclude_id=exclude_id,
                                           limit=limit, user=user, min_score=similarity.SIMILAR_MIN_SCORE)
    if not matches:
        return []
    rows = {m.proposal.pk: SimilarRow(m.proposal, m.score) for m in matches}
    for a in Assignment.objects.filter(proposal_id__in=rows).exclude(status=AssignmentStatus.CANCELLED).select_related(
            "unit").order_by("role", "id"):
        if a.role != Assignment.Role.CO:
            rows[a.proposal_id].units.append(a.unit)
    # Sent replies are what every reader of the proposal may see (views._visible_replies); drafts are not.
    for reply in Reply.objects.filter(assignment__proposal_id__in=rows, status=ReplyStatus.SENT).select_related(
            "assignment__unit").order_by("sent_at", "id"):
        row = rows[reply.assignment.proposal_id]
        row.reply_class, row.gist_unit = reply.result_class, reply.assignment.unit
        row.gist = reply_gist(reply.public_summary or reply.body)
    labels = {c["code"]: c["label"] for c in rules_for(committee_id=committee_id)["proposal.reply_classes"]}
    for row in rows.values():
        row.reply_class_label = labels.get(row.reply_class, "")
    return [rows[m.proposal.pk] for m in matches]


@login_required
@require_POST
def proposal_similar(request: HttpRequest) -> HttpResponse:
    """The drafting panel: the committee's past proposals most like the draft (posted with the editor's
    form; nothing is saved)."""
    if not request.user.has_perm("proposals.create_proposal"):
        raise PermissionDenied
    title = request.POST.get("title", "")[:200]
    suggestions = request.POST.get("suggestions", "")[:20000]
    situation = request.POST.get("situation", "")[:20000]
    exclude = request.POST.get("exclude", "")
    rows: list[SimilarRow] = []
    asked = len(title.strip()) >= MIN_SUBJECT or len(suggestions.strip()) >= MIN_SUGGESTIONS
    if asked:
        rows = similar_rows(user=request.user, title=title, body=similarity.proposal_body(situation, suggestions),
                            exclude_id=int(exclude) if exclude.isdigit() else None)
    return render(request, "proposals/_similar.html", {"rows": rows, "asked": asked})
