from django.urls import reverse

from xieshang.proposals.models import Evaluation, Proposal, Reply
from xieshang.proposals.tests.factories import BODY


def test_member_drafts_through_the_page_and_submits(client, cast) -> None:
    client.force_login(cast.member)
    r = client.post(reverse("proposals:create"), {"title": "关于加强农村养老服务的建议", "category": "livelihood",
                                                  "kind": "individual", **BODY})
    p = Proposal.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("proposals:detail", args=[p.pk])
    page = client.get(reverse("proposals:detail", args=[p.pk])).content.decode()
    assert 'data-testid="submit-proposal"' in page
    r = client.post(reverse("proposals:submit", args=[p.pk]))
    p.refresh_from_db()
    assert r.status_code == 302 and p.status == "submitted"


def test_refused_submission_keeps_the_page_and_says_why(client, cast) -> None:
    p = cast.draft(analysis="")
    client.force_login(cast.member)
    r = client.post(reverse("proposals:submit", args=[p.pk]))
    assert r.status_code == 400
    assert "analysis" in r.content.decode()
    p.refresh_from_db()
    assert p.status == "draft"


def test_live_checks_report_missing_parts_and_length(client, cast) -> None:
    client.force_login(cast.member)
    r = client.post(reverse("proposals:check"), {"title": "x", "situation": "情况" * 10, "analysis": "",
                                                 "suggestions": "", "kind": "individual"})
    body = r.content.decode()
    assert r.status_code == 200 and 'data-testid="problems"' in body and "20 of 2500" in body
    r = client.post(reverse("proposals:check"), {"title": "x", "category": "social", "kind": "individual", **BODY})
    assert 'data-testid="ready"' in r.content.decode()
    assert not Proposal.objects.exists()


def test_invitation_and_cosigning_through_the_pages(client, cast) -> None:
    p = cast.draft()
    client.force_login(cast.member)
    client.post(reverse("proposals:invite", args=[p.pk]), {"members": [cast.cosigner.member.pk]})
    client.force_login(cast.cosigner)
    page = client.get(reverse("proposals:detail", args=[p.pk])).content.decode()
    assert 'data-testid="cosign"' in page
    client.post(reverse("proposals:sign", args=[p.pk]), {"accept": "1"})
    assert p.proposers.get(member=cast.cosigner.member).status == "signed"


def test_only_the_first_proposer_edits(client, cast) -> None:
    p = cast.draft()
    client.force_login(cast.outsider)
    assert client.get(reverse("proposals:edit", args=[p.pk])).status_code == 404  # a draft is private
    client.force_login(cast.member)
    r = client.post(reverse("proposals:edit", args=[p.pk]), {"title": "改后的案由", "category": "environment",
                                                             "kind": "individual", **BODY})
    p.refresh_from_db()
    assert r.status_code == 302 and p.title == "改后的案由"


def test_member_evaluates_a_reply_from_the_page(client, cast) -> None:
    p = cast.replied()
    reply = Reply.objects.get(assignment__proposal=p)
    client.force_login(cast.member)
    page = client.get(reverse("proposals:detail", args=[p.pk])).content.decode()
    assert 'data-testid="evaluation-form"' in page
    client.post(reverse("proposals:evaluate", args=[reply.pk]), {"result": "satisfied", "comment": "很好"})
    assert Evaluation.objects.get().result == "satisfied"


def test_outsider_cannot_evaluate_and_nothing_changes(client, cast) -> None:
    p = cast.replied()
    reply = Reply.objects.get(assignment__proposal=p)
    client.force_login(cast.outsider)
    r = client.post(reverse("proposals:evaluate", args=[reply.pk]), {"result": "dissatisfied"})
    assert r.status_code == 400
    assert not Evaluation.objects.exists()


def test_list_shows_the_members_own_and_query_count_is_fixed(client, cast, django_assert_max_num_queries) -> None:
    cast.filed(title="甲")
    client.force_login(cast.member)
    with django_assert_max_num_queries(40) as small:
        client.get(reverse("proposals:list"))
    for i in range(12):
        cast.assigned(title=f"提案{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        r = client.get(reverse("proposals:list"))
    assert r.context["page"].paginator.count == 13


def test_other_members_drafts_are_invisible(client, cast) -> None:
    draft = cast.draft(title="私人草稿")
    filed = cast.filed(title="已立案的提案")
    client.force_login(cast.outsider)
    r = client.get(reverse("proposals:list"), {"mine": "0"})
    titles = [p.title for p in r.context["page"]]
    assert filed.title in titles and draft.title not in titles
    assert client.get(reverse("proposals:detail", args=[draft.pk])).status_code == 404


def test_reply_drafts_are_for_the_unit_cosigners_and_reviewers_only(client, cast) -> None:
    from xieshang.organisation.models import Role
    from xieshang.organisation.tests.factories import user_with_role
    from xieshang.proposals import services

    p = cast.assigned()
    reply = cast.reply_ready(p)
    services.reply_submit(actor=cast.unit_leader, reply=reply)  # now waiting for the co-handler
    leader = user_with_role(cast.committee, Role.LEADER)
    for user, sees in ((cast.co_liaison, True), (cast.supervisor, True), (leader, False), (cast.member, False)):
        client.force_login(user)
        page = client.get(reverse("proposals:detail", args=[p.pk])).content.decode()
        assert ('data-testid="reply"' in page) is sees, user
