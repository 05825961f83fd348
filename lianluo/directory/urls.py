from django.urls import path

from lianluo.directory import roster_views, views

app_name = "directory"
urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("c/<str:code>/", views.CommitteeView.as_view(), name="committee"),
    path("c/<str:code>/members/", views.MemberListView.as_view(), name="members"),
    path("c/<str:code>/members/new/", views.NewMemberView.as_view(), name="member_new"),
    path(
        "c/<str:code>/members/export.xlsx",
        roster_views.MemberExportView.as_view(),
        name="members_export",
    ),
    path("c/<str:code>/roster/", roster_views.RosterImportView.as_view(), name="roster_import"),
    path(
        "c/<str:code>/roster/template.xlsx",
        roster_views.RosterTemplateView.as_view(),
        name="roster_template",
    ),
    path("people/<int:pk>/", views.PersonView.as_view(), name="person"),
    path("people/<int:pk>/edit/", views.EditPersonView.as_view(), name="person_edit"),
    path("people/<int:pk>/reveal/", views.RevealPersonalDataView.as_view(), name="person_reveal"),
    path(
        "people/<int:pk>/memberships/new/<str:code>/",
        views.NewMembershipView.as_view(),
        name="membership_new",
    ),
    path("memberships/<int:pk>/edit/", views.EditMembershipView.as_view(), name="membership_edit"),
]
