"""The constituent's pages: submit, the rate limit, tracking, the one-click rating."""

import datetime
import re

import pytest
import time_machine
from django.core import signing

from lianluo.casework import codes
from lianluo.casework.models import Concern
from tests.casework.factories import bring_to, photo, submit

pytestmark = pytest.mark.django_db

FORM = "/casework/submit/?committee=430300"


def form_data(**overrides):
    data = {
        "topic": "建设路路灯不亮",
        "description": "建设路北段路灯已经一个月不亮。",
        "place": "建设路",
        "name": "",
        "mobile": "",
        "website": "",
    }
    data.update(overrides)
    return data


def test_the_form_is_reachable_without_logging_in(cw, client):
    response = client.get(FORM)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="website"' in html and 'class="hp"' in html
    assert "道路交通" in html  # the committee's categories
    assert client.get("/casework/submit/").status_code == 200  # choose a committee first


def test_a_submission_gets_a_code_and_the_owners_tracking_page(cw, client):
    response = client.post(FORM, {**form_data(), "attachments": [photo()]})
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert concern.attachments.count() == 1
    assert response.url.startswith(f"/casework/track/{concern.code}/?key=")
    page = client.get(response.url)
    html = page.content.decode()
    assert concern.display_code in html and "建设路路灯不亮" in html
    assert page["Cache-Control"] == "private, no-store"


def test_bad_input_shows_the_form_again_with_errors(cw, client):
    response = client.post(FORM, form_data(topic="", mobile="123"))
    assert response.status_code == 400
    assert not Concern.objects.exists()
    response = client.post(FORM, form_data(mobile="13912345678"))  # no consent
    assert response.status_code == 400
    assert 'id="id_consent"' in response.content.decode()


def test_text_is_rendered_escaped(cw, client):
    client.post(FORM, form_data(topic="<script>alert(1)</script>"))
    concern = Concern.objects.get()
    html = client.get(f"/casework/track/{concern.code}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_the_eleventh_submission_within_a_minute_is_refused_and_none_before_is_lost(cw, client):
    codes_shown = []
    for i in range(10):
        response = client.post(FORM, form_data(topic=f"第{i}条诉求"))
        assert response.status_code == 302
        codes_shown.append(re.search(r"/track/(\w+)/", response.url).group(1))
    refused = client.post(FORM, form_data(topic="第11条诉求"), headers={"Accept-Language": "en"})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "Everything sent before was received" in refused.content.decode()
    assert Concern.objects.filter(code__in=codes_shown).count() == 10
    assert not Concern.objects.filter(topic="第11条诉求").exists()
    other = client.post(FORM, form_data(topic="另一地址"), REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302
    with time_machine.travel(datetime.timedelta(minutes=2)):
        assert client.post(FORM, form_data(topic="一会儿之后")).status_code == 302


def test_one_mobile_number_is_limited_across_addresses(cw, client):
    for i in range(5):
        response = client.post(
            FORM,
            form_data(mobile="13912345678", consent="on"),
            REMOTE_ADDR=f"10.0.0.{i}",
        )
        assert response.status_code == 302
    refused = client.post(
        FORM, form_data(mobile="13912345678", consent="on"), REMOTE_ADDR="10.0.0.99"
    )
    assert refused.status_code == 429


def test_the_tracking_page_shows_the_public_view_only(cw, client):
    concern = bring_to(cw, "replied", name="王先生", mobile="13912345678", consent=True)
    html = client.get(f"/casework/track/{concern.code}/").content.decode()
    assert "已修复" in html  # the answer
    assert "王" not in html.replace("王府", "") or "王先生" not in html
    assert "139" not in html
    assert "市教育局" in html
    assert "/casework/rate/" not in html  # rating needs the owner's key
    assert "理由" not in html  # internal reasons stay internal


def test_a_code_typed_with_dashes_or_lower_case_finds_the_concern(cw, client):
    concern = submit(cw)
    typed = f"{concern.code[:5].lower()}-{concern.code[5:]}"
    response = client.get("/casework/track/", {"code": typed})
    assert response.status_code == 302 and response.url == f"/casework/track/{concern.code}/"
    wrong = concern.code[:-1] + ("A" if concern.code[-1] != "A" else "B")
    assert client.get("/casework/track/", {"code": wrong}).status_code == 400


def test_held_and_unknown_codes_are_not_found(cw, client):
    held = bring_to(cw, "held")
    assert client.get(f"/casework/track/{held.code}/").status_code == 404
    assert client.get(f"/casework/track/{codes.new_code()}/").status_code == 404


def test_the_merged_code_shows_the_earlier_concerns_progress(cw, client):
    from tests.casework.factories import step

    earlier = bring_to(cw, "handling")
    duplicate = submit(cw, topic="同一路灯")
    step(duplicate, "merge", cw.users.xiangtan_office, target=Concern.objects.get(pk=earlier.pk))
    step(earlier, "reply", cw.users.unit, text="路灯已全部修复", outcome="resolved")
    html = client.get(f"/casework/track/{duplicate.code}/").content.decode()
    assert "路灯已全部修复" in html
    assert earlier.code not in html


def test_one_click_records_the_rating_then_offers_the_comment(cw, client):
    concern = bring_to(cw, "replied")
    token = codes.rating_token(concern.code)
    response = client.get("/casework/rate/", {"t": token, "r": "basically_satisfied"})
    assert response.status_code == 200
    concern.refresh_from_db()
    assert concern.status == "closed" and concern.rating == "basically_satisfied"
    assert 'name="comment"' in response.content.decode()
    again = client.get("/casework/rate/", {"t": token, "r": "satisfied"})  # a second click
    assert again.status_code == 200
    concern.refresh_from_db()
    assert concern.rating == "basically_satisfied"
    response = client.post(
        "/casework/rate/", {"t": token, "rating": "satisfied", "comment": "谢谢"}
    )
    assert response.status_code == 200
    concern.refresh_from_db()
    assert concern.rating == "satisfied" and concern.rating_comment == "谢谢"


def test_a_forged_or_expired_rating_link_records_nothing(cw, client):
    concern = bring_to(cw, "replied")
    forged = signing.TimestampSigner(salt="something-else").sign(concern.code)
    assert client.get("/casework/rate/", {"t": forged, "r": "satisfied"}).status_code == 400
    token = codes.rating_token(concern.code)
    with time_machine.travel(datetime.timedelta(days=31)):
        assert client.get("/casework/rate/", {"t": token, "r": "unsatisfied"}).status_code == 410
    concern.refresh_from_db()
    assert concern.status == "replied" and concern.rating == ""
    assert client.get("/casework/rate/").status_code == 404


def test_the_owner_rates_from_the_tracking_page_and_may_reopen_when_unsatisfied(cw, client):
    response = client.post(FORM, form_data())
    owner_url = response.url
    concern = Concern.objects.get()
    from tests.casework.factories import step

    step(concern, "triage", cw.users.xiangtan_office, category=cw.roads)
    step(concern, "forward", cw.users.xiangtan_office, unit=cw.unit)
    step(concern, "accept", cw.users.unit)
    step(concern, "reply", cw.users.unit, text="已修复", outcome="resolved")
    fresh = client.__class__()  # another browser: only the key makes it the owner
    html = fresh.get(owner_url).content.decode()
    links = re.findall(r'href="(/casework/rate/\?[^"]+)"', html)
    assert len(links) == 3
    unsatisfied = next(link for link in links if "unsatisfied" in link)
    fresh.get(unsatisfied.replace("&amp;", "&"))
    concern.refresh_from_db()
    assert concern.rating == "unsatisfied"
    html = fresh.get(owner_url).content.decode()
    assert "/reopen/" in html
    key = re.search(r"key=([^&\"]+)", owner_url).group(1)
    response = fresh.post(
        f"/casework/track/{concern.code}/reopen/", {"key": key, "reason": "还是不亮"}
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.status == "triaged" and concern.reopen_count == 1
    stranger = client.__class__()
    refused = stranger.post(f"/casework/track/{concern.code}/reopen/", {"key": "x", "reason": "x"})
    assert refused.status_code == 404


def test_a_studio_link_addresses_the_concern_to_the_studio(cw, client):
    from lianluo.casework.models import Concern as C

    studio_model = C._meta.get_field("studio").related_model
    studio = studio_model.objects.create(
        committee=cw.xiangtan, name="建设路委员工作室", address="建设路1号", status="published"
    )
    response = client.post(f"/casework/submit/?studio={studio.pk}", form_data())
    assert response.status_code == 302
    assert Concern.objects.get().studio == studio
