from __future__ import annotations

from typing import Any

from django.db import transaction
from rest_framework.authtoken.models import Token

from xieshang.ledger.services import event_record


def api_token_rotate(*, user: Any) -> str:
    """Issue a fresh API token, revoking the previous one. The key is shown once."""
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        token = Token.objects.create(user=user)
        event_record(committee_id=user.committee_id, actor=user, verb="accounts.api_token_issued", target=user)
    return token.key


def user_save(*, actor: Any, user: Any, changed: list[str]) -> None:
    """Save an account edited in the back office, with its event."""
    with transaction.atomic():
        creating = user._state.adding
        user.save()
        event_record(committee_id=user.committee_id, actor=actor,
                     verb=f"accounts.user_{'created' if creating else 'changed'}", target=user,
                     data={"fields": sorted(f for f in changed if f != "password")})
