import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xieshang.core.errors import DomainError
from xieshang.notifications.models import Notification
from xieshang.proposals import services
from xieshang.proposals.models import Reply


def test_main_path_with_a_cohandler(cast) -> None:
    p = cast.assigned()
    co = cast.co_assignment(p)
    services.assignment_accept(actor=cast.co_liaison, assignment=co)
    services.cohandler_opinion_submit(actor=cast.co_liaison, assignment=co, body="建议将管网纳入城建计划")
    assert Notification.objects.filter(recipient=cast.liaison, kind="proposals.opinion_given").exists()
    reply = cast.reply_ready(p, cls="B")
    with pytest.raises(DomainError):  # a liaison drafts; the unit's leader signs off
        services.reply_submit(actor=cast.liaison, reply=reply)
    services.reply_submit(actor=cast.unit_leader, reply=reply)
    reply.refresh_from_db()
    assert reply.status == "cosigning"
    services.reply_cosign(actor=cast.co_leader, reply=reply, assignment=co)
    reply.refresh_from_db()
    assert reply.status == "in_review" and reply.review_due is not None
    services.reply_review(actor=cast.supervisor, reply=reply, approve=True, result_class="A", note="改为A类")
    reply.refresh_from_db()
    p.refresh_from_db()
    co.refresh_from_db()
    assert (reply.status, reply.result_class, p.status, co.status) == ("sent", "A", "replied", "replied")
    assert Notification.objects.filter(recipient=cast.member, kind="proposals.replied").exists()


def test_cohandler_cannot_reply_and_lead_cannot_give_an_opinion(cast) -> None:
    p = cast.assigned()
    lead, co = cast.lead_assignment(p), cast.co_assignment(p)
    services.assignment_accept(actor=cast.co_liaison, assignment=co)
    services.assignment_accept(actor=cast.liaison, assignment=lead)
    with pytest.raises(DomainError, match="co-handling"):
        services.reply_save_draft(actor=cast.co_liaison, assignment=co, body="x")
    with pytest.raises(DomainError, match="co-handling"):
        services.cohandler_opinion_submit(actor=cast.liaison, assignment=lead, body="x")
    assert not Reply.objects.exists()


def test_incomplete_reply_is_refused(cast) -> None:
    lead = cast.lead_assignment(cast.assigned(cohandlers=False))
    services.assignment_accept(actor=cast.liaison, assignment=lead)
    reply = services.reply_save_draft(actor=cast.liaison, assignment=lead, body="")
    with pytest.raises(DomainError) as exc:
        services.reply_submit(actor=cast.unit_leader, reply=reply)
    assert "class" in exc.value.message and "signatory" in exc.value.message
    reply.refresh_from_db()
    assert reply.status == "draft"


def test_unknown_class_is_refused(cast) -> None:
    lead = cast.lead_assignment(cast.assigned(cohandlers=False))
    services.assignment_accept(actor=cast.liaison, assignment=lead)
    with pytest.raises(DomainError):
        services.reply_save_draft(actor=cast.liaison, assignment=lead, result_class="E")


def test_supervisor_returns_a_reply_and_the_unit_revises_it(cast) -> None:
    p = cast.assigned(cohandlers=False)
    reply = cast.reply_ready(p)
    services.reply_submit(actor=cast.unit_leader, reply=reply)
    with pytest.raises(DomainError):
        services.reply_review(actor=cast.supervisor, reply=reply, approve=False, note="")
    services.reply_review(actor=cast.supervisor, reply=reply, approve=False, note="未逐条答复")
    reply.refresh_from_db()
    assert reply.status == "returned"
    services.reply_save_draft(actor=cast.liaison, assignment=reply.assignment, body="逐条答复如下……")
    services.reply_submit(actor=cast.unit_leader, reply=reply)
    reply.refresh_from_db()
    assert reply.status == "in_review"


def test_a_sent_reply_cannot_be_edited(cast) -> None:
    p = cast.replied()
    with pytest.raises(DomainError):
        services.reply_save_draft(actor=cast.liaison, assignment=cast.lead_assignment(p), body="改")


def test_contacts_are_recorded_while_handling_and_not_in_the_future(cast) -> None:
    lead = cast.lead_assignment(cast.assigned(cohandlers=False))
    with pytest.raises(DomainError, match="accept"):
        services.contact_record(actor=cast.liaison, assignment=lead, happened_on=timezone.localdate(),
                                method="phone", summary="电话沟通")
    services.assignment_accept(actor=cast.liaison, assignment=lead)
    with pytest.raises(DomainError):
        services.contact_record(actor=cast.liaison, assignment=lead,
                                happened_on=timezone.localdate() + dt.timedelta(days=1), method="phone", summary="x")
    rec = services.contact_record(actor=cast.liaison, assignment=lead, happened_on=timezone.localdate(),
                                  method="meeting", summary="面商")
    assert rec.is_face_to_face


def test_signed_letter_must_be_a_pdf(cast) -> None:
    p = cast.replied()
    reply = Reply.objects.get(assignment__proposal=p)
    with pytest.raises(DomainError, match="PDF"):
        services.reply_attach_signed_letter(actor=cast.liaison, reply=reply,
                                            upload=SimpleUploadedFile("letter.pdf", b"MZ\x90\x00 not a pdf"))
    with pytest.raises(DomainError, match="PDF"):
        services.reply_attach_signed_letter(actor=cast.liaison, reply=reply,
                                            upload=SimpleUploadedFile("letter.exe", b"%PDF-1.4 ..."))
    reply.refresh_from_db()
    assert not reply.signed_letter
    services.reply_attach_signed_letter(actor=cast.liaison, reply=reply,
                                        upload=SimpleUploadedFile("答复函.pdf", b"%PDF-1.4\n%%EOF"))
    reply.refresh_from_db()
    assert reply.signed_letter.name.endswith(".pdf")


def test_oversized_letter_is_refused(cast, monkeypatch) -> None:
    from xieshang.proposals.services import handling

    monkeypatch.setattr(handling, "MAX_LETTER_BYTES", 10)
    reply = Reply.objects.get(assignment__proposal=cast.replied())
    with pytest.raises(DomainError, match="10 MB"):
        services.reply_attach_signed_letter(actor=cast.liaison, reply=reply,
                                            upload=SimpleUploadedFile("a.pdf", b"%PDF-" + b"x" * 20))
