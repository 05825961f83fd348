"""factory_boy factories for the registry. Tests build their data here, never from JSON fixtures."""

import datetime

import factory

from lianluo.accounts.models import User
from lianluo.core.chinese import id_number_check_char
from lianluo.directory.models import (
    Committee,
    Grant,
    Membership,
    Organization,
    Person,
    Term,
)


def valid_id_number(
    serial: int, birth: datetime.date = datetime.date(1970, 1, 1), region: str = "430302"
) -> str:
    first17 = f"{region}{birth:%Y%m%d}{serial % 1000:03d}"
    return first17 + id_number_check_char(first17)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("Correct-Horse-42!")


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{430000 + n * 100:06d}")
    name = factory.LazyAttribute(lambda o: f"政协{o.code}委员会")
    short_name = factory.LazyAttribute(lambda o: f"{o.code}政协")
    level = Committee.Level.MUNICIPAL


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    committee = factory.SubFactory(CommitteeFactory)
    number = 13
    start_date = datetime.date(2022, 1, 1)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    committee = factory.SubFactory(CommitteeFactory)
    classification = Organization.Classification.SECTOR
    name = factory.Sequence(lambda n: f"界别{n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    family_name = "张"
    given_name = factory.Sequence(lambda n: f"委员{n}")
    gender = Person.Gender.MALE


class MembershipFactory(factory.django.DjangoModelFactory):
    """A seat in a committee (organization empty) with a sector of the same committee."""

    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    term = factory.SubFactory(TermFactory)
    committee = factory.LazyAttribute(lambda o: o.term.committee)
    sector = factory.LazyAttribute(
        lambda o: OrganizationFactory(committee=o.term.committee, classification="sector")
    )
    role = Membership.Role.MEMBER
    start_date = datetime.date(2022, 1, 1)


class GrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grant

    user = factory.SubFactory(UserFactory)
    committee = factory.SubFactory(CommitteeFactory)
    role = Grant.Role.OFFICE
