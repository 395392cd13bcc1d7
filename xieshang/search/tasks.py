"""Indexing after commit (Celery when a broker is configured, in-process otherwise)."""

from __future__ import annotations

from celery import shared_task


@shared_task(ignore_result=True)
def index_documents(pairs: list[list]) -> None:
    """Rebuild the documents of these [kind, object id] pairs from the committed rows."""
    from xieshang.search.indexing import index_objects

    index_objects((kind, object_id) for kind, object_id in pairs)
