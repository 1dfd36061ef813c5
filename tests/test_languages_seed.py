"""The India–Japan seed data in Japanese and Hindi (fixtures/india_japan_2025.json): every
text that has English has a Japanese and a Hindi text, marked as the tracker's reviewed
translation (the article is English, so never "the source's own wording"), written in the
reader's script with official names, and numbers the way each reader writes them."""

import json
import re
import unicodedata
from pathlib import Path

import pytest
from django.utils import translation

from commitments.languages import OTHER_LANGUAGES, TRANSLATED_FIELDS, translated
from commitments.models import Commitment, Event, Party, Sector, StatusUpdate

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "india_japan_2025.json"
ROWS = json.loads(FIXTURE.read_text())
TRANSLATED = [row for row in ROWS if row["model"].split(".")[1] in TRANSLATED_FIELDS]
# Latin words allowed in a Japanese or Hindi text: acronyms readers use as they are.
ACRONYMS = {"ISRO", "JAXA", "JCM"}
SCRIPT = {
    "ja": re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]"),
    "hi": re.compile(r"[\u0900-\u097f]"),
}


def texts(language):
    for row in TRANSLATED:
        for field in TRANSLATED_FIELDS[row["model"].split(".")[1]]:
            yield row, field, row["fields"][f"{field}_{language}"]


def by_slug(model, slug):
    return next(
        row["fields"]
        for row in ROWS
        if row["model"] == f"commitments.{model}" and row["fields"].get("slug") == slug
    )


def test_every_translatable_object_of_the_seed_is_there():
    kinds = {row["model"] for row in TRANSLATED}
    assert kinds == {f"commitments.{name}" for name in TRANSLATED_FIELDS}
    assert len(TRANSLATED) == 1 + 10 + 10 + 18 + 18


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_english_text_has_a_reviewed_translation(language):
    for row, field, text in texts(language):
        english = row["fields"][field]
        where = f"{row['model']} {row['pk']} {field}_{language}"
        if english.strip():
            assert text.strip(), where
            assert text != english or text in ACRONYMS, where
        else:
            assert text == "", where
        assert row["fields"][f"translation_{language}"] == "reviewed", where


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_translations_are_in_the_reader_s_script_with_no_english_left(language):
    for row, field, text in texts(language):
        if not text or text in ACRONYMS:
            continue
        where = f"{row['model']} {row['pk']} {field}_{language}: {text}"
        assert SCRIPT[language].search(text), where
        assert not re.search(r"\b[a-z]+(?:\s+[a-z]+){2,}\b", text), where
        assert set(re.findall(r"[A-Za-z]+", text)) <= ACRONYMS, where
        assert unicodedata.is_normalized("NFC", text), where


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_markdown_of_the_english_text_is_kept(language):
    for row, field, text in texts(language):
        english = row["fields"][field]
        where = f"{row['model']} {row['pk']} {field}_{language}"
        assert text.count("**") == english.count("**"), where
        assert len(re.findall(r"^- ", text, re.M)) == len(re.findall(r"^- ", english, re.M)), where


def test_official_names():
    isro, jaxa = by_slug("party", "isro"), by_slug("party", "jaxa")
    assert (isro["name_hi"], isro["short_name_hi"]) == ("भारतीय अंतरिक्ष अनुसंधान संगठन", "इसरो")
    assert isro["short_name_ja"] == "ISRO"
    assert (jaxa["name_ja"], jaxa["short_name_ja"]) == ("宇宙航空研究開発機構", "JAXA")
    names = {
        "india": ("インド", "भारत"),
        "japan": ("日本", "जापान"),
        "gujarat": ("グジャラート州", "गुजरात"),
        "shizuoka": ("静岡県", "शिज़ुओका"),
        "maharashtra": ("マハーラーシュトラ州", "महाराष्ट्र"),
        "wakayama": ("和歌山県", "वाकायामा"),
        "uttar-pradesh": ("ウッタル・プラデーシュ州", "उत्तर प्रदेश"),
        "yamanashi": ("山梨県", "यामानाशी"),
    }
    for slug, (ja, hi) in names.items():
        party = by_slug("party", slug)
        assert (party["name_ja"], party["name_hi"]) == (ja, hi)
    chandrayaan = by_slug("commitment", "chandrayaan-5")
    assert "チャンドラヤーン5号" in chandrayaan["title_ja"]
    assert "चंद्रयान-5" in chandrayaan["title_hi"]
    assert "関西" in by_slug("commitment", "kansai-business-exchange-forum")["title_ja"]
    assert "二国間クレジット制度" in by_slug("commitment", "joint-crediting-mechanism")["title_ja"]
    event = by_slug("event", "india-japan-annual-summit-2025")
    assert "日印" in event["name_ja"]
    assert "नरेंद्र मोदी" in event["description_hi"]


def test_numbers_are_written_the_reader_s_way():
    investment = by_slug("commitment", "japanese-investment-10-trillion-yen")
    assert "10兆円" in investment["title_ja"]
    assert "10兆円" in investment["target_wording_ja"]
    assert "₹5.96 लाख करोड़" in investment["summary_hi"]
    assert "₹5.96 लाख करोड़" in investment["target_wording_hi"]
    exchange = by_slug("commitment", "five-lakh-indians-to-japan")
    assert "50万人" in exchange["title_ja"]
    assert "5万人" in exchange["description_ja"]
    assert "5 लाख" in exchange["title_hi"]
    skilled = by_slug("commitment", "fifty-thousand-skilled-professionals")
    assert "5万人" in skilled["title_ja"]
    assert "50,000 कुशल पेशेवर" in skilled["title_hi"]
    for _, _, text in texts("ja"):
        assert not re.search(r"\d,\d{3}|trillion|lakh|crore", text), text


# Loaded ------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_the_loaded_seed_reads_in_each_language_without_falling_back(language):
    fields = {
        Event: TRANSLATED_FIELDS["event"],
        Party: TRANSLATED_FIELDS["party"],
        Sector: TRANSLATED_FIELDS["sector"],
        Commitment: TRANSLATED_FIELDS["commitment"],
        StatusUpdate: TRANSLATED_FIELDS["statusupdate"],
    }
    with translation.override(language):
        for model, names in fields.items():
            for obj in model.objects.all():
                for name in names:
                    text = translated(obj, name)
                    assert not text.fallback, (obj, name)
                    if getattr(obj, name):
                        assert text.language == language
                        assert text.origin == "reviewed"
    chandrayaan = Commitment.objects.get(slug="chandrayaan-5")
    assert translated(chandrayaan, "title", "hi") == "चंद्रयान-5 संयुक्त चंद्र मिशन"
    assert translated(chandrayaan, "title", "en") == chandrayaan.title


# The generated sample portfolio ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_generated_sample_has_a_share_of_japanese_and_hindi_texts(client):
    import io

    from django.core.management import call_command

    from commitments.management.commands.generate_sample_data import COMMITMENT_WITH_20_UPDATES

    call_command("generate_sample_data", commitments=40, updates=200, seed=1, stdout=io.StringIO())
    for model in (Sector, Party, Event):
        assert not model.objects.filter(name_ja="").exists()
        assert not model.objects.filter(name_hi="").exists()
    total = Commitment.objects.count()
    japanese = Commitment.objects.exclude(title_ja="").count()
    hindi = Commitment.objects.exclude(title_hi="").count()
    assert 0.6 * total <= japanese < total
    assert 0.4 * total <= hindi < total
    assert Commitment.objects.filter(translation_ja="unreviewed").exists()
    assert not Commitment.objects.filter(title_ja="").exclude(translation_ja="").exists()
    benchmark = Commitment.objects.get(slug=COMMITMENT_WITH_20_UPDATES)
    assert benchmark.title_ja and benchmark.title_hi
    # Search finds them in each language.
    response = client.get("/ja/commitments/", {"q": benchmark.title_ja.split("（")[0]})
    assert f'href="/ja/commitments/{benchmark.slug}/"' in response.content.decode()
