"""The signed-in pages also run a fixed number of queries, whatever the number of rows."""

import pytest
from django.urls import reverse

from tests.factories import make_commitment, make_source, make_update


def fill(analyst, n):
    for _ in range(n):
        commitment = make_commitment(target_value=100, target_unit="count")
        make_update(commitment, author=analyst, sources=[make_source(), make_source()])
        make_update(commitment, author=analyst, progress_value=5).submit()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "who"),
    [
        (reverse("commitments:workspace"), "analyst"),
        (reverse("commitments:review"), "editor"),
        (reverse("commitments:workspace"), "editor"),
    ],
)
def test_signed_in_pages_are_fixed_cost(
    client, analyst, editor, django_assert_max_num_queries, url, who
):
    client.force_login({"analyst": analyst, "editor": editor}[who])
    fill(analyst, 3)
    with django_assert_max_num_queries(40) as small:
        assert client.get(url).status_code == 200
    fill(analyst, 40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_update_form_is_fixed_cost(client, analyst, django_assert_max_num_queries):
    commitment = make_commitment(slug="busy", target_value=100, target_unit="count")
    client.force_login(analyst)
    url = reverse("commitments:update-new", args=["busy"])
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    for _ in range(30):
        make_update(commitment, sources=[make_source()]).submit()
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
