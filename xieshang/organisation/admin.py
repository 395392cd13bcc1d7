"""The back-office editor for a committee's reference data (sessions, sectors, members, units …).

Committee administrators and office staff see only their own committee's rows; every save and delete
goes through ``reference_save`` / ``reference_delete`` so that it writes its event like any other change.
Platform administrators (superusers) manage committees here too."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import Http404, HttpRequest

from xieshang.core.errors import DomainError
from xieshang.organisation import models as m
from xieshang.organisation.services import reference_delete, reference_save, role_assign, role_revoke

admin.site.site_header = "协商 Xieshang"
admin.site.site_title = "协商 Xieshang"
admin.site.index_title = "组织与名录"


def _may_use_back_office(request: HttpRequest) -> bool:
    """Platform administrators, and a committee's administrators and office staff."""
    user = request.user
    return bool(user.is_active and (user.is_superuser or user.has_role(m.Role.COMMITTEE_ADMIN, m.Role.OFFICE_STAFF)))


admin.site.has_permission = _may_use_back_office  # type: ignore[method-assign]


class CommitteeScopedAdmin(admin.ModelAdmin):
    exclude = ("committee",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if request.user.is_superuser and request.user.committee_id is None:
            return qs
        return qs.filter(committee_id=request.user.committee_id)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and (request.user.is_superuser or bool(request.user.committee_id)) and \
            super().has_module_permission(request)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        self._scope_choices(field, request)
        return field

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        self._scope_choices(field, request)
        return field

    @staticmethod
    def _scope_choices(field: Any, request: HttpRequest) -> None:
        """Offer only the user's own committee's rows in every drop-down."""
        if field is None or not hasattr(field, "queryset") or request.user.committee_id is None:
            return
        model = field.queryset.model
        if any(f.name == "committee" for f in model._meta.fields):
            field.queryset = field.queryset.filter(committee_id=request.user.committee_id)

    def _committee_id(self, request: HttpRequest, obj: Model) -> int:
        committee_id = getattr(obj, "committee_id", None) or request.user.committee_id
        if committee_id is None:
            raise DomainError("A platform administrator edits committee data from an account of that committee.")
        return committee_id

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        try:
            reference_save(actor=request.user, instance=obj, committee_id=self._committee_id(request, obj),
                           changed=list(form.changed_data))
        except DomainError as exc:
            messages.error(request, exc.message)
            raise

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        reference_delete(actor=request.user, instance=obj, committee_id=self._committee_id(request, obj))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    def _get_obj_does_not_exist_redirect(self, request: HttpRequest, opts: Any, object_id: str) -> Any:
        # Another committee's object is simply not found: no redirect with a message that it exists.
        raise Http404


@admin.register(m.Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "region_code", "is_active")

    def save_model(self, request: HttpRequest, obj: m.Committee, form: ModelForm, change: bool) -> None:
        if change:
            reference_save(actor=request.user, instance=obj, committee_id=obj.pk, changed=list(form.changed_data))
        else:
            from xieshang.organisation.services import committee_create

            created = committee_create(actor=request.user, code=obj.code, name=obj.name, level=obj.level,
                                       parent=obj.parent, region_code=obj.region_code)
            obj.pk = created.pk


@admin.register(m.Term)
class TermAdmin(CommitteeScopedAdmin):
    list_display = ("name", "ordinal", "start_date", "end_date", "is_current")


@admin.register(m.PlenarySession)
class PlenarySessionAdmin(CommitteeScopedAdmin):
    list_display = ("__str__", "opens_on", "closes_on", "proposal_window_start", "proposal_deadline")


@admin.register(m.Sector)
class SectorAdmin(CommitteeScopedAdmin):
    list_display = ("order", "code", "name", "category", "convener")
    list_display_links = ("name",)


@admin.register(m.Office)
class OfficeAdmin(CommitteeScopedAdmin):
    list_display = ("name", "kind", "phone")


@admin.register(m.SpecialCommittee)
class SpecialCommitteeAdmin(CommitteeScopedAdmin):
    list_display = ("name", "short_name", "staff_office", "order")
    filter_horizontal = ("sectors",)


@admin.register(m.ActivityGroup)
class ActivityGroupAdmin(CommitteeScopedAdmin):
    list_display = ("name", "kind", "lead")


@admin.register(m.Member)
class MemberAdmin(CommitteeScopedAdmin):
    list_display = ("name", "sector", "party", "work_unit", "is_standing", "leadership_role")
    list_filter = ("is_standing", "party", "leadership_role")
    search_fields = ("name", "work_unit")


@admin.register(m.MemberTerm)
class MemberTermAdmin(CommitteeScopedAdmin):
    list_display = ("member", "term", "status", "appointed_on", "ended_on")
    exclude = ()

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = admin.ModelAdmin.get_queryset(self, request)
        return qs if request.user.committee_id is None else qs.filter(member__committee_id=request.user.committee_id)

    def _committee_id(self, request: HttpRequest, obj: Model) -> int:
        return obj.member.committee_id  # type: ignore[attr-defined]


@admin.register(m.PartyOrganisation)
class PartyOrganisationAdmin(CommitteeScopedAdmin):
    list_display = ("name", "kind", "special_committee", "sector")


@admin.register(m.PartyContactPair)
class PartyContactPairAdmin(CommitteeScopedAdmin):
    list_display = ("party_member", "non_party_member")


@admin.register(m.Leader)
class LeaderAdmin(CommitteeScopedAdmin):
    list_display = ("name", "title", "organ", "order")


@admin.register(m.HandlingUnit)
class HandlingUnitAdmin(CommitteeScopedAdmin):
    list_display = ("name", "short_name", "kind", "responsible_leader", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name", "duties")


@admin.register(m.RoleAssignment)
class RoleAssignmentAdmin(CommitteeScopedAdmin):
    list_display = ("user", "role", "member", "handling_unit", "special_committee", "office", "leader")
    list_filter = ("role",)
    search_fields = ("user__username", "user__display_name")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "user" and request.user.committee_id is not None:
            field.queryset = field.queryset.filter(committee_id__in=[request.user.committee_id, None])
        return field

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a role is granted or revoked, never edited in place

    def save_model(self, request: HttpRequest, obj: m.RoleAssignment, form: ModelForm, change: bool) -> None:
        committee = m.Committee.objects.get(pk=self._committee_id(request, obj))
        field = m.ROLE_SCOPE.get(obj.role)
        created = role_assign(actor=request.user, user=obj.user, committee=committee, role=obj.role,
                              scope=getattr(obj, field) if field else None)
        obj.pk = created.pk

    def delete_model(self, request: HttpRequest, obj: m.RoleAssignment) -> None:
        role_revoke(actor=request.user, assignment=obj)
