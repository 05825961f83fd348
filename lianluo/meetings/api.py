"""REST API of meetings: scoped read-only lists, and action endpoints that call the services.

Mount `router.urls` under /api/ (in lianluo/api/urls.py: `*meetings_api.router.urls`):

    GET  /api/meetings/                      meetings you may see (filters: committee, kind, …)
    GET  /api/meetings/{id}/
    POST /api/meetings/{id}/transition/      {"action": "publish|start|close|cancel", "reason"}
    POST /api/meetings/{id}/close/           close and record attendance
    POST /api/meetings/{id}/checkin/         {"token"}: check the logged-in member in
    POST /api/meetings/{id}/leave/           {"reason"}: ask for leave (the logged-in member)
    POST /api/meetings/{id}/signup/          {"action": "sign_up|withdraw"}
    GET  /api/invitations/  /api/invitations/{id}/
    GET  /api/attendance/   /api/attendance/{id}/      attendance records (with corrections)
    GET  /api/leave-requests/  /api/leave-requests/{id}/
    POST /api/leave-requests/{id}/transition/ {"action": "approve|refuse|withdraw", "reason"}
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from lianluo.core.workflow import InvalidTransition
from lianluo.directory.scoping import scope_for
from lianluo.meetings import services
from lianluo.meetings.filters import (
    AttendanceFilterSet,
    InvitationFilterSet,
    LeaveRequestFilterSet,
    MeetingFilterSet,
)
from lianluo.meetings.models import (
    AttendanceCorrection,
    AttendanceRecord,
    Invitation,
    LeaveRequest,
    Meeting,
)

# ----------------------------------------------------------------------------------------------
# Serializers
# ----------------------------------------------------------------------------------------------


class MeetingSerializer(serializers.ModelSerializer[Meeting]):
    committee = serializers.CharField(source="committee.code", read_only=True)
    organizer = serializers.CharField(source="organizer.name", read_only=True, default=None)
    focus_area = serializers.CharField(source="focus_area.name", read_only=True, default=None)

    class Meta:
        model = Meeting
        fields = (
            "id",
            "committee",
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "place",
            "organizer",
            "studio_name",
            "focus_area",
            "agenda",
            "participation",
            "signup_deadline",
            "capacity",
            "status",
        )


class InvitationSerializer(serializers.ModelSerializer[Invitation]):
    person_name = serializers.CharField(source="person.name", read_only=True)
    sector_name = serializers.CharField(source="sector.name", read_only=True, default=None)

    class Meta:
        model = Invitation
        fields = (
            "id",
            "meeting",
            "person",
            "person_name",
            "sector",
            "sector_name",
            "role",
            "source",
            "status",
            "invited_at",
            "signed_up_at",
            "checked_in_at",
            "checkin_method",
            "arrived_late",
            "left_early",
        )


class CorrectionSerializer(serializers.ModelSerializer[AttendanceCorrection]):
    corrected_by = serializers.CharField(source="corrected_by.username", read_only=True)

    class Meta:
        model = AttendanceCorrection
        fields = (
            "old_status",
            "new_status",
            "old_left_early",
            "new_left_early",
            "reason",
            "corrected_by",
            "corrected_at",
        )


class AttendanceRecordSerializer(serializers.ModelSerializer[AttendanceRecord]):
    committee = serializers.CharField(source="committee.code", read_only=True)
    meeting_kind = serializers.CharField(source="meeting.kind", read_only=True)
    meeting_starts_at = serializers.DateTimeField(source="meeting.starts_at", read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True)
    corrections = CorrectionSerializer(many=True, read_only=True)

    class Meta:
        model = AttendanceRecord
        fields = (
            "id",
            "committee",
            "meeting",
            "meeting_kind",
            "meeting_starts_at",
            "person",
            "person_name",
            "sector",
            "status",
            "checked_in_at",
            "checkin_method",
            "left_early",
            "leave_request",
            "recorded_at",
            "corrections",
        )


class LeaveRequestSerializer(serializers.ModelSerializer[LeaveRequest]):
    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = LeaveRequest
        fields = (
            "id",
            "meeting",
            "person",
            "person_name",
            "reason",
            "status",
            "is_late",
            "approver_role",
            "requested_at",
            "decided_at",
            "decision_note",
        )


class TransitionRequest(serializers.Serializer[Any]):
    action = serializers.CharField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class TokenRequest(serializers.Serializer[Any]):
    token = serializers.CharField()


class ReasonRequest(serializers.Serializer[Any]):
    reason = serializers.CharField(allow_blank=True)


class SignUpRequest(serializers.Serializer[Any]):
    action = serializers.ChoiceField(choices=["sign_up", "withdraw"])


class MessageSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()
    code = serializers.CharField(required=False)


REFUSED = OpenApiResponse(
    MessageSerializer, description=gettext_lazy("The step is not allowed now: `detail` says why.")
)
FORBIDDEN = OpenApiResponse(MessageSerializer, description=gettext_lazy("Not allowed."))
NOT_FOUND = OpenApiResponse(
    MessageSerializer, description=gettext_lazy("No such object, or not visible to you.")
)
INVALID = OpenApiResponse(description=gettext_lazy("Invalid input: a list of messages per field."))


def _refused(error: InvalidTransition) -> Response:
    code = status.HTTP_403_FORBIDDEN if error.code == "not_your_role" else status.HTTP_409_CONFLICT
    return Response({"detail": error.message, "code": error.code}, status=code)


def _invalid(error: ValidationError) -> Response:
    body = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


def _forbidden(error: PermissionDenied) -> Response:
    return Response(
        {"detail": str(error) or _("Not allowed."), "code": "forbidden"},
        status=status.HTTP_403_FORBIDDEN,
    )


def _docs(serializer: type[serializers.Serializer[Any]], *, name: str) -> Any:
    errors = {403: FORBIDDEN, 404: NOT_FOUND}
    return extend_schema_view(
        list=extend_schema(
            summary=gettext_lazy("List %(name)s") % {"name": name},
            responses={200: serializer(many=True), **errors},
        ),
        retrieve=extend_schema(
            summary=gettext_lazy("Get one of %(name)s") % {"name": name},
            responses={200: serializer, **errors},
        ),
    )


# ----------------------------------------------------------------------------------------------
# Viewsets
# ----------------------------------------------------------------------------------------------


@_docs(MeetingSerializer, name="meetings")
class MeetingViewSet(viewsets.ReadOnlyModelViewSet[Meeting]):
    """Meetings and activities you may see: staff their committees', members those they are
    invited to."""

    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet

    def get_queryset(self) -> QuerySet[Meeting]:
        return (
            Meeting.objects.visible_to(self.request.user)
            .select_related("committee", "organizer", "focus_area")
            .order_by("-starts_at", "-id")
        )

    def _transition(self, request: Request, action_name: str, reason: str) -> Response:
        meeting = self.get_object()
        if not scope_for(request.user).can_read_committee(meeting.committee):
            return _forbidden(PermissionDenied(_("Only this committee's office may do this.")))
        try:
            meeting = services.meeting_transition(
                meeting=meeting, action=action_name, by=request.user, reason=reason
            )
        except InvalidTransition as error:
            return _refused(error)
        return Response(MeetingSerializer(meeting).data)

    @extend_schema(
        summary=gettext_lazy("Take a step of the meeting's workflow"),
        request=TransitionRequest,
        responses={200: MeetingSerializer, 403: FORBIDDEN, 404: NOT_FOUND, 409: REFUSED},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str | None = None) -> Response:
        self.get_object()  # 404 before any validation of the body
        body = TransitionRequest(data=request.data)
        body.is_valid(raise_exception=True)
        return self._transition(
            request, body.validated_data["action"], body.validated_data["reason"]
        )

    @extend_schema(
        summary=gettext_lazy("Close the meeting and record attendance"),
        request=None,
        responses={200: MeetingSerializer, 403: FORBIDDEN, 404: NOT_FOUND, 409: REFUSED},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, "close", "")

    @extend_schema(
        summary=gettext_lazy("Check in (the logged-in member) with the meeting's QR token"),
        request=TokenRequest,
        responses={200: InvitationSerializer, 403: REFUSED, 404: NOT_FOUND, 409: REFUSED},
    )
    @action(detail=True, methods=["post"])
    def checkin(self, request: Request, pk: str | None = None) -> Response:
        meeting = self.get_object()
        body = TokenRequest(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            invitation = services.checkin(
                meeting_id=meeting.pk, token=body.validated_data["token"], by=request.user
            )
        except services.CheckinRefused as refused:
            return Response(
                {"detail": refused.message, "code": refused.code}, status=refused.status
            )
        return Response(InvitationSerializer(invitation).data)

    @extend_schema(
        summary=gettext_lazy("Ask for leave from the meeting (the logged-in member)"),
        request=ReasonRequest,
        responses={201: LeaveRequestSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def leave(self, request: Request, pk: str | None = None) -> Response:
        meeting = self.get_object()
        body = ReasonRequest(data=request.data)
        body.is_valid(raise_exception=True)
        invitation = Invitation.objects.filter(
            meeting=meeting, person_id=scope_for(request.user).person_id or 0
        ).first()
        if invitation is None:
            return _forbidden(PermissionDenied(_("You are not on the list of this meeting.")))
        try:
            leave = services.leave_request_create(
                invitation=invitation, reason=body.validated_data["reason"], by=request.user
            )
        except ValidationError as error:
            return _invalid(error)
        return Response(LeaveRequestSerializer(leave).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=gettext_lazy("Sign up for, or withdraw from, a sign-up activity"),
        request=SignUpRequest,
        responses={200: InvitationSerializer, 403: FORBIDDEN, 404: NOT_FOUND, 409: REFUSED},
    )
    @action(detail=True, methods=["post"])
    def signup(self, request: Request, pk: str | None = None) -> Response:
        meeting = self.get_object()
        body = SignUpRequest(data=request.data)
        body.is_valid(raise_exception=True)
        invitation = Invitation.objects.filter(
            meeting=meeting, person_id=scope_for(request.user).person_id or 0
        ).first()
        if invitation is None:
            return _forbidden(PermissionDenied(_("You are not on the list of this meeting.")))
        try:
            if body.validated_data["action"] == "sign_up":
                invitation = services.invitation_sign_up(invitation=invitation, by=request.user)
            else:
                invitation = services.invitation_transition(
                    invitation=invitation, action="withdraw", by=request.user
                )
        except InvalidTransition as error:
            return _refused(error)
        return Response(InvitationSerializer(invitation).data)


@_docs(InvitationSerializer, name="invitations")
class InvitationViewSet(viewsets.ReadOnlyModelViewSet[Invitation]):
    """Places on meetings' lists: staff their committees', a member their own."""

    serializer_class = InvitationSerializer
    filterset_class = InvitationFilterSet

    def get_queryset(self) -> QuerySet[Invitation]:
        return (
            Invitation.objects.visible_to(self.request.user)
            .select_related("person", "sector")
            .order_by("meeting_id", "person__name_sort_key", "id")
        )


@_docs(AttendanceRecordSerializer, name="attendance records")
class AttendanceRecordViewSet(viewsets.ReadOnlyModelViewSet[AttendanceRecord]):
    """Attendance records of closed meetings, each with its corrections (earlier values)."""

    serializer_class = AttendanceRecordSerializer
    filterset_class = AttendanceFilterSet

    def get_queryset(self) -> QuerySet[AttendanceRecord]:
        return (
            AttendanceRecord.objects.visible_to(self.request.user)
            .select_related("committee", "meeting", "person")
            .prefetch_related(
                Prefetch(
                    "corrections",
                    queryset=AttendanceCorrection.objects.select_related("corrected_by").order_by(
                        "corrected_at", "id"
                    ),
                )
            )
            .order_by("-meeting__starts_at", "meeting_id", "person__name_sort_key", "id")
        )


@_docs(LeaveRequestSerializer, name="leave requests")
class LeaveRequestViewSet(viewsets.ReadOnlyModelViewSet[LeaveRequest]):
    """Leave requests: staff their committees', a member their own, an approver those they
    decide."""

    serializer_class = LeaveRequestSerializer
    filterset_class = LeaveRequestFilterSet

    def get_queryset(self) -> QuerySet[LeaveRequest]:
        return (
            LeaveRequest.objects.visible_to(self.request.user)
            .select_related("person", "meeting")
            .order_by("-requested_at", "-id")
        )

    @extend_schema(
        summary=gettext_lazy("Approve, refuse or withdraw a leave request"),
        request=TransitionRequest,
        responses={200: LeaveRequestSerializer, 403: FORBIDDEN, 404: NOT_FOUND, 409: REFUSED},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str | None = None) -> Response:
        leave = self.get_object()
        body = TransitionRequest(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            leave = services.leave_transition(
                leave=leave,
                action=body.validated_data["action"],
                by=request.user,
                reason=body.validated_data["reason"],
            )
        except InvalidTransition as error:
            return _refused(error)
        return Response(LeaveRequestSerializer(leave).data)


router = SimpleRouter()
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("invitations", InvitationViewSet, basename="invitation")
router.register("attendance", AttendanceRecordViewSet, basename="attendance-record")
router.register("leave-requests", LeaveRequestViewSet, basename="leave-request")
