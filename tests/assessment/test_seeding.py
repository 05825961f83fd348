"""The demo committee comes with a year's assessment computed from its seeded records."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from lianluo.assessment.models import Assessment, MemberResult, ScoreLine
from lianluo.directory.models import Membership, Person
from lianluo.directory.seeding import AS_OF

pytestmark = pytest.mark.django_db


def test_the_demo_has_scores_for_every_member_with_lines_behind_them():
    call_command("demo", stdout=StringIO(), verbosity=0)
    assessment = Assessment.objects.get(committee__code="430300", year=AS_OF.year)
    seated = Membership.objects.filter(
        committee__code="430300", organization__isnull=True, status="serving"
    ).count()
    results = MemberResult.objects.filter(assessment=assessment)
    assert results.count() == seated
    assert ScoreLine.objects.filter(assessment=assessment).count() > seated  # records priced
    member = Person.objects.get(user__username="xt_member")
    assert results.filter(person=member).exists()

    client = Client()
    client.post(
        reverse("accounts:login"), {"username": "xt_member", "password": "Demo-Member-2026!"}
    )
    page = client.get(reverse("assessment:mine"), follow=True)
    assert page.status_code == 200
    mine = results.get(person=member, assessment=assessment)
    url = reverse("assessment:person", args=["430300", AS_OF.year, member.pk])
    assert url in page.content.decode() and f">{mine.total}<" in page.content.decode()
    # Seeding twice (demo is idempotent) does not duplicate the assessment.
    call_command("demo", stdout=StringIO(), verbosity=0)
    assert Assessment.objects.filter(committee__code="430300").count() == 1


def test_the_demo_loads_again_after_an_assessment_was_worked_on():
    """`seed --force` and an interrupted demo delete the committees' records, the assessment's
    included (its rows protect each other)."""
    from lianluo.assessment import seeding
    from lianluo.directory.models import Committee

    call_command("demo", stdout=StringIO(), verbosity=0)
    ids = list(Committee.objects.filter(is_demo=True).values_list("pk", flat=True))
    assert seeding.delete(committee_ids=ids)["assessment.Assessment"] == 2
    assert not Assessment.objects.exists() and not ScoreLine.objects.exists()
