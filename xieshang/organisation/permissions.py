"""Named rules of the organisation app. The table in docs/permissions.md mirrors this file."""

from __future__ import annotations

import rules

from xieshang.core.permissions import has_role, in_committee, is_platform_admin, same_committee
from xieshang.organisation.models import Role

is_committee_admin = has_role(Role.COMMITTEE_ADMIN)
is_staff_member = has_role(Role.COMMITTEE_ADMIN, Role.OFFICE_STAFF, Role.PROPOSAL_STAFF, Role.INFO_STAFF)
can_manage_organisation = has_role(Role.COMMITTEE_ADMIN, Role.OFFICE_STAFF)

# Everyone with a role in the committee may look people and units up; personal details are narrower.
rules.add_perm("organisation.view_directory", in_committee & same_committee)
rules.add_perm("organisation.view_member_contact", is_staff_member & same_committee)
rules.add_perm("organisation.view_party_coverage",
               has_role(Role.COMMITTEE_ADMIN, Role.OFFICE_STAFF, Role.LEADER) & same_committee)
rules.add_perm("organisation.import_directory", can_manage_organisation & same_committee)
rules.add_perm("organisation.manage_roles", is_committee_admin & same_committee)
rules.add_perm("organisation.create_committee", is_platform_admin)
for action in ("view", "add", "change", "delete"):
    rules.add_perm(f"organisation.{action}_committee", is_platform_admin)

# The back-office editor (Django admin) asks for model permissions; the same two roles hold them.
for model in ("term", "plenarysession", "sector", "office", "specialcommittee", "activitygroup",
              "member", "memberterm", "partyorganisation", "partycontactpair", "leader", "handlingunit"):
    for action in ("view", "add", "change", "delete"):
        rules.add_perm(f"organisation.{action}_{model}", can_manage_organisation & same_committee)
rules.add_perm("organisation.view_roleassignment", is_committee_admin)
rules.add_perm("organisation.add_roleassignment", is_committee_admin)
rules.add_perm("organisation.change_roleassignment", is_committee_admin)
rules.add_perm("organisation.delete_roleassignment", is_committee_admin)
rules.add_perm("accounts.view_user", is_committee_admin)
rules.add_perm("accounts.add_user", is_committee_admin)
rules.add_perm("accounts.change_user", is_committee_admin)
rules.add_perm("ruleset.change_ruleset", is_committee_admin & same_committee)
rules.add_perm("ruleset.view_ruleset", is_staff_member & same_committee)
rules.add_perm("ledger.view_event", is_committee_admin & same_committee)
