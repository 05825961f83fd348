"""The Excel roster 委员名册: import (service, command, page), template and member-list export."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from lianluo.core import crypto
from lianluo.core.models import AuditEvent, PersonalDataAccess
from lianluo.directory import roster, services
from lianluo.directory.models import Membership, Person
from tests.factories import valid_id_number

pytestmark = pytest.mark.django_db

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
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OUYANG_ID = valid_id_number(11, datetime.date(1975, 3, 8))
LI_ID = valid_id_number(12, datetime.date(1980, 5, 20))
LIU_ID = valid_id_number(1)  # world.both, 刘敬民, born 1970-01-01


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages are asserted in English, the msgids, whatever the translations hold."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def xlsx(rows, headers=HEADERS, *, before=()):
    """An xlsx file (BytesIO) with `headers` on the first row (after `before` rows) and `rows`."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "名册"
    for line in before:
        sheet.append(line)
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    file = io.BytesIO()
    workbook.save(file)
    file.seek(0)
    file.name = "名册.xlsx"
    return file


def good_rows():
    """Two new people (one with a compound surname) and world.both, already seated in 教育界."""
    return [
        [
            "欧阳明远",
            "男",
            "汉族",
            datetime.datetime(1975, 3, 8),
            OUYANG_ID,
            "139 1234 5678",
            "中共党员",
            "湘潭大学教授",
            "教育界",
            "常委",
            "2022-01-01",
        ],
        [
            "李\u3000华",
            "女",
            "汉族",
            None,
            LI_ID,
            None,
            "九三学社社员",
            "湘潭市中心医院主任医师",
            "经济界",
            None,
            "2022/1/1",
        ],
        [
            "刘敬民",
            "男",
            None,
            None,
            LIU_ID,
            "13800138000",
            "无党派人士",
            "湘潭市某公司董事长",
            "教育界",
            "委员",
            "2022年1月1日",
        ],
    ]


def row(name, id_number, sector, start, gender="男", cells=None):
    """A roster row with the required cells, and other cells by header."""
    values = dict.fromkeys(HEADERS)
    values.update({"姓名": name, "性别": gender, "身份证号": id_number, "界别": sector})
    values.update({"任职日期": start, **(cells or {})})
    return [values[header] for header in HEADERS]


def import_as(world, file, *, user=None, dry_run=False):
    return roster.roster_import(
        file,
        committee=world.xiangtan,
        term=world.terms["430300"],
        by=user if user is not None else world.users.xiangtan_office,
        dry_run=dry_run,
    )


def totals():
    return Person.objects.count(), Membership.objects.count(), AuditEvent.objects.count()


def found(result):
    """The (row, column) of every problem."""
    return [(p.row, p.column) for p in result.problems]


# The import ----------------------------------------------------------------------------------


def test_a_good_roster_imports_and_a_second_import_changes_nothing(world):
    """New people and seats are created, the known ID number updates its person; importing the
    same file again creates nothing, changes nothing and records no audit event."""
    people, seats, events = totals()

    first = import_as(world, xlsx(good_rows()))

    assert first.ok, first.problems
    assert first.counts() == {
        "rows": 3,
        "people_created": 2,
        "people_updated": 1,
        "people_unchanged": 0,
        "seats_created": 2,
        "seats_changed": 0,
        "seats_unchanged": 1,
    }
    assert Person.objects.count() == people + 2
    assert Membership.objects.count() == seats + 2
    # 2 people and 2 seats created, 1 person changed, 1 summary of the import.
    assert AuditEvent.objects.count() == events + 6
    summary = AuditEvent.objects.get(action="import")
    assert summary.object_id == str(world.xiangtan.pk)
    assert summary.committee_id == world.xiangtan.pk
    assert summary.actor == world.users.xiangtan_office

    ouyang = Person.objects.get(id_number_digest=crypto.digest(OUYANG_ID))
    assert (ouyang.family_name, ouyang.given_name) == ("欧阳", "明远")
    assert ouyang.mobile == "13912345678"
    assert ouyang.affiliation == Person.Affiliation.CPC
    seat = ouyang.memberships.get()
    assert seat.role == Membership.Role.STANDING_MEMBER
    assert seat.sector == world.sector[("430300", "教育界")]
    assert seat.start_date == datetime.date(2022, 1, 1)
    li = Person.objects.get(id_number_digest=crypto.digest(LI_ID))
    assert li.name == "李华"
    assert li.birth_date == datetime.date(1980, 5, 20)  # read from the ID number
    assert li.memberships.get().role == Membership.Role.MEMBER  # empty 委员会职务
    world.both.refresh_from_db()
    assert world.both.workplace == "湘潭市某公司董事长"
    assert world.both.ethnicity == ""  # an empty cell keeps what is registered

    people, seats, events = totals()
    second = import_as(world, xlsx(good_rows()))

    assert second.ok
    assert second.changes == 0
    assert (second.people_unchanged, second.seats_unchanged) == (3, 3)
    assert not second.written
    assert totals() == (people, seats, events)


def test_a_changed_row_updates_only_what_changed(world):
    """A second file that moves one member to another sector and role changes that seat only."""
    import_as(world, xlsx(good_rows()))
    rows = good_rows()
    rows[0][8], rows[0][9] = "经济界", "副主席"
    events = AuditEvent.objects.count()

    result = import_as(world, xlsx(rows))

    assert (result.seats_changed, result.people_updated, result.people_unchanged) == (1, 0, 3)
    seat = Membership.objects.get(person__id_number_digest=crypto.digest(OUYANG_ID))
    assert (seat.sector.name, seat.role) == ("经济界", Membership.Role.VICE_CHAIR)
    assert AuditEvent.objects.count() == events + 2  # the seat's change and the summary


def test_a_bad_checksum_a_bad_phone_and_an_unknown_sector_are_one_problem_each(world):
    """Each bad cell is reported once, with its row and column, and nothing at all is written,
    not even the good rows."""
    rows = good_rows()
    rows[0][4] = OUYANG_ID[:-1] + ("0" if OUYANG_ID[-1] != "0" else "1")  # wrong check digit
    rows[1][5] = "1381234567"  # ten digits
    rows[2][8] = "体育界"  # not a sector of Xiangtan
    before = totals()

    result = import_as(world, xlsx(rows))

    assert not result.ok
    assert found(result) == [(2, "身份证号"), (3, "手机号码"), (4, "界别")]
    assert "check digit" in result.problems[0].message
    assert "体育界" in result.problems[2].message
    assert str(result.problems[1]).startswith("Row 3, column 手机号码: ")
    assert totals() == before


def test_the_same_id_number_twice_in_the_file_is_a_problem_on_the_second_row(world):
    """A person appears once per roster: the later row with the same ID number is reported,
    naming the first."""
    rows = good_rows()
    rows.append(row("欧阳明", OUYANG_ID, "教育界", "2022-01-01"))
    before = totals()

    result = import_as(world, xlsx(rows))

    assert found(result) == [(5, "身份证号")]
    assert "row 2" in result.problems[0].message
    assert totals() == before


def test_an_id_number_registered_to_another_name_is_a_problem(world):
    """A registered ID number under another name is more likely a typing error than a change of
    name: the row is refused instead of overwriting someone else's record."""
    rows = [row("张三", LIU_ID, "教育界", "2022-01-01")]

    result = import_as(world, xlsx(rows))

    assert found(result) == [(2, "身份证号")]
    world.both.refresh_from_db()
    assert world.both.name == "刘敬民"


def test_a_seated_namesake_without_an_id_number_is_a_duplicate_person(world):
    """王勇峰 holds a seat in this term with no ID number registered: a row 王勇峰 with an ID
    number would seat the same person twice, so it is refused."""
    rows = [row("王勇峰", LI_ID, "经济界", "2022-01-01")]

    result = import_as(world, xlsx(rows))

    assert found(result) == [(2, "姓名")]
    assert Person.objects.filter(name="王勇峰").count() == 1


def test_a_person_of_another_committee_gets_a_seat_and_their_data_updated(world):
    """姚明 sits in Shenzhen; his ID number in Xiangtan's roster is the same person: the import
    seats him in Xiangtan and updates his record, through the office's services."""
    yao = services.person_update(
        person=world.shenzhen_only,
        by=world.users.shenzhen_office,
        data={},
        id_number=valid_id_number(21),
    )
    rows = [
        row("姚明", valid_id_number(21), "经济界", "2023-1-5", cells={"工作单位及职务": "篮球协会"})
    ]

    result = import_as(world, xlsx(rows))

    assert (result.people_updated, result.seats_created) == (1, 1), result.problems
    yao.refresh_from_db()
    assert yao.workplace == "篮球协会"
    assert set(yao.memberships.values_list("committee__code", flat=True)) == {"440300", "430300"}


@pytest.mark.parametrize(
    "value",
    [
        "2023-03-01",
        "2023/3/1",
        "2023年3月1日",
        "2023 年 3 月 1 日",
        "20230301",
        datetime.datetime(2023, 3, 1),
        datetime.date(2023, 3, 1),
    ],
)
def test_dates_may_be_excel_dates_or_text_in_the_usual_forms(world, value):
    """任职日期 accepts an Excel date and YYYY-MM-DD, YYYY/MM/DD, YYYY年M月D日 (and YYYYMMDD)."""
    rows = [row("李华", LI_ID, "经济界", value, "女")]

    result = import_as(world, xlsx(rows))

    assert result.ok, result.problems
    seat = Membership.objects.get(person__id_number_digest=crypto.digest(LI_ID))
    assert seat.start_date == datetime.date(2023, 3, 1)


@pytest.mark.parametrize("value", ["2023-13-01", "2023-02-30", "三月一日", "03/01/2023", 45000])
def test_something_that_is_not_a_real_date_is_a_problem(world, value):
    """A month 13, 30 February, words or a day-first date are reported on their cell."""
    rows = [row("李华", LI_ID, "经济界", value, "女")]

    result = import_as(world, xlsx(rows))

    assert found(result) == [(2, "任职日期")]


def test_a_birth_date_that_disagrees_with_the_id_number_is_a_problem(world):
    """出生日期 must be the date that the ID number holds."""
    rows = [row("李华", LI_ID, "经济界", "2022-01-01", "女", cells={"出生日期": "1980-05-21"})]

    result = import_as(world, xlsx(rows))

    assert found(result) == [(2, "出生日期")]
    assert "1980-05-20" in result.problems[0].message


def test_values_outside_the_allowed_lists_are_problems(world):
    """性别, 政治面貌 and 委员会职务 take the values listed in the sheet 说明; required cells
    must be filled."""
    rows = [
        row(
            "李华", LI_ID, "经济界", None, "F", cells={"政治面貌": "党员同志", "委员会职务": "组长"}
        )
    ]

    result = import_as(world, xlsx(rows))

    assert found(result) == [(2, "性别"), (2, "政治面貌"), (2, "委员会职务"), (2, "任职日期")]


def test_an_id_number_that_excel_turned_into_a_number_is_explained(world):
    """An ID number typed into a number cell loses its last digits: the message says so."""
    rows = [row("李华", float(LI_ID[:17] + "0"), "经济界", "2022-01-01", "女")]

    result = import_as(world, xlsx(rows))

    assert found(result) == [(2, "身份证号")]
    assert "text" in result.problems[0].message


def test_unknown_and_missing_columns_are_problems_of_the_header_row(world):
    """An unknown header and each missing required column are reported on the header row."""
    headers = ["姓名", "性别", "身份证号", "爱好", "任职日期"]
    rows = [["李华", "女", LI_ID, "书法", "2022-01-01"]]
    before = totals()

    result = import_as(world, xlsx(rows, headers))

    assert found(result) == [(1, "爱好"), (1, "界别")]
    assert totals() == before


def test_a_title_row_above_the_header_and_empty_rows_are_skipped(world):
    """A title row above the header, other columns' order and fully empty rows do not matter;
    other names for a column (身份证号码) are understood."""
    headers = ["身份证号码", "姓名", "界别", "性别", "任职日期"]
    rows = [
        [LI_ID, "李华", "经济界", "女", "2022-01-01"],
        [None, None, None, None, None],
        ["", " ", None, None, None],
        [OUYANG_ID, "欧阳明远", "教育界", "男", "2022-01-01"],
    ]

    result = import_as(world, xlsx(rows, headers, before=[["湘潭市政协第十三届委员名册"]]))

    assert result.ok, result.problems
    assert (result.rows, result.people_created) == (2, 2)


def test_files_that_are_not_rosters_are_refused_as_a_whole(world):
    """Not an xlsx workbook, an old .xls, larger than 5 MB, or more than 5,000 rows: refused with
    a clear message, and nothing is written."""
    before = totals()
    refusals = {
        "text": io.BytesIO("姓名,性别\n".encode()),
        "xls": io.BytesIO(b"\xd0\xcf\x11\xe0" + b"\0" * 100),
        "zip": io.BytesIO(b"PK\x03\x04" + b"\0" * 100),
        "large": io.BytesIO(b"PK\x03\x04" + b"\0" * (5 * 1024 * 1024)),
        "long": xlsx([row("李华", LI_ID, "经济界", "2022-01-01", "女")] * 5001),
    }
    messages = {}
    for kind, file in refusals.items():
        with pytest.raises(roster.RosterRefused) as refused:
            import_as(world, file)
        messages[kind] = str(refused.value)
    assert "not an Excel workbook" in messages["text"]
    assert ".xls" in messages["xls"]
    assert "5 MB" in messages["large"]
    assert "5000" in messages["long"]
    assert totals() == before


def test_check_only_counts_the_changes_and_writes_nothing(world):
    """dry_run: the same checks and counts as a real import, and no row or event written."""
    before = totals()

    result = import_as(world, xlsx(good_rows()), dry_run=True)

    assert result.ok
    assert (result.people_created, result.seats_created) == (2, 2)
    assert not result.written
    assert totals() == before


# The command ---------------------------------------------------------------------------------


@pytest.fixture
def roster_path(tmp_path):
    def write(rows):
        path = tmp_path / "名册.xlsx"
        path.write_bytes(xlsx(rows).getvalue())
        return path

    return write


def test_the_command_with_dry_run_writes_nothing(world, roster_path, capsys):
    """--dry-run checks the file and prints what would change; nothing is written."""
    before = totals()

    call_command(
        "import_roster", roster_path(good_rows()), committee="430300", dry_run=True, verbosity=0
    )

    assert totals() == before
    assert "2 new" in capsys.readouterr().out


def test_the_command_imports_as_the_system(world, roster_path):
    """Without a user, the command creates, changes and records events with no actor, and a
    second run changes nothing."""
    call_command(
        "import_roster", roster_path(good_rows()), committee="430300", term=13, verbosity=0
    )

    assert Person.objects.filter(id_number_digest=crypto.digest(OUYANG_ID)).exists()
    world.both.refresh_from_db()
    assert world.both.affiliation == Person.Affiliation.NON_PARTY
    assert AuditEvent.objects.filter(action="import", actor__isnull=True).count() == 1
    assert not AuditEvent.objects.filter(actor__isnull=False).exists()

    before = totals()
    call_command("import_roster", roster_path(good_rows()), committee="430300", verbosity=0)
    assert totals() == before


def test_the_command_prints_every_problem_and_fails(world, roster_path, capsys):
    """A bad file makes the command fail after printing each problem with its row and column."""
    rows = good_rows()
    rows[1][5] = "12345"
    before = totals()

    with pytest.raises(CommandError):
        call_command("import_roster", roster_path(rows), committee="430300", verbosity=0)

    assert "Row 3, column 手机号码" in capsys.readouterr().err
    assert totals() == before


def test_the_command_refuses_an_unknown_committee_or_term(world, roster_path):
    """A committee code or term number that does not exist stops the command."""
    with pytest.raises(CommandError):
        call_command("import_roster", roster_path(good_rows()), committee="999999", verbosity=0)
    with pytest.raises(CommandError):
        call_command(
            "import_roster", roster_path(good_rows()), committee="430300", term=9, verbosity=0
        )


# The page ------------------------------------------------------------------------------------


def upload(rows):
    return SimpleUploadedFile("名册.xlsx", xlsx(rows).getvalue(), content_type=XLSX)


def test_the_office_imports_a_roster_on_the_page(world, client):
    """The committee's office sees the form (term preset to the current term), uploads the
    roster and gets the summary; the people are registered."""
    client.force_login(world.users.xiangtan_office)
    url = reverse("directory:roster_import", args=["430300"])

    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["term"] == world.terms["430300"]
    assert reverse("directory:roster_template", args=["430300"]) in page.content.decode()

    response = client.post(url, {"file": upload(good_rows()), "term": world.terms["430300"].pk})

    assert response.status_code == 200
    result = response.context["result"]
    assert result.written and result.people_created == 2
    assert Person.objects.filter(id_number_digest=crypto.digest(LI_ID)).exists()


def test_the_page_lists_every_problem_and_says_nothing_was_written(world, client):
    """A bad roster gives a table of row, column and message, and writes nothing."""
    client.force_login(world.users.xiangtan_office)
    rows = good_rows()
    rows[0][8] = "体育界"
    before = totals()

    response = client.post(
        reverse("directory:roster_import", args=["430300"]),
        {"file": upload(rows), "term": world.terms["430300"].pk},
    )

    html = response.content.decode()
    assert '<th scope="col">' in html
    assert "体育界" in html
    assert "Nothing was written" in html
    assert totals() == before


def test_check_only_on_the_page_writes_nothing(world, client):
    """With "check only" ticked the page shows what would change and writes nothing."""
    client.force_login(world.users.xiangtan_office)
    before = totals()

    response = client.post(
        reverse("directory:roster_import", args=["430300"]),
        {"file": upload(good_rows()), "term": world.terms["430300"].pk, "dry_run": "on"},
    )

    assert response.context["result"].dry_run
    assert response.context["result"].people_created == 2
    assert totals() == before


def test_the_page_refuses_a_file_that_is_not_xlsx(world, client):
    """A .csv upload is refused on the form's file field."""
    client.force_login(world.users.xiangtan_office)
    csv = SimpleUploadedFile("名册.csv", "姓名\n李华\n".encode(), content_type="text/csv")

    response = client.post(
        reverse("directory:roster_import", args=["430300"]),
        {"file": csv, "term": world.terms["430300"].pk},
    )

    assert response.context["form"].errors["file"]
    assert "result" not in response.context


def test_only_the_committees_office_may_import(world, client):
    """Another committee's office gets 404 (it cannot see Xiangtan); Xiangtan's auditor and the
    province's office (read-only here) get 403; so does the template download."""
    urls = [
        reverse("directory:roster_import", args=["430300"]),
        reverse("directory:roster_template", args=["430300"]),
    ]
    expected = {
        world.users.shenzhen_office: 404,
        world.users.xiangtan_auditor: 403,
        world.users.hunan_office: 403,
    }
    for user, status in expected.items():
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == status, (user, url)
        posted = client.post(urls[0], {"file": upload(good_rows())})
        assert posted.status_code == status
    assert not Person.objects.filter(id_number_digest=crypto.digest(LI_ID)).exists()


def test_the_template_download_is_an_xlsx_with_the_columns_and_the_instructions(world, client):
    """The template is an xlsx attachment: the roster sheet's first row holds the columns in
    order, and the sheet 说明 lists the allowed values, with the committee's sectors."""
    client.force_login(world.users.xiangtan_office)

    response = client.get(reverse("directory:roster_template", args=["430300"]))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["名册", "说明"]
    assert [c.value for c in workbook["名册"][1]] == HEADERS
    values = {c.value for row in workbook["说明"].iter_rows() for c in row}
    assert {"男", "女", "九三学社社员", "常委", "经济界", "教育界"} <= values
    assert workbook["名册"].data_validations.dataValidation  # drop-down lists


def test_the_empty_template_imports_as_a_roster_with_no_rows(world):
    """The template as downloaded is read without header problems (it only has no rows)."""
    file = io.BytesIO()
    roster.roster_template(world.xiangtan).save(file)
    file.seek(0)

    result = import_as(world, file)

    assert [p.message for p in result.problems] == ["The roster holds no rows."]


# The export ----------------------------------------------------------------------------------


def export(client, code="430300", **filters):
    response = client.get(reverse("directory:members_export", args=[code]), filters)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    response.content_bytes = b"".join(response.streaming_content)
    workbook = load_workbook(io.BytesIO(response.content_bytes))
    rows = list(workbook["名册"].iter_rows(values_only=True))
    return response, rows


def test_the_export_holds_what_the_list_shows_in_the_template_layout(world, client):
    """The export takes the page's filters (here one sector) and writes the template's columns,
    with full ID and mobile numbers for the committee's office; the export is logged."""
    import_as(world, xlsx(good_rows()))
    client.force_login(world.users.xiangtan_office)
    education = world.sector[("430300", "教育界")]

    response, rows = export(client, sector=education.pk)

    assert rows[0] == tuple(HEADERS)
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"欧阳明远", "刘敬民"}
    assert by_name["欧阳明远"][4] == OUYANG_ID
    assert by_name["欧阳明远"][5] == "13912345678"
    assert by_name["欧阳明远"][9] == "常委"
    assert by_name["欧阳明远"][6] == "中共党员"
    assert by_name["刘敬民"][3] == datetime.datetime(1970, 1, 1)
    log = PersonalDataAccess.objects.get()
    assert (log.kind, log.record_count, log.user) == ("export", 2, world.users.xiangtan_office)
    assert "id_number" in log.fields.split(",")
    assert response["Cache-Control"] == "no-store"


def test_the_export_masks_id_and_mobile_numbers_for_an_auditor(world, client):
    """A read-only auditor's export holds masked ID and mobile numbers, and is logged too."""
    import_as(world, xlsx(good_rows()))
    client.force_login(world.users.xiangtan_auditor)

    _response, rows = export(client, q="ouyang")

    assert len(rows) == 2
    assert rows[1][4] == OUYANG_ID[:4] + "*" * 10 + OUYANG_ID[-4:]
    assert rows[1][5] == "139****5678"
    log = PersonalDataAccess.objects.get()
    assert (log.kind, log.record_count) == ("export", 1)
    assert "id_number" not in log.fields.split(",")


def test_the_export_is_not_open_to_other_committees(world, client):
    """Staff who cannot read the committee get 404 and nothing is logged."""
    client.force_login(world.users.shenzhen_office)

    response = client.get(reverse("directory:members_export", args=["430300"]))

    assert response.status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_an_exported_list_imports_back_without_changes(world, client):
    """Export then import of the same list: the file round-trips, nothing changes."""
    import_as(world, xlsx(good_rows()))
    client.force_login(world.users.xiangtan_office)
    response, rows = export(client, sector=world.sector[("430300", "教育界")].pk)
    assert len(rows) == 3
    before = totals()

    result = import_as(world, io.BytesIO(response.content_bytes))

    assert result.ok, result.problems
    assert (result.changes, result.people_unchanged, result.seats_unchanged) == (0, 2, 2)
    assert totals() == before


def test_the_export_costs_the_same_number_of_queries_for_few_or_many_members(
    world, client, django_assert_max_num_queries
):
    """Three or thirty more members: the export runs the same queries."""
    client.force_login(world.users.xiangtan_office)
    url = reverse("directory:members_export", args=["430300"])
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        b"".join(client.get(url).streaming_content)
    rows = [
        row(f"张{chr(0x4E00 + i)}", valid_id_number(100 + i), "经济界", "2022-01-01")
        for i in range(30)
    ]
    import_as(world, xlsx(rows))
    with django_assert_max_num_queries(len(few)):
        b"".join(client.get(url).streaming_content)
