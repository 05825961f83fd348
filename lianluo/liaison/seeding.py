"""Synthetic liaison data for `manage.py seed` and `demo`: a realistic year of studios, reception
days, constituent groups, assignments, activities, contacts and the annual plan, for committees
whose registry is already seeded. Deterministic: the same committees, random generator, year and
`as_of` give the same rows. Rows are written with bulk_create, one transaction per committee.

What the data looks like: 1–3 constituent groups per sector (schools for 教育界, hospitals for
医药卫生界, villages for 农业界, enterprises and associations for 经济界…) plus villages and
communities in each area (the committee's districts or counties, real names where the registry
data knows them); every serving member assigned to 1–3 groups (one of their own sector); one
studio per ~12 members, most published, with 3–6 members and reception days on the 10th and
20th of each month (Xiangtan county's practice) or every first Monday, two members on duty;
activities 2–9 per member in the year (8 % of members log none), half of the past reception days
with a reception record; a published plan (“at least 4 contacts a year, at least 1 reception
day a quarter”); a few constituent contacts with consent.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from lianluo.directory.data import regions
from lianluo.directory.models import Committee, FocusArea, Membership, Organization
from lianluo.directory.services import focus_areas_ensure_defaults
from lianluo.liaison.models import (
    ActivityGroup,
    ActivityParticipant,
    ConstituentContact,
    ConstituentGroup,
    LiaisonActivity,
    LiaisonAssignment,
    LiaisonAttachment,
    LiaisonPlan,
    PlanTask,
    ReceptionDay,
    ReceptionDuty,
    Studio,
    StudioMember,
)
from lianluo.liaison.services import monthly_days, nth_weekdays

BATCH = 2000
SEEDED_MODELS = (
    ConstituentGroup,
    LiaisonAssignment,
    Studio,
    StudioMember,
    ReceptionDay,
    ReceptionDuty,
    LiaisonActivity,
    ActivityParticipant,
    ActivityGroup,
    LiaisonPlan,
    PlanTask,
    ConstituentContact,
)
MEMBERS_PER_STUDIO = 12
MAX_STUDIOS = 60
QUIET_SHARE = 0.08  # of the members, who log no activity in the year

KIND_WEIGHTS = (
    ("visit", 35),
    ("reception", 15),
    ("forum", 15),
    ("survey", 15),
    ("online", 12),
    ("sector", 8),
)
TOPICS = {
    "development": ("企业用工和融资难题", "科技创新政策落实", "营商环境优化", "专精特新企业培育"),
    "livelihood": ("居家养老服务", "老旧小区停车难", "义务教育入学", "社区托育服务", "就医便利"),
    "ecology": ("河道黑臭水体治理", "垃圾分类推进", "湘江岸线保护", "工地扬尘管控"),
    "culture_tourism": ("红色旅游线路打造", "非遗项目传承", "乡村民宿发展", "景区服务质量"),
    "rural": ("高标准农田建设", "村集体经济增收", "农产品产销对接", "农村人居环境整治"),
}
KIND_TEXT = {
    "visit": "走访{group}，了解{topic}情况，听取群众意见建议{n}条。",
    "reception": "在{place}接待来访群众{people}人次，涉及{topic}等问题，现场答复{n}件。",
    "forum": "召开{topic}座谈会，邀请{group}等界别群众代表参加，收集意见建议{n}条。",
    "survey": "围绕{topic}开展专题调研，实地察看{group}，形成调研报告初稿。",
    "online": "通过委员微信群与{group}群众线上交流{topic}问题，解答咨询{n}条。",
    "sector": "参加界别活动，宣讲有关政策，就{topic}与{group}群众交流。",
}
FOLLOW_UPS = (
    "形成社情民意信息1篇。",
    "拟就此提交提案。",
    "已转交有关部门办理，跟踪反馈。",
    "问题已现场答复。",
    "",
    "",
)
INDUSTRIES = (
    "餐饮",
    "物流",
    "建筑",
    "电子商务",
    "家政服务",
    "汽车维修",
    "茶叶",
    "湘莲",
    "文化创意",
)
ROADS = ("建设", "人民", "解放", "韶山", "和平", "胜利", "书院", "滨江", "湖湘", "中山")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "建国秀英桂兰志强春华丽娟海燕伟明红梅德胜玉兰文静小平永红"


@dataclass(frozen=True)
class Area:
    name: str
    code: str


def _place(committee: Committee) -> str:
    return committee.name.removeprefix("中国人民政治协商会议").removesuffix("委员会") or (
        committee.short_name.removesuffix("政协")
    )


def _synthetic(rng: random.Random, used: set[str], suffix: str) -> str:
    chars = regions.PLACE_CHARACTERS
    for _ in range(1000):
        name = rng.choice(chars) + rng.choice(chars) + suffix
        if name[0] != name[1] and name not in used:
            used.add(name)
            return name
    return f"{rng.choice(chars)}{len(used)}{suffix}"


def _areas(committee: Committee, rng: random.Random) -> list[Area]:
    """The districts or counties (or provinces, prefectures) under a committee, where its
    groups and studios are; a county committee's own division."""
    code = committee.code
    if committee.level == Committee.Level.NATIONAL:
        return [Area(p.name, p.code) for p in regions.PROVINCES]
    children = list(
        Committee.objects.filter(parent=committee).order_by("code").values_list("name", "code")
    )
    if children:
        return [
            Area(name.removeprefix("中国人民政治协商会议").removesuffix("委员会"), c)
            for name, c in children
        ]
    if committee.level == Committee.Level.PROVINCIAL:
        real = regions.REAL_PREFECTURES.get(code)
        if real:
            return [Area(p.name, p.code) for p in real]
        used: set[str] = set()
        return [Area(_synthetic(rng, used, "市"), f"{code[:2]}{i + 1:02d}00") for i in range(6)]
    if committee.level == Committee.Level.MUNICIPAL:
        real_counties = regions.REAL_COUNTIES.get(code)
        if real_counties:
            return [Area(c.name, c.code) for c in real_counties]
        used = set()
        return [
            Area(
                _synthetic(rng, used, "区" if i < 2 else "县"),
                f"{code[:4]}{(2 + i) if i < 2 else (19 + i):02d}",
            )
            for i in range(5)
        ]
    return [Area(_place(committee), code)]


def _towns(rng: random.Random, n: int) -> list[str]:
    used: set[str] = set()
    return [_synthetic(rng, used, rng.choice(("镇", "街道", "乡"))) for _ in range(n)]


def _unique(name: str, used: set[str]) -> str:
    candidate, n = name, 2
    while candidate in used:
        candidate = f"{name}（{n}）"
        n += 1
    used.add(candidate)
    return candidate


def _mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}"


def _person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))


def _group_kind(sector: Organization | None, rng: random.Random) -> str:
    name = sector.name if sector else ""
    if "教育" in name:
        return "school"
    if "医" in name:
        return "hospital"
    if "农" in name:
        return "village"
    if "经济" in name or "工商" in name:
        return rng.choice(("enterprise", "association"))
    if "福利" in name or "妇" in name or "青" in name:
        return "social"
    return rng.choice(("association", "community", "social"))


def _group_name(kind: str, area: Area, town: str, rng: random.Random) -> str:
    short = area.name[:-1] if len(area.name) > 2 else area.name
    chars = regions.PLACE_CHARACTERS
    if kind == "association":
        return f"{short}{rng.choice(INDUSTRIES)}行业协会"
    if kind == "enterprise":
        return f"{short}{rng.choice(chars)}{rng.choice(chars)}{rng.choice(INDUSTRIES)}有限公司"
    if kind == "school":
        return f"{short}第{rng.randint(1, 20)}中学" if rng.random() < 0.6 else f"{town}中心小学"
    if kind == "hospital":
        return rng.choice((f"{short}人民医院", f"{short}中医医院", f"{town}卫生院"))
    if kind == "village":
        return f"{town}{rng.choice(chars)}{rng.choice(chars)}村"
    if kind == "community":
        return f"{town}{rng.choice(chars)}{rng.choice(chars)}社区"
    return rng.choice((f"{short}志愿者协会", f"{town}老年协会", f"{short}青年创业联合会"))


def _date_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def _weighted(rng: random.Random, pairs: Sequence[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def seed(
    *,
    committees: list[Committee],
    rng: random.Random,
    year: int,
    progress: bool,
    as_of: datetime.date | None = None,
) -> dict[str, int]:
    """A year of liaison records for each committee (with its registry already seeded).

    Activities and contacts are dated in `year` up to `as_of` (default today: nothing is
    recorded in the future); reception days fill the whole year (planned ahead). Pass `as_of`
    (e.g. directory.seeding.AS_OF) for data that do not depend on the day they are generated.
    Returns how many rows of each kind were written.
    """
    as_of = as_of or timezone.localdate()
    counts: Counter[str] = Counter()
    bar = tqdm(committees, desc="liaison", unit="committee", disable=not progress, leave=False)
    for committee in bar:
        with transaction.atomic():
            _seed_committee(committee, rng, year, as_of, counts)
    if connection.vendor == "postgresql":
        # Fresh statistics, or the planner misjudges the new tables (e.g. reception days per
        # year) until autovacuum comes round.
        tables = [model._meta.db_table for model in SEEDED_MODELS]
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
    return dict(counts)


def _seed_committee(
    committee: Committee,
    rng: random.Random,
    year: int,
    as_of: datetime.date,
    counts: Counter[str],
) -> None:
    first_day = datetime.date(year, 1, 1)
    last_day = min(datetime.date(year, 12, 31), as_of)
    now = timezone.now()
    focus = focus_areas_ensure_defaults(committee=committee)
    focus_by_slug = {f.slug: f for f in focus}
    sectors = list(
        Organization.objects.filter(
            committee=committee, classification=Organization.Classification.SECTOR
        ).order_by("position", "id")
    )
    seats = list(
        Membership.objects.filter(
            committee=committee, organization__isnull=True, status=Membership.Status.SERVING
        )
        .select_related("person")
        .order_by("id")
    )
    if not seats:
        return
    areas = _areas(committee, rng)
    towns = {area.code: _towns(rng, 3) for area in areas}

    # Constituent groups: by sector, then villages and communities by area.
    used: set[str] = set(
        ConstituentGroup.objects.filter(committee=committee).values_list("name", flat=True)
    )
    groups: list[ConstituentGroup] = []

    def add_group(kind: str, sector: Organization | None, area: Area) -> None:
        town = rng.choice(towns[area.code])
        groups.append(
            ConstituentGroup(
                committee=committee,
                name=_unique(_group_name(kind, area, town, rng), used),
                kind=kind,
                sector=sector,
                area_name=area.name,
                area_code=area.code,
                town=town,
                contact_name=_person_name(rng),
                contact_phone=_mobile(rng),
            )
        )

    for sector in sectors:
        for _ in range(rng.randint(1, 3)):
            add_group(_group_kind(sector, rng), sector, rng.choice(areas))
    for area in areas[:12]:
        for kind in ("village", "community")[: rng.randint(1, 2)]:
            add_group(kind, rng.choice(sectors) if sectors else None, area)
    groups = ConstituentGroup.objects.bulk_create(groups, batch_size=BATCH)
    counts["constituent groups"] += len(groups)
    by_sector: dict[int | None, list[ConstituentGroup]] = {}
    for group in groups:
        by_sector.setdefault(group.sector_id, []).append(group)

    # Assignments: one group of the member's own sector, and up to two others.
    assignments: list[LiaisonAssignment] = []
    served: dict[int, list[ConstituentGroup]] = {}
    leads: set[int] = set()
    for seat in seats:
        chosen: dict[int, ConstituentGroup] = {}
        own = by_sector.get(seat.sector_id)
        if own:
            pick = rng.choice(own)
            chosen[pick.pk] = pick
        for group in rng.sample(groups, min(len(groups), rng.randint(0, 2))):
            chosen[group.pk] = group
        served[seat.pk] = list(chosen.values())
        for group in chosen.values():
            role = "member" if group.pk in leads else "lead"
            leads.add(group.pk)
            assignments.append(
                LiaisonAssignment(
                    committee=committee,
                    group=group,
                    membership=seat,
                    role=role,
                    start_date=max(seat.start_date, first_day),
                )
            )
    LiaisonAssignment.objects.bulk_create(assignments, batch_size=BATCH)
    counts["assignments"] += len(assignments)

    # Studios with their members.
    n_studios = max(1, min(MAX_STUDIOS, len(seats) // MEMBERS_PER_STUDIO))
    base_lat = Decimal(rng.uniform(22.5, 41.0)).quantize(Decimal("0.000001"))
    base_lon = Decimal(rng.uniform(102.0, 121.0)).quantize(Decimal("0.000001"))
    used_studios = set(Studio.objects.filter(committee=committee).values_list("name", flat=True))
    studios: list[Studio] = []
    for i in range(n_studios):
        area = areas[i % len(areas)]
        town = rng.choice(towns[area.code])
        studio_sector = sectors[i % len(sectors)] if sectors and i % 3 == 2 else None
        name = (
            f"{studio_sector.name}委员工作室" if studio_sector else f"{area.name}{town}委员工作室"
        )
        published = rng.random() < 0.9
        studios.append(
            Studio(
                committee=committee,
                name=_unique(name, used_studios),
                host_organization=f"{town}政协工作联络组"
                if studio_sector is None
                else f"{area.name}{studio_sector.name}联络组",
                sector=studio_sector,
                area_name=area.name,
                area_code=area.code,
                town=town,
                address=f"{area.name}{town}{rng.choice(ROADS)}路{rng.randint(1, 300)}号",
                latitude=base_lat + Decimal(rng.uniform(-0.3, 0.3)).quantize(Decimal("0.000001")),
                longitude=base_lon + Decimal(rng.uniform(-0.3, 0.3)).quantize(Decimal("0.000001")),
                phone=f"0{rng.randint(100, 999)}-{rng.randint(2000000, 8999999)}",
                description="委员工作室是委员联系服务界别群众的平台，欢迎群众来访反映意见建议。",
                reception_note="",
                status=Studio.Status.PUBLISHED if published else Studio.Status.DRAFT,
                published_at=now if published else None,
            )
        )
    studios = Studio.objects.bulk_create(studios, batch_size=BATCH)
    counts["studios"] += len(studios)
    studio_members: list[StudioMember] = []
    members_of: dict[int, list[Membership]] = {}
    for studio in studios:
        team = rng.sample(seats, min(len(seats), rng.randint(3, 6)))
        members_of[studio.pk] = team
        studio_members.extend(
            StudioMember(
                studio=studio,
                membership=seat,
                role="host" if index == 0 else "member",
                since=max(seat.start_date, first_day),
            )
            for index, seat in enumerate(team)
        )
    StudioMember.objects.bulk_create(studio_members, batch_size=BATCH)
    counts["studio members"] += len(studio_members)

    # Reception days: the 10th and 20th of each month, or every first Monday.
    days: list[ReceptionDay] = []
    day_teams: list[list[Membership]] = []
    year_end = datetime.date(year, 12, 31)
    for studio in studios:
        if studio.status != Studio.Status.PUBLISHED:
            continue
        monthly = rng.random() < 0.6
        dates = (
            monthly_days(first=first_day, last=year_end, days=(10, 20))
            if monthly
            else nth_weekdays(first=first_day, last=year_end, weekday=0, nth=1)
        )
        morning = rng.random() < 0.7
        start, end = (
            (datetime.time(9, 0), datetime.time(11, 30))
            if morning
            else (datetime.time(14, 30), datetime.time(17, 0))
        )
        studio.reception_note = (
            "每月10日、20日" if monthly else "每月第一个星期一"
        ) + f" {start:%H:%M}–{end:%H:%M}"
        team = members_of[studio.pk]
        for index, date in enumerate(dates):
            on_duty = [team[(2 * index) % len(team)], team[(2 * index + 1) % len(team)]]
            days.append(
                ReceptionDay(
                    committee=committee,
                    studio=studio,
                    date=date,
                    start_time=start,
                    end_time=end,
                    status=ReceptionDay.Status.CANCELLED
                    if rng.random() < 0.03
                    else ReceptionDay.Status.PUBLISHED,
                    sequence=1,
                )
            )
            day_teams.append(list({m.pk: m for m in on_duty}.values()))
    Studio.objects.bulk_update(studios, ["reception_note"], batch_size=BATCH)
    days = ReceptionDay.objects.bulk_create(days, batch_size=BATCH)
    duties = [
        ReceptionDuty(reception_day=day, membership=seat)
        for day, team in zip(days, day_teams, strict=True)
        for seat in team
    ]
    ReceptionDuty.objects.bulk_create(duties, batch_size=BATCH)
    counts["reception days"] += len(days)
    counts["duties"] += len(duties)

    # Activities.
    activities: list[LiaisonActivity] = []
    participants: list[list[Membership]] = []
    reached: list[list[ConstituentGroup]] = []

    def topic_for(focus_area: FocusArea | None) -> str:
        options = TOPICS.get(focus_area.slug if focus_area else "", TOPICS["livelihood"])
        return rng.choice(options)

    def add_activity(
        kind: str,
        date: datetime.date,
        team: list[Membership],
        to: list[ConstituentGroup],
        *,
        studio: Studio | None = None,
    ) -> None:
        focus_area = rng.choice(focus) if focus else None
        if to and to[0].kind == "village" and "rural" in focus_by_slug and rng.random() < 0.6:
            focus_area = focus_by_slug["rural"]
        people = rng.randint(3, 60)
        place = studio.name if studio else (to[0].name if to else f"{areas[0].name}")
        text = KIND_TEXT[kind].format(
            group=to[0].name if to else "界别群众",
            topic=topic_for(focus_area),
            n=rng.randint(1, 8),
            people=people,
            place=place,
        )
        activities.append(
            LiaisonActivity(
                committee=committee,
                kind=kind,
                date=date,
                place=place,
                studio=studio,
                sector_id=team[0].sector_id,
                focus_area=focus_area,
                headcount=people,
                summary=text,
                follow_ups=rng.choice(FOLLOW_UPS),
            )
        )
        participants.append(team)
        reached.append(to)

    if last_day >= first_day:
        for seat in seats:
            if rng.random() < QUIET_SHARE:
                continue
            for _ in range(rng.randint(2, 9)):
                kind = _weighted(rng, KIND_WEIGHTS)
                team = [seat]
                if rng.random() < 0.3:
                    other = rng.choice(seats)
                    if other.pk != seat.pk:
                        team.append(other)
                own_groups = served.get(seat.pk, [])
                to = [rng.choice(own_groups)] if own_groups and rng.random() < 0.8 else []
                add_activity(kind, _date_between(rng, first_day, last_day), team, to)
        for day, team in zip(days, day_teams, strict=True):
            if (
                day.date <= last_day
                and day.status == ReceptionDay.Status.PUBLISHED
                and rng.random() < 0.5
            ):
                add_activity("reception", day.date, team, [], studio=day.studio)
    activities = LiaisonActivity.objects.bulk_create(activities, batch_size=BATCH)
    ActivityParticipant.objects.bulk_create(
        (
            ActivityParticipant(activity=activity, membership=seat)
            for activity, team in zip(activities, participants, strict=True)
            for seat in team
        ),
        batch_size=BATCH,
    )
    ActivityGroup.objects.bulk_create(
        (
            ActivityGroup(activity=activity, group=group)
            for activity, to in zip(activities, reached, strict=True)
            for group in to
        ),
        batch_size=BATCH,
    )
    counts["activities"] += len(activities)

    # The year's plan.
    if not LiaisonPlan.objects.filter(committee=committee, year=year).exists():
        plan = LiaisonPlan.objects.create(
            committee=committee,
            year=year,
            title=f"{year}年委员联系界别群众工作计划",
            note="每位委员全年联系界别群众不少于4次；工作室委员每季度至少值班接待1次。",
            published=True,
            published_at=now,
        )
        tasks = [
            PlanTask(
                committee=committee,
                plan=plan,
                metric=PlanTask.Metric.CONTACTS,
                period=PlanTask.Period.YEAR,
                target=4,
                description="每位委员全年联系界别群众不少于4次",
            ),
            PlanTask(
                committee=committee,
                plan=plan,
                metric=PlanTask.Metric.DUTY_DAYS,
                period=PlanTask.Period.QUARTER,
                target=1,
                description="每季度至少值班接待1次",
            ),
        ]
        if sectors:
            tasks.append(
                PlanTask(
                    committee=committee,
                    plan=plan,
                    applies_to=PlanTask.AppliesTo.SECTOR,
                    sector=sectors[0],
                    metric=PlanTask.Metric.ACTIVITIES_OF_KIND,
                    activity_kind="survey",
                    period=PlanTask.Period.YEAR,
                    target=1,
                    description=f"{sectors[0].name}委员全年至少参加专题调研1次",
                )
            )
        PlanTask.objects.bulk_create(tasks)
        counts["plans"] += 1
        counts["plan tasks"] += len(tasks)

    # Constituents in touch, with consent.
    contacts: list[ConstituentContact] = []
    if last_day >= first_day:
        owners: list[tuple[Membership | None, Studio | None]] = [
            (None, s) for s in studios for _ in range(2)
        ]
        owners += [(rng.choice(seats), None) for _ in range(max(1, len(seats) // 20))]
        for membership, owner_studio in owners:
            contacts.append(
                ConstituentContact(
                    committee=committee,
                    name=_person_name(rng),
                    phone=_mobile(rng),
                    group=rng.choice(groups) if groups and rng.random() < 0.5 else None,
                    membership=membership,
                    studio=owner_studio,
                    consent_given=True,
                    consent_date=_date_between(rng, first_day, last_day),
                    consent_method=rng.choice(("written", "verbal", "online", "wechat")),
                    notes="",
                )
            )
    ConstituentContact.objects.bulk_create(contacts, batch_size=BATCH)
    counts["constituent contacts"] += len(contacts)


def delete(*, committee_ids: Iterable[int]) -> dict[str, int]:
    """Delete every liaison row of these committees, in an order their PROTECT keys allow (for
    `seed --force` before it deletes the committees). Uploaded files are removed with their
    rows. Returns rows deleted by label."""
    ids = sorted(set(committee_ids))
    counts: dict[str, int] = {}
    order = (
        ConstituentContact,
        LiaisonAttachment,
        LiaisonActivity,  # its participants and groups reached go with it
        ReceptionDay,  # its duties go with it
        LiaisonAssignment,
        Studio,  # its members go with it
        ConstituentGroup,
        LiaisonPlan,  # its tasks go with it
    )
    files: list[str] = []
    with transaction.atomic():
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            files += [
                name
                for name in LiaisonAttachment.objects.filter(committee_id__in=chunk).values_list(
                    "file", flat=True
                )
                if name
            ]
            for model in order:
                _total, by_label = model.objects.filter(committee_id__in=chunk).delete()
                for label, n in by_label.items():
                    counts[label] = counts.get(label, 0) + n
        transaction.on_commit(lambda: _delete_files(files))
    return counts


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def summary(counts: dict[str, Any]) -> str:
    """One line for the command's output."""
    return ", ".join(f"{value} {key}" for key, value in counts.items())
