"""The public studio directory and pages (no log-in, published studios only, no personal data
beyond what a studio publishes) and the iCalendar feeds (RFC 5545)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from lianluo.liaison import ics
from lianluo.liaison.models import MemberCalendar, Studio, StudioMember
from lianluo.liaison.services import calendar_for, calendar_token_regenerate
from tests.liaison.factories import StudioFactory, reception_day, seat

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


# --- The iCalendar writer ---------------------------------------------------------------------


def test_text_is_escaped_as_rfc_5545_says():
    assert ics.escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_long_lines_are_folded_at_75_octets_without_splitting_a_character():
    line = "DESCRIPTION:" + "值班委员：刘敬民、王勇峰" * 10
    folded = ics.fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 1
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == line  # unfolds to the original
    assert ics.fold("SUMMARY:short") == "SUMMARY:short"


def test_a_calendar_has_crlf_lines_a_timezone_and_complete_events():
    stamp = datetime.datetime(2025, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    text = ics.calendar(
        [
            ics.Event(
                uid="reception-day-1@lianluo",
                start=datetime.datetime(2025, 1, 10, 9, 0),
                end=datetime.datetime(2025, 1, 10, 11, 30),
                summary="接待日: 雨湖区委员工作室",
                location="建设路1号, 雨湖区; 湘潭",
                cancelled=True,
                sequence=3,
            )
        ],
        name="雨湖区委员工作室",
        stamp=stamp,
    )
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and "VERSION:2.0" in lines
    assert "BEGIN:VTIMEZONE" in lines and "TZID:Asia/Shanghai" in lines
    for expected in (
        "UID:reception-day-1@lianluo",
        "DTSTAMP:20250102T030405Z",
        "DTSTART;TZID=Asia/Shanghai:20250110T090000",
        "DTEND;TZID=Asia/Shanghai:20250110T113000",
        "LOCATION:建设路1号\\, 雨湖区\\; 湘潭",
        "STATUS:CANCELLED",
        "SEQUENCE:3",
    ):
        assert expected in lines, expected
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 1


# --- Feeds ------------------------------------------------------------------------------------


@pytest.fixture
def studio(world):
    studio = StudioFactory(committee=world.xiangtan, name="雨湖区委员工作室")
    liu = seat(world.both, world.xiangtan)
    wang = seat(world.xiangtan_only, world.xiangtan)
    StudioMember.objects.create(studio=studio, membership=liu, role="host")
    reception_day(studio, date=TODAY + datetime.timedelta(days=3), members=[liu, wang])
    reception_day(
        studio, date=TODAY + datetime.timedelta(days=13), members=[wang], status="cancelled"
    )
    reception_day(studio, date=TODAY + datetime.timedelta(days=23), members=[liu], status="draft")
    return studio


def unfold(text):
    return text.replace("\r\n ", "")


def test_a_published_studios_feed_is_public_and_lists_its_published_and_cancelled_days(
    client, studio
):
    response = client.get(reverse("liaison:public_studio_ics", args=[studio.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = unfold(response.content.decode())
    assert text.count("BEGIN:VEVENT") == 2  # the draft is not announced
    assert "STATUS:CANCELLED" in text and "STATUS:CONFIRMED" in text
    assert "刘敬民" in text and "13800138000" not in text
    Studio.objects.filter(pk=studio.pk).update(status="draft")
    assert client.get(reverse("liaison:public_studio_ics", args=[studio.pk])).status_code == 404


def test_a_members_feed_is_at_a_secret_address_that_can_be_renewed(client, world, studio):
    token = calendar_for(person=world.both).token
    url = reverse("liaison:member_ics", kwargs={"token": token})
    text = unfold(client.get(url).content.decode())
    assert text.count("BEGIN:VEVENT") == 1  # 刘敬民 is on duty on the published day only
    assert re.search(r"UID:reception-day-\d+@lianluo", text)
    calendar_token_regenerate(person=world.both, by=world.users.member)
    assert client.get(url).status_code == 404
    assert client.get(reverse("liaison:member_ics", kwargs={"token": "short"})).status_code == 404


def test_a_member_creates_and_renews_their_calendar_address_on_the_page(client, world):
    client.force_login(world.users.member)
    page = client.get(reverse("liaison:my_calendar"))
    assert page.context["feed_url"] == ""
    client.post(reverse("liaison:my_calendar"))
    first = MemberCalendar.objects.get(person=world.both).token
    renewed = client.post(reverse("liaison:my_calendar"))
    assert MemberCalendar.objects.get(person=world.both).token != first
    assert MemberCalendar.objects.get(person=world.both).token in renewed.context["feed_url"]
    client.force_login(world.users.xiangtan_office)  # no person: no calendar
    assert client.get(reverse("liaison:my_calendar")).status_code == 404


# --- The public directory ---------------------------------------------------------------------


def test_anyone_finds_a_studio_by_area_and_sees_who_is_on_duty_next(client, world, studio):
    StudioFactory(
        committee=world.xiangtan, name="岳塘区委员工作室", area_name="岳塘区", area_code="430304"
    )
    StudioFactory(committee=world.xiangtan, name="未发布工作室", status=Studio.Status.DRAFT)
    page = client.get(reverse("liaison:public_studios"), {"area": "430302"})
    assert page.status_code == 200
    assert [s.name for s in page.context["page"]] == ["雨湖区委员工作室"]
    html = page.content.decode()
    assert "刘敬民" in html and "王勇峰" in html
    assert f"{TODAY + datetime.timedelta(days=3):%Y-%m-%d}" in html
    every = client.get(reverse("liaison:public_studios"))
    assert {s.name for s in every.context["page"]} == {"雨湖区委员工作室", "岳塘区委员工作室"}
    assert "未发布工作室" not in every.content.decode()
    by_name = client.get(reverse("liaison:public_studios"), {"q": "岳塘"})
    assert [s.name for s in by_name.context["page"]] == ["岳塘区委员工作室"]


def test_a_studios_public_page_publishes_what_the_studio_publishes_only(client, world, studio):
    page = client.get(reverse("liaison:public_studio", args=[studio.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "0731-58221234" in html  # the studio's phone
    assert "13800138000" not in html and "138****8000" not in html  # 刘敬民's own mobile
    assert page.context["next_day"].date == TODAY + datetime.timedelta(days=3)
    assert [d.status for d in page.context["days"]] == ["published", "cancelled"]
    draft = StudioFactory(committee=world.xiangtan, status=Studio.Status.DRAFT)
    assert client.get(reverse("liaison:public_studio", args=[draft.pk])).status_code == 404
