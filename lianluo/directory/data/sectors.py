"""Sectors 界别: who sits in each, and how many seats each takes at each level.

The 34 sectors of the 14th National Committee are listed in their official order (the 13th list
with the Youth League and the Youth Federation merged into one sector and 环境资源界 added, see
`domain/reference.md` §4). Its seat numbers add up to the 2,172 members of the list of
18 January 2023; 环境资源界 (85) is the published figure, the others follow the published
quotas of the 13th term, trimmed to make room for it (approximate).

Municipal committees default to the 31 sectors of Putian (with 环境资源界, which every committee
added at the 2022–23 change of term); county committees to the 23 of Langzhong plus 环境资源界;
provincial committees to the municipal list plus 台盟 and 对外友好界.
"""

from __future__ import annotations

from dataclasses import dataclass

# Political affiliations by weight, as codes of Person.Affiliation; "parties" stands for the
# eight democratic parties in proportion to their size (DEMOCRATIC_PARTY_WEIGHTS).
Mix = tuple[tuple[str, int], ...]

DEMOCRATIC_PARTY_WEIGHTS: Mix = (
    ("rcck", 14),
    ("cdl", 20),
    ("cndca", 15),
    ("capd", 15),
    ("cpwdp", 13),
    ("zgzgd", 7),
    ("jiusan", 13),
    ("tdsgl", 3),
)

PROFESSIONS: Mix = (("cpc", 35), ("parties", 30), ("non_party", 15), ("masses", 20))


@dataclass(frozen=True)
class Sector:
    """One kind of sector, with its names at national/provincial and at local level."""

    key: str
    name: str  # national and provincial committees: 中国国民党革命委员会
    short: str  # 民革
    local_name: str  # municipal and county committees: 民革
    affiliations: Mix
    work: str  # key of lianluo.directory.data.work.WORK
    female_share: float = 0.27
    minority: bool = False  # every member is of an ethnic minority


SECTORS: dict[str, Sector] = {
    s.key: s
    for s in (
        Sector("cpc", "中国共产党", "中共", "中共", (("cpc", 1),), "cpc", 0.2),
        Sector("rcck", "中国国民党革命委员会", "民革", "民革", (("rcck", 1),), "party"),
        Sector("cdl", "中国民主同盟", "民盟", "民盟", (("cdl", 1),), "party"),
        Sector("cndca", "中国民主建国会", "民建", "民建", (("cndca", 1),), "party"),
        Sector("capd", "中国民主促进会", "民进", "民进", (("capd", 1),), "party"),
        Sector("cpwdp", "中国农工民主党", "农工党", "农工党", (("cpwdp", 1),), "party"),
        Sector("zgzgd", "中国致公党", "致公党", "致公党", (("zgzgd", 1),), "party"),
        Sector("jiusan", "九三学社", "九三学社", "九三学社", (("jiusan", 1),), "party"),
        Sector("tdsgl", "台湾民主自治同盟", "台盟", "台盟", (("tdsgl", 1),), "party"),
        Sector("non_party", "无党派人士", "无党派", "无党派人士", (("non_party", 1),), "party"),
        Sector(
            "youth",
            "中国共产主义青年团和中华全国青年联合会",
            "共青团和青联",
            "共青团和青联",
            (("cpc", 55), ("cyl", 15), ("masses", 15), ("parties", 10), ("non_party", 5)),
            "youth",
            0.4,
        ),
        Sector(
            "cyl",
            "中国共产主义青年团",
            "共青团",
            "共青团",
            (("cpc", 70), ("cyl", 25), ("masses", 5)),
            "youth",
            0.4,
        ),
        Sector(
            "youth_federation",
            "中华全国青年联合会",
            "青联",
            "青联",
            (("cpc", 35), ("cyl", 15), ("masses", 25), ("parties", 15), ("non_party", 10)),
            "youth",
            0.4,
        ),
        Sector(
            "union",
            "中华全国总工会",
            "总工会",
            "工会",
            (("cpc", 70), ("masses", 20), ("parties", 10)),
            "union",
            0.3,
        ),
        Sector(
            "women",
            "中华全国妇女联合会",
            "妇联",
            "妇联",
            (("cpc", 55), ("parties", 25), ("non_party", 10), ("masses", 10)),
            "women",
            0.92,
        ),
        Sector(
            "business",
            "中华全国工商业联合会",
            "工商联",
            "工商联",
            (("cpc", 25), ("cndca", 20), ("parties", 20), ("non_party", 15), ("masses", 20)),
            "business",
            0.18,
        ),
        Sector(
            "science_association",
            "中国科学技术协会",
            "科协",
            "科协",
            (("cpc", 40), ("jiusan", 20), ("parties", 20), ("non_party", 20)),
            "science",
        ),
        Sector(
            "taiwan_compatriots",
            "中华全国台湾同胞联谊会",
            "台联",
            "台联",
            (("cpc", 30), ("tdsgl", 30), ("non_party", 20), ("masses", 20)),
            "taiwan",
        ),
        Sector(
            "returned_overseas",
            "中华全国归国华侨联合会",
            "侨联",
            "侨联",
            (("cpc", 30), ("zgzgd", 30), ("non_party", 20), ("masses", 20)),
            "overseas",
        ),
        Sector("culture", "文化艺术界", "文艺界", "文艺界", PROFESSIONS, "culture", 0.35),
        Sector("science", "科学技术界", "科技界", "科技界", PROFESSIONS, "science", 0.2),
        Sector("social_science", "社会科学界", "社科界", "社科界", PROFESSIONS, "social_science"),
        Sector("economy", "经济界", "经济界", "经济界", PROFESSIONS, "economy", 0.2),
        Sector("agriculture", "农业界", "农业界", "农业界", PROFESSIONS, "agriculture", 0.22),
        Sector("education", "教育界", "教育界", "教育界", PROFESSIONS, "education", 0.38),
        Sector("sports", "体育界", "体育界", "体育界", PROFESSIONS, "sports", 0.35),
        Sector("press", "新闻出版界", "新闻出版界", "新闻出版界", PROFESSIONS, "press", 0.33),
        Sector("health", "医药卫生界", "医卫界", "医卫界", PROFESSIONS, "health", 0.35),
        Sector("friendship", "对外友好界", "对外友好界", "对外友好界", PROFESSIONS, "foreign"),
        Sector(
            "welfare",
            "社会福利和社会保障界",
            "社会福利和社会保障界",
            "社会福利和社会保障界",
            PROFESSIONS,
            "welfare",
            0.35,
        ),
        Sector(
            "ethnic_minorities",
            "少数民族界",
            "少数民族界",
            "少数民族界",
            (("cpc", 60), ("parties", 15), ("non_party", 10), ("masses", 15)),
            "ethnic",
            0.3,
            minority=True,
        ),
        Sector(
            "religion",
            "宗教界",
            "宗教界",
            "宗教界",
            (("masses", 85), ("non_party", 15)),
            "religion",
            0.12,
        ),
        Sector(
            "hong_kong",
            "特邀香港人士",
            "特邀香港人士",
            "特邀香港人士",
            (("masses", 100),),
            "hong_kong",
            0.2,
        ),
        Sector(
            "macao",
            "特邀澳门人士",
            "特邀澳门人士",
            "特邀澳门人士",
            (("masses", 100),),
            "macao",
            0.2,
        ),
        Sector(
            "special",
            "特别邀请人士",
            "特邀界",
            "特邀界",
            (("cpc", 75), ("non_party", 10), ("masses", 15)),
            "special",
            0.15,
        ),
        Sector(
            "environment",
            "环境资源界",
            "环境资源界",
            "环境资源界",
            PROFESSIONS,
            "environment",
            0.25,
        ),
    )
}

# The 14th National Committee: (sector, seats) in the official order; 2,172 seats in all.
NATIONAL_SECTORS: tuple[tuple[str, int], ...] = (
    ("cpc", 99),
    ("rcck", 65),
    ("cdl", 65),
    ("cndca", 65),
    ("capd", 45),
    ("cpwdp", 45),
    ("zgzgd", 30),
    ("jiusan", 45),
    ("tdsgl", 20),
    ("non_party", 65),
    ("youth", 35),
    ("union", 62),
    ("women", 66),
    ("business", 65),
    ("science_association", 43),
    ("taiwan_compatriots", 14),
    ("returned_overseas", 27),
    ("culture", 130),
    ("science", 100),
    ("social_science", 66),
    ("economy", 106),
    ("agriculture", 64),
    ("education", 101),
    ("sports", 21),
    ("press", 43),
    ("health", 80),
    ("friendship", 40),
    ("welfare", 34),
    ("ethnic_minorities", 98),
    ("religion", 65),
    ("hong_kong", 124),
    ("macao", 29),
    ("special", 130),
    ("environment", 85),
)
NATIONAL_MEMBERS = 2172

# A municipal committee (the 31 of Putian): (sector, relative weight of its seats).
MUNICIPAL_SECTORS: tuple[tuple[str, int], ...] = (
    ("cpc", 30),
    ("rcck", 10),
    ("cdl", 12),
    ("cndca", 12),
    ("capd", 11),
    ("cpwdp", 10),
    ("zgzgd", 6),
    ("jiusan", 9),
    ("non_party", 10),
    ("cyl", 5),
    ("youth_federation", 7),
    ("union", 10),
    ("women", 12),
    ("business", 20),
    ("science_association", 8),
    ("taiwan_compatriots", 4),
    ("returned_overseas", 6),
    ("culture", 14),
    ("science", 12),
    ("social_science", 8),
    ("economy", 38),
    ("agriculture", 16),
    ("education", 18),
    ("sports", 4),
    ("press", 6),
    ("health", 16),
    ("welfare", 6),
    ("ethnic_minorities", 6),
    ("religion", 6),
    ("special", 28),
    ("environment", 8),
)

# A provincial committee: the municipal list with 台盟 and 对外友好界 (33 sectors).
PROVINCIAL_SECTORS: tuple[tuple[str, int], ...] = (
    *MUNICIPAL_SECTORS[:8],
    ("tdsgl", 4),
    *MUNICIPAL_SECTORS[8:26],
    ("friendship", 6),
    *MUNICIPAL_SECTORS[26:],
)

# A county committee (the 23 of Langzhong, and 环境资源界).
COUNTY_SECTORS: tuple[tuple[str, int], ...] = (
    ("cpc", 30),
    ("rcck", 6),
    ("cdl", 8),
    ("capd", 7),
    ("non_party", 8),
    ("cyl", 6),
    ("union", 9),
    ("women", 12),
    ("business", 18),
    ("science_association", 6),
    ("taiwan_compatriots", 3),
    ("returned_overseas", 4),
    ("culture", 10),
    ("science", 8),
    ("social_science", 5),
    ("economy", 30),
    ("agriculture", 20),
    ("education", 16),
    ("sports", 3),
    ("health", 14),
    ("ethnic_minorities", 5),
    ("religion", 5),
    ("special", 24),
    ("environment", 6),
)

SECTORS_BY_LEVEL: dict[str, tuple[tuple[str, int], ...]] = {
    "national": NATIONAL_SECTORS,
    "provincial": PROVINCIAL_SECTORS,
    "municipal": MUNICIPAL_SECTORS,
    "county": COUNTY_SECTORS,
}
