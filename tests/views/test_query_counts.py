"""Every public page runs the same number of queries for 5 commitments as for 200."""

import datetime

import pytest

from commitments.models import Commitment
from tests.factories import SUMMIT_DAY, make_editor, make_published_update, make_source

PAGES = [
    "/",
    "/commitments/",
    "/commitments/?sort=-progress&status=in_progress&q=Commitment",
    "/commitments/?page=2&sort=deadline",
    "/about/",
]


def count_queries(client, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(100) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.mark.django_db
def test_list_pages_are_fixed_cost(client, portfolio, django_assert_max_num_queries):
    portfolio(5)
    commitment = Commitment.objects.first()
    urls = [
        *PAGES,
        commitment.sector.get_absolute_url(),
        commitment.parties.first().get_absolute_url(),
    ]
    small = {url: count_queries(client, url, django_assert_max_num_queries) for url in urls}
    portfolio(195)
    for url in urls:
        with django_assert_max_num_queries(small[url]):
            client.get(url)


@pytest.mark.django_db
def test_detail_page_is_fixed_cost_whatever_the_timeline(
    client, portfolio, django_assert_max_num_queries
):
    portfolio(2)
    commitment = Commitment.objects.first()
    url = commitment.get_absolute_url()
    small = count_queries(client, url, django_assert_max_num_queries)
    editor = make_editor()
    for day in range(40):
        make_published_update(
            commitment,
            by=editor,
            as_of=SUMMIT_DAY + datetime.timedelta(days=day),
            progress_value=day,
            sources=[make_source(), make_source()],
        )
    with django_assert_max_num_queries(small):
        response = client.get(url)
    assert len(response.context["commitment"].timeline()) == 42
