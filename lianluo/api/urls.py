"""URLs under /api/: the registry, token log-in, OpenAPI schema and docs, the Popolo export."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from lianluo.api import views
from lianluo.assessment.api import router as assessment_router
from lianluo.casework.api import router as casework_router
from lianluo.liaison import api as liaison_api
from lianluo.meetings import api as meetings_api
from lianluo.proposals import api as proposals_api

app_name = "api"

router = DefaultRouter()
router.register("committees", views.CommitteeViewSet, basename="committee")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("people", views.PersonViewSet, basename="person")
router.register("memberships", views.MembershipViewSet, basename="membership")

urlpatterns = [
    path("token/", views.TokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(), name="docs"),
    path("popolo/", views.PopoloIndexView.as_view(), name="popolo-index"),
    path("popolo/<str:code>.json", views.PopoloCommitteeView.as_view(), name="popolo-committee"),
    *router.urls,
    *liaison_api.router.urls,
    *meetings_api.router.urls,
    *casework_router.urls,
    *proposals_api.urlpatterns,
    *assessment_router.urls,
]
