"""The periodic job that makes deadlines bite: lapsed co-signing invitations, assignments that stand after
the objection window, reminders before due dates, and escalation of overdue items to the supervising
office and the proposal committee. Idempotent: running it twice a day sends nothing twice.

Run by Celery beat in production, ``manage.py proposals_tick`` from cron, and in-process in the demo."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from xieshang.core.errors import DomainError
from xieshang.ledger.services import event_record
from xieshang.organisation.models import Committee
from xieshang.proposals.models import Assignment, Proposer, Reply
from xieshang.proposals.services._common import (
    assignment_url,
    calendar,
    lock_proposal,
    proposal_url,
    rules,
    tell,
    transition,
    users_of_members,
    users_of_unit,
    users_with_role,
)
from xieshang.proposals.services.assignment import assignments_stand
from xieshang.proposals.services.drafting import cosigning_due_for_submission, proposal_submit
from xieshang.proposals.workflow import PROPOSAL_TRANSITIONS, AssignmentStatus, ReplyStatus

A = AssignmentStatus


@dataclass
class TickReport:
    submitted: int = 0
    back_to_draft: int = 0
    stood: int = 0
    reminded: int = 0
    escalated: int = 0
    notes: list[str] = field(default_factory=list)


def _close_cosigning(committee_id: int, on: dt.date, report: TickReport) -> None:
    for proposal in cosigning_due_for_submission(committee_id=committee_id, on=on):
        Proposer.objects.filter(proposal=proposal, status=Proposer.Status.INVITED, due__lt=on).update(
            status=Proposer.Status.EXPIRED)
        try:
            proposal_submit(actor=None, proposal=proposal)
            report.submitted += 1
        except DomainError as exc:
            with transaction.atomic():
                locked = lock_proposal(proposal)
                if locked.status != "cosigning":
                    continue
                transition(locked, PROPOSAL_TRANSITIONS, "cosign_closed", actor=None,
                           verb="proposals.cosign_closed", label=_("the proposal"), note=exc.message)
                tell(committee_id, users_of_members([locked.lead_member_id]), "cosign_closed",
                     _("Co-signing closed; complete and submit your proposal: %(title)s") % {"title": locked.title},
                     exc.message, proposal_url(locked))
            report.back_to_draft += 1


def _remind_and_escalate(committee: Committee, on: dt.date, report: TickReport) -> None:
    cal = calendar(committee.pk)
    lead_days = rules(committee.pk)["proposal.reminder_working_days"]
    horizon = cal.add_working_days(on, lead_days)
    supervisors = users_with_role(committee.pk, "supervisor", "proposal_staff")
    open_assignments = Assignment.objects.filter(committee=committee, status=A.HANDLING).select_related(
        "proposal", "unit").prefetch_related("opinions")
    for a in open_assignments:
        due = a.due_for_now()
        if due is None:
            continue
        with transaction.atomic():
            if due < on and a.escalated_on is None:
                Assignment.objects.filter(pk=a.pk).update(escalated_on=on)
                event_record(committee_id=committee.pk, actor=None, verb="proposals.overdue_escalated", target=a,
                             data={"due": due.isoformat()})
                title = _("Overdue since %(due)s: %(unit)s, %(title)s") % {
                    "due": due.isoformat(), "unit": a.unit, "title": a.proposal.title}
                tell(committee.pk, [*users_of_unit(a.unit_id), *supervisors], "overdue", title,
                     url=assignment_url(a))
                report.escalated += 1
            elif on <= due <= horizon and a.reminded_on is None:
                Assignment.objects.filter(pk=a.pk).update(reminded_on=on)
                tell(committee.pk, users_of_unit(a.unit_id), "reminder",
                     _("Due %(due)s: %(title)s") % {"due": due.isoformat(), "title": a.proposal.title},
                     url=assignment_url(a))
                report.reminded += 1
    # Replies waiting too long for the supervising review are the reviewers' own overdue work.
    late_reviews = Reply.objects.filter(assignment__committee=committee, status=ReplyStatus.IN_REVIEW,
                                        review_due__lt=on).count()
    if late_reviews:
        report.notes.append(f"{committee.code}: {late_reviews} replies overdue for review")


def proposals_tick(*, on: dt.date, committee_id: int | None = None) -> TickReport:
    """Every active committee, or only ``committee_id`` (the demo generator replays its own history and
    must not touch other committees)."""
    report = TickReport()
    committees = Committee.objects.filter(is_active=True)
    if committee_id is not None:
        committees = committees.filter(pk=committee_id)
    for committee in committees:
        _close_cosigning(committee.pk, on, report)
        _remind_and_escalate(committee, on, report)
    report.stood = assignments_stand(on=on, committee_id=committee_id)
    return report



