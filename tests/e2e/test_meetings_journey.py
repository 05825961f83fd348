"""Meetings in a real browser: the office creates a thematic consultation and invites a sector;
a member asks for leave and the office approves it; another member checks in by opening the QR
link on a phone; the office closes the meeting; the attendance sheet shows present / excused /
absent exactly, and its Excel export matches it cell for cell."""

import datetime

import openpyxl
import pytest
from django.utils import timezone

from lianluo.meetings.models import AttendanceRecord, Meeting
from tests.conftest import PASSWORD
from tests.e2e.conftest import Journey
from tests.factories import MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(journey, username):
    journey.goto("/accounts/login/")
    journey.check_accessibility()
    journey.page.fill("#id_username", username)
    journey.page.fill("#id_password", PASSWORD)
    journey.page.click("main button[type=submit]")
    journey.page.wait_for_load_state()


def log_out(journey):
    journey.page.click("form[action='/accounts/logout/'] button")
    journey.page.wait_for_url("**/accounts/login/**")


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_thematic_consultation_from_invitation_to_attendance_sheet(
    world, journey, browser, live_server, tmp_path
):
    wang = world.xiangtan_only  # 经济界
    wang.user = UserFactory(username="member_wang")
    wang.save()
    MembershipFactory(
        person=PersonFactory(family_name="赵", given_name="一平"),
        term=world.terms["430300"],
        committee=world.xiangtan,
        sector=world.sector[("430300", "经济界")],
    )
    page = journey.page

    # The office plans a thematic consultation and invites the economy sector.
    log_in(journey, "xiangtan_office")
    journey.goto("/meetings/c/430300/")
    journey.check_accessibility()
    page.click("a[href='/meetings/c/430300/new/']")
    journey.check_accessibility()
    starts = timezone.now() + datetime.timedelta(minutes=10)
    page.select_option("#id_kind", "thematic")
    page.fill("#id_title", "优化营商环境专题协商会")
    page.fill("#id_starts_at", local(starts))
    page.fill("#id_ends_at", local(starts + datetime.timedelta(hours=2)))
    page.fill("#id_place", "政协机关一楼会议室")
    page.select_option("#id_participation", "invitation")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/invitations/")
    journey.check_accessibility()
    meeting = Meeting.objects.get()
    page.check("input[name=source][value=sector]")
    page.select_option("#id_sector", label="经济界")
    page.click("form.invite-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("table.invitation-table tbody tr").count() == 3
    journey.check_accessibility()
    journey.goto(f"/meetings/{meeting.pk}/")
    page.click("form.transition-publish button")
    page.wait_for_load_state()
    journey.check_accessibility()
    meeting.refresh_from_db()
    assert meeting.status == "published"
    log_out(journey)

    # 王勇峰 asks for leave from his own meetings page.
    log_in(journey, "member_wang")
    journey.goto("/meetings/me/")
    journey.check_accessibility()
    page.click(f"a[href='/meetings/{meeting.pk}/leave/']")
    journey.check_accessibility()
    page.fill("#id_reason", "赴省里参加培训")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    journey.check_accessibility()
    log_out(journey)

    # The office approves it.
    log_in(journey, "xiangtan_office")
    journey.goto(f"/meetings/{meeting.pk}/")
    row = page.locator("tr.leave-row[data-person='王勇峰']")
    row.locator("button[value=approve]").click()
    page.wait_for_load_state()
    assert page.locator("tr.leave-row[data-person='王勇峰'] .status.approved").count() == 1
    journey.check_accessibility()
    journey.goto(f"/meetings/{meeting.pk}/qr/")
    journey.check_accessibility()
    checkin_url = page.locator("#checkin-url").inner_text().strip()
    assert checkin_url.startswith(live_server.url) and meeting.checkin_token in checkin_url

    # 马继龙 opens the QR link on his phone, logs in, and checks in.
    phone_context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    try:
        phone = Journey(phone_context.new_page(), live_server.url)
        phone.page.goto(checkin_url)
        phone.page.wait_for_url("**/accounts/login/**")
        phone.check_accessibility()
        phone.page.fill("#id_username", "convener_ma")
        phone.page.fill("#id_password", PASSWORD)
        phone.page.click("main button[type=submit]")
        phone.page.wait_for_url(f"**/meetings/{meeting.pk}/checkin/**")
        phone.check_accessibility()
        phone.page.click("main form button.big")
        phone.page.wait_for_selector(".result.done")
        phone.check_accessibility()
        phone.check_clean()
    finally:
        phone_context.close()

    # The live view counts him; the meeting gets under way (as if time had passed) and closes.
    journey.goto(f"/meetings/{meeting.pk}/live/")
    assert page.locator(".checked-in-count").inner_text().strip() == "1"
    journey.check_accessibility()
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=30),
        ends_at=timezone.now() + datetime.timedelta(minutes=90),
    )
    journey.goto(f"/meetings/{meeting.pk}/")
    page.click("form.transition-start button")
    page.wait_for_load_state()
    page.click("form.transition-close button")
    page.wait_for_url(f"**/meetings/{meeting.pk}/attendance/")
    journey.check_accessibility()

    sheet = page.locator("table.attendance-sheet tbody tr.sheet-row")
    shown = {
        sheet.nth(i).locator("td").nth(1).inner_text(): sheet.nth(i).get_attribute("data-status")
        for i in range(sheet.count())
    }
    assert shown == {"马继龙": "present", "王勇峰": "excused", "赵一平": "absent"}
    assert (
        dict(AttendanceRecord.objects.filter(meeting=meeting).values_list("person__name", "status"))
        == shown
    )

    # The export holds exactly the rows and columns of the page.
    headers = page.locator("table.attendance-sheet thead th").all_inner_texts()[:8]
    cells = [
        [cell.strip() for cell in sheet.nth(i).locator("td").all_inner_texts()[: len(headers)]]
        for i in range(sheet.count())
    ]
    with page.expect_download() as download:
        page.click(f"a[href='/meetings/{meeting.pk}/attendance.xlsx']")
    path = tmp_path / "attendance.xlsx"
    download.value.save_as(path)
    exported = [
        ["" if value is None else str(value) for value in row]
        for row in openpyxl.load_workbook(path)["考勤表"].iter_rows(values_only=True)
    ]
    assert exported == [[h.strip() for h in headers], *cells]
    journey.check_clean()
