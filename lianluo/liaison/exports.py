"""Exports of what the user sees ("export what I see"): the filtered queryset, streamed as CSV
or written row by row into a write-only xlsx workbook."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from lianluo.liaison.models import LiaisonActivity, LiaisonAssignment

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 500


def activity_columns() -> list[tuple[str, Callable[[LiaisonActivity], Any]]]:
    return [
        (_("Date"), lambda a: f"{a.date:%Y-%m-%d}"),
        (_("Kind"), lambda a: a.get_kind_display()),
        (_("Place"), lambda a: a.place),
        (_("Studio"), lambda a: a.studio.name if a.studio else ""),
        (
            _("Participating members"),
            lambda a: "、".join(p.membership.person.name for p in a.participant_links.all()),
        ),
        (
            _("Constituent groups reached"),
            lambda a: "、".join(g.group.name for g in a.group_links.all()),
        ),
        (_("Head-count"), lambda a: a.headcount),
        (_("Sector"), lambda a: a.sector.name if a.sector else ""),
        (_("Focus area"), lambda a: a.focus_area.name if a.focus_area else ""),
        (_("Summary"), lambda a: a.summary),
        (_("Follow-ups"), lambda a: a.follow_ups),
        (_("Attachments"), lambda a: getattr(a, "attachment_count", 0)),
    ]


def assignment_columns() -> list[tuple[str, Callable[[LiaisonAssignment], Any]]]:
    return [
        (_("Constituent group"), lambda a: a.group.name),
        (_("Kind"), lambda a: a.group.get_kind_display()),
        (_("Sector of the group"), lambda a: a.group.sector.name if a.group.sector else ""),
        (_("Area"), lambda a: a.group.area_label),
        (_("Area code"), lambda a: a.group.area_code),
        (_("Member"), lambda a: a.membership.person.name),
        (_("Member's sector"), lambda a: a.membership.sector.name if a.membership.sector else ""),
        (_("Role"), lambda a: a.get_role_display()),
        (_("Since"), lambda a: f"{a.start_date:%Y-%m-%d}"),
        (_("Until"), lambda a: f"{a.end_date:%Y-%m-%d}" if a.end_date else ""),
    ]


def _rows(
    queryset: QuerySet[Any], columns: Sequence[tuple[str, Callable[[Any], Any]]]
) -> Iterator[list[Any]]:
    for obj in queryset.iterator(chunk_size=CHUNK):
        yield [getter(obj) for _label, getter in columns]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(
    queryset: QuerySet[Any], columns: Sequence[tuple[str, Callable[[Any], Any]]], filename: str
) -> StreamingHttpResponse:
    """Stream rows as CSV (UTF-8 with BOM, so Excel opens the Chinese text right)."""
    writer = csv.writer(_Echo())

    def lines() -> Iterable[str]:
        yield "\ufeff"
        yield writer.writerow([label for label, _getter in columns])
        for row in _rows(queryset, columns):
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def xlsx_response(
    queryset: QuerySet[Any],
    columns: Sequence[tuple[str, Callable[[Any], Any]]],
    filename: str,
    sheet: str,
) -> FileResponse:
    """Write rows into a write-only workbook (constant memory) and send it."""
    book = Workbook(write_only=True)
    worksheet = book.create_sheet(title=sheet[:31])
    worksheet.append([label for label, _getter in columns])
    for row in _rows(queryset, columns):
        worksheet.append(row)
    file = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    book.save(file)
    file.seek(0)
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX)
    response["Cache-Control"] = "no-store"
    return response
