"""The text features on the proposals pages: the drafting panel of similar proposals (views_text), the
draft hints in the live checks, the likely duplicates of the review queue and their merging, the unit
suggestions of the assignment board and the suggested category on the proposal page."""

from collections.abc import Iterator

import pytest
from django.urls import reverse

from xieshang.proposals import services
from xieshang.proposals.models import Proposal
from xieshang.proposals.views_text import reply_gist
from xieshang.search import similarity, units

SEWAGE = "关于加快农村生活污水治理的建议"


@pytest.fixture(autouse=True)
def _fresh(monkeypatch) -> Iterator[None]:
    monkeypatch.setattr(similarity, "VERSION_TTL", 0.0)
    similarity.reset()
    units.reset()
    yield
    similarity.reset()
    units.reset()


def panel(client, **data):
    return client.post(reverse("proposals:similar"), data)


# The drafting panel -----------------------------------------------------------------------------------

def test_the_panel_shows_past_proposals_with_their_unit_class_and_answer(client, cast) -> None:
    past = cast.replied(title=SEWAGE, cls="B")
    reply = past.assignments.get().replies.get()
    reply.body = ("张委员：\n您提出的《关于加快农村生活污水治理的建议》收悉，现答复如下："
                  "我局已将农村生活污水治理纳入年度计划，今年完成12个村的管网建设。")
    reply.save()
    client.force_login(cast.member)
    page = panel(client, title="关于推进农村生活污水治理的建议", suggestions="")
    assert page.status_code == 200
    row = page.context["rows"][0]
    assert row.proposal == past and row.units == [cast.unit] and row.reply_class == "B"
    assert row.gist == "我局已将农村生活污水治理纳入年度计划，今年完成12个村的管网建设。"
    html = page.content.decode()
    assert 'data-testid="similar-row"' in html and "reply class B" in html and "县生态环境局" in html
    assert past.session.name in html


def test_a_member_never_sees_another_members_draft_in_the_panel(client, cast) -> None:
    theirs = cast.draft(title=SEWAGE, by=cast.outsider)
    mine = cast.draft(title="关于推进农村生活污水治理的建议")
    client.force_login(cast.member)
    rows = panel(client, title=SEWAGE).context["rows"]
    assert [r.proposal for r in rows] == [mine]
    assert f'data-proposal="{theirs.pk}"' not in panel(client, title=SEWAGE).content.decode()
    # The proposal being edited is not its own match.
    assert panel(client, title=SEWAGE, exclude=str(mine.pk)).context["rows"] == []


def test_the_panel_waits_for_a_few_characters(client, cast) -> None:
    cast.filed(title=SEWAGE)
    client.force_login(cast.member)
    page = panel(client, title="污水", suggestions="短")
    assert page.context["asked"] is False and page.context["rows"] == []
    rows = panel(client, title="", suggestions="村庄污水直排，管网建设资金不足").context["rows"]
    assert rows[0].proposal.title == SEWAGE
    assert b"similar-none" in panel(client, title="关于发展冰雪运动的建议").content


def test_the_panel_is_for_members_drafting(client, cast) -> None:
    cast.filed(title=SEWAGE)
    client.force_login(cast.liaison)
    assert panel(client, title=SEWAGE).status_code == 403
    client.logout()
    assert panel(client, title=SEWAGE).status_code == 302
    client.force_login(cast.member)
    assert client.get(reverse("proposals:similar")).status_code == 405


def test_the_panel_takes_the_same_queries_however_many_matches(client, cast, django_assert_max_num_queries) -> None:
    cast.replied(title=SEWAGE)
    client.force_login(cast.member)
    panel(client, title=SEWAGE)
    with django_assert_max_num_queries(20) as small:
        panel(client, title=SEWAGE)
    count = len(small.captured_queries)  # before the next request clears the log
    for i in range(4):
        cast.replied(title=f"关于加快第{i}片区农村生活污水治理的建议")
    panel(client, title=SEWAGE)
    with django_assert_max_num_queries(count):
        assert len(panel(client, title=SEWAGE).context["rows"]) == 5


def test_the_editor_asks_for_the_panel(client, cast) -> None:
    mine = cast.draft()
    client.force_login(cast.member)
    html = client.get(reverse("proposals:edit", args=[mine.pk])).content.decode()
    assert f'hx-post="{reverse("proposals:similar")}"' in html and f'"exclude": "{mine.pk}"' in html
    assert "delay:800ms from:#id_title" in html


@pytest.mark.parametrize(("body", "gist"), [
    ("李委员：\n您提出的《关于……的建议》收悉，现答复如下：一、已纳入计划。", "一、已纳入计划。"),
    ("经研究，答复如下：已落实。", "已落实。"),
    ("已完成管网建设。", "已完成管网建设。"),
    ("甲" * 200, "甲" * 120 + "…"),
])
def test_reply_gist(body, gist) -> None:
    assert reply_gist(body) == gist


# Draft hints in the live checks -------------------------------------------------------------------------

def test_live_checks_add_hints_that_do_not_block(client, cast) -> None:
    from xieshang.proposals.tests.factories import BODY

    client.force_login(cast.member)
    page = client.post(reverse("proposals:check"), {
        "title": "关于进一步加强机关作风建设的建议", "category": "policy", "kind": "individual", **BODY,
        "suggestions": "建议有关部门高度重视机关作风建设，采取有效措施，进一步转变工作作风，让群众满意。"})
    assert page.context["problems"] == []
    assert "no_concrete_suggestion" in [h.code for h in page.context["hints"]]
    html = page.content.decode()
    assert 'data-testid="ready"' in html and 'data-code="no_concrete_suggestion"' in html


# Duplicates at review -----------------------------------------------------------------------------------

def test_the_review_queue_groups_duplicates_and_merges_them(client, cast) -> None:
    a = cast.submitted(title=SEWAGE)
    b = cast.submitted(title="关于推进农村生活污水治理的建议", by=cast.cosigner)
    other = cast.submitted(title="关于加强乡村教师队伍建设的建议", situation="乡村教师流失严重，年龄结构老化。",
                           analysis="待遇偏低。", suggestions="一是提高乡村教师补助；二是建设教师周转宿舍。")
    client.force_login(cast.staff)
    page = client.get(reverse("proposals:review_queue"))
    groups = page.context["duplicates"]
    assert [[p.pk for p in g.proposals] for g in groups] == [[a.pk, b.pk]]
    html = page.content.decode()
    assert 'data-testid="duplicate-group"' in html and html.count('data-testid="merge-into"') == 2
    r = client.post(reverse("proposals:merge", args=[b.pk]), {"into": a.pk, "next": "review_queue"})
    assert r.status_code == 302 and r["Location"] == reverse("proposals:review_queue")
    b.refresh_from_db()
    assert (b.status, b.merged_into_id) == ("merged", a.pk)
    page = client.get(reverse("proposals:review_queue"))
    assert page.context["duplicates"] == [] and {p.pk for p in page.context["queue"]} == {a.pk, other.pk}
    # The bulk filing form still works beside the groups.
    client.post(reverse("proposals:file_bulk"), {"ids": [a.pk, other.pk]})
    assert set(Proposal.objects.filter(status="filed").values_list("pk", flat=True)) == {a.pk, other.pk}


def test_merging_from_the_queue_is_for_reviewers_only(client, cast) -> None:
    a = cast.submitted(title=SEWAGE)
    b = cast.submitted(title="关于推进农村生活污水治理的建议", by=cast.cosigner)
    client.force_login(cast.supervisor)
    page = client.get(reverse("proposals:review_queue"))
    assert page.context["duplicates"] and b'data-testid="merge-into"' not in page.content
    r = client.post(reverse("proposals:merge", args=[b.pk]), {"into": a.pk, "next": "review_queue"})
    assert r.status_code == 400 and "review_queue" not in r.get("Location", "")  # the service refuses
    b.refresh_from_db()
    assert b.status == "submitted"


def test_a_refused_merge_shows_the_reason(client, cast) -> None:
    a = cast.submitted(title=SEWAGE)
    b = cast.submitted(title="关于推进农村生活污水治理的建议", by=cast.cosigner)
    c = cast.submitted(title="关于加快推进农村生活污水治理的建议", by=cast.outsider)
    services.proposal_merge(actor=cast.staff, proposal=c, into=b)
    client.force_login(cast.staff)
    r = client.post(reverse("proposals:merge", args=[b.pk]), {"into": a.pk, "next": "review_queue"})
    assert r.status_code == 400
    b.refresh_from_db()
    assert b.status == "submitted"


# The assignment board and the proposal page ------------------------------------------------------------

def test_the_board_suggests_the_unit_the_office_chose_before(client, cast) -> None:
    past = cast.filed(title=SEWAGE)
    services.proposal_assign(actor=cast.staff, proposal=past, lead=cast.other_unit)  # 县农业农村局
    new = cast.filed(title="关于推进农村生活污水治理的建议")
    client.force_login(cast.staff)
    row = next(r for r in client.get(reverse("proposals:assignment_board")).context["rows"] if r["proposal"] == new)
    first = row["suggestions"][0]
    assert first.unit == cast.other_unit and SEWAGE in first.reason and first.score > 0


def test_staff_see_a_suggested_category_when_it_differs(client, cast) -> None:
    p = cast.submitted(title=SEWAGE, category="social")
    client.force_login(cast.staff)
    page = client.get(reverse("proposals:detail", args=[p.pk]))
    assert page.context["suggested_category"]["code"] == "environment"
    assert b'data-testid="suggested-category"' in page.content
    same = cast.submitted(title=SEWAGE, category="environment")
    assert client.get(reverse("proposals:detail", args=[same.pk])).context["suggested_category"] is None
    client.force_login(cast.member)
    assert b'data-testid="suggested-category"' not in client.get(reverse("proposals:detail", args=[p.pk])).content
