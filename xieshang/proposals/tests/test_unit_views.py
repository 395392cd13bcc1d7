"""The handling unit's screens: the inbox, the assignment workspace and its actions, the signed letter and
the unit's home-page items. Every refusal is checked to leave the data as it was."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from xieshang.core.todo import todo_for
from xieshang.organisation.models import Role
from xieshang.organisation.tests.factories import user_with_role
from xieshang.proposals import services
from xieshang.proposals.models import (
    Assignment,
    CohandlerOpinion,
    ContactRecord,
    Extension,
    Proposal,
    Reply,
    ReplyCosign,
)
from xieshang.proposals.tests.factories import Cast, open_session
from xieshang.proposals.todo_unit import unit_items
from xieshang.proposals.views_unit import reply_outline, suggestion_points

INBOX = "proposals:unit_inbox"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
REPLY_FIELDS = {"document_number": "环函〔2026〕3号", "signatory": "局长 王某", "result_class": "B",
                "body": "一、关于财政投入。已列入明年预算。", "contact_person": "张科长",
                "contact_phone": "0938-1234567", "cc": "县住建局"}


def ws(a: Assignment) -> str:
    return reverse("proposals:unit_assignment", args=[a.pk])


def act(a: Assignment, name: str) -> str:
    return reverse(f"proposals:unit_{name}", args=[a.pk])


def page(response: Any) -> str:
    return response.content.decode()


def snapshot(a: Assignment) -> tuple[Any, ...]:
    """Everything an action of the workspace may change, to prove a refusal changed nothing."""
    a.refresh_from_db()
    return (a.status, a.objection_reason, a.accepted_at, a.reply_due, ContactRecord.objects.count(),
            CohandlerOpinion.objects.count(), Extension.objects.count(),
            list(Reply.objects.order_by("pk").values_list("status", "body", "signed_letter")),
            list(ReplyCosign.objects.order_by("pk").values_list("signed_at", flat=True)))


# ------------------------------------------------------------------------------------------- main path


def test_the_whole_unit_path_through_the_pages(client, cast) -> None:
    p = cast.assigned()
    lead, co = cast.lead_assignment(p), cast.co_assignment(p)

    client.force_login(cast.liaison)
    inbox = page(client.get(reverse(INBOX)))
    assert p.title in inbox and 'data-testid="group-accept"' in inbox
    r = client.post(act(lead, "accept"))
    assert r.status_code == 302 and r["Location"].startswith(ws(lead))
    lead.refresh_from_db()
    assert (lead.status, lead.acceptance) == ("handling", "accepted")

    # The co-handler accepts and sends its opinion to the lead unit.
    client.force_login(cast.co_liaison)
    client.post(act(co, "accept"))
    r = client.post(act(co, "opinion"), {"body": "建议将管网纳入城建计划"})
    assert r.status_code == 302
    assert CohandlerOpinion.objects.get(assignment=co).body == "建议将管网纳入城建计划"

    client.force_login(cast.liaison)
    r = client.post(act(lead, "contact"), {"happened_on": timezone.localdate().isoformat(), "method": "meeting",
                                           "participants": "提案人、办公室主任", "summary": "座谈，听取意见"})
    assert r.status_code == 302
    assert list(lead.contacts.values_list("method", "summary")) == [("meeting", "座谈，听取意见")]
    r = client.post(act(lead, "reply"), REPLY_FIELDS)
    assert r.status_code == 302
    reply = Reply.objects.get(assignment=lead)
    assert (reply.status, reply.result_class, reply.signatory, reply.cc) == ("draft", "B", "局长 王某", "县住建局")

    body = page(client.get(ws(lead)))
    assert "建议将管网纳入城建计划" in body  # the co-handler's opinion, read-only for the lead
    assert 'data-testid="leader-must-sign"' in body and 'data-testid="submit"' not in body
    assert "The draft is complete." in body

    # The liaison may not sign off; the page says so and nothing changes.
    before = snapshot(lead)
    r = client.post(act(lead, "submit"))
    assert r.status_code == 400 and "You are not allowed to do this." in page(r)
    assert snapshot(lead) == before

    client.force_login(cast.unit_leader)
    assert 'data-testid="submit"' in page(client.get(ws(lead)))
    r = client.post(act(lead, "submit"))
    assert r.status_code == 302
    reply.refresh_from_db()
    assert reply.status == "cosigning"

    # The co-handler sees the lead's reply text and co-signs it; the reply goes to review.
    client.force_login(cast.co_leader)
    body = page(client.get(ws(co)))
    assert 'data-testid="panel-cosign"' in body and "一、关于财政投入。已列入明年预算。" in body
    assert 'data-testid="group-cosign"' in page(client.get(reverse(INBOX)))
    r = client.post(act(co, "cosign"), {"note": "同意"})
    assert r.status_code == 302
    reply.refresh_from_db()
    assert reply.status == "in_review" and reply.cosigns.get().note == "同意"

    client.force_login(cast.liaison)
    body = page(client.get(ws(lead)))
    assert 'data-testid="reply-view"' in body and 'data-testid="reply-form"' not in body
    assert "In supervising review" in body
    events = body.count('data-testid="event"')
    assert events >= 6  # assigned, accepted, contact, drafted, signed off, co-signed …


def test_sole_unit_leader_submits_straight_to_review(client, cast) -> None:
    reply = cast.reply_ready(cast.assigned(cohandlers=False))
    client.force_login(cast.unit_leader)
    r = client.post(act(reply.assignment, "submit"), HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    assert "Signed off and sent to the supervising office for review." in page(r)
    assert '<html' not in page(r) and 'id="workspace"' in page(r)
    reply.refresh_from_db()
    assert reply.status == "in_review"


def test_incomplete_reply_is_refused_with_the_problems_listed(client, cast) -> None:
    lead = cast.lead_assignment(cast.assigned(cohandlers=False))
    services.assignment_accept(actor=cast.liaison, assignment=lead)
    client.force_login(cast.unit_leader)
    client.post(act(lead, "reply"), {"body": "草稿"})
    before = snapshot(lead)
    body = page(client.get(ws(lead)))
    assert "Mark the result class." in body  # listed before anyone tries
    r = client.post(act(lead, "submit"))
    assert r.status_code == 400 and "Give a contact person and phone." in page(r)
    assert snapshot(lead) == before


# -------------------------------------------------------------------------------------------- refusals


def test_a_refused_contact_keeps_what_was_typed(client, cast) -> None:
    lead = cast.lead_assignment(cast.assigned(cohandlers=False))
    services.assignment_accept(actor=cast.liaison, assignment=lead)
    client.force_login(cast.liaison)
    before = snapshot(lead)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    data = {"happened_on": tomorrow, "method": "phone", "participants": "", "summary": "电话沟通了三点意见"}
    r = client.post(act(lead, "contact"), data)
    assert r.status_code == 400
    assert "A contact cannot be recorded before it happens." in page(r)
    assert "电话沟通了三点意见" in page(r) and tomorrow in page(r)
    assert snapshot(lead) == before
    r = client.post(act(lead, "contact"), data, HTTP_HX_REQUEST="true")  # htmx: the workspace, swapped
    assert r.status_code == 200 and "A contact cannot be recorded before it happens." in page(r)
    assert snapshot(lead) == before


def test_object_after_the_window_is_refused(client, cast) -> None:
    lead = cast.lead_assignment(cast.assigned(cohandlers=False))
    Assignment.objects.filter(pk=lead.pk).update(objection_due=timezone.localdate() - dt.timedelta(days=1))
    client.force_login(cast.liaison)
    body = page(client.get(ws(lead)))
    assert "The objection window closed on" in body and 'data-testid="object"' not in body
    before = snapshot(lead)
    r = client.post(act(lead, "object"), {"reason": "不属于本单位职责"})
    assert r.status_code == 400
    assert "the assignment stands" in page(r) and "不属于本单位职责" not in Assignment.objects.get(
        pk=lead.pk).objection_reason
    assert snapshot(lead) == before
    assert "不属于本单位职责" in page(r)  # the reason typed is still on the page


def test_object_from_the_inbox_within_the_window(client, cast) -> None:
    lead = cast.lead_assignment(cast.assigned(cohandlers=False))
    client.force_login(cast.liaison)
    r = client.post(act(lead, "object"), {"reason": "", "return_to": "inbox"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and 'data-testid="error"' in page(r)
    lead.refresh_from_db()
    assert lead.status == "assigned"
    r = client.post(act(lead, "object"), {"reason": "属于县农业农村局职责", "return_to": "inbox"},
                    HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "Your objection was sent to the proposal committee" in page(r)
    assert '<html' not in page(r)
    lead.refresh_from_db()
    assert (lead.status, lead.objection_reason) == ("objected", "属于县农业农村局职责")


def test_accept_from_the_inbox_redraws_it(client, cast) -> None:
    lead = cast.lead_assignment(cast.assigned(cohandlers=False))
    client.force_login(cast.liaison)
    r = client.post(act(lead, "accept"), {"return_to": "inbox", "q": "", "session": ""}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    body = page(r)
    assert 'data-testid="group-handling"' in body and 'data-testid="group-accept"' not in body
    lead.refresh_from_db()
    assert lead.status == "handling"


@pytest.mark.parametrize("who", ["other_unit", "other_committee", "member"])
def test_strangers_get_404_on_the_workspace_and_every_action(client, cast, other_committee, who) -> None:
    p = cast.assigned()
    lead = cast.lead_assignment(p)
    services.assignment_accept(actor=cast.liaison, assignment=lead)
    stranger = {"other_unit": cast.other_liaison, "other_committee": Cast(other_committee).liaison,
                "member": cast.member}[who]
    client.force_login(stranger)
    before = snapshot(lead)
    assert client.get(ws(lead)).status_code == 404
    payloads = {"object": {"reason": "x"}, "contact": {"happened_on": timezone.localdate().isoformat(),
                                                      "method": "phone", "summary": "x"},
                "opinion": {"body": "x"}, "reply": REPLY_FIELDS, "cosign": {"note": "x"},
                "extension": {"requested_due": lead.hard_due.isoformat(), "reason": "x"},
                "letter": {"letter": SimpleUploadedFile("l.pdf", PDF)}}
    for name in ("accept", "object", "contact", "opinion", "reply", "submit", "cosign", "letter", "extension"):
        r = client.post(act(lead, name), payloads.get(name, {}))
        assert r.status_code == 404, name
    assert snapshot(lead) == before


def test_no_unit_role_no_inbox(client, cast) -> None:
    client.force_login(cast.staff)
    assert client.get(reverse(INBOX)).status_code == 404
    client.force_login(cast.member)
    assert client.get(reverse(INBOX)).status_code == 404


def test_staff_are_sent_to_the_proposal_page(client, cast) -> None:
    lead = cast.lead_assignment(cast.assigned())
    client.force_login(cast.staff)
    r = client.get(ws(lead))
    assert r.status_code == 302
    assert r["Location"] == reverse("proposals:detail", args=[lead.proposal_id]) + f"#assignment-{lead.pk}"
    before = snapshot(lead)
    assert client.post(act(lead, "accept")).status_code == 404
    assert snapshot(lead) == before


def test_cohandler_cannot_draft_a_reply(client, cast) -> None:
    co = cast.co_assignment(cast.assigned())
    services.assignment_accept(actor=cast.co_liaison, assignment=co)
    client.force_login(cast.co_liaison)
    assert 'data-testid="reply-form"' not in page(client.get(ws(co)))
    before = snapshot(co)
    r = client.post(act(co, "reply"), REPLY_FIELDS)
    assert r.status_code == 400 and "does not reply to the proposer" in page(r)
    assert snapshot(co) == before


# ------------------------------------------------------------------------------------------ the letter


def test_letter_upload_rejects_a_non_pdf_and_keeps_a_pdf(client, cast) -> None:
    reply = cast.reply_ready(cast.assigned(cohandlers=False))
    lead = reply.assignment
    client.force_login(cast.liaison)
    before = snapshot(lead)
    fake = SimpleUploadedFile("letter.pdf", b"GIF89a not a pdf", content_type="application/pdf")
    r = client.post(act(lead, "letter"), {"letter": fake})
    assert r.status_code == 400 and "Upload the signed letter as a PDF file." in page(r)
    assert snapshot(lead) == before
    r = client.post(act(lead, "letter"), {"letter": SimpleUploadedFile("letter.docx", b"PK\x03\x04")})
    assert r.status_code == 400 and "Upload the signed letter as a PDF file." in page(r)
    assert snapshot(lead) == before

    r = client.post(act(lead, "letter"), {"letter": SimpleUploadedFile("答复函.pdf", PDF)})
    assert r.status_code == 302
    reply.refresh_from_db()
    assert reply.signed_letter.name.endswith(".pdf")
    url = reverse("proposals:reply_letter_download", args=[reply.pk])
    assert f'href="{url}"' in page(client.get(ws(lead)))
    got = client.get(url)
    assert got.status_code == 200 and got["Content-Type"] == "application/pdf"
    assert b"".join(got.streaming_content) == PDF


def test_letter_download_is_limited_to_those_who_may_see_it(client, cast, other_committee) -> None:
    reply = cast.reply_ready(cast.assigned(cohandlers=False))
    services.reply_attach_signed_letter(actor=cast.liaison, reply=reply,
                                        upload=SimpleUploadedFile("letter.pdf", PDF))
    url = reverse("proposals:reply_letter_download", args=[reply.pk])

    def status(user: Any) -> int:
        client.force_login(user)
        return client.get(url).status_code

    readers = [cast.liaison, cast.unit_leader, cast.staff, cast.supervisor]
    assert [status(u) for u in readers] == [200, 200, 200, 200]
    strangers = [cast.member, cast.outsider, cast.other_liaison, cast.co_liaison, Cast(other_committee).staff]
    assert [status(u) for u in strangers] == [404] * 5  # the proposer too, until it is sent
    services.reply_submit(actor=cast.unit_leader, reply=reply)
    services.reply_review(actor=cast.supervisor, reply=reply, approve=True)
    assert status(cast.member) == 200
    assert status(cast.outsider) == 404  # a member who did not propose it
    leader = user_with_role(cast.committee, Role.LEADER)
    assert status(leader) == 404


# --------------------------------------------------------------------------------------------- the inbox


def _inbox_queries(client: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(reverse(INBOX))
    assert r.status_code == 200
    return len(ctx.captured_queries)


def test_inbox_query_count_does_not_grow(client, cast, django_assert_max_num_queries) -> None:
    cast.assigned()
    client.force_login(cast.liaison)
    small = _inbox_queries(client)
    # Many more, in every state the inbox shows: to accept, handling with a draft, returned, sent.
    for _i in range(3):
        cast.assigned()
    ready = cast.reply_ready(cast.assigned(cohandlers=False))
    returned = cast.reply_ready(cast.assigned(cohandlers=False))
    services.reply_submit(actor=cast.unit_leader, reply=returned)
    services.reply_review(actor=cast.supervisor, reply=returned, approve=False, note="未逐条答复")
    cast.replied()
    services.reply_attach_signed_letter(actor=cast.liaison, reply=ready, upload=SimpleUploadedFile("l.pdf", PDF))
    with django_assert_max_num_queries(small):
        body = page(client.get(reverse(INBOX)))
    for group in ("accept", "handling", "returned", "done"):
        assert f'data-testid="group-{group}"' in body
    assert body.count('data-testid="inbox-row"') == 7


def test_inbox_groups_dues_and_filters(client, cast) -> None:
    first = cast.assigned(title="关于改善县城停车难的建议")
    second = cast.assigned(title="关于加强校园周边交通安全的建议")
    lead = cast.lead_assignment(second)
    services.assignment_accept(actor=cast.liaison, assignment=lead)
    Assignment.objects.filter(pk=lead.pk).update(reply_due=timezone.localdate() - dt.timedelta(days=3),
                                                 first_contact_due=timezone.localdate() - dt.timedelta(days=5))
    client.force_login(cast.liaison)
    body = page(client.get(reverse(INBOX)))
    assert 'data-testid="overdue"' in body and 'data-testid="first-contact-due"' in body
    assert "No reply draft yet" in body
    assert 'data-testid="overdue-summary"' in body

    body = page(client.get(reverse(INBOX), {"q": "停车"}))
    assert first.title in body and second.title not in body
    body = page(client.get(reverse(INBOX), {"q": str(second.number)}))
    assert second.title in body and first.title not in body

    later = open_session(cast.committee)
    third = cast.assigned(title="关于新会议的建议")
    Proposal.objects.filter(pk=third.pk).update(session=later)
    r = client.get(reverse(INBOX), {"session": later.pk}, HTTP_HX_REQUEST="true")
    assert third.title in page(r) and first.title not in page(r) and "<html" not in page(r)


def test_inbox_of_a_cohandler_shows_opinions_owed(client, cast) -> None:
    co = cast.co_assignment(cast.assigned())
    services.assignment_accept(actor=cast.co_liaison, assignment=co)
    client.force_login(cast.co_liaison)
    body = page(client.get(reverse(INBOX)))
    assert 'data-testid="group-opinion"' in body and "Opinion due" in body


# ----------------------------------------------------------------------------------- returned, extension


def test_a_returned_reply_shows_the_note_and_can_be_revised(client, cast) -> None:
    reply = cast.reply_ready(cast.assigned(cohandlers=False))
    services.reply_submit(actor=cast.unit_leader, reply=reply)
    services.reply_review(actor=cast.supervisor, reply=reply, approve=False, note="未逐条答复第二条建议")
    client.force_login(cast.liaison)
    assert 'data-testid="group-returned"' in page(client.get(reverse(INBOX)))
    body = page(client.get(ws(reply.assignment)))
    assert 'data-testid="return-note"' in body and "未逐条答复第二条建议" in body
    assert 'data-testid="reply-form"' in body
    r = client.post(act(reply.assignment, "reply"), {**REPLY_FIELDS, "body": "逐条答复如下……"})
    assert r.status_code == 302
    reply.refresh_from_db()
    assert (reply.status, reply.body) == ("returned", "逐条答复如下……")


def test_extension_request_through_the_page(client, cast) -> None:
    lead = cast.lead_assignment(cast.assigned(cohandlers=False))
    services.assignment_accept(actor=cast.liaison, assignment=lead)
    client.force_login(cast.liaison)
    before = snapshot(lead)
    too_late = (lead.hard_due + dt.timedelta(days=1)).isoformat()
    r = client.post(act(lead, "extension"), {"requested_due": too_late, "reason": "需要财政评审"})
    assert r.status_code == 400 and "The latest possible date is" in page(r) and "需要财政评审" in page(r)
    assert snapshot(lead) == before
    r = client.post(act(lead, "extension"), {"requested_due": lead.hard_due.isoformat(), "reason": "需要财政评审"})
    assert r.status_code == 302
    assert Extension.objects.get(assignment=lead).status == "pending"
    body = page(client.get(ws(lead)))
    assert 'data-testid="extension"' in body and "Pending" in body and 'data-testid="request-extension"' not in body


# ---------------------------------------------------------------------------------------- home page


def test_todo_items_with_due_dates(client, cast) -> None:
    p = cast.assigned()
    lead, co = cast.lead_assignment(p), cast.co_assignment(p)
    items = unit_items(cast.liaison)
    assert [(i.title, i.due, i.url) for i in items] == [
        (f"Accept or object: {p.title}", lead.objection_due, ws(lead))]

    services.assignment_accept(actor=cast.liaison, assignment=lead)
    services.assignment_accept(actor=cast.co_liaison, assignment=co)
    got = {(i.title.split(":")[0], i.due) for i in unit_items(cast.liaison)}
    assert got == {("Reply to", lead.reply_due), ("Contact the proposer", lead.first_contact_due)}
    assert [(i.title.split(":")[0], i.due) for i in unit_items(cast.co_leader)] == [
        ("Send your opinion to the lead unit", co.opinion_due)]

    services.cohandler_opinion_submit(actor=cast.co_liaison, assignment=co, body="意见")
    services.contact_record(actor=cast.liaison, assignment=lead, happened_on=timezone.localdate(),
                            method="phone", summary="电话沟通")
    reply = services.reply_save_draft(actor=cast.liaison, assignment=lead, **REPLY_FIELDS)
    assert [i.detail for i in unit_items(cast.liaison)] == ["Draft saved; awaiting the leader's sign-off."]
    assert [(i.title.split(":")[0], i.due) for i in unit_items(cast.unit_leader)] == [
        ("Sign off the reply", lead.reply_due)]
    services.reply_submit(actor=cast.unit_leader, reply=reply)
    assert unit_items(cast.liaison) == []  # with the co-handlers now
    assert [(i.title.split(":")[0], i.due, i.url) for i in unit_items(cast.co_liaison)] == [
        ("Co-sign the lead unit's reply", co.reply_due, ws(co))]
    services.reply_cosign(actor=cast.co_liaison, reply=reply, assignment=co)
    services.reply_review(actor=cast.supervisor, reply=reply, approve=False, note="请补充")
    assert [(i.title.split(":")[0], i.due) for i in unit_items(cast.liaison)] == [
        ("Revise the returned reply", lead.reply_due)]

    # The home page lists them through the configured providers.
    assert any(i.url == ws(lead) for i in todo_for(cast.liaison))
    client.force_login(cast.liaison)
    assert ws(lead) in page(client.get(reverse("home")))
    assert unit_items(cast.member) == []


# ------------------------------------------------------------------------------------------- helpers


def test_suggestions_split_into_points_for_the_reply() -> None:
    text = "一、加大财政投入，分类推进管网建设；二、建立县乡村三级运维机制；三、加强宣传引导。"
    points = suggestion_points(text)
    assert points == ["一、加大财政投入，分类推进管网建设；", "二、建立县乡村三级运维机制；", "三、加强宣传引导。"]
    assert reply_outline(points).splitlines()[0] == "1. On “加大财政投入”"
    assert suggestion_points("建议：一是加大投入；二是完善机制，其中一是指运维。") == [
        "一是加大投入；", "二是完善机制，其中一是指运维。"]
    assert reply_outline(["一是加大投入；"]).splitlines()[0] == "1. On “加大投入”"
    assert suggestion_points("1.加强管理；2. 投入3.5亿元。") == ["1.加强管理；", "2. 投入3.5亿元。"]
    assert suggestion_points("加强管理。") == ["加强管理。"]
    assert suggestion_points("") == []


def test_workspace_query_count_does_not_grow_with_its_records(client, cast) -> None:
    p = cast.assigned()
    reply = cast.reply_ready(p)
    lead = reply.assignment
    client.force_login(cast.liaison)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(ws(lead)).status_code == 200
        return len(ctx.captured_queries)

    small = queries()
    for n in range(4):
        services.contact_record(actor=cast.liaison, assignment=lead, happened_on=timezone.localdate(),
                                method="phone", summary=f"第{n}次电话沟通")
        services.reply_save_draft(actor=cast.liaison, assignment=lead, body=f"第{n}稿")
    co = cast.co_assignment(p)
    services.assignment_accept(actor=cast.co_liaison, assignment=co)
    services.cohandler_opinion_submit(actor=cast.co_liaison, assignment=co, body="意见")
    assert queries() <= small
