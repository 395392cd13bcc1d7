"""Accounts. A user belongs to one committee (the tenant); what they may do there comes from their roles
(organisation.RoleAssignment). Platform administrators (superusers) belong to none."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from xieshang.organisation.models import Member, RoleAssignment


class User(AbstractUser):
    committee = models.ForeignKey(
        "organisation.Committee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("committee"),
    )
    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    notify_by_email = models.BooleanField(_("notify by e-mail"), default=True)
    notify_by_sms = models.BooleanField(_("notify by SMS"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    @cached_property
    def role_assignments(self) -> list[RoleAssignment]:
        """This user's roles in their committee, loaded once per request."""
        if not self.pk or self.committee_id is None:
            return []
        return list(
            self.roleassignment_set.filter(committee_id=self.committee_id).select_related(
                "member", "handling_unit", "special_committee", "office", "leader"
            )
        )

    @cached_property
    def role_codes(self) -> frozenset[str]:
        return frozenset(r.role for r in self.role_assignments)

    def has_role(self, *codes: str) -> bool:
        return bool(self.role_codes.intersection(codes))

    @cached_property
    def member(self) -> Member | None:
        """The committee member this account speaks for, if any."""
        for r in self.role_assignments:
            if r.member_id is not None:
                return r.member
        return None

    def scope_ids(self, role: str, field: str) -> set[int]:
        """Ids of the objects one role is scoped to, e.g. the handling units a liaison answers for."""
        return {getattr(r, f"{field}_id") for r in self.role_assignments if r.role == role}
