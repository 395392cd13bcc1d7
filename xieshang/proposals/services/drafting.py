"""A member drafts a proposal, invites co-signers, and submits it (§2.1: DRAFT → COSIGNING → SUBMITTED)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.errors import DomainError
from xieshang.ledger.services import event_record
from xieshang.organisation.models import Member, MemberTerm, PlenarySession
from xieshang.proposals.models import Proposal, Proposer
from xieshang.proposals.services._common import (
    calendar,
    lock_proposal,
    proposal_url,
    require,
    rules,
    tell,
    today,
    transition,
    users_of_members,
    users_with_role,
)
from xieshang.proposals.workflow import PROPOSAL_TRANSITIONS, ProposalStatus
from xieshang.search.indexing import index_after_commit

EDITABLE = ("title", "category", "situation", "analysis", "suggestions", "kind", "collective_kind",
            "collective_name", "has_seal")
P = ProposalStatus


def _clean_fields(committee_id: int, fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    cleaned = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    if "title" in cleaned and not cleaned["title"]:
        raise DomainError(_("Give the proposal a title (案由)."))
    if len(cleaned.get("title", "")) > 120:
        raise DomainError(_("The title is longer than 120 characters."))
    if cleaned.get("category"):
        codes = [c["code"] for c in rules(committee_id)["proposal.categories"]]
        if cleaned["category"] not in codes:
            raise DomainError(_("Choose one of the committee's categories."))
    if cleaned.get("kind") and cleaned["kind"] not in Proposal.Kind.values:
        raise DomainError(_("Unknown proposer type."))
    if cleaned.get("collective_kind") and cleaned["collective_kind"] not in Proposal.CollectiveKind.values:
        raise DomainError(_("Unknown collective proposer."))
    return cleaned


def proposal_create(*, actor: Any, **fields: Any) -> Proposal:
    """A new draft whose first proposer is the acting member."""
    require(actor, "proposals.create_proposal")
    member = actor.member
    if member is None:  # e.g. a platform administrator, who passes every rule but speaks for no member
        raise DomainError(_("Only a member of the committee can propose."), code="permission_denied")
    cleaned = _clean_fields(actor.committee_id, fields)
    if not cleaned.get("title"):
        raise DomainError(_("Give the proposal a title (案由)."))
    if cleaned.get("kind") != Proposal.Kind.COLLECTIVE:
        cleaned["collective_kind"], cleaned["collective_name"] = "", ""
    with transaction.atomic():
        proposal = Proposal.objects.create(committee_id=actor.committee_id, lead_member=member, created_by=actor,
                                           **cleaned)
        Proposer.objects.create(proposal=proposal, member=member, order=1, is_lead=True,
                                status=Proposer.Status.SIGNED, signed_at=timezone.now())
        event_record(committee_id=proposal.committee_id, actor=actor, verb="proposals.created", target=proposal,
                     to_state=proposal.status)
        index_after_commit("proposal", proposal.pk)
    return proposal


def proposal_update(*, actor: Any, proposal: Proposal, **fields: Any) -> Proposal:
    """The first proposer edits a draft, or a proposal returned for revision."""
    require(actor, "proposals.edit_proposal", proposal)
    cleaned = _clean_fields(proposal.committee_id, fields)
    with transaction.atomic():
        proposal = lock_proposal(proposal)
        if proposal.status not in (P.DRAFT, P.RETURNED):
            raise DomainError(_("Only a draft or a returned proposal can be edited."), code="transition_not_allowed")
        changed = [k for k, v in cleaned.items() if getattr(proposal, k) != v]
        for k in changed:
            setattr(proposal, k, cleaned[k])
        if proposal.kind != Proposal.Kind.COLLECTIVE:
            proposal.collective_kind, proposal.collective_name = "", ""
            changed += ["collective_kind", "collective_name"]
        proposal.save(update_fields=[*set(changed), "updated_at"])
        event_record(committee_id=proposal.committee_id, actor=actor, verb="proposals.edited", target=proposal,
                     data={"fields": sorted(set(changed))})
        index_after_commit("proposal", proposal.pk)
    return proposal


def problems(proposal: Proposal) -> list[str]:
    """What stops this proposal from being submitted (shown live while drafting)."""
    r = rules(proposal.committee_id)
    found = []
    if not proposal.title.strip():
        found.append(_("The title (案由) is missing."))
    for part, label in (("situation", _("situation (情况)")), ("analysis", _("analysis (分析)")),
                        ("suggestions", _("suggestions (建议)"))):
        if not getattr(proposal, part).strip():
            found.append(_("The %(part)s is missing: a proposal needs all three parts.") % {"part": label})
    limit = r["proposal.body_max_chars"]
    if proposal.body_length > limit:
        found.append(_("The body has %(n)d characters; the committee's limit is %(limit)d.")
                     % {"n": proposal.body_length, "limit": limit})
    if not proposal.category:
        found.append(_("Choose a category."))
    if proposal.kind == Proposal.Kind.COLLECTIVE:
        if not proposal.collective_kind or not proposal.collective_name.strip():
            found.append(_("A collective proposal names the organisation that proposes it."))
        if not proposal.has_seal:
            found.append(_("A collective proposal carries the organisation's seal or its convener's signature."))
    return found


def _cosign_due(proposal: Proposal, start: dt.date) -> dt.date:
    due = calendar(proposal.committee_id).add_working_days(start, rules(proposal.committee_id)[
        "proposal.cosign_working_days"])
    session = _session_for(proposal.committee_id, timezone.now())
    if session is not None and session[1]:
        due = min(due, timezone.localtime(session[0].proposal_deadline).date())
    return due


def proposal_invite_cosigners(*, actor: Any, proposal: Proposal, members: Sequence[Member]) -> list[Proposer]:
    """Invite members to co-sign (联名); each must sign before the deadline or drops out."""
    require(actor, "proposals.edit_proposal", proposal)
    if not members:
        raise DomainError(_("Choose at least one member to invite."))
    with transaction.atomic():
        proposal = lock_proposal(proposal)
        serving = set(MemberTerm.objects.filter(
            member__in=members, term__is_current=True, status=MemberTerm.Status.SERVING).values_list(
                "member_id", flat=True))
        existing = set(proposal.proposers.values_list("member_id", flat=True))
        invited = []
        due = _cosign_due(proposal, today())
        order = proposal.proposers.count() + 1
        for member in members:
            if member.committee_id != proposal.committee_id or member.pk not in serving:
                raise DomainError(_("%(name)s is not a serving member of this committee.") % {"name": member})
            if member.pk in existing:
                continue
            invited.append(Proposer.objects.create(proposal=proposal, member=member, order=order, due=due))
            order += 1
        if not invited:
            raise DomainError(_("These members are already proposers."))
        if proposal.status != P.COSIGNING:
            transition(proposal, PROPOSAL_TRANSITIONS, "invite_cosigners", actor=actor, verb="proposals.cosign_invited",
                       label=_("the proposal"), data={"members": [p.member_id for p in invited]})
        else:
            event_record(committee_id=proposal.committee_id, actor=actor, verb="proposals.cosign_invited",
                         target=proposal, data={"members": [p.member_id for p in invited]})
        if proposal.kind == Proposal.Kind.INDIVIDUAL:
            proposal.kind = Proposal.Kind.JOINT
            proposal.save(update_fields=["kind"])
        tell(proposal.committee_id, users_of_members(p.member_id for p in invited), "cosign_invited",
             _("%(name)s invites you to co-sign: %(title)s") % {"name": proposal.lead_member, "title": proposal.title},
             _("Sign by %(due)s, or the invitation lapses.") % {"due": due.isoformat()}, proposal_url(proposal))
    return invited


def proposal_sign(*, actor: Any, proposal: Proposal, accept: bool = True) -> Proposer:
    """An invited member signs (or declines) before the deadline."""
    require(actor, "proposals.sign_proposal", proposal)
    with transaction.atomic():
        proposal = lock_proposal(proposal)
        try:
            proposer = Proposer.objects.select_for_update().get(proposal=proposal, member=actor.member, is_lead=False)
        except Proposer.DoesNotExist as exc:
            raise DomainError(_("You were not invited to co-sign this proposal.")) from exc
        if proposal.status != P.COSIGNING or proposer.status != Proposer.Status.INVITED:
            raise DomainError(_("This invitation is no longer open."), code="transition_not_allowed")
        if proposer.due is not None and today() > proposer.due:
            raise DomainError(_("The co-signing deadline (%(due)s) has passed.") % {"due": proposer.due.isoformat()},
                              code="deadline_passed")
        proposer.status = Proposer.Status.SIGNED if accept else Proposer.Status.DECLINED
        proposer.signed_at = timezone.now() if accept else None
        proposer.save(update_fields=["status", "signed_at"])
        event_record(committee_id=proposal.committee_id, actor=actor,
                     verb="proposals.cosigned" if accept else "proposals.cosign_declined", target=proposal,
                     data={"member": actor.member.pk})
        tell(proposal.committee_id, users_of_members([proposal.lead_member_id]), "cosigned",
             (_("%(name)s co-signed: %(title)s") if accept else _("%(name)s declined to co-sign: %(title)s"))
             % {"name": actor.member, "title": proposal.title}, url=proposal_url(proposal))
    return proposer


def _session_for(committee_id: int, when: dt.datetime) -> tuple[PlenarySession, bool] | None:
    """The session a proposal submitted now belongs to, and whether it is a session proposal: inside a
    session's window it is (大会提案); otherwise it is a regular proposal (平时提案) of the next session to
    open, or of the latest one when none is scheduled."""
    day = timezone.localtime(when).date()
    sessions = PlenarySession.objects.filter(committee_id=committee_id)
    inside = sessions.filter(proposal_window_start__lte=day, proposal_deadline__gte=when).order_by("opens_on").first()
    if inside is not None:
        return inside, True
    upcoming = sessions.filter(opens_on__gt=day).order_by("opens_on").first()
    if upcoming is not None:
        return upcoming, False
    latest = sessions.order_by("-opens_on").first()
    return (latest, False) if latest is not None else None


def proposal_submit(*, actor: Any, proposal: Proposal) -> Proposal:
    """Submit for review. Invitations not yet signed lapse; a joint proposal nobody signed becomes an
    individual one."""
    if actor is not None:
        require(actor, "proposals.edit_proposal", proposal)
    with transaction.atomic():
        proposal = lock_proposal(proposal)
        found = problems(proposal)
        if found:
            raise DomainError(" ".join(found), code="incomplete")
        now = timezone.now()
        lapsed = proposal.proposers.filter(status=Proposer.Status.INVITED).update(status=Proposer.Status.EXPIRED)
        if proposal.kind == Proposal.Kind.JOINT and not proposal.proposers.filter(
                is_lead=False, status=Proposer.Status.SIGNED).exists():
            proposal.kind = Proposal.Kind.INDIVIDUAL
        located = _session_for(proposal.committee_id, now)
        if located is None:
            raise DomainError(_("The committee has no plenary session yet; the office must add one first."))
        proposal.session, proposal.is_session_proposal = located
        proposal.submitted_at = now
        proposal.review_due = calendar(proposal.committee_id).add_working_days(
            timezone.localtime(now).date(), rules(proposal.committee_id)["proposal.review_working_days"])
        transition(proposal, PROPOSAL_TRANSITIONS, "submit", actor=actor, verb="proposals.submitted",
                   label=_("the proposal"), data={"lapsed_invitations": lapsed},
                   extra_fields=["kind", "session", "is_session_proposal", "submitted_at", "review_due"])
        tell(proposal.committee_id, users_with_role(proposal.committee_id, "proposal_staff"), "submitted",
             _("New proposal to review: %(title)s") % {"title": proposal.title}, url=proposal_url(proposal))
    return proposal


def proposal_withdraw(*, actor: Any, proposal: Proposal, reason: str = "") -> Proposal:
    require(actor, "proposals.edit_proposal", proposal)
    with transaction.atomic():
        proposal = lock_proposal(proposal)
        transition(proposal, PROPOSAL_TRANSITIONS, "withdraw", actor=actor, verb="proposals.withdrawn",
                   label=_("the proposal"), note=reason)
        proposal.proposers.filter(status=Proposer.Status.INVITED).update(status=Proposer.Status.EXPIRED)
    return proposal


def cosigning_due_for_submission(*, committee_id: int, on: dt.date) -> list[Proposal]:
    """Proposals collecting signatures whose every invitation is answered or past its deadline."""
    open_invites = Proposer.objects.filter(status=Proposer.Status.INVITED).filter(Q(due__gte=on) | Q(due__isnull=True))
    return list(Proposal.objects.filter(committee_id=committee_id, status=P.COSIGNING).exclude(
        pk__in=open_invites.values("proposal_id")))
