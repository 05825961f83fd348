"""Concern pages under /casework/: the committee's inbox and settings, a concern's page, the
member's and the unit's queues, and the constituent's public pages."""

from django.urls import path

from lianluo.casework import public_views, views

app_name = "casework"
urlpatterns = [
    # The constituent's pages (public).
    path("submit/", public_views.PublicSubmitView.as_view(), name="public_submit"),
    path("track/", public_views.TrackLookupView.as_view(), name="public_track_lookup"),
    path("track/<str:code>/", public_views.TrackView.as_view(), name="public_track"),
    path("track/<str:code>/reopen/", public_views.PublicReopenView.as_view(), name="public_reopen"),
    path("rate/", public_views.PublicRateView.as_view(), name="public_rate"),
    # A committee's pages (office staff, auditors; entering also members).
    path("c/<str:code>/", views.InboxView.as_view(), name="inbox"),
    path("c/<str:code>/export.xlsx", views.InboxExportView.as_view(), name="inbox_export"),
    path("c/<str:code>/forward/", views.BulkForwardView.as_view(), name="bulk_forward"),
    path("c/<str:code>/new/", views.ConcernNewView.as_view(), name="concern_new"),
    path("c/<str:code>/moderation/", views.ModerationView.as_view(), name="moderation"),
    path("c/<str:code>/dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("c/<str:code>/settings/", views.SettingsView.as_view(), name="settings"),
    path("c/<str:code>/categories/new/", views.CategoryFormView.as_view(), name="category_new"),
    path(
        "c/<str:code>/categories/<int:pk>/",
        views.CategoryFormView.as_view(),
        name="category_edit",
    ),
    path("c/<str:code>/screen/", views.ScreenTermsView.as_view(), name="screen_terms"),
    path("c/<str:code>/endpoints/", views.EndpointFormView.as_view(), name="endpoint_edit"),
    path("c/<str:code>/open311/", views.Open311ClientsView.as_view(), name="open311_clients"),
    path("c/<str:code>/deliveries/", views.DeliveriesView.as_view(), name="deliveries"),
    # One concern.
    path("concerns/<int:pk>/", views.ConcernView.as_view(), name="concern"),
    path("concerns/<int:pk>/step/", views.ConcernStepView.as_view(), name="concern_step"),
    path("concerns/<int:pk>/draft/", views.ConcernDraftView.as_view(), name="concern_draft"),
    path("concerns/<int:pk>/reveal/", views.ConcernRevealView.as_view(), name="concern_reveal"),
    path("attachments/<int:pk>/", views.AttachmentView.as_view(), name="attachment"),
    path("deliveries/<int:pk>/retry/", views.DeliveryRetryView.as_view(), name="delivery_retry"),
    # One's own queues.
    path("mine/", views.MemberInboxView.as_view(), name="member_inbox"),
    path("unit/", views.UnitQueueView.as_view(), name="unit_queue"),
]
