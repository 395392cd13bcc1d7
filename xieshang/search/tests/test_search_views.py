"""The search page and the header's search box."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xieshang.organisation.models import Role
from xieshang.organisation.tests.factories import MemberFactory, UserFactory, user_with_role
from xieshang.proposals.tests.factories import Cast
from xieshang.search.indexing import forget_dictionaries, rebuild_index


@pytest.fixture(autouse=True)
def _forget_dictionaries() -> Any:
    forget_dictionaries()
    yield
    forget_dictionaries()


@pytest.fixture
def cast(committee) -> Cast:
    cast = Cast(committee)
    cast.assigned(title="关于整治违规停车的建议")
    cast.replied(title="关于增设公交站台的建议")
    rebuild_index(committee.pk)
    return cast


def page(client: Any, user: Any, query: str = "") -> str:
    client.force_login(user)
    response = client.get(f"/search/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_results_are_ranked_highlighted_and_linked(client, cast: Cast) -> None:
    body = page(client, cast.staff, "?q=停车")
    assert 'data-testid="search-count">1 result<' in body
    assert "关于整治违规<mark>停车</mark>的建议" in body
    proposal = cast.co_unit.assignments.get().proposal
    assert f'href="/proposals/{proposal.pk}/"' in body
    assert f"{proposal.reference} · Being handled · {cast.unit.name}、{cast.co_unit.name}" in body


def test_tabs_count_each_kind_and_filter_by_it(client, cast: Cast) -> None:
    body = page(client, cast.staff, "?q=公交站台")
    assert 'data-kind="all">All <span class="badge rounded-pill text-bg-light border">2<' in body
    assert 'data-kind="reply">Replies <span class="badge rounded-pill text-bg-light border">1<' in body
    body = page(client, cast.staff, "?q=公交站台&type=reply")
    assert body.count('data-testid="search-hit"') == 1 and 'data-kind="reply"' in body
    assert "Class A · Sent" in body


def test_filters_narrow_the_results(client, cast: Cast) -> None:
    assert page(client, cast.staff, "?q=建议&status=replied").count('data-testid="search-hit"') == 1
    assert page(client, cast.staff, f"?q=建议&unit={cast.co_unit.pk}&type=proposal").count(
        'data-testid="search-hit"') == 1
    assert page(client, cast.staff, f"?q=建议&session={cast.session.pk}").count('data-testid="search-hit"') == 3
    assert page(client, cast.staff, "?q=建议&year=1999").count('data-testid="search-hit"') == 0
    assert "Nothing found." in page(client, cast.staff, "?q=建议&category=nonsense")
    # A filter that does not parse is ignored rather than refused.
    assert page(client, cast.staff, "?q=建议&session=abc&type=proposal").count('data-testid="search-hit"') == 2


def test_words_not_all_found_are_said_so(client, cast: Cast) -> None:
    body = page(client, cast.staff, "?q=停车+火星")
    assert 'data-testid="search-partial"' in body and "关于整治违规<mark>停车</mark>的建议" in body


def test_results_with_only_some_words_come_after_a_divider(client, cast: Cast) -> None:
    cast.assigned(title="关于整治公交站台周边秩序的建议")
    rebuild_index(cast.committee.pk)
    body = page(client, cast.staff, "?q=公交站台+整治")
    exact, divider, rest = body.partition("The results below have only some of the words.")
    assert divider and "No result has every word" not in body
    assert exact.count('data-testid="search-hit"') == 1 and "<mark>整治公交站台</mark>周边秩序" in exact
    assert "关于增设<mark>公交站台</mark>的建议" in rest and "关于<mark>整治</mark>违规停车的建议" in rest


def test_close_proposals_without_the_words_come_last_under_their_own_heading(client, cast: Cast) -> None:
    cast.assigned(title="关于解决城区供暖不达标问题的建议")
    cast.assigned(title="关于做好冬季集中供热和保暖的建议")
    rebuild_index(cast.committee.pk)
    body = page(client, cast.staff, "?q=供暖")
    found, heading, close = body.partition('data-testid="search-related"')
    assert "关于解决城区<mark>供暖</mark>不达标问题的建议" in found and "集中供热" not in found
    assert heading and "关于做好冬季集中供热和保暖的建议" in close


def test_without_words_the_page_explains_itself(client, cast: Cast) -> None:
    body = page(client, cast.member)
    assert "Traditional characters and the units' short names work too." in body
    assert 'data-testid="search-hit"' not in body


def test_anonymous_visitors_log_in_first_and_people_without_a_role_find_nothing(client, committee) -> None:
    response = client.get("/search/?q=停车")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    nobody = UserFactory(committee=committee)
    nobody.save()  # the factory sets the password after saving
    client.force_login(nobody)
    assert client.get("/search/?q=停车").status_code == 404


def test_the_header_has_a_search_box_for_people_with_a_role(client, committee) -> None:
    assert 'data-testid="header-search"' not in client.get("/accounts/login/").content.decode()
    body = page(client, user_with_role(committee, Role.MEMBER), "")
    assert ('<form class="my-2 my-lg-0" method="get" action="/search/" role="search" '
            'data-testid="header-search">') in body


def test_the_page_reads_a_fixed_number_of_queries_however_many_results(client, committee) -> None:
    user = user_with_role(committee, Role.MEMBER)
    client.force_login(user)

    def queries_for(n: int) -> int:
        while MemberFactory._meta.model.objects.filter(committee=committee, work_unit="县实验中学").count() < n:
            MemberFactory(committee=committee, work_unit="县实验中学")
        rebuild_index(committee.pk)
        client.get("/search/?q=实验中学")  # warm: the committee's dictionary is loaded once per process
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/search/?q=实验中学")
        body = response.content.decode()
        exact = body.split('data-testid="search-partial"')[0]  # the hits with every word
        assert exact.count('data-testid="search-hit" data-kind="member"') == min(n, 20)
        return len(ctx.captured_queries)

    # Fewer than a page of exact results adds the second tier (its count and its page, plus on PostgreSQL
    # the page's BM25 statistics) and asks the similarity engine for close proposals (its version check;
    # none are close here).
    few, more, many = queries_for(3), queries_for(10), queries_for(30)
    assert few == more <= 18 and many == few - (4 if connection.vendor == "postgresql" else 3)
