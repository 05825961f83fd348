"""Reads of the liaison app that are worth a name. Every list costs a constant number of queries,
however long it is: coverage, the dashboard, plan progress, a member's page, the public pages."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import ExtractQuarter, TruncMonth
from django.shortcuts import get_object_or_404

from lianluo.directory.models import Committee, Membership, Organization, Person
from lianluo.liaison.models import (
    ActivityGroup,
    ActivityParticipant,
    ConstituentContact,
    ConstituentGroup,
    LiaisonActivity,
    LiaisonAssignment,
    LiaisonPlan,
    PlanTask,
    ReceptionDay,
    ReceptionDuty,
    Studio,
    StudioMember,
)

FEED_PAST_DAYS = 90
FEED_LIMIT = 500

# ---------------------------------------------------------------------------------------------
# Staff lists


def committee_groups(user: Any, committee: Committee) -> QuerySet[ConstituentGroup]:
    """A committee's constituent groups that `user` may see, with their number of members."""
    return (
        ConstituentGroup.objects.visible_to(user)
        .filter(committee=committee)
        .select_related("sector")
        .annotate(
            members=Count("assignments", filter=Q(assignments__end_date__isnull=True)),
        )
        .order_by("-is_active", "name", "id")
    )


def committee_assignments(user: Any, committee: Committee) -> QuerySet[LiaisonAssignment]:
    """A committee's assignments that `user` may see, by group, then member in official order."""
    return (
        LiaisonAssignment.objects.visible_to(user)
        .filter(committee=committee)
        .select_related("group", "group__sector", "membership__person", "membership__sector")
        .order_by("group__name", "group_id", "-role", "membership__person__name_sort_key", "id")
    )


def committee_activities(user: Any, committee: Committee) -> QuerySet[LiaisonActivity]:
    """A committee's activities that `user` may see, newest first, ready for a list or export."""
    return (
        LiaisonActivity.objects.visible_to(user)
        .filter(committee=committee)
        .select_related("sector", "focus_area", "studio", "recorded_by")
        .prefetch_related(
            Prefetch(
                "participant_links",
                queryset=ActivityParticipant.objects.select_related("membership__person").order_by(
                    "membership__person__name_sort_key"
                ),
            ),
            Prefetch("group_links", queryset=ActivityGroup.objects.select_related("group")),
        )
        .annotate(attachment_count=Count("attachments"))
        .order_by("-date", "-id")
    )


def activity_detail(user: Any, pk: int) -> LiaisonActivity:
    """One activity `user` may see (404 otherwise), with everything its page shows."""
    return get_object_or_404(
        LiaisonActivity.objects.visible_to(user)
        .select_related("committee", "sector", "focus_area", "studio", "recorded_by")
        .prefetch_related(
            Prefetch(
                "participant_links",
                queryset=ActivityParticipant.objects.select_related(
                    "membership__person", "membership__sector"
                ).order_by("membership__person__name_sort_key"),
            ),
            Prefetch("group_links", queryset=ActivityGroup.objects.select_related("group")),
            "attachments",
        ),
        pk=pk,
    )


def committee_studios(user: Any, committee: Committee) -> QuerySet[Studio]:
    """A committee's studios that `user` may see, with their number of members."""
    return (
        Studio.objects.visible_to(user)
        .filter(committee=committee)
        .select_related("sector")
        .annotate(member_count=Count("studio_members"))
        .order_by("status", "name", "id")
    )


def studio_members(studio: Studio) -> QuerySet[StudioMember]:
    return studio.studio_members.select_related(
        "membership__person", "membership__sector"
    ).order_by("-role", "membership__person__name_sort_key", "id")


def month_days(studio: Studio, first: datetime.date, last: datetime.date) -> QuerySet[ReceptionDay]:
    """A studio's reception days in a date range with the members on duty (staff calendar)."""
    return (
        studio.reception_days.filter(date__gte=first, date__lte=last)
        .prefetch_related(_duties_prefetch())
        .order_by("date", "start_time")
    )


def committee_contacts(user: Any, committee: Committee) -> QuerySet[ConstituentContact]:
    return (
        ConstituentContact.objects.visible_to(user)
        .filter(committee=committee)
        .select_related("group", "membership__person", "studio")
        .order_by("name", "id")
    )


def serving_seats(committee: Committee) -> QuerySet[Membership]:
    """The committee's serving seats 委员, in the official order (for choosing members)."""
    return (
        Membership.objects.filter(
            committee=committee, organization__isnull=True, status=Membership.Status.SERVING
        )
        .select_related("person", "sector")
        .order_by("person__name_sort_key", "person_id", "-term__number")
    )


def _duties_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "duties",
        queryset=ReceptionDuty.objects.select_related("membership__person").order_by(
            "membership__person__name_sort_key", "id"
        ),
    )


# ---------------------------------------------------------------------------------------------
# Coverage


@dataclass
class AreaCoverage:
    area_name: str
    area_code: str
    groups: int
    last_contact: datetime.date | None


@dataclass
class Coverage:
    """Who had no contact in the last `days` days: groups, sectors, areas and members."""

    committee: Committee
    days: int
    since: datetime.date
    groups: list[ConstituentGroup]
    groups_total: int
    sectors: list[Organization]
    sectors_total: int
    areas: list[AreaCoverage]
    areas_total: int
    members: list[Membership]
    members_total: int


def coverage(
    committee: Committee,
    *,
    days: int,
    today: datetime.date,
    sector_ids: Iterable[int] | None = None,
) -> Coverage:
    """For a committee and the last `days` days (today included): the active constituent
    groups no activity reached, the sectors with no activity (none of their own and none
    reaching one of their groups), the areas (of the groups) none reached, and the serving
    members who took part in none.

    Eight queries, whatever the committee's size: each list, and each list's last contacts as
    one grouped MAX over the committee's activities (no per-row subquery, so PostgreSQL scans
    the committee's activities once per list). `sector_ids` narrows everything to some sectors
    (a convener sees their own).
    """
    since = today - datetime.timedelta(days=days - 1)
    sectors_only = list(sector_ids) if sector_ids is not None else None

    def quiet(last: datetime.date | None) -> bool:
        return last is None or last < since

    links = ActivityGroup.objects.filter(
        activity__committee=committee, activity__date__lte=today
    ).order_by()
    activities = LiaisonActivity.objects.filter(committee=committee, date__lte=today).order_by()

    groups = ConstituentGroup.objects.filter(committee=committee, is_active=True)
    if sectors_only is not None:
        groups = groups.filter(sector_id__in=sectors_only)
    all_groups = list(groups.select_related("sector").order_by("name", "id"))
    last_by_group = dict(
        links.values("group_id")
        .annotate(last=Max("activity__date"))
        .values_list("group_id", "last")
    )
    for group in all_groups:
        group.last_contact = last_by_group.get(group.pk)  # type: ignore[attr-defined]
    quiet_groups = sorted(
        (g for g in all_groups if quiet(g.last_contact)),  # type: ignore[attr-defined]
        key=lambda g: (g.last_contact is not None, g.last_contact or since, g.name, g.pk),  # type: ignore[attr-defined]
    )

    sectors_qs = Organization.objects.filter(
        committee=committee, classification=Organization.Classification.SECTOR, is_active=True
    )
    if sectors_only is not None:
        sectors_qs = sectors_qs.filter(pk__in=sectors_only)
    all_sectors = list(sectors_qs.order_by("position", "id"))
    own = dict(
        activities.exclude(sector=None)
        .values("sector_id")
        .annotate(last=Max("date"))
        .values_list("sector_id", "last")
    )
    via_groups = dict(
        links.exclude(group__sector=None)
        .values("group__sector_id")
        .annotate(last=Max("activity__date"))
        .values_list("group__sector_id", "last")
    )
    quiet_sectors = []
    for sector in all_sectors:
        dates = [d for d in (own.get(sector.pk), via_groups.get(sector.pk)) if d]
        sector.last_contact = max(dates) if dates else None  # type: ignore[attr-defined]
        if quiet(sector.last_contact):  # type: ignore[attr-defined]
            quiet_sectors.append(sector)

    area_rows = (
        groups.exclude(area_name="", area_code="")
        .values("area_code", "area_name")
        .annotate(
            group_count=Count("id", distinct=True),
            last_contact=Max(
                "activity_links__activity__date",
                filter=Q(activity_links__activity__date__lte=today),
            ),
        )
        .order_by("area_code", "area_name")
    )
    areas = [
        AreaCoverage(row["area_name"], row["area_code"], row["group_count"], row["last_contact"])
        for row in area_rows
    ]
    quiet_areas = [a for a in areas if quiet(a.last_contact)]

    seats = Membership.objects.filter(
        committee=committee, organization__isnull=True, status=Membership.Status.SERVING
    )
    if sectors_only is not None:
        seats = seats.filter(sector_id__in=sectors_only)
    all_seats = list(
        seats.select_related("person", "sector").order_by("person__name_sort_key", "id")
    )
    last_by_seat = dict(
        ActivityParticipant.objects.filter(activity__committee=committee, activity__date__lte=today)
        .order_by()
        .values("membership_id")
        .annotate(last=Max("activity__date"))
        .values_list("membership_id", "last")
    )
    quiet_members = []
    for seat in all_seats:
        seat.last_contact = last_by_seat.get(seat.pk)  # type: ignore[attr-defined]
        if quiet(seat.last_contact):  # type: ignore[attr-defined]
            quiet_members.append(seat)
    return Coverage(
        committee=committee,
        days=days,
        since=since,
        groups=quiet_groups,
        groups_total=len(all_groups),
        sectors=quiet_sectors,
        sectors_total=len(all_sectors),
        areas=quiet_areas,
        areas_total=len(areas),
        members=quiet_members,
        members_total=len(all_seats),
    )


# ---------------------------------------------------------------------------------------------
# Dashboard


def _month_starts(today: datetime.date, count: int) -> list[datetime.date]:
    months: list[datetime.date] = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(datetime.date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return months[::-1]


def dashboard(activities: QuerySet[LiaisonActivity], *, today: datetime.date) -> dict[str, Any]:
    """Figures of the last twelve months: activities and head-count per month, per sector and
    per focus area (three queries), and ECharts options for them."""
    months = _month_starts(today, 12)
    recent = activities.filter(date__gte=months[0], date__lte=today).order_by()
    per_month = {
        (row["month"].year, row["month"].month): row
        for row in recent.annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(n=Count("id", distinct=True), people=Sum("headcount"))
        .order_by("month")
    }
    month_labels = [f"{m:%Y-%m}" for m in months]
    month_counts = [per_month.get((m.year, m.month), {}).get("n", 0) for m in months]
    month_people = [per_month.get((m.year, m.month), {}).get("people") or 0 for m in months]
    per_sector = list(
        recent.values("sector__name")
        .annotate(n=Count("id", distinct=True))
        .order_by("-n", "sector__name")
    )
    per_focus = list(
        recent.values("focus_area__name")
        .annotate(n=Count("id", distinct=True))
        .order_by("-n", "focus_area__name")
    )
    return {
        "months": list(zip(month_labels, month_counts, month_people, strict=True)),
        "per_sector": per_sector,
        "per_focus": per_focus,
        "total": sum(month_counts),
        "people": sum(month_people),
        "month_labels": month_labels,
        "month_counts": month_counts,
        "month_people": month_people,
    }


# ---------------------------------------------------------------------------------------------
# Plan progress


@dataclass
class TaskProgress:
    """How far one member is with one task: the count (this year, or this quarter for a
    quarterly task), each quarter's count, and whether the task is met so far."""

    task: PlanTask
    count: int
    quarters: list[int]
    met: bool

    @property
    def target(self) -> int:
        return self.task.target

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.count / self.task.target)) if self.task.target else 100


@dataclass
class SeatProgress:
    seat: Membership
    plan: LiaisonPlan
    tasks: list[TaskProgress] = field(default_factory=list)

    @property
    def all_met(self) -> bool:
        return all(t.met for t in self.tasks)


def _elapsed_quarters(year: int, today: datetime.date) -> int:
    if year < today.year:
        return 4
    if year > today.year:
        return 0
    return (today.month - 1) // 3 + 1


def _in_years(years: Iterable[int], field: str) -> Q:
    """`field` falls in one of `years`, as date ranges (an index can use them; EXTRACT(YEAR)
    misleads PostgreSQL's estimates)."""
    q = Q(pk__in=[])
    for year in years:
        q |= Q(
            **{
                f"{field}__gte": datetime.date(year, 1, 1),
                f"{field}__lte": datetime.date(year, 12, 31),
            }
        )
    return q


def plan_progress(
    plans: dict[int, LiaisonPlan], seats: Sequence[Membership], *, today: datetime.date
) -> list[SeatProgress]:
    """Progress of `seats` against the plan of each seat's committee (`plans` by committee id,
    tasks prefetched). One query per metric kind (activities, duty days) plus one for sector
    groups when a task needs them — not one per member."""
    seats = [s for s in seats if s.committee_id in plans]
    if not seats:
        return []
    seat_ids = [s.pk for s in seats]
    years = {plan.year for plan in plans.values()}
    tasks = {cid: list(plan.tasks.all()) for cid, plan in plans.items()}
    all_tasks = [t for items in tasks.values() for t in items]

    in_groups: set[tuple[int, int]] = set()
    group_ids = {t.sector_group_id for t in all_tasks if t.sector_group_id}
    if group_ids:
        in_groups = set(
            Membership.objects.filter(
                organization_id__in=group_ids,
                person_id__in={s.person_id for s in seats},
                status=Membership.Status.SERVING,
            ).values_list("person_id", "organization_id")
        )

    activity_counts: dict[tuple[int, str, int], int] = defaultdict(int)
    if any(t.metric != PlanTask.Metric.DUTY_DAYS for t in all_tasks):
        rows = (
            ActivityParticipant.objects.filter(
                _in_years(years, "activity__date"),
                membership_id__in=seat_ids,
                activity__date__lte=today,
            )
            .annotate(quarter=ExtractQuarter("activity__date", output_field=IntegerField()))
            .values("membership_id", "activity__kind", "quarter")
            .annotate(n=Count("activity_id"))
            .order_by()
        )
        for row in rows:
            activity_counts[(row["membership_id"], row["activity__kind"], row["quarter"])] += row[
                "n"
            ]

    duty_counts: dict[tuple[int, int], int] = defaultdict(int)
    if any(t.metric == PlanTask.Metric.DUTY_DAYS for t in all_tasks):
        duty_rows = (
            ReceptionDuty.objects.filter(
                _in_years(years, "reception_day__date"),
                membership_id__in=seat_ids,
                reception_day__status=ReceptionDay.Status.PUBLISHED,
                reception_day__date__lte=today,
            )
            .annotate(quarter=ExtractQuarter("reception_day__date", output_field=IntegerField()))
            .values("membership_id", "quarter")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in duty_rows:
            duty_counts[(row["membership_id"], row["quarter"])] += row["n"]

    result: list[SeatProgress] = []
    for seat in seats:
        plan = plans[seat.committee_id]
        progress = SeatProgress(seat=seat, plan=plan)
        elapsed = _elapsed_quarters(plan.year, today)
        for task in tasks[seat.committee_id]:
            if task.applies_to == PlanTask.AppliesTo.SECTOR and task.sector_id != seat.sector_id:
                continue
            if (
                task.applies_to == PlanTask.AppliesTo.SECTOR_GROUP
                and (seat.person_id, task.sector_group_id) not in in_groups
            ):
                continue
            quarters = []
            for quarter in (1, 2, 3, 4):
                if task.metric == PlanTask.Metric.DUTY_DAYS:
                    n = duty_counts.get((seat.pk, quarter), 0)
                elif task.metric == PlanTask.Metric.ACTIVITIES_OF_KIND:
                    n = activity_counts.get((seat.pk, task.activity_kind, quarter), 0)
                else:
                    n = sum(
                        activity_counts.get((seat.pk, kind, quarter), 0)
                        for kind in LiaisonActivity.Kind.values
                    )
                quarters.append(n)
            if task.period == PlanTask.Period.QUARTER:
                count = quarters[elapsed - 1] if elapsed else 0
                met = elapsed > 0 and all(q >= task.target for q in quarters[:elapsed])
            else:
                count = sum(quarters)
                met = count >= task.target
            progress.tasks.append(TaskProgress(task=task, count=count, quarters=quarters, met=met))
        result.append(progress)
    return result


def published_plans(committee_ids: Iterable[int], year: int) -> dict[int, LiaisonPlan]:
    """The published plans of these committees for a year, with their tasks (two queries)."""
    plans = LiaisonPlan.objects.filter(
        committee_id__in=list(committee_ids), year=year, published=True
    ).prefetch_related(
        Prefetch(
            "tasks",
            queryset=PlanTask.objects.select_related("sector", "sector_group").order_by("id"),
        )
    )
    return {plan.committee_id: plan for plan in plans}


# ---------------------------------------------------------------------------------------------
# A member's own


def my_seats(person: Person) -> list[Membership]:
    """A person's serving seats, in every committee."""
    return list(
        Membership.objects.filter(
            person=person, organization__isnull=True, status=Membership.Status.SERVING
        )
        .select_related("committee", "sector")
        .order_by("committee__path", "-term__number")
    )


def my_assignments(person: Person) -> QuerySet[LiaisonAssignment]:
    """The groups a person serves now, in every committee."""
    return (
        LiaisonAssignment.objects.active()
        .filter(membership__person=person)
        .select_related("group", "group__sector", "committee")
        .order_by("committee__path", "group__name", "id")
    )


def my_duty_days(person: Person, *, today: datetime.date, limit: int = 10) -> list[ReceptionDay]:
    """A person's coming reception days on duty (published or cancelled), with the others on
    duty."""
    return list(
        ReceptionDay.objects.filter(
            pk__in=ReceptionDuty.objects.filter(membership__person=person).values(
                "reception_day_id"
            ),
            date__gte=today,
            status__in=[ReceptionDay.Status.PUBLISHED, ReceptionDay.Status.CANCELLED],
        )
        .select_related("studio")
        .prefetch_related(_duties_prefetch())
        .order_by("date", "start_time")[:limit]
    )


def my_recent_activities(person: Person, *, limit: int = 10) -> list[LiaisonActivity]:
    """The activities a person took part in, newest first."""
    return list(
        LiaisonActivity.objects.filter(
            pk__in=ActivityParticipant.objects.filter(membership__person=person).values(
                "activity_id"
            )
        )
        .select_related("committee", "focus_area")
        .annotate(attachment_count=Count("attachments"))
        .order_by("-date", "-id")[:limit]
    )


# ---------------------------------------------------------------------------------------------
# Public pages (anonymous): only published studios, only names of members


def studios_public() -> QuerySet[Studio]:
    """Published studios, with the date of their next published reception day."""
    return (
        Studio.objects.published()
        .select_related("committee", "sector")
        .order_by("area_code", "name", "id")
    )


def with_next_days(studios: Sequence[Studio], *, today: datetime.date) -> list[Studio]:
    """Give each studio `next_day`: its next published reception day with the members on duty
    (two queries for the whole list)."""
    ids = [s.pk for s in studios]
    if not ids:
        return list(studios)
    next_ids = (
        ReceptionDay.objects.filter(
            studio=OuterRef("pk"), status=ReceptionDay.Status.PUBLISHED, date__gte=today
        )
        .order_by("date", "start_time")
        .values("pk")[:1]
    )
    pairs = dict(
        Studio.objects.filter(pk__in=ids)
        .annotate(next_id=Subquery(next_ids))
        .values_list("pk", "next_id")
    )
    days = {
        day.pk: day
        for day in ReceptionDay.objects.filter(
            pk__in=[p for p in pairs.values() if p]
        ).prefetch_related(_duties_prefetch())
    }
    for studio in studios:
        studio.next_day = days.get(pairs.get(studio.pk))  # type: ignore[attr-defined,arg-type]
    return list(studios)


def studio_public(pk: int) -> Studio:
    """One published studio, or 404."""
    return get_object_or_404(studios_public(), pk=pk)


def upcoming_days_public(
    studio: Studio, *, today: datetime.date, limit: int = 12
) -> list[ReceptionDay]:
    """A published studio's coming reception days (published, and cancelled ones marked)."""
    return list(
        studio.reception_days.filter(
            date__gte=today,
            status__in=[ReceptionDay.Status.PUBLISHED, ReceptionDay.Status.CANCELLED],
        )
        .prefetch_related(_duties_prefetch())
        .order_by("date", "start_time")[:limit]
    )


def public_area_choices() -> list[tuple[str, str]]:
    """(value, label) of the areas that have a published studio."""
    rows = (
        Studio.objects.published()
        .exclude(area_name="", area_code="")
        .values_list("area_code", "area_name")
        .distinct()
        .order_by("area_code", "area_name")
    )
    return [(code or name, f"{name} {code}".strip()) for code, name in rows]


def public_sector_choices() -> list[tuple[str, str]]:
    """(value, label) of the sector names that have a published studio."""
    names = (
        Studio.objects.published()
        .filter(sector__isnull=False)
        .values_list("sector__name", flat=True)
        .distinct()
        .order_by("sector__name")
    )
    return [(name, name) for name in names]


def studio_feed_days(studio: Studio, *, today: datetime.date) -> list[ReceptionDay]:
    """A studio's reception days for its public calendar feed: from 90 days ago, published and
    cancelled, with the members on duty."""
    return list(
        studio.reception_days.filter(
            date__gte=today - datetime.timedelta(days=FEED_PAST_DAYS),
            status__in=[ReceptionDay.Status.PUBLISHED, ReceptionDay.Status.CANCELLED],
        )
        .prefetch_related(_duties_prefetch())
        .order_by("date", "start_time")[:FEED_LIMIT]
    )


def member_feed_days(person: Person, *, today: datetime.date) -> list[ReceptionDay]:
    """A member's duty days for their private feed, in every committee."""
    return list(
        ReceptionDay.objects.filter(
            pk__in=ReceptionDuty.objects.filter(membership__person=person).values(
                "reception_day_id"
            ),
            date__gte=today - datetime.timedelta(days=FEED_PAST_DAYS),
            status__in=[ReceptionDay.Status.PUBLISHED, ReceptionDay.Status.CANCELLED],
        )
        .select_related("studio")
        .prefetch_related(_duties_prefetch())
        .order_by("date", "start_time")[:FEED_LIMIT]
    )
