from django.test import Client
from django.urls import reverse

from xieshang.proposals import services
from xieshang.proposals.models import Reply


def test_published_proposal_and_reply_summary_are_public(cast) -> None:
    p = cast.replied(title="公开的提案")
    hidden = cast.filed(title="未公开的提案")
    reply = Reply.objects.get(assignment__proposal=p)
    services.proposal_set_disclosure(actor=cast.staff, proposal=p, publish=True,
                                     summaries={reply.pk: "已采纳，正在实施"})
    anonymous = Client()
    listing = anonymous.get(reverse("public:list", args=[cast.committee.code])).content.decode()
    assert "公开的提案" in listing and "未公开的提案" not in listing
    page = anonymous.get(reverse("public:detail", args=[cast.committee.code, p.pk])).content.decode()
    assert "已采纳，正在实施" in page and reply.body not in page
    assert anonymous.get(reverse("public:detail", args=[cast.committee.code, hidden.pk])).status_code == 404


def test_not_for_disclosure_cannot_be_published(cast) -> None:
    import pytest

    from xieshang.core.errors import DomainError

    p = cast.replied()
    with pytest.raises(DomainError):
        services.proposal_set_disclosure(actor=cast.staff, proposal=p, publish=True, not_for_disclosure=True)
    p.refresh_from_db()
    assert p.is_public is False


def test_another_committees_code_does_not_reach_a_proposal(cast, other_committee) -> None:
    p = cast.replied()
    services.proposal_set_disclosure(actor=cast.staff, proposal=p, publish=True)
    assert Client().get(reverse("public:detail", args=[other_committee.code, p.pk])).status_code == 404
    assert Client().get(reverse("public:list", args=["no-such-committee"])).status_code == 404


def test_public_list_query_count_is_fixed(cast, django_assert_max_num_queries) -> None:
    anonymous = Client()
    first = cast.filed(title="公开一")
    services.proposal_set_disclosure(actor=cast.staff, proposal=first, publish=True)
    url = reverse("public:list", args=[cast.committee.code])
    with django_assert_max_num_queries(10) as small:
        anonymous.get(url)
    for i in range(10):
        services.proposal_set_disclosure(actor=cast.staff, proposal=cast.filed(title=f"公开{i}"), publish=True)
    with django_assert_max_num_queries(len(small.captured_queries)):
        r = anonymous.get(url)
    assert r.context["page"].paginator.count == 11
