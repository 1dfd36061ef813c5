"""A Japanese or Hindi page has no English interface text: every text node and every
human-readable attribute (aria-label, title, alt, placeholder, value of buttons) outside an
element marked lang="en" (content not yet translated, shown with its marker) and outside
<code>, <cite> (sources' own titles) and scripts is free of English words. Proper names written
in Latin letters that readers of both languages use (JAXA, ISRO, CSV, PDF) are all capitals; the
few others are listed."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.factories import make_analyst, make_editor, make_submitted_update, publish_sample_figures

pytestmark = pytest.mark.django_db

# Latin-script words a Japanese or Hindi page may carry: names of formats, products and
# services, written that way in both languages.
ALLOWED = {
    "Atom", "BibTeX", "RIS", "Markdown", "Bluesky", "Mastodon", "Facebook", "LinkedIn",
    "WhatsApp", "Reddit", "Email", "OpenAPI", "Swagger", "Redoc", "English", "Excel",
    "Chandrayaan", "Kansai", "Tokyo", "Modi", "Ishiba", "Shigeru", "Narendra", "GitHub",
    "Feedly", "Inoreader", "NetNewsWire", "Twitter", "Zotero", "EndNote", "Mendeley",
    "http", "https",  # in "http or https", the schemes' own names
    "zzzz",  # the test's own search query, echoed back
}  # fmt: skip
# Code to copy (embed snippets), sources' own titles (<cite>), user names (translate="no").
SKIP_TAGS = {"script", "style", "code", "pre", "cite", "kbd", "samp", "svg", "textarea"}
LATIN_RUN = re.compile(r"(?<![\w.])[A-Za-z][A-Za-z'’-]*")
# A title quoted in running text is the source's own: 「…」, “…”, "…".
QUOTED = re.compile(r"「[^」]*」|“[^”]*”|\"[^\"]*\"")
READABLE_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder", "aria-description")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip

PAGES = [
    "/",
    "/commitments/",
    "/commitments/?q=zzzz",
    "/commitments/?status=in_progress",
    "/commitments/chandrayaan-5/",
    "/commitments/japanese-investment-10-trillion-yen/",
    "/commitments/fifty-thousand-skilled-professionals/",
    "/commitments/five-lakh-indians-to-japan/",
    "/commitments/chandrayaan-5/history/",
    "/sectors/people-skills/",
    "/parties/japan/",
    "/events/india-japan-annual-summit-2025/",
    "/reports/progress/",
    "/reports/progress/?from=2025-08-29&to=2026-11-28",
    "/about/",
    "/api/",
    "/accounts/login/",
    "/accounts/password_reset/",
    "/does-not-exist/",
]
SIGNED_IN = {
    "analyst": [
        "/workspace/",
        "/workspace/log/",
        "/commitments/fifty-thousand-skilled-professionals/updates/new/",
    ],
    "editor": ["/review/"],
}


def english_words(text: str) -> list[str]:
    """The Latin-letter words of a text that are not names, formats or quoted titles."""
    text = QUOTED.sub(" ", text)
    text = re.sub(r"https?://\S+|\S+@\S+", " ", text)
    words = []
    for match in LATIN_RUN.finditer(text):
        word = match.group().strip("'’-")
        if len(word) < 2 or word.isupper() or word in ALLOWED:
            continue
        words.append(word)
    return words


class LeftoverFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.found: list[str] = []

    @property
    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = (attrs.get("lang") or "").lower()
        skipped = (
            self.skipping
            or tag in SKIP_TAGS
            or lang.startswith("en")
            or attrs.get("translate") == "no"
        )
        if not skipped:
            for name in READABLE_ATTRIBUTES:
                if attrs.get(name) and english_words(attrs[name]):
                    self.found.append(f"<{tag} {name}={attrs[name]!r}>")
            button_text = attrs.get("value") if attrs.get("type") in ("submit", "button") else ""
            if tag == "input" and button_text and english_words(button_text):
                self.found.append(f"<input value={button_text!r}>")
        if tag not in VOID:
            self.stack.append((tag, skipped))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if self.skipping or not data.strip():
            return
        if english_words(data):
            self.found.append(data.strip()[:100])


def leftovers(html: str) -> list[str]:
    finder = LeftoverFinder()
    # The head's <title> and meta are checked with the body; skip the document's own lang.
    finder.feed("<body" + html.split("<body", 1)[-1] if "<body" in html else html)
    title = html.split("<title>", 1)[-1].split("</title>", 1)[0] if "<title>" in html else ""
    if english_words(title):
        finder.found.append(f"<title>{title}</title>")
    return finder.found


@pytest.fixture
def sample(seeded):
    publish_sample_figures()


@pytest.mark.parametrize("language", ["ja", "hi"])
@pytest.mark.parametrize("path", PAGES)
def test_public_page_has_no_english_interface_text(client, sample, language, path):
    response = client.get(f"/{language}{path}")
    assert response.status_code in (200, 404)
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    found = leftovers(html)
    assert not found, f"/{language}{path} has English left:\n" + "\n".join(found[:40])


@pytest.mark.parametrize("language", ["ja", "hi"])
@pytest.mark.parametrize("role", SIGNED_IN)
def test_signed_in_page_has_no_english_interface_text(sample, language, role):
    from commitments.models import Commitment

    user = make_analyst("hana") if role == "analyst" else make_editor("ines")
    skilled = Commitment.objects.get(slug="fifty-thousand-skilled-professionals")
    make_submitted_update(skilled, summary="Awaiting review: 7,500 placements by June.")
    client = Client()
    client.force_login(user)
    for path in SIGNED_IN[role]:
        response = client.get(f"/{language}{path}")
        assert response.status_code == 200, path
        found = leftovers(response.content.decode())
        assert not found, f"/{language}{path} has English left:\n" + "\n".join(found[:40])


def test_the_finder_finds_english_and_spares_marked_content():
    assert leftovers('<body><p>公約の<span lang="en">Joint Crediting</span></p></body>') == []
    assert leftovers("<body><p>Show all</p></body>") == ["Show all"]
    assert leftovers('<body><a aria-label="Next page">次へ</a></body>') == [
        "<a aria-label='Next page'>"
    ]
    assert (
        leftovers("<body><p>JAXA と ISRO、CSV・PDF、Atomフィード、BibTeX (.bib)</p></body>") == []
    )
    assert leftovers("<body><p>出典:「A Shared Past」</p><b translate=no>hana</b></body>") == []
