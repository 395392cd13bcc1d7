"""The demo committee 示范县政协: a fictional county committee built deterministically from a seed.

``build_demo`` runs the organisation steps below in order, then every step listed in ``HISTORY_STEPS``,
all in one transaction. Each step draws from its own ``random.Random`` seeded by (seed, step name), so a
step added later never changes what the earlier ones produce.

Later issues add their history (proposals filed and answered, meetings held …) by writing a function
``(ctx: DemoContext) -> None`` in their own app and appending its dotted path to ``HISTORY_STEPS``. The
context hands them the committee, its term and sessions, members, units, leaders and the demo accounts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from xieshang.core.errors import DomainError
from xieshang.demo import data
from xieshang.ledger.services import event_record
from xieshang.organisation.models import (
    ActivityGroup,
    Committee,
    HandlingUnit,
    Leader,
    Member,
    MemberTerm,
    Office,
    Party,
    PartyContactPair,
    PartyOrganisation,
    PartyOrganisationMembership,
    PlenarySession,
    Role,
    RoleAssignment,
    Sector,
    SpecialCommittee,
    SpecialCommitteeMembership,
    Term,
)
from xieshang.organisation.services import account_create, committee_create, role_assign

User = get_user_model()

DEMO_CODE = "demo"
DEMO_NAME = "示范县政协"
DEMO_PASSWORD = "xieshang"  # noqa: S105 - the documented password of every demo account
DEFAULT_SEED = 10  # 第十届
PLATFORM_USERNAME = "platform"

TERM_START = dt.date(2022, 1, 10)
# Opening days of the five annual plenary sessions, each a Monday in January.
SESSION_OPENINGS: tuple[dt.date, ...] = (
    dt.date(2022, 1, 10), dt.date(2023, 1, 9), dt.date(2024, 1, 8), dt.date(2025, 1, 6), dt.date(2026, 1, 12),
)
CHINESE_ORDINALS = "一二三四五六七八九十"

# Appointments outside the term's start: members who resigned, and the ones the standing committee added.
RESIGNED_ON: tuple[dt.date, ...] = (dt.date(2023, 3, 30), dt.date(2023, 11, 24), dt.date(2024, 6, 28),
                                    dt.date(2025, 9, 26))
ADDED_ON: tuple[tuple[dt.date, str], ...] = (
    (dt.date(2026, 3, 27), "政协示范县第十届委员会常务委员会第十八次会议协商增补"),
    (dt.date(2026, 9, 25), "政协示范县第十届委员会常务委员会第二十次会议协商增补"),
)
INITIAL_RECORD = "政协示范县第九届委员会常务委员会第二十六次会议协商决定"

# The accounts the demo documents, in the order they are listed.
NAMED_ACCOUNTS: tuple[str, ...] = ("admin", "office", "proposals", "info", "director", "member", "member2", "unit",
                                   "unitlead", "supervisor", "leader")
EXTRA_MEMBER_ACCOUNTS = 20


class NameMaker:
    """Chinese personal names, never the same twice in one committee so the demo reads unambiguously."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()
        self._surnames = [s for s, _ in data.SURNAMES]
        self._weights = [w for _, w in data.SURNAMES]

    def person(self, gender: str, ethnicity: str = "汉族") -> str:
        for _ in range(1000):
            name = self._draw(gender, ethnicity)
            if name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("ran out of demo names")

    def _draw(self, gender: str, ethnicity: str) -> str:
        rng = self.rng
        female = gender == Member.Gender.FEMALE
        if ethnicity == "藏族":
            first, second = data.TIBETAN_FEMALE if female else data.TIBETAN_MALE
            return rng.choice(first) + rng.choice(second)
        if ethnicity == "回族":
            surname = rng.choice(data.HUI_SURNAMES)
        elif ethnicity == "东乡族":
            surname = rng.choice(data.DONGXIANG_SURNAMES)
        else:
            surname = rng.choices(self._surnames, self._weights)[0]
        chars = data.FEMALE_CHARS if female else data.MALE_CHARS
        length = 2 if rng.random() < 0.7 else 1
        return surname + "".join(rng.sample(chars, length))


@dataclass
class DemoContext:
    """What the steps share: the seed, the objects built so far, and who plays which part."""

    seed: int
    today: dt.date = field(default_factory=timezone.localdate)
    committee: Committee = field(init=False)
    term: Term = field(init=False)
    sessions: list[PlenarySession] = field(default_factory=list)
    sectors: dict[str, Sector] = field(default_factory=dict)  # by name
    offices: dict[str, Office] = field(default_factory=dict)  # by kind
    special_committees: dict[str, SpecialCommittee] = field(default_factory=dict)  # by name
    activity_groups: dict[str, ActivityGroup] = field(default_factory=dict)  # by name
    members: list[Member] = field(default_factory=list)  # every member, in creation order
    chairman: Member = field(init=False)
    vice_chairmen: list[Member] = field(default_factory=list)
    secretary_general: Member = field(init=False)
    directors: dict[str, Member] = field(default_factory=dict)  # special committee name -> its director
    resigned: list[Member] = field(default_factory=list)
    added: list[Member] = field(default_factory=list)  # appointed during the term (增补)
    committee_of: dict[int, SpecialCommittee] = field(default_factory=dict)  # member pk -> their committee
    leaders: dict[str, Leader] = field(default_factory=dict)  # by key in data.LEADERS
    units: dict[str, HandlingUnit] = field(default_factory=dict)  # by name
    users: dict[str, Any] = field(default_factory=dict)  # by username
    names: NameMaker = field(init=False)
    _phones: set[str] = field(default_factory=set, init=False)
    _phone_rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.names = NameMaker(self.rng("names"))
        self._phone_rng = self.rng("phones")

    def rng(self, step: str) -> random.Random:
        """A generator private to one step: string seeds hash with SHA-512, stable across processes."""
        return random.Random(f"{self.seed}:{step}")

    def mobile(self) -> str:
        while True:
            number = self._phone_rng.choice(data.MOBILE_PREFIXES) + f"{self._phone_rng.randrange(10**8):08d}"
            if number not in self._phones:
                self._phones.add(number)
                return number

    def landline(self) -> str:
        return f"{data.AREA_CODE}-{self._phone_rng.randrange(3200000, 3299999)}"

    @property
    def serving(self) -> list[Member]:
        resigned = {m.pk for m in self.resigned}
        return [m for m in self.members if m.pk not in resigned]

    @property
    def ordinary(self) -> list[Member]:
        """Serving members without a full-time place: the ones who file proposals from their day jobs."""
        full_time = {self.chairman.pk, self.secretary_general.pk, *(m.pk for m in self.vice_chairmen),
                     *(m.pk for m in self.directors.values())}
        return [m for m in self.serving if m.pk not in full_time]


Step = Callable[[DemoContext], None]


def _weighted(rng: random.Random, choices: Sequence[tuple[str, float]]) -> str:
    return rng.choices([c for c, _ in choices], [w for _, w in choices])[0]


def _shares(rng: random.Random, choices: Sequence[tuple[str, float]], count: int) -> list[str]:
    """``count`` values in the given proportions (largest remainder), shuffled. Fixed shares rather than
    independent draws keep the party make-up of each sector close to plan whatever the seed."""
    exact = [(value, weight * count) for value, weight in choices]
    counts = {value: int(x) for value, x in exact}
    for value, _ in sorted(exact, key=lambda e: e[1] - int(e[1]), reverse=True)[: count - sum(counts.values())]:
        counts[value] += 1
    values = [value for value, _ in choices for _ in range(counts[value])]
    rng.shuffle(values)
    return values


def _birth_date(rng: random.Random, first_year: int, last_year: int) -> dt.date:
    start, end = dt.date(first_year, 1, 1), dt.date(last_year, 12, 31)
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _months_before(day: dt.date, months: int) -> dt.date:
    month_index = day.year * 12 + day.month - 1 - months
    return day.replace(year=month_index // 12, month=month_index % 12 + 1)


# --- Organisation steps ----------------------------------------------------------------------------------


def step_committee(ctx: DemoContext) -> None:
    """Onboarded the real way, so it has the 23 standard sectors, the five offices and a rule set."""
    committee = committee_create(actor=None, code=DEMO_CODE, name=DEMO_NAME)
    committee.short_name = DEMO_NAME
    committee.save(update_fields=["short_name"])
    ctx.committee = committee
    ctx.sectors = {s.name: s for s in Sector.objects.filter(committee=committee).order_by("order")}
    ctx.offices = {o.kind: o for o in Office.objects.filter(committee=committee)}
    for office in ctx.offices.values():
        office.phone = ctx.landline()
    Office.objects.bulk_update(ctx.offices.values(), ["phone"])


def step_term_and_sessions(ctx: DemoContext) -> None:
    ctx.term = Term.objects.create(committee=ctx.committee, ordinal=10, name="第十届", start_date=TERM_START,
                                   is_current=True)
    sessions = []
    for ordinal, opens_on in enumerate(SESSION_OPENINGS, start=1):
        sessions.append(PlenarySession(
            committee=ctx.committee, term=ctx.term, ordinal=ordinal, name=f"第{CHINESE_ORDINALS[ordinal - 1]}次会议",
            opens_on=opens_on, closes_on=opens_on + dt.timedelta(days=3),
            # Session proposals open three months ahead and close on the second evening of the session.
            proposal_window_start=_months_before(opens_on, 3),
            proposal_deadline=timezone.make_aware(dt.datetime.combine(opens_on + dt.timedelta(days=1),
                                                                      dt.time(18, 0))),
        ))
    ctx.sessions = PlenarySession.objects.bulk_create(sessions)


def step_special_committees(ctx: DemoContext) -> None:
    for order, plan in enumerate(data.SPECIAL_COMMITTEES, start=1):
        office_kind = Office.Kind.PROPOSAL_OFFICE if plan.name == "提案委员会" else Office.Kind.GENERAL_OFFICE
        sc = SpecialCommittee.objects.create(committee=ctx.committee, name=plan.name, short_name=plan.short_name,
                                             duties=plan.duties, staff_office=ctx.offices[office_kind], order=order)
        sc.sectors.set([ctx.sectors[name] for name in plan.sectors])
        ctx.special_committees[plan.name] = sc


ACTIVITY_GROUPS: tuple[tuple[str, str], ...] = (
    ("城关片区委员活动小组", ActivityGroup.Kind.ACTIVITY_GROUP),
    ("洛门片区委员活动小组", ActivityGroup.Kind.ACTIVITY_GROUP),
    ("南部山区委员活动小组", ActivityGroup.Kind.ACTIVITY_GROUP),
    ("北部山区委员活动小组", ActivityGroup.Kind.ACTIVITY_GROUP),
    ("城关镇委员工作站", ActivityGroup.Kind.WORK_STATION),
    ("洛门镇委员工作站", ActivityGroup.Kind.WORK_STATION),
    ("杨河镇委员工作站", ActivityGroup.Kind.WORK_STATION),
    ("医卫界委员健康服务工作室", ActivityGroup.Kind.STUDIO),
)


def step_activity_groups(ctx: DemoContext) -> None:
    groups = ActivityGroup.objects.bulk_create(
        ActivityGroup(committee=ctx.committee, name=name, kind=kind) for name, kind in ACTIVITY_GROUPS
    )
    ctx.activity_groups = {g.name: g for g in groups}


def _fill_job(rng: random.Random, template: data.Job) -> tuple[str, str]:
    unit, title = template
    town = rng.choice(data.TOWNSHIP_NAMES)
    unit = unit.format(town=town, village=f"{town}{rng.choice(data.VILLAGES)}村", company=rng.choice(data.COMPANIES),
                       agri=rng.choice(data.AGRI_COMPANIES), coop=f"{town}{rng.choice(data.COOPERATIVES)}")
    head = "乡长" if unit.endswith("乡") else "镇长"
    return unit, title.format(head=head)


# Titles several people may hold in one unit; any other (unit, title) pair is given out once.
SHARED_TITLES = frozenset({"教师", "高级教师", "主任医师", "医师", "主治医师", "记者", "讲师", "馆员", "种植大户"})


def _places(title: str) -> int:
    """How many members may hold this title in one unit: it has one head, but may have two deputies on the
    committee and several teachers or doctors."""
    if title in SHARED_TITLES:
        return 3
    return 2 if title.startswith("副") else 1


def _activity_group(ctx: DemoContext, rng: random.Random, member: Member) -> ActivityGroup:
    """Members meet near where they work: at their town's work station if it has one, otherwise in the
    group of their part of the county."""
    groups = ctx.activity_groups
    if member.sector.name == "医卫界" and rng.random() < 0.5:
        return groups["医卫界委员健康服务工作室"]
    town = next((t for t in data.TOWNSHIP_NAMES if member.work_unit.startswith(t)), None)
    if town is not None:
        station = groups.get(f"{town}委员工作站")
        if station is not None:
            return station
        return groups["南部山区委员活动小组" if data.TOWNSHIP_NAMES.index(town) % 2 else "北部山区委员活动小组"]
    return groups[_weighted(rng, AREA_WEIGHTS)]


# Where members working in the county town meet: mostly their area's group, some at a work station.
AREA_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("城关片区委员活动小组", 3), ("洛门片区委员活动小组", 2),
    ("南部山区委员活动小组", 1.5), ("北部山区委员活动小组", 1.5),
    ("城关镇委员工作站", 0.5), ("洛门镇委员工作站", 0.4), ("杨河镇委员工作站", 0.3),
)


def step_members(ctx: DemoContext) -> None:
    """About 220 members across the 23 sectors, with the full-time places, standing members and conveners."""
    rng = ctx.rng("members")
    members: list[Member] = []
    jobs_given: Counter[tuple[str, str]] = Counter()

    def make(sector: str, party: str, gender: str, born: tuple[int, int], work_unit: str, job_title: str,
             ethnicity: str = "汉族", leadership: str = "", standing: bool = False) -> Member:
        member = Member(
            committee=ctx.committee, name=ctx.names.person(gender, ethnicity), gender=gender, ethnicity=ethnicity,
            birth_date=_birth_date(rng, *born), party=party, sector=ctx.sectors[sector], work_unit=work_unit,
            job_title=job_title, phone=ctx.mobile(), is_standing=standing, leadership_role=leadership,
        )
        members.append(member)
        return member

    M, F, LR = Member.Gender.MALE, Member.Gender.FEMALE, Member.LeadershipRole
    ctx.chairman = make("中共", Party.CPC, M, (1965, 1968), "县政协", "主席", leadership=LR.CHAIRMAN, standing=True)
    ctx.vice_chairmen = [
        make("中共", Party.CPC, M, (1966, 1972), "县政协", "副主席", leadership=LR.VICE_CHAIRMAN, standing=True),
        make("中共", Party.CPC, F, (1968, 1974), "县政协", "副主席", leadership=LR.VICE_CHAIRMAN, standing=True),
        make("民盟", Party.CDL, M, (1966, 1972), "县政协", "副主席（兼县第一中学校长）",
             leadership=LR.VICE_CHAIRMAN, standing=True),
        make("无党派人士", Party.NON_PARTY, F, (1968, 1975), "县政协", "副主席（兼县人民医院副院长）",
             leadership=LR.VICE_CHAIRMAN, standing=True),
    ]
    ctx.secretary_general = make("中共", Party.CPC, M, (1970, 1976), "县政协", "秘书长",
                                 leadership=LR.SECRETARY_GENERAL, standing=True)
    for plan in data.SPECIAL_COMMITTEES:
        gender = F if plan.name == "科教文卫体委员会" else M
        ctx.directors[plan.name] = make("中共", Party.CPC, gender, (1967, 1975), "县政协", f"{plan.name}主任",
                                        standing=True)

    by_sector: dict[str, list[Member]] = {name: [] for name in ctx.sectors}
    for sector, plan in data.SECTOR_PLANS.items():
        # The minorities sector seats each of the county's minorities in fixed shares.
        minorities = _shares(rng, data.ETHNICITY_MINORITIES, plan.count) if sector == "少数民族界" else None
        for i, party in enumerate(_shares(rng, plan.parties, plan.count)):
            gender = F if rng.random() < plan.female else M
            if sector == "宗教界":
                work_unit, title, ethnicities = data.RELIGIOUS_JOBS[i % len(data.RELIGIOUS_JOBS)]
                ethnicity, gender = rng.choice(ethnicities), M
            else:
                ethnicity = minorities[i] if minorities else _weighted(rng, data.ETHNICITY_DEFAULT)
                for _ in range(50):
                    work_unit, title = _fill_job(rng, rng.choice(plan.jobs))
                    if jobs_given[work_unit, title] < _places(title):
                        break
            jobs_given[work_unit, title] += 1
            by_sector[sector].append(make(sector, party, gender, plan.born, work_unit, title, ethnicity))

    # Every sector has a convener; in three sectors it is a full-time office holder, elsewhere a member of
    # the sector, who then sits on the standing committee. Three more standing places go to large sectors.
    conveners = {"中共": ctx.secretary_general, "民盟": ctx.vice_chairmen[2], "无党派人士": ctx.vice_chairmen[3]}
    for sector, people in by_sector.items():
        if sector not in conveners:
            conveners[sector] = rng.choice(people)
            conveners[sector].is_standing = True
    for sector in ("经济界", "农业界", "教育界"):
        rng.choice([m for m in by_sector[sector] if not m.is_standing]).is_standing = True

    for member in members:
        if not member.leadership_role and member.work_unit != "县政协":
            member.activity_group = _activity_group(ctx, rng, member)
    ctx.members = Member.objects.bulk_create(members)

    for sector, convener in conveners.items():
        ctx.sectors[sector].convener = convener
    Sector.objects.bulk_update(ctx.sectors.values(), ["convener"])
    for group in ctx.activity_groups.values():
        in_group = [m for m in ctx.members if m.activity_group_id == group.pk]
        group.lead = next((m for m in in_group if m.is_standing), in_group[0] if in_group else None)
    ActivityGroup.objects.bulk_update(ctx.activity_groups.values(), ["lead"])

    # A few ordinary members resigned during the term; five were added later, three of them party members
    # so that the party-coverage page has real gaps to show.
    rng_terms = ctx.rng("member_terms")
    candidates = [m for m in ctx.ordinary if not m.is_standing and m.sector.name != "宗教界"]
    ctx.resigned = rng_terms.sample(candidates, len(RESIGNED_ON))
    remaining = [m for m in candidates if m not in ctx.resigned]
    ctx.added = (rng_terms.sample([m for m in remaining if m.is_cpc and m.sector.name != "中共"], 3)
                 + rng_terms.sample([m for m in remaining if not m.is_cpc], 2))


def step_member_terms(ctx: DemoContext) -> None:
    resigned = dict(zip((m.pk for m in ctx.resigned), RESIGNED_ON, strict=True))
    added = {m.pk: ADDED_ON[i % len(ADDED_ON)] for i, m in enumerate(ctx.added)}
    rows = []
    for member in ctx.members:
        appointed_on, record = added.get(member.pk, (TERM_START, INITIAL_RECORD))
        ended_on = resigned.get(member.pk)
        rows.append(MemberTerm(
            member=member, term=ctx.term, appointed_on=appointed_on, appointment_record=record, ended_on=ended_on,
            status=MemberTerm.Status.RESIGNED if ended_on else MemberTerm.Status.SERVING,
        ))
    MemberTerm.objects.bulk_create(rows)


def step_special_committee_memberships(ctx: DemoContext) -> None:
    """Every serving member sits on one committee, mostly the one that liaises with their sector; the
    party and specially invited sectors spread over all six."""
    rng = ctx.rng("special_committees")
    committees = list(ctx.special_committees.values())
    liaison = {sector.pk: sc for sc in committees for sector in sc.sectors.all()}
    SCRole = SpecialCommitteeMembership.Role
    rows = [SpecialCommitteeMembership(special_committee=ctx.special_committees[name], member=member,
                                       role=SCRole.DIRECTOR)
            for name, member in ctx.directors.items()]
    for name, member in ctx.directors.items():
        ctx.committee_of[member.pk] = ctx.special_committees[name]
    ordinary = ctx.ordinary
    for member in ordinary:
        home = liaison[member.sector_id]
        if member.sector.name in ("中共", "特别邀请人士") or rng.random() < 0.2:
            home = rng.choice(committees)
        ctx.committee_of[member.pk] = home
    for sc in committees:
        people = [m for m in ordinary if ctx.committee_of[m.pk] == sc]
        # Two deputies each, standing members first.
        deputies = sorted(people, key=lambda m: (not m.is_standing, rng.random()))[:2]
        for member in people:
            role = SCRole.DEPUTY if member in deputies else SCRole.MEMBER
            rows.append(SpecialCommitteeMembership(special_committee=sc, member=member, role=role))
    SpecialCommitteeMembership.objects.bulk_create(rows)


def step_party_organisation(ctx: DemoContext) -> None:
    """The party group, a functional branch per special committee and two sector branches (dual
    membership is allowed). The three party members added this year are not in a branch yet."""
    K, R = PartyOrganisation.Kind, PartyOrganisationMembership.Role
    cpc_serving = [m for m in ctx.serving if m.is_cpc]
    unplaced = {m.pk for m in ctx.added}
    group = PartyOrganisation(committee=ctx.committee, kind=K.PARTY_GROUP, name="中共示范县政协党组")
    branches = {name: PartyOrganisation(committee=ctx.committee, kind=K.FUNCTIONAL_BRANCH, name=f"{name}功能型党支部",
                                        special_committee=sc)
                for name, sc in ctx.special_committees.items()}
    sector_branches = {name: PartyOrganisation(committee=ctx.committee, kind=K.SECTOR_BRANCH, name=f"{name}界别党支部",
                                               sector=ctx.sectors[name])
                       for name in ("经济界", "农业界")}
    PartyOrganisation.objects.bulk_create([group, *branches.values(), *sector_branches.values()])

    rows = [PartyOrganisationMembership(organisation=group, member=ctx.chairman, role=R.SECRETARY)]
    rows += [PartyOrganisationMembership(organisation=group, member=m)
             for m in (*ctx.vice_chairmen, ctx.secretary_general) if m.is_cpc]
    for name, branch in branches.items():
        director = ctx.directors[name]
        rows.append(PartyOrganisationMembership(organisation=branch, member=director, role=R.SECRETARY))
        sc = ctx.special_committees[name]
        rows += [PartyOrganisationMembership(organisation=branch, member=m) for m in cpc_serving
                 if m.pk not in unplaced and m is not director and ctx.committee_of.get(m.pk) == sc]
    for name, branch in sector_branches.items():
        people = [m for m in cpc_serving if m.sector.name == name and m.pk not in unplaced]
        secretary = next((m for m in people if m.is_standing), people[0])
        rows += [PartyOrganisationMembership(organisation=branch, member=m,
                                             role=R.SECRETARY if m is secretary else R.MEMBER) for m in people]
    PartyOrganisationMembership.objects.bulk_create(rows)


def step_contact_pairs(ctx: DemoContext) -> None:
    """Each party member contacts one or two non-party members, preferably on their own special
    committee. Four are still without a contact: the two added this year and two others."""
    rng = ctx.rng("contact_pairs")
    cpc = [m for m in ctx.serving if m.is_cpc]
    others = [m for m in ctx.serving if not m.is_cpc]
    added = [m for m in ctx.added if not m.is_cpc]
    uncontacted = {m.pk for m in added} | {m.pk for m in rng.sample([m for m in others if m not in added], 2)}
    load = {m.pk: 0 for m in cpc}
    pairs = []
    for member in others:
        if member.pk in uncontacted:
            continue
        own = [c for c in cpc if load[c.pk] < 2 and ctx.committee_of.get(c.pk) == ctx.committee_of.get(member.pk)]
        pool = own or [c for c in cpc if load[c.pk] < 2]
        fewest = min(load[c.pk] for c in pool)
        partner = rng.choice([c for c in pool if load[c.pk] == fewest])
        load[partner.pk] += 1
        pairs.append(PartyContactPair(committee=ctx.committee, party_member=partner, non_party_member=member))
    PartyContactPair.objects.bulk_create(pairs)


def step_leaders(ctx: DemoContext) -> None:
    female = {"propaganda", "education"}
    leaders = []
    for order, (key, title, organ) in enumerate(data.LEADERS, start=1):
        if key == "cppcc":
            name = ctx.chairman.name
        else:
            name = ctx.names.person(Member.Gender.FEMALE if key in female else Member.Gender.MALE)
        leaders.append(Leader(committee=ctx.committee, name=name, title=title, organ=organ, order=order))
    ctx.leaders = dict(zip((key for key, _, _ in data.LEADERS), Leader.objects.bulk_create(leaders), strict=True))


def step_units(ctx: DemoContext) -> None:
    rng = ctx.rng("units")
    units = []
    for plan in data.UNITS:
        if plan.name == "县公安局":
            principal = ctx.leaders["police"].name  # the vice-governor heads the police himself
        else:
            principal = ctx.names.person(Member.Gender.FEMALE if rng.random() < 0.2 else Member.Gender.MALE)
        if plan.kind == HandlingUnit.Kind.TOWNSHIP:
            address = f"示范县{plan.name}{rng.choice(('新街', '中街', '政府街'))}{rng.randrange(1, 60)}号"
        else:
            address = f"示范县城关镇{rng.choice(data.ROADS)}{rng.randrange(1, 200)}号"
        units.append(HandlingUnit(
            committee=ctx.committee, name=plan.name, short_name=plan.short_name, kind=plan.kind, duties=plan.duties,
            principal=principal, responsible_leader=ctx.leaders[plan.leader], phone=ctx.landline(), address=address,
        ))
    ctx.units = {u.name: u for u in HandlingUnit.objects.bulk_create(units)}


def step_accounts(ctx: DemoContext) -> None:
    """The documented accounts, a liaison for every other unit and twenty more member accounts.

    Each goes through account_create/role_assign so the ledger records it. Hashing the password is the
    slow part (PBKDF2), so it is hashed once and the hash given to every demo account."""
    rng = ctx.rng("accounts")
    committee = ctx.committee

    def person(gender: str | None = None) -> tuple[str, str]:
        gender = gender or (Member.Gender.FEMALE if rng.random() < 0.5 else Member.Gender.MALE)
        return ctx.names.person(gender), ctx.mobile()

    def create(username: str, name: str, phone: str, role: str, scope: Any = None) -> Any:
        # No password here: create_user would hash one per account. They all get the shared hash below.
        user = account_create(actor=None, committee=committee, username=username, display_name=name,
                              password=None, role=role, scope=scope, phone=phone)  # type: ignore[arg-type]
        ctx.users[username] = user
        return user

    create("admin", *person(), Role.COMMITTEE_ADMIN)
    create("office", *person(), Role.OFFICE_STAFF)
    create("proposals", *person(), Role.PROPOSAL_STAFF)
    create("info", *person(), Role.INFO_STAFF)
    proposal_committee = ctx.special_committees["提案委员会"]
    director = ctx.directors["提案委员会"]
    user = create("director", director.name, director.phone, Role.COMMITTEE_DIRECTOR, proposal_committee)
    role_assign(actor=None, user=user, committee=committee, role=Role.MEMBER, scope=director)

    # Two ordinary members: a democratic-party teacher and a party member, both serving since the start.
    settled = [m for m in ctx.ordinary if m not in ctx.added and not m.is_standing]
    first = rng.choice([m for m in settled if m.party in (Party.CAPD, Party.CDL, Party.RCCK)])
    second = rng.choice([m for m in settled if m.is_cpc and m.sector.name in ("医卫界", "农业界", "教育界")])
    for username, member in (("member", first), ("member2", second)):
        create(username, member.name, member.phone, Role.MEMBER, member)

    education = ctx.units[data.EDUCATION_BUREAU]
    create("unit", *person(), Role.UNIT_LIAISON, education)
    create("unitlead", education.principal, ctx.mobile(), Role.UNIT_LEADER, education)
    create("supervisor", *person(), Role.SUPERVISOR, ctx.offices[Office.Kind.GOVERNMENT_SUPERVISION])
    create("leader", ctx.leaders["governor"].name, ctx.mobile(), Role.LEADER, ctx.leaders["governor"])

    others = [u for u in ctx.units.values() if u.name != data.EDUCATION_BUREAU]
    for number, unit in enumerate(others, start=1):
        create(f"unit-{number:02d}", *person(), Role.UNIT_LIAISON, unit)

    chosen = {first.pk, second.pk, director.pk}
    extra = rng.sample([m for m in ctx.ordinary if m.pk not in chosen], EXTRA_MEMBER_ACCOUNTS)
    extra.sort(key=ctx.members.index)
    for number, member in enumerate(extra, start=1):
        create(f"m{number:03d}", member.name, member.phone, Role.MEMBER, member)

    password = make_password(DEMO_PASSWORD)
    User.objects.filter(pk__in=[u.pk for u in ctx.users.values()]).update(password=password)
    for user in ctx.users.values():
        user.password = password
    ctx.users[PLATFORM_USERNAME] = platform_account_ensure(password=password)


def platform_account_ensure(*, password: str | None = None) -> Any:
    """The platform administrator who onboards committees; it belongs to no committee. Kept across
    resets, since it is not part of any committee."""
    user = User.objects.filter(username=PLATFORM_USERNAME).first()
    if user is not None:
        return user
    with transaction.atomic():
        user = User.objects.create_superuser(username=PLATFORM_USERNAME, email="", password=None,
                                             display_name="平台管理员")
        user.password = password or make_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        event_record(committee_id=None, actor=None, verb="accounts.user_created", target=user)
    return user


ORGANISATION_STEPS: tuple[Step, ...] = (
    step_committee,
    step_term_and_sessions,
    step_special_committees,
    step_activity_groups,
    step_members,
    step_member_terms,
    step_special_committee_memberships,
    step_party_organisation,
    step_contact_pairs,
    step_leaders,
    step_units,
    step_accounts,
)

# Later issues append the dotted paths of their history steps here, e.g.
# "xieshang.proposals.demo.history". They run after the organisation, in this order.
HISTORY_STEPS: list[str] = ["xieshang.proposals.demo.step_proposals", "xieshang.search.indexing.step_index"]


def build_demo(*, seed: int = DEFAULT_SEED, history: Iterable[str | Step] | None = None) -> Committee:
    """Build the demo committee in one transaction. Refuses when it already exists."""
    steps: list[Step] = [*ORGANISATION_STEPS]
    steps += [import_string(s) if isinstance(s, str) else s for s in (HISTORY_STEPS if history is None else history)]
    with transaction.atomic():
        if Committee.objects.filter(code=DEMO_CODE).exists():
            raise DomainError(f"The demo committee ({DEMO_CODE}) already exists.")
        ctx = DemoContext(seed=seed)
        for step in steps:
            step(ctx)
        event_record(committee_id=ctx.committee.pk, actor=None, verb="demo.loaded", target=ctx.committee,
                     data={"seed": seed, "steps": [f"{s.__module__}.{s.__qualname__}" for s in steps]})
    return ctx.committee


def demo_committee() -> Committee | None:
    return Committee.objects.filter(code=DEMO_CODE).first()


def demo_reset(*, include_platform: bool = False) -> bool:
    """Delete the demo committee, everything it owns and its accounts. False when there was none. The
    platform account belongs to no committee and is kept unless asked for."""
    with transaction.atomic():
        if include_platform:
            User.objects.filter(username=PLATFORM_USERNAME, committee=None).delete()
        committee = demo_committee()
        if committee is None:
            return False
        # Accounts point at their committee and members at their sector with PROTECT, and other records
        # may point at accounts: detach the accounts, delete the members, let the rest of the committee
        # cascade away, then delete the accounts themselves.
        user_ids = list(User.objects.filter(committee=committee).values_list("pk", flat=True))
        User.objects.filter(pk__in=user_ids).update(committee=None)
        # Proposals point at members, units and sessions with PROTECT (and merged ones at their lead):
        # they go first, merged ones before the proposals they were merged into.
        from xieshang.proposals.models import Proposal

        Proposal.objects.filter(committee=committee).exclude(merged_into=None).delete()
        Proposal.objects.filter(committee=committee).delete()
        Member.objects.filter(committee=committee).delete()
        committee.delete()
        User.objects.filter(pk__in=user_ids).delete()
    return True


@dataclass(frozen=True)
class DemoAccount:
    username: str
    roles: str
    name: str


def demo_accounts(committee: Committee) -> list[DemoAccount]:
    """The demo's accounts: documented ones first, then unit liaisons and member accounts, then the platform."""
    users = (User.objects.filter(committee=committee)
             .prefetch_related("roleassignment_set__special_committee", "roleassignment_set__handling_unit",
                               "roleassignment_set__office", "roleassignment_set__leader",
                               "roleassignment_set__member"))

    def key(user: Any) -> tuple[int, str]:
        if user.username in NAMED_ACCOUNTS:
            return NAMED_ACCOUNTS.index(user.username), ""
        return len(NAMED_ACCOUNTS) + (0 if user.username.startswith("unit-") else 1), user.username

    rows = []
    for user in sorted(users, key=key):
        assignments = sorted(user.roleassignment_set.all(), key=lambda r: r.pk)
        rows.append(DemoAccount(user.username, "; ".join(str(r) for r in assignments), user.display_name))
    platform = User.objects.filter(username=PLATFORM_USERNAME, is_superuser=True).first()
    if platform is not None:
        rows.append(DemoAccount(platform.username, "platform administrator (superuser)", platform.display_name))
    return rows


def demo_digest(committee: Committee) -> str:
    """A fingerprint of the generated content (not of ids or timestamps): equal seeds give equal digests."""
    digest = hashlib.sha256()

    def feed(rows: Iterable[Any]) -> None:
        for row in rows:
            digest.update(repr(row).encode())

    c = committee
    feed(Member.objects.filter(committee=c).order_by("id").values_list(
        "name", "gender", "ethnicity", "birth_date", "party", "sector__code", "work_unit", "job_title", "phone",
        "is_standing", "leadership_role", "activity_group__name"))
    feed(MemberTerm.objects.filter(term__committee=c).order_by("member_id").values_list(
        "member__name", "status", "appointed_on", "ended_on", "appointment_record"))
    feed(SpecialCommitteeMembership.objects.filter(special_committee__committee=c).order_by("id").values_list(
        "special_committee__name", "member__name", "role"))
    feed(PartyOrganisationMembership.objects.filter(organisation__committee=c).order_by("id").values_list(
        "organisation__name", "member__name", "role"))
    feed(PartyContactPair.objects.filter(committee=c).order_by("id").values_list(
        "party_member__name", "non_party_member__name"))
    feed(Leader.objects.filter(committee=c).order_by("order").values_list("name", "title"))
    feed(HandlingUnit.objects.filter(committee=c).order_by("id").values_list(
        "name", "kind", "principal", "responsible_leader__name", "phone", "address"))
    feed(RoleAssignment.objects.filter(committee=c).order_by("user__username", "role").values_list(
        "user__username", "user__display_name", "user__phone", "role"))
    return digest.hexdigest()
