from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from xieshang.ledger.models import Event


def event_list_for_user(
    *, user: Any, verb: str = "", actor: int | None = None, target_type: int | None = None,
    target_id: int | None = None, since: dt.date | None = None, until: dt.date | None = None,
) -> QuerySet[Event]:
    if not user.has_perm("ledger.view_event") or user.committee_id is None:
        raise Http404
    qs = Event.objects.filter(committee_id=user.committee_id)
    if verb:
        qs = qs.filter(verb__startswith=verb)
    if actor:
        qs = qs.filter(actor_id=actor)
    if target_type:
        qs = qs.filter(target_type_id=target_type)
    if target_id:
        qs = qs.filter(target_id=target_id)
    if since:
        qs = qs.filter(created_at__date__gte=since)
    if until:
        qs = qs.filter(created_at__date__lte=until)
    return qs.select_related("actor", "target_type").order_by("-created_at", "-id")


def events_for_object(*, committee_id: int, target: Any) -> QuerySet[Event]:
    """The history of one object, oldest first (for its page)."""
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(target, for_concrete_model=False)
    return Event.objects.filter(committee_id=committee_id, target_type=ct, target_id=target.pk).select_related(
        "actor").order_by("created_at", "id")
