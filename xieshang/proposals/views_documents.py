"""Downloads: the proposal form, the reply letter and the session's compilation (.docx), and the proposal
list, a unit's inbox and the overdue board (.xlsx). Every download reads through the selectors, so a user
gets exactly what the pages would show them; another committee's object is not found (404)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from xieshang.organisation.models import PlenarySession
from xieshang.proposals import documents, selectors
from xieshang.proposals.workflow import ReplyStatus


def _attachment(content: bytes, filename: str, fallback: str, content_type: str) -> HttpResponse:
    """The file with its Chinese name (RFC 5987 ``filename*``) and a plain ASCII name for old clients."""
    filename = re.sub(r'[\\/:*?"<>|\r\n]+', "_", filename)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    response["Content-Length"] = str(len(content))
    # The files hold unpublished proposals and drafts: keep them out of shared caches.
    response["Cache-Control"] = "private, no-store"
    return response


def _committee_id(user: Any) -> int:
    """The user's committee; someone with no role in one sees nothing (404), as on every page."""
    if not user.is_authenticated or user.committee_id is None or not user.role_codes:
        raise Http404
    return user.committee_id


def _docx(content: bytes, filename: str, fallback: str) -> HttpResponse:
    return _attachment(content, filename, f"{fallback}.docx", documents.DOCX_TYPE)


def _xlsx(content: bytes, filename: str, fallback: str) -> HttpResponse:
    return _attachment(content, filename, f"{fallback}.xlsx", documents.XLSX_TYPE)


def filters_from(request: HttpRequest) -> selectors.ProposalFilters:
    """The list page's filters from its GET parameters, read as the list page reads them (a malformed
    number filters nothing), including its default: a member who is not staff starts with their own."""
    g = request.GET

    def num(key: str) -> int | None:
        value = g.get(key, "")
        return int(value) if value.isdigit() else None

    mine = g.get("mine") == "1"
    user = request.user
    if "mine" not in g and user.member is not None and not user.has_role(*selectors.SEES_ALL):
        mine = True
    return selectors.ProposalFilters(
        q=g.get("q", "").strip()[:50], session=num("session"), status=g.get("status", "")[:12],
        category=g.get("category", "")[:30], unit=num("unit"), kind=g.get("kind", "")[:12], mine=mine,
        overdue=g.get("overdue") == "1")


@require_GET
@login_required
def document_form(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = selectors.proposal_get_for_user(user=request.user, proposal_id=proposal_id)
    name = f"提案表-{proposal.reference or proposal.pk}-{proposal.title[:30]}.docx"
    return _docx(documents.proposal_form_docx(proposal), name, f"proposal-{proposal.pk}")


@require_GET
@login_required
def document_reply(request: HttpRequest, reply_id: int) -> HttpResponse:
    # A reply to a proposal the user may see; until it is sent, only its unit and staff reach the draft.
    reply = selectors.reply_get_for_user(user=request.user, reply_id=reply_id)
    proposal = reply.assignment.proposal
    draft = reply.status != ReplyStatus.SENT
    name = (f"答复函{'（征求意见稿）' if draft else ''}-{proposal.reference or proposal.pk}-"
            f"{reply.assignment.unit.name}.docx")
    fallback = f"reply-{reply.pk}{'-draft' if draft else ''}"
    return _docx(documents.reply_letter_docx(reply, draft=draft), name, fallback)


@require_GET
@login_required
def document_compilation(request: HttpRequest, session_id: int) -> HttpResponse:
    committee_id = _committee_id(request.user)
    try:
        session = PlenarySession.objects.select_related("term", "committee").get(pk=session_id,
                                                                                  committee_id=committee_id)
    except PlenarySession.DoesNotExist as exc:
        raise Http404 from exc
    if not request.user.has_perm("proposals.view_boards", session):
        raise PermissionDenied
    title = documents.session_title(session.committee, session)
    return _docx(documents.compilation_docx(session), f"提案汇编-{title}.docx", f"compilation-{session.pk}")


@require_GET
@login_required
def export_list(request: HttpRequest) -> HttpResponse:
    proposals = selectors.proposal_list_for_user(user=request.user, filters=filters_from(request))
    today = timezone.localdate().isoformat()
    return _xlsx(documents.proposals_xlsx(proposals), f"提案列表-{today}.xlsx", f"proposals-{today}")


@require_GET
@login_required
def export_inbox(request: HttpRequest) -> HttpResponse:
    units = selectors.unit_ids(request.user)
    if not units:
        _committee_id(request.user)  # no role in any committee: 404, as everywhere
        raise PermissionDenied
    assignments = list(selectors.unit_inbox(user=request.user, include_done=request.GET.get("all") == "1"))
    unit_names = sorted({r.handling_unit.name for r in request.user.role_assignments if r.handling_unit_id})
    label = unit_names[0] if len(unit_names) == 1 else "承办件"
    today = timezone.localdate().isoformat()
    return _xlsx(documents.inbox_xlsx(assignments), f"承办件-{label}-{today}.xlsx", f"inbox-{today}")


@require_GET
@login_required
def export_overdue(request: HttpRequest) -> HttpResponse:
    committee_id = _committee_id(request.user)
    if not request.user.has_perm("proposals.view_boards"):
        raise PermissionDenied
    today = timezone.localdate()
    board = selectors.overdue_board(committee_id=committee_id, on=today)
    return _xlsx(documents.overdue_xlsx(board, today=today), f"逾期督办-{today.isoformat()}.xlsx",
                 f"overdue-{today.isoformat()}")
