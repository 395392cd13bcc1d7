from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the page frame needs: the unread count for the header badge and the user's roles."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from xieshang.notifications.selectors import unread_count

    return {
        "unread_notifications": unread_count(user=user),
        "user_roles": user.role_assignments,
    }
