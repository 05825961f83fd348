"""REST API of proposals and opinion reports: scoped read endpoints and action endpoints that
call the services. Mounted under /api/ by the API app (`urlpatterns` below, or `router`).

Every queryset is `visible_to(request.user)`; writes go through lianluo.proposals.services.
A refused workflow step answers 409 with {"detail", "code"}, invalid data 400 per field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied as DRFPermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from lianluo.core import audit
from lianluo.core.filters import CODE_SCHEMA
from lianluo.core.workflow import InvalidTransition
from lianluo.directory.models import Committee, FocusArea, Organization, Person, Session
from lianluo.directory.scoping import scope_for
from lianluo.proposals import selectors, services
from lianluo.proposals.filters import AssignmentFilterSet, ProposalFilterSet, ReportFilterSet
from lianluo.proposals.models import (
    AdoptionEvent,
    Assignment,
    BulletinIssue,
    Evaluation,
    IndexKind,
    OpinionAdoptionQuerySet,
    OpinionReport,
    Proposal,
    ProposalAuthor,
    ProposalCategory,
    ProposalPolicy,
    Reply,
    ReportAuthor,
)
from lianluo.proposals.workflow import ASSIGNMENT_ACTIONS, PROPOSAL_ACTIONS, REPORT_ACTIONS

# --------------------------------------------------------------------------------------------
# Serializers: what is read


class ProposalAuthorSerializer(serializers.Serializer[ProposalAuthor]):
    person = serializers.CharField(source="person.name")
    role = serializers.CharField()
    state = serializers.CharField()


class ProposalAssignmentSerializer(serializers.ModelSerializer[Assignment]):
    unit = serializers.CharField(source="unit.name")
    proposal = serializers.IntegerField(source="proposal_id")

    class Meta:
        model = Assignment
        fields = (
            "id",
            "proposal",
            "unit",
            "role",
            "status",
            "round",
            "assigned_at",
            "due_on",
            "return_by",
            "return_reason",
        )


class ProposalSerializer(serializers.ModelSerializer[Proposal]):
    committee = serializers.CharField(source="committee.code")
    session = serializers.SerializerMethodField()
    author = serializers.CharField(source="author.name")
    group = serializers.CharField(source="group.name", default=None)
    category = serializers.CharField(source="category.name")
    focus_area = serializers.CharField(source="focus_area.name", default=None)
    authors = ProposalAuthorSerializer(many=True)
    assignments = ProposalAssignmentSerializer(many=True)
    number = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = (
            "id",
            "committee",
            "session",
            "timing",
            "kind",
            "group",
            "author",
            "authors",
            "title",
            "body",
            "category",
            "focus_area",
            "status",
            "reference",
            "number",
            "submitted_at",
            "decided_at",
            "closed_at",
            "rejection_ground",
            "review_note",
            "merged_into",
            "is_key",
            "consent_publication",
            "published_at",
            "assignments",
        )

    def get_session(self, proposal: Proposal) -> str | None:
        return str(proposal.session) if proposal.session_id else None

    def get_number(self, proposal: Proposal) -> str | None:
        return proposal.number_label or None


class ProposalEvaluationSerializer(serializers.ModelSerializer[Evaluation]):
    class Meta:
        model = Evaluation
        fields = ("attitude", "result", "comment", "rehandle_requested", "created_at")


class ProposalReplySerializer(serializers.ModelSerializer[Reply]):
    unit = serializers.CharField(source="assignment.unit.name")
    evaluations = ProposalEvaluationSerializer(many=True)

    class Meta:
        model = Reply
        fields = (
            "id",
            "proposal",
            "assignment",
            "unit",
            "kind",
            "round",
            "text",
            "answer_class",
            "answer_class_label",
            "replied_at",
            "on_time",
            "published_at",
            "evaluations",
        )


class AdoptionEventSerializer(serializers.ModelSerializer[AdoptionEvent]):
    class Meta:
        model = AdoptionEvent
        fields = (
            "id",
            "report",
            "level",
            "body",
            "scope",
            "kind",
            "by_whom",
            "occurred_on",
            "text",
            "recorded_at",
        )


class OpinionReportAuthorSerializer(serializers.Serializer[ReportAuthor]):
    person = serializers.CharField(source="person.name")
    role = serializers.CharField()


class OpinionReportSerializer(serializers.ModelSerializer[OpinionReport]):
    committee = serializers.CharField(source="committee.code")
    author = serializers.CharField(source="author.name")
    group = serializers.CharField(source="group.name", default=None)
    category = serializers.CharField(source="category.name", default=None)
    authors = OpinionReportAuthorSerializer(many=True)
    adoption_events = AdoptionEventSerializer(many=True)

    class Meta:
        model = OpinionReport
        fields = (
            "id",
            "committee",
            "year",
            "kind",
            "group",
            "author",
            "authors",
            "title",
            "body",
            "edited_title",
            "edited_body",
            "category",
            "status",
            "reference",
            "submitted_at",
            "decided_at",
            "decision_note",
            "source_proposal",
            "adoption_events",
        )


class BulletinIssueSerializer(serializers.ModelSerializer[BulletinIssue]):
    committee = serializers.CharField(source="committee.code")
    reports = serializers.SerializerMethodField()

    class Meta:
        model = BulletinIssue
        fields = ("id", "committee", "year", "number", "title", "published_on", "reports")

    def get_reports(self, issue: BulletinIssue) -> list[int]:
        return [entry.report_id for entry in issue.entries.all()]


class ProposalPolicySerializer(serializers.ModelSerializer[ProposalPolicy]):
    class Meta:
        model = ProposalPolicy
        fields = (
            "body_max_chars",
            "report_body_max_chars",
            "max_suggested_units",
            "cosign_days",
            "plenary_window_days",
            "return_window_days",
            "answer_days",
            "cohandling_days",
            "answer_classes",
            "rejection_grounds",
            "publication_enabled",
        )


class SimilarItemSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    id = serializers.IntegerField(source="obj.pk")
    title = serializers.CharField(source="obj.title")
    reference = serializers.CharField(source="obj.reference")
    score = serializers.FloatField()


class ProposalTimelineEventSerializer(serializers.Serializer[Any]):
    created_at = serializers.DateTimeField()
    actor = serializers.CharField(source="actor_label")
    action = serializers.CharField()
    verb = serializers.CharField()
    reason = serializers.CharField()
    changes = serializers.JSONField()


class ProposalSearchHitSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    id = serializers.IntegerField(source="obj.pk")
    title = serializers.CharField()


# --------------------------------------------------------------------------------------------
# Serializers: what is written


class ProposalWriteSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=Proposal.Kind.choices, default="individual")
    group = serializers.IntegerField(required=False, allow_null=True)
    cosigners = serializers.ListField(child=serializers.IntegerField(), required=False)
    title = serializers.CharField(max_length=200)
    body = serializers.CharField()
    category = serializers.IntegerField()
    focus_area = serializers.IntegerField(required=False, allow_null=True)
    suggested_units = serializers.ListField(child=serializers.IntegerField(), required=False)
    no_secret_declared = serializers.BooleanField()
    consent_publication = serializers.BooleanField(default=True)
    publication_refusal_reason = serializers.CharField(required=False, allow_blank=True)


class ProposalUnitChoiceSerializer(serializers.Serializer[Any]):
    unit = serializers.IntegerField()
    role = serializers.ChoiceField(choices=Assignment.Role.choices)
    due_on = serializers.DateField(required=False, allow_null=True)


class ProposalTransitionSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(choices=sorted(PROPOSAL_ACTIONS))
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    ground = serializers.CharField(required=False, allow_blank=True, default="")
    target = serializers.IntegerField(required=False, allow_null=True)
    units = ProposalUnitChoiceSerializer(many=True, required=False)


class ProposalCosignSerializer(serializers.Serializer[Any]):
    confirm = serializers.BooleanField()


class ProposalAssignmentTransitionSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(choices=sorted(ASSIGNMENT_ACTIONS))
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    text = serializers.CharField(required=False, allow_blank=True, default="")
    answer_class = serializers.CharField(required=False, allow_blank=True, default="")
    attitude = serializers.ChoiceField(choices=Evaluation.Rating.choices, required=False)
    result = serializers.ChoiceField(choices=Evaluation.Rating.choices, required=False)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ProposalPublishSerializer(serializers.Serializer[Any]):
    publish = serializers.BooleanField(default=True)


class OpinionReportWriteSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=OpinionReport.Kind.choices, default="individual")
    group = serializers.IntegerField(required=False, allow_null=True)
    coauthors = serializers.ListField(child=serializers.IntegerField(), required=False)
    title = serializers.CharField(max_length=200)
    body = serializers.CharField()
    category = serializers.IntegerField(required=False, allow_null=True)
    focus_area = serializers.IntegerField(required=False, allow_null=True)


class OpinionReportTransitionSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(choices=sorted(REPORT_ACTIONS))
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class OpinionReportCheckSerializer(serializers.Serializer[Any]):
    edited_title = serializers.CharField(max_length=200)
    edited_body = serializers.CharField()


class AdoptionWriteSerializer(serializers.Serializer[Any]):
    level = serializers.ChoiceField(choices=Committee.Level.choices)
    body = serializers.ChoiceField(choices=AdoptionEvent.Body.choices)
    scope = serializers.ChoiceField(choices=AdoptionEvent.Scope.choices)
    kind = serializers.ChoiceField(choices=AdoptionEvent.Kind.choices)
    occurred_on = serializers.DateField()
    by_whom = serializers.CharField(required=False, allow_blank=True, default="")
    text = serializers.CharField(required=False, allow_blank=True, default="")
    feedback = serializers.BooleanField(default=True)


class BulletinWriteSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=100)
    published_on = serializers.DateField()
    number = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class BulletinEntryWriteSerializer(serializers.Serializer[Any]):
    report = serializers.IntegerField()


ERROR = inline_serializer(
    "ProposalsError",
    {"detail": serializers.CharField(), "code": serializers.CharField(required=False)},
)
REFUSED = OpenApiResponse(
    ERROR, description=gettext_lazy("The workflow refuses this step in the record's state.")
)
INVALID = OpenApiResponse(
    OpenApiTypes.OBJECT, description=gettext_lazy("Invalid data: a list of messages per field.")
)
NOT_FOUND = OpenApiResponse(ERROR, description=gettext_lazy("No such record, or not visible."))
FORBIDDEN = OpenApiResponse(ERROR, description=gettext_lazy("Visible, but not yours to change."))
WRITE_ERRORS = {400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND, 409: REFUSED}
CODE = OpenApiParameter(
    "code",
    CODE_SCHEMA,
    OpenApiParameter.PATH,
    description=gettext_lazy("Administrative-division code of the committee (GB/T 2260)."),
)


def _service_call(run: Any, *, created: bool = False) -> Response:
    """Run a service call; answer its result, or its refusal in the API's error format."""
    try:
        result = run()
    except InvalidTransition as refused:
        return Response(
            {"detail": refused.message, "code": refused.code}, status=status.HTTP_409_CONFLICT
        )
    except ValidationError as error:
        body = error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    except PermissionDenied as denied:
        raise DRFPermissionDenied(str(denied) or None) from denied
    return Response(result, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def _ids(model: type[Any], ids: list[int] | None, **scope: Any) -> list[Any]:
    if not ids:
        return []
    found = list(model.objects.filter(pk__in=ids, **scope))
    if len(found) != len(set(ids)):
        raise ValidationError({"detail": _("Unknown ids: %(ids)s.") % {"ids": sorted(ids)}})
    return found


def _one(model: type[Any], pk: int | None, **scope: Any) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk, **scope).first()
    if found is None:
        raise ValidationError({"detail": _("Unknown id: %(id)s.") % {"id": pk}})
    return found


def _proposal_data(committee: Committee, data: dict[str, Any]) -> services.ProposalData:
    scoped = {"committee": committee}
    return services.ProposalData(
        title=data["title"],
        body=data["body"],
        category=_one(ProposalCategory, data["category"], **scoped),
        kind=data.get("kind", "individual"),
        focus_area=_one(FocusArea, data.get("focus_area"), **scoped),
        group=_one(Organization, data.get("group"), **scoped),
        cosigners=_ids(Person, data.get("cosigners")),
        suggested_units=_ids(Organization, data.get("suggested_units"), **scoped),
        no_secret_declared=data["no_secret_declared"],
        consent_publication=data.get("consent_publication", True),
        publication_refusal_reason=data.get("publication_refusal_reason", ""),
    )


def _report_data(committee: Committee, data: dict[str, Any]) -> services.ReportData:
    scoped = {"committee": committee}
    return services.ReportData(
        title=data["title"],
        body=data["body"],
        kind=data.get("kind", "individual"),
        category=_one(ProposalCategory, data.get("category"), **scoped),
        focus_area=_one(FocusArea, data.get("focus_area"), **scoped),
        group=_one(Organization, data.get("group"), **scoped),
        coauthors=_ids(Person, data.get("coauthors")),
    )


# --------------------------------------------------------------------------------------------
# Viewsets


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("List proposals you may see")),
    retrieve=extend_schema(summary=gettext_lazy("Get a proposal")),
)
class ProposalViewSet(viewsets.ReadOnlyModelViewSet[Proposal]):
    """Proposals: staff see their committees' submitted ones, members their own, units those
    assigned to them. Actions call the proposal services."""

    serializer_class = ProposalSerializer
    filterset_class = ProposalFilterSet

    def get_queryset(self) -> QuerySet[Proposal]:
        return (
            Proposal.objects.visible_to(self.request.user)
            .select_related(
                "committee", "session__term", "author", "group", "category", "focus_area"
            )
            .prefetch_related(
                Prefetch("authors", queryset=ProposalAuthor.objects.select_related("person")),
                Prefetch("assignments", queryset=Assignment.objects.select_related("unit")),
            )
            .order_by("-submitted_at", "-id")
        )

    def _fresh(self, proposal: Proposal) -> dict[str, Any]:
        return ProposalSerializer(self.get_queryset().get(pk=proposal.pk)).data

    @extend_schema(
        summary=gettext_lazy("Take a step of the proposal workflow"),
        request=ProposalTransitionSerializer,
        responses={200: ProposalSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str | None = None) -> Response:
        proposal = self.get_object()
        payload = ProposalTransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        scoped = {"committee_id": proposal.committee_id}

        def run() -> dict[str, Any]:
            target = None
            if data.get("target"):
                target = (
                    Proposal.objects.visible_to(request.user)
                    .filter(pk=data["target"], **scoped)
                    .first()
                )
                if target is None:
                    raise ValidationError({"target": _("Unknown proposal.")})
            units = [
                services.UnitChoice(
                    _one(Organization, u["unit"], **scoped), u["role"], u.get("due_on")
                )
                for u in data.get("units", [])
            ]
            done = services.proposal_transition(
                proposal=proposal,
                action=data["action"],
                by=request.user,
                reason=data["reason"],
                ground=data["ground"],
                target=target,
                units=units,
            )
            return self._fresh(done)

        return _service_call(run)

    @extend_schema(
        summary=gettext_lazy("Confirm or decline a co-signature"),
        request=ProposalCosignSerializer,
        responses={200: ProposalSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def cosign(self, request: Request, pk: str | None = None) -> Response:
        proposal = self.get_object()
        payload = ProposalCosignSerializer(data=request.data)
        payload.is_valid(raise_exception=True)

        def run() -> dict[str, Any]:
            services.proposal_cosign(
                proposal=proposal, by=request.user, confirm=payload.validated_data["confirm"]
            )
            return self._fresh(proposal)

        return _service_call(run)

    @extend_schema(
        summary=gettext_lazy("Change a draft or a returned proposal (its author)"),
        request=ProposalWriteSerializer,
        responses={200: ProposalSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def edit(self, request: Request, pk: str | None = None) -> Response:
        proposal = self.get_object()
        payload = ProposalWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)

        def run() -> dict[str, Any]:
            data = _proposal_data(proposal.committee, payload.validated_data)
            return self._fresh(
                services.proposal_update(proposal=proposal, by=request.user, data=data)
            )

        return _service_call(run)

    @extend_schema(
        summary=gettext_lazy("The most similar items (near-duplicates) of a proposal"),
        responses={200: SimilarItemSerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"])
    def similar(self, request: Request, pk: str | None = None) -> Response:
        proposal = self.get_object()
        items = selectors.similar_items(
            proposal.committee,
            f"{proposal.title}\n{proposal.body}",
            request.user,
            exclude=[(IndexKind.PROPOSAL, proposal.pk)],
        )
        return Response(SimilarItemSerializer(items, many=True).data)

    @extend_schema(
        summary=gettext_lazy("The timeline of a proposal: every step, who, when, why"),
        responses={200: ProposalTimelineEventSerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"])
    def timeline(self, request: Request, pk: str | None = None) -> Response:
        proposal = self.get_object()
        return Response(ProposalTimelineEventSerializer(audit.timeline(proposal), many=True).data)

    @extend_schema(
        summary=gettext_lazy("Publish an accepted proposal, or take it down (office)"),
        request=ProposalPublishSerializer,
        responses={200: ProposalSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        proposal = self.get_object()
        payload = ProposalPublishSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return _service_call(
            lambda: self._fresh(
                services.proposal_publish(
                    proposal=proposal, by=request.user, publish=payload.validated_data["publish"]
                )
            )
        )


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("List assignments you may see")),
    retrieve=extend_schema(summary=gettext_lazy("Get an assignment")),
)
class AssignmentViewSet(viewsets.ReadOnlyModelViewSet[Assignment]):
    """Assignments 交办: a unit sees its own (and, as lead unit, its co-handling units')."""

    serializer_class = ProposalAssignmentSerializer
    filterset_class = AssignmentFilterSet

    def get_queryset(self) -> QuerySet[Assignment]:
        return (
            Assignment.objects.visible_to(self.request.user)
            .select_related("unit", "proposal")
            .order_by("due_on", "id")
        )

    @extend_schema(
        summary=gettext_lazy("Reply, send an opinion, return, withdraw, evaluate or rehandle"),
        request=ProposalAssignmentTransitionSerializer,
        responses={200: ProposalAssignmentSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str | None = None) -> Response:
        assignment = self.get_object()
        payload = ProposalAssignmentTransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        return _service_call(
            lambda: (
                ProposalAssignmentSerializer(
                    services.assignment_transition(
                        assignment=assignment,
                        action=data["action"],
                        by=request.user,
                        reason=data["reason"],
                        text=data["text"],
                        answer_class=data["answer_class"],
                        attitude=data.get("attitude", ""),
                        result=data.get("result", ""),
                        comment=data["comment"],
                    )
                ).data
            )
        )


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("List replies and co-handling opinions you may see")),
    retrieve=extend_schema(summary=gettext_lazy("Get a reply")),
)
class ReplyViewSet(viewsets.ReadOnlyModelViewSet[Reply]):
    """Replies 答复 and co-handling opinions, with their evaluations."""

    serializer_class = ProposalReplySerializer

    def get_queryset(self) -> QuerySet[Reply]:
        return (
            Reply.objects.visible_to(self.request.user)
            .select_related("assignment__unit")
            .prefetch_related("evaluations")
            .order_by("-replied_at", "-id")
        )

    @extend_schema(
        summary=gettext_lazy("Publish a reply, or take it down (office)"),
        request=ProposalPublishSerializer,
        responses={200: ProposalReplySerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        reply = self.get_object()
        payload = ProposalPublishSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return _service_call(
            lambda: (
                ProposalReplySerializer(
                    self.get_queryset().get(
                        pk=services.reply_publish(
                            reply=reply, by=request.user, publish=payload.validated_data["publish"]
                        ).pk
                    )
                ).data
            )
        )


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("List opinion reports you may see")),
    retrieve=extend_schema(summary=gettext_lazy("Get an opinion report")),
)
class OpinionReportViewSet(viewsets.ReadOnlyModelViewSet[OpinionReport]):
    """Opinion reports 社情民意: staff see their committees' submitted ones, members their own."""

    serializer_class = OpinionReportSerializer
    filterset_class = ReportFilterSet

    def get_queryset(self) -> QuerySet[OpinionReport]:
        return (
            OpinionReport.objects.visible_to(self.request.user)
            .select_related("committee", "author", "group", "category")
            .prefetch_related(
                Prefetch("authors", queryset=ReportAuthor.objects.select_related("person")),
                "adoption_events",
            )
            .order_by("-submitted_at", "-id")
        )

    def _fresh(self, report: OpinionReport) -> dict[str, Any]:
        return OpinionReportSerializer(self.get_queryset().get(pk=report.pk)).data

    @extend_schema(
        summary=gettext_lazy("Take a step of the report workflow"),
        request=OpinionReportTransitionSerializer,
        responses={200: OpinionReportSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        payload = OpinionReportTransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        return _service_call(
            lambda: self._fresh(
                services.report_transition(
                    report=report, action=data["action"], by=request.user, reason=data["reason"]
                )
            )
        )

    @extend_schema(
        summary=gettext_lazy("Check and edit a report (office); the original is kept"),
        request=OpinionReportCheckSerializer,
        responses={200: OpinionReportSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def check(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        payload = OpinionReportCheckSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return _service_call(
            lambda: self._fresh(
                services.report_check(report=report, by=request.user, **payload.validated_data)
            )
        )

    @extend_schema(
        summary=gettext_lazy("Change a draft or a returned report (its author)"),
        request=OpinionReportWriteSerializer,
        responses={200: OpinionReportSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def edit(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        payload = OpinionReportWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)

        def run() -> dict[str, Any]:
            data = _report_data(report.committee, payload.validated_data)
            return self._fresh(services.report_update(report=report, by=request.user, data=data))

        return _service_call(run)

    @extend_schema(
        summary=gettext_lazy("Record a link of the adoption chain (office)"),
        request=AdoptionWriteSerializer,
        responses={201: AdoptionEventSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def adoptions(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        payload = AdoptionWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        feedback = data.pop("feedback")
        return _service_call(
            lambda: (
                AdoptionEventSerializer(
                    services.adoption_record(
                        report=report,
                        by=request.user,
                        data=services.AdoptionData(**data),
                        feedback=feedback,
                    )
                ).data
            ),
            created=True,
        )


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("List adoption events you may see")),
    retrieve=extend_schema(summary=gettext_lazy("Get an adoption event")),
)
class AdoptionEventViewSet(viewsets.ReadOnlyModelViewSet[AdoptionEvent]):
    serializer_class = AdoptionEventSerializer

    def get_queryset(self) -> OpinionAdoptionQuerySet:
        return AdoptionEvent.objects.visible_to(self.request.user).order_by("-occurred_on", "-id")


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("List bulletin issues (staff)")),
    retrieve=extend_schema(summary=gettext_lazy("Get a bulletin issue")),
)
class BulletinIssueViewSet(viewsets.ReadOnlyModelViewSet[BulletinIssue]):
    serializer_class = BulletinIssueSerializer

    def get_queryset(self) -> QuerySet[BulletinIssue]:
        return (
            BulletinIssue.objects.visible_to(self.request.user)
            .select_related("committee")
            .prefetch_related("entries")
            .order_by("-year", "-number")
        )

    @extend_schema(
        summary=gettext_lazy("Print an accepted report in the issue (office)"),
        request=BulletinEntryWriteSerializer,
        responses={200: BulletinIssueSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def entries(self, request: Request, pk: str | None = None) -> Response:
        issue = self.get_object()
        payload = BulletinEntryWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)

        def run() -> dict[str, Any]:
            report = _one(
                OpinionReport, payload.validated_data["report"], committee_id=issue.committee_id
            )
            services.bulletin_add(issue=issue, report=report, by=request.user)
            return BulletinIssueSerializer(self.get_queryset().get(pk=issue.pk)).data

        return _service_call(run)


# --------------------------------------------------------------------------------------------
# Committee-scoped endpoints (drafts, bulletin issues, search, statistics, policy)


class CommitteeAPIView(APIView):
    """Finds the committee of the URL for the user: 404 when they may not see its work."""

    def readable(self, code: str) -> Committee:
        committee = get_object_or_404(Committee, code=code)
        if not scope_for(self.request.user).can_read_committee(committee):
            raise NotFound(_("There is no committee with this code."))
        return committee

    def writable_by_member(self, code: str) -> Committee:
        committee = get_object_or_404(Committee, code=code)
        if not selectors.member_committees(scope_for(self.request.user).person_id).filter(
            pk=committee.pk
        ):
            raise NotFound(_("There is no committee with this code."))
        return committee


class DraftCreateView(CommitteeAPIView):
    """A member drafts an item in a committee where they hold a seat; a subclass names the
    serializers, the service that creates the item and the viewset that reads it back."""

    write_serializer: type[serializers.Serializer]
    read_serializer: type[serializers.Serializer]
    viewset: type[viewsets.GenericViewSet]
    service: Callable[..., Any]  # services.proposal_create or services.report_create
    to_data: Callable[[Committee, dict[str, Any]], Any]  # validated data → the service's data

    def post(self, request: Request, code: str) -> Response:
        committee = self.writable_by_member(code)
        payload = self.write_serializer(data=request.data)
        payload.is_valid(raise_exception=True)

        def run() -> dict[str, Any]:
            data = type(self).to_data(committee, payload.validated_data)
            item = type(self).service(committee=committee, by=request.user, data=data)
            found = self.viewset(request=request).get_queryset().get(pk=item.pk)
            return self.read_serializer(found).data

        return _service_call(run, created=True)


@extend_schema_view(
    post=extend_schema(
        summary=gettext_lazy("Draft a proposal"),
        parameters=[CODE],
        request=ProposalWriteSerializer,
        responses={201: ProposalSerializer, **WRITE_ERRORS},
    )
)
class ProposalDraftCreateView(DraftCreateView):
    write_serializer = ProposalWriteSerializer
    read_serializer = ProposalSerializer
    viewset = ProposalViewSet
    service = staticmethod(services.proposal_create)
    to_data = staticmethod(_proposal_data)


@extend_schema_view(
    post=extend_schema(
        summary=gettext_lazy("Draft an opinion report"),
        parameters=[CODE],
        request=OpinionReportWriteSerializer,
        responses={201: OpinionReportSerializer, **WRITE_ERRORS},
    )
)
class ReportDraftCreateView(DraftCreateView):
    write_serializer = OpinionReportWriteSerializer
    read_serializer = OpinionReportSerializer
    viewset = OpinionReportViewSet
    service = staticmethod(services.report_create)
    to_data = staticmethod(_report_data)


class BulletinCreateView(CommitteeAPIView):
    @extend_schema(
        summary=gettext_lazy("Start a bulletin issue (office)"),
        parameters=[CODE],
        request=BulletinWriteSerializer,
        responses={201: BulletinIssueSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, code: str) -> Response:
        committee = self.readable(code)
        payload = BulletinWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return _service_call(
            lambda: (
                BulletinIssueSerializer(
                    services.bulletin_create(
                        committee=committee, by=request.user, **payload.validated_data
                    )
                ).data
            ),
            created=True,
        )


class SearchView(CommitteeAPIView):
    @extend_schema(
        summary=gettext_lazy("Full-text search over a committee's proposals, replies, reports"),
        parameters=[
            CODE,
            OpenApiParameter("q", OpenApiTypes.STR, description=gettext_lazy("Words")),
        ],
        responses={200: ProposalSearchHitSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, code: str) -> Response:
        committee = self.readable(code)
        text = str(request.query_params.get("q", ""))[:100]
        results = selectors.search_results(committee, text, request.user) if text.strip() else []
        return Response(ProposalSearchHitSerializer(results, many=True).data)


STATISTICS = inline_serializer(
    "ProposalStatistics",
    {
        "session": serializers.CharField(allow_null=True),
        "submitted": serializers.IntegerField(),
        "accepted": serializers.IntegerField(),
        "acceptance_rate": serializers.FloatField(allow_null=True),
        "by_status": serializers.ListField(child=serializers.ListField()),
        "by_category": serializers.ListField(child=serializers.ListField()),
        "replies": serializers.IntegerField(),
        "replies_on_time": serializers.IntegerField(),
        "on_time_rate": serializers.FloatField(allow_null=True),
        "attitude": serializers.DictField(child=serializers.IntegerField()),
        "result": serializers.DictField(child=serializers.IntegerField()),
        "units": serializers.ListField(child=serializers.DictField()),
    },
)


class StatisticsView(CommitteeAPIView):
    @extend_schema(
        summary=gettext_lazy("Statistics of a session's proposals"),
        parameters=[
            CODE,
            OpenApiParameter(
                "session", OpenApiTypes.INT, description=gettext_lazy("Session id (default: all)")
            ),
        ],
        responses={200: STATISTICS, 404: NOT_FOUND},
    )
    def get(self, request: Request, code: str) -> Response:
        committee = self.readable(code)
        session_id = str(request.query_params.get("session", ""))
        session = None
        if session_id.isdigit():
            session = Session.objects.filter(pk=int(session_id), term__committee=committee).first()
            if session is None:
                raise NotFound(_("No such session."))
        stats = selectors.session_statistics(committee, session)
        return Response(
            {
                "session": str(session) if session else None,
                "submitted": stats.submitted,
                "accepted": stats.accepted,
                "acceptance_rate": stats.acceptance_rate,
                "by_status": stats.by_status,
                "by_category": stats.by_category,
                "replies": stats.replies,
                "replies_on_time": stats.replies_on_time,
                "on_time_rate": stats.on_time_rate,
                "attitude": stats.attitude,
                "result": stats.result,
                "units": [
                    {
                        "unit": row.unit,
                        "assigned": row.assigned,
                        "lead": row.lead,
                        "replied": row.replied,
                        "on_time": row.on_time,
                        "satisfied": row.satisfied,
                        "evaluated": row.evaluated,
                    }
                    for row in stats.units
                ],
            }
        )


class ReportStatisticsView(CommitteeAPIView):
    @extend_schema(
        summary=gettext_lazy("Year-end opinion report statistics per member and per group"),
        parameters=[CODE, OpenApiParameter("year", OpenApiTypes.INT, required=True)],
        responses={
            200: inline_serializer(
                "ReportStatistics",
                {
                    "members": serializers.ListField(child=serializers.DictField()),
                    "groups": serializers.ListField(child=serializers.DictField()),
                },
            ),
            400: INVALID,
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request, code: str) -> Response:
        committee = self.readable(code)
        year = str(request.query_params.get("year", ""))
        if not year.isdigit():
            return Response({"year": [_("Give the year.")]}, status=status.HTTP_400_BAD_REQUEST)
        return Response(
            {
                "members": list(selectors.report_statistics_by_member(committee, int(year))),
                "groups": list(selectors.report_statistics_by_group(committee, int(year))),
            }
        )


class PolicyView(CommitteeAPIView):
    @extend_schema(
        summary=gettext_lazy("A committee's proposal rules"),
        parameters=[CODE],
        responses={200: ProposalPolicySerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, code: str) -> Response:
        committee = get_object_or_404(Committee, code=code)
        scope = scope_for(request.user)
        if not (
            scope.can_read_committee(committee)
            or selectors.member_committees(scope.person_id).filter(pk=committee.pk).exists()
        ):
            raise NotFound(_("There is no committee with this code."))
        return Response(ProposalPolicySerializer(selectors.policy_for(committee)).data)


# --------------------------------------------------------------------------------------------
# Routes

router = SimpleRouter()
router.register("proposals", ProposalViewSet, basename="proposal")
router.register("proposal-assignments", AssignmentViewSet, basename="proposal-assignment")
router.register("proposal-replies", ReplyViewSet, basename="proposal-reply")
router.register("opinion-reports", OpinionReportViewSet, basename="opinion-report")
router.register("adoption-events", AdoptionEventViewSet, basename="adoption-event")
router.register("bulletins", BulletinIssueViewSet, basename="bulletin-issue")

urlpatterns = [
    path(
        "proposal-drafts/<str:code>/",
        ProposalDraftCreateView.as_view(),
        name="proposal-draft-create",
    ),
    path("report-drafts/<str:code>/", ReportDraftCreateView.as_view(), name="report-draft-create"),
    path("bulletin-issues/<str:code>/", BulletinCreateView.as_view(), name="bulletin-create"),
    path("proposal-search/<str:code>/", SearchView.as_view(), name="proposal-search"),
    path("proposal-statistics/<str:code>/", StatisticsView.as_view(), name="proposal-statistics"),
    path(
        "report-statistics/<str:code>/",
        ReportStatisticsView.as_view(),
        name="report-statistics",
    ),
    path("proposal-policies/<str:code>/", PolicyView.as_view(), name="proposal-policy"),
    *router.urls,
]
