from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from xieshang.core.todo import TodoItem
from xieshang.notifications.selectors import unread_count


def unread_notifications(user: Any) -> list[TodoItem]:
    count = unread_count(user=user)
    if not count:
        return []
    return [TodoItem(title=ngettext("%(count)d unread notification", "%(count)d unread notifications", count)
                     % {"count": count},
                     url=reverse("notifications:inbox"), category=_("Notifications"))]
