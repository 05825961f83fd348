from django.urls import path

from lianluo.liaison import public_views, report_views, studio_views, views

app_name = "liaison"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    # A member's own
    path("my/", views.MyLiaisonView.as_view(), name="my"),
    path("my/calendar/", views.MyCalendarView.as_view(), name="my_calendar"),
    path("ics/member/<str:token>.ics", studio_views.MemberIcsView.as_view(), name="member_ics"),
    # Public (no log-in)
    path("studios/", public_views.PublicStudioListView.as_view(), name="public_studios"),
    path("studios/<int:pk>/", public_views.PublicStudioView.as_view(), name="public_studio"),
    path(
        "studios/<int:pk>/calendar.ics",
        public_views.PublicStudioIcsView.as_view(),
        name="public_studio_ics",
    ),
    # A committee's pages
    path("c/<str:code>/", views.CommitteeView.as_view(), name="committee"),
    path("c/<str:code>/groups/", views.GroupListView.as_view(), name="groups"),
    path("c/<str:code>/groups/new/", views.GroupCreateView.as_view(), name="group_new"),
    path("c/<str:code>/assignments/", views.AssignmentListView.as_view(), name="assignments"),
    path(
        "c/<str:code>/assignments/export.<str:format>",
        report_views.AssignmentExportView.as_view(),
        name="assignments_export",
    ),
    path("c/<str:code>/activities/", views.ActivityListView.as_view(), name="activities"),
    path("c/<str:code>/activities/new/", views.ActivityCreateView.as_view(), name="activity_new"),
    path(
        "c/<str:code>/activities/export.<str:format>",
        report_views.ActivityExportView.as_view(),
        name="activities_export",
    ),
    path("c/<str:code>/studios/", studio_views.StudioListView.as_view(), name="studios"),
    path("c/<str:code>/studios/new/", studio_views.StudioCreateView.as_view(), name="studio_new"),
    path("c/<str:code>/contacts/", views.ContactListView.as_view(), name="contacts"),
    path("c/<str:code>/contacts/new/", views.ContactCreateView.as_view(), name="contact_new"),
    path("c/<str:code>/coverage/", report_views.CoverageView.as_view(), name="coverage"),
    path("c/<str:code>/dashboard/", report_views.DashboardView.as_view(), name="dashboard"),
    path("c/<str:code>/plans/", report_views.PlanListView.as_view(), name="plans"),
    path("c/<str:code>/plans/new/", report_views.PlanCreateView.as_view(), name="plan_new"),
    # Records
    path("groups/<int:pk>/", views.GroupDetailView.as_view(), name="group"),
    path("groups/<int:pk>/edit/", views.GroupEditView.as_view(), name="group_edit"),
    path("groups/<int:pk>/reveal/", views.GroupRevealView.as_view(), name="group_reveal"),
    path("groups/<int:pk>/assign/", views.GroupAssignView.as_view(), name="group_assign"),
    path("assignments/<int:pk>/end/", views.AssignmentEndView.as_view(), name="assignment_end"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity"),
    path(
        "activities/<int:pk>/attachments/",
        views.AttachmentAddView.as_view(),
        name="activity_attachments",
    ),
    path("attachments/<int:pk>/", views.AttachmentView.as_view(), name="attachment"),
    path("studios/<int:pk>/manage/", studio_views.StudioDetailView.as_view(), name="studio"),
    path(
        "studios/<int:pk>/manage/edit/", studio_views.StudioEditView.as_view(), name="studio_edit"
    ),
    path(
        "studios/<int:pk>/manage/transition/",
        studio_views.StudioTransitionView.as_view(),
        name="studio_transition",
    ),
    path(
        "studios/<int:pk>/manage/members/",
        studio_views.StudioMemberAddView.as_view(),
        name="studio_member_add",
    ),
    path(
        "studios/<int:pk>/manage/calendar/",
        studio_views.StudioCalendarView.as_view(),
        name="studio_calendar",
    ),
    path(
        "studios/<int:pk>/manage/days/new/",
        studio_views.ReceptionDayCreateView.as_view(),
        name="studio_day_new",
    ),
    path(
        "studios/<int:pk>/manage/days/generate/",
        studio_views.ReceptionDayGenerateView.as_view(),
        name="studio_days_generate",
    ),
    path(
        "studio-members/<int:pk>/remove/",
        studio_views.StudioMemberRemoveView.as_view(),
        name="studiomember_remove",
    ),
    path("days/<int:pk>/", studio_views.ReceptionDayView.as_view(), name="receptionday"),
    path(
        "days/<int:pk>/transition/",
        studio_views.ReceptionDayTransitionView.as_view(),
        name="receptionday_transition",
    ),
    path("contacts/<int:pk>/", views.ContactDetailView.as_view(), name="contact"),
    path("contacts/<int:pk>/reveal/", views.ContactRevealView.as_view(), name="contact_reveal"),
    path("plans/<int:pk>/", report_views.PlanDetailView.as_view(), name="plan"),
    path("plans/<int:pk>/tasks/", report_views.PlanTaskCreateView.as_view(), name="plan_tasks"),
    path("plans/<int:pk>/publish/", report_views.PlanPublishView.as_view(), name="plan_publish"),
    path(
        "plan-tasks/<int:pk>/delete/",
        report_views.PlanTaskDeleteView.as_view(),
        name="plantask_delete",
    ),
]
