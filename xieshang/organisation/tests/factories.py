"""Factories for a committee's organisation. Other apps' factories build on these."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from xieshang.accounts.models import User
from xieshang.organisation import models as m
from xieshang.organisation.services import committee_create


class CommitteeFactory(factory.django.DjangoModelFactory):
    """A committee onboarded the real way: standard sectors, offices and rules included."""

    class Meta:
        model = m.Committee

    code = factory.Sequence(lambda n: f"c{n}")
    name = factory.Sequence(lambda n: f"测试{n}县政协")

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> m.Committee:
        return committee_create(actor=None, code=kwargs["code"], name=kwargs["name"])


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Term

    committee = factory.SubFactory(CommitteeFactory)
    ordinal = 10
    name = "第十届"
    start_date = dt.date(2022, 1, 10)
    is_current = True


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.PlenarySession

    committee = factory.SelfAttribute("term.committee")
    term = factory.SubFactory(TermFactory)
    ordinal = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"第{o.ordinal}次会议")
    opens_on = dt.date(2026, 1, 12)
    closes_on = dt.date(2026, 1, 15)
    proposal_window_start = dt.date(2025, 10, 12)
    proposal_deadline = factory.LazyFunction(lambda: timezone.make_aware(dt.datetime(2026, 1, 14, 18, 0)))


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Member
        skip_postgeneration_save = True

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"委员{n}")
    gender = m.Member.Gender.MALE
    party = m.Party.CPC
    sector = factory.LazyAttribute(lambda o: m.Sector.objects.filter(committee=o.committee).first())
    work_unit = "县第一中学"
    job_title = "校长"
    phone = "13800000000"

    @factory.post_generation
    def serving(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        """Serving in the current term, when the committee has one."""
        term = m.Term.objects.filter(committee=self.committee, is_current=True).first()
        if create and term is not None and extracted is not False:
            m.MemberTerm.objects.create(member=self, term=term)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.HandlingUnit

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"县测试局{n}")
    kind = m.HandlingUnit.Kind.GOVERNMENT_DEPT


class LeaderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Leader

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"领导{n}")
    title = "副县长"
    organ = m.Leader.Organ.GOVERNMENT


class SpecialCommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.SpecialCommittee

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"专委会{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "xieshang")
    committee = None


def scope_for(committee: m.Committee, role: str) -> Any:
    """A fresh object of the kind this role is scoped to, in this committee."""
    field = m.ROLE_SCOPE[role]
    if field is None:
        return None
    if field == "member":
        return MemberFactory(committee=committee)
    if field == "handling_unit":
        return UnitFactory(committee=committee)
    if field == "special_committee":
        return SpecialCommitteeFactory(committee=committee)
    if field == "leader":
        return LeaderFactory(committee=committee)
    return m.Office.objects.filter(committee=committee, kind=m.Office.Kind.GOVERNMENT_SUPERVISION).first()


def user_with_role(committee: m.Committee, role: str, scope: Any = None, **kwargs: Any) -> User:
    """An account holding one role in the committee (scope created when not given)."""
    user = UserFactory(committee=committee, **kwargs)
    user.save()
    scope = scope if scope is not None else scope_for(committee, role)
    kw = {m.ROLE_SCOPE[role]: scope} if m.ROLE_SCOPE[role] else {}
    m.RoleAssignment.objects.create(committee=committee, user=user, role=role, **kw)
    return user
