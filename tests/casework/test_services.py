"""Concern services: intake checks, personal data, attachments, the screen at intake,
notifications, merging, reopening and the numbers."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lianluo.casework import selectors, services
from lianluo.casework.models import Attachment, CaseworkPolicy, Concern
from lianluo.casework.workflow import CONSTITUENT
from lianluo.core import crypto
from lianluo.core.models import AuditEvent, Notification, OutboundMessage, PersonalDataAccess
from tests.casework.factories import bring_to, photo, source_article, step, submit

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- intake


def test_a_public_concern_is_received_with_a_valid_tracking_code(cw):
    from lianluo.casework import codes

    concern = submit(cw)
    assert concern.status == "received"
    assert codes.is_valid(concern.code) and len(concern.code) == 10
    assert Concern.objects.filter(code=concern.code).exists()
    event = AuditEvent.objects.get(object_id=str(concern.pk), verb="submit")
    assert event.changes["status"] == [None, "received"]


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("topic", "", "topic"),
        ("topic", "长" * 101, "topic"),
        ("description", "   ", "description"),
        ("description", "字" * 4001, "description"),
        ("mobile", "12345", "mobile"),
    ],
)
def test_bad_input_is_refused_field_by_field(cw, field, value, error):
    with pytest.raises(ValidationError) as refused:
        submit(cw, **{field: value})
    assert error in refused.value.message_dict
    assert not Concern.objects.exists()


def test_name_or_number_needs_consent(cw):
    with pytest.raises(ValidationError) as refused:
        submit(cw, mobile="13912345678")
    assert "consent" in refused.value.message_dict
    with pytest.raises(ValidationError):
        submit(cw, name="王先生")


def test_the_mobile_is_kept_encrypted_and_shown_masked(cw):
    concern = submit(cw, name="王先生", mobile="139 1234 5678", consent=True)
    assert concern.mobile_masked == "139****5678"
    assert "13912345678" not in concern.mobile_encrypted
    assert crypto.decrypt(concern.mobile_encrypted) == "13912345678"
    assert concern.consent_at is not None
    assert concern.name_masked == "王**"


def test_a_category_sector_or_studio_of_another_committee_is_refused(cw):
    with pytest.raises(ValidationError) as refused:
        submit(cw, category=cw.shenzhen_category, sector=cw.world.sector[("440300", "经济界")])
    assert {"category", "sector"} <= set(refused.value.message_dict)


def test_a_committee_that_closed_online_intake_refuses_public_concerns(cw):
    CaseworkPolicy.objects.filter(committee=cw.xiangtan).update(public_intake=False)
    with pytest.raises(ValidationError):
        submit(cw)


def test_members_and_staff_enter_concerns_heard_in_person_with_the_source(cw):
    concern = services.concern_submit(
        committee=cw.xiangtan,
        topic="接待日反映：小区停车难",
        description="居民在接待日反映小区停车位不足。",
        source=Concern.Source.RECEPTION,
        by=cw.users.member,
    )
    assert concern.source == "reception"
    assert concern.member == cw.member  # the member who heard it
    assert concern.entered_by == cw.users.member
    with pytest.raises(PermissionDenied):
        services.concern_submit(
            committee=cw.xiangtan,
            topic="x",
            description="y",
            source=Concern.Source.PHONE,
            by=cw.users.shenzhen_office,
        )


# ---------------------------------------------------------------- the screen at intake


@pytest.mark.parametrize(
    "text", ["欢迎光临澳门赌场，首充送彩金", "下载 BET356 手机版", "bet356手机版"]
)
def test_gambling_spam_is_held_for_moderation_with_the_reason(cw, text):
    concern = submit(cw, description=text)
    assert concern.status == "held"
    assert "澳门赌场" in concern.held_reason or "bet356" in concern.held_reason.lower()
    assert not selectors.concerns_public().filter(pk=concern.pk).exists()


def test_ordinary_chinese_text_passes_the_screen(cw):
    clean = source_article().replace("澳门赌场", "").replace("bet356手机版", "")
    concern = submit(cw, description=clean[:4000])
    assert concern.status == "received"


def test_a_filled_honeypot_holds_the_concern(cw):
    concern = submit(cw, honeypot="http://spam.example")
    assert concern.status == "held" and concern.held_reason


def test_too_many_links_hold_the_concern(cw):
    links = " ".join(f"https://example{i}.com/x" for i in range(5))
    assert submit(cw, description=f"请看 {links}").status == "held"


def test_staff_entries_are_not_screened(cw):
    concern = services.concern_submit(
        committee=cw.xiangtan,
        topic="群众反映网上赌博广告",
        description="有人在小区散发澳门赌场广告",
        source=Concern.Source.PHONE,
        by=cw.users.xiangtan_office,
    )
    assert concern.status == "received"


def test_an_office_term_holds_submissions_of_its_committee_only(cw):
    services.screen_term_save(
        by=cw.users.xiangtan_office,
        committee=cw.xiangtan,
        term="代办证件",
        kind="keyword",
        reason="fraud",
    )
    assert submit(cw, description="专业代办证件").status == "held"
    shenzhen = services.concern_submit(
        committee=cw.shenzhen,
        topic="深圳",
        description="专业代办证件",
        source=Concern.Source.WEB,
    )
    assert shenzhen.status == "received"


# ---------------------------------------------------------------- attachments


def test_a_photo_is_stored_without_its_metadata(cw):
    concern = submit(cw, files=[photo(exif=True)])
    attachment = concern.attachments.get()
    assert attachment.kind == "image" and attachment.content_type == "image/jpeg"
    assert attachment.name == "photo.jpg"
    assert not attachment.file.name.endswith("photo.jpg")  # stored under a random name
    with attachment.file.open("rb") as stored, Image.open(stored) as image:
        assert image.getexif().get(0x0110) is None


def test_a_pdf_is_accepted(cw):
    pdf = SimpleUploadedFile("letter.pdf", b"%PDF-1.4\n%...\n", content_type="application/pdf")
    assert submit(cw, files=[pdf]).attachments.get().kind == "pdf"


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("x.jpg", b"<script>alert(1)</script>", content_type="image/jpeg"),
        SimpleUploadedFile("x.gif", b"GIF89a" + b"\x00" * 20, content_type="image/gif"),
        SimpleUploadedFile("x.exe", b"MZ\x90\x00", content_type="application/octet-stream"),
    ],
)
def test_files_that_are_not_photos_or_pdf_are_refused(cw, upload):
    with pytest.raises(ValidationError) as refused:
        submit(cw, files=[upload])
    assert "attachments" in refused.value.message_dict
    assert not Attachment.objects.exists()


def test_more_than_five_files_or_a_file_over_10_mb_is_refused(cw):
    with pytest.raises(ValidationError):
        submit(cw, files=[photo(f"p{i}.jpg") for i in range(6)])
    big = SimpleUploadedFile(
        "big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), content_type="application/pdf"
    )
    with pytest.raises(ValidationError):
        submit(cw, files=[big])


def test_a_decompression_bomb_is_refused(cw):
    out = io.BytesIO()
    Image.new("1", (10000, 10000)).save(out, format="PNG")
    bomb = SimpleUploadedFile("bomb.png", out.getvalue(), content_type="image/png")
    with pytest.raises(ValidationError):
        submit(cw, files=[bomb])


# ---------------------------------------------------------------- notifications


def test_the_unit_is_notified_when_a_concern_is_forwarded(cw, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        bring_to(cw, "forwarded")
    assert Notification.objects.filter(recipient=cw.users.unit, kind="casework.assigned").exists()
    assert not Notification.objects.filter(recipient=cw.users.other_unit).exists()


def test_a_constituent_with_a_number_gets_an_sms_with_rating_links_when_answered(
    cw, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        concern = bring_to(cw, "replied", name="王先生", mobile="13912345678", consent=True)
    sms = OutboundMessage.objects.get(channel="sms")
    assert sms.address == "13912345678" and sms.state == "sent"
    assert concern.display_code in sms.body
    assert "/casework/rate/?t=" in sms.body and "r=satisfied" in sms.body


def test_no_sms_without_a_number_or_when_the_committee_turned_sms_off(cw):
    bring_to(cw, "replied")
    assert not OutboundMessage.objects.filter(channel="sms").exists()
    CaseworkPolicy.objects.filter(committee=cw.xiangtan).update(sms_enabled=False)
    bring_to(cw, "replied", mobile="13912345678", consent=True)
    assert not OutboundMessage.objects.filter(channel="sms").exists()


def test_the_author_of_a_merged_duplicate_follows_the_earlier_concern(cw):
    earlier = submit(cw, topic="路灯不亮", mobile="13900000001", consent=True)
    duplicate = submit(cw, topic="路灯坏了", mobile="13900000002", consent=True)
    step(duplicate, "merge", cw.users.xiangtan_office, target=earlier)
    duplicate.refresh_from_db()
    assert duplicate.status == "merged" and duplicate.merged_into == earlier
    step(earlier, "triage", cw.users.xiangtan_office, category=cw.roads)
    step(earlier, "forward", cw.users.xiangtan_office, unit=cw.unit)
    step(earlier, "accept", cw.users.unit)
    step(earlier, "reply", cw.users.unit, text="已修复", outcome="resolved")
    addresses = set(OutboundMessage.objects.filter(channel="sms").values_list("address", flat=True))
    assert addresses == {"13900000001", "13900000002"}
    from lianluo.core.links import links_of

    assert any(
        kind == "merged_into" and other == earlier for _d, kind, other in links_of(duplicate)
    )


def test_merging_into_a_later_or_closed_concern_is_refused(cw):
    closed = bring_to(cw, "closed")
    earlier, later = submit(cw), submit(cw)
    with pytest.raises(ValidationError):
        step(earlier, "merge", cw.users.xiangtan_office, target=later)
    with pytest.raises(ValidationError):
        step(later, "merge", cw.users.xiangtan_office, target=closed)
    with pytest.raises(ValidationError):
        step(later, "merge", cw.users.xiangtan_office, target=later)


def test_revealing_the_constituents_data_is_logged(cw):
    concern = submit(cw, name="王先生", mobile="13912345678", consent=True)
    values = services.concern_reveal(concern=concern, by=cw.users.xiangtan_office)
    assert values == {"name": "王先生", "mobile": "13912345678"}
    access = PersonalDataAccess.objects.get()
    assert access.user == cw.users.xiangtan_office and "mobile" in access.fields
    with pytest.raises(PermissionDenied):
        services.concern_reveal(concern=concern, by=cw.users.xiangtan_auditor)


# ---------------------------------------------------------------- outcomes and numbers


def test_only_resolved_counts_as_solved(cw):
    from django.utils import timezone

    for outcome in ("resolved", "partly_resolved", "explained"):
        concern = bring_to(cw, "handling")
        step(concern, "reply", cw.users.unit, text="答复", outcome=outcome)
    declined = submit(cw)
    step(declined, "decline", cw.users.xiangtan_office, reason="不属于受理范围")
    figures = selectors.dashboard(cw.xiangtan, year=timezone.localdate().year)
    assert figures["answered"] == 4
    assert figures["solved"] == 1
    assert figures["solved_rate"] == 25.0


def test_the_dashboard_is_a_constant_number_of_queries(cw, django_assert_max_num_queries):
    from django.utils import timezone

    for _ in range(3):
        concern = bring_to(cw, "replied")
        step(concern, "rate", acting_as=CONSTITUENT, rating="satisfied")
    with django_assert_max_num_queries(6):
        figures = selectors.dashboard(cw.xiangtan, year=timezone.localdate().year)
    assert figures["satisfaction_rate"] == 100.0
    assert figures["medians"][0][0] == "市教育局"


def test_a_declined_concern_gets_the_reason_as_its_answer(cw):
    concern = step(
        submit(cw), "decline", cw.users.xiangtan_office, reason="属于司法程序，建议依法起诉"
    )
    assert concern.status == "replied" and concern.outcome == "declined"
    assert concern.reply_text == "属于司法程序，建议依法起诉"
    assert concern.replies.get().outcome == "declined"


def test_converting_keeps_the_link_and_the_timeline_follows_the_linked_item(cw):
    concern = bring_to(cw, "triaged")
    target = bring_to(cw, "replied")  # any record with a status stands in for a proposal
    services.concern_link_item(concern=concern, item=target, by=cw.users.xiangtan_office)
    step(concern, "convert", cw.users.xiangtan_office, converted_to="proposal")
    linked = selectors.linked_items(concern)
    assert linked[0]["kind"] == "became" and linked[0]["status"] == target.get_status_display()


def test_an_unsatisfied_rating_notifies_the_office_and_the_unit(cw):
    concern = bring_to(cw, "replied")
    step(concern, "rate", acting_as=CONSTITUENT, rating="unsatisfied", comment="没修好")
    kinds = set(
        Notification.objects.filter(kind="casework.unsatisfied").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"xiangtan_office", "unit_user"} <= kinds


def test_bulk_forward_forwards_each_and_reports_the_refused(cw):
    a, b = bring_to(cw, "triaged"), bring_to(cw, "triaged")
    c = submit(cw)  # not triaged: refused
    done, refused = services.concerns_bulk_forward(
        concerns=[a, b, c], unit=cw.unit, by=cw.users.xiangtan_office
    )
    assert {x.pk for x in done} == {a.pk, b.pk}
    assert list(refused) == [c.code]
