"""Filters, sorting, search and pagination of the public list, and nonsense in the URL."""

import datetime

import pytest

from tests.factories import make_commitment, make_published_update

pytestmark = pytest.mark.usefixtures("seeded")


def slugs(response):
    return [row.record.slug for row in response.context["table"].paginated_rows]


def test_status_filter_takes_several_values(client):
    make_published_update(make_commitment(slug="moving"), status="in_progress")
    make_published_update(make_commitment(slug="late"), status="delayed")
    response = client.get("/commitments/?status=in_progress&status=delayed")
    assert sorted(slugs(response)) == ["late", "moving"]


def test_sector_party_and_deadline_filters(client):
    assert slugs(client.get("/commitments/?sector=space")) == ["chandrayaan-5", "mou-space"]
    assert slugs(client.get("/commitments/?party=gujarat")) == ["gujarat-shizuoka-partnership"]
    response = client.get("/commitments/?deadline_from=2030-01-01&deadline_to=2030-12-31")
    assert sorted(slugs(response)) == [
        "fifty-thousand-skilled-professionals",
        "five-lakh-indians-to-japan",
    ]


def test_overdue_filter(client):
    commitment = make_commitment(
        slug="missed",
        announced_on=datetime.date(2024, 1, 1),
        deadline=datetime.date(2025, 1, 1),
        deadline_precision="day",
    )
    make_published_update(commitment, as_of=datetime.date(2024, 6, 1))
    assert slugs(client.get("/commitments/?overdue=on")) == ["missed"]
    assert "Overdue" in client.get("/commitments/?overdue=on").content.decode()


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Chandrayaan", "chandrayaan-5"),
        ("chandrayaan", "chandrayaan-5"),
        ("lunar water", "chandrayaan-5"),  # summary
        ("rover", "chandrayaan-5"),  # description
        ("Kansai", "kansai-business-exchange-forum"),
    ],
)
def test_search_covers_title_summary_and_description(client, q, expected):
    assert expected in slugs(client.get("/commitments/", {"q": q}))


def test_empty_results_say_so(client):
    response = client.get("/commitments/?q=zzzzqqqq")
    page = response.content.decode()
    assert "No commitment matches every word of <q>zzzzqqqq</q>." in page
    assert "0 commitments match <q>zzzzqqqq</q>" in page


def test_sorting_by_deadline_puts_undated_last_both_ways(client):
    ascending = slugs(client.get("/commitments/?sort=deadline"))
    assert ascending[:2] == ["fifty-thousand-skilled-professionals", "five-lakh-indians-to-japan"]
    assert ascending[2] == "japanese-investment-10-trillion-yen"
    descending = slugs(client.get("/commitments/?sort=-deadline"))
    assert descending[0] == "japanese-investment-10-trillion-yen"


@pytest.mark.parametrize(
    "sort",
    [
        "title",
        "-title",
        "sector",
        "-sector",
        "status",
        "-status",
        "progress",
        "-progress",
        "deadline",
        "last_update",
        "-last_update",
    ],
)
def test_every_sortable_column_sorts(client, sort):
    response = client.get("/commitments/", {"sort": sort})
    assert response.status_code == 200
    assert len(slugs(response)) == 18


def test_sorting_by_progress_uses_percent_complete(client):
    for slug, value in [("low", 10), ("high", 90)]:
        commitment = make_commitment(slug=slug, target_value=100, target_unit="count")
        make_published_update(commitment, progress_value=value)
    order = slugs(client.get("/commitments/?sort=-progress"))
    assert order[:2] == ["high", "low"]


def test_a_filtered_sorted_page_is_a_permalink(client):
    url = "/commitments/?sector=people-skills&sort=-title"
    first = client.get(url)
    assert slugs(first) == [
        "mou-human-resource-development",
        "five-lakh-indians-to-japan",
        "indian-students-japanese-universities",
        "fifty-thousand-skilled-professionals",
    ]
    assert client.get(url).content == first.content


def test_twenty_five_per_page(client):
    for _ in range(20):
        make_published_update(make_commitment())
    page_1 = client.get("/commitments/")
    page_2 = client.get("/commitments/?page=2")
    assert len(slugs(page_1)) == 25
    assert len(slugs(page_2)) == 13
    assert "page 1 of 2" in page_1.content.decode()


@pytest.mark.parametrize(
    ("query", "explained"),
    [
        ("page=abc", None),
        ("page=99999", None),
        ("page=-3", None),
        ("page=0", None),
        ("per_page=0", None),
        ("sort=nonsense", None),
        ("sort=", None),
        ("deadline_from=not-a-date", "Deadline from: Enter a valid date."),
        ("deadline_to=2030-13-45", "Deadline to: Enter a valid date."),
        ("status=bogus", "Status: Select a valid choice."),
        ("sector=nowhere", "Sector: Select a valid choice."),
        ("q=" + "x" * 5000, "Search: Ensure this value has at most 200 characters"),
        ("overdue=maybe", None),
        ("q=%27%22%3C%3E%3B--", None),
    ],
)
def test_nonsense_in_the_query_string_is_ignored_or_explained(client, query, explained):
    response = client.get(f"/commitments/?{query}")
    assert response.status_code == 200
    content = response.content.decode()
    if explained:
        assert explained in content
        assert "were ignored" in content
        assert len(slugs(response)) == 18  # the bad filter is dropped, the list still shows


def test_valid_filters_still_apply_beside_invalid_ones(client):
    response = client.get("/commitments/?sector=space&status=bogus")
    assert slugs(response) == ["chandrayaan-5", "mou-space"]
