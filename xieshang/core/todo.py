"""The home page "我的待办": what awaits this user, with due dates. Each app contributes a provider
function ``(user) -> list[TodoItem]`` listed in settings.XIESHANG_TODO_PROVIDERS."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class TodoItem:
    title: str
    url: str
    category: str  # shown as a badge, e.g. "提案", "通知", "设置"
    due: dt.date | None = None
    detail: str = ""

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()

    @property
    def due_soon(self) -> bool:
        return self.due is not None and not self.overdue and (self.due - timezone.localdate()).days <= 3


def todo_for(user: Any) -> list[TodoItem]:
    items: list[TodoItem] = []
    for path in settings.XIESHANG_TODO_PROVIDERS:
        items.extend(import_string(path)(user))
    # Overdue first, then by due date; undated items last.
    return sorted(items, key=lambda i: (i.due is None, i.due or dt.date.max, i.title))
