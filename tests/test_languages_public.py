"""The public pages in Japanese and Hindi (issue 15): interface strings from the catalogues,
content in the reader's language or in English marked "not yet translated", where each
translation comes from, plural forms, and every public page answering in each language.
At the suite's frozen instant (tests/factories.py: 28 November 2026, noon UTC)."""

import datetime
import html
import re

import pytest
from django.utils import translation

from commitments.languages import TranslationOrigin
from commitments.models import Commitment, Event, Party, Sector, StatusUpdate
from commitments.templatetags.tracker import age_in_words
from tests.factories import (
    TODAY,
    make_commitment,
    make_event,
    make_published_update,
    make_sector,
)

pytestmark = pytest.mark.django_db

JA_MARKER = "（未翻訳）"
HI_MARKER = "(अभी अनुवाद नहीं हुआ)"


@pytest.fixture(autouse=True)
def english_addresses():
    """A request activates its page's language in the thread; each test starts in English."""
    translation.activate("en-gb")
    yield
    translation.activate("en-gb")


def address(obj) -> str:
    """The object's English address, whatever language the last request left active."""
    with translation.override("en-gb"):
        return obj.get_absolute_url()


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def h1(content: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", content, re.S).group(1)


def text_of(content: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", content)).split())


@pytest.fixture
def published(db):
    """One published commitment, no translations."""
    commitment = make_commitment(
        title="Bullet train to Ahmedabad",
        summary="A high-speed line.",
        description="The line is **508 km** long.",
    )
    make_published_update(commitment, status="announced", summary="Announced at the summit.")
    return commitment


@pytest.mark.parametrize(
    ("prefix", "heading", "english"),
    [
        ("/ja", "何が約束され、どう進んでいるか", "What was promised"),
        ("/hi", "क्या वादा किया गया, और काम कैसा चल रहा है", "What was promised"),
        ("", "What was promised, and how it is going", "क्या वादा"),
    ],
)
def test_dashboard_heading_in_the_page_language(client, published, prefix, heading, english):
    content = page(client, f"{prefix}/")
    assert h1(content) == heading
    assert english not in content.split("<main", 1)[1]


@pytest.mark.parametrize(
    ("prefix", "status", "timeline"),
    [("/ja", "発表済み", "経緯"), ("/hi", "घोषित", "समयरेखा")],
)
def test_commitment_page_shows_the_status_and_headings_translated(
    client, published, prefix, status, timeline
):
    content = page(client, f"{prefix}{address(published)}")
    assert f'<span class="badge status-announced">{status}</span>' in content
    assert f'<h2 id="timeline-heading">{timeline}</h2>' in content


@pytest.mark.parametrize(("prefix", "marker"), [("/ja", JA_MARKER), ("/hi", HI_MARKER)])
def test_untranslated_title_falls_back_to_english_marked(client, published, prefix, marker):
    content = page(client, f"{prefix}{address(published)}")
    assert h1(content) == (
        f'<span lang="en">Bullet train to Ahmedabad</span> <small class="untranslated">'
        f"{marker}</small>"
    )
    # <title> and meta take the plain text, without markup or marker.
    assert "<title>Bullet train to Ahmedabad · " in content
    assert '<meta property="og:title" content="Bullet train to Ahmedabad">' in content


def test_translated_title_summary_and_description_show_without_marker(client, published):
    published.title_ja = "アーメダバードへの高速鉄道"
    published.summary_ja = "高速鉄道の路線です。"
    published.description_ja = "路線の長さは **508 km** です。"
    published.translation_ja = TranslationOrigin.REVIEWED
    published.save()

    content = page(client, f"/ja{address(published)}")
    assert h1(content) == "アーメダバードへの高速鉄道"
    assert '<p class="lede">高速鉄道の路線です。</p>' in content
    assert "<p>路線の長さは <strong>508 km</strong> です。</p>" in content
    assert "<title>アーメダバードへの高速鉄道 · " in content
    header = content.split('<header class="commitment-header">', 1)[1].split("</header>")[0]
    assert JA_MARKER not in header
    # Hindi has no translation: the same page in Hindi falls back, marked.
    content = page(client, f"/hi{address(published)}")
    assert 'lang="en">Bullet train to Ahmedabad</span>' in h1(content)


def test_untranslated_markdown_description_is_marked_once(client, published):
    content = page(client, f"/ja{address(published)}")
    about = content.split('<h2 id="about-heading">', 1)[1].split("</section>", 1)[0]
    assert '<div lang="en"><p>The line is <strong>508 km</strong> long.</p></div>' in about
    assert about.count(JA_MARKER) == 1


@pytest.mark.parametrize(
    ("origin", "ja", "hi"),
    [
        (TranslationOrigin.SOURCE, "出典の原文", "स्रोत के अपने शब्द"),
        (TranslationOrigin.REVIEWED, "レビュー済みの翻訳", "समीक्षित अनुवाद"),
        (TranslationOrigin.UNREVIEWED, "未レビューの翻訳", "अनुवाद, समीक्षा बाकी"),
    ],
)
def test_origin_of_the_translation_is_stated(client, published, origin, ja, hi):
    published.title_ja, published.translation_ja = "高速鉄道", origin
    published.title_hi, published.translation_hi = "बुलेट ट्रेन", origin
    published.save()
    content = page(client, f"/ja{address(published)}")
    assert f'<p class="translation-note meta">この公約の日本語の文章: {ja}</p>' in content
    content = page(client, f"/hi{address(published)}")
    assert f'<p class="translation-note meta">इस प्रतिबद्धता का हिन्दी पाठ: {hi}</p>' in content
    # In English the page is the original: no note.
    assert "translation-note" not in page(client, address(published))


def test_no_translation_is_stated_as_such(client, published):
    content = page(client, f"/ja{address(published)}")
    assert "この公約の日本語の文章: 未翻訳（英語で表示しています）" in content


def test_translated_sector_and_update_summary(client, published):
    sector = published.sector
    sector.name_ja = "交通"
    sector.save()
    # A published update is never changed in place: as if it had been published with it.
    StatusUpdate.objects.filter(commitment=published).update(
        summary_ja="首脳会談で発表されました。"
    )
    content = page(client, f"/ja{address(published)}")
    assert f'<a href="/ja{address(sector)}">交通</a>' in content
    assert '<p class="timeline-summary">首脳会談で発表されました。</p>' in content
    content = page(client, f"/ja{address(sector)}")
    assert h1(content) == "分野: 交通"


@pytest.mark.parametrize(
    ("prefix", "one", "many"),
    [
        ("/ja", "公約 1件", "公約 3件"),
        ("/hi", "1 प्रतिबद्धता", "3 प्रतिबद्धताएँ"),
        ("", "1 commitment", "3 commitments"),
    ],
)
def test_list_heading_plural_forms(client, prefix, one, many):
    sector = make_sector()
    make_published_update(make_commitment(sector=sector), status="announced")
    url = f"{prefix}{address(sector)}"
    heading = re.search(r'<h2 id="results-heading"[^>]*>(.*?)</h2>', page(client, url), re.S)
    assert text_of(heading.group(1)) == one
    for _ in range(2):
        make_published_update(make_commitment(sector=sector), status="announced")
    heading = re.search(r'<h2 id="results-heading"[^>]*>(.*?)</h2>', page(client, url), re.S)
    assert text_of(heading.group(1)) == many


@pytest.mark.parametrize(
    ("language", "days", "words"),
    [
        ("ja", 1, "昨日"),
        ("ja", 12, "12日"),
        ("ja", 456, "15か月"),
        ("ja", 800, "2年"),
        ("hi", 1, "कल"),
        ("hi", 12, "12 दिन"),
        ("hi", 30, "30 दिन"),
        ("hi", 456, "15 महीने"),
        ("hi", 800, "2 साल"),
        ("en-gb", 456, "15 months"),
    ],
)
def test_age_in_words_in_each_language(language, days, words):
    with translation.override(language):
        assert age_in_words(TODAY - datetime.timedelta(days=days), TODAY) == words


def test_freshness_sentence_in_japanese_and_hindi(client, published):
    # Published on the summit day: stale by now, 15 months without an update.
    content = page(client, f"/ja{address(published)}")
    assert "以降、更新なし（15か月）" in text_of(content)
    content = page(client, f"/hi{address(published)}")
    assert "के बाद कोई अपडेट नहीं — 15 महीने" in text_of(content)


def test_dashboard_event_line_and_report_in_japanese(client, published):
    event = make_event(name="Annual Summit", name_ja="年次首脳会談")
    published.event = event
    published.save()
    content = page(client, "/ja/")
    tracked = text_of(content.split('<p class="tracked-line">', 1)[1].split("</p>", 1)[0])
    assert tracked.startswith("年次首脳会談")
    assert "で表明された公約1件。" in tracked
    content = page(client, "/ja/reports/progress/")
    assert '<h2 id="r-summary">概要</h2>' in content
    assert "公開された公約1件" in text_of(content)


@pytest.mark.parametrize("prefix", ["", "/ja", "/hi"])
def test_every_public_page_answers_in_each_language(client, seeded, prefix):
    public = Commitment.objects.public().order_by("pk")
    urls = ["/", "/commitments/", "/reports/progress/"]
    urls += ["/commitments/?q=zzzz", "/commitments/?as_of=2025-09-01", "/?as_of=2025-09-01"]
    urls += ["/commitments/?status=announced&overdue=on&sort=deadline"]
    for commitment in public:
        urls += [
            address(commitment),
            f"{address(commitment)}history/",
        ]
    urls += [address(sector) for sector in Sector.objects.all()]
    urls += [address(party) for party in Party.objects.public()]
    urls += [f"/events/{event.slug}/" for event in Event.objects.all()]
    for url in urls:
        content = page(client, prefix + url)
        if prefix:
            assert "<h1" in content, url
