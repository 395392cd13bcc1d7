"""The statistics page and its spreadsheet: who may see them, what they show, and a query count that does
not grow with the number of proposals."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.e2e import conftest as e2e
from xieshang.organisation.models import Role
from xieshang.organisation.tests.factories import UserFactory
from xieshang.proposals import services
from xieshang.proposals.tests.factories import Cast

URL = reverse("proposals:statistics")
XLSX_URL = reverse("proposals:statistics_xlsx")


def _data(response: Any) -> dict[str, Any]:
    match = re.search(r'<script id="statistics-data" type="application/json">(.*?)</script>',
                      response.content.decode(), re.S)
    assert match, "the chart data is missing"
    return json.loads(match.group(1))


@pytest.fixture
def small(cast: Cast) -> Cast:
    """Received 3: a class-A reply on time (met face to face, satisfied), a filed one, a declined one."""
    p = cast.replied(cls="A")
    services.evaluation_submit(actor=cast.member, reply=p.assignments.get().replies.get(), result="satisfied")
    cast.filed(title="已立案")
    services.proposal_not_file(actor=cast.staff, proposal=cast.submitted(title="不予立案"), ground="no_suggestion",
                               reason="缺少具体建议", disposition="letter")
    return cast


@pytest.mark.parametrize("role", [Role.PROPOSAL_STAFF, Role.SUPERVISOR, Role.LEADER, Role.COMMITTEE_ADMIN,
                                  Role.OFFICE_STAFF])
def test_staff_supervisors_leaders_and_admins_see_the_page(client, make_user, role) -> None:
    client.force_login(make_user(role))
    assert client.get(URL).status_code == 200
    assert client.get(XLSX_URL).status_code == 200


@pytest.mark.parametrize("role", [Role.MEMBER, Role.UNIT_LIAISON, Role.UNIT_LEADER, Role.INFO_STAFF,
                                  Role.COMMITTEE_DIRECTOR])
def test_others_of_the_committee_are_forbidden(client, make_user, role) -> None:
    client.force_login(make_user(role))
    assert client.get(URL).status_code == 403
    assert client.get(XLSX_URL).status_code == 403


def test_people_without_a_role_are_not_found_and_visitors_log_in(client, committee) -> None:
    assert client.get(URL).status_code == 302
    assert client.get(XLSX_URL)["Location"].startswith(reverse("login"))
    nobody = UserFactory(committee=committee)
    nobody.save()  # keep the hashed password, so that the session stays valid
    client.force_login(nobody)
    assert client.get(URL).status_code == 404


def test_another_committees_session_is_not_found(client, small, other_committee) -> None:
    foreign = Cast(other_committee)
    foreign.replied()
    client.force_login(small.staff)
    assert client.get(URL, {"session": foreign.session.pk}).status_code == 404
    assert client.get(XLSX_URL, {"session": foreign.session.pk}).status_code == 404
    assert client.get(URL, {"year": "not-a-year"}).status_code == 404
    client.force_login(foreign.staff)  # the other committee sees its own figures only
    assert _data(client.get(URL))["classes"]["values"] == [1, 0, 0]


def test_page_shows_the_figures_with_numerators_and_denominators(client, small) -> None:
    client.force_login(small.supervisor)
    response = client.get(URL)
    assert response.context["scope"].session == small.session  # the latest session by default
    body = response.content.decode()
    card = re.search(r'data-testid="card-filing".*?</div></div></div>', body, re.S).group(0)
    # Received 3; filed 2 (one replied, one waiting for assignment), not filed 1: 2 ÷ 3 = 66.7%.
    assert "66.7%" in card and "2&#8239;/&#8239;3" in card
    card = re.search(r'data-testid="card-reply".*?</div></div></div>', body, re.S).group(0)
    assert "50.0%" in card and "1&#8239;/&#8239;2" in card  # 1 replied properly ÷ 2 filed
    assert "Merged proposals count as filed (the Gansu convention)" in body
    units = re.search(r'data-testid="units".*?</table>', body, re.S).group(0)
    assert "县生态环境局" in units and "100.0%" in units
    data = _data(response)
    assert data["categories"] == [{"name": "Resources and environment", "value": 2}]
    assert (data["classes"]["labels"], data["classes"]["values"]) == (["A", "B", "C"], [1, 0, 0])
    assert data["satisfaction"]["series"][0]["data"] == [1, 0, 0]
    assert (data["units"]["names"], data["units"]["percents"]) == (["县生态环境局"], [100.0])
    # Everything is served from here: the vendored library, no external address.
    assert "/static/vendor/echarts/echarts.min.js" in body and "/static/js/statistics.js" in body
    assert not re.search(r'(src|href)="(https?:)?//', body)
    assert f'href="{XLSX_URL}?session={small.session.pk}"' in body


def test_page_by_year(client, small) -> None:
    client.force_login(small.staff)
    year = timezone.localdate().year
    response = client.get(URL, {"year": year})
    assert response.context["stats"].received == 3
    assert response.context["scope"].year == year
    assert f'href="{XLSX_URL}?year={year}"' in response.content.decode()
    assert client.get(URL, {"year": year - 1}).context["stats"].received == 0


def test_page_says_which_convention_is_used(client, small) -> None:
    from xieshang.ruleset.services import ruleset_update

    ruleset_update(actor=None, committee_id=small.committee.pk, year=timezone.localdate().year,
                   values={"statistics.merged_counting": "separate", "statistics.reply_needs_contact": "no"})
    client.force_login(small.staff)
    body = client.get(URL).content.decode()
    assert "Merged proposals are counted apart from filed ones (the Kunming convention)" in body
    assert "a recorded contact is not required" in body


def test_page_with_no_session_and_no_proposals(client, make_user) -> None:
    client.force_login(make_user(Role.PROPOSAL_STAFF))
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "No plenary session yet" in body
    assert "No proposal of this period has been assigned yet." in body
    assert _data(response)["categories"] == []


def test_download_has_the_same_figures(client, small) -> None:
    client.force_login(small.staff)
    response = client.get(XLSX_URL, {"session": small.session.pk})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["总体", "类别", "答复类别", "满意度", "承办单位"]
    overview = {row[0]: row[1:] for row in book["总体"].iter_rows(min_row=2, values_only=True)}
    assert overview["收到提案"][0] == 3
    assert overview["立案率"][:3] == (2, 3, pytest.approx(2 / 3))
    assert overview["满意率"][:3] == (1, 1, 1)
    assert [r[0] for r in book["承办单位"].iter_rows(min_row=2, values_only=True)] == ["县生态环境局"]


def _proposals(cast: Cast, n: int) -> None:
    """n proposals in a mix of states: replied and evaluated, assigned, filed, not filed."""
    for i in range(n):
        kind = i % 4
        if kind == 0:
            p = cast.replied(title=f"提案{i}", cls="AB"[i % 8 // 4])
            services.evaluation_submit(actor=cast.member, reply=p.assignments.get().replies.get(),
                                       result="basically")
        elif kind == 1:
            cast.assigned(title=f"提案{i}")
        elif kind == 2:
            cast.filed(title=f"提案{i}", category="rural")
        else:
            services.proposal_not_file(actor=cast.staff, proposal=cast.submitted(title=f"提案{i}"),
                                       ground="no_suggestion", reason="缺少具体建议", disposition="letter")


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_proposals(client, cast, other_committee) -> None:
    client.force_login(cast.staff)
    _proposals(cast, 3)
    small = (_count(client, URL), _count(client, XLSX_URL))
    _proposals(cast, 27)
    response = client.get(URL)
    assert response.context["stats"].received == 30
    assert len(response.context["stats"].units) == 2
    assert (_count(client, URL), _count(client, XLSX_URL)) == small


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_charts_draw_in_the_browser_from_the_vendored_library(page, live_server, small) -> None:
    """Chromium draws the four charts (the `page` fixture fails on any request outside the server)."""
    e2e.login(page, live_server, small.staff.username)
    page.goto(f"{live_server.url}{URL}")
    for name in ("categories", "classes", "satisfaction", "units"):
        assert page.locator(f'[data-chart="{name}"] svg').count() == 1, name
