"""Writes to a committee's organisation. Pages, the API, commands and the back-office editor all call
these functions; each writes its event row in the same transaction."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from xieshang.core.errors import DomainError
from xieshang.ledger.services import event_record
from xieshang.organisation.models import (
    ROLE_SCOPE,
    Committee,
    Office,
    Role,
    RoleAssignment,
    Sector,
)
from xieshang.organisation.seed import STANDARD_OFFICES, STANDARD_SECTORS
from xieshang.ruleset.models import RuleSet
from xieshang.search.indexing import index_instance_after_commit

User = get_user_model()
CODE_RE = re.compile(r"^[a-z][a-z0-9-]{1,31}$")


def committee_create(
    *, actor: Any | None, code: str, name: str, level: str = Committee.Level.COUNTY,
    parent: Committee | None = None, region_code: str = "", year: int | None = None,
) -> Committee:
    """Onboard a committee with the standard sectors, offices and a rule set holding the cited defaults."""
    if not CODE_RE.match(code):
        raise DomainError(_("The code must be 2-32 lowercase letters, digits or hyphens, starting with a letter."))
    if not name.strip():
        raise DomainError(_("The name is required."))
    with transaction.atomic():
        if Committee.objects.filter(code=code).exists():
            raise DomainError(_("A committee with code %(code)s already exists.") % {"code": code})
        committee = Committee.objects.create(code=code, name=name.strip(), level=level, parent=parent,
                                             region_code=region_code)
        Sector.objects.bulk_create(
            Sector(committee=committee, code=c, name=n, category=cat, order=i)
            for i, (c, n, cat) in enumerate(STANDARD_SECTORS, start=1)
        )
        Office.objects.bulk_create(Office(committee=committee, kind=k, name=n) for k, n in STANDARD_OFFICES)
        from django.utils import timezone

        RuleSet.objects.create(committee=committee, year=year or timezone.localdate().year, values={})
        event_record(committee_id=committee.pk, actor=actor, verb="organisation.committee_created",
                     target=committee, data={"code": code})
    return committee


def reference_save(*, actor: Any, instance: models.Model, committee_id: int, changed: list[str] | None = None) -> None:
    """Create or update one piece of reference data (a sector, a session, a unit, a member …) of a
    committee, as the back-office editor does. (The Excel import has its own bulk path in importing.py,
    which writes the same events.)"""
    if getattr(instance, "committee_id", None) not in (None, committee_id):
        raise DomainError(_("This record belongs to another committee."))
    if hasattr(instance, "committee_id"):
        instance.committee_id = committee_id
    creating = instance._state.adding
    try:
        instance.full_clean(validate_unique=True, validate_constraints=True)
    except ValidationError as exc:
        raise DomainError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
    with transaction.atomic():
        instance.save()
        name = instance._meta.model_name
        event_record(committee_id=committee_id, actor=actor,
                     verb=f"organisation.{name}_{'created' if creating else 'changed'}",
                     target=instance, data={"fields": sorted(changed or [])})
        index_instance_after_commit(instance)  # members and units are searchable


def reference_delete(*, actor: Any, instance: models.Model, committee_id: int) -> None:
    if getattr(instance, "committee_id", committee_id) != committee_id:
        raise DomainError(_("This record belongs to another committee."))
    with transaction.atomic():
        event_record(committee_id=committee_id, actor=actor,
                     verb=f"organisation.{instance._meta.model_name}_deleted", target=instance)
        index_instance_after_commit(instance)  # the object is gone after commit: so is its document
        try:
            instance.delete()
        except models.ProtectedError as exc:
            raise DomainError(_("%(obj)s is still in use and cannot be deleted.") % {"obj": instance}) from exc


def _scope_object(committee: Committee, role: str, scope: models.Model | None) -> dict[str, Any]:
    field = ROLE_SCOPE[role]
    if field is None:
        if scope is not None:
            raise DomainError(_("This role is not tied to a unit, member or office."))
        return {}
    if scope is None:
        label = {"member": _("member"), "special_committee": _("special committee"),
                 "handling_unit": _("handling unit"), "office": _("office"), "leader": _("leader")}[field]
        raise DomainError(_("This role needs its %(scope)s.") % {"scope": label})
    if scope.committee_id != committee.pk:
        raise DomainError(_("This record belongs to another committee."))
    if role == Role.SUPERVISOR and not scope.is_supervising:
        raise DomainError(_("A supervising role must belong to a supervision office."))
    return {field: scope}


def role_assign(*, actor: Any, user: Any, committee: Committee, role: str, scope: models.Model | None = None
                ) -> RoleAssignment:
    """Give a person a role in their committee (a member's account, a unit's liaison …)."""
    if role not in ROLE_SCOPE:
        raise DomainError(_("Unknown role."))
    if user.committee_id not in (None, committee.pk):
        raise DomainError(_("This account belongs to another committee."))
    kwargs = _scope_object(committee, role, scope)
    with transaction.atomic():
        if user.committee_id is None:
            user.committee = committee
            user.save(update_fields=["committee"])
        try:
            with transaction.atomic():
                assignment = RoleAssignment.objects.create(committee=committee, user=user, role=role, **kwargs)
        except IntegrityError as exc:
            raise DomainError(_("This person already holds this role, or the member or leader already has "
                                "an account.")) from exc
        event_record(committee_id=committee.pk, actor=actor, verb="organisation.role_assigned", target=user,
                     to_state=role, data={"scope": str(scope) if scope else ""})
    user.__dict__.pop("role_assignments", None)
    user.__dict__.pop("role_codes", None)
    return assignment


def role_revoke(*, actor: Any, assignment: RoleAssignment) -> None:
    with transaction.atomic():
        event_record(committee_id=assignment.committee_id, actor=actor, verb="organisation.role_revoked",
                     target=assignment.user, from_state=assignment.role)
        assignment.delete()


def account_create(*, actor: Any, committee: Committee, username: str, display_name: str, password: str | None,
                   role: str, scope: models.Model | None = None, phone: str = "", email: str = "") -> Any:
    """A new account with its first role, in one step. ``password=None`` leaves it unusable until set
    (bulk creators then set one hash for many accounts)."""
    if User.objects.filter(username=username).exists():
        raise DomainError(_("The user name %(name)s is taken.") % {"name": username})
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=password, committee=committee,
                                        display_name=display_name, phone=phone, email=email)
        event_record(committee_id=committee.pk, actor=actor, verb="accounts.user_created", target=user)
        role_assign(actor=actor, user=user, committee=committee, role=role, scope=scope)
    return user



