"""The assessment pages: who sees what, what each shows, and bounded query counts."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from lianluo.assessment import services
from lianluo.assessment.models import (
    Assessment,
    MemberResult,
    Nomination,
    Objection,
    RulebookVersion,
    ScoreLine,
)
from lianluo.core.models import AuditEvent
from tests.assessment import records as r
from tests.assessment.factories import shenzhen_url_values
from tests.test_url_permissions import ROLES, directory_values, fill, routes

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not (r.installed("meetings") and r.installed("proposals") and r.installed("liaison")),
        reason="needs the meetings, proposals and liaison apps",
    ),
]


@pytest.fixture
def computed(xt):
    services.assessment_recompute(assessment=xt.assessment)
    return xt


def url(name, *args):
    return reverse(f"assessment:{name}", args=args)


def test_a_member_sees_their_score_line_by_line_with_links_to_records_and_rules(computed, client):
    """刘敬民's page: total, grade, the distance to 优秀, and every line linking to its record
    and to its rule in the rulebook."""
    client.force_login(computed.world.users.member)
    page = client.get(url("person", "430300", 2024, computed.world.both.pk))
    html = page.content.decode()
    assert page.status_code == 200
    assert "72.00" in html and "合格" in html and "18.00" in html
    for line in ScoreLine.objects.filter(
        assessment=computed.assessment, person=computed.world.both
    ):
        assert f'id="line-{line.pk}"' in html
        assert f"#rule-{line.rule_id}" in html
        if line.record_url:
            assert f'href="{line.record_url}"' in html
    assert f"/activities/{computed.visit.pk}/" in html
    assert "average" not in html.lower() and "平均" not in html


def test_a_member_cannot_see_another_members_score(computed, client):
    client.force_login(computed.world.users.member)
    other = client.get(url("person", "430300", 2024, computed.world.xiangtan_only.pk))
    assert other.status_code == 404
    assert client.get(url("results", "430300", 2024)).status_code == 404
    assert client.get(url("objections", "430300", 2024)).status_code == 404


def test_staff_above_read_but_do_not_change(computed, client):
    """Hunan's office reads Xiangtan's results; only Xiangtan's office may recompute."""
    client.force_login(computed.world.users.hunan_office)
    assert client.get(url("results", "430300", 2024)).status_code == 200
    assert client.post(url("recompute", "430300", 2024)).status_code == 403
    client.force_login(computed.world.users.xiangtan_office)
    response = client.post(url("recompute", "430300", 2024))
    assert response.status_code == 302
    client.force_login(computed.world.users.shenzhen_office)
    assert client.get(url("results", "430300", 2024)).status_code == 404


def test_the_results_page_ranks_and_grades_in_bounded_queries(
    computed, client, django_assert_max_num_queries
):
    client.force_login(computed.world.users.xiangtan_office)
    with django_assert_max_num_queries(20):
        page = client.get(url("results", "430300", 2024))
    rows = page.context["rows"]
    assert [(row["result"].person.name, row["rank"]) for row in rows] == [
        ("刘敬民", 1),
        ("马继龙", 2),
        ("王勇峰", 3),
    ]
    sector = computed.world.sector[("430300", "经济界")]
    page = client.get(url("results", "430300", 2024) + f"?sector={sector.pk}")
    assert [(row["result"].person.name, row["sector_rank"]) for row in page.context["rows"]] == [
        ("马继龙", 1),
        ("王勇峰", 2),
    ]
    without = client.get(url("results", "430300", 2024) + "?without=attendance")
    assert {row["result"].person.name for row in without.context["rows"]} == {"刘敬民"}


def test_an_invalid_rulebook_is_refused_with_its_line_and_nothing_saved(computed, client):
    client.force_login(computed.world.users.xiangtan_office)
    text = r.SMALL_RULEBOOK.replace("cap: 10}", "cap: -10}")
    response = client.post(url("rulebook", "430300", 2024), {"text": text, "save": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert [(p.line, p.code) for p in response.context["problems"]] == [(21, "negative_cap")]
    assert 'id="problems"' in html and "21" in html.split('id="problems"')[1].split("</ul>")[0]
    assert RulebookVersion.objects.count() == 1


def test_the_preview_shows_whose_totals_would_change_before_saving(computed, client):
    """Acceptance: the absence penalty −20 → −30 would change only 王勇峰: 25 → 15."""
    client.force_login(computed.world.users.xiangtan_office)
    text = r.SMALL_RULEBOOK.replace("points: -20", "points: -30")
    response = client.post(url("rulebook", "430300", 2024), {"text": text, "preview": "1"})
    rows = response.context["preview"]
    assert [(row.name, row.before, row.after, row.change) for row in rows] == [
        ("王勇峰", r.points(25), r.points(15), r.points(-10))
    ]
    assert "−" in response.content.decode() or "-10" in response.content.decode()
    assert RulebookVersion.objects.count() == 1  # nothing saved
    assert MemberResult.objects.get(person=computed.world.xiangtan_only).total == r.points(25)


def test_saving_a_rulebook_through_the_page(computed, client):
    client.force_login(computed.world.users.xiangtan_office)
    text = r.SMALL_RULEBOOK.replace("points: -20", "points: -30")
    response = client.post(
        url("rulebook", "430300", 2024), {"text": text, "note": "加重", "save": "1"}
    )
    assert response.status_code == 302
    assert RulebookVersion.objects.get(is_active=True).number == 2


def test_the_office_reads_an_earlier_version_against_the_active_one_and_restores_it(
    computed, client
):
    office = computed.world.users.xiangtan_office
    client.force_login(office)
    page = url("rulebook", "430300", 2024)
    changed = r.SMALL_RULEBOOK.replace("points: -20", "points: -30")
    client.post(page, {"text": changed, "note": "加重", "save": "1"})

    first = client.get(page + "?version=1")
    assert first.context["form"].initial["text"] == r.SMALL_RULEBOOK
    changes = [
        line for line in first.context["diff"] if line[:1] in "+-" and line[:3] not in "+++---"
    ]
    assert len(changes) == 2
    assert changes[0].startswith("-") and "points: -30" in changes[0]
    assert changes[1].startswith("+") and "points: -20" in changes[1]
    html = first.content.decode()
    assert escape(changes[0]) in html and 'href="?version=2#version"' in html
    # an unknown version shows the active text; a member sees no versions at all
    assert client.get(page + "?version=9").context["form"].initial["text"] == changed.strip()
    client.force_login(computed.world.users.member)
    member_page = client.get(page + "?version=1")
    assert member_page.status_code == 200
    assert "diff" not in member_page.context and "points: -30" not in member_page.content.decode()

    client.force_login(office)
    client.post(page, {"text": r.SMALL_RULEBOOK, "note": "恢复第1版", "save": "1"})
    restored = RulebookVersion.objects.get(is_active=True)
    assert restored.number == 3 and restored.text == r.SMALL_RULEBOOK.strip()


def test_a_frozen_years_rulebook_is_not_changed_until_the_year_is_reopened(computed, client):
    """The frozen results stay with the rules that made them."""
    services.assessment_freeze(
        assessment=computed.assessment, by=computed.world.users.xiangtan_office
    )
    client.force_login(computed.world.users.xiangtan_office)
    text = r.SMALL_RULEBOOK.replace("points: -20", "points: -30")
    response = client.post(url("rulebook", "430300", 2024), {"text": text, "save": "1"})
    assert response.status_code == 409
    errors = response.context["form"].non_field_errors()
    assert [e.code for e in errors.as_data()] == ["frozen"]
    assert escape(errors[0]) in response.content.decode()
    assert RulebookVersion.objects.count() == 1


def test_a_preview_of_a_year_not_started_writes_nothing(computed, client):
    client.force_login(computed.world.users.xiangtan_office)
    text = r.SMALL_RULEBOOK.replace("year: 2024", "year: 2025")
    response = client.post(url("rulebook", "430300", 2025), {"text": text, "preview": "1"})
    assert response.status_code == 200 and response.context["previewed"]
    assert not Assessment.objects.filter(year=2025).exists()


def test_an_example_rulebook_is_offered_for_the_year_of_the_page(computed, client):
    client.force_login(computed.world.users.xiangtan_office)
    page = client.get(url("rulebook", "430300", 2025) + "?example=tongcheng-2019")
    text = page.context["form"].initial["text"]
    assert "\nyear: 2025\n" in text and "year: 2019" not in text
    assert services.rulebook_check(text=text, year=2025) == []


def test_a_member_files_an_objection_and_the_office_accepts_it(computed, client):
    line = ScoreLine.objects.filter(assessment=computed.assessment, person=computed.world.both)[0]
    client.force_login(computed.world.users.member)
    form = client.get(
        url("person_object", "430300", 2024, computed.world.both.pk) + f"?line={line.pk}"
    )
    assert form.status_code == 200
    response = client.post(
        url("person_object", "430300", 2024, computed.world.both.pk),
        {"line": line.pk, "text": "这件提案是联名提案"},
    )
    objection = Objection.objects.get()
    assert response.url == url("objection", objection.pk)
    assert client.get(url("objection", objection.pk)).status_code == 200
    client.force_login(computed.world.users.xiangtan_office)
    response = client.post(
        url("objection", objection.pk),
        {"action": "accept", "reason": "核实", "points": "-5", "part": "performance"},
    )
    assert response.status_code == 302
    assert MemberResult.objects.get(person=computed.world.both).total == r.points(67)


def test_a_member_may_not_decide_their_own_objection(computed, client):
    objection = services.objection_submit(
        assessment=computed.assessment,
        person=computed.world.both,
        by=computed.world.users.member,
        text="少算了",
    )
    client.force_login(computed.world.users.member)
    page = client.get(url("objection", objection.pk))
    assert page.context["can_decide"] is False and page.context["can_withdraw"] is True
    client.post(url("objection", objection.pk), {"action": "accept", "reason": "x"})
    assert Objection.objects.get().status == "submitted"
    client.post(url("objection", objection.pk), {"action": "withdraw"})
    assert Objection.objects.get().status == "withdrawn"


def test_the_dashboard_shows_counts_with_their_charts(
    computed, client, django_assert_max_num_queries
):
    client.force_login(computed.world.users.xiangtan_office)
    with django_assert_max_num_queries(20):
        page = client.get(url("dashboard", "430300", 2024))
    html = page.content.decode()
    assert 'data-chart-source="chart-distribution"' in html
    assert 'id="chart-distribution" type="application/json"' in html
    assert "<script>" not in html.replace('type="application/json"', "")  # no inline script
    assert page.context["data"]["graded"] == 3


def test_every_assessment_page_is_closed_to_other_committees(computed, client):
    """The URL walk of tests/test_url_permissions.py over this app's pages, filled with
    Shenzhen's rows (tests/assessment/factories.py): every role gets 403/404 (anonymous: the
    log-in page)."""
    values = {"directory": directory_values(computed.world)}
    values["assessment"] = shenzhen_url_values(computed.world)
    own = values["assessment"]["own"]
    for role in ROLES:
        user = getattr(computed.world.users, role)
        client.logout()
        if user is not None:
            client.force_login(user)
        for route, name in routes():
            if not name.startswith("assessment:") or name in own:
                continue
            link = fill(route, name, values)
            for method in ("get", "post"):
                status = getattr(client, method)(link).status_code
                if user is None:
                    assert status == 302, (role, method, link, status)
                else:
                    assert status in (403, 404, 405), (role, method, link, status)


def test_documents_bulletin_pdf_has_the_chinese_names_and_the_dossier_docx_the_proposals(
    computed, client
):
    """The bulletin PDF's text (extracted with pypdf) holds the members' Chinese names; the
    dossier DOCX opens with python-docx and lists the member's proposals."""
    import io

    import docx
    import pypdf

    client.force_login(computed.world.users.xiangtan_office)
    pdf = client.get(url("bulletin", "430300", 2024, "pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    for name in ("刘敬民", "王勇峰", "马继龙", "合格"):
        assert name in text
    client.force_login(computed.world.users.member)
    response = client.get(url("person_dossier", "430300", 2024, computed.world.both.pk, "docx"))
    document = docx.Document(io.BytesIO(response.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert computed.proposal_a.title in cells
    assert computed.report.title in cells
    assert any("刘敬民" in p.text for p in document.paragraphs)


def test_the_dossiers_of_a_committee_are_made_in_the_background_as_one_zip(
    computed, client, django_capture_on_commit_callbacks
):
    import io
    import zipfile

    from lianluo.assessment.models import DocumentBatch

    client.force_login(computed.world.users.xiangtan_office)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("documents", "430300", 2024), {"kind": "dossiers"})
    batch = DocumentBatch.objects.get()
    assert (batch.status, batch.documents) == ("done", 3)
    download = client.get(url("batch", batch.pk))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = archive.namelist()
    assert len(names) == 6 and any("刘敬民" in name for name in names)


def test_warnings_and_nominations_pages(computed, client):
    second = r.meeting(computed.world.xiangtan, computed.world.terms["430300"], day="2024-09-01")
    r.attendance(second, computed.seats["wang"], "absent")
    services.assessment_recompute(assessment=computed.assessment)
    client.force_login(computed.world.users.xiangtan_office)
    listing = client.get(url("warnings", "430300", 2024))
    warning = listing.context["page"][0]
    response = client.post(
        url("warning", warning.pk),
        {"kind": "reminder_talk", "happened_on": timezone.localdate().isoformat(), "note": "谈话"},
    )
    assert response.status_code == 302
    nominate = client.post(
        url("nominations", "430300", 2024),
        {"person": computed.world.both.pk, "reason": "优秀", "nominate": "1"},
    )
    assert nominate.status_code == 302
    assert client.get(url("nominations", "430300", 2024)).status_code == 200


def test_the_office_withdraws_a_nomination_with_a_reason(computed, client):
    office = computed.world.users.xiangtan_office
    client.force_login(office)
    page = url("nominations", "430300", 2024)
    client.post(page, {"person": computed.world.both.pk, "reason": "优秀", "nominate": "1"})
    nomination = Nomination.objects.get(assessment=computed.assessment)
    assert f'name="withdraw" value="{nomination.pk}"' in client.get(page).content.decode()

    refused = client.post(page, {"withdraw": nomination.pk, "reason": "  "}, follow=True)
    assert "请说明撤回提名的理由" in refused.content.decode()
    assert Nomination.objects.filter(pk=nomination.pk).exists()

    client.force_login(computed.world.users.member)
    assert client.post(page, {"withdraw": nomination.pk, "reason": "x"}).status_code in (403, 404)
    assert Nomination.objects.filter(pk=nomination.pk).exists()

    client.force_login(office)
    done = client.post(page, {"withdraw": nomination.pk, "reason": "名额调整"}, follow=True)
    assert "提名已撤回" in done.content.decode()
    assert not Nomination.objects.filter(pk=nomination.pk).exists()
    event = AuditEvent.objects.filter(action="delete", reason="名额调整").get()
    assert event.actor_id == office.pk
    gone = client.post(page, {"withdraw": nomination.pk, "reason": "again"}, follow=True)
    assert "该提名已不存在" in gone.content.decode()


def test_the_dossiers_of_the_whole_term_are_made_as_one_zip(
    computed, client, django_capture_on_commit_callbacks
):
    """The term's ZIP holds each member's dossier from the term's first day: a meeting of the
    year before is in it, not in the year's ZIP."""
    import io
    import zipfile

    import docx

    from lianluo.assessment.models import DocumentBatch

    earlier = r.meeting(
        computed.world.xiangtan,
        computed.world.terms["430300"],
        day="2023-05-01",
        title="旧年协商会",
    )
    r.attendance(earlier, computed.seats["liu"], "present")
    client.force_login(computed.world.users.xiangtan_office)

    def liu_dossier(kind):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url("documents", "430300", 2024), {"kind": kind})
        batch = DocumentBatch.objects.filter(kind=kind).get()
        assert (batch.status, batch.documents) == ("done", 3)
        assert batch.file.name.endswith("-term-dossiers.zip" if kind == "term" else "-dossiers.zip")
        archive = zipfile.ZipFile(batch.file.open("rb"))
        name = next(n for n in archive.namelist() if "刘敬民" in n and n.endswith(".docx"))
        document = docx.Document(io.BytesIO(archive.read(name)))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return " ".join([*cells, *(p.text for p in document.paragraphs)])

    term_text = liu_dossier("term")
    assert "旧年协商会" in term_text and "第13届" in term_text
    assert "旧年协商会" not in liu_dossier("dossiers")
    page = client.get(url("documents", "430300", 2024)).content.decode()
    assert "整届履职档案" in page
