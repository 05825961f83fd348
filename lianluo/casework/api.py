"""The concerns API (DRF): read-only lists scoped by `visible_to`, and explicit step endpoints
that call the one workflow service.

* `casework/concerns/` — staff, auditors, members: the concerns they may see;
  `POST casework/concerns/{id}/transition/` takes one workflow step.
* `casework/unit/concerns/` — a handling unit's own system (token authentication): what is
  assigned to the unit; `POST …/{id}/accept/`, `…/return/`, `…/clarification/`, `…/reply/`.

Mount with `*router.urls` inside the API's urlpatterns (under /api/).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from lianluo.casework import codes, selectors, services
from lianluo.casework.filters import ConcernFilterSet
from lianluo.casework.models import Category, Concern
from lianluo.casework.workflow import ACTION_LABELS
from lianluo.core.workflow import InvalidTransition
from lianluo.directory.models import FocusArea, Organization


class ConcernSerializer(serializers.ModelSerializer[Concern]):
    """A concern as staff see it; the constituent's data only masked."""

    category: serializers.SlugRelatedField[Category] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    committee: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    handling_unit = serializers.StringRelatedField(read_only=True, allow_null=True)  # type: ignore[var-annotated]
    member = serializers.StringRelatedField(read_only=True, allow_null=True)  # type: ignore[var-annotated]
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    name_masked = serializers.CharField(read_only=True)

    class Meta:
        model = Concern
        fields = (
            "id",
            "code",
            "committee",
            "topic",
            "description",
            "place",
            "status",
            "status_label",
            "category",
            "urgency",
            "source",
            "handling_unit",
            "member",
            "deadline",
            "is_overdue",
            "received_at",
            "replied_at",
            "closed_at",
            "outcome",
            "reply_text",
            "rating",
            "name_masked",
            "mobile_masked",
        )
        read_only_fields = fields


class UnitConcernSerializer(serializers.ModelSerializer[Concern]):
    """A concern as its handling unit's system receives it (no personal data)."""

    category: serializers.SlugRelatedField[Category] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Concern
        fields = (
            "id",
            "code",
            "topic",
            "description",
            "place",
            "category",
            "urgency",
            "status",
            "deadline",
            "is_overdue",
            "received_at",
            "replied_at",
            "outcome",
            "reply_text",
        )
        read_only_fields = fields


class TransitionSerializer(serializers.Serializer[Any]):
    """One workflow step. Which fields a step needs: triage — category (code), urgency,
    focus_area (id); forward / reassign — unit (id), deadline; handle_directly — deadline;
    convert — converted_to; reply — text, outcome; rate — rating, comment; merge — target (code).
    Declining, returning, reopening, supervising and the like need a reason."""

    action = serializers.ChoiceField(
        choices=[a for a in ACTION_LABELS if a not in ("remind", "escalate")]
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    category = serializers.CharField(required=False, max_length=40)
    focus_area = serializers.IntegerField(required=False)
    urgency = serializers.ChoiceField(choices=Concern.Urgency.choices, required=False)
    unit = serializers.IntegerField(required=False)
    deadline = serializers.DateField(required=False, allow_null=True)
    converted_to = serializers.ChoiceField(choices=Concern.ConvertedTo.choices, required=False)
    text = serializers.CharField(required=False, max_length=4000)
    outcome = serializers.ChoiceField(choices=Concern.Outcome.choices, required=False)
    rating = serializers.ChoiceField(choices=Concern.Rating.choices, required=False)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    target = serializers.CharField(required=False, max_length=20)


class ReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=4000)


class ReplySerializer(serializers.Serializer[Any]):
    """The unit's answer: text, outcome and up to five attachments (multipart)."""

    text = serializers.CharField(max_length=4000)
    outcome = serializers.ChoiceField(
        choices=Concern.Outcome.choices,
        help_text=gettext_lazy(
            "resolved, partly_resolved or explained (declining is the office's)"
        ),
    )
    files = serializers.ListField(child=serializers.FileField(), required=False, max_length=5)


class StepErrorSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()
    code = serializers.CharField()


REFUSED = OpenApiResponse(
    StepErrorSerializer, description=gettext_lazy("The step is not possible now or not yours.")
)


def _resolve(concern: Concern, data: dict[str, Any]) -> dict[str, Any]:
    """Ids and codes of the request turned into the records the service expects."""
    resolved = dict(data)
    committee_id = concern.committee_id
    if "category" in data:
        resolved["category"] = Category.objects.filter(
            committee_id=committee_id, code=data["category"]
        ).first()
    if "focus_area" in data:
        resolved["focus_area"] = FocusArea.objects.filter(
            committee_id=committee_id, pk=data["focus_area"]
        ).first()
    if "unit" in data:
        resolved["unit"] = Organization.objects.filter(
            committee_id=committee_id, pk=data["unit"]
        ).first()
    if "target" in data:
        resolved["target"] = Concern.objects.filter(
            committee_id=committee_id, code=codes.normalize(data["target"])
        ).first()
    return resolved


def _step(
    concern: Concern, request: Request, step: str, reason: str, data: dict[str, Any]
) -> Response:
    try:
        done = services.concern_transition(
            concern=concern, action=step, by=request.user, reason=reason, data=data
        )
    except InvalidTransition as error:
        return Response(
            {"detail": error.message, "code": error.code}, status=status.HTTP_409_CONFLICT
        )
    except ValidationError as error:
        detail = error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    except PermissionDenied as error:
        return Response(
            {"detail": str(error), "code": "not_allowed"}, status=status.HTTP_403_FORBIDDEN
        )
    return Response(ConcernSerializer(done).data)


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("List concerns you may see")),
    retrieve=extend_schema(summary=gettext_lazy("Get a concern")),
)
class ConcernViewSet(viewsets.ReadOnlyModelViewSet[Concern]):
    """Concerns: staff see their committees' (those below read-only), members those addressed
    to them, units what is assigned to them. Filter with the inbox's filters and `committee`."""

    serializer_class = ConcernSerializer
    filterset_class = ConcernFilterSet

    def get_queryset(self) -> QuerySet[Concern]:
        queryset = selectors.concern_list(Concern.objects.visible_to(self.request.user)).defer(
            "mobile_encrypted"
        )
        committee = self.request.query_params.get("committee")
        if committee:
            queryset = queryset.filter(committee__code=committee)
        return queryset.order_by("-received_at", "-id")

    @extend_schema(
        summary=gettext_lazy("Take a workflow step"),
        request=TransitionSerializer,
        responses={
            200: ConcernSerializer,
            400: OpenApiResponse(description="bad data"),
            409: REFUSED,
        },
    )
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        concern = self.get_object()
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        step = data.pop("action")
        reason = data.pop("reason", "")
        return _step(concern, request, step, reason, _resolve(concern, data))


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("List the concerns assigned to your unit")),
    retrieve=extend_schema(summary=gettext_lazy("Get a concern assigned to your unit")),
)
class UnitConcernViewSet(viewsets.ReadOnlyModelViewSet[Concern]):
    """For a handling unit's own system (token authentication): what is assigned to the unit,
    open ones first by deadline; accept, return, ask for clarification, reply."""

    serializer_class = UnitConcernSerializer
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self) -> QuerySet[Concern]:
        return selectors.unit_queue(self.request.user)

    @extend_schema(
        summary=gettext_lazy("Accept the concern"),
        request=None,
        responses={200: ConcernSerializer, 409: REFUSED},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        return _step(self.get_object(), request, "accept", "", {})

    @extend_schema(
        summary=gettext_lazy("Return a wrongly assigned concern"),
        request=ReasonSerializer,
        responses={200: ConcernSerializer, 409: REFUSED},
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        concern = self.get_object()  # 404 before anything is said about the body
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _step(concern, request, "return", serializer.validated_data["reason"], {})

    @extend_schema(
        summary=gettext_lazy("Ask for clarification"),
        request=ReasonSerializer,
        responses={200: ConcernSerializer, 409: REFUSED},
    )
    @action(detail=True, methods=["post"])
    def clarification(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        concern = self.get_object()
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _step(
            concern,
            request,
            "ask_clarification",
            serializer.validated_data["reason"],
            {},
        )

    @extend_schema(
        summary=gettext_lazy("Reply to the concern"),
        request={"application/json": ReplySerializer, "multipart/form-data": ReplySerializer},
        responses={
            200: ConcernSerializer,
            400: OpenApiResponse(description="bad data"),
            409: REFUSED,
        },
    )
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        concern = self.get_object()
        serializer = ReplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _step(concern, request, "reply", "", dict(serializer.validated_data))


router = DefaultRouter()
router.register("casework/concerns", ConcernViewSet, basename="casework-concern")
router.register("casework/unit/concerns", UnitConcernViewSet, basename="casework-unit-concern")
urlpatterns = router.urls
