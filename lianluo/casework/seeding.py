"""Demo and scale data for concerns: a realistic year in every state, deterministic for a seed.

`seed(...)` is called by `manage.py seed` / `demo` after the registry is seeded; `demo(committee)`
adds the demo Open311 client (key `demo-open311-key`). Everything is bulk-created: a committee's
year is a handful of INSERTs, timelines included.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lianluo.casework import codes, services
from lianluo.casework.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    CaseworkPolicy,
    Category,
    Concern,
    ConcernReply,
    Open311Client,
)
from lianluo.core import crypto
from lianluo.core.chinese import mask_mobile
from lianluo.core.models import AuditEvent
from lianluo.directory.models import Committee, FocusArea, Membership, Organization

DEMO_OPEN311_KEY = "demo-open311-key"

# code, name, days, focus-area slug, unit, topics
CATEGORIES: tuple[tuple[str, str, int, str, str, tuple[str, ...]], ...] = (
    ("education", "教育", 15, "livelihood", "教育局", (
        "学校周边上下学时段交通拥堵", "幼儿园学位紧张", "课后服务收费不透明", "校车线路不足",
    )),
    ("traffic", "交通出行", 10, "livelihood", "交通运输局", (
        "路灯长期不亮", "公交线路调整后出行不便", "道路破损积水", "非机动车道被占用",
    )),
    ("environment", "生态环境", 10, "ecology", "生态环境局", (
        "河道有异味", "夜间施工噪音扰民", "餐饮油烟扰民", "垃圾清运不及时",
    )),
    ("housing", "住房与物业", 20, "livelihood", "住房和城乡建设局", (
        "老旧小区改造进度慢", "加装电梯协调难", "物业服务质量差", "小区停车位不足",
    )),
    ("health", "医疗卫生", 15, "livelihood", "卫生健康委员会", (
        "社区卫生服务中心药品短缺", "医保异地报销手续繁琐", "老年人就医预约困难",
    )),
    ("business", "营商环境", 15, "development", "发展和改革委员会", (
        "小微企业融资难", "审批环节多时间长", "惠企政策兑现慢",
    )),
    ("culture", "文化旅游", 20, "culture_tourism", "文化旅游广电体育局", (
        "红色景区停车难", "公共文化场馆开放时间短", "旅游标识不清",
    )),
    ("rural", "乡村振兴", 20, "rural", "农业农村局", (
        "农村道路年久失修", "灌溉水渠堵塞", "农产品销售渠道少",
    )),
)  # fmt: skip

DETAILS = (
    "情况已经持续了一段时间，附近居民反映强烈，希望有关部门尽快调查处理。",
    "多次向社区反映未得到解决，特向委员工作室求助。",
    "影响老人和孩子的日常出行安全，请予以关注。",
    "建议相关部门实地查看，并公开处理进度。",
)
PLACES = ("建设路", "韶山中路", "雨湖区", "岳塘区", "湘江风光带", "河东大道", "板塘铺", "万楼")
SPAM = ("澳门赌场 在线开户送彩金 bet356手机版", "网站优化排名 蜘蛛池 外链代发 快速排名")
REPLIES = {
    "resolved": "经现场核查，问题已处理完毕，感谢您的监督。",
    "partly_resolved": "已完成部分整改，剩余事项已列入年度计划，预计下季度完成。",
    "explained": "经核查，该事项涉及规划调整，目前暂不具备条件，已向您说明情况。",
    "declined": "该事项不属于政协工作职责范围，建议通过12345热线反映。",
}
NAMES = ("王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴")

# share of concerns (per thousand) in each final state, for a year that is over
STATE_WEIGHTS = (
    (Concern.Status.CLOSED, 560),
    (Concern.Status.REPLIED, 90),
    (Concern.Status.HANDLING, 80),
    (Concern.Status.FORWARDED, 60),
    (Concern.Status.TRIAGED, 40),
    (Concern.Status.RECEIVED, 40),
    (Concern.Status.CLARIFICATION, 15),
    (Concern.Status.RETURNED, 15),
    (Concern.Status.CONVERTED, 20),
    (Concern.Status.MERGED, 30),
    (Concern.Status.HELD, 25),
    (Concern.Status.DISCARDED, 25),
)


def _code(rng: random.Random) -> str:
    body = "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH - 1))
    return body + codes.check_character(body)


def _units(committee: Committee) -> dict[str, Organization]:
    """The committee's handling units for the categories, created when missing."""
    city = committee.short_name.removesuffix("政协")
    units = {}
    for *_ignored, unit_name, _topics in CATEGORIES:
        unit, _created = Organization.objects.get_or_create(
            committee=committee,
            classification=Organization.Classification.HANDLING_UNIT,
            name=f"{city}{unit_name}",
        )
        units[unit_name] = unit
    return units


def ensure_setup(committee: Committee) -> list[Category]:
    """The committee's policy and categories (created when missing)."""
    CaseworkPolicy.objects.get_or_create(committee=committee)
    focus = {f.slug: f for f in FocusArea.objects.filter(committee=committee)}
    categories = []
    for position, (code, name, days, focus_slug, _unit, _topics) in enumerate(CATEGORIES):
        category = (
            Category.objects.filter(committee=committee).filter(Q(code=code) | Q(name=name)).first()
        )
        if category is None:
            category = Category.objects.create(
                committee=committee,
                code=code,
                name=name,
                deadline_days=days,
                focus_area=focus.get(focus_slug),
                position=position,
                group=name,
                keywords=",".join(CATEGORIES[position][5][:2]),
            )
        categories.append(category)
    return categories


def _pick_state(rng: random.Random, age_days: float) -> str:
    """A state for a concern received `age_days` ago: old ones are mostly closed."""
    states, weights = zip(*STATE_WEIGHTS, strict=True)
    state = rng.choices(states, weights=weights)[0]
    if age_days > 60 and state in (Concern.Status.RECEIVED, Concern.Status.TRIAGED):
        return Concern.Status.CLOSED
    if age_days < 3 and state in (Concern.Status.CLOSED, Concern.Status.REPLIED):
        return Concern.Status.RECEIVED
    return state


def _year_concerns(
    committee: Committee,
    *,
    rng: random.Random,
    year: int,
    per_month: int,
    now: datetime.datetime,
) -> tuple[list[Concern], list[list[tuple[str, str, str, datetime.datetime]]]]:
    categories = ensure_setup(committee)
    units = _units(committee)
    members = list(
        Membership.objects.filter(
            committee=committee,
            organization__isnull=True,
            status=Membership.Status.SERVING,
        )
        .order_by("id")  # the same 500 on every database (names have namesakes)
        .values_list("person_id", "sector_id")[:500]
    )
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, 8, tzinfo=tz)
    span = min((now - start).total_seconds(), 365 * 86400)
    if span <= 0:
        return [], []
    count = max(12, int(per_month * span / (30 * 86400)))
    concerns: list[Concern] = []
    timelines: list[list[tuple[str, str, str, datetime.datetime]]] = []
    open_so_far: list[int] = []
    moments = sorted(start + datetime.timedelta(seconds=rng.uniform(0, span)) for _ in range(count))
    end = start + datetime.timedelta(seconds=span)
    for received in moments:
        age = (end - received).total_seconds() / 86400  # as of the end of the seeded span
        position = rng.randrange(len(CATEGORIES))
        _key, _name, days, _focus, unit_name, topics = CATEGORIES[position]
        category = categories[position]
        state = _pick_state(rng, age)
        if state == Concern.Status.MERGED and not open_so_far:
            state = Concern.Status.RECEIVED
        member_id, sector_id = (
            rng.choice(members) if members and rng.random() < 0.6 else (None, None)
        )
        spam = state in (Concern.Status.HELD, Concern.Status.DISCARDED)
        topic = rng.choice(SPAM)[:30] if spam else rng.choice(topics)
        concern = Concern(
            committee=committee,
            code=_code(rng),
            topic=topic,
            description=(
                rng.choice(SPAM) if spam else f"{rng.choice(PLACES)}{topic}，{rng.choice(DETAILS)}"
            ),
            place=rng.choice(PLACES),
            category=None if spam else category,
            focus_area=None if spam else category.focus_area,
            urgency=Concern.Urgency.URGENT if rng.random() < 0.08 else Concern.Urgency.NORMAL,
            member_id=member_id,
            sector_id=sector_id,
            source=rng.choices(
                [s.value for s in Concern.Source], weights=[55, 5, 12, 12, 10, 3, 3]
            )[0],
            status=state,
            received_at=received,
            held_reason="赌博广告: 澳门赌场" if spam else "",
        )
        if rng.random() < 0.4 and not spam:
            mobile = f"13{rng.randrange(10**9):09d}"
            concern.constituent_name = rng.choice(NAMES) + "先生"
            concern.mobile_encrypted = crypto.encrypt(mobile)
            concern.mobile_masked = mask_mobile(mobile)
            concern.consent_at = received
        steps: list[tuple[str, str, str, datetime.datetime]] = [
            ("create", "submit", Concern.Status.HELD if spam else Concern.Status.RECEIVED, received)
        ]
        at = received
        if state == Concern.Status.DISCARDED:
            steps.append(("transition", "discard", state, at + datetime.timedelta(hours=3)))
        if state not in (
            Concern.Status.HELD,
            Concern.Status.DISCARDED,
            Concern.Status.RECEIVED,
        ):
            at = at + datetime.timedelta(hours=rng.uniform(2, 48))
            concern.triaged_at = at
            if state == Concern.Status.MERGED:
                concern.merged_into_id = rng.choice(open_so_far[-50:])
                steps.append(("transition", "merge", state, at))
                concerns.append(concern)
                timelines.append(steps)
                continue
            steps.append(("transition", "triage", Concern.Status.TRIAGED, at))
        if state in (Concern.Status.RECEIVED, Concern.Status.TRIAGED):
            open_so_far.append(len(concerns))
        direct = rng.random() < 0.2 and member_id is not None
        if state in (
            Concern.Status.FORWARDED,
            Concern.Status.HANDLING,
            Concern.Status.CLARIFICATION,
            Concern.Status.RETURNED,
            Concern.Status.REPLIED,
            Concern.Status.CLOSED,
        ):
            at = at + datetime.timedelta(hours=rng.uniform(1, 24))
            concern.deadline = at + datetime.timedelta(days=days)
            if direct and state not in (Concern.Status.FORWARDED, Concern.Status.RETURNED):
                steps.append(("transition", "handle_directly", Concern.Status.HANDLING, at))
            else:
                concern.handling_unit = units[unit_name]
                concern.forwarded_at = at
                steps.append(("transition", "forward", Concern.Status.FORWARDED, at))
                if state != Concern.Status.FORWARDED:
                    at = at + datetime.timedelta(hours=rng.uniform(2, 72))
                    if state == Concern.Status.RETURNED:
                        steps.append(("transition", "return", state, at))
                    else:
                        steps.append(("transition", "accept", Concern.Status.HANDLING, at))
            if state == Concern.Status.CLARIFICATION:
                steps.append(
                    ("transition", "ask_clarification", state, at + datetime.timedelta(days=1))
                )
        if state == Concern.Status.CONVERTED:
            at = at + datetime.timedelta(days=rng.uniform(1, 5))
            concern.converted_to = rng.choice(Concern.ConvertedTo.values)
            steps.append(("transition", "convert", state, at))
        if state in (Concern.Status.REPLIED, Concern.Status.CLOSED):
            late = rng.random() < 0.12
            reply_days = days * (rng.uniform(1.05, 1.6) if late else rng.uniform(0.2, 0.95))
            at = (concern.forwarded_at or at) + datetime.timedelta(days=reply_days)
            at = min(at, now - datetime.timedelta(hours=1))
            outcome = rng.choices(list(REPLIES), weights=[60, 18, 15, 7])[0]
            concern.outcome = outcome
            concern.reply_text = REPLIES[outcome]
            concern.replied_at = at
            verb = "decline" if outcome == "declined" else "reply"
            steps.append(("transition", verb, Concern.Status.REPLIED, at))
            if state == Concern.Status.CLOSED:
                at = min(at + datetime.timedelta(days=rng.uniform(0.2, 6)), now)
                concern.closed_at = at
                if rng.random() < 0.85:
                    good = outcome == "resolved"
                    concern.rating = rng.choices(
                        Concern.Rating.values, weights=[70, 25, 5] if good else [30, 40, 30]
                    )[0]
                    concern.rated_at = at
                    steps.append(("transition", "rate", state, at))
                else:
                    steps.append(("transition", "close", state, at))
        concerns.append(concern)
        timelines.append(steps)
    return concerns, timelines


def seed(
    *, committees: list[Committee], rng: random.Random, year: int, progress: bool
) -> dict[str, int]:
    """A year of concerns for each committee, in every state, with replies and timelines."""
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(Concern)
    totals = {"concerns": 0, "replies": 0, "events": 0}
    iterator: Iterable[Committee] = committees
    if progress:
        from tqdm import tqdm

        iterator = tqdm(committees, desc="concerns", unit="committee")
    for committee in iterator:
        per_month = 30 if committee.level in ("municipal", "provincial") else 12
        concerns, timelines = _year_concerns(
            committee, rng=rng, year=year, per_month=per_month, now=now
        )
        if not concerns:
            continue
        with transaction.atomic():
            merged = [(c, c.merged_into_id) for c in concerns if c.merged_into_id is not None]
            for concern, _target in merged:
                concern.merged_into_id = None
                concern.status = Concern.Status.RECEIVED
            Concern.objects.bulk_create(concerns, batch_size=500)
            for concern, target in merged:
                concern.merged_into_id = concerns[target].pk
                concern.status = Concern.Status.MERGED
            Concern.objects.bulk_update(
                [c for c, _t in merged], ["merged_into", "status"], batch_size=500
            )
            replies = [
                ConcernReply(
                    concern=c,
                    committee=committee,
                    text=c.reply_text,
                    outcome=c.outcome,
                    unit=c.handling_unit,
                    created_at=c.replied_at,
                )
                for c in concerns
                if c.replied_at and c.outcome
            ]
            ConcernReply.objects.bulk_create(replies, batch_size=500)
            events = []
            for concern, steps in zip(concerns, timelines, strict=True):
                previous: str | None = None
                for action, verb, status, at in steps:
                    events.append(
                        AuditEvent(
                            created_at=at,
                            actor_label="" if verb == "submit" else "seed",
                            action=action,
                            verb=verb,
                            content_type=content_type,
                            object_id=str(concern.pk),
                            object_repr=str(concern)[:200],
                            committee_id=committee.pk,
                            changes={"status": [previous, status]},
                        )
                    )
                    previous = status
            AuditEvent.objects.bulk_create(events, batch_size=1000)
        totals["concerns"] += len(concerns)
        totals["replies"] += len(replies)
        totals["events"] += len(events)
    return totals


def demo(committee: Committee) -> Open311Client:
    """The demo committee's casework setup and its Open311 client (key `demo-open311-key`)."""
    ensure_setup(committee)
    _units(committee)
    digest = services.open311_key_digest(DEMO_OPEN311_KEY)
    client = Open311Client.objects.filter(key_digest=digest).first()
    if client is not None:
        return client
    client, _key = services.open311_client_create(
        committee=committee, by=None, name="Demo Open311 client", key=DEMO_OPEN311_KEY
    )
    return client
