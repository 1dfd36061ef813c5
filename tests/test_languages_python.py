"""Japanese and Hindi in what Python writes: status words, dashboard dates, feeds, the API,
the progress report's CSV and XLSX, the badge and the charts' months (issue 15)."""

import csv
import datetime
import io

import feedparser
import openpyxl
import pytest
from django.utils import translation

from commitments import charts, dashboard
from commitments.models import Commitment, StatusUpdate, UpdateStatus
from tests.factories import (
    SUMMIT_DAY,
    make_commitment,
    make_event,
    make_published_update,
)

pytestmark = pytest.mark.django_db

PERIOD = "?from=2025-08-01&to=2026-11-28"


@pytest.fixture
def translated():
    """One public commitment at the August 2025 summit with Japanese and Hindi titles, a
    measurable target and two published updates (the first a change of status)."""
    event = make_event(
        name="India–Japan Annual Summit",
        starts_on=SUMMIT_DAY,
        ends_on=SUMMIT_DAY + datetime.timedelta(days=1),
    )
    commitment = make_commitment(
        title="Chandrayaan-5 joint lunar mission",
        title_ja="チャンドラヤーン5号 日印共同月探査ミッション",
        title_hi="चंद्रयान-5 संयुक्त चंद्र मिशन",
        translation_ja="reviewed",
        translation_hi="unreviewed",
        summary="A joint lunar polar exploration mission.",
        summary_ja="日印共同の月極域探査ミッション。",
        event=event,
        target_value=100,
        target_unit=Commitment.Unit.PERCENT,
        deadline=datetime.date(2030, 12, 31),
        deadline_precision=Commitment.DeadlinePrecision.YEAR,
    )
    make_published_update(commitment, status=UpdateStatus.ANNOUNCED, as_of=SUMMIT_DAY)
    make_published_update(
        commitment,
        status=UpdateStatus.IN_PROGRESS,
        progress_value=20,
        as_of=datetime.date(2026, 3, 31),
        summary="Design review completed.",
        summary_ja="設計審査が完了しました。",
    )
    commitment.refresh_standing()
    return commitment


def test_status_labels_in_japanese_and_hindi():
    expected = {
        "en-gb": ("Announced", "In progress", "Abandoned", "Behind pace"),
        "ja": ("発表済み", "進行中", "断念", "ペース遅れ"),
        "hi": ("घोषित", "प्रगति पर", "छोड़ दिया गया", "गति से पीछे"),
    }
    from commitments.progress import Pace

    for language, words in expected.items():
        with translation.override(language):
            shown = (
                str(UpdateStatus.ANNOUNCED.label),
                str(StatusUpdate(status="in_progress").get_status_display()),
                str(dict(UpdateStatus.choices)["abandoned"]),
                str(Pace.BEHIND.label),
            )
            assert shown == words, language
    with translation.override("ja"):
        assert str(UpdateStatus.DELAYED.definition) == (
            "取り組みは進んでいますが、示された日程より遅れています。"
        )


def test_validation_messages_follow_the_language(translated):
    update = StatusUpdate(commitment=translated, as_of=datetime.date(2030, 1, 1), status="delayed")
    with translation.override("ja"), pytest.raises(Exception) as raised:
        update.clean()
    assert raised.value.message_dict["as_of"] == ["基準日を未来の日付にすることはできません。"]


def test_dashboard_event_dates_in_each_language(translated):
    event = translated.event
    with translation.override("ja"):
        assert dashboard.event_dates(event) == "2025年8月29日～30日"
    with translation.override("hi"):
        assert dashboard.event_dates(event) == "29–30 अगस्त 2025"
    with translation.override("en-gb"):
        assert dashboard.event_dates(event) == "29–30 August 2025"
    event.ends_on = datetime.date(2025, 9, 2)
    with translation.override("ja"):
        assert dashboard.event_dates(event) == "2025年8月29日～9月2日"
    event.ends_on = None
    with translation.override("ja"):
        assert dashboard.event_dates(event) == "2025年8月29日"


def test_japanese_dashboard_says_when_the_commitments_were_made(client, translated):
    response = client.get("/ja/")
    assert response.status_code == 200
    assert response.context["tracked"].latest_when == "2025年8月29日～30日"
    assert "2025年8月29日～30日" in response.content.decode()
    assert "29–30 August 2025" not in response.content.decode()


def test_feed_in_japanese(client, translated):
    feed = feedparser.parse(client.get("/ja/feeds/updates.atom").content)
    assert "公開された進捗報告" in feed.feed.title
    newest = feed.entries[0]
    assert newest.title == (
        "チャンドラヤーン5号 日印共同月探査ミッション：進行中（2026年3月31日時点）"
    )
    assert "設計審査が完了しました。" in newest.summary
    assert "出典：" in newest.summary
    assert [tag.term for tag in newest.tags] == ["進行中"]
    one = feedparser.parse(client.get(f"/ja/commitments/{translated.slug}/feed.atom").content)
    assert one.feed.title.endswith("チャンドラヤーン5号 日印共同月探査ミッション")
    # English stays English.
    english = feedparser.parse(client.get("/feeds/updates.atom").content)
    assert english.entries[0].title == (
        "Chandrayaan-5 joint lunar mission: In progress (as of 31 March 2026)"
    )


def test_api_answers_labels_in_the_language_of_its_address(client, translated):
    data = client.get("/ja/api/commitments/").json()
    item = next(c for c in data["results"] if c["slug"] == translated.slug)
    # Keys and codes stay English; the words meant for people are Japanese.
    assert item["status"] == "in_progress"
    assert item["status_label"] == "進行中"
    assert item["status_definition"] == "取り組みが目に見えて始まり、目標に向けて進んでいます。"
    assert item["title"] == "Chandrayaan-5 joint lunar mission"
    assert item["translations"] == {
        "ja": {
            "title": "チャンドラヤーン5号 日印共同月探査ミッション",
            "summary": "日印共同の月極域探査ミッション。",
            "origin": "reviewed",
        },
        "hi": {"title": "चंद्रयान-5 संयुक्त चंद्र मिशन", "origin": "unreviewed"},
    }
    detail = client.get(f"/hi/api/commitments/{translated.slug}/").json()
    assert detail["status_label"] == "प्रगति पर"
    assert detail["updates"][0]["status_label"] == "प्रगति पर"
    assert detail["updates"][0]["translations"] == {
        "ja": {"summary": "設計審査が完了しました。", "origin": None}
    }
    assert detail["updates"][1]["translations"] == {}
    english = client.get("/api/commitments/").json()["results"][0]
    assert english["status_label"] == "In progress"


def test_api_translations_only_of_public_content(client, translated):
    hidden = make_commitment(title="Unannounced", title_ja="未発表の公約")
    data = client.get("/ja/api/commitments/").json()
    assert hidden.slug not in {c["slug"] for c in data["results"]}
    assert "未発表の公約" not in client.get("/ja/api/commitments/").content.decode()


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize(
    ("prefix", "header", "status"),
    [
        ("", ["commitment", "as_of", "previous_status", "status"], "In progress"),
        ("/ja", ["公約", "基準日", "以前の状況", "状況"], "進行中"),
        ("/hi", ["प्रतिबद्धता", "संदर्भ तिथि", "पिछली स्थिति", "स्थिति"], "प्रगति पर"),
    ],
)
def test_report_csv_headers_in_the_readers_language(client, translated, prefix, header, status):
    rows = read_csv(client.get(f"{prefix}/reports/progress/{PERIOD}&format=csv"))
    assert rows[0][:4] == header
    assert rows[-1][3] == status
    if prefix == "/ja":
        assert rows[-1][0] == "チャンドラヤーン5号 日印共同月探査ミッション"
        assert rows[-1][6] == "設計審査が完了しました。"


@pytest.mark.parametrize(
    ("prefix", "sheets", "heading"),
    [
        ("", ["Summary", "Commitments", "Updates", "Sources"], "Status at end"),
        ("/ja", ["概要", "公約", "進捗報告", "出典"], "期末の状況"),
        ("/hi", ["सारांश", "प्रतिबद्धताएँ", "अपडेट", "स्रोत"], "अंत में स्थिति"),
    ],
)
def test_report_xlsx_in_the_readers_language(client, translated, prefix, sheets, heading):
    response = client.get(f"{prefix}/reports/progress/{PERIOD}&format=xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == sheets
    commitments = workbook[sheets[1]]
    header = [cell.value for cell in commitments[1]]
    assert header[4] == heading
    if prefix == "/ja":
        row = [cell.value for cell in commitments[2]]
        assert row[0] == "チャンドラヤーン5号 日印共同月探査ミッション"
        assert row[4] == "進行中"
        summary = [cell.value for cell in workbook["概要"][1]]
        assert summary == ["状況", "2025年8月1日時点", "2026年11月28日時点"]


def test_report_title_and_highlights_in_japanese(client, translated):
    with translation.override("ja"):
        report = client.get(f"/ja/reports/progress/{PERIOD}").context["report"]
        assert str(report.title) == "進捗レポート（2025年8月1日～2026年11月28日）"
        assert "期間中に1件の公約が発表されました。" in report.highlights


def test_badge_in_japanese_and_hindi(client, translated):
    svg = client.get(f"/ja/commitments/{translated.slug}/badge.svg").content.decode()
    assert "進行中 · 20%" in svg
    assert "チャンドラヤーン5号" in svg
    hindi = client.get(f"/hi/commitments/{translated.slug}/badge.svg").content.decode()
    assert "प्रगति पर · 20%" in hindi
    english = client.get(f"/commitments/{translated.slug}/badge.svg").content.decode()
    assert "In progress · 20 %" in english


def test_badge_width_fits_japanese_text(translated):
    from commitments.badges import text_width

    assert text_width("進行中") > text_width("abc") * 1.5


def test_chart_month_labels_in_each_language():
    day = datetime.date(2025, 8, 31)
    with translation.override("ja"):
        assert charts.month_label(day) == "8月"
        assert charts.month_and_year(day) == "2025年8月"
    with translation.override("hi"):
        assert charts.month_label(day) == "अगस्त"
        assert charts.month_and_year(day) == "अगस्त 2025"
    with translation.override("en-gb"):
        assert charts.month_label(day) == "Aug"
        assert charts.month_and_year(day) == "Aug 2025"


def test_status_over_time_is_kept_per_language(monkeypatch, translated):
    # The markup holds month names and status words: a copy per language, never one
    # language's copy served to another.
    keys = []

    def remember(key, build):
        keys.append(key)
        return build()

    monkeypatch.setattr(charts, "cached_public_data", remember)
    today = datetime.date(2026, 11, 28)
    with translation.override("ja"):
        japanese = charts.portfolio_over_time(today)
    with translation.override("en-gb"):
        english = charts.portfolio_over_time(today)
    assert keys == ["portfolio:ja:2026-11-28", "portfolio:en:2026-11-28"]
    assert "進行中" in japanese["html"]
    assert "In progress" in english["html"]
    assert "進行中" not in english["html"]
    months = [bar["label"] for bar in japanese["layouts"][0]["bars"] if bar["label"]]
    assert "11月" in months


def test_citation_in_japanese(translated):
    from commitments.sharing import citation_for

    with translation.override("ja"):
        citation = citation_for(translated, "https://example.org/x", datetime.date(2026, 11, 28))
        assert citation.title == "チャンドラヤーン5号 日印共同月探査ミッション"
        assert citation.status_text == (
            "2026年11月28日時点の状況：進行中（最終更新 2026年3月31日）"
        )
