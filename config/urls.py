from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from lianluo.core.views import healthz
from lianluo.portal.views import HomeView

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("lianluo.accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/open311/v2/", include("lianluo.casework.open311_urls")),
    path("api/", include("lianluo.api.urls")),
    path("registry/", include("lianluo.directory.urls")),
    path("liaison/", include("lianluo.liaison.urls")),
    path("meetings/", include("lianluo.meetings.urls")),
    path("casework/", include("lianluo.casework.urls")),
    path("proposals/", include("lianluo.proposals.urls")),
    path("assessment/", include("lianluo.assessment.urls")),
    path("", HomeView.as_view(), name="home"),
    path("", include("lianluo.portal.urls")),
]
