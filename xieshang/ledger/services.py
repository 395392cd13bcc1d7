"""Writing to the ledger. Every service of every app calls ``event_record`` inside its own transaction,
so the change and its event row commit or roll back together."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from xieshang.ledger.models import Event


class EventOutsideTransaction(RuntimeError):
    """An event must be written in the same transaction as the change it records."""


def event_record(
    *,
    committee_id: int | None,
    actor: Any | None,
    verb: str,
    target: models.Model,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
) -> Event:
    if not transaction.get_connection().in_atomic_block:
        raise EventOutsideTransaction(f"{verb}: call event_record inside the service's transaction.atomic")
    return Event.objects.create(
        committee_id=committee_id,
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=target.pk,
        target_repr=str(target)[:200],
        from_state=from_state,
        to_state=to_state,
        note=note,
        data=data or {},
    )
