"""Building a committee's in-memory text indexes before anyone waits for them.

The similarity engine (drafting panel, search's third tier, duplicates at review) and the unit suggester
(assignment board) keep an index per committee in each process, built on first use: 3–5 s for a committee of
3,000 proposals (docs/text-quality.md). This middleware starts that build in a background thread after the
first signed-in request of a committee's user in this process, so that the member who opens a new proposal or
the office that opens the review queue a moment later finds it ready. Off in tests
(``XIESHANG_WARM_TEXT_INDEXES``)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_claimed: set[int] = set()


def warm(committee_id: int) -> None:
    """Build (or bring up to date) the committee's similarity index and unit model in this process."""
    from xieshang.search import similarity, units

    try:
        similarity.committee_index(committee_id)
        units.warm(committee_id)
    except Exception:  # warming is a courtesy: the first real request builds what this could not
        logger.exception("warming the text indexes of committee %s failed", committee_id)


def claim(committee_id: int) -> bool:
    """True the first time a committee is asked for in this process."""
    with _lock:
        if committee_id in _claimed:
            return False
        _claimed.add(committee_id)
        return True


def forget() -> None:
    """For tests."""
    with _lock:
        _claimed.clear()


def _warm_and_close(committee_id: int) -> None:
    try:
        warm(committee_id)
    finally:
        connections.close_all()  # this thread's own connections, which end with it


def _in_background(committee_id: int) -> None:
    threading.Thread(target=_warm_and_close, args=(committee_id,), name=f"warm:{committee_id}", daemon=True).start()


class WarmTextIndexesMiddleware:
    start: Callable[[int], None] = staticmethod(_in_background)

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.enabled = bool(getattr(settings, "XIESHANG_WARM_TEXT_INDEXES", False))

    def __call__(self, request: HttpRequest) -> Any:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        committee_id = getattr(user, "committee_id", None) if user is not None and user.is_authenticated else None
        if self.enabled and committee_id is not None and claim(committee_id):
            self.start(committee_id)
        return response
