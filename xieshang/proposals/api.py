"""The proposals API under /api/v1/proposals/: the list, a proposal's detail, drafting, and one endpoint per
transition of the proposal, of an assignment, of an extension request and of a reply.

Every view fetches its object through a selector first (another committee's id, or one this user may not
see, is 404 before the body is even read), validates the shape of the input, and calls the same service as
the pages. The services decide who may do what: their refusals come back as 400 (the rules), 403
(``permission_denied``) or 409 (someone else acted first), see xieshang/core/api.py."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xieshang.core.api import Pagination
from xieshang.core.errors import DomainError
from xieshang.ledger.selectors import events_for_object
from xieshang.organisation import selectors as org_selectors
from xieshang.organisation.models import HandlingUnit, Member
from xieshang.proposals import selectors, services
from xieshang.proposals.models import (
    Assignment,
    ContactRecord,
    Evaluation,
    Extension,
    Proposal,
    Reply,
    ReplyCosign,
)
from xieshang.proposals.permissions import is_proposer
from xieshang.proposals.workflow import AssignmentStatus, ReplyStatus

# --------------------------------------------------------------------------------------------------------
# Who sees what of a proposal's handling (the detail, and the reply lookup, share these rules)
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Viewer:
    """What one user may see of one proposal's handling: every reply and evaluation for staff; a unit sees
    its own assignment's replies in any state (and the lead's reply it must co-sign); proposers see sent
    replies and the evaluations; anyone else who may read the proposal sees neither."""

    sees_all: bool
    units: frozenset[int]
    proposer: bool
    on_proposal: bool  # the user's unit holds an assignment of this proposal
    leads: bool  # ... and that assignment is the lead one

    @classmethod
    def of(cls, user: Any, proposal: Proposal, assignments: Iterable[Assignment]) -> Viewer:
        units = frozenset(selectors.unit_ids(user))
        held = [a for a in assignments if a.unit_id in units and a.status != AssignmentStatus.CANCELLED]
        return cls(sees_all=user.has_role(*selectors.SEES_ALL), units=units,
                   proposer=bool(is_proposer(user, proposal)), on_proposal=bool(held),
                   leads=any(a.role == Assignment.Role.LEAD for a in held))

    def sees_reply(self, reply: Reply, assignment: Assignment) -> bool:
        if self.sees_all or assignment.unit_id in self.units:
            return True
        if any(c.assignment.unit_id in self.units for c in reply.cosigns.all()):
            return True  # a co-handler reads the reply it co-signs
        return reply.status == ReplyStatus.SENT and (self.proposer or self.on_proposal)

    def sees_internals(self, assignment: Assignment) -> bool:
        """Contacts and extension requests: the unit's own working file."""
        return self.sees_all or assignment.unit_id in self.units

    def sees_opinions(self, assignment: Assignment) -> bool:
        """A co-handler's opinion goes to the lead unit."""
        return self.sees_internals(assignment) or (assignment.role == Assignment.Role.CO and self.leads)

    @property
    def sees_evaluations(self) -> bool:
        return self.sees_all or self.proposer


def _cosigns() -> Prefetch:
    return Prefetch("cosigns", queryset=ReplyCosign.objects.select_related("assignment__unit"))


def reply_get_for_user(*, user: Any, reply_id: int) -> tuple[Reply, Viewer]:
    """A reply this user may see (see ``Viewer``), with what they may see of it; otherwise 404."""
    visible = selectors.visible_proposals(user)  # 404 for anyone without a role in a committee
    try:
        reply = Reply.objects.select_related("assignment__proposal", "assignment__unit").prefetch_related(
            _cosigns()).get(pk=reply_id, assignment__committee_id=user.committee_id,
                            assignment__proposal__in=visible)
    except Reply.DoesNotExist as exc:
        raise Http404 from exc
    proposal = reply.assignment.proposal
    viewer = Viewer.of(user, proposal, proposal.assignments.all())
    if not viewer.sees_reply(reply, reply.assignment):
        raise Http404
    return reply, viewer


def extension_get_for_user(*, user: Any, extension_id: int) -> Extension:
    """An extension request is reachable when its assignment is."""
    try:
        extension = Extension.objects.get(pk=extension_id, assignment__committee_id=user.committee_id)
    except Extension.DoesNotExist as exc:
        raise Http404 from exc
    extension.assignment = selectors.assignment_get_for_user(user=user, assignment_id=extension.assignment_id)
    return extension


# --------------------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------------------
# Codes (status, role, kind …) are plain strings with a *_label beside them: the same field names carry
# different choice sets across the API, which drf-spectacular cannot name without warnings.


class NamedRefOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ProposalRefOutput(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField(help_text="第N号 once filed, else empty.")
    title = serializers.CharField()


class ErrorOutput(serializers.Serializer):
    detail = serializers.CharField(help_text="The message for the user, in the request's language.")
    code = serializers.CharField(required=False, help_text="invalid, incomplete, transition_not_allowed, "
                                 "deadline_passed, permission_denied, concurrent_change …")


class ProposerOutput(serializers.Serializer):
    member = NamedRefOutput()
    order = serializers.IntegerField()
    is_lead = serializers.BooleanField()
    status = serializers.CharField(help_text="invited, signed, declined, expired")
    status_label = serializers.CharField(source="get_status_display")
    invited_at = serializers.DateTimeField()
    due = serializers.DateField(allow_null=True, help_text="Sign by this date or the invitation lapses.")
    signed_at = serializers.DateTimeField(allow_null=True)


class EventOutput(serializers.Serializer):
    id = serializers.IntegerField()
    verb = serializers.CharField()
    actor = serializers.CharField(allow_null=True, help_text="Empty for the system's own acts.")
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    note = serializers.CharField()
    created_at = serializers.DateTimeField()


class EvaluationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    member = NamedRefOutput()
    result = serializers.CharField(help_text="satisfied, basically, dissatisfied")
    result_label = serializers.CharField(source="get_result_display")
    attitude = serializers.CharField()
    effect = serializers.CharField()
    comment = serializers.CharField()
    channel = serializers.CharField(help_text="online, or paper (entered by staff)")
    created_at = serializers.DateTimeField()


class CosignOutput(serializers.Serializer):
    unit = NamedRefOutput(source="assignment.unit")
    assignment = serializers.IntegerField(source="assignment_id")
    signed_at = serializers.DateTimeField(allow_null=True)
    note = serializers.CharField()


class ReplyOutput(serializers.Serializer):
    id = serializers.IntegerField()
    assignment = serializers.IntegerField(source="assignment_id")
    unit = NamedRefOutput(source="assignment.unit")
    round = serializers.IntegerField()
    status = serializers.CharField(help_text="draft, cosigning, in_review, returned, sent")
    status_label = serializers.CharField(source="get_status_display")
    document_number = serializers.CharField()
    signatory = serializers.CharField()
    result_class = serializers.CharField()
    body = serializers.CharField()
    contact_person = serializers.CharField()
    contact_phone = serializers.CharField()
    cc = serializers.CharField()
    public_summary = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    review_due = serializers.DateField(allow_null=True)
    review_note = serializers.CharField()
    sent_at = serializers.DateTimeField(allow_null=True)
    evaluation_due = serializers.DateField(allow_null=True)
    has_signed_letter = serializers.SerializerMethodField()
    cosigns = CosignOutput(many=True, source="cosigns.all")
    evaluations = serializers.SerializerMethodField(help_text="Null when this user may not see them.")

    def get_has_signed_letter(self, obj: Reply) -> bool:
        return bool(obj.signed_letter)

    @extend_schema_field(EvaluationOutput(many=True, allow_null=True))
    def get_evaluations(self, obj: Reply) -> list[dict[str, Any]] | None:
        if not self.context["viewer"].sees_evaluations:
            return None
        return EvaluationOutput(obj.evaluations.all(), many=True).data


class ContactOutput(serializers.Serializer):
    id = serializers.IntegerField()
    assignment = serializers.IntegerField(source="assignment_id")
    happened_on = serializers.DateField()
    method = serializers.CharField(help_text="meeting, phone, visit, forum, letter")
    method_label = serializers.CharField(source="get_method_display")
    participants = serializers.CharField()
    summary = serializers.CharField()
    created_at = serializers.DateTimeField()


class OpinionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    assignment = serializers.IntegerField(source="assignment_id")
    round = serializers.IntegerField()
    body = serializers.CharField()
    submitted_at = serializers.DateTimeField()


class ExtensionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    assignment = serializers.IntegerField(source="assignment_id")
    reason = serializers.CharField()
    requested_due = serializers.DateField()
    requested_at = serializers.DateTimeField()
    status = serializers.CharField(help_text="pending, approved, refused")
    status_label = serializers.CharField(source="get_status_display")
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_note = serializers.CharField()


class AssignmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    proposal = ProposalRefOutput()
    unit = NamedRefOutput()
    role = serializers.CharField(help_text="lead, co, separate, sole")
    role_label = serializers.CharField(source="get_role_display")
    status = serializers.CharField(help_text="assigned, objected, handling, replied, closed, cancelled")
    status_label = serializers.CharField(source="get_status_display")
    round = serializers.IntegerField()
    assigned_at = serializers.DateTimeField()
    acceptance = serializers.CharField(help_text="accepted, stood, upheld, or empty")
    accepted_at = serializers.DateTimeField(allow_null=True)
    objection_due = serializers.DateField()
    first_contact_due = serializers.DateField(allow_null=True)
    opinion_due = serializers.DateField(allow_null=True)
    reply_due = serializers.DateField()
    hard_due = serializers.DateField()
    due_now = serializers.DateField(source="due_for_now", allow_null=True,
                                    help_text="The date the unit must act by next.")
    is_overdue = serializers.BooleanField()
    objection_reason = serializers.CharField()
    objection_decision = serializers.CharField()
    closed_at = serializers.DateTimeField(allow_null=True)


class AssignmentDossierOutput(AssignmentOutput):
    """An assignment inside a proposal's detail; each list is null when this user may not see it."""

    replies = serializers.SerializerMethodField()
    contacts = serializers.SerializerMethodField()
    opinions = serializers.SerializerMethodField()
    extensions = serializers.SerializerMethodField()

    @extend_schema_field(ReplyOutput(many=True))
    def get_replies(self, obj: Assignment) -> list[dict[str, Any]]:
        viewer: Viewer = self.context["viewer"]
        return ReplyOutput([r for r in obj.replies.all() if viewer.sees_reply(r, obj)], many=True,
                           context=self.context).data

    @extend_schema_field(ContactOutput(many=True, allow_null=True))
    def get_contacts(self, obj: Assignment) -> list[dict[str, Any]] | None:
        return ContactOutput(obj.contacts.all(), many=True).data if self.context["viewer"].sees_internals(
            obj) else None

    @extend_schema_field(OpinionOutput(many=True, allow_null=True))
    def get_opinions(self, obj: Assignment) -> list[dict[str, Any]] | None:
        return OpinionOutput(obj.opinions.all(), many=True).data if self.context["viewer"].sees_opinions(
            obj) else None

    @extend_schema_field(ExtensionOutput(many=True, allow_null=True))
    def get_extensions(self, obj: Assignment) -> list[dict[str, Any]] | None:
        return ExtensionOutput(obj.extensions.all(), many=True).data if self.context["viewer"].sees_internals(
            obj) else None


class AssignmentBriefOutput(serializers.Serializer):
    id = serializers.IntegerField()
    unit = NamedRefOutput()
    role = serializers.CharField()
    status = serializers.CharField()
    reply_due = serializers.DateField()


class ProposalBaseOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField(allow_null=True)
    reference = serializers.CharField()
    title = serializers.CharField()
    category = serializers.CharField(help_text="A code of the committee's proposal.categories rule.")
    kind = serializers.CharField(help_text="individual, joint, collective")
    status = serializers.CharField(help_text="draft, cosigning, submitted, review, returned, withdrawn, filed, "
                                   "not_filed, merged, handling, replied, rehandling, follow_up, closed")
    status_label = serializers.CharField(source="get_status_display")
    session = NamedRefOutput(allow_null=True)
    is_session_proposal = serializers.BooleanField()
    # Null on an imported past proposal whose first proposer is not in the member directory.
    lead_member = NamedRefOutput(allow_null=True)
    proposer_name = serializers.CharField(help_text="The first proposer's name; on imported history without a "
                                          "member, the proposers as the office recorded them.")
    submitted_at = serializers.DateTimeField(allow_null=True)


class ProposalListItemOutput(ProposalBaseOutput):
    assignments = AssignmentBriefOutput(many=True, source="assignments.all")


class ProposalDetailOutput(ProposalBaseOutput):
    situation = serializers.CharField()
    analysis = serializers.CharField()
    suggestions = serializers.CharField()
    collective_kind = serializers.CharField()
    collective_name = serializers.CharField()
    has_seal = serializers.BooleanField()
    review_due = serializers.DateField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    assign_due = serializers.DateField(allow_null=True)
    not_filed_ground = serializers.CharField()
    decision_reason = serializers.CharField()
    disposition = serializers.CharField()
    merged_into = serializers.IntegerField(source="merged_into_id", allow_null=True)
    merged_proposals = serializers.SerializerMethodField(help_text="Ids of the proposals merged into this one.")
    closed_at = serializers.DateTimeField(allow_null=True)
    is_public = serializers.BooleanField()
    not_for_disclosure = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    proposers = ProposerOutput(many=True, source="proposers.all")
    assignments = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField(help_text="The proposal's timeline, oldest first.")

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_merged_proposals(self, obj: Proposal) -> list[int]:
        return [p.pk for p in obj.merged_proposals.all()]

    @extend_schema_field(AssignmentDossierOutput(many=True))
    def get_assignments(self, obj: Proposal) -> list[dict[str, Any]]:
        return AssignmentDossierOutput(self.context["assignments"], many=True, context=self.context).data

    @extend_schema_field(EventOutput(many=True))
    def get_events(self, obj: Proposal) -> list[dict[str, Any]]:
        return EventOutput(self.context["events"], many=True).data


class InboxItemOutput(AssignmentOutput):
    lead_member = NamedRefOutput(source="proposal.lead_member", allow_null=True)
    contact_count = serializers.IntegerField()
    needs_cosign = serializers.BooleanField(help_text="The lead unit's reply waits for this unit's 会签.")


class ReviewQueueItemOutput(ProposalBaseOutput):
    review_due = serializers.DateField(allow_null=True)
    cosigner_count = serializers.IntegerField(help_text="Proposers, the first one included.")


class ReplyBriefOutput(serializers.Serializer):
    id = serializers.IntegerField()
    proposal = ProposalRefOutput(source="assignment.proposal")
    unit = NamedRefOutput(source="assignment.unit")
    round = serializers.IntegerField()
    status = serializers.CharField()
    review_due = serializers.DateField(allow_null=True)
    sent_at = serializers.DateTimeField(allow_null=True)
    evaluation_due = serializers.DateField(allow_null=True)
    has_evaluation = serializers.BooleanField(source="has_eval", allow_null=True, read_only=True,
                                              help_text="Whether any proposer evaluated it (evaluations only).")


class OverdueBoardOutput(serializers.Serializer):
    assignments = AssignmentOutput(many=True, help_text="Units past their reply or opinion date.")
    reviews = ReviewQueueItemOutput(many=True, help_text="Proposals past their review date.")
    unassigned = ProposalBaseOutput(many=True, help_text="Filed proposals past their assignment date.")
    replies = ReplyBriefOutput(many=True, help_text="Replies past their supervising-review date.")
    evaluations = ReplyBriefOutput(many=True, help_text="Sent replies past their evaluation date.")


# --------------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------------


class Input(serializers.Serializer):
    """Base of every view's nested input serializer. drf-spectacular names a component after its class, so
    the many nested ``InputSerializer`` classes would collide: each is named after its view instead
    (``ProposalFileApi.InputSerializer`` → ``ProposalFileInput``)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        view, _dot, inner = cls.__qualname__.rpartition(".")
        name = view.split(".")[0].removesuffix("Api") + inner.removesuffix("Serializer")
        cls.Meta = type("Meta", (), {"ref_name": name})  # type: ignore[attr-defined]


def _valid(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _pick(queryset: QuerySet[Any], ids: list[int], field: str) -> list[Any]:
    """The objects with these ids, in that order, out of a selector's queryset; an unknown id is invalid."""
    found = {obj.pk: obj for obj in queryset.filter(pk__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationError({field: [_("Not found: %(ids)s") % {"ids": ", ".join(map(str, missing))}]})
    return [found[i] for i in ids]


def _units(user: Any, ids: list[int], field: str) -> list[HandlingUnit]:
    # Inactive units too: the service explains why it refuses one.
    return _pick(org_selectors.unit_list_for_user(user=user, active_only=False), ids, field)


def _members(user: Any, ids: list[int], field: str) -> list[Member]:
    # Not only the serving ones: the service explains why it refuses one.
    return _pick(org_selectors.member_list_for_user(user=user, serving_only=False), ids, field)


def _paginated(view: APIView, request: Request, queryset: QuerySet[Any], output: type[serializers.Serializer]
               ) -> Response:
    paginator = Pagination()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(output(page, many=True).data)


def _proposal_data(user: Any, proposal_id: int) -> dict[str, Any]:
    """The proposal as this user now sees it, re-read after a change."""
    proposal = selectors.proposal_get_for_user(user=user, proposal_id=proposal_id)
    assignments = selectors.proposal_dossier(proposal)
    context = {"viewer": Viewer.of(user, proposal, assignments), "assignments": assignments,
               "events": events_for_object(committee_id=proposal.committee_id, target=proposal)}
    return ProposalDetailOutput(proposal, context=context).data


def _proposal_response(request: Request, proposal_id: int, code: int = status.HTTP_200_OK) -> Response:
    return Response(_proposal_data(request.user, proposal_id), status=code)


def _assignment_response(request: Request, assignment_id: int) -> Response:
    assignment = selectors.assignment_get_for_user(user=request.user, assignment_id=assignment_id)
    return Response(AssignmentOutput(assignment).data)


def _reply_response(request: Request, reply_id: int) -> Response:
    reply, viewer = reply_get_for_user(user=request.user, reply_id=reply_id)
    return Response(ReplyOutput(reply, context={"viewer": viewer}).data)


def _created(output: type[serializers.Serializer], obj: Model) -> Response:
    return Response(output(obj).data, status=status.HTTP_201_CREATED)


def _current_reply(assignment: Assignment) -> Reply:
    reply = assignment.replies.filter(round=assignment.round).first()
    if reply is None:
        raise DomainError(_("Draft the reply first."))
    return reply


ERRORS: dict[int, Any] = {
    400: OpenApiResponse(ErrorOutput, description="Refused by the rules ({detail, code}), or malformed input "
                         "({field: [messages]})."),
    403: OpenApiResponse(ErrorOutput, description="This user may not do this (code permission_denied)."),
    404: OpenApiResponse(ErrorOutput, description="Not found, or not visible to this user (another committee's)."),
    409: OpenApiResponse(ErrorOutput, description="Someone else acted first (code concurrent_change)."),
}


def _responses(ok: Any, code: int = 200) -> dict[int, Any]:
    return {code: ok, **ERRORS}


# --------------------------------------------------------------------------------------------------------
# Proposals: list, create, detail, edit
# --------------------------------------------------------------------------------------------------------


class ProposalListCreateApi(APIView):
    pagination_class = Pagination  # read by the schema generator, which then documents the page envelope

    class FilterSerializer(Input):
        q = serializers.CharField(required=False, allow_blank=True, max_length=50,
                                  help_text="In the title, the suggestions or the first proposer's name.")
        session = serializers.IntegerField(required=False)
        status = serializers.CharField(required=False, allow_blank=True, max_length=12)
        category = serializers.CharField(required=False, allow_blank=True, max_length=30)
        unit = serializers.IntegerField(required=False, help_text="Assigned to this handling unit.")
        kind = serializers.CharField(required=False, allow_blank=True, max_length=12)
        mine = serializers.BooleanField(required=False, default=False, help_text="Only my own proposals.")
        overdue = serializers.BooleanField(required=False, default=False,
                                           help_text="Only those with a unit past its reply date.")

    class InputSerializer(Input):
        title = serializers.CharField(allow_blank=True, help_text="案由, at most 120 characters.")
        category = serializers.CharField(required=False, allow_blank=True)
        situation = serializers.CharField(required=False, allow_blank=True)
        analysis = serializers.CharField(required=False, allow_blank=True)
        suggestions = serializers.CharField(required=False, allow_blank=True)
        kind = serializers.CharField(required=False, help_text="individual, joint, collective")
        collective_kind = serializers.CharField(required=False, allow_blank=True,
                                                help_text="party, peoples_org, sector, special_committee, "
                                                "member_group (collective proposals)")
        collective_name = serializers.CharField(required=False, allow_blank=True)
        has_seal = serializers.BooleanField(required=False)

    @extend_schema(operation_id="proposal_list", summary="List the proposals this user may see",
                   parameters=[FilterSerializer], responses=ProposalListItemOutput(many=True))
    def get(self, request: Request) -> Response:
        filters = selectors.ProposalFilters(**_valid(self.FilterSerializer, request.query_params))
        return _paginated(self, request, selectors.proposal_list_for_user(user=request.user, filters=filters),
                          ProposalListItemOutput)

    @extend_schema(operation_id="proposal_create", summary="Draft a new proposal (the caller is its first "
                   "proposer)", request=InputSerializer, responses=_responses(ProposalDetailOutput, 201))
    def post(self, request: Request) -> Response:
        data = _valid(self.InputSerializer, request.data)
        proposal = services.proposal_create(actor=request.user, **data)
        return _proposal_response(request, proposal.pk, status.HTTP_201_CREATED)


class ProposalDetailApi(APIView):
    class InputSerializer(Input):
        title = serializers.CharField(required=False, allow_blank=True)
        category = serializers.CharField(required=False, allow_blank=True)
        situation = serializers.CharField(required=False, allow_blank=True)
        analysis = serializers.CharField(required=False, allow_blank=True)
        suggestions = serializers.CharField(required=False, allow_blank=True)
        kind = serializers.CharField(required=False, help_text="individual, joint, collective")
        collective_kind = serializers.CharField(required=False, allow_blank=True)
        collective_name = serializers.CharField(required=False, allow_blank=True)
        has_seal = serializers.BooleanField(required=False)

    @extend_schema(operation_id="proposal_detail", summary="A proposal with its proposers, assignments, the "
                   "replies and evaluations this user may see, and its timeline",
                   responses=_responses(ProposalDetailOutput))
    def get(self, request: Request, proposal_id: int) -> Response:
        return _proposal_response(request, proposal_id)

    @extend_schema(operation_id="proposal_update", summary="Edit a draft or a returned proposal (first "
                   "proposer)", request=InputSerializer, responses=_responses(ProposalDetailOutput))
    def patch(self, request: Request, proposal_id: int) -> Response:
        proposal = selectors.proposal_get_for_user(user=request.user, proposal_id=proposal_id)
        services.proposal_update(actor=request.user, proposal=proposal, **_valid(self.InputSerializer, request.data))
        return _proposal_response(request, proposal_id)


# --------------------------------------------------------------------------------------------------------
# Proposals: one endpoint per transition
# --------------------------------------------------------------------------------------------------------


class ProposalInviteCosignersApi(APIView):
    class InputSerializer(Input):
        members = serializers.ListField(child=serializers.IntegerField(), help_text="Member ids to invite.")

    @extend_schema(operation_id="proposal_invite_cosigners", summary="Invite members to co-sign (联名)",
                   request=InputSerializer, responses=_responses(ProposalDetailOutput))
    def post(self, request: Request, proposal_id: int) -> Response:
        proposal = selectors.proposal_get_for_user(user=request.user, proposal_id=proposal_id)
        data = _valid(self.InputSerializer, request.data)
        services.proposal_invite_cosigners(actor=request.user, proposal=proposal,
                                           members=_members(request.user, data["members"], "members"))
        return _proposal_response(request, proposal_id)


class ProposalSignApi(APIView):
    @extend_schema(operation_id="proposal_sign", summary="Co-sign a proposal one was invited to",
                   request=None, responses=_responses(ProposalDetailOutput))
    def post(self, request: Request, proposal_id: int) -> Response:
        proposal = selectors.proposal_get_for_user(user=request.user, proposal_id=proposal_id)
        services.proposal_sign(actor=request.user, proposal=proposal, accept=True)
        return _proposal_response(request, proposal_id)


class ProposalDeclineApi(APIView):
    @extend_schema(operation_id="proposal_decline", summary="Decline an invitation to co-sign",
                   request=None, responses=_responses(ProposalDetailOutput))
    def post(self, request: Request, proposal_id: int) -> Response:
        proposal = selectors.proposal_get_for_user(user=request.user, proposal_id=proposal_id)
        services.proposal_sign(actor=request.user, proposal=proposal, accept=False)
        return _proposal_response(request, proposal_id)


class ProposalSubmitApi(APIView):
    @extend_schema(operation_id="proposal_submit", summary="Submit for review (unsigned invitations lapse)",
                   request=None, responses=_responses(ProposalDetailOutput))
    def post(self, request: Request, proposal_id: int) -> Response:
        proposal = selectors.proposal_get_for_user(user=request.user, proposal_id=proposal_id)
        services.proposal_submit(actor=request.user, proposal=proposal)
        return _proposal_response(request, proposal_id)


class ProposalWithdrawApi(APIView):
    class InputSerializer(Input):
        reason = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(operation_id="proposal_withdraw", summary="Withdraw a proposal before it is filed",
                   request=InputSerializer, responses=_responses(ProposalDetailOutput))
    def post(self, request: Request, proposal_id: int) -> Response:
        proposal = selectors.proposal_get_for_user(user=request.user, proposal_id=proposal_id)
        services.proposal_withdraw(actor=request.user, proposal=proposal, **_valid(self.InputSerializer, request.data))
        return _proposal_response(request, proposal_id)


class ProposalPreReviewApi(APIView):
    class InputSerializer(Input):
        note = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(operation_id="proposal_pre_review", summary="Pass the first review (初审) on to the "
                   "committee's review", request=InputSerializer, responses=_responses(ProposalDetailOutput))
    def post(self, request: Request, proposal_id: int) -> Response:
        proposal = selectors.proposal_get_for_user(user=request.user, proposal_id=proposal_id)
        services.proposal_pre_review(actor=request.user, proposal=proposal,
                                     **_valid(self.InputSerializer, request.data))
        return _proposal_response(request, proposal_id)


class ProposalReturnApi(APIView):
    class InputSerializer(Input):
        reason = serializers.CharField(allow_blank=True, help_text="What the proposer should revise.")

    @extend_schema(operation_id="proposal_return", summary="Return a proposal to its first proposer for "
                   "revision", request=InputSerializer, responses=_responses(ProposalDetailOutput))
    def post(self, request: Request, proposal_id: int) -> Response:
        proposal = selectors.proposal_get_for_user(user=request.user, proposal_id=proposal_id)
        services.proposal_return(actor=request.user, proposal=proposal, **_valid(self.InputSerializer, request.data))
        return _proposal_response(request, proposal_id)


class ProposalFileApi(APIView):
    class InputSerializer(Input):
        category = serializers.CharField(required=False, help_text="Re-classify while filing (optional).")
        note = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(operation_id="proposal_file", summary="File a proposal (立案): it takes its number",
                   request=InputSerializer, responses=_responses(ProposalDetailOutput))
    def post(self, request: Request, proposal_id: int) -> Response:
        proposal = selectors.proposal_get_for_user(user=request.user, proposal_id=proposal_id)
        services.proposal_file(actor=request.user, proposal=proposal, **_valid(self.InputSerializer, request.data))
        return _proposal_response(request, proposal_id)


class ProposalNotFileApi(APIView):
    class InputSerializer(Input):
        ground = serializers.CharField(allow_blank=True, help_text="A code of the proposal.not_filed_grounds "
                                       "rule.")
        reason = serializers.CharField(allow_blank=True, help_text="Shown to the proposer.")
        disposition = serializers.CharField(allow_blank=True, help_text="letter, public_opinion, proposer")

    @extend_schema(operation_id="proposal_not_file", summary="Decline to file a proposal (不予立案)",
                   request=InputSerializer, responses=_responses(ProposalDetailOutput))
    def post(self, request: Request, proposal_id: int) -> Response:
        proposal = selectors.proposal_get_for_user(user=request.user, proposal_id=proposal_id)
        services.proposal_not_file(actor=request.user, proposal=proposal,
                                   **_valid(self.InputSerializer, request.data))
        return _proposal_response(request, proposal_id)


class ProposalMergeApi(APIView):
    class InputSerializer(Input):
        into = serializers.IntegerField(help_text="The lead proposal's id.")
        reason = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(operation_id="proposal_merge", summary="Merge a proposal into a lead proposal (并案)",
                   request=InputSerializer, responses=_responses(ProposalDetailOutput))
    def post(self, request: Request, proposal_id: int) -> Response:
        proposal = selectors.proposal_get_for_user(user=request.user, proposal_id=proposal_id)
        data = _valid(self.InputSerializer, request.data)
        try:
            into = selectors.proposal_get_for_user(user=request.user, proposal_id=data["into"])
        except Http404 as exc:
            raise ValidationError({"into": [_("Not found: %(ids)s") % {"ids": data["into"]}]}) from exc
        services.proposal_merge(actor=request.user, proposal=proposal, into=into, reason=data["reason"])
        return _proposal_response(request, proposal_id)


class ProposalAssignApi(APIView):
    class InputSerializer(Input):
        lead = serializers.IntegerField(required=False, allow_null=True, default=None,
                                        help_text="The lead unit (sole unit when there are no co-handlers).")
        cohandlers = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
        separate = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                         help_text="Units that each reply separately (分办), instead of a lead.")

    @extend_schema(operation_id="proposal_assign", summary="Assign a filed proposal to handling units (交办)",
                   request=InputSerializer, responses=_responses(ProposalDetailOutput))
    def post(self, request: Request, proposal_id: int) -> Response:
        proposal = selectors.proposal_get_for_user(user=request.user, proposal_id=proposal_id)
        data = _valid(self.InputSerializer, request.data)
        user = request.user
        lead = _units(user, [data["lead"]], "lead")[0] if data["lead"] is not None else None
        services.proposal_assign(actor=user, proposal=proposal, lead=lead,
                                 cohandlers=_units(user, data["cohandlers"], "cohandlers"),
                                 separate=_units(user, data["separate"], "separate"))
        return _proposal_response(request, proposal_id)


class ProposalCloseApi(APIView):
    class InputSerializer(Input):
        note = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(operation_id="proposal_close", summary="Close a replied proposal (办结; a class-B reply "
                   "goes to follow-up)", request=InputSerializer, responses=_responses(ProposalDetailOutput))
    def post(self, request: Request, proposal_id: int) -> Response:
        proposal = selectors.proposal_get_for_user(user=request.user, proposal_id=proposal_id)
        services.proposal_close(actor=request.user, proposal=proposal, **_valid(self.InputSerializer, request.data))
        return _proposal_response(request, proposal_id)


class ProposalRehandleApi(APIView):
    class InputSerializer(Input):
        note = serializers.CharField(allow_blank=True, help_text="What the units must do again.")
        assignments = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                            help_text="The assignments to handle again; by default those whose "
                                            "reply left a proposer dissatisfied.")

    @extend_schema(operation_id="proposal_rehandle", summary="Send a proposal back for another round of "
                   "handling (重新办理)", request=InputSerializer, responses=_responses(ProposalDetailOutput))
    def post(self, request: Request, proposal_id: int) -> Response:
        proposal = selectors.proposal_get_for_user(user=request.user, proposal_id=proposal_id)
        data = _valid(self.InputSerializer, request.data)
        units = _pick(proposal.assignments.select_related("unit"), data["assignments"], "assignments")
        services.proposal_rehandle(actor=request.user, proposal=proposal, note=data["note"], units=units or None)
        return _proposal_response(request, proposal_id)


class ProposalImplementedApi(APIView):
    class InputSerializer(Input):
        note = serializers.CharField(allow_blank=True, help_text="What was implemented.")

    @extend_schema(operation_id="proposal_implemented", summary="End the follow-up of a class-B reply: its "
                   "promise was kept (落实)", request=InputSerializer, responses=_responses(ProposalDetailOutput))
    def post(self, request: Request, proposal_id: int) -> Response:
        proposal = selectors.proposal_get_for_user(user=request.user, proposal_id=proposal_id)
        services.proposal_mark_implemented(actor=request.user, proposal=proposal,
                                           **_valid(self.InputSerializer, request.data))
        return _proposal_response(request, proposal_id)


class ReplySummaryInput(serializers.Serializer):
    reply = serializers.IntegerField()
    summary = serializers.CharField(allow_blank=True)


class ProposalPublishApi(APIView):
    class InputSerializer(Input):
        publish = serializers.BooleanField(default=True, help_text="False withdraws it from the public site.")
        not_for_disclosure = serializers.BooleanField(default=False)
        summaries = ReplySummaryInput(many=True, required=False, default=list,
                                      help_text="Public summaries shown instead of these replies' full text.")

    @extend_schema(operation_id="proposal_publish", summary="Publish a proposal and its replies on the public "
                   "site, or withdraw it", request=InputSerializer, responses=_responses(ProposalDetailOutput))
    def post(self, request: Request, proposal_id: int) -> Response:
        proposal = selectors.proposal_get_for_user(user=request.user, proposal_id=proposal_id)
        data = _valid(self.InputSerializer, request.data)
        services.proposal_set_disclosure(actor=request.user, proposal=proposal, publish=data["publish"],
                                         not_for_disclosure=data["not_for_disclosure"],
                                         summaries={s["reply"]: s["summary"] for s in data["summaries"]})
        return _proposal_response(request, proposal_id)


# --------------------------------------------------------------------------------------------------------
# Assignments: the unit's inbox and what a unit (or the office) does with one
# --------------------------------------------------------------------------------------------------------


class AssignmentListApi(APIView):
    pagination_class = Pagination

    class FilterSerializer(Input):
        include_done = serializers.BooleanField(required=False, default=False,
                                                help_text="Also the replied, closed and cancelled ones.")

    @extend_schema(operation_id="assignment_list", summary="The unit's inbox: its assignments, by due date",
                   parameters=[FilterSerializer], responses={200: InboxItemOutput(many=True), 404: ERRORS[404]})
    def get(self, request: Request) -> Response:
        data = _valid(self.FilterSerializer, request.query_params)
        return _paginated(self, request, selectors.unit_inbox(user=request.user, **data), InboxItemOutput)


class AssignmentAcceptApi(APIView):
    @extend_schema(operation_id="assignment_accept", summary="Accept an assignment (签收)", request=None,
                   responses=_responses(AssignmentOutput))
    def post(self, request: Request, assignment_id: int) -> Response:
        assignment = selectors.assignment_get_for_user(user=request.user, assignment_id=assignment_id)
        services.assignment_accept(actor=request.user, assignment=assignment)
        return _assignment_response(request, assignment_id)


class AssignmentObjectApi(APIView):
    class InputSerializer(Input):
        reason = serializers.CharField(allow_blank=True, help_text="Why the proposal is not this unit's.")

    @extend_schema(operation_id="assignment_object", summary="Object to an assignment within the window",
                   request=InputSerializer, responses=_responses(AssignmentOutput))
    def post(self, request: Request, assignment_id: int) -> Response:
        assignment = selectors.assignment_get_for_user(user=request.user, assignment_id=assignment_id)
        services.assignment_object(actor=request.user, assignment=assignment,
                                   **_valid(self.InputSerializer, request.data))
        return _assignment_response(request, assignment_id)


class AssignmentDecideObjectionApi(APIView):
    class InputSerializer(Input):
        uphold = serializers.BooleanField(help_text="True keeps the assignment; false moves it to new_unit.")
        note = serializers.CharField(required=False, allow_blank=True, default="")
        new_unit = serializers.IntegerField(required=False, allow_null=True, default=None)

    @extend_schema(operation_id="assignment_decide_objection", summary="Decide a unit's objection (office)",
                   description="Answers with the assignment that now stands: the same one when upheld, the new "
                   "unit's otherwise.", request=InputSerializer, responses=_responses(AssignmentOutput))
    def post(self, request: Request, assignment_id: int) -> Response:
        assignment = selectors.assignment_get_for_user(user=request.user, assignment_id=assignment_id)
        data = _valid(self.InputSerializer, request.data)
        new_unit = _units(request.user, [data["new_unit"]], "new_unit")[0] if data["new_unit"] is not None else None
        result = services.assignment_decide_objection(actor=request.user, assignment=assignment,
                                                      uphold=data["uphold"], note=data["note"], new_unit=new_unit)
        return _assignment_response(request, result.pk)


class AssignmentContactApi(APIView):
    class InputSerializer(Input):
        happened_on = serializers.DateField()
        method = serializers.CharField(help_text="meeting, phone, visit, forum, letter")
        summary = serializers.CharField(allow_blank=True)
        participants = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(operation_id="assignment_contact", summary="Record a contact with the proposer (面商)",
                   request=InputSerializer, responses=_responses(ContactOutput, 201))
    def post(self, request: Request, assignment_id: int) -> Response:
        assignment = selectors.assignment_get_for_user(user=request.user, assignment_id=assignment_id)
        record: ContactRecord = services.contact_record(actor=request.user, assignment=assignment,
                                                        **_valid(self.InputSerializer, request.data))
        return _created(ContactOutput, record)


class AssignmentOpinionApi(APIView):
    class InputSerializer(Input):
        body = serializers.CharField(allow_blank=True)

    @extend_schema(operation_id="assignment_opinion", summary="Give a co-handler's opinion to the lead unit",
                   request=InputSerializer, responses=_responses(OpinionOutput, 201))
    def post(self, request: Request, assignment_id: int) -> Response:
        assignment = selectors.assignment_get_for_user(user=request.user, assignment_id=assignment_id)
        opinion = services.cohandler_opinion_submit(actor=request.user, assignment=assignment,
                                                    **_valid(self.InputSerializer, request.data))
        return _created(OpinionOutput, opinion)


class AssignmentRequestExtensionApi(APIView):
    class InputSerializer(Input):
        reason = serializers.CharField(allow_blank=True)
        requested_due = serializers.DateField()

    @extend_schema(operation_id="assignment_request_extension", summary="Ask, before the reply is due, for "
                   "more time", request=InputSerializer, responses=_responses(ExtensionOutput, 201))
    def post(self, request: Request, assignment_id: int) -> Response:
        assignment = selectors.assignment_get_for_user(user=request.user, assignment_id=assignment_id)
        extension = services.extension_request(actor=request.user, assignment=assignment,
                                               **_valid(self.InputSerializer, request.data))
        return _created(ExtensionOutput, extension)


class AssignmentReplyApi(APIView):
    class InputSerializer(Input):
        document_number = serializers.CharField(required=False, allow_blank=True)
        signatory = serializers.CharField(required=False, allow_blank=True)
        result_class = serializers.CharField(required=False, allow_blank=True,
                                             help_text="A code of the proposal.reply_classes rule (A/B/C).")
        body = serializers.CharField(required=False, allow_blank=True)
        contact_person = serializers.CharField(required=False, allow_blank=True)
        contact_phone = serializers.CharField(required=False, allow_blank=True)
        cc = serializers.CharField(required=False, allow_blank=True)
        public_summary = serializers.CharField(required=False, allow_blank=True)

    @extend_schema(operation_id="assignment_reply_save", summary="Draft or edit the reply of the current "
                   "round (only the fields sent change)", request=InputSerializer, responses=_responses(ReplyOutput))
    def post(self, request: Request, assignment_id: int) -> Response:
        assignment = selectors.assignment_get_for_user(user=request.user, assignment_id=assignment_id)
        reply = services.reply_save_draft(actor=request.user, assignment=assignment,
                                          **_valid(self.InputSerializer, request.data))
        return _reply_response(request, reply.pk)


class AssignmentReplySubmitApi(APIView):
    @extend_schema(operation_id="assignment_reply_submit", summary="Sign off the current reply (签发, the "
                   "unit's leader): to the co-handlers, or to the supervising review", request=None,
                   responses=_responses(ReplyOutput))
    def post(self, request: Request, assignment_id: int) -> Response:
        assignment = selectors.assignment_get_for_user(user=request.user, assignment_id=assignment_id)
        reply = services.reply_submit(actor=request.user, reply=_current_reply(assignment))
        return _reply_response(request, reply.pk)


class AssignmentReplyCosignApi(APIView):
    class InputSerializer(Input):
        note = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(operation_id="assignment_reply_cosign", summary="Co-sign the lead unit's reply (会签) as "
                   "this co-handling assignment", request=InputSerializer, responses=_responses(ReplyOutput))
    def post(self, request: Request, assignment_id: int) -> Response:
        assignment = selectors.assignment_get_for_user(user=request.user, assignment_id=assignment_id)
        data = _valid(self.InputSerializer, request.data)
        cosign = ReplyCosign.objects.filter(assignment=assignment).select_related("reply").order_by(
            "-reply__round", "-id").first()
        if cosign is None:
            raise DomainError(_("No reply of the lead unit awaits this unit's signature."))
        services.reply_cosign(actor=request.user, reply=cosign.reply, assignment=assignment, **data)
        return _reply_response(request, cosign.reply_id)


# --------------------------------------------------------------------------------------------------------
# Extensions and replies
# --------------------------------------------------------------------------------------------------------


class ExtensionDecideApi(APIView):
    class InputSerializer(Input):
        approve = serializers.BooleanField()
        note = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(operation_id="extension_decide", summary="Grant or refuse a unit's request for more time",
                   request=InputSerializer, responses=_responses(ExtensionOutput))
    def post(self, request: Request, extension_id: int) -> Response:
        extension = extension_get_for_user(user=request.user, extension_id=extension_id)
        result = services.extension_decide(actor=request.user, extension=extension,
                                           **_valid(self.InputSerializer, request.data))
        return Response(ExtensionOutput(result).data)


class ReplyReviewApi(APIView):
    class InputSerializer(Input):
        approve = serializers.BooleanField(help_text="True sends the reply to every proposer; false returns it.")
        note = serializers.CharField(required=False, allow_blank=True, default="",
                                     help_text="Required when returning.")
        result_class = serializers.CharField(required=False, help_text="Change the class while approving.")

    @extend_schema(operation_id="reply_review", summary="Review a reply (督办审核): send it, or return it",
                   request=InputSerializer, responses=_responses(ReplyOutput))
    def post(self, request: Request, reply_id: int) -> Response:
        reply, _viewer = reply_get_for_user(user=request.user, reply_id=reply_id)
        data = _valid(self.InputSerializer, request.data)
        services.reply_review(actor=request.user, reply=reply, approve=data["approve"], note=data["note"],
                              result_class=data.get("result_class"))
        return _reply_response(request, reply_id)


class ReplyEvaluateApi(APIView):
    class InputSerializer(Input):
        result = serializers.CharField(help_text="satisfied, basically, dissatisfied")
        attitude = serializers.CharField(required=False, allow_blank=True, default="",
                                         help_text="Handling attitude, same codes (optional).")
        effect = serializers.CharField(required=False, allow_blank=True, default="",
                                       help_text="Actual effect, same codes (optional).")
        comment = serializers.CharField(required=False, allow_blank=True, default="")
        on_behalf_of = serializers.IntegerField(required=False, allow_null=True, default=None,
                                                help_text="Staff entering a paper form: the proposer's member id.")

    @extend_schema(operation_id="reply_evaluate", summary="Evaluate a reply (满意/基本满意/不满意), as a "
                   "proposer or from a paper form", request=InputSerializer,
                   responses=_responses(EvaluationOutput, 201))
    def post(self, request: Request, reply_id: int) -> Response:
        reply, _viewer = reply_get_for_user(user=request.user, reply_id=reply_id)
        data = _valid(self.InputSerializer, request.data)
        member_id = data.pop("on_behalf_of")
        member = _members(request.user, [member_id], "on_behalf_of")[0] if member_id is not None else None
        evaluation: Evaluation = services.evaluation_submit(actor=request.user, reply=reply, on_behalf_of=member,
                                                            **data)
        return _created(EvaluationOutput, evaluation)


class ReplyLetterApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(Input):
        file = serializers.FileField(help_text="The signed, stamped letter as a PDF (at most 10 MB).")

    @extend_schema(operation_id="reply_letter", summary="Attach the signed letter (PDF) to a reply",
                   request={"multipart/form-data": InputSerializer}, responses=_responses(ReplyOutput))
    def post(self, request: Request, reply_id: int) -> Response:
        reply, _viewer = reply_get_for_user(user=request.user, reply_id=reply_id)
        data = _valid(self.InputSerializer, request.data)
        services.reply_attach_signed_letter(actor=request.user, reply=reply, upload=data["file"])
        return _reply_response(request, reply_id)


# --------------------------------------------------------------------------------------------------------
# Boards of the proposal office
# --------------------------------------------------------------------------------------------------------


def _board_committee(user: Any) -> int:
    if user.committee_id is None:
        raise Http404
    if not user.has_perm("proposals.view_boards"):
        raise PermissionDenied(_("You are not allowed to do this."))
    return user.committee_id


class ReviewQueueApi(APIView):
    pagination_class = Pagination

    @extend_schema(operation_id="proposal_review_queue", summary="Submitted proposals awaiting review, by "
                   "review date", responses={200: ReviewQueueItemOutput(many=True), 403: ERRORS[403]})
    def get(self, request: Request) -> Response:
        committee_id = _board_committee(request.user)
        return _paginated(self, request, selectors.review_queue(committee_id=committee_id), ReviewQueueItemOutput)


class OverdueBoardApi(APIView):
    @extend_schema(operation_id="proposal_overdue_board", summary="Everything past its due date, whoever must "
                   "act", responses=_responses(OverdueBoardOutput))
    def get(self, request: Request) -> Response:
        board = selectors.overdue_board(committee_id=_board_committee(request.user))
        return Response(OverdueBoardOutput(board).data)


api_urlpatterns: list[tuple[str, Any, str]] = [
    ("proposals/", ProposalListCreateApi, "proposal-list"),
    ("proposals/<int:proposal_id>/", ProposalDetailApi, "proposal-detail"),
    ("proposals/<int:proposal_id>/invite-cosigners/", ProposalInviteCosignersApi, "proposal-invite-cosigners"),
    ("proposals/<int:proposal_id>/sign/", ProposalSignApi, "proposal-sign"),
    ("proposals/<int:proposal_id>/decline/", ProposalDeclineApi, "proposal-decline"),
    ("proposals/<int:proposal_id>/submit/", ProposalSubmitApi, "proposal-submit"),
    ("proposals/<int:proposal_id>/withdraw/", ProposalWithdrawApi, "proposal-withdraw"),
    ("proposals/<int:proposal_id>/pre-review/", ProposalPreReviewApi, "proposal-pre-review"),
    ("proposals/<int:proposal_id>/return/", ProposalReturnApi, "proposal-return"),
    ("proposals/<int:proposal_id>/file/", ProposalFileApi, "proposal-file"),
    ("proposals/<int:proposal_id>/not-file/", ProposalNotFileApi, "proposal-not-file"),
    ("proposals/<int:proposal_id>/merge/", ProposalMergeApi, "proposal-merge"),
    ("proposals/<int:proposal_id>/assign/", ProposalAssignApi, "proposal-assign"),
    ("proposals/<int:proposal_id>/close/", ProposalCloseApi, "proposal-close"),
    ("proposals/<int:proposal_id>/rehandle/", ProposalRehandleApi, "proposal-rehandle"),
    ("proposals/<int:proposal_id>/implemented/", ProposalImplementedApi, "proposal-implemented"),
    ("proposals/<int:proposal_id>/publish/", ProposalPublishApi, "proposal-publish"),
    ("proposals/assignments/", AssignmentListApi, "proposal-assignment-list"),
    ("proposals/assignments/<int:assignment_id>/accept/", AssignmentAcceptApi, "proposal-assignment-accept"),
    ("proposals/assignments/<int:assignment_id>/object/", AssignmentObjectApi, "proposal-assignment-object"),
    ("proposals/assignments/<int:assignment_id>/decide-objection/", AssignmentDecideObjectionApi,
     "proposal-assignment-decide-objection"),
    ("proposals/assignments/<int:assignment_id>/contact/", AssignmentContactApi, "proposal-assignment-contact"),
    ("proposals/assignments/<int:assignment_id>/opinion/", AssignmentOpinionApi, "proposal-assignment-opinion"),
    ("proposals/assignments/<int:assignment_id>/request-extension/", AssignmentRequestExtensionApi,
     "proposal-assignment-request-extension"),
    ("proposals/assignments/<int:assignment_id>/reply/", AssignmentReplyApi, "proposal-assignment-reply"),
    ("proposals/assignments/<int:assignment_id>/reply-submit/", AssignmentReplySubmitApi,
     "proposal-assignment-reply-submit"),
    ("proposals/assignments/<int:assignment_id>/reply-cosign/", AssignmentReplyCosignApi,
     "proposal-assignment-reply-cosign"),
    ("proposals/extensions/<int:extension_id>/decide/", ExtensionDecideApi, "proposal-extension-decide"),
    ("proposals/replies/<int:reply_id>/review/", ReplyReviewApi, "proposal-reply-review"),
    ("proposals/replies/<int:reply_id>/evaluate/", ReplyEvaluateApi, "proposal-reply-evaluate"),
    ("proposals/replies/<int:reply_id>/letter/", ReplyLetterApi, "proposal-reply-letter"),
    ("proposals/review-queue/", ReviewQueueApi, "proposal-review-queue"),
    ("proposals/overdue/", OverdueBoardApi, "proposal-overdue"),
]
