"""The states of a proposal, of each assignment to a handling unit and of each reply, and the one table of
allowed transitions for each (§2.1 of shared/reference/cppcc-rules.md). Pure: no database here.

Services call ``check(TABLE, current, action)`` before changing anything; a transition not in the table
is refused with a message the user can read."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xieshang.core.errors import TransitionNotAllowed


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COSIGNING = "cosigning", _("Collecting co-signatures")
    SUBMITTED = "submitted", _("Submitted")
    REVIEW = "review", _("In review")
    RETURNED = "returned", _("Returned for revision")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    FILED = "filed", _("Filed")
    NOT_FILED = "not_filed", _("Not filed")
    MERGED = "merged", _("Merged")
    HANDLING = "handling", _("Being handled")
    REPLIED = "replied", _("Replied")
    REHANDLING = "rehandling", _("Being handled again")
    FOLLOW_UP = "follow_up", _("Implementation follow-up")
    CLOSED = "closed", _("Closed")


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Awaiting acceptance")
    OBJECTED = "objected", _("Objection pending")
    HANDLING = "handling", _("Being handled")
    REPLIED = "replied", _("Replied")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class ReplyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COSIGNING = "cosigning", _("Awaiting co-handlers' signatures")
    IN_REVIEW = "in_review", _("In supervising review")
    RETURNED = "returned", _("Returned by the supervising office")
    SENT = "sent", _("Sent")


P, A, R = ProposalStatus, AssignmentStatus, ReplyStatus

# action -> (allowed from-states, to-state). The to-state None means "decided by the service"
# (e.g. co-signing ends in SUBMITTED, or in DRAFT when nobody signed a joint proposal).
PROPOSAL_TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "invite_cosigners": (frozenset({P.DRAFT, P.RETURNED}), P.COSIGNING),
    "submit": (frozenset({P.DRAFT, P.RETURNED, P.COSIGNING}), P.SUBMITTED),
    "cosign_closed": (frozenset({P.COSIGNING}), P.DRAFT),  # deadline passed on an incomplete draft
    "withdraw": (frozenset({P.DRAFT, P.COSIGNING, P.SUBMITTED, P.RETURNED}), P.WITHDRAWN),
    "pre_review": (frozenset({P.SUBMITTED}), P.REVIEW),
    "return": (frozenset({P.SUBMITTED, P.REVIEW}), P.RETURNED),
    "file": (frozenset({P.SUBMITTED, P.REVIEW}), P.FILED),
    "not_file": (frozenset({P.SUBMITTED, P.REVIEW}), P.NOT_FILED),
    "merge": (frozenset({P.SUBMITTED, P.REVIEW, P.FILED}), P.MERGED),
    "assign": (frozenset({P.FILED, P.HANDLING, P.REHANDLING}), P.HANDLING),
    "replied": (frozenset({P.HANDLING, P.REHANDLING}), P.REPLIED),
    "rehandle": (frozenset({P.REPLIED}), P.REHANDLING),
    "close": (frozenset({P.REPLIED}), None),  # CLOSED, or FOLLOW_UP for a B-class reply
    "implemented": (frozenset({P.FOLLOW_UP}), P.CLOSED),
}

ASSIGNMENT_TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "accept": (frozenset({A.ASSIGNED}), A.HANDLING),
    "object": (frozenset({A.ASSIGNED}), A.OBJECTED),
    "uphold": (frozenset({A.OBJECTED}), A.HANDLING),  # the office keeps the assignment
    "reassign": (frozenset({A.OBJECTED, A.ASSIGNED}), A.CANCELLED),
    "stand": (frozenset({A.ASSIGNED}), A.HANDLING),  # the objection window passed
    "record_contact": (frozenset({A.HANDLING}), A.HANDLING),
    "give_opinion": (frozenset({A.HANDLING}), A.HANDLING),
    "reply_sent": (frozenset({A.HANDLING}), A.REPLIED),
    "rehandle": (frozenset({A.REPLIED, A.CLOSED}), A.HANDLING),
    "close": (frozenset({A.REPLIED, A.HANDLING}), A.CLOSED),
    "request_extension": (frozenset({A.ASSIGNED, A.HANDLING}), None),
}

REPLY_TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "edit": (frozenset({R.DRAFT, R.RETURNED}), None),
    "submit": (frozenset({R.DRAFT, R.RETURNED}), None),  # COSIGNING when co-handlers exist, else IN_REVIEW
    "cosign": (frozenset({R.COSIGNING}), None),  # IN_REVIEW when the last co-handler signed
    "approve": (frozenset({R.IN_REVIEW}), R.SENT),
    "return": (frozenset({R.IN_REVIEW}), R.RETURNED),
}

# States in which a proposal or assignment is still someone's work, and so can be overdue.
OPEN_PROPOSAL = frozenset({P.COSIGNING, P.SUBMITTED, P.REVIEW, P.FILED, P.HANDLING, P.REPLIED, P.REHANDLING,
                           P.FOLLOW_UP})
OPEN_ASSIGNMENT = frozenset({A.ASSIGNED, A.OBJECTED, A.HANDLING})


_STATE_LABELS = {**dict(ReplyStatus.choices), **dict(AssignmentStatus.choices), **dict(ProposalStatus.choices)}


Table = dict[str, tuple[frozenset[str], str | None]]


def check(table: Table, current: str, action: str, label: str = "") -> str | None:
    """The state ``action`` leads to from ``current``; refuses what the table does not allow."""
    allowed, target = table[action]
    if current not in allowed:
        raise TransitionNotAllowed(gettext("This cannot be done now: %(what)s is “%(state)s”.") % {
            "what": label or gettext("the item"), "state": _STATE_LABELS.get(current, current)})
    return target
