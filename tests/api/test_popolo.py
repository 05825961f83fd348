"""The public Popolo export: its structure, the official Popolo schemas, and no personal data."""

import datetime
import json
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

from lianluo.directory.models import Membership, Organization
from tests.factories import MembershipFactory, OrganizationFactory, PersonFactory, valid_id_number

SCHEMAS = Path(__file__).parent / "popolo_schemas"
SCHEMA_URL = "http://www.popoloproject.com/schemas/{}.json#"


@pytest.fixture(scope="module")
def popolo_validators():
    """Draft-3 validators for person, organization, membership and post, with every `$ref`
    resolved from the vendored files (nothing is downloaded)."""
    resources = [
        Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT3)
        for path in sorted(SCHEMAS.glob("*.json"))
    ]
    registry = Registry().with_resources((resource.id(), resource) for resource in resources)
    validators = {}
    for kind in ("person", "organization", "membership", "post"):
        schema = registry.contents(SCHEMA_URL.format(kind).rstrip("#"))
        cls = jsonschema.validators.validator_for(schema)
        assert cls is jsonschema.Draft3Validator
        validators[kind] = cls(schema, registry=registry, format_checker=cls.FORMAT_CHECKER)
    return validators


@pytest.fixture
def export(world, api_client):
    """Xiangtan's export, with a historical seat, a special committee with a deputy director,
    and a sector group under a sector, so every kind of row is present."""
    special = OrganizationFactory(
        committee=world.xiangtan,
        classification=Organization.Classification.SPECIAL_COMMITTEE,
        name="提案委员会",
    )
    group = OrganizationFactory(
        committee=world.xiangtan,
        classification=Organization.Classification.SECTOR_GROUP,
        name="经济界第一小组",
        parent=world.sector[("430300", "经济界")],
    )
    former = PersonFactory(family_name="赵", given_name="旧", gender="female")
    MembershipFactory(
        person=former,
        term=world.terms["430300"],
        sector=world.sector[("430300", "教育界")],
        role=Membership.Role.STANDING_MEMBER,
        status=Membership.Status.RESIGNED,
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2023, 3, 31),
    )
    Membership.objects.create(
        person=world.xiangtan_only,
        committee=world.xiangtan,
        term=world.terms["430300"],
        organization=special,
        role=Membership.Role.DEPUTY_DIRECTOR,
        start_date=datetime.date(2022, 2, 1),
    )
    Membership.objects.create(
        person=world.convener,
        committee=world.xiangtan,
        term=world.terms["430300"],
        organization=group,
        role=Membership.Role.MEMBER,
        start_date=datetime.date(2022, 1, 1),
    )
    # A liaison in the handling unit: not a members' organization, so not exported.
    outsider = PersonFactory(family_name="钱", given_name="办事")
    Membership.objects.create(
        person=outsider,
        committee=world.xiangtan,
        term=world.terms["430300"],
        organization=world.unit,
        role=Membership.Role.LIAISON,
        start_date=datetime.date(2022, 1, 1),
    )
    response = api_client.get("/api/popolo/430300.json")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    return response


def test_export_is_public_and_has_the_four_popolo_collections(export):
    """Without logging in, the export answers the four Popolo collections and nothing else."""
    assert set(export.json()) == {"persons", "organizations", "memberships", "posts"}


def test_every_object_validates_against_the_official_popolo_schemas(export, popolo_validators):
    """Each person, organization, membership and post is valid under popoloproject.com's schemas."""
    data = export.json()
    for collection, kind in [
        ("persons", "person"),
        ("organizations", "organization"),
        ("memberships", "membership"),
        ("posts", "post"),
    ]:
        assert data[collection], collection
        for item in data[collection]:
            errors = [e.message for e in popolo_validators[kind].iter_errors(item)]
            assert not errors, (kind, item, errors)


def test_committee_is_an_organization_with_its_members_organizations_under_it(world, export):
    """The committee is `organization/430300`; its sectors, special committee and sector group
    are organizations whose parent is the committee (or their own parent, for a sector group);
    the office and handling units are not exported."""
    orgs = {org["id"]: org for org in export.json()["organizations"]}
    committee = orgs.pop("organization/430300")
    assert committee["classification"] == "committee"
    assert committee["name"] == "中国人民政治协商会议湘潭市委员会"
    assert committee["identifiers"] == [{"identifier": "430300", "scheme": "GB/T 2260"}]
    assert [other["name"] for other in committee["other_names"]] == ["湘潭市政协"]
    economy = world.sector[("430300", "经济界")]
    assert orgs[f"organization/430300/{economy.pk}"]["parent_id"] == "organization/430300"
    by_name = {org["name"]: org for org in orgs.values()}
    assert set(by_name) == {"经济界", "教育界", "提案委员会", "经济界第一小组"}
    assert by_name["经济界第一小组"]["parent_id"] == f"organization/430300/{economy.pk}"
    assert by_name["提案委员会"]["classification"] == "special_committee"
    assert "市教育局" not in export.content.decode()


def test_a_seat_is_a_committee_membership_with_a_post_and_a_sector_membership(world, export):
    """A seat becomes a membership in the committee with the post of its role, and a membership
    in its sector; the post exists once per (organization, role)."""
    data = export.json()
    seat = world.seat_xiangtan
    memberships = {m["id"]: m for m in data["memberships"]}
    in_committee = memberships[f"membership/{seat.pk}"]
    assert in_committee["person_id"] == f"person/{world.both.pk}"
    assert in_committee["organization_id"] == "organization/430300"
    assert in_committee["post_id"] == "post/430300/member"
    assert in_committee["start_date"] == "2022-01-01"
    assert "end_date" not in in_committee
    in_sector = memberships[f"membership/{seat.pk}/sector"]
    assert in_sector["organization_id"] == f"organization/430300/{seat.sector_id}"
    assert in_sector["person_id"] == in_committee["person_id"]
    posts = {post["id"]: post for post in data["posts"]}
    assert len(posts) == len(data["posts"])
    assert posts["post/430300/member"]["organization_id"] == "organization/430300"
    assert posts["post/430300/member"]["label"].startswith("湘潭市政协 ")
    assert "post/430300/standing_member" in posts
    assert {m["post_id"] for m in data["memberships"] if "post_id" in m} == set(posts)


def test_roles_in_organizations_and_historical_memberships_are_exported(world, export):
    """A convener's role in a sector and a resigned standing member's seat (with its end date)
    are memberships of the export."""
    data = export.json()
    economy = world.sector[("430300", "经济界")]
    convener = [
        m
        for m in data["memberships"]
        if m["person_id"] == f"person/{world.convener.pk}"
        and m.get("post_id") == f"post/430300/{economy.pk}/convener"
    ]
    assert len(convener) == 1
    ended = [m for m in data["memberships"] if m.get("end_date") == "2023-03-31"]
    assert len(ended) == 2  # the seat and its sector membership
    assert {m["organization_id"] for m in ended} >= {"organization/430300"}


def test_persons_are_only_those_with_a_membership_in_the_committee(world, export):
    """Xiangtan's export lists its four members, not Shenzhen's member nor the unit's liaison."""
    persons = {p["id"]: p for p in export.json()["persons"]}
    names = {p["name"] for p in persons.values()}
    assert names == {"刘敬民", "王勇峰", "马继龙", "赵旧"}
    liu = persons[f"person/{world.both.pk}"]
    assert liu["family_name"] == "刘"
    assert liu["given_name"] == "敬民"
    assert liu["sort_name"] == "liujingmin"
    assert liu["gender"] == "male"


def test_export_holds_no_personal_data(world, export):
    """No ID number (full or masked), mobile number or birth date appears anywhere in the export."""
    text = export.content.decode()
    assert valid_id_number(1) not in text
    assert world.both.id_number_masked not in text
    assert "13800138000" not in text
    assert "138****8000" not in text
    assert "1970-01-01" not in text
    for person in export.json()["persons"]:
        assert set(person) <= {
            "id",
            "name",
            "family_name",
            "given_name",
            "sort_name",
            "gender",
            "other_names",
        }


def test_export_ids_are_stable(world, export, api_client):
    """Asking twice gives the same ids in the same order."""
    again = api_client.get("/api/popolo/430300.json").json()
    first = export.json()
    for collection in ("persons", "organizations", "memberships", "posts"):
        assert [o["id"] for o in again[collection]] == [o["id"] for o in first[collection]]


@pytest.mark.parametrize("code", ["999999", "abc", "43030"])
def test_unknown_committee_is_a_json_404(world, api_client, code):
    """An unknown or malformed code answers 404 with a JSON error body."""
    response = api_client.get(f"/api/popolo/{code}.json")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


def test_export_costs_one_query_per_kind(world, api_client, django_assert_max_num_queries):
    """The export reads the committee, then persons, organizations and memberships: one query
    each, however many members there are."""
    for i in range(40):
        MembershipFactory(
            person=PersonFactory(mobile=f"139{i:08d}"),
            term=world.terms["430300"],
            sector=world.sector[("430300", "教育界")],
        )
    with django_assert_max_num_queries(4):
        response = api_client.get("/api/popolo/430300.json")
    assert len(response.json()["persons"]) == 43


def test_index_lists_committees_with_the_address_of_their_export(world, api_client):
    """GET /api/popolo/ (public) lists the committees with the absolute URL of each export."""
    response = api_client.get("/api/popolo/")
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()["results"]}
    assert set(rows) == {"430000", "430300", "440300"}
    assert rows["430300"]["url"] == "http://testserver/api/popolo/430300.json"
    assert rows["430300"]["name"] == "中国人民政治协商会议湘潭市委员会"
    assert api_client.get(rows["430300"]["url"]).status_code == 200
