"""The tracker in three languages, the plumbing: addresses, `<html lang>`, `hreflang`
alternates, the switcher and the remembered choice, caches kept apart per language, and the
password-reset e-mail in the reader's language."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from commitments import cache as public_cache
from tests.factories import make_analyst, make_editor, publish_sample_figures

pytestmark = pytest.mark.django_db

HTML_LANG = {"": "en-GB", "/ja": "ja", "/hi": "hi"}
# Every public page (English address); each also lives under /ja/ and /hi/.
PUBLIC_PAGES = [
    "/",
    "/commitments/",
    "/commitments/chandrayaan-5/",
    "/commitments/chandrayaan-5/history/",
    "/sectors/space/",
    "/parties/isro/",
    "/events/india-japan-annual-summit-2025/",
    "/about/",
    "/reports/progress/",
    "/api/",
    "/accounts/login/",
    "/accounts/password_reset/",
    "/accounts/password_reset/done/",
    "/accounts/reset/done/",
]
COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.fixture
def sample(seeded):
    publish_sample_figures()


@pytest.fixture
def shared_cache(monkeypatch, settings):
    """The public cache as with Redis (kept pages), on this process's local memory."""
    monkeypatch.setattr(public_cache, "_cache_is_shared", lambda: True)
    settings.PUBLIC_CACHE_SECONDS = 300


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode())[1]


def alternates(response) -> dict[str, str]:
    found = re.findall(
        r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', response.content.decode()
    )
    return dict(found)


def switcher(response) -> dict[str, str]:
    """hreflang → the switcher link's address."""
    nav = re.search(
        r'<nav class="language-switcher".*?</nav>', response.content.decode(), re.S
    ).group()
    links = re.findall(r'<a href="([^"]+)" hreflang="([^"]+)" lang="([^"]+)"', nav)
    return {hreflang: href.replace("&amp;", "&") for href, hreflang, _lang in links}


@pytest.mark.parametrize("prefix", ["", "/ja", "/hi"])
@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_every_public_page_in_every_language(client, sample, prefix, page):
    response = client.get(prefix + page)
    assert response.status_code == 200
    assert html_lang(response) == HTML_LANG[prefix]


def test_pages_say_their_words_in_the_language(client, sample):
    english, japanese, hindi = (client.get(f"{p}/about/").content.decode() for p in HTML_LANG)
    assert "Skip to main content" in english
    assert "本文へスキップ" in japanese and "Skip to main content" not in japanese
    assert "मुख्य सामग्री पर जाएँ" in hindi and "Skip to main content" not in hindi


@pytest.mark.parametrize("prefix", ["", "/ja", "/hi"])
def test_alternates_name_every_language_absolute(client, sample, prefix):
    response = client.get(f"{prefix}/commitments/chandrayaan-5/")
    site = settings.SITE_URL
    assert alternates(response) == {
        "en": f"{site}/commitments/chandrayaan-5/",
        "ja": f"{site}/ja/commitments/chandrayaan-5/",
        "hi": f"{site}/hi/commitments/chandrayaan-5/",
        "x-default": f"{site}/commitments/chandrayaan-5/",
    }


def test_canonical_stays_in_the_page_language(client, sample):
    page = client.get("/ja/commitments/chandrayaan-5/").content.decode()
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', page)[1]
    assert canonical == settings.SITE_URL + "/ja/commitments/chandrayaan-5/"


def test_switcher_keeps_the_page_and_its_query(client, sample):
    response = client.get("/commitments/?status=in_progress&q=space&page=1")
    links = switcher(response)
    assert set(links) == {"en", "ja", "hi"}
    for code, expected in [
        ("ja", "/ja/commitments/?status=in_progress&q=space&page=1"),
        ("hi", "/hi/commitments/?status=in_progress&q=space&page=1"),
        ("en", "/commitments/?status=in_progress&q=space&page=1"),
    ]:
        address = urlsplit(links[code])
        assert parse_qs(address.query)["next"] == [expected]
        # Following the link lands on that page, in that language, and remembers it.
        followed = client.get(links[code])
        assert followed.status_code == 302
        assert followed["Location"] == expected
        assert followed.cookies[COOKIE].value == address.path.split("/")[2]


def test_switcher_marks_the_current_language(client, sample):
    page = client.get("/hi/about/").content.decode()
    current = re.findall(r'<a [^>]*aria-current="true"[^>]*>([^<]+)</a>', page)
    assert current == ["हिन्दी"]


def test_english_addresses_answer_as_before_without_the_cookie(client, sample):
    for page in PUBLIC_PAGES:
        response = client.get(page)
        assert response.status_code == 200, page
        assert html_lang(response) == "en-GB"


def test_browser_language_does_not_move_english_addresses(client, sample):
    response = client.get("/commitments/", headers={"accept-language": "ja"})
    assert response.status_code == 200
    assert html_lang(response) == "en-GB"


def test_admin_stays_english(client, sample):
    client.force_login(make_editor("erin"))
    client.cookies[COOKIE] = "ja"
    response = client.get("/admin/", headers={"accept-language": "hi"})
    assert response.status_code == 200
    assert 'lang="en-gb"' in response.content.decode().lower()


@pytest.mark.parametrize("code", ["ja", "hi"])
def test_the_chosen_language_follows_english_links(client, sample, code):
    client.cookies[COOKIE] = code
    response = client.get("/commitments/?status=delayed")
    assert response.status_code == 302
    assert response["Location"] == f"/{code}/commitments/?status=delayed"
    assert "Cookie" in response["Vary"]
    assert "private" in response["Cache-Control"]


def test_choosing_english_stays_on_english_addresses(client, sample):
    response = client.get("/language/en-gb/", {"next": "/commitments/"})
    assert response["Location"] == "/commitments/"
    assert client.cookies[COOKIE].value == "en-gb"
    page = client.get("/commitments/")
    assert page.status_code == 200
    assert html_lang(page) == "en-GB"


@pytest.mark.parametrize(
    "address",
    [
        "/api/commitments/",
        "/feeds/updates.atom",
        "/commitments/chandrayaan-5/badge.svg",
        "/commitments/chandrayaan-5/feed.atom",
        "/updates/export.csv",
        "/robots.txt",
        "/healthz",
        "/commitments/?_export=csv",
        "/reports/progress/?format=xlsx",
    ],
)
def test_machine_read_addresses_never_follow_the_choice(client, sample, address):
    client.cookies[COOKIE] = "ja"
    response = client.get(address)
    assert response.status_code != 302 or not response["Location"].startswith("/ja/")


def test_posts_never_follow_the_choice(client, sample):
    client.cookies[COOKIE] = "hi"
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "unsafe",
    [
        "//evil.example/",
        "https://evil.example/",
        "http://evil.example/ja/",
        "/\\evil.example",
        "javascript:alert(1)",
        "",
    ],
)
def test_the_language_view_never_sends_readers_away(client, db, unsafe):
    response = client.get("/language/ja/", {"next": unsafe})
    assert response.status_code == 302
    assert response["Location"] == "/ja/"  # that language's home page instead


def test_the_language_view_knows_only_our_languages(client, db):
    assert client.get("/language/fr/", {"next": "/"}).status_code == 404
    assert COOKIE not in client.cookies


def test_the_language_view_answers_only_get(client, db):
    assert client.post("/language/ja/", {"next": "/ja/"}).status_code == 405


def test_a_page_missing_in_every_language_switches_to_home(client, db):
    response = client.get("/ja/no-such-page/")
    assert response.status_code == 404
    assert html_lang(response) == "ja"
    links = switcher(response)
    assert parse_qs(urlsplit(links["hi"]).query)["next"] == ["/hi/"]
    assert alternates(response) == {}


def test_cached_pages_never_cross_languages(client, sample, shared_cache):
    for _ in range(2):  # the second round is served from the cache
        japanese = client.get("/ja/commitments/chandrayaan-5/")
        english = client.get("/commitments/chandrayaan-5/")
        hindi = client.get("/hi/commitments/chandrayaan-5/")
        assert (html_lang(japanese), html_lang(english), html_lang(hindi)) == ("ja", "en-GB", "hi")
    assert public_cache.local_copies._items  # the pages were kept


def test_the_cookie_redirect_is_never_served_from_the_cache(client, sample, shared_cache):
    assert html_lang(client.get("/commitments/")) == "en-GB"  # kept
    client.cookies[COOKIE] = "ja"
    assert client.get("/commitments/")["Location"] == "/ja/commitments/"
    del client.cookies[COOKIE]
    again = client.get("/commitments/")
    assert again.status_code == 200
    assert html_lang(again) == "en-GB"


def test_cached_public_data_is_kept_per_language(db, shared_cache):
    def build():
        return gettext("Dashboard")

    seen = {}
    for code in ("ja", "en-gb", "hi", "ja"):
        with translation.override(code):
            seen.setdefault(code, set()).add(public_cache.cached_public_data("words", build))
    assert seen == {"ja": {"ダッシュボード"}, "en-gb": {"Dashboard"}, "hi": {"डैशबोर्ड"}}


def test_reset_email_in_the_readers_language(client, db, settings):
    make_analyst("asha", email="asha@example.org")
    response = client.post("/ja/accounts/password_reset/", {"email": "asha@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/ja/accounts/password_reset/done/"
    [message] = mail.outbox
    assert message.subject == "公約トラッカーのパスワード再設定"
    assert "「asha」のパスワード再設定が請求されました" in message.body
    link = re.search(r"https?://\S+", message.body)[0]
    assert link.startswith(settings.SITE_URL + "/ja/accounts/reset/")
    assert "Someone asked" not in message.body


def test_reset_email_stays_english_at_english_addresses(client, db, settings):
    make_analyst("asha", email="asha@example.org")
    client.post("/accounts/password_reset/", {"email": "asha@example.org"})
    [message] = mail.outbox
    assert message.subject == "Password reset on Commitment tracker"
    assert re.search(r"https?://\S+", message.body)[0].startswith(
        settings.SITE_URL + "/accounts/reset/"
    )


def test_an_operators_site_name_is_kept_as_it_is(client, db, settings):
    settings.SITE_NAME = "Pledge watch"
    page = client.get("/ja/about/").content.decode()
    assert "Pledge watch" in page and "公約トラッカー" not in page
