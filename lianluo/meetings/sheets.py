"""Excel files of a meeting: the sign-in sheet 签到表 (a template to print, and the filled-in
sheet to import) and the attendance sheet 考勤表 export.

The import reads every row first and reports every problem as (row, column, message); if any
row is bad, nothing is written (all or nothing). Columns (Chinese headers, in any order):
姓名 (required), 手机号后四位 (tells apart members of the same name), 签到时间, 状态
(出席 / 迟到 / 早退 / 迟到早退 / 缺席 / 请假 / empty). A row with no time and a status of
absence records nothing: leave is decided through leave requests, absence at closing.
"""

from __future__ import annotations

import datetime
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any, NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from lianluo.meetings import selectors
from lianluo.meetings.models import Invitation, Meeting

NAME, PHONE4, TIME, STATUS, SECTOR, NUMBER, SIGNATURE = (
    "姓名",
    "手机号后四位",
    "签到时间",
    "状态",
    "界别",
    "序号",
    "签名",
)
HEADER_ALIASES = {
    "手机后四位": PHONE4,
    "手机尾号": PHONE4,
    "手机号码后四位": PHONE4,
    "手机号尾号": PHONE4,
    "签到": TIME,
    "时间": TIME,
    "到会时间": TIME,
    "出勤": STATUS,
    "考勤": STATUS,
    "考勤状态": STATUS,
    "出勤情况": STATUS,
}
# status word → (came, late, left early); None: records nothing
STATUS_WORDS: dict[str, tuple[bool, bool, bool] | None] = {
    "出席": (True, False, False),
    "到会": (True, False, False),
    "已签到": (True, False, False),
    "签到": (True, False, False),
    "迟到": (True, True, False),
    "早退": (True, False, True),
    "迟到早退": (True, True, True),
    "缺席": None,
    "未到": None,
    "请假": None,
}
MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ROWS = 5000
HEADER_SEARCH_ROWS = 10
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_TIME = re.compile(
    r"^(?:(?P<y>\d{4})[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})日?\s*)?"
    r"(?P<H>\d{1,2})[:：时](?P<M>\d{2})(?:[:：](?P<S>\d{2}))?分?$"
)


class Problem(NamedTuple):
    """One thing wrong with a sign-in sheet: its row (1 = the sheet's first row), column, what."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)d, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class SheetRefused(Exception):
    """The file as a whole cannot be read as a sign-in sheet."""


@dataclass
class SheetResult:
    """The checked sign-in sheet: rows to write (one per invitation), problems, skipped rows."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _check_container(file: IO[bytes]) -> None:
    file.seek(0, 2)
    size = file.tell()
    file.seek(0)
    if size > MAX_BYTES:
        raise SheetRefused(_("The file is larger than %(size)d MB.") % {"size": MAX_BYTES // 2**20})
    magic = file.read(4)
    file.seek(0)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise SheetRefused(
            _("This is an old Excel file (.xls). Open it in Excel or WPS and save it as .xlsx.")
        )
    not_xlsx = SheetRefused(_("This file is not an Excel workbook (.xlsx)."))
    if magic != b"PK\x03\x04":
        raise not_xlsx
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise not_xlsx from exc
    finally:
        file.seek(0)
    if "xl/workbook.xml" not in names:
        raise not_xlsx
    if unpacked > MAX_UNPACKED_BYTES:
        raise SheetRefused(_("The file holds too much data to be a sign-in sheet."))


def parse_time(value: Any, meeting_day: datetime.date) -> datetime.datetime:
    """A sign-in time: an Excel date-time or time, or text "9:05", "2026-05-12 9:05". A time
    alone is on the meeting's day. Raises ValueError otherwise."""
    tz = timezone.get_current_timezone()
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=tz) if timezone.is_naive(value) else value
    if isinstance(value, datetime.time):
        return datetime.datetime.combine(meeting_day, value.replace(tzinfo=None), tzinfo=tz)
    match = _TIME.match(_text(value))
    if not match:
        raise ValueError(value)
    day = (
        datetime.date(int(match["y"]), int(match["m"]), int(match["d"]))
        if match["y"]
        else meeting_day
    )
    moment = datetime.time(int(match["H"]), int(match["M"]), int(match["S"] or 0))
    return datetime.datetime.combine(day, moment, tzinfo=tz)


def _rows(file: IO[bytes]) -> Iterator[tuple[int, tuple[Any, ...]]]:
    book = load_workbook(file, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise SheetRefused(_("A sign-in sheet has at most %(n)d rows.") % {"n": MAX_ROWS})
            yield number, values
    finally:
        book.close()


def read_sign_in_sheet(file: IO[bytes], *, meeting: Meeting) -> SheetResult:
    """Check a filled-in sign-in sheet against the meeting's list. Writes nothing."""
    _check_container(file)
    result = SheetResult()
    policy = selectors.policy_for(meeting.committee_id, meeting.kind)
    late_after = policy.late_after(meeting.starts_at)
    meeting_day = timezone.localtime(meeting.starts_at).date()
    invitations = list(
        Invitation.objects.filter(meeting=meeting)
        .exclude(status=Invitation.Status.CANCELLED)
        .select_related("person")
    )
    by_name: dict[str, list[Invitation]] = {}
    for invitation in invitations:
        by_name.setdefault(invitation.person.name, []).append(invitation)
    columns: dict[str, int] | None = None
    seen: dict[int, int] = {}
    for number, values in _rows(file):
        cells = [_text(v) for v in values]
        if columns is None:
            headers = ["".join(c.split()).strip("*") for c in cells]
            headers = [HEADER_ALIASES.get(h, h) for h in headers]
            if NAME in headers:
                columns = {h: i for i, h in enumerate(headers) if h}
                if TIME not in columns and STATUS not in columns:
                    result.problems.append(
                        Problem(number, STATUS, _("The sheet needs a column 签到时间 or 状态."))
                    )
                    return result
            elif number >= HEADER_SEARCH_ROWS:
                raise SheetRefused(_("No header row with a column 姓名 in the first rows."))
            continue
        if not any(cells):
            continue

        def cell(
            column: str, raw: tuple[Any, ...] = values, found: dict[str, int] = columns or {}
        ) -> Any:
            index = found.get(column)
            if index is None or index >= len(raw):
                return None
            return raw[index]

        name = "".join(_text(cell(NAME)).split())
        if not name:
            result.problems.append(Problem(number, NAME, _("The name is missing.")))
            continue
        digits = _text(cell(PHONE4))
        candidates = by_name.get(name, [])
        if digits:
            if not re.fullmatch(r"\d{4}", digits):
                result.problems.append(
                    Problem(number, PHONE4, _("Write the last four digits of the mobile number."))
                )
                continue
            candidates = [i for i in candidates if i.person.mobile.endswith(digits)]
        if not candidates:
            result.problems.append(
                Problem(
                    number,
                    PHONE4 if digits and by_name.get(name) else NAME,
                    _("%(name)s is not on the list of this meeting.") % {"name": name}
                    if not by_name.get(name)
                    else _("No one named %(name)s on the list has a mobile number ending %(d)s.")
                    % {"name": name, "d": digits},
                )
            )
            continue
        if len(candidates) > 1:
            result.problems.append(
                Problem(
                    number,
                    PHONE4,
                    _(
                        "Several people named %(name)s are on the list: write the last four "
                        "digits of the mobile number."
                    )
                    % {"name": name},
                )
            )
            continue
        invitation = candidates[0]
        if invitation.pk in seen:
            result.problems.append(
                Problem(
                    number,
                    NAME,
                    _("%(name)s is already on row %(row)d.")
                    % {"name": name, "row": seen[invitation.pk]},
                )
            )
            continue
        seen[invitation.pk] = number
        raw_time = cell(TIME)
        moment: datetime.datetime | None = None
        if _text(raw_time):
            try:
                moment = parse_time(raw_time, meeting_day)
            except ValueError:
                result.problems.append(
                    Problem(number, TIME, _("Write the time as 9:05 or 2026-05-12 9:05."))
                )
                continue
        word = "".join(_text(cell(STATUS)).split())
        if word and word not in STATUS_WORDS:
            result.problems.append(
                Problem(
                    number,
                    STATUS,
                    _("Write one of: %(words)s.") % {"words": "、".join(STATUS_WORDS)},
                )
            )
            continue
        meaning = STATUS_WORDS.get(word) if word else None
        came = (meaning is not None and meaning[0]) or (not word and moment is not None)
        if not came:
            if word and invitation.checked_in_at is not None:
                result.problems.append(
                    Problem(
                        number,
                        STATUS,
                        _(
                            "%(name)s checked in at %(when)s; clear that check-in on the list "
                            "first if it was wrong."
                        )
                        % {
                            "name": name,
                            "when": f"{timezone.localtime(invitation.checked_in_at):%H:%M}",
                        },
                    )
                )
            else:
                result.skipped += 1
            continue
        checked_in_at = moment or meeting.starts_at
        late = meaning[1] if meaning is not None else checked_in_at > late_after
        result.rows.append(
            {
                "invitation_id": invitation.pk,
                "name": name,
                "checked_in_at": checked_in_at,
                "late": late,
                "left_early": meaning[2] if meaning is not None else False,
                "left_at": None,
            }
        )
    if columns is None:
        raise SheetRefused(_("No header row with a column 姓名 in the first rows."))
    return result


def _bold(sheet: Any, values: list[Any]) -> list[Any]:
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def sign_in_template(meeting: Meeting, file: IO[bytes]) -> None:
    """The sign-in sheet to print for the venue: everyone expected, in the official order."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("签到表")
    for letter, width in zip("ABCDEFG", (6, 12, 16, 14, 18, 12, 16), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.append(_bold(sheet, [NUMBER, NAME, SECTOR, PHONE4, TIME, STATUS, SIGNATURE]))
    expected = (
        Invitation.objects.filter(meeting=meeting, status__in=Invitation.EXPECTED)
        .select_related("person", "sector")
        .order_by("person__name_sort_key", "id")
    )
    for number, invitation in enumerate(expected, start=1):
        sheet.append(
            [
                number,
                invitation.person.name,
                invitation.sector.name if invitation.sector else "",
                invitation.person.mobile[-4:] if invitation.person.mobile else "",
                "",
                "",
                "",
            ]
        )
    book.save(file)


def export_attendance(meeting: Meeting, file: IO[bytes]) -> int:
    """The attendance sheet exactly as the page shows it: same columns, rows and order."""
    rows = selectors.attendance_sheet(meeting)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("考勤表")
    for letter, width in zip("ABCDEFGH", (6, 12, 16, 18, 18, 14, 8, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.append(_bold(sheet, selectors.sheet_headers()))
    for row in rows:
        sheet.append(row.cells())
    info = book.create_sheet("会议")
    info.append([_("Meeting"), meeting.title])
    info.append([_("Starts at"), f"{timezone.localtime(meeting.starts_at):%Y-%m-%d %H:%M}"])
    info.append([_("Place"), meeting.place])
    info.append([_("Status"), str(meeting.get_status_display())])
    book.save(file)
    return len(rows)
