"""A unit handles its assignment: contacts with the proposer, a co-handler's opinion to the lead unit, the
reply (drafted, signed off by the unit's leader, co-signed by co-handlers, reviewed by the supervising
office) and the signed letter."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.errors import ConcurrentChange, DomainError
from xieshang.ledger.services import event_record
from xieshang.proposals.models import Assignment, CohandlerOpinion, ContactRecord, Reply, ReplyCosign
from xieshang.proposals.services._common import (
    assignment_url,
    calendar,
    evaluator_member_ids,
    lock_assignment,
    lock_proposal,
    proposal_url,
    require,
    rules,
    tell,
    today,
    transition,
    users_of_members,
    users_of_unit,
    users_with_role,
)
from xieshang.proposals.workflow import (
    ASSIGNMENT_TRANSITIONS,
    PROPOSAL_TRANSITIONS,
    REPLY_TRANSITIONS,
    AssignmentStatus,
    ReplyStatus,
)
from xieshang.search.indexing import index_after_commit

A, R = AssignmentStatus, ReplyStatus
REPLY_FIELDS = ("document_number", "signatory", "result_class", "body", "contact_person", "contact_phone", "cc",
                "public_summary")
MAX_LETTER_BYTES = 10 * 1024 * 1024


def contact_record(*, actor: Any, assignment: Assignment, happened_on: dt.date, method: str, summary: str,
                   participants: str = "") -> ContactRecord:
    """办前面商 and later contacts with the proposer."""
    require(actor, "proposals.handle_assignment", assignment)
    if method not in ContactRecord.Method.values:
        raise DomainError(_("Choose how the contact took place."))
    if not summary.strip():
        raise DomainError(_("Summarise what was discussed."))
    if happened_on > today():
        raise DomainError(_("A contact cannot be recorded before it happens."))
    with transaction.atomic():
        assignment = lock_assignment(assignment)
        if assignment.status != A.HANDLING:
            raise DomainError(_("Contacts are recorded while the unit handles the proposal; accept it first."),
                              code="transition_not_allowed")
        if happened_on < timezone.localtime(assignment.assigned_at).date():
            raise DomainError(_("The contact predates the assignment."))
        record = ContactRecord.objects.create(assignment=assignment, happened_on=happened_on, method=method,
                                              summary=summary.strip(), participants=participants.strip(),
                                              recorded_by=actor)
        event_record(committee_id=assignment.committee_id, actor=actor, verb="proposals.contact_recorded",
                     target=assignment, data={"method": method, "on": happened_on.isoformat()})
    return record


def cohandler_opinion_submit(*, actor: Any, assignment: Assignment, body: str) -> CohandlerOpinion:
    """A co-handler's written opinion goes to the lead unit, never straight to the proposer."""
    require(actor, "proposals.handle_assignment", assignment)
    if not body.strip():
        raise DomainError(_("Write the opinion."))
    with transaction.atomic():
        assignment = lock_assignment(assignment)
        if assignment.role != Assignment.Role.CO:
            raise DomainError(_("Only a co-handling unit gives an opinion to the lead unit."))
        if assignment.status != A.HANDLING:
            raise DomainError(_("Accept the assignment first."), code="transition_not_allowed")
        if assignment.opinions.filter(round=assignment.round).exists():
            raise DomainError(_("Your unit already gave its opinion in this round."))
        opinion = CohandlerOpinion.objects.create(assignment=assignment, round=assignment.round, body=body.strip(),
                                                  submitted_by=actor)
        event_record(committee_id=assignment.committee_id, actor=actor, verb="proposals.opinion_given",
                     target=assignment)
        lead = assignment.proposal.assignments.filter(role=Assignment.Role.LEAD).exclude(status=A.CANCELLED).first()
        if lead is not None:
            tell(assignment.committee_id, users_of_unit(lead.unit_id), "opinion_given",
                 _("%(unit)s sent its opinion on: %(title)s") % {"unit": assignment.unit,
                                                                "title": assignment.proposal.title},
                 url=assignment_url(lead))
    return opinion


def _current_reply(assignment: Assignment) -> Reply | None:
    return assignment.replies.filter(round=assignment.round).first()


def reply_save_draft(*, actor: Any, assignment: Assignment, **fields: Any) -> Reply:
    """Create or edit the reply of the current round while it is a draft or was returned."""
    require(actor, "proposals.handle_assignment", assignment)
    unknown = set(fields) - set(REPLY_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    cleaned = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    codes = rules(assignment.committee_id).reply_class_codes()
    if cleaned.get("result_class") and cleaned["result_class"] not in codes:
        raise DomainError(_("Choose one of the classes %(codes)s.") % {"codes": "/".join(codes)})
    with transaction.atomic():
        assignment = lock_assignment(assignment)
        if not assignment.replies_to_proposer:
            raise DomainError(_("A co-handling unit does not reply to the proposer; it gives its opinion to the lead "
                                "unit."))
        if assignment.status != A.HANDLING:
            raise DomainError(_("Accept the assignment first."), code="transition_not_allowed")
        reply = _current_reply(assignment)
        if reply is None:
            reply = Reply(assignment=assignment, round=assignment.round, drafted_by=actor)
        else:
            transition_check = REPLY_TRANSITIONS["edit"][0]
            if reply.status not in transition_check:
                raise DomainError(_("The reply is with the co-handlers or the supervising office and cannot be edited "
                                    "now."), code="transition_not_allowed")
        for k, v in cleaned.items():
            setattr(reply, k, v)
        creating = reply.pk is None
        reply.save()
        event_record(committee_id=assignment.committee_id, actor=actor,
                     verb="proposals.reply_drafted" if creating else "proposals.reply_edited", target=reply,
                     data={"fields": sorted(cleaned)})
        index_after_commit("reply", reply.pk)
    return reply


def reply_problems(reply: Reply) -> list[str]:
    """What stops the reply from being signed off (shown in the unit's workspace before it tries)."""
    found = []
    if not reply.body.strip():
        found.append(_("The reply has no text."))
    if reply.result_class not in rules(reply.assignment.committee_id).reply_class_codes():
        found.append(_("Mark the result class."))
    if not reply.signatory.strip():
        found.append(_("Name the signatory (the unit's leader who signs the letter)."))
    if not reply.contact_person.strip() or not reply.contact_phone.strip():
        found.append(_("Give a contact person and phone."))
    return found


def reply_submit(*, actor: Any, reply: Reply) -> Reply:
    """The unit's leader signs the reply off (签发): to the co-handlers for 会签 if there are any, otherwise
    straight to the supervising review."""
    require(actor, "proposals.sign_off_reply", reply.assignment)
    with transaction.atomic():
        assignment = lock_assignment(reply.assignment)
        reply = Reply.objects.select_for_update().get(pk=reply.pk)
        found = reply_problems(reply)
        if found:
            raise DomainError(" ".join(found), code="incomplete")
        cohandlers = list(assignment.proposal.assignments.filter(role=Assignment.Role.CO).exclude(
            status=A.CANCELLED)) if assignment.role == Assignment.Role.LEAD else []
        reply.submitted_at = timezone.now()
        if cohandlers:
            ReplyCosign.objects.filter(reply=reply).delete()  # a returned reply is signed afresh
            ReplyCosign.objects.bulk_create(ReplyCosign(reply=reply, assignment=c) for c in cohandlers)
            transition(reply, REPLY_TRANSITIONS, "submit", actor=actor, verb="proposals.reply_submitted",
                       label=_("the reply"), to=R.COSIGNING, extra_fields=["submitted_at"])
            for c in cohandlers:
                tell(assignment.committee_id, users_of_unit(c.unit_id), "cosign_reply",
                     _("Co-sign the lead unit's reply: %(title)s") % {"title": assignment.proposal.title},
                     url=assignment_url(c))
        else:
            _to_review(actor, reply, action="submit")
    return reply


def _to_review(actor: Any, reply: Reply, *, action: str) -> None:
    committee_id = reply.assignment.committee_id
    reply.review_due = calendar(committee_id).add_working_days(
        today(), rules(committee_id)["proposal.reply_review_working_days"])
    transition(reply, REPLY_TRANSITIONS, action, actor=actor,
               verb="proposals.reply_submitted" if action == "submit" else "proposals.reply_cosigned_all",
               label=_("the reply"), to=R.IN_REVIEW, extra_fields=["submitted_at", "review_due"])
    tell(committee_id, users_with_role(committee_id, "supervisor", "proposal_staff"), "review_reply",
         _("A reply awaits your review: %(title)s") % {"title": reply.assignment.proposal.title},
         url=proposal_url(reply.assignment.proposal))


def reply_cosign(*, actor: Any, reply: Reply, assignment: Assignment, note: str = "") -> ReplyCosign:
    """会签: a co-handler signs the lead unit's reply; the last signature sends it to review."""
    require(actor, "proposals.handle_assignment", assignment)
    with transaction.atomic():
        reply = Reply.objects.select_for_update().select_related("assignment__proposal").get(pk=reply.pk)
        if reply.status != R.COSIGNING:
            raise DomainError(_("The reply is not waiting for co-signatures."), code="transition_not_allowed")
        try:
            cosign = ReplyCosign.objects.select_for_update().get(reply=reply, assignment=assignment)
        except ReplyCosign.DoesNotExist as exc:
            raise DomainError(_("Your unit is not a co-handler of this reply.")) from exc
        if cosign.signed_at is not None:
            raise ConcurrentChange(_("Your unit already signed this reply."))
        cosign.signed_at, cosign.signed_by, cosign.note = timezone.now(), actor, note.strip()
        cosign.save(update_fields=["signed_at", "signed_by", "note"])
        event_record(committee_id=assignment.committee_id, actor=actor, verb="proposals.reply_cosigned",
                     target=reply, data={"unit": assignment.unit_id})
        if not reply.cosigns.filter(signed_at__isnull=True).exists():
            _to_review(actor, reply, action="cosign")
    return cosign


def reply_review(*, actor: Any, reply: Reply, approve: bool, note: str = "", result_class: str | None = None) -> Reply:
    """督办审核: approve (possibly changing the class) and send the reply to every proposer, or return it.
    A reply that does not answer the proposal, or came without any contact, is to be returned."""
    require(actor, "proposals.review_reply", reply.assignment)
    with transaction.atomic():
        proposal = lock_proposal(reply.assignment.proposal)
        assignment = lock_assignment(reply.assignment)
        reply = Reply.objects.select_for_update().get(pk=reply.pk)
        committee_id = assignment.committee_id
        if not approve:
            if not note.strip():
                raise DomainError(_("Say why the reply is returned."))
            reply.review_note, reply.reviewed_by = note.strip(), actor
            transition(reply, REPLY_TRANSITIONS, "return", actor=actor, verb="proposals.reply_returned",
                       label=_("the reply"), note=note, extra_fields=["review_note", "reviewed_by"])
            tell(committee_id, users_of_unit(assignment.unit_id), "reply_returned",
                 _("Your reply was returned: %(title)s") % {"title": proposal.title}, note, assignment_url(assignment))
            return reply
        old_class = reply.result_class
        if result_class is not None and result_class != old_class:
            if result_class not in rules(committee_id).reply_class_codes():
                raise DomainError(_("Unknown result class."))
            reply.result_class = result_class
        reply.review_note, reply.reviewed_by, reply.sent_at = note.strip(), actor, timezone.now()
        reply.evaluation_due = calendar(committee_id).add_working_days(
            today(), rules(committee_id)["proposal.evaluation_working_days"])
        transition(reply, REPLY_TRANSITIONS, "approve", actor=actor, verb="proposals.reply_sent",
                   label=_("the reply"), note=note, data={"class": reply.result_class, "class_before": old_class},
                   extra_fields=["result_class", "review_note", "reviewed_by", "sent_at", "evaluation_due"])
        transition(assignment, ASSIGNMENT_TRANSITIONS, "reply_sent", actor=actor, verb="proposals.assignment_replied",
                   label=_("the assignment"))
        if assignment.role == Assignment.Role.LEAD:
            for co in proposal.assignments.filter(role=Assignment.Role.CO, status=A.HANDLING):
                transition(co, ASSIGNMENT_TRANSITIONS, "reply_sent", actor=actor,
                           verb="proposals.assignment_replied", label=_("the assignment"))
        tell(committee_id, users_of_members(evaluator_member_ids(proposal)), "replied",
             _("%(unit)s replied to your proposal (class %(cls)s): %(title)s")
             % {"unit": assignment.unit, "cls": reply.result_class, "title": proposal.title},
             _("Please evaluate the reply by %(due)s.") % {"due": reply.evaluation_due.isoformat()},
             proposal_url(proposal))
        waiting = proposal.assignments.exclude(role=Assignment.Role.CO).exclude(
            status__in=[A.REPLIED, A.CLOSED, A.CANCELLED]).exists()
        if not waiting:
            transition(proposal, PROPOSAL_TRANSITIONS, "replied", actor=actor, verb="proposals.replied",
                       label=_("the proposal"))
    return reply


def reply_attach_signed_letter(*, actor: Any, reply: Reply, upload: UploadedFile) -> Reply:
    """Keep the stamped, signed letter (PDF) with the reply."""
    require(actor, "proposals.handle_assignment", reply.assignment)
    if upload.size is None or upload.size > MAX_LETTER_BYTES:
        raise DomainError(_("The file is larger than 10 MB."))
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-" or not upload.name.lower().endswith(".pdf"):
        raise DomainError(_("Upload the signed letter as a PDF file."))
    with transaction.atomic():
        reply = Reply.objects.select_for_update().get(pk=reply.pk)
        if reply.status == R.DRAFT and not reply.body:
            raise DomainError(_("Draft the reply before attaching the signed letter."))
        reply.signed_letter.save(upload.name, upload, save=False)
        reply.save(update_fields=["signed_letter"])
        event_record(committee_id=reply.assignment.committee_id, actor=actor, verb="proposals.letter_attached",
                     target=reply, data={"name": upload.name, "size": upload.size})
    return reply
