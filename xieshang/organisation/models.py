"""A committee's organisation: the tenant itself, its terms and plenary sessions, sectors, special
committees, members, party organisation, offices, leaders, handling units, and who holds which role.

Field lists follow §1.1 of the domain specification (shared/reference/cppcc-rules.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieshang.core.models import CommitteeOwned, TimeStampedModel


class Committee(TimeStampedModel):
    """One CPPCC committee (政协XX县委员会): the tenant every other record belongs to."""

    class Level(models.TextChoices):
        COUNTY = "county", _("County")
        CITY = "city", _("City")
        PROVINCE = "province", _("Province")
        NATIONAL = "national", _("National")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.COUNTY)
    # A higher committee guides a lower one; it does not lead it, so the link grants no access by itself.
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("parent committee"),
    )
    region_code = models.CharField(_("region code"), max_length=12, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("committee")
        verbose_name_plural = _("committees")

    def __str__(self) -> str:
        return self.name


class Term(CommitteeOwned):
    """届: five years from one plenary to the next election."""

    ordinal = models.PositiveSmallIntegerField(_("ordinal"))
    name = models.CharField(_("name"), max_length=30)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    is_current = models.BooleanField(_("current"), default=False)

    class Meta:
        ordering = ["committee", "-ordinal"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        constraints = [
            models.UniqueConstraint(fields=["committee", "ordinal"], name="term_unique_ordinal"),
            models.UniqueConstraint(
                fields=["committee"], condition=Q(is_current=True), name="term_one_current"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PlenarySession(CommitteeOwned):
    """第N次会议 of a term. Proposals submitted inside [proposal_window_start, proposal_deadline] are
    session proposals (大会提案); all others are regular ones (平时提案)."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("term"))
    ordinal = models.PositiveSmallIntegerField(_("ordinal"))
    name = models.CharField(_("name"), max_length=60)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    proposal_window_start = models.DateField(_("session-proposal window opens"))
    proposal_deadline = models.DateTimeField(_("proposal deadline"))

    class Meta:
        ordering = ["committee", "-opens_on"]
        verbose_name = _("plenary session")
        verbose_name_plural = _("plenary sessions")
        constraints = [
            models.UniqueConstraint(fields=["term", "ordinal"], name="session_unique_ordinal"),
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="session_dates"),
            models.CheckConstraint(
                condition=Q(proposal_window_start__lte=models.F("opens_on")), name="session_window_before"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.term.name}{self.name}"


class Sector(CommitteeOwned):
    """界别. The 23 standard sectors are seeded per committee and may then be edited."""

    class Category(models.TextChoices):
        PARTY = "party", _("Political party")
        PEOPLES_ORG = "peoples_org", _("People's organisation")
        SOCIAL = "social", _("Social sector")
        SPECIALLY_INVITED = "specially_invited", _("Specially invited")

    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=40)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    convener = models.ForeignKey(
        "Member", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("convener"),
    )

    class Meta:
        ordering = ["committee", "order", "id"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="sector_unique_name"),
            models.UniqueConstraint(fields=["committee", "code"], name="sector_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name


class Office(CommitteeOwned):
    """A staff or supervising office: 办公室, 提案委, 信息中心, 县委/县政府督查室."""

    class Kind(models.TextChoices):
        GENERAL_OFFICE = "general_office", _("General office")
        PROPOSAL_OFFICE = "proposal_office", _("Proposal committee office")
        INFORMATION_CENTRE = "information_centre", _("Information centre")
        PARTY_SUPERVISION = "party_supervision", _("Party committee supervision office")
        GOVERNMENT_SUPERVISION = "government_supervision", _("Government supervision office")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=60)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        ordering = ["committee", "kind", "id"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        constraints = [models.UniqueConstraint(fields=["committee", "name"], name="office_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_supervising(self) -> bool:
        return self.kind in (self.Kind.PARTY_SUPERVISION, self.Kind.GOVERNMENT_SUPERVISION)


class SpecialCommittee(CommitteeOwned):
    """专门委员会 (专委会), each linked to the sectors it liaises with."""

    name = models.CharField(_("name"), max_length=60)
    short_name = models.CharField(_("short name"), max_length=20, blank=True)
    duties = models.TextField(_("duties"), blank=True)
    sectors = models.ManyToManyField(Sector, blank=True, related_name="special_committees",
                                     verbose_name=_("linked sectors"))
    staff_office = models.ForeignKey(Office, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="special_committees", verbose_name=_("staff office"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["committee", "order", "id"]
        verbose_name = _("special committee")
        verbose_name_plural = _("special committees")
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="specialcommittee_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class ActivityGroup(CommitteeOwned):
    """委员活动小组, 委员工作站 or 委员工作室: where members meet between sessions."""

    class Kind(models.TextChoices):
        ACTIVITY_GROUP = "activity_group", _("Activity group")
        WORK_STATION = "work_station", _("Work station")
        STUDIO = "studio", _("Member studio")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=60)
    lead = models.ForeignKey("Member", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("lead member"))

    class Meta:
        ordering = ["committee", "kind", "id"]
        verbose_name = _("activity group")
        verbose_name_plural = _("activity groups")
        constraints = [models.UniqueConstraint(fields=["committee", "name"], name="activitygroup_unique_name")]

    def __str__(self) -> str:
        return self.name


class Party(models.TextChoices):
    """Political affiliation as recorded in a member's file."""

    CPC = "cpc", _("CPC")
    RCCK = "rcck", _("RCCK")  # 民革
    CDL = "cdl", _("CDL")  # 民盟
    CDNCA = "cdnca", _("CDNCA")  # 民建
    CAPD = "capd", _("CAPD")  # 民进
    CPWDP = "cpwdp", _("CPWDP")  # 农工党
    CZGP = "czgp", _("CZGP")  # 致公党
    JS = "js", _("Jiusan Society")  # 九三学社
    TDSGL = "tdsgl", _("TDSGL")  # 台盟
    NON_PARTY = "non_party", _("Non-party personage")  # 无党派人士
    MASSES = "masses", _("No party affiliation")  # 群众


class Member(CommitteeOwned, TimeStampedModel):
    """委员: one file per person (一人一档)."""

    class Gender(models.TextChoices):
        MALE = "m", _("Male")
        FEMALE = "f", _("Female")

    class LeadershipRole(models.TextChoices):
        NONE = "", _("None")
        CHAIRMAN = "chairman", _("Chairman")
        VICE_CHAIRMAN = "vice_chairman", _("Vice-chairman")
        SECRETARY_GENERAL = "secretary_general", _("Secretary-general")

    name = models.CharField(_("name"), max_length=30)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    party = models.CharField(_("party affiliation"), max_length=12, choices=Party.choices)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="members", verbose_name=_("sector"))
    work_unit = models.CharField(_("work unit"), max_length=100, blank=True)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_standing = models.BooleanField(_("standing committee member"), default=False)
    leadership_role = models.CharField(_("leadership role"), max_length=20, choices=LeadershipRole.choices,
                                       blank=True, default="")
    activity_group = models.ForeignKey(ActivityGroup, on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="members", verbose_name=_("activity group"))
    special_committees = models.ManyToManyField(
        SpecialCommittee, through="SpecialCommitteeMembership", blank=True, related_name="members",
        verbose_name=_("special committees"),
    )

    class Meta:
        ordering = ["committee", "sector__order", "id"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        indexes = [models.Index(fields=["committee", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_cpc(self) -> bool:
        return self.party == Party.CPC


class MemberTerm(models.Model):
    """A member's standing in one term: appointed by the standing committee's decision, then serving,
    resigned, removed or not reappointed."""

    class Status(models.TextChoices):
        SERVING = "serving", _("Serving")
        RESIGNED = "resigned", _("Resigned")
        REVOKED = "revoked", _("Membership revoked")
        NOT_REAPPOINTED = "not_reappointed", _("Not reappointed")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="terms", verbose_name=_("member"))
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="member_terms", verbose_name=_("term"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SERVING)
    appointed_on = models.DateField(_("appointed on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    appointment_record = models.CharField(_("appointment record"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("member term")
        verbose_name_plural = _("member terms")
        constraints = [models.UniqueConstraint(fields=["member", "term"], name="memberterm_unique")]

    def __str__(self) -> str:
        return f"{self.member} {self.term}"


class SpecialCommitteeMembership(models.Model):
    class Role(models.TextChoices):
        DIRECTOR = "director", _("Director")
        DEPUTY = "deputy", _("Deputy director")
        MEMBER = "member", _("Member")

    special_committee = models.ForeignKey(SpecialCommittee, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="special_committee_memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("special committee membership")
        verbose_name_plural = _("special committee memberships")
        constraints = [
            models.UniqueConstraint(fields=["special_committee", "member"], name="scmembership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.special_committee}"


class PartyOrganisation(CommitteeOwned):
    """The party group (党组) and the functional (功能型) and sector (界别) party branches."""

    class Kind(models.TextChoices):
        PARTY_GROUP = "party_group", _("Party group")
        FUNCTIONAL_BRANCH = "functional_branch", _("Functional party branch")
        SECTOR_BRANCH = "sector_branch", _("Sector party branch")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=60)
    special_committee = models.ForeignKey(SpecialCommittee, on_delete=models.SET_NULL, null=True, blank=True,
                                          related_name="+", verbose_name=_("special committee"))
    sector = models.ForeignKey(Sector, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("sector"))
    members = models.ManyToManyField(Member, through="PartyOrganisationMembership", related_name="party_organisations")

    class Meta:
        ordering = ["committee", "kind", "id"]
        verbose_name = _("party organisation")
        verbose_name_plural = _("party organisations")
        constraints = [models.UniqueConstraint(fields=["committee", "name"], name="partyorg_unique_name")]

    def __str__(self) -> str:
        return self.name


class PartyOrganisationMembership(models.Model):
    class Role(models.TextChoices):
        SECRETARY = "secretary", _("Secretary")
        MEMBER = "member", pgettext_lazy("party organisation", "Member")

    organisation = models.ForeignKey(PartyOrganisation, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="party_memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("party organisation membership")
        verbose_name_plural = _("party organisation memberships")
        constraints = [models.UniqueConstraint(fields=["organisation", "member"], name="partyorgmembership_unique")]

    def __str__(self) -> str:
        return f"{self.member} · {self.organisation}"


class PartyContactPair(CommitteeOwned):
    """A party-member member who keeps in contact with a non-party member (党员委员联系党外委员)."""

    party_member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="contacts_made",
                                     verbose_name=_("party-member member"))
    non_party_member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="contacts_received",
                                         verbose_name=_("non-party member"))

    class Meta:
        verbose_name = _("contact pairing")
        verbose_name_plural = _("contact pairings")
        constraints = [
            models.UniqueConstraint(fields=["party_member", "non_party_member"], name="contactpair_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.party_member} → {self.non_party_member}"


class Leader(CommitteeOwned):
    """A party or government leader whose instructions (批示) the committee tracks."""

    class Organ(models.TextChoices):
        PARTY_COMMITTEE = "party_committee", _("Party committee")
        GOVERNMENT = "government", _("Government")
        PEOPLES_CONGRESS = "peoples_congress", _("People's congress")
        CPPCC = "cppcc", _("CPPCC")

    name = models.CharField(_("name"), max_length=30)
    title = models.CharField(_("position"), max_length=60)
    organ = models.CharField(_("organ"), max_length=20, choices=Organ.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["committee", "order", "id"]
        verbose_name = _("leader")
        verbose_name_plural = _("leaders")

    def __str__(self) -> str:
        return f"{self.title} {self.name}"


class HandlingUnit(CommitteeOwned, TimeStampedModel):
    """承办单位: a department, court, procuratorate, people's organisation or township that must answer
    the committee. Replies must come from the unit itself."""

    class Kind(models.TextChoices):
        PARTY_DEPT = "party_dept", _("Party department")
        GOVERNMENT_DEPT = "government_dept", _("Government department")
        COURT = "court", _("Court")
        PROCURATORATE = "procuratorate", _("Procuratorate")
        PEOPLES_ORG = "peoples_org", _("People's organisation")
        TOWNSHIP = "township", _("Township")
        ENTERPRISE = "enterprise", _("State enterprise or institution")

    name = models.CharField(_("name"), max_length=60)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    duties = models.TextField(_("duties"), blank=True, help_text=_("Used to suggest units for proposals."))
    principal = models.CharField(_("principal"), max_length=30, blank=True)
    responsible_leader = models.ForeignKey(Leader, on_delete=models.SET_NULL, null=True, blank=True,
                                           related_name="units", verbose_name=_("responsible leader"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["committee", "kind", "name"]
        verbose_name = _("handling unit")
        verbose_name_plural = _("handling units")
        constraints = [models.UniqueConstraint(fields=["committee", "name"], name="unit_unique_name")]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """The roles a person may hold in a committee; one person may hold several."""

    COMMITTEE_ADMIN = "committee_admin", _("Committee administrator")
    OFFICE_STAFF = "office_staff", _("Office staff")
    PROPOSAL_STAFF = "proposal_staff", _("Proposal committee staff")
    INFO_STAFF = "info_staff", _("Information centre staff")
    COMMITTEE_DIRECTOR = "committee_director", _("Special committee director")
    MEMBER = "member", _("Member")
    UNIT_LIAISON = "unit_liaison", _("Handling unit liaison")
    UNIT_LEADER = "unit_leader", _("Handling unit leader")
    SUPERVISOR = "supervisor", _("Supervising office")
    LEADER = "leader", _("Party or government leader")


# Which scope each role needs: the single source for the check constraint and the service.
ROLE_SCOPE: dict[str, str | None] = {
    Role.COMMITTEE_ADMIN: None,
    Role.OFFICE_STAFF: None,
    Role.PROPOSAL_STAFF: None,
    Role.INFO_STAFF: None,
    Role.COMMITTEE_DIRECTOR: "special_committee",
    Role.MEMBER: "member",
    Role.UNIT_LIAISON: "handling_unit",
    Role.UNIT_LEADER: "handling_unit",
    Role.SUPERVISOR: "office",
    Role.LEADER: "leader",
}
SCOPE_FIELDS = ("member", "special_committee", "handling_unit", "office", "leader")


def _scope_condition(role: str, scope: str | None) -> Q:
    """role=X implies exactly its own scope field is set."""
    q = Q()
    for field in SCOPE_FIELDS:
        q &= Q(**{f"{field}__isnull": field != scope})
    return ~Q(role=role) | q


class RoleAssignment(CommitteeOwned):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    member = models.ForeignKey(Member, on_delete=models.CASCADE, null=True, blank=True, related_name="accounts")
    special_committee = models.ForeignKey(SpecialCommittee, on_delete=models.CASCADE, null=True, blank=True,
                                          related_name="+")
    handling_unit = models.ForeignKey(HandlingUnit, on_delete=models.CASCADE, null=True, blank=True,
                                      related_name="accounts")
    office = models.ForeignKey(Office, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    leader = models.ForeignKey(Leader, on_delete=models.CASCADE, null=True, blank=True, related_name="accounts")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            *(
                models.CheckConstraint(condition=_scope_condition(role, scope), name=f"role_scope_{role}")
                for role, scope in ROLE_SCOPE.items()
            ),
            models.UniqueConstraint(
                fields=["user", "role"], condition=Q(member__isnull=True, special_committee__isnull=True,
                                                     handling_unit__isnull=True, office__isnull=True,
                                                     leader__isnull=True),
                name="role_unique_unscoped",
            ),
            models.UniqueConstraint(fields=["user", "role", "special_committee"], name="role_unique_sc"),
            models.UniqueConstraint(fields=["user", "role", "handling_unit"], name="role_unique_unit"),
            models.UniqueConstraint(fields=["user", "role", "office"], name="role_unique_office"),
            # One account per member and per leader: their acts must be attributable.
            models.UniqueConstraint(fields=["member"], name="role_one_account_per_member"),
            models.UniqueConstraint(fields=["leader"], name="role_one_account_per_leader"),
        ]

    def __str__(self) -> str:
        scope = next((getattr(self, f) for f in SCOPE_FIELDS if getattr(self, f"{f}_id")), None)
        label = self.get_role_display()
        return f"{label} · {scope}" if scope else str(label)


class ImportBatch(CommitteeOwned):
    """One uploaded Excel file of members or handling units, checked row by row before anything is
    written. The file is kept so that the rows can be checked again when the batch is applied and so
    that the error report can show them as they were uploaded."""

    class Kind(models.TextChoices):
        MEMBERS = "members", _("Members")
        UNITS = "units", _("Handling units")
        # Past proposals with their units and reply classes (xieshang/proposals/history_import.py).
        PROPOSALS = "proposals", _("Past proposals")

    class Status(models.TextChoices):
        VALIDATED = "validated", _("Checked, not yet imported")
        IMPORTED = "imported", _("Imported")
        DISCARDED = "discarded", _("Discarded")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_filename = models.CharField(_("original file name"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.VALIDATED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    valid_rows = models.PositiveIntegerField(_("valid rows"), default=0)
    # [{"row": 5, "column": "手机", "message": "…"}], row being the spreadsheet's own row number.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # Header cells that matched no known column: shown so that a misnamed column is not lost silently.
    ignored_columns = models.JSONField(_("ignored columns"), default=list, blank=True)
    imported_rows = models.PositiveIntegerField(_("imported rows"), default=0)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        ordering = ["committee", "-created_at", "-id"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        indexes = [models.Index(fields=["committee", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.original_filename}"

    @property
    def error_rows(self) -> int:
        return self.total_rows - self.valid_rows
