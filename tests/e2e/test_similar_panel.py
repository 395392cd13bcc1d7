"""The drafting panel in Chromium: a member types a subject close to a proposal the committee answered
before, and the panel beside the editor shows it with its unit, reply class and the gist of the reply; the
draft hints appear in the live checks."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import login
from xieshang.proposals.tests.factories import BODY, Cast

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_panel_shows_what_was_proposed_before(page: Any, live_server: Any, committee: Any) -> None:
    cast = Cast(committee)
    past = cast.replied(title="关于加快农村生活污水治理的建议", cls="B")
    theirs = cast.draft(title="关于农村生活污水治理设施运维的建议", by=cast.outsider)  # another member's draft

    login(page, live_server, cast.member.username)
    page.goto(f"{live_server.url}/proposals/new/")
    page.locator('[data-testid="similar"]').wait_for(state="detached")  # nothing to compare yet
    page.fill("#id_title", "关于推进农村生活污水处理的建议")
    row = page.locator('[data-testid="similar-row"]').first
    row.wait_for()
    text = row.inner_text()
    assert past.title in text and "县生态环境局" in text and "B" in text
    assert page.locator('[data-testid="similar-gist"]').first.inner_text().startswith("县生态环境局")
    rows = page.locator('[data-testid="similar-row"]')
    shown = {rows.nth(i).get_attribute("data-proposal") for i in range(rows.count())}
    assert str(past.pk) in shown and str(theirs.pk) not in shown

    # The live checks carry the hints beside what blocks submission.
    page.fill("#id_situation", BODY["situation"])
    page.fill("#id_analysis", BODY["analysis"])
    page.fill("#id_suggestions", "建议有关部门高度重视，采取有效措施，进一步加大力度，让群众满意。")
    page.locator('[data-testid="hint"][data-code="no_concrete_suggestion"]').wait_for()
