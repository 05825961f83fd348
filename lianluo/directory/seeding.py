"""Synthetic registry data at every scale: the generator behind `manage.py seed` and `demo`.

Three steps, the first two pure (no database, no clock, no global random state):

* `build_plan(scale, fraction=, seed=)` lays out the committees: codes, names, parents, sizes.
* `generate(plan)` yields, committee by committee (parents first), the rows to insert:
  organizations, terms, plenary sessions, new people and memberships. Every committee draws from
  its own `random.Random(f"{seed}:{code}")`, so the same arguments give the same rows;
  `fingerprint(plan)` hashes them.
* `write(plan)` inserts the rows with bulk_create, one transaction per committee, and computes
  what Person.save() and the services would: the name and its sort and pinyin keys, and the ID
  number's digest, ciphertext and mask. The ciphertext is the one column that differs between
  two runs: Fernet draws a fresh IV each time, by design.

What the data looks like: real sector lists and seat numbers (`lianluo.directory.data`), names
from surnames by frequency, ~70 % men, births 1955–1990, resident ID numbers with a valid GB 11643
check character, the birth date and a region code of the person's committee or home division
(unique across the database: the serial is drawn from a range of its own for each level — county
000–599, municipal 600–799, provincial 800–899, national 900–999 — so two committees never draw
the same number), political affiliations that match the sector, seats with one chair, vice
chairs, a secretary-general, ~15–20 % standing members; special committees, sector conveners,
sector groups, party liaisons; a few members who resigned, were removed or died; an earlier,
ended term for ~45 % of the members; and ~5 % of people who hold seats in two committees (a
county member who also sits in the city's committee: the same Person, one ID number).
"""

from __future__ import annotations

import bisect
import hashlib
import importlib
import inspect
import itertools
import random
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import IO, Any, TypeVar

from django.db import connection, transaction
from django.db.models import Count
from tqdm import tqdm

from lianluo.core import crypto
from lianluo.core.chinese import (
    COMPOUND_SURNAMES,
    id_number_check_char,
    mask_id_number,
    name_search_keys,
    name_sort_key,
)
from lianluo.directory.data import names as name_data
from lianluo.directory.data import organizations as org_data
from lianluo.directory.data import regions, work
from lianluo.directory.data.sectors import DEMOCRATIC_PARTY_WEIGHTS, SECTORS, SECTORS_BY_LEVEL
from lianluo.directory.data.sectors import Sector as SectorKind
from lianluo.directory.models import (
    Committee,
    Grant,
    Membership,
    Organization,
    Person,
    Session,
    Term,
)
from lianluo.directory.services import focus_areas_ensure_defaults

T = TypeVar("T")

SCALES = ("city", "province", "national")
# Statuses and dates are drawn up to this day, not up to today, so that the data do not
# depend on when they are generated.
AS_OF = date(2026, 6, 30)
DOUBLE_SHARE = 0.05  # of a committee's seats, held by members of its parent committee
CONTINUING_SHARE = 0.45  # of the members, also seated in the previous term
LEFT_SHARE = 0.015  # of the members, who resigned, were removed or died during the term
ADDED_SHARE = 0.02  # of the members, added during the term 增补
SPECIAL_SHARE = 0.3  # of the members, who sit in a special committee
MAX_NAME_LENGTH = 8
CITY_MEMBERS = 400
MIN_MEMBERS = 20
SIZES = {  # (low, high, mode) of a committee's seats
    "provincial": (560, 840, 700),
    "municipal": (300, 500, 380),
    "county": (140, 250, 170),
}
VICE_CHAIRS = {"national": 23, "provincial": 10, "municipal": 7, "county": 5}
STANDING_SHARE = {"national": 0.14, "provincial": 0.17, "municipal": 0.19, "county": 0.2}
LEADERS = ("chair", "vice_chair", "secretary_general")
CONVENER_PREFERENCE = {  # a sector's convener: a standing member first, the chair last
    "standing_member": 0,
    "member": 1,
    "vice_chair": 2,
    "secretary_general": 2,
    "chair": 3,
}
MAX_SECTORS_PER_GROUP = 5
GROUP_SIZE = {"national": 60, "provincial": 40, "municipal": 25, "county": 18}
SERIALS = {  # the ID number's serial 顺序码 by the level of the committee that draws it
    "county": (0, 600),
    "municipal": (600, 800),
    "provincial": (800, 900),
    "national": (900, 1000),
}
PARTY_SHORT = {
    g.affiliation: g.national_short.removesuffix("中央")
    for g in org_data.PARTIES_AND_GROUPS
    if g.affiliation
}
LEFT_NOTES = {
    "resigned": "因工作调动辞去委员职务",
    "removed": "撤销委员资格",
    "deceased": "病故",
}


# --- The plan: which committees, where, how big --------------------------------------------


@dataclass(frozen=True)
class CommitteePlan:
    """One committee to generate."""

    code: str
    name: str
    short_name: str
    level: str  # Committee.Level
    parent: str | None
    place: str  # 湘潭市
    place_short: str  # 湘潭
    level_char: str  # 省, 市, 区, 县 (民革市委, 团县委)
    seats: int
    # Where its members come from: the codes of its children in the plan, by weight. Empty: the
    # committee's own division.
    homes: tuple[tuple[str, int], ...] = ()
    # A parent seeded only with the seats that its child's members also hold (--scale city).
    partial: bool = False
    is_demo: bool = False


@dataclass(frozen=True)
class Plan:
    """The committees of one scale, parents before children, and the names of the divisions
    that members come from."""

    scale: str
    fraction: float
    seed: int
    committees: tuple[CommitteePlan, ...]
    places: dict[str, tuple[str, str]]  # home code → (name, short name)

    @property
    def seats(self) -> int:
        return sum(c.seats for c in self.committees)


@dataclass
class _Node:
    code: str
    name: str
    short: str
    children: list[_Node] = field(default_factory=list)


def _spread(items: Sequence[T], k: int) -> list[T]:
    """`k` items spread evenly over `items` (all of them if k ≥ len)."""
    n = len(items)
    if k >= n:
        return list(items)
    return [items[int((j + 0.5) * n / k)] for j in range(k)]


def _allocate(total: int, capacities: Sequence[int]) -> list[int]:
    """Split `total` in proportion to `capacities`, never above a capacity (largest remainder)."""
    if total >= sum(capacities):
        return list(capacities)
    return _largest_remainder(total, capacities)


def _largest_remainder(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` in proportion to `weights` into whole numbers (largest remainder)."""
    whole = sum(weights)
    quotas = [total * w / whole for w in weights]
    shares = [int(q) for q in quotas]
    order = sorted(range(len(quotas)), key=lambda i: (shares[i] - quotas[i], i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


_PROVINCE_SHORTS = frozenset(p.short for p in regions.PROVINCES)


def _synthetic_name(rng: random.Random, used: set[str], suffix: str) -> tuple[str, str]:
    chars = regions.PLACE_CHARACTERS
    while True:
        short = rng.choice(chars) + rng.choice(chars)
        if short[0] != short[1] and short + suffix not in used and short not in _PROVINCE_SHORTS:
            used.add(short + suffix)
            return short + suffix, short


def _synthetic_counties(rng: random.Random, used: set[str], prefix: str, n: int) -> list[_Node]:
    """`n` county-level divisions under the prefecture `prefix` (4 digits): districts 区 with
    codes 02…, counties 县 from 21, and one county-level city 市 from 81 (the GB/T 2260 pattern)."""
    districts = min(n, max(1, round(n * 0.3)))
    cities = 1 if n - districts >= 4 else 0
    nodes = []
    for i in range(n):
        if i < districts:
            code, suffix = f"{prefix}{2 + i:02d}", "区"
        elif i < n - cities:
            code, suffix = f"{prefix}{21 + i - districts:02d}", "县"
        else:
            code, suffix = f"{prefix}{81 + i - (n - cities):02d}", "市"
        name, short = _synthetic_name(rng, used, suffix)
        nodes.append(_Node(code, name, short))
    return nodes


def _province_tree(province: regions.Province, seed: int) -> _Node:
    """The province with all its prefecture- and county-level divisions (real where listed in
    `regions`, synthetic otherwise). Depends only on the seed and the province."""
    rng = random.Random(f"{seed}:places:{province.code}")
    used: set[str] = set()
    root = _Node(province.code, province.name, province.short)
    pp = province.code[:2]
    if province.municipality:
        n = province.counties
        for i in range(n):
            suffix = "县" if i >= 26 else "区"
            name, short = _synthetic_name(rng, used, suffix)
            root.children.append(_Node(f"{pp}01{i + 1:02d}", name, short))
        return root
    real = regions.REAL_PREFECTURES.get(province.code)
    if real:
        prefectures = [(p.code, p.name, p.short, p.counties) for p in real]
    else:
        counts = [province.counties // province.prefectures] * province.prefectures
        for i in rng.sample(range(province.prefectures), province.counties % province.prefectures):
            counts[i] += 1
        prefectures = []
        for i, count in enumerate(counts):
            name, short = _synthetic_name(rng, used, "市")
            prefectures.append((f"{pp}{i + 1:02d}00", name, short, count))
    for code, name, short, count in prefectures:
        node = _Node(code, name, short)
        real_counties = regions.REAL_COUNTIES.get(code)
        if real_counties:
            node.children = [_Node(c.code, c.name, c.short) for c in real_counties]
        else:
            node.children = _synthetic_counties(rng, used, code[:4], count)
        root.children.append(node)
    return root


def _seats(seed: int, code: str, level: str) -> int:
    low, high, mode = SIZES[level]
    return round(random.Random(f"{seed}:seats:{code}").triangular(low, high, mode))


def _committee(
    node: _Node,
    level: str,
    parent: _Node | None,
    seats: int,
    *,
    province: regions.Province,
    homes: tuple[tuple[str, int], ...] = (),
    partial: bool = False,
    is_demo: bool = False,
) -> CommitteePlan:
    if level == "provincial":
        level_char = "区" if node.name.endswith("自治区") else node.name[-1]
        full, short_name = node.name, f"{node.name}政协"
    elif level == "municipal":
        level_char = "州" if node.name.endswith("州") else "市"
        full = node.name
        short_name = f"{node.short}州政协" if node.name.endswith("自治州") else f"{node.name}政协"
    else:
        level_char = node.name[-1]
        above = parent.name if parent is not None else province.name
        full, short_name = f"{above}{node.name}", f"{node.name}政协"
    return CommitteePlan(
        code=node.code,
        name=f"中国人民政治协商会议{full}委员会",
        short_name=short_name,
        level=level,
        parent=parent.code if parent is not None else None,
        place=node.name,
        place_short=node.short,
        level_char=level_char,
        seats=seats,
        homes=homes,
        partial=partial,
        is_demo=is_demo,
    )


def _scaled(n: int, fraction: float) -> int:
    return n if fraction >= 1 else max(1, round(n * fraction))


def _province_plans(
    trees: list[tuple[regions.Province, _Node]],
    *,
    fraction: float,
    municipal_total: int,
    county_total: int,
    national: _Node | None,
    seed: int,
) -> list[CommitteePlan]:
    """The provinces of `trees` and the share `fraction` of the committees below them."""
    kept_prefectures = [
        _spread(tree.children, share)
        for (province, tree), share in zip(
            trees,
            _allocate(
                _scaled(municipal_total, fraction),
                [0 if p.municipality else len(t.children) for p, t in trees],
            ),
            strict=True,
        )
    ]
    # County committees are allotted over the kept prefectures (and the municipalities).
    units: list[_Node] = []
    for (province, tree), prefectures in zip(trees, kept_prefectures, strict=True):
        units.extend([tree] if province.municipality else prefectures)
    county_shares = _allocate(
        _scaled(county_total, fraction), [len(unit.children) for unit in units]
    )
    kept_counties = {
        unit.code: _spread(unit.children, share)
        for unit, share in zip(units, county_shares, strict=True)
    }
    plans: list[CommitteePlan] = []
    for (province, tree), prefectures in zip(trees, kept_prefectures, strict=True):
        below = kept_counties[tree.code] if province.municipality else prefectures
        below_level = "county" if province.municipality else "municipal"
        below_seats = {n.code: _seats(seed, n.code, below_level) for n in below}
        plans.append(
            _committee(
                tree,
                "provincial",
                national,
                _seats(seed, tree.code, "provincial"),
                province=province,
                homes=tuple(below_seats.items()),
            )
        )
        for node in below:
            counties = [] if province.municipality else kept_counties[node.code]
            county_seats = {n.code: _seats(seed, n.code, "county") for n in counties}
            plans.append(
                _committee(
                    node,
                    below_level,
                    tree,
                    below_seats[node.code],
                    province=province,
                    homes=tuple(county_seats.items()),
                )
            )
            plans.extend(
                _committee(county, "county", node, county_seats[county.code], province=province)
                for county in counties
            )
    return plans


def build_plan(scale: str, *, fraction: float = 1.0, seed: int = 1, is_demo: bool = False) -> Plan:
    """The committees of a scale, parents before children.

    * city: the municipal committee of Xiangtan 湘潭市 (400 seats × fraction, at least 20) under
      the committee of Hunan 湖南省, which is seeded only with the seats (5 %) that Xiangtan's
      members also hold there.
    * province: Hunan (~700 seats), its 14 municipal committees (~300–500 seats) and its 123
      county committees (~140–250 seats).
    * national: the National Committee (2,172 seats in 34 sectors), 31 provincial, 333
      municipal and 2,844 county committees: ~650,000 people.

    `fraction` F (0 < F ≤ 1) keeps the top committee whole and, at each level below it, the share
    F of the committees (rounded, at least one): round(31 F) provinces spread evenly over the
    list, then round(333 F) municipal and round(2,844 F) county committees allotted to the kept
    provinces and prefectures in proportion to their real numbers. Kept committees keep their
    usual sizes, so the number of people scales by about F. At the city scale, where nothing is
    below the top, F scales the size of the municipal committee instead.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}")
    if not 0 < fraction <= 1:
        raise ValueError("fraction must be in (0, 1]")
    hunan = regions.PROVINCES_BY_CODE[regions.DEMO_PROVINCE_CODE]
    places = {p.code: (p.name, p.short) for p in regions.PROVINCES}
    places[regions.HONG_KONG_REGION] = ("香港特别行政区", "香港")
    places[regions.MACAO_REGION] = ("澳门特别行政区", "澳门")
    plans: list[CommitteePlan]
    if scale == "city":
        tree = _province_tree(hunan, seed)
        city = next(n for n in tree.children if n.code == regions.DEMO_CITY_CODE)
        seats = max(MIN_MEMBERS, round(CITY_MEMBERS * fraction))
        plans = [
            _committee(
                tree,
                "provincial",
                None,
                max(1, round(seats * DOUBLE_SHARE)),
                province=hunan,
                homes=((city.code, 1),),
                partial=True,
                is_demo=is_demo,
            ),
            _committee(city, "municipal", tree, seats, province=hunan, is_demo=is_demo),
        ]
    elif scale == "province":
        tree = _province_tree(hunan, seed)
        plans = _province_plans(
            [(hunan, tree)],
            fraction=fraction,
            municipal_total=hunan.prefectures,
            county_total=hunan.counties,
            national=None,
            seed=seed,
        )
    else:
        national = _Node(regions.NATIONAL_CODE, "全国", "全国")
        kept = _spread(regions.PROVINCES, _scaled(len(regions.PROVINCES), fraction))
        plans = [
            CommitteePlan(
                code=regions.NATIONAL_CODE,
                name=regions.NATIONAL_NAME,
                short_name=regions.NATIONAL_SHORT_NAME,
                level="national",
                parent=None,
                place="全国",
                place_short="全国",
                level_char="全国",
                seats=sum(n for _, n in SECTORS_BY_LEVEL["national"]),
                homes=tuple((p.code, p.counties) for p in regions.PROVINCES),
            ),
            *_province_plans(
                [(p, _province_tree(p, seed)) for p in kept],
                fraction=fraction,
                municipal_total=sum(p.prefectures for p in regions.PROVINCES),
                county_total=sum(p.counties for p in regions.PROVINCES),
                national=national,
                seed=seed,
            ),
        ]
    for plan in plans:
        places[plan.code] = (plan.place, plan.place_short)
    return Plan(scale, fraction, seed, tuple(plans), places)


# --- The rows: what generate() yields --------------------------------------------------------


@dataclass(slots=True)
class PersonRow:
    key: int  # 0, 1, 2 … over the whole plan
    family_name: str
    given_name: str
    gender: str
    ethnicity: str
    birth_date: date
    id_number: str
    mobile: str
    affiliation: str
    workplace: str

    @property
    def name(self) -> str:
        return f"{self.family_name}{self.given_name}"


@dataclass(slots=True)
class OrganizationRow:
    classification: str
    name: str
    short_name: str
    position: int
    parent: int | None = None  # index in CommitteeRows.organizations


@dataclass(slots=True)
class MembershipRow:
    person: int  # PersonRow.key
    term: int  # Term.number
    organization: int | None  # index in CommitteeRows.organizations; None for a seat
    sector: int | None  # index in CommitteeRows.organizations, for a seat
    role: str
    start_date: date
    end_date: date | None = None
    status: str = "serving"
    note: str = ""


@dataclass
class CommitteeRows:
    plan: CommitteePlan
    terms: list[tuple[int, date, date | None]]  # (number, start, end)
    sessions: list[tuple[int, int, date, date]]  # (term number, number, opens, closes)
    organizations: list[OrganizationRow]
    people: list[PersonRow]  # new people; seats may also go to people of a parent committee
    memberships: list[MembershipRow]


@dataclass(slots=True)
class _Seat:
    person: PersonRow
    sector: int
    double: bool
    start: date
    role: str = "member"
    status: str = "serving"
    end: date | None = None
    note: str = ""

    @property
    def plain(self) -> bool:
        return self.role == "member" and self.status == "serving"


def _cumulative(weights: Iterable[int]) -> list[int]:
    return list(itertools.accumulate(weights))


def _pick(rng: random.Random, items: Sequence[T], cumulative: Sequence[int]) -> T:
    return items[bisect.bisect_right(cumulative, rng.random() * cumulative[-1])]


def _affiliation_mix(sector: SectorKind) -> tuple[list[str], list[int]]:
    codes: list[str] = []
    weights: list[int] = []
    for code, weight in sector.affiliations:
        if code == "parties":
            whole = sum(w for _, w in DEMOCRATIC_PARTY_WEIGHTS)
            for party, share in DEMOCRATIC_PARTY_WEIGHTS:
                codes.append(party)
                weights.append(weight * share * 100 // whole)
        else:
            codes.append(code)
            weights.append(weight * 100)
    return codes, _cumulative(weights)


_MIXES = {key: _affiliation_mix(sector) for key, sector in SECTORS.items()}
_SURNAMES = [s for s, _ in name_data.SURNAMES]
_SURNAME_WEIGHTS = _cumulative(w for _, w in name_data.SURNAMES)
_HOMES_CACHE: dict[tuple[tuple[str, int], ...], list[int]] = {}


def _id_region(rng: random.Random, home: str) -> str:
    """The region code 地址码 of an ID number issued in the division `home`."""
    if home in (regions.HONG_KONG_REGION, regions.MACAO_REGION):
        return home
    if home.endswith("0000"):
        return f"{home[:2]}0102"  # the first district of the capital
    if home.endswith("00"):
        real = regions.REAL_COUNTIES.get(home)
        return rng.choice(real).code if real else f"{home[:4]}02"
    return home


@dataclass
class _Local:
    """What must not repeat within one committee: ID numbers drawn, workplaces and titles."""

    id_numbers: set[str] = field(default_factory=set)
    posts: set[str] = field(default_factory=set)


class _Generator:
    """Walks the plan, handing each committee its rows; keeps the pools of people that a
    committee shares with the committees below it."""

    def __init__(self, plan: Plan, is_taken: Callable[[str], bool] | None) -> None:
        self.plan = plan
        self.is_taken = is_taken
        self.next_key = 0
        # Per child committee code: people of its parent who live there (candidates for a seat
        # in both), with the sector they hold in the parent.
        self.pools: dict[str, list[tuple[PersonRow, str]]] = {}
        self.pooled = {c.code for c in plan.committees}

    # People ------------------------------------------------------------------------------

    def person(
        self,
        rng: random.Random,
        committee: CommitteePlan,
        sector: SectorKind,
        home: str,
        local: _Local,
    ) -> PersonRow:
        female = rng.random() < sector.female_share
        ethnicity = self.ethnicity(rng, sector, home)
        family, given = self.name(rng, ethnicity, female)
        year = min(1990, max(1955, int(rng.triangular(1955, 1991, 1968))))
        birth = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        codes, cumulative = _MIXES[sector.key]
        affiliation = _pick(rng, codes, cumulative)
        row = PersonRow(
            key=self.next_key,
            family_name=family,
            given_name=given,
            gender="female" if female else "male",
            ethnicity=ethnicity,
            birth_date=birth,
            id_number=self.id_number(
                rng, _id_region(rng, home), birth, female, committee, local.id_numbers
            ),
            mobile=rng.choice(name_data.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}",
            affiliation=affiliation,
            workplace=self.workplace(rng, committee, sector, home, affiliation, local.posts),
        )
        self.next_key += 1
        return row

    def ethnicity(self, rng: random.Random, sector: SectorKind, home: str) -> str:
        province = regions.PROVINCES_BY_CODE.get(f"{home[:2]}0000")
        if province is None:  # Hong Kong, Macao
            return "汉族"
        if not sector.minority and rng.random() >= province.minority_share * 0.9:
            return "汉族"
        if sector.minority and province.minority_share < 0.05 and rng.random() < 0.5:
            # A committee's minority sector draws on the minorities of the whole country too.
            province = rng.choice([p for p in regions.PROVINCES if p.minority_share >= 0.1])
        names = [e for e, _ in province.minorities]
        return _pick(rng, names, _cumulative(w for _, w in province.minorities))

    def name(self, rng: random.Random, ethnicity: str, female: bool) -> tuple[str, str]:
        if ethnicity in ("维吾尔族", "哈萨克族"):
            male_names, female_names = (
                (name_data.UYGHUR_MALE, name_data.UYGHUR_FEMALE)
                if ethnicity == "维吾尔族"
                else (name_data.KAZAKH_MALE, name_data.KAZAKH_FEMALE)
            )
            while True:
                own = rng.choice(female_names if female else male_names)
                father = rng.choice(male_names)
                # Person.name_sort_key (400 characters) holds names of up to 8 characters.
                if len(own) + len(father) < MAX_NAME_LENGTH:
                    return own, "\u00b7" + father
        if ethnicity == "藏族":
            last = name_data.TIBETAN_FEMALE_PARTS if female else name_data.TIBETAN_PARTS
            first, second = rng.choice(name_data.TIBETAN_PARTS), rng.choice(last)
            if first != second:
                whole = first + second
                return whole[0], whole[1:]
        if ethnicity == "蒙古族" and rng.random() < 0.5:
            whole = rng.choice(name_data.MONGOLIAN_NAMES)
            return whole[0], whole[1:]
        while True:
            family = _pick(rng, _SURNAMES, _SURNAME_WEIGHTS)
            pool = name_data.FEMALE_CHARACTERS if female else name_data.MALE_CHARACTERS
            first = rng.choice(name_data.NEUTRAL_CHARACTERS if rng.random() < 0.2 else pool)
            if rng.random() < name_data.ONE_CHARACTER_SHARE:
                given = first
            elif rng.random() < name_data.DOUBLED_SHARE * (3 if female else 0.5):
                given = first * 2
            else:
                second = rng.choice(pool)
                if second == first:
                    continue
                given = first + second
            if len(family) == 1 and (family + given)[:2] in COMPOUND_SURNAMES:
                continue  # 单 + 于… would read as the compound surname 单于
            return family, given

    def id_number(
        self,
        rng: random.Random,
        region: str,
        birth: date,
        female: bool,
        committee: CommitteePlan,
        used: set[str],
    ) -> str:
        low, high = SERIALS[committee.level]
        parity = 0 if female else 1  # the 17th digit: odd for men, even for women
        for _ in range(1000):
            serial = rng.randrange(low // 2, high // 2) * 2 + parity
            first17 = f"{region}{birth:%Y%m%d}{serial:03d}"
            if first17 in used:
                continue
            used.add(first17)
            number = first17 + id_number_check_char(first17)
            if self.is_taken is None or not self.is_taken(number):
                return number
        raise RuntimeError(f"no free ID number in {region} for {birth}")

    def workplace(
        self,
        rng: random.Random,
        committee: CommitteePlan,
        sector: SectorKind,
        home: str,
        affiliation: str,
        posts: set[str],
    ) -> str:
        """A workplace and title that no other member of the committee has."""
        for _ in range(20):
            text = self._workplace(rng, committee, sector, home, affiliation)
            if text not in posts:
                break
        posts.add(text)
        return text

    def _workplace(
        self,
        rng: random.Random,
        committee: CommitteePlan,
        sector: SectorKind,
        home: str,
        affiliation: str,
    ) -> str:
        if committee.level == "national" or (
            home in self.plan.places and rng.random() < 0.4 and home != committee.code
        ):
            place, short = self.plan.places.get(home, (committee.place, committee.place_short))
        else:
            place, short = committee.place, committee.place_short
        level_char = place[-1] if place[-1] in "省市县区州" else committee.level_char
        universities: tuple[str, ...]
        if committee.level == "national":
            universities = work.UNIVERSITIES_NATIONAL + work.UNIVERSITIES_PROVINCIAL
        elif committee.level == "provincial":
            universities = work.UNIVERSITIES_PROVINCIAL
        else:
            universities = work.UNIVERSITIES_LOCAL
        words = rng.sample(work.COMPANY_WORDS, 2)
        bureau = rng.choice(
            work.PROVINCIAL_BUREAUS if place.endswith(("省", "自治区")) else work.BUREAUS
        )
        head = "主任" if bureau.endswith("委员会") else f"{bureau[-1]}长"
        values = {
            "place": place,
            "short": short,
            "level": level_char,
            "party": PARTY_SHORT.get(affiliation, ""),
            "company": (
                f"{short}{words[0]}{words[1]}{rng.choice(work.INDUSTRIES)}"
                f"{rng.choice(work.COMPANY_SUFFIXES)}"
            ),
            "school": rng.choice(work.SCHOOLS).format(place=place, short=short),
            "bureau": bureau,
            "head": head,
            "deputy": f"副{head}",
            "town": "".join(rng.sample(regions.PLACE_CHARACTERS, 2))
            + rng.choice(work.TOWN_SUFFIXES),
        }
        values["univ"] = rng.choice(universities).format(**values)
        templates = work.WORK[sector.work]
        if committee.level in ("national", "provincial"):
            templates = tuple(t for t in templates if "{town}" not in t) or templates
        text = rng.choice(templates).format(**values)
        if place.endswith(("省", "自治区")):
            for city_form, provincial_form in work.PROVINCIAL_RENAMES:
                text = text.replace(city_form, provincial_form)
        if affiliation in PARTY_SHORT and sector.work == "party" and rng.random() < 0.3:
            text = f"{rng.choice(work.PARTY_POSTS).format(**values)}、{text}"
        return text

    # Committees --------------------------------------------------------------------------

    def committee(self, plan: CommitteePlan) -> CommitteeRows:
        rng = random.Random(f"{self.plan.seed}:{plan.code}")
        terms, sessions = _terms(rng, plan)
        current, start = terms[0][0], terms[0][1]
        sector_keys = [key for key, _ in SECTORS_BY_LEVEL[plan.level]]
        if plan.level == "national":
            quotas = [n for _, n in SECTORS_BY_LEVEL["national"]]
        else:
            quotas = _largest_remainder(plan.seats, [w for _, w in SECTORS_BY_LEVEL[plan.level]])
        orgs = _organizations(plan, sector_keys)
        local = _Local()
        seats: list[_Seat] = []
        people: list[PersonRow] = []
        remaining = list(quotas)
        # Members of the parent committee who also sit here, in another sector if possible.
        pool = self.pools.pop(plan.code, [])
        if plan.parent is not None and pool:
            wanted = min(len(pool), round(plan.seats * DOUBLE_SHARE))
            for person, parent_sector in rng.sample(pool, wanted):
                index = _sector_for(rng, person, parent_sector, sector_keys, remaining)
                if index is not None:
                    remaining[index] -= 1
                    seats.append(_Seat(person, index, True, start))
        home_codes = [code for code, _ in plan.homes] or [plan.code]
        home_weights = _HOMES_CACHE.setdefault(plan.homes, _cumulative(w for _, w in plan.homes))
        for index, count in enumerate(remaining):
            kind = SECTORS[sector_keys[index]]
            for _ in range(count):
                if kind.key == "hong_kong":
                    home = regions.HONG_KONG_REGION
                elif kind.key == "macao":
                    home = regions.MACAO_REGION
                elif plan.homes:
                    home = _pick(rng, home_codes, home_weights)
                else:
                    home = plan.code
                person = self.person(rng, plan, kind, home, local)
                people.append(person)
                seats.append(_Seat(person, index, False, start))
                if home in self.pooled and home != plan.code:
                    self.pools.setdefault(home, []).append((person, kind.key))
        seats.sort(key=lambda s: (s.sector, s.person.key))
        memberships: list[MembershipRow] = []
        if plan.partial:
            for seat in seats:
                seat.role = "standing_member" if rng.random() < 0.2 else "member"
        else:
            _leadership(rng, plan, seats, sector_keys)
            leaders = {s.person.key for s in seats if s.role in LEADERS}
            headed: set[str] = set()  # parties whose head is one of the vice chairs
            for seat in seats:
                if seat.person.key in leaders:
                    seat.person.workplace = _leader_title(plan, seat, headed)
            for code, pool in self.pools.items():  # leaders do not sit in a committee below too
                self.pools[code] = [entry for entry in pool if entry[0].key not in leaders]
            _departures(rng, seats, start, sessions)
            memberships.extend(_roles(rng, plan, current, start, seats, orgs, sector_keys))
            memberships.extend(_previous_term(rng, plan, terms[1], seats, sector_keys))
        memberships[:0] = [
            MembershipRow(
                person=s.person.key,
                term=current,
                organization=None,
                sector=s.sector,
                role=s.role,
                start_date=s.start,
                end_date=s.end,
                status=s.status,
                note=s.note,
            )
            for s in seats
        ]
        return CommitteeRows(plan, terms, sessions, orgs, people, memberships)


def _sector_accepts(key: str, person: PersonRow) -> bool:
    sector = SECTORS[key]
    if key in ("hong_kong", "macao") or (sector.minority and person.ethnicity == "汉族"):
        return False
    return person.affiliation in _MIXES[key][0]


def _sector_for(
    rng: random.Random,
    person: PersonRow,
    parent_sector: str,
    sector_keys: list[str],
    remaining: list[int],
) -> int | None:
    """A sector with a free seat for a member of the parent committee: one that takes their
    affiliation, other than the one they hold in the parent if possible."""
    fits = [
        i for i, key in enumerate(sector_keys) if remaining[i] > 0 and _sector_accepts(key, person)
    ]
    other = [i for i in fits if sector_keys[i] != parent_sector] or fits
    if not other:
        return None
    return _pick(rng, other, _cumulative(remaining[i] for i in other))


def _terms(
    rng: random.Random, plan: CommitteePlan
) -> tuple[list[tuple[int, date, date | None]], list[tuple[int, int, date, date]]]:
    """The current term and the previous one, with five annual plenary sessions each."""
    if plan.level == "national":
        number, start, days = 14, date(2023, 3, 4), 7
    elif plan.level == "provincial":
        number = regions.PROVINCES_BY_CODE[plan.code].term
        start, days = date(2023, 1, 8) + timedelta(days=rng.randrange(13)), 5
    elif plan.level == "municipal":
        number = 13 if plan.code == regions.DEMO_CITY_CODE else rng.randint(9, 15)
        start, days = date(2021, 12, 1) + timedelta(days=rng.randrange(80)), 4
    else:
        number = rng.randint(8, 16)
        start, days = date(2021, 9, 15) + timedelta(days=rng.randrange(120)), 3
    previous_start = start.replace(year=start.year - 5) - timedelta(days=rng.randrange(10))
    terms: list[tuple[int, date, date | None]] = [
        (number, start, None),
        (number - 1, previous_start, start - timedelta(days=1)),
    ]
    sessions = []
    for term_number, term_start, _ in terms:
        for n in range(1, 6):
            opens = term_start
            if n > 1:
                opens = date(term_start.year + n - 1, term_start.month, 1) + timedelta(
                    days=rng.randrange(20) if plan.level != "national" else 3
                )
            sessions.append((term_number, n, opens, opens + timedelta(days=days - 1)))
    return terms, sessions


def _organizations(plan: CommitteePlan, sector_keys: list[str]) -> list[OrganizationRow]:
    """Sectors (first, in order), special committees, parties and groups, the office and the
    handling units. Sector groups are added once the seats are known."""
    local = plan.level in ("municipal", "county")
    orgs = [
        OrganizationRow(
            "sector",
            SECTORS[key].local_name if local else SECTORS[key].name,
            SECTORS[key].short,
            i + 1,
        )
        for i, key in enumerate(sector_keys)
    ]
    orgs += [
        OrganizationRow("special_committee", name, name.removesuffix("委员会"), i + 1)
        for i, name in enumerate(org_data.SPECIAL_COMMITTEES[plan.level])
    ]
    values = {"place": plan.place, "short": plan.place_short, "level": plan.level_char}
    present = set(sector_keys)
    for i, group in enumerate(g for g in org_data.PARTIES_AND_GROUPS if g.key in present):
        if plan.level == "national":
            name, short = group.national_name, group.national_short
        else:
            name, short = group.local_name.format(**values), group.local_short.format(**values)
        orgs.append(OrganizationRow("party_group", name, short, i + 1))
    office = org_data.OFFICE_NAMES[plan.level].format(**values)
    orgs.append(OrganizationRow("office", office, "机关", 1))
    units = org_data.HANDLING_UNITS[plan.level]
    orgs += [
        OrganizationRow("handling_unit", unit.format(**values), "", i + 1)
        for i, unit in enumerate(units)
    ]
    return orgs


def _by_sector(seats: Iterable[_Seat]) -> dict[int, list[_Seat]]:
    grouped: dict[int, list[_Seat]] = {}
    for seat in seats:
        grouped.setdefault(seat.sector, []).append(seat)
    return grouped


def _leadership(
    rng: random.Random, plan: CommitteePlan, seats: list[_Seat], sector_keys: list[str]
) -> None:
    """One chair and a secretary-general from the CPC sector, vice chairs from the CPC and the
    party sectors, and standing members from every sector."""
    sectors = _by_sector(s for s in seats if not s.double)
    cpc = sector_keys.index("cpc")

    def take(candidates: list[_Seat], role: str) -> bool:
        free = [s for s in candidates if s.role == "member"]
        if not free:
            return False
        older = [s for s in free if s.person.birth_date.year <= 1970] or free
        rng.choice(older).role = role
        return True

    everyone = [s for s in seats if not s.double] or seats
    if not take(sectors.get(cpc, []), "chair"):
        take(everyone, "chair")
    vice = min(VICE_CHAIRS[plan.level], max(1, len(seats) // 25))
    from_cpc = -(-vice * 35 // 100)
    filled = sum(take(sectors.get(cpc, []), "vice_chair") for _ in range(from_cpc))
    party_sectors = [
        i
        for i, key in enumerate(sector_keys)
        if key in PARTY_SHORT or key in ("non_party", "business")
    ]
    for index in party_sectors:  # the heads of the parties, one each
        if filled >= vice:
            break
        filled += take(sectors.get(index, []), "vice_chair")
    while filled < vice and take(everyone, "vice_chair"):
        filled += 1
    if not take(sectors.get(cpc, []), "secretary_general"):
        take(everyone, "secretary_general")
    standing = round(len(seats) * STANDING_SHARE[plan.level]) - 2 - vice
    free = [s for s in seats if s.role == "member"]
    for seat in rng.sample(free, max(0, min(standing, len(free)))):
        seat.role = "standing_member"


def _leader_title(plan: CommitteePlan, seat: _Seat, headed: set[str]) -> str:
    """The workplace and title of a chair, vice chair or secretary-general: their CPPCC post,
    after their party's for a vice chair from a democratic party (民盟湘潭市委员会主委、…)."""
    body = plan.short_name
    if seat.role == "chair":
        return f"{body}党组书记、主席"
    if seat.role == "secretary_general":
        return f"{body}党组成员、秘书长"
    affiliation = seat.person.affiliation
    if affiliation == "cpc":
        return f"{body}党组成员、副主席"
    if affiliation in PARTY_SHORT:
        party = PARTY_SHORT[affiliation]
        where = "中央" if plan.level == "national" else f"{plan.place}委员会"
        head = "主席" if plan.level == "national" else "主委"
        if affiliation in headed:
            head = f"副{head}"
        headed.add(affiliation)
        return f"{party}{where}{head}、{body}副主席"
    return f"{body}副主席"


def _departures(
    rng: random.Random,
    seats: list[_Seat],
    start: date,
    sessions: list[tuple[int, int, date, date]],
) -> None:
    """A few members leave during the term (with an end date), a few are added 增补."""
    later = [opens for _, n, opens, _ in sessions[1:4] if opens <= AS_OF]
    for seat in seats:
        if seat.role != "member" or seat.double:
            continue
        draw = rng.random()
        if draw < LEFT_SHARE:
            seat.status = rng.choices(("resigned", "removed", "deceased"), (45, 20, 35))[0]
            last = min(AS_OF, start.replace(year=start.year + 4))
            seat.end = start + timedelta(days=rng.randrange(90, max(91, (last - start).days)))
            seat.note = LEFT_NOTES[seat.status]
        elif draw < LEFT_SHARE + ADDED_SHARE and later:
            seat.start = rng.choice(later)
            seat.note = "增补"


def _roles(
    rng: random.Random,
    plan: CommitteePlan,
    term: int,
    start: date,
    seats: list[_Seat],
    orgs: list[OrganizationRow],
    sector_keys: list[str],
) -> list[MembershipRow]:
    """Special committees, conveners of sectors and sector groups, liaisons of parties."""
    rows: list[MembershipRow] = []
    serving = [s for s in seats if s.status == "serving"]

    def hold(seat: _Seat, org: int, role: str) -> None:
        rows.append(MembershipRow(seat.person.key, term, org, None, role, max(start, seat.start)))

    # Special committees: a director (a vice chair where there are enough), deputies, members.
    specials = [i for i, o in enumerate(orgs) if o.classification == "special_committee"]
    vices = [s for s in serving if s.role == "vice_chair"]
    standing = [s for s in serving if s.role == "standing_member"]
    plain = [s for s in serving if s.role == "member"]
    rng.shuffle(vices)
    rng.shuffle(standing)
    rng.shuffle(plain)
    deputies = 3 if plan.level in ("national", "provincial") else 2
    per = max(1, round(len(serving) * SPECIAL_SHARE / max(1, len(specials))))
    for org in specials:
        leader = vices.pop() if vices else (standing.pop() if standing else None)
        if leader is None:
            break
        hold(leader, org, "director")
        for _ in range(deputies):
            if standing:
                hold(standing.pop(), org, "deputy_director")
        for _ in range(per - deputies - 1):
            source = plain if plain and (rng.random() < 0.8 or not standing) else standing
            if not source:
                break
            hold(source.pop(), org, "member")
    # Sector conveners: a standing member of the sector where there is one.
    by_sector = _by_sector(serving)
    for index, members in sorted(by_sector.items()):
        ranked = sorted(members, key=lambda s: (CONVENER_PREFERENCE[s.role], rng.random()))
        hold(ranked[0], index, "convener")
        if len(members) >= 12:
            hold(ranked[1], index, "deputy_convener")
    # Sector groups 界别小组: small sectors together, big ones split; each with a convener.
    target = GROUP_SIZE[plan.level]
    counts = [len(by_sector.get(i, [])) for i in range(len(sector_keys))]
    groups: list[tuple[str, int | None, list[_Seat]]] = []
    pending: list[int] = []
    for index, count in enumerate(counts):
        short = orgs[index].short_name
        if count >= 2 * target:
            parts = -(-count // target)
            members = by_sector[index]
            for n in range(parts):
                groups.append((f"{short}第{n + 1}组", index, members[n::parts]))
            continue
        pending.append(index)
        if (
            sum(counts[i] for i in pending) >= target
            or len(pending) == MAX_SECTORS_PER_GROUP
            or index == len(counts) - 1
        ):
            names = "、".join(orgs[i].short_name for i in pending)
            members = [s for i in pending for s in by_sector.get(i, [])]
            groups.append((f"{names}界别小组", pending[0] if len(pending) == 1 else None, members))
            pending = []
    for position, (name, parent, members) in enumerate(groups, start=1):
        orgs.append(OrganizationRow("sector_group", name, name[:40], position, parent))
        if members:
            hold(rng.choice(members), len(orgs) - 1, "convener")
    # A liaison for each party and group, from its members.
    sector_index = {key: i for i, key in enumerate(sector_keys)}
    by_affiliation: dict[str, list[_Seat]] = {}
    for seat in serving:
        by_affiliation.setdefault(seat.person.affiliation, []).append(seat)
    present = [g for g in org_data.PARTIES_AND_GROUPS if g.key in sector_index]
    party_orgs = [i for i, o in enumerate(orgs) if o.classification == "party_group"]
    for group, org in zip(present, party_orgs, strict=True):
        members = by_affiliation.get(group.affiliation, []) if group.affiliation else []
        members = members or by_sector.get(sector_index[group.key], [])
        if members:
            hold(rng.choice(members), org, "liaison")
    return rows


def _previous_term(
    rng: random.Random,
    plan: CommitteePlan,
    term: tuple[int, date, date | None],
    seats: list[_Seat],
    sector_keys: list[str],
) -> list[MembershipRow]:
    """Seats in the previous, ended term for ~45 % of the members, with its own leadership."""
    number, start, end = term
    continuing = [
        _Seat(s.person, s.sector, s.double, start) for s in seats if rng.random() < CONTINUING_SHARE
    ]
    if continuing:
        _leadership(rng, plan, continuing, sector_keys)
    return [
        MembershipRow(s.person.key, number, None, s.sector, s.role, start, end, "ended", "")
        for s in continuing
    ]


def generate(
    plan: Plan, *, is_taken: Callable[[str], bool] | None = None
) -> Iterator[CommitteeRows]:
    """The rows of each committee of `plan`, parents first. `is_taken(id_number)` may reject
    ID numbers already in use (in the database); then another is drawn."""
    generator = _Generator(plan, is_taken)
    for committee in plan.committees:
        yield generator.committee(committee)


def fingerprint(plan: Plan) -> str:
    """A SHA-256 of every row `generate(plan)` yields: equal fingerprints, equal data."""
    digest = hashlib.sha256()
    for rows in generate(plan):
        digest.update(repr(rows).encode())
    return digest.hexdigest()


# --- Writing: bulk inserts, one transaction per committee -----------------------------------


@dataclass
class SeedReport:
    """What `write()` inserted and how long it took."""

    committees: int = 0
    people: int = 0
    memberships: int = 0
    organizations: int = 0
    seconds: float = 0.0
    generate_seconds: float = 0.0
    encrypt_seconds: float = 0.0  # Fernet encryption of the ID numbers (within `seconds`)
    name_keys_seconds: float = 0.0  # sort key and pinyin of the names (within `seconds`)
    analyze_seconds: float = 0.0  # refreshing the planner's statistics (within `seconds`)


BATCH = 1000


def existing_codes(plan: Plan) -> list[str]:
    """The committees of `plan` that the database holds already."""
    codes = {c.code for c in plan.committees}
    return sorted(codes.intersection(Committee.objects.values_list("code", flat=True)))


def _person(row: PersonRow, report: SeedReport) -> Person:
    name = row.name
    started = time.perf_counter()
    pinyin, initials = name_search_keys(name)
    sort_key = name_sort_key(name)
    encrypting = time.perf_counter()
    encrypted = crypto.encrypt(row.id_number)
    done = time.perf_counter()
    report.name_keys_seconds += encrypting - started
    report.encrypt_seconds += done - encrypting
    return Person(
        family_name=row.family_name,
        given_name=row.given_name,
        name=name,
        gender=row.gender,
        ethnicity=row.ethnicity,
        birth_date=row.birth_date,
        id_number_digest=crypto.digest(row.id_number),
        id_number_encrypted=encrypted,
        id_number_masked=mask_id_number(row.id_number),
        mobile=row.mobile,
        affiliation=row.affiliation,
        workplace=row.workplace,
        name_sort_key=sort_key,
        name_pinyin=pinyin,
        name_initials=initials,
    )


def write(
    plan: Plan,
    *,
    progress: bool = False,
    out: IO[str] | None = None,
) -> SeedReport:
    """Insert the rows of `plan`, one transaction per committee.

    The caller checks first that none of the plan's committees exists (`existing_codes`). ID
    numbers already registered in the database are not drawn again.
    """
    report = SeedReport()
    started = time.perf_counter()
    taken: set[str] = set()
    if Person.objects.exists():
        digests = Person.objects.filter(id_number_digest__isnull=False).values_list(
            "id_number_digest", flat=True
        )
        taken = {d for d in digests.iterator(chunk_size=10_000) if d}
    pk_of = array("q")  # PersonRow.key → Person.pk
    committees: dict[str, Committee] = {}
    bar = tqdm(
        total=plan.seats,
        unit="seat",
        unit_scale=True,
        disable=not progress,
        file=out,
        dynamic_ncols=True,
    )
    rows_iter = generate(plan, is_taken=(lambda n: crypto.digest(n) in taken) if taken else None)
    while True:
        generating = time.perf_counter()
        rows = next(rows_iter, None)
        report.generate_seconds += time.perf_counter() - generating
        if rows is None:
            break
        spec = rows.plan
        with transaction.atomic():
            committee = Committee(
                code=spec.code,
                name=spec.name,
                short_name=spec.short_name,
                level=spec.level,
                parent=committees.get(spec.parent) if spec.parent else None,
                is_demo=spec.is_demo,
            )
            committee.save()  # computes the path from the parent's
            committees[spec.code] = committee
            focus_areas_ensure_defaults(committee=committee)
            terms = {
                number: Term(committee=committee, number=number, start_date=start, end_date=end)
                for number, start, end in rows.terms
            }
            Term.objects.bulk_create(terms.values())
            Session.objects.bulk_create(
                Session(term=terms[term], number=n, opens_on=opens, closes_on=closes)
                for term, n, opens, closes in rows.sessions
            )
            orgs = [
                Organization(
                    committee=committee,
                    classification=o.classification,
                    name=o.name,
                    short_name=o.short_name,
                    position=o.position,
                )
                for o in rows.organizations
            ]
            for org, org_row in zip(orgs, rows.organizations, strict=True):
                if org_row.parent is not None:
                    org.parent = orgs[org_row.parent]
            Organization.objects.bulk_create([o for o in orgs if o.parent is None], BATCH)
            Organization.objects.bulk_create([o for o in orgs if o.parent is not None], BATCH)
            people = [_person(person_row, report) for person_row in rows.people]
            Person.objects.bulk_create(people, BATCH)
            for person_row, person in zip(rows.people, people, strict=True):
                if person_row.key != len(pk_of):
                    raise RuntimeError("people must be written in the order of their keys")
                pk_of.append(person.pk)
            Membership.objects.bulk_create(
                (
                    Membership(
                        person_id=pk_of[m.person],
                        committee=committee,
                        term=terms[m.term],
                        organization=orgs[m.organization] if m.organization is not None else None,
                        sector=orgs[m.sector] if m.sector is not None else None,
                        role=m.role,
                        start_date=m.start_date,
                        end_date=m.end_date,
                        status=m.status,
                        note=m.note,
                    )
                    for m in rows.memberships
                ),
                BATCH,
            )
        report.committees += 1
        report.people += len(rows.people)
        report.memberships += len(rows.memberships)
        report.organizations += len(rows.organizations)
        bar.set_postfix_str(spec.short_name, refresh=False)
        bar.update(spec.seats)
    bar.close()
    analyzing = time.perf_counter()
    analyze()
    report.analyze_seconds = time.perf_counter() - analyzing
    report.seconds = time.perf_counter() - started
    return report


def analyze(*, everything: bool = False) -> None:
    """Refresh the query planner's statistics of the registry tables (or of every table) after
    a bulk load.

    Without it PostgreSQL plans with estimates from before the load (autovacuum catches up only
    later) and picks hash joins over every membership for lists that need a few hundred rows;
    an assessment of one member read every adoption of the year (27 estimated, 31,809 found).
    """
    tables = [
        model._meta.db_table
        for model in (Committee, Term, Session, Organization, Person, Membership, Grant)
    ]
    quoted = [connection.ops.quote_name(table) for table in tables]
    with connection.cursor() as cursor:
        if everything:
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {', '.join(quoted)}")
        elif connection.vendor == "sqlite":
            for table in quoted:
                cursor.execute(f"ANALYZE {table}")


def delete_committees(codes: Iterable[str]) -> dict[str, int]:
    """Delete these committees, every committee below them and all they hold (terms,
    organizations, memberships, grants), and the people left without any membership or log-in.
    Returns the number of rows deleted by model label ("directory.Person": 1234)."""
    paths = list(Committee.objects.filter(code__in=list(codes)).values_list("path", flat=True))
    ids: set[int] = set()
    for path in paths:
        ids.update(Committee.objects.filter(path__startswith=path).values_list("pk", flat=True))
    counts: dict[str, int] = {}
    chunks = [sorted(ids)[i : i + 500] for i in range(0, len(ids), 500)]

    def add(deleted: tuple[int, dict[str, int]]) -> None:
        for label, n in deleted[1].items():
            counts[label] = counts.get(label, 0) + n

    with transaction.atomic():
        for label, n in delete_app_records(committee_ids=sorted(ids)).items():
            counts[label] = counts.get(label, 0) + n
        people: set[int] = set()
        for chunk in chunks:
            people.update(
                Membership.objects.filter(committee_id__in=chunk).values_list(
                    "person_id", flat=True
                )
            )
            add(Membership.objects.filter(committee_id__in=chunk).delete())
            add(Grant.objects.filter(committee_id__in=chunk).delete())
            Organization.objects.filter(committee_id__in=chunk).update(parent=None)
            add(Organization.objects.filter(committee_id__in=chunk).delete())
            add(Term.objects.filter(committee_id__in=chunk).delete())
        ordered = sorted(people)
        for i in range(0, len(ordered), 500):
            orphans = Person.objects.filter(
                pk__in=ordered[i : i + 500], user__isnull=True, memberships__isnull=True
            )
            add(orphans.delete())
        by_depth: dict[int, list[int]] = {}
        for path, pk in Committee.objects.filter(pk__in=ids).values_list("path", "pk"):
            by_depth.setdefault(path.count("/"), []).append(pk)
        for depth in sorted(by_depth, reverse=True):  # children before their parents
            level = by_depth[depth]
            for i in range(0, len(level), 500):
                add(Committee.objects.filter(pk__in=level[i : i + 500]).delete())
    return counts


def person_with_two_seats(plan: Plan) -> int | None:
    """The pk of a person seated in two committees of `plan`, in different sectors (for the demo
    member), or None."""
    codes = [c.code for c in plan.committees]
    seats = Membership.objects.filter(
        committee__code__in=codes, organization__isnull=True, status="serving"
    )
    both = (
        Person.objects.filter(memberships__in=seats)
        .annotate(n=Count("memberships__committee", distinct=True))
        .filter(n__gte=2)
        .order_by("pk")
    )
    for person in both[:50]:
        sectors = {
            m.sector.short_name if m.sector else ""
            for m in seats.filter(person=person).select_related("sector")
        }
        if len(sectors) >= 2:
            return person.pk
    return None


# The apps above the registry (liaison, meetings, ...) seed their own records for the seeded
# committees: each has `seeding.seed(committees=, rng=, year=, progress=)` and
# `seeding.delete(committee_ids=)`. They are found by name, so the registry imports none of them.
APP_SEEDERS = (
    "lianluo.liaison",
    "lianluo.meetings",
    "lianluo.casework",
    "lianluo.proposals",
    "lianluo.assessment",  # last: it scores the records the others seed
)


def _app_seeding_modules() -> list[Any]:
    from django.apps import apps

    found = []
    for app in APP_SEEDERS:
        if apps.is_installed(app):
            try:
                found.append(importlib.import_module(f"{app}.seeding"))
            except ModuleNotFoundError:
                continue
    return found


def seed_app_records(
    *, codes: Iterable[str], seed: int, year: int, as_of: date, progress: bool = False
) -> dict[str, dict[str, int]]:
    """A realistic year of every installed app's records for the committees with these codes,
    dated up to `as_of` where an app's seeder takes it (so the data does not depend on today)."""
    committees = list(Committee.objects.filter(code__in=list(codes)).order_by("path"))
    report: dict[str, dict[str, int]] = {}
    for index, module in enumerate(_app_seeding_modules()):
        rng = random.Random(seed * 1000 + index)
        options: dict[str, Any] = {"year": year, "progress": progress}
        if "as_of" in inspect.signature(module.seed).parameters:
            options["as_of"] = as_of
        report[module.__name__] = module.seed(committees=committees, rng=rng, **options)
    analyze(everything=True)  # the apps' tables are new too: plans read their statistics
    return report


def _delete_committee_rows(app_label: str, committee_ids: list[int]) -> dict[str, int]:
    """Delete every row of an app's models that have a `committee`, retrying in passes until
    the PROTECT links between them allow it (an app without its own `delete`)."""
    from django.apps import apps
    from django.db.models import ProtectedError, RestrictedError

    models = [
        m
        for m in apps.get_app_config(app_label).get_models()
        if any(f.name == "committee" for f in m._meta.fields)
    ]
    counts: dict[str, int] = {}
    for model in models:  # rows that point at rows of their own table (merged into …) first
        own = [f.name for f in model._meta.fields if f.is_relation and f.related_model is model]
        rows = model._default_manager.filter(committee_id__in=committee_ids)
        for name in own:
            while True:
                deleted = rows.filter(**{f"{name}__isnull": False}).exclude(
                    pk__in=rows.filter(**{f"{name}__isnull": False}).values(name)
                )
                found = deleted.delete()
                for label, n in found[1].items():
                    counts[label] = counts.get(label, 0) + n
                if not found[0]:
                    break
    last_error: Exception | None = None
    for _ in range(len(models) + 1):
        blocked = []
        for model in models:
            try:
                with transaction.atomic():
                    _, per_model = model._default_manager.filter(
                        committee_id__in=committee_ids
                    ).delete()
            except (ProtectedError, RestrictedError) as error:
                blocked.append(model)
                last_error = error
                continue
            for label, n in per_model.items():
                counts[label] = counts.get(label, 0) + n
        if not blocked:
            return counts
        models = blocked
    raise RuntimeError(f"cannot delete the {app_label} records: {last_error}")


def delete_app_records(*, committee_ids: Iterable[int]) -> dict[str, int]:
    """Delete the installed apps' records of these committees, the highest app first."""
    ids = list(committee_ids)
    counts: dict[str, int] = {}
    for module in reversed(_app_seeding_modules()):
        delete = getattr(module, "delete", None)
        if delete is not None:
            deleted = delete(committee_ids=ids)
        else:
            deleted = _delete_committee_rows(module.__name__.split(".")[1], ids)
        for label, n in deleted.items():
            counts[label] = counts.get(label, 0) + n
    return counts
