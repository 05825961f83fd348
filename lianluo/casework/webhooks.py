"""Forwarding to a unit's own system 推送: a signed POST per event, retried with back-off.

The body is JSON; the headers carry the time and an HMAC-SHA256 of "<time>.<body>" with the
unit's secret (`X-Lianluo-Timestamp`, `X-Lianluo-Signature: sha256=<hex>`), so the unit's system
can check that the message is ours and fresh. A 2xx answer is success; its JSON `reference` (or
an `X-Reference` header) is kept as the concern's reference in that system. Anything else is a
failure: the next attempt waits 1, 2, 4, … minutes (at most six hours) and after MAX_ATTEMPTS
the delivery is abandoned; staff see failures on the concern and in the deliveries list, and may
retry by hand.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from lianluo.casework.models import Concern, UnitEndpoint, WebhookDelivery
from lianluo.core import crypto

logger = logging.getLogger("lianluo.casework.webhooks")

MAX_ATTEMPTS = 8
BASE_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(hours=6)
TIMEOUT_SECONDS = 10


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failure: 1, 2, 4, 8 … minutes, at most six hours."""
    return min(BASE_DELAY * (2 ** max(attempts - 1, 0)), MAX_DELAY)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def payload_for(concern: Concern, event: str) -> dict[str, Any]:
    """What the unit's system receives: the concern without the constituent's personal data."""
    return {
        "event": event,
        "concern": {
            "id": concern.pk,
            "code": concern.code,
            "topic": concern.topic,
            "description": concern.description,
            "place": concern.place,
            "category": concern.category.code if concern.category else None,
            "urgency": concern.urgency,
            "received_at": concern.received_at.isoformat(),
            "deadline": concern.deadline.isoformat() if concern.deadline else None,
        },
        # The unit answers through the unit API (token-authenticated).
        "reply_url": f"/api/casework/unit/concerns/{concern.pk}/reply/",
    }


def delivery_create(*, concern: Concern, event: str) -> WebhookDelivery | None:
    """Queue one POST to the unit's system, if the concern's unit has an active endpoint. Call it
    inside the transaction of the step; the task is enqueued when it commits."""
    if concern.handling_unit_id is None:
        return None
    endpoint = UnitEndpoint.objects.filter(unit_id=concern.handling_unit_id, is_active=True).first()
    if endpoint is None:
        return None
    delivery = WebhookDelivery.objects.create(
        committee_id=concern.committee_id,
        concern=concern,
        endpoint=endpoint,
        event=event,
        payload=payload_for(concern, event),
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: enqueue(delivery.pk))
    return delivery


def enqueue(delivery_id: int) -> None:
    from lianluo.casework.tasks import deliver_webhook

    try:
        deliver_webhook.enqueue(delivery_id)
    except Exception:  # the sweep picks up due deliveries, so a failed enqueue loses nothing
        logger.exception("could not enqueue webhook delivery %s", delivery_id)


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes, dict[str, str]]:
    """POST `body`; (status, response body, headers). Raises OSError on network failure."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, response.read(65536), dict(response.headers.items())
    except urllib.error.HTTPError as error:
        return error.code, error.read(65536) if error.fp else b"", dict(error.headers.items())


def _reference(body: bytes, headers: dict[str, str]) -> str:
    for name, value in headers.items():
        if name.lower() == "x-reference":
            return value[:100]
    try:
        data = json.loads(body.decode() or "{}")
    except (UnicodeDecodeError, ValueError):
        return ""
    reference = data.get("reference") if isinstance(data, dict) else None
    return str(reference)[:100] if reference else ""


def deliver(delivery_id: int) -> str:
    """Try one delivery now; returns its new state. Safe to call twice: a sent delivery is left."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("endpoint")
            .get(pk=delivery_id)
        )
        if delivery.state in (WebhookDelivery.State.SENT, WebhookDelivery.State.ABANDONED):
            return delivery.state
        # Claim it: a second worker finds the next attempt in the future.
        delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts + 1)
        delivery.save(update_fields=["next_attempt_at"])
    endpoint = delivery.endpoint
    body = json.dumps(delivery.payload, ensure_ascii=False, sort_keys=True).encode()
    timestamp = str(int(timezone.now().timestamp()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Lianluo-Casework/1",
        "X-Lianluo-Event": delivery.event,
        "X-Lianluo-Delivery": str(delivery.pk),
        "X-Lianluo-Timestamp": timestamp,
        "X-Lianluo-Signature": sign(crypto.decrypt(endpoint.secret_encrypted), timestamp, body),
    }
    status: int | None = None
    error = ""
    reference = ""
    try:
        status, answer, answer_headers = post(endpoint.url, body, headers)
        if 200 <= status < 300:
            reference = _reference(answer, answer_headers)
        else:
            error = f"HTTP {status}: {answer[:500].decode(errors='replace')}"
    except (OSError, ValueError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_status = status
    if not error:
        delivery.state = WebhookDelivery.State.SENT
        delivery.sent_at = now
        delivery.next_attempt_at = None
        delivery.last_error = ""
        delivery.external_ref = reference or delivery.external_ref
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.state = WebhookDelivery.State.ABANDONED
        delivery.next_attempt_at = None
        delivery.last_error = error
    else:
        delivery.state = WebhookDelivery.State.FAILED
        delivery.next_attempt_at = now + backoff(delivery.attempts)
        delivery.last_error = error
    delivery.save(
        update_fields=[
            "attempts",
            "last_status",
            "state",
            "sent_at",
            "next_attempt_at",
            "last_error",
            "external_ref",
        ]
    )
    if error:
        logger.warning("webhook %s to %s failed: %s", delivery.pk, endpoint.url, error)
    return delivery.state


def due_deliveries(*, now: Any, limit: int = 200) -> list[int]:
    """Deliveries waiting or failed whose next attempt is due."""
    return list(
        WebhookDelivery.objects.filter(
            state__in=(WebhookDelivery.State.PENDING, WebhookDelivery.State.FAILED),
            next_attempt_at__lte=now,
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def delivery_retry(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Staff ask for another try now (also after the delivery was abandoned)."""
    with transaction.atomic():
        locked = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
        if locked.state == WebhookDelivery.State.SENT:
            return locked
        if locked.state == WebhookDelivery.State.ABANDONED:
            locked.attempts = 0
        locked.state = WebhookDelivery.State.PENDING
        locked.next_attempt_at = timezone.now()
        locked.save(update_fields=["state", "next_attempt_at", "attempts"])
        transaction.on_commit(lambda: enqueue(locked.pk))
    return locked
