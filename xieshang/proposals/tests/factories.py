"""Proposals in any state, built through the services so that every fixture is a state the workflow can
really reach."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from xieshang.organisation.models import Committee, PlenarySession, Role, Term
from xieshang.organisation.tests.factories import MemberFactory, UnitFactory, user_with_role
from xieshang.proposals import services
from xieshang.proposals.models import Assignment, Proposal, Reply

BODY = {
    "situation": "我县农村生活污水收集率偏低，部分村庄污水直排现象仍然存在。",
    "analysis": "主要原因是管网建设资金不足，运维机制不健全，群众环保意识有待提高。",
    "suggestions": "一、加大财政投入，分类推进管网建设；二、建立县乡村三级运维机制；三、加强宣传引导。",
}


def open_session(committee: Committee, *, today: dt.date | None = None) -> PlenarySession:
    """A session whose proposal window is open now."""
    today = today or timezone.localdate()
    term = Term.objects.get(committee=committee, is_current=True)
    n = PlenarySession.objects.filter(term=term).count() + 1
    return PlenarySession.objects.create(
        committee=committee, term=term, ordinal=n, name=f"第{n}次会议", opens_on=today + dt.timedelta(days=20),
        closes_on=today + dt.timedelta(days=23), proposal_window_start=today - dt.timedelta(days=60),
        proposal_deadline=timezone.now() + dt.timedelta(days=21))


class Cast:
    """The people of one proposal's story in one committee."""

    def __init__(self, committee: Committee) -> None:
        self.committee = committee
        self.member = user_with_role(committee, Role.MEMBER, display_name="提案人")
        self.cosigner = user_with_role(committee, Role.MEMBER, display_name="联名人")
        self.outsider = user_with_role(committee, Role.MEMBER, display_name="旁人")
        self.staff = user_with_role(committee, Role.PROPOSAL_STAFF)
        self.supervisor = user_with_role(committee, Role.SUPERVISOR)
        self.unit = UnitFactory(committee=committee, name="县生态环境局")
        self.co_unit = UnitFactory(committee=committee, name="县住房和城乡建设局")
        self.other_unit = UnitFactory(committee=committee, name="县农业农村局")
        self.liaison = user_with_role(committee, Role.UNIT_LIAISON, scope=self.unit)
        self.unit_leader = user_with_role(committee, Role.UNIT_LEADER, scope=self.unit)
        self.co_liaison = user_with_role(committee, Role.UNIT_LIAISON, scope=self.co_unit)
        self.co_leader = user_with_role(committee, Role.UNIT_LEADER, scope=self.co_unit)
        self.other_liaison = user_with_role(committee, Role.UNIT_LIAISON, scope=self.other_unit)
        self.session = open_session(committee)

    def draft(self, *, title: str = "关于加快农村生活污水治理的建议", by: Any = None, **kw: Any) -> Proposal:
        fields = {"title": title, "category": "environment", **BODY, **kw}
        return services.proposal_create(actor=by or self.member, **fields)

    def submitted(self, *, by: Any = None, **kw: Any) -> Proposal:
        return services.proposal_submit(actor=by or self.member, proposal=self.draft(by=by, **kw))

    def filed(self, **kw: Any) -> Proposal:
        return services.proposal_file(actor=self.staff, proposal=self.submitted(**kw))

    def assigned(self, *, cohandlers: bool = True, **kw: Any) -> Proposal:
        proposal = self.filed(**kw)
        services.proposal_assign(actor=self.staff, proposal=proposal, lead=self.unit,
                                 cohandlers=[self.co_unit] if cohandlers else [])
        return Proposal.objects.get(pk=proposal.pk)

    def lead_assignment(self, proposal: Proposal) -> Assignment:
        return proposal.assignments.exclude(role="co").exclude(status="cancelled").get()

    def co_assignment(self, proposal: Proposal) -> Assignment:
        return proposal.assignments.get(role="co")

    def reply_ready(self, proposal: Proposal, *, cls: str = "A") -> Reply:
        """The lead unit accepted, met the proposer and drafted a complete reply."""
        lead = self.lead_assignment(proposal)
        services.assignment_accept(actor=self.liaison, assignment=lead)
        services.contact_record(actor=self.liaison, assignment=lead, happened_on=timezone.localdate(),
                                method="meeting", summary="与提案人座谈，听取意见")
        return services.reply_save_draft(actor=self.liaison, assignment=lead, body="经研究，答复如下……",
                                         result_class=cls, signatory="局长 王某", document_number="环函〔2026〕1号",
                                         contact_person="张科长", contact_phone="0938-1234567")

    def replied(self, *, cls: str = "A", **kw: Any) -> Proposal:
        proposal = self.assigned(cohandlers=False, **kw)
        reply = self.reply_ready(proposal, cls=cls)
        services.reply_submit(actor=self.unit_leader, reply=reply)
        services.reply_review(actor=self.supervisor, reply=reply, approve=True)
        return Proposal.objects.get(pk=proposal.pk)


__all__ = ["BODY", "Cast", "MemberFactory", "open_session"]
