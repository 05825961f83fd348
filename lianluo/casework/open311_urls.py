"""Open311 GeoReport v2 under /api/open311/v2/: every endpoint as .xml and .json."""

from django.urls import re_path

from lianluo.casework import open311

FORMAT = r"\.(?P<format>json|xml)$"

app_name = "open311"
urlpatterns = [
    re_path(r"^discovery" + FORMAT, open311.DiscoveryView.as_view(), name="discovery"),
    re_path(r"^services" + FORMAT, open311.ServicesView.as_view(), name="services"),
    re_path(r"^services/(?P<code>[\w-]+)" + FORMAT, open311.ServiceView.as_view(), name="service"),
    re_path(r"^requests" + FORMAT, open311.RequestsView.as_view(), name="requests"),
    re_path(r"^requests/(?P<code>[\w-]+)" + FORMAT, open311.RequestView.as_view(), name="request"),
]
