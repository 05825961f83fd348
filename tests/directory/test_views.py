"""Registry pages: lists in official order, person pages, forms with field errors, scoping."""

import datetime
import random

import pytest
from django.urls import reverse

from lianluo.core.models import AuditEvent, PersonalDataAccess
from lianluo.directory.models import Membership, Person
from tests.core.test_chinese import SPORTS_SECTOR
from tests.factories import MembershipFactory, OrganizationFactory, PersonFactory, valid_id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_member_list_is_in_stroke_order_whatever_the_entry_order(world, as_user):
    """The 21 sports-sector names, entered shuffled, are listed exactly as published."""
    sector = OrganizationFactory(committee=world.xiangtan, name="体育界")
    shuffled = list(SPORTS_SECTOR)
    random.Random(7).shuffle(shuffled)
    for name in shuffled:
        MembershipFactory(
            person=PersonFactory(family_name=name[0], given_name=name[1:]),
            term=world.terms["430300"],
            committee=world.xiangtan,
            sector=sector,
        )
    client = as_user(world.users.xiangtan_office)
    response = client.get(reverse("directory:members", args=["430300"]), {"sector": sector.pk})
    assert response.status_code == 200
    listed = [seat.person.name for seat in response.context["page"]]
    assert listed == list(SPORTS_SECTOR)


def test_member_list_searches_by_pinyin_and_initials(world, as_user):
    client = as_user(world.users.xiangtan_office)
    url = reverse("directory:members", args=["430300"])
    for text in ("liujing", "ljm", "刘敬"):
        names = [s.person.name for s in client.get(url, {"q": text}).context["page"]]
        assert names == ["刘敬民"], text


def test_member_list_is_a_constant_number_of_queries(world, as_user, django_assert_max_num_queries):
    """Ten or sixty members: the page costs the same number of queries."""
    client = as_user(world.users.xiangtan_office)
    url = reverse("directory:members", args=["430300"])
    client.get(url)
    with django_assert_max_num_queries(16) as few:
        client.get(url)
    for _ in range(60):
        MembershipFactory(
            term=world.terms["430300"],
            committee=world.xiangtan,
            sector=world.sector[("430300", "经济界")],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_both_offices_see_the_shared_person_and_edit_only_their_own_membership(world, as_user):
    """The person page lists both memberships; each office gets an edit link for its own only."""
    for user, own, other in (
        (world.users.hunan_office, world.seat_hunan, world.seat_xiangtan),
        (world.users.xiangtan_office, world.seat_xiangtan, world.seat_hunan),
    ):
        client = as_user(user)
        page = client.get(reverse("directory:person", args=[world.both.pk]))
        assert page.status_code == 200
        html = page.content.decode()
        assert "湖南省政协" in html and "湘潭市政协" in html
        assert reverse("directory:membership_edit", args=[own.pk]) in html
        assert reverse("directory:membership_edit", args=[other.pk]) not in html
        assert client.get(reverse("directory:membership_edit", args=[other.pk])).status_code in (
            403,
            404,
        )
        assert client.get(reverse("directory:membership_edit", args=[own.pk])).status_code == 200


def test_person_page_masks_personal_data_until_revealed_and_logs_the_reveal(world, as_user):
    client = as_user(world.users.xiangtan_office)
    html = client.get(reverse("directory:person", args=[world.both.pk])).content.decode()
    full_id = valid_id_number(1)
    assert full_id not in html and "13800138000" not in html
    assert "138****8000" in html
    revealed = client.post(reverse("directory:person_reveal", args=[world.both.pk]))
    assert full_id in revealed.content.decode()
    access = PersonalDataAccess.objects.get()
    assert access.user == world.users.xiangtan_office and access.object_id == str(world.both.pk)


def test_auditor_cannot_reveal_personal_data(world, as_user):
    client = as_user(world.users.xiangtan_auditor)
    assert client.get(reverse("directory:person", args=[world.both.pk])).status_code == 200
    assert client.post(reverse("directory:person_reveal", args=[world.both.pk])).status_code == 403
    assert not PersonalDataAccess.objects.exists()


def _new_member_post(world, **changes):
    data = {
        "family_name": "周",
        "given_name": "继红",
        "gender": "female",
        "id_number": valid_id_number(77),
        "mobile": "13912345678",
        "term": world.terms["430300"].pk,
        "sector": world.sector[("430300", "教育界")].pk,
        "role": "member",
        "start_date": "2023-01-05",
    }
    data.update(changes)
    return data


def test_office_registers_a_member_and_the_change_is_audited(world, as_user):
    client = as_user(world.users.xiangtan_office)
    response = client.post(
        reverse("directory:member_new", args=["430300"]), _new_member_post(world)
    )
    person = Person.objects.get(name="周继红")
    assert response.status_code == 302
    assert person.id_number_masked.endswith(valid_id_number(77)[-4:])
    assert person.birth_date == datetime.date(1970, 1, 1)
    assert Membership.objects.filter(person=person, committee=world.xiangtan).count() == 1
    events = AuditEvent.objects.filter(object_repr__contains="周继红")
    assert {e.action for e in events} == {"create"}
    assert all(e.actor == world.users.xiangtan_office for e in events)


def test_registering_an_already_registered_id_number_adds_a_seat_to_that_person(world, as_user):
    """The same ID number is the same person: no second Person row, a second seat."""
    client = as_user(world.users.shenzhen_office)
    data = _new_member_post(
        world,
        id_number=valid_id_number(1),
        term=world.terms["440300"].pk,
        sector=world.sector[("440300", "教育界")].pk,
    )
    response = client.post(reverse("directory:member_new", args=["440300"]), data)
    assert response.status_code == 302
    assert Person.objects.filter(name="刘敬民").count() == 1
    assert world.both.memberships.count() == 3
    assert Person.objects.get(pk=world.both.pk).name == "刘敬民"  # data of the person unchanged


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"id_number": "430302197001010019"}, "id_number", "check digit"),
        ({"mobile": "12345"}, "mobile", "11 digits"),
        ({"sector": ""}, "sector", "required"),
        ({"start_date": "2023-13-45"}, "start_date", "valid date"),
        ({"family_name": ""}, "family_name", "required"),
    ],
)
def test_bad_input_is_refused_field_by_field_and_saves_nothing(
    world, as_user, changes, field, message, settings
):
    settings.LANGUAGE_CODE = "en"
    client = as_user(world.users.xiangtan_office)
    before = (Person.objects.count(), Membership.objects.count(), AuditEvent.objects.count())
    data = _new_member_post(world, **changes)
    if changes.get("id_number") == "430302197001010019" and valid_id_number(1).endswith("9"):
        data["id_number"] = "430302197001010018"
    response = client.post(
        reverse("directory:member_new", args=["430300"]), data, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert (
        Person.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
    ) == before


def test_field_errors_are_in_chinese_by_default(world, as_user):
    client = as_user(world.users.xiangtan_office)
    response = client.post(
        reverse("directory:member_new", args=["430300"]), _new_member_post(world, mobile="12")
    )
    assert "手机号码" in " ".join(response.context["form"].errors["mobile"])


def test_membership_change_keeps_the_before_and_after_in_the_audit_trail(world, as_user):
    client = as_user(world.users.xiangtan_office)
    url = reverse("directory:membership_edit", args=[world.seat_xiangtan.pk])
    data = {
        "term": world.terms["430300"].pk,
        "organization": "",
        "sector": world.sector[("430300", "教育界")].pk,
        "role": "standing_member",
        "start_date": "2022-01-01",
        "end_date": "",
        "status": "serving",
        "note": "",
        "reason": "常委会选举",
    }
    assert client.post(url, data).status_code == 302
    event = AuditEvent.objects.filter(action="update").get()
    assert event.changes == {"role": ["member", "standing_member"]}
    assert event.reason == "常委会选举"
    assert event.committee_id == world.xiangtan.pk


def test_ending_a_membership_needs_an_end_date(world, as_user, settings):
    settings.LANGUAGE_CODE = "en"
    client = as_user(world.users.xiangtan_office)
    url = reverse("directory:membership_edit", args=[world.seat_xiangtan.pk])
    data = {
        "term": world.terms["430300"].pk,
        "organization": "",
        "sector": world.sector[("430300", "教育界")].pk,
        "role": "member",
        "start_date": "2022-01-01",
        "end_date": "",
        "status": "resigned",
        "note": "",
    }
    response = client.post(url, data)
    assert "end date" in " ".join(response.context["form"].errors["end_date"])
    assert Membership.objects.get(pk=world.seat_xiangtan.pk).status == "serving"


def test_read_only_office_of_the_province_cannot_edit_city_records(world, as_user):
    client = as_user(world.users.hunan_office)
    assert client.get(reverse("directory:members", args=["430300"])).status_code == 200
    assert client.get(reverse("directory:member_new", args=["430300"])).status_code == 403
    assert (
        client.get(reverse("directory:person_edit", args=[world.xiangtan_only.pk])).status_code
        == 403
    )


def test_members_and_units_do_not_get_registry_pages(world, as_user):
    for user in (world.users.member, world.users.unit, world.users.convener):
        client = as_user(user)
        assert client.get(reverse("directory:members", args=["430300"])).status_code == 404
        assert client.get(reverse("directory:overview")).status_code == 404


def test_member_page_shows_all_own_memberships(world, as_user):
    client = as_user(world.users.member)
    response = client.get(reverse("portal:me"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "湖南省" in html and "湘潭市" in html
    assert client.get(reverse("home")).url == reverse("portal:me")


def test_anonymous_visitors_are_sent_to_log_in(world, client):
    response = client.get(reverse("directory:members", args=["430300"]))
    assert response.status_code == 302 and reverse("accounts:login") in response.url
