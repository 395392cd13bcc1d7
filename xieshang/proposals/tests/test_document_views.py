"""Downloading documents and spreadsheets: headers, who may get what, committee isolation, query counts."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any
from urllib.parse import unquote

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from xieshang.organisation.models import Role
from xieshang.organisation.tests.factories import user_with_role
from xieshang.proposals import documents, services
from xieshang.proposals.models import Proposal, Reply
from xieshang.proposals.tests.factories import Cast


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"proposals:{name}", kwargs=kwargs)


def get(client: Any, user: Any, address: str) -> Any:
    client.force_login(user)
    return client.get(address)


def filename(response: Any) -> str:
    header = response["Content-Disposition"]
    assert header.startswith('attachment; filename="')
    return unquote(header.split("filename*=UTF-8''", 1)[1])


def texts(response: Any) -> str:
    return "\n".join(p.text for p in Document(BytesIO(response.content)).paragraphs)


def titles(response: Any, sheet: str | None = None) -> list[str]:
    wb = load_workbook(BytesIO(response.content))
    ws = wb[sheet] if sheet else wb.active
    column = [c.value for c in ws[1]].index("案由")
    return sorted(row[column] for row in ws.iter_rows(min_row=2, values_only=True))


@pytest.fixture
def stranger(other_committee: Any) -> Any:
    """An administrator of another committee: sees every object of theirs, none of ours."""
    return user_with_role(other_committee, Role.COMMITTEE_ADMIN)


# ------------------------------------------------------------------------------------------- 提案表


def test_form_downloads_as_docx_with_a_chinese_file_name(client, cast) -> None:
    p = cast.draft()
    response = get(client, cast.member, url("document_form", proposal_id=p.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == documents.DOCX_TYPE
    assert response["Cache-Control"] == "private, no-store"
    assert filename(response) == f"提案表-{p.pk}-关于加快农村生活污水治理的建议.docx"
    assert response["Content-Disposition"].startswith(f'attachment; filename="proposal-{p.pk}.docx"; ')
    assert "关于加快农村生活污水治理的建议" in "\n".join(
        c.text for t in Document(BytesIO(response.content)).tables for r in t.rows for c in r.cells)


def test_form_only_for_those_who_see_the_proposal(client, cast, stranger) -> None:
    draft = cast.draft()
    assert get(client, cast.outsider, url("document_form", proposal_id=draft.pk)).status_code == 404
    assert get(client, cast.staff, url("document_form", proposal_id=draft.pk)).status_code == 404  # not submitted
    assigned = cast.assigned(cohandlers=False, title="关于第二件的建议")
    assert get(client, cast.liaison, url("document_form", proposal_id=assigned.pk)).status_code == 200
    assert get(client, cast.other_liaison, url("document_form", proposal_id=assigned.pk)).status_code == 404
    assert get(client, stranger, url("document_form", proposal_id=assigned.pk)).status_code == 404
    client.logout()
    response = client.get(url("document_form", proposal_id=assigned.pk))
    assert response.status_code == 302 and "/login" in response["Location"]


# ---------------------------------------------------------------------------------------------- 答复函


def test_sent_reply_letter_for_anyone_who_sees_the_proposal(client, cast) -> None:
    proposal = cast.replied(cls="A")
    reply = Reply.objects.get(assignment__proposal=proposal)
    address = url("document_reply", reply_id=reply.pk)
    for user in (cast.member, cast.outsider, cast.liaison, cast.staff):
        response = get(client, user, address)
        assert response.status_code == 200, user
    assert filename(response) == "答复函-第1号-县生态环境局.docx"
    body = texts(response)
    assert "关于政协甲县第十届委员会第一次会议第1号提案的答复" in body and documents.DRAFT_MARK not in body
    assert get(client, cast.other_liaison, address).status_code == 404  # not its proposal


def test_draft_reply_letter_only_for_the_unit_and_staff(client, cast, stranger) -> None:
    proposal = cast.assigned(cohandlers=False)
    reply = cast.reply_ready(proposal)
    address = url("document_reply", reply_id=reply.pk)
    for user in (cast.liaison, cast.unit_leader, cast.staff, cast.supervisor):
        response = get(client, user, address)
        assert response.status_code == 200, user
    assert filename(response) == "答复函（征求意见稿）-第1号-县生态环境局.docx"
    assert texts(response).startswith(documents.DRAFT_MARK)
    for user in (cast.member, cast.outsider, cast.other_liaison, stranger):
        assert get(client, user, address).status_code == 404, user
    reply.refresh_from_db()
    assert reply.status == "draft"


# ---------------------------------------------------------------------------------------------- 提案汇编


def test_compilation_for_staff_only(client, cast, stranger) -> None:
    cast.filed()
    address = url("document_compilation", session_id=cast.session.pk)
    for user in (cast.staff, cast.supervisor):
        response = get(client, user, address)
        assert response.status_code == 200
    assert response["Content-Type"] == documents.DOCX_TYPE
    assert filename(response) == "提案汇编-政协甲县第十届委员会第一次会议.docx"
    assert "第1号\t关于加快农村生活污水治理的建议\t" in texts(response)
    for user in (cast.member, cast.liaison):
        assert get(client, user, address).status_code == 403
    assert get(client, stranger, address).status_code == 404


# ---------------------------------------------------------------------------------------------- lists


def test_list_export_shows_only_what_the_member_may_see(client, cast) -> None:
    mine = cast.draft(title="关于我的草稿的建议")
    theirs = cast.draft(title="关于他人草稿的建议", by=cast.outsider)
    filed = cast.filed(title="关于他人已立案的建议", by=cast.outsider)
    response = get(client, cast.member, url("export_list"))
    assert response.status_code == 200
    assert response["Content-Type"] == documents.XLSX_TYPE
    assert filename(response) == f"提案列表-{timezone.localdate().isoformat()}.xlsx"
    assert titles(response) == [mine.title]  # a member's list starts with their own, as on the page
    everything = get(client, cast.member, url("export_list") + "?mine=0")
    assert titles(everything) == sorted([mine.title, filed.title])
    assert theirs.title not in titles(everything)
    response = get(client, cast.outsider, url("export_list") + "?mine=1")
    assert titles(response) == sorted([theirs.title, filed.title])


def test_list_export_applies_the_page_filters(client, cast) -> None:
    filed = cast.filed(title="关于河道治理的建议", category="environment")
    handled = cast.assigned(title="关于发展经济的建议", category="economy")
    cast.submitted(title="关于待审查的建议")
    base = url("export_list")
    assert titles(get(client, cast.staff, base)) == sorted([filed.title, handled.title, "关于待审查的建议"])
    assert titles(get(client, cast.staff, f"{base}?status=filed")) == [filed.title]
    assert titles(get(client, cast.staff, f"{base}?category=economy")) == [handled.title]
    assert titles(get(client, cast.staff, f"{base}?q=河道")) == [filed.title]
    assert titles(get(client, cast.staff, f"{base}?unit={cast.unit.pk}")) == [handled.title]
    assert titles(get(client, cast.staff, f"{base}?session={cast.session.pk}&kind=collective")) == []
    assert titles(get(client, cast.staff, f"{base}?session=x&unit=")) == sorted(
        [filed.title, handled.title, "关于待审查的建议"])  # malformed values filter nothing
    assert titles(get(client, cast.liaison, base)) == [handled.title]


def _mixed(cast: Cast, n: int, start: int) -> None:
    for i in range(start, start + n):
        if i % 3 == 0:
            cast.assigned(title=f"关于第{i}件的建议")
        else:
            cast.filed(title=f"关于第{i}件的建议", category=["economy", "social"][i % 2])


def test_list_export_takes_the_same_queries_for_3_and_30_proposals(client, cast) -> None:
    replied = cast.replied()
    services.evaluation_submit(actor=cast.member, reply=Reply.objects.get(assignment__proposal=replied),
                               result="satisfied")
    _mixed(cast, 2, 1)
    client.force_login(cast.staff)
    client.get(url("export_list"))  # warm the session and content-type caches
    with CaptureQueriesContext(connection) as small:
        assert len(titles(client.get(url("export_list")))) == 3
    _mixed(cast, 27, 3)
    with CaptureQueriesContext(connection) as large:
        assert len(titles(client.get(url("export_list")))) == 30
    assert len(large.captured_queries) == len(small.captured_queries)


def test_inbox_export_holds_only_the_units_own_assignments(client, cast) -> None:
    ours = cast.assigned(title="关于本局的建议")
    theirs = cast.filed(title="关于他局的建议")
    services.proposal_assign(actor=cast.staff, proposal=theirs, lead=cast.other_unit)
    response = get(client, cast.liaison, url("export_inbox"))
    assert response.status_code == 200
    assert response["Content-Type"] == documents.XLSX_TYPE
    assert filename(response) == f"承办件-县生态环境局-{timezone.localdate().isoformat()}.xlsx"
    assert titles(response) == [ours.title]
    ws = load_workbook(BytesIO(response.content)).active
    assert [c.value for c in ws[1]][:6] == ["编号", "案由", "第一提案人", "承办单位", "承办方式", "状态"]
    assert list(ws.iter_rows(min_row=2, values_only=True))[0][3:5] == ("县生态环境局", "主办")
    assert titles(get(client, cast.co_liaison, url("export_inbox"))) == [ours.title]
    assert titles(get(client, cast.other_liaison, url("export_inbox"))) == [theirs.title]
    for user in (cast.member, cast.staff):
        assert get(client, user, url("export_inbox")).status_code == 403


def test_inbox_export_includes_done_assignments_on_request(client, cast) -> None:
    done = cast.replied(title="关于已答复的建议")
    open_ = cast.assigned(title="关于办理中的建议")
    assert titles(get(client, cast.liaison, url("export_inbox"))) == [open_.title]
    assert titles(get(client, cast.liaison, url("export_inbox") + "?all=1")) == sorted([done.title, open_.title])


def test_overdue_export_for_staff(client, cast) -> None:
    p = cast.assigned(cohandlers=False)
    services.assignment_accept(actor=cast.liaison, assignment=cast.lead_assignment(p))
    later = timezone.now() + dt.timedelta(days=200)
    with time_machine.travel(later):
        response = get(client, cast.staff, url("export_overdue"))
        assert response.status_code == 200
        assert filename(response) == f"逾期督办-{timezone.localdate().isoformat()}.xlsx"
        assert titles(response, "逾期办理") == [p.title]
        for user in (cast.member, cast.liaison):
            assert get(client, user, url("export_overdue")).status_code == 403


def test_other_committees_objects_are_not_found(client, cast, other_committee, stranger) -> None:
    b = Cast(other_committee)
    proposal = b.replied(title="乙县的提案")
    reply = Reply.objects.get(assignment__proposal=proposal)
    client.force_login(user_with_role(cast.committee, Role.COMMITTEE_ADMIN))
    for address in (url("document_form", proposal_id=proposal.pk), url("document_reply", reply_id=reply.pk),
                    url("document_compilation", session_id=proposal.session_id)):
        assert client.get(address).status_code == 404, address
    assert titles(client.get(url("export_list"))) == []
    assert get(client, stranger, url("document_form", proposal_id=proposal.pk)).status_code == 200
    assert Proposal.objects.get(pk=proposal.pk).status == "replied"


def test_downloads_refuse_post(client, cast) -> None:
    assert get(client, cast.staff, url("export_list")).status_code == 200
    assert client.post(url("export_list")).status_code == 405
