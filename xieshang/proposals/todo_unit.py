"""What a handling unit has to do next: the rows of its inbox, grouped by the action they wait for, and the
same rows as home-page items ("我的待办"). Both read one annotated query, so the cost does not grow with the
number of assignments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieshang.core.todo import TodoItem
from xieshang.organisation.models import Role
from xieshang.proposals import selectors
from xieshang.proposals.models import Assignment, CohandlerOpinion, Extension, Reply
from xieshang.proposals.workflow import AssignmentStatus, ReplyStatus
from xieshang.ruleset.workdays import WorkCalendar

A, R = AssignmentStatus, ReplyStatus
RECENT_DONE = 20  # replied or closed assignments shown under "recently done"

# Display order: what blocks others (acceptance, a returned reply, a co-signature) comes first.
GROUPS: list[tuple[str, Any]] = [
    ("accept", gettext_lazy("To accept")),
    ("returned", gettext_lazy("Returned replies")),
    ("cosign", gettext_lazy("Co-sign requests")),
    ("opinion", gettext_lazy("Opinions owed to the lead unit")),
    ("handling", gettext_lazy("Being handled")),
    ("done", gettext_lazy("Recently replied or closed")),
]


@dataclass
class InboxRow:
    assignment: Assignment
    group: str
    due: dt.date | None  # the date the unit must act by next
    due_label: str
    days_left: int | None = None  # working days; negative when overdue
    overdue: bool = False
    first_contact_due: dt.date | None = None  # shown while nobody has met the proposer yet
    first_contact_overdue: bool = False

    @property
    def late(self) -> int:
        """Working days past the due date (0 when not late)."""
        return -self.days_left if self.overdue and self.days_left is not None and self.days_left < 0 else 0

    @property
    def reply_status_label(self) -> str:
        status = getattr(self.assignment, "reply_status", None)
        return str(dict(R.choices).get(status, "")) if status else ""


@dataclass
class Worklist:
    groups: dict[str, list[InboxRow]] = field(default_factory=lambda: {key: [] for key, _label in GROUPS})

    @property
    def open_rows(self) -> list[InboxRow]:
        return [row for key, rows in self.groups.items() if key != "done" for row in rows]

    @property
    def overdue_count(self) -> int:
        return sum(1 for row in self.open_rows if row.overdue or row.first_contact_overdue)

    def sections(self) -> list[tuple[str, Any, list[InboxRow]]]:
        return [(key, label, self.groups[key]) for key, label in GROUPS]


def _annotated(qs: QuerySet[Assignment]) -> QuerySet[Assignment]:
    current_reply = Reply.objects.filter(assignment=OuterRef("pk"), round=OuterRef("round"))
    return qs.select_related("proposal__session").annotate(
        reply_status=Subquery(current_reply.values("status")[:1]),
        reply_id=Subquery(current_reply.values("pk")[:1]),
        reply_sent_at=Subquery(current_reply.values("sent_at")[:1]),
        opinion_given=Exists(CohandlerOpinion.objects.filter(assignment=OuterRef("pk"), round=OuterRef("round"))),
        pending_extension_due=Subquery(Extension.objects.filter(
            assignment=OuterRef("pk"), status=Extension.Status.PENDING).values("requested_due")[:1]),
    )


def _filtered(qs: QuerySet[Assignment], q: str, session: int | None) -> QuerySet[Assignment]:
    if session:
        qs = qs.filter(proposal__session_id=session)
    if q:
        qs = qs.filter(proposal__number=int(q)) if q.isdigit() else qs.filter(proposal__title__contains=q)
    return qs


def _classify(a: Assignment) -> tuple[str, dt.date | None, str]:
    """The group of an open assignment, the date it must act by and what that date is."""
    if a.status in (A.ASSIGNED, A.OBJECTED):
        return "accept", a.objection_due, _("Objection window ends")
    if a.role == Assignment.Role.CO:
        if a.needs_cosign:  # type: ignore[attr-defined]
            return "cosign", a.reply_due, _("Lead unit's reply due")
        if not a.opinion_given:  # type: ignore[attr-defined]
            return "opinion", a.opinion_due, _("Opinion due")
        return "handling", a.reply_due, _("Lead unit's reply due")
    if a.reply_status == R.RETURNED:  # type: ignore[attr-defined]
        return "returned", a.reply_due, _("Reply due")
    return "handling", a.reply_due, _("Reply due")


def unit_worklist(user: Any, *, q: str = "", session: int | None = None, include_done: bool = True) -> Worklist:
    """The unit user's assignments as inbox rows: open ones by due date, then the most recent finished ones.
    Three queries whatever the number of assignments (calendar, open rows, finished rows)."""
    if not selectors.unit_ids(user):
        return Worklist()
    today = timezone.localdate()
    cal = WorkCalendar.for_committee(user.committee_id)
    work = Worklist()
    open_qs = _filtered(_annotated(selectors.unit_inbox(user=user)), q, session)
    for a in open_qs:
        group, due, label = _classify(a)
        row = InboxRow(assignment=a, group=group, due=due, due_label=label)
        if due is not None:
            row.days_left = cal.working_days_between(today, due)
            # An objection window that passed is not "overdue": the assignment simply stands.
            row.overdue = due < today and group != "accept"
        if (a.status == A.HANDLING and a.replies_to_proposer and not a.contact_count  # type: ignore[attr-defined]
                and a.first_contact_due is not None):
            row.first_contact_due = a.first_contact_due
            row.first_contact_overdue = a.first_contact_due < today
        work.groups[group].append(row)
    for rows in work.groups.values():
        rows.sort(key=lambda r: (r.due or dt.date.max, r.assignment.pk))
    if include_done:
        done_qs = _filtered(_annotated(selectors.unit_inbox(user=user, include_done=True)
                                       .filter(status__in=[A.REPLIED, A.CLOSED])), q, session)
        done_qs = done_qs.annotate(finished=Coalesce("closed_at", "reply_sent_at", "assigned_at")).order_by(
            "-finished", "-id")[:RECENT_DONE]
        work.groups["done"] = [InboxRow(assignment=a, group="done", due=None, due_label="") for a in done_qs]
    return work


def unit_items(user: Any) -> list[TodoItem]:
    """Home-page items of a unit liaison or leader, each linking to the assignment's workspace."""
    if user.committee_id is None or not selectors.unit_ids(user):
        return []
    category = _("Proposals")
    led = user.scope_ids(Role.UNIT_LEADER, "handling_unit")
    items: list[TodoItem] = []
    for row in unit_worklist(user, include_done=False).open_rows:
        a = row.assignment
        url = reverse("proposals:unit_assignment", args=[a.pk])
        title = a.proposal.title
        if row.group == "accept":
            if a.status == A.ASSIGNED:
                items.append(TodoItem(title=_("Accept or object: %(title)s") % {"title": title}, url=url,
                                      category=category, due=a.objection_due,
                                      detail=_("After this date the assignment stands.")))
            continue
        if row.group == "cosign":
            items.append(TodoItem(title=_("Co-sign the lead unit's reply: %(title)s") % {"title": title}, url=url,
                                  category=category, due=a.reply_due))
        elif row.group == "opinion":
            items.append(TodoItem(title=_("Send your opinion to the lead unit: %(title)s") % {"title": title},
                                  url=url, category=category, due=a.opinion_due))
        elif row.group == "returned":
            items.append(TodoItem(title=_("Revise the returned reply: %(title)s") % {"title": title}, url=url,
                                  category=category, due=a.reply_due,
                                  detail=_("The supervising office returned it.")))
        elif row.group == "handling" and a.replies_to_proposer and a.reply_status in (  # type: ignore[attr-defined]
                None, R.DRAFT):
            if a.reply_status == R.DRAFT and a.unit_id in led:  # type: ignore[attr-defined]
                items.append(TodoItem(title=_("Sign off the reply: %(title)s") % {"title": title}, url=url,
                                      category=category, due=a.reply_due,
                                      detail=_("A draft is saved; only the unit's leader can sign it off.")))
            else:
                items.append(TodoItem(title=_("Reply to: %(title)s") % {"title": title}, url=url, category=category,
                                      due=a.reply_due,
                                      detail=_("Draft saved; awaiting the leader's sign-off.")
                                      if a.reply_status == R.DRAFT else ""))  # type: ignore[attr-defined]
        if row.first_contact_due is not None:
            items.append(TodoItem(title=_("Contact the proposer: %(title)s") % {"title": title}, url=url,
                                  category=category, due=row.first_contact_due,
                                  detail=_("No contact with the proposer recorded yet.")))
    return items
