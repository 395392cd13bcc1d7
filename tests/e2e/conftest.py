"""Browser tests in Debian's Chromium through Playwright. No browser is downloaded: the executable is
/usr/bin/chromium (override with CHROMIUM). Every request the page makes to a host other than the live
server fails the test, so an asset loaded from a CDN cannot slip in."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest

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


def login(page: Any, live_server: Any, username: str, password: str = "xieshang") -> None:  # noqa: S107
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
