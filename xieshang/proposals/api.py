"""The proposals API under /api/v1/proposals/ (list, detail, create, and each transition as an action)."""

from __future__ import annotations

from typing import Any

api_urlpatterns: list[tuple[str, Any, str]] = []
