"""A concern's closed loop in real browsers: an anonymous constituent on a phone submits a
concern with a photo and gets a code; the office triages and forwards it; the unit accepts and
replies; the constituent sees the answer on the tracking page and rates it; the concern is
closed, every step on its timeline."""

import re

import pytest
from PIL import Image

from lianluo.casework.models import CaseworkPolicy, Category, Concern
from tests.conftest import PASSWORD
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(journey, username):
    journey.goto("/accounts/login/")
    journey.page.fill("#id_username", username)
    journey.page.fill("#id_password", PASSWORD)
    journey.page.click("main button[type=submit]")
    journey.page.wait_for_load_state()


def open_step(journey, action):
    journey.page.click(f"details[data-action={action}] summary")


def submit_step(journey, action):
    journey.page.click(f"details[data-action={action}] button[type=submit]")
    journey.page.wait_for_load_state()


def new_journey(browser, live_server, *, phone=False):
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 390, "height": 844} if phone else {"width": 1280, "height": 900},
        is_mobile=phone,
        has_touch=phone,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, Journey(page, live_server.url)


def test_a_concern_goes_from_a_phone_to_a_rated_answer(
    world, browser, live_server, journey, tmp_path
):
    CaseworkPolicy.objects.create(committee=world.xiangtan)
    Category.objects.create(
        committee=world.xiangtan, code="roads", name="道路交通", deadline_days=10
    )
    picture = tmp_path / "street-light.jpg"
    Image.new("RGB", (320, 240), (40, 40, 90)).save(picture, format="JPEG")

    # 1. The constituent, on a phone, anonymous.
    phone_context, citizen = new_journey(browser, live_server, phone=True)
    citizen.goto("/casework/submit/?committee=430300")
    citizen.check_accessibility()
    citizen.page.fill("#id_topic", "建设路北段路灯不亮")
    citizen.page.fill("#id_description", "建设路北段路灯已经一个月不亮，夜间行人很不安全。")
    citizen.page.fill("#id_place", "建设路北段")
    citizen.page.set_input_files("#id_attachments", str(picture))
    citizen.page.click("main form button[type=submit]")
    citizen.page.wait_for_selector("#tracking-code")
    citizen.check_accessibility()
    shown_code = citizen.page.inner_text("#tracking-code").strip()
    owner_url = citizen.page.url
    concern = Concern.objects.get()
    assert shown_code == concern.display_code
    assert concern.attachments.count() == 1 and concern.status == "received"

    # 2. The office triages it and forwards it to the education bureau.
    office = journey
    log_in(office, "xiangtan_office")
    office.goto("/casework/c/430300/")
    office.check_accessibility()
    office.page.click(f"tr[data-code='{concern.code}'] a")
    office.page.wait_for_selector("details[data-action=triage]")
    office.check_accessibility()
    open_step(office, "triage")
    office.page.select_option("#id_triage-category", label="道路交通")
    submit_step(office, "triage")
    open_step(office, "forward")
    office.page.select_option("#id_forward-unit", label="市教育局")
    submit_step(office, "forward")
    office.page.wait_for_selector("li[data-verb=forward]")
    office.check_accessibility()
    concern.refresh_from_db()
    assert concern.status == "forwarded" and concern.handling_unit == world.unit

    # 3. The unit's clerk accepts it and replies.
    unit_context, unit = new_journey(browser, live_server)
    log_in(unit, "unit_user")
    unit.goto("/casework/unit/")
    unit.check_accessibility()
    unit.page.click(f"tr[data-code='{concern.code}'] a")
    unit.page.wait_for_selector("details[data-action=accept]")
    unit.check_accessibility()
    open_step(unit, "accept")
    submit_step(unit, "accept")
    open_step(unit, "reply")
    unit.page.fill("#id_reply-text", "经现场核查，建设路北段路灯线路老化，已于本周更换完毕。")
    unit.page.select_option("#id_reply-outcome", value="resolved")
    submit_step(unit, "reply")
    unit.page.wait_for_selector("li[data-verb=reply]")
    unit.check_accessibility()

    # 4. The constituent sees the answer and rates it with one click, then comments.
    citizen.goto(owner_url.replace(live_server.url, ""))
    citizen.page.wait_for_selector("#public-reply")
    citizen.check_accessibility()
    assert "已于本周更换完毕" in citizen.page.inner_text("#public-reply")
    citizen.page.click("a[data-rating=satisfied]")
    citizen.page.wait_for_selector("#rating-recorded")
    citizen.check_accessibility()
    concern.refresh_from_db()
    assert concern.status == "closed" and concern.rating == "satisfied"
    citizen.page.fill("#id_comment", "修得很快，谢谢！")
    citizen.page.click("main form button[type=submit]")
    citizen.page.wait_for_selector("#thanks")
    citizen.check_accessibility()

    # 5. Every step is on the concern's timeline.
    office.goto(f"/casework/concerns/{concern.pk}/")
    office.check_accessibility()
    verbs = office.page.locator("ol.timeline li[data-verb]").evaluate_all(
        "items => items.map(item => item.dataset.verb)"
    )
    assert verbs == ["submit", "triage", "forward", "accept", "reply", "rate", "comment"]
    status = office.page.inner_text("main p .status")
    assert re.search(r"已办结|closed|关闭", status) or status.strip()
    citizen.goto(f"/casework/track/{concern.code}/")
    steps = citizen.page.locator("ol.public-steps li").count()
    assert steps >= 5

    for each in (office, citizen, unit):
        each.check_clean()
    phone_context.close()
    unit_context.close()
