"""Meeting pages: what each role sees (404 when not visible, 403 when visible but not theirs to
change), forms that show the services' errors, exports, and constant query counts."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lianluo.core.models import PersonalDataAccess
from lianluo.meetings import selectors
from lianluo.meetings.models import (
    AttendanceRecord,
    Invitation,
    LeaveRequest,
    Meeting,
    MeetingAttachment,
    MeetingKind,
)
from tests.factories import MembershipFactory
from tests.meetings.factories import MeetingFactory, invite, leave, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def login(user):
        client.logout()
        client.force_login(user)
        return client

    return login


@pytest.fixture
def meeting(m):
    meeting = MeetingFactory(
        committee=m.xiangtan,
        status=Meeting.Status.PUBLISHED,
        starts_at=timezone.now() + datetime.timedelta(minutes=20),
    )
    invite(meeting, m.liu)
    invite(meeting, m.wang)
    return meeting


def staff_pages(m, meeting):
    code = m.xiangtan.code
    return [
        reverse("meetings:committee", args=[code]),
        reverse("meetings:calendar", args=[code]),
        reverse("meetings:calendar", args=[code]) + "?month=2026-02",
        reverse("meetings:statistics", args=[code]),
        reverse("meetings:statistics", args=[code]) + f"?term={m.world.terms['430300'].pk}",
        reverse("meetings:speeches", args=[code]),
        reverse("meetings:reports", args=[code]),
        reverse("meetings:policies", args=[code]),
        reverse("meetings:meeting", args=[meeting.pk]),
        reverse("meetings:invitations", args=[meeting.pk]),
        reverse("meetings:attendance", args=[meeting.pk]),
        reverse("meetings:live", args=[meeting.pk]),
    ]


def office_pages(m, meeting):
    code = m.xiangtan.code
    return [
        reverse("meetings:meeting_new", args=[code]),
        reverse("meetings:report_new", args=[code]),
        reverse("meetings:policy_edit", args=[code]) + "?kind=plenary",
        reverse("meetings:meeting_edit", args=[meeting.pk]),
        reverse("meetings:qr", args=[meeting.pk]),
        reverse("meetings:attendance_import", args=[meeting.pk]),
        reverse("meetings:speech_new", args=[meeting.pk]),
    ]


def test_the_office_opens_every_page(m, meeting, as_user):
    client = as_user(m.office)
    for url in staff_pages(m, meeting) + office_pages(m, meeting):
        assert client.get(url).status_code == 200, url
    svg = client.get(reverse("meetings:qr_svg", args=[meeting.pk]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert client.get(reverse("meetings:overview")).status_code == 302


@pytest.mark.parametrize("role", ["auditor", "hunan_office"])
def test_readers_above_or_auditing_read_but_do_not_change(m, meeting, as_user, role):
    client = as_user(getattr(m, role))
    for url in staff_pages(m, meeting):
        assert client.get(url).status_code == 200, url
    for url in office_pages(m, meeting):
        assert client.get(url).status_code == 403, url
    response = client.post(
        reverse("meetings:meeting_transition", args=[meeting.pk]),
        {"action": "cancel", "reason": "x"},
    )
    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == "published"


@pytest.mark.parametrize("role", ["shenzhen_office", "unit"])
def test_other_committees_and_units_see_nothing(m, meeting, as_user, role):
    client = as_user(getattr(m, role))
    for url in staff_pages(m, meeting) + office_pages(m, meeting):
        assert client.get(url).status_code == 404, url


def test_a_member_sees_their_meeting_but_not_the_lists(m, meeting, as_user):
    client = as_user(m.liu_user)
    page = client.get(reverse("meetings:meeting", args=[meeting.pk]))
    assert page.status_code == 200 and page.context["mine"].person == m.liu
    assert "timeline" not in page.context
    for name in ("invitations", "attendance", "live"):
        assert client.get(reverse(f"meetings:{name}", args=[meeting.pk])).status_code == 403
    assert client.get(reverse("meetings:committee", args=["430300"])).status_code == 404
    # Not invited, or still a draft: not visible at all.
    other = MeetingFactory(committee=m.xiangtan, status="published")
    draft = MeetingFactory(committee=m.xiangtan)
    invite(draft, m.liu)
    for hidden in (other, draft):
        assert client.get(reverse("meetings:meeting", args=[hidden.pk])).status_code == 404


def test_the_convener_sees_the_meetings_of_their_sector(m, meeting, as_user):
    client = as_user(m.ma_user)  # 马继龙 convenes 经济界; 王勇峰 of 经济界 is invited
    assert client.get(reverse("meetings:meeting", args=[meeting.pk])).status_code == 200
    other = MeetingFactory(committee=m.xiangtan, status="published")
    invite(other, m.liu)  # 教育界 only
    assert client.get(reverse("meetings:meeting", args=[other.pk])).status_code == 404


def test_the_office_creates_a_meeting_and_sees_field_errors(m, as_user):
    client = as_user(m.office)
    url = reverse("meetings:meeting_new", args=["430300"])
    bad = client.post(
        url,
        {
            "kind": "thematic",
            "title": "协商会",
            "starts_at": "2026-12-01T09:00",
            "ends_at": "2026-12-01T08:00",
            "participation": "invitation",
            "capacity": "5",
        },
    )
    assert bad.status_code == 200
    assert set(bad.context["form"].errors) == {"ends_at", "capacity"}
    assert not Meeting.objects.exists()
    good = client.post(
        url,
        {
            "kind": "thematic",
            "title": "协商会",
            "starts_at": "2026-12-01T09:00",
            "ends_at": "2026-12-01T11:00",
            "participation": "invitation",
        },
    )
    meeting = Meeting.objects.get()
    assert good.status_code == 302 and good.url == reverse(
        "meetings:invitations", args=[meeting.pk]
    )
    assert timezone.localtime(meeting.starts_at).hour == 9


def test_inviting_a_sector_and_publishing_through_the_pages(m, as_user):
    client = as_user(m.office)
    meeting = MeetingFactory(committee=m.xiangtan)
    url = reverse("meetings:invitations", args=[meeting.pk])
    missing = client.post(url, {"source": "sector"})
    assert "sector" in missing.context["form"].errors
    client.post(url, {"source": "sector", "sector": m.economy.pk})
    assert meeting.invitations.count() == 3
    client.post(reverse("meetings:meeting_transition", args=[meeting.pk]), {"action": "publish"})
    meeting.refresh_from_db()
    assert meeting.status == "published"


def test_a_refused_step_is_shown_as_a_message_not_an_error_page(m, as_user):
    client = as_user(m.office)
    meeting = MeetingFactory(committee=m.xiangtan)
    response = client.post(
        reverse("meetings:meeting_transition", args=[meeting.pk]),
        {"action": "publish"},
        follow=True,
    )
    assert response.status_code == 200
    assert any("Invite" in str(msg) or "邀请" in str(msg) for msg in response.context["messages"])


def test_leave_through_the_pages(m, meeting, as_user):
    client = as_user(m.liu_user)
    form_url = reverse("meetings:leave_request", args=[meeting.pk])
    assert client.get(form_url).context["late"] is True  # 20 minutes before: after the cut-off
    empty = client.post(form_url, {"reason": ""})
    assert "reason" in empty.context["form"].errors
    client.post(form_url, {"reason": "外出调研"})
    request = LeaveRequest.objects.get()
    assert request.is_late and request.person == m.liu
    # 王 may not decide 刘's leave, nor even see it.
    client = as_user(m.wang_user)
    url = reverse("meetings:leave_transition", args=[request.pk])
    assert client.post(url, {"action": "approve"}).status_code == 404
    client = as_user(m.office)
    client.post(url, {"action": "approve"})
    request.refresh_from_db()
    assert request.status == "approved"


def test_a_member_signs_up_from_the_page(m, as_user):
    meeting = MeetingFactory(
        committee=m.xiangtan,
        participation="sign_up",
        capacity=1,
        status="published",
        signup_deadline=timezone.now() + datetime.timedelta(days=1),
    )
    invite(meeting, m.liu)
    invite(meeting, m.wang)
    as_user(m.liu_user).post(reverse("meetings:respond", args=[meeting.pk]), {"action": "sign_up"})
    as_user(m.wang_user).post(reverse("meetings:respond", args=[meeting.pk]), {"action": "sign_up"})
    statuses = dict(meeting.invitations.values_list("person__name", "status"))
    assert statuses == {"刘敬民": "signed_up", "王勇峰": "waitlisted"}


def test_the_attendance_export_is_the_page(m, meeting, as_user):
    Meeting.objects.filter(pk=meeting.pk).update(
        status="in_progress", starts_at=timezone.now() - datetime.timedelta(minutes=30)
    )
    invite(meeting, m.ma, checked_in_at=timezone.now(), checkin_method="qr")
    leave(meeting.invitations.get(person=m.wang), status="approved", reason="出国")
    client = as_user(m.office)
    client.post(reverse("meetings:meeting_transition", args=[meeting.pk]), {"action": "close"})
    page = client.get(reverse("meetings:attendance", args=[meeting.pk]))
    shown = [row.cells() for row in page.context["rows"]]
    assert [row[1] for row in shown] == ["马继龙", "王勇峰", "刘敬民"]  # stroke order
    export = client.get(reverse("meetings:attendance_export", args=[meeting.pk]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    rows = [
        [c if c is not None else "" for c in r] for r in book["考勤表"].iter_rows(values_only=True)
    ]
    assert rows == [selectors.sheet_headers(), *shown]
    statuses = [row.status for row in page.context["rows"]]
    assert statuses == ["present", "excused", "absent"]


def test_corrections_through_the_page_show_the_history(m, as_user):
    meeting = MeetingFactory(committee=m.xiangtan, status="closed")
    recorded = record(invite(meeting, m.liu), AttendanceRecord.Status.ABSENT)
    client = as_user(m.office)
    url = reverse("meetings:attendance_correct", args=[meeting.pk, recorded.pk])
    missing = client.post(url, {"status": "present"})
    assert "reason" in missing.context["form"].errors
    client.post(url, {"status": "present", "reason": "补签"})
    page = client.get(url)
    assert [(c.old_status, c.new_status) for c in page.context["corrections"]] == [
        ("absent", "present")
    ]
    assert "补签" in page.content.decode()


def test_attachments_are_checked_and_served_only_to_those_who_see_the_meeting(m, meeting, as_user):
    client = as_user(m.office)
    url = reverse("meetings:attachment_add", args=[meeting.pk])
    fake = SimpleUploadedFile("notice.pdf", b"<script>alert(1)</script>", "application/pdf")
    client.post(url, {"file": fake, "title": "通知"})
    assert not MeetingAttachment.objects.exists()
    exe = SimpleUploadedFile("notice.exe", b"MZ......", "application/octet-stream")
    client.post(url, {"file": exe})
    assert not MeetingAttachment.objects.exists()
    pdf = SimpleUploadedFile("notice.pdf", b"%PDF-1.4\n%%EOF", "application/pdf")
    client.post(url, {"file": pdf, "title": "会议通知"})
    attachment = MeetingAttachment.objects.get()
    download = reverse("meetings:attachment", args=[meeting.pk, attachment.pk])
    invited = as_user(m.liu_user).get(download)
    assert invited.status_code == 200 and invited["Content-Disposition"].startswith("attachment")
    assert as_user(m.shenzhen_office).get(download).status_code == 404


def test_the_sign_in_sheet_download_is_logged_as_personal_data(m, meeting, as_user):
    as_user(m.office).get(reverse("meetings:sign_in_sheet", args=[meeting.pk]))
    assert PersonalDataAccess.objects.filter(kind="export").count() == 1


def test_the_live_view_answers_htmx_with_the_partial(m, meeting, as_user):
    client = as_user(m.office)
    full = client.get(reverse("meetings:live", args=[meeting.pk]))
    part = client.get(reverse("meetings:live", args=[meeting.pk]), headers={"HX-Request": "true"})
    assert b"<html" in full.content and b"<html" not in part.content
    assert b'hx-trigger="every 5s"' in part.content


def more_meetings(m, count, year=2025):
    people = [m.liu, m.wang, m.ma, m.zhao] + [
        MembershipFactory(
            term=m.world.terms["430300"], committee=m.xiangtan, sector=m.economy
        ).person
        for _ in range(count)
    ]
    for index in range(count):
        meeting = MeetingFactory(
            committee=m.xiangtan,
            status="closed",
            kind=[MeetingKind.PLENARY, MeetingKind.THEMATIC, MeetingKind.STANDING][index % 3],
            starts_at=datetime.datetime(
                year, 1 + index % 12, 5, 9, tzinfo=timezone.get_current_timezone()
            ),
        )
        for person in people:
            invitation = invite(meeting, person)
            record(
                invitation,
                AttendanceRecord.Status.PRESENT if index % 2 else AttendanceRecord.Status.ABSENT,
            )
        leave(meeting.invitations.get(person=m.liu), status="approved")


def test_the_members_page_is_a_constant_number_of_queries(
    m, as_user, django_assert_max_num_queries
):
    client = as_user(m.liu_user)
    url = reverse("meetings:mine")
    more_meetings(m, 2)
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        assert client.get(url).status_code == 200
    more_meetings(m, 9, year=2024)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert len(page.context["records"]) == 11


def test_the_yearly_statistics_are_a_constant_number_of_queries(
    m, as_user, django_assert_max_num_queries
):
    client = as_user(m.office)
    url = reverse("meetings:statistics", args=["430300"]) + "?year=2025"
    more_meetings(m, 2)
    client.get(url)
    with django_assert_max_num_queries(25) as few:
        client.get(url)
    more_meetings(m, 9)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert page.context["totals"]["meetings"] == 11


@pytest.mark.parametrize(
    "name", ["committee", "attendance", "invitations", "speeches", "reports", "approvals"]
)
def test_lists_are_a_constant_number_of_queries(m, as_user, django_assert_max_num_queries, name):
    client = as_user(m.office)
    meeting = MeetingFactory(committee=m.xiangtan, status="in_progress")

    def fill(n):
        for _ in range(n):
            person = MembershipFactory(
                term=m.world.terms["430300"], committee=m.xiangtan, sector=m.economy
            ).person
            invitation = invite(meeting, person, checked_in_at=timezone.now(), checkin_method="qr")
            assert invitation.checked_in_at
            other = MeetingFactory(committee=m.xiangtan, status="published")
            leave(invite(other, person))
            from lianluo.meetings.models import ResearchReport, Speech

            speech = Speech.objects.create(
                committee=m.xiangtan, meeting=other, title="发言", mode="oral"
            )
            speech.speakers.set([person])
            report = ResearchReport.objects.create(
                committee=m.xiangtan, title="报告", submitted_on=timezone.localdate()
            )
            report.author_people.set([person])

    args = ["430300"] if name in ("committee", "speeches", "reports") else [meeting.pk]
    url = reverse(f"meetings:{name}", args=None if name == "approvals" else args)
    fill(2)
    client.get(url)
    with django_assert_max_num_queries(25) as few:
        assert client.get(url).status_code == 200
    fill(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
    assert Invitation.objects.filter(meeting=meeting).count() == 14
