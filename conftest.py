"""Fixtures shared by every app's tests: two committees, so that isolation is always at hand."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from xieshang.organisation.models import Committee, Role
from xieshang.organisation.tests.factories import CommitteeFactory, TermFactory, user_with_role


@pytest.fixture(autouse=True)
def _english_messages() -> Any:
    """Services' messages read in English in tests (the msgids); pages still follow each request's
    language, Chinese by default (see tests/test_i18n.py)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def client() -> Any:
    """A test client that reads pages in English, so assertions can use the msgids. Chinese, the default,
    is checked in tests/test_i18n.py with a plain client."""
    from django.test import Client

    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def committee(db: Any) -> Committee:
    c = CommitteeFactory(code="alpha", name="甲县政协")
    TermFactory(committee=c)
    return c


@pytest.fixture
def other_committee(db: Any) -> Committee:
    c = CommitteeFactory(code="beta", name="乙县政协")
    TermFactory(committee=c)
    return c


@pytest.fixture
def make_user(committee: Committee) -> Callable[..., Any]:
    def make(role: str = Role.MEMBER, *, committee: Committee = committee, scope: Any = None, **kw: Any) -> Any:
        return user_with_role(committee, role, scope, **kw)

    return make


@pytest.fixture
def admin_user(make_user: Callable[..., Any]) -> Any:
    return make_user(Role.COMMITTEE_ADMIN)
