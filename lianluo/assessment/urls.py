from django.urls import path

from lianluo.assessment import report_views, views

app_name = "assessment"

year = "c/<str:code>/<int:year>/"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("mine/", views.MineView.as_view(), name="mine"),
    path("c/<str:code>/", views.CommitteeView.as_view(), name="committee"),
    path("c/<str:code>/start/", views.StartView.as_view(), name="start"),
    path(year, views.ResultsView.as_view(), name="results"),
    path(
        year + "recompute/",
        views.AssessmentActionView.as_view(action="recompute"),
        name="recompute",
    ),
    path(year + "freeze/", views.AssessmentActionView.as_view(action="freeze"), name="freeze"),
    path(year + "reopen/", views.AssessmentActionView.as_view(action="reopen"), name="reopen"),
    path(year + "window/", views.AssessmentActionView.as_view(action="window"), name="window"),
    path(year + "rulebook/", views.RulebookView.as_view(), name="rulebook"),
    path(year + "dashboard/", report_views.DashboardView.as_view(), name="dashboard"),
    path(year + "objections/", views.ObjectionListView.as_view(), name="objections"),
    path(year + "warnings/", views.WarningListView.as_view(), name="warnings"),
    path(year + "nominations/", views.NominationsView.as_view(), name="nominations"),
    path(year + "documents/", report_views.DocumentsView.as_view(), name="documents"),
    path(year + "bulletin.<str:format>", report_views.BulletinView.as_view(), name="bulletin"),
    path(year + "people/<int:pk>/", views.MemberView.as_view(), name="person"),
    path(year + "people/<int:pk>/object/", views.ObjectView.as_view(), name="person_object"),
    path(year + "people/<int:pk>/adjust/", views.AdjustView.as_view(), name="person_adjust"),
    path(
        year + "people/<int:pk>/dossier.<str:format>",
        report_views.DossierView.as_view(),
        name="person_dossier",
    ),
    path("objections/<int:pk>/", views.ObjectionView.as_view(), name="objection"),
    path("warnings/<int:pk>/", views.WarningView.as_view(), name="warning"),
    path("documents/<int:pk>/", report_views.BatchDownloadView.as_view(), name="batch"),
]
