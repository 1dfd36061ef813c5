"""The admin changelist of updates counts at most 1,000 of them (a capped COUNT)."""

import datetime

import pytest
from django.utils import timezone

from commitments.admin import CappedCountPaginator
from commitments.models import StatusUpdate
from tests.factories import SUMMIT_DAY, make_commitment, make_editor

pytestmark = pytest.mark.django_db
URL = "/admin/commitments/statusupdate/"


def published(count):
    commitment = make_commitment()
    StatusUpdate.objects.bulk_create(
        StatusUpdate(
            commitment=commitment,
            as_of=SUMMIT_DAY + datetime.timedelta(days=n % 300),
            status="in_progress",
            summary=f"Update {n}",
            state="published",
            reviewed_at=timezone.now(),
        )
        for n in range(count)
    )


def test_a_small_log_is_counted_exactly(client):
    published(12)
    client.force_login(make_editor())
    assert "12 status updates" in client.get(URL).content.decode()


def test_a_large_log_is_counted_up_to_the_cap(client):
    published(CappedCountPaginator.COUNT_CAP + 30)
    client.force_login(make_editor())
    response = client.get(URL)
    html = response.content.decode()
    assert "More than 1000 status updates: filter or search to narrow them." in html
    assert response.context["cl"].paginator.count == CappedCountPaginator.COUNT_CAP + 1
    assert 'href="?p=2"' in html
