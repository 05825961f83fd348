"""The synthetic registry: reference data, the generator, `manage.py seed` and `manage.py demo`."""

import datetime
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Q
from django.test import Client
from django.urls import reverse

from lianluo.accounts.models import User
from lianluo.core import crypto
from lianluo.core.chinese import (
    mask_id_number,
    name_search_keys,
    name_sort_key,
    parse_id_number,
    split_name,
    stroke_count,
)
from lianluo.directory import seeding
from lianluo.directory.data import names, organizations, regions, sectors
from lianluo.directory.management.commands.demo import demo_logins
from lianluo.directory.models import Committee, Grant, Membership, Organization, Person, Term

# --- Reference data --------------------------------------------------------------------------


def test_the_national_committee_has_the_34_sectors_of_the_14th_term_in_order():
    """The published list: 34 sectors, 中国共产党 first, 环境资源界 (85 seats) last, 2,172 seats."""
    names_in_order = [sectors.SECTORS[key].name for key, _ in sectors.NATIONAL_SECTORS]
    assert len(names_in_order) == 34
    assert names_in_order[:3] == ["中国共产党", "中国国民党革命委员会", "中国民主同盟"]
    assert names_in_order[10] == "中国共产主义青年团和中华全国青年联合会"
    assert names_in_order[-5:] == [
        "宗教界",
        "特邀香港人士",
        "特邀澳门人士",
        "特别邀请人士",
        "环境资源界",
    ]
    assert dict(sectors.NATIONAL_SECTORS)["environment"] == 85
    assert sum(n for _, n in sectors.NATIONAL_SECTORS) == sectors.NATIONAL_MEMBERS == 2172


def test_local_sector_lists_have_the_usual_sizes_and_include_environment_and_resources():
    """Municipal 31 (Putian), county 24 (Langzhong's 23 and 环境资源界), provincial 33."""
    assert len(sectors.MUNICIPAL_SECTORS) == 31
    assert len(sectors.COUNTY_SECTORS) == 24
    assert len(sectors.PROVINCIAL_SECTORS) == 33
    for level in ("provincial", "municipal", "county"):
        keys = [key for key, _ in sectors.SECTORS_BY_LEVEL[level]]
        assert len(keys) == len(set(keys))
        assert keys[0] == "cpc" and "environment" in keys


def test_the_31_provinces_carry_their_gb_t_2260_codes():
    """31 provincial-level divisions, 110000 北京市 to 650000 新疆维吾尔自治区; Xiangtan 430300 is
    under Hunan 430000; the division counts add up to the national figures."""
    assert len(regions.PROVINCES) == 31
    assert (regions.PROVINCES[0].code, regions.PROVINCES[0].name) == ("110000", "北京市")
    assert (regions.PROVINCES[-1].code, regions.PROVINCES[-1].name) == (
        "650000",
        "新疆维吾尔自治区",
    )
    assert regions.PROVINCES_BY_CODE["430000"].name == "湖南省"
    assert ("430300", "湘潭市") in [(p.code, p.name) for p in regions.HUNAN_PREFECTURES]
    assert sum(p.prefectures for p in regions.PROVINCES) == 333
    assert sum(p.counties for p in regions.PROVINCES) == 2844
    assert (
        sum(p.counties for p in regions.HUNAN_PREFECTURES)
        == regions.PROVINCES_BY_CODE["430000"].counties
    )


def test_organizations_include_the_usual_special_committees_parties_and_units():
    """The eight special committees of a municipal committee (Putian), the eight democratic
    parties, and the city departments that answer proposals (市教育局 among them)."""
    assert organizations.SPECIAL_COMMITTEES["municipal"] == (
        "提案委员会",
        "经济委员会",
        "农业和农村委员会",
        "人口资源环境委员会",
        "教科卫体委员会",
        "社会法制和民族宗教委员会",
        "港澳台侨和外事委员会",
        "文化文史和学习委员会",
    )
    parties = [g for g in organizations.PARTIES_AND_GROUPS if g.affiliation]
    assert len(parties) == 8
    for unit in ("市教育局", "市公安局", "市财政局", "市卫生健康委员会", "市市场监督管理局"):
        assert unit in organizations.MUNICIPAL_UNITS
    assert len(organizations.MUNICIPAL_UNITS) >= 25


def test_every_character_of_surnames_and_given_names_has_stroke_data():
    """Otherwise the official order 按姓氏笔画 could not place the generated names."""
    characters = {c for surname, _ in names.SURNAMES for c in surname}
    characters |= set(names.MALE_CHARACTERS + names.FEMALE_CHARACTERS + names.NEUTRAL_CHARACTERS)
    assert [c for c in sorted(characters) if stroke_count(c) is None] == []
    assert {"单", "曾", "解", "欧阳", "诸葛"} <= {s for s, _ in names.SURNAMES}


# --- The plan and the generator (no database) ------------------------------------------------


def test_the_national_plan_has_the_scale_of_the_country():
    """3,209 committees and ~690,000 seats; fraction 0.1 keeps the national committee whole and
    about a tenth of the others."""
    plan = seeding.build_plan("national")
    levels = Counter(c.level for c in plan.committees)
    assert levels == {"national": 1, "provincial": 31, "municipal": 333, "county": 2844}
    assert 640_000 < plan.seats < 720_000
    tenth = seeding.build_plan("national", fraction=0.1)
    levels = Counter(c.level for c in tenth.committees)
    assert levels["national"] == 1 and levels["provincial"] == 3
    assert 280 <= len(tenth.committees) <= 340
    assert tenth.committees[0].seats == 2172
    assert 60_000 < tenth.seats < 80_000


def test_plans_list_parents_before_children_with_paths_that_nest():
    """A committee comes after its parent, so that write() can set the parent and the path."""
    plan = seeding.build_plan("national", fraction=0.05)
    seen: set[str] = set()
    for committee in plan.committees:
        assert committee.parent is None or committee.parent in seen
        seen.add(committee.code)
    assert len(seen) == len(plan.committees)


def test_the_city_plan_is_xiangtan_under_a_partly_seeded_hunan():
    """--scale city: Xiangtan 430300 with 400 seats (fraction 0.05: 20) under Hunan 430000,
    which holds only the seats that Xiangtan's members also hold there."""
    plan = seeding.build_plan("city")
    assert [(c.code, c.level, c.partial) for c in plan.committees] == [
        ("430000", "provincial", True),
        ("430300", "municipal", False),
    ]
    assert plan.committees[1].seats == 400
    assert seeding.build_plan("city", fraction=0.05).committees[1].seats == 20


def test_the_generator_gives_the_same_rows_for_the_same_arguments():
    """Determinism: equal fingerprints for equal arguments, different ones for another seed."""
    plan = seeding.build_plan("province", fraction=0.05, seed=7)
    again = seeding.build_plan("province", fraction=0.05, seed=7)
    assert seeding.fingerprint(plan) == seeding.fingerprint(again)
    assert seeding.fingerprint(plan) != seeding.fingerprint(
        seeding.build_plan("province", fraction=0.05, seed=8)
    )


@pytest.fixture(scope="module")
def national_rows():
    """Every level: the national committee, one province, 3 municipal, 28 county committees."""
    return list(seeding.generate(seeding.build_plan("national", fraction=0.01)))


def test_generated_id_numbers_are_valid_unique_and_match_the_person(national_rows):
    """GB 11643 checksum, the birth date, odd 17th digit for men, a region of the person's
    committee (or Hong Kong / Macao); no number twice over all levels."""
    seen: set[str] = set()
    for rows in national_rows:
        for person in rows.people:
            assert parse_id_number(person.id_number) == person.birth_date
            assert int(person.id_number[16]) % 2 == (person.gender == "male")
            if rows.plan.level != "national":
                assert person.id_number[:2] == rows.plan.code[:2]
            seen.add(person.id_number)
    people = sum(len(rows.people) for rows in national_rows)
    assert len(seen) == people > 8000
    national = {p.id_number[:2] for p in national_rows[0].people}
    assert {"81", "82"} <= national and len(national) > 20


def test_generated_people_look_like_a_roster(national_rows):
    """~70 % men, births 1955–1990, names of 2–4 characters (and transliterated ones), valid
    mobiles, most people 汉族, affiliations that match the sector."""
    people = [p for rows in national_rows for p in rows.people]
    men = sum(p.gender == "male" for p in people) / len(people)
    assert 0.62 < men < 0.78
    assert all(
        datetime.date(1955, 1, 1) <= p.birth_date <= datetime.date(1990, 12, 31) for p in people
    )
    assert all(p.mobile[0] == "1" and len(p.mobile) == 11 for p in people)
    assert all(split_name(p.name) == (p.family_name, p.given_name) for p in people)
    assert Counter(p.ethnicity for p in people).most_common(1)[0][0] == "汉族"
    national = national_rows[0]
    sector_key = {i: key for i, (key, _) in enumerate(sectors.NATIONAL_SECTORS)}
    by_key = {p.key: p for p in national.people}
    for seat in (m for m in national.memberships if m.organization is None and m.term == 14):
        person = by_key[seat.person]
        key = sector_key[seat.sector]
        if key == "cpc":
            assert person.affiliation == "cpc"
        elif key in ("rcck", "cdl", "cndca", "capd", "cpwdp", "zgzgd", "jiusan", "tdsgl"):
            assert person.affiliation == key
        elif key == "ethnic_minorities":
            assert person.ethnicity != "汉族"


def test_each_committee_term_has_one_chair_and_the_usual_leadership(national_rows):
    """Every term of every committee: one chair, one secretary-general, vice chairs (23 in the
    National Committee), and 12–25 % of the seats in the standing committee."""
    for rows in national_rows:
        for term, *_ in rows.terms:
            seats = [m for m in rows.memberships if m.organization is None and m.term == term]
            roles = Counter(m.role for m in seats)
            assert roles["chair"] == 1, (rows.plan.code, term)
            assert roles["secretary_general"] == 1
            assert roles["vice_chair"] >= 1
        current = [
            m for m in rows.memberships if m.organization is None and m.term == rows.terms[0][0]
        ]
        standing = sum(m.role != "member" for m in current) / len(current)
        assert 0.12 < standing < 0.25, rows.plan.code
    national = national_rows[0]
    assert (
        Counter(m.role for m in national.memberships if m.organization is None and m.term == 14)[
            "vice_chair"
        ]
        == 23
    )


def test_about_five_percent_of_people_sit_in_two_committees(national_rows):
    """Between 3 and 7 % of the people hold current seats in two committees, none in three."""
    seats: Counter[int] = Counter()
    for rows in national_rows:
        current = rows.terms[0][0]
        for m in rows.memberships:
            if m.organization is None and m.term == current:
                seats[m.person] += 1
    people = sum(len(rows.people) for rows in national_rows)
    twice = sum(1 for n in seats.values() if n == 2)
    assert max(seats.values()) == 2
    assert 0.03 < twice / people < 0.07


# --- manage.py seed ----------------------------------------------------------------------------


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed", *args, stdout=out, verbosity=0)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_writes_the_generated_registry_with_derived_fields():
    """Committee paths, the name keys and the ID number's digest, ciphertext and mask are what
    the model and the services compute; the rows match the generator's."""
    seed("--scale", "city", "--fraction", "0.05")
    plan = seeding.build_plan("city", fraction=0.05)
    rows = list(seeding.generate(plan))
    assert Person.objects.count() == sum(len(r.people) for r in rows)
    assert Membership.objects.count() == sum(len(r.memberships) for r in rows)
    xiangtan = Committee.objects.get(code="430300")
    assert xiangtan.path == "/430000/430300/" and xiangtan.parent.code == "430000"
    assert xiangtan.focus_areas.count() == 5
    for person in Person.objects.all():
        number = crypto.decrypt(person.id_number_encrypted)
        assert parse_id_number(number) == person.birth_date
        assert person.id_number_digest == crypto.digest(number)
        assert person.id_number_masked == mask_id_number(number)
        assert person.name == person.family_name + person.given_name
        assert person.name_sort_key == name_sort_key(person.name)
        assert (person.name_pinyin, person.name_initials) == name_search_keys(person.name)
    assert Term.objects.filter(committee=xiangtan).count() == 2
    assert xiangtan.terms.first().sessions.count() == 5
    kinds = set(
        Organization.objects.filter(committee=xiangtan).values_list("classification", flat=True)
    )
    assert kinds == {c.value for c in Organization.Classification}


@pytest.mark.django_db
def test_seed_gives_each_full_committee_term_exactly_one_chair():
    """Both terms of Xiangtan have one chair; Hunan, seeded only in part, has none."""
    seed("--scale", "city", "--fraction", "0.05")
    chairs = (
        Membership.objects.filter(organization__isnull=True, committee__code="430300")
        .values("term")
        .annotate(chairs=Count("id", filter=Q(role="chair")))
    )
    assert [c["chairs"] for c in chairs] == [1, 1]
    partial = Membership.objects.filter(committee__code="430000", organization__isnull=True)
    assert partial.exists() and not partial.filter(role="chair").exists()


@pytest.mark.django_db
def test_seed_seats_some_people_in_two_committees_under_one_id_number():
    """A person seated in Hunan and in Xiangtan is one Person; no ID number is stored twice."""
    seed("--scale", "city", "--fraction", "0.05")
    both = Person.objects.annotate(
        committees=Count(
            "memberships__committee",
            distinct=True,
            filter=Q(memberships__organization__isnull=True),
        )
    ).filter(committees=2)
    assert both.exists()
    assert Person.objects.values("id_number_digest").distinct().count() == Person.objects.count()


@pytest.mark.django_db
def test_seed_refuses_a_database_already_seeded_unless_forced(settings):
    """A second run fails with a clear message and writes nothing; --force seeds again."""
    settings.LANGUAGE_CODE = "en"
    seed("--scale", "city", "--fraction", "0.05")
    people, memberships = Person.objects.count(), Membership.objects.count()
    with pytest.raises(CommandError, match=r"430000, 430300.*--force"):
        seed("--scale", "city", "--fraction", "0.05")
    assert (Person.objects.count(), Membership.objects.count()) == (people, memberships)
    seed("--scale", "city", "--fraction", "0.05", "--force")
    assert (Person.objects.count(), Membership.objects.count()) == (people, memberships)
    assert Committee.objects.count() == 2


@pytest.mark.django_db
def test_seed_rejects_a_fraction_outside_zero_to_one():
    """--fraction must be in (0, 1]."""
    with pytest.raises(CommandError):
        seed("--fraction", "1.5")


# --- manage.py demo ----------------------------------------------------------------------------


@pytest.fixture
def demo(db):
    out = StringIO()
    call_command("demo", stdout=out, verbosity=0)
    return out.getvalue()


def test_demo_loads_xiangtan_under_hunan_as_demo_data(demo):
    """The demo committee is Xiangtan (~400 seats) under Hunan, both marked as demo data."""
    xiangtan = Committee.objects.get(code="430300")
    assert xiangtan.is_demo and xiangtan.parent.code == "430000" and xiangtan.parent.is_demo
    serving = Membership.objects.filter(
        committee=xiangtan, organization__isnull=True, term=xiangtan.terms.first()
    )
    assert 380 <= serving.count() <= 420


def test_demo_runs_again_without_adding_anything(demo):
    """Idempotent: the second run adds no row and prints the same log-ins."""

    def counts():
        return (
            Committee.objects.count(),
            Person.objects.count(),
            Membership.objects.count(),
            Organization.objects.count(),
            User.objects.count(),
            Grant.objects.count(),
        )

    before = counts()
    out = StringIO()
    call_command("demo", stdout=out, verbosity=0)
    assert counts() == before
    for login in demo_logins():
        assert login.username in out.getvalue() and login.password in out.getvalue()
        assert login.username in demo


def test_every_demo_login_signs_in_and_opens_its_page(demo):
    """Each printed user name and password logs in through the log-in form, and the page printed
    for it opens."""
    for login in demo_logins():
        client = Client()
        response = client.post(
            reverse("accounts:login"), {"username": login.username, "password": login.password}
        )
        assert response.status_code == 302, login.username
        page = client.get(login.path, follow=True)
        assert page.status_code == 200, (login.username, login.path)
    office = Client()
    office.post(
        reverse("accounts:login"), {"username": "xt_office", "password": "Demo-Office-2026!"}
    )
    assert office.get(reverse("directory:members", args=["430300"])).status_code == 200


def test_the_demo_member_sits_in_both_committees_in_different_sectors(demo):
    """The member account's person holds seats in Hunan and Xiangtan in two sectors; the
    convener account's person convenes a sector of Xiangtan."""
    person = Person.objects.get(user__username="xt_member")
    seats = Membership.objects.filter(person=person, organization__isnull=True, status="serving")
    assert {s.committee.code for s in seats} == {"430000", "430300"}
    assert len({s.sector.name for s in seats}) == 2
    convener = Person.objects.get(user__username="xt_convener")
    assert Membership.objects.filter(
        person=convener, role="convener", organization__classification="sector"
    ).exists()
