"""Proposals (提案): the proposal and its proposers, assignments to handling units, contacts, co-handler
opinions, replies with co-signatures, evaluations, extensions, and key and excellent proposals.

Fields follow §1.2 of shared/reference/cppcc-rules.md; states live in workflow.py."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieshang.core.models import CommitteeOwned, TimeStampedModel
from xieshang.proposals.workflow import OPEN_ASSIGNMENT, AssignmentStatus, ProposalStatus, ReplyStatus


class Proposal(CommitteeOwned, TimeStampedModel):
    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        JOINT = "joint", _("Joint")
        COLLECTIVE = "collective", _("Collective")

    class CollectiveKind(models.TextChoices):
        NONE = "", _("—")
        PARTY = "party", _("Political party")
        PEOPLES_ORG = "peoples_org", _("People's organisation")
        SECTOR = "sector", _("Sector")
        SPECIAL_COMMITTEE = "special_committee", _("Special committee")
        MEMBER_GROUP = "member_group", _("Member group")

    class Disposition(models.TextChoices):
        NONE = "", _("—")
        LETTER = "letter", _("Forwarded to the departments as a letter for reference")
        PUBLIC_OPINION = "public_opinion", _("Turned into a public-opinion item")
        PROPOSER = "proposer", _("Left to the proposer to pursue otherwise")

    session = models.ForeignKey("organisation.PlenarySession", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="proposals", verbose_name=_("plenary session"))
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    is_session_proposal = models.BooleanField(_("session proposal"), default=False)
    title = models.CharField(_("subject"), max_length=120)  # 案由
    category = models.CharField(_("category"), max_length=30, blank=True)
    situation = models.TextField(_("situation"), blank=True)
    analysis = models.TextField(_("analysis"), blank=True)
    suggestions = models.TextField(_("suggestions"), blank=True)
    kind = models.CharField(_("proposer type"), max_length=12, choices=Kind.choices, default=Kind.INDIVIDUAL)
    collective_kind = models.CharField(_("collective proposer"), max_length=20, choices=CollectiveKind.choices,
                                       blank=True, default="")
    collective_name = models.CharField(_("proposing organisation"), max_length=60, blank=True)
    has_seal = models.BooleanField(_("carries the organisation's seal or the convener's signature"), default=False)
    # Empty only on a proposal imported from a committee's records whose first proposer is not in the member
    # directory (history import): its proposers are then known by name only, in proposer_text.
    lead_member = models.ForeignKey("organisation.Member", on_delete=models.PROTECT, related_name="led_proposals",
                                    null=True, blank=True, verbose_name=_("first proposer"))
    proposer_text = models.CharField(_("proposers as recorded"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    status = models.CharField(_("status"), max_length=12, choices=ProposalStatus.choices,
                              default=ProposalStatus.DRAFT, db_index=True)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    review_due = models.DateField(_("review due"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    assign_due = models.DateField(_("assignment due"), null=True, blank=True)
    not_filed_ground = models.CharField(_("ground for not filing"), max_length=40, blank=True)
    decision_reason = models.TextField(_("reason given to the proposer"), blank=True)
    disposition = models.CharField(_("disposition"), max_length=20, choices=Disposition.choices, blank=True,
                                   default="")
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="merged_proposals", verbose_name=_("merged into"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    is_public = models.BooleanField(_("published"), default=False)
    not_for_disclosure = models.BooleanField(_("not for disclosure"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="proposal_unique_number"),
            models.CheckConstraint(condition=~Q(merged_into=models.F("id")), name="proposal_not_merged_into_itself"),
            models.CheckConstraint(
                condition=Q(kind="collective") | Q(collective_kind=""), name="proposal_collective_kind_collective"),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False), name="proposal_merged_has_lead"),
        ]
        indexes = [
            models.Index(fields=["committee", "status"]),
            models.Index(fields=["committee", "session", "number"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}" if self.number else self.title

    @property
    def reference(self) -> str:
        """第N号, once filed."""
        return f"第{self.number}号" if self.number else ""

    @property
    def proposer_name(self) -> str:
        """The first proposer's name, or the proposers as an imported record names them."""
        return self.lead_member.name if self.lead_member_id else self.proposer_text

    @property
    def body(self) -> str:
        return "\n".join(p for p in (self.situation, self.analysis, self.suggestions) if p)

    @property
    def body_length(self) -> int:
        return len(self.situation) + len(self.analysis) + len(self.suggestions)


class Proposer(models.Model):
    """A member who proposes: the first proposer, or a co-signer invited to a joint proposal (联名).
    A co-signer who has not signed by the deadline drops out."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        SIGNED = "signed", _("Signed")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Did not sign in time")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="proposers")
    member = models.ForeignKey("organisation.Member", on_delete=models.PROTECT, related_name="proposals_signed")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    is_lead = models.BooleanField(_("first proposer"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.INVITED)
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)
    due = models.DateField(_("sign by"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)

    class Meta:
        ordering = ["proposal", "order", "id"]
        verbose_name = _("proposer")
        verbose_name_plural = _("proposers")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "member"], name="proposer_unique_member"),
            models.UniqueConstraint(fields=["proposal"], condition=Q(is_lead=True), name="proposer_one_lead"),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.proposal_id}"


class Assignment(CommitteeOwned):
    """One proposal assigned to one handling unit (交办件/分办件): the unit accepts or objects, contacts
    the proposer, and replies (lead, separate or sole) or gives its opinion to the lead (co-handler)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead unit")
        CO = "co", _("Co-handling unit")
        SEPARATE = "separate", _("Separate handling")
        SOLE = "sole", _("Sole unit")

    class Acceptance(models.TextChoices):
        NONE = "", _("—")
        ACCEPTED = "accepted", _("Accepted by the unit")
        STOOD = "stood", _("Stands: the objection window passed")
        UPHELD = "upheld", _("Upheld by the office after an objection")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("organisation.HandlingUnit", on_delete=models.PROTECT, related_name="assignments",
                             verbose_name=_("handling unit"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    status = models.CharField(_("status"), max_length=10, choices=AssignmentStatus.choices,
                              default=AssignmentStatus.ASSIGNED, db_index=True)
    round = models.PositiveSmallIntegerField(_("handling round"), default=1)
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    objection_due = models.DateField(_("objection window ends"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    acceptance = models.CharField(_("acceptance"), max_length=10, choices=Acceptance.choices, blank=True, default="")
    first_contact_due = models.DateField(_("first contact due"), null=True, blank=True)
    opinion_due = models.DateField(_("opinion to the lead unit due"), null=True, blank=True)
    reply_due = models.DateField(_("reply due"))
    hard_due = models.DateField(_("latest possible reply date"))
    objection_reason = models.TextField(_("objection"), blank=True)
    objection_at = models.DateTimeField(_("objected at"), null=True, blank=True)
    objection_decision = models.TextField(_("office decision on the objection"), blank=True)
    reminded_on = models.DateField(_("last reminder"), null=True, blank=True)
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["reply_due", "id"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            # A unit holds a proposal once; a reassignment cancels the old row first.
            models.UniqueConstraint(fields=["proposal", "unit"], condition=~Q(status="cancelled"),
                                    name="assignment_unique_active_unit"),
            models.UniqueConstraint(fields=["proposal"], condition=Q(role="lead") & ~Q(status="cancelled"),
                                    name="assignment_one_lead"),
            models.CheckConstraint(condition=Q(hard_due__gte=models.F("reply_due")), name="assignment_hard_due"),
        ]
        indexes = [models.Index(fields=["committee", "unit", "status"]),
                   models.Index(fields=["committee", "reply_due"])]

    def __str__(self) -> str:
        return f"{self.proposal} → {self.unit}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ASSIGNMENT

    @property
    def replies_to_proposer(self) -> bool:
        """Lead, separate and sole units reply; a co-handler only gives its opinion to the lead."""
        return self.role != self.Role.CO

    def due_for_now(self, today: dt.date | None = None) -> dt.date | None:
        """The date the unit must act by next."""
        if self.status == AssignmentStatus.ASSIGNED:
            return self.objection_due
        if self.status == AssignmentStatus.HANDLING:
            if self.role != self.Role.CO:
                return self.reply_due
            # A co-handler that gave its opinion this round owes nothing more until the lead replies.
            return None if any(o.round == self.round for o in self.opinions.all()) else self.opinion_due
        return None

    def is_overdue(self, today: dt.date | None = None) -> bool:
        due = self.due_for_now()
        return self.status == AssignmentStatus.HANDLING and due is not None and due < (today or timezone.localdate())


class ContactRecord(models.Model):
    """A contact with the proposer (办前面商, 办中沟通): at least one before the reply."""

    class Method(models.TextChoices):
        MEETING = "meeting", _("Face-to-face meeting")
        PHONE = "phone", _("Telephone")
        VISIT = "visit", _("Site visit")
        FORUM = "forum", _("Forum")
        LETTER = "letter", _("Letter or message")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="contacts")
    happened_on = models.DateField(_("date"))
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    participants = models.CharField(_("participants"), max_length=200, blank=True)
    summary = models.TextField(_("summary"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["happened_on", "id"]
        verbose_name = _("contact record")
        verbose_name_plural = _("contact records")

    def __str__(self) -> str:
        return f"{self.happened_on} {self.get_method_display()}"

    @property
    def is_face_to_face(self) -> bool:
        return self.method in (self.Method.MEETING, self.Method.VISIT, self.Method.FORUM)


class CohandlerOpinion(models.Model):
    """A co-handling unit's written opinion to the lead unit; it never replies to the proposer itself."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="opinions")
    round = models.PositiveSmallIntegerField(default=1)
    body = models.TextField(_("opinion"))
    submitted_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("co-handler opinion")
        verbose_name_plural = _("co-handler opinions")
        constraints = [models.UniqueConstraint(fields=["assignment", "round"], name="opinion_one_per_round")]

    def __str__(self) -> str:
        return f"{self.assignment} #{self.round}"


def _reply_upload(instance: Reply, filename: str) -> str:
    return f"replies/{instance.assignment.committee_id}/{instance.assignment_id}/{filename}"


class Reply(models.Model):
    """答复函: drafted by the lead (or separate/sole) unit, co-signed by co-handlers, reviewed by the
    supervising office, then sent to every proposer."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="replies")
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=ReplyStatus.choices, default=ReplyStatus.DRAFT)
    document_number = models.CharField(_("document number"), max_length=40, blank=True)
    signatory = models.CharField(_("signed by"), max_length=30, blank=True)
    result_class = models.CharField(_("result class"), max_length=4, blank=True)
    body = models.TextField(_("reply"), blank=True)
    contact_person = models.CharField(_("contact person"), max_length=30, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    cc = models.CharField(_("copied to"), max_length=200, blank=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    review_due = models.DateField(_("review due"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    review_note = models.TextField(_("review note"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    evaluation_due = models.DateField(_("evaluation due"), null=True, blank=True)
    signed_letter = models.FileField(_("signed letter (PDF)"), upload_to=_reply_upload, blank=True)
    public_summary = models.TextField(_("public summary"), blank=True)

    class Meta:
        ordering = ["assignment", "round"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        constraints = [models.UniqueConstraint(fields=["assignment", "round"], name="reply_one_per_round")]

    def __str__(self) -> str:
        return f"{self.assignment.proposal} · {self.assignment.unit} #{self.round}"


class ReplyCosign(models.Model):
    """A co-handler's 会签 of the lead unit's reply."""

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="cosigns")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="cosigns")
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("co-signature")
        verbose_name_plural = _("co-signatures")
        constraints = [models.UniqueConstraint(fields=["reply", "assignment"], name="cosign_unique")]

    def __str__(self) -> str:
        return f"{self.assignment.unit} · {self.reply_id}"


class Evaluation(models.Model):
    """A proposer's evaluation of one reply (意见反馈表); entered by staff from a paper form when marked so."""

    class Result(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        BASICALLY = "basically", _("Basically satisfied")
        DISSATISFIED = "dissatisfied", _("Dissatisfied")

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online, by the proposer")
        PAPER = "paper", _("Paper form entered by staff")

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="evaluations")
    member = models.ForeignKey("organisation.Member", on_delete=models.PROTECT, related_name="evaluations")
    result = models.CharField(_("overall"), max_length=12, choices=Result.choices)
    attitude = models.CharField(_("handling attitude"), max_length=12, choices=Result.choices, blank=True)
    effect = models.CharField(_("actual effect"), max_length=12, choices=Result.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.ONLINE)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [models.UniqueConstraint(fields=["reply", "member"], name="evaluation_one_per_member")]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_result_display()}"


class Extension(models.Model):
    """A unit's request, made before the due date, to reply later; never beyond the hard maximum."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extensions")
    reason = models.TextField(_("reason"))
    requested_due = models.DateField(_("requested new due date"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [models.UniqueConstraint(fields=["assignment"], condition=Q(status="pending"),
                                               name="extension_one_pending")]

    def __str__(self) -> str:
        return f"{self.assignment} → {self.requested_due}"


class KeyProposal(CommitteeOwned):
    """重点提案: shortlisted, selected by the chairman's meeting, supervised by leaders, reported on."""

    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        SELECTED = "selected", _("Selected by the chairman's meeting")
        PLANNED = "planned", _("Supervision planned")
        SUPERVISING = "supervising", _("Under supervision")
        REPORTED = "reported", _("Reported")
        DROPPED = "dropped", _("Not selected")

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="key")
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.CANDIDATE)
    reason = models.TextField(_("why it is proposed"), blank=True)
    selected_on = models.DateField(_("selected on"), null=True, blank=True)
    leaders = models.ManyToManyField("organisation.Leader", blank=True, related_name="key_proposals",
                                     verbose_name=_("supervising leaders"))
    supervising_office = models.ForeignKey("organisation.Office", on_delete=models.SET_NULL, null=True, blank=True,
                                           related_name="+", verbose_name=_("supervising office"))
    plan = models.TextField(_("supervision plan"), blank=True)
    report = models.TextField(_("supervision report"), blank=True)
    reported_on = models.DateField(_("reported on"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = _("key proposal")
        verbose_name_plural = _("key proposals")

    def __str__(self) -> str:
        return str(self.proposal)


class SupervisionActivity(models.Model):
    class Kind(models.TextChoices):
        FORUM = "forum", _("Forum")
        RESEARCH = "research", _("Research")
        INSPECTION = "inspection", _("Inspection")
        MEETING = "meeting", _("Handling consultation meeting")

    key_proposal = models.ForeignKey(KeyProposal, on_delete=models.CASCADE, related_name="activities")
    happened_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    summary = models.TextField(_("summary"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["happened_on", "id"]
        verbose_name = _("supervision activity")
        verbose_name_plural = _("supervision activities")

    def __str__(self) -> str:
        return f"{self.happened_on} {self.get_kind_display()}"


class ExcellentProposal(CommitteeOwned):
    """优秀提案: nominated, then selected by the chairman's meeting."""

    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        SELECTED = "selected", _("Selected")
        DROPPED = "dropped", _("Not selected")

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="excellence")
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CANDIDATE)
    reason = models.TextField(_("why it is nominated"), blank=True)
    selected_on = models.DateField(_("selected on"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = _("excellent proposal")
        verbose_name_plural = _("excellent proposals")

    def __str__(self) -> str:
        return str(self.proposal)
