"""Read-only API of the organisation: members, sectors, special committees and handling units. The same
selectors as the pages, so the same committee scoping."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers

from xieshang.organisation import selectors
from xieshang.organisation.models import HandlingUnit, Member, Sector, SpecialCommittee


class SectorOutput(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["id", "code", "name", "category", "order"]


class SpecialCommitteeOutput(serializers.ModelSerializer):
    sectors = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = SpecialCommittee
        fields = ["id", "name", "short_name", "duties", "sectors", "member_count"]


class MemberOutput(serializers.ModelSerializer):
    sector = serializers.CharField(source="sector.name")
    special_committees = serializers.SerializerMethodField()

    class Meta:
        model = Member
        fields = ["id", "name", "gender", "ethnicity", "party", "sector", "work_unit", "job_title", "is_standing",
                  "leadership_role", "special_committees"]

    def get_special_committees(self, obj: Member) -> list[str]:
        return [m.special_committee.name for m in obj.special_committee_memberships.all()]


class UnitOutput(serializers.ModelSerializer):
    responsible_leader = serializers.StringRelatedField()

    class Meta:
        model = HandlingUnit
        fields = ["id", "name", "short_name", "kind", "duties", "principal", "responsible_leader", "phone",
                  "is_active"]


class SectorListApi(generics.ListAPIView):
    queryset = Sector.objects.none()  # for the schema only; reads go through selectors
    serializer_class = SectorOutput

    def get_queryset(self) -> QuerySet[Sector]:
        return selectors.sector_list_for_user(user=self.request.user)


class SpecialCommitteeListApi(generics.ListAPIView):
    queryset = SpecialCommittee.objects.none()  # for the schema only; reads go through selectors
    serializer_class = SpecialCommitteeOutput

    def get_queryset(self) -> QuerySet[SpecialCommittee]:
        return selectors.special_committee_list_for_user(user=self.request.user)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@extend_schema(parameters=[
    OpenApiParameter("q", OpenApiTypes.STR), OpenApiParameter("sector", OpenApiTypes.INT),
    OpenApiParameter("special_committee", OpenApiTypes.INT), OpenApiParameter("party", OpenApiTypes.STR),
    OpenApiParameter("standing", OpenApiTypes.BOOL),
])
class MemberListApi(generics.ListAPIView):
    queryset = Member.objects.none()  # for the schema only; reads go through selectors
    serializer_class = MemberOutput
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Member]:
        p = self.request.query_params
        standing = {"true": True, "1": True, "false": False, "0": False}.get((p.get("standing") or "").lower())
        return selectors.member_list_for_user(
            user=self.request.user, q=p.get("q", "")[:50], sector=_int(p.get("sector")),
            special_committee=_int(p.get("special_committee")), party=p.get("party") or None, standing=standing)


class MemberDetailApi(generics.RetrieveAPIView):
    queryset = Member.objects.none()  # for the schema only; reads go through selectors
    serializer_class = MemberOutput

    def get_object(self) -> Member:
        return selectors.member_get_for_user(user=self.request.user, member_id=self.kwargs["member_id"])


@extend_schema(parameters=[OpenApiParameter("q", OpenApiTypes.STR), OpenApiParameter("kind", OpenApiTypes.STR)])
class UnitListApi(generics.ListAPIView):
    queryset = HandlingUnit.objects.none()  # for the schema only; reads go through selectors
    serializer_class = UnitOutput
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[HandlingUnit]:
        p = self.request.query_params
        return selectors.unit_list_for_user(user=self.request.user, q=p.get("q", "")[:50], kind=p.get("kind") or None)


class UnitDetailApi(generics.RetrieveAPIView):
    queryset = HandlingUnit.objects.none()  # for the schema only; reads go through selectors
    serializer_class = UnitOutput

    def get_object(self) -> HandlingUnit:
        return selectors.unit_get_for_user(user=self.request.user, unit_id=self.kwargs["unit_id"])


api_urlpatterns = [
    ("sectors/", SectorListApi, "sector-list"),
    ("special-committees/", SpecialCommitteeListApi, "special-committee-list"),
    ("members/", MemberListApi, "member-list"),
    ("members/<int:member_id>/", MemberDetailApi, "member-detail"),
    ("units/", UnitListApi, "unit-list"),
    ("units/<int:unit_id>/", UnitDetailApi, "unit-detail"),
]
