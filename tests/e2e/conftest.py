"""Browser tests in Debian's Chromium. The `browser` and `page` fixtures are in the root conftest.py (one
Playwright instance per session, whichever app's tests use it); this module has the login helper."""

from __future__ import annotations

from typing import Any


def login(page: Any, live_server: Any, username: str, password: str = "xieshang") -> None:  # noqa: S107
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
