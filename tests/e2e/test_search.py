"""Search in Chromium: a member types in the header's box, reads the ranked results with the words marked,
the proposals close to the query that lack its words under their own heading, and opens one."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import login
from xieshang.proposals.tests.factories import Cast
from xieshang.search.indexing import rebuild_index

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_member_searches_from_the_header(page: Any, live_server: Any, committee: Any) -> None:
    cast = Cast(committee)
    warmth = cast.replied(title="关于解决城区供暖不达标问题的建议")
    heating = cast.assigned(title="关于做好冬季集中供热和保暖的建议")
    cast.assigned(title="关于加强校园安全的建议")
    rebuild_index(committee.pk)

    login(page, live_server, cast.cosigner.username)  # a member who proposed none of them
    box = page.locator('[data-testid="header-search"] input[name="q"]')
    box.fill("供暖")
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    hits = page.locator('[data-testid="search-hit"]')
    hits.first.wait_for()
    assert "<mark>供暖</mark>" in hits.first.inner_html() and warmth.title in hits.first.inner_text()
    related = page.locator('[data-testid="search-related"]')
    assert related.is_visible()
    titles = [hits.nth(i).locator("a").first.inner_text() for i in range(hits.count())]
    assert titles.index(heating.title) > titles.index(warmth.title) and "关于加强校园安全的建议" not in titles
    page.get_by_role("link", name=heating.title).click()
    page.wait_for_url(f"**/proposals/{heating.pk}/")
    assert heating.title in page.locator("h1").inner_text()
