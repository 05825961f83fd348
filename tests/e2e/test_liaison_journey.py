"""Studios and liaison in a real browser: a constituent finds a studio and who is on duty; a
member records a visit with a photo on a phone; the office reads coverage and the dashboard."""

import datetime

import pytest
from django.utils import timezone
from PIL import Image

from lianluo.liaison.models import LiaisonActivity, StudioMember
from tests.conftest import PASSWORD
from tests.liaison.factories import (
    ConstituentGroupFactory,
    StudioFactory,
    assign,
    plan,
    reception_day,
    record,
    seat,
)

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(journey, username):
    journey.goto("/accounts/login/")
    journey.check_accessibility()
    journey.page.fill("#id_username", username)
    journey.page.fill("#id_password", PASSWORD)
    journey.page.click("main button[type=submit]")
    journey.page.wait_for_load_state()


def test_a_constituent_finds_a_studio_by_area_and_sees_who_is_on_duty_next(world, journey):
    today = timezone.localdate()
    yuhu = StudioFactory(
        committee=world.xiangtan, name="雨湖区委员工作室", reception_note="每月10日、20日"
    )
    StudioFactory(
        committee=world.xiangtan, name="岳塘区委员工作室", area_name="岳塘区", area_code="430304"
    )
    liu = seat(world.both, world.xiangtan)
    wang = seat(world.xiangtan_only, world.xiangtan)
    StudioMember.objects.create(studio=yuhu, membership=liu, role="host")
    next_day = today + datetime.timedelta(days=4)
    reception_day(yuhu, date=today - datetime.timedelta(days=6), members=[wang])
    reception_day(yuhu, date=next_day, members=[liu, wang])
    page = journey.page

    journey.goto("/liaison/studios/")
    journey.check_accessibility()
    assert page.locator(".studio-card").count() == 2
    page.select_option("select[name=area]", value="430302")
    page.click("#studio-search button[type=submit]")
    page.wait_for_url("**/liaison/studios/?*area=430302*")
    journey.check_accessibility()
    assert page.locator(".studio-card").count() == 1
    card = page.locator(".studio-card")
    assert "雨湖区委员工作室" in card.inner_text()
    assert f"{next_day:%Y-%m-%d}" in card.locator(".next-day").inner_text()

    card.locator("h2 a").click()
    page.wait_for_url(f"**/liaison/studios/{yuhu.pk}/")
    journey.check_accessibility()
    next_reception = page.locator(".next-reception")
    assert f"{next_day:%Y-%m-%d} 09:00–11:30" in next_reception.inner_text()
    assert page.locator(".next-reception .duty-name").all_inner_texts() == ["王勇峰", "刘敬民"]
    assert "0731-58221234" in page.content()
    assert "13800138000" not in page.content()  # a member's own phone is never shown
    journey.check_clean()


@pytest.mark.phone
def test_a_member_records_a_visit_with_a_photo_on_a_phone_and_sees_it_and_the_progress(
    world, journey, tmp_path, monkeypatch
):
    today = timezone.localdate()
    school = ConstituentGroupFactory(committee=world.xiangtan, name="雨湖区第一中学")
    assign(school, seat(world.both, world.xiangtan))
    plan(
        world.xiangtan,
        year=today.year,
        tasks=[{"metric": "contacts", "target": 4, "description": "全年联系界别群众不少于4次"}],
    )
    photo = tmp_path / "visit.png"
    Image.new("RGB", (640, 480), (164, 22, 26)).save(photo)
    page = journey.page

    log_in(journey, "member_liu")
    page.wait_for_url("**/me/")  # a member lands on "my page"
    journey.check_accessibility()
    assert "0 / 4" in page.locator(".plan-progress").inner_text()

    page.click(".my-liaison a[data-committee='430300']")
    page.wait_for_url("**/liaison/c/430300/activities/new/")
    journey.check_accessibility()
    page.select_option("#id_kind", value="visit")
    assert page.input_value("#id_date") == f"{today:%Y-%m-%d}"
    page.fill("#id_place", "雨湖区第一中学")
    page.select_option("#id_groups", label="雨湖区第一中学")
    page.fill("#id_headcount", "15")
    page.fill("#id_summary", "走访学校，听取教师对课后服务的意见建议3条。")
    page.set_input_files("#id_attachments", str(photo))
    page.click("#activity-form button[type=submit]")
    page.wait_for_url("**/liaison/activities/*/")
    journey.check_accessibility()
    activity = LiaisonActivity.objects.get()
    assert activity.attachments.count() == 1
    image = page.locator("ul.photos img")
    assert image.count() == 1
    assert image.evaluate("img => img.complete && img.naturalWidth") == 640

    journey.goto("/me/")
    journey.check_accessibility()
    mine = page.locator(".my-activities")
    assert f"{today:%Y-%m-%d}" in mine.inner_text()
    assert "1 / 4" in page.locator(".plan-progress").inner_text()
    journey.check_clean()


def test_the_office_reads_coverage_and_the_dashboard(world, journey):
    today = timezone.localdate()
    liu = seat(world.both, world.xiangtan)
    reached = ConstituentGroupFactory(committee=world.xiangtan, name="雨湖区餐饮行业协会")
    ConstituentGroupFactory(
        committee=world.xiangtan, name="岳塘区某社区", area_name="岳塘区", area_code="430304"
    )
    record(
        world.xiangtan,
        members=[liu],
        groups=[reached],
        date=today - datetime.timedelta(days=3),
        sector=world.sector[("430300", "教育界")],
    )
    page = journey.page

    log_in(journey, "xiangtan_office")
    journey.goto("/liaison/c/430300/coverage/")
    journey.check_accessibility()
    assert page.locator("tr.quiet-group").all_inner_texts()[0].startswith("岳塘区某社区")
    page.select_option("#coverage-days", value="30")
    page.wait_for_url("**/coverage/?days=30")
    journey.check_accessibility()

    journey.goto("/liaison/c/430300/dashboard/")
    page.wait_for_selector(".chart svg")
    journey.check_accessibility()
    assert page.locator(".chart svg").count() == 3
    journey.check_clean()
