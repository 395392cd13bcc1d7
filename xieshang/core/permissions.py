"""Predicates shared by every app's named rules (django-rules). Each app's permissions.py composes
them into ``<app>.<verb>_<noun>`` rules; docs/permissions.md is the same table in prose."""

from __future__ import annotations

from typing import Any

import rules


@rules.predicate
def is_platform_admin(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


@rules.predicate
def in_committee(user: Any) -> bool:
    """Signed in with at least one role in a committee."""
    return bool(user.is_authenticated and user.committee_id and user.role_codes)


def has_role(*codes: str) -> rules.Predicate:
    """Holds one of these roles in the user's own committee."""

    def check(user: Any) -> bool:
        return bool(user.is_authenticated and user.committee_id and user.has_role(*codes))

    return rules.predicate(check, name=f"has_role({','.join(codes)})")


@rules.predicate
def same_committee(user: Any, obj: Any) -> bool:
    """The object belongs to the user's committee (None: a check without an object)."""
    if obj is None:
        return True
    return bool(user.is_authenticated and user.committee_id and obj.committee_id == user.committee_id)
