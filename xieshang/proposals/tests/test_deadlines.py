import datetime as dt

import time_machine
from django.core.management import call_command
from django.utils import timezone

from xieshang.ledger.models import Event
from xieshang.notifications.models import Notification
from xieshang.proposals import services
from xieshang.proposals.models import Proposal


def _at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(9), tzinfo=timezone.get_current_timezone()))


def test_cosigning_closes_at_the_deadline_and_the_proposal_is_submitted(cast) -> None:
    p = cast.draft()
    invited = services.proposal_invite_cosigners(actor=cast.member, proposal=p, members=[cast.cosigner.member])
    services.proposals_tick(on=timezone.localdate())
    p.refresh_from_db()
    assert p.status == "cosigning"  # the invitation is still open
    with _at(invited[0].due + dt.timedelta(days=1)):
        report = services.proposals_tick(on=timezone.localdate())
    p.refresh_from_db()
    assert (report.submitted, p.status, p.kind) == (1, "submitted", "individual")
    assert p.proposers.get(is_lead=False).status == "expired"


def test_incomplete_draft_goes_back_to_the_proposer_when_cosigning_closes(cast) -> None:
    p = cast.draft(analysis="")
    invited = services.proposal_invite_cosigners(actor=cast.member, proposal=p, members=[cast.cosigner.member])
    with _at(invited[0].due + dt.timedelta(days=1)):
        report = services.proposals_tick(on=timezone.localdate())
    p.refresh_from_db()
    assert (report.back_to_draft, p.status) == (1, "draft")
    assert Notification.objects.filter(recipient=cast.member, kind="proposals.cosign_closed").exists()


def test_reminder_before_the_due_date_and_escalation_after_it_each_once(cast) -> None:
    p = cast.assigned(cohandlers=False)
    lead = cast.lead_assignment(p)
    services.assignment_accept(actor=cast.liaison, assignment=lead)
    with _at(lead.reply_due - dt.timedelta(days=1)):
        first = services.proposals_tick(on=timezone.localdate())
        again = services.proposals_tick(on=timezone.localdate())
    assert (first.reminded, again.reminded) == (1, 0)
    assert Notification.objects.filter(recipient=cast.liaison, kind="proposals.reminder").count() == 1
    with _at(lead.reply_due + dt.timedelta(days=1)):
        first = services.proposals_tick(on=timezone.localdate())
        again = services.proposals_tick(on=timezone.localdate())
    assert (first.escalated, again.escalated) == (1, 0)
    assert Notification.objects.filter(recipient=cast.supervisor, kind="proposals.overdue").count() == 1
    assert Event.objects.filter(verb="proposals.overdue_escalated").count() == 1


def test_command_runs_the_tick(cast, capsys) -> None:
    lead = cast.lead_assignment(cast.assigned(cohandlers=False))
    with _at(lead.objection_due + dt.timedelta(days=1)):
        call_command("proposals_tick")
    lead.refresh_from_db()
    assert lead.status == "handling"
    assert "stood: 1" in capsys.readouterr().out


def test_nothing_happens_to_closed_work(cast) -> None:
    p = cast.replied()
    services.proposal_close(actor=cast.staff, proposal=p)
    before = Notification.objects.count()
    with _at(timezone.localdate() + dt.timedelta(days=400)):
        report = services.proposals_tick(on=timezone.localdate())
    assert (report.reminded, report.escalated) == (0, 0)
    assert Notification.objects.count() == before
    assert Proposal.objects.get(pk=p.pk).status == "closed"


def test_a_cohandler_that_gave_its_opinion_is_not_overdue(cast) -> None:
    from xieshang.proposals.selectors import overdue_board

    p = cast.assigned()
    co = cast.co_assignment(p)
    services.assignment_accept(actor=cast.co_liaison, assignment=co)
    services.cohandler_opinion_submit(actor=cast.co_liaison, assignment=co, body="同意主办单位意见")
    with _at(co.opinion_due + dt.timedelta(days=1)):
        report = services.proposals_tick(on=timezone.localdate())
        board = overdue_board(committee_id=cast.committee.pk)
    assert co not in board.assignments
    assert not Notification.objects.filter(recipient=cast.co_liaison, kind="proposals.overdue").exists()
    assert report.escalated == 0
