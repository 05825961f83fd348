"""URLs under /meetings/. A `pk` is always a meeting's; other records have their own names
(leave_pk, record_pk, attachment_pk, speech_pk, report_pk, feed_token, token)."""

from django.urls import path

from lianluo.meetings import attendance_views, record_views, views

app_name = "meetings"
urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("me/", views.MyMeetingsView.as_view(), name="mine"),
    path("me/calendar/reset/", views.FeedResetView.as_view(), name="feed_reset"),
    path("calendar/<str:feed_token>.ics", views.FeedView.as_view(), name="feed"),
    path("approvals/", views.ApprovalsView.as_view(), name="approvals"),
    # A committee's pages
    path("c/<str:code>/", views.CommitteeMeetingsView.as_view(), name="committee"),
    path("c/<str:code>/calendar/", views.CalendarView.as_view(), name="calendar"),
    path("c/<str:code>/new/", views.MeetingCreateView.as_view(), name="meeting_new"),
    path("c/<str:code>/export.xlsx", views.MeetingExportView.as_view(), name="export"),
    path("c/<str:code>/statistics/", record_views.StatisticsView.as_view(), name="statistics"),
    path("c/<str:code>/speeches/", record_views.SpeechListView.as_view(), name="speeches"),
    path("c/<str:code>/reports/", record_views.ReportListView.as_view(), name="reports"),
    path("c/<str:code>/reports/new/", record_views.ReportCreateView.as_view(), name="report_new"),
    path("c/<str:code>/settings/", record_views.PolicyListView.as_view(), name="policies"),
    path("c/<str:code>/settings/edit/", record_views.PolicyEditView.as_view(), name="policy_edit"),
    # A meeting
    path("<int:pk>/", views.MeetingView.as_view(), name="meeting"),
    path("<int:pk>/edit/", views.MeetingEditView.as_view(), name="meeting_edit"),
    path("<int:pk>/transition/", views.MeetingTransitionView.as_view(), name="meeting_transition"),
    path("<int:pk>/invitations/", views.InvitationsView.as_view(), name="invitations"),
    path(
        "<int:pk>/invitations/cancel/",
        views.InvitationCancelView.as_view(),
        name="invitation_cancel",
    ),
    path("<int:pk>/respond/", views.RespondView.as_view(), name="respond"),
    path("<int:pk>/leave/", views.LeaveRequestView.as_view(), name="leave_request"),
    path("<int:pk>/attachments/", views.AttachmentAddView.as_view(), name="attachment_add"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.AttachmentView.as_view(),
        name="attachment",
    ),
    path(
        "<int:pk>/checkin/<str:token>/",
        attendance_views.CheckinView.as_view(),
        name="checkin",
    ),
    path("<int:pk>/qr/", attendance_views.QrScreenView.as_view(), name="qr"),
    path("<int:pk>/qr.svg", attendance_views.QrSvgView.as_view(), name="qr_svg"),
    path("<int:pk>/qr/reset/", attendance_views.QrResetView.as_view(), name="qr_reset"),
    path("<int:pk>/live/", attendance_views.LiveView.as_view(), name="live"),
    path("<int:pk>/attendance/", attendance_views.AttendanceView.as_view(), name="attendance"),
    path("<int:pk>/attendance/mark/", attendance_views.MarkView.as_view(), name="attendance_mark"),
    path(
        "<int:pk>/attendance/import/",
        attendance_views.SheetImportView.as_view(),
        name="attendance_import",
    ),
    path(
        "<int:pk>/attendance/sign-in-sheet.xlsx",
        attendance_views.SignInSheetView.as_view(),
        name="sign_in_sheet",
    ),
    path(
        "<int:pk>/attendance.xlsx",
        attendance_views.AttendanceExportView.as_view(),
        name="attendance_export",
    ),
    path(
        "<int:pk>/attendance/<int:record_pk>/correct/",
        attendance_views.CorrectionView.as_view(),
        name="attendance_correct",
    ),
    path("<int:pk>/speeches/new/", record_views.SpeechCreateView.as_view(), name="speech_new"),
    # Other records
    path(
        "leave/<int:leave_pk>/transition/",
        views.LeaveTransitionView.as_view(),
        name="leave_transition",
    ),
    path(
        "speeches/<int:speech_pk>/file/", record_views.SpeechFileView.as_view(), name="speech_file"
    ),
    path("reports/<int:report_pk>/", record_views.ReportView.as_view(), name="report"),
    path(
        "reports/<int:report_pk>/adoption/",
        record_views.AdoptionView.as_view(),
        name="report_adoption",
    ),
    path(
        "reports/<int:report_pk>/file/", record_views.ReportFileView.as_view(), name="report_file"
    ),
]
