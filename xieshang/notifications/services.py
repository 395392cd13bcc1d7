"""Notifying people. ``notify`` is the one call every app makes: it writes the in-app copies in the
caller's transaction and hands e-mail and SMS to a task that runs after commit (Celery when a broker is
configured, in-process otherwise), so a rolled-back change never sends anything."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.errors import DomainError
from xieshang.ledger.services import event_record
from xieshang.notifications.models import Notification


def notify(
    *,
    committee_id: int,
    recipients: Iterable[Any],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
) -> list[Notification]:
    seen: set[int] = set()
    rows = []
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(Notification(committee_id=committee_id, recipient=user, kind=kind, title=title[:200],
                                 body=body, url=url))
    if not rows:
        return []
    with transaction.atomic():
        created = Notification.objects.bulk_create(rows)
        _queue_delivery([n.pk for n in created])
    return created


_pending = threading.local()


def _queue_delivery(ids: list[int]) -> None:
    """Collect the ids of one transaction and hand them to a single delivery task when it commits: a
    service that notifies five groups of people starts one task, not five."""
    connection = transaction.get_connection()
    # A rolled-back transaction drops its callbacks: only a flush still registered has a live batch.
    registered = any(callback is _flush_delivery for _sids, callback, _robust in connection.run_on_commit)
    if not registered or getattr(_pending, "ids", None) is None:  # (tests may run callbacks by hand)
        _pending.ids = []
        transaction.on_commit(_flush_delivery)
    _pending.ids.extend(ids)


def _flush_delivery() -> None:
    ids, _pending.ids = getattr(_pending, "ids", None) or [], None
    if ids:
        from xieshang.notifications.tasks import deliver_notifications

        deliver_notifications.delay(ids)


def notification_mark_read(*, user: Any, notification_id: int | None = None) -> int:
    """Mark one notification, or all of the user's unread ones, as read. Returns how many changed."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        if not Notification.objects.filter(recipient=user, pk=notification_id).exists():
            raise DomainError("notification not found", code="not_found")
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())


def preferences_update(*, user: Any, email: bool, sms: bool) -> None:
    if sms and not user.phone:
        raise DomainError(_("Enter a mobile phone number before choosing SMS."))
    with transaction.atomic():
        user.notify_by_email = email
        user.notify_by_sms = sms
        user.save(update_fields=["notify_by_email", "notify_by_sms"])
        event_record(committee_id=user.committee_id, actor=user, verb="notifications.preferences_changed",
                     target=user, data={"email": email, "sms": sms})

