"""Fixtures shared by every app's tests: two committees, so that isolation is always at hand."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlparse

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


# Browser tests (marked e2e) in Debian's Chromium through Playwright; no browser is ever downloaded. The
# fixtures live here, once, so any app's tests may use them; tests/e2e/conftest.py has the login helper.
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body are
    # still synchronous, so the async-safety guard is lifted for browser tests only.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium (see .ci/run)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(10000)
    server_host = urlparse(live_server.url).netloc
    foreign: list[str] = []

    def check(request: Any) -> None:
        host = urlparse(request.url).netloc
        if request.url.startswith(("data:", "blob:", "about:")) or host == server_host:
            return
        foreign.append(request.url)

    pg.on("request", check)
    yield pg
    context.close()
    assert not foreign, f"the page reached outside the server: {foreign}"
