"""The constituent's pages 群众端: submit a concern, track it by its code, rate the answer.

Public input is hostile input: every field is checked again by the service, submissions are
rate-limited per client address and per mobile number (429 with a clear message), a honeypot
field and the spam screen hold what looks automated. The tracking page shows only the concern's
public view. Rating and reopening need the owner's key (given with the code) or a signed,
expiring rating link (sent by SMS with the answer).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View

from lianluo.casework import codes, ratelimit, selectors, services
from lianluo.casework.forms import CommentForm, PublicConcernForm, ReopenForm, TrackLookupForm
from lianluo.casework.models import Concern
from lianluo.casework.workflow import CONSTITUENT
from lianluo.core.chinese import normalize_mobile
from lianluo.core.middleware import client_ip
from lianluo.core.workflow import InvalidTransition
from lianluo.directory.models import Committee
from lianluo.directory.views import apply_service_errors

_SESSION_KEY = "casework_owned"


def _remember(request: HttpRequest, code: str) -> None:
    owned = list(request.session.get(_SESSION_KEY, []))[-19:]
    owned.append(code)
    request.session[_SESSION_KEY] = owned


def _is_owner(request: HttpRequest, code: str) -> bool:
    return code in request.session.get(_SESSION_KEY, []) or codes.is_owner_key(
        code, request.GET.get("key", "") or request.POST.get("key", "")
    )


def _too_many(request: HttpRequest, message: str) -> HttpResponse:
    response = render(request, "casework/public/too_many.html", {"message": message}, status=429)
    response["Retry-After"] = "60"
    return response


def _studio(studio_id: str) -> Any:
    """A published studio 委员工作室 (liaison.Studio) by its id, or None."""
    if not studio_id.isdigit():
        return None
    studio_model = Concern._meta.get_field("studio").related_model
    assert isinstance(studio_model, type)
    return (
        studio_model._default_manager.filter(pk=int(studio_id), status="published")
        .select_related("committee", "sector")
        .first()
    )


class PublicSubmitView(View):
    """The public concern form (phone first). ?committee=<code> or ?studio=<id> chooses where
    it goes; without either the constituent chooses the committee first."""

    template_name = "casework/public/submit.html"

    def target(self, request: HttpRequest) -> tuple[Committee | None, Any]:
        studio = _studio(request.GET.get("studio", ""))
        if studio is not None:
            return studio.committee, studio
        code = request.GET.get("committee", "")
        committee = Committee.objects.filter(code=code).first() if code.isdigit() else None
        return committee, None

    def page(
        self, request: HttpRequest, context: dict[str, Any], status: int = 200
    ) -> HttpResponse:
        return render(request, self.template_name, context, status=status)

    def choose_committee(self, request: HttpRequest) -> HttpResponse:
        committees = Committee.objects.order_by("path").only("code", "name", "short_name")
        return render(request, "casework/public/choose.html", {"committees": committees[:3000]})

    def get(self, request: HttpRequest) -> HttpResponse:
        committee, studio = self.target(request)
        if committee is None:
            return self.choose_committee(request)
        policy = selectors.policy_for(committee)
        form = PublicConcernForm(
            committee=committee, initial={"sector": studio.sector if studio else None}
        )
        return self.page(
            request,
            {
                "form": form,
                "committee": committee,
                "studio": studio,
                "open": policy.public_intake,
            },
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        committee, studio = self.target(request)
        if committee is None:
            raise Http404
        address = client_ip(request) or ""
        if not ratelimit.hit("address", address):
            return _too_many(
                request,
                _(
                    "Too many concerns were sent from your connection in the last minute. "
                    "Everything sent before was received. Please wait a minute and try again."
                ),
            )
        form = PublicConcernForm(request.POST, request.FILES, committee=committee)
        context = {"form": form, "committee": committee, "studio": studio, "open": True}
        if not form.is_valid():
            return self.page(request, context, status=400)
        data = form.cleaned_data
        mobile = normalize_mobile(data["mobile"] or "")
        if mobile and not ratelimit.hit("phone", mobile):
            return _too_many(
                request,
                _(
                    "Too many concerns were sent with this mobile number recently. "
                    "Everything sent before was received. Please try again later."
                ),
            )
        try:
            concern = services.concern_submit(
                committee=committee,
                topic=data["topic"],
                description=data["description"],
                place=data["place"],
                category=data["category"],
                sector=data["sector"],
                studio=studio,
                name=data["name"],
                mobile=data["mobile"],
                consent=data["consent"],
                files=data["attachments"],
                honeypot=data["website"],
                source=Concern.Source.WEB,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.page(request, context, status=400)
        _remember(request, concern.code)
        query = urlencode({"key": codes.owner_key(concern.code), "new": "1"})
        return redirect(f"{reverse('casework:public_track', args=[concern.code])}?{query}")


class TrackLookupView(View):
    """Enter a tracking code."""

    template_name = "casework/public/lookup.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        if "code" not in request.GET:
            return render(request, self.template_name, {"form": TrackLookupForm()})
        form = TrackLookupForm(request.GET)
        if form.is_valid():
            code = codes.normalize(form.cleaned_data["code"])
            if codes.is_valid(code):
                return redirect("casework:public_track", code=code)
            form.add_error(
                "code", _("This is not a tracking code: check the characters and try again.")
            )
        return render(request, self.template_name, {"form": form}, status=400)


class TrackView(View):
    """The tracking page: the concern's public view — topic, states, the published answer —
    and, for its owner, the rating links and the reopen form. No personal data."""

    template_name = "casework/public/track.html"

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        code = codes.normalize(code)
        if code != self.kwargs["code"]:
            return redirect("casework:public_track", code=code)
        if not codes.is_valid(code):
            raise Http404
        concern = selectors.public_concern(code)
        if concern is None:
            return render(request, "casework/public/not_found.html", {"code": code}, status=404)
        owner = _is_owner(request, code)
        shown = concern.merged_into if concern.merged_into_id else concern
        assert shown is not None
        context: dict[str, Any] = {
            "concern": concern,
            "shown": shown,
            "steps": selectors.public_steps(shown),
            "own_steps": selectors.public_steps(concern) if shown is not concern else [],
            "owner": owner,
            "new": request.GET.get("new") == "1" and owner,
            "key": codes.owner_key(code) if owner else "",
        }
        if owner and concern is shown:
            if concern.status == Concern.Status.REPLIED:
                token = codes.rating_token(code)
                context["rating_links"] = [
                    (
                        value,
                        label,
                        f"{reverse('casework:public_rate')}?{urlencode({'t': token, 'r': value})}",
                    )
                    for value, label in Concern.Rating.choices
                ]
            if (
                concern.status == Concern.Status.CLOSED
                and concern.rating == Concern.Rating.UNSATISFIED
            ):
                policy = selectors.policy_for(concern.committee)
                closed_at = concern.closed_at
                if (
                    closed_at is not None
                    and closed_at + timedelta(days=policy.reopen_window_days) >= timezone.now()
                ):
                    context["reopen_form"] = ReopenForm()
        response = render(request, self.template_name, context)
        response["Referrer-Policy"] = "no-referrer"
        response["Cache-Control"] = "private, no-store"
        return response


class PublicReopenView(View):
    """POST: the owner of an unsatisfied, recently closed concern asks to reopen it."""

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        code = codes.normalize(code)
        concern = selectors.public_concern(code) if codes.is_valid(code) else None
        if concern is None or not _is_owner(request, code):
            raise Http404
        if not ratelimit.hit("rating", client_ip(request) or ""):
            return _too_many(request, _("Too many requests. Please wait a minute."))
        form = ReopenForm(request.POST)
        key = urlencode({"key": codes.owner_key(code)})
        target = f"{reverse('casework:public_track', args=[code])}?{key}"
        if not form.is_valid():
            messages.error(request, _("Please say what is still wrong."))
            return redirect(target)
        try:
            services.concern_transition(
                concern=concern,
                action="reopen",
                by=None,
                acting_as=CONSTITUENT,
                reason=form.cleaned_data["reason"],
            )
        except InvalidTransition as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Your concern was reopened; the office will look at it again.")
            )
        return redirect(target)


class PublicRateView(View):
    """The one-click rating link: GET records the rating at once (the constituent may still
    change it together with a comment on the page that follows), POST saves the comment."""

    template_name = "casework/public/rate.html"

    def concern_from_token(self, request: HttpRequest, token: str) -> Concern | HttpResponse:
        try:
            code = codes.code_from_rating_token(token, max_age=None)
        except (signing.BadSignature, codes.TokenExpired):
            return render(
                request, "casework/public/link_invalid.html", {"expired": False}, status=400
            )
        concern = get_object_or_404(Concern.objects.public().select_related("committee"), code=code)
        days = selectors.policy_for(concern.committee).rating_link_days
        try:
            codes.code_from_rating_token(token, max_age=timedelta(days=days))
        except codes.TokenExpired:
            return render(
                request,
                "casework/public/link_invalid.html",
                {"expired": True, "code": code},
                status=410,
            )
        return concern

    def get(self, request: HttpRequest) -> HttpResponse:
        token = request.GET.get("t", "")
        rating = request.GET.get("r", "")
        if not token:
            raise Http404
        found = self.concern_from_token(request, token)
        if isinstance(found, HttpResponse):
            return found
        concern = found
        if rating not in Concern.Rating.values:
            rating = ""
        if concern.status == Concern.Status.REPLIED and rating:
            if not ratelimit.hit("rating", client_ip(request) or ""):
                return _too_many(request, _("Too many requests. Please wait a minute."))
            try:
                concern = services.concern_transition(
                    concern=concern,
                    action="rate",
                    by=None,
                    acting_as=CONSTITUENT,
                    data={"rating": rating},
                )
            except (InvalidTransition, ValidationError):
                concern.refresh_from_db()
        recorded = concern.status == Concern.Status.CLOSED and bool(concern.rating)
        form = CommentForm(initial={"rating": concern.rating or rating})
        return render(
            request,
            self.template_name,
            {"concern": concern, "form": form, "token": token, "recorded": recorded},
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        token = request.POST.get("t", "")
        found = self.concern_from_token(request, token)
        if isinstance(found, HttpResponse):
            return found
        concern = found
        form = CommentForm(request.POST)
        context = {"concern": concern, "form": form, "token": token, "recorded": True}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        try:
            services.concern_comment(
                concern=concern,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except InvalidTransition as error:
            messages.error(request, error.message)
            return render(request, self.template_name, context, status=409)
        except ValidationError as error:
            apply_service_errors(form, error)
            return render(request, self.template_name, context, status=400)
        return render(request, "casework/public/thanks.html", {"concern": concern})
