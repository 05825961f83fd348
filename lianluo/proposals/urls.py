"""Pages of the proposals app, under /proposals/. URL names carry their record's model word
(proposal_, assignment_, reply_, report_, bulletin_, attachment_) and take its `pk`."""

from django.urls import path

from lianluo.proposals import public_views, report_views, staff_views, views

app_name = "proposals"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("mine/", views.MineView.as_view(), name="mine"),
    path("units/", views.UnitInboxView.as_view(), name="units"),
    # A committee's proposal work (staff), and writing in it (members).
    path("c/<str:code>/", views.CommitteeHomeView.as_view(), name="committee_home"),
    path("c/<str:code>/review/", staff_views.ReviewQueueView.as_view(), name="review_queue"),
    path("c/<str:code>/list/", staff_views.ProposalListView.as_view(), name="proposal_list"),
    path(
        "c/<str:code>/export.xlsx", staff_views.ProposalExportView.as_view(), name="proposal_export"
    ),
    path("c/<str:code>/assign/", staff_views.BulkAssignView.as_view(), name="bulk_assign"),
    path("c/<str:code>/stats/", staff_views.StatisticsView.as_view(), name="statistics"),
    path("c/<str:code>/key/", staff_views.KeyListView.as_view(), name="key_list"),
    path("c/<str:code>/rules/", staff_views.PolicyView.as_view(), name="policy"),
    path("c/<str:code>/search/", staff_views.SearchView.as_view(), name="search"),
    path("c/<str:code>/new/", views.ProposalNewView.as_view(), name="proposal_new"),
    path("c/<str:code>/similar/", views.SimilarPanelView.as_view(), name="similar_panel"),
    path("c/<str:code>/reports/", report_views.ReportListView.as_view(), name="report_list"),
    path("c/<str:code>/reports/new/", report_views.ReportNewView.as_view(), name="report_new"),
    path(
        "c/<str:code>/reports/stats/",
        report_views.ReportStatisticsView.as_view(),
        name="report_statistics",
    ),
    path("c/<str:code>/bulletins/", report_views.BulletinListView.as_view(), name="bulletin_list"),
    # One proposal.
    path("<int:pk>/", views.ProposalDetailView.as_view(), name="proposal_detail"),
    path("<int:pk>/edit/", views.ProposalEditView.as_view(), name="proposal_edit"),
    path("<int:pk>/step/", views.ProposalActionView.as_view(), name="proposal_action"),
    path("<int:pk>/cosign/", views.ProposalCosignView.as_view(), name="proposal_cosign"),
    path("<int:pk>/review/", views.ProposalReviewView.as_view(), name="proposal_review"),
    path("<int:pk>/assign/", views.ProposalAssignView.as_view(), name="proposal_assign"),
    path("<int:pk>/print/", views.ProposalPrintView.as_view(), name="proposal_print"),
    path("<int:pk>/key/", views.ProposalKeyView.as_view(), name="proposal_key"),
    path("<int:pk>/key/note/", views.ProposalKeyNoteView.as_view(), name="proposal_key_note"),
    path("<int:pk>/publish/", views.ProposalPublishView.as_view(), name="proposal_publish"),
    # Assignments, replies, files.
    path("assignments/<int:pk>/", views.AssignmentDetailView.as_view(), name="assignment_detail"),
    path("replies/<int:pk>/publish/", views.ReplyPublishView.as_view(), name="reply_publish"),
    path("attachments/<int:pk>/", views.AttachmentView.as_view(), name="attachment_download"),
    # Opinion reports and the bulletin.
    path("reports/<int:pk>/", report_views.ReportDetailView.as_view(), name="report_detail"),
    path("reports/<int:pk>/edit/", report_views.ReportEditView.as_view(), name="report_edit"),
    path("reports/<int:pk>/step/", report_views.ReportActionView.as_view(), name="report_action"),
    path("reports/<int:pk>/check/", report_views.ReportCheckView.as_view(), name="report_check"),
    path(
        "reports/<int:pk>/adoption/",
        report_views.ReportAdoptionView.as_view(),
        name="report_adoption",
    ),
    path("bulletins/<int:pk>/", report_views.BulletinDetailView.as_view(), name="bulletin_detail"),
    # The public site.
    path("public/", public_views.PublicIndexView.as_view(), name="public_index"),
    path("public/<str:code>/", public_views.PublicListView.as_view(), name="public_list"),
    path(
        "public/<str:code>/<int:pk>/",
        public_views.PublicProposalView.as_view(),
        name="public_proposal",
    ),
]
