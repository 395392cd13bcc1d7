import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from xieshang.core.errors import ConcurrentChange, DomainError
from xieshang.notifications.models import Notification
from xieshang.proposals import services
from xieshang.proposals.models import Assignment, Extension
from xieshang.ruleset.workdays import WorkCalendar, add_months


def _at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=timezone.get_current_timezone()))


def test_lead_and_cohandler_get_assignments_with_dates_from_the_rules(cast) -> None:
    p = cast.assigned()
    lead, co = cast.lead_assignment(p), cast.co_assignment(p)
    today = timezone.localdate()
    cal = WorkCalendar.for_committee(cast.committee.pk)
    assert (p.status, lead.role, co.role) == ("handling", "lead", "co")
    assert lead.objection_due == cal.add_working_days(today, 5)
    assert lead.first_contact_due == cal.add_working_days(today, 15)
    assert lead.reply_due == cal.next_workday(add_months(today, 3))
    assert lead.hard_due >= add_months(today, 6)
    assert co.opinion_due == cal.next_workday(add_months(today, 1)) and co.first_contact_due is None
    assert Notification.objects.filter(recipient=cast.liaison, kind="proposals.assigned").exists()
    assert Notification.objects.filter(recipient=cast.co_leader, kind="proposals.assigned").exists()


def test_separate_handling_gives_each_unit_its_own_assignment(cast) -> None:
    p = cast.filed()
    created = services.proposal_assign(actor=cast.staff, proposal=p, separate=[cast.unit, cast.other_unit])
    assert sorted(a.role for a in created) == ["separate", "separate"]


@pytest.mark.parametrize("kwargs", [{}, {"lead": "unit", "separate": ["other_unit"]},
                                    {"lead": "unit", "cohandlers": ["unit"]}])
def test_bad_assignments_are_refused(cast, kwargs) -> None:
    p = cast.filed()
    resolved = {k: ([getattr(cast, u) for u in v] if isinstance(v, list) else getattr(cast, v))
                for k, v in kwargs.items()}
    with pytest.raises(DomainError):
        services.proposal_assign(actor=cast.staff, proposal=p, **resolved)
    assert not Assignment.objects.exists()


def test_second_assignment_of_the_same_proposal_is_refused(cast) -> None:
    p = cast.assigned()
    with pytest.raises(ConcurrentChange):
        services.proposal_assign(actor=cast.staff, proposal=p, lead=cast.other_unit)
    assert Assignment.objects.filter(proposal=p).count() == 2


def test_unit_of_another_committee_is_refused(cast, other_committee) -> None:
    from xieshang.organisation.tests.factories import UnitFactory

    with pytest.raises(DomainError):
        services.proposal_assign(actor=cast.staff, proposal=cast.filed(), lead=UnitFactory(committee=other_committee))
    assert not Assignment.objects.exists()


def test_unit_objects_within_the_window_and_the_office_reassigns(cast) -> None:
    p = cast.assigned(cohandlers=False)
    lead = cast.lead_assignment(p)
    with pytest.raises(DomainError):
        services.assignment_object(actor=cast.other_liaison, assignment=lead, reason="不是我们的")
    services.assignment_object(actor=cast.liaison, assignment=lead, reason="属于农业农村局职责")
    new = services.assignment_decide_objection(actor=cast.staff, assignment=lead, uphold=False,
                                               new_unit=cast.other_unit, note="改由农业农村局办理")
    lead.refresh_from_db()
    assert lead.status == "cancelled" and new.unit == cast.other_unit and new.status == "assigned"


def test_office_upholds_an_objection(cast) -> None:
    lead = cast.lead_assignment(cast.assigned(cohandlers=False))
    services.assignment_object(actor=cast.liaison, assignment=lead, reason="不是我们的")
    kept = services.assignment_decide_objection(actor=cast.staff, assignment=lead, uphold=True, note="属于职责范围")
    assert (kept.status, kept.acceptance) == ("handling", "upheld")


def test_after_the_window_the_unit_cannot_object_and_the_assignment_stands(cast) -> None:
    lead = cast.lead_assignment(cast.assigned(cohandlers=False))
    with _at(lead.objection_due + dt.timedelta(days=1)):
        with pytest.raises(DomainError, match="stands"):
            services.assignment_object(actor=cast.liaison, assignment=lead, reason="晚了")
        assert services.assignments_stand(on=timezone.localdate()) == 1
    lead.refresh_from_db()
    assert (lead.status, lead.acceptance) == ("handling", "stood")
    assert services.assignments_stand(on=lead.objection_due + dt.timedelta(days=2)) == 0


def test_extension_within_the_hard_maximum(cast) -> None:
    lead = cast.lead_assignment(cast.assigned(cohandlers=False))
    services.assignment_accept(actor=cast.liaison, assignment=lead)
    with pytest.raises(DomainError, match="latest"):
        services.extension_request(actor=cast.liaison, assignment=lead, reason="需协调资金",
                                   requested_due=lead.hard_due + dt.timedelta(days=1))
    new_due = lead.reply_due + dt.timedelta(days=30)
    ext = services.extension_request(actor=cast.liaison, assignment=lead, reason="需协调资金", requested_due=new_due)
    with pytest.raises(DomainError, match="waiting"):
        services.extension_request(actor=cast.liaison, assignment=lead, reason="再要", requested_due=new_due)
    services.extension_decide(actor=cast.staff, extension=ext, approve=True)
    lead.refresh_from_db()
    assert lead.reply_due == new_due
    with pytest.raises(ConcurrentChange):
        services.extension_decide(actor=cast.staff, extension=ext, approve=False)


def test_extension_must_be_asked_before_the_due_date(cast) -> None:
    lead = cast.lead_assignment(cast.assigned(cohandlers=False))
    services.assignment_accept(actor=cast.liaison, assignment=lead)
    with _at(lead.reply_due + dt.timedelta(days=1)), pytest.raises(DomainError, match="before"):
        services.extension_request(actor=cast.liaison, assignment=lead, reason="晚了",
                                   requested_due=lead.hard_due)
    assert not Extension.objects.exists()
