import pytest
from django.db import transaction

from xieshang.ledger.models import Event
from xieshang.ledger.services import EventOutsideTransaction, event_record
from xieshang.organisation.tests.factories import MemberFactory


def test_event_outside_a_transaction_is_refused(committee) -> None:
    member = MemberFactory(committee=committee)
    # pytest-django wraps each test in a transaction; leave it to check the guard.
    conn = transaction.get_connection()
    depth = conn.in_atomic_block
    conn.in_atomic_block = False
    try:
        with pytest.raises(EventOutsideTransaction):
            event_record(committee_id=committee.pk, actor=None, verb="x.y", target=member)
    finally:
        conn.in_atomic_block = depth


def test_event_rolls_back_with_the_change(committee) -> None:
    member = MemberFactory(committee=committee)
    with pytest.raises(RuntimeError), transaction.atomic():
        event_record(committee_id=committee.pk, actor=None, verb="x.y", target=member, from_state="a", to_state="b")
        raise RuntimeError
    assert not Event.objects.filter(verb="x.y").exists()


def test_event_keeps_who_what_which_and_states(committee, admin_user) -> None:
    member = MemberFactory(committee=committee, name="王五")
    with transaction.atomic():
        event_record(committee_id=committee.pk, actor=admin_user, verb="x.y", target=member, from_state="a",
                     to_state="b", note="why", data={"k": 1})
    e = Event.objects.get(verb="x.y")
    assert (e.actor, e.target_id, e.target_repr, e.from_state, e.to_state, e.note, e.data) == (
        admin_user, member.pk, "王五", "a", "b", "why", {"k": 1})
