"""Links between records are kept in both directions and recorded once."""

import pytest

from lianluo.core.links import link, links_of
from lianluo.core.models import RecordLink
from tests.factories import CommitteeFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_a_link_is_seen_from_both_records_and_recorded_once():
    source, target = PersonFactory(), CommitteeFactory()
    link(source=source, target=target, kind="became")
    link(source=source, target=target, kind="became")
    assert RecordLink.objects.count() == 1
    assert links_of(source) == [("out", "became", target)]
    assert links_of(target) == [("in", "became", source)]
