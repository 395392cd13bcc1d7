"""Every write of the proposals app. Pages, the API, commands and the admin call these functions; each
checks its actor's right, follows the transition table in workflow.py, writes its event row in the same
transaction and notifies the people who must act next (after commit)."""

from xieshang.proposals.services.assignment import (
    assignment_accept,
    assignment_decide_objection,
    assignment_object,
    assignments_stand,
    extension_decide,
    extension_request,
    proposal_assign,
)
from xieshang.proposals.services.deadlines import TickReport, proposals_tick
from xieshang.proposals.services.disclosure import proposal_set_disclosure
from xieshang.proposals.services.drafting import (
    problems,
    proposal_create,
    proposal_invite_cosigners,
    proposal_sign,
    proposal_submit,
    proposal_update,
    proposal_withdraw,
)
from xieshang.proposals.services.evaluation import (
    evaluation_submit,
    proposal_close,
    proposal_mark_implemented,
    proposal_rehandle,
)
from xieshang.proposals.services.handling import (
    cohandler_opinion_submit,
    contact_record,
    reply_attach_signed_letter,
    reply_cosign,
    reply_review,
    reply_save_draft,
    reply_submit,
)
from xieshang.proposals.services.key import (
    excellent_nominate,
    excellent_select,
    key_nominate,
    key_plan,
    key_record_activity,
    key_report,
    key_select,
)
from xieshang.proposals.services.review import (
    BulkResult,
    proposal_file,
    proposal_file_bulk,
    proposal_merge,
    proposal_not_file,
    proposal_pre_review,
    proposal_return,
)

__all__ = [
    "BulkResult", "TickReport", "assignment_accept", "assignment_decide_objection", "assignment_object",
    "assignments_stand", "cohandler_opinion_submit", "contact_record", "evaluation_submit", "excellent_nominate",
    "excellent_select", "extension_decide", "extension_request", "key_nominate", "key_plan", "key_record_activity",
    "key_report", "key_select", "problems", "proposal_assign", "proposal_close", "proposal_create",
    "proposal_file", "proposal_file_bulk", "proposal_invite_cosigners", "proposal_mark_implemented",
    "proposal_merge", "proposal_not_file", "proposal_pre_review", "proposal_rehandle", "proposal_return",
    "proposal_set_disclosure", "proposal_sign", "proposal_submit", "proposal_update", "proposal_withdraw",
    "proposals_tick", "reply_attach_signed_letter", "reply_cosign", "reply_review", "reply_save_draft",
    "reply_submit",
]
