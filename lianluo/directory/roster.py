"""The Excel roster 委员名册: the import of a committee's members and the export of its list.

One layout serves both ways (`HEADERS`, Chinese column names): the downloadable template, the
file that the office fills in and imports, and the export of the member list. A roster row is
one person 人员 and their seat 委员 in one term 届 of the committee, in one sector 界别.

The import reads and checks every row first and reports every problem as (row, column,
message). If any row is bad, nothing is written. Otherwise each row is compared with the
registry and only what differs is written, through the registry's services, in one transaction:
importing the same file twice changes nothing the second time. The resident ID number 身份证号
identifies a person: a number already registered is the same person, whose data and seat the
import updates. An empty optional cell keeps the value already registered.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any, NamedTuple, Protocol, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from lianluo.core import audit, crypto
from lianluo.core.chinese import (
    is_valid_mobile,
    normalize_id_number,
    normalize_mobile,
    parse_id_number,
    split_name,
)
from lianluo.directory import services
from lianluo.directory.models import Committee, Membership, Organization, Person, Term

# The layout: column headers in file order, and the Person/Membership field each one fills.
NAME, GENDER, ETHNICITY, BIRTH_DATE, ID_NUMBER, MOBILE = (
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "身份证号",
    "手机号码",
)
AFFILIATION, WORKPLACE, SECTOR, ROLE, START_DATE = (
    "政治面貌",
    "工作单位及职务",
    "界别",
    "委员会职务",
    "任职日期",
)
HEADERS = (
    NAME,
    GENDER,
    ETHNICITY,
    BIRTH_DATE,
    ID_NUMBER,
    MOBILE,
    AFFILIATION,
    WORKPLACE,
    SECTOR,
    ROLE,
    START_DATE,
)
REQUIRED = (NAME, GENDER, ID_NUMBER, SECTOR, START_DATE)
# Other names of the same columns that rosters in use carry.
HEADER_ALIASES = {
    "身份证号码": ID_NUMBER,
    "公民身份号码": ID_NUMBER,
    "手机": MOBILE,
    "手机号": MOBILE,
    "工作单位": WORKPLACE,
    "工作单位和职务": WORKPLACE,
    "所属界别": SECTOR,
    "政协职务": ROLE,
}
COLUMN_WIDTHS = (10, 6, 8, 12, 21, 14, 14, 36, 16, 12, 12)
ROSTER_SHEET = "名册"
INSTRUCTIONS_SHEET = "说明"

GENDERS: dict[str, str] = {"男": Person.Gender.MALE, "女": Person.Gender.FEMALE}
GENDER_ALIASES: dict[str, str] = {"男性": Person.Gender.MALE, "女性": Person.Gender.FEMALE}
# Political affiliation 政治面貌: the names written in rosters; the first name of each is exported.
AFFILIATIONS: dict[str, str] = {
    "中共党员": Person.Affiliation.CPC,
    "中共预备党员": Person.Affiliation.CPC_PROBATIONARY,
    "共青团员": Person.Affiliation.CYL,
    "民革党员": Person.Affiliation.RCCK,
    "民盟盟员": Person.Affiliation.CDL,
    "民建会员": Person.Affiliation.CNDCA,
    "民进会员": Person.Affiliation.CAPD,
    "农工党党员": Person.Affiliation.CPWDP,
    "致公党党员": Person.Affiliation.ZGZGD,
    "九三学社社员": Person.Affiliation.JIUSAN,
    "台盟盟员": Person.Affiliation.TDSGL,
    "无党派人士": Person.Affiliation.NON_PARTY,
    "群众": Person.Affiliation.MASSES,
}
AFFILIATION_ALIASES: dict[str, str] = {
    "中国共产党党员": Person.Affiliation.CPC,
    "中共正式党员": Person.Affiliation.CPC,
    "预备党员": Person.Affiliation.CPC_PROBATIONARY,
    "团员": Person.Affiliation.CYL,
    "民革": Person.Affiliation.RCCK,
    "民盟": Person.Affiliation.CDL,
    "民建": Person.Affiliation.CNDCA,
    "民进": Person.Affiliation.CAPD,
    "农工党": Person.Affiliation.CPWDP,
    "致公党": Person.Affiliation.ZGZGD,
    "九三学社": Person.Affiliation.JIUSAN,
    "台盟": Person.Affiliation.TDSGL,
    "无党派": Person.Affiliation.NON_PARTY,
}
# Seat roles 委员会职务; an empty cell is 委员.
ROLES: dict[str, str] = {
    "委员": Membership.Role.MEMBER,
    "常委": Membership.Role.STANDING_MEMBER,
    "秘书长": Membership.Role.SECRETARY_GENERAL,
    "副主席": Membership.Role.VICE_CHAIR,
    "主席": Membership.Role.CHAIR,
}
ROLE_ALIASES: dict[str, str] = {
    "常务委员": Membership.Role.STANDING_MEMBER,
    "政协委员": Membership.Role.MEMBER,
}

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # a 5 MB file that unpacks to more is not a roster
HEADER_SEARCH_ROWS = 10  # the header row is the first row that names a column, in these rows
_DATE_TEXT = re.compile(
    r"^(?P<y>\d{4})\s*(?:[-/.]\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<d>\d{1,2})"
    r"|年\s*(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*日?)$"
)
_DATE_DIGITS = re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$")

T = TypeVar("T")


class Problem(NamedTuple):
    """One thing wrong with a roster file: its row (1 is the first row of the sheet), the
    column's header, and what is wrong, translated."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)d, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class RosterRefused(Exception):
    """The file as a whole cannot be read as a roster (not xlsx, too large, too many rows)."""


class Tracker(Protocol):
    """Wraps the rows being worked through, e.g. in a progress bar (the command uses tqdm)."""

    def __call__(self, items: Sequence[T], label: str) -> Iterable[T]: ...


def _untracked(items: Sequence[T], label: str) -> Iterable[T]:
    return items


@dataclass
class RosterRow:
    """One checked row of a roster: a person and their seat."""

    row: int
    name: str
    family_name: str
    given_name: str
    gender: str
    ethnicity: str
    birth_date: date
    id_number: str
    mobile: str
    affiliation: str
    workplace: str
    sector: Organization
    role: str
    start_date: date

    def person_data(self) -> dict[str, Any]:
        """Person field values that the row sets; an empty optional cell sets nothing."""
        data: dict[str, Any] = {
            "gender": self.gender,
            "birth_date": self.birth_date,
            "ethnicity": self.ethnicity,
            "mobile": self.mobile,
            "affiliation": self.affiliation,
            "workplace": self.workplace,
        }
        return {key: value for key, value in data.items() if value not in ("", None)}

    def seat_data(self) -> dict[str, Any]:
        return {"sector": self.sector, "role": self.role, "start_date": self.start_date}


@dataclass
class RosterFile:
    """A roster as read: its checked rows, the problems found, and how many data rows it has."""

    rows: list[RosterRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    row_count: int = 0


@dataclass
class _Step:
    """What the import does for one row: the person (None: create) and seat (None: create),
    with the fields of each that change."""

    row: RosterRow
    person: Person | None
    person_changes: dict[str, Any]
    seat: Membership | None
    seat_changes: dict[str, Any]

    @property
    def writes(self) -> bool:
        return bool(
            self.person is None or self.seat is None or self.person_changes or self.seat_changes
        )


@dataclass
class ImportResult:
    """What an import did (or, when checking only, would do), or the problems that stopped it."""

    rows: int = 0
    dry_run: bool = False
    problems: list[Problem] = field(default_factory=list)
    people_created: int = 0
    people_updated: int = 0
    people_unchanged: int = 0
    seats_created: int = 0
    seats_changed: int = 0
    seats_unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changes(self) -> int:
        return self.people_created + self.people_updated + self.seats_created + self.seats_changed

    @property
    def written(self) -> bool:
        """True when the import wrote to the registry."""
        return self.ok and not self.dry_run and self.changes > 0

    def add(self, step: _Step) -> None:
        """Count what `step` does."""
        if step.person is None:
            self.people_created += 1
        elif step.person_changes:
            self.people_updated += 1
        else:
            self.people_unchanged += 1
        if step.seat is None:
            self.seats_created += 1
        elif step.seat_changes:
            self.seats_changed += 1
        else:
            self.seats_unchanged += 1

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "people_created": self.people_created,
            "people_updated": self.people_updated,
            "people_unchanged": self.people_unchanged,
            "seats_created": self.seats_created,
            "seats_changed": self.seats_changed,
            "seats_unchanged": self.seats_unchanged,
        }

    def summary(self) -> str:
        """One translated sentence of counts."""
        people = _("People: %(created)d new, %(updated)d changed, %(unchanged)d unchanged.") % {
            "created": self.people_created,
            "updated": self.people_updated,
            "unchanged": self.people_unchanged,
        }
        seats = _("Seats: %(created)d new, %(changed)d changed, %(unchanged)d unchanged.") % {
            "created": self.seats_created,
            "changed": self.seats_changed,
            "unchanged": self.seats_unchanged,
        }
        rows = ngettext("%(count)d row read.", "%(count)d rows read.", self.rows) % {
            "count": self.rows
        }
        return f"{rows} {people} {seats}"


# Reading ------------------------------------------------------------------------------------


def _size_of(file: IO[bytes]) -> int:
    position = file.tell()
    file.seek(0, 2)
    size = file.tell()
    file.seek(position)
    return size


def _check_container(file: IO[bytes]) -> None:
    """Refuse what is not an xlsx file of a sensible size before openpyxl opens it."""
    if _size_of(file) > MAX_BYTES:
        raise RosterRefused(
            _("The file is larger than %(size)d MB.") % {"size": MAX_BYTES // (1024 * 1024)}
        )
    file.seek(0)
    magic = file.read(4)
    file.seek(0)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise RosterRefused(
            _("This is an old Excel file (.xls). Open it in Excel or WPS and save it as .xlsx.")
        )
    not_xlsx = RosterRefused(_("This file is not an Excel workbook (.xlsx)."))
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
        raise RosterRefused(_("The file holds too much data to be a roster."))


def _text(value: Any) -> str:
    """A cell's value as stripped text ("" for an empty cell)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header(value: Any) -> str:
    text = "".join(_text(value).split()).strip("*\uff0a")
    return HEADER_ALIASES.get(text, text)


def parse_date(value: Any) -> date:
    """An Excel date, or text written YYYY-MM-DD, YYYY/MM/DD, YYYY年M月D日 (or YYYYMMDD).

    Raises ValueError if the value is none of these, or not a real day.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str | int):
        raise ValueError(value)
    text = str(value).strip()
    match = _DATE_TEXT.match(text) or _DATE_DIGITS.match(text)
    if match is None:
        raise ValueError(text)
    parts = match.groupdict()
    month = parts.get("m") or parts.get("m2")
    day = parts.get("d") or parts.get("d2")
    return date(int(parts["y"]), int(month or 0), int(day or 0))


class BadCell(ValueError):
    """A cell's value cannot be used; the message (translated) says why."""


def _date_cell(value: Any) -> date:
    try:
        return parse_date(value)
    except ValueError as exc:
        raise BadCell(
            _("“%(value)s” is not a date. Write it as YYYY-MM-DD, YYYY/MM/DD or YYYY年M月D日.")
            % {"value": _text(value)}
        ) from exc


def _birth_date_cell(value: Any) -> date:
    birth = _date_cell(value)
    if birth > timezone.localdate():
        raise BadCell(_("The birth date cannot be in the future."))
    return birth


def _name_cell(value: Any) -> str:
    family_name, given_name = split_name(_text(value))
    if len(family_name) > 20 or len(given_name) > 40:
        raise BadCell(_("The name is too long."))
    return family_name + given_name


def _id_number_cell(value: Any) -> str:
    if isinstance(value, float):
        raise BadCell(
            _(
                "The ID number was stored as a number and lost its last digits. Format the "
                "column as text and type the number again."
            )
        )
    number = normalize_id_number(_text(value))
    error = services.id_number_error(number)
    if error:
        raise BadCell(error)
    return number


def _mobile_cell(value: Any) -> str:
    if not is_valid_mobile(_text(value)):
        raise BadCell(_("A mobile number has 11 digits and starts with 13 to 19."))
    return normalize_mobile(_text(value))


def _limited(length: int) -> Callable[[Any], str]:
    def cell(value: Any) -> str:
        text = _text(value)
        if len(text) > length:
            raise BadCell(_("This is longer than %(max)d characters.") % {"max": length})
        return text

    return cell


def _gender_cell(value: Any) -> str:
    text = "".join(_text(value).split())
    gender = GENDERS.get(text) or GENDER_ALIASES.get(text)
    if gender is None:
        raise BadCell(_("Write 男 (male) or 女 (female)."))
    return gender


def _affiliation_cell(value: Any) -> str:
    text = "".join(_text(value).split())
    affiliation = AFFILIATIONS.get(text) or AFFILIATION_ALIASES.get(text)
    if affiliation is None:
        raise BadCell(
            _("Unknown political affiliation “%(value)s”: see the sheet 说明.") % {"value": text}
        )
    return affiliation


def _role_cell(value: Any) -> str:
    text = "".join(_text(value).split())
    role = ROLES.get(text) or ROLE_ALIASES.get(text)
    if role is None:
        raise BadCell(
            _("Unknown role “%(value)s”: write 委员, 常委, 秘书长, 副主席 or 主席.")
            % {"value": text}
        )
    return role


# What an empty optional cell reads as.
_EMPTY: dict[str, Any] = {BIRTH_DATE: None, ROLE: Membership.Role.MEMBER}


class _RowReader:
    """Reads the data rows: each cell against its column's rules, then the row as a whole
    (the birth date against the ID number, the ID number against the rows before)."""

    def __init__(self, committee: Committee) -> None:
        self.sectors: dict[str, Organization] = {}
        for sector in Organization.objects.filter(
            committee=committee, classification=Organization.Classification.SECTOR
        ).order_by("position", "id"):
            for label in (sector.short_name, sector.name):
                if label:
                    self.sectors.setdefault("".join(label.split()), sector)
        self.cells: dict[str, Callable[[Any], Any]] = {
            NAME: _name_cell,
            GENDER: _gender_cell,
            ETHNICITY: _limited(20),
            BIRTH_DATE: _birth_date_cell,
            ID_NUMBER: _id_number_cell,
            MOBILE: _mobile_cell,
            AFFILIATION: _affiliation_cell,
            WORKPLACE: _limited(200),
            SECTOR: self.sector_cell,
            ROLE: _role_cell,
            START_DATE: _date_cell,
        }
        self.id_rows: dict[str, int] = {}

    def sector_cell(self, value: Any) -> Organization:
        text = "".join(_text(value).split())
        sector = self.sectors.get(text)
        if sector is None:
            raise BadCell(
                _("“%(value)s” is not one of this committee's sectors: see the sheet 说明.")
                % {"value": text}
            )
        return sector

    def read(self, number: int, cells: dict[str, Any]) -> tuple[RosterRow | None, list[Problem]]:
        """The checked row, or None and its problems (one per bad cell)."""
        problems: list[Problem] = []
        values: dict[str, Any] = {}
        for column, read_cell in self.cells.items():
            raw = cells.get(column)
            if not _text(raw):
                if column in REQUIRED:
                    problems.append(Problem(number, column, _("This column is required.")))
                values[column] = _EMPTY.get(column, "")
                continue
            try:
                values[column] = read_cell(raw)
            except BadCell as bad:
                problems.append(Problem(number, column, str(bad)))
        id_number = values.get(ID_NUMBER)
        if id_number:
            first = self.id_rows.setdefault(id_number, number)
            if first != number:
                message = _("The same ID number is already on row %(row)d.") % {"row": first}
                problems.append(Problem(number, ID_NUMBER, message))
            id_birth = parse_id_number(id_number)
            if values.get(BIRTH_DATE) and values[BIRTH_DATE] != id_birth:
                message = _(
                    "The birth date does not match the ID number, which holds %(date)s."
                ) % {"date": id_birth.isoformat()}
                problems.append(Problem(number, BIRTH_DATE, message))
            values[BIRTH_DATE] = id_birth
        if problems:
            return None, sorted(problems, key=lambda p: HEADERS.index(p.column))
        family_name, given_name = split_name(values[NAME])
        return RosterRow(
            row=number,
            name=values[NAME],
            family_name=family_name,
            given_name=given_name,
            gender=values[GENDER],
            ethnicity=values[ETHNICITY],
            birth_date=values[BIRTH_DATE],
            id_number=values[ID_NUMBER],
            mobile=values[MOBILE],
            affiliation=values[AFFILIATION],
            workplace=values[WORKPLACE],
            sector=values[SECTOR],
            role=values[ROLE],
            start_date=values[START_DATE],
        ), []


def read_roster(file: IO[bytes], *, committee: Committee) -> RosterFile:
    """Read and check a roster file of `committee`: its rows, and every problem found.

    Raises RosterRefused if the file is not an xlsx workbook, is larger than 5 MB or holds
    more than 5,000 rows. The roster is the sheet 名册, or else the first sheet; its header row
    is the first row (of the first ten) that names a column; fully empty rows are skipped.
    """
    _check_container(file)
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise RosterRefused(_("This file is not an Excel workbook (.xlsx).")) from exc
    try:
        sheet = (
            workbook[ROSTER_SHEET]
            if ROSTER_SHEET in workbook.sheetnames
            else workbook.worksheets[0]
        )
        return _read_sheet(sheet.iter_rows(values_only=True), committee)
    finally:
        workbook.close()


def _read_sheet(lines: Iterator[tuple[Any, ...]], committee: Committee) -> RosterFile:
    problems: list[Problem] = []
    headers: list[str] = []
    columns: dict[int, str] = {}
    header_row = 0
    for number, values in enumerate(lines, start=1):
        headers = [_header(value) for value in values]
        if any(h in HEADERS for h in headers):
            header_row = number
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    if not header_row:
        return RosterFile(
            problems=[Problem(1, NAME, _("No header row: the first row must name the columns."))]
        )

    for index, header in enumerate(headers):
        if not header:
            continue
        if header not in HEADERS:
            problems.append(
                Problem(
                    header_row, header, _("Unknown column: see the sheet 说明 for the columns.")
                )
            )
        elif header in columns.values():
            problems.append(Problem(header_row, header, _("This column appears twice.")))
        else:
            columns[index] = header
    missing = [h for h in REQUIRED if h not in columns.values()]
    for header in missing:
        problems.append(Problem(header_row, header, _("This required column is missing.")))
    if missing:
        return RosterFile(problems=problems)

    reader = _RowReader(committee)
    rows: list[RosterRow] = []
    count = 0
    for number, values in enumerate(lines, start=header_row + 1):
        cells = {columns[i]: value for i, value in enumerate(values) if i in columns}
        if not any(_text(value) for value in cells.values()):
            continue
        count += 1
        if count > MAX_ROWS:
            raise RosterRefused(
                _("The file holds more than %(max)d rows. Split it into smaller files.")
                % {"max": MAX_ROWS}
            )
        row, row_problems = reader.read(number, cells)
        problems.extend(row_problems)
        if row is not None:
            rows.append(row)
    if not count and not problems:
        problems.append(Problem(header_row + 1, NAME, _("The roster holds no rows.")))
    return RosterFile(rows=rows, problems=problems, row_count=count)


# Importing ----------------------------------------------------------------------------------


def _chunks(items: Sequence[T], size: int = 500) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _differences(instance: Person | Membership, data: dict[str, Any]) -> dict[str, Any]:
    """The items of `data` that differ from `instance` (related objects compared by key)."""
    changed: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, Organization):
            if getattr(instance, f"{key}_id") != value.pk:
                changed[key] = value
        elif getattr(instance, key) != value:
            changed[key] = value
    return changed


def _registered(rows: Sequence[RosterRow], term: Term) -> tuple[dict[str, Person], set[str]]:
    """The people registered with the rows' ID numbers (by digest), with their seats in `term`
    prefetched; and the names of seat holders of `term` who have no ID number registered."""
    people: dict[str, Person] = {}
    digests = [crypto.digest(row.id_number) for row in rows]
    seats = Membership.objects.filter(term=term, organization__isnull=True)
    for chunk in _chunks(digests):
        for person in Person.objects.filter(id_number_digest__in=chunk).prefetch_related(
            Prefetch("memberships", seats.select_related("committee"), to_attr="term_seats")
        ):
            people[person.id_number_digest or ""] = person
    unidentified: set[str] = set()
    for names in _chunks([row.name for row in rows]):
        unidentified.update(
            seats.filter(person__name__in=names)
            .filter(Q(person__id_number_digest__isnull=True) | Q(person__id_number_digest=""))
            .values_list("person__name", flat=True)
        )
    return people, unidentified


def _plan(
    rows: Sequence[RosterRow], term: Term, track: Tracker
) -> tuple[list[_Step], list[Problem]]:
    """Compare the rows with the registry: what to create, what to change, what stays."""
    people, unidentified = _registered(rows, term)
    steps: list[_Step] = []
    problems: list[Problem] = []
    for row in track(rows, _("Checking")):
        person = people.get(crypto.digest(row.id_number))
        if person is None and row.name in unidentified:
            # Registered without an ID number and seated in this term under the same name: most
            # likely the same person. Refuse rather than seat them twice.
            message = _(
                "%(name)s already holds a seat in this term without an ID number. Add the ID "
                "number to their record first, so that the import recognises them."
            )
            problems.append(Problem(row.row, NAME, message % {"name": row.name}))
        elif person is None:
            steps.append(_Step(row, None, row.person_data(), None, row.seat_data()))
        elif person.name != row.name:
            message = _(
                "This ID number is registered to a person of another name. Check the name and "
                "the ID number."
            )
            problems.append(Problem(row.row, ID_NUMBER, message))
        else:
            seat = next(iter(getattr(person, "term_seats", [])), None)
            seat_changes = row.seat_data() if seat is None else _differences(seat, row.seat_data())
            person_changes = _differences(person, row.person_data())
            steps.append(_Step(row, person, person_changes, seat, seat_changes))
    return steps, problems


def _apply(step: _Step, *, committee: Committee, term: Term, by: Any) -> None:
    row = step.row
    person = step.person
    if person is None:
        data = {"family_name": row.family_name, "given_name": row.given_name, **step.person_changes}
        person = services.person_create(by=by, data=data, id_number=row.id_number)
    if step.seat is None:
        data = {"term": term, **step.seat_changes}
        services.membership_create(by=by, person=person, committee=committee, data=data)
    elif step.seat_changes:
        services.membership_update(membership=step.seat, by=by, data=step.seat_changes)
    # After the seat: office staff may change a person once they hold a seat in its committee.
    if step.person is not None and step.person_changes:
        services.person_update(person=person, by=by, data=step.person_changes)


_COLUMN_OF_FIELD = {
    "family_name": NAME,
    "given_name": NAME,
    "gender": GENDER,
    "ethnicity": ETHNICITY,
    "birth_date": BIRTH_DATE,
    "id_number": ID_NUMBER,
    "mobile": MOBILE,
    "affiliation": AFFILIATION,
    "workplace": WORKPLACE,
    "sector": SECTOR,
    "role": ROLE,
    "start_date": START_DATE,
}


def _problems_of(error: ValidationError, row: int) -> list[Problem]:
    if not hasattr(error, "error_dict"):
        return [Problem(row, NAME, message) for message in error.messages]
    return [
        Problem(row, _COLUMN_OF_FIELD.get(name, NAME), message)
        for name, errors in error.error_dict.items()
        for item in errors
        for message in item.messages
    ]


class _Rollback(Exception):
    pass


def roster_import(
    file: IO[bytes],
    *,
    committee: Committee,
    term: Term,
    by: Any,
    dry_run: bool = False,
    filename: str = "",
    track: Tracker = _untracked,
) -> ImportResult:
    """Import a roster file into `term` of `committee`, all or nothing.

    `by` is the office user who imports (the services check their rights), or audit.SYSTEM
    when the system imports (the management command). With `dry_run` every check runs and the counts
    say what would change, but nothing is written. Raises RosterRefused for a file that is not
    a roster at all; every other problem is in the result, and then nothing was written.
    """
    if term.committee_id != committee.pk:
        raise ValueError("the term belongs to another committee")
    roster = read_roster(file, committee=committee)
    result = ImportResult(rows=roster.row_count, dry_run=dry_run)
    if roster.problems:
        result.problems = sorted(roster.problems, key=lambda p: p.row)
        return result
    try:
        with transaction.atomic():
            steps, problems = _plan(roster.rows, term, track)
            if problems:
                raise _Rollback
            for step in steps:
                result.add(step)
            if dry_run or not result.changes:
                return result
            for step in track([step for step in steps if step.writes], _("Writing")):
                try:
                    _apply(step, committee=committee, term=term, by=by)
                except ValidationError as error:
                    problems.extend(_problems_of(error, step.row.row))
            if problems:
                raise _Rollback
            audit.record(
                actor=by,
                action="import",
                obj=committee,
                committee_id=committee.pk,
                verb="roster",
                reason=filename[:200],
                changes={"term": [None, term.number]}
                | {key: [None, value] for key, value in result.counts().items()},
            )
    except _Rollback:
        kept = ImportResult(rows=result.rows, dry_run=dry_run)
        kept.problems = sorted(problems, key=lambda p: p.row)
        return kept
    return result


# The template and the export ----------------------------------------------------------------


def _instructions(committee: Committee) -> tuple[list[str], list[tuple[str, list[str]]]]:
    lines = [
        _("How to fill in the roster of %(committee)s") % {"committee": committee.name},
        _("One row per member: the person and their seat in the term chosen at import."),
        _("Required columns: %(columns)s.") % {"columns": ", ".join(REQUIRED)},
        _("The ID number identifies a person: a number already registered updates that person."),
        _("An empty optional cell keeps the value already registered."),
        _("Dates: an Excel date, or text written YYYY-MM-DD, YYYY/MM/DD or YYYY年M月D日."),
        _("The birth date may be left empty: it is read from the ID number."),
        _("An empty 委员会职务 means 委员."),
        _("If any row has a problem, nothing is imported: every problem is listed."),
        _("At most %(rows)d rows and %(size)d MB per file.")
        % {"rows": MAX_ROWS, "size": MAX_BYTES // (1024 * 1024)},
    ]
    sectors = [
        s.name
        for s in Organization.objects.filter(
            committee=committee, classification=Organization.Classification.SECTOR
        ).order_by("position", "id")
    ]
    allowed = [
        (GENDER, list(GENDERS)),
        (AFFILIATION, list(AFFILIATIONS)),
        (ROLE, list(ROLES)),
        (SECTOR, sectors),
    ]
    return lines, allowed


def _instruction_rows(committee: Committee) -> tuple[list[list[Any]], dict[str, str]]:
    """The rows of the sheet 说明 and, per column, the range of its allowed values there."""
    lines, allowed = _instructions(committee)
    rows: list[list[Any]] = [[line] for line in lines]
    rows.append([])
    rows.append([_("Allowed values")])
    first = len(rows) + 1
    rows.append([header for header, _values in allowed])
    longest = max(len(values) for _header, values in allowed)
    for i in range(longest):
        rows.append([values[i] if i < len(values) else None for _header, values in allowed])
    ranges = {
        header: f"'{INSTRUCTIONS_SHEET}'!${get_column_letter(i + 1)}${first + 1}"
        f":${get_column_letter(i + 1)}${first + len(values)}"
        for i, (header, values) in enumerate(allowed)
        if values
    }
    return rows, ranges


def roster_template(committee: Committee) -> Workbook:
    """The empty roster of `committee` to fill in, with drop-down lists and the sheet 说明."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = ROSTER_SHEET
    sheet.append(list(HEADERS))
    bold = Font(bold=True)
    required = PatternFill("solid", fgColor="FFF2CC")
    for index, header in enumerate(HEADERS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = bold
        if header in REQUIRED:
            cell.fill = required
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = COLUMN_WIDTHS[index - 1]
        if header in (ID_NUMBER, MOBILE):
            # Text, so that Excel keeps all 18 digits of an ID number.
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A2"
    info = workbook.create_sheet(INSTRUCTIONS_SHEET)
    rows, ranges = _instruction_rows(committee)
    for values in rows:
        info.append(values)
    info.column_dimensions["A"].width = 16
    info.column_dimensions["B"].width = 16
    info.column_dimensions["C"].width = 12
    info.column_dimensions["D"].width = 20
    for header, source in ranges.items():
        letter = get_column_letter(HEADERS.index(header) + 1)
        validation = DataValidation(type="list", formula1=source, allow_blank=True)
        validation.error = _("Choose a value from the list (see the sheet 说明).")
        validation.showErrorMessage = True
        validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        sheet.add_data_validation(validation)
    return workbook


_GENDER_NAMES = {code: name for name, code in GENDERS.items()}
_AFFILIATION_NAMES = {code: name for name, code in AFFILIATIONS.items()}
_ROLE_NAMES = {code: name for name, code in ROLES.items()}


def export_row(seat: Membership, *, full: bool) -> list[Any]:
    """One row of the export for a seat. `full`: the whole ID and mobile numbers, else masked."""
    person = seat.person
    if full:
        id_number = crypto.decrypt(person.id_number_encrypted) if person.id_number_encrypted else ""
        mobile = person.mobile
    else:
        id_number, mobile = person.id_number_masked, person.mobile_masked
    return [
        person.name,
        _GENDER_NAMES.get(person.gender, ""),
        person.ethnicity,
        person.birth_date,
        id_number,
        mobile,
        _AFFILIATION_NAMES.get(person.affiliation, ""),
        person.workplace,
        seat.sector.name if seat.sector else "",
        _ROLE_NAMES.get(seat.role, seat.get_role_display()),
        seat.start_date,
    ]


def export_members(
    seats: QuerySet[Membership], file: IO[bytes], *, committee: Committee, full: bool
) -> int:
    """Write `seats` (already filtered: "export what I see") to `file` as an xlsx roster, in the
    layout of the template, row by row (openpyxl write-only mode). Returns the number of rows.

    `full` writes whole ID and mobile numbers (the committee's office); otherwise both are
    masked. The caller logs the export (audit.log_personal_data_access).
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(ROSTER_SHEET)
    for index, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header: list[Any] = []
    for text in HEADERS:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for seat in seats.select_related("person", "sector").iterator(chunk_size=1000):
        sheet.append(export_row(seat, full=full))
        count += 1
    info = workbook.create_sheet(INSTRUCTIONS_SHEET)
    rows, _ranges = _instruction_rows(committee)
    for values in rows:
        info.append(values)
    workbook.save(file)
    return count
