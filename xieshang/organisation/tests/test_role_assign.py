import pytest

from xieshang.core.errors import DomainError
from xieshang.ledger.models import Event
from xieshang.organisation.models import Office, Role, RoleAssignment
from xieshang.organisation.services import account_create, role_assign, role_revoke
from xieshang.organisation.tests.factories import MemberFactory, SpecialCommitteeFactory, UnitFactory, UserFactory


def test_one_person_holds_several_roles(committee) -> None:
    member = MemberFactory(committee=committee)
    sc = SpecialCommitteeFactory(committee=committee)
    user = account_create(actor=None, committee=committee, username="zhang", display_name="张三", password="x-1234567",
                          role=Role.MEMBER, scope=member)
    role_assign(actor=None, user=user, committee=committee, role=Role.COMMITTEE_DIRECTOR, scope=sc)
    user.refresh_from_db()
    assert user.role_codes == {Role.MEMBER, Role.COMMITTEE_DIRECTOR}
    assert user.member == member
    assert Event.objects.filter(verb="organisation.role_assigned", target_id=user.pk).count() == 2


def test_a_role_needs_its_scope(committee) -> None:
    user = UserFactory(committee=committee)
    user.save()
    with pytest.raises(DomainError):
        role_assign(actor=None, user=user, committee=committee, role=Role.UNIT_LIAISON, scope=None)
    with pytest.raises(DomainError):
        role_assign(actor=None, user=user, committee=committee, role=Role.OFFICE_STAFF,
                    scope=UnitFactory(committee=committee))
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_supervisor_must_belong_to_a_supervision_office(committee) -> None:
    user = UserFactory(committee=committee)
    user.save()
    general = Office.objects.get(committee=committee, kind=Office.Kind.GENERAL_OFFICE)
    with pytest.raises(DomainError, match="supervision office"):
        role_assign(actor=None, user=user, committee=committee, role=Role.SUPERVISOR, scope=general)


def test_scope_of_another_committee_is_refused(committee, other_committee) -> None:
    user = UserFactory(committee=committee)
    user.save()
    with pytest.raises(DomainError, match="another committee"):
        role_assign(actor=None, user=user, committee=committee, role=Role.UNIT_LIAISON,
                    scope=UnitFactory(committee=other_committee))
    with pytest.raises(DomainError, match="another committee"):
        role_assign(actor=None, user=user, committee=other_committee, role=Role.OFFICE_STAFF)


def test_a_member_has_one_account_and_duplicates_are_refused(committee) -> None:
    member = MemberFactory(committee=committee)
    first = UserFactory(committee=committee)
    first.save()
    second = UserFactory(committee=committee)
    second.save()
    role_assign(actor=None, user=first, committee=committee, role=Role.MEMBER, scope=member)
    with pytest.raises(DomainError):
        role_assign(actor=None, user=second, committee=committee, role=Role.MEMBER, scope=member)
    with pytest.raises(DomainError):
        role_assign(actor=None, user=first, committee=committee, role=Role.MEMBER, scope=member)
    assert RoleAssignment.objects.filter(member=member).count() == 1


def test_revoke_writes_an_event(committee) -> None:
    user = UserFactory(committee=committee)
    user.save()
    a = role_assign(actor=None, user=user, committee=committee, role=Role.INFO_STAFF)
    role_revoke(actor=None, assignment=a)
    assert not RoleAssignment.objects.filter(user=user).exists()
    assert Event.objects.filter(verb="organisation.role_revoked", from_state=Role.INFO_STAFF).count() == 1


def test_taken_username_is_refused(committee) -> None:
    account_create(actor=None, committee=committee, username="li", display_name="李", password="x-1234567",
                   role=Role.OFFICE_STAFF)
    with pytest.raises(DomainError, match="taken"):
        account_create(actor=None, committee=committee, username="li", display_name="李", password="x-1234567",
                       role=Role.OFFICE_STAFF)
