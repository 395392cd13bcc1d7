from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from xieshang.proposals.services import proposals_tick


@shared_task(ignore_result=True)
def proposals_tick_task() -> None:
    """Celery beat runs this every morning (config.settings.base.CELERY_BEAT_SCHEDULE)."""
    proposals_tick(on=timezone.localdate())
