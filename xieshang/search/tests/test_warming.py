"""The committee's text indexes are built after its first request in a process, not on the page that needs
them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import RequestFactory, override_settings

from xieshang.organisation.models import Role
from xieshang.organisation.tests.factories import user_with_role
from xieshang.proposals.tests.factories import Cast
from xieshang.search import similarity, units, warming


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    warming.forget()
    similarity.reset()
    units.reset()
    yield
    warming.forget()
    similarity.reset()
    units.reset()


def request_by(user: Any) -> Any:
    request = RequestFactory().get("/")
    request.user = user
    return request


@override_settings(XIESHANG_WARM_TEXT_INDEXES=True)
def test_the_first_request_of_a_committee_warms_its_indexes(committee, monkeypatch) -> None:
    Cast(committee).filed(title="关于加快农村生活污水治理的建议")
    started: list[int] = []
    monkeypatch.setattr(warming.WarmTextIndexesMiddleware, "start", staticmethod(
        lambda cid: (started.append(cid), warming.warm(cid))))
    middleware = warming.WarmTextIndexesMiddleware(lambda request: "page")
    member = user_with_role(committee, Role.MEMBER)
    assert middleware(request_by(member)) == "page"
    assert started == [committee.pk]
    assert committee.pk in similarity._indexes and similarity._indexes[committee.pk].size == 1
    assert committee.pk in units._models
    middleware(request_by(user_with_role(committee, Role.PROPOSAL_STAFF)))  # once per committee and process
    assert started == [committee.pk]


@override_settings(XIESHANG_WARM_TEXT_INDEXES=True)
def test_nobody_signed_in_warms_nothing(db, monkeypatch) -> None:
    from django.contrib.auth.models import AnonymousUser

    started: list[int] = []
    monkeypatch.setattr(warming.WarmTextIndexesMiddleware, "start", staticmethod(started.append))
    warming.WarmTextIndexesMiddleware(lambda request: "page")(request_by(AnonymousUser()))
    assert started == []


def test_off_unless_configured(committee, monkeypatch) -> None:
    started: list[int] = []
    monkeypatch.setattr(warming.WarmTextIndexesMiddleware, "start", staticmethod(started.append))
    warming.WarmTextIndexesMiddleware(lambda request: "page")(request_by(user_with_role(committee, Role.MEMBER)))
    assert started == []


def test_a_failure_is_logged_and_goes_no_further(committee, monkeypatch, caplog) -> None:
    def broken(committee_id: int) -> None:
        raise RuntimeError("no index today")

    monkeypatch.setattr(similarity, "committee_index", broken)
    warming.warm(committee.pk)
    assert "warming the text indexes of committee" in caplog.text


def test_the_build_runs_in_a_daemon_thread_that_closes_its_connections(monkeypatch) -> None:
    threads: list[dict[str, Any]] = []
    calls: list[str] = []

    class FakeThread:
        def __init__(self, **kwargs: Any) -> None:
            threads.append(kwargs)

        def start(self) -> None:
            calls.append("start")

    monkeypatch.setattr(warming.threading, "Thread", FakeThread)
    warming.WarmTextIndexesMiddleware.start(42)
    assert calls == ["start"] and threads[0]["daemon"] is True and threads[0]["args"] == (42,)
    monkeypatch.setattr(warming, "warm", lambda cid: calls.append(f"warm {cid}"))
    monkeypatch.setattr(warming.connections, "close_all", lambda: calls.append("closed"))
    threads[0]["target"](42)
    assert calls == ["start", "warm 42", "closed"]
