"""The registry API: scoping per role, masked personal data, filters, query counts, tokens."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from lianluo.directory.models import Membership, Organization
from tests.conftest import PASSWORD
from tests.factories import MembershipFactory, OrganizationFactory, PersonFactory, valid_id_number

LISTS = ["/api/committees/", "/api/organizations/", "/api/people/", "/api/memberships/"]


def codes(response):
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()["results"]}


def names(response):
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# --- scoping ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", LISTS)
def test_anonymous_request_is_refused(world, api_client, url):
    """Without a session or a token every registry list answers 401 or 403, with no data."""
    response = api_client.get(url)
    assert response.status_code in (401, 403)
    assert "results" not in response.json()


def test_office_sees_its_committee_and_those_under_it(world, client_for):
    """Hunan's office sees Hunan and Xiangtan (under it), not Shenzhen."""
    assert codes(client_for("hunan_office").get("/api/committees/")) == {"430000", "430300"}


def test_office_of_a_lower_committee_does_not_see_the_higher_one(world, client_for):
    """Xiangtan's office sees only Xiangtan; Hunan above it is a 404."""
    client = client_for("xiangtan_office")
    assert codes(client.get("/api/committees/")) == {"430300"}
    assert client.get("/api/committees/430000/").status_code == 404
    assert client.get("/api/committees/430300/").json()["parent"] == "430000"


def test_office_sees_the_people_of_its_committees_only(world, client_for):
    """Hunan's office sees the people seated in Hunan or Xiangtan, not Shenzhen's member."""
    seen = names(client_for("hunan_office").get("/api/people/"))
    assert seen == {"刘敬民", "王勇峰", "马继龙"}


def test_office_cannot_open_a_person_of_another_committee(world, client_for):
    """A person outside the office's committees is a 404, not a 403 that would confirm them."""
    client = client_for("xiangtan_office")
    assert client.get(f"/api/people/{world.shenzhen_only.pk}/").status_code == 404
    assert client.get(f"/api/people/{world.xiangtan_only.pk}/").status_code == 200


def test_office_sees_memberships_of_its_committees_only(world, client_for):
    """Shenzhen's office sees Shenzhen's seat and nothing of Hunan or Xiangtan."""
    rows = client_for("shenzhen_office").get("/api/memberships/").json()["results"]
    assert {row["committee"] for row in rows} == {"440300"}
    assert {row["person_name"] for row in rows} == {"姚明"}


def test_member_sees_only_their_own_person_record(world, client_for):
    """A member's people list is themselves; another member of the same committee is a 404."""
    client = client_for("member")
    assert ids(client.get("/api/people/")) == {world.both.pk}
    assert client.get(f"/api/people/{world.xiangtan_only.pk}/").status_code == 404


def test_member_sees_only_their_own_memberships(world, client_for):
    """A member sees their two seats (Hunan and Xiangtan) and nobody else's."""
    rows = client_for("member").get("/api/memberships/").json()["results"]
    assert {row["id"] for row in rows} == {world.seat_hunan.pk, world.seat_xiangtan.pk}


def test_member_sees_the_committees_where_they_serve(world, client_for):
    """A member sees the committees of their serving memberships, not others."""
    assert codes(client_for("member").get("/api/committees/")) == {"430000", "430300"}


def test_handling_unit_sees_no_people_and_no_memberships(world, client_for):
    """A handling unit's user gets empty people and membership lists, and its own unit only."""
    client = client_for("unit")
    assert client.get("/api/people/").json()["count"] == 0
    assert client.get("/api/memberships/").json()["count"] == 0
    assert client.get(f"/api/people/{world.both.pk}/").status_code == 404
    assert ids(client.get("/api/organizations/")) == {world.unit.pk}


def test_auditor_reads_like_the_office(world, client_for):
    """Xiangtan's auditor sees Xiangtan's people, read-only like its office."""
    assert names(client_for("xiangtan_auditor").get("/api/people/")) == {
        "刘敬民",
        "王勇峰",
        "马继龙",
    }


@pytest.mark.parametrize("url", LISTS)
def test_the_api_is_read_only(world, client_for, url):
    """Lists refuse POST with 405: changes go through the pages and their services."""
    assert client_for("xiangtan_office").post(url, {}).status_code in (403, 405)


# --- personal data ------------------------------------------------------------------------


def test_person_carries_only_masked_id_number_and_mobile(world, client_for):
    """A person's record has the masked ID number and mobile, never the full ones nor the
    birth date."""
    response = client_for("xiangtan_office").get(f"/api/people/{world.both.pk}/")
    data = response.json()
    full_id = valid_id_number(1)
    assert data["id_number_masked"] == world.both.id_number_masked
    assert data["id_number_masked"].startswith("4303") and "*" in data["id_number_masked"]
    assert data["mobile_masked"] == "138****8000"
    text = response.content.decode()
    assert full_id not in text
    assert "13800138000" not in text
    assert "1970-01-01" not in text
    assert not {"id_number", "mobile", "birth_date", "id_number_encrypted"} & set(data)


def test_person_list_carries_no_full_personal_data(world, client_for):
    """The people list, like the detail, shows no full ID number or mobile number."""
    text = client_for("hunan_office").get("/api/people/").content.decode()
    assert valid_id_number(1) not in text
    assert "13800138000" not in text


# --- filters ------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["刘", "敬民", "liujing", "ljm"])
def test_people_filter_by_name_pinyin_or_initials(world, client_for, q):
    """`q` finds a person by Chinese name, pinyin prefix or initials."""
    assert names(client_for("hunan_office").get("/api/people/", {"q": q})) == {"刘敬民"}


def test_people_filter_by_committee_code(world, client_for):
    """`committee` keeps the people with a membership in that committee."""
    client = client_for("hunan_office")
    assert names(client.get("/api/people/", {"committee": "430000"})) == {"刘敬民"}
    assert names(client.get("/api/people/", {"committee": "430300"})) == {
        "刘敬民",
        "王勇峰",
        "马继龙",
    }
    assert names(client.get("/api/people/", {"committee": "440300"})) == set()


def test_memberships_filter_by_committee_term_and_seat(world, client_for):
    """`committee`, `term` and `seat` narrow the memberships."""
    client = client_for("hunan_office")
    rows = client.get("/api/memberships/", {"committee": "430300", "term": 13, "seat": "true"})
    assert {r["person_name"] for r in rows.json()["results"]} == {"刘敬民", "王勇峰", "马继龙"}
    assert client.get("/api/memberships/", {"term": 14}).json()["count"] == 0


def test_memberships_filter_by_organization_sector_role_and_status(world, client_for):
    """`organization`, `sector`, `role` and `status` narrow the memberships."""
    client = client_for("xiangtan_office")
    economy = world.sector[("430300", "经济界")]
    by_org = client.get("/api/memberships/", {"organization": economy.pk}).json()["results"]
    assert [(r["person_name"], r["role"]) for r in by_org] == [("马继龙", "convener")]
    by_sector = client.get("/api/memberships/", {"sector": economy.pk}).json()["results"]
    assert {r["person_name"] for r in by_sector} == {"王勇峰", "马继龙"}
    assert client.get("/api/memberships/", {"role": "convener"}).json()["count"] == 1
    world.seat_xiangtan.status = Membership.Status.RESIGNED
    world.seat_xiangtan.end_date = datetime.date(2023, 6, 30)
    world.seat_xiangtan.save()
    resigned = client.get("/api/memberships/", {"status": "resigned"}).json()["results"]
    assert [(r["person_name"], r["end_date"]) for r in resigned] == [("刘敬民", "2023-06-30")]


def test_memberships_reject_an_invalid_filter_value(world, client_for):
    """An unknown role or a non-numeric term is a 400 with a message, not a server error."""
    client = client_for("xiangtan_office")
    assert client.get("/api/memberships/", {"role": "emperor"}).status_code == 400
    assert client.get("/api/memberships/", {"term": "x"}).status_code == 400
    assert client.get("/api/memberships/", {"term": 10**30}).status_code == 400


def test_organizations_filter_by_committee_and_classification(world, client_for):
    """`committee` and `classification` narrow the organizations."""
    client = client_for("hunan_office")
    sectors = client.get(
        "/api/organizations/", {"committee": "430300", "classification": "sector"}
    ).json()["results"]
    assert {(r["committee"], r["name"]) for r in sectors} == {
        ("430300", "经济界"),
        ("430300", "教育界"),
    }
    units = client.get("/api/organizations/", {"classification": "handling_unit"}).json()
    assert [r["name"] for r in units["results"]] == ["市教育局"]


# --- query counts -------------------------------------------------------------------------


def _grow(world, n):
    """Add `n` people seated in Xiangtan, each with a role in a new special committee."""
    special = OrganizationFactory(
        committee=world.xiangtan, classification=Organization.Classification.SPECIAL_COMMITTEE
    )
    for i in range(n):
        person = PersonFactory(mobile=f"139{i:08d}")
        MembershipFactory(
            person=person, term=world.terms["430300"], sector=world.sector[("430300", "教育界")]
        )
        Membership.objects.create(
            person=person,
            committee=world.xiangtan,
            term=world.terms["430300"],
            organization=special,
            role=Membership.Role.MEMBER,
            start_date=datetime.date(2022, 1, 1),
        )


@pytest.mark.parametrize("url", LISTS)
def test_list_endpoints_use_a_constant_number_of_queries(
    world, client_for, url, django_assert_max_num_queries
):
    """A list costs the same few queries for 4 rows as for 30 more: session and user, the
    user's grants and person (their scope), the count, the page, and the session's save."""
    client = client_for("hunan_office")
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(world, 30)
    client = client_for("hunan_office")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert len(small.captured_queries) <= 9


# --- tokens -------------------------------------------------------------------------------


def test_token_is_issued_for_a_username_and_password(world, api_client):
    """POST /api/token/ with valid credentials answers the account's token."""
    response = api_client.post(
        "/api/token/", {"username": "xiangtan_office", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=world.users.xiangtan_office).key


def test_token_is_refused_for_a_wrong_password(world, api_client):
    """A wrong password gets a 400 and no token."""
    response = api_client.post(
        "/api/token/", {"username": "xiangtan_office", "password": "wrong-password"}, format="json"
    )
    assert response.status_code == 400
    assert "token" not in response.json()


def test_token_authenticates_with_the_same_scope_as_a_session(world):
    """A request with `Authorization: Token …` sees what the user sees on the pages."""
    token = Token.objects.create(user=world.users.xiangtan_office)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert codes(client.get("/api/committees/")) == {"430300"}
    assert names(client.get("/api/people/")) == {"刘敬民", "王勇峰", "马继龙"}


def test_an_unknown_token_is_refused(world):
    """A made-up token gets 401 or 403 and no data."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    assert client.get("/api/people/").status_code in (401, 403)


def test_repeated_wrong_passwords_lock_the_token_endpoint(world, api_client, settings):
    """After as many failures as the log-in page allows, even the right password gets no token:
    the token endpoint is not a way around the lock-out (django-axes)."""
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        api_client.post(
            "/api/token/", {"username": "xiangtan_office", "password": "wrong"}, format="json"
        )
    response = api_client.post(
        "/api/token/", {"username": "xiangtan_office", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 400
    assert "token" not in response.json()
    assert not Token.objects.filter(user=world.users.xiangtan_office).exists()
