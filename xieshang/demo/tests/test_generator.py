"""The demo committee: its size and shape, its accounts, idempotence and determinism.

The demo is built once for the module (through ``demo_load``) and committed outside the per-test
transactions; every test only reads it or changes it inside its own rolled-back transaction."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from xieshang.demo.generator import (
    DEFAULT_SEED,
    DEMO_CODE,
    DEMO_PASSWORD,
    NAMED_ACCOUNTS,
    PLATFORM_USERNAME,
    build_demo,
    demo_committee,
    demo_digest,
    demo_reset,
)
from xieshang.ledger.models import Event
from xieshang.organisation.models import (
    ActivityGroup,
    Committee,
    HandlingUnit,
    Leader,
    Member,
    MemberTerm,
    Party,
    PartyContactPair,
    PartyOrganisation,
    PlenarySession,
    Role,
    RoleAssignment,
    Sector,
    SpecialCommittee,
    SpecialCommitteeMembership,
)
from xieshang.organisation.selectors import party_coverage

User = get_user_model()
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Committee]:
    with django_db_blocker.unblock():
        demo_reset(include_platform=True)  # left over from an interrupted run on a reused database
        # The organisation only: the proposals' history has its own module-scoped build in its tests.
        call_command("demo_load", "--no-history", stdout=io.StringIO())
        committee = demo_committee()
    assert committee is not None
    yield committee
    with django_db_blocker.unblock():
        demo_reset(include_platform=True)


def _serving(committee: Committee) -> Any:
    return Member.objects.filter(committee=committee, terms__term__is_current=True,
                                 terms__status=MemberTerm.Status.SERVING)


def _counts() -> dict[str, int]:
    models = (Committee, Member, MemberTerm, HandlingUnit, Leader, User, RoleAssignment, Event, PartyContactPair,
              SpecialCommitteeMembership, PartyOrganisation)
    return {model.__name__: model.objects.count() for model in models}


def test_committee_shape(demo: Committee) -> None:
    assert demo.code == DEMO_CODE
    assert demo.name == demo.short_name == "示范县政协"
    assert 210 <= _serving(demo).count() <= 230
    assert MemberTerm.objects.filter(term__committee=demo, status=MemberTerm.Status.RESIGNED).exists()
    assert Sector.objects.filter(committee=demo).count() == 23
    assert not Sector.objects.filter(committee=demo, convener=None).exists()
    assert SpecialCommittee.objects.filter(committee=demo).count() == 6
    assert 55 <= HandlingUnit.objects.filter(committee=demo).count() <= 70
    assert ActivityGroup.objects.filter(committee=demo, kind=ActivityGroup.Kind.WORK_STATION).exists()


def test_leadership_and_standing_committee(demo: Committee) -> None:
    serving = _serving(demo)
    roles = Member.LeadershipRole
    assert serving.filter(leadership_role=roles.CHAIRMAN).count() == 1
    assert serving.filter(leadership_role=roles.VICE_CHAIRMAN).count() == 4
    assert serving.filter(leadership_role=roles.SECRETARY_GENERAL).count() == 1
    assert 30 <= serving.filter(is_standing=True).count() <= 40
    for sc in SpecialCommittee.objects.filter(committee=demo):
        assert sc.sectors.exists()
        assert sc.memberships.filter(role=SpecialCommitteeMembership.Role.DIRECTOR).count() == 1
        assert sc.memberships.filter(role=SpecialCommitteeMembership.Role.DEPUTY).count() == 2


def test_parties_follow_sectors(demo: Committee) -> None:
    members = Member.objects.filter(committee=demo).select_related("sector")
    expected = {"中共": Party.CPC, "民革": Party.RCCK, "民盟": Party.CDL, "民进": Party.CAPD,
                "无党派人士": Party.NON_PARTY}
    for member in members:
        if member.sector.name in expected:
            assert member.party == expected[member.sector.name], member
        if member.sector.name == "宗教界":
            assert member.party != Party.CPC
    cpc_share = sum(m.is_cpc for m in members) / len(members)
    assert 0.35 <= cpc_share <= 0.45
    assert {m.ethnicity for m in members} >= {"汉族", "回族", "藏族", "东乡族"}


def test_sessions(demo: Committee) -> None:
    sessions = list(PlenarySession.objects.filter(committee=demo).order_by("ordinal"))
    assert [s.name for s in sessions] == ["第一次会议", "第二次会议", "第三次会议", "第四次会议", "第五次会议"]
    assert [s.opens_on.year for s in sessions] == [2022, 2023, 2024, 2025, 2026]
    for s in sessions:
        assert s.proposal_window_start < s.opens_on <= timezone.localtime(s.proposal_deadline).date() <= s.closes_on


def test_records_pass_model_validation(demo: Committee) -> None:
    """Bulk creation skips validation; lengths and choices must still hold (PostgreSQL enforces lengths)."""
    for qs in (Member.objects.filter(committee=demo), HandlingUnit.objects.filter(committee=demo),
               Leader.objects.filter(committee=demo), PlenarySession.objects.filter(committee=demo),
               PartyOrganisation.objects.filter(committee=demo), ActivityGroup.objects.filter(committee=demo),
               SpecialCommittee.objects.filter(committee=demo)):
        for obj in qs:
            obj.full_clean()
    for term in MemberTerm.objects.filter(term__committee=demo):
        term.full_clean(validate_unique=False)


def test_every_unit_has_a_liaison_account(demo: Committee) -> None:
    units = HandlingUnit.objects.filter(committee=demo)
    with_liaison = set(RoleAssignment.objects.filter(committee=demo, role=Role.UNIT_LIAISON)
                       .values_list("handling_unit_id", flat=True))
    assert set(units.values_list("pk", flat=True)) == with_liaison
    assert units.exclude(responsible_leader=None).count() == units.count()
    assert all(u.duties for u in units)


@pytest.mark.parametrize("username", [*NAMED_ACCOUNTS, PLATFORM_USERNAME])
def test_named_accounts_sign_in(demo: Committee, client: Any, username: str) -> None:
    user = User.objects.get(username=username)
    assert user.display_name
    if username == PLATFORM_USERNAME:
        assert user.is_superuser and user.committee_id is None
    else:
        assert user.committee_id == demo.pk and user.phone
    assert client.login(username=username, password=DEMO_PASSWORD)
    assert client.get("/").status_code == 200


def test_roles_of_named_accounts(demo: Committee) -> None:
    def roles(username: str) -> set[str]:
        return set(RoleAssignment.objects.filter(user__username=username).values_list("role", flat=True))

    assert roles("admin") == {Role.COMMITTEE_ADMIN}
    assert roles("director") == {Role.COMMITTEE_DIRECTOR, Role.MEMBER}
    director = RoleAssignment.objects.get(user__username="director", role=Role.MEMBER).member
    assert director.special_committee_memberships.get().special_committee.name == "提案委员会"
    assert director.name == User.objects.get(username="director").display_name
    assert RoleAssignment.objects.get(user__username="unit").handling_unit.name == "县教育局"
    assert RoleAssignment.objects.get(user__username="unitlead").role == Role.UNIT_LEADER
    assert RoleAssignment.objects.get(user__username="supervisor").office.name == "县政府督查室"
    assert RoleAssignment.objects.get(user__username="leader").leader.title == "县长"
    # Twenty member accounts (the proposals history adds more for its proposers; see proposals/tests).
    assert RoleAssignment.objects.filter(user__username__startswith="m0", role=Role.MEMBER).count() == 20
    # Accounts were created through the services, so the ledger has them.
    users = User.objects.filter(committee=demo).count()
    assert Event.objects.filter(committee=demo, verb="accounts.user_created").count() == users
    assert (Event.objects.filter(committee=demo, verb="organisation.role_assigned").count()
            == RoleAssignment.objects.filter(committee=demo).count())


def test_party_coverage_has_small_real_gaps(demo: Committee) -> None:
    coverage = party_coverage(committee_id=demo.pk)
    assert 90 <= coverage.organisation_rate < 100
    assert 90 <= coverage.work_rate <= 100
    assert 1 <= len(coverage.uncovered_cpc) <= 3
    pairs = PartyContactPair.objects.filter(committee=demo)
    per_party_member: dict[int, int] = {}
    for pair in pairs:
        assert pair.party_member.is_cpc and not pair.non_party_member.is_cpc
        per_party_member[pair.party_member_id] = per_party_member.get(pair.party_member_id, 0) + 1
    assert set(per_party_member.values()) <= {1, 2}


def test_second_load_creates_nothing(demo: Committee) -> None:
    before = _counts()
    out = io.StringIO()
    call_command("demo_load", stdout=out)
    assert _counts() == before
    assert "nothing created" in out.getvalue()
    assert "admin" in out.getvalue() and DEMO_PASSWORD in out.getvalue()


def test_build_is_deterministic(demo: Committee) -> None:
    """A second build from the same seed, in another transaction, generates the same committee."""
    first = demo_digest(demo)
    names = list(Member.objects.filter(committee=demo).order_by("id").values_list("name", flat=True))
    assert demo_reset()
    again = build_demo(seed=DEFAULT_SEED, history=[])
    assert list(Member.objects.filter(committee=again).order_by("id").values_list("name", flat=True)) == names
    assert demo_digest(again) == first
    assert demo_reset()
    # Another seed gives other members already; the history (the slow part) is not needed to show it.
    assert demo_digest(build_demo(seed=DEFAULT_SEED + 1, history=[])) != first


def test_reset_rebuilds(demo: Committee) -> None:
    out = io.StringIO()
    call_command("demo_load", "--reset", "--no-history", stdout=out)
    rebuilt = demo_committee()
    assert rebuilt is not None and rebuilt.pk != demo.pk
    assert "created" in out.getvalue()
    units = HandlingUnit.objects.filter(committee=rebuilt).count()
    # The documented accounts (县教育局 has two), a liaison for every other unit, twenty member accounts.
    assert User.objects.filter(committee=rebuilt).count() == len(NAMED_ACCOUNTS) + units - 1 + 20
