"""Assigning a filed proposal to handling units (交办), and what a unit may do about it: accept, or object
within the window and let the office decide. A unit never passes a proposal on by itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.errors import ConcurrentChange, DomainError
from xieshang.ledger.services import event_record
from xieshang.organisation.models import HandlingUnit
from xieshang.proposals.models import Assignment, Extension, Proposal
from xieshang.proposals.services._common import (
    assignment_url,
    calendar,
    lock_assignment,
    lock_proposal,
    proposal_url,
    require,
    rules,
    signed_member_ids,
    tell,
    today,
    transition,
    users_of_members,
    users_of_unit,
    users_with_role,
)
from xieshang.proposals.workflow import ASSIGNMENT_TRANSITIONS, PROPOSAL_TRANSITIONS, AssignmentStatus
from xieshang.ruleset.workdays import add_months

A = AssignmentStatus
LABEL = "the assignment"


def assignment_dates(committee_id: int, role: str, start: dt.date) -> dict[str, dt.date | None]:
    """Every due date of a fresh assignment, from the committee's rules and calendar."""
    r, cal = rules(committee_id), calendar(committee_id)
    reply_due = cal.next_workday(add_months(start, r["proposal.reply_months"]))
    return {
        "objection_due": cal.add_working_days(start, r["proposal.objection_working_days"]),
        "first_contact_due": None if role == Assignment.Role.CO else cal.add_working_days(
            start, r["proposal.first_contact_working_days"]),
        "opinion_due": cal.next_workday(add_months(start, r["proposal.cohandler_opinion_months"]))
        if role == Assignment.Role.CO else None,
        "reply_due": reply_due,
        "hard_due": max(reply_due, add_months(start, r["proposal.reply_max_months"])),
    }


def _create(*, actor: Any, proposal: Proposal, unit: HandlingUnit, role: str, start: dt.date) -> Assignment:
    if unit.committee_id != proposal.committee_id or not unit.is_active:
        raise DomainError(_("%(unit)s is not an active unit of this committee.") % {"unit": unit})
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                committee_id=proposal.committee_id, proposal=proposal, unit=unit, role=role, assigned_by=actor,
                **assignment_dates(proposal.committee_id, role, start))
    except IntegrityError as exc:
        raise ConcurrentChange(_("%(unit)s already holds this proposal.") % {"unit": unit}) from exc
    event_record(committee_id=proposal.committee_id, actor=actor, verb="proposals.assigned", target=assignment,
                 to_state=assignment.status, data={"role": role, "unit": unit.pk, "proposal": proposal.pk})
    tell(proposal.committee_id, users_of_unit(unit.pk), "assigned",
         _("New proposal for your unit (%(role)s): %(title)s") % {"role": assignment.get_role_display(),
                                                                 "title": proposal.title},
         _("Accept it, or object by %(due)s; after that it stands. Reply due %(reply)s.")
         % {"due": assignment.objection_due.isoformat(), "reply": assignment.reply_due.isoformat()},
         assignment_url(assignment))
    return assignment


def proposal_assign(*, actor: Any, proposal: Proposal, lead: HandlingUnit | None = None,
                    cohandlers: Sequence[HandlingUnit] = (), separate: Sequence[HandlingUnit] = ()) -> list[Assignment]:
    """交办: a lead unit with co-handlers (主办 + 协办/会办), one sole unit, or several units that each
    reply separately (分办). One proposal becomes one assignment per unit."""
    require(actor, "proposals.assign_proposal", proposal)
    if lead is None and not separate:
        raise DomainError(_("Choose a lead unit, or the units that handle it separately."))
    if lead is not None and separate:
        raise DomainError(_("Choose either a lead unit with co-handlers, or separate units, not both."))
    if separate and cohandlers:
        raise DomainError(_("Separate handling has no co-handlers."))
    units = [u for u in [lead, *cohandlers, *separate] if u is not None]
    if len({u.pk for u in units}) != len(units):
        raise DomainError(_("A unit appears twice."))
    with transaction.atomic():
        proposal = lock_proposal(proposal)
        # Checked under the lock: of two people assigning at once, the second is told it is done.
        if proposal.status != "filed":
            raise ConcurrentChange(_("This proposal is not waiting for assignment (it is “%(state)s”).")
                                   % {"state": proposal.get_status_display()})
        start = today()
        created = []
        if lead is not None:
            created.append(_create(actor=actor, proposal=proposal, unit=lead,
                                   role=Assignment.Role.LEAD if cohandlers else Assignment.Role.SOLE, start=start))
            created += [_create(actor=actor, proposal=proposal, unit=u, role=Assignment.Role.CO, start=start)
                        for u in cohandlers]
        else:
            role = Assignment.Role.SEPARATE if len(separate) > 1 else Assignment.Role.SOLE
            created += [_create(actor=actor, proposal=proposal, unit=u, role=role, start=start) for u in separate]
        transition(proposal, PROPOSAL_TRANSITIONS, "assign", actor=actor, verb="proposals.assignment_made",
                   label=_("the proposal"), data={"units": [a.unit_id for a in created]})
        tell(proposal.committee_id, users_of_members(signed_member_ids(proposal)), "assigned_to_units",
             _("Your proposal was assigned to %(units)s") % {"units": "、".join(str(a.unit) for a in created)},
             url=proposal_url(proposal))
    return created


def assignment_accept(*, actor: Any, assignment: Assignment) -> Assignment:
    """签收."""
    require(actor, "proposals.handle_assignment", assignment)
    with transaction.atomic():
        assignment = lock_assignment(assignment)
        assignment.accepted_at, assignment.acceptance = timezone.now(), Assignment.Acceptance.ACCEPTED
        transition(assignment, ASSIGNMENT_TRANSITIONS, "accept", actor=actor, verb="proposals.assignment_accepted",
                   label=_(LABEL), extra_fields=["accepted_at", "acceptance"])
    return assignment


def assignment_object(*, actor: Any, assignment: Assignment, reason: str) -> Assignment:
    """The unit asks the office to assign the proposal elsewhere, within the objection window."""
    require(actor, "proposals.handle_assignment", assignment)
    if not reason.strip():
        raise DomainError(_("Explain why the proposal is not your unit's to handle."))
    with transaction.atomic():
        assignment = lock_assignment(assignment)
        if today() > assignment.objection_due:
            raise DomainError(_("The objection window closed on %(due)s; the assignment stands.")
                              % {"due": assignment.objection_due.isoformat()}, code="deadline_passed")
        assignment.objection_reason, assignment.objection_at = reason.strip(), timezone.now()
        transition(assignment, ASSIGNMENT_TRANSITIONS, "object", actor=actor, verb="proposals.assignment_objected",
                   label=_(LABEL), note=reason, extra_fields=["objection_reason", "objection_at"])
        tell(assignment.committee_id, users_with_role(assignment.committee_id, "proposal_staff"), "objected",
             _("%(unit)s objects to its assignment: %(title)s") % {"unit": assignment.unit,
                                                                   "title": assignment.proposal.title},
             reason, proposal_url(assignment.proposal))
    return assignment


def assignment_decide_objection(*, actor: Any, assignment: Assignment, uphold: bool, note: str = "",
                                new_unit: HandlingUnit | None = None) -> Assignment:
    """The office keeps the assignment (the unit must handle it) or moves it to another unit."""
    require(actor, "proposals.decide_objection", assignment)
    if not uphold and new_unit is None:
        raise DomainError(_("Choose the unit that takes the proposal instead."))
    with transaction.atomic():
        assignment = lock_assignment(assignment)
        assignment.objection_decision = note.strip()
        if uphold:
            assignment.accepted_at, assignment.acceptance = timezone.now(), Assignment.Acceptance.UPHELD
            transition(assignment, ASSIGNMENT_TRANSITIONS, "uphold", actor=actor,
                       verb="proposals.objection_refused", label=_(LABEL), note=note,
                       extra_fields=["objection_decision", "accepted_at", "acceptance"])
            tell(assignment.committee_id, users_of_unit(assignment.unit_id), "objection_refused",
                 _("Your objection was not accepted; please handle: %(title)s") % {"title": assignment.proposal.title},
                 note, assignment_url(assignment))
            return assignment
        if new_unit.pk == assignment.unit_id:
            raise DomainError(_("Choose a different unit."))
        transition(assignment, ASSIGNMENT_TRANSITIONS, "reassign", actor=actor, verb="proposals.reassigned",
                   label=_(LABEL), note=note, data={"to_unit": new_unit.pk}, extra_fields=["objection_decision"])
        tell(assignment.committee_id, users_of_unit(assignment.unit_id), "objection_accepted",
             _("The proposal was assigned elsewhere: %(title)s") % {"title": assignment.proposal.title}, note)
        return _create(actor=actor, proposal=assignment.proposal, unit=new_unit, role=assignment.role, start=today())


def assignments_stand(*, on: dt.date, committee_id: int | None = None) -> int:
    """Assignments nobody accepted or objected to within the window stand (system action)."""
    count = 0
    due = Assignment.objects.filter(status=A.ASSIGNED, objection_due__lt=on)
    if committee_id is not None:
        due = due.filter(committee_id=committee_id)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            assignment = Assignment.objects.select_for_update().get(pk=pk)
            if assignment.status != A.ASSIGNED:
                continue
            assignment.accepted_at, assignment.acceptance = timezone.now(), Assignment.Acceptance.STOOD
            transition(assignment, ASSIGNMENT_TRANSITIONS, "stand", actor=None, verb="proposals.assignment_stood",
                       label=_(LABEL), extra_fields=["accepted_at", "acceptance"])
            count += 1
    return count


def extension_request(*, actor: Any, assignment: Assignment, reason: str, requested_due: dt.date) -> Extension:
    """Asked in advance (before the reply is due), never beyond the hard maximum."""
    require(actor, "proposals.handle_assignment", assignment)
    if not reason.strip():
        raise DomainError(_("Explain why the unit needs more time."))
    with transaction.atomic():
        assignment = lock_assignment(assignment)
        if assignment.status not in (A.ASSIGNED, A.HANDLING) or not assignment.replies_to_proposer:
            raise DomainError(_("Only a unit that replies, while handling, can ask for more time."),
                              code="transition_not_allowed")
        if today() > assignment.reply_due:
            raise DomainError(_("An extension must be asked for before the reply is due."), code="deadline_passed")
        if requested_due <= assignment.reply_due:
            raise DomainError(_("The new date must be later than the current due date."))
        if requested_due > assignment.hard_due:
            raise DomainError(_("The latest possible date is %(due)s.") % {"due": assignment.hard_due.isoformat()})
        if assignment.extensions.filter(status=Extension.Status.PENDING).exists():
            raise DomainError(_("A request is already waiting for a decision."))
        ext = Extension.objects.create(assignment=assignment, reason=reason.strip(), requested_due=requested_due,
                                       requested_by=actor)
        event_record(committee_id=assignment.committee_id, actor=actor, verb="proposals.extension_requested",
                     target=assignment, note=reason, data={"requested_due": requested_due.isoformat()})
        tell(assignment.committee_id, users_with_role(assignment.committee_id, "proposal_staff"), "extension",
             _("%(unit)s asks to reply by %(due)s: %(title)s") % {"unit": assignment.unit,
                                                                  "due": requested_due.isoformat(),
                                                                  "title": assignment.proposal.title},
             reason, proposal_url(assignment.proposal))
    return ext


def extension_decide(*, actor: Any, extension: Extension, approve: bool, note: str = "") -> Extension:
    require(actor, "proposals.decide_extension", extension.assignment)
    with transaction.atomic():
        extension = Extension.objects.select_for_update().select_related("assignment").get(pk=extension.pk)
        if extension.status != Extension.Status.PENDING:
            raise ConcurrentChange(_("This request was already decided."))
        assignment = lock_assignment(extension.assignment)
        extension.status = Extension.Status.APPROVED if approve else Extension.Status.REFUSED
        extension.decided_by, extension.decided_at, extension.decision_note = actor, timezone.now(), note
        extension.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        old_due = assignment.reply_due
        if approve:
            assignment.reply_due = extension.requested_due
            assignment.reminded_on, assignment.escalated_on = None, None
            assignment.save(update_fields=["reply_due", "reminded_on", "escalated_on"])
        event_record(committee_id=assignment.committee_id, actor=actor,
                     verb="proposals.extension_approved" if approve else "proposals.extension_refused",
                     target=assignment, note=note,
                     data={"from": old_due.isoformat(), "to": assignment.reply_due.isoformat()})
        tell(assignment.committee_id, users_of_unit(assignment.unit_id), "extension_decided",
             (_("More time granted until %(due)s: %(title)s") if approve else
              _("No extension; the reply stays due %(due)s: %(title)s"))
             % {"due": assignment.reply_due.isoformat(), "title": assignment.proposal.title}, note,
             assignment_url(assignment))
    return extension
