"""The India–Japan 2025 seed data says what the article says, and nothing more."""

import datetime
from decimal import Decimal

from django.core.management import call_command

from commitments.models import Commitment, Event, Party, Sector, Source, StatusUpdate

SUMMIT = datetime.date(2025, 8, 29)
ARTICLE = "A Shared Past, a Forward-Looking Future"

# Each pledge the article names: (slug, words its title must hold).
PLEDGES = {
    "joint-crediting-mechanism": "Joint Crediting Mechanism",
    "chandrayaan-5": "Chandrayaan-5",
    "japanese-investment-10-trillion-yen": "¥10 trillion",
    "mou-human-resource-development": "human resource development",
    "mou-cultural-cooperation": "cultural cooperation",
    "mou-environment": "environment",
    "mou-digital-technologies": "digital technologies",
    "mou-space": "space",
    "gujarat-shizuoka-partnership": "Gujarat–Shizuoka",
    "maharashtra-wakayama-partnership": "Maharashtra–Wakayama",
    "uttar-pradesh-yamanashi-partnership": "Uttar Pradesh–Yamanashi",
    "one-district-one-product-vibrant-village": "One District One Product",
    "five-lakh-indians-to-japan": "5 lakh Indians",
    "fifty-thousand-skilled-professionals": "50,000 skilled professionals",
    "indian-students-japanese-universities": "Japanese universities",
    "kansai-business-exchange-forum": "Business Exchange Forum in Kansai",
    "economic-security-cooperation-initiative": "Economic Security Cooperation Initiative",
    "defence-industry-innovation-maritime-security": "maritime security in the Indo-Pacific",
}


def test_every_pledge_is_one_commitment(seeded):
    titles = dict(Commitment.objects.values_list("slug", "title"))
    assert set(titles) == set(PLEDGES)
    for slug, words in PLEDGES.items():
        assert words in titles[slug]


def test_each_commitment_is_announced_at_the_summit_by_the_article(seeded):
    article = Source.objects.get()
    assert article.title == ARTICLE
    assert article.url == ""  # the article gives no URL or publisher
    assert article.publisher == ""
    for commitment in Commitment.objects.select_related("event", "latest_update"):
        assert commitment.announced_on == SUMMIT
        assert commitment.event.name == "15th India–Japan Annual Summit"
        assert commitment.current_status == "announced"
        update = commitment.latest_update
        assert update.as_of == SUMMIT
        assert update.state == StatusUpdate.State.PUBLISHED
        assert list(update.sources.all()) == [article]
    assert StatusUpdate.objects.count() == StatusUpdate.objects.published().count() == 18
    assert Commitment.objects.public().count() == 18


def test_the_article_numbers_and_deadlines(seeded):
    investment = Commitment.objects.get(slug="japanese-investment-10-trillion-yen")
    assert investment.target_value == Decimal("10000000000000")
    assert investment.target_unit == "JPY"
    assert investment.target_wording == "¥10 trillion (about ₹5.96 lakh crore)"
    assert (investment.deadline, investment.deadline_precision) == (
        datetime.date(2035, 12, 31),
        "year",
    )
    conversion = Source.objects.get().conversions.get()
    assert (conversion.from_currency, conversion.from_amount) == ("JPY", Decimal(10**13))
    assert (conversion.to_currency, conversion.to_amount) == ("INR", Decimal("5960000000000"))
    for word in ("artificial intelligence", "semiconductors", "healthcare", "environmental"):
        assert word in investment.description

    exchange = Commitment.objects.get(slug="five-lakh-indians-to-japan")
    assert (exchange.target_value, exchange.target_unit) == (Decimal(500000), "people")
    assert exchange.deadline_label == "by 2030"

    skilled = Commitment.objects.get(slug="fifty-thousand-skilled-professionals")
    assert (skilled.target_value, skilled.target_unit) == (Decimal(50000), "people")
    assert skilled.parent == exchange
    assert skilled.counts_toward_parent
    assert skilled.deadline_label == "by 2030"


def test_nothing_invented_where_the_article_is_silent(seeded):
    with_figures = {
        "japanese-investment-10-trillion-yen",
        "five-lakh-indians-to-japan",
        "fifty-thousand-skilled-professionals",
    }
    for commitment in Commitment.objects.exclude(slug__in=with_figures):
        assert commitment.target_value is None, commitment.slug
        assert commitment.deadline is None, commitment.slug


def test_parties_read_as_pairs(seeded):
    chandrayaan = Commitment.objects.get(slug="chandrayaan-5")
    assert chandrayaan.party_pairs().startswith("ISRO ↔ JAXA")
    for term in ("lunar water", "volatile"):
        assert term in chandrayaan.summary
    roles = {
        link.party.short_name: link.contribution for link in chandrayaan.commitment_parties.all()
    }
    assert roles["ISRO"] == "lander"
    pairs = {
        "gujarat-shizuoka-partnership": "Gujarat ↔ Shizuoka",
        "maharashtra-wakayama-partnership": "Maharashtra ↔ Wakayama",
        "uttar-pradesh-yamanashi-partnership": "Uttar Pradesh ↔ Yamanashi",
    }
    for slug, pair in pairs.items():
        assert Commitment.objects.get(slug=slug).party_pairs() == pair
    assert Party.objects.get(slug="shizuoka").kind == "prefecture"
    assert Party.objects.get(slug="gujarat").country.code == "IN"


def test_sectors_cover_the_vocabulary(seeded):
    assert set(Sector.objects.values_list("slug", flat=True)) == {
        "space",
        "investment",
        "people-skills",
        "environment-climate",
        "digital-technology",
        "economic-security",
        "defence-security",
        "culture",
        "subnational-partnerships",
        "business-msmes",
    }
    assert Event.objects.get().ends_on == datetime.date(2025, 8, 30)


def test_every_loaded_object_passes_validation(seeded):
    for model in (Commitment, StatusUpdate, Source, Party, Sector, Event):
        for obj in model.objects.all():
            obj.full_clean()


def test_loading_twice_changes_nothing(seeded):
    call_command("loaddata", "india_japan_2025", verbosity=0)
    assert Commitment.objects.count() == 18
    assert StatusUpdate.objects.count() == 18
