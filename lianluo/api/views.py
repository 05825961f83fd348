"""The REST API: read-only registry lists, token log-in, the OpenAPI docs and the Popolo export.

Every registry queryset goes through `visible_to(request.user)`, in `ScopedViewSet`, so the API
shows exactly what the pages show. The Popolo export is public and holds no personal data.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, cast

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import serializers, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lianluo.api import popolo
from lianluo.api.filters import (
    CommitteeFilterSet,
    MembershipFilterSet,
    OrganizationFilterSet,
)
from lianluo.api.schema import LianluoAutoSchema
from lianluo.api.serializers import (
    CommitteeSerializer,
    ErrorSerializer,
    MembershipSerializer,
    OrganizationSerializer,
    PersonSerializer,
    PopoloCommitteeLinkSerializer,
    PopoloExportSerializer,
)
from lianluo.core.filters import CODE_SCHEMA
from lianluo.directory.filters import PersonFilterSet
from lianluo.directory.models import Committee, Membership, Organization, Person

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_CODE = re.compile(r"[0-9]{6}")

NOT_LOGGED_IN = OpenApiResponse(
    ErrorSerializer, description=gettext_lazy("Not logged in: no valid session or token.")
)
FORBIDDEN = OpenApiResponse(ErrorSerializer, description=gettext_lazy("Not allowed."))
NOT_FOUND = OpenApiResponse(
    ErrorSerializer, description=gettext_lazy("No such object, or not visible to you.")
)
INVALID_FILTER = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=gettext_lazy("A filter value is not valid: a list of messages per parameter."),
)


CODE_PARAMETER = OpenApiParameter(
    "code",
    CODE_SCHEMA,
    OpenApiParameter.PATH,
    description=gettext_lazy("Administrative-division code of the committee (GB/T 2260)."),
)


def _read_only_docs(
    serializer: type[serializers.Serializer[Any]],
    *,
    list_summary: StrOrPromise,
    retrieve_summary: StrOrPromise,
    description: StrOrPromise,
    parameters: list[OpenApiParameter] | None = None,
) -> Any:
    """Schema of a read-only viewset: its list and retrieve answers, errors included.

    The description is given here, translated, rather than taken from the class docstring.
    """
    errors = {401: NOT_LOGGED_IN, 403: FORBIDDEN, 404: NOT_FOUND}
    return extend_schema_view(
        list=extend_schema(
            summary=list_summary,
            description=description,
            responses={200: serializer(many=True), 400: INVALID_FILTER, **errors},
        ),
        retrieve=extend_schema(
            summary=retrieve_summary,
            description=description,
            parameters=parameters,
            responses={200: serializer, **errors},
        ),
    )


class _VisibleTo(Protocol):
    """The registry models' managers: `Model.objects.visible_to(user)`."""

    def visible_to(self, user: Any) -> QuerySet[Any]: ...


class ScopedViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only viewset whose rows are always `Model.objects.visible_to(user)`."""

    model: ClassVar[type[Model]]
    schema = LianluoAutoSchema()

    def base_queryset(self) -> QuerySet[Any]:
        manager = cast(_VisibleTo, self.model._default_manager)
        return manager.visible_to(self.request.user)

    def get_queryset(self) -> QuerySet[Any]:
        return self.base_queryset()


@_read_only_docs(
    CommitteeSerializer,
    list_summary=gettext_lazy("List committees"),
    retrieve_summary=gettext_lazy("Get a committee"),
    description=gettext_lazy(
        "Committees you may read: for office staff and auditors, their committee and those "
        "under it; for a member, the committees where they serve."
    ),
    parameters=[CODE_PARAMETER],
)
class CommitteeViewSet(ScopedViewSet):
    """Committees you may read: your own and, for office staff and auditors, those under it."""

    model = Committee
    serializer_class = CommitteeSerializer
    filterset_class = CommitteeFilterSet
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Committee]:
        return self.base_queryset().select_related("parent").order_by("path")

    def get_object(self) -> Committee:
        # A malformed code is a JSON 404 like an unknown one, and never reaches the database.
        if not _CODE.fullmatch(self.kwargs[self.lookup_field]):
            raise NotFound(_("There is no committee with this code."))
        return super().get_object()


@_read_only_docs(
    OrganizationSerializer,
    list_summary=gettext_lazy("List organizations"),
    retrieve_summary=gettext_lazy("Get an organization"),
    description=gettext_lazy(
        "Sectors, special committees, parties and groups, sector groups, offices and handling "
        "units of the committees you may read; a handling unit sees only itself."
    ),
)
class OrganizationViewSet(ScopedViewSet):
    """Sectors, special committees, parties and groups, sector groups, offices, handling units."""

    model = Organization
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilterSet

    def get_queryset(self) -> QuerySet[Organization]:
        return (
            self.base_queryset()
            .select_related("committee")
            .order_by("committee__path", "classification", "position", "id")
        )


@_read_only_docs(
    PersonSerializer,
    list_summary=gettext_lazy("List people"),
    retrieve_summary=gettext_lazy("Get a person"),
    description=gettext_lazy(
        "People you may see: staff see the members of their committees, a member only "
        "themselves, a handling unit nobody. The ID number and mobile number are only given "
        "masked; the birth date not at all."
    ),
)
class PersonViewSet(ScopedViewSet):
    """People you may see: staff see their committees' members, a member only themselves,
    a handling unit nobody. The ID number and mobile number are only given masked."""

    model = Person
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet

    def get_queryset(self) -> QuerySet[Person]:
        return self.base_queryset().order_by("name_sort_key", "id")


@_read_only_docs(
    MembershipSerializer,
    list_summary=gettext_lazy("List memberships"),
    retrieve_summary=gettext_lazy("Get a membership"),
    description=gettext_lazy(
        "Seats and roles: staff see those of their committees, a member their own."
    ),
)
class MembershipViewSet(ScopedViewSet):
    """Seats and roles: staff see their committees', a member their own."""

    model = Membership
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilterSet

    def get_queryset(self) -> QuerySet[Membership]:
        return (
            self.base_queryset()
            .select_related("person", "committee", "term", "organization", "sector")
            .order_by(
                "committee__path", "-term__number", "organization_id", "person__name_sort_key", "id"
            )
        )


@extend_schema(
    summary=gettext_lazy("Get an API token"),
    description=gettext_lazy(
        "Exchange a username and password for a token. Send it on every request as "
        "`Authorization: Token <token>`. The same token is returned until it is revoked; "
        "repeated failed attempts lock the account for a while."
    ),
    auth=[],
    request=inline_serializer(
        "TokenCredentials",
        fields={
            "username": serializers.CharField(),
            "password": serializers.CharField(style={"input_type": "password"}),
        },
    ),
    responses={
        200: inline_serializer("TokenResponse", fields={"token": serializers.CharField()}),
        400: OpenApiResponse(
            OpenApiTypes.OBJECT,
            description=gettext_lazy(
                "Missing fields, a wrong username or password, or an account locked after too "
                "many failed attempts (the answer does not say which)."
            ),
        ),
    },
    examples=[
        OpenApiExample(
            "token",
            value={"token": "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"},
            response_only=True,
        )
    ],
)
class TokenView(ObtainAuthToken):
    """POST a username and password, get the account's API token."""

    # Credentials come in the body: no session, so no CSRF check for a logged-in browser.
    authentication_classes = ()
    renderer_classes = (JSONRenderer,)


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI with no inline script or style, so it works under the site's strict CSP."""

    template_name = "api/swagger_ui.html"
    url_name = "api:schema"


@extend_schema(
    summary=gettext_lazy("Committees with a Popolo export"),
    description=gettext_lazy("Public: every committee, with the address of its Popolo export."),
    auth=[],
    responses={200: PopoloCommitteeLinkSerializer(many=True), 404: NOT_FOUND},
)
class PopoloIndexView(ListAPIView):
    """Public list of committees and the address of each one's Popolo export."""

    permission_classes = (AllowAny,)
    authentication_classes = ()
    renderer_classes = (JSONRenderer,)
    schema = LianluoAutoSchema()
    serializer_class = PopoloCommitteeLinkSerializer
    filter_backends = ()

    def get_queryset(self) -> QuerySet[Committee]:
        return Committee.objects.order_by("path")


class PopoloCommitteeView(APIView):
    """GET /api/popolo/<code>.json: one committee as Popolo JSON."""

    permission_classes = (AllowAny,)
    authentication_classes = ()
    renderer_classes = (JSONRenderer,)

    @extend_schema(
        operation_id="popolo_committee_retrieve",
        summary=gettext_lazy("A committee as Popolo JSON"),
        description=gettext_lazy(
            "Public. The committee's persons, organizations (the committee and its members' "
            "organizations; not the office or the handling units), memberships (serving and "
            "historical) and posts, in the Popolo format (popoloproject.com). Holds no personal "
            "data beyond names and gender."
        ),
        auth=[],
        parameters=[CODE_PARAMETER],
        responses={200: PopoloExportSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, code: str) -> Response:
        committee = Committee.objects.filter(code=code).first() if _CODE.fullmatch(code) else None
        if committee is None:
            raise NotFound(_("There is no committee with this code."))
        return Response(popolo.committee_popolo(committee))
