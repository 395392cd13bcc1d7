"""Every rule a committee may set, with its cited default (shared/reference/cppcc-rules.md, tags [Sn]).

Rules are data: code reads them through ``xieshang.ruleset.selectors.rules_for`` and never hard-codes a
number that differs by place. Add a rule here, with its source, and every committee gets the default."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class RuleDef:
    key: str
    default: Any
    label: Any  # lazy translation
    unit: str  # "working_days", "days", "months", "chars", "count", "choice", "list", "bool"
    source: str  # the specification's tag, or "suggestion" where the spec marks it UNVERIFIED
    group: str
    choices: tuple[tuple[str, Any], ...] = ()
    minimum: int = 0
    maximum: int = 10000


DEFAULT_REPLY_CLASSES = [
    {"code": "A", "label": "已解决或采纳", "label_en": "Solved or adopted"},
    {"code": "B", "label": "列入计划拟解决或拟采纳", "label_en": "Planned to be solved or adopted", "follow_up": True},
    {"code": "C", "label": "留作参考", "label_en": "Kept for reference"},
]

DEFAULT_CATEGORIES = [
    {"code": "economy", "label": "经济发展和城乡建设", "label_en": "Economic development and urban-rural construction"},
    {"code": "rural", "label": "农业农村和乡村振兴", "label_en": "Agriculture, rural areas and rural revitalisation"},
    {"code": "environment", "label": "资源环境", "label_en": "Resources and environment"},
    {"code": "social", "label": "科教文卫体", "label_en": "Science, education, culture, health and sport"},
    {"code": "livelihood", "label": "劳动人事社保和社会治理", "label_en": "Labour, social security and governance"},
    {"code": "policy", "label": "政策法规统战政协民族宗教",
     "label_en": "Law, united front, CPPCC, ethnic and religious affairs"},
]

# Grounds for not filing a proposal: the national Q&A list [S2].
DEFAULT_NOT_FILED_GROUNDS = [
    {"code": "secret", "label": "涉及党和国家秘密"},
    {"code": "prohibited", "label": "国家明令禁止的"},
    {"code": "party_internal", "label": "中共党员对党组织和人事问题的意见"},
    {"code": "democratic_party_internal", "label": "民主党派成员对本党派内部事务的意见"},
    {"code": "litigation", "label": "属于诉讼、仲裁或纪检、行政复议范围的"},
    {"code": "academic", "label": "属于学术探讨的"},
    {"code": "personal", "label": "涉及提案者个人及亲属私事的"},
    {"code": "promotion", "label": "宣传推介具体作品、产品的"},
    {"code": "named_report", "label": "指名举报的"},
    {"code": "no_suggestion", "label": "内容空泛、没有具体建议的"},
]

RULES: tuple[RuleDef, ...] = (
    # Proposals (§2.1)
    RuleDef("proposal.body_max_chars", 2500, _("Maximum length of a proposal body"), "chars", "S32", "proposals"),
    RuleDef("proposal.cosign_working_days", 5, _("Co-signing window after invitation"), "working_days",
            "suggestion", "proposals", minimum=1),
    RuleDef("proposal.session_window_months", 3, _("Session-proposal window before the plenary opens"),
            "months", "S12", "proposals", minimum=0, maximum=12),
    RuleDef("proposal.objection_working_days", 5, _("Window for a unit to object to an assignment"),
            "working_days", "S15", "proposals", minimum=1),
    RuleDef("proposal.first_contact_working_days", 15, _("First contact with the proposer (办前面商)"),
            "working_days", "S16", "proposals", minimum=1),
    RuleDef("proposal.cohandler_opinion_months", 1, _("Co-handler opinion to the lead unit"), "months", "S18",
            "proposals", minimum=1, maximum=6),
    RuleDef("proposal.reply_months", 3, _("Reply due after assignment"), "months", "S17", "proposals",
            minimum=1, maximum=12),
    RuleDef("proposal.reply_max_months", 6, _("Hard maximum for a reply, extensions included"), "months", "S17",
            "proposals", minimum=1, maximum=12),
    RuleDef("proposal.evaluation_working_days", 15, _("Proposer's evaluation after the reply"), "working_days",
            "S16", "proposals", minimum=1),
    RuleDef("proposal.rehandling_months", 1, _("Time allowed for one re-handling round"), "months",
            "suggestion", "proposals", minimum=1, maximum=6),
    RuleDef("proposal.rehandling_max_rounds", 2, _("Maximum re-handling rounds"), "count", "suggestion",
            "proposals", minimum=0, maximum=5),
    RuleDef("proposal.reminder_working_days", 3, _("Reminder before a due date"), "working_days", "S33",
            "proposals", minimum=0, maximum=30),
    RuleDef("proposal.reply_classes", DEFAULT_REPLY_CLASSES, _("Reply result classes"), "list", "S24",
            "proposals"),
    RuleDef("proposal.categories", DEFAULT_CATEGORIES, _("Proposal categories"), "list", "S5", "proposals"),
    RuleDef("proposal.not_filed_grounds", DEFAULT_NOT_FILED_GROUNDS, _("Grounds for not filing"), "list", "S2",
            "proposals"),
    RuleDef("proposal.review_working_days", 10, _("Review of a submitted proposal"), "working_days", "suggestion",
            "proposals", minimum=1),
    RuleDef("proposal.assign_working_days", 10, _("Assignment of a filed proposal"), "working_days", "suggestion",
            "proposals", minimum=1),
    RuleDef("proposal.reply_review_working_days", 5, _("Supervising review of a reply"), "working_days",
            "suggestion", "proposals", minimum=1),
    RuleDef("statistics.reply_needs_contact", "yes",
            _("A reply counts as by proper procedure only after a recorded contact with the proposer"), "choice",
            "S34", "statistics", choices=(("yes", _("Yes")), ("no", _("No")))),
    # Statistics (§3)
    RuleDef("statistics.merged_counting", "inside_filed", _("How merged proposals count in the filing rate"),
            "choice", "S6", "statistics",
            choices=(("inside_filed", _("Merged proposals count as filed (Gansu)")),
                     ("separate", _("Merged proposals count apart from filed (Kunming)")))),
    # Consultation (§2.2), public opinion (§1.4), inspection (§2.4), attendance (§2.5)
    RuleDef("consultation.notice_working_days", 15, _("Notice to participants before a consultation"),
            "working_days", "S44", "consultation", minimum=1),
    RuleDef("consultation.materials_working_days", 10, _("Materials to participants before a consultation"),
            "working_days", "S44", "consultation", minimum=1),
    RuleDef("consultation.minutes_working_days", 7, _("Minutes sent after a consultation"), "working_days",
            "S44", "consultation", minimum=1),
    RuleDef("consultation.feedback_days", 30, _("Written feedback from departments"), "days", "suggestion",
            "consultation", minimum=1),
    RuleDef("opinion.body_max_chars", 1500, _("Maximum length of a public-opinion item"), "chars", "S53",
            "opinions"),
    RuleDef("inspection.report_working_days", 15, _("Inspection report after the visit"), "working_days",
            "suggestion", "consultation", minimum=1),
    RuleDef("attendance.leave_days_before", 2, _("Leave request due before a standing-committee meeting"),
            "days", "S72", "attendance", minimum=0),
)

RULES_BY_KEY: dict[str, RuleDef] = {r.key: r for r in RULES}
