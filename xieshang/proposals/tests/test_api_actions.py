"""The transitions the main path (test_api.py) does not take, one endpoint at a time."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xieshang.proposals import services
from xieshang.proposals.models import Assignment, Evaluation, Proposal, Proposer, Reply
from xieshang.proposals.tests.factories import Cast
from xieshang.proposals.tests.test_api import client_for, url


def test_decline_an_invitation(cast: Cast) -> None:
    proposal = cast.draft()
    services.proposal_invite_cosigners(actor=cast.member, proposal=proposal, members=[cast.cosigner.member])
    r = client_for(cast.cosigner).post(url("proposal-decline", proposal_id=proposal.pk))
    assert r.status_code == 200
    assert Proposer.objects.get(proposal=proposal, member=cast.cosigner.member).status == "declined"


def test_edit_a_draft(cast: Cast) -> None:
    proposal = cast.draft()
    r = client_for(cast.member).patch(url("proposal-detail", proposal_id=proposal.pk),
                                      {"title": "关于农村污水治理的再建议", "category": "rural"}, format="json")
    assert (r.status_code, r.json()["title"], r.json()["category"]) == (200, "关于农村污水治理的再建议", "rural")


def test_withdraw(cast: Cast) -> None:
    proposal = cast.submitted()
    r = client_for(cast.member).post(url("proposal-withdraw", proposal_id=proposal.pk), {"reason": "重复"},
                                     format="json")
    assert r.json()["status"] == "withdrawn"


def test_return_for_revision_then_resubmit(cast: Cast) -> None:
    proposal = cast.submitted()
    r = client_for(cast.staff).post(url("proposal-return", proposal_id=proposal.pk), {"reason": "建议部分过于笼统"},
                                    format="json")
    assert (r.json()["status"], r.json()["decision_reason"]) == ("returned", "建议部分过于笼统")
    member = client_for(cast.member)
    member.patch(url("proposal-detail", proposal_id=proposal.pk), {"suggestions": "一、二、三、具体建议"},
                 format="json")
    assert member.post(url("proposal-submit", proposal_id=proposal.pk)).json()["status"] == "submitted"


def test_not_file_with_ground_reason_and_disposition(cast: Cast) -> None:
    proposal = cast.submitted()
    r = client_for(cast.staff).post(url("proposal-not-file", proposal_id=proposal.pk), {
        "ground": "no_suggestion", "reason": "缺少具体建议", "disposition": "public_opinion"}, format="json")
    assert r.status_code == 200
    data = r.json()
    assert (data["status"], data["not_filed_ground"], data["disposition"]) == (
        "not_filed", "no_suggestion", "public_opinion")
    # The proposer sees the reason.
    seen = client_for(cast.member).get(url("proposal-detail", proposal_id=proposal.pk)).json()
    assert seen["decision_reason"] == "缺少具体建议"


def test_merge_into_a_lead_proposal(cast: Cast) -> None:
    lead = cast.filed(title="主提案")
    other = cast.submitted(title="相似提案", by=cast.outsider)
    staff = client_for(cast.staff)
    r = staff.post(url("proposal-merge", proposal_id=other.pk), {"into": lead.pk, "reason": "内容相近"},
                   format="json")
    assert (r.json()["status"], r.json()["merged_into"]) == ("merged", lead.pk)
    assert staff.get(url("proposal-detail", proposal_id=lead.pk)).json()["merged_proposals"] == [other.pk]
    r = staff.post(url("proposal-merge", proposal_id=lead.pk), {"into": 999999}, format="json")
    assert r.status_code == 400 and "into" in r.json()


def test_separate_handling(cast: Cast) -> None:
    proposal = cast.filed()
    r = client_for(cast.staff).post(url("proposal-assign", proposal_id=proposal.pk),
                                    {"separate": [cast.unit.pk, cast.other_unit.pk]}, format="json")
    assert sorted(a["role"] for a in r.json()["assignments"]) == ["separate", "separate"]


def test_objection_upheld_and_objection_moving_the_proposal(cast: Cast) -> None:
    proposal = cast.assigned(cohandlers=False)
    lead = cast.lead_assignment(proposal)
    r = client_for(cast.liaison).post(url("proposal-assignment-object", assignment_id=lead.pk),
                                      {"reason": "不属于本单位职责"}, format="json")
    assert (r.json()["status"], r.json()["objection_reason"]) == ("objected", "不属于本单位职责")
    staff = client_for(cast.staff)
    r = staff.post(url("proposal-assignment-decide-objection", assignment_id=lead.pk),
                   {"uphold": False, "new_unit": cast.other_unit.pk, "note": "改由农业农村局办理"}, format="json")
    assert r.status_code == 200, r.json()
    assert (r.json()["unit"]["id"], r.json()["status"]) == (cast.other_unit.pk, "assigned")
    assert r.json()["id"] != lead.pk
    assert Assignment.objects.get(pk=lead.pk).status == "cancelled"
    moved = Assignment.objects.get(pk=r.json()["id"])
    client_for(cast.other_liaison).post(url("proposal-assignment-object", assignment_id=moved.pk),
                                        {"reason": "也不属于本单位"}, format="json")
    r = staff.post(url("proposal-assignment-decide-objection", assignment_id=moved.pk), {"uphold": True},
                   format="json")
    assert (r.json()["id"], r.json()["status"], r.json()["acceptance"]) == (moved.pk, "handling", "upheld")


def test_extension_requested_and_granted(cast: Cast) -> None:
    proposal = cast.assigned(cohandlers=False)
    lead = cast.lead_assignment(proposal)
    new_due = lead.reply_due + dt.timedelta(days=20)
    r = client_for(cast.liaison).post(url("proposal-assignment-request-extension", assignment_id=lead.pk),
                                      {"reason": "需跨部门协调", "requested_due": new_due.isoformat()}, format="json")
    assert (r.status_code, r.json()["status"]) == (201, "pending")
    # The unit and staff see the request in the proposal's detail; the proposer does not.
    detail = client_for(cast.staff).get(url("proposal-detail", proposal_id=proposal.pk)).json()
    assert [e["id"] for e in detail["assignments"][0]["extensions"]] == [r.json()["id"]]
    member_view = client_for(cast.member).get(url("proposal-detail", proposal_id=proposal.pk)).json()
    assert member_view["assignments"][0]["extensions"] is None
    r = client_for(cast.staff).post(url("proposal-extension-decide", extension_id=r.json()["id"]),
                                    {"approve": True, "note": "同意"}, format="json")
    assert r.json()["status"] == "approved"
    assert Assignment.objects.get(pk=lead.pk).reply_due == new_due


def test_reply_returned_by_review_is_edited_and_approved_with_another_class(cast: Cast) -> None:
    proposal = cast.assigned(cohandlers=False)
    reply = cast.reply_ready(proposal)
    lead = cast.lead_assignment(proposal)
    services.reply_submit(actor=cast.unit_leader, reply=reply)
    supervisor = client_for(cast.supervisor)
    r = supervisor.post(url("proposal-reply-review", reply_id=reply.pk), {"approve": False, "note": "未逐条答复"},
                        format="json")
    assert (r.json()["status"], r.json()["review_note"]) == ("returned", "未逐条答复")
    r = client_for(cast.liaison).post(url("proposal-assignment-reply", assignment_id=lead.pk),
                                      {"body": "逐条答复如下……"}, format="json")
    assert (r.json()["status"], r.json()["body"], r.json()["signatory"]) == ("returned", "逐条答复如下……", "局长 王某")
    client_for(cast.unit_leader).post(url("proposal-assignment-reply-submit", assignment_id=lead.pk))
    r = supervisor.post(url("proposal-reply-review", reply_id=reply.pk), {"approve": True, "result_class": "B"},
                        format="json")
    assert (r.json()["status"], r.json()["result_class"]) == ("sent", "B")


def test_signed_letter_upload(cast: Cast) -> None:
    proposal = cast.assigned(cohandlers=False)
    reply = cast.reply_ready(proposal)
    upload = SimpleUploadedFile("答复函.pdf", b"%PDF-1.4\n%signed\n", content_type="application/pdf")
    r = client_for(cast.liaison).post(url("proposal-reply-letter", reply_id=reply.pk), {"file": upload},
                                      format="multipart")
    assert (r.status_code, r.json()["has_signed_letter"]) == (200, True)
    assert Reply.objects.get(pk=reply.pk).signed_letter.name.endswith(".pdf")


def test_paper_evaluation_entered_by_staff(cast: Cast) -> None:
    proposal = cast.replied()
    reply = Reply.objects.get(assignment__proposal=proposal)
    r = client_for(cast.staff).post(url("proposal-reply-evaluate", reply_id=reply.pk),
                                    {"result": "satisfied", "on_behalf_of": cast.member.member.pk}, format="json")
    assert (r.status_code, r.json()["channel"], r.json()["member"]["id"]) == (201, "paper", cast.member.member.pk)
    assert Evaluation.objects.get().entered_by == cast.staff
    assert Proposal.objects.get(pk=proposal.pk).status == "closed"


def test_dissatisfied_then_rehandled(cast: Cast) -> None:
    proposal = cast.replied()
    reply = Reply.objects.get(assignment__proposal=proposal)
    client_for(cast.member).post(url("proposal-reply-evaluate", reply_id=reply.pk),
                                 {"result": "dissatisfied", "attitude": "basically", "effect": "dissatisfied"},
                                 format="json")
    r = client_for(cast.staff).post(url("proposal-rehandle", proposal_id=proposal.pk), {"note": "请再次与提案人面商"},
                                    format="json")
    assert r.json()["status"] == "rehandling"
    lead = next(a for a in r.json()["assignments"] if a["role"] == "sole")
    assert (lead["status"], lead["round"]) == ("handling", 2)


def test_close_a_class_b_reply_then_mark_it_implemented(cast: Cast) -> None:
    proposal = cast.replied(cls="B")
    staff = client_for(cast.staff)
    assert staff.post(url("proposal-close", proposal_id=proposal.pk), {"note": "未全部反馈"},
                      format="json").json()["status"] == "follow_up"
    r = staff.post(url("proposal-implemented", proposal_id=proposal.pk), {"note": "管网已建成"}, format="json")
    assert r.json()["status"] == "closed"


def test_publish_with_a_public_summary(cast: Cast) -> None:
    proposal = cast.replied()
    reply = Reply.objects.get(assignment__proposal=proposal)
    r = client_for(cast.staff).post(url("proposal-publish", proposal_id=proposal.pk),
                                    {"summaries": [{"reply": reply.pk, "summary": "已纳入年度计划"}]}, format="json")
    assert (r.status_code, r.json()["is_public"]) == (200, True)
    assert Reply.objects.get(pk=reply.pk).public_summary == "已纳入年度计划"
    r = client_for(cast.staff).post(url("proposal-publish", proposal_id=proposal.pk), {"publish": False},
                                    format="json")
    assert r.json()["is_public"] is False


def test_unit_sees_overdue_flag_in_its_inbox(cast: Cast) -> None:
    proposal = cast.assigned(cohandlers=False)
    lead = cast.lead_assignment(proposal)
    services.assignment_accept(actor=cast.liaison, assignment=lead)
    Assignment.objects.filter(pk=lead.pk).update(reply_due=timezone.localdate() - dt.timedelta(days=1))
    item = client_for(cast.liaison).get(url("proposal-assignment-list")).json()["results"][0]
    assert (item["is_overdue"], item["due_now"]) == (True, (timezone.localdate() - dt.timedelta(days=1)).isoformat())
    board = client_for(cast.staff).get(url("proposal-overdue")).json()
    assert [a["id"] for a in board["assignments"]] == [lead.pk]
