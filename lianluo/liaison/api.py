"""The liaison REST API: studios (public read, published only), activities (scoped read, and
create through the service), assignments (scoped read) and coverage (per committee).

`router` holds the routes; the API app mounts them under /api/ (e.g. /api/liaison/studios/).
Every queryset goes through `visible_to(request.user)` or a `*_public()` selector.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from lianluo.directory.models import Committee, FocusArea, Membership, Organization
from lianluo.directory.scoping import scope_for
from lianluo.liaison import selectors, services
from lianluo.liaison.filters import ActivityFilterSet, AssignmentFilterSet, PublicStudioFilterSet
from lianluo.liaison.models import (
    ActivityGroup,
    ActivityParticipant,
    ConstituentGroup,
    LiaisonActivity,
    LiaisonAssignment,
    Studio,
    StudioMember,
)

_CODE = re.compile(r"[0-9]{6}")


class LiaisonErrorSerializer(serializers.Serializer):
    """The body of an error answer: `{"detail": "..."}`."""

    detail = serializers.CharField(help_text=gettext_lazy("What went wrong."))


NOT_LOGGED_IN = OpenApiResponse(
    LiaisonErrorSerializer, description=gettext_lazy("Not logged in: no valid session or token.")
)
FORBIDDEN = OpenApiResponse(LiaisonErrorSerializer, description=gettext_lazy("Not allowed."))
NOT_FOUND = OpenApiResponse(
    LiaisonErrorSerializer, description=gettext_lazy("No such object, or not visible to you.")
)
INVALID = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=gettext_lazy("Invalid input: a list of messages per field or parameter."),
)
ERRORS = {401: NOT_LOGGED_IN, 403: FORBIDDEN, 404: NOT_FOUND}


# ---------------------------------------------------------------------------------------------
# Serializers


class NamedSeatSerializer(serializers.Serializer):
    membership = serializers.IntegerField(help_text=gettext_lazy("The seat (membership) id."))
    name = serializers.CharField()
    sector = serializers.CharField(allow_blank=True)


class ReceptionDayPublicSerializer(serializers.Serializer):
    date = serializers.DateField()
    start_time = serializers.RegexField(
        r"^[0-2][0-9]:[0-5][0-9]$", help_text=gettext_lazy("Local time (Asia/Shanghai), HH:MM.")
    )
    end_time = serializers.RegexField(
        r"^[0-2][0-9]:[0-5][0-9]$", help_text=gettext_lazy("Local time (Asia/Shanghai), HH:MM.")
    )
    topic = serializers.CharField(allow_blank=True)
    cancelled = serializers.BooleanField()
    members_on_duty = serializers.ListField(child=serializers.CharField())


def _day(day: Any) -> dict[str, Any] | None:
    if day is None:
        return None
    return {
        "date": f"{day.date:%Y-%m-%d}",
        "start_time": f"{day.start_time:%H:%M}",
        "end_time": f"{day.end_time:%H:%M}",
        "topic": day.topic,
        "cancelled": day.status == day.Status.CANCELLED,
        "members_on_duty": [d.membership.person.name for d in day.duties.all()],
    }


class StudioPublicSerializer(serializers.ModelSerializer[Studio]):
    """What a studio publishes. Members appear by name and sector only."""

    committee: serializers.SlugRelatedField[Committee] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    committee_name = serializers.CharField(source="committee.name", read_only=True)
    sector = serializers.CharField(
        source="sector.name", read_only=True, allow_null=True, default=None
    )
    members = serializers.SerializerMethodField()
    next_reception_day = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Studio
        fields = (
            "id",
            "name",
            "committee",
            "committee_name",
            "host_organization",
            "sector",
            "area_name",
            "area_code",
            "town",
            "address",
            "latitude",
            "longitude",
            "phone",
            "online_url",
            "reception_note",
            "members",
            "next_reception_day",
            "url",
        )

    @extend_schema_field(NamedSeatSerializer(many=True))
    def get_members(self, studio: Studio) -> list[dict[str, Any]]:
        return [
            {
                "membership": row.membership_id,
                "name": row.membership.person.name,
                "sector": row.membership.sector.name if row.membership.sector else "",
            }
            for row in studio.studio_members.all()
        ]

    @extend_schema_field(ReceptionDayPublicSerializer(allow_null=True))
    def get_next_reception_day(self, studio: Studio) -> dict[str, Any] | None:
        return _day(getattr(studio, "next_day", None))

    def get_url(self, studio: Studio) -> str:
        path = reverse("liaison:public_studio", args=[studio.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class ActivitySerializer(serializers.ModelSerializer[LiaisonActivity]):
    committee: serializers.SlugRelatedField[Committee] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    sector_name = serializers.CharField(
        source="sector.name", read_only=True, allow_null=True, default=None
    )
    focus_area_name = serializers.CharField(
        source="focus_area.name", read_only=True, allow_null=True, default=None
    )
    participants = serializers.SerializerMethodField()
    groups = serializers.SerializerMethodField()
    attachments = serializers.IntegerField(
        source="attachment_count", read_only=True, help_text=gettext_lazy("Number of files.")
    )

    class Meta:
        model = LiaisonActivity
        fields = (
            "id",
            "committee",
            "kind",
            "date",
            "place",
            "studio",
            "sector",
            "sector_name",
            "focus_area",
            "focus_area_name",
            "headcount",
            "summary",
            "follow_ups",
            "participants",
            "groups",
            "attachments",
        )

    @extend_schema_field(NamedSeatSerializer(many=True))
    def get_participants(self, activity: LiaisonActivity) -> list[dict[str, Any]]:
        return [
            {
                "membership": link.membership_id,
                "name": link.membership.person.name,
                "sector": link.membership.sector.name if link.membership.sector else "",
            }
            for link in activity.participant_links.all()
        ]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_groups(self, activity: LiaisonActivity) -> list[int]:
        return [link.group_id for link in activity.group_links.all()]


class ActivityCreateSerializer(serializers.Serializer):
    """A new activity. Ids are of the committee's seats, groups, focus areas, sectors, studios.
    A member is always recorded among the participants; office staff record on behalf."""

    committee = serializers.RegexField(r"^[0-9]{6}$", help_text=gettext_lazy("Committee code."))
    kind = serializers.ChoiceField(choices=LiaisonActivity.Kind.choices)
    date = serializers.DateField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    participants = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list, max_length=200
    )
    groups = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list, max_length=200
    )
    headcount = serializers.IntegerField(
        min_value=0, max_value=1_000_000, required=False, default=0
    )
    focus_area = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, default=None
    )
    sector = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    studio = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    summary = serializers.CharField(max_length=10_000)
    follow_ups = serializers.CharField(
        max_length=10_000, required=False, allow_blank=True, default=""
    )


class AssignmentSerializer(serializers.ModelSerializer[LiaisonAssignment]):
    committee: serializers.SlugRelatedField[Committee] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    group_name = serializers.CharField(source="group.name", read_only=True)
    group_sector = serializers.CharField(
        source="group.sector.name", read_only=True, allow_null=True, default=None
    )
    member_name = serializers.CharField(source="membership.person.name", read_only=True)
    member_sector = serializers.CharField(
        source="membership.sector.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = LiaisonAssignment
        fields = (
            "id",
            "committee",
            "group",
            "group_name",
            "group_sector",
            "membership",
            "member_name",
            "member_sector",
            "role",
            "start_date",
            "end_date",
        )


class CoverageGroupSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    sector = serializers.CharField(allow_null=True)
    area_name = serializers.CharField(allow_blank=True)
    area_code = serializers.CharField(allow_blank=True)
    last_contact = serializers.DateField(allow_null=True)


class CoverageSectorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    last_contact = serializers.DateField(allow_null=True)


class CoverageAreaSerializer(serializers.Serializer):
    area_name = serializers.CharField(allow_blank=True)
    area_code = serializers.CharField(allow_blank=True)
    groups = serializers.IntegerField()
    last_contact = serializers.DateField(allow_null=True)


class CoverageMemberSerializer(serializers.Serializer):
    membership = serializers.IntegerField()
    name = serializers.CharField()
    sector = serializers.CharField(allow_null=True)
    last_contact = serializers.DateField(allow_null=True)


class CoverageSerializer(serializers.Serializer):
    committee = serializers.CharField()
    days = serializers.IntegerField()
    since = serializers.DateField()
    groups_total = serializers.IntegerField()
    sectors_total = serializers.IntegerField()
    areas_total = serializers.IntegerField()
    members_total = serializers.IntegerField()
    groups = CoverageGroupSerializer(many=True)
    sectors = CoverageSectorSerializer(many=True)
    areas = CoverageAreaSerializer(many=True)
    members = CoverageMemberSerializer(many=True)


# ---------------------------------------------------------------------------------------------
# Viewsets


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("List published studios"),
        description=gettext_lazy(
            "Public. Published members' studios with their address, phone, reception days, "
            "members (names and sectors) and the next reception day with the members on duty."
        ),
        auth=[],
        responses={200: StudioPublicSerializer(many=True), 400: INVALID, 404: NOT_FOUND},
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("Get a published studio"),
        auth=[],
        responses={200: StudioPublicSerializer, 404: NOT_FOUND},
    ),
)
class StudioPublicViewSet(viewsets.ReadOnlyModelViewSet):
    """Published studios, for anyone."""

    permission_classes = (AllowAny,)
    authentication_classes = ()
    serializer_class = StudioPublicSerializer
    filterset_class = PublicStudioFilterSet

    def get_queryset(self) -> QuerySet[Studio]:
        return selectors.studios_public().prefetch_related(
            Prefetch(
                "studio_members",
                queryset=StudioMember.objects.select_related(
                    "membership__person", "membership__sector"
                ).order_by("-role", "membership__person__name_sort_key", "id"),
            )
        )

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        if page is not None:
            selectors.with_next_days(page, today=timezone.localdate())
        return page

    def get_object(self) -> Studio:
        studio: Studio = super().get_object()
        selectors.with_next_days([studio], today=timezone.localdate())
        return studio


def _committee(code: str, user: Any) -> Committee:
    committee = Committee.objects.filter(code=code).first() if _CODE.fullmatch(code) else None
    scope = scope_for(user)
    if committee is None or not (
        scope.can_read_committee(committee) or committee.pk in scope.member_committee_ids
    ):
        raise ValidationError({"committee": [_("There is no committee with this code.")]})
    return committee


def _one(model: Any, pk: int | None, field: str, **filters: Any) -> Any:
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk, **filters).first()
    if obj is None:
        raise ValidationError({field: [_("Choose one of this committee's.")]})
    return obj


def _many(model: Any, ids: list[int], field: str, **filters: Any) -> list[Any]:
    wanted = list(dict.fromkeys(ids))
    found = {obj.pk: obj for obj in model.objects.filter(pk__in=wanted, **filters)}
    if len(found) != len(wanted):
        raise ValidationError({field: [_("Choose among this committee's.")]})
    return [found[pk] for pk in wanted]


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("List liaison activities"),
        description=gettext_lazy(
            "Activities you may see: staff their committees', conveners their sector's, members "
            "those they took part in."
        ),
        responses={200: ActivitySerializer(many=True), 400: INVALID, **ERRORS},
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("Get a liaison activity"),
        responses={200: ActivitySerializer, **ERRORS},
    ),
    create=extend_schema(
        summary=gettext_lazy("Record a liaison activity"),
        description=gettext_lazy(
            "A member records for a committee where they hold a serving seat (and is always "
            "among the participants); office staff record on members' behalf. The date is "
            "required and cannot be in the future. Attachments are added on the page."
        ),
        request=ActivityCreateSerializer,
        responses={201: ActivitySerializer, 400: INVALID, 401: NOT_LOGGED_IN, 403: FORBIDDEN},
    ),
)
class ActivityViewSet(
    mixins.CreateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Liaison activities: scoped reads, and create through `services.activity_create`."""

    serializer_class = ActivitySerializer
    filterset_class = ActivityFilterSet

    def get_queryset(self) -> QuerySet[LiaisonActivity]:
        return (
            LiaisonActivity.objects.visible_to(self.request.user)
            .select_related("committee", "sector", "focus_area")
            .prefetch_related(
                Prefetch(
                    "participant_links",
                    queryset=ActivityParticipant.objects.select_related(
                        "membership__person", "membership__sector"
                    ).order_by("membership__person__name_sort_key", "id"),
                ),
                Prefetch("group_links", queryset=ActivityGroup.objects.order_by("id")),
            )
            .annotate(attachment_count=Count("attachments"))
            .order_by("-date", "-id")
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return ActivityCreateSerializer if self.action == "create" else ActivitySerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = ActivityCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        committee = _committee(data["committee"], request.user)
        if not services.may_record_for(request.user, committee):
            raise PermissionDenied(_("You may not record activities for this committee."))
        in_committee = {"committee": committee}
        try:
            activity = services.activity_create(
                committee=committee,
                by=request.user,
                kind=data["kind"],
                date=data["date"],
                place=data["place"],
                participants=_many(
                    Membership, data["participants"], "participants", **in_committee
                ),
                groups=_many(ConstituentGroup, data["groups"], "groups", **in_committee),
                headcount=data["headcount"],
                focus_area=_one(FocusArea, data["focus_area"], "focus_area", **in_committee),
                sector=_one(
                    Organization,
                    data["sector"],
                    "sector",
                    classification=Organization.Classification.SECTOR,
                    **in_committee,
                ),
                studio=_one(Studio, data["studio"], "studio", **in_committee),
                summary=data["summary"],
                follow_ups=data["follow_ups"],
            )
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from error
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from error
        created = self.get_queryset().get(pk=activity.pk)
        return Response(ActivitySerializer(created).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("List liaison assignments"),
        description=gettext_lazy(
            "Who serves which constituent group: staff see their committees', conveners their "
            "sector's, members their own."
        ),
        responses={200: AssignmentSerializer(many=True), 400: INVALID, **ERRORS},
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("Get a liaison assignment"),
        responses={200: AssignmentSerializer, **ERRORS},
    ),
)
class AssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilterSet

    def get_queryset(self) -> QuerySet[LiaisonAssignment]:
        return (
            LiaisonAssignment.objects.visible_to(self.request.user)
            .select_related(
                "committee", "group", "group__sector", "membership__person", "membership__sector"
            )
            .order_by("committee__path", "group__name", "group_id", "-role", "id")
        )


class CoverageViewSet(viewsets.ViewSet):
    """Coverage of a committee: who had no contact in the last N days."""

    lookup_field = "code"
    lookup_value_regex = "[0-9]{6}"

    @extend_schema(
        summary=gettext_lazy("Coverage of a committee"),
        description=gettext_lazy(
            "The active constituent groups no activity reached in the last `days` days, the "
            "sectors with no activity, the areas with none and the serving members who logged "
            "none. Office staff and auditors see the committee; a convener their sector."
        ),
        parameters=[
            OpenApiParameter(
                "code",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                pattern="^[0-9]{6}$",
                description=gettext_lazy("Committee code."),
            ),
            OpenApiParameter(
                "days",
                OpenApiTypes.INT,
                OpenApiParameter.QUERY,
                required=False,
                description=gettext_lazy("The window in days, 1 to 730 (default 90)."),
            ),
        ],
        responses={200: CoverageSerializer, 400: INVALID, **ERRORS},
    )
    def retrieve(self, request: Request, code: str, format: str | None = None) -> Response:
        committee = Committee.objects.filter(code=code).first() if _CODE.fullmatch(code) else None
        if committee is None:
            raise NotFound(_("There is no committee with this code."))
        scope = scope_for(request.user)
        sectors: list[int] | None = None
        if not scope.can_read_committee(committee):
            sectors = list(
                committee.organizations.filter(pk__in=scope.convened_sector_ids).values_list(
                    "pk", flat=True
                )
            )
            if not sectors:
                raise NotFound(_("There is no committee with this code."))
        raw = request.query_params.get("days", "")
        if raw == "":
            days = 90
        else:
            try:
                days = int(raw)
            except ValueError:
                raise ValidationError({"days": [_("A whole number of days.")]}) from None
            if not 1 <= days <= 730:
                raise ValidationError({"days": [_("Between 1 and 730 days.")]})
        result = selectors.coverage(
            committee, days=days, today=timezone.localdate(), sector_ids=sectors
        )
        return Response(
            {
                "committee": committee.code,
                "days": days,
                "since": result.since,
                "groups_total": result.groups_total,
                "sectors_total": result.sectors_total,
                "areas_total": result.areas_total,
                "members_total": result.members_total,
                "groups": [
                    {
                        "id": g.pk,
                        "name": g.name,
                        "sector": g.sector.name if g.sector else None,
                        "area_name": g.area_name,
                        "area_code": g.area_code,
                        "last_contact": g.last_contact,  # type: ignore[attr-defined]
                    }
                    for g in result.groups
                ],
                "sectors": [
                    {"id": s.pk, "name": s.name, "last_contact": s.last_contact}  # type: ignore[attr-defined]
                    for s in result.sectors
                ],
                "areas": [
                    {
                        "area_name": a.area_name,
                        "area_code": a.area_code,
                        "groups": a.groups,
                        "last_contact": a.last_contact,
                    }
                    for a in result.areas
                ],
                "members": [
                    {
                        "membership": m.pk,
                        "name": m.person.name,
                        "sector": m.sector.name if m.sector else None,
                        "last_contact": m.last_contact,  # type: ignore[attr-defined]
                    }
                    for m in result.members
                ],
            }
        )


router = DefaultRouter()
router.register("liaison/studios", StudioPublicViewSet, basename="liaison-studio")
router.register("liaison/activities", ActivityViewSet, basename="liaison-activity")
router.register("liaison/assignments", AssignmentViewSet, basename="liaison-assignment")
router.register("liaison/coverage", CoverageViewSet, basename="liaison-coverage")
