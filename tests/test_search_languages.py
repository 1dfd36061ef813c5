"""Search in every language (commitments/search.py): a Japanese query finds Japanese texts
anywhere in a word (Japanese has no spaces, and no stemming), a Hindi query finds Hindi
words by their start with their vowel signs intact, full-width and half-width forms are the
same letters, and a query may mix languages. The same on SQLite and PostgreSQL."""

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commitments import search
from commitments.models import Commitment
from tests.factories import make_commitment, make_published_update, make_sector

CHANDRAYAAN = "chandrayaan-5"
INVESTMENT = "japanese-investment-10-trillion-yen"


def found(client, q, language=""):
    prefix = f"/{language}" if language else ""
    response = client.get(f"{prefix}/commitments/", {"q": q})
    assert response.status_code == 200
    return re.findall(rf'<a href="{prefix}/commitments/([\w-]+)/"', response.content.decode())


# The seed data, in Japanese and Hindi ---------------------------------------------------------


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize(
    ("language", "q"),
    [
        ("ja", "チャンドラヤーン"),
        ("ja", "チャンドラヤーン5号"),
        ("ja", "月探査"),
        ("ja", "探査 ミッション"),  # inside words: Japanese is written without spaces
        ("ja", "ﾁｬﾝﾄﾞﾗﾔｰﾝ"),  # half-width katakana
        ("ja", "ＪＡＸＡ"),  # full-width Latin
        ("ja", "ｉｓｒｏ"),
        ("hi", "चंद्रयान"),
        ("hi", "चंद्रयान-5"),
        ("hi", "चंद्र मिशन"),
        ("hi", "इसरो"),
        ("hi", "जाक्सा"),
        ("", "चंद्रयान"),  # any language's text is found from any page
    ],
)
def test_a_query_in_the_reader_s_language_finds_chandrayaan_first(client, language, q):
    assert found(client, q, language)[0] == CHANDRAYAAN


@pytest.mark.usefixtures("seeded")
def test_a_single_kanji_matches_anywhere_in_the_japanese_text(client):
    assert CHANDRAYAAN in found(client, "月", "ja")  # 月探査, 月の水


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("ISRO 月", CHANDRAYAAN),
        ("jaxa चंद्रमा", CHANDRAYAAN),
        ("moon ローバー", CHANDRAYAAN),
        ("静岡県 गुजरात", "gujarat-shizuoka-partnership"),
        ("Shizuoka 静岡", "gujarat-shizuoka-partnership"),
    ],
)
def test_a_query_may_mix_languages(client, q, expected):
    assert found(client, q, "ja") == [expected]


@pytest.mark.usefixtures("seeded")
def test_every_word_of_a_mixed_query_must_match(client):
    assert found(client, "ISRO 静岡県", "ja") == []
    assert found(client, "इसरो निवेश", "hi") == []


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize(
    ("language", "q", "expected"),
    [
        ("ja", "10兆円", INVESTMENT),
        ("ja", "兆円", INVESTMENT),
        ("ja", "50万人", "five-lakh-indians-to-japan"),
        ("ja", "静岡県", "gujarat-shizuoka-partnership"),
        ("ja", "関西", "kansai-business-exchange-forum"),
        ("ja", "半導体", "economic-security-cooperation-initiative"),
        ("hi", "लाख करोड़", INVESTMENT),
        ("hi", "येन", INVESTMENT),  # a synonym of yen (and of ¥, 円)
        ("hi", "शिज़ुओका", "gujarat-shizuoka-partnership"),
        ("hi", "कुशल पेशेवर", "fifty-thousand-skilled-professionals"),
        ("hi", "५०,०००", "fifty-thousand-skilled-professionals"),  # Devanagari digits
        ("hi", "विश्वविद्यालयों", "indian-students-japanese-universities"),
    ],
)
def test_japanese_and_hindi_words_of_the_seed_data(client, language, q, expected):
    assert expected in found(client, q, language)


@pytest.mark.usefixtures("seeded")
def test_titles_in_any_language_rank_first(client):
    # 宇宙 is the title of "MoU on space" and only the sector of Chandrayaan-5.
    results = found(client, "宇宙", "ja")
    assert results[0] == "mou-space"
    assert CHANDRAYAAN in results
    results = found(client, "अंतरिक्ष", "hi")
    assert results[0] == "mou-space"
    assert CHANDRAYAAN in results


@pytest.mark.usefixtures("seeded")
def test_hindi_words_match_at_their_start_not_inside(client):
    assert found(client, "यान", "hi") == []  # inside चंद्रयान: Hindi words have spaces


# Vowel signs, virama and nukta carry meaning ---------------------------------------------------


@pytest.mark.django_db
def test_a_devanagari_query_with_vowel_signs_matches_only_its_word(client):
    sector = make_sector(name="Work")
    work = make_commitment(title="Work plan", title_hi="काम की योजना", sector=sector)
    less = make_commitment(title="Low cost", title_hi="कम लागत", sector=sector)
    law = make_commitment(title="Law", title_hi="क़ानून में सुधार", sector=sector)
    for commitment in (work, less, law):
        make_published_update(commitment)
    assert found(client, "काम", "hi") == [work.slug]
    assert found(client, "कम", "hi") == [less.slug]
    assert found(client, "क़ानून", "hi") == [law.slug]
    assert found(client, "कानून", "hi") == []  # without the nukta, another spelling
    assert found(client, "की", "hi") == [work.slug]
    assert found(client, "कि", "hi") == []


@pytest.mark.django_db
def test_dakuten_are_kept_in_full_and_half_width(client):
    sector = make_sector(name="Tech")
    gas = make_commitment(title="Gas", title_ja="ガス供給", sector=sector)
    kasu = make_commitment(title="Lees", title_ja="カス利用", sector=sector)
    for commitment in (gas, kasu):
        make_published_update(commitment)
    assert found(client, "ガス", "ja") == [gas.slug]
    assert found(client, "ｶﾞｽ", "ja") == [gas.slug]
    assert found(client, "カス", "ja") == [kasu.slug]
    assert found(client, "ｶｽ", "ja") == [kasu.slug]


def test_fold_examples():
    assert search.fold("ｊａｘａ") == "jaxa"
    assert search.fold("ｶﾀｶﾅ") == "カタカナ"
    assert search.fold("ﾁｬﾝﾄﾞﾗﾔｰﾝ5号") == "チャンドラヤーン 5 号"
    assert search.fold("ISROとJAXA") == "isro と jaxa"
    assert search.fold("चंद्रयान-5 संयुक्त मिशन") == "चंद्रयान 5 संयुक्त मिशन"
    assert search.fold("“एक जिला एक उत्पाद”।") == "एक जिला एक उत्पाद"
    assert search.fold("५०,००० कुशल") == "50000 कुशल"
    assert search.fold("Tōkyō") == "tokyo"  # accents still go from Latin letters


# Keeping the stored texts current in every language --------------------------------------------


@pytest.mark.django_db
def test_editing_a_translation_updates_search(client):
    commitment = make_commitment(title="Harbour works")
    make_published_update(commitment)
    assert found(client, "港湾", "ja") == []
    commitment.title_ja = "港湾整備"
    commitment.save(update_fields=["title_ja"])
    assert found(client, "港湾", "ja") == [commitment.slug]
    commitment.summary_hi = "बंदरगाह का काम"
    commitment.save()
    assert found(client, "बंदरगाह", "hi") == [commitment.slug]


@pytest.mark.django_db
def test_a_translated_sector_name_is_searched(client):
    sector = make_sector(name="Shipping")
    commitment = make_commitment(sector=sector)
    make_published_update(commitment)
    sector.name_ja = "海運"
    sector.name_hi = "नौवहन"
    sector.save()
    assert found(client, "海運", "ja") == [commitment.slug]
    assert found(client, "नौवहन", "hi") == [commitment.slug]


@pytest.mark.usefixtures("seeded")
def test_the_fixture_carries_the_texts_search_would_write():
    assert search.refresh_all() == 0
    stored = Commitment.objects.get(slug=CHANDRAYAAN)
    assert "チャンドラヤーン" in stored.search_title
    assert " चंद्रयान 5 " in stored.search_title
    assert " भारतीय अंतरिक्ष अनुसंधान संगठन " in stored.search_text
    assert "宇宙航空研究開発機構" in stored.search_text


# Properties ---------------------------------------------------------------------------------------

CONSONANTS = [chr(c) for c in range(0x0915, 0x0939 + 1)]
VOWEL_SIGNS = ["", "\u093e", "\u093f", "\u0940", "\u0941", "\u0942", "\u0947", "\u0948"]
VOWEL_SIGNS += ["\u094b", "\u094c", "\u094d"]  # … and the virama
KANA_KANJI = st.sampled_from(
    list(
        "あいうえおかがきぎくぐさざしじたちつてでとどなにのはばぱひびぴまみむめもやゆよらりるれろわをん"
    )
    + list(
        "アイウエオカガキギクグサザシジタダチヂツヅテデトドナニノハバパヒビピマミムメモヤユヨラリルレロワヲンー"
    )
    + list("日本印度宇宙航空研究開発機構静岡県関西投資月探査々")
)


@st.composite
def devanagari_word(draw):
    syllables = draw(
        st.lists(
            st.tuples(
                st.sampled_from(CONSONANTS),
                st.sampled_from(["", "\u093c"]),  # nukta
                st.sampled_from(VOWEL_SIGNS),
                st.sampled_from(["", "\u0902", "\u0901"]),  # anusvara, chandrabindu
            ),
            min_size=1,
            max_size=5,
        )
    )
    return "".join("".join(parts) for parts in syllables)


WORD = st.one_of(
    devanagari_word(),
    st.text(KANA_KANJI, min_size=1, max_size=8),
    st.from_regex(r"[a-z]{1,8}", fullmatch=True),
)


def letters(text: str) -> str:
    """The letters and marks of `text`, in order, as NFKC writes them."""
    return "".join(
        char
        for char in unicodedata.normalize("NFKC", text)
        if unicodedata.category(char)[0] in "LM"
    )


@given(
    words=st.lists(WORD, min_size=1, max_size=6),
    joins=st.lists(st.sampled_from(["", " ", "、", "। ", "-"]), min_size=6, max_size=6),
)
def test_fold_never_drops_a_devanagari_or_japanese_letter_or_mark(words, joins):
    text = "".join(word + join for word, join in zip(words, joins, strict=False))
    folded = search.fold(text)
    assert letters(folded) == letters(text)
    assert search.fold(folded) == folded


@given(
    text=st.text(
        st.one_of(
            st.characters(min_codepoint=0x0900, max_codepoint=0x097F),
            st.characters(min_codepoint=0x3000, max_codepoint=0x30FF),
            st.characters(min_codepoint=0xFF00, max_codepoint=0xFFEF),
            st.characters(min_codepoint=0x0300, max_codepoint=0x036F),
            st.sampled_from(list("aéZ 5,0-_.¥円₹")),
        ),
        max_size=30,
    )
)
def test_fold_is_idempotent_on_any_mix_of_scripts_and_marks(text):
    once = search.fold(text)
    assert search.fold(once) == once
    assert "  " not in once
