from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from xieshang.accounts.models import User
from xieshang.accounts.services import user_save


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "committee", "phone", "is_active")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Xieshang", {"fields": ("committee", "display_name", "phone", "notify_by_email", "notify_by_sms")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if request.user.committee_id is None:
            return qs
        return qs.filter(committee_id=request.user.committee_id)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if obj.committee_id is None and request.user.committee_id is not None:
            obj.committee_id = request.user.committee_id
        user_save(actor=request.user, user=obj, changed=list(form.changed_data))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if request.user.is_superuser:
            return ()
        # Committee administrators manage their people, not platform privileges.
        return ("is_superuser", "is_staff", "groups", "user_permissions", "committee", "last_login", "date_joined")
