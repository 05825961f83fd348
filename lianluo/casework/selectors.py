"""Reads of concerns that are worth a name. Each list is a constant number of queries."""

from __future__ import annotations

import datetime
import statistics
from collections import Counter, defaultdict
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from lianluo.casework.models import CaseworkPolicy, Category, Concern
from lianluo.core import links
from lianluo.core.models import AuditEvent
from lianluo.directory.models import Committee, Grant, Person

LIST_RELATED = ("committee", "category", "handling_unit", "member", "sector", "studio")


def site_url() -> str:
    """The public address of the site, for links in SMS and e-mail (settings.LIANLUO_SITE_URL)."""
    return str(getattr(settings, "LIANLUO_SITE_URL", "")).rstrip("/")


def policy_for(committee: Committee) -> CaseworkPolicy:
    """The committee's casework policy, or the defaults when it has not set one."""
    policy = CaseworkPolicy.objects.filter(committee_id=committee.pk).first()
    return policy if policy is not None else CaseworkPolicy(committee=committee)


def office_users(committee_id: int) -> list[Any]:
    """The committee's office staff accounts (notification recipients)."""
    grants = Grant.objects.filter(
        committee_id=committee_id, role=Grant.Role.OFFICE, user__is_active=True
    ).select_related("user")
    return [grant.user for grant in grants]


def studio_users(studio_id: int) -> list[Any]:
    """The accounts of the members serving at a studio."""
    from django.contrib.auth import get_user_model

    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            person__memberships__studio_roles__studio_id=studio_id,
        )
        .distinct()
    )


def unit_users(unit_id: int) -> list[Any]:
    grants = Grant.objects.filter(
        unit_id=unit_id, role=Grant.Role.UNIT, user__is_active=True
    ).select_related("user")
    return [grant.user for grant in grants]


def concern_list(queryset: QuerySet[Concern]) -> QuerySet[Concern]:
    """A list's rows with their related records, in one query."""
    return queryset.select_related(*LIST_RELATED)


PAGE_DEFER = ("description", "reply_text", "rating_comment", "mobile_encrypted")


def committee_concerns(committee: Committee) -> QuerySet[Concern]:
    """A committee's inbox: every concern but those held for moderation or discarded."""
    return (
        concern_list(
            Concern.objects.filter(committee=committee).exclude(
                status__in=(Concern.Status.HELD, Concern.Status.DISCARDED)
            )
        )
        .defer(*PAGE_DEFER)
        .order_by("-received_at", "-id")
    )


def moderation_queue(committee: Committee) -> QuerySet[Concern]:
    return concern_list(Concern.objects.filter(committee=committee, status=Concern.Status.HELD))


def unit_queue(user: Any) -> QuerySet[Concern]:
    """What is assigned to the user's handling unit(s), open ones first by deadline."""
    from lianluo.directory.scoping import scope_for

    scope = scope_for(user)
    return concern_list(
        Concern.objects.filter(handling_unit_id__in=scope.unit_ids).exclude(
            status__in=(Concern.Status.HELD, Concern.Status.DISCARDED, Concern.Status.MERGED)
        )
    ).order_by("status", "deadline", "id")


def studio_ids_of(person_id: int | None) -> set[int]:
    """The studios where a person serves."""
    if person_id is None:
        return set()
    from lianluo.casework.models import _studios_of

    return {row["pk"] for row in _studios_of(person_id)}


def member_concerns(person: Person) -> QuerySet[Concern]:
    """Concerns addressed to a member (or to a studio where they serve) or handled by them."""
    from lianluo.casework.models import _studios_of

    return concern_list(
        Concern.objects.filter(Q(member=person) | Q(studio_id__in=_studios_of(person.pk))).exclude(
            status__in=(Concern.Status.HELD, Concern.Status.DISCARDED)
        )
    ).order_by("-received_at", "-id")


def _bigrams(text: str) -> set[str]:
    chars = "".join(ch for ch in text.casefold() if ch.isalnum())
    return {chars[i : i + 2] for i in range(len(chars) - 1)} or ({chars} if chars else set())


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the character bigrams of two texts (0 to 1); works for Chinese
    without word segmentation."""
    left, right = _bigrams(a), _bigrams(b)
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def duplicates(
    concern: Concern, *, limit: int = 5, threshold: float = 0.25, window_days: int = 180
) -> list[tuple[Concern, float]]:
    """Open concerns of the same committee received before this one that look alike (并单
    candidates), most similar first. One query over the recent open concerns."""
    since = concern.received_at - datetime.timedelta(days=window_days)
    candidates = (
        Concern.objects.filter(
            committee_id=concern.committee_id,
            status__in=Concern.OPEN_STATES,
            received_at__gte=since,
            received_at__lte=concern.received_at,
        )
        .exclude(pk=concern.pk)
        .only("pk", "code", "topic", "description", "status", "received_at", "committee_id")
        .order_by("-received_at")[:2000]
    )
    # The topic weighs as much as the whole text: look-alike boilerplate alone is no duplicate.
    scored = [
        (
            other,
            (
                similarity(concern.topic, other.topic)
                + similarity(
                    f"{concern.topic} {concern.description}", f"{other.topic} {other.description}"
                )
            )
            / 2,
        )
        for other in candidates
    ]
    found = [(other, score) for other, score in scored if score >= threshold]
    found.sort(key=lambda pair: -pair[1])
    return found[:limit]


# ---------------------------------------------------------------- timeline


def timeline(concern: Concern) -> list[AuditEvent]:
    """The concern's events, oldest first (one query)."""
    return list(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(Concern), object_id=str(concern.pk)
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )


def linked_items(concern: Concern) -> list[dict[str, Any]]:
    """Records linked to the concern (a proposal made from it, the concern it was merged into),
    each with its current status when it has one: the concern's timeline follows them."""
    found = []
    for direction, kind, other in links.links_of(concern):
        display = getattr(other, "get_status_display", None)
        found.append(
            {
                "direction": direction,
                "kind": kind,
                "object": other,
                "type": other._meta.verbose_name,
                "status": display() if callable(display) else "",
                "url": other.get_absolute_url() if hasattr(other, "get_absolute_url") else "",
            }
        )
    return found


# ---------------------------------------------------------------- public


def public_concern(code: str) -> Concern | None:
    """The concern with this code as the public may see it (never held or discarded ones)."""
    return (
        Concern.objects.public()
        .select_related("committee", "category", "handling_unit", "merged_into")
        .filter(code=code)
        .first()
    )


# Steps the tracking page names; others (reminders, supervision) stay internal.
PUBLIC_VERBS = {
    "submit",
    "release",
    "triage",
    "forward",
    "reassign",
    "accept",
    "handle_directly",
    "convert",
    "reply",
    "decline",
    "rate",
    "close",
    "reopen",
    "merge",
}


def public_steps(concern: Concern) -> list[dict[str, Any]]:
    """The concern's states as the constituent sees them: when, and which state. No names, no
    internal notes."""
    steps = []
    for event in timeline(concern):
        if event.verb not in PUBLIC_VERBS:
            continue
        status = (event.changes.get("status") or [None, None])[1]
        if event.verb == "submit" and status == Concern.Status.HELD:
            continue
        if status is None:
            continue
        steps.append(
            {"at": event.created_at, "status": status, "label": Concern.Status(status).label}
        )
    return steps


def concerns_public() -> QuerySet[Concern]:
    """Concerns for public listings (Open311): never the held or discarded ones."""
    return (
        Concern.objects.public()
        .select_related("committee", "category", "handling_unit")
        .defer("description", "mobile_encrypted")
    )


def categories_public(committee: Committee) -> QuerySet[Category]:
    return Category.objects.filter(committee=committee, is_active=True).order_by("position", "id")


# ---------------------------------------------------------------- numbers


SOLVED = (Concern.Outcome.RESOLVED,)


def dashboard(committee: Committee, *, year: int) -> dict[str, Any]:
    """A year of a committee's concerns in figures: per month received / closed / overdue,
    median days to reply per unit, ratings, outcomes (only "resolved" counts as solved), top
    categories. Five queries whatever the number of concerns."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=tz)
    end = datetime.datetime(year + 1, 1, 1, tzinfo=tz)
    base = Concern.objects.filter(committee=committee).exclude(
        status__in=(Concern.Status.HELD, Concern.Status.DISCARDED)
    )
    months = [f"{year}-{m:02d}" for m in range(1, 13)]

    def per_month(field: str, extra: Q | None = None) -> list[int]:
        qs = base.filter(**{f"{field}__gte": start, f"{field}__lt": end})
        if extra is not None:
            qs = qs.filter(extra)
        rows = (
            qs.annotate(month=TruncMonth(field, tzinfo=tz))
            .values("month")
            .annotate(n=Count("id"))
            .values_list("month", "n")
        )
        counts = {f"{month:%Y-%m}": n for month, n in rows if month is not None}
        return [counts.get(month, 0) for month in months]

    now = timezone.now()
    received = per_month("received_at")
    closed = per_month("closed_at")
    # Overdue: the deadline fell in the month and the answer came after it (or has not come).
    late = Q(replied_at__isnull=False, replied_at__gt=F("deadline")) | Q(
        replied_at__isnull=True, deadline__lt=now
    )
    overdue = per_month("deadline", late)

    year_rows = list(
        base.filter(received_at__gte=start, received_at__lt=end).values_list(
            "handling_unit__name",
            "forwarded_at",
            "replied_at",
            "outcome",
            "rating",
            "category__name",
        )
    )
    reply_days: dict[str, list[float]] = defaultdict(list)
    outcomes: Counter[str] = Counter()
    ratings: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    for unit, forwarded_at, replied_at, outcome, rating, category in year_rows:
        if unit and forwarded_at and replied_at:
            reply_days[unit].append((replied_at - forwarded_at).total_seconds() / 86400)
        if outcome:
            outcomes[outcome] += 1
        if rating:
            ratings[rating] += 1
        if category:
            categories[category] += 1
    medians = sorted(
        ((unit, round(statistics.median(days), 1), len(days)) for unit, days in reply_days.items()),
        key=lambda row: row[1],
    )
    rated = sum(ratings.values())
    answered = sum(outcomes.values())
    solved = sum(outcomes[o] for o in SOLVED)
    satisfied = ratings[Concern.Rating.SATISFIED] + ratings[Concern.Rating.BASICALLY_SATISFIED]
    return {
        "year": year,
        "months": months,
        "received": received,
        "closed": closed,
        "overdue": overdue,
        "total_received": sum(received),
        "medians": medians,
        "ratings": [(Concern.Rating(r).label, ratings[r]) for r in Concern.Rating.values],
        "rated": rated,
        "satisfaction_rate": round(100 * satisfied / rated, 1) if rated else None,
        "outcomes": [(Concern.Outcome(o).label, outcomes[o]) for o in Concern.Outcome.values],
        "answered": answered,
        "solved": solved,
        "solved_rate": round(100 * solved / answered, 1) if answered else None,
        "top_categories": categories.most_common(10),
    }
