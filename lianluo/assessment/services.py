"""Writes of the assessment: rulebooks, recomputation, freezing, adjustments, objections,
warnings' follow-up and nominations. Each validates, saves and audits in one transaction."""

from __future__ import annotations

import datetime
import hashlib
import re
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.assessment import engine, providers, selectors
from lianluo.assessment import rulebook as rulebook_language
from lianluo.assessment.models import (
    Adjustment,
    Assessment,
    DocumentBatch,
    MemberResult,
    MemberWarning,
    Nomination,
    NominationQuota,
    Objection,
    Rulebook,
    RulebookVersion,
    ScoreLine,
    WarningStep,
)
from lianluo.assessment.providers.directory import Seat, member_periods
from lianluo.core import audit
from lianluo.core.notifications import notify
from lianluo.core.workflow import InvalidTransition, StateMachine, Transition
from lianluo.directory.models import Committee, Grant, Organization, Person
from lianluo.directory.scoping import scope_for

OFFICE = "office"
MEMBER = "member"


class AssessmentFrozen(InvalidTransition):
    """The year is frozen: its results stay as published until the office re-opens it."""

    def __init__(self) -> None:
        super().__init__(
            _("This year's assessment is frozen; re-open it (with a reason) to change it."),
            code="frozen",
        )


# --------------------------------------------------------------------------- rulebooks


def _year_line(text: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(r"^year\s*:", line):
            return number
    return 1


def rulebook_check(*, text: str, year: int) -> list[rulebook_language.Problem]:
    """Everything wrong with `text` as the rulebook of `year` (each problem with its line)."""
    try:
        found = rulebook_language.problems(text)
        if found:
            return found
        loaded = rulebook_language.load(text)
    except UnicodeError:  # e.g. a YAML escape "\udc00" that makes a lone surrogate
        return [
            rulebook_language.Problem(
                0, _("The text holds characters that are not valid Unicode."), "encoding"
            )
        ]
    if loaded.year != year:
        return [
            rulebook_language.Problem(
                _year_line(text),
                _("This rulebook is for %(found)s, not for %(year)s.")
                % {"found": loaded.year, "year": year},
                "year",
            )
        ]
    return []


def rulebook_save(
    *, committee: Committee, year: int, text: str, by: Any, note: str = ""
) -> RulebookVersion:
    """Save `text` as the new active version of the committee's rulebook for `year`.

    Nothing is saved when the text is not valid: ValidationError lists the problems, each with
    its line. Saving does not change any score; the office recomputes when it is ready."""
    found = rulebook_check(text=text, year=year)
    if found:
        raise ValidationError([str(problem) for problem in found], code="invalid_rulebook")
    if Assessment.objects.filter(
        committee=committee, year=year, state=Assessment.State.FROZEN
    ).exists():
        raise ValidationError(
            _("This year's assessment is frozen: reopen it before changing its rulebook."),
            code="frozen",
        )
    with transaction.atomic():
        book, _created = Rulebook.objects.get_or_create(committee=committee, year=year)
        book = Rulebook.objects.select_for_update().get(pk=book.pk)
        number = (book.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        book.versions.filter(is_active=True).update(is_active=False)
        version = RulebookVersion.objects.create(
            rulebook=book,
            number=number,
            text=text,
            note=note[:200],
            author=by if getattr(by, "is_authenticated", False) else None,
            created_at=timezone.now(),
            is_active=True,
        )
        Assessment.objects.get_or_create(committee=committee, year=year)
        audit.record(
            actor=by,
            action="update",
            obj=book,
            verb="rulebook_saved",
            changes={"version": [number - 1 or None, number]},
            reason=note,
            committee_id=committee.pk,
        )
    return version


# --------------------------------------------------------------------------- computing


@dataclass(frozen=True)
class Computation:
    """The engine's result for a committee-year (or some of its members) and who they are."""

    result: engine.ScoreResult
    seats: dict[int, Seat]


def _query(
    assessment: Assessment, start: datetime.date, person_ids: Collection[int] | None
) -> providers.Query:
    committee = assessment.committee
    return providers.Query(
        committee_id=committee.pk,
        committee_level=committee.level,
        start=start,
        end=datetime.date(assessment.year, 12, 31),
        person_ids=None if person_ids is None else frozenset(person_ids),
        assessment_id=assessment.pk,
    )


def records_for(
    assessment: Assessment,
    book: rulebook_language.Rulebook,
    seats: Sequence[Seat],
    person_ids: Collection[int] | None = None,
) -> list[engine.Record]:
    """The records the rulebook reads: its kinds over the year (one query per provider), the
    kinds of term-long warnings from the earliest term start, and the adjustments."""
    year_start = datetime.date(assessment.year, 1, 1)
    term_kinds = book.term_kinds()
    year_kinds = (book.kinds_used() - term_kinds) | {"adjustment"}
    records = providers.fetch(year_kinds, _query(assessment, year_start, person_ids))
    if term_kinds:
        starts = [s.period.term_start for s in seats if s.period.term_start]
        term_start = min([*starts, year_start])
        records += providers.fetch(term_kinds, _query(assessment, term_start, person_ids))
    return records


def _history(
    assessment: Assessment, book: rulebook_language.Rulebook, person_ids: Collection[int] | None
) -> dict[int, list[Decimal]]:
    years = max((w.years for w in book.warnings), default=1)
    if years <= 1:
        return {}
    rows = MemberResult.objects.filter(
        assessment__committee_id=assessment.committee_id,
        assessment__year__lt=assessment.year,
        assessment__year__gte=assessment.year - years + 1,
    )
    if person_ids is not None:
        rows = rows.filter(person_id__in=person_ids)
    history: dict[int, list[Decimal]] = {}
    for person_id, _year, total in rows.values_list(
        "person_id", "assessment__year", "total"
    ).order_by("person_id", "-assessment__year"):
        history.setdefault(person_id, []).append(total)
    return history


def compute(
    assessment: Assessment,
    *,
    book: rulebook_language.Rulebook,
    person_ids: Collection[int] | None = None,
) -> Computation:
    """Run the engine on the assessment's records under `book`, in memory, writing nothing."""
    year_start, year_end = engine.year_bounds(assessment.year)
    seats = member_periods(
        providers.Query(
            committee_id=assessment.committee_id,
            committee_level=assessment.committee.level,
            start=year_start,
            end=year_end,
            person_ids=None if person_ids is None else frozenset(person_ids),
        )
    )
    records = records_for(assessment, book, seats, person_ids)
    result = engine.score(
        records,
        book,
        [seat.period for seat in seats],
        history=_history(assessment, book, person_ids),
    )
    return Computation(result=result, seats={s.period.person_id: s for s in seats})


def _active(assessment: Assessment) -> tuple[RulebookVersion, rulebook_language.Rulebook]:
    version = selectors.active_version(assessment.committee_id, assessment.year)
    if version is None:
        raise ValidationError(_("This committee has no rulebook for this year yet."))
    return version, selectors.typed(version)


@dataclass(frozen=True)
class PreviewRow:
    """A member whose score would change under a draft rulebook."""

    person_id: int
    name: str
    before: Decimal | None
    after: Decimal
    before_grade: str
    after_grade: str

    @property
    def change(self) -> Decimal:
        return self.after - (self.before or Decimal(0))


def rulebook_preview(
    *, assessment: Assessment, text: str
) -> tuple[list[rulebook_language.Problem], list[PreviewRow]]:
    """What a draft rulebook would change, before it is saved: both rulebooks are run by the
    engine in memory on the same records; nothing is written. Returns the draft's problems (if
    any, no preview), or the members whose total or grade would change, biggest change first."""
    found = rulebook_check(text=text, year=assessment.year)
    if found:
        return found, []
    draft = compute(assessment, book=rulebook_language.load(text))
    version = selectors.active_version(assessment.committee_id, assessment.year)
    before = compute(assessment, book=selectors.typed(version)).result if version else None
    rows = []
    for member in draft.result.members:
        old = before.member(member.person_id) if before else None
        if old is not None and (old.total, old.grade_label) == (member.total, member.grade_label):
            continue
        rows.append(
            PreviewRow(
                person_id=member.person_id,
                name=draft.seats[member.person_id].name,
                before=old.total if old else None,
                after=member.total,
                before_grade=old.grade_label if old else "",
                after_grade=member.grade_label,
            )
        )
    rows.sort(key=lambda row: (-abs(row.change), draft.seats[row.person_id].sort_key))
    return [], rows


LINE_COLUMNS = (
    "assessment_id",
    "person_id",
    "seq",
    "part",
    "rule_id",
    "rule_label",
    "kind",
    "record_id",
    "record_date",
    "record_url",
    "record_label",
    "price",
    "points",
    "note",
)
RESULT_COLUMNS = (
    "assessment_id",
    "person_id",
    "sector_id",
    "role",
    "share",
    "assessed",
    "parts",
    "total",
    "grade",
    "grade_label",
    "next_grade_label",
    "to_next_grade",
    "plan",
    "line_count",
    "fingerprint",
    "computed_at",
)


COPY_FROM_ROWS = 200  # PostgreSQL: more rows than this are written with COPY


def _insert(model: type[models.Model], columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Write many derived rows at once (no save(), no signals, values already adapted to the
    database): PostgreSQL's COPY, which takes 26,000 score lines in a fraction of the time of
    one INSERT per row; executemany for a few rows (one round trip where COPY takes two) and
    on SQLite."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(rows) > COPY_FROM_ROWS:
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            table, names, ", ".join(["%s"] * len(columns))
        )
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


def _write(
    assessment: Assessment, computation: Computation, person_ids: Collection[int] | None
) -> tuple[int, int]:
    """Write the lines and results of everyone (or of `person_ids`) in bulk.

    Each member's lines and result carry a fingerprint: only the members whose fingerprint
    changed (or who appeared or left) are deleted and written again; when most did, all are
    replaced at once. Returns the number of lines and members of the computation."""
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    line_rows: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for line in computation.result.lines:
        rows = line_rows[line.person_id]
        rows.append(
            (
                assessment.pk,
                line.person_id,
                len(rows) + 1,
                line.part,
                line.rule_id,
                line.rule_label[:200],
                line.kind,
                line.record_id[:64],
                ops.adapt_datefield_value(line.date),
                line.url[:300],
                line.label[:300],
                line.price,
                line.points,
                line.note,
            )
        )
    result_rows: dict[int, tuple[Any, ...]] = {}
    fingerprints: dict[int, str] = {}
    for member in computation.result.members:
        seat = computation.seats[member.person_id]
        parts = {p.part: str(p.total) for p in member.parts}
        plan = [
            {
                "id": p.id,
                "label": p.label,
                "count": p.count,
                "needed": p.needed,
                "records": [
                    {"kind": k, "id": i, "url": u, "label": lab} for k, i, u, lab in p.records
                ],
            }
            for p in member.plan
        ]
        lines = line_rows.get(member.person_id, [])
        values = (
            seat.sector_id, seat.period.role, member.share, member.assessed, parts, member.total,
            member.grade, member.grade_label, member.next_grade_label, member.to_next_grade,
            plan, len(lines),
        )  # fmt: skip
        fingerprint = hashlib.blake2b(
            repr((values, [row[2:] for row in lines])).encode(), digest_size=16
        ).hexdigest()
        fingerprints[member.person_id] = fingerprint
        result_rows[member.person_id] = (
            assessment.pk, member.person_id, seat.sector_id, seat.period.role, member.share,
            member.assessed, ops.adapt_json_value(parts, None), member.total, member.grade,
            member.grade_label, member.next_grade_label, member.to_next_grade,
            ops.adapt_json_value(plan, None), len(lines), fingerprint, now,
        )  # fmt: skip
    if person_ids is None:
        before = dict(
            MemberResult.objects.filter(assessment=assessment).values_list(
                "person_id", "fingerprint"
            )
        )
        changed = {pid for pid, fp in fingerprints.items() if before.get(pid) != fp}
        gone = set(before) - set(fingerprints)
    else:  # a member whose record changed: written again without asking
        changed, gone = set(fingerprints), set(person_ids) - set(fingerprints)
    lines_qs = ScoreLine.objects.filter(assessment=assessment)
    results_qs = MemberResult.objects.filter(assessment=assessment)
    if person_ids is None and len(changed) + len(gone) > len(fingerprints) // 2:
        lines_qs.delete()  # derived rows with no dependants: one DELETE each
        results_qs.delete()
    else:
        stale = sorted(changed | gone)
        for start in range(0, len(stale), 500):
            chunk = stale[start : start + 500]
            lines_qs.filter(person_id__in=chunk).delete()
            results_qs.filter(person_id__in=chunk).delete()
    _insert(ScoreLine, LINE_COLUMNS, [row for pid in sorted(changed) for row in line_rows[pid]])
    _insert(MemberResult, RESULT_COLUMNS, [result_rows[pid] for pid in sorted(changed)])
    _sync_warnings(assessment, computation.result, person_ids)
    return len(computation.result.lines), len(result_rows)


def _sync_warnings(
    assessment: Assessment, result: engine.ScoreResult, person_ids: Collection[int] | None
) -> None:
    """New warnings open; warnings that no longer apply lapse (their follow-up is kept)."""
    existing = MemberWarning.objects.filter(assessment=assessment)
    if person_ids is not None:
        existing = existing.filter(person_id__in=person_ids)
    known = {(w.person_id, w.rule_id): w for w in existing}
    hits = {(hit.person_id, hit.rule_id): hit for hit in result.warnings}
    to_create = []
    to_update = []
    for key, hit in hits.items():
        warning = known.get(key)
        if warning is None:
            to_create.append(
                MemberWarning(
                    assessment=assessment,
                    person_id=hit.person_id,
                    rule_id=hit.rule_id,
                    label=hit.label[:200],
                    action=hit.action,
                    record_ids=list(hit.record_ids),
                )
            )
        elif warning.status == MemberWarning.Status.LAPSED or warning.record_ids != list(
            hit.record_ids
        ):
            if warning.status == MemberWarning.Status.LAPSED:
                warning.status = MemberWarning.Status.OPEN
            warning.record_ids = list(hit.record_ids)
            to_update.append(warning)
    for key, warning in known.items():
        if key not in hits and warning.status in (
            MemberWarning.Status.OPEN,
            MemberWarning.Status.FOLLOWED_UP,
        ):
            warning.status = MemberWarning.Status.LAPSED
            to_update.append(warning)
    MemberWarning.objects.bulk_create(to_create)
    if to_update:
        MemberWarning.objects.bulk_update(to_update, ["status", "record_ids", "updated_at"])


@dataclass(frozen=True)
class Recomputed:
    members: int
    lines: int


def assessment_recompute(*, assessment: Assessment, by: Any = None) -> Recomputed:
    """Recompute a whole committee-year in one batch: one query per record kind, the lines and
    results replaced in bulk, in one transaction. Refused for a frozen year."""
    with transaction.atomic():
        locked = (
            Assessment.objects.select_for_update().select_related("committee").get(pk=assessment.pk)
        )
        if locked.is_frozen:
            raise AssessmentFrozen()
        version, book = _active(locked)
        computation = compute(locked, book=book)
        lines, members = _write(locked, computation, None)
        locked.computed_at = timezone.now()
        locked.rulebook_version = version
        locked.save(update_fields=["computed_at", "rulebook_version", "updated_at"])
        if by is not None:
            audit.record(
                actor=by,
                action="update",
                obj=locked,
                verb="recomputed",
                changes={"members": [None, members], "lines": [None, lines]},
                committee_id=locked.committee_id,
            )
    assessment.refresh_from_db()
    return Recomputed(members=members, lines=lines)


def assessment_recompute_member(*, assessment: Assessment, person_id: int) -> Recomputed:
    """Recompute one member (after one of their records changed). A frozen year is left as
    published: nothing happens. Derived rows only: no audit event."""
    with transaction.atomic():
        locked = (
            Assessment.objects.select_for_update(of=("self",))
            .select_related("committee", "rulebook_version")
            .get(pk=assessment.pk)
        )
        if locked.is_frozen:
            return Recomputed(members=0, lines=0)
        # The version the other members were scored with (the active one after a new save is
        # applied by the next batch recompute, to everyone at once).
        if locked.rulebook_version is not None:
            book = selectors.typed(locked.rulebook_version)
        else:
            _version, book = _active(locked)
        computation = compute(locked, book=book, person_ids={person_id})
        lines, members = _write(locked, computation, {person_id})
    return Recomputed(members=members, lines=lines)


def records_changed(*, committee_id: int, person_ids: Collection[int], on: datetime.date) -> int:
    """Some members' records of a committee changed (dated `on`): rescore them in the
    background if that year's assessment is open (a frozen year stays as published). Returns
    how many recomputations were queued; they start when the current transaction commits."""
    from lianluo.assessment.tasks import recompute_member

    assessment = (
        Assessment.objects.filter(committee_id=committee_id, year=on.year)
        .exclude(state=Assessment.State.FROZEN)
        .exclude(rulebook_version__isnull=True)
        .first()
    )
    if assessment is None:
        return 0
    people = sorted(set(person_ids))
    assessment_id = assessment.pk

    def enqueue() -> None:
        for person_id in people:
            recompute_member.enqueue(assessment_id, person_id)

    transaction.on_commit(enqueue)
    return len(people)


def assessment_ensure(*, committee: Committee, year: int) -> Assessment:
    assessment, _created = Assessment.objects.get_or_create(committee=committee, year=year)
    return assessment


def assessment_freeze(
    *, assessment: Assessment, by: Any, objections_until: datetime.date | None = None
) -> Assessment:
    """Close the year: the results stay as published; recomputations are refused."""
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.is_frozen:
            raise InvalidTransition(_("This assessment is already frozen."), code="frozen")
        if locked.computed_at is None:
            raise InvalidTransition(
                _("Compute the scores before freezing the year."), code="not_computed"
            )
        if Objection.objects.filter(assessment=locked, status=Objection.Status.SUBMITTED).exists():
            raise InvalidTransition(
                _("Decide the pending objections before freezing the year."),
                code="pending_objections",
            )
        locked.state = Assessment.State.FROZEN
        locked.frozen_at = timezone.now()
        locked.frozen_by = by
        locked.save(update_fields=["state", "frozen_at", "frozen_by", "updated_at"])
        audit.record(
            actor=by,
            action="transition",
            obj=locked,
            verb="frozen",
            changes={"state": ["open", "frozen"]},
            committee_id=locked.committee_id,
        )
    return locked


def assessment_reopen(*, assessment: Assessment, by: Any, reason: str) -> Assessment:
    """Re-open a frozen year, explicitly and with a reason (on the timeline)."""
    if not reason.strip():
        raise InvalidTransition(_("Please give a reason for this step."), code="needs_reason")
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if not locked.is_frozen:
            raise InvalidTransition(_("This assessment is open already."), code="open")
        locked.state = Assessment.State.OPEN
        locked.frozen_at = None
        locked.frozen_by = None
        locked.save(update_fields=["state", "frozen_at", "frozen_by", "updated_at"])
        audit.record(
            actor=by,
            action="transition",
            obj=locked,
            verb="reopened",
            changes={"state": ["frozen", "open"]},
            reason=reason,
            committee_id=locked.committee_id,
        )
    return locked


def assessment_set_window(
    *, assessment: Assessment, by: Any, objections_until: datetime.date | None
) -> Assessment:
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        before = locked.objections_until
        locked.objections_until = objections_until
        locked.save(update_fields=["objections_until", "updated_at"])
        audit.record(
            actor=by,
            action="update",
            obj=locked,
            changes=audit.diff(
                {"objections_until": before and before.isoformat()},
                {"objections_until": objections_until and objections_until.isoformat()},
            ),
            committee_id=locked.committee_id,
        )
    return locked


# --------------------------------------------------------------------------- adjustments


def adjustment_create(
    *,
    assessment: Assessment,
    person: Person,
    part: str,
    points: Decimal,
    reason: str,
    by: Any,
    date: datetime.date | None = None,
    recompute: bool = True,
) -> Adjustment:
    """Add a manual adjustment (a record with a reason and its approver) and rescore the member."""
    errors: dict[str, str] = {}
    version = selectors.active_version(assessment.committee_id, assessment.year)
    book = selectors.typed(version) if version else None
    if book is not None and book.part(part) is None:
        errors["part"] = _("The rulebook has no part “%(part)s”.") % {"part": part}
    if not points:
        errors["points"] = _("An adjustment of 0 points changes nothing.")
    if not reason.strip():
        errors["reason"] = _("Every adjustment needs a reason.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.is_frozen:
            raise AssessmentFrozen()
        adjustment = Adjustment.objects.create(
            assessment=locked,
            person=person,
            part=part,
            points=points,
            date=date or min(timezone.localdate(), datetime.date(locked.year, 12, 31)),
            reason=reason.strip(),
            approved_by=by,
            approved_at=timezone.now(),
        )
        audit.record(
            actor=by,
            action="create",
            obj=adjustment,
            changes={
                "person": [None, person.pk],
                "part": [None, part],
                "points": [None, str(points)],
            },
            reason=reason,
            committee_id=locked.committee_id,
        )
        if recompute and locked.rulebook_version_id:
            assessment_recompute_member(assessment=locked, person_id=person.pk)
    return adjustment


# --------------------------------------------------------------------------- objections

OBJECTION_LABELS = dict(Objection.Status.choices)
OBJECTION_WORKFLOW = StateMachine(
    [
        Transition("submitted", "accept", "accepted", frozenset({OFFICE})),
        Transition("submitted", "reject", "rejected", frozenset({OFFICE}), needs_reason=True),
        Transition("submitted", "withdraw", "withdrawn", frozenset({MEMBER})),
    ],
    labels={k: str(v) for k, v in OBJECTION_LABELS.items()},
)


def objections_open(assessment: Assessment, today: datetime.date | None = None) -> bool:
    """Whether members may still object: the year is open and the window has not closed."""
    today = today or timezone.localdate()
    if assessment.is_frozen:
        return False
    return assessment.objections_until is None or today <= assessment.objections_until


def _office_users(committee_id: int) -> list[Any]:
    return [
        grant.user
        for grant in Grant.objects.filter(
            committee_id=committee_id, role=Grant.Role.OFFICE
        ).select_related("user")
    ]


def objection_submit(
    *,
    assessment: Assessment,
    person: Person,
    by: Any,
    text: str,
    line: ScoreLine | None = None,
) -> Objection:
    """A member objects to one line of their score (`line`), or reports a missing record."""
    if scope_for(by).person_id != person.pk:
        raise InvalidTransition(_("Only the member may object to their own score."), code="role")
    if not objections_open(assessment):
        raise InvalidTransition(
            _("Objections to this year's assessment are closed."), code="window_closed"
        )
    if not text.strip():
        raise ValidationError({"text": _("Say what is wrong, or what is missing.")})
    if line is not None and (line.assessment_id != assessment.pk or line.person_id != person.pk):
        raise InvalidTransition(_("This line is not on your score."), code="not_yours")
    with transaction.atomic():
        objection = Objection.objects.create(
            assessment=assessment,
            person=person,
            kind=Objection.Kind.LINE if line else Objection.Kind.MISSING,
            rule_id=line.rule_id if line else "",
            rule_label=line.rule_label if line else "",
            record_kind=line.kind if line else "",
            record_id=line.record_id if line else "",
            record_label=line.record_label if line else "",
            record_url=line.record_url if line else "",
            line_points=line.points if line else None,
            text=text.strip(),
            submitted_by=by,
        )
        audit.record(
            actor=by,
            action="create",
            obj=objection,
            verb="submitted",
            changes={"kind": [None, objection.kind], "record": [None, objection.record_id]},
            reason=objection.text,
            committee_id=assessment.committee_id,
        )
        notify(
            recipients=_office_users(assessment.committee_id),
            title=_("New objection from %(name)s") % {"name": person.name},
            body=objection.text,
            url=reverse("assessment:objection", args=[objection.pk]),
            obj=objection,
            kind="assessment.objection",
        )
    return objection


def objection_roles(objection: Objection, user: Any) -> set[str]:
    scope = scope_for(user)
    roles = set()
    if scope.can_edit_committee(objection.assessment.committee_id):
        roles.add(OFFICE)
    if scope.person_id == objection.person_id:
        roles.add(MEMBER)
    return roles


def objection_transition(
    *,
    objection: Objection,
    action: str,
    by: Any,
    reason: str = "",
    points: Decimal | None = None,
    part: str = "",
) -> Objection:
    """Accept (optionally with an adjustment of `points` in `part`), reject (with a reason) or
    withdraw an objection; the member is told of the office's decision."""
    with transaction.atomic():
        locked = (
            Objection.objects.select_for_update()
            .select_related("assessment", "person")
            .get(pk=objection.pk)
        )
        transition = OBJECTION_WORKFLOW.check(
            state=locked.status, action=action, roles=objection_roles(locked, by), reason=reason
        )
        assessment = locked.assessment
        if action == "accept" and assessment.is_frozen:
            raise AssessmentFrozen()
        before = locked.status
        if action == "accept" and points:
            locked.adjustment = adjustment_create(
                assessment=assessment,
                person=locked.person,
                part=part,
                points=points,
                reason=reason.strip() or locked.text,
                by=by,
                recompute=False,
            )
        locked.status = transition.target
        if action in ("accept", "reject"):
            locked.decided_by = by
            locked.decided_at = timezone.now()
            locked.decision_reason = reason.strip()
        locked.save()
        audit.record(
            actor=by,
            action="transition",
            obj=locked,
            verb=action,
            changes={"status": [before, locked.status]},
            reason=reason,
            committee_id=assessment.committee_id,
        )
        if action == "accept" and assessment.rulebook_version_id:
            assessment_recompute_member(assessment=assessment, person_id=locked.person_id)
        if action in ("accept", "reject"):
            member_user = locked.person.user
            result = MemberResult.objects.filter(
                assessment=assessment, person_id=locked.person_id
            ).first()
            if action == "accept":
                title = _("Your objection was accepted")
                body = (
                    _("Your score for %(year)s is now %(total)s.")
                    % {"year": assessment.year, "total": result.total}
                    if result
                    else ""
                )
            else:
                title = _("Your objection was rejected")
                body = reason
            notify(
                recipients=[member_user] if member_user else [],
                title=title,
                body=body,
                url=reverse(
                    "assessment:person",
                    args=[assessment.committee.code, assessment.year, locked.person_id],
                ),
                obj=locked,
                kind="assessment.objection",
            )
    return locked


# --------------------------------------------------------------------------- warnings


STEP_STATUS: dict[str, str] = {WarningStep.Kind.CLOSED: MemberWarning.Status.CLOSED}


def warning_step_add(
    *,
    warning: MemberWarning,
    kind: str,
    happened_on: datetime.date,
    note: str,
    by: Any,
) -> WarningStep:
    """Record a follow-up step of a warning (a reminder talk 提醒谈话, …)."""
    if kind not in WarningStep.Kind.values:
        raise ValidationError({"kind": _("Unknown step.")})
    if happened_on > timezone.localdate():
        raise ValidationError({"happened_on": _("A step cannot be in the future.")})
    with transaction.atomic():
        locked = (
            MemberWarning.objects.select_for_update()
            .select_related("assessment")
            .get(pk=warning.pk)
        )
        if locked.status == MemberWarning.Status.CLOSED:
            raise InvalidTransition(_("This warning is closed."), code="closed")
        step = WarningStep.objects.create(
            warning=locked,
            kind=kind,
            happened_on=happened_on,
            note=note.strip(),
            recorded_by=by,
            recorded_at=timezone.now(),
        )
        before = locked.status
        locked.status = STEP_STATUS.get(kind, MemberWarning.Status.FOLLOWED_UP)
        locked.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=by,
            action="transition",
            obj=locked,
            verb=kind,
            changes={"status": [before, locked.status]},
            reason=note,
            committee_id=locked.assessment.committee_id,
        )
    return step


# --------------------------------------------------------------------------- nominations


def quota_set(
    *, assessment: Assessment, sector: Organization | None, quota: int, by: Any
) -> NominationQuota:
    with transaction.atomic():
        row, _created = NominationQuota.objects.update_or_create(
            assessment=assessment, sector=sector, defaults={"quota": quota}
        )
        audit.record(
            actor=by,
            action="update",
            obj=row,
            changes={"quota": [None, quota]},
            committee_id=assessment.committee_id,
        )
    return row


def nomination_create(
    *, assessment: Assessment, person: Person, reason: str, by: Any
) -> Nomination:
    """Nominate a member for excellence 评优评先, within the committee's quota and the quota of
    the member's sector; refused over either."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this member is nominated.")})
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        result = MemberResult.objects.filter(assessment=locked, person=person).first()
        if result is None or not result.assessed:
            raise ValidationError(_("Only graded members of this year can be nominated."))
        if Nomination.objects.filter(assessment=locked, person=person).exists():
            raise ValidationError(_("This member is nominated already."))
        quotas = {
            row.sector_id: row.quota for row in NominationQuota.objects.filter(assessment=locked)
        }
        nominations = Nomination.objects.filter(assessment=locked)
        if None in quotas and nominations.count() >= quotas[None]:
            raise ValidationError(
                _("The committee's quota of %(quota)s nominations is used up.")
                % {"quota": quotas[None]},
                code="over_quota",
            )
        sector_id = result.sector_id
        if (
            sector_id in quotas
            and nominations.filter(sector_id=sector_id).count() >= quotas[sector_id]
        ):
            raise ValidationError(
                _("The sector's quota of %(quota)s nominations is used up.")
                % {"quota": quotas[sector_id]},
                code="over_quota",
            )
        nomination = Nomination.objects.create(
            assessment=locked,
            person=person,
            sector_id=sector_id,
            reason=reason.strip(),
            nominated_by=by,
        )
        audit.record(
            actor=by,
            action="create",
            obj=nomination,
            changes={"person": [None, person.pk]},
            reason=reason,
            committee_id=locked.committee_id,
        )
    return nomination


def nomination_withdraw(*, nomination: Nomination, by: Any, reason: str) -> None:
    """Withdraw a nomination (the reason is kept on the timeline); its quota place is free."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the nomination is withdrawn.")})
    with transaction.atomic():
        audit.record(
            actor=by,
            action="delete",
            obj=nomination,
            changes={"person": [nomination.person_id, None]},
            reason=reason.strip(),
            committee_id=nomination.assessment.committee_id,
        )
        nomination.delete()


# --------------------------------------------------------------------------- documents


def batch_request(*, assessment: Assessment, kind: str, by: Any) -> DocumentBatch:
    """Ask for the bulletin or the committee's dossiers; a background task makes them."""
    from lianluo.assessment.tasks import make_documents

    if kind not in DocumentBatch.Kind.values:
        raise ValidationError(_("Unknown document kind."))
    with transaction.atomic():
        batch = DocumentBatch.objects.create(
            assessment=assessment, kind=kind, requested_by=by, requested_at=timezone.now()
        )
        audit.record(
            actor=by,
            action="create",
            obj=batch,
            changes={"kind": [None, kind]},
            committee_id=assessment.committee_id,
        )
        transaction.on_commit(lambda: make_documents.enqueue(batch.pk))
    return batch
