from django.urls import reverse

from xieshang.proposals import services
from xieshang.proposals.models import Assignment, Proposal


def test_bulk_filing_from_the_review_queue(client, cast) -> None:
    a, b = cast.submitted(title="甲"), cast.submitted(title="乙")
    client.force_login(cast.staff)
    page = client.get(reverse("proposals:review_queue"))
    assert len(page.context["queue"]) == 2
    client.post(reverse("proposals:file_bulk"), {"ids": [a.pk, b.pk]})
    assert sorted(Proposal.objects.values_list("number", flat=True)) == [1, 2]


def test_not_filing_needs_a_reason_and_keeps_the_input(client, cast) -> None:
    p = cast.submitted()
    client.force_login(cast.staff)
    r = client.post(reverse("proposals:not_file", args=[p.pk]), {"ground": "no_suggestion", "reason": "",
                                                                 "disposition": "letter"})
    assert r.status_code == 400
    p.refresh_from_db()
    assert p.status == "submitted"


def test_assignment_board_suggests_and_assigns(client, cast) -> None:
    p = cast.filed(title="关于加强生态环境保护的建议")
    client.force_login(cast.staff)
    page = client.get(reverse("proposals:assignment_board"))
    row = page.context["rows"][0]
    assert row["proposal"] == p
    assert row["suggestions"][0].unit == cast.unit  # 县生态环境局 shares 生态 and 环境
    client.post(reverse("proposals:assign", args=[p.pk]), {"mode": "lead", "lead": cast.unit.pk,
                                                           "cohandlers": [cast.co_unit.pk]})
    assert sorted(Assignment.objects.values_list("role", flat=True)) == ["co", "lead"]


def test_assigning_twice_shows_a_clear_message(client, cast) -> None:
    p = cast.assigned()
    client.force_login(cast.staff)
    r = client.post(reverse("proposals:assign", args=[p.pk]), {"mode": "lead", "lead": cast.other_unit.pk},
                    follow=True)
    assert any("not waiting for assignment" in str(m) for m in r.context["messages"])
    assert Assignment.objects.filter(proposal=p).count() == 2


def test_supervisor_reviews_from_the_supervision_view(client, cast) -> None:
    p = cast.assigned(cohandlers=False)
    reply = cast.reply_ready(p)
    services.reply_submit(actor=cast.unit_leader, reply=reply)
    client.force_login(cast.supervisor)
    assert len(client.get(reverse("proposals:supervision")).context["replies"]) == 1
    r = client.post(reverse("proposals:review_reply", args=[reply.pk]), {"approve": "1", "result_class": "B",
                                                                         "next": "supervision"})
    reply.refresh_from_db()
    assert r["Location"] == reverse("proposals:supervision") and (reply.status, reply.result_class) == ("sent", "B")


def test_decisions_page_lists_objections_and_decides(client, cast) -> None:
    lead = cast.lead_assignment(cast.assigned(cohandlers=False))
    services.assignment_object(actor=cast.liaison, assignment=lead, reason="不属于本单位")
    client.force_login(cast.staff)
    assert list(client.get(reverse("proposals:decisions")).context["objections"]) == [lead]
    client.post(reverse("proposals:decide_objection", args=[lead.pk]), {"uphold": "0", "new_unit": cast.other_unit.pk})
    assert Assignment.objects.get(unit=cast.other_unit).status == "assigned"


def test_boards_are_for_staff_only(client, cast) -> None:
    cast.submitted()
    for user in (cast.member, cast.liaison):
        client.force_login(user)
        for name in ("review_queue", "assignment_board", "decisions", "overdue"):
            assert client.get(reverse(f"proposals:{name}")).status_code == 403, (user, name)
    client.force_login(cast.member)
    p = Proposal.objects.get()
    assert client.post(reverse("proposals:file_bulk"), {"ids": [p.pk]}).status_code == 403
    p.refresh_from_db()
    assert p.status == "submitted"


def test_key_proposal_from_nomination_to_report(client, cast) -> None:
    from xieshang.organisation.tests.factories import LeaderFactory

    p = cast.filed()
    leader = LeaderFactory(committee=cast.committee)
    client.force_login(cast.staff)
    client.post(reverse("proposals:key_nominate", args=[p.pk]), {"reason": "群众关注度高", "year": 2026})
    key = p.key if hasattr(p, "key") else Proposal.objects.get(pk=p.pk).key
    client.post(reverse("proposals:key_select", args=[key.pk]), {"selected": "1", "selected_on": "2026-03-01",
                                                                 "leaders": [leader.pk]})
    client.post(reverse("proposals:key_plan", args=[key.pk]), {"plan": "开展专题调研"})
    client.post(reverse("proposals:key_activity", args=[key.pk]), {"happened_on": "2026-04-01", "kind": "research",
                                                                   "summary": "实地调研"})
    client.post(reverse("proposals:key_report", args=[key.pk]), {"report": "办理成效明显", "reported_on": "2026-06-01"})
    key.refresh_from_db()
    assert key.status == "reported" and list(key.leaders.all()) == [leader]


def test_review_queue_query_count_is_fixed(client, cast, django_assert_max_num_queries) -> None:
    cast.submitted(title="一")
    client.force_login(cast.staff)
    with django_assert_max_num_queries(40) as small:
        client.get(reverse("proposals:review_queue"))
    for i in range(10):
        cast.submitted(title=f"提案{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("proposals:review_queue"))


def test_assignment_board_and_overdue_query_counts_are_fixed(client, cast, django_assert_max_num_queries) -> None:
    cast.filed(title="一")
    cast.assigned(title="二")
    client.force_login(cast.staff)
    counts = {}
    for name in ("assignment_board", "overdue", "decisions", "supervision"):
        with django_assert_max_num_queries(60) as small:
            client.get(reverse(f"proposals:{name}"))
        counts[name] = len(small.captured_queries)
    for i in range(8):
        cast.filed(title=f"立案{i}")
        cast.assigned(title=f"交办{i}")
    for name, n in counts.items():
        with django_assert_max_num_queries(n):
            client.get(reverse(f"proposals:{name}"))


def test_excellent_proposal_nominated_and_selected(client, cast) -> None:
    p = cast.replied()
    client.force_login(cast.staff)
    page = client.get(reverse("proposals:detail", args=[p.pk])).content.decode()
    assert reverse("proposals:excellent_nominate", args=[p.pk]) in page
    client.post(reverse("proposals:excellent_nominate", args=[p.pk]), {"excellent-reason": "建议具体可行",
                                                                       "excellent-year": 2026})
    item = Proposal.objects.get(pk=p.pk).excellence
    client.post(reverse("proposals:excellent_decide", args=[item.pk]), {"selected": "1", "selected_on": "2026-12-01"})
    item.refresh_from_db()
    assert item.status == "selected"
    listing = client.get(reverse("proposals:key_list"))
    assert list(listing.context["excellent"]) == [item]


def test_key_list_query_count_is_fixed(client, cast, django_assert_max_num_queries) -> None:
    services.key_nominate(actor=cast.staff, proposal=cast.filed(title="重点一"), year=2026, reason="r")
    client.force_login(cast.staff)
    with django_assert_max_num_queries(40) as small:
        client.get(reverse("proposals:key_list"))
    for i in range(6):
        services.key_nominate(actor=cast.staff, proposal=cast.filed(title=f"重点{i}"), year=2026, reason="r")
        services.excellent_nominate(actor=cast.staff, proposal=cast.replied(title=f"优秀{i}"), year=2026, reason="r")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("proposals:key_list"))


def test_decisions_query_count_is_fixed_with_many_objections(client, cast, django_assert_max_num_queries) -> None:
    def objected(title: str) -> None:
        lead = cast.lead_assignment(cast.assigned(cohandlers=False, title=title))
        services.assignment_object(actor=cast.liaison, assignment=lead, reason="不属于本单位")

    objected("异议一")
    client.force_login(cast.staff)
    with django_assert_max_num_queries(40) as small:
        client.get(reverse("proposals:decisions"))
    for i in range(5):
        objected(f"异议{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        r = client.get(reverse("proposals:decisions"))
    assert len(r.context["objections"]) == 6
