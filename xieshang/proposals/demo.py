"""The demo committee's proposals: five sessions of them, written, reviewed, assigned, handled, answered,
evaluated and closed through the real services, at the dates they happened.

How it works. Every proposal is a *case*. Planning gives each case a timeline of dated acts (the member
drafts on a Sunday evening, the proposal committee files it on the batch day after the plenary, the unit
accepts two working days after the assignment meeting …) drawn from the case's own seeded generator.
The acts of all cases, the weekly run of the deadline job and a few committee-wide acts (key and excellent
proposals, members reading their inboxes) are then sorted and replayed in order with the clock moved to
each act's time (time_machine), so that due dates, overdue items, notifications and the event ledger carry
real timestamps and proposal numbers follow the filing order.

Sessions 1–4 (2022–2025) run to the end: nearly everything is closed, with the odd objection, extension,
late reply, returned reply and dissatisfied proposer on the way. Session 5 (2026) is the current one. Its
session proposals are answered by now; the open work comes from regular proposals placed relative to
today (``ctx.today``), so the demo has something in every state whenever it is loaded: drafts, invitations
to co-sign, a review queue, assignments awaiting acceptance, objections, handling due soon and overdue,
replies at every step, evaluations, rehandling and follow-up.

The demo accounts get their share: ``member``, ``member2`` and ``director`` each have a reply to evaluate, a
returned proposal and an invitation to co-sign; ``unit`` (县教育局) has assignments to accept, one due soon,
one overdue and a reply to co-sign; ``supervisor`` has replies to review; ``proposals`` has every queue.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from xieshang.demo import data as org_data
from xieshang.notifications.services import notification_mark_read
from xieshang.organisation.models import HandlingUnit, MemberTerm, Office, Party, Role, RoleAssignment
from xieshang.organisation.services import account_create
from xieshang.proposals import demo_data as text
from xieshang.proposals import services
from xieshang.proposals.models import Assignment, ExcellentProposal, Extension, KeyProposal, Proposal, Reply
from xieshang.proposals.workflow import ProposalStatus
from xieshang.ruleset.selectors import rules_for
from xieshang.ruleset.workdays import WorkCalendar, add_months

if TYPE_CHECKING:
    from xieshang.demo.generator import DemoContext

User = get_user_model()

# Member accounts added for proposing: m021 … m080, after the generator's m001 … m020.
EXTRA_MEMBER_ACCOUNTS = 60
FIRST_EXTRA_NUMBER = 21
# Every handling unit but 县教育局 (which has ``unitlead``) gets a leader's account to sign replies off:
# the liaison's user name with "-lead", e.g. unit-07-lead.
LEADER_SUFFIX = "-lead"

# Session proposals (大会提案) of each session, and the regular proposals (平时提案) of the year before it.
SESSION_PROPOSALS = (56, 50, 52, 56, 40)
REGULAR_PROPOSALS = (0, 9, 10, 10, 8)

EDU = org_data.EDUCATION_BUREAU
STAFF_HOURS = (8 * 60 + 40, 17 * 60 + 40)
MEMBER_HOURS = (7 * 60 + 30, 22 * 60)
COLLECTIVES: dict[str, str] = {
    Party.RCCK: "民革示范县支部", Party.CDL: "民盟示范县委员会", Party.CAPD: "民进示范县支部",
    Party.CDNCA: "民建示范县支部", Party.JS: "九三学社示范县支社", Party.CPWDP: "农工党示范县支部",
}


# --- Cast --------------------------------------------------------------------------------------------------


@dataclass
class Cast:
    staff: Any
    supervisor: Any
    proposers: list[Any]  # member accounts, by user name
    by_username: dict[str, Any]
    since: dict[int, dt.date]  # member pk -> appointed on
    liaison: dict[int, Any]  # unit pk -> liaison account
    leader: dict[int, Any]  # unit pk -> unit leader account
    units: dict[str, HandlingUnit]


def _accounts(ctx: DemoContext) -> Cast:
    """More member accounts (so that more than a handful of members propose) and a leader's account for
    every unit (a reply is signed off by the unit's leader), through the real account service."""
    rng = ctx.rng("proposals.accounts")
    committee = ctx.committee
    roles = list(RoleAssignment.objects.filter(committee=committee).select_related("user"))
    with_account = {r.member_id for r in roles if r.role == Role.MEMBER}
    liaison = {r.handling_unit_id: r.user for r in roles if r.role == Role.UNIT_LIAISON}
    leader = {r.handling_unit_id: r.user for r in roles if r.role == Role.UNIT_LEADER}
    users = {u.pk: u for u in ctx.users.values()}  # the generator's objects, so their caches are shared
    liaison = {k: users.get(u.pk, u) for k, u in liaison.items()}
    leader = {k: users.get(u.pk, u) for k, u in leader.items()}

    created = []
    candidates = [m for m in ctx.ordinary if m.pk not in with_account]
    chosen = sorted(rng.sample(candidates, EXTRA_MEMBER_ACCOUNTS), key=ctx.members.index)
    for number, member in enumerate(chosen, start=FIRST_EXTRA_NUMBER):
        user = account_create(actor=None, committee=committee, username=f"m{number:03d}", display_name=member.name,
                              password=None, role=Role.MEMBER, scope=member, phone=member.phone)
        created.append(user)
    for unit in ctx.units.values():
        if unit.pk in leader:
            continue
        user = account_create(actor=None, committee=committee, username=f"{liaison[unit.pk].username}{LEADER_SUFFIX}",
                              display_name=unit.principal, password=None, role=Role.UNIT_LEADER, scope=unit,
                              phone=ctx.mobile())
        leader[unit.pk] = user
        created.append(user)
    password = ctx.users["admin"].password  # the generator's shared hash of the demo password
    User.objects.filter(pk__in=[u.pk for u in created]).update(password=password)
    for user in created:
        user.password = password
        ctx.users[user.username] = user

    member_roles = {r.user_id for r in roles if r.role == Role.MEMBER} | {u.pk for u in created
                                                                           if u.username.startswith("m0")}
    proposers = sorted((u for u in ctx.users.values() if u.pk in member_roles), key=lambda u: u.username)
    since = dict(MemberTerm.objects.filter(term=ctx.term).values_list("member_id", "appointed_on"))
    return Cast(staff=ctx.users["proposals"], supervisor=ctx.users["supervisor"], proposers=proposers,
                by_username={u.username: u for u in ctx.users.values()}, since=since, liaison=liaison,
                leader=leader, units=ctx.units)


# --- Cases and their plans ----------------------------------------------------------------------------------


@dataclass
class Case:
    """One proposal's story: who writes it about what, and what becomes of it."""

    number: int
    seed: str
    session: int  # the session it is expected to belong to (1-5)
    fields: dict[str, Any]
    topic: text.Topic | None
    unfit: text.Unfit | None
    lead: Any
    cosigners: list[tuple[Any, str]]  # (account, "sign" | "decline" | "ignore")
    units: list[HandlingUnit]
    mode: str  # "lead" (lead and co-handlers, or a sole unit) or "separate"
    town: str
    year: int
    merged: list[Case] = field(default_factory=list)
    labels: dict[str, dt.datetime] = field(default_factory=dict)
    outcome: str = ""  # what planning expects at the end: closed, follow_up, implemented, open …
    result_class: str = ""
    # Filled while the history is replayed.
    proposal: Proposal | None = None
    assignments: dict[int, Assignment] = field(default_factory=dict)
    replies: dict[int, Reply] = field(default_factory=dict)
    extension: Extension | None = None

    @property
    def signers(self) -> list[Any]:
        return [self.lead, *(u for u, answer in self.cosigners if answer == "sign")]

    @property
    def evaluators(self) -> list[Any]:
        """Who gets the reply: the signed proposers, and those of every proposal merged into this one."""
        people = list(self.signers)
        for other in self.merged:
            people += [u for u in other.signers if u not in people]
        return people


@dataclass
class Options:
    """The turns a case takes. Defaults are the plain path: filed, assigned, accepted, answered, closed."""

    decision: str = "file"  # file | not_file | merge | withdraw
    returned: bool = False  # returned for revision, revised and submitted again
    pre_review: bool = False
    acceptance: list[str] = field(default_factory=list)  # per unit: accept | upheld | reassigned | stand | object
    reassign_to: HandlingUnit | None = None
    extension: str = ""  # "" | approved | refused | pending
    late: bool = False  # the reply comes after its due date (and the deadline job escalates it)
    reply_return: bool = False  # the supervising office returns the first reply once
    result_class: str = "A"
    second_contact: bool = False
    evaluations: dict[int, str] = field(default_factory=dict)  # user pk -> result, "silent" or "paper:<result>"
    second_round_class: str = "A"
    implemented_after: int | None = None  # working days from closing to implementation (class B)
    publish: bool = False
    file_day: dt.date | None = None  # the session's batch days, when set
    pre_review_day: dt.date | None = None
    assign_day: dt.date | None = None
    merge_into: Case | None = None


@dataclass(order=True)
class Act:
    at: dt.datetime
    seq: int
    run: Callable[[], Any] = field(compare=False)
    what: str = field(default="", compare=False)


class Plan:
    """The dated acts of one case, before they are committed to the timeline."""

    def __init__(self, history: History, rng: random.Random) -> None:
        self.h, self.rng = history, rng
        self.acts: list[tuple[dt.datetime, str, Callable[[], Any]]] = []
        self.labels: dict[str, dt.datetime] = {}

    def add(self, day: dt.date, who: str, label: str, run: Callable[[], Any], after: dt.datetime | None = None
            ) -> dt.datetime:
        at = self.h.moment(day, who, self.rng, after)
        self.acts.append((at, label, run))
        self.labels.setdefault(label, at)
        return at

    def mark(self, label: str, at: dt.datetime) -> None:
        self.labels.setdefault(label, at)


# --- The history ------------------------------------------------------------------------------------------


class History:
    def __init__(self, ctx: DemoContext, cast: Cast) -> None:
        self.ctx, self.cast = ctx, cast
        self.rng = ctx.rng("proposals")
        self.today = ctx.today
        # Everything replayed happened before today began; the deadline job then runs once more for today.
        self.cutoff = timezone.make_aware(dt.datetime.combine(self.today, dt.time.min))
        self.cal = WorkCalendar.for_committee(ctx.committee.pk)
        r = rules_for(committee_id=ctx.committee.pk)
        self.rules = {key: r[key] for key in (
            "proposal.objection_working_days", "proposal.first_contact_working_days",
            "proposal.cohandler_opinion_months", "proposal.reply_months", "proposal.reply_max_months",
            "proposal.evaluation_working_days", "proposal.rehandling_months")}
        self.acts: list[Act] = []
        self.cases: list[Case] = []
        self.used: Counter[int] = Counter()  # proposals per member account
        self.doc_numbers: Counter[tuple[int, int]] = Counter()  # (unit, year) -> letters sent
        self.supervision = ctx.offices[Office.Kind.GOVERNMENT_SUPERVISION]

    # Dates and times ------------------------------------------------------------------------------------

    def wd(self, day: dt.date, n: int) -> dt.date:
        """``n`` working days after (or, negative, before) ``day``."""
        if n >= 0:
            return self.cal.add_working_days(day, n)
        while n < 0:
            day -= dt.timedelta(days=1)
            if self.cal.is_workday(day):
                n += 1
        return day

    def workday(self, day: dt.date) -> dt.date:
        return self.cal.next_workday(day)

    def moment(self, day: dt.date, who: str, rng: random.Random, after: dt.datetime | None = None) -> dt.datetime:
        low, high = MEMBER_HOURS if who == "member" else STAFF_HOURS
        minutes = rng.randint(low, high)
        at = timezone.make_aware(dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60)))
        if after is not None and at <= after:
            at = after + dt.timedelta(minutes=rng.randint(3, 45))
        return at

    def dues(self, start: dt.date, role: str) -> dict[str, dt.date]:
        """The due dates the assignment service will give (assignment_dates), computed ahead for planning."""
        r = self.rules
        reply_due = self.workday(add_months(start, r["proposal.reply_months"]))
        return {"objection": self.wd(start, r["proposal.objection_working_days"]),
                "opinion": self.workday(add_months(start, r["proposal.cohandler_opinion_months"])),
                "reply": reply_due, "hard": max(reply_due, add_months(start, r["proposal.reply_max_months"]))}

    def next_tick(self, after: dt.date) -> dt.date:
        """The Monday the weekly deadline job next runs on, strictly after ``after``."""
        return after + dt.timedelta(days=7 - after.weekday())

    # Cases ----------------------------------------------------------------------------------------------

    def new_case(self, *, session: int, year: int, when: dt.date, topic: text.Topic | None = None,
                 twin: text.Twin | None = None, unfit: text.Unfit | None = None, town: str = "",
                 lead: Any = None, cosigners: Sequence[Any] | None = None, collective: bool = False,
                 answers: Sequence[str] | None = None, units: Sequence[HandlingUnit] | None = None,
                 co_count: int | None = None, separate: bool = False, incomplete: bool = False) -> Case:
        number = len(self.cases) + 1
        rng = random.Random(f"{self.ctx.seed}:proposals.case:{number}")
        base = twin or unfit or topic
        assert base is not None
        if topic is None and twin is not None:
            topic = next(t for t in text.TOPICS if t.key == twin.topic)
        towns = (topic.towns if topic is not None and topic.towns and topic.towns != text.ALL_TOWNS
                 else org_data.TOWNSHIP_NAMES)
        town = town or rng.choice(towns)
        sectors = topic.sectors if topic is not None else ()
        lead = lead or self.pick_member(rng, when, sectors)
        fields = self.compose(base, rng, town=town, written=when, category=(unfit or topic).category)  # type: ignore[union-attr]
        if incomplete:
            fields["analysis"] = ""
        if collective and not cosigners:
            kind, name = self.collective_of(lead, topic)
            fields.update(kind=Proposal.Kind.COLLECTIVE, collective_kind=kind, collective_name=name, has_seal=True)
            chosen: list[tuple[Any, str]] = []
        else:
            if cosigners is None:
                count = rng.choices((0, 1, 2, 3), (62, 20, 12, 6))[0]
                cosigners = self.pick_cosigners(rng, when, lead, sectors, count)
                answers = [rng.choices(("sign", "decline", "ignore"), (90, 4, 6))[0] for _ in cosigners]
            else:
                answers = list(answers or ["sign"] * len(cosigners))
            chosen = list(zip(cosigners, answers, strict=True))
        if units is None and topic is not None:
            co = [self.cast.units[name] for name in topic.co]
            keep = len(co) if co_count is None else min(co_count, len(co))
            units = [self.cast.units[topic.lead], *rng.sample(co, keep)]
        case = Case(number=number, seed=f"{self.ctx.seed}:proposals.plan:{number}", session=session, fields=fields,
                    topic=topic, unfit=unfit, lead=lead, cosigners=chosen, units=list(units or []),
                    mode="separate" if separate and len(units or []) > 1 else "lead", town=town, year=year)
        self.cases.append(case)
        self.used[lead.pk] += 1
        return case

    def compose(self, base: Any, rng: random.Random, *, town: str, written: dt.date, category: str) -> dict[str, Any]:
        """A proposal's text: the topic in the member's own framing (an opening on how they came to it,
        the causes, one more suggestion). {year} is the year the member looked into it (the year just
        ended, for what is written in the winter before a plenary), {prev} the last full year."""
        village = f"{town}{rng.choice(org_data.VILLAGES)}村"
        year = written.year if written.month >= 3 else written.year - 1

        def fill(s: str) -> str:
            return s.format(town=town, village=village, year=year, prev=written.year - 1)

        # A short text always gets the closing sentences, so that every proposal has some substance.
        short = len(base.situation) + len(base.analysis) + len(base.suggestions) < 260
        closings = [c for c in text.SITUATION_CLOSINGS if c or not short]
        situation = fill(rng.choice(text.SITUATION_OPENINGS)) + fill(base.situation) + rng.choice(closings)
        analysis = fill(base.analysis)
        if analysis.startswith("一是"):
            analysis = rng.choice(text.ANALYSIS_OPENINGS) + analysis
        analysis += rng.choice([c for c in text.ANALYSIS_CLOSINGS if c or not short])
        suggestions = fill(base.suggestions)
        extra = rng.choice(text.SUGGESTION_EXTRAS)
        suggestions += f"四是{extra}" if "三是" in suggestions and "四是" not in suggestions else f"同时，建议{extra}"
        return {"title": fill(base.title), "category": category, "situation": situation, "analysis": analysis,
                "suggestions": suggestions}

    def eligible(self, when: dt.date) -> list[Any]:
        return [u for u in self.cast.proposers if self.cast.since.get(u.member.pk, dt.date.min) <= when]

    def pick_member(self, rng: random.Random, when: dt.date, sectors: Sequence[str]) -> Any:
        """A member who cares about the subject, preferring those who have proposed least so far."""
        people = self.eligible(when)
        matching = [u for u in people if u.member.sector.name in sectors]
        pool = matching if matching and rng.random() < 0.7 else people
        fewest = min(self.used[u.pk] for u in pool)
        return rng.choice([u for u in pool if self.used[u.pk] <= fewest + 1])

    def pick_cosigners(self, rng: random.Random, when: dt.date, lead: Any, sectors: Sequence[str],
                       count: int) -> list[Any]:
        people = [u for u in self.eligible(when) if u is not lead]
        matching = [u for u in people if u.member.sector.name in sectors or u.member.sector_id == lead.member.sector_id]
        pool = matching if len(matching) >= count else people
        return rng.sample(pool, count)

    def collective_of(self, lead: Any, topic: text.Topic | None) -> tuple[str, str]:
        member = lead.member
        if member.party in COLLECTIVES:
            return Proposal.CollectiveKind.PARTY, COLLECTIVES[member.party]
        if member.sector.name in ("工会", "妇联", "共青团", "工商联", "科协"):
            return Proposal.CollectiveKind.PEOPLES_ORG, {"工会": "县总工会", "妇联": "县妇联", "共青团": "团县委",
                                                         "工商联": "县工商联", "科协": "县科协"}[member.sector.name]
        return Proposal.CollectiveKind.SECTOR, f"县政协{member.sector.name}"

    # Planning one case ----------------------------------------------------------------------------------

    def plan(self, case: Case, o: Options, submit_day: dt.date) -> Plan:  # noqa: C901 - one story, read top down
        rng = random.Random(case.seed)
        p = Plan(self, rng)
        # Drafting and co-signing.
        # The first session's members were appointed at it: they drafted in the days before, not earlier.
        earliest = self.ctx.sessions[0].opens_on - dt.timedelta(days=3) if case.session == 1 else dt.date.min
        if case.cosigners:
            invite_day = max(submit_day - dt.timedelta(days=rng.randint(1, 4)), earliest)
            create_day = max(invite_day - dt.timedelta(days=rng.randint(0, 6)), earliest)
        else:
            create_day = max(submit_day - dt.timedelta(days=rng.randint(0, 10)), earliest)
        t = p.add(create_day, "member", "create", lambda: self.create(case))
        if case.cosigners:
            t = invited = p.add(invite_day, "member", "invite", lambda: self.invite(case), after=t)
            for user, answer in case.cosigners:
                if answer == "ignore":
                    continue
                day = invite_day + dt.timedelta(days=rng.randint(0, (submit_day - invite_day).days))
                signed = p.add(day, "member", "sign", lambda u=user, a=answer: self.sign(case, u, a == "sign"),
                               after=invited)
                t = max(t, signed)
        t = p.add(submit_day, "member", "submit", lambda: self.submit(case), after=t)
        if o.decision == "withdraw":
            p.add(submit_day + dt.timedelta(days=rng.randint(1, 4)), "member", "withdraw",
                  lambda: self.withdraw(case), after=t)
            case.outcome = "withdrawn"
            return p
        # Review.
        base = submit_day
        if o.returned:
            day = self.wd(submit_day, rng.randint(2, 5))
            t = p.add(day, "staff", "return", lambda: self.return_(case), after=t)
            base = day + dt.timedelta(days=rng.randint(1, 5))
            t = p.add(base, "member", "revise", lambda: self.revise(case), after=t)
            t = p.add(base, "member", "resubmit", lambda: self.submit(case), after=t)
        file_day = o.file_day or self.wd(base, rng.randint(3, 8))
        if o.pre_review:
            day = max(o.pre_review_day or self.wd(file_day, -rng.randint(1, 3)), self.wd(base, 1))
            if day < file_day:
                t = p.add(day, "staff", "pre_review", lambda: self.pre_review(case), after=t)
        if o.decision == "not_file":
            p.add(file_day, "staff", "not_file", lambda: self.not_file(case), after=t)
            case.outcome = "not_filed"
            return p
        if o.decision == "merge":
            assert o.merge_into is not None
            lead = o.merge_into
            p.add(file_day, "staff", "merge", lambda: self.merge(case, lead), after=max(t, lead.labels["file"]))
            case.outcome = "merged"
            return p
        t = p.add(file_day, "staff", "file", lambda: self.file(case), after=t)
        # Assignment.
        assign_day = o.assign_day or self.wd(file_day, rng.randint(3, 8))
        assigned = p.add(assign_day, "staff", "assign", lambda: self.assign(case), after=t)
        roles = self.roles(case)
        acceptance = o.acceptance or ["accept"] * len(case.units)
        co_ready: dict[int, tuple[HandlingUnit, dt.datetime]] = {}
        replying: list[tuple[int, HandlingUnit, dt.date, dt.datetime]] = []  # (index, unit, start, ready at)
        for i, unit in enumerate(case.units):
            start, ready = assign_day, assigned
            answer = acceptance[i]
            if answer == "accept":
                day = self.wd(assign_day, rng.randint(1, 4))
                ready = p.add(day, "staff", f"accept:{i}", lambda u=unit: self.accept(case, u), after=assigned)
            elif answer in ("upheld", "reassigned", "object"):
                day = self.wd(assign_day, rng.randint(1, 3))
                other = o.reassign_to or self.other_unit(case)
                objected = p.add(day, "staff", f"object:{i}", lambda u=unit, x=other: self.object(case, u, x),
                                 after=assigned)
                if answer == "object":
                    continue
                day = self.wd(day, rng.randint(1, 4))
                ready = p.add(day, "staff", f"decide:{i}",
                              lambda u=unit, x=other, up=answer == "upheld": self.decide(case, u, up, x),
                              after=objected)
                if answer == "reassigned":
                    unit, start = other, day
                    day = self.wd(day, rng.randint(1, 3))
                    ready = p.add(day, "staff", f"accept:{i}", lambda u=unit: self.accept(case, u), after=ready)
            else:  # stand: nobody acts; the deadline job lets the assignment stand
                day = self.next_tick(self.dues(assign_day, roles[i])["objection"])
                ready = timezone.make_aware(dt.datetime.combine(day, dt.time(1, 30)))
                p.mark(f"stood:{i}", ready)
            if roles[i] == Assignment.Role.CO:
                day = self.wd(ready.date(), rng.randint(5, 15))
                ready = p.add(day, "staff", f"opinion:{i}", lambda u=unit: self.opinion(case, u), after=ready)
                co_ready[i] = (unit, ready)
            else:
                replying.append((i, unit, start, ready))
        # Handling and replying, unit by unit; co-handlers sign the lead unit's reply.
        sent: dict[int, dt.datetime] = {}
        for i, unit, start, ready in replying:
            at = self.plan_reply(p, case, o, i, unit, start, ready, co_ready, rng)
            if at is not None:
                sent[i] = at
        if not sent or len(sent) < len(replying):
            case.outcome = "open"
            return p
        replied = max(sent.values())
        p.mark("replied", replied)
        self.plan_evaluation(p, case, o, sent, co_ready, rng)
        return p

    def other_unit(self, case: Case) -> HandlingUnit:
        """Where a unit says the proposal belongs: a unit the subject also concerns, not already on it."""
        names = [*(case.topic.co if case.topic else ()), "县发展和改革局", "县财政局"]
        held = {u.pk for u in case.units}
        return next(self.cast.units[n] for n in names if self.cast.units[n].pk not in held)

    def plan_reply(self, p: Plan, case: Case, o: Options, i: int, unit: HandlingUnit, start: dt.date,
                   ready: dt.datetime, co_ready: dict[int, tuple[HandlingUnit, dt.datetime]], rng: random.Random
                   ) -> dt.datetime | None:
        """Contacts, perhaps an extension, the reply and its way to the proposer; None while it waits for a
        decision on the extension."""
        dues = self.dues(start, Assignment.Role.LEAD)
        day = self.wd(ready.date(), rng.randint(2, 10))
        t = p.add(day, "staff", f"contact:{i}", lambda: self.contact(case, unit), after=ready)
        due = dues["reply"]
        if o.extension and i == 0:
            asked = max(self.wd(due, -rng.randint(3, 8)), self.wd(day, 1))
            wanted = min(self.wd(due, rng.randint(15, 25)), dues["hard"])
            t = p.add(asked, "staff", f"extension:{i}", lambda: self.ask_extension(case, unit, wanted), after=t)
            if o.extension == "pending":
                return None
            t = p.add(self.wd(asked, rng.randint(1, 3)), "staff", f"extension_decided:{i}",
                      lambda ok=o.extension == "approved": self.decide_extension(case, ok), after=t)
            if o.extension == "approved":
                due = wanted
        late = o.late and i == 0
        draft_day = self.wd(due, rng.randint(3, 12)) if late else self.wd(due, -rng.randint(3, 22))
        draft_day = max(draft_day, self.wd(t.date(), 2))
        if o.second_contact:
            day = self.wd(draft_day, -rng.randint(1, 4))
            if day > t.date():
                t = p.add(day, "staff", f"contact2:{i}", lambda: self.contact(case, unit, second=True), after=t)
        cls = o.result_class
        t = p.add(draft_day, "staff", f"draft:{i}", lambda: self.draft(case, unit, cls), after=t)
        t = self.plan_sign_off(p, case, i, unit, t, co_ready, rng)
        if o.reply_return and i == 0:
            t = p.add(self.wd(t.date(), rng.randint(1, 4)), "staff", f"reply_return:{i}",
                      lambda: self.review(case, unit, approve=False), after=t)
            t = p.add(self.wd(t.date(), rng.randint(1, 3)), "staff", f"redraft:{i}",
                      lambda: self.draft(case, unit, cls, revised=True), after=t)
            t = self.plan_sign_off(p, case, i, unit, t, co_ready, rng, again=True)
        return p.add(self.wd(t.date(), rng.randint(1, 4)), "staff", f"sent:{i}",
                     lambda: self.review(case, unit, approve=True), after=t)

    def plan_sign_off(self, p: Plan, case: Case, i: int, unit: HandlingUnit, t: dt.datetime,
                      co_ready: dict[int, tuple[HandlingUnit, dt.datetime]], rng: random.Random,
                      again: bool = False) -> dt.datetime:
        """The unit's leader signs off (签发); co-handlers sign (会签); the reply reaches the review queue."""
        suffix = "_again" if again else ""
        t = p.add(self.wd(t.date(), rng.randint(0, 2)), "staff", f"reply_submit{suffix}:{i}",
                  lambda: self.submit_reply(case, unit), after=t)
        if i == 0 and case.mode == "lead" and co_ready:
            last = t
            for j, (co, ready) in sorted(co_ready.items()):
                signed = p.add(self.wd(t.date(), rng.randint(0, 2)), "staff", f"cosign{suffix}:{j}",
                               lambda c=co: self.cosign(case, unit, c), after=max(t, ready))
                last = max(last, signed)
            t = last
        p.mark(f"in_review{suffix}:{i}", t)
        return t

    def plan_evaluation(self, p: Plan, case: Case, o: Options, sent: dict[int, dt.datetime],
                        co_ready: dict[int, tuple[HandlingUnit, dt.datetime]], rng: random.Random) -> None:
        evaluators = case.evaluators
        results = {u.pk: o.evaluations.get(u.pk, "satisfied") for u in evaluators}
        done: list[dt.datetime] = []
        silent = False
        dissatisfied_at: dt.datetime | None = None
        for i, at in sorted(sent.items()):
            for user in evaluators:
                result = results[user.pk]
                if i != 0 and result == "dissatisfied":
                    result = "basically"  # only the lead unit's reply is found wanting
                if result == "silent":
                    silent = True
                    continue
                if result.startswith("paper:"):
                    day = self.wd(at.date(), rng.randint(6, 14))
                    done.append(p.add(day, "staff", "evaluate", lambda u=user, k=i, r=result[6:]: self.evaluate(
                        case, k, u, r, paper=True), after=at))
                    continue
                day = self.wd(at.date(), rng.randint(1, 10))
                when = p.add(day, "member", "dissatisfied" if result == "dissatisfied" else "evaluate",
                             lambda u=user, k=i, r=result: self.evaluate(case, k, u, r), after=at)
                done.append(when)
                if result == "dissatisfied":
                    dissatisfied_at = when
        last = max(done, default=max(sent.values()))
        cls = o.result_class
        if dissatisfied_at is not None:
            day = self.wd(last.date(), rng.randint(2, 6))
            t = p.add(day, "staff", "rehandle", lambda: self.rehandle(case), after=last)
            unit = case.units[0]
            t = p.add(self.wd(day, rng.randint(2, 6)), "staff", "contact_again:0",
                      lambda: self.contact(case, unit, second=True), after=t)
            cls = o.second_round_class
            t = p.add(self.wd(t.date(), rng.randint(4, 10)), "staff", "draft_again:0",
                      lambda: self.draft(case, unit, cls, second_round=True), after=t)
            t = self.plan_sign_off(p, case, 0, unit, t, co_ready, rng, again=True)
            t = p.add(self.wd(t.date(), rng.randint(1, 3)), "staff", "sent_again:0",
                      lambda: self.review(case, unit, approve=True), after=t)
            done = []
            for user in evaluators:
                if results[user.pk] == "silent":
                    continue
                result = "satisfied" if rng.random() < 0.7 else "basically"
                done.append(p.add(self.wd(t.date(), rng.randint(1, 8)), "member", "evaluate_again",
                                  lambda u=user, r=result: self.evaluate(case, 0, u, r), after=t))
            last = max(done, default=t)
        if silent:
            due = self.wd(last.date(), self.rules["proposal.evaluation_working_days"])
            closed = p.add(self.wd(due, rng.randint(1, 5)), "staff", "close", lambda: self.close(case), after=last)
        else:
            closed = last  # the last proposer's evaluation closes it
            p.mark("close", closed)
        follow_up = cls == "B" or (o.result_class == "B" and len(sent) > 1)
        case.outcome, case.result_class = ("follow_up" if follow_up else "closed"), cls
        if follow_up and o.implemented_after is not None:
            p.add(self.wd(closed.date(), o.implemented_after), "staff", "implemented",
                  lambda: self.implemented(case), after=closed)
            case.outcome = "implemented"
        if o.publish:
            p.add(self.wd(closed.date(), rng.randint(3, 20)), "staff", "publish", lambda: self.publish(case),
                  after=closed)

    def roles(self, case: Case) -> list[str]:
        if case.mode == "separate":
            return [Assignment.Role.SEPARATE] * len(case.units)
        if len(case.units) == 1:
            return [Assignment.Role.SOLE]
        return [Assignment.Role.LEAD] + [Assignment.Role.CO] * (len(case.units) - 1)

    def commit(self, case: Case, p: Plan, *, stop: str = "") -> None:
        """Put the case's acts on the timeline, up to the act labelled ``stop`` (when given) and never past
        today. Without a stop, only the optional epilogue (implementation, publication) may fall after
        today; anything else would leave the case short of the outcome it was planned for."""
        limit = self.cutoff
        if stop:
            limit = min(limit, p.labels[stop] + dt.timedelta(seconds=1))
            case.outcome = stop
        kept = [(at, f"case {case.number} {label}", run) for at, label, run in p.acts if at < limit]
        late = sorted(label for at, label, _ in p.acts if at >= limit and label not in ("implemented", "publish"))
        if not stop and late:
            raise RuntimeError(f"case {case.number} ({case.fields['title']}) runs past today: {late}")
        if not stop and any(label == "implemented" and at >= limit for at, label, _ in p.acts):
            case.outcome = "follow_up"
        for at, what, run in kept:
            self.add(at, run, what)
        case.labels = p.labels

    def add(self, at: dt.datetime, run: Callable[[], Any], what: str = "") -> None:
        self.acts.append(Act(at, len(self.acts), run, what))

    def place(self, case: Case, o: Options, label: str, target: dt.date, stop: str | None = None) -> Plan:
        """Plan the case so that the act ``label`` falls on ``target``: start from a guess, see where the
        act lands, shift the start by the difference and plan again (the case's generator is reseeded each
        time, so only the dates move)."""
        start = target
        best: Plan | None = None
        for _ in range(6):
            p = self.plan(case, o, start)
            got = p.labels[label].date()
            if best is None or abs((got - target).days) < abs((best.labels[label].date() - target).days):
                best = p
            if got == target:
                break
            start += target - got
        assert best is not None
        self.commit(case, best, stop=label if stop is None else stop)
        return best

    # Acts: each one call to a service, as the person who does it ---------------------------------------

    def create(self, case: Case) -> None:
        case.proposal = services.proposal_create(actor=case.lead, **case.fields)

    def invite(self, case: Case) -> None:
        services.proposal_invite_cosigners(actor=case.lead, proposal=case.proposal,
                                           members=[u.member for u, _ in case.cosigners])

    def sign(self, case: Case, user: Any, accept: bool) -> None:
        services.proposal_sign(actor=user, proposal=case.proposal, accept=accept)

    def submit(self, case: Case) -> None:
        assert case.proposal is not None
        case.proposal.refresh_from_db(fields=["status"])
        if case.proposal.status == ProposalStatus.SUBMITTED:
            return  # every invitation was answered and the deadline job submitted it first
        case.proposal = services.proposal_submit(actor=case.lead, proposal=case.proposal)

    def withdraw(self, case: Case) -> None:
        services.proposal_withdraw(actor=case.lead, proposal=case.proposal, reason=self.rng.choice(
            text.WITHDRAW_REASONS))

    def return_(self, case: Case) -> None:
        services.proposal_return(actor=self.cast.staff, proposal=case.proposal,
                                 reason=self.rng.choice(text.RETURN_REASONS))

    def revise(self, case: Case) -> None:
        suggestions = case.fields["suggestions"] + "建议由县政府牵头制定实施方案，明确时间表和责任单位，年内见到实效。"
        case.proposal = services.proposal_update(actor=case.lead, proposal=case.proposal, suggestions=suggestions)

    def pre_review(self, case: Case) -> None:
        services.proposal_pre_review(actor=self.cast.staff, proposal=case.proposal,
                                     note=self.rng.choice(text.PRE_REVIEW_NOTES))

    def file(self, case: Case) -> None:
        case.proposal = services.proposal_file(actor=self.cast.staff, proposal=case.proposal,
                                               note=self.rng.choice(text.FILE_NOTES))

    def not_file(self, case: Case) -> None:
        assert case.unfit is not None
        services.proposal_not_file(actor=self.cast.staff, proposal=case.proposal, ground=case.unfit.ground,
                                   reason=case.unfit.reason, disposition=case.unfit.disposition)

    def merge(self, case: Case, into: Case) -> None:
        services.proposal_merge(actor=self.cast.staff, proposal=case.proposal, into=into.proposal,
                                reason=self.rng.choice(text.MERGE_REASONS))

    def assign(self, case: Case) -> None:
        assert case.proposal is not None
        lead, rest = case.units[0], case.units[1:]
        if case.mode == "separate":
            made = services.proposal_assign(actor=self.cast.staff, proposal=case.proposal, separate=case.units)
        else:
            made = services.proposal_assign(actor=self.cast.staff, proposal=case.proposal, lead=lead, cohandlers=rest)
        case.assignments = {a.unit_id: a for a in made}

    def accept(self, case: Case, unit: HandlingUnit) -> None:
        case.assignments[unit.pk] = services.assignment_accept(actor=self.cast.liaison[unit.pk],
                                                               assignment=case.assignments[unit.pk])

    def object(self, case: Case, unit: HandlingUnit, other: HandlingUnit) -> None:
        reason = self.rng.choice(text.OBJECTIONS).format(other=other.name)
        case.assignments[unit.pk] = services.assignment_object(actor=self.cast.liaison[unit.pk],
                                                               assignment=case.assignments[unit.pk], reason=reason)

    def decide(self, case: Case, unit: HandlingUnit, uphold: bool, other: HandlingUnit) -> None:
        note = self.rng.choice(text.OBJECTION_UPHELD if uphold else text.OBJECTION_ACCEPTED).format(other=other.name)
        result = services.assignment_decide_objection(actor=self.cast.staff, assignment=case.assignments[unit.pk],
                                                      uphold=uphold, note=note, new_unit=None if uphold else other)
        case.assignments[result.unit_id] = result
        if not uphold:
            case.units = [other if u.pk == unit.pk else u for u in case.units]

    def contact(self, case: Case, unit: HandlingUnit, second: bool = False) -> None:
        method, summary = self.rng.choice(text.CONTACTS[1:] if second else text.CONTACTS[:4])
        services.contact_record(actor=self.cast.liaison[unit.pk], assignment=case.assignments[unit.pk],
                                happened_on=timezone.localdate(), method=method,
                                summary=summary.format(unit=unit.short_name or unit.name, town=case.town),
                                participants=f"{case.lead.display_name}、{self.cast.liaison[unit.pk].display_name}")

    def opinion(self, case: Case, unit: HandlingUnit) -> None:
        services.cohandler_opinion_submit(actor=self.cast.liaison[unit.pk], assignment=case.assignments[unit.pk],
                                          body=self.rng.choice(text.OPINIONS))

    def ask_extension(self, case: Case, unit: HandlingUnit, wanted: dt.date) -> None:
        case.extension = services.extension_request(
            actor=self.cast.liaison[unit.pk], assignment=case.assignments[unit.pk],
            reason=self.rng.choice(text.EXTENSION_REASONS), requested_due=wanted)

    def decide_extension(self, case: Case, approve: bool) -> None:
        assert case.extension is not None
        services.extension_decide(actor=self.cast.staff, extension=case.extension, approve=approve,
                                  note=text.EXTENSION_DECISIONS[0 if approve else 1])

    def draft(self, case: Case, unit: HandlingUnit, cls: str, *, revised: bool = False,
              second_round: bool = False) -> None:
        assignment = case.assignments[unit.pk]
        body = self.reply_body(case, unit, cls, second_round=second_round)
        if revised:
            body += "\n（根据督办意见修改）"
        fields: dict[str, Any] = {"body": body}
        if not revised:
            year = timezone.localdate().year
            self.doc_numbers[unit.pk, year] += 1
            liaison = self.cast.liaison[unit.pk]
            fields.update(
                document_number=f"示{self.abbreviation(unit)}函〔{year}〕{self.doc_numbers[unit.pk, year]}号",
                signatory=unit.principal, result_class=cls, contact_person=liaison.display_name,
                contact_phone=unit.phone, cc="、".join(["县政协提案委员会", "县政府督查室",
                                                       *(u.name for u in case.units[1:] if case.mode == "lead")]))
        case.replies[unit.pk] = services.reply_save_draft(actor=self.cast.liaison[unit.pk], assignment=assignment,
                                                          **fields)

    def reply_body(self, case: Case, unit: HandlingUnit, cls: str, *, second_round: bool) -> str:
        if case.fields.get("kind") == Proposal.Kind.COLLECTIVE:
            name = case.fields["collective_name"]
        elif len(case.evaluators) > 1:
            name = f"{case.lead.display_name}等委员"
        else:
            name = f"{case.lead.display_name}委员"
        opening = text.REPLY_OPENING.format(name=name, title=case.fields["title"])
        if second_round:
            opening += "\n收到您对答复的意见后，我们再次与您面商，对提案建议逐条进行了研究，现将重新办理情况答复如下。"
        topic = case.topic
        if topic is not None and unit.name == topic.lead:
            done = topic.reply
        else:
            done = (f"我单位按照职责分工，对提案中涉及{unit.short_name or unit.name}的内容进行了认真研究，"
                    "并与主办单位和提案人进行了沟通，相关工作已纳入本单位年度计划。")
        today = timezone.localdate()
        closing = self.rng.choice(text.CLASS_CLOSINGS[cls]).format(year=today.year + (today.month >= 7))
        return "\n".join([opening, "一、办理情况", done, "二、下一步工作", closing, text.REPLY_THANKS])

    @staticmethod
    def abbreviation(unit: HandlingUnit) -> str:
        """The two characters a unit's letters are numbered with (示教函〔2026〕12号)."""
        name = unit.short_name or unit.name
        if name.startswith("团"):
            return "团"
        return name.removeprefix("县委").removeprefix("县").removeprefix("市")[:2]

    def submit_reply(self, case: Case, unit: HandlingUnit) -> None:
        services.reply_submit(actor=self.cast.leader[unit.pk], reply=case.replies[unit.pk])

    def cosign(self, case: Case, lead: HandlingUnit, co: HandlingUnit) -> None:
        services.reply_cosign(actor=self.cast.liaison[co.pk], reply=case.replies[lead.pk],
                              assignment=case.assignments[co.pk])

    def review(self, case: Case, unit: HandlingUnit, *, approve: bool) -> None:
        reviewer = self.cast.supervisor if self.rng.random() < 0.8 else self.cast.staff
        note = self.rng.choice(text.REPLY_APPROVALS if approve else text.REPLY_RETURNS)
        services.reply_review(actor=reviewer, reply=case.replies[unit.pk], approve=approve, note=note)

    def evaluate(self, case: Case, index: int, user: Any, result: str, paper: bool = False) -> None:
        unit = case.units[index]  # a reassigned lead unit has taken its predecessor's place
        comment = self.rng.choice(text.EVALUATION_COMMENTS[result])
        kwargs: dict[str, Any] = {}
        if result != "satisfied" and self.rng.random() < 0.6:
            kwargs = {"attitude": "satisfied", "effect": result}
        if paper:
            services.evaluation_submit(actor=self.cast.staff, reply=case.replies[unit.pk], result=result,
                                       comment=comment, on_behalf_of=user.member, **kwargs)
        else:
            services.evaluation_submit(actor=user, reply=case.replies[unit.pk], result=result, comment=comment,
                                       **kwargs)

    def rehandle(self, case: Case) -> None:
        services.proposal_rehandle(actor=self.cast.staff, proposal=case.proposal,
                                   note=self.rng.choice(text.REHANDLE_NOTES))

    def close(self, case: Case) -> None:
        services.proposal_close(actor=self.cast.staff, proposal=case.proposal, note=text.CLOSE_NOTES[0])

    def implemented(self, case: Case) -> None:
        services.proposal_mark_implemented(actor=self.cast.staff, proposal=case.proposal,
                                           note=self.rng.choice(text.IMPLEMENTED_NOTES))

    def publish(self, case: Case) -> None:
        services.proposal_set_disclosure(actor=self.cast.staff, proposal=case.proposal, publish=True)

    def tick(self, day: dt.date) -> None:
        services.proposals_tick(on=day, committee_id=self.ctx.committee.pk)

    def read_inboxes(self, users: Sequence[Any]) -> None:
        for user in users:
            notification_mark_read(user=user)

    # Replay -------------------------------------------------------------------------------------------

    def replay(self) -> None:
        import time_machine  # only the demo travels in time

        self.acts.sort()
        with time_machine.travel(self.acts[0].at, tick=False) as traveller:
            for act in self.acts:
                traveller.move_to(act.at)
                try:
                    act.run()
                except Exception as exc:
                    exc.add_note(f"demo history: {act.what} at {timezone.localtime(act.at):%Y-%m-%d %H:%M}")
                    raise
        # Today's run of the deadline job, at the real time: reminders of what is due soon, escalations.
        self.tick(self.today)


# --- What happens in each session ------------------------------------------------------------------------


class Deck:
    """The subjects of one session: a county-wide subject comes up once, a local one once per township."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[tuple[str, str]] = set()

    def draw(self, keep: Callable[[text.Topic], bool] | None = None) -> tuple[text.Topic, str]:
        topics = [t for t in text.TOPICS if keep is None or keep(t)]
        self.rng.shuffle(topics)
        for topic in topics:
            towns = (org_data.TOWNSHIP_NAMES if topic.towns == text.ALL_TOWNS else topic.towns) or ("",)
            free = [town for town in towns if (topic.key, town) not in self.used]
            if free:
                town = self.rng.choice(free)
                self.used.add((topic.key, town))
                return topic, town
        raise RuntimeError("the demo ran out of proposal subjects")

    def take(self, key: str) -> tuple[text.Topic, str]:
        return self.draw(lambda t: t.key == key)


def _leads(unit: str) -> Callable[[text.Topic], bool]:
    return lambda t: t.lead == unit


def _co(unit: str) -> Callable[[text.Topic], bool]:
    return lambda t: unit in t.co


def _has_co(t: text.Topic) -> bool:
    return bool(t.co) and EDU not in (t.lead, *t.co)


def _not_edu(t: text.Topic) -> bool:
    return EDU not in (t.lead, *t.co)


@dataclass
class Key:
    case: Case
    year: int
    item: KeyProposal | None = None


@dataclass
class Excellence:
    case: Case
    year: int
    item: ExcellentProposal | None = None


class Storyteller:
    """Decides what each session brings: how many proposals, on what, by whom, and how each one ends."""

    def __init__(self, history: History) -> None:
        self.h = history
        self.rng = history.ctx.rng("proposals.story")
        self.sessions = history.ctx.sessions
        self.decks = {k: Deck(history.ctx.rng(f"proposals.deck:{k}")) for k in range(1, len(self.sessions) + 1)}
        self.meetings: dict[int, dt.date] = {}
        self.current_cases: dict[str, list[Case]] = {}

    def tell(self) -> None:
        # The current session's open work first, so that the subjects it needs (县教育局's) are kept for it.
        self.current()
        for k, session in enumerate(self.sessions, start=1):
            self.session(k, session)
        self.key_proposals()
        self.excellent_proposals()
        self.routine()
        self.current_duplicates()

    def current_duplicates(self) -> None:
        """Two members wrote on one matter this week: the review queue offers to merge them (并案). Told last,
        so that the cases before keep their numbers (and their turns); the twin is the last of the session's
        rotation, since session() takes its merged twins from the front."""
        h, k = self.h, len(self.sessions)
        later = (text.TWINS[k - 1:] + text.TWINS[:k - 1])[3:]
        twin = next((t for t in reversed(later) if (t.topic, "") not in self.decks[k].used), later[-1])
        # Not drawn from the session's deck, which may have run out of county-wide subjects: a matter that
        # came up in the session already is how duplicates arise anyway.
        topic = next(t for t in text.TOPICS if t.key == twin.topic)
        first = h.new_case(session=k, year=h.today.year, when=h.today, topic=topic, co_count=0)
        second = h.new_case(session=k, year=h.today.year, when=h.today, twin=twin, units=[])
        for c, days_ago in ((first, 3), (second, 1)):
            self.current_cases.setdefault("submitted", []).append(c)
            h.place(c, Options(), "submit", h.today - dt.timedelta(days=days_ago))

    # History ----------------------------------------------------------------------------------------

    def options(self, rng: random.Random, case: Case, k: int) -> Options:
        """The turns of a case that ends closed: mostly plain, now and then an objection, an extension, a
        late or returned reply, a proposer who does not answer or is not satisfied."""
        o = Options(pre_review=rng.random() < 0.5, second_contact=rng.random() < 0.4,
                    result_class=rng.choices("ABC", (45, 40, 15))[0], publish=rng.random() < 0.35,
                    reply_return=rng.random() < 0.1, second_round_class=rng.choice("AB"))
        o.acceptance = [rng.choices(("accept", "stand", "upheld", "reassigned"), (88, 5, 4, 3))[0]
                        for _ in case.units]
        o.acceptance[1:] = [a if a != "reassigned" else "accept" for a in o.acceptance[1:]]
        roll = rng.random()
        o.extension = "approved" if roll < 0.06 else "refused" if roll < 0.08 else ""
        o.late = not o.extension and rng.random() < 0.08
        for user in case.evaluators:
            o.evaluations[user.pk] = rng.choices(("satisfied", "basically", "silent", "paper:satisfied"),
                                                 (70, 17, 8, 5))[0]
        if rng.random() < 0.05:
            o.evaluations[case.lead.pk] = "dissatisfied"
        if o.result_class == "B" or o.second_round_class == "B":
            chance = {1: 0.97, 2: 0.95, 3: 0.9, 4: 0.7, 5: 0.35}[k]
            if rng.random() < chance:
                o.implemented_after = rng.randint(30, 90) if k == 5 else rng.randint(40, 160)
        return o

    def session(self, k: int, session: Any) -> None:
        h, rng, deck = self.h, self.rng, self.decks[k]
        opens, year = session.opens_on, session.opens_on.year
        filing = [h.wd(opens, 5), h.wd(opens, 8), h.wd(opens, 11)]
        self.meetings[k] = meeting = h.wd(opens, 25)
        count = SESSION_PROPOSALS[k - 1]
        days = sorted(self.session_day(k, session) for _ in range(count))
        rotated = text.TWINS[k - 1:] + text.TWINS[:k - 1]
        twins = [t for t in rotated if (t.topic, "") not in deck.used][:3 if k == len(self.sessions) else 1]
        reserved = [deck.take(t.topic) for t in twins]  # before the other subjects are drawn
        twin_days = days[count - len(twins):]
        unfit_days = days[1:3]
        withdrawn = count // 2 if k in (2, 4) else -1
        plain = days[:1] + days[3:count - len(twins)]
        # The documented members are active ones: each writes a session proposal every year.
        named = [self.h.cast.by_username[u] for u in ("member", "member2", "director")]
        for i, day in enumerate(plain):
            topic, town = deck.draw()
            lead = named[i // 7] if i % 7 == 3 and i // 7 < len(named) else None
            case = h.new_case(session=k, year=year - 1 if day.year < year else year, when=day, topic=topic,
                              town=town, lead=lead, collective=rng.random() < 0.08,
                              co_count=rng.choices((0, 1, 2), (45, 40, 15))[0], separate=rng.random() < 0.05)
            o = self.options(rng, case, k)
            o.file_day, o.pre_review_day = filing[min(i * 3 // len(plain), 2)], h.wd(opens, 3)
            o.assign_day = meeting if rng.random() < 0.8 else h.wd(meeting, 2)
            if i == withdrawn:
                o.decision = "withdraw"
            h.commit(case, h.plan(case, o, day))
        for twin, day, (topic, town) in zip(twins, twin_days, reserved, strict=True):
            lead_case = h.new_case(session=k, year=year, when=day, topic=topic, town=town, co_count=1)
            twin_case = h.new_case(session=k, year=year, when=day, twin=twin, town=town, units=[])
            lead_case.merged.append(twin_case)
            o = self.options(rng, lead_case, k)
            o.file_day, o.assign_day = filing[2], meeting
            h.commit(lead_case, h.plan(lead_case, o, day - dt.timedelta(days=rng.randint(2, 20))))
            o = Options(decision="merge", merge_into=lead_case, file_day=filing[2])
            h.commit(twin_case, h.plan(twin_case, o, day))
        for index, day in enumerate(unfit_days):
            unfit = text.UNFIT[(2 * k + index) % len(text.UNFIT)]
            case = h.new_case(session=k, year=year, when=day, unfit=unfit, units=[])
            h.commit(case, h.plan(case, Options(decision="not_file", file_day=filing[1]), day))
        for _ in range(REGULAR_PROPOSALS[k - 1]):
            day = dt.date(year - 1, 3, 1) + dt.timedelta(days=rng.randint(0, 200))
            topic, town = deck.draw()
            case = h.new_case(session=k, year=year - 1, when=day, topic=topic, town=town,
                              co_count=rng.choice((0, 1)))
            o = self.options(rng, case, k)
            o.returned = rng.random() < 0.3
            h.commit(case, h.plan(case, o, day))

    def session_day(self, k: int, session: Any) -> dt.date:
        """When a session proposal is submitted: most during the days of the plenary, some ahead of it
        (the first session of a term only has its own days: the members were just appointed)."""
        opens = session.opens_on
        if k == 1:
            return opens
        if self.rng.random() < 0.7:
            return opens - dt.timedelta(days=self.rng.randint(0, 6))
        start = session.proposal_window_start + dt.timedelta(days=10)
        return start + dt.timedelta(days=self.rng.randint(0, (opens - start).days - 15))

    # The current session: open work, relative to today ---------------------------------------------

    def current(self) -> None:  # noqa: C901 - a list of what must be on the demo's desks today
        h, rng, deck = self.h, self.rng, self.decks[len(self.sessions)]
        today, year = h.today, h.today.year
        users = self.h.cast.by_username
        edu = h.cast.units[EDU]
        k = len(self.sessions)

        def back(low: int, high: int) -> dt.date:
            return h.wd(today, -rng.randint(low, high))

        def case(fate: str, *, keep: Callable[[text.Topic], bool] | None = _not_edu, lead: str = "",
                 cosigners: Sequence[str] = (), units: str = "", answers: Sequence[str] | None = None,
                 incomplete: bool = False) -> tuple[Case, Options]:
            topic, town = deck.draw(keep)
            unit_list: list[HandlingUnit] | None = None
            if units == "edu":
                unit_list = [edu]
            elif units == "edu+co":
                unit_list = [h.cast.units[topic.lead], edu]
            elif units == "co":
                unit_list = [h.cast.units[topic.lead], h.cast.units[topic.co[0]]]
            elif units == "sole":
                unit_list = [h.cast.units[topic.lead]]
            c = h.new_case(session=k, year=year, when=today, topic=topic, town=town,
                           lead=users[lead] if lead else None,
                           cosigners=[users[u] for u in cosigners] if cosigners else None, answers=answers,
                           units=unit_list, co_count=rng.choice((0, 1)), incomplete=incomplete)
            self.current_cases.setdefault(fate, []).append(c)
            o = Options(result_class=rng.choices("ABC", (45, 40, 15))[0], second_contact=rng.random() < 0.3)
            o.acceptance = ["accept"] * len(c.units)
            o.evaluations = {u.pk: "satisfied" for u in c.evaluators}
            return c, o

        def place(c: Case, o: Options, label: str, day: dt.date, stop: str | None = None) -> None:
            h.place(c, o, label, day, stop)

        # Members' desks: drafts, invitations, the review queue, returned proposals.
        for lead in ("member", ""):
            c, o = case("draft", lead=lead)
            place(c, o, "create", today - dt.timedelta(days=rng.randint(1, 12)))
        c, o = case("draft", cosigners=[self.some_member(exclude=("member", "member2", "director"))],
                    answers=["ignore"], incomplete=True)
        place(c, o, "invite", back(12, 14))  # nobody signed an incomplete draft: it went back to draft
        for cosigners in (("member",), ("member2", "m007"), ("director",)):
            c, o = case("cosigning", cosigners=cosigners)
            place(c, o, "invite", today - dt.timedelta(days=rng.randint(1, 2)))
        c, o = case("cosigning", lead="member", cosigners=("m012", "m015"))
        place(c, o, "invite", today - dt.timedelta(days=1))
        for lead in ("member", "", ""):
            c, o = case("submitted", lead=lead)
            place(c, o, "submit", today - dt.timedelta(days=rng.randint(1, 4)))
        for _ in range(2):
            c, o = case("review")
            o.pre_review = True
            place(c, o, "pre_review", back(1, 2))
        for lead in ("member", "member2", "director", ""):
            c, o = case("returned", lead=lead)
            o.returned = True
            place(c, o, "return", back(2, 8))
        c, o = case("withdrawn")
        o.decision = "withdraw"
        place(c, o, "submit", back(30, 60), stop="withdraw")
        # The proposal committee's desk: filing, assignment, objections, extensions.
        for _ in range(3):
            c, o = case("filed")
            place(c, o, "file", back(1, 6))
        for units in ("edu", "edu", "edu+co", "", ""):
            c, o = case("assigned", keep=_co(EDU) if units == "edu+co" else _leads(EDU) if units else _not_edu,
                        units=units)
            place(c, o, "assign", back(1, 3))
        for _ in range(2):
            c, o = case("objected", units="sole")
            o.acceptance = ["object"]
            place(c, o, "object:0", back(1, 2))
        # Units' desks: handling, due soon, overdue, extensions, replies at every step.
        for units in ("edu", "", "", ""):
            c, o = case("handling", keep=_leads(EDU) if units else _not_edu, units=units)
            place(c, o, "contact:0", back(3, 25))
        for _ in range(1):
            c, o = case("accepted")
            place(c, o, "accept:0", back(1, 3))
        for units in ("edu", ""):
            c, o = case("due_soon", keep=_leads(EDU) if units else _not_edu, units=units)
            place(c, o, "assign", self.assigned_for_due(self.h.wd(today, rng.randint(1, 3))), stop="contact:0")
        for units in ("edu", ""):
            c, o = case("overdue", keep=_leads(EDU) if units else _not_edu, units=units)
            o.late = True
            place(c, o, "assign", self.assigned_for_due(back(8, 25)), stop="contact:0")
        for _ in range(2):
            c, o = case("extension_pending", units="sole")
            o.extension = "pending"
            place(c, o, "extension:0", back(1, 2))
        for _ in range(1):
            c, o = case("extension_approved", units="sole")
            o.extension = "approved"
            place(c, o, "extension_decided:0", back(2, 8))
        for units in ("edu", ""):
            c, o = case("reply_draft", keep=_leads(EDU) if units else _not_edu, units=units)
            place(c, o, "draft:0", back(1, 3))
        for units in ("edu+co", "co"):
            c, o = case("reply_cosigning", keep=_co(EDU) if units == "edu+co" else _has_co, units=units)
            place(c, o, "reply_submit:0", back(0, 1))
        for units in ("co", "", ""):
            c, o = case("reply_review", keep=_has_co if units else _not_edu, units=units)
            place(c, o, "in_review:0", back(1, 4))
        for units in ("edu", ""):
            c, o = case("reply_returned", keep=_leads(EDU) if units else _not_edu, units=units)
            o.reply_return = True
            place(c, o, "reply_return:0", back(1, 3))
        # Proposers' desks: replies to evaluate; the committee decides on the dissatisfied.
        for lead in ("member", "member2", "director", "", ""):
            c, o = case("replied", lead=lead)
            place(c, o, "replied", back(2, 10))
        for _ in range(2):
            c, o = case("dissatisfied", units="sole")
            o.evaluations[c.lead.pk] = "dissatisfied"
            place(c, o, "dissatisfied", back(1, 4))
        for stop in ("rehandle", "draft_again:0"):
            c, o = case("rehandling", units="sole")
            o.evaluations[c.lead.pk] = "dissatisfied"
            place(c, o, stop, back(1, 6))
        # Earlier this year: answered and closed, some promising action (class B) still followed up.
        for cls in "AACB":
            c, o = case("closed")
            o.result_class, o.publish = cls, rng.random() < 0.4
            place(c, o, "close", back(15, 60), stop="")
        for _ in range(2):
            c, o = case("follow_up")
            o.result_class = "B"
            place(c, o, "close", back(20, 70), stop="")

    def some_member(self, exclude: Sequence[str]) -> str:
        return self.rng.choice([u.username for u in self.h.cast.proposers if u.username not in exclude])

    def assigned_for_due(self, due: dt.date) -> dt.date:
        """The assignment day that makes the reply due on ``due`` (or the nearest working day after)."""
        h = self.h
        day = add_months(due, -h.rules["proposal.reply_months"])
        for offset in range(0, 8):
            for candidate in (day - dt.timedelta(days=offset), day + dt.timedelta(days=offset)):
                if h.cal.is_workday(candidate) and h.dues(candidate, "lead")["reply"] == due:
                    return candidate
        return h.workday(day)

    # Key and excellent proposals --------------------------------------------------------------------

    def key_proposals(self) -> None:
        h, rng = self.h, self.rng
        governor, executive = h.ctx.leaders["governor"], h.ctx.leaders["executive"]
        leaders = {leader.pk: leader for leader in h.ctx.leaders.values()}
        for k, session in enumerate(self.sessions, start=1):
            year = session.opens_on.year
            pool = [c for c in h.cases if c.session == k and c.outcome in ("closed", "follow_up", "implemented")
                    and c.labels.get("assign") and c.labels["assign"].date() <= self.meetings[k] + dt.timedelta(days=7)
                    and c.topic is not None]
            pool.sort(key=lambda c: (-len(c.units), c.number))
            chosen = rng.sample(pool[:20], 6)
            nominated = h.wd(self.meetings[k], 8)
            selected_on = h.wd(nominated, 6)
            current = k == len(self.sessions)
            for index, case in enumerate(chosen):
                key = Key(case, year)
                at = h.moment(nominated, "staff", rng)
                h.add(at, lambda x=key: self.nominate_key(x))
                unit = case.units[0]
                people = [governor if index % 2 == 0 else executive]
                if unit.responsible_leader_id and unit.responsible_leader_id not in {p.pk for p in people}:
                    people.append(leaders[unit.responsible_leader_id])
                at = h.moment(selected_on, "staff", rng)
                h.add(at, lambda x=key, ok=index < 5, who=tuple(people), d=selected_on: self.select_key(x, ok, who, d))
                if index >= 5 or (current and index == 4):
                    continue  # dropped; or, this year, selected and waiting for its plan
                planned = h.wd(selected_on, rng.randint(4, 8))
                h.add(h.moment(planned, "staff", rng), lambda x=key: self.plan_key(x))
                if current and index == 3:
                    continue  # planned, no activity yet
                last = planned
                for kind in ("research", "forum", "inspection")[: rng.randint(2, 3)]:
                    last = h.wd(last, rng.randint(10, 35))
                    h.add(h.moment(last, "staff", rng), lambda x=key, kd=kind, d=last: self.key_activity(x, kd, d))
                if current and index in (1, 2):
                    continue  # still under supervision
                reported = h.wd(last, rng.randint(15, 40))
                h.add(h.moment(reported, "staff", rng), lambda x=key, d=reported: self.report_key(x, d))
        # Two more candidates this year, from proposals being handled now.
        for case in self.current_cases["handling"][1:3]:
            key = Key(case, h.today.year)
            h.add(h.moment(h.wd(h.today, -1), "staff", rng), lambda x=key: self.nominate_key(x))

    @staticmethod
    def fresh(case: Case) -> Proposal:
        """The proposal as it stands now (these services read its state from the object they are given)."""
        assert case.proposal is not None
        case.proposal.refresh_from_db()
        return case.proposal

    def nominate_key(self, key: Key) -> None:
        key.item = services.key_nominate(actor=self.h.cast.staff, proposal=self.fresh(key.case), year=key.year,
                                         reason=self.rng.choice(text.KEY_REASONS))

    def select_key(self, key: Key, selected: bool, leaders: Sequence[Any], day: dt.date) -> None:
        key.item = services.key_select(actor=self.h.cast.staff, key=key.item, selected=selected, selected_on=day,
                                       leaders=leaders if selected else (),
                                       office=self.h.supervision if selected else None)

    def plan_key(self, key: Key) -> None:
        key.item = services.key_plan(actor=self.h.cast.staff, key=key.item, plan=self.rng.choice(text.KEY_PLANS))

    def key_activity(self, key: Key, kind: str, day: dt.date) -> None:
        services.key_record_activity(actor=self.h.cast.staff, key=key.item, happened_on=day, kind=kind,
                                     summary=text.KEY_ACTIVITIES[kind][0])

    def report_key(self, key: Key, day: dt.date) -> None:
        services.key_report(actor=self.h.cast.staff, key=key.item, report=self.rng.choice(text.KEY_REPORTS),
                            reported_on=day)

    def excellent_proposals(self) -> None:
        """Each year's best answered proposals, nominated in December and chosen before the next plenary;
        this year's are nominated and waiting."""
        h, rng = self.h, self.rng
        for k, session in enumerate(self.sessions, start=1):
            year = session.opens_on.year
            current = k == len(self.sessions)
            nominated = h.wd(h.today, -4) if current else h.workday(dt.date(year, 12, 10))
            cutoff = timezone.make_aware(dt.datetime.combine(nominated, dt.time.min))
            pool = [c for c in h.cases if c.session == k and c.outcome in ("closed", "implemented", "follow_up")
                    and c.labels.get("close") and c.labels["close"] < cutoff]
            pool.sort(key=lambda c: (c.result_class != "A", c.number))
            chosen = rng.sample(pool[:15], 3 if current else 6)
            decided = None if current else h.wd(self.sessions[k].opens_on, -3)
            for index, case in enumerate(chosen):
                item = Excellence(case, year)
                h.add(h.moment(nominated, "staff", rng), lambda x=item: self.nominate_excellent(x))
                if decided is not None:
                    h.add(h.moment(decided, "staff", rng),
                          lambda x=item, ok=index < 5, d=decided: self.select_excellent(x, ok, d))

    def nominate_excellent(self, item: Excellence) -> None:
        item.item = services.excellent_nominate(actor=self.h.cast.staff, proposal=self.fresh(item.case), year=item.year,
                                                reason=self.rng.choice(text.EXCELLENT_REASONS))

    def select_excellent(self, item: Excellence, selected: bool, day: dt.date) -> None:
        services.excellent_select(actor=self.h.cast.staff, item=item.item, selected=selected, selected_on=day)

    # Routine ------------------------------------------------------------------------------------------

    def routine(self) -> None:
        """The weekly run of the deadline job, and people reading their inboxes now and then (at the end of
        each year, and ten days ago: what came since is still unread)."""
        h = self.h
        day = self.sessions[0].opens_on
        day += dt.timedelta(days=7 - day.weekday())
        while day < h.today:
            h.add(timezone.make_aware(dt.datetime.combine(day, dt.time(1, 0))), lambda d=day: h.tick(d))
            day += dt.timedelta(days=7)
        users = sorted(h.ctx.users.values(), key=lambda u: u.username)
        users = [u for u in users if u.committee_id == h.ctx.committee.pk]
        days = [dt.date(y, 12, 31) for y in range(self.sessions[0].opens_on.year, h.today.year)]
        for day in [*days, h.today - dt.timedelta(days=10)]:
            h.add(timezone.make_aware(dt.datetime.combine(day, dt.time(20, 0))), lambda: h.read_inboxes(users))


def _quiet_delivery() -> Callable[[], None]:
    """The history notifies people a few thousand times; each notification is handed to the delivery task
    when the demo commits (demo accounts have no e-mail address, so nothing is sent). In-process Celery
    logs every task run: keep those lines out of demo_load's output, and restore the levels afterwards."""
    loggers = [logging.getLogger(name) for name in ("celery.app.trace", "kombu.connection")]
    levels = [logger.level for logger in loggers]

    def quiet() -> None:
        for logger in loggers:
            logger.setLevel(logging.ERROR)

    def restore() -> None:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)

    # Commit hooks run in the order they were registered: this one before the deliveries.
    transaction.on_commit(quiet)
    return restore


def step_proposals(ctx: DemoContext) -> None:
    """The history step registered in xieshang.demo.generator.HISTORY_STEPS."""
    restore = _quiet_delivery()
    cast = _accounts(ctx)
    history = History(ctx, cast)
    Storyteller(history).tell()
    history.replay()
    transaction.on_commit(restore)  # after the deliveries
