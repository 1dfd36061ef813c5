"""Review of issue 15 (Japanese and Hindi) as an attacker: redirects, caches, draft
translations on public surfaces, XSS through translated content, the review of translations,
and odd input. Tests named ..._BUG demonstrate a problem found; the others guard an attack
that was tried and held."""

import json

import pytest
from django.conf import settings

from commitments import cache as public_cache
from commitments.languages import TranslationOrigin
from commitments.models import StatusUpdate
from tests.factories import (
    make_analyst,
    make_commitment,
    make_editor,
    make_published_update,
    make_submitted_update,
    make_update,
    open_correction,
)

pytestmark = pytest.mark.django_db
COOKIE = settings.LANGUAGE_COOKIE_NAME
SECRET = "未公開の下書き"
SECRET_HI = "अप्रकाशित मसौदा"


@pytest.fixture
def shared_cache(monkeypatch, settings):
    monkeypatch.setattr(public_cache, "_cache_is_shared", lambda: True)
    settings.PUBLIC_CACHE_SECONDS = 300


# --- The language switch: next= -------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "///evil.example/",
        "/\\evil.example/",
        "\\\\evil.example/",
        "https://evil.example/",
        "http:evil.example",
        "javascript:alert(1)",
        " //evil.example",
        "\t//evil.example",
        "/%2F/evil.example",
        "https://testserver@evil.example/",
    ],
)
def test_language_switch_next_is_no_open_redirect(client, target):
    response = client.get("/language/ja/", {"next": target})
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location
    assert "evil" not in location.split("?")[0].lstrip("/").split("/")[0]


@pytest.mark.parametrize(
    "target", ["/commitments/\r\nSet-Cookie: x=1", "/commitments/\nX-Evil: 1", "/a\u2028b"]
)
def test_language_switch_next_with_newlines_is_no_header_injection(client, target):
    response = client.get("/language/hi/", {"next": target})
    assert response.status_code == 302
    assert "\n" not in response["Location"] and "\r" not in response["Location"]
    assert "x" not in response.cookies and "X-Evil" not in response.headers


def test_language_switch_next_very_long_or_nul(client):
    assert client.get("/language/ja/", {"next": "/" + "a" * 20000}).status_code in (302, 400)
    assert client.get("/language/ja/", {"next": "/commitments/\x00"}).status_code == 400


@pytest.mark.parametrize("code", ["xx", "JA", "en", "ja-jp", "hi%00", "../ja", "ja%2F"])
def test_language_switch_unknown_codes_404(client, code):
    response = client.get(f"/language/{code}/")
    assert response.status_code in (400, 404)
    assert COOKIE not in response.cookies


def test_language_switch_is_get_only_and_never_cached(client):
    assert client.post("/language/ja/", {"next": "/"}).status_code == 405
    response = client.get("/language/ja/", {"next": "/about/"})
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


# --- The cookie redirect ---------------------------------------------------------------------


def test_cookie_redirect_on_path_like_a_host_is_no_open_redirect(client, seeded):
    """get_full_path() of "//evil.example/" read by translate_url() as a host."""
    client.cookies[COOKIE] = "ja"
    for path in ("//evil.example/", "//evil.example/commitments/", "///evil.example/"):
        response = client.get("/", PATH_INFO=path)
        if response.status_code in (301, 302):
            assert not response["Location"].startswith("//"), (path, response["Location"])


@pytest.mark.parametrize(
    "method, path, data",
    [
        ("post", "/accounts/login/", {"username": "x", "password": "y"}),
        ("get", "/api/commitments/", None),
        ("get", "/feeds/updates.atom", None),
        ("get", "/admin/", None),
        ("get", "/updates/export.csv", None),
        ("get", "/commitments/chandrayaan-5/badge.svg", None),
        ("get", "/robots.txt", None),
        ("get", "/reports/progress/?format=csv", None),
        ("get", "/commitments/?_export=csv", None),
        ("get", "/healthz", None),
    ],
)
def test_cookie_redirect_skips_posts_api_feeds_admin_downloads(client, seeded, method, path, data):
    client.cookies[COOKIE] = "ja"
    response = getattr(client, method)(path, data) if data else getattr(client, method)(path)
    location = response.get("Location", "")
    assert not location.startswith("/ja/"), (path, location)


def test_cookie_redirect_is_private_and_varies(client, seeded):
    client.cookies[COOKIE] = "hi"
    response = client.get("/commitments/?status=achieved")
    assert response.status_code == 302
    assert response["Location"] == "/hi/commitments/?status=achieved"
    assert "private" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


@pytest.mark.parametrize("value", ["JA", "ja\r\n", "xx", "", "en-gb", "hi;"])
def test_cookie_odd_values_do_not_redirect_or_fail(client, seeded, value):
    client.cookies[COOKIE] = value
    response = client.get("/about/")
    assert response.status_code == 200


# --- Odd addresses ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/JA/",
        "/xx/",
        "/ja-jp/",
        "/en/",
        "/en-gb/",
        "/ja/commitments/no-such-thing/",
        "/ja/commitments/%E6%9C%AA/",
        "/hi/sectors/%E0%A4%95%E0%A5%8D/",
        "/ja/parties/x/",
        "/ja/events/x/",
        "/hi/updates/999999/",
        "/ja/commitments/no-such/history/",
        "/ja/commitments/no-such/badge.svg",
        "/hi/commitments/no-such/feed.atom",
        "/ja/ja/",
        "/hi/ja/commitments/",
    ],
)
def test_odd_language_addresses_are_404_not_500(client, seeded, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "\u094d\u094d\u094d",  # viramas alone
        "क\u094d\u200d",  # ZWJ
        "\u0901" * 500,
        "ｶﾞ" * 200,
        "\u3099\u309a",
        "𠮷野家",
        "\ufeff\u200b",
        "ア" * 5000,
        "a " * 3000,
        "\ud7ff",
        "०१२३४५६७८९" * 50,
        "﷽" * 100,
        "\u0345" * 300,
        "ß" * 2000,
        "İ" * 2000,
    ],
)
@pytest.mark.parametrize("prefix", ["", "/ja", "/hi"])
def test_search_odd_unicode_no_500(client, seeded, prefix, query):
    response = client.get(f"{prefix}/commitments/", {"q": query})
    assert response.status_code in (200, 400)
    api = client.get(f"{prefix}/api/commitments/", {"search": query})
    assert api.status_code in (200, 400)


# --- Draft translations on public surfaces ---------------------------------------------------


@pytest.fixture
def pending(db):
    """A public commitment whose published update has a reviewed Japanese and Hindi text,
    and, around it, unpublished work carrying the secret texts: a newer submitted update, a
    draft, a rejected update, and a correction of the published one awaiting review."""
    analyst, editor = make_analyst("ana"), make_editor("ed")
    commitment = make_commitment(slug="secret-test", title="Secret test commitment")
    published = make_published_update(
        commitment,
        by=editor,
        author=analyst,
        summary="Published summary.",
        body="Published body.",
        summary_ja="公開済みの要約",
        body_ja="公開済みの本文",
        translation_ja=TranslationOrigin.UNREVIEWED,
        summary_hi="प्रकाशित सारांश",
        translation_hi=TranslationOrigin.UNREVIEWED,
    )
    fields = {
        "summary_ja": SECRET,
        "body_ja": SECRET + " body",
        "translation_ja": TranslationOrigin.UNREVIEWED,
        "summary_hi": SECRET_HI,
        "body_hi": SECRET_HI,
        "translation_hi": TranslationOrigin.UNREVIEWED,
    }
    make_submitted_update(commitment, author=analyst, summary="Submitted.", **fields)
    make_update(commitment, author=analyst, summary="Draft.", **fields)
    make_update(
        commitment,
        author=analyst,
        summary="Rejected.",
        state=StatusUpdate.State.REJECTED,
        review_comment="no",
        reviewed_at=published.reviewed_at,
        **fields,
    )
    open_correction(published, analyst, **fields)
    return commitment


PUBLIC_SURFACES = [
    "/{p}/",
    "/{p}/commitments/",
    "/{p}/commitments/secret-test/",
    "/{p}/commitments/secret-test/?updates=all",
    "/{p}/commitments/secret-test/history/",
    "/{p}/commitments/secret-test/feed.atom",
    "/{p}/commitments/secret-test/badge.svg",
    "/{p}/commitments/secret-test/cite.bib",
    "/{p}/commitments/secret-test/cite.ris",
    "/{p}/feeds/updates.atom",
    "/{p}/api/commitments/",
    "/{p}/api/commitments/secret-test/",
    "/{p}/api/updates/",
    "/{p}/api/updates/?commitment=secret-test",
    "/{p}/updates/export.csv",
    "/{p}/commitments/?_export=csv",
    "/{p}/commitments/?_export=json",
    "/{p}/reports/progress/",
    "/{p}/reports/progress/?format=json",
    "/{p}/reports/progress/?format=csv",
    "/{p}/reports/progress/?format=xlsx",
]


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize("prefix", ["ja", "hi"])
@pytest.mark.parametrize("address", PUBLIC_SURFACES)
def test_unpublished_translations_reach_no_public_surface(client, pending, prefix, address):
    response = client.get(address.format(p=prefix).replace("//", "/"), follow=True)
    assert response.status_code == 200, address
    body = _body(response)
    for secret in (SECRET, SECRET_HI):
        assert secret.encode() not in body, address
        assert json.dumps(secret).strip('"').encode() not in body, address
    if address.endswith("xlsx"):
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(body)) as z:
            text = b"".join(z.read(n) for n in z.namelist())
        for secret in (SECRET, SECRET_HI):
            assert secret.encode() not in text


@pytest.mark.parametrize("prefix", ["", "/ja", "/hi"])
def test_search_finds_nothing_by_unpublished_update_translations(client, pending, prefix):
    for secret in (SECRET, SECRET_HI):
        page = client.get(f"{prefix}/commitments/", {"q": secret}).content.decode()
        assert "/commitments/secret-test/" not in page
        api = client.get(f"{prefix}/api/commitments/", {"q": secret}).json()
        assert api["count"] == 0


def test_published_translation_is_shown_and_reviewed(client, pending):
    page = client.get("/ja/commitments/secret-test/").content.decode()
    assert "公開済みの要約" in page
    api = client.get("/api/commitments/secret-test/").json()
    update = StatusUpdate.objects.get(summary="Published summary.", kind="update")
    assert update.translation_ja == TranslationOrigin.REVIEWED
    assert "公開済みの要約" in json.dumps(api, ensure_ascii=False)


def test_history_as_of_does_not_show_later_correction_texts(client, pending):
    """A correction awaiting review does not replace the published texts anywhere."""
    page = client.get("/ja/commitments/secret-test/", {"as_of": "2026-01-01"})
    assert SECRET.encode() not in page.content


# --- XSS through translated content ----------------------------------------------------------

XSS = "\"'><script>alert(1)</script><img src=x onerror=alert(2)><svg onload=alert(3)>"
XSS_MD = "[click](javascript:alert(4)) <script>alert(5)</script> <img src=x onerror=alert(6)>"


@pytest.fixture
def hostile(db):
    from tests.factories import make_event, make_party, make_sector

    analyst, editor = make_analyst("mallory"), make_editor("ed2")
    hostile_texts = {
        f"{name}_{code}": XSS for name in ("name", "description") for code in ("ja", "hi")
    }
    sector = make_sector(slug="hostile-sector", **hostile_texts)
    # Short names hold 50 characters (PostgreSQL refuses more).
    party = make_party(
        slug="hostile-party", short_name_ja=XSS[:50], short_name_hi=XSS[:50], **hostile_texts
    )
    event = make_event(slug="hostile-event", location_ja=XSS, location_hi=XSS, **hostile_texts)
    from commitments.models import PartyRole

    commitment = make_commitment(
        slug="hostile",
        sector=sector,
        event=event,
        parties=[(party, PartyRole.LEAD)],
        target_wording="Target.",
        description="Described.",
        **{
            f"{name}_{code}": XSS
            for name in ("title", "summary", "target_wording")
            for code in ("ja", "hi")
        },
        description_ja=XSS_MD,
        description_hi=XSS_MD,
    )
    first = make_published_update(
        commitment,
        by=editor,
        author=analyst,
        summary="Hostile.",
        body="Body.",
        summary_ja=XSS,
        body_ja=XSS_MD,
        summary_hi=XSS,
        body_hi=XSS_MD,
    )
    # A published correction and a retraction notice carry the texts into other templates.
    from tests.factories import publish

    correction = open_correction(first, analyst, summary_ja=XSS + "c", correction_note="n")
    publish(correction, editor)
    return commitment


HOSTILE_PAGES = [
    "/{p}/",
    "/{p}/commitments/",
    "/{p}/commitments/hostile/",
    "/{p}/commitments/hostile/?updates=all",
    "/{p}/commitments/hostile/history/",
    "/{p}/sectors/hostile-sector/",
    "/{p}/parties/hostile-party/",
    "/{p}/events/hostile-event/",
    "/{p}/reports/progress/",
    "/{p}/reports/progress/?sector=hostile-sector",
    "/{p}/commitments/?sector=hostile-sector&party=hostile-party",
    "/{p}/about/",
    "/{p}/api/",
]


@pytest.mark.parametrize("prefix", ["ja", "hi"])
@pytest.mark.parametrize("address", HOSTILE_PAGES)
def test_translated_content_is_escaped_in_html(client, hostile, prefix, address):
    response = client.get(address.format(p=prefix))
    assert response.status_code == 200, address
    body = response.content.decode()
    for raw in ("<script>alert", "<img src=x", "<svg onload", 'href="javascript:'):
        assert raw not in body, (address, raw)


@pytest.mark.parametrize("prefix", ["ja", "hi"])
@pytest.mark.parametrize(
    "address", ["/{p}/feeds/updates.atom", "/{p}/commitments/hostile/feed.atom"]
)
def test_translated_content_is_escaped_in_feeds(client, hostile, prefix, address):
    import re

    body = client.get(address.format(p=prefix)).content.decode()
    assert "<script>" not in body
    # Titles and subtitles are Atom text (escaped once is right); the HTML parts must hold
    # the hostile text escaped twice.
    html_parts = re.findall(r'<(summary|content) type="html">(.*?)</\1>', body, re.S)
    assert html_parts
    for _tag, html in html_parts:
        for raw in ("&lt;script&gt;alert", "&lt;img src=x", "javascript:alert"):
            assert raw not in html, (address, raw)


@pytest.mark.parametrize("prefix", ["ja", "hi"])
def test_translated_title_is_escaped_in_the_badge(client, hostile, prefix):
    body = client.get(f"/{prefix}/commitments/hostile/badge.svg").content.decode()
    assert "<script" not in body and "<img" not in body and "<svg onload" not in body


def test_review_page_escapes_translations(client, db):
    analyst, editor = make_analyst("m2"), make_editor("e2")
    make_published_update(make_commitment(slug="c-review"), by=make_editor("e3"))
    make_submitted_update(
        StatusUpdate.objects.get().commitment,
        author=analyst,
        summary_ja=XSS,
        body_ja=XSS_MD,
        translation_ja=TranslationOrigin.UNREVIEWED,
    )
    client.force_login(editor)
    for address in ("/review/", "/ja/review/"):
        body = client.get(address).content.decode()
        for raw in ("<script>alert", "<img src=x", 'href="javascript:'):
            assert raw not in body, (address, raw)


# --- Who says a translation is reviewed ------------------------------------------------------


def _admin_update_data(update, **changes):
    data = {
        "commitment": update.commitment_id,
        "as_of": update.as_of.isoformat(),
        "status": update.status,
        "progress_value": "",
        "summary": update.summary,
        "body": update.body,
        "sources": [s.pk for s in update.sources.all()],
        "loaded_version": update.version,
        "summary_ja": update.summary_ja,
        "body_ja": update.body_ja,
        "translation_ja": update.translation_ja,
        "summary_hi": update.summary_hi,
        "body_hi": update.body_hi,
        "translation_hi": update.translation_hi,
        "_save": "Save",
    }
    data.update(changes)
    return data


def test_admin_correction_new_translation_keeps_reviewed(client, db):
    """A correction starts from the published update's texts, origin "reviewed" included.
    In the admin its author (an editor) may write a NEW Japanese text and keep "reviewed":
    the choice is offered because the instance holds it. The reviewing editor is then shown
    "Translation, reviewed" for a text nobody reviewed (the site's form resets it)."""
    from django.urls import reverse

    author, other = make_editor("corrector"), make_editor("reviewer")
    original = make_published_update(
        make_commitment(slug="corr"),
        by=other,
        summary_ja="元の要約",
        translation_ja=TranslationOrigin.UNREVIEWED,
    )
    original.refresh_from_db()
    assert original.translation_ja == TranslationOrigin.REVIEWED
    correction = original.revision(StatusUpdate.Kind.CORRECTION, author, "Wording.")
    correction.save()
    correction.sources.set(original.sources.all())
    client.force_login(author)
    change = reverse("admin:commitments_statusupdate_change", args=[correction.pk])
    response = client.post(
        change,
        _admin_update_data(
            correction, summary_ja="誰も確認していない新しい訳", translation_ja="reviewed"
        ),
    )
    assert response.status_code in (200, 302)
    correction.refresh_from_db()
    if correction.summary_ja == "誰も確認していない新しい訳":
        assert correction.translation_ja != TranslationOrigin.REVIEWED


def test_admin_own_draft_post_reviewed_is_refused(client, db):
    from django.urls import reverse

    editor = make_editor("own")
    update = make_update(make_commitment(slug="own"), author=editor)
    client.force_login(editor)
    change = reverse("admin:commitments_statusupdate_change", args=[update.pk])
    client.post(change, _admin_update_data(update, summary_ja="訳", translation_ja="reviewed"))
    update.refresh_from_db()
    assert update.translation_ja != TranslationOrigin.REVIEWED


def test_admin_editor_cannot_change_anothers_submitted_translation(client, db):
    from django.urls import reverse

    update = make_submitted_update(
        make_commitment(slug="other"), author=make_analyst("a9"), summary_ja="元"
    )
    editor = make_editor("e9")
    client.force_login(editor)
    change = reverse("admin:commitments_statusupdate_change", args=[update.pk])
    response = client.post(change, _admin_update_data(update, summary_ja="改ざん"))
    assert response.status_code in (302, 403)
    update.refresh_from_db()
    assert update.summary_ja == "元"


def test_publish_is_refused_to_the_author_so_no_self_review(db):
    from django.core.exceptions import ValidationError

    editor = make_editor("selfie")
    update = make_submitted_update(make_commitment(slug="self"), author=editor, summary_ja="訳")
    with pytest.raises(ValidationError):
        update.publish(editor)
    update.refresh_from_db()
    assert update.translation_ja != TranslationOrigin.REVIEWED


def test_stale_review_message_names_a_translation_change(db):
    """An editor reviewed version N; the author withdrew the update, changed only its
    Japanese summary and resubmitted. Publishing version N is refused (good), but the
    explanation says nothing changed ("it was withdrawn and sent for review again"):
    changes_since() does not compare the translated fields."""
    analyst = make_analyst("a10")
    make_editor("e10")
    update = make_submitted_update(
        make_commitment(slug="stale"), author=analyst, summary_ja="最初の訳"
    )
    seen = update.version
    update.withdraw(by=analyst)
    update.refresh_from_db()
    update.summary_ja = "全く別の訳"
    update._change_reason = "Edited"
    update.save()
    update.submit(by=analyst)
    update.refresh_from_db()
    message = update.changes_since(seen)
    assert "withdrawn and sent for review again" not in message, message
