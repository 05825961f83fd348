"""Public pages and the signed-in person's own page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
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


class MyPageView(LoginRequiredMixin, TemplateView):
    """A member's own page 我的履职: their memberships (later: their work, score and dossier)."""

    template_name = "portal/me.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        scope = scope_for(self.request.user)
        if scope.person_id is None:
            raise Http404
        person = Person.objects.get(pk=scope.person_id)
        return {
            **super().get_context_data(**kwargs),
            "person": person,
            "memberships": selectors.person_memberships(person),
            "convened_sectors": scope.convened_sector_ids,
        }
