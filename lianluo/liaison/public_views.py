"""The public studio directory 委员工作室 and each studio's page: no log-in, only published
studios, through the *_public() selectors. What a studio publishes is shown (its phone,
address, reception days, the names of its members and who is on duty); never a member's or a
constituent's phone."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from lianluo.liaison import ics, selectors
from lianluo.liaison.filters import PublicStudioFilterSet
from lianluo.liaison.models import Studio
from lianluo.liaison.studio_views import calendar_response, reception_events

PAGE_SIZE = 20
# Where a constituent submits a concern to a studio, once the concerns app provides it.
CONCERN_URL_NAMES = ("casework:public_submit",)


def concern_url(studio: Studio) -> str:
    """The address of the form that submits a concern to `studio`, if the concerns app is
    installed; empty otherwise."""
    for name in CONCERN_URL_NAMES:
        try:
            return f"{reverse(name)}?studio={studio.pk}"
        except NoReverseMatch:
            continue
    return ""


class PublicStudioListView(TemplateView):
    """Find a studio by area, sector or name, and see when it next receives and who is on duty."""

    template_name = "liaison/public/studios.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        filterset = PublicStudioFilterSet(
            self.request.GET, queryset=selectors.studios_public(), with_choices=True
        )
        studios = filterset.qs if filterset.is_valid() else selectors.studios_public().none()
        page = Paginator(studios, PAGE_SIZE).get_page(self.request.GET.get("page"))
        selectors.with_next_days(list(page.object_list), today=timezone.localdate())
        query = self.request.GET.copy()
        query.pop("page", None)
        return {
            **super().get_context_data(**kwargs),
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
        }


class PublicStudioView(TemplateView):
    """A studio's public page: who serves there, when it receives (and who is on duty), how to
    reach it, and its calendar feed."""

    template_name = "liaison/public/studio.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        studio = selectors.studio_public(kwargs["pk"])
        today = timezone.localdate()
        days = selectors.upcoming_days_public(studio, today=today)
        next_day = next((d for d in days if d.status == d.Status.PUBLISHED), None)
        return {
            **super().get_context_data(**kwargs),
            "studio": studio,
            "demo_committee": studio.committee.is_demo,
            "members": selectors.studio_members(studio),
            "days": days,
            "next_day": next_day,
            "concern_url": concern_url(studio),
            "feed_url": self.request.build_absolute_uri(
                reverse("liaison:public_studio_ics", args=[studio.pk])
            ),
        }


class PublicStudioIcsView(View):
    """A published studio's reception days as a public iCalendar feed."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        studio = selectors.studio_public(pk)
        days = selectors.studio_feed_days(studio, today=timezone.localdate())
        text = ics.calendar(
            reception_events(days, request),
            name=studio.name,
            description=_("Reception days of %(studio)s") % {"studio": studio.name},
            stamp=timezone.now(),
        )
        return calendar_response(text, f"studio-{studio.pk}.ics", private=False)
