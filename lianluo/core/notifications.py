"""One notification service with pluggable channels.

* in-app: a Notification row per recipient (always);
* e-mail: Django's e-mail backends, at once or in the daily digest (`send_digests` command),
  as each user prefers;
* SMS and WeChat: interfaces (`SMSBackend`, `WeChatBackend`) with a log backend by default;
  settings LIANLUO_SMS_BACKEND / LIANLUO_WECHAT_BACKEND name the class to use.

Messages leave the process only after the transaction that caused them commits
(`transaction.on_commit`), and every outside message is an OutboundMessage with its send state.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, Protocol

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from lianluo.core.models import Notification, NotificationPreference, OutboundMessage

logger = logging.getLogger("lianluo.notifications")


class TextBackend(Protocol):
    """Sends one short text to one address (a mobile number, a WeChat openid)."""

    def send(self, address: str, text: str) -> None: ...


class LogBackend:
    """The default SMS/WeChat backend: writes the message to the log and succeeds."""

    def __init__(self, channel: str) -> None:
        self.channel = channel

    def send(self, address: str, text: str) -> None:
        logger.info("%s to %s: %s", self.channel, address, text)


def _backend(channel: str) -> TextBackend:
    path = getattr(settings, f"LIANLUO_{channel.upper()}_BACKEND", "")
    if not path:
        return LogBackend(channel)
    backend: TextBackend = import_string(path)()
    return backend


def _deliver(message_id: int) -> None:
    message = OutboundMessage.objects.get(pk=message_id)
    message.attempts += 1
    try:
        if message.channel == OutboundMessage.Channel.EMAIL:
            send_mail(message.subject, message.body, None, [message.address])
        else:
            _backend(message.channel).send(message.address, message.body)
    except Exception as error:  # a channel failing must never lose the message
        message.state = OutboundMessage.State.FAILED
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        logger.warning("sending %s to %s failed: %s", message.channel, message.address, error)
    else:
        message.state = OutboundMessage.State.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
    message.save(update_fields=["attempts", "state", "last_error", "sent_at"])


def send_outside(*, channel: str, address: str, body: str, subject: str = "") -> OutboundMessage:
    """Queue one SMS / WeChat / e-mail message; it is sent when the transaction commits."""
    message = OutboundMessage.objects.create(
        created_at=timezone.now(), channel=channel, address=address, subject=subject, body=body
    )
    transaction.on_commit(lambda: _deliver(message.pk))
    return message


def retry_failed(*, limit: int = 100) -> int:
    """Send failed outside messages again (oldest first); returns how many were tried."""
    ids = list(
        OutboundMessage.objects.filter(state=OutboundMessage.State.FAILED)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for message_id in ids:
        _deliver(message_id)
    return len(ids)


def email_mode(user: Any) -> str:
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference.email_mode if preference else NotificationPreference.Mode.IMMEDIATE


def notify(
    *,
    recipients: Iterable[Any],
    title: str,
    body: str = "",
    url: str = "",
    obj: models.Model | None = None,
    kind: str = "",
) -> list[Notification]:
    """Tell each recipient (a user) something, in the app and by e-mail as they prefer."""
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    unique = {user.pk: user for user in recipients if user is not None}
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                created_at=now,
                kind=kind,
                title=title[:200],
                body=body,
                url=url,
                content_type=content_type,
                object_id=str(obj.pk) if obj is not None else "",
            )
            for user in unique.values()
        ]
    )
    preferences = dict(
        NotificationPreference.objects.filter(user_id__in=unique).values_list(
            "user_id", "email_mode"
        )
    )
    for notification in created:
        user = unique[notification.recipient_id]
        mode = preferences.get(user.pk, NotificationPreference.Mode.IMMEDIATE)
        if user.email and mode == NotificationPreference.Mode.IMMEDIATE:
            text = f"{body}\n\n{url}".strip()
            send_outside(channel="email", address=user.email, subject=title, body=text)
            notification.emailed_at = now
            notification.save(update_fields=["emailed_at"])
    return created


def send_digests(*, now: Any = None) -> int:
    """One e-mail per digest user with what they have not been e-mailed yet, grouped by item,
    newest first. Returns the number of e-mails queued."""
    now = now or timezone.now()
    pending = (
        Notification.objects.filter(
            emailed_at__isnull=True,
            recipient__notification_preference__email_mode=NotificationPreference.Mode.DIGEST,
        )
        .exclude(recipient__email="")
        .select_related("recipient", "content_type")
        .order_by("recipient_id", "-created_at", "-id")
    )
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for notification in pending:
        by_user[notification.recipient_id].append(notification)
    for items in by_user.values():
        groups: dict[tuple[Any, str], list[Notification]] = {}
        for item in items:  # newest first, so each group's first item is its newest
            groups.setdefault((item.content_type_id, item.object_id), []).append(item)
        lines = []
        for group in groups.values():
            lines.append(f"■ {group[0].title}")
            lines.extend(f"  · {n.created_at:%Y-%m-%d %H:%M} {n.title}" for n in group[1:])
            if group[0].url:
                lines.append(f"  {group[0].url}")
        recipient = items[0].recipient
        send_outside(
            channel="email",
            address=recipient.email,
            subject=_("Your Lianluo digest: %(count)d new messages") % {"count": len(items)},
            body="\n".join(lines),
        )
        Notification.objects.filter(pk__in=[n.pk for n in items]).update(emailed_at=now)
    return len(by_user)
