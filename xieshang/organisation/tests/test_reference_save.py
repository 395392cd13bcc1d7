import datetime as dt

import pytest
from django.utils import timezone

from xieshang.core.errors import DomainError
from xieshang.ledger.models import Event
from xieshang.organisation.models import PlenarySession, Sector, Term
from xieshang.organisation.services import reference_delete, reference_save
from xieshang.organisation.tests.factories import MemberFactory


def test_save_writes_an_event_and_validates(committee, admin_user) -> None:
    sector = Sector(name="社会福利和社会保障界", code="24", category=Sector.Category.SOCIAL, order=24)
    reference_save(actor=admin_user, instance=sector, committee_id=committee.pk)
    assert Event.objects.filter(verb="organisation.sector_created", target_id=sector.pk, actor=admin_user).exists()
    duplicate = Sector(name="社会福利和社会保障界", code="25", category=Sector.Category.SOCIAL)
    with pytest.raises(DomainError):
        reference_save(actor=admin_user, instance=duplicate, committee_id=committee.pk)
    assert Sector.objects.filter(committee=committee, name="社会福利和社会保障界").count() == 1


def test_session_window_must_precede_opening(committee, admin_user) -> None:
    term = Term.objects.get(committee=committee)
    bad = PlenarySession(term=term, ordinal=1, name="第一次会议", opens_on=dt.date(2026, 1, 10),
                         closes_on=dt.date(2026, 1, 12), proposal_window_start=dt.date(2026, 2, 1),
                         proposal_deadline=timezone.now())
    with pytest.raises(DomainError):
        reference_save(actor=admin_user, instance=bad, committee_id=committee.pk)
    assert not PlenarySession.objects.exists()


def test_another_committees_row_is_refused(committee, other_committee, admin_user) -> None:
    member = MemberFactory(committee=other_committee)
    member.name = "改名"
    with pytest.raises(DomainError, match="another committee"):
        reference_save(actor=admin_user, instance=member, committee_id=committee.pk)
    member.refresh_from_db()
    assert member.name != "改名"


def test_delete_in_use_is_refused_and_keeps_the_row(committee, admin_user) -> None:
    member = MemberFactory(committee=committee)
    with pytest.raises(DomainError, match="in use"):
        reference_delete(actor=admin_user, instance=member.sector, committee_id=committee.pk)
    assert Sector.objects.filter(pk=member.sector_id).exists()
    assert not Event.objects.filter(verb="organisation.sector_deleted").exists()
