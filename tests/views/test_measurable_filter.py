"""The list's *Measurable targets only* filter, and the dashboard's link to it (which keeps
the day of an as-of view)."""

import re

import pytest
from django.urls import reverse

from commitments.models import Commitment

pytestmark = pytest.mark.django_db


def listed_slugs(response) -> set[str]:
    return {
        slug
        for slug in re.findall(r'href="/commitments/([a-z0-9-]+)/"', response.content.decode())
        if Commitment.objects.filter(slug=slug).exists()
    }


def test_measurable_only_lists_the_commitments_with_a_target(client, seeded):
    response = client.get("/commitments/?measurable=on")
    assert response.status_code == 200
    expected = set(
        Commitment.objects.public()
        .filter(target_value__isnull=False)
        .values_list("slug", flat=True)
    )
    assert expected == {
        "japanese-investment-10-trillion-yen",
        "five-lakh-indians-to-japan",
        "fifty-thousand-skilled-professionals",
    }
    assert listed_slugs(response) == expected
    assert "3 commitments" in response.content.decode()


def test_the_filter_in_use_is_named_and_removable(client, seeded):
    content = client.get("/commitments/?measurable=on&sort=-progress").content.decode()
    assert "Measurable targets only" in content
    assert 'href="/commitments/?sort=-progress"' in content


def test_the_dashboard_links_to_the_measurable_list(client, seeded):
    content = client.get(reverse("commitments:dashboard")).content.decode()
    assert "/commitments/?measurable=on&amp;sort=-progress" in content


def test_the_dashboard_link_keeps_an_as_of_day(client, seeded):
    content = client.get("/?as_of=2026-03-31").content.decode()
    assert "/commitments/?measurable=on&amp;sort=-progress&amp;as_of=2026-03-31" in content
