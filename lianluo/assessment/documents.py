"""Documents: the committee's annual bulletin 通报 and each member's duty dossier 履职档案, as DOCX
(python-docx) and PDF (WeasyPrint), the Chinese font embedded as a subset in both.

The DOCX styles name Noto Serif CJK SC, the family `docx_fonts` embeds (its Regular and Bold
faces, subset to the document's text), so that a machine without it still shows the intended
Song face. Where the server lacks the font the DOCX only names it, and the font table's entry
(GB2312 charset, alternative name 宋体) lets Word and WPS fall back to their Song font.

The dossier lists a member's records of a year or a whole term, read by the same providers as
the score (memberships, attendance, proposals, reports and their adoption, speeches, liaison,
reception days, concerns handled), then the score with its breakdown. A batch makes every
member's dossier of a committee-year in the background and packs them into one ZIP.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.assessment import providers, selectors
from lianluo.assessment.engine import Record
from lianluo.assessment.models import (
    Assessment,
    DocumentBatch,
    MemberResult,
    MemberWarning,
    Nomination,
    ScoreLine,
)
from lianluo.directory.models import Membership, Person

PRINT_CSS = Path(__file__).resolve().parent / "static" / "assessment" / "print.css"
DOCX_FONT = "Noto Serif CJK SC"  # docx_fonts.FONT_FAMILY, embedded by _bytes()
SECTION_KINDS = (
    "attendance",
    "proposal",
    "opinion_report",
    "adoption",
    "research_report",
    "speech",
    "liaison_activity",
    "reception_duty",
    "concern",
    "role",
)


def section_titles() -> dict[str, str]:
    return {
        "attendance": _("Meetings and activities attended"),
        "proposal": _("Proposals"),
        "opinion_report": _("Opinion reports"),
        "adoption": _("Adoptions and leaders' instructions"),
        "research_report": _("Research reports"),
        "speech": _("Speeches"),
        "liaison_activity": _("Liaison with constituents"),
        "reception_duty": _("Reception days on duty"),
        "concern": _("Concerns handled"),
        "role": _("Roles held"),
    }


@dataclass
class Section:
    kind: str
    title: str
    rows: list[Record]


@dataclass
class Dossier:
    """What a member's duty dossier holds."""

    person: Person
    committee_name: str
    period: str
    start: datetime.date
    end: datetime.date
    memberships: list[Membership]
    sections: list[Section]
    result: MemberResult | None
    lines: list[ScoreLine] = field(default_factory=list)
    parts: list[tuple[str, str, Decimal]] = field(default_factory=list)
    made_at: datetime.datetime = field(default_factory=timezone.now)


def _sections(records: Iterable[Record]) -> list[Section]:
    titles = section_titles()
    by_kind: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        by_kind[record.kind].append(record)
    return [
        Section(kind, titles[kind], sorted(by_kind[kind], key=Record.sort_key))
        for kind in SECTION_KINDS
        if by_kind.get(kind)
    ]


def _all_bounds(
    assessment: Assessment, person_ids: Sequence[int], whole_term: bool
) -> dict[int, tuple[datetime.date, datetime.date, str]]:
    """Each person's dossier period: the assessment's year, or the term of their latest seat
    begun by the year's end (one query for everyone)."""
    year_start = datetime.date(assessment.year, 1, 1)
    year_end = datetime.date(assessment.year, 12, 31)
    year = (year_start, year_end, _("year %(year)s") % {"year": assessment.year})
    bounds = dict.fromkeys(person_ids, year)
    if not whole_term:
        return bounds
    seats = (
        Membership.objects.filter(
            person_id__in=person_ids,
            committee_id=assessment.committee_id,
            organization__isnull=True,
            start_date__lte=year_end,
        )
        .select_related("term")
        .order_by("person_id", "start_date", "id")
    )
    for seat in seats:  # the latest seat of a person comes last
        term = seat.term
        end = term.end_date or max(year_end, timezone.localdate())
        bounds[seat.person_id] = (
            term.start_date,
            end,
            _("term %(number)s") % {"number": term.number},
        )
    return bounds


def dossier_for(
    assessment: Assessment,
    person: Person,
    *,
    whole_term: bool = False,
    records: Sequence[Record] | None = None,
    bounds: tuple[datetime.date, datetime.date, str] | None = None,
) -> Dossier:
    """A member's dossier for the assessment's year or their whole term. `records` and their
    `bounds` may be given (a batch reads the whole committee once); otherwise the providers
    read this member's."""
    start, end, period = bounds or _all_bounds(assessment, [person.pk], whole_term)[person.pk]
    if records is None:
        query = providers.Query(
            committee_id=assessment.committee_id,
            committee_level=assessment.committee.level,
            start=start,
            end=end,
            person_ids=frozenset({person.pk}),
            assessment_id=assessment.pk,
        )
        records = providers.fetch(set(SECTION_KINDS), query)
    result = MemberResult.objects.filter(assessment=assessment, person=person).first()
    lines = list(selectors.member_lines(assessment, person.pk))
    version = assessment.rulebook_version
    parts = []
    if version is not None and result is not None:
        for part in selectors.typed(version).parts:
            parts.append((part.id, part.label, Decimal(result.parts.get(part.id, "0"))))
    return Dossier(
        person=person,
        committee_name=assessment.committee.name,
        period=period,
        start=start,
        end=end,
        memberships=list(
            Membership.objects.filter(person=person, committee_id=assessment.committee_id)
            .select_related("organization", "sector", "term")
            .order_by("-term__number", "organization_id", "start_date")
        ),
        sections=_sections(records),
        result=result,
        lines=lines,
        parts=parts,
    )


@dataclass
class Bulletin:
    """What the annual bulletin holds: the grades with their members, the nominations."""

    assessment: Assessment
    committee_name: str
    rulebook_name: str
    version_number: int | None
    graded: int
    not_graded: int
    groups: list[tuple[str, list[MemberResult]]]
    nominations: list[Nomination]
    warnings: int
    parts: list[tuple[str, str]]
    made_at: datetime.datetime = field(default_factory=timezone.now)


def bulletin_for(assessment: Assessment) -> Bulletin:
    """The bulletin's content: members by grade (best grade first), each grade in the official
    order 按姓氏笔画; the excellence nominations; the number of warnings."""
    version = assessment.rulebook_version
    book = selectors.typed(version) if version else None
    results = list(
        MemberResult.objects.filter(assessment=assessment)
        .select_related("person", "sector")
        .order_by("person__name_sort_key", "person_id")
    )
    bands = sorted(
        book.grades if book else (),
        key=lambda b: b.lower if b.lower is not None else Decimal("-1e9"),
        reverse=True,
    )
    order = {band.id: index for index, band in enumerate(bands)}
    groups: dict[str, list[MemberResult]] = defaultdict(list)
    labels: dict[str, str] = {}
    for result in results:
        if not result.assessed:
            continue
        key = result.grade or ""
        labels[key] = result.grade_label or _("not graded")
        groups[key].append(result)
    ordered = sorted(groups, key=lambda key: order.get(key, len(order)))
    return Bulletin(
        assessment=assessment,
        committee_name=assessment.committee.name,
        rulebook_name=book.name if book else "",
        version_number=version.number if version else None,
        graded=sum(1 for r in results if r.assessed),
        not_graded=sum(1 for r in results if not r.assessed),
        groups=[(labels[key], groups[key]) for key in ordered],
        nominations=list(
            Nomination.objects.filter(assessment=assessment)
            .select_related("person", "sector")
            .order_by("person__name_sort_key")
        ),
        warnings=MemberWarning.objects.filter(assessment=assessment)
        .exclude(status=MemberWarning.Status.LAPSED)
        .count(),
        parts=[(p.id, p.label) for p in book.parts] if book else [],
    )


# --------------------------------------------------------------------------- PDF


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import CSS, HTML

    html = render_to_string(template, context)
    pdf: bytes = HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(PRINT_CSS))])
    return pdf


def bulletin_pdf(bulletin: Bulletin) -> bytes:
    return _pdf("assessment/documents/bulletin.html", {"b": bulletin})


def dossier_pdf(dossier: Dossier) -> bytes:
    return _pdf("assessment/documents/dossier.html", {"d": dossier})


# --------------------------------------------------------------------------- DOCX


def _document() -> Any:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    for style_name in ("Normal", "Title", "Heading 1", "Heading 2", "Table Grid"):
        try:
            style = document.styles[style_name]
        except KeyError:
            continue
        style.font.name = DOCX_FONT
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), DOCX_FONT)
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme"):  # they would win
            fonts.attrib.pop(qn(theme), None)
    document.styles["Normal"].font.size = Pt(11)
    return document


def _table(document: Any, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(text)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)


def _bytes(document: Any) -> bytes:
    from lianluo.assessment.docx_fonts import embed_font

    embed_font(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def bulletin_docx(bulletin: Bulletin) -> bytes:
    document = _document()
    year = bulletin.assessment.year
    document.add_heading(
        _("%(committee)s: members' duty assessment %(year)s")
        % {"committee": bulletin.committee_name, "year": year},
        level=0,
    )
    document.add_paragraph(
        _(
            "Assessed under “%(rulebook)s” (version %(version)s): %(graded)s members graded, "
            "%(not_graded)s who served too short a part of the year not graded."
        )
        % {
            "rulebook": bulletin.rulebook_name,
            "version": bulletin.version_number or "—",
            "graded": bulletin.graded,
            "not_graded": bulletin.not_graded,
        }
    )
    for label, members in bulletin.groups:
        document.add_heading(
            _("%(grade)s (%(count)s)") % {"grade": label, "count": len(members)}, level=1
        )
        _table(
            document,
            [_("Name"), _("Sector"), *[p[1] for p in bulletin.parts], _("Total")],
            [
                [
                    r.person.name,
                    r.sector.name if r.sector else "",
                    *[r.parts.get(p[0], "") for p in bulletin.parts],
                    r.total,
                ]
                for r in members
            ],
        )
    if bulletin.nominations:
        document.add_heading(_("Nominated for excellence"), level=1)
        document.add_paragraph("、".join(n.person.name for n in bulletin.nominations))
    document.add_paragraph(
        _("Warnings being followed up: %(count)s.") % {"count": bulletin.warnings}
    )
    return _bytes(document)


def dossier_docx(dossier: Dossier) -> bytes:
    document = _document()
    document.add_heading(_("Duty dossier of %(name)s") % {"name": dossier.person.name}, level=0)
    document.add_paragraph(
        _("%(committee)s, %(period)s (%(start)s – %(end)s)")
        % {
            "committee": dossier.committee_name,
            "period": dossier.period,
            "start": dossier.start,
            "end": dossier.end,
        }
    )
    document.add_heading(_("Memberships"), level=1)
    _table(
        document,
        [_("Term"), _("Organization"), _("Role"), _("From"), _("Until")],
        [
            [
                m.term.number,
                str(m.organization or m.sector or ""),
                m.get_role_display(),
                m.start_date,
                m.end_date or "",
            ]
            for m in dossier.memberships
        ],
    )
    for section in dossier.sections:
        document.add_heading(f"{section.title} ({len(section.rows)})", level=1)
        _table(document, [_("Date"), _("Record")], [[r.date, r.label] for r in section.rows])
    document.add_heading(_("Score"), level=1)
    if dossier.result is None:
        document.add_paragraph(_("No score has been computed."))
    else:
        document.add_paragraph(
            _("Total %(total)s, %(grade)s.")
            % {"total": dossier.result.total, "grade": dossier.result.grade_label or "—"}
        )
        _table(
            document,
            [_("Part"), _("Points")],
            [[label, total] for _id, label, total in dossier.parts],
        )
        _table(
            document,
            [_("Date"), _("Record"), _("Rule"), _("Points")],
            [[ln.record_date, ln.record_label, ln.rule_label, ln.points] for ln in dossier.lines],
        )
    return _bytes(document)


# --------------------------------------------------------------------------- batches


def run_batch(batch_id: int) -> str:
    """Make a batch's documents and store the file; the batch says how it went."""
    batch = DocumentBatch.objects.select_related("assessment__committee").get(pk=batch_id)
    batch.status = DocumentBatch.Status.RUNNING
    batch.save(update_fields=["status"])
    try:
        name, content, count = _make(batch)
    except Exception as error:  # a failed batch says why; it never disappears
        batch.status = DocumentBatch.Status.FAILED
        batch.error = f"{type(error).__name__}: {error}"[:2000]
        batch.finished_at = timezone.now()
        batch.save(update_fields=["status", "error", "finished_at"])
        raise
    batch.file.save(name, ContentFile(content), save=False)
    batch.status = DocumentBatch.Status.DONE
    batch.documents = count
    batch.finished_at = timezone.now()
    batch.save(update_fields=["file", "status", "documents", "finished_at"])
    return batch.file.name


def _make(batch: DocumentBatch) -> tuple[str, bytes, int]:
    assessment = batch.assessment
    stem = f"{assessment.committee.code}-{assessment.year}"
    if batch.kind == DocumentBatch.Kind.BULLETIN:
        bulletin = bulletin_for(assessment)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{stem}-bulletin.pdf", bulletin_pdf(bulletin))
            archive.writestr(f"{stem}-bulletin.docx", bulletin_docx(bulletin))
        return f"{stem}-bulletin.zip", buffer.getvalue(), 2
    # Every member's dossier of the year, or of their whole term: the committee's records are
    # read once per kind, from the earliest day any of them covers, then shared out.
    whole_term = batch.kind == DocumentBatch.Kind.TERM_DOSSIERS
    people = list(
        Person.objects.filter(
            pk__in=MemberResult.objects.filter(assessment=assessment).values("person_id")
        ).order_by("name_sort_key", "id")
    )
    bounds = _all_bounds(assessment, [person.pk for person in people], whole_term)
    query = providers.Query(
        committee_id=assessment.committee_id,
        committee_level=assessment.committee.level,
        start=min((b[0] for b in bounds.values()), default=datetime.date(assessment.year, 1, 1)),
        end=max((b[1] for b in bounds.values()), default=datetime.date(assessment.year, 12, 31)),
        assessment_id=assessment.pk,
    )
    by_person: dict[int, list[Record]] = defaultdict(list)
    for record in providers.fetch(set(SECTION_KINDS), query):
        start, end, _period = bounds.get(record.person_id, (query.start, query.end, ""))
        if start <= record.date <= end:
            by_person[record.person_id].append(record)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for person in people:
            dossier = dossier_for(
                assessment,
                person,
                whole_term=whole_term,
                records=by_person.get(person.pk, []),
                bounds=bounds[person.pk],
            )
            base = f"{stem}/{person.name}-{person.pk}"
            archive.writestr(f"{base}.pdf", dossier_pdf(dossier))
            archive.writestr(f"{base}.docx", dossier_docx(dossier))
    suffix = "term-dossiers" if whole_term else "dossiers"
    return f"{stem}-{suffix}.zip", buffer.getvalue(), len(people)
