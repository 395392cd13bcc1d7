"""Periodic jobs without a broker. In production Celery beat runs them; on a laptop (no CELERY_BROKER_URL)
this middleware starts each due job in a background thread after a request, at most once per interval per
process, so that the demo's deadlines bite without cron."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_last_run: dict[str, float] = {}


def _run(path: str) -> None:
    try:
        job = import_string(path)
        (job.run if hasattr(job, "run") else job)()
    except Exception:  # a failing job must never take the web process down
        logger.exception("periodic job %s failed", path)
    finally:
        # The job ran in its own thread: close that thread's connections, which would otherwise stay open
        # on the server until garbage collection (CONN_MAX_AGE keeps them past the job).
        connections.close_all()


def due_jobs(now: float) -> list[str]:
    interval = settings.XIESHANG_INPROCESS_JOB_INTERVAL
    with _lock:
        due = [p for p in settings.XIESHANG_PERIODIC_JOBS if now - _last_run.get(p, 0.0) >= interval]
        for p in due:
            _last_run[p] = now
    return due


class InProcessJobsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.enabled = bool(settings.XIESHANG_INPROCESS_JOBS)

    def __call__(self, request: HttpRequest) -> Any:
        response = self.get_response(request)
        if self.enabled:
            for path in due_jobs(time.monotonic()):
                threading.Thread(target=_run, args=(path,), name=f"job:{path}", daemon=True).start()
        return response
