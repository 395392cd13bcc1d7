"""The main path of a proposal in Chromium, each role in its own session: a member drafts (with live
checks) and submits; the proposal committee files it from the review queue and assigns it on the board;
the unit accepts, records its contact and drafts the reply; its leader signs off; the supervising office
approves; the member rates the reply and the case closes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import login
from xieshang.proposals.models import Proposal
from xieshang.proposals.tests.factories import BODY, Cast

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _as(browser: Any, live_server: Any, user: Any) -> Any:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10000)
    page.on("dialog", lambda d: d.accept())
    login(page, live_server, user.username)
    return page


def test_member_to_unit_to_member(browser, live_server, committee) -> None:
    cast = Cast(committee)

    member = _as(browser, live_server, cast.member)
    member.goto(f"{live_server.url}/proposals/new/")
    member.fill("#id_title", "关于加快农村生活污水治理的建议")
    member.select_option("#id_category", "environment")
    member.fill("#id_situation", BODY["situation"])
    member.fill("#id_analysis", BODY["analysis"])
    member.fill("#id_suggestions", BODY["suggestions"])
    member.locator('[data-testid="ready"]').wait_for()  # live checks: nothing stops submission
    member.click('[data-testid="save-draft"]')
    member.click('[data-testid="submit-proposal"]')
    member.wait_for_load_state()
    proposal = Proposal.objects.get()
    assert proposal.status == "submitted"

    staff = _as(browser, live_server, cast.staff)
    staff.goto(f"{live_server.url}/proposals/office/review/")
    staff.check(f'input[name=ids][value="{proposal.pk}"]')
    staff.click('[data-testid="file-selected"]')
    staff.wait_for_load_state()
    staff.goto(f"{live_server.url}/proposals/office/assignment/")
    row = staff.locator(f"#p{proposal.pk}")
    row.locator('select[name="lead"]').select_option(str(cast.unit.pk))
    row.locator('[data-testid="assign"]').click()
    staff.wait_for_load_state()
    proposal.refresh_from_db()
    assert (proposal.status, proposal.number) == ("handling", 1)

    unit = _as(browser, live_server, cast.liaison)
    unit.goto(f"{live_server.url}/proposals/unit/")
    unit.locator('[data-testid="inbox-row"] a').first.click()
    unit.locator('[data-testid="workspace"]').wait_for()
    unit.click('[data-testid="accept"]')
    unit.locator('[data-testid="panel-contact"]').wait_for()
    contact = unit.locator('[data-testid="panel-contact"]')
    contact.locator('[name="happened_on"]').fill(_today())
    contact.locator('[name="method"]').select_option("meeting")
    contact.locator('[name="summary"]').fill("到提案人单位面商，听取意见")
    contact.locator('[data-testid="record-contact"]').click()
    unit.locator('[data-testid="contacts"] li').first.wait_for()
    form = unit.locator('[data-testid="reply-form"]')
    form.locator('[name="document_number"]').fill("环函〔2026〕12号")
    form.locator('[name="signatory"]').fill("局长 王某")
    form.locator('input[name="result_class"][value="A"]').check()
    form.locator('[name="body"]').fill("一、关于管网建设。已纳入年度计划。二、关于运维机制。正在制定办法。三、关于宣传。将开展专题宣传。")
    form.locator('[name="contact_person"]').fill("张科长")
    form.locator('[name="contact_phone"]').fill("0938-1234567")
    form.locator('[data-testid="save-draft"]').click()
    unit.locator('[data-testid="leader-must-sign"]').wait_for()

    leader = _as(browser, live_server, cast.unit_leader)
    leader.goto(f"{live_server.url}/proposals/unit/assignments/{cast.lead_assignment(proposal).pk}/")
    leader.locator('[data-testid="panel-submit"] [data-testid="submit"]').click()
    leader.locator('[data-testid="panel-submit"]').wait_for(state="detached")

    supervisor = _as(browser, live_server, cast.supervisor)
    supervisor.goto(f"{live_server.url}/proposals/office/supervision/")
    supervisor.locator('[data-testid="supervision-row"] select[name="approve"]').select_option("1")
    supervisor.locator('[data-testid="supervision-row"] button').click()
    supervisor.wait_for_load_state()
    proposal.refresh_from_db()
    assert proposal.status == "replied"

    member.goto(f"{live_server.url}/proposals/{proposal.pk}/")
    evaluation = member.locator('[data-testid="evaluation-form"]')
    evaluation.locator('input[name="result"][value="satisfied"]').check()
    evaluation.locator('button').click()
    member.wait_for_load_state()
    proposal.refresh_from_db()
    assert proposal.status == "closed"
    assert member.locator('[data-testid="status"]').first.inner_text() == "已办结"


def _today() -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()
