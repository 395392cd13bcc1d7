"""Two people acting on one proposal at the same moment, in real concurrent transactions on PostgreSQL:
one wins, the other gets a clear message, and nothing is duplicated."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from xieshang.core.errors import DomainError
from xieshang.ledger.models import Event
from xieshang.organisation.models import Role
from xieshang.organisation.tests.factories import user_with_role
from xieshang.proposals import services
from xieshang.proposals.models import Assignment, Proposal

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks (run on CI's PG pass)"),
]


def _race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released at the same instant; return each result or exception."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each side got
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_two_staff_assign_one_proposal_at_once(cast) -> None:
    p = cast.filed()
    second_staff = user_with_role(cast.committee, Role.PROPOSAL_STAFF)
    results = _race(
        lambda: services.proposal_assign(actor=cast.staff, proposal=p, lead=cast.unit),
        lambda: services.proposal_assign(actor=second_staff, proposal=p, lead=cast.other_unit),
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], DomainError)
    assert errors[0].code == "concurrent_change"  # the loser is told the proposal is no longer waiting
    assert Assignment.objects.filter(proposal=p).count() == 1
    assert Event.objects.filter(verb="proposals.assignment_made", target_id=p.pk).count() == 1


def test_two_staff_file_one_proposal_at_once(cast) -> None:
    p = cast.submitted()
    second_staff = user_with_role(cast.committee, Role.PROPOSAL_STAFF)
    results = _race(lambda: services.proposal_file(actor=cast.staff, proposal=p),
                    lambda: services.proposal_file(actor=second_staff, proposal=p))
    assert sum(isinstance(r, DomainError) for r in results) == 1
    assert Event.objects.filter(verb="proposals.filed", target_id=p.pk).count() == 1
    assert Proposal.objects.get(pk=p.pk).number == 1


def test_concurrent_filings_take_distinct_numbers(cast) -> None:
    a, b, c = (cast.submitted(title=t) for t in ("甲", "乙", "丙"))
    results = _race(*(lambda p=p: services.proposal_file(actor=cast.staff, proposal=p) for p in (a, b, c)))
    assert not [r for r in results if isinstance(r, Exception)]
    assert sorted(Proposal.objects.values_list("number", flat=True)) == [1, 2, 3]


def test_unit_accepts_while_office_reassigns(cast) -> None:
    lead = cast.lead_assignment(cast.assigned(cohandlers=False))
    services.assignment_object(actor=cast.liaison, assignment=lead, reason="不属于本单位")
    results = _race(
        lambda: services.assignment_decide_objection(actor=cast.staff, assignment=lead, uphold=True),
        lambda: services.assignment_decide_objection(actor=cast.staff, assignment=lead, uphold=False,
                                                     new_unit=cast.other_unit),
    )
    assert sum(isinstance(r, DomainError) for r in results) == 1
    active = Assignment.objects.filter(proposal=lead.proposal).exclude(status="cancelled")
    assert active.count() == 1
