"""Delivering notifications by e-mail and SMS, after the change that caused them has committed."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.mail import send_mail
from django.utils import timezone

from xieshang.notifications.models import Notification
from xieshang.notifications.sms import SmsError, get_backend

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def deliver_notifications(ids: list[int]) -> None:
    sms = get_backend()
    for n in Notification.objects.filter(pk__in=ids).select_related("recipient"):
        user, errors, fields = n.recipient, [], []
        if user.notify_by_email and user.email and n.emailed_at is None:
            try:
                send_mail(n.title, f"{n.body}\n\n{n.url}".strip(), None, [user.email])
                n.emailed_at = timezone.now()
                fields.append("emailed_at")
            except OSError as exc:  # SMTP failures are OSError subclasses
                errors.append(f"email: {exc}")
        if user.notify_by_sms and user.phone and n.sms_sent_at is None:
            try:
                sms.send(phone=user.phone, text=f"【协商】{n.title}")
                n.sms_sent_at = timezone.now()
                fields.append("sms_sent_at")
            except SmsError as exc:
                errors.append(f"sms: {exc}")
        if errors:
            n.delivery_error = "; ".join(errors)[:300]
            fields.append("delivery_error")
            logger.warning("notification %s: %s", n.pk, n.delivery_error)
        if fields:
            n.save(update_fields=fields)
