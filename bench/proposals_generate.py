"""Generate a province-sized proposals history for the benchmark: by default 100 county committees × 10 years
× 300 proposals (300,000 proposals), with their proposers, assignments (1-3 each), contacts, replies,
co-signatures, evaluations, key and excellent proposals and ledger events.

This is test data for measuring speed, not a history: rows are bulk-inserted (bulk_create in batches)
straight into the tables, without the services, their checks, notifications or per-row events. Only the
committees themselves are onboarded through ``committee_create`` (sectors, offices and a rule set). The
states and dates are consistent enough for the pages to show realistic lists, queues and statistics.

    .venv/bin/python bench/proposals_generate.py                      # SQLite, bench/out/proposals.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xieshang_bench .venv/bin/python bench/proposals_generate.py

The database is emptied first (the SQLite file is deleted; PostgreSQL's public schema is dropped and created
again), migrated, then filled. Timings, row counts and the database size go to bench/out/<name>.json, where
proposals_bench.py picks them up for its report."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DEFAULT_URL = f"sqlite:///{OUT / 'proposals.sqlite3'}"
SEED = 2026
BATCH = 2000


def database_name(url: str) -> str:
    """A short name for a database URL: the SQLite file's stem or the PostgreSQL database."""
    parts = urlsplit(url)
    return Path(parts.path).stem if parts.scheme.startswith("sqlite") else f"pg-{parts.path.lstrip('/')}"


def empty_database(url: str) -> None:
    """Start from nothing: delete the SQLite file, or create the PostgreSQL database if it is missing and
    drop its public schema."""
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        path = Path(parts.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    if not exists:
        subprocess.run(["createdb", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432),
                        "-U", parts.username or "postgres", name], check=True)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


def database_size(url: str) -> int:
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        return sum(Path(f"{parts.path}{s}").stat().st_size for s in ("", "-wal")
                   if Path(f"{parts.path}{s}").exists())
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return int(cursor.fetchone()[0])


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


@contextlib.contextmanager
def own_timestamps(*models: Any) -> Iterator[None]:
    """Let bulk_create keep the historical created_at/updated_at we set, instead of now()."""
    saved = []
    for model in models:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


# Statuses of a year's proposals: the past years are settled, the current one is in every state.
PAST = (("closed", 80), ("follow_up", 5), ("not_filed", 7), ("merged", 5), ("withdrawn", 3))
CURRENT = (("draft", 4), ("cosigning", 2), ("submitted", 5), ("review", 4), ("returned", 2), ("withdrawn", 2),
           ("not_filed", 5), ("merged", 4), ("filed", 5), ("handling", 30), ("replied", 10), ("rehandling", 2),
           ("follow_up", 5), ("closed", 20))
FILED_ONWARDS = {"filed", "handling", "replied", "rehandling", "follow_up", "closed"}
OPEN = {"draft", "cosigning", "submitted", "review", "returned", "filed", "handling", "replied", "rehandling"}
ASSIGNED_ONWARDS = FILED_ONWARDS - {"filed"}
CATEGORIES = ("economy", "rural", "environment", "social", "livelihood", "policy")


class Generator:
    def __init__(self, *, committees: int, years: int, per_year: int, today: dt.date) -> None:
        from django.contrib.auth.hashers import make_password
        from django.contrib.contenttypes.models import ContentType

        from xieshang.demo import data as org
        from xieshang.proposals import demo_data
        from xieshang.proposals.models import Assignment, Proposal, Reply

        self.committees, self.years, self.per_year, self.today = committees, years, per_year, today
        self.first_year = today.year - years + 1
        self.rng = random.Random(SEED)
        self.password = make_password("bench")
        self.topics = demo_data.TOPICS
        self.towns = org.TOWNSHIP_NAMES
        self.units = org.UNITS
        self.ct = {m: ContentType.objects.get_for_model(m) for m in (Proposal, Assignment, Reply)}
        self.counts: Counter[str] = Counter()
        self.now = dt.datetime.now(dt.UTC)

    def aware(self, day: dt.date, minutes: int | None = None) -> dt.datetime:
        from django.utils import timezone

        minutes = self.rng.randint(8 * 60 + 30, 18 * 60) if minutes is None else minutes
        return timezone.make_aware(dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60)))

    def insert(self, model: Any, rows: list[Any]) -> list[Any]:
        self.counts[model._meta.label] += len(rows)
        return model.objects.bulk_create(rows, batch_size=BATCH)

    # One committee ---------------------------------------------------------------------------------

    def committee(self, index: int) -> None:
        from django.db import transaction

        from xieshang.accounts.models import User
        from xieshang.organisation.models import (
            HandlingUnit,
            Leader,
            Member,
            MemberTerm,
            Office,
            PlenarySession,
            Role,
            RoleAssignment,
            Sector,
            Term,
        )
        from xieshang.organisation.services import committee_create

        rng = self.rng
        code = f"bench{index:03d}"
        with transaction.atomic(), own_timestamps(Member, HandlingUnit, User):
            committee = committee_create(actor=None, code=code, name=f"基准{index:03d}县政协", year=self.first_year)
            sectors = list(Sector.objects.filter(committee=committee))
            offices = {o.kind: o for o in Office.objects.filter(committee=committee)}
            leaders = self.insert(Leader, [Leader(committee=committee, name=f"领导{i}", title=t, organ="government",
                                                  order=i) for i, t in enumerate(("县长", "常务副县长", "副县长"), 1)])
            half = (self.years + 1) // 2
            terms = self.insert(Term, [
                Term(committee=committee, ordinal=1, name="第一届", start_date=dt.date(self.first_year, 1, 5),
                     end_date=dt.date(self.first_year + half, 1, 4), is_current=False),
                Term(committee=committee, ordinal=2, name="第二届", start_date=dt.date(self.first_year + half, 1, 5),
                     is_current=True)])
            sessions = []
            for y in range(self.years):
                year = self.first_year + y
                term = terms[0] if y < half else terms[1]
                opens = dt.date(year, 1, 10)
                sessions.append(PlenarySession(
                    committee=committee, term=term, ordinal=(y % half) + 1, name=f"第{(y % half) + 1}次会议",
                    opens_on=opens, closes_on=opens + dt.timedelta(days=3),
                    proposal_window_start=dt.date(year - 1, 10, 10),
                    proposal_deadline=self.aware(opens + dt.timedelta(days=1), 18 * 60)))
            sessions = self.insert(PlenarySession, sessions)
            created = self.aware(dt.date(self.first_year, 1, 5), 9 * 60)
            members = self.insert(Member, [Member(
                committee=committee, name=f"委员{index:03d}-{i:03d}", gender=rng.choice("mf"), party="masses",
                sector=rng.choice(sectors), phone=f"139{index:03d}{i:05d}", created_at=created, updated_at=created)
                for i in range(220)])
            self.insert(MemberTerm, [MemberTerm(member=m, term=t, appointed_on=t.start_date)
                                     for m in members for t in terms])
            units = self.insert(HandlingUnit, [HandlingUnit(
                committee=committee, name=u.name, short_name=u.short_name, kind=u.kind, duties=u.duties,
                principal=f"负责人{i}", responsible_leader=leaders[i % 3], created_at=created, updated_at=created)
                for i, u in enumerate(self.units)])
            unit_by_name = {u.name: u for u in units}

            def user(username: str, name: str) -> User:
                return User(username=username, display_name=name, committee=committee, password=self.password,
                            date_joined=created)

            staff = [user(f"{code}-staff", "提案委工作人员"), user(f"{code}-supervisor", "督查室"),
                     user(f"{code}-admin", "管理员")]
            liaisons = [user(f"{code}-unit{i:02d}", f"联络员{i}") for i in range(len(units))]
            member_users = [user(f"{code}-m{i:03d}", m.name) for i, m in enumerate(members)]
            accounts = self.insert(User, [*staff, *liaisons, *member_users])
            staff, liaisons, member_users = (accounts[:3], accounts[3:3 + len(units)],
                                             accounts[3 + len(units):])
            self.insert(RoleAssignment, [
                RoleAssignment(committee=committee, user=staff[0], role=Role.PROPOSAL_STAFF),
                RoleAssignment(committee=committee, user=staff[1], role=Role.SUPERVISOR,
                               office=offices["government_supervision"]),
                RoleAssignment(committee=committee, user=staff[2], role=Role.COMMITTEE_ADMIN),
                *(RoleAssignment(committee=committee, user=u, role=Role.UNIT_LIAISON, handling_unit=unit)
                  for u, unit in zip(liaisons, units, strict=True)),
                *(RoleAssignment(committee=committee, user=u, role=Role.MEMBER, member=m)
                  for u, m in zip(member_users, members, strict=True)),
            ])
            member_user = dict(zip((m.pk for m in members), member_users, strict=True))
            for y, session in enumerate(sessions):
                self.year(committee, session, y == self.years - 1, members, member_user, unit_by_name, units,
                          staff[0], staff[1], leaders, offices["government_supervision"])

    def year(self, committee: Any, session: Any, current: bool, members: list[Any], member_user: dict[int, Any],
             unit_by_name: dict[str, Any], units: list[Any], staff: Any, supervisor: Any, leaders: list[Any],
             office: Any) -> None:
        from xieshang.ledger.models import Event
        from xieshang.proposals.models import (
            Assignment,
            ContactRecord,
            Evaluation,
            ExcellentProposal,
            KeyProposal,
            Proposal,
            Proposer,
            Reply,
            ReplyCosign,
        )

        rng = self.rng
        year = session.opens_on.year
        statuses = CURRENT if current else PAST
        plans: list[dict[str, Any]] = []
        for _ in range(self.per_year):
            status = rng.choices([s for s, _ in statuses], [w for _, w in statuses])[0]
            plans.append(self.timeline(status, session, current))
        plans.sort(key=lambda p: p["submitted"] or p["created"])
        number = 0
        proposals, merged = [], []
        for plan in plans:
            topic = rng.choice(self.topics)
            town = rng.choice(self.towns)
            fill = {"town": town, "village": f"{town}新庄村", "year": year - 1, "prev": year - 2}
            lead = rng.choice(members)
            status = plan["status"]
            if status in FILED_ONWARDS:
                number += 1
            p = Proposal(
                committee=committee, session=session if plan["submitted"] else None,
                number=number if status in FILED_ONWARDS else None,
                is_session_proposal=plan["session_proposal"], title=topic.title.format(**fill)[:120],
                category=topic.category, situation=topic.situation.format(**fill),
                analysis=topic.analysis.format(**fill), suggestions=topic.suggestions.format(**fill),
                kind="joint" if rng.random() < 0.35 else "individual", lead_member=lead,
                created_by=member_user[lead.pk], status=status, status_changed_at=plan["last"],
                submitted_at=plan["submitted"], decided_at=plan["decided"],
                decided_by=staff if plan["decided"] else None, closed_at=plan["closed"],
                review_due=plan["submitted"].date() + dt.timedelta(days=14) if plan["submitted"] else None,
                assign_due=plan["decided"].date() + dt.timedelta(days=14) if status in FILED_ONWARDS else None,
                not_filed_ground="no_suggestion" if status == "not_filed" else "",
                decision_reason="内容空泛，没有具体建议。" if status == "not_filed" else "",
                disposition="public_opinion" if status == "not_filed" else "",
                is_public=status == "closed" and rng.random() < 0.3,
                created_at=plan["created"], updated_at=plan["last"])
            p.plan, p.topic = plan, topic
            (merged if status == "merged" else proposals).append(p)
        with own_timestamps(Proposal, Evaluation, ContactRecord, Event):
            proposals = self.insert(Proposal, proposals)
            leads = [p for p in proposals if p.status in FILED_ONWARDS] or proposals
            for p in merged:
                p.merged_into = rng.choice(leads)
            merged = self.insert(Proposal, merged)
            everything = proposals + merged

            proposers, events = [], []
            for p in everything:
                plan = p.plan
                people = [p.lead_member] + (rng.sample(members, rng.randint(1, 3)) if p.kind == "joint" else [])
                people = list(dict.fromkeys(people))
                p.signers = people
                for order, m in enumerate(people, 1):
                    proposers.append(Proposer(proposal=p, member=m, order=order, is_lead=order == 1,
                                              status="signed", invited_at=plan["created"], signed_at=plan["created"]))
                events.append(self.event(Event, p, "proposals.created", plan["created"], member_user[p.lead_member_id],
                                         to_state="draft"))
                if plan["submitted"]:
                    events.append(self.event(Event, p, "proposals.submitted", plan["submitted"],
                                             member_user[p.lead_member_id], "draft", "submitted"))
                if plan["decided"]:
                    verb = p.status if p.status in ("not_filed", "merged", "withdrawn", "returned") else "filed"
                    events.append(self.event(Event, p, f"proposals.{verb}", plan["decided"], staff, "review", verb))
                if plan["closed"]:
                    events.append(self.event(Event, p, "proposals.closed", plan["closed"], staff, "replied",
                                             p.status))
            self.insert(Proposer, proposers)

            assignments = []
            for p in everything:
                if p.status not in ASSIGNED_ONWARDS:
                    continue
                plan = p.plan
                names = [p.topic.lead, *p.topic.co][: rng.choice((1, 1, 2, 3))]
                chosen = [unit_by_name[n] for n in names] or [rng.choice(units)]
                for i, unit in enumerate(chosen):
                    role = ("sole" if len(chosen) == 1 else "lead") if i == 0 else "co"
                    a_status, accepted = self.assignment_state(p.status, plan, rng)
                    start = plan["assigned"]
                    reply_due = start.date() + dt.timedelta(days=91)
                    a = Assignment(
                        committee=committee, proposal=p, unit=unit, role=role, status=a_status,
                        round=2 if p.status == "rehandling" and i == 0 else 1, assigned_at=start, assigned_by=staff,
                        objection_due=start.date() + dt.timedelta(days=7),
                        accepted_at=accepted, acceptance="accepted" if accepted else "",
                        first_contact_due=start.date() + dt.timedelta(days=21) if role != "co" else None,
                        opinion_due=start.date() + dt.timedelta(days=30) if role == "co" else None,
                        reply_due=reply_due, hard_due=start.date() + dt.timedelta(days=182),
                        objection_reason="该提案不属于我单位职责。" if a_status == "objected" else "",
                        objection_at=start + dt.timedelta(days=2) if a_status == "objected" else None,
                        escalated_on=reply_due + dt.timedelta(days=3)
                        if a_status == "handling" and reply_due < self.today else None,
                        closed_at=plan["closed"] if a_status == "closed" else None)
                    a.plan = plan
                    assignments.append(a)
                events.append(self.event(Event, p, "proposals.assignment_made", plan["assigned"], staff, "filed",
                                         "handling"))
            assignments = self.insert(Assignment, assignments)
            for a in assignments:
                events.append(self.event(Event, a, "proposals.assigned", a.assigned_at, staff, to_state="assigned"))
                if a.accepted_at:
                    events.append(self.event(Event, a, "proposals.assignment_accepted", a.accepted_at, None,
                                             "assigned", "handling"))

            contacts, replies = [], []
            for a in assignments:
                if a.role == "co" or a.status in ("assigned", "objected"):
                    continue
                plan = a.plan
                met = a.accepted_at + dt.timedelta(days=5)
                method = rng.choice(("meeting", "phone", "visit"))
                contacts.append(ContactRecord(assignment=a, happened_on=met.date(), created_at=met, method=method,
                                              summary="与提案人面商。"))
                reply_status = self.reply_state(a, rng)
                if reply_status is None:
                    continue
                sent = plan["replied"] if reply_status == "sent" else None
                body = f"您提出的《{a.proposal.title}》收悉，现答复如下：{a.proposal.topic.reply}"
                replies.append(Reply(
                    assignment=a, round=a.round, status=reply_status, document_number=f"示函〔{plan['year']}〕{a.pk}号",
                    signatory="负责人", result_class=plan["class"], body=body, contact_person="联络员",
                    contact_phone="0938-1234567",
                    submitted_at=(sent or self.now) - dt.timedelta(days=4), sent_at=sent,
                    review_due=(sent or self.now).date() + dt.timedelta(days=5),
                    reviewed_by=supervisor if sent else None,
                    evaluation_due=sent.date() + dt.timedelta(days=21) if sent else None))
            self.insert(ContactRecord, contacts)
            replies = self.insert(Reply, replies)

            cosigns, evaluations = [], []
            co_of: dict[int, list[Any]] = {}
            for a in assignments:
                if a.role == "co":
                    co_of.setdefault(a.proposal_id, []).append(a)
            for r in replies:
                a = r.assignment
                for co in co_of.get(a.proposal_id, []):
                    signed = r.status in ("in_review", "sent") or rng.random() < 0.5
                    cosigns.append(ReplyCosign(reply=r, assignment=co, signed_at=r.submitted_at if signed else None,
                                               signed_by=None))
                if r.status != "sent":
                    continue
                events.append(self.event(Event, r, "proposals.reply_sent", r.sent_at, supervisor, "in_review", "sent"))
                if a.proposal.status in ("closed", "follow_up") or (a.proposal.status == "replied"
                                                                    and rng.random() < 0.5):
                    for m in a.proposal.signers:
                        result = rng.choices(("satisfied", "basically", "dissatisfied"), (80, 17, 3))[0]
                        evaluations.append(Evaluation(
                            reply=r, member=m, result=result, attitude=result, effect=result,
                            created_at=r.sent_at + dt.timedelta(days=rng.randint(2, 15))))
            self.insert(ReplyCosign, cosigns)
            self.insert(Evaluation, evaluations)
            self.insert(Event, events)

            done = [p for p in everything if p.status in ("closed", "follow_up", "handling", "replied")]
            keys = rng.sample(done, min(5, len(done)))
            items = self.insert(KeyProposal, [KeyProposal(
                committee=committee, proposal=p, year=year, status="reported" if not current else "supervising",
                selected_on=session.opens_on + dt.timedelta(days=60), supervising_office=office,
                plan="领导领衔督办。", report="" if current else "督办成效明显。") for p in keys])
            for item in items:
                item.leaders.set(leaders[:2])
            if not current:
                closed = [p for p in everything if p.status == "closed"]
                self.insert(ExcellentProposal, [ExcellentProposal(
                    committee=committee, proposal=p, year=year, status="selected",
                    selected_on=dt.date(year + 1, 1, 5)) for p in rng.sample(closed, min(5, len(closed)))])

    def event(self, model: Any, target: Any, verb: str, at: dt.datetime, actor: Any, from_state: str = "",
              to_state: str = "") -> Any:
        label = type(target)
        committee_id = target.assignment.committee_id if label.__name__ == "Reply" else target.committee_id
        return model(committee_id=committee_id, actor=actor,
                     verb=verb, target_type=self.ct[label], target_id=target.pk,
                     target_repr=str(getattr(target, "title", target.pk))[:200], from_state=from_state,
                     to_state=to_state, created_at=at)

    # Dates --------------------------------------------------------------------------------------------

    def timeline(self, status: str, session: Any, current: bool) -> dict[str, Any]:
        """The dates of one proposal's life, as far as its status goes. Past years run from the session's
        window; the current year's open proposals are placed back from today."""
        rng = self.rng
        opens = session.opens_on
        session_proposal = rng.random() < 0.75
        if session_proposal:
            submitted = self.aware(opens - dt.timedelta(days=rng.randint(0, 40)))
        else:
            submitted = self.aware(dt.date(opens.year - 1, 3, 1) + dt.timedelta(days=rng.randint(0, 200)))
        steps = {"created": 5, "submitted": 0, "decided": rng.randint(10, 30), "assigned": rng.randint(10, 25),
                 "accepted": rng.randint(1, 5), "replied": rng.randint(40, 85), "closed": rng.randint(10, 30)}
        reach = {"draft": "created", "cosigning": "created", "submitted": "submitted", "review": "submitted",
                 "returned": "decided", "withdrawn": "decided", "not_filed": "decided", "merged": "decided",
                 "filed": "decided", "handling": "accepted", "rehandling": "closed", "replied": "replied",
                 "follow_up": "closed", "closed": "closed"}[status]
        dates: dict[str, Any] = {}
        at = submitted - dt.timedelta(days=steps["created"])
        for name in ("created", "submitted", "decided", "assigned", "accepted", "replied", "closed"):
            if name != "created":
                at += dt.timedelta(days=steps[name], hours=rng.randint(0, 6))
            dates[name] = at
            if name == reach:
                break
        last = dates[reach]
        # This year's open work happened lately (a unit's handling began weeks ago, not in February), and
        # nothing happens after today: such a proposal moves into the year, as a regular proposal.
        if current and (status in OPEN or last > self.now - dt.timedelta(days=1)):
            shift = last - self.now + dt.timedelta(days=rng.randint(1, 40))
            dates = {k: v - shift for k, v in dates.items()}
            last -= shift
            session_proposal = False
        plan = dict.fromkeys(("created", "submitted", "decided", "assigned", "accepted", "replied", "closed"))
        plan.update(dates)
        if status in ("draft", "cosigning"):
            plan["submitted"] = None
        if status in ("submitted", "review"):
            plan["decided"] = None
        if status in ("rehandling",):
            plan["closed"] = None
        if status in ("handling", "filed", "returned", "withdrawn", "not_filed", "merged"):
            plan["replied"] = plan["closed"] = None
        plan.update(status=status, last=last, year=opens.year, **{"class": rng.choices("ABC", (45, 40, 15))[0]},
                    session_proposal=session_proposal and status not in ("draft", "cosigning"))
        if status == "follow_up":
            plan["class"] = "B"
        return plan

    def assignment_state(self, status: str, plan: dict[str, Any], rng: random.Random) -> tuple[str, Any]:
        accepted = plan["accepted"] or plan["assigned"] + dt.timedelta(days=2)
        if status in ("closed", "follow_up"):
            return "closed", accepted
        if status == "replied":
            return "replied", accepted
        if status == "rehandling":
            return "handling", accepted
        roll = rng.random()
        if roll < 0.1:
            return "assigned", None
        if roll < 0.13:
            return "objected", None
        return "handling", accepted

    def reply_state(self, a: Any, rng: random.Random) -> str | None:
        if a.status in ("closed", "replied"):
            return "sent"
        if a.status == "handling":
            return rng.choices((None, "draft", "cosigning", "in_review", "returned"), (60, 15, 5, 15, 5))[0]
        return None

    def run(self) -> dict[str, Any]:
        started = time.monotonic()
        for index in range(1, self.committees + 1):
            self.committee(index)
            elapsed = time.monotonic() - started
            if index == 1 or index % 10 == 0 or index == self.committees:
                rate = self.counts["proposals.Proposal"] / elapsed
                print(f"  {index:3d}/{self.committees} committees, {self.counts['proposals.Proposal']:,} proposals, "
                      f"{sum(self.counts.values()):,} rows, {elapsed:.0f} s ({rate:,.0f} proposals/s)", flush=True)
        return {"seconds": time.monotonic() - started, "rows": dict(self.counts)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--committees", type=int, default=100)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--per-year", type=int, default=300, help="proposals per committee and year")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    name = database_name(url)
    print(f"database {name}: emptying and migrating", flush=True)
    empty_database(url)
    setup(url)
    from django.core.management import call_command
    from django.utils import timezone

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    migrated = time.monotonic() - started
    print(f"migrated in {migrated:.1f} s; generating {args.committees} committees × {args.years} years × "
          f"{args.per_year} proposals", flush=True)
    result = Generator(committees=args.committees, years=args.years, per_year=args.per_year,
                       today=timezone.localdate()).run()
    started = time.monotonic()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    analyzed = time.monotonic() - started
    size = database_size(url)
    report = {"database": name, "vendor": connection.vendor, "committees": args.committees, "years": args.years,
              "per_year": args.per_year, "migrate_seconds": round(migrated, 1),
              "generate_seconds": round(result["seconds"], 1), "analyze_seconds": round(analyzed, 1),
              "size_bytes": size, "rows": result["rows"], "generated_on": dt.date.today().isoformat()}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{name}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"generated {result['rows'].get('proposals.Proposal', 0):,} proposals, {sum(result['rows'].values()):,} rows "
          f"in {result['seconds']:.0f} s; database {size / 2**20:,.0f} MiB", flush=True)


if __name__ == "__main__":
    main()
