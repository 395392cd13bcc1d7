"""Refusals through the proposals API: each answers with the right status and the service's own message,
and changes nothing (no state, no row, no event)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xieshang.ledger.models import Event
from xieshang.organisation.tests.factories import UnitFactory
from xieshang.proposals import services
from xieshang.proposals.models import Assignment, Evaluation, Extension, Proposal, Proposer, Reply
from xieshang.proposals.tests.factories import Cast
from xieshang.proposals.tests.test_api import client_for, url

NOT_ALLOWED = "You are not allowed to do this."


def _refused(response: Any, status: int, detail: str, code: str | None = None) -> None:
    assert response.status_code == status, response.content
    assert response.json()["detail"] == detail
    if code is not None:
        assert response.json()["code"] == code


def test_evaluation_by_a_non_proposer_is_forbidden(cast: Cast) -> None:
    proposal = cast.replied()
    reply = Reply.objects.get(assignment__proposal=proposal)
    events = Event.objects.count()
    # The unit must not fill in the form for the member, nor may staff without a paper form.
    for user in (cast.liaison, cast.staff):
        r = client_for(user).post(url("proposal-reply-evaluate", reply_id=reply.pk), {"result": "satisfied"},
                                  format="json")
        _refused(r, 403, NOT_ALLOWED, "permission_denied")
    # A paper form must come from one of the proposers.
    r = client_for(cast.staff).post(url("proposal-reply-evaluate", reply_id=reply.pk),
                                    {"result": "satisfied", "on_behalf_of": cast.outsider.member.pk}, format="json")
    _refused(r, 403, "Only the proposal's proposers evaluate its reply.", "permission_denied")
    # A member who is no proposer does not even see the reply.
    r = client_for(cast.outsider).post(url("proposal-reply-evaluate", reply_id=reply.pk), {"result": "satisfied"},
                                       format="json")
    assert r.status_code == 404
    assert not Evaluation.objects.exists()
    assert Proposal.objects.get(pk=proposal.pk).status == "replied"
    assert Event.objects.count() == events


def test_a_second_evaluation_conflicts(cast: Cast) -> None:
    proposal = cast.replied()
    reply = Reply.objects.get(assignment__proposal=proposal)
    member = client_for(cast.member)
    r = member.post(url("proposal-reply-evaluate", reply_id=reply.pk), {"result": "dissatisfied", "comment": "没回应"},
                    format="json")
    assert r.status_code == 201
    r = member.post(url("proposal-reply-evaluate", reply_id=reply.pk), {"result": "satisfied"}, format="json")
    _refused(r, 409, f"This reply was already evaluated by {cast.member.member}.", "concurrent_change")
    assert list(Evaluation.objects.values_list("result", flat=True)) == ["dissatisfied"]


def test_filing_twice_is_refused(cast: Cast) -> None:
    proposal = cast.submitted()
    staff = client_for(cast.staff)
    assert staff.post(url("proposal-file", proposal_id=proposal.pk)).status_code == 200
    events = Event.objects.count()
    r = staff.post(url("proposal-file", proposal_id=proposal.pk))
    _refused(r, 400, "This cannot be done now: the proposal is “Filed”.", "transition_not_allowed")
    proposal.refresh_from_db()
    assert (proposal.number, proposal.status) == (1, "filed")
    assert Event.objects.count() == events


def test_assigning_twice_conflicts(cast: Cast) -> None:
    proposal = cast.assigned()
    events = Event.objects.count()
    r = client_for(cast.staff).post(url("proposal-assign", proposal_id=proposal.pk),
                                    {"lead": cast.other_unit.pk}, format="json")
    _refused(r, 409, "This proposal is not waiting for assignment (it is “Being handled”).", "concurrent_change")
    assert Assignment.objects.filter(proposal=proposal).count() == 2
    assert Event.objects.count() == events


def test_cosigning_after_the_deadline_is_refused(cast: Cast) -> None:
    proposal = cast.draft()
    invited = services.proposal_invite_cosigners(actor=cast.member, proposal=proposal,
                                                 members=[cast.cosigner.member])[0]
    events = Event.objects.count()
    later = dt.datetime.combine(invited.due + dt.timedelta(days=1), dt.time(10), tzinfo=timezone.get_current_timezone())
    with time_machine.travel(later):
        r = client_for(cast.cosigner).post(url("proposal-sign", proposal_id=proposal.pk))
    _refused(r, 400, f"The co-signing deadline ({invited.due.isoformat()}) has passed.", "deadline_passed")
    assert Proposer.objects.get(pk=invited.pk).status == "invited"
    assert Event.objects.count() == events


def test_only_the_first_proposer_edits_and_only_a_draft(cast: Cast) -> None:
    draft = cast.draft()
    services.proposal_invite_cosigners(actor=cast.member, proposal=draft, members=[cast.cosigner.member])
    r = client_for(cast.cosigner).patch(url("proposal-detail", proposal_id=draft.pk), {"title": "改"}, format="json")
    _refused(r, 403, NOT_ALLOWED, "permission_denied")
    submitted = cast.submitted(title="已提交")
    r = client_for(cast.member).patch(url("proposal-detail", proposal_id=submitted.pk), {"title": "改"},
                                      format="json")
    _refused(r, 400, "Only a draft or a returned proposal can be edited.", "transition_not_allowed")
    assert set(Proposal.objects.values_list("title", flat=True)) == {draft.title, "已提交"}


def test_submitting_an_incomplete_draft_lists_what_is_missing(cast: Cast) -> None:
    draft = cast.draft(analysis="")
    r = client_for(cast.member).post(url("proposal-submit", proposal_id=draft.pk))
    _refused(r, 400, "The analysis (分析) is missing: a proposal needs all three parts.", "incomplete")
    assert Proposal.objects.get(pk=draft.pk).status == "draft"


def test_only_members_draft(cast: Cast) -> None:
    r = client_for(cast.staff).post(url("proposal-list"), {"title": "工作人员的提案"}, format="json")
    _refused(r, 403, NOT_ALLOWED, "permission_denied")
    assert not Proposal.objects.exists()


def test_malformed_input_is_a_400_naming_the_field(cast: Cast) -> None:
    draft = cast.draft()
    member = client_for(cast.member)
    r = member.post(url("proposal-invite-cosigners", proposal_id=draft.pk), {"members": ["x"]}, format="json")
    assert r.status_code == 400 and "members" in r.json()
    r = member.post(url("proposal-list"), {}, format="json")
    assert r.status_code == 400 and "title" in r.json()
    assert Proposal.objects.count() == 1


def test_unknown_or_foreign_ids_in_the_body_are_refused(cast: Cast, other_committee: Any) -> None:
    proposal = cast.filed()
    foreign_unit = UnitFactory(committee=other_committee)
    staff = client_for(cast.staff)
    for body in ({"lead": foreign_unit.pk}, {"lead": cast.unit.pk, "cohandlers": [999999]}):
        r = staff.post(url("proposal-assign", proposal_id=proposal.pk), body, format="json")
        assert r.status_code == 400, r.json()
        assert set(r.json()) <= {"lead", "cohandlers"}
    r = client_for(cast.member).post(url("proposal-invite-cosigners", proposal_id=cast.draft().pk),
                                     {"members": [cast.member.member.pk + 100000]}, format="json")
    assert r.status_code == 400 and "members" in r.json()
    assert not Assignment.objects.exists()
    assert Proposal.objects.get(pk=proposal.pk).status == "filed"


def test_units_reach_only_their_own_assignments(cast: Cast) -> None:
    proposal = cast.assigned()
    lead = cast.lead_assignment(proposal)
    events = Event.objects.count()
    assert client_for(cast.other_liaison).post(url("proposal-assignment-accept", assignment_id=lead.pk)).status_code \
        == 404
    assert client_for(cast.member).post(url("proposal-assignment-accept", assignment_id=lead.pk)).status_code == 404
    # Staff reach it, but accepting is the unit's act.
    r = client_for(cast.staff).post(url("proposal-assignment-accept", assignment_id=lead.pk))
    _refused(r, 403, NOT_ALLOWED, "permission_denied")
    assert Assignment.objects.get(pk=lead.pk).status == "assigned"
    assert Event.objects.count() == events


def test_a_liaison_cannot_sign_the_reply_off(cast: Cast) -> None:
    proposal = cast.assigned(cohandlers=False)
    reply = cast.reply_ready(proposal)
    r = client_for(cast.liaison).post(url("proposal-assignment-reply-submit",
                                          assignment_id=cast.lead_assignment(proposal).pk))
    _refused(r, 403, NOT_ALLOWED, "permission_denied")
    assert Reply.objects.get(pk=reply.pk).status == "draft"


def test_reply_submit_without_a_draft(cast: Cast) -> None:
    proposal = cast.assigned(cohandlers=False)
    lead = cast.lead_assignment(proposal)
    services.assignment_accept(actor=cast.liaison, assignment=lead)
    r = client_for(cast.unit_leader).post(url("proposal-assignment-reply-submit", assignment_id=lead.pk))
    _refused(r, 400, "Draft the reply first.", "invalid")


def test_an_incomplete_reply_is_not_signed_off(cast: Cast) -> None:
    proposal = cast.assigned(cohandlers=False)
    lead = cast.lead_assignment(proposal)
    services.assignment_accept(actor=cast.liaison, assignment=lead)
    client_for(cast.liaison).post(url("proposal-assignment-reply", assignment_id=lead.pk), {"body": "草稿"},
                                  format="json")
    r = client_for(cast.unit_leader).post(url("proposal-assignment-reply-submit", assignment_id=lead.pk))
    assert (r.status_code, r.json()["code"]) == (400, "incomplete")
    assert "Mark the result class." in r.json()["detail"]
    assert Reply.objects.get(assignment=lead).status == "draft"


def test_units_cannot_decide_extensions_and_a_decision_is_final(cast: Cast) -> None:
    proposal = cast.assigned(cohandlers=False)
    lead = cast.lead_assignment(proposal)
    ext = services.extension_request(actor=cast.liaison, assignment=lead, reason="需跨部门协调",
                                     requested_due=lead.reply_due + dt.timedelta(days=20))
    r = client_for(cast.liaison).post(url("proposal-extension-decide", extension_id=ext.pk), {"approve": True},
                                      format="json")
    _refused(r, 403, NOT_ALLOWED, "permission_denied")
    assert Extension.objects.get(pk=ext.pk).status == "pending"
    staff = client_for(cast.staff)
    assert staff.post(url("proposal-extension-decide", extension_id=ext.pk), {"approve": False},
                      format="json").status_code == 200
    r = staff.post(url("proposal-extension-decide", extension_id=ext.pk), {"approve": True}, format="json")
    _refused(r, 409, "This request was already decided.", "concurrent_change")
    assert Assignment.objects.get(pk=lead.pk).reply_due == lead.reply_due


def test_only_reviewers_review_replies(cast: Cast) -> None:
    proposal = cast.assigned(cohandlers=False)
    reply = cast.reply_ready(proposal)
    services.reply_submit(actor=cast.unit_leader, reply=reply)
    r = client_for(cast.unit_leader).post(url("proposal-reply-review", reply_id=reply.pk), {"approve": True},
                                          format="json")
    _refused(r, 403, NOT_ALLOWED, "permission_denied")
    r = client_for(cast.supervisor).post(url("proposal-reply-review", reply_id=reply.pk), {"approve": False},
                                         format="json")
    _refused(r, 400, "Say why the reply is returned.", "invalid")
    assert Reply.objects.get(pk=reply.pk).status == "in_review"


def test_a_draft_reply_is_not_found_by_proposers(cast: Cast) -> None:
    proposal = cast.assigned(cohandlers=False)
    reply = cast.reply_ready(proposal)
    r = client_for(cast.member).post(url("proposal-reply-evaluate", reply_id=reply.pk), {"result": "satisfied"},
                                     format="json")
    assert r.status_code == 404
    assert client_for(cast.other_liaison).post(url("proposal-reply-review", reply_id=reply.pk),
                                               {"approve": True}, format="json").status_code == 404


def test_the_letter_must_be_a_pdf(cast: Cast) -> None:
    proposal = cast.assigned(cohandlers=False)
    reply = cast.reply_ready(proposal)
    upload = SimpleUploadedFile("letter.docx", b"PK\x03\x04 not a pdf", content_type="application/octet-stream")
    r = client_for(cast.liaison).post(url("proposal-reply-letter", reply_id=reply.pk), {"file": upload},
                                      format="multipart")
    _refused(r, 400, "Upload the signed letter as a PDF file.")
    assert not Reply.objects.get(pk=reply.pk).signed_letter


def test_boards_refuse_members(cast: Cast) -> None:
    r = client_for(cast.member).get(url("proposal-review-queue"))
    assert r.status_code == 403 and r.json()["detail"] == NOT_ALLOWED
