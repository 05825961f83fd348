"""Named reads of proposals and opinion reports. Each list is a constant number of queries."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lianluo.core import audit
from lianluo.core.models import AuditEvent
from lianluo.directory.models import Committee, Membership, Organization, Person, Session
from lianluo.directory.scoping import scope_for
from lianluo.proposals import search as fulltext
from lianluo.proposals import similarity
from lianluo.proposals.models import (
    AdoptionEvent,
    Assignment,
    BulletinIssue,
    Evaluation,
    IndexKind,
    KeySupervision,
    OpinionReport,
    Proposal,
    ProposalAuthor,
    ProposalCategory,
    ProposalPolicy,
    Reply,
    ReportAuthor,
)

SIMILAR_YEARS = 3  # the similar-items panel looks at this year and the two before


def policy_for(committee: Committee) -> ProposalPolicy:
    """The committee's policy, or the defaults (unsaved) when it has none yet."""
    policy = ProposalPolicy.objects.filter(committee=committee).first()
    return policy if policy is not None else ProposalPolicy(committee=committee)


def categories(committee: Committee) -> QuerySet[ProposalCategory]:
    return ProposalCategory.objects.filter(committee=committee, is_active=True).order_by(
        "position", "id"
    )


def handling_units(committee: Committee) -> QuerySet[Organization]:
    return Organization.objects.filter(
        committee=committee,
        classification=Organization.Classification.HANDLING_UNIT,
        is_active=True,
    ).order_by("position", "name")


def seated_members(committee: Committee) -> QuerySet[Person]:
    """People with a serving seat in the committee, in the official order 按姓氏笔画."""
    return (
        Person.objects.filter(
            Exists(
                Membership.objects.filter(
                    person=OuterRef("pk"),
                    committee=committee,
                    organization__isnull=True,
                    status=Membership.Status.SERVING,
                )
            )
        )
        .only("pk", "name", "name_sort_key")
        .order_by("name_sort_key", "pk")
    )


def member_groups(person: Person, committee: Committee) -> QuerySet[Organization]:
    """The groups a member may write a collective proposal for: where they hold a role."""
    return Organization.objects.filter(
        committee=committee,
        classification__in=(
            Organization.Classification.PARTY_GROUP,
            Organization.Classification.SECTOR_GROUP,
            Organization.Classification.SPECIAL_COMMITTEE,
            Organization.Classification.SECTOR,
        ),
        memberships__person=person,
        memberships__status=Membership.Status.SERVING,
    ).distinct()


def member_committees(person_id: int | None) -> QuerySet[Committee]:
    """The committees where a person holds a serving seat (where they may write)."""
    if person_id is None:
        return Committee.objects.none()
    return Committee.objects.filter(
        memberships__person_id=person_id,
        memberships__organization__isnull=True,
        memberships__status=Membership.Status.SERVING,
    ).distinct()


# --------------------------------------------------------------------------------------------
# Lists


def proposal_list(queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """A list of proposals with what the tables show, in a constant number of queries."""
    return queryset.select_related("author", "category", "session__term", "group").prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.select_related("unit").order_by("role", "id"),
        ),
        Prefetch(
            "authors",
            queryset=ProposalAuthor.objects.select_related("person").order_by("position", "id"),
        ),
        Prefetch(
            "replies",
            queryset=Reply.objects.filter(kind=Reply.Kind.REPLY)
            .prefetch_related("evaluations")
            .order_by("replied_at"),
        ),
    )


def staff_proposals(committee: Committee, user: Any) -> QuerySet[Proposal]:
    """A committee's proposals as its staff see them (submitted ones; drafts stay private)."""
    return (
        Proposal.objects.visible_to(user)
        .filter(committee=committee)
        .exclude(status__in=Proposal.PRIVATE_STATUSES)
        .order_by("-submitted_at", "-id")
    )


def review_queue(committee: Committee, user: Any) -> QuerySet[Proposal]:
    """The proposals waiting for review 待审查, oldest first."""
    return (
        Proposal.objects.visible_to(user)
        .filter(committee=committee, status=Proposal.Status.SUBMITTED)
        .select_related("author", "category", "session__term")
        .order_by("submitted_at", "id")
    )


def my_proposals(person_id: int) -> QuerySet[Proposal]:
    """The proposals a member authors or co-signs (not those they declined or did not
    confirm in time: they are not credited on those)."""
    return (
        Proposal.objects.filter(
            Exists(
                ProposalAuthor.objects.filter(proposal=OuterRef("pk"), person_id=person_id)
                .filter(Q(role=ProposalAuthor.Role.FIRST) | ~Q(proposal__status="draft"))
                .exclude(state__in=(ProposalAuthor.State.DECLINED, ProposalAuthor.State.LAPSED))
            )
        )
        .select_related("committee", "category")
        .order_by("-created_at", "-id")
    )


def cosign_requests(person_id: int) -> QuerySet[ProposalAuthor]:
    """Co-signatures waiting for this member's answer, before their deadline."""
    return (
        ProposalAuthor.objects.filter(
            person_id=person_id,
            role=ProposalAuthor.Role.COSIGNER,
            state=ProposalAuthor.State.INVITED,
            proposal__status=Proposal.Status.COSIGNING,
        )
        .filter(Q(deadline__isnull=True) | Q(deadline__gte=timezone.now()))
        .select_related("proposal__author", "proposal__committee")
        .order_by("deadline", "id")
    )


# A reply is evaluated while its proposal is being handled or answered, never once closed.
EVALUATED_WHILE = (Proposal.Status.HANDLING, Proposal.Status.ANSWERED)


def replies_to_evaluate(person_id: int) -> QuerySet[Assignment]:
    """Assignments whose reply waits for this member's evaluation (as first proposer)."""
    return (
        Assignment.objects.filter(
            proposal__author_id=person_id,
            status=Assignment.Status.REPLIED,
            proposal__status__in=EVALUATED_WHILE,
        )
        .select_related("proposal", "unit")
        .order_by("proposal_id", "id")
    )


def supervised_by(person_id: int) -> QuerySet[KeySupervision]:
    """The key proposals a leader supervises 督办, newest first, with their committee."""
    return (
        KeySupervision.objects.filter(leader_id=person_id)
        .select_related("proposal", "committee")
        .order_by("-selected_at", "id")
    )


def my_reports(person_id: int) -> QuerySet[OpinionReport]:
    return (
        OpinionReport.objects.filter(
            Exists(ReportAuthor.objects.filter(report=OuterRef("pk"), person_id=person_id))
        )
        .select_related("committee")
        .annotate(adoptions=Count("adoption_events"))
        .order_by("-created_at", "-id")
    )


def unit_inbox(user: Any) -> QuerySet[Assignment]:
    """A handling unit's assignments, open ones first by deadline."""
    scope = scope_for(user)
    return (
        Assignment.objects.filter(unit_id__in=scope.unit_ids)
        .select_related("proposal", "unit", "proposal__category")
        .order_by("status", "due_on", "id")
    )


def staff_reports(committee: Committee, user: Any) -> QuerySet[OpinionReport]:
    return (
        OpinionReport.objects.visible_to(user)
        .filter(committee=committee)
        .exclude(status=OpinionReport.Status.DRAFT)
        .select_related("author", "category", "group")
        .annotate(adoptions=Count("adoption_events"))
        .order_by("-submitted_at", "-id")
    )


def key_proposals(
    committee: Committee, user: Any, *, leader_id: int | None = None
) -> QuerySet[KeySupervision]:
    """The key proposals 重点提案 with their leader, units, replies and progress notes (with
    `leader_id`, only those this leader supervises)."""
    supervisions = KeySupervision.objects.visible_to(user).filter(committee=committee)
    if leader_id is not None:
        supervisions = supervisions.filter(leader_id=leader_id)
    return (
        supervisions.select_related("proposal__author", "leader", "proposal__category")
        .prefetch_related(
            "notes",
            Prefetch(
                "proposal__assignments",
                queryset=Assignment.objects.select_related("unit").order_by("role", "id"),
            ),
            Prefetch(
                "proposal__replies",
                queryset=Reply.objects.filter(kind=Reply.Kind.REPLY).prefetch_related(
                    "evaluations"
                ),
            ),
        )
        .order_by("-selected_at", "id")
    )


def bulletins(committee: Committee, user: Any) -> QuerySet[BulletinIssue]:
    return (
        BulletinIssue.objects.visible_to(user)
        .filter(committee=committee)
        .annotate(report_count=Count("entries"))
        .order_by("-year", "-number")
    )


def timeline(obj: Any) -> QuerySet[AuditEvent]:
    return audit.timeline(obj)


# --------------------------------------------------------------------------------------------
# Similar items and search


@dataclass(frozen=True)
class SimilarItem:
    """A proposal or report similar to the one at hand, with its similarity (0–1). `linked`
    is false for a submitted item the user may not open: a member writing sees the title,
    number and state of the same committee's proposals (as the national platform lets members
    search the term's proposals), not their text."""

    kind: str
    obj: Proposal | OpinionReport
    score: float
    linked: bool = True

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def _resolve(
    matches: Iterable[similarity.Match], user: Any, *, titles_of: Committee | None = None
) -> dict[tuple[str, int], tuple[Proposal | OpinionReport, bool]]:
    """The matched items `user` may open, (item, True); with `titles_of`, also the submitted
    items of that committee they may not open, (item, False). Two queries."""
    matches = list(matches)
    proposal_ids = {m.object_id for m in matches if m.kind == IndexKind.PROPOSAL}
    report_ids = {m.object_id for m in matches if m.kind == IndexKind.REPORT}
    found: dict[tuple[str, int], tuple[Proposal | OpinionReport, bool]] = {}
    if proposal_ids:
        proposals = Proposal.objects.filter(pk__in=proposal_ids)
        if titles_of is None:
            proposals = proposals.visible_to(user)
        else:
            visible = Proposal.objects.visible_to(user).filter(pk=OuterRef("pk"))
            proposals = proposals.filter(
                Q(Exists(visible))
                | (Q(committee=titles_of) & ~Q(status__in=Proposal.PRIVATE_STATUSES))
            ).annotate(linked=Exists(visible))
        for p in proposals.select_related("author", "session__term"):
            found[(IndexKind.PROPOSAL, p.pk)] = (p, getattr(p, "linked", True))
    if report_ids:
        reports = OpinionReport.objects.filter(pk__in=report_ids)
        if titles_of is None:
            reports = reports.visible_to(user)
        else:
            visible_report = OpinionReport.objects.visible_to(user).filter(pk=OuterRef("pk"))
            reports = reports.filter(
                Q(Exists(visible_report))
                | (Q(committee=titles_of) & ~Q(status=OpinionReport.Status.DRAFT))
            ).annotate(linked=Exists(visible_report))
        for r in reports.select_related("author"):
            found[(IndexKind.REPORT, r.pk)] = (r, getattr(r, "linked", True))
    return found


def similar_items(
    committee: Committee,
    text: str,
    user: Any,
    *,
    exclude: Iterable[tuple[str, int]] = (),
    limit: int = 5,
) -> list[SimilarItem]:
    """The items of the committee (this year and the last two) most like `text`, that `user`
    may see, best first."""
    since = timezone.localdate().year - SIMILAR_YEARS + 1
    matches = similarity.similar_to(
        text, committee_id=committee.pk, since_year=since, exclude=exclude, limit=limit * 2
    )
    found = _resolve(matches, user, titles_of=committee)
    return [
        SimilarItem(m.kind, *_pair(found[(m.kind, m.object_id)], m.score))
        for m in matches
        if (m.kind, m.object_id) in found
    ][:limit]


def _pair(
    entry: tuple[Proposal | OpinionReport, bool], score: float
) -> tuple[Proposal | OpinionReport, float, bool]:
    return entry[0], score, entry[1]


def similar_for_page(
    proposals: Iterable[Proposal], user: Any, *, limit: int = 3
) -> dict[int, list[SimilarItem]]:
    """For a page of proposals (the review queue), the most similar items of each."""
    proposals = list(proposals)
    if not proposals:
        return {}
    since = timezone.localdate().year - SIMILAR_YEARS + 1
    result: dict[int, list[SimilarItem]] = {}
    by_committee: dict[int, list[Proposal]] = defaultdict(list)
    for p in proposals:
        by_committee[p.committee_id].append(p)
    for committee_id, items in by_committee.items():
        matches = similarity.similar_many(
            [(IndexKind.PROPOSAL, p.pk, similarity.text_of(p.title, p.body)) for p in items],
            committee_id=committee_id,
            since_year=since,
            limit=limit * 2,
        )
        found = _resolve((m for ms in matches.values() for m in ms), user)
        for p in items:
            result[p.pk] = [
                SimilarItem(m.kind, found[(m.kind, m.object_id)][0], m.score)
                for m in matches.get((IndexKind.PROPOSAL, p.pk), [])
                if (m.kind, m.object_id) in found
            ][:limit]
    return result


@dataclass(frozen=True)
class SearchResult:
    kind: str
    obj: Proposal | Reply | OpinionReport
    title: str


def search_results(
    committee: Committee, text: str, user: Any, *, limit: int = 50
) -> list[SearchResult]:
    """Full-text search over the committee's proposals, replies and reports that `user` sees."""
    hits = fulltext.search(committee, text, limit=limit)
    ids: dict[str, set[int]] = defaultdict(set)
    for hit in hits:
        ids[hit.kind].add(hit.object_id)
    objects: dict[tuple[str, int], Any] = {}
    if ids[IndexKind.PROPOSAL]:
        for p in Proposal.objects.visible_to(user).filter(pk__in=ids[IndexKind.PROPOSAL]):
            objects[(IndexKind.PROPOSAL, p.pk)] = p
    if ids[IndexKind.REPLY]:
        for r in (
            Reply.objects.visible_to(user)
            .filter(pk__in=ids[IndexKind.REPLY])
            .select_related("proposal", "assignment__unit")
        ):
            objects[(IndexKind.REPLY, r.pk)] = r
    if ids[IndexKind.REPORT]:
        for o in OpinionReport.objects.visible_to(user).filter(pk__in=ids[IndexKind.REPORT]):
            objects[(IndexKind.REPORT, o.pk)] = o
    return [
        SearchResult(hit.kind, objects[(hit.kind, hit.object_id)], hit.title)
        for hit in hits
        if (hit.kind, hit.object_id) in objects
    ]


# --------------------------------------------------------------------------------------------
# Statistics


def _rate(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


@dataclass
class UnitRow:
    unit: str
    assigned: int = 0
    lead: int = 0
    replied: int = 0
    on_time: int = 0
    satisfied: int = 0
    evaluated: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return _rate(self.on_time, self.replied)

    @property
    def satisfaction_rate(self) -> float | None:
        return _rate(self.satisfied, self.evaluated)


@dataclass
class SessionStatistics:
    """What a session's proposal work adds up to 提案工作统计."""

    session: Session | None
    submitted: int = 0
    accepted: int = 0
    by_status: list[tuple[str, int]] = field(default_factory=list)
    by_category: list[tuple[str, int]] = field(default_factory=list)
    by_kind: list[tuple[str, int]] = field(default_factory=list)
    by_timing: list[tuple[str, int]] = field(default_factory=list)
    units: list[UnitRow] = field(default_factory=list)
    replies: int = 0
    replies_on_time: int = 0
    attitude: dict[str, int] = field(default_factory=dict)
    result: dict[str, int] = field(default_factory=dict)

    @property
    def acceptance_rate(self) -> float | None:
        return _rate(self.accepted, self.submitted)

    @property
    def on_time_rate(self) -> float | None:
        return _rate(self.replies_on_time, self.replies)

    def satisfaction_rate(self, axis: str) -> float | None:
        counts = self.attitude if axis == "attitude" else self.result
        total = sum(counts.values())
        good = counts.get("satisfied", 0) + counts.get("basic", 0)
        return _rate(good, total)

    @property
    def attitude_rate(self) -> float | None:
        return self.satisfaction_rate("attitude")

    @property
    def result_rate(self) -> float | None:
        return self.satisfaction_rate("result")


def session_statistics(committee: Committee, session: Session | None) -> SessionStatistics:
    """Submitted, accepted, by category, by kind and timing, by unit, replies on time,
    satisfaction (handling and result) — of one session, in six aggregate queries."""
    stats = SessionStatistics(session=session)
    proposals = Proposal.objects.filter(committee=committee).exclude(
        status__in=(*Proposal.PRIVATE_STATUSES, Proposal.Status.WITHDRAWN)
    )
    if session is not None:
        proposals = proposals.filter(session=session)
    labels = dict(Proposal.Status.choices)
    for status, n in (
        proposals.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    ):
        stats.by_status.append((str(labels.get(status, status)), n))
        stats.submitted += n
        if status in Proposal.ACCEPTED_STATUSES:
            stats.accepted += n
    stats.by_status.sort(key=lambda row: -row[1])
    accepted = proposals.filter(status__in=Proposal.ACCEPTED_STATUSES)
    stats.by_category = list(
        accepted.values_list("category__name")
        .annotate(n=Count("id"))
        .values_list("category__name", "n")
        .order_by("-n", "category__name")
    )
    kinds = dict(Proposal.Kind.choices)
    stats.by_kind = [
        (str(kinds.get(k, k)), n)
        for k, n in accepted.values_list("kind").annotate(n=Count("id")).values_list("kind", "n")
    ]
    timings = dict(Proposal.Timing.choices)
    stats.by_timing = [
        (str(timings.get(t, t or "—")), n)
        for t, n in accepted.values_list("timing")
        .annotate(n=Count("id"))
        .values_list("timing", "n")
    ]
    assignments = Assignment.objects.filter(proposal__in=proposals).exclude(
        status__in=Assignment.ENDED
    )
    units: dict[int, UnitRow] = {}
    for unit_id, name, role, n in (
        assignments.values_list("unit_id", "unit__name", "role")
        .annotate(n=Count("id"))
        .values_list("unit_id", "unit__name", "role", "n")
    ):
        row = units.setdefault(unit_id, UnitRow(unit=name))
        row.assigned += n
        if role == Assignment.Role.LEAD:
            row.lead += n
    replies = Reply.objects.filter(proposal__in=proposals, kind=Reply.Kind.REPLY, round=1)
    for unit_id, on_time, n in (
        replies.values_list("assignment__unit_id", "on_time")
        .annotate(n=Count("id"))
        .values_list("assignment__unit_id", "on_time", "n")
    ):
        row = units.setdefault(unit_id, UnitRow(unit=str(unit_id)))
        row.replied += n
        stats.replies += n
        if on_time:
            row.on_time += n
            stats.replies_on_time += n
    evaluations = Evaluation.objects.filter(reply__proposal__in=proposals)
    attitude: Counter[str] = Counter()
    result: Counter[str] = Counter()
    for unit_id, a, r, n in (
        evaluations.values_list("reply__assignment__unit_id", "attitude", "result")
        .annotate(n=Count("id"))
        .values_list("reply__assignment__unit_id", "attitude", "result", "n")
    ):
        attitude[a] += n
        result[r] += n
        row = units.setdefault(unit_id, UnitRow(unit=str(unit_id)))
        row.evaluated += n
        if r != Evaluation.Rating.UNSATISFIED:
            row.satisfied += n
    stats.attitude = dict(attitude)
    stats.result = dict(result)
    stats.units = sorted(units.values(), key=lambda row: (-row.assigned, row.unit))
    return stats


ADOPTED_KINDS = (AdoptionEvent.Kind.ADOPTED, AdoptionEvent.Kind.DEPARTMENT_ADOPTED)
LEVELS = ("county", "municipal", "provincial", "national")


def _report_counts(prefix: str) -> dict[str, Any]:
    """The aggregate columns of the year-end statistics, over `prefix` + report."""
    report = f"{prefix}"
    events = f"{prefix}__adoption_events" if prefix else "adoption_events"
    pk = f"{prefix}__pk" if prefix else "pk"
    columns: dict[str, Any] = {
        "submitted": Count(pk, distinct=True),
        "accepted": Count(
            pk,
            filter=Q(**{f"{report}__status" if prefix else "status": "accepted"}),
            distinct=True,
        ),
        "forwarded": Count(
            pk,
            filter=Q(
                **{
                    f"{events}__kind__in": (
                        AdoptionEvent.Kind.FORWARDED,
                        AdoptionEvent.Kind.REPORTED,
                    )
                }
            ),
            distinct=True,
        ),
        "instructions": Count(
            f"{events}__pk",
            filter=Q(**{f"{events}__kind": AdoptionEvent.Kind.INSTRUCTION}),
            distinct=True,
        ),
    }
    for level in LEVELS:
        columns[f"adopted_{level}"] = Count(
            pk,
            filter=Q(**{f"{events}__kind__in": ADOPTED_KINDS, f"{events}__level": level}),
            distinct=True,
        )
    return columns


def report_statistics_by_member(committee: Committee, year: int) -> QuerySet[Any]:
    """Year-end statistics per member 社情民意年度统计: submitted, accepted, adopted per level,
    forwarded or reported, leaders' instructions — one aggregated query."""
    return (
        ReportAuthor.objects.filter(committee=committee, report__year=year)
        .exclude(report__status__in=(OpinionReport.Status.DRAFT, OpinionReport.Status.WITHDRAWN))
        .values("person_id", "person__name", "person__name_sort_key")
        .annotate(**_report_counts("report"))
        .order_by("person__name_sort_key", "person_id")
    )


def report_statistics_by_group(committee: Committee, year: int) -> QuerySet[Any]:
    """The same per group (collective reports), one aggregated query."""
    return (
        OpinionReport.objects.filter(committee=committee, year=year, group__isnull=False)
        .exclude(status__in=(OpinionReport.Status.DRAFT, OpinionReport.Status.WITHDRAWN))
        .values("group_id", "group__name")
        .annotate(**_report_counts(""))
        .order_by("group__name", "group_id")
    )


# --------------------------------------------------------------------------------------------
# The public site


def publishing_committees() -> QuerySet[Committee]:
    """The committees that publish their accepted proposals on the public site."""
    return (
        Committee.objects.filter(
            Exists(
                ProposalPolicy.objects.filter(committee=OuterRef("pk"), publication_enabled=True)
            )
        )
        .only("pk", "code", "name", "short_name", "path")
        .order_by("path", "code")
    )


def proposals_public(committee: Committee) -> QuerySet[Proposal]:
    """The proposals a committee published (if it publishes at all), newest first."""
    policy = ProposalPolicy.objects.filter(committee=committee, publication_enabled=True)
    return (
        Proposal.objects.filter(
            committee=committee,
            published_at__isnull=False,
            consent_publication=True,
            status__in=Proposal.ACCEPTED_STATUSES,
        )
        .filter(Exists(policy))
        .select_related("author", "category", "session__term", "group")
        .prefetch_related(
            Prefetch(
                "authors",
                queryset=ProposalAuthor.objects.select_related("person").order_by("position"),
            )
        )
        .order_by("-published_at", "-id")
    )


def replies_public(proposal: Proposal) -> QuerySet[Reply]:
    """The published replies of a published proposal."""
    return (
        Reply.objects.filter(proposal=proposal, kind=Reply.Kind.REPLY, published_at__isnull=False)
        .select_related("assignment__unit")
        .order_by("replied_at")
    )


# --------------------------------------------------------------------------------------------
# Export


# The columns of the usual layout (序号, 提案号, 案由/标题, 提案人, 类别, 主办单位, 会办单位, 状态,
# 答复类别, 满意度 in zh-Hans), in the reader's language.
EXPORT_HEADERS = (
    _("No."),
    _("Proposal number"),
    _("Subject / title"),
    _("Proposers"),
    _("Category"),
    _("Lead unit"),
    _("Co-handling units"),
    _("Status"),
    _("Answer class"),
    _("Satisfaction"),
)


def export_rows(proposals: Iterable[Proposal]) -> Iterator[list[Any]]:
    """The session's proposal list in the usual layout, one row per proposal (expects
    `proposal_list` prefetches)."""
    ratings = dict(Evaluation.Rating.choices)
    for index, p in enumerate(proposals, start=1):
        active = [a for a in p.assignments.all() if a.is_active]
        leads = [str(a.unit) for a in active if a.role in Assignment.ANSWERING]
        helpers = [str(a.unit) for a in active if a.role == Assignment.Role.COHANDLING]
        names = [a.person.name for a in p.authors.all() if a.counts]
        proposer = str(p.group) if p.group_id else "、".join(names)
        replies = list(p.replies.all())
        classes = "、".join(dict.fromkeys(r.answer_class for r in replies if r.answer_class))
        evaluations = [e for r in replies for e in r.evaluations.all()]
        satisfaction = (
            "、".join(str(ratings.get(e.result, e.result)) for e in evaluations[-1:])
            if evaluations
            else ""
        )
        yield [
            index,
            gettext("No. %(number)s") % {"number": p.number_label} if p.number else p.reference,
            p.title,
            proposer,
            p.category.name,
            "、".join(leads),
            "、".join(helpers),
            str(p.get_status_display()),
            classes,
            satisfaction,
        ]


def current_session(committee: Committee) -> Session | None:
    """The latest session that has opened (else the first one)."""
    today = timezone.localdate()
    sessions = Session.objects.filter(term__committee=committee).select_related("term")
    opened = sessions.filter(opens_on__lte=today + datetime.timedelta(days=120)).order_by(
        "-opens_on"
    )
    return opened.first() or sessions.order_by("opens_on").first()
