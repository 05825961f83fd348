"""The registry in a real browser: an office imports its roster and finds its members."""

import random

import openpyxl
import pytest

from lianluo.directory.models import Person
from lianluo.directory.services import _set_id_number
from tests.conftest import PASSWORD
from tests.core.test_chinese import SPORTS_SECTOR
from tests.factories import OrganizationFactory, valid_id_number

pytestmark = pytest.mark.django_db(transaction=True)

HEADERS = [
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "身份证号",
    "手机号码",
    "政治面貌",
    "工作单位及职务",
    "界别",
    "委员会职务",
    "任职日期",
]


def sports_roster(path):
    """The 21 sports-sector names in a random order. 刘敬民 (ID serial 1), 马继龙 (2) and
    王勇峰 (3) are registered already: the import moves their Xiangtan seats to 体育界."""
    known = {"刘敬民": 1, "马继龙": 2, "王勇峰": 3}
    names = list(SPORTS_SECTOR)
    random.Random(3).shuffle(names)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for serial, name in enumerate(names, start=100):
        id_number = valid_id_number(known.get(name, serial))
        role = "常委" if name == "刘敬民" else "委员"
        workplace = "某单位 职员"
        row = [name, "男", "汉族", "", id_number, "13900000000", "群众", workplace, "体育界"]
        sheet.append([*row, role, "2022-01-01"])
    book.save(path)
    return path


def log_in(journey, username):
    journey.goto("/accounts/login/")
    journey.check_accessibility()
    journey.page.fill("#id_username", username)
    journey.page.fill("#id_password", PASSWORD)
    journey.page.click("main button[type=submit]")


def test_office_imports_a_roster_and_finds_members_in_stroke_order(world, journey, tmp_path):
    OrganizationFactory(committee=world.xiangtan, classification="sector", name="体育界")
    for person, serial in ((world.convener, 2), (world.xiangtan_only, 3)):
        _set_id_number(person, valid_id_number(serial))
        person.save()
    roster = sports_roster(tmp_path / "roster.xlsx")
    page = journey.page

    log_in(journey, "xiangtan_office")
    page.wait_for_url("**/registry/c/430300/")
    journey.check_accessibility()

    page.click("a[href='/registry/c/430300/roster/']")
    journey.check_accessibility()
    page.set_input_files("input[type=file]", str(roster))
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    journey.check_accessibility()
    assert Person.objects.filter(name="韩爱萍").exists()

    journey.goto("/registry/c/430300/members/")
    page.select_option("select[name=sector]", label="体育界")
    page.wait_for_function(
        "() => document.querySelectorAll('#member-results tbody tr').length === 21"
    )
    journey.check_accessibility()
    listed = page.locator("#member-results tbody tr td:first-child").all_inner_texts()
    assert listed == list(SPORTS_SECTOR)

    page.click("#member-results a:text-is('刘敬民')")
    page.wait_for_url("**/registry/people/*/")
    journey.check_accessibility()
    # Two memberships: Hunan's (read-only here) and Xiangtan's, moved to 体育界 by the import.
    rows = page.locator("tr.membership")
    assert rows.count() == 2
    hunan = page.locator("tr.membership[data-committee='430000']")
    xiangtan = page.locator("tr.membership[data-committee='430300']")
    assert "体育界" in xiangtan.inner_text()
    assert xiangtan.locator("a").count() == 1  # its edit link
    assert hunan.locator("a").count() == 0
    journey.check_clean()


@pytest.mark.phone
def test_member_sees_all_own_memberships_on_a_phone(world, journey):
    """刘敬民 logs in on a phone and lands on his page with both committees' seats."""
    log_in(journey, "member_liu")
    journey.page.wait_for_url("**/me/")
    journey.check_accessibility()
    rows = journey.page.locator("tr.membership")
    assert rows.count() == 2
    text = " ".join(rows.all_inner_texts())
    assert "湖南省" in text and "湘潭市" in text
    assert "138****8000" in journey.page.content()
    journey.check_clean()
