"""The demo committee's proposals history: every state on someone's desk, five sessions, real texts and
timestamps, the demo accounts' work, idempotence and a deterministic plan.

The demo is loaded once for the module (``demo_load``, committed outside the per-test transactions, as in
xieshang/demo/tests); every test only reads it, or changes it inside its own rolled-back transaction."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Max, Min
from django.urls import reverse
from django.utils import timezone

from xieshang.demo.generator import (
    DEFAULT_SEED,
    DEMO_PASSWORD,
    ORGANISATION_STEPS,
    DemoContext,
    demo_committee,
    demo_reset,
)
from xieshang.ledger.models import Event
from xieshang.notifications.models import Notification
from xieshang.organisation.models import Committee, PlenarySession
from xieshang.proposals import selectors
from xieshang.proposals.demo import History, Storyteller, _accounts
from xieshang.proposals.models import (
    Assignment,
    ContactRecord,
    Evaluation,
    ExcellentProposal,
    Extension,
    KeyProposal,
    Proposal,
    Proposer,
    Reply,
    SupervisionActivity,
)
from xieshang.proposals.workflow import AssignmentStatus, ProposalStatus, ReplyStatus

User = get_user_model()
pytestmark = pytest.mark.django_db
P, A, R = ProposalStatus, AssignmentStatus, ReplyStatus


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Committee]:
    with django_db_blocker.unblock():
        demo_reset(include_platform=True)  # left over from an interrupted run on a reused database
        call_command("demo_load", stdout=io.StringIO())
        committee = demo_committee()
    assert committee is not None
    yield committee
    with django_db_blocker.unblock():
        demo_reset(include_platform=True)


def _user(username: str) -> Any:
    return User.objects.get(username=username)


def _proposals(demo: Committee) -> Any:
    return Proposal.objects.filter(committee=demo)


# --- Every state ---------------------------------------------------------------------------------------------


def test_every_proposal_assignment_and_reply_state(demo: Committee) -> None:
    assert set(_proposals(demo).values_list("status", flat=True)) == set(P.values)
    assert set(Assignment.objects.filter(committee=demo).values_list("status", flat=True)) == set(A.values)
    assert set(Reply.objects.filter(assignment__committee=demo).values_list("status", flat=True)) == set(R.values)


def test_extensions_key_and_excellent_proposals_in_every_state(demo: Committee) -> None:
    assert set(Extension.objects.filter(assignment__committee=demo).values_list("status", flat=True)) == set(
        Extension.Status.values)
    keys = KeyProposal.objects.filter(committee=demo)
    this_year = keys.filter(year=timezone.localdate().year)
    assert set(this_year.values_list("status", flat=True)) == set(KeyProposal.Status.values)
    for key in keys.filter(status__in=[KeyProposal.Status.SELECTED, KeyProposal.Status.PLANNED,
                                       KeyProposal.Status.SUPERVISING, KeyProposal.Status.REPORTED]):
        assert key.leaders.exists() and key.supervising_office is not None and key.selected_on
    supervising = keys.filter(status__in=[KeyProposal.Status.SUPERVISING, KeyProposal.Status.REPORTED])
    assert supervising.exists()
    assert not supervising.annotate(n=Count("activities")).filter(n=0).exists()
    assert not keys.filter(status=KeyProposal.Status.REPORTED, report="").exists()
    excellent = ExcellentProposal.objects.filter(committee=demo)
    assert excellent.filter(status=ExcellentProposal.Status.SELECTED).count() >= 4 * 5  # five a year, 2022-2025
    assert excellent.filter(status=ExcellentProposal.Status.CANDIDATE).exists()


def test_sessions_one_to_four_are_closed_session_five_is_busy(demo: Committee) -> None:
    sessions = list(PlenarySession.objects.filter(committee=demo).order_by("ordinal"))
    assert len(sessions) == 5
    counts = {s.ordinal: s.proposals.count() for s in sessions}
    assert all(55 <= n <= 125 for n in counts.values()), counts
    done = {P.CLOSED, P.FOLLOW_UP, P.NOT_FILED, P.MERGED, P.WITHDRAWN}
    for session in sessions[:4]:
        statuses = Counter(session.proposals.values_list("status", flat=True))
        assert set(statuses) <= done, statuses
        assert statuses[P.CLOSED] / sum(statuses.values()) > 0.75
        assert not Assignment.objects.filter(proposal__session=session, status__in=[A.ASSIGNED, A.OBJECTED,
                                                                                    A.HANDLING]).exists()
    current = Counter(sessions[4].proposals.values_list("status", flat=True))
    assert len(current) >= 12, current
    # Members write both session proposals (大会提案) and regular ones between plenaries (平时提案).
    assert sessions[1].proposals.filter(is_session_proposal=False).exists()
    assert sessions[1].proposals.filter(is_session_proposal=True).count() > 40


def test_what_happened_on_the_way(demo: Committee) -> None:
    """Not every case is plain: objections, units that let the window pass, late and returned replies,
    paper evaluations, the dissatisfied, rehandling, implementation, publication."""
    assignments = Assignment.objects.filter(committee=demo)
    assert set(assignments.values_list("acceptance", flat=True)) >= {"accepted", "stood", "upheld"}
    assert assignments.filter(status=A.CANCELLED).exclude(objection_reason="").exists()  # reassigned
    assert assignments.filter(round=2).exists()
    assert assignments.exclude(escalated_on=None).filter(status=A.CLOSED).exists()  # replied late
    assert assignments.exclude(reminded_on=None).exists()
    assert Reply.objects.filter(assignment__committee=demo, status=R.SENT).exclude(review_note="").exists()
    evaluations = Evaluation.objects.filter(reply__assignment__committee=demo)
    assert set(evaluations.values_list("result", flat=True)) == set(Evaluation.Result.values)
    assert evaluations.filter(channel=Evaluation.Channel.PAPER).exists()
    assert set(Reply.objects.filter(assignment__committee=demo, status=R.SENT).values_list(
        "result_class", flat=True)) == {"A", "B", "C"}
    assert Event.objects.filter(committee=demo, verb="proposals.implemented").exists()
    assert _proposals(demo).filter(is_public=True).exists()
    assert _proposals(demo).filter(kind=Proposal.Kind.COLLECTIVE, has_seal=True).exists()
    assert _proposals(demo).filter(kind=Proposal.Kind.JOINT).exists()
    assert ContactRecord.objects.filter(assignment__committee=demo).values("method").distinct().count() >= 4
    assert SupervisionActivity.objects.filter(key_proposal__committee=demo).exists()
    not_filed = _proposals(demo).filter(status=P.NOT_FILED)
    assert not not_filed.filter(not_filed_ground="").exists()
    assert not not_filed.filter(disposition="").exists()
    assert not not_filed.filter(decision_reason="").exists()
    assert set(not_filed.values_list("disposition", flat=True)) == {"letter", "public_opinion", "proposer"}


# --- Texts ------------------------------------------------------------------------------------------------


def test_texts_read_like_proposals(demo: Committee) -> None:
    proposals = list(_proposals(demo))
    for p in proposals:
        assert p.title.startswith("关于") and p.title.endswith("建议"), p.title
        assert "{" not in p.title + p.body, p.title  # every slot filled
        if p.status == P.DRAFT and not p.analysis:
            continue  # the incomplete draft nobody would co-sign
        assert p.situation and p.analysis and p.suggestions, p.title
        assert 300 <= p.body_length <= 1200, (p.title, p.body_length)
        assert p.category
    # Members come back to a subject in later years (in other words); within a session no text repeats.
    assert len({p.body for p in proposals}) >= 0.9 * len(proposals)
    assert len({p.title for p in proposals}) >= 100
    for session in {p.session_id for p in proposals}:
        bodies = [p.body for p in proposals if p.session_id == session]
        assert len(set(bodies)) == len(bodies)
    sent = Reply.objects.filter(assignment__committee=demo, status=R.SENT).select_related("assignment__proposal")
    for reply in sent[:50]:
        assert reply.assignment.proposal.title in reply.body
        assert reply.document_number and reply.signatory and reply.contact_phone


def test_near_duplicates_are_merged_into_their_lead(demo: Committee) -> None:
    merged = _proposals(demo).filter(status=P.MERGED).select_related("merged_into")
    assert merged.count() >= 5
    for p in merged:
        assert p.merged_into.session_id == p.session_id
        assert p.title != p.merged_into.title and p.category == p.merged_into.category
        assert p.lead_member_id != p.merged_into.lead_member_id
        assert p.merged_into.status not in (P.MERGED, P.NOT_FILED)


def test_the_review_queue_offers_two_proposals_on_one_matter_for_merging(demo: Committee) -> None:
    from xieshang.proposals.selectors import review_queue
    from xieshang.search.similarity import duplicate_groups_by_session

    queue = list(review_queue(committee_id=demo.pk))
    groups = duplicate_groups_by_session(committee_id=demo.pk, session_ids={p.session_id for p in queue})
    waiting = {p.pk for p in queue}
    pending = [[p for p in g.proposals if p.pk in waiting] for g in groups]
    pending = [g for g in pending if len(g) >= 2]
    assert pending, "the demo's review queue should show a likely duplicate"
    first, second = pending[0][:2]
    assert first.lead_member_id != second.lead_member_id and first.title != second.title


# --- Time -------------------------------------------------------------------------------------------------


def test_history_happened_when_it_says(demo: Committee) -> None:
    first = PlenarySession.objects.get(committee=demo, ordinal=1)
    p1 = first.proposals.exclude(submitted_at=None)
    submitted = p1.aggregate(lo=Min("submitted_at"), hi=Max("submitted_at"))
    assert dt.date(2022, 1, 7) <= timezone.localtime(submitted["lo"]).date()
    assert timezone.localtime(submitted["hi"]).date() <= dt.date(2022, 1, 11)
    sent = Reply.objects.filter(assignment__proposal__session=first, status=R.SENT).aggregate(lo=Min("sent_at"))
    assert dt.date(2022, 3, 1) <= timezone.localtime(sent["lo"]).date() <= dt.date(2022, 6, 30)
    events = Event.objects.filter(committee=demo, verb__startswith="proposals.")
    years = {d.year for d in events.dates("created_at", "year")}
    assert years == set(range(2022, timezone.localdate().year + 1))
    assert not events.filter(created_at__gt=timezone.now()).exists()
    # Every proposal's own events are in the order of its story.
    for proposal in _proposals(demo).filter(status=P.CLOSED)[:30]:
        verbs = list(Event.objects.filter(committee=demo, target_type__model="proposal", target_id=proposal.pk)
                     .order_by("created_at", "id").values_list("verb", flat=True))
        assert verbs[0] == "proposals.created" and verbs.index("proposals.submitted") < verbs.index(
            "proposals.filed") < verbs.index("proposals.assignment_made") < verbs.index("proposals.closed")


def test_nothing_is_mailed_and_recent_notifications_are_unread(demo: Committee) -> None:
    notifications = Notification.objects.filter(committee=demo)
    assert notifications.count() > 1000
    assert not notifications.exclude(emailed_at=None).exists()
    assert notifications.filter(read_at=None).exists()
    assert not notifications.filter(read_at=None, created_at__lt=timezone.now() - dt.timedelta(days=11)).exists()


# --- The demo accounts' desks -------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["member", "member2", "director"])
def test_members_have_a_reply_to_evaluate_a_returned_proposal_and_an_invitation(demo: Committee,
                                                                                username: str) -> None:
    user = _user(username)
    member = user.member
    today = timezone.localdate()
    to_evaluate = [r for r in Reply.objects.filter(
        assignment__proposal__status=P.REPLIED, status=R.SENT, assignment__proposal__proposers__member=member,
        assignment__proposal__proposers__status=Proposer.Status.SIGNED)
        if not r.evaluations.filter(member=member).exists()]
    assert to_evaluate and all(user.has_perm("proposals.evaluate_reply", r.assignment.proposal) for r in to_evaluate)
    assert _proposals(demo).filter(status=P.RETURNED, lead_member=member).exclude(decision_reason="").exists()
    invitation = Proposer.objects.get(member=member, status=Proposer.Status.INVITED, proposal__status=P.COSIGNING)
    assert invitation.due >= today
    assert user.has_perm("proposals.sign_proposal", invitation.proposal)
    assert Notification.objects.filter(recipient=user, read_at=None).exists()
    # And a history: proposals of their own, filed and answered in earlier sessions.
    assert _proposals(demo).filter(lead_member=member, status=P.CLOSED).exists()


def test_member_has_drafts_and_proposals_under_review(demo: Committee) -> None:
    member = _user("member").member
    mine = _proposals(demo).filter(lead_member=member)
    assert {P.DRAFT, P.COSIGNING, P.SUBMITTED} <= set(mine.values_list("status", flat=True))


def test_the_education_bureau_has_work_waiting(demo: Committee) -> None:
    user = _user("unit")
    today = timezone.localdate()
    inbox = list(selectors.unit_inbox(user=user))
    assert sum(a.status == A.ASSIGNED and a.objection_due >= today for a in inbox) >= 2
    handling = [a for a in inbox if a.status == A.HANDLING and a.role != Assignment.Role.CO]
    assert any(today <= a.reply_due <= today + dt.timedelta(days=7) for a in handling)
    assert any(a.reply_due < today and a.escalated_on is not None for a in handling)
    assert any(a.needs_cosign for a in inbox)
    assert any(a.contact_count for a in handling)
    # The bureau's leader has a reply to sign off, and a returned reply waits for the bureau.
    replies = Reply.objects.filter(assignment__unit__name="县教育局")
    assert replies.filter(status=R.DRAFT).exists() and replies.filter(status=R.RETURNED).exists()
    assert _user("unitlead").has_perm("proposals.sign_off_reply", replies.filter(status=R.DRAFT).first().assignment)


def test_supervisor_has_replies_to_review(demo: Committee) -> None:
    supervisor = _user("supervisor")
    queue = list(selectors.replies_to_review(committee_id=demo.pk))
    assert len(queue) >= 3
    assert all(supervisor.has_perm("proposals.review_reply", r.assignment) for r in queue)


def test_proposal_staff_have_every_queue(demo: Committee) -> None:
    staff = _user("proposals")
    assert selectors.review_queue(committee_id=demo.pk).count() >= 4
    assert selectors.assignment_queue(committee_id=demo.pk).count() >= 3
    assert Assignment.objects.filter(committee=demo, status=A.OBJECTED).count() >= 2
    assert Extension.objects.filter(assignment__committee=demo, status=Extension.Status.PENDING).count() >= 2
    dissatisfied = _proposals(demo).filter(status=P.REPLIED, assignments__replies__evaluations__result="dissatisfied")
    assert dissatisfied.exists()
    assert all(staff.has_perm("proposals.close_proposal", p) for p in dissatisfied)
    board = selectors.overdue_board(committee_id=demo.pk)
    assert board.assignments


def test_every_unit_that_replies_has_a_leader_to_sign_off(demo: Committee) -> None:
    replying_units = set(Reply.objects.filter(assignment__committee=demo).values_list("assignment__unit", flat=True))
    for unit_id in replying_units:
        assert User.objects.filter(roleassignment__handling_unit_id=unit_id,
                                   roleassignment__role="unit_leader").exists()


@pytest.mark.parametrize(("username", "name"), [
    ("member", "proposals:list"), ("proposals", "proposals:review_queue"), ("proposals", "proposals:decisions"),
    ("proposals", "proposals:overdue"), ("unit", "proposals:unit_inbox"), ("supervisor", "proposals:supervision"),
    ("proposals", "proposals:statistics"), ("proposals", "proposals:key_list"),
])
def test_pages_show_the_demo(demo: Committee, client: Any, username: str, name: str) -> None:
    assert client.login(username=username, password=DEMO_PASSWORD)
    assert client.get(reverse(name)).status_code == 200


# --- Idempotent and deterministic -----------------------------------------------------------------------------


def _counts(demo: Committee) -> dict[str, int]:
    return {
        "proposals": Proposal.objects.count(), "assignments": Assignment.objects.count(),
        "replies": Reply.objects.count(), "evaluations": Evaluation.objects.count(), "events": Event.objects.count(),
        "notifications": Notification.objects.count(), "users": User.objects.count(),
    }


def test_second_load_creates_nothing(demo: Committee) -> None:
    before = _counts(demo)
    out = io.StringIO()
    call_command("demo_load", stdout=out)
    assert "nothing created" in out.getvalue()
    assert _counts(demo) == before


def test_the_history_is_planned_the_same_way_every_time(demo: Committee) -> None:
    """The plan (who writes what, and every act's time) comes from seeded generators only. Planned twice
    on a fresh organisation, inside this test's rolled-back transaction, it is the same."""

    def plan() -> list[Any]:
        with transaction.atomic():
            demo_reset()
            ctx = DemoContext(seed=DEFAULT_SEED)
            for step in ORGANISATION_STEPS:
                step(ctx)
            history = History(ctx, _accounts(ctx))
            Storyteller(history).tell()
            summary = [(c.fields["title"], c.lead.username, [u.username for u, _ in c.cosigners], c.outcome,
                        [u.name for u in c.units], sorted((k, v.isoformat()) for k, v in c.labels.items()))
                       for c in history.cases]
            summary.append(sorted((a.at.isoformat(), a.what) for a in history.acts))
            transaction.set_rollback(True)
        return summary

    first = plan()
    assert first == plan()
    titles = {title for title, *_ in first[:-1]}
    assert set(_proposals(demo).values_list("title", flat=True)) == titles
