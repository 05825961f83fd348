"""The assessment REST API: assessments, results, score lines and objections (scoped reads),
the actions that call the services (recompute, freeze, re-open, object, decide), and the
rulebook check that lists problems with their lines.

`router` holds the routes; the API app mounts them under /api/ (e.g. /api/assessment/results/).
Every queryset goes through `visible_to(request.user)`; a member sees only their own rows.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from lianluo.assessment import services
from lianluo.assessment.models import Assessment, MemberResult, Objection, ScoreLine
from lianluo.core.filters import IdFilter, StrictBooleanFilter, YearFilter
from lianluo.core.workflow import InvalidTransition
from lianluo.directory.scoping import scope_for


class AssessmentSerializer(serializers.ModelSerializer[Assessment]):
    committee = serializers.CharField(source="committee.code", read_only=True)
    rulebook_version = serializers.IntegerField(
        source="rulebook_version.number", read_only=True, allow_null=True
    )

    class Meta:
        model = Assessment
        fields = [
            "id",
            "committee",
            "year",
            "state",
            "rulebook_version",
            "computed_at",
            "frozen_at",
            "objections_until",
        ]


class ResultSerializer(serializers.ModelSerializer[MemberResult]):
    name = serializers.CharField(source="person.name", read_only=True)
    sector = serializers.CharField(source="sector.name", read_only=True, allow_null=True)

    class Meta:
        model = MemberResult
        fields = [
            "id",
            "assessment",
            "person",
            "name",
            "sector",
            "role",
            "share",
            "assessed",
            "parts",
            "total",
            "grade",
            "grade_label",
            "next_grade_label",
            "to_next_grade",
            "plan",
            "line_count",
            "computed_at",
        ]


class LineSerializer(serializers.ModelSerializer[ScoreLine]):
    class Meta:
        model = ScoreLine
        fields = [
            "id",
            "assessment",
            "person",
            "seq",
            "part",
            "rule_id",
            "rule_label",
            "kind",
            "record_id",
            "record_date",
            "record_url",
            "record_label",
            "price",
            "points",
            "note",
        ]


class ObjectionSerializer(serializers.ModelSerializer[Objection]):
    line = serializers.IntegerField(write_only=True, required=False, allow_null=True)

    class Meta:
        model = Objection
        fields = [
            "id",
            "assessment",
            "person",
            "kind",
            "line",
            "rule_id",
            "rule_label",
            "record_kind",
            "record_id",
            "record_label",
            "record_url",
            "line_points",
            "text",
            "status",
            "decided_at",
            "decision_reason",
            "created_at",
        ]
        read_only_fields = [
            "person",
            "kind",
            "rule_id",
            "rule_label",
            "record_kind",
            "record_id",
            "record_label",
            "record_url",
            "line_points",
            "status",
            "decided_at",
            "decision_reason",
            "created_at",
        ]


class ObjectionDecisionSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(choices=["accept", "reject", "withdraw"])
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    points = serializers.DecimalField(
        max_digits=9, decimal_places=2, required=False, allow_null=True
    )
    part = serializers.CharField(required=False, allow_blank=True, default="")


class RulebookCheckSerializer(serializers.Serializer[Any]):
    text = serializers.CharField()

    def validate_text(self, value: str) -> str:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            raise ValidationError(
                _("The text holds characters that are not valid Unicode.")
            ) from error
        return value

    year = serializers.IntegerField(min_value=1950, max_value=2199)


class ProblemSerializer(serializers.Serializer[Any]):
    line = serializers.IntegerField()
    message = serializers.SerializerMethodField()
    code = serializers.CharField()

    def get_message(self, problem: Any) -> str:
        # A message quotes the text, which may hold lone surrogates (a YAML escape): replaced.
        return str(problem.message).encode("utf-8", "replace").decode("utf-8")


def _refuse(error: InvalidTransition | DjangoValidationError) -> ValidationError:
    if isinstance(error, InvalidTransition):
        return ValidationError({"detail": error.message, "code": error.code})
    return ValidationError(error.messages)


class AssessmentFilterSet(django_filters.FilterSet):
    year = YearFilter()
    state = django_filters.ChoiceFilter(choices=Assessment.State.choices)


class ResultFilterSet(django_filters.FilterSet):
    assessment = IdFilter()
    person = IdFilter()
    sector = IdFilter()
    grade = django_filters.CharFilter()
    assessed = StrictBooleanFilter()


class LineFilterSet(django_filters.FilterSet):
    assessment = IdFilter()
    person = IdFilter()
    part = django_filters.CharFilter()
    kind = django_filters.CharFilter()
    rule_id = django_filters.CharFilter()


class ObjectionFilterSet(django_filters.FilterSet):
    assessment = IdFilter()
    person = IdFilter()
    status = django_filters.ChoiceFilter(choices=Objection.Status.choices)


class AssessmentViewSet(viewsets.ReadOnlyModelViewSet[Assessment]):
    """Assessments the user may see; the office recomputes, freezes and re-opens its own."""

    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilterSet

    def get_queryset(self) -> QuerySet[Assessment]:
        return (
            Assessment.objects.visible_to(self.request.user)
            .select_related("committee", "rulebook_version")
            .order_by("committee__path", "-year")
        )

    def _office(self) -> Assessment:
        assessment = self.get_object()
        if not scope_for(self.request.user).can_edit_committee(assessment.committee_id):
            raise PermissionDenied
        return assessment

    @extend_schema(request=None, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def recompute(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        assessment = self._office()
        try:
            services.assessment_recompute(assessment=assessment, by=request.user)
        except (InvalidTransition, DjangoValidationError) as error:
            raise _refuse(error) from error
        return Response(AssessmentSerializer(assessment).data)

    @extend_schema(request=None, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def freeze(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        assessment = self._office()
        try:
            assessment = services.assessment_freeze(assessment=assessment, by=request.user)
        except InvalidTransition as error:
            raise _refuse(error) from error
        return Response(AssessmentSerializer(assessment).data)

    @extend_schema(request=ObjectionDecisionSerializer, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        assessment = self._office()
        try:
            assessment = services.assessment_reopen(
                assessment=assessment, by=request.user, reason=str(request.data.get("reason", ""))
            )
        except InvalidTransition as error:
            raise _refuse(error) from error
        return Response(AssessmentSerializer(assessment).data)


class ResultViewSet(viewsets.ReadOnlyModelViewSet[MemberResult]):
    """Members' results (a member: their own), best total first."""

    serializer_class = ResultSerializer
    filterset_class = ResultFilterSet

    def get_queryset(self) -> QuerySet[MemberResult]:
        return (
            MemberResult.objects.visible_to(self.request.user)
            .select_related("person", "sector")
            .order_by("assessment_id", "-total", "person_id")
        )


class LineViewSet(viewsets.ReadOnlyModelViewSet[ScoreLine]):
    """Score lines: one per (rule, record), with the record's link (a member: their own)."""

    serializer_class = LineSerializer
    filterset_class = LineFilterSet

    def get_queryset(self) -> QuerySet[ScoreLine]:
        return ScoreLine.objects.visible_to(self.request.user).order_by(
            "assessment_id", "person_id", "seq"
        )


class ObjectionViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Objection],
):
    """Objections: a member files one (to a line, or for a missing record); the office accepts
    or rejects it; the member may withdraw it."""

    serializer_class = ObjectionSerializer
    filterset_class = ObjectionFilterSet

    def get_queryset(self) -> QuerySet[Objection]:
        return (
            Objection.objects.visible_to(self.request.user)
            .select_related("assessment__committee", "person")
            .order_by("-created_at", "-id")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        scope = scope_for(request.user)
        if scope.person_id is None:
            raise PermissionDenied  # only members object, to their own score
        assessment_id = request.data.get("assessment")
        assessment = (
            Assessment.objects.visible_to(request.user)
            .filter(pk=assessment_id if str(assessment_id).isdigit() else None)
            .select_related("committee")
            .first()
        )
        if assessment is None:
            raise NotFound
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        line = None
        if serializer.validated_data.get("line"):
            line = ScoreLine.objects.filter(
                pk=serializer.validated_data["line"],
                assessment=assessment,
                person_id=scope.person_id,
            ).first()
            if line is None:
                raise ValidationError({"line": _("This is not a line of your score.")})
        from lianluo.directory.models import Person

        try:
            objection = services.objection_submit(
                assessment=assessment,
                person=Person.objects.get(pk=scope.person_id),
                by=request.user,
                text=serializer.validated_data["text"],
                line=line,
            )
        except (InvalidTransition, DjangoValidationError) as error:
            raise _refuse(error) from error
        return Response(ObjectionSerializer(objection).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ObjectionDecisionSerializer, responses=ObjectionSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        objection = self.get_object()
        data = ObjectionDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            objection = services.objection_transition(
                objection=objection, by=request.user, **data.validated_data
            )
        except (InvalidTransition, DjangoValidationError) as error:
            raise _refuse(error) from error
        return Response(ObjectionSerializer(objection).data)


class RulebookViewSet(viewsets.ViewSet):
    """Rulebook tools: `check` lists a text's problems, each with its line ([] when valid)."""

    @extend_schema(request=RulebookCheckSerializer, responses=ProblemSerializer(many=True))
    @action(detail=False, methods=["post"])
    def check(self, request: Request, **kwargs: Any) -> Response:
        data = RulebookCheckSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        problems = services.rulebook_check(**data.validated_data)
        return Response(ProblemSerializer(problems, many=True).data)


router = SimpleRouter()
router.register("assessment/assessments", AssessmentViewSet, basename="assessment")
router.register("assessment/results", ResultViewSet, basename="assessment-result")
router.register("assessment/lines", LineViewSet, basename="assessment-line")
router.register("assessment/objections", ObjectionViewSet, basename="assessment-objection")
router.register("assessment/rulebooks", RulebookViewSet, basename="assessment-rulebook")
