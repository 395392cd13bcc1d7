"""GET /api/v1/search/: the page's results as JSON, and its schema."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from rest_framework.test import APIClient

from xieshang.organisation.tests.factories import UserFactory
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


def get(user: Any, params: str) -> Any:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client.get(f"/api/v1/search/{params}")


def test_results_with_their_counts(cast: Cast) -> None:
    response = get(cast.staff, "?q=公交站台")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2 and data["next"] is None and data["previous"] is None
    assert data["counts"] == {"proposal": 1, "reply": 1}
    assert data["partial"] is False and data["exact"] == 2 and data["similar"] == []
    proposal = cast.unit.assignments.get(proposal__title="关于增设公交站台的建议").proposal
    first = next(r for r in data["results"] if r["kind"] == "proposal")
    assert first == {
        "kind": "proposal", "kind_label": "Proposal", "object_id": proposal.pk, "title": "关于增设公交站台的建议",
        "title_html": "关于增设<mark>公交站台</mark>的建议", "snippet_html": first["snippet_html"],
        "url": f"/proposals/{proposal.pk}/", "facts": [proposal.reference, "Replied", cast.unit.name],
        "score": first["score"], "status": "replied", "session": proposal.session_id, "category": "environment",
        "year": proposal.session.opens_on.year, "tier": "every",
    }
    # The reply shows the same title over a shorter text: it ranks first.
    assert [r["kind"] for r in data["results"]] == ["reply", "proposal"]


def test_the_same_filters_as_the_page(cast: Cast) -> None:
    data = get(cast.staff, f"?q=建议&type=proposal&unit={cast.co_unit.pk}").json()
    assert [r["title"] for r in data["results"]] == ["关于整治违规停车的建议"]
    assert data["counts"] == {"proposal": 1}  # the unit filter applies to every kind
    data = get(cast.staff, "?q=建议&status=sent").json()
    assert [r["kind"] for r in data["results"]] == ["reply"]
    data = get(cast.staff, "?q=建议&page_size=1&page=2").json()
    assert data["count"] == 3 and len(data["results"]) == 1 and data["previous"] and data["next"]


def test_visibility_is_the_pages(cast: Cast) -> None:
    assert get(cast.other_liaison, "?q=建议").json()["count"] == 0
    assert get(cast.outsider, "?q=停车").json()["count"] == 1  # filed: every member reads it


def test_refusals(cast: Cast, committee) -> None:
    assert get(cast.staff, "").status_code == 400
    assert get(cast.staff, "?q=建议&year=abc").status_code == 400
    assert get(cast.staff, "?q=建议&page=9").status_code == 404
    nobody = UserFactory(committee=committee)
    assert get(nobody, "?q=建议").status_code == 404
    assert APIClient().get("/api/v1/search/?q=建议").status_code in (401, 403)


def test_the_schema_documents_the_endpoint(tmp_path: Any) -> None:
    GENERATOR_STATS.reset()
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    operation = yaml.safe_load(target.read_text())["paths"]["/api/v1/search/"]["get"]
    assert operation["operationId"] == "search"
    assert {p["name"] for p in operation["parameters"]} == {
        "q", "type", "session", "status", "unit", "category", "year", "page", "page_size"}
    assert set(operation["responses"]) == {"200", "400", "404"}
