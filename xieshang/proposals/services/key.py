"""Key proposals (重点提案) and excellent proposals (优秀提案): shortlisted by the proposal committee,
selected by the chairman's meeting, key ones supervised by leaders and reported on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from xieshang.core.errors import ConcurrentChange, DomainError
from xieshang.ledger.services import event_record
from xieshang.organisation.models import Leader, Office
from xieshang.proposals.models import ExcellentProposal, KeyProposal, Proposal, SupervisionActivity
from xieshang.proposals.services._common import proposal_url, require, signed_member_ids, tell, users_of_members
from xieshang.proposals.workflow import ProposalStatus

P = ProposalStatus
NOMINABLE = (P.FILED, P.HANDLING, P.REPLIED, P.REHANDLING, P.FOLLOW_UP, P.CLOSED)
K = KeyProposal.Status

KEY_STEPS: dict[str, tuple[frozenset[str], str]] = {
    "select": (frozenset({K.CANDIDATE}), K.SELECTED),
    "drop": (frozenset({K.CANDIDATE}), K.DROPPED),
    "plan": (frozenset({K.SELECTED, K.PLANNED}), K.PLANNED),
    "activity": (frozenset({K.PLANNED, K.SUPERVISING}), K.SUPERVISING),
    "report": (frozenset({K.SUPERVISING}), K.REPORTED),
}


def _step(key: KeyProposal, action: str, *, actor: Any, note: str = "", data: dict | None = None,
          fields: Sequence[str] = ()) -> None:
    allowed, target = KEY_STEPS[action]
    if key.status not in allowed:
        raise DomainError(_("This key proposal is “%(state)s”; that step is not possible now.")
                          % {"state": key.get_status_display()}, code="transition_not_allowed")
    before, key.status = key.status, target
    key.save(update_fields=["status", *fields])
    event_record(committee_id=key.committee_id, actor=actor, verb=f"proposals.key_{action}", target=key,
                 from_state=before, to_state=target, note=note, data=data)


def key_nominate(*, actor: Any, proposal: Proposal, year: int, reason: str) -> KeyProposal:
    require(actor, "proposals.manage_key_proposals", proposal)
    with transaction.atomic():
        # The state as it is now, not as the caller read it: it may have been merged or withdrawn since.
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status not in NOMINABLE:
            raise DomainError(_("Only a filed proposal can become a key proposal."))
        try:
            with transaction.atomic():
                key = KeyProposal.objects.create(committee_id=proposal.committee_id, proposal=proposal, year=year,
                                                 reason=reason.strip())
        except IntegrityError as exc:
            raise ConcurrentChange(_("This proposal is already a key-proposal candidate.")) from exc
        event_record(committee_id=proposal.committee_id, actor=actor, verb="proposals.key_nominated", target=key,
                     to_state=key.status, note=reason)
    return key


def key_select(*, actor: Any, key: KeyProposal, selected: bool, selected_on: dt.date,
               leaders: Sequence[Leader] = (), office: Office | None = None) -> KeyProposal:
    """Record the chairman's meeting's decision, with the supervising leaders and office."""
    require(actor, "proposals.manage_key_proposals", key)
    if selected and not leaders:
        raise DomainError(_("Name at least one supervising leader."))
    if any(lead.committee_id != key.committee_id for lead in leaders) or (
            office is not None and office.committee_id != key.committee_id):
        raise DomainError(_("This record belongs to another committee."))
    with transaction.atomic():
        key = KeyProposal.objects.select_for_update().get(pk=key.pk)
        key.selected_on, key.supervising_office = selected_on, office
        _step(key, "select" if selected else "drop", actor=actor, data={"on": selected_on.isoformat()},
              fields=["selected_on", "supervising_office"])
        if selected:
            key.leaders.set(leaders)
            tell(key.committee_id, users_of_members(signed_member_ids(key.proposal)), "key_selected",
                 _("Your proposal was selected as a key proposal: %(title)s") % {"title": key.proposal.title},
                 url=proposal_url(key.proposal))
    return key


def key_plan(*, actor: Any, key: KeyProposal, plan: str) -> KeyProposal:
    require(actor, "proposals.manage_key_proposals", key)
    if not plan.strip():
        raise DomainError(_("Write the supervision plan."))
    with transaction.atomic():
        key = KeyProposal.objects.select_for_update().get(pk=key.pk)
        key.plan = plan.strip()
        _step(key, "plan", actor=actor, fields=["plan"])
    return key


def key_record_activity(*, actor: Any, key: KeyProposal, happened_on: dt.date, kind: str,
                        summary: str) -> SupervisionActivity:
    require(actor, "proposals.manage_key_proposals", key)
    if kind not in SupervisionActivity.Kind.values or not summary.strip():
        raise DomainError(_("Give the kind of activity and a summary."))
    with transaction.atomic():
        key = KeyProposal.objects.select_for_update().get(pk=key.pk)
        activity = SupervisionActivity.objects.create(key_proposal=key, happened_on=happened_on, kind=kind,
                                                      summary=summary.strip(), recorded_by=actor)
        if key.status == K.PLANNED:
            _step(key, "activity", actor=actor, data={"kind": kind})
        else:
            KEY_STEPS["activity"][0] and key.status in KEY_STEPS["activity"][0] or _step(key, "activity", actor=actor)
            event_record(committee_id=key.committee_id, actor=actor, verb="proposals.key_activity", target=key,
                         data={"kind": kind, "on": happened_on.isoformat()})
    return activity


def key_report(*, actor: Any, key: KeyProposal, report: str, reported_on: dt.date) -> KeyProposal:
    require(actor, "proposals.manage_key_proposals", key)
    if not report.strip():
        raise DomainError(_("Write the supervision report."))
    with transaction.atomic():
        key = KeyProposal.objects.select_for_update().get(pk=key.pk)
        key.report, key.reported_on = report.strip(), reported_on
        _step(key, "report", actor=actor, fields=["report", "reported_on"])
    return key


def excellent_nominate(*, actor: Any, proposal: Proposal, year: int, reason: str) -> ExcellentProposal:
    require(actor, "proposals.manage_key_proposals", proposal)
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status not in (P.REPLIED, P.FOLLOW_UP, P.CLOSED):
            raise DomainError(_("Only a proposal that was answered can be nominated as excellent."))
        try:
            with transaction.atomic():
                item = ExcellentProposal.objects.create(committee_id=proposal.committee_id, proposal=proposal,
                                                        year=year, reason=reason.strip())
        except IntegrityError as exc:
            raise ConcurrentChange(_("This proposal is already nominated.")) from exc
        event_record(committee_id=proposal.committee_id, actor=actor, verb="proposals.excellent_nominated",
                     target=item, to_state=item.status, note=reason)
    return item


def excellent_select(*, actor: Any, item: ExcellentProposal, selected: bool, selected_on: dt.date) -> ExcellentProposal:
    require(actor, "proposals.manage_key_proposals", item)
    with transaction.atomic():
        item = ExcellentProposal.objects.select_for_update().get(pk=item.pk)
        if item.status != ExcellentProposal.Status.CANDIDATE:
            raise ConcurrentChange(_("This nomination was already decided."))
        before = item.status
        item.status = ExcellentProposal.Status.SELECTED if selected else ExcellentProposal.Status.DROPPED
        item.selected_on = selected_on
        item.save(update_fields=["status", "selected_on"])
        event_record(committee_id=item.committee_id, actor=actor, verb="proposals.excellent_decided", target=item,
                     from_state=before, to_state=item.status)
    return item
