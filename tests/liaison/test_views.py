"""Liaison pages: scoping (404 when not visible, 403 when visible but not allowed), forms that
show a service's refusal on the field, files served only to those who may see them, exports of
what one sees, and constant query counts."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lianluo.core.models import PersonalDataAccess
from lianluo.liaison.models import (
    ConstituentContact,
    LiaisonActivity,
    LiaisonAttachment,
    ReceptionDay,
    Studio,
    StudioMember,
)
from tests.factories import MembershipFactory, PersonFactory
from tests.liaison.factories import (
    PK_OF,
    ConstituentGroupFactory,
    StudioFactory,
    assign,
    plan,
    png_bytes,
    reception_day,
    record,
    seat,
    shenzhen_liaison_records,
)
from tests.test_url_permissions import ROLES, routes

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def as_user(client):
    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture
def two_committees(world):
    """刘敬民 serves a Hunan group through his Hunan seat and a Xiangtan group through his
    Xiangtan seat, and logged one activity in each committee."""
    hunan_group = ConstituentGroupFactory(
        committee=world.hunan, name="湖南省餐饮行业协会", area_name="长沙市", area_code="430100"
    )
    xiangtan_group = ConstituentGroupFactory(committee=world.xiangtan, name="雨湖区第一中学")
    hunan_seat = seat(world.both, world.hunan)
    xiangtan_seat = seat(world.both, world.xiangtan)
    return {
        "hunan_assignment": assign(hunan_group, hunan_seat),
        "xiangtan_assignment": assign(xiangtan_group, xiangtan_seat),
        "hunan_visit": record(
            world.hunan, members=[hunan_seat], groups=[hunan_group], summary="省级走访"
        ),
        "xiangtan_visit": record(
            world.xiangtan, members=[xiangtan_seat], groups=[xiangtan_group], summary="市级走访"
        ),
    }


# --- The acceptance: two memberships, two committees ------------------------------------------


def test_a_member_with_two_seats_serves_groups_in_both_and_each_staff_sees_only_its_own(
    world, two_committees, as_user
):
    """Hunan's office sees Hunan's assignment and activity (and, read-only, Xiangtan's below
    it); Xiangtan's office only Xiangtan's; Shenzhen's none; the member both, on their page."""
    xiangtan_office = as_user(world.users.xiangtan_office)
    page = xiangtan_office.get(reverse("liaison:assignments", args=["430300"]))
    assert [a.group.name for a in page.context["page"]] == ["雨湖区第一中学"]
    assert xiangtan_office.get(reverse("liaison:assignments", args=["430000"])).status_code == 404
    activities = xiangtan_office.get(reverse("liaison:activities", args=["430300"]))
    assert [a.summary for a in activities.context["page"]] == ["市级走访"]
    hunan_visit = two_committees["hunan_visit"]
    assert (
        xiangtan_office.get(reverse("liaison:activity", args=[hunan_visit.pk])).status_code == 404
    )

    hunan_office = as_user(world.users.hunan_office)
    page = hunan_office.get(reverse("liaison:assignments", args=["430000"]))
    assert [a.group.name for a in page.context["page"]] == ["湖南省餐饮行业协会"]
    activities = hunan_office.get(reverse("liaison:activities", args=["430000"]))
    assert [a.summary for a in activities.context["page"]] == ["省级走访"]

    shenzhen_office = as_user(world.users.shenzhen_office)
    for code in ("430000", "430300"):
        assert shenzhen_office.get(reverse("liaison:assignments", args=[code])).status_code == 404

    member = as_user(world.users.member)
    html = member.get(reverse("liaison:my")).content.decode()
    assert "湖南省餐饮行业协会" in html and "雨湖区第一中学" in html
    assert "省级走访" not in html  # activities are listed by date and kind
    assert html.count('class="button" href="/liaison/c/') == 2  # record for either committee


# --- Pages for each role ----------------------------------------------------------------------


@pytest.fixture
def filled(world, two_committees):
    """A Xiangtan studio with a day, a plan with a task, a contact; returns the page URLs."""
    liu = seat(world.both, world.xiangtan)
    studio = StudioFactory(committee=world.xiangtan, name="雨湖区委员工作室")
    StudioMember.objects.create(studio=studio, membership=liu, role="host")
    day = reception_day(studio, date=TODAY + datetime.timedelta(days=2), members=[liu])
    year_plan = plan(world.xiangtan, year=TODAY.year, tasks=[{"metric": "contacts", "target": 4}])
    contact = ConstituentContact.objects.create(
        committee=world.xiangtan,
        name="赵大妈",
        phone="13912345678",
        membership=liu,
        consent_given=True,
        consent_date=TODAY,
        consent_method="verbal",
    )
    group = two_committees["xiangtan_assignment"].group
    activity = two_committees["xiangtan_visit"]
    return {
        "committee": reverse("liaison:committee", args=["430300"]),
        "groups": reverse("liaison:groups", args=["430300"]),
        "group": reverse("liaison:group", args=[group.pk]),
        "assignments": reverse("liaison:assignments", args=["430300"]),
        "activities": reverse("liaison:activities", args=["430300"]),
        "activity": reverse("liaison:activity", args=[activity.pk]),
        "studios": reverse("liaison:studios", args=["430300"]),
        "studio": reverse("liaison:studio", args=[studio.pk]),
        "calendar": reverse("liaison:studio_calendar", args=[studio.pk]),
        "day": reverse("liaison:receptionday", args=[day.pk]),
        "plans": reverse("liaison:plans", args=["430300"]),
        "plan": reverse("liaison:plan", args=[year_plan.pk]),
        "contacts": reverse("liaison:contacts", args=["430300"]),
        "contact": reverse("liaison:contact", args=[contact.pk]),
        "coverage": reverse("liaison:coverage", args=["430300"]),
        "dashboard": reverse("liaison:dashboard", args=["430300"]),
        "group_new": reverse("liaison:group_new", args=["430300"]),
        "studio_new": reverse("liaison:studio_new", args=["430300"]),
        "plan_new": reverse("liaison:plan_new", args=["430300"]),
        "activity_new": reverse("liaison:activity_new", args=["430300"]),
        "group_edit": reverse("liaison:group_edit", args=[group.pk]),
        "studio_edit": reverse("liaison:studio_edit", args=[studio.pk]),
        "day_new": reverse("liaison:studio_day_new", args=[studio.pk]),
        "generate": reverse("liaison:studio_days_generate", args=[studio.pk]),
        "plan_tasks": reverse("liaison:plan_tasks", args=[year_plan.pk]),
        "contact_new": reverse("liaison:contact_new", args=["430300"]),
    }


READ = (
    "committee",
    "groups",
    "group",
    "assignments",
    "activities",
    "activity",
    "studios",
    "studio",
    "calendar",
    "day",
    "plans",
    "plan",
    "coverage",
    "dashboard",
)
WRITE = (
    "group_new",
    "studio_new",
    "plan_new",
    "group_edit",
    "studio_edit",
    "day_new",
    "generate",
    "plan_tasks",
)


def test_the_office_opens_every_page_and_form(world, filled, as_user):
    client = as_user(world.users.xiangtan_office)
    for name in (*READ, *WRITE, "contacts", "contact", "activity_new", "contact_new"):
        response = client.get(filled[name])
        assert response.status_code == 200, name


def test_readers_above_and_auditors_read_but_may_not_change(world, filled, as_user):
    for user in (world.users.hunan_office, world.users.xiangtan_auditor):
        client = as_user(user)
        for name in READ:
            assert client.get(filled[name]).status_code == 200, (user, name)
        for name in (*WRITE, "activity_new", "contact_new"):
            assert client.get(filled[name]).status_code == 403, (user, name)
        # Constituents' contacts stay with the committee's office and their owners.
        assert client.get(filled["contact"]).status_code == 404
        assert list(client.get(filled["contacts"]).context["page"]) == []


def test_a_member_opens_their_committees_pages_sees_their_own_and_no_staff_pages(
    world, filled, as_user
):
    client = as_user(world.users.member)
    for name in (
        "committee",
        "activities",
        "activity",
        "assignments",
        "groups",
        "plans",
        "plan",
        "activity_new",
        "contacts",
        "contact",
        "contact_new",
    ):
        assert client.get(filled[name]).status_code == 200, name
    for name in ("coverage", "dashboard"):
        assert client.get(filled[name]).status_code == 404, name
    for name in WRITE:
        assert client.get(filled[name]).status_code in (403, 404), name
    plan_page = client.get(filled["plan"])
    assert [row.seat.person.name for row in plan_page.context["rows"]] == ["刘敬民"]


def test_a_convener_sees_the_coverage_and_dashboard_of_their_sector(world, filled, as_user):
    client = as_user(world.users.convener)
    response = client.get(filled["coverage"])
    assert response.status_code == 200
    assert response.context["sector_limited"]
    assert {m.person.name for m in response.context["coverage"].members} <= {"王勇峰", "马继龙"}
    assert client.get(filled["dashboard"]).status_code == 200
    rows = client.get(filled["plan"]).context["rows"]
    assert {row.seat.person.name for row in rows} == {"王勇峰", "马继龙"}


def test_a_handling_unit_and_anonymous_visitors_see_no_liaison_page(world, filled, as_user):
    client = as_user(world.users.unit)
    for name in (*READ, *WRITE):
        assert client.get(filled[name]).status_code == 404, name
    anonymous = as_user(None)
    for name in READ:
        response = anonymous.get(filled[name])
        assert response.status_code == 302 and "/accounts/login/" in response.url


def shenzhen_url(route: str, name: str, pks: dict[str, str]) -> str:
    short = name.split(":")[1]
    values = {"code": "440300", "format": "xlsx", "token": "x" * 43}
    if "<int:pk>" in route:
        values["pk"] = pks[PK_OF[short]]
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[str(m.group(1))], route)


def test_no_role_reaches_shenzhens_liaison_records(world, as_user):
    """Every liaison URL, filled with Shenzhen's records, for every role of the `world`:
    403, 404 or 405 (anonymous: a log-in redirect), GET and POST — the public pages excepted."""
    pks = shenzhen_liaison_records(world)
    public = {"liaison:public_studios", "liaison:public_studio", "liaison:public_studio_ics"}
    own = {"liaison:index", "liaison:my", "liaison:my_calendar"}
    liaison_routes = [(r, n) for r, n in routes() if n and n.startswith("liaison:")]
    assert len(liaison_routes) >= 40
    for role in ROLES:
        client = as_user(getattr(world.users, role))
        for route, name in liaison_routes:
            if name in public or name in own:
                continue
            url = shenzhen_url(route, name, pks)
            for method in ("get", "post"):
                status = getattr(client, method)(url).status_code
                if role == "anonymous":
                    assert status in (302, 404, 405), (role, method, url, status)
                else:
                    assert status in (403, 404, 405), (role, method, url, status)


# --- Recording an activity on the page ---------------------------------------------------------


def test_the_form_shows_each_refusal_on_its_field_and_saves_nothing(world, as_user, settings):
    client = as_user(world.users.member)
    url = reverse("liaison:activity_new", args=["430300"])
    cases = [
        ({"date": ""}, "date", "The date is required."),
        ({"date": str(TODAY + datetime.timedelta(days=2))}, "date", "cannot be in the future"),
        (
            {"attachments": SimpleUploadedFile("virus.exe", b"MZ" + b"\0" * 50)},
            "attachments",
            "cannot be attached",
        ),
    ]
    for extra, field, message in cases:
        data = {"kind": "visit", "date": str(TODAY), "summary": "走访", **extra}
        response = client.post(url, data)
        assert response.status_code == 400
        assert message in str(response.context["form"].errors[field]), field
        assert message in response.content.decode()
    assert LiaisonActivity.objects.count() == 0
    assert LiaisonAttachment.objects.count() == 0


def test_a_member_records_a_visit_with_a_photo_and_sees_it(world, as_user):
    client = as_user(world.users.member)
    group = ConstituentGroupFactory(committee=world.xiangtan, name="雨湖区第一中学")
    assign(group, seat(world.both, world.xiangtan))
    response = client.post(
        reverse("liaison:activity_new", args=["430300"]),
        {
            "kind": "visit",
            "date": str(TODAY),
            "place": "雨湖区第一中学",
            "groups": [group.pk],
            "headcount": "15",
            "summary": "走访学校，了解课后服务情况",
            "attachments": SimpleUploadedFile("photo.png", png_bytes(), content_type="image/png"),
        },
    )
    activity = LiaisonActivity.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "liaison:activity", args=[activity.pk]
    )
    page = client.get(response.url).content.decode()
    attachment = activity.attachments.get()
    assert reverse("liaison:attachment", args=[attachment.pk]) in page
    served = client.get(reverse("liaison:attachment", args=[attachment.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == png_bytes()
    assert "/media/" not in page
    # Those who may not see the activity do not get its file.
    for outsider in (world.users.shenzhen_office, world.users.convener, world.users.unit):
        assert (
            as_user(outsider).get(reverse("liaison:attachment", args=[attachment.pk])).status_code
            == 404
        )


# --- Studios, days, transitions ---------------------------------------------------------------


def test_a_refused_step_is_a_message_on_the_page_not_an_error(world, filled, as_user):
    client = as_user(world.users.xiangtan_office)
    studio = Studio.objects.get(name="雨湖区委员工作室")
    response = client.post(
        reverse("liaison:studio_transition", args=[studio.pk]), {"action": "reopen"}, follow=True
    )
    assert response.status_code == 200
    assert "This cannot be done while the record is" in response.content.decode()
    response = client.post(
        reverse("liaison:studio_transition", args=[studio.pk]), {"action": "close"}, follow=True
    )
    assert "Please give a reason" in response.content.decode()
    assert Studio.objects.get(pk=studio.pk).status == "published"


def test_the_office_plans_and_publishes_a_day_from_the_calendar(world, filled, as_user):
    client = as_user(world.users.xiangtan_office)
    studio = Studio.objects.get(name="雨湖区委员工作室")
    liu = seat(world.both, world.xiangtan)
    date = TODAY + datetime.timedelta(days=10)
    response = client.post(
        reverse("liaison:studio_day_new", args=[studio.pk]),
        {"date": str(date), "start_time": "09:00", "end_time": "11:30", "members": [liu.pk]},
    )
    day = ReceptionDay.objects.get(date=date)
    assert response.url == reverse("liaison:receptionday", args=[day.pk])
    client.post(reverse("liaison:receptionday_transition", args=[day.pk]), {"action": "publish"})
    assert ReceptionDay.objects.get(pk=day.pk).status == "published"
    calendar = client.get(
        reverse("liaison:studio_calendar", args=[studio.pk]), {"month": f"{date:%Y-%m}"}
    )
    assert reverse("liaison:receptionday", args=[day.pk]) in calendar.content.decode()


def test_the_generator_form_plans_a_series_of_drafts(world, filled, as_user):
    client = as_user(world.users.xiangtan_office)
    studio = Studio.objects.get(name="雨湖区委员工作室")
    year = TODAY.year + 1
    response = client.post(
        reverse("liaison:studio_days_generate", args=[studio.pk]),
        {
            "first": f"{year}-01-01",
            "last": f"{year}-03-31",
            "rule": "monthly",
            "days": "10,20",
            "nth": "1",
            "weekday": "0",
            "start_time": "09:00",
            "end_time": "11:30",
        },
    )
    assert response.status_code == 302
    assert ReceptionDay.objects.filter(date__year=year, status="draft").count() == 6


# --- Personal data ----------------------------------------------------------------------------


def test_showing_a_phone_in_full_is_logged(world, filled, as_user):
    client = as_user(world.users.xiangtan_office)
    contact = ConstituentContact.objects.get()
    page = client.get(reverse("liaison:contact", args=[contact.pk])).content.decode()
    assert "139****5678" in page and "13912345678" not in page
    revealed = client.post(reverse("liaison:contact_reveal", args=[contact.pk]))
    assert "13912345678" in revealed.content.decode()
    assert PersonalDataAccess.objects.filter(object_id=str(contact.pk), fields="phone").exists()
    assert (
        as_user(world.users.hunan_office)
        .post(reverse("liaison:contact_reveal", args=[contact.pk]))
        .status_code
        == 404
    )


# --- Exports ----------------------------------------------------------------------------------


def test_exports_hold_what_the_list_shows(world, two_committees, as_user):
    client = as_user(world.users.xiangtan_office)
    record(
        world.xiangtan,
        members=[seat(world.xiangtan_only, world.xiangtan)],
        kind="forum",
        summary="座谈",
    )
    url = reverse("liaison:activities_export", args=["430300", "csv"])
    rows = list(
        csv.reader(
            io.StringIO(
                b"".join(client.get(url, {"kind": "forum"}).streaming_content).decode("utf-8-sig")
            )
        )
    )
    assert len(rows) == 2 and rows[1][4] == "王勇峰"
    xlsx = client.get(reverse("liaison:activities_export", args=["430300", "xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert book.active.max_row == 3  # header and two activities
    assignments = client.get(reverse("liaison:assignments_export", args=["430300", "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(assignments.streaming_content))).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["雨湖区第一中学"]
    assert (
        client.get(reverse("liaison:assignments_export", args=["430300", "pdf"])).status_code == 404
    )


# --- Query counts -----------------------------------------------------------------------------


def grow(world, n):
    """n more Xiangtan members, each with a group, an assignment, an activity and a duty day."""
    economy = world.sector[("430300", "经济界")]
    studio = StudioFactory(committee=world.xiangtan, name=f"工作室{n}")
    for i in range(n):
        member = MembershipFactory(
            person=PersonFactory(),
            term=world.terms["430300"],
            committee=world.xiangtan,
            sector=economy,
        )
        group = ConstituentGroupFactory(
            committee=world.xiangtan, sector=economy, area_name=f"区{i}", area_code=f"4303{i:02d}"
        )
        assign(group, member)
        record(
            world.xiangtan,
            members=[member],
            groups=[group] if i % 2 else [],
            date=TODAY - datetime.timedelta(days=i * 7),
        )
        reception_day(studio, date=TODAY + datetime.timedelta(days=i), members=[member])


@pytest.mark.parametrize(
    "name", ["coverage", "activities", "assignments", "groups", "dashboard", "plan", "studios"]
)
def test_staff_lists_are_a_constant_number_of_queries(
    world, filled, as_user, django_assert_max_num_queries, name
):
    client = as_user(world.users.xiangtan_office)
    url = filled[name]
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    grow(world, 25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_members_page_is_a_constant_number_of_queries(
    world, filled, as_user, django_assert_max_num_queries
):
    """My groups, my duty days, my activities and my progress: the same queries for 2 or 40."""
    client = as_user(world.users.member)
    url = reverse("liaison:my")
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    liu = seat(world.both, world.xiangtan)
    studio = Studio.objects.get(name="雨湖区委员工作室")
    for i in range(20):
        group = ConstituentGroupFactory(committee=world.xiangtan)
        assign(group, liu)
        record(
            world.xiangtan, members=[liu], groups=[group], date=TODAY - datetime.timedelta(days=i)
        )
        reception_day(studio, date=TODAY + datetime.timedelta(days=5 + i), members=[liu])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["liaison"]["assignments"]) == 22
    assert len(response.context["liaison"]["duty_days"]) == 10


def test_the_section_on_my_page_is_a_constant_number_of_queries(
    world, filled, as_user, monkeypatch, django_assert_max_num_queries
):
    """The liaison section on the member's page (portal:me): groups, duty days, activities and
    progress, for 2 or 40 of each, in the same number of queries."""
    client = as_user(world.users.member)
    url = reverse("portal:me")
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        html = client.get(url).content.decode()
    assert 'id="my-liaison"' in html and "liaison/liaison.css" in html
    liu = seat(world.both, world.xiangtan)
    studio = Studio.objects.get(name="雨湖区委员工作室")
    for i in range(20):
        group = ConstituentGroupFactory(committee=world.xiangtan)
        assign(group, liu)
        record(
            world.xiangtan, members=[liu], groups=[group], date=TODAY - datetime.timedelta(days=i)
        )
        reception_day(studio, date=TODAY + datetime.timedelta(days=5 + i), members=[liu])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["liaison"]["assignments"]) == 22


def test_the_public_directory_is_a_constant_number_of_queries(
    world, filled, as_user, django_assert_max_num_queries
):
    client = as_user(None)
    url = reverse("liaison:public_studios")
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for i in range(15):
        studio = StudioFactory(committee=world.xiangtan)
        StudioMember.objects.create(studio=studio, membership=seat(world.both, world.xiangtan))
        reception_day(
            studio,
            date=TODAY + datetime.timedelta(days=i + 1),
            members=[seat(world.both, world.xiangtan)],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"]) == 16
