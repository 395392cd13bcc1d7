"""Visibility-filtered reads of a committee's organisation. Views and the API read only through these;
an object of another committee is simply not found (404), so its existence does not leak."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from xieshang.organisation.models import (
    HandlingUnit,
    Member,
    MemberTerm,
    Party,
    PartyContactPair,
    PartyOrganisation,
    PartyOrganisationMembership,
    RoleAssignment,
    Sector,
    SpecialCommittee,
    SpecialCommitteeMembership,
    Term,
)


def _committee_id(user: Any) -> int:
    """The committee whose data this user may read; anyone without one reads nothing."""
    if not user.is_authenticated or user.committee_id is None or not user.role_codes:
        raise Http404
    return user.committee_id


def current_term(*, committee_id: int) -> Term | None:
    return Term.objects.filter(committee_id=committee_id, is_current=True).first()


def member_list_for_user(
    *, user: Any, sector: int | None = None, special_committee: int | None = None, party: str | None = None,
    standing: bool | None = None, q: str = "", serving_only: bool = True,
) -> QuerySet[Member]:
    committee_id = _committee_id(user)
    qs = Member.objects.filter(committee_id=committee_id)
    if serving_only:
        term = current_term(committee_id=committee_id)
        if term is not None:
            qs = qs.filter(terms__term=term, terms__status=MemberTerm.Status.SERVING)
    if sector:
        qs = qs.filter(sector_id=sector)
    if special_committee:
        qs = qs.filter(special_committee_memberships__special_committee_id=special_committee)
    if party:
        qs = qs.filter(party=party)
    if standing is not None:
        qs = qs.filter(is_standing=standing)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(work_unit__contains=q) | Q(job_title__contains=q))
    return qs.select_related("sector", "activity_group").prefetch_related(
        Prefetch("special_committee_memberships",
                 queryset=SpecialCommitteeMembership.objects.select_related("special_committee"))
    ).distinct().order_by("sector__order", "name", "id")


def member_get_for_user(*, user: Any, member_id: int) -> Member:
    committee_id = _committee_id(user)
    try:
        return (
            Member.objects.select_related("sector", "activity_group")
            .prefetch_related(
                Prefetch("special_committee_memberships",
                         queryset=SpecialCommitteeMembership.objects.select_related("special_committee")),
                Prefetch("terms", queryset=MemberTerm.objects.select_related("term")),
                Prefetch("party_memberships", queryset=PartyOrganisationMembership.objects.select_related(
                    "organisation")),
            )
            .get(committee_id=committee_id, pk=member_id)
        )
    except Member.DoesNotExist as exc:
        raise Http404 from exc


def unit_list_for_user(*, user: Any, kind: str | None = None, q: str = "", active_only: bool = True
                       ) -> QuerySet[HandlingUnit]:
    committee_id = _committee_id(user)
    qs = HandlingUnit.objects.filter(committee_id=committee_id)
    if active_only:
        qs = qs.filter(is_active=True)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(short_name__contains=q) | Q(duties__contains=q))
    return qs.select_related("responsible_leader").prefetch_related(
        Prefetch("accounts", queryset=RoleAssignment.objects.select_related("user").order_by("role", "id"))
    ).order_by("kind", "name")


def unit_get_for_user(*, user: Any, unit_id: int) -> HandlingUnit:
    try:
        return unit_list_for_user(user=user, active_only=False).get(pk=unit_id)
    except HandlingUnit.DoesNotExist as exc:
        raise Http404 from exc


def sector_list_for_user(*, user: Any) -> QuerySet[Sector]:
    return Sector.objects.filter(committee_id=_committee_id(user)).order_by("order", "id")


def special_committee_list_for_user(*, user: Any) -> QuerySet[SpecialCommittee]:
    return (
        SpecialCommittee.objects.filter(committee_id=_committee_id(user))
        .prefetch_related("sectors")
        .select_related("staff_office")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("order", "id")
    )


@dataclass(frozen=True)
class Coverage:
    """两个全覆盖: party organisation over every CPC member, party work over every member."""

    cpc_members: int
    cpc_in_organisation: int
    non_cpc_members: int
    non_cpc_contacted: int
    uncovered_cpc: list[Member]
    uncontacted: list[Member]

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def organisation_rate(self) -> float | None:
        return self._rate(self.cpc_in_organisation, self.cpc_members)

    @property
    def work_rate(self) -> float | None:
        return self._rate(self.non_cpc_contacted, self.non_cpc_members)


def party_coverage(*, committee_id: int) -> Coverage:
    """Organisation coverage: serving CPC members in at least one party organisation ÷ serving CPC
    members. Work coverage: serving non-CPC members paired with a party-member member ÷ serving non-CPC
    members (each party-member member contacts one or two, §1.1 [S78])."""
    term = current_term(committee_id=committee_id)
    members = Member.objects.filter(committee_id=committee_id)
    if term is not None:
        members = members.filter(terms__term=term, terms__status=MemberTerm.Status.SERVING)
    members = members.annotate(
        in_org=Exists(PartyOrganisationMembership.objects.filter(member=OuterRef("pk"))),
        contacted=Exists(PartyContactPair.objects.filter(non_party_member=OuterRef("pk"))),
    ).select_related("sector")
    cpc = [m for m in members if m.party == Party.CPC]
    others = [m for m in members if m.party != Party.CPC]
    return Coverage(
        cpc_members=len(cpc),
        cpc_in_organisation=sum(1 for m in cpc if m.in_org),
        non_cpc_members=len(others),
        non_cpc_contacted=sum(1 for m in others if m.contacted),
        uncovered_cpc=[m for m in cpc if not m.in_org],
        uncontacted=[m for m in others if not m.contacted],
    )


def party_organisations(*, committee_id: int) -> QuerySet[PartyOrganisation]:
    return PartyOrganisation.objects.filter(committee_id=committee_id).annotate(
        member_count=Count("memberships")).select_related("special_committee", "sector")
