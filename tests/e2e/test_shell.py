"""The web shell in Chromium on the demo committee: every demo account logs in and sees its home page in
Chinese and in English, the language switch works, the member directory filters, and the layout works on
a phone-sized screen."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import login
from xieshang.demo.generator import build_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ACCOUNTS = ["admin", "office", "proposals", "info", "director", "member", "member2", "unit", "unitlead",
            "supervisor", "leader"]


@pytest.fixture
def demo(live_server: Any) -> Any:
    return build_demo(history=[])  # the organisation only: the shell needs no proposal history


def test_every_demo_account_sees_its_home_page(page, live_server, demo) -> None:
    for username in ACCOUNTS:
        login(page, live_server, username)
        assert page.locator("h1").inner_text() == "我的待办", username
        assert page.locator('[data-testid="todo-list"]').is_visible()
        assert page.locator('[data-testid="roles"] .badge').count() >= 1, username
        page.locator('[data-testid="user-menu"]').click()
        page.locator("form[action$='/logout/'] button").click()
        page.wait_for_url(f"{live_server.url}/accounts/login/")


def test_language_switch_to_english_and_back(page, live_server, demo) -> None:
    login(page, live_server, "admin")
    assert page.locator("h1").inner_text() == "我的待办"
    page.locator('[data-testid="lang-switch"]').click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "My tasks"
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(f"{live_server.url}/directory/members/")
    assert page.locator("h1").inner_text() == "Member directory"
    page.locator('[data-testid="lang-switch"]').click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "委员名录"


def test_member_directory_filters_without_reloading(page, live_server, demo) -> None:
    login(page, live_server, "office")
    page.goto(f"{live_server.url}/directory/members/")
    total = page.locator('[data-testid="member-count"]').inner_text()
    page.select_option("#id_sector", label="教育界")
    page.wait_for_function(
        "t => document.querySelector('[data-testid=member-count]').innerText !== t", arg=total)
    rows = page.locator('[data-testid="member-row"]')
    assert rows.count() >= 1
    for i in range(rows.count()):
        assert "教育界" in rows.nth(i).inner_text()
    assert "sector=" in page.url  # the filter is in the address, so it can be shared and reloaded
    page.select_option("#id_standing", value="1")
    page.wait_for_timeout(300)
    page.wait_for_load_state("networkidle")
    for i in range(page.locator('[data-testid="member-row"]').count()):
        assert "常委" in page.locator('[data-testid="member-row"]').nth(i).inner_text()


def test_phone_layout_collapses_the_menu(page, live_server, demo) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "member")
    toggler = page.locator(".navbar-toggler")
    assert toggler.is_visible()
    assert not page.locator("#nav").is_visible()
    toggler.click()
    page.locator("#nav").wait_for(state="visible")
    assert page.locator("#nav").get_by_role("link", name="委员", exact=True).is_visible()
