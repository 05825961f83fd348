"""Open311 GeoReport v2 开放接口 (http://wiki.open311.org/GeoReport_v2), under /api/open311/v2/.

Mapping: a jurisdiction is a committee (jurisdiction_id = its six-digit division code; optional
when a single committee takes concerns, or when the API key's committee is meant); a service is
one of its active categories; a service request is a concern, its service_request_id the
tracking code. Every endpoint answers in XML and JSON (the JSON is the mechanical mapping of the
XML), errors as the spec's list of {code, description} with 400 / 403 / 404.

What is public stays the concern's public view: the topic as description, the state, the
published answer as status notes, the handling unit. The place, coordinates and anything about
the person are not published, and concerns held by the spam screen or discarded never appear.
POSTing needs an API key issued by the committee's office (only its digest is stored).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from lianluo.casework import codes, ratelimit, selectors, services
from lianluo.casework.models import Category, Concern
from lianluo.directory.models import Committee

SPEC = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-27T00:00:00Z"
MAX_SPAN = datetime.timedelta(days=90)
MAX_RESULTS = 1000
CLOSED_STATES = (Concern.Status.REPLIED, Concern.Status.CLOSED, Concern.Status.MERGED)
TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


class Open311Error(Exception):
    """An error answer: HTTP status, and the spec's list of errors."""

    def __init__(self, status: int, description: str, code: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.errors = [{"code": code or status, "description": description}]


# ---------------------------------------------------------------- rendering


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _element(
    parent: ElementTree.Element, name: str, value: Any, item_names: Mapping[str, str]
) -> None:
    node = ElementTree.SubElement(parent, name)
    if isinstance(value, Mapping):
        for key, child in value.items():
            _element(node, key, child, item_names)
    elif isinstance(value, list | tuple):
        for child in value:
            _element(node, item_names.get(name, "item"), child, item_names)
    else:
        node.text = _text(value)


# XML element names of list items (the spec's plural → singular).
ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


def render(data: Any, fmt: str, *, root: str, status: int = 200) -> HttpResponse:
    """`data` as JSON, or as XML under `root` (a list becomes repeated item elements)."""
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False, default=_text)
        return HttpResponse(body, content_type=TYPES["json"], status=status)
    top = ElementTree.Element(root)
    if isinstance(data, list):
        for item in data:
            _element(top, ITEMS.get(root, "item"), item, ITEMS)
    else:
        for key, value in data.items():
            _element(top, key, value, ITEMS)
    body = ElementTree.tostring(top, encoding="unicode")
    return HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?>\n' + body,
        content_type=TYPES["xml"],
        status=status,
    )


def _w3c(value: datetime.datetime | None) -> str | None:
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


# ---------------------------------------------------------------- mapping


def jurisdiction(request: HttpRequest, *, committee: Committee | None = None) -> Committee:
    """The committee named by jurisdiction_id; else `committee` (the API key's); else the only
    committee with active categories. 404 for an unknown code, 400 when it must be given."""
    value = (
        request.POST.get("jurisdiction_id") or request.GET.get("jurisdiction_id") or ""
    ).strip()
    if value:
        found = Committee.objects.filter(code=value).first() if value.isdigit() else None
        if found is None:
            raise Open311Error(404, _("jurisdiction_id %(id)s was not found.") % {"id": value})
        return found
    if committee is not None:
        return committee
    candidates = list(Committee.objects.filter(casework_categories__is_active=True).distinct()[:2])
    if len(candidates) == 1:
        return candidates[0]
    raise Open311Error(400, _("jurisdiction_id is required (the committee's division code)."))


def service_of(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": False,
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group,
    }


def request_of(concern: Concern) -> dict[str, Any]:
    """The public view of a concern as a GeoReport request."""
    closed = concern.status in CLOSED_STATES
    if concern.status == Concern.Status.MERGED:
        notes = _("Merged into an earlier concern on the same matter.")
    elif concern.status in Concern.ANSWERED_STATES:
        notes = concern.reply_text
    else:
        notes = str(concern.get_status_display())
    updated = concern.closed_at if concern.status == Concern.Status.CLOSED else concern.updated_at
    category = concern.category
    return {
        "service_request_id": concern.code,
        "status": "closed" if closed else "open",
        "status_notes": notes,
        "service_name": category.name if category else "",
        "service_code": category.code if category else "",
        "description": concern.topic,
        "agency_responsible": str(concern.handling_unit) if concern.handling_unit_id else "",
        "service_notice": "",
        "requested_datetime": _w3c(concern.received_at),
        "updated_datetime": _w3c(updated),
        "expected_datetime": _w3c(concern.deadline),
        "address": "",
        "address_id": "",
        "zipcode": "",
        "lat": "",
        "long": "",
        "media_url": "",
    }


# ---------------------------------------------------------------- views


class Open311View(View):
    """Common to every endpoint: the format suffix, errors in the spec's shape."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        fmt = kwargs.pop("format", "xml")
        self.fmt = fmt if fmt in TYPES else "xml"
        if request.method not in ("GET", "HEAD") and request.method != "POST":
            return render(
                [{"code": 405, "description": _("Method not allowed.")}],
                self.fmt,
                root="errors",
                status=405,
            )
        try:
            return super().dispatch(request, *args, **kwargs)
        except Open311Error as error:
            return render(error.errors, self.fmt, root="errors", status=error.status)

    def http_method_not_allowed(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        return render(
            [{"code": 405, "description": _("Method not allowed.")}],
            self.fmt,
            root="errors",
            status=405,
        )


class DiscoveryView(Open311View):
    """Service discovery: where the endpoint is, its formats, how to get a key."""

    def get(self, request: HttpRequest) -> HttpResponse:
        base = (
            request.build_absolute_uri(reverse("open311:services", args=["xml"])).rsplit("/", 1)[0]
            + "/"
        )
        return render(
            {
                "changeset": CHANGESET,
                "contact": _("The office of the committee that receives the concern."),
                "key_service": _(
                    "API keys are issued by each committee's office (Concerns → Settings → "
                    "Open311 clients)."
                ),
                "endpoints": [
                    {
                        "specification": SPEC,
                        "url": base,
                        "changeset": CHANGESET,
                        "type": "production",
                        "formats": ["text/xml", "application/json"],
                    }
                ],
            },
            self.fmt,
            root="discovery",
        )


class ServicesView(Open311View):
    """GET services: the jurisdiction's active categories."""

    def get(self, request: HttpRequest) -> HttpResponse:
        committee = jurisdiction(request)
        services_ = [service_of(c) for c in selectors.categories_public(committee)]
        return render(services_, self.fmt, root="services")


class ServiceView(Open311View):
    """GET services/<code>: a service definition (no extra attributes in Lianluo)."""

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        committee = jurisdiction(request)
        category = selectors.categories_public(committee).filter(code=code).first()
        if category is None:
            raise Open311Error(404, _("service_code %(code)s was not found.") % {"code": code})
        return render(
            {"service_code": category.code, "attributes": []},
            self.fmt,
            root="service_definition",
        )


def _date(request: HttpRequest, name: str) -> datetime.datetime | None:
    value = request.GET.get(name, "").strip()
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None or parsed.tzinfo is None:
        raise Open311Error(
            400,
            _("%(name)s must be a W3C date and time with a time zone, e.g. 2010-01-01T00:00:00Z.")
            % {"name": name},
        )
    return parsed


def _decimal(value: str, name: str) -> Decimal | None:
    if not value:
        return None
    try:
        return Decimal(value)
    except InvalidOperation as error:
        raise Open311Error(400, _("%(name)s is not a number.") % {"name": name}) from error


@method_decorator(csrf_exempt, name="dispatch")
class RequestsView(Open311View):
    """GET requests: query public concerns. POST requests: submit one (API key required)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        queryset = selectors.concerns_public()
        if request.GET.get("jurisdiction_id", "").strip():
            queryset = queryset.filter(committee=jurisdiction(request))
        ids = [codes.normalize(v) for v in request.GET.get("service_request_id", "").split(",")]
        ids = [v for v in ids if v]
        if ids:
            found = queryset.filter(code__in=ids[:MAX_RESULTS])
            return render([request_of(c) for c in found], self.fmt, root="service_requests")
        service_codes = [
            v.strip() for v in request.GET.get("service_code", "").split(",") if v.strip()
        ]
        if service_codes:
            queryset = queryset.filter(category__code__in=service_codes)
        start, end = _date(request, "start_date"), _date(request, "end_date")
        if start and end and end < start:
            raise Open311Error(400, _("end_date is before start_date."))
        if start and end and end - start > MAX_SPAN:
            raise Open311Error(400, _("The date range may span at most 90 days."))
        if start is None and end is None:
            start = timezone.now() - MAX_SPAN
        if start is not None:
            queryset = queryset.filter(received_at__gte=start)
        if end is not None:
            queryset = queryset.filter(received_at__lte=end)
        statuses = {v.strip() for v in request.GET.get("status", "").split(",") if v.strip()}
        if statuses - {"open", "closed"}:
            raise Open311Error(400, _("status is open, closed, or both."))
        if statuses == {"open"}:
            queryset = queryset.exclude(status__in=CLOSED_STATES)
        elif statuses == {"closed"}:
            queryset = queryset.filter(status__in=CLOSED_STATES)
        try:
            page_size = min(max(int(request.GET.get("page_size") or MAX_RESULTS), 1), MAX_RESULTS)
            page = max(int(request.GET.get("page") or 1), 1)
        except ValueError as error:
            raise Open311Error(400, _("page and page_size are whole numbers.")) from error
        rows = queryset.order_by("-received_at", "-id")[(page - 1) * page_size : page * page_size]
        return render([request_of(c) for c in rows], self.fmt, root="service_requests")

    def post(self, request: HttpRequest) -> HttpResponse:
        data = request.POST
        client = services.open311_authenticate(data.get("api_key", ""))
        if client is None:
            raise Open311Error(403, _("A valid api_key is required to submit a request."))
        if not ratelimit.hit("open311", str(client.pk)):
            raise Open311Error(429, _("Too many requests from this client; wait a minute."))
        committee = jurisdiction(request, committee=client.committee)
        if committee.pk != client.committee_id:
            raise Open311Error(403, _("This api_key is not valid for this jurisdiction."))
        service_code = data.get("service_code", "").strip()
        if not service_code:
            raise Open311Error(400, _("service_code is required."))
        category = selectors.categories_public(committee).filter(code=service_code).first()
        if category is None:
            raise Open311Error(
                404, _("service_code %(code)s was not found.") % {"code": service_code}
            )
        latitude, longitude = (
            _decimal(data.get("lat", ""), "lat"),
            _decimal(data.get("long", ""), "long"),
        )
        address = data.get("address_string", "").strip() or data.get("address_id", "").strip()
        if (latitude is None or longitude is None) and not address:
            raise Open311Error(
                400, _("A location is required: lat and long, address_string or address_id.")
            )
        description = data.get("description", "").strip()
        if len(description) > 4000:
            raise Open311Error(400, _("description may have at most 4,000 characters."))
        first_line = next((line.strip() for line in description.splitlines() if line.strip()), "")
        topic = first_line[:40] or category.name
        consent = data.get("consent", "").lower() in ("true", "1", "yes")
        name = " ".join(p for p in (data.get("last_name", ""), data.get("first_name", "")) if p)
        phone = data.get("phone", "")
        notices = []
        if (name or phone) and not consent:
            name, phone = "", ""
            notices.append(
                _("Name and phone were not kept: send consent=true when the person agreed.")
            )
        try:
            concern = services.concern_submit(
                committee=committee,
                topic=topic,
                description=description or category.name,
                place=address,
                latitude=latitude,
                longitude=longitude,
                category=category,
                name=name.strip()[:40],
                mobile=phone,
                consent=consent,
                source=Concern.Source.OPEN311,
                open311_client=client,
            )
        except ValidationError as error:
            messages = (
                [f"{field}: {'; '.join(msgs)}" for field, msgs in error.message_dict.items()]
                if hasattr(error, "error_dict")
                else error.messages
            )
            raise Open311Error(400, " ".join(messages)) from error
        if concern.status == Concern.Status.HELD:
            notices.append(_("The request will be published after review."))
        return render(
            [
                {
                    "service_request_id": concern.code,
                    "service_notice": " ".join(notices),
                    "account_id": None,
                }
            ],
            self.fmt,
            root="service_requests",
        )


class RequestView(Open311View):
    """GET requests/<id>: one request (still a list, as the spec says)."""

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        code = codes.normalize(code)
        concern = (
            selectors.concerns_public().filter(code=code).first() if codes.is_valid(code) else None
        )
        if concern is None:
            raise Open311Error(404, _("service_request_id %(id)s was not found.") % {"id": code})
        return render([request_of(concern)], self.fmt, root="service_requests")
