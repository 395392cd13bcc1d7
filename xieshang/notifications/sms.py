"""SMS delivery behind one small interface. A real gateway implements ``SmsBackend.send`` and is named
in the SMS_BACKEND setting; the default only writes to the log, so nothing leaves the machine."""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("xieshang.sms")


class SmsError(Exception):
    """The gateway refused or failed; the message is kept for the delivery record."""


class SmsBackend(Protocol):
    def send(self, *, phone: str, text: str) -> None:
        """Deliver one text message or raise SmsError."""


class LoggingSmsBackend:
    def send(self, *, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


class MemorySmsBackend:
    """Keeps messages in ``outbox``; for tests."""

    outbox: list[tuple[str, str]] = []

    def send(self, *, phone: str, text: str) -> None:
        MemorySmsBackend.outbox.append((phone, text))


def get_backend() -> SmsBackend:
    return import_string(settings.XIESHANG_SMS_BACKEND)()
