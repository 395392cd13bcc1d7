"""Home-page items of the organisation: gaps that would let work stall silently."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from xieshang.core.todo import TodoItem
from xieshang.organisation.models import HandlingUnit, Role, RoleAssignment, Term


def organisation_gaps(user: Any) -> list[TodoItem]:
    """Administrators and office staff learn which units nobody answers for, and whether a term is set."""
    if user.committee_id is None or not user.has_role(Role.COMMITTEE_ADMIN, Role.OFFICE_STAFF):
        return []
    items = []
    if not Term.objects.filter(committee_id=user.committee_id, is_current=True).exists():
        items.append(TodoItem(title=_("Set the current term"), url=reverse("admin:organisation_term_changelist"),
                              category=_("Organisation"),
                              detail=_("Without a current term the directory cannot tell who is serving.")))
    orphan_units = HandlingUnit.objects.filter(committee_id=user.committee_id, is_active=True).exclude(
        Exists(RoleAssignment.objects.filter(handling_unit=OuterRef("pk"), role=Role.UNIT_LIAISON))).count()
    if orphan_units:
        items.append(TodoItem(
            title=ngettext("%(count)d handling unit has no liaison account",
                           "%(count)d handling units have no liaison account", orphan_units) % {"count": orphan_units},
            url=reverse("organisation:unit_list"), category=_("Organisation"),
            detail=_("Nobody there would see the proposals assigned to them.")))
    return items
