"""Factories and helpers of the concern tests. Concerns are made through the real services, so
every concern a test uses went through the workflow."""

from __future__ import annotations

import io
from typing import Any

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lianluo.casework import services
from lianluo.casework.models import Category, Concern
from lianluo.casework.workflow import CONSTITUENT


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    code = factory.Sequence(lambda n: f"cat{n}")
    name = factory.Sequence(lambda n: f"类别{n}")
    deadline_days = 15


def photo(
    name: str = "photo.jpg", *, size: tuple[int, int] = (64, 48), exif: bool = False
) -> SimpleUploadedFile:
    """A small JPEG, optionally with EXIF data (a camera model and GPS-like tag)."""
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x0110] = "SecretCam 3000"  # camera model
        image.save(out, format="JPEG", exif=data.tobytes())
    else:
        image.save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def submit(cw: Any, **kwargs: Any) -> Concern:
    """A concern of Xiangtan from the public form (defaults that pass the screen)."""
    values: dict[str, Any] = {
        "committee": cw.xiangtan,
        "topic": "建设路路灯不亮",
        "description": "建设路北段路灯已经一个月不亮，夜间行人不安全。",
        "source": Concern.Source.WEB,
    }
    values.update(kwargs)
    return services.concern_submit(**values)


def step(
    concern: Concern, action: str, by: Any = None, acting_as: str | None = None, **data: Any
) -> Concern:
    reason = data.pop("reason", "理由")
    return services.concern_transition(
        concern=concern, action=action, by=by, reason=reason, data=data, acting_as=acting_as
    )


def bring_to(
    cw: Any, state: str, *, earlier: Concern | None = None, **submit_kwargs: Any
) -> Concern:
    """A Xiangtan concern addressed to 刘敬民, brought to `state` through the real service."""
    users = cw.users
    S = Concern.Status
    if state in (S.HELD, S.DISCARDED):
        concern = submit(cw, description="澳门赌场 在线开户", member=cw.member, **submit_kwargs)
        assert concern.status == S.HELD
        if state == S.DISCARDED:
            concern = step(concern, "discard", users.xiangtan_office)
        return concern
    concern = submit(cw, member=cw.member, **submit_kwargs)
    if state == S.RECEIVED:
        return concern
    if state == S.MERGED:
        assert earlier is not None
        return step(concern, "merge", users.xiangtan_office, target=earlier)
    concern = step(concern, "triage", users.xiangtan_office, category=cw.roads)
    if state == S.TRIAGED:
        return concern
    if state == S.CONVERTED:
        return step(concern, "convert", users.xiangtan_office, converted_to="proposal")
    concern = step(concern, "forward", users.xiangtan_office, unit=cw.unit)
    if state == S.FORWARDED:
        return concern
    if state == S.RETURNED:
        return step(concern, "return", users.unit)
    concern = step(concern, "accept", users.unit)
    if state == S.HANDLING:
        return concern
    if state == S.CLARIFICATION:
        return step(concern, "ask_clarification", users.unit)
    concern = step(concern, "reply", users.unit, text="已修复。", outcome="resolved")
    if state == S.REPLIED:
        return concern
    concern = step(concern, "rate", acting_as=CONSTITUENT, rating="unsatisfied")
    assert concern.status == S.CLOSED
    return concern


def shenzhen_records(world: Any) -> dict[str, str]:
    """Shenzhen's casework records for the URL walk (tests/test_url_permissions.py): the pk
    to put into a route whose name contains each key. Made once per `world`."""
    cached = getattr(world, "casework_records", None)
    if cached is not None:
        return cached
    from lianluo.casework.models import Attachment, UnitEndpoint, WebhookDelivery
    from lianluo.core import crypto
    from lianluo.directory.models import Organization

    category = Category.objects.create(committee=world.shenzhen, code="walk", name="walk")
    unit = Organization.objects.create(
        committee=world.shenzhen, classification="handling_unit", name="深圳walk局"
    )
    concern = services.concern_submit(
        committee=world.shenzhen,
        topic="深圳的诉求",
        description="深圳的诉求",
        source=Concern.Source.WEB,
        category=category,
        files=[photo()],
    )
    endpoint = UnitEndpoint.objects.create(
        committee=world.shenzhen,
        unit=unit,
        url="https://example.org/h",
        secret_encrypted=crypto.encrypt("0123456789abcdef"),
    )
    delivery = WebhookDelivery.objects.create(
        committee=world.shenzhen, concern=concern, endpoint=endpoint, event="x", payload={}
    )
    attachment = Attachment.objects.get(concern=concern)
    world.casework_records = {
        "attachment": str(attachment.pk),
        "delivery": str(delivery.pk),
        "category": str(category.pk),
        "concern": str(concern.pk),
    }
    return world.casework_records


def shenzhen_url_values(world: Any) -> dict[str, Any]:
    """The casework part of the URL walk (tests/test_url_permissions.py): Shenzhen's records by
    URL name, the API basenames, one's own pages and the public ones."""
    records = shenzhen_records(world)
    concern = records["concern"]
    return {
        "code": "440300",
        "pk_by_name": {
            "casework:concern": concern,
            "casework:concern_step": concern,
            "casework:concern_reveal": concern,
            "casework:concern_draft": concern,
            "casework:attachment": records["attachment"],
            "casework:delivery_retry": records["delivery"],
            "casework:category_edit": records["category"],
        },
        "api": {"casework-concern": concern, "casework-unit-concern": concern},
        "own": {"casework:member_inbox", "casework:unit_queue"},
        "public": {
            "casework:public_submit",
            "casework:public_track_lookup",
            "casework:public_rate",
            "open311:discovery",
            "open311:services",
            "open311:service",
            "open311:requests",
            "open311:request",
        },
    }


# An excerpt of the defaced source article, for when shared/ is not beside the repository.
ARTICLE_EXCERPT = (
    "澳门赌场:总书记2020年9月考察湖南时,作出“政协委员要更好联系和服务所在界别的群众”重要指示。"
    "党的二十大报告强调要完善政协委员联系界别群众制度机制。联系和服务界别群众,是党中央对各级政协"
    "组织和广大政协委员的重要要求,必须抓紧抓实、抓出成效。不断提高bet356手机版和服务保障水平,"
    "通过健全联系指导机制,统筹协调委员联系界别群众工作,提升联系服务质量。建好用好面向基层的线上"
    "线下委员工作室,畅通到达群众身边的“最后一公里”。"
)


def source_article() -> str:
    """The defaced source article (domain/source-article.md of shared/), or its excerpt."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for path in (
        root.parent / "shared" / "domain" / "source-article.md",
        Path("/work/shared/domain/source-article.md"),
    ):
        if path.exists():
            return path.read_text(encoding="utf-8").split("```text", 1)[-1]
    return ARTICLE_EXCERPT
