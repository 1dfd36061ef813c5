"""The progress report's PDF in Japanese and Hindi: the Noto fonts are embedded (no tofu
boxes) and the numbers are written as those readers write them (10兆円, लाख करोड़)."""

import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from tests.factories import publish_sample_figures

pytestmark = pytest.mark.usefixtures("seeded")
PERIOD = "?from=2025-08-01&to=2026-11-30&format=pdf"


def installed_fonts() -> str:
    if not shutil.which("fc-list"):
        return ""
    return subprocess.run(["fc-list"], capture_output=True, text=True, check=False).stdout


def needs_font(family: str):
    return pytest.mark.skipif(
        family not in installed_fonts(),
        reason=f"font {family!r} is not installed (Debian: fonts-noto-cjk / fonts-noto-core, "
        "as .ci/run installs them)",
    )


def embedded_fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page["/Resources"].get("/Font", {})
        for font in fonts.values():
            # Subset fonts are named 'ABCDEF+Noto-Sans-CJK-JP-Bold': keep 'NotoSansCJKJPBold'.
            name = str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1]
            names.add(name.replace("-", "").replace(" ", ""))
    return names


def text_of(pdf: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )


@pytest.fixture
def pdf(client, db, seeded):
    publish_sample_figures()

    def get(prefix: str) -> bytes:
        response = client.get(f"{prefix}/reports/progress/{PERIOD}")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        return response.content

    return get


@needs_font("Noto Sans CJK JP")
def test_japanese_pdf_embeds_noto_cjk_and_writes_oku_and_cho(pdf):
    document = pdf("/ja")
    fonts = embedded_fonts(document)
    assert any(name.startswith("NotoSansCJKJP") for name in fonts), fonts
    text = text_of(document)
    # The ¥10 trillion investment (its English title says so): its target and its figure.
    assert "10兆円" in text
    assert "1.2兆円" in text
    assert "2035年" in text  # its deadline


@needs_font("Noto Sans Devanagari")
def test_hindi_pdf_embeds_noto_devanagari_and_writes_lakh_crore(pdf):
    document = pdf("/hi")
    fonts = embedded_fonts(document)
    assert any(name.startswith("NotoSansDevanagari") for name in fonts), fonts
    text = text_of(document)
    assert "¥10 लाख करोड़" in text
    assert "¥1.2 लाख करोड़" in text
    # pypdf reads some Devanagari clusters back with a stray vowel sign ("तक" as "तिक"): the
    # page itself is right (docs/screenshots/report-hi-first-page.png).
    assert re.search("2035 ति?क", text), text


def test_english_pdf_keeps_its_numbers(pdf):
    text = text_of(pdf(""))
    assert "¥1.2 trillion (" in text  # the figure, before its percent
    assert "兆" not in text
    assert "लाख" not in text
