"""The audit trail: audit.record() writes one event; timeline() reads a record's events."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from lianluo.core.middleware import current_ip
from lianluo.core.models import AuditEvent, PersonalDataAccess

# Fields never copied into an audit event (secrets, derived search keys).
REDACTED = "***"


class SystemActor:
    """The system itself as the actor: management commands and imports run from the shell.

    Services accept it as `by=SYSTEM`: it may do everything, and its audit events say "system".
    A web request always acts as its user, never as SYSTEM.
    """

    is_authenticated = False
    is_superuser = True
    pk = None

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


def snapshot(
    obj: models.Model, fields: Iterable[str], *, redact: Iterable[str] = ()
) -> dict[str, Any]:
    """The values of `fields` of `obj`, in JSON form (foreign keys as their ids)."""
    hidden = set(redact)
    values: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        value = getattr(obj, attname)
        values[name] = REDACTED if name in hidden and value else _plain(value)
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field whose value changed."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
    verb: str = "",
    reason: str = "",
    committee_id: int | None = None,
) -> AuditEvent:
    """Write one audit event for `obj`. Call it inside the transaction that makes the change."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    label = actor.get_username() if authenticated else ("system" if actor is SYSTEM else "")
    return AuditEvent.objects.create(
        created_at=timezone.now(),
        actor=actor if authenticated else None,
        actor_label=label[:150],
        action=action,
        verb=verb,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        committee_id=committee_id,
        changes=changes or {},
        reason=reason,
        ip_address=current_ip.get(),
    )


def timeline(obj: models.Model) -> QuerySet[AuditEvent]:
    """The events of one record, oldest first."""
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
    ).select_related("actor")


def log_personal_data_access(
    *,
    user: Any,
    kind: str,
    model: type[models.Model] | models.Model,
    fields: Iterable[str],
    object_id: Any = "",
    record_count: int = 1,
    purpose: str = "",
) -> PersonalDataAccess:
    """Log that `user` saw or exported personal data (PIPL 个人信息保护法)."""
    return PersonalDataAccess.objects.create(
        created_at=timezone.now(),
        user=user,
        kind=kind,
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
        object_id=str(object_id or ""),
        fields=",".join(fields)[:200],
        record_count=record_count,
        purpose=purpose[:200],
        ip_address=current_ip.get(),
    )
