"""Search on the public list (commitments/search.py): every word in any order, case and
accents folded, synonyms, sector and party names, title matches first; what the results say,
and the ways out when nothing matches. The same on SQLite and PostgreSQL."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments import search
from commitments.models import Commitment, CommitmentParty
from tests.factories import (
    make_commitment,
    make_event,
    make_party,
    make_published_update,
    make_sector,
)

INVESTMENT = "japanese-investment-10-trillion-yen"


def slugs(response):
    assert response.status_code == 200
    return re.findall(r'<a href="/commitments/([\w-]+)/"', response.content.decode())


def found(client, q, **params):
    return slugs(client.get("/commitments/", {"q": q, **params}))


# What matches ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize(
    "q",
    [
        "japan investment",
        "japan INVESTMENT",
        "investment japan",
        "  Investment   JAPAN  ",
        "japanese, investment!",
        "trillion japan investment",
    ],
)
def test_every_word_in_any_order_and_case_finds_the_investment(client, q):
    assert found(client, q)[0] == INVESTMENT


@pytest.mark.usefixtures("seeded")
def test_every_word_must_match(client):
    assert found(client, "investment moon") == []
    assert found(client, "japan") != []
    assert "chandrayaan-5" not in found(client, "investment japan")


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("yen", INVESTMENT),
        ("¥", INVESTMENT),
        ("円", INVESTMENT),
        ("JPY", INVESTMENT),
        ("¥10 trillion", INVESTMENT),
        ("rupees", INVESTMENT),  # ₹5.96 lakh crore, and a plural
        ("moon", "chandrayaan-5"),
        ("Moon mission", "chandrayaan-5"),
        ("skilled workers", "fifty-thousand-skilled-professionals"),
        ("skilled personnel", "fifty-thousand-skilled-professionals"),
        ("50,000", "fifty-thousand-skilled-professionals"),
        ("50000", "fifty-thousand-skilled-professionals"),
        ("defense", "defence-industry-innovation-maritime-security"),
        ("memorandum space", "mou-space"),
        ("chips", "economic-security-cooperation-initiative"),
        ("university", "indian-students-japanese-universities"),
    ],
)
def test_synonyms_symbols_and_plurals(client, q, expected):
    assert expected in found(client, q)


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Shizuoka", "gujarat-shizuoka-partnership"),
        ("shizuoka", "gujarat-shizuoka-partnership"),
        ("ISRO", "chandrayaan-5"),  # a party's short name
        ("aerospace exploration", "chandrayaan-5"),  # a party's name
        ("Yamanashi Uttar", "uttar-pradesh-yamanashi-partnership"),
    ],
)
def test_party_names(client, q, expected):
    assert expected in found(client, q)


@pytest.mark.usefixtures("seeded")
def test_a_sector_name_finds_its_commitments_title_matches_first(client):
    results = found(client, "space")
    assert results[0] == "mou-space"  # "space" in its title
    assert "chandrayaan-5" in results  # in the Space sector, not in its title
    subnational = found(client, "subnational partnerships")
    assert set(subnational) >= {
        "gujarat-shizuoka-partnership",
        "maharashtra-wakayama-partnership",
        "uttar-pradesh-yamanashi-partnership",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["tokyo", "Tokyo", "TŌKYŌ", "tōkyō", "Tôkyô", "ｔｏｋｙｏ"])
def test_accents_case_and_width_are_folded_both_ways(client, q):
    accented = make_commitment(title="Metro line in Tōkyō")
    plain = make_commitment(title="Tokyo port upgrade")
    make_published_update(accented)
    make_published_update(plain)
    assert set(found(client, q)) == {accented.slug, plain.slug}


@pytest.mark.django_db
def test_title_matches_rank_before_summary_then_the_rest(client):
    sector = make_sector(name="Transport")
    in_description = make_commitment(
        title="Alpha", summary="Nothing here.", description="A zebracorn.", sector=sector
    )
    in_summary = make_commitment(title="Beta", summary="A zebracorn plan.", sector=sector)
    in_title = make_commitment(title="Zebracorn gamma", sector=sector)
    both_words_in_title = make_commitment(title="Zebracorn quagga delta", sector=sector)
    one_word_in_title = make_commitment(
        title="Zebracorn epsilon", summary="A quagga.", sector=sector
    )
    for commitment in (in_description, in_summary, in_title, both_words_in_title):
        make_published_update(commitment)
    make_published_update(one_word_in_title)
    # Title matches (by title), then the summary match, then the description match.
    assert found(client, "zebracorn") == [
        one_word_in_title.slug,
        in_title.slug,
        both_words_in_title.slug,
        in_summary.slug,
        in_description.slug,
    ]
    assert found(client, "quagga zebracorn") == [both_words_in_title.slug, one_word_in_title.slug]
    # A chosen order still wins over the ranking.
    assert found(client, "zebracorn", sort="title") == [
        in_description.slug,
        in_summary.slug,
        one_word_in_title.slug,
        in_title.slug,
        both_words_in_title.slug,
    ]


@pytest.mark.django_db
def test_words_match_the_start_of_words(client):
    commitment = make_commitment(title="Investment in ports")
    make_published_update(commitment)
    assert found(client, "invest") == [commitment.slug]
    assert found(client, "vestment") == []


@pytest.mark.django_db
def test_drafts_are_never_found(client):
    secret = make_commitment(title="Unannounced zebracorn deal")
    assert found(client, "zebracorn") == []
    make_published_update(secret)
    assert found(client, "zebracorn") == [secret.slug]


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("q", ["!!!", "%", "_", "   ", "\u0301", "a" * 200, "x " * 100])
def test_odd_queries_never_fail(client, q):
    response = client.get("/commitments/", {"q": q})
    assert response.status_code == 200


# Keeping the stored texts current --------------------------------------------------------------


@pytest.mark.usefixtures("seeded")
def test_the_fixture_carries_the_texts_search_would_write():
    assert search.refresh_all() == 0  # nothing to correct
    stored = Commitment.objects.get(slug=INVESTMENT)
    assert " japanese " in stored.search_title
    assert " yen 10 trillion " in stored.search_text


@pytest.mark.django_db
def test_editing_a_commitment_updates_its_search(client):
    commitment = make_commitment(title="Harbour works")
    make_published_update(commitment)
    assert found(client, "harbour") == [commitment.slug]
    commitment.title = "Dockyard works"
    commitment.save()
    assert found(client, "harbour") == []
    assert found(client, "dockyard") == [commitment.slug]


@pytest.mark.django_db
def test_renaming_a_sector_party_or_event_updates_search(client):
    sector = make_sector(name="Shipping")
    party = make_party(name="Kagoshima")
    event = make_event(name="Nagoya forum")
    commitment = make_commitment(sector=sector, event=event, parties=[(party, "lead")])
    make_published_update(commitment)
    assert found(client, "shipping kagoshima nagoya") == [commitment.slug]

    sector.name = "Maritime trade"
    sector.save()
    party.name = "Okinawa"
    party.save()
    event.name = "Sendai forum"
    event.save()
    assert found(client, "shipping") == []
    assert found(client, "kagoshima") == []
    assert found(client, "nagoya") == []
    assert found(client, "okinawa maritime sendai") == [commitment.slug]


@pytest.mark.django_db
def test_adding_and_removing_a_party_updates_search(client):
    commitment = make_commitment()
    make_published_update(commitment)
    party = make_party(name="Hokkaido")
    link = CommitmentParty.objects.create(commitment=commitment, party=party, role="lead")
    assert found(client, "hokkaido") == [commitment.slug]
    link.delete()
    assert found(client, "hokkaido") == []
    commitment.parties.add(party, through_defaults={"role": "lead"})
    assert found(client, "hokkaido") == [commitment.slug]
    commitment.parties.clear()
    assert found(client, "hokkaido") == []


@pytest.mark.django_db
def test_a_rename_rewrites_its_commitments_in_bounded_queries():
    def rename_costs(n):
        sector = make_sector()
        for _ in range(n):
            make_commitment(sector=sector)
        sector.name = f"Renamed {n}"
        with CaptureQueriesContext(connection) as queries:
            sector.save()
        assert Commitment.objects.filter(search_text__contains=f" renamed {n} ").count() == n
        return len(queries)

    assert rename_costs(40) == rename_costs(3)


@pytest.mark.django_db
def test_the_search_texts_are_not_in_the_history():
    commitment = make_commitment(title="Harbour works")
    fields = {field.name for field in commitment.history.model._meta.fields}
    assert not fields & {"search_title", "search_summary", "search_text"}


# What the results say ----------------------------------------------------------------------------


@pytest.mark.usefixtures("seeded")
def test_results_name_the_search_and_each_filter_with_a_link_that_removes_it(client):
    response = client.get(
        "/commitments/", {"q": "japan investment", "status": "announced", "sector": "investment"}
    )
    page = response.content.decode()
    assert "1 commitment matches <q>japan investment</q>" in page
    chips = re.search(r'<ul class="active-filters".*?</ul>', page, re.S).group(0)
    assert "Search: japan investment" in chips
    assert 'href="/commitments/?status=announced&amp;sector=investment"' in chips
    assert "Status: Announced" in chips
    assert 'href="/commitments/?q=japan+investment&amp;sector=investment"' in chips
    assert "Sector: Investment" in chips
    assert 'href="/commitments/?q=japan+investment&amp;status=announced"' in chips


@pytest.mark.usefixtures("seeded")
def test_nothing_found_says_what_was_searched_and_offers_ways_out(client):
    response = client.get(
        "/commitments/", {"q": "moon investment", "sector": "space", "status": "announced"}
    )
    page = response.content.decode()
    assert "0 commitments match <q>moon investment</q>" in page
    assert "No commitment matches every word of <q>moon investment</q> with these filters." in page
    assert str(search.SEARCHED_DESCRIPTION) in page
    assert "<strong>moon</strong> (or lunar)" in page
    assert "<strong>investment</strong>" in page
    assert "Filters in use: Status: Announced; Sector: Space." in page
    ways = re.search(r'<div class="no-results">.*?</div>', page, re.S).group(0)
    links = {
        text: href.replace("&amp;", "&")
        for href, text in re.findall(r'<a href="([^"]*)">(.*?)</a>', ways)
    }
    assert links == {
        "Remove the filter “Status: Announced”": "/commitments/?q=moon+investment&sector=space",
        "Remove the filter “Sector: Space”": "/commitments/?q=moon+investment&status=announced",
        "Search for <q>moon</q> alone": "/commitments/?q=moon&sector=space&status=announced",
        "Search for <q>investment</q> alone": (
            "/commitments/?q=investment&sector=space&status=announced"
        ),
        "Clear the search": "/commitments/?sector=space&status=announced",
        "Browse all commitments": "/commitments/",
    }
    # Each way out finds something.
    assert found(client, "moon", sector="space") == ["chandrayaan-5"]
    assert "Download" not in page
    assert "_export=" not in page


@pytest.mark.usefixtures("seeded")
def test_one_word_and_no_filters_offers_clearing_and_browsing(client):
    page = client.get("/commitments/", {"q": "zzzzqqqq"}).content.decode()
    assert "No commitment matches every word of <q>zzzzqqqq</q>." in page
    assert "alone</a>" not in page
    assert '<a href="/commitments/">Clear the search</a>' in page
    assert '<a href="/commitments/">Browse all commitments</a>' in page
    assert "Download" not in page


@pytest.mark.usefixtures("seeded")
def test_counts_are_singular_and_plural(client):
    one = client.get("/commitments/", {"q": "yen"}).content.decode()
    assert "1 commitment matches <q>yen</q>" in one
    assert "Download this commitment:" in one
    assert "1 rows" not in one
    two = client.get("/commitments/", {"q": "skilled"}).content.decode()
    assert "2 commitments match <q>skilled</q>" in two
    assert "Download these 2 commitments:" in two
    party = client.get("/parties/jaxa/").content.decode()
    assert "1 commitment<" in party
    assert "Download this commitment:" in party
    assert "rows" not in re.sub(r"<textarea.*?</textarea>", "", party, flags=re.S)


@pytest.mark.usefixtures("seeded")
def test_a_search_orders_by_best_match_until_another_order_is_chosen(client):
    page = client.get("/commitments/", {"q": "space"}).content.decode()
    assert '<option value="" selected>Best match</option>' in page
    page = client.get("/commitments/", {"q": "space", "sort": "deadline"}).content.decode()
    assert '<option value="deadline" selected>' in page
    assert "Best match" in page
    assert "Best match" not in client.get("/commitments/").content.decode()


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("url", ["/commitments/", "/sectors/space/", "/parties/isro/"])
def test_the_list_form_has_a_real_action(client, url):
    page = client.get(url).content.decode()
    assert 'action=""' not in page
    assert f'<form method="get" action="{url}">' in page


@pytest.mark.usefixtures("seeded")
def test_the_api_searches_the_same_way(client):
    response = client.get("/api/commitments/", {"q": "investment JAPAN"})
    assert response.status_code == 200
    results = response.json()
    results = results.get("results", results)
    assert next(row["slug"] for row in results) == INVESTMENT


# Cost --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_search_costs_the_same_for_5_and_60_commitments(
    client, portfolio, django_assert_max_num_queries
):
    url = "/commitments/?q=commitment+summary&sort="

    def cost():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    portfolio(5)
    small = cost()
    portfolio(55)
    with django_assert_max_num_queries(small):
        response = client.get(url)
    assert "60 commitments match" in response.content.decode()
    empty = "/commitments/?q=commitment+zzzzqqqq&status=achieved"
    with django_assert_max_num_queries(small):
        assert client.get(empty).status_code == 200


def test_refresh_standings_repairs_search_texts_changed_behind_the_site_s_back(client, seeded):
    """A rename by a queryset UPDATE (or a raw fixture) skips the signals; the command that
    repairs stored figures repairs the search texts too."""
    from django.core.management import call_command

    from commitments.models import Party

    Party.objects.filter(slug="shizuoka").update(name="Suruga Province")
    assert "0 commitments match" in client.get("/commitments/?q=suruga").content.decode()
    call_command("refresh_standings", verbosity=0, stdout=io.StringIO())
    found = client.get("/commitments/?q=suruga").content.decode()
    assert "1 commitment matches" in found
    assert 'href="/commitments/gujarat-shizuoka-partnership/"' in found
