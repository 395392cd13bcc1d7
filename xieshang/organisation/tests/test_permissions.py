"""The role × action matrix of the foundation, as in docs/permissions.md. Each denial also checks that
nothing changed."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from xieshang.ledger.models import Event
from xieshang.organisation.models import Committee, Role
from xieshang.ruleset.models import CalendarDay, RuleSet

R = Role
ALL_ROLES = list(Role.values)

# action -> roles allowed. Mirrors the table in docs/permissions.md.
MATRIX: dict[str, set[str]] = {
    "view_directory": set(ALL_ROLES),
    "view_member_contact": {R.COMMITTEE_ADMIN, R.OFFICE_STAFF, R.PROPOSAL_STAFF, R.INFO_STAFF},
    "view_party_coverage": {R.COMMITTEE_ADMIN, R.OFFICE_STAFF, R.LEADER},
    "import_directory": {R.COMMITTEE_ADMIN, R.OFFICE_STAFF},
    "use_back_office": {R.COMMITTEE_ADMIN, R.OFFICE_STAFF},
    "view_rules": {R.COMMITTEE_ADMIN, R.OFFICE_STAFF, R.PROPOSAL_STAFF, R.INFO_STAFF},
    "change_rules": {R.COMMITTEE_ADMIN},
    "declare_calendar_days": {R.COMMITTEE_ADMIN},
    "view_audit": {R.COMMITTEE_ADMIN},
    "create_committee": set(),  # platform administrators only
}


def _state(committee: Committee) -> tuple[Any, ...]:
    """Everything the denied actions could have changed."""
    return (
        list(RuleSet.objects.filter(committee=committee).values_list("year", "values")),
        CalendarDay.objects.filter(committee=committee).count(),
        Committee.objects.count(),
        Event.objects.count(),
    )


def _done(response: Any) -> bool:
    """A POST that succeeded redirects back to its page, never to the login page."""
    return response.status_code == 302 and not response["Location"].startswith(reverse("login"))


def _attempt(client: Any, action: str, committee: Committee, member_id: int) -> tuple[int, bool]:
    """Perform the action as the logged-in user; returns (status, allowed)."""
    if action == "view_directory":
        r = client.get(reverse("organisation:member_list"))
        return r.status_code, r.status_code == 200
    if action == "view_member_contact":
        r = client.get(reverse("organisation:member_detail", args=[member_id]))
        return r.status_code, r.status_code == 200 and b'data-testid="member-phone"' in r.content
    if action == "view_party_coverage":
        r = client.get(reverse("organisation:party_coverage"))
        return r.status_code, r.status_code == 200
    if action == "import_directory":
        r = client.get(reverse("imports:start"))
        return r.status_code, r.status_code == 200
    if action == "use_back_office":
        r = client.get(reverse("admin:organisation_member_changelist"))
        return r.status_code, r.status_code == 200
    if action == "view_rules":
        r = client.get(reverse("ruleset:rules"))
        return r.status_code, r.status_code == 200
    if action == "change_rules":
        r = client.post(reverse("ruleset:rules"), {"year": "2026", "proposal.reply_months": "2"})
        return r.status_code, _done(r)
    if action == "declare_calendar_days":
        r = client.post(reverse("ruleset:calendar"), {"year": "2026", "lines": "2026-12-31 休 local"})
        return r.status_code, _done(r)
    if action == "view_audit":
        r = client.get(reverse("ledger:audit"))
        return r.status_code, r.status_code == 200
    if action == "create_committee":
        r = client.post(reverse("organisation:committee_create"), {"code": "newc", "name": "新县政协",
                                                                   "level": "county"})
        return r.status_code, _done(r)
    raise AssertionError(action)


@pytest.mark.parametrize("action", list(MATRIX))
@pytest.mark.parametrize("role", ALL_ROLES)
def test_role_action_matrix(client, committee, make_user, role, action) -> None:
    from xieshang.organisation.tests.factories import MemberFactory

    other_member = MemberFactory(committee=committee)
    user = make_user(role)
    client.force_login(user)
    before = _state(committee)
    status, allowed = _attempt(client, action, committee, other_member.pk)
    expected = role in MATRIX[action]
    assert allowed is expected, f"{role} {action}: status {status}"
    if not expected:
        assert status in (200, 302, 403, 404)
        if action not in ("view_directory", "view_member_contact"):
            assert status in (302, 403, 404) or action == "view_member_contact"
        assert _state(committee) == before


def test_anonymous_is_sent_to_login_and_changes_nothing(client, committee) -> None:
    before = _state(committee)
    for action in MATRIX:
        status, allowed = _attempt(client, action, committee, 1)
        assert allowed is False, action
    assert _state(committee) == before


def test_platform_admin_creates_committees(client, db) -> None:
    from xieshang.organisation.tests.factories import UserFactory

    root = UserFactory(is_superuser=True, is_staff=True)
    root.save()
    client.force_login(root)
    status, allowed = _attempt(client, "create_committee", None, 1)  # type: ignore[arg-type]
    assert allowed is True
    assert Committee.objects.get(code="newc").name == "新县政协"


def test_member_sees_own_contact_details(client, committee, make_user) -> None:
    from xieshang.organisation.tests.factories import MemberFactory

    me = MemberFactory(committee=committee, phone="13912345678")
    user = make_user(Role.MEMBER, scope=me)
    client.force_login(user)
    r = client.get(reverse("organisation:member_detail", args=[me.pk]))
    assert "13912345678" in r.content.decode()


def test_user_without_role_sees_nothing(client, committee) -> None:
    from xieshang.organisation.tests.factories import MemberFactory, UserFactory

    m = MemberFactory(committee=committee)
    u = UserFactory(committee=committee)
    u.save()
    client.force_login(u)
    assert client.get(reverse("organisation:member_list")).status_code == 404
    assert client.get(reverse("organisation:member_detail", args=[m.pk])).status_code == 404
