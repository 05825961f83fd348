"""The public site's proposal pages: what a committee published (when it publishes at all)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views import View

from lianluo.directory.models import Committee
from lianluo.proposals import selectors
from lianluo.proposals.models import Proposal
from lianluo.proposals.views import (
    page_of,
    query_string,
)


class PublicMixin:
    def public_committee(self, code: str) -> Committee:
        committee = get_object_or_404(Committee, code=code)
        if not selectors.policy_for(committee).publication_enabled:
            raise Http404
        return committee


class PublicIndexView(View):
    """The committees that publish their proposals, each with a link to its public list (the
    public home page links here)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "proposals/public_index.html",
            {
                "page": page_of(request, selectors.publishing_committees()),
                "query": query_string(request),
            },
        )


class PublicListView(PublicMixin, View):
    """The accepted proposals a committee published, for everyone."""

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = self.public_committee(code)
        q = request.GET.get("q", "").strip()[:50]
        proposals: QuerySet[Proposal] = selectors.proposals_public(committee)
        if q:
            proposals = proposals.filter(title__contains=q)
        return render(
            request,
            "proposals/public_list.html",
            {
                "committee": committee,
                "page": page_of(request, proposals),
                "q": q,
                "query": query_string(request),
            },
        )


class PublicProposalView(PublicMixin, View):
    """One published proposal with its published replies."""

    def get(self, request: HttpRequest, code: str, pk: int) -> HttpResponse:
        committee = self.public_committee(code)
        proposal = get_object_or_404(selectors.proposals_public(committee), pk=pk)
        return render(
            request,
            "proposals/public_detail.html",
            {
                "committee": committee,
                "proposal": proposal,
                "replies": selectors.replies_public(proposal),
            },
        )
