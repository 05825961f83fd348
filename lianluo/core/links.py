"""Links between records of different apps (a concern that became a proposal), both ways."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from lianluo.core.models import RecordLink


def link(*, source: models.Model, target: models.Model, kind: str, by: Any = None) -> RecordLink:
    """Record that `source` `kind` `target` (e.g. concern "became" proposal). Idempotent."""
    found, _ = RecordLink.objects.get_or_create(
        kind=kind,
        source_type=ContentType.objects.get_for_model(source),
        source_id=str(source.pk),
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        defaults={
            "created_at": timezone.now(),
            "created_by": by if getattr(by, "is_authenticated", False) else None,
        },
    )
    return found


def links_of(obj: models.Model) -> list[tuple[str, str, models.Model]]:
    """Every record linked to `obj`, as (direction "out"/"in", kind, the other record)."""
    content_type = ContentType.objects.get_for_model(obj)
    rows = RecordLink.objects.filter(
        Q(source_type=content_type, source_id=str(obj.pk))
        | Q(target_type=content_type, target_id=str(obj.pk))
    ).select_related("source_type", "target_type")
    result: list[tuple[str, str, models.Model]] = []
    for row in rows:
        outgoing = row.source_type_id == content_type.pk and row.source_id == str(obj.pk)
        other_type, other_id = (
            (row.target_type, row.target_id) if outgoing else (row.source_type, row.source_id)
        )
        model = other_type.model_class()
        if model is None:
            continue
        other = model._default_manager.filter(pk=other_id).first()
        if other is not None:
            result.append(("out" if outgoing else "in", row.kind, other))
    return result
