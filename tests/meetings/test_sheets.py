"""The sign-in sheet import (every problem by row and column; all or nothing), the printable
sign-in sheet, and the iCalendar feed text (RFC 5545)."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from lianluo.core.models import AuditEvent
from lianluo.meetings import ical, selectors, services, sheets
from lianluo.meetings.models import Invitation, Meeting
from tests.factories import MembershipFactory, PersonFactory
from tests.meetings.factories import MeetingFactory, invite

pytestmark = pytest.mark.django_db


def workbook(rows, headers=("姓名", "手机号后四位", "签到时间", "状态")):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["湘潭市政协专题协商会签到表"])  # a title row above the header
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.fixture
def meeting(m):
    meeting = MeetingFactory(
        committee=m.xiangtan,
        status=Meeting.Status.IN_PROGRESS,
        starts_at=datetime.datetime(2026, 5, 12, 9, 0, tzinfo=timezone.get_current_timezone()),
    )
    for person in (m.liu, m.wang, m.ma, m.zhao):
        invite(meeting, person)
    return meeting


def test_a_good_sheet_is_read_row_by_row(m, meeting):
    result = sheets.read_sign_in_sheet(
        workbook(
            [
                ("刘敬民", "", "8:55", "出席"),
                ("王勇峰", "1111", "2026-05-12 09:20", ""),  # after 9:15: late
                ("马继龙", "", "", "迟到早退"),
                ("赵一平", "", "", "请假"),  # records nothing
            ]
        ),
        meeting=meeting,
    )
    assert result.ok, result.problems
    rows = {r["name"]: (r["late"], r["left_early"]) for r in result.rows}
    assert rows == {"刘敬民": (False, False), "王勇峰": (True, False), "马继龙": (True, True)}
    assert result.skipped == 1


def test_every_problem_is_reported_with_row_and_column_and_nothing_is_written(m, meeting):
    MembershipFactory(
        person=PersonFactory(family_name="刘", given_name="敬民", mobile="13600003333"),
        term=m.world.terms["430300"],
        committee=m.xiangtan,
        sector=m.economy,
    )
    invite(meeting, m.liu.__class__.objects.get(mobile="13600003333"))
    result = sheets.read_sign_in_sheet(
        workbook(
            [
                ("刘敬民", "", "9:00", "出席"),  # row 3: two 刘敬民 on the list
                ("张三", "", "9:00", "出席"),  # row 4: not on the list
                ("王勇峰", "", "九点", "出席"),  # row 5: bad time
                ("马继龙", "", "9:00", "到了"),  # row 6: bad status
                ("", "", "9:00", "出席"),  # row 7: no name
                ("赵一平", "12", "9:00", "出席"),  # row 8: bad digits
                ("刘敬民", "8000", "9:00", "出席"),  # row 9: fine
                ("刘敬民", "8000", "9:01", "出席"),  # row 10: twice
            ]
        ),
        meeting=meeting,
    )
    problems = [(p.row, p.column) for p in result.problems]
    assert problems == [
        (3, "手机号后四位"),
        (4, "姓名"),
        (5, "签到时间"),
        (6, "状态"),
        (7, "姓名"),
        (8, "手机号后四位"),
        (10, "姓名"),
    ]
    assert all(p.message for p in result.problems)


def test_the_import_page_writes_all_or_nothing(m, meeting, client):
    client.force_login(m.office)
    url = reverse("meetings:attendance_import", args=[meeting.pk])
    bad = workbook([("刘敬民", "", "9:00", "出席"), ("张三", "", "9:00", "出席")])
    bad.name = "sheet.xlsx"
    page = client.post(url, {"file": bad})
    assert page.status_code == 200 and "张三" in page.content.decode()
    assert not Invitation.objects.filter(checked_in_at__isnull=False).exists()
    good = workbook([("刘敬民", "", "9:00", "出席"), ("王勇峰", "", "9:30", "")])
    good.name = "sheet.xlsx"
    assert client.post(url, {"file": good}).status_code == 302
    checked = dict(
        Invitation.objects.filter(checked_in_at__isnull=False).values_list(
            "person__name", "arrived_late"
        )
    )
    assert checked == {"刘敬民": False, "王勇峰": True}
    assert AuditEvent.objects.filter(action="import", verb="sign_in_sheet").count() == 3


def test_a_sheet_saying_absent_for_someone_checked_in_is_a_problem(m, meeting):
    services.attendance_mark(
        invitation=meeting.invitations.get(person=m.liu), mark="present", by=m.office
    )
    result = sheets.read_sign_in_sheet(workbook([("刘敬民", "", "", "缺席")]), meeting=meeting)
    assert [(p.row, p.column) for p in result.problems] == [(3, "状态")]


@pytest.mark.parametrize(
    "content", [b"not a workbook", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old excel"]
)
def test_files_that_are_not_xlsx_are_refused_whole(meeting, content):
    with pytest.raises(sheets.SheetRefused):
        sheets.read_sign_in_sheet(io.BytesIO(content), meeting=meeting)


def test_a_sheet_without_a_name_column_is_refused(meeting):
    with pytest.raises(sheets.SheetRefused):
        sheets.read_sign_in_sheet(workbook([], headers=("名字", "时间")), meeting=meeting)


def test_the_printable_sign_in_sheet_lists_the_expected_people(m, meeting):
    buffer = io.BytesIO()
    sheets.sign_in_template(meeting, buffer)
    buffer.seek(0)
    rows = list(openpyxl.load_workbook(buffer).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("序号", "姓名", "界别", "手机号后四位")
    assert [(r[1], r[3]) for r in rows[1:]] == [  # in stroke order 马 王 刘 赵
        ("马继龙", None),
        ("王勇峰", "1111"),
        ("刘敬民", "8000"),
        ("赵一平", "2222"),
    ]


def test_the_export_matches_the_sheet(m, meeting):
    services.attendance_mark(
        invitation=meeting.invitations.get(person=m.liu), mark="late", by=m.office
    )
    buffer = io.BytesIO()
    sheets.export_attendance(meeting, buffer)
    buffer.seek(0)
    exported = list(openpyxl.load_workbook(buffer)["考勤表"].iter_rows(values_only=True))
    expected = [
        selectors.sheet_headers(),
        *[row.cells() for row in selectors.attendance_sheet(meeting)],
    ]
    assert [[c if c is not None else "" for c in row] for row in exported] == expected


# ---- iCalendar -------------------------------------------------------------------------------


def test_ical_text_escapes_folds_and_uses_crlf():
    assert ical.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "DESCRIPTION:" + "会议议程" * 30
    folded = ical.fold(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(pieces)) == line


def test_the_feed_holds_the_members_meetings_in_utc(m, client):
    meeting = MeetingFactory(
        committee=m.xiangtan,
        title="关于“营商环境”的协商会, 第一次",
        status="published",
        starts_at=timezone.now() + datetime.timedelta(days=1),
    )
    invite(meeting, m.liu)
    MeetingFactory(committee=m.xiangtan, status="draft")  # not in anyone's feed
    feed = services.calendar_feed_for(person=m.liu)
    response = client.get(reverse("meetings:feed", args=[feed.token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    unfolded = text.replace("\r\n ", "")
    assert f"UID:meeting-{meeting.pk}@testserver" in unfolded
    assert f"DTSTART:{meeting.starts_at.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}" in unfolded
    assert "SUMMARY:关于“营商环境”的协商会\\, 第一次" in unfolded
    assert "DTSTAMP:" in unfolded and unfolded.count("BEGIN:VEVENT") == 1


def test_a_wrong_feed_token_is_a_404(client):
    assert client.get("/meetings/calendar/not-a-token-at-all-000000.ics").status_code == 404
