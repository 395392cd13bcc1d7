from django.db import transaction
from django.urls import reverse

from xieshang.ledger.services import event_record
from xieshang.organisation.tests.factories import MemberFactory


def _events(committee, actor, n: int) -> None:
    member = MemberFactory(committee=committee)
    with transaction.atomic():
        for i in range(n):
            event_record(committee_id=committee.pk, actor=actor, verb=f"test.v{i % 2}", target=member)


def test_audit_filters_by_action(client, committee, admin_user) -> None:
    _events(committee, admin_user, 4)
    client.force_login(admin_user)
    r = client.get(reverse("ledger:audit"), {"verb": "test.v1"})
    assert r.status_code == 200
    assert [e.verb for e in r.context["page"]] == ["test.v1", "test.v1"]


def test_audit_page_query_count_does_not_grow(client, committee, admin_user, django_assert_max_num_queries) -> None:
    client.force_login(admin_user)
    _events(committee, admin_user, 3)
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("ledger:audit"))
    _events(committee, admin_user, 40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("ledger:audit"))
