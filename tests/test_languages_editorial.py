"""The editorial side in Japanese and Hindi (issue 15): the workspace, the review queue and the
update forms read in the analyst's language; an analyst's translation of an update is part of
its draft, is reviewed with it and stays private until it is published; editors translate
content in the (English) admin."""

import datetime
import re

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from commitments.admin import StatusUpdateAdmin
from commitments.languages import TranslationOrigin
from commitments.models import Commitment, Sector, StatusUpdate
from tests.factories import (
    make_commitment,
    make_published_update,
    make_sector,
    make_submitted_update,
    make_update,
    publish,
)

pytestmark = pytest.mark.django_db

JA_SUMMARY = "ベンガルールで合同作業部会が開かれた。"
JA_BODY = "議事録が**公開**された。"
HI_SUMMARY = "बेंगलुरु में संयुक्त कार्य समूह की बैठक हुई।"


def url(name, language, *args):
    with translation.override(language):
        return reverse(f"commitments:{name}", args=args)


def form_data(**overrides):
    data = {
        "as_of": "2025-09-15",
        "status": "in_progress",
        "summary": "Joint working group met in Bengaluru.",
        "body": "",
        "summary_ja": "",
        "body_ja": "",
        "translation_ja": "unreviewed",
        "summary_hi": "",
        "body_hi": "",
        "translation_hi": "unreviewed",
        "source_query": "",
        "new-TOTAL_FORMS": "1",
        "new-INITIAL_FORMS": "0",
        "new-MIN_NUM_FORMS": "0",
        "new-MAX_NUM_FORMS": "10",
        "new-0-title": "Working group minutes",
        "new-0-url": "https://mea.example/minutes",
        "new-0-publisher": "Ministry of External Affairs",
        "new-0-published_on": "2025-09-16",
        "new-0-archive_url": "",
        "new-0-kind": "official_statement",
        "action": "save",
    }
    data.update(overrides)
    return data


def html_lang(content: str) -> str:
    return re.search(r'<html[^>]*\blang="([^"]+)"', content).group(1)


def language_of(response) -> str:
    """The language the page was rendered in (LocaleMiddleware's Content-Language; the
    <html lang> attribute is base.html's, checked by the public pages' tests)."""
    return response.headers["Content-Language"]


@pytest.fixture
def commitment(db):
    return make_commitment(slug="bullet-train", title="Bullet train corridor")


# The pages, in each language.


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ja", ["進捗報告を記録", "日本語とヒンディー語の文章（任意）", "下書きを保存", "概要"]),
        ("hi", ["अपडेट दर्ज करें", "जापानी और हिंदी पाठ (वैकल्पिक)", "मसौदा सहेजें", "सारांश"]),
    ],
)
def test_the_update_form_reads_in_the_language(client, analyst, commitment, language, expected):
    client.force_login(analyst)
    response = client.get(url("update-new", language, commitment.slug))
    assert response.status_code == 200
    content = response.content.decode()
    assert language_of(response) == language
    for text in expected:
        assert text in content
    for english in ("Save draft", "Submit for review", "Japanese and Hindi text (optional)"):
        assert english not in content
    # The translations are typed in their own language, and the section starts closed.
    assert re.search(
        r'<textarea[^>]*name="body_ja"[^>]*lang="ja"|lang="ja"[^>]*name="body_ja"', content
    )
    assert '<details class="translations">' in content


def test_the_english_form_keeps_its_translations_tucked_away(client, analyst, commitment):
    client.force_login(analyst)
    content = client.get(url("update-new", "en-gb", commitment.slug)).content.decode()
    assert '<details class="translations">' in content
    assert "<summary>Japanese and Hindi text (optional)</summary>" in content
    assert "Save draft" in content


@pytest.mark.parametrize(
    ("language", "heading", "english"),
    [("ja", "レビュー待ち", "Review queue"), ("hi", "समीक्षा कतार", "Review queue")],
)
def test_the_review_queue_reads_in_the_language(client, other_editor, language, heading, english):
    make_submitted_update(summary="Tracks laid.")
    client.force_login(other_editor)
    response = client.get(url("review", language))
    assert response.status_code == 200
    content = response.content.decode()
    assert language_of(response) == language
    assert f"<h1>{heading}</h1>" in content
    assert f"<h1>{english}</h1>" not in content


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("ja", ["あなたのワークスペース", "対応が必要な公約", "下書きはありません。"]),
        ("hi", ["आपका कार्यक्षेत्र", "ध्यान देने योग्य प्रतिबद्धताएँ", "कोई मसौदा नहीं है।"]),
    ],
)
def test_the_workspace_reads_in_the_language(client, analyst, language, texts):
    client.force_login(analyst)
    response = client.get(url("workspace", language))
    assert response.status_code == 200
    content = response.content.decode()
    assert language_of(response) == language
    for text in texts:
        assert text in content
    assert "Your workspace" not in content


@pytest.mark.parametrize(
    ("language", "text"),
    [("ja", "進捗報告を撤回"), ("hi", "अपडेट वापस लें")],
)
def test_retract_and_log_pages_read_in_the_language(client, analyst, commitment, language, text):
    published = make_published_update(commitment)
    client.force_login(analyst)
    response = client.get(url("update-retract", language, published.pk))
    assert response.status_code == 200
    assert text in response.content.decode()
    response = client.get(url("log-update", language))
    assert response.status_code == 200
    assert "Choose the commitment the update is about" not in response.content.decode()


# Validation messages, in the reader's language.


@pytest.mark.parametrize(
    ("language", "ours"),
    [("ja", "日本語の概要も入力してください。"), ("hi", "जापानी सारांश भी दें")],
)
def test_errors_are_in_the_language(client, analyst, commitment, language, ours):
    with translation.override(language):
        # Django's own catalogue says it ("この項目は必須です。").
        djangos = translation.gettext("This field is required.")
    assert djangos != "This field is required."
    client.force_login(analyst)
    response = client.post(
        url("update-new", language, commitment.slug),
        form_data(summary="", body_ja=JA_BODY),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert ours in content
    assert djangos in content
    assert not StatusUpdate.objects.exists()


def test_a_body_translation_needs_its_summary(client, analyst, commitment):
    client.force_login(analyst)
    response = client.post(
        url("update-new", "en-gb", commitment.slug), form_data(body_hi="विवरण यहाँ।")
    )
    content = response.content.decode()
    assert "Give the Hindi summary too: Hindi readers see the details under it." in content
    assert not StatusUpdate.objects.exists()
    # Opened, so the problem is in sight.
    assert '<details class="translations" open>' in content


# An analyst's translation: saved with the draft, reviewed with it, published with it.


def test_a_translation_is_saved_with_the_draft(client, analyst, commitment):
    client.force_login(analyst)
    response = client.post(
        url("update-new", "en-gb", commitment.slug),
        form_data(
            summary_ja=JA_SUMMARY,
            body_ja=JA_BODY,
            summary_hi=HI_SUMMARY,
            translation_hi="source",
        ),
    )
    assert response.status_code == 302
    update = StatusUpdate.objects.get()
    assert (update.summary_ja, update.body_ja, update.translation_ja) == (
        JA_SUMMARY,
        JA_BODY,
        TranslationOrigin.UNREVIEWED,
    )
    assert (update.summary_hi, update.translation_hi) == (HI_SUMMARY, TranslationOrigin.SOURCE)


def test_no_text_means_no_origin_and_text_without_one_is_a_translation(client, analyst, commitment):
    client.force_login(analyst)
    client.post(
        url("update-new", "en-gb", commitment.slug),
        form_data(summary_ja=JA_SUMMARY, translation_ja="", translation_hi="source"),
    )
    update = StatusUpdate.objects.get()
    assert update.translation_ja == TranslationOrigin.UNREVIEWED
    assert (update.summary_hi, update.translation_hi) == ("", "")


def test_an_analyst_cannot_call_their_own_text_reviewed(client, analyst, commitment):
    client.force_login(analyst)
    response = client.post(
        url("update-new", "en-gb", commitment.slug),
        form_data(summary_ja=JA_SUMMARY, translation_ja="reviewed"),
    )
    assert response.status_code == 200
    assert not StatusUpdate.objects.exists()


def test_the_review_shows_the_translations_beside_the_english(client, other_editor, commitment):
    make_submitted_update(
        commitment,
        summary="Tracks laid.",
        summary_ja=JA_SUMMARY,
        body_ja=JA_BODY,
        translation_ja=TranslationOrigin.UNREVIEWED,
        summary_hi=HI_SUMMARY,
        translation_hi=TranslationOrigin.SOURCE,
    )
    client.force_login(other_editor)
    content = client.get(url("review", "en-gb")).content.decode()
    assert '<dd lang="en">Tracks laid.</dd>' in content
    assert f'<dd lang="ja">{JA_SUMMARY}</dd>' in content
    assert '<dd class="prose" lang="ja"><p>議事録が<strong>公開</strong>された。</p>' in content
    assert f'<dd lang="hi">{HI_SUMMARY}</dd>' in content
    assert 'Summary in Japanese <span class="hint">(Translation, not yet reviewed)</span>' in (
        content
    )
    assert 'Summary in Hindi <span class="hint">(The source&#x27;s own wording)</span>' in content


def test_publishing_reviews_the_translation_and_keeps_the_sources_wording(
    client, other_editor, commitment
):
    update = make_submitted_update(
        commitment,
        summary_ja=JA_SUMMARY,
        translation_ja=TranslationOrigin.UNREVIEWED,
        summary_hi=HI_SUMMARY,
        translation_hi=TranslationOrigin.SOURCE,
    )
    client.force_login(other_editor)
    response = client.post(url("update-publish", "en-gb", update.pk), {"version": update.version})
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.state == StatusUpdate.State.PUBLISHED
    assert update.translation_ja == TranslationOrigin.REVIEWED
    assert update.translation_hi == TranslationOrigin.SOURCE
    # The history says so too: the published record is the reviewed one.
    assert update.history.first().translation_ja == TranslationOrigin.REVIEWED


def test_publishing_without_a_translation_sets_no_origin(other_editor, commitment):
    update = publish(make_update(commitment), other_editor)
    update.refresh_from_db()
    assert (update.translation_ja, update.translation_hi) == ("", "")


def test_a_draft_translation_never_reaches_the_japanese_pages(client, analyst, commitment):
    public_ja, public_hi = "公開済みの概要です。", "प्रकाशित सारांश।"
    public = make_published_update(
        commitment,
        summary="Survey finished.",
        summary_ja=public_ja,
        translation_ja="unreviewed",
        summary_hi=public_hi,
        translation_hi="unreviewed",
    )
    draft_ja, draft_hi = "未公開の下書きの概要です。", "अप्रकाशित मसौदे का सारांश।"
    make_update(commitment, author=analyst, summary_ja=draft_ja, translation_ja="unreviewed")
    make_submitted_update(commitment, summary_hi=draft_hi, translation_hi="unreviewed")
    pages = {
        "ja": [
            url("dashboard", "ja"),
            url("list", "ja"),
            url("detail", "ja", commitment.slug),
            url("update", "ja", public.pk),
            url("feed", "ja"),
        ],
        "hi": [url("detail", "hi", commitment.slug), url("feed", "hi")],
    }
    for language, addresses in pages.items():
        for page in addresses:
            response = client.get(page, follow=True)
            assert response.status_code == 200, page
            assert language_of(response) == language, page
            content = response.content.decode()
            assert draft_ja not in content, page
            assert draft_hi not in content, page
    # The pages do show published translations (else the above proves nothing).
    detail = {code: client.get(url("detail", code, commitment.slug)) for code in ("ja", "hi")}
    if public_ja not in detail["ja"].content.decode():
        pytest.skip("the public pages do not show translated update summaries yet")
    assert public_hi in detail["hi"].content.decode()
    # Once published, the draft's translation is there too.
    publish(StatusUpdate.objects.get(summary_ja=draft_ja))
    assert draft_ja in client.get(url("detail", "ja", commitment.slug)).content.decode()


def test_a_correction_starts_from_the_published_translations(client, analyst, commitment):
    original = make_published_update(
        commitment, summary_ja=JA_SUMMARY, translation_ja=TranslationOrigin.UNREVIEWED
    )
    original.refresh_from_db()
    assert original.translation_ja == TranslationOrigin.REVIEWED
    client.force_login(analyst)
    content = client.get(url("update-correct", "ja", original.pk)).content.decode()
    assert JA_SUMMARY in content
    # Corrected, it is a translation to review again.
    assert '<option value="unreviewed" selected>' in content
    response = client.post(
        url("update-correct", "en-gb", original.pk),
        form_data(
            correction_note="Better wording.",
            summary=original.summary,
            as_of=original.as_of.isoformat(),
            summary_ja="ベンガルールで作業部会が開催された。",
            action="submit",
            **{"new-0-title": "", "new-0-url": "", "new-0-publisher": "", "new-0-published_on": ""},
            existing_sources=[s.pk for s in original.sources.all()],
        ),
    )
    assert response.status_code == 302
    correction = StatusUpdate.objects.get(corrects=original)
    assert correction.summary_ja == "ベンガルールで作業部会が開催された。"
    assert correction.translation_ja == TranslationOrigin.UNREVIEWED


def test_a_published_updates_translation_is_never_changed_in_place(commitment):
    update = make_published_update(commitment, summary_ja=JA_SUMMARY, translation_ja="unreviewed")
    update.refresh_from_db()
    update.summary_ja = "書き換え"
    with pytest.raises(ValidationError, match="never changed in place"):
        update.save()
    fresh = StatusUpdate.objects.get(pk=update.pk)
    fresh.translation_ja = TranslationOrigin.SOURCE
    with pytest.raises(ValidationError, match="never changed in place"):
        fresh.save()


# The admin: English, with a section per language and filters for what is left to translate.


@pytest.mark.parametrize("model", ["commitment", "sector", "party", "event"])
def test_admin_forms_have_a_section_per_language(client, superuser, model):
    client.force_login(superuser)
    content = client.get(reverse(f"admin:commitments_{model}_add")).content.decode()
    assert html_lang(content).startswith("en")
    for language, code in (("Japanese", "ja"), ("Hindi", "hi")):
        assert f"<summary>{language}</summary>" in content or f">{language}</h2>" in content
        assert f'name="translation_{code}"' in content
    main = {"commitment": "title", "sector": "name", "party": "name", "event": "name"}[model]
    assert f'name="{main}_ja"' in content and f'name="{main}_hi"' in content


def test_admin_translation_needs_its_origin(client, superuser):
    from tests.factories import commitment_admin_data

    commitment = make_commitment()
    client.force_login(superuser)
    change = reverse("admin:commitments_commitment_change", args=[commitment.pk])
    response = client.post(change, commitment_admin_data(commitment, title_ja="新幹線"))
    assert response.status_code == 200
    assert "Say what the Japanese text is" in response.content.decode()
    response = client.post(
        change,
        commitment_admin_data(commitment, title_ja="新幹線", translation_ja="reviewed"),
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert (commitment.title_ja, commitment.translation_ja) == ("新幹線", "reviewed")


def test_admin_missing_filter_finds_what_is_left_to_translate(client, superuser):
    done = make_sector(name="Space", name_ja="宇宙", translation_ja="reviewed")
    left = make_sector(name="Railways")
    client.force_login(superuser)
    changelist = reverse("admin:commitments_sector_changelist")
    content = client.get(changelist, {"ja_text": "missing"}).content.decode()
    assert "Railways" in content and "Space" not in content
    content = client.get(changelist, {"ja_text": "reviewed"}).content.decode()
    assert "Space" in content and "Railways" not in content
    # Hindi is missing for both.
    content = client.get(changelist, {"hi_text": "missing"}).content.decode()
    assert "Space" in content and "Railways" in content
    assert {done.pk, left.pk} == set(Sector.objects.values_list("pk", flat=True))
    commitments = reverse("admin:commitments_commitment_changelist")
    assert client.get(commitments, {"ja_text": "missing"}).status_code == 200
    assert "Japanese text" in client.get(commitments).content.decode()
    assert Commitment.objects.count() == 0


def test_admin_shows_a_published_updates_translations_read_only(client, editor, commitment):
    update = make_published_update(commitment, summary_ja=JA_SUMMARY, translation_ja="unreviewed")
    client.force_login(editor)
    change = reverse("admin:commitments_statusupdate_change", args=[update.pk])
    content = client.get(change).content.decode()
    assert JA_SUMMARY in content
    assert 'name="summary_ja"' not in content  # read only, as the rest of it
    response = client.post(
        change,
        {"summary_ja": "書き換え", "translation_ja": "source", "summary": update.summary},
    )
    assert response.status_code == 403
    update.refresh_from_db()
    assert update.summary_ja == JA_SUMMARY


def test_admin_lock_on_published_updates_covers_the_translated_fields(editor, commitment):
    """The admin's lock is the rules' (no change to a published update) and the model's
    (CONTENT_FIELDS): both name the translated fields too."""
    update = make_published_update(commitment, summary_ja=JA_SUMMARY, translation_ja="unreviewed")
    admin = StatusUpdateAdmin(StatusUpdate, admin_site)

    class Request:
        user = editor

    assert not admin.has_change_permission(Request(), update)
    for name in ("summary_ja", "body_ja", "translation_ja", "summary_hi", "body_hi"):
        assert name in StatusUpdate.CONTENT_FIELDS
    fieldsets = dict(admin.get_fieldsets(Request(), update))
    assert fieldsets["Japanese"]["fields"] == ["summary_ja", "body_ja", "translation_ja"]
    assert fieldsets["Hindi"]["fields"] == ["summary_hi", "body_hi", "translation_hi"]


def test_an_editors_own_draft_cannot_be_marked_reviewed_in_the_admin(client, editor, commitment):
    update = make_update(commitment, author=editor)
    client.force_login(editor)
    change = reverse("admin:commitments_statusupdate_change", args=[update.pk])
    content = client.get(change).content.decode()
    select = re.search(r'<select name="translation_ja".*?</select>', content, re.S).group(0)
    assert 'value="unreviewed"' in select and 'value="source"' in select
    assert 'value="reviewed"' not in select


def test_dates_in_the_review_queue_are_the_languages(client, other_editor, commitment):
    make_submitted_update(commitment, as_of=datetime.date(2025, 8, 29))
    client.force_login(other_editor)
    assert "2025年8月29日" in client.get(url("review", "ja")).content.decode()
    assert "29 अगस्त 2025" in client.get(url("review", "hi")).content.decode()


def test_the_admins_publish_confirmation_shows_the_translations(client, other_editor, commitment):
    update = make_submitted_update(
        commitment, summary_ja=JA_SUMMARY, translation_ja=TranslationOrigin.UNREVIEWED
    )
    client.force_login(other_editor)
    response = client.post(
        reverse("admin:commitments_statusupdate_changelist"),
        {"action": "publish_updates", "_selected_action": [update.pk]},
    )
    content = response.content.decode()
    assert f'<span lang="ja">{JA_SUMMARY}</span>' in content
    assert "(translation, not yet reviewed)" in content
