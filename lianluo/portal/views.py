"""Public pages and the signed-in person's own page."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.module_loading import import_string
from django.views.generic import TemplateView

from lianluo.directory import selectors
from lianluo.directory.models import Person
from lianluo.directory.scoping import scope_for


class HomeView(TemplateView):
    """Anonymous visitors see what Lianluo is; signed-in users go to where their work is."""

    template_name = "portal/home.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        scope = scope_for(request.user)
        if scope.sees_registry:
            return redirect("directory:overview")
        if scope.person_id is not None:
            return redirect("portal:me")
        return super().get(request, *args, **kwargs)


# The sections of "my page", one per app: (app, context function, template, head template).
# A section shows only when its app is installed.
MY_SECTIONS = (
    (
        "lianluo.liaison",
        "lianluo.liaison.views.my_section",
        "liaison/_my_section.html",
        "liaison/_head.html",
    ),
    (
        "lianluo.meetings",
        "lianluo.meetings.views.my_section",
        "meetings/_my_section.html",
        "meetings/_head.html",
    ),
    (
        "lianluo.casework",
        "lianluo.casework.views.my_section",
        "casework/_my_section.html",
        "casework/_head.html",
    ),
    (
        "lianluo.proposals",
        "lianluo.proposals.views.my_section",
        "proposals/_my_section.html",
        "proposals/_head.html",
    ),
)


class MyPageView(LoginRequiredMixin, TemplateView):
    """A member's own page 我的履职: their memberships, and a section per app of their work."""

    template_name = "portal/me.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        scope = scope_for(self.request.user)
        if scope.person_id is None:
            raise Http404
        person = Person.objects.get(pk=scope.person_id)
        context: dict[str, Any] = {
            **super().get_context_data(**kwargs),
            "person": person,
            "memberships": selectors.person_memberships(person),
            "convened_sectors": scope.convened_sector_ids,
            "sections": [],
            "section_heads": [],
        }
        for app, function, template, head in MY_SECTIONS:
            if apps.is_installed(app):
                context.update(import_string(function)(self.request, person))
                context["sections"].append(template)
                if head:
                    context["section_heads"].append(head)
        return context
