"""What every proposal service shares: locking, transitions with their event row, recipients, dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Model
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.errors import DomainError
from xieshang.ledger.services import event_record
from xieshang.notifications.services import notify
from xieshang.organisation.models import Role, RoleAssignment
from xieshang.proposals import workflow
from xieshang.proposals.models import Assignment, Proposal, Proposer
from xieshang.ruleset.selectors import Rules, rules_for
from xieshang.ruleset.workdays import WorkCalendar
from xieshang.search.indexing import index_instance_after_commit


def require(user: Any, perm: str, obj: Any = None) -> None:
    """Refuse an actor who lacks the named rule. Services check this themselves so that every caller
    (page, API, command) gets the same answer; ``None`` as actor means the system itself."""
    if user is None:
        return
    if not user.has_perm(perm, obj):
        raise DomainError(_("You are not allowed to do this."), code="permission_denied")


def today() -> dt.date:
    return timezone.localdate()


def rules(committee_id: int) -> Rules:
    return rules_for(committee_id=committee_id)


def calendar(committee_id: int) -> WorkCalendar:
    return WorkCalendar.for_committee(committee_id)


def lock_proposal(proposal: Proposal) -> Proposal:
    """Re-read the proposal under a row lock: of two people acting at once, the second waits and then
    sees the first one's result."""
    try:
        return Proposal.objects.select_for_update().get(pk=proposal.pk, committee_id=proposal.committee_id)
    except Proposal.DoesNotExist as exc:
        raise Http404 from exc


def lock_assignment(assignment: Assignment) -> Assignment:
    try:
        return Assignment.objects.select_for_update().select_related("proposal", "unit").get(pk=assignment.pk)
    except Assignment.DoesNotExist as exc:
        raise Http404 from exc


def transition(obj: Model, table: dict, action: str, *, actor: Any, verb: str, label: str = "",
               to: str | None = None, note: str = "", data: dict | None = None, extra_fields: Iterable[str] = ()
               ) -> str:
    """Move ``obj`` along ``table`` by ``action``, save, and write the event row. Returns the new state."""
    current = obj.status  # type: ignore[attr-defined]
    target = workflow.check(table, current, action, label)
    new = to or target
    if new is None:
        raise AssertionError(f"{verb}: the service must decide the target state")
    obj.status = new  # type: ignore[attr-defined]
    fields = ["status", *extra_fields]
    if hasattr(obj, "status_changed_at"):
        obj.status_changed_at = timezone.now()  # type: ignore[attr-defined]
        fields.append("status_changed_at")
    obj.save(update_fields=fields)
    committee_id = getattr(obj, "committee_id", None)
    if committee_id is None:
        committee_id = obj.assignment.committee_id  # type: ignore[attr-defined]
    event_record(committee_id=committee_id, actor=actor, verb=verb, target=obj, from_state=current, to_state=new,
                 note=note, data=data)
    index_instance_after_commit(obj)  # every change of state shows in search (the proposal's, for an assignment)
    return new


def users_of_members(member_ids: Iterable[int]) -> list[Any]:
    return [r.user for r in RoleAssignment.objects.filter(role=Role.MEMBER, member_id__in=list(member_ids))
            .select_related("user")]


def users_of_unit(unit_id: int) -> list[Any]:
    return [r.user for r in RoleAssignment.objects.filter(
        role__in=[Role.UNIT_LIAISON, Role.UNIT_LEADER], handling_unit_id=unit_id).select_related("user")]


def users_with_role(committee_id: int, *roles: str) -> list[Any]:
    return [r.user for r in RoleAssignment.objects.filter(committee_id=committee_id, role__in=roles)
            .select_related("user")]


def signed_member_ids(proposal: Proposal) -> list[int]:
    return list(Proposer.objects.filter(proposal=proposal, status=Proposer.Status.SIGNED)
                .values_list("member_id", flat=True))


def evaluator_member_ids(proposal: Proposal) -> list[int]:
    """Everyone who must get the reply and may evaluate it: the proposal's signed proposers and those of
    every proposal merged into it (并案: each merged proposer still gets a reply)."""
    ids = Proposer.objects.filter(status=Proposer.Status.SIGNED).filter(
        proposal__in=[proposal.pk, *proposal.merged_proposals.values_list("pk", flat=True)]
    ).values_list("member_id", flat=True)
    return sorted(set(ids))


def proposal_url(proposal: Proposal) -> str:
    return reverse("proposals:detail", args=[proposal.pk])


def assignment_url(assignment: Assignment) -> str:
    return reverse("proposals:assignment", args=[assignment.pk])


def tell(committee_id: int, users: Iterable[Any], kind: str, title: str, body: str = "", url: str = "") -> None:
    notify(committee_id=committee_id, recipients=users, kind=f"proposals.{kind}", title=title, body=body, url=url)
