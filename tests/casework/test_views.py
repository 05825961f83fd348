"""Staff, member and unit pages: scoping, query counts, steps as forms, exports."""

import io

import openpyxl
import pytest

from lianluo.casework.models import Concern
from lianluo.core.models import PersonalDataAccess
from tests.casework.factories import bring_to, photo, submit

pytestmark = pytest.mark.django_db

INBOX = "/casework/c/430300/"


def test_the_inbox_is_a_constant_number_of_queries(cw, client, django_assert_max_num_queries):
    for state in ("received", "forwarded", "replied"):
        bring_to(cw, state)
    client.force_login(cw.users.xiangtan_office)
    client.get(INBOX)
    with django_assert_max_num_queries(20):
        first = client.get(INBOX)
    for state in ("received", "forwarded", "replied", "closed", "triaged"):
        bring_to(cw, state)
    with django_assert_max_num_queries(20):
        second = client.get(INBOX)
    assert first.status_code == second.status_code == 200
    assert second.content.decode().count('class="concern"') == 8


def test_the_inbox_filters_by_state_unit_category_and_overdue(cw, client):
    forwarded = bring_to(cw, "forwarded")
    received = submit(cw, topic="另一件事")
    client.force_login(cw.users.xiangtan_office)
    html = client.get(INBOX, {"status": "forwarded"}).content.decode()
    assert forwarded.display_code in html and received.display_code not in html
    html = client.get(INBOX, {"unit": cw.unit.pk}).content.decode()
    assert forwarded.display_code in html and received.display_code not in html
    html = client.get(INBOX, {"category": cw.roads.pk}).content.decode()
    assert forwarded.display_code in html
    html = client.get(INBOX, {"overdue": "true"}).content.decode()
    assert forwarded.display_code not in html
    html = client.get(INBOX, {"q": received.code.lower()}).content.decode()
    assert received.display_code in html


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("xiangtan_office", 200),
        ("hunan_office", 200),  # reads the committees below
        ("xiangtan_auditor", 200),
        ("shenzhen_office", 404),
        ("member", 404),
        ("unit", 404),
    ],
)
def test_who_opens_a_committees_inbox(cw, client, role, status):
    client.force_login(getattr(cw.users, role))
    assert client.get(INBOX).status_code == status


def test_held_submissions_stay_out_of_the_inbox_and_wait_in_moderation(cw, client):
    held = bring_to(cw, "held")
    client.force_login(cw.users.xiangtan_office)
    assert held.display_code not in client.get(INBOX).content.decode()
    moderation = client.get("/casework/c/430300/moderation/").content.decode()
    assert held.topic in moderation and "澳门赌场" in moderation


def test_the_concern_page_shows_the_timeline_and_the_users_next_steps(cw, client):
    concern = bring_to(cw, "forwarded")
    client.force_login(cw.users.unit)
    html = client.get(f"/casework/concerns/{concern.pk}/").content.decode()
    assert 'data-action="accept"' in html and 'data-action="return"' in html
    assert 'data-action="forward"' not in html
    assert html.count('data-verb="') == 3  # submit, triage, forward
    client.force_login(cw.users.xiangtan_auditor)
    html = client.get(f"/casework/concerns/{concern.pk}/").content.decode()
    assert "data-action=" not in html


def test_a_step_posted_from_the_page_is_taken(cw, client):
    concern = bring_to(cw, "handling")
    client.force_login(cw.users.unit)
    response = client.post(
        f"/casework/concerns/{concern.pk}/step/",
        {
            "action": "reply",
            "reply-text": "已经修复，谢谢。",
            "reply-outcome": "resolved",
            "reply-files": [photo("reply.jpg")],
        },
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.status == "replied"
    assert concern.replies.get().attachments.count() == 1


def test_a_refused_step_is_a_clear_page_not_a_server_error(cw, client):
    concern = bring_to(cw, "received")
    client.force_login(cw.users.xiangtan_office)
    response = client.post(
        f"/casework/concerns/{concern.pk}/step/",
        {"action": "close", "close-reason": "x"},
    )
    assert response.status_code == 409
    assert 'class="message error"' in response.content.decode()
    bad = client.post(f"/casework/concerns/{concern.pk}/step/", {"action": "triage"})
    assert bad.status_code == 400
    unknown = client.post(f"/casework/concerns/{concern.pk}/step/", {"action": "explode"})
    assert unknown.status_code == 302


def test_visible_but_not_allowed_is_403_and_invisible_is_404(cw, client):
    concern = bring_to(cw, "received")
    client.force_login(cw.users.xiangtan_auditor)
    assert (
        client.post(f"/casework/concerns/{concern.pk}/step/", {"action": "triage"}).status_code
        == 403
    )
    client.force_login(cw.users.unit)  # not assigned to its unit
    assert client.get(f"/casework/concerns/{concern.pk}/").status_code == 404
    client.force_login(cw.users.shenzhen_office)
    assert client.get(f"/casework/concerns/{concern.pk}/").status_code == 404


def test_a_unit_sees_only_what_is_assigned_to_it(cw, client):
    mine = bring_to(cw, "forwarded")
    other = submit(cw, topic="别的")
    client.force_login(cw.users.unit)
    html = client.get("/casework/unit/").content.decode()
    assert mine.display_code in html and other.display_code not in html
    client.force_login(cw.users.other_unit)
    assert mine.display_code not in client.get("/casework/unit/").content.decode()
    client.force_login(cw.users.member)
    assert client.get("/casework/unit/").status_code == 404


def test_a_member_sees_what_is_addressed_to_them(cw, client, django_assert_max_num_queries):
    addressed = bring_to(cw, "received")  # addressed to 刘敬民
    other = submit(cw, topic="未指定委员")
    client.force_login(cw.users.member)
    with django_assert_max_num_queries(12):
        html = client.get("/casework/mine/").content.decode()
    assert addressed.display_code in html and other.display_code not in html
    assert client.get(f"/casework/concerns/{other.pk}/").status_code == 404
    held = bring_to(cw, "held")
    assert client.get(f"/casework/concerns/{held.pk}/").status_code == 404


def test_attachments_are_served_only_to_those_who_see_the_concern(cw, client):
    concern = submit(cw, files=[photo()])
    attachment = concern.attachments.get()
    client.force_login(cw.users.xiangtan_office)
    response = client.get(f"/casework/attachments/{attachment.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(cw.users.shenzhen_office)
    assert client.get(f"/casework/attachments/{attachment.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/casework/attachments/{attachment.pk}/").status_code == 302


def test_personal_data_is_masked_and_revealing_it_is_logged(cw, client):
    concern = submit(cw, name="王先生", mobile="13912345678", consent=True)
    client.force_login(cw.users.xiangtan_office)
    html = client.get(f"/casework/concerns/{concern.pk}/").content.decode()
    assert "139****5678" in html and "13912345678" not in html
    revealed = client.post(f"/casework/concerns/{concern.pk}/reveal/")
    assert "13912345678" in revealed.content.decode()
    assert PersonalDataAccess.objects.filter(user=cw.users.xiangtan_office).count() == 1


def test_the_export_is_what_the_inbox_shows_with_masked_data(cw, client):
    forwarded = bring_to(cw, "forwarded", mobile="13912345678", consent=True)
    submit(cw, topic="不在筛选内")
    client.force_login(cw.users.xiangtan_office)
    response = client.get("/casework/c/430300/export.xlsx", {"status": "forwarded"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == forwarded.display_code
    assert "139****5678" in rows[1] and "13912345678" not in rows[1]


def test_bulk_forward_from_the_inbox(cw, client):
    a, b = bring_to(cw, "triaged"), bring_to(cw, "triaged")
    client.force_login(cw.users.xiangtan_office)
    response = client.post(
        "/casework/c/430300/forward/", {"concerns": [a.pk, b.pk], "bulk-unit": cw.unit.pk}
    )
    assert response.status_code == 302
    assert set(Concern.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True)) == {
        "forwarded"
    }
    client.force_login(cw.users.xiangtan_auditor)
    assert client.post("/casework/c/430300/forward/", {"concerns": [a.pk]}).status_code == 403


def test_members_enter_concerns_heard_in_person(cw, client):
    client.force_login(cw.users.member)
    assert client.get("/casework/c/430300/new/").status_code == 200
    response = client.post(
        "/casework/c/430300/new/",
        {"source": "visit", "topic": "走访听到：菜市场卫生差", "description": "菜市场卫生差"},
    )
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert concern.source == "visit" and concern.member == cw.member
    client.force_login(cw.users.unit)
    assert client.get("/casework/c/430300/new/").status_code == 404


def test_the_dashboard_renders_charts_without_inline_script(cw, client):
    bring_to(cw, "closed")
    client.force_login(cw.users.xiangtan_auditor)
    response = client.get("/casework/c/430300/dashboard/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-chart-source="chart-months"' in html
    assert 'id="chart-months" type="application/json"' in html
    assert "vendor/echarts.min.js" in html


def test_settings_pages_for_the_office(cw, client):
    client.force_login(cw.users.xiangtan_office)
    assert client.get("/casework/c/430300/settings/").status_code == 200
    response = client.post(
        "/casework/c/430300/settings/",
        {
            "default_deadline_days": 12,
            "reminder_days": 3,
            "reopen_window_days": 20,
            "rating_link_days": 30,
            "sms_enabled": "on",
            "public_intake": "on",
        },
    )
    assert response.status_code == 302
    response = client.post(
        "/casework/c/430300/categories/new/",
        {"name": "住房", "code": "housing", "deadline_days": 20, "position": 3, "is_active": "on"},
    )
    assert response.status_code == 302
    duplicate = client.post(
        "/casework/c/430300/categories/new/",
        {"name": "住房2", "code": "housing", "position": 4, "is_active": "on"},
    )
    assert duplicate.status_code == 400
    response = client.post("/casework/c/430300/open311/", {"name": "随手拍"})
    assert 'id="new-key"' in response.content.decode()
    response = client.post(
        "/casework/c/430300/endpoints/",
        {
            "unit": cw.unit.pk,
            "url": "https://unit.example/hook",
            "secret": "0123456789abcdef",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    response = client.post(
        "/casework/c/430300/screen/", {"term": "代开发票2", "kind": "keyword", "reason": "诈骗"}
    )
    assert response.status_code == 302
    client.force_login(cw.users.xiangtan_auditor)
    assert client.get("/casework/c/430300/settings/").status_code == 200
    assert client.post("/casework/c/430300/settings/", {}).status_code == 403


def test_my_section_lists_the_members_open_concerns(cw, rf):
    from lianluo.casework.views import my_section

    bring_to(cw, "forwarded")
    bring_to(cw, "closed")
    context = my_section(rf.get("/me/"), cw.member)
    assert context["casework_open_count"] == 1 and context["casework_closed_count"] == 1
    from django.template.loader import render_to_string

    html = render_to_string("casework/_my_section.html", context)
    assert "/casework/mine/" in html


def test_triage_shows_look_alike_open_concerns_and_merges_with_one_click(cw, client):
    earlier = submit(cw, topic="建设路路灯不亮", description="建设路北段路灯已经一个月不亮。")
    unrelated = submit(cw, topic="幼儿园学位紧张", description="孩子上不了附近的幼儿园。")
    later = submit(cw, topic="建设路的路灯不亮", description="建设路北段的路灯一直不亮。")
    client.force_login(cw.users.xiangtan_office)
    html = client.get(f"/casework/concerns/{later.pk}/").content.decode()
    assert earlier.code in html and unrelated.code not in html
    response = client.post(
        f"/casework/concerns/{later.pk}/step/", {"action": "merge", "merge-target": earlier.code}
    )
    assert response.status_code == 302
    later.refresh_from_db()
    assert later.status == "merged" and later.merged_into == earlier
