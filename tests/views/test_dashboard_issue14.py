"""The dashboard answers "what was promised, and how is it going?" (issue 14): the line naming
what is tracked, the headline meters, distinct status colours, recent changes grouped, empty
cards folded, a legible status-over-time chart, and a cost that does not grow with the data."""

import datetime
import itertools
import re
from decimal import Decimal
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from commitments import standing
from commitments.badges import COLOURS
from commitments.charts import STACKED_LAYOUTS, nice_ticks
from commitments.dashboard import HEADLINE_LENGTH, event_dates
from commitments.models import Commitment, Event, UpdateStatus
from tests.factories import (
    SUMMIT_DAY,
    TODAY,
    make_analyst,
    make_commitment,
    make_editor,
    make_event,
    make_published_update,
    make_update,
    open_correction,
    publish,
)
from tests.test_public_cache import shared_cache  # noqa: F401 (a fixture)

STATUSES = [status.value for status in UpdateStatus]


def text(html: str) -> str:
    """Visible text, tags dropped, whitespace collapsed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", html))).strip()


def tracked_line(client) -> str:
    content = client.get("/").content.decode()
    match = re.search(r'<p class="tracked-line">(.*?)</p>', content, re.S)
    assert match, "the dashboard names what it tracks"
    return text(match.group(1))


def section(content: str, heading_id: str) -> str:
    """The HTML of the <section> labelled by `heading_id`."""
    start = content.index(">", content.index(f'aria-labelledby="{heading_id}"')) + 1
    return content[start : content.index("</section>", start)]


# What is tracked ------------------------------------------------------------------------------


def test_the_heading_and_line_name_the_summit(client, seeded):
    content = client.get("/").content.decode()
    assert "<h1>What was promised, and how it is going</h1>" in content
    assert "Where every pledge stands" not in content
    assert tracked_line(client).startswith(
        "18 commitments made at the 15th India–Japan Annual Summit, Tokyo, Japan, "
        "29–30 August 2025."
    )
    assert 'href="/events/india-japan-annual-summit-2025/"' in content


def test_several_events_are_summed_up_with_the_latest(client, db):
    older = make_event(name="First Summit", location="Delhi", starts_on=datetime.date(2024, 3, 1))
    latest = make_event(
        name="Third Summit",
        location="Osaka",
        starts_on=datetime.date(2025, 12, 30),
        ends_on=datetime.date(2026, 1, 2),
    )
    middle = make_event(name="Second Summit", starts_on=datetime.date(2025, 1, 5))
    # An event whose only commitment is unpublished is not something the public can see.
    hidden = make_event(name="Secret Summit", starts_on=datetime.date(2026, 6, 1))
    make_update(make_commitment(event=hidden))
    for event in (older, latest, middle, latest):
        make_published_update(make_commitment(event=event))
    make_published_update(make_commitment())  # made at no event
    line = tracked_line(client)
    assert line.startswith(
        "5 commitments, 4 of them made at 3 events, most recently the Third Summit, Osaka, "
        "30 December 2025 – 2 January 2026, and 1 elsewhere."
    )
    assert "Secret" not in client.get("/").content.decode()


def test_without_events_the_line_gives_the_count(client, db):
    make_published_update(make_commitment())
    make_published_update(make_commitment())
    assert tracked_line(client).startswith("2 public commitments.")


def test_nothing_public_says_so(client, db):
    make_update(make_commitment(event=make_event()))  # a draft only
    assert tracked_line(client) == "0 public commitments: nothing has been published yet."


@pytest.mark.parametrize(
    "starts, ends, expected",
    [
        ((2025, 8, 29), (2025, 8, 30), "29–30 August 2025"),
        ((2025, 8, 29), None, "29 August 2025"),
        ((2025, 8, 29), (2025, 8, 29), "29 August 2025"),
        ((2025, 9, 30), (2025, 10, 2), "30 September – 2 October 2025"),
        ((2025, 12, 30), (2026, 1, 2), "30 December 2025 – 2 January 2026"),
    ],
)
def test_event_dates_read_naturally(starts, ends, expected):
    event = Event(
        name="E",
        starts_on=datetime.date(*starts),
        ends_on=datetime.date(*ends) if ends else None,
    )
    assert event_dates(event) == expected


# Headline meters ------------------------------------------------------------------------------


def meters(content: str) -> list[tuple[str, str]]:
    """(title, percent text) of each headline meter, in order."""
    block = section(content, "headline-heading")
    return [
        (text(title), text(figure))
        for title, figure in re.findall(
            r"<h3>(.*?)</h3>\s*<p class=\"meter-figure\">(.*?)</p>", block, re.S
        )
    ]


def test_seed_headline_is_the_measurable_targets_in_order_with_stored_percent(client, seeded):
    skilled = Commitment.objects.get(pk=14)
    make_published_update(
        skilled, by=make_editor(), status="in_progress", progress_value=6000, as_of=TODAY
    )
    skilled.refresh_from_db()
    content = client.get("/").content.decode()
    shown = meters(content)
    assert [title for title, _ in shown] == [
        "¥10 trillion of Japanese investment in India over the next decade",
        "Action plan to send 5 lakh Indians to Japan in five years",
        "50,000 skilled professionals to Japan",
    ]
    percent = standing.percent_shown(skilled.progress_percent)
    assert percent == 12
    assert shown[2][1].startswith(f"{percent} % ")
    assert "6,000 of 50,000 people" in shown[2][1]
    assert "No progress figure published yet" in shown[0][1]
    assert 'class="meter-fill" width="12"' in content


def test_editors_choose_the_headline_order_and_it_is_capped(client, db):
    editor = make_editor()
    parent = make_commitment(
        title="Parent", target_value=100, target_unit="count", announced_on=SUMMIT_DAY
    )
    make_published_update(parent, by=editor)
    part = make_commitment(
        title="Early part",
        target_value=10,
        target_unit="count",
        parent=parent,
        counts_toward_parent=True,
        announced_on=SUMMIT_DAY - datetime.timedelta(days=30),
    )
    make_published_update(part, by=editor, progress_value=3)
    others = []
    for i in range(6):
        commitment = make_commitment(
            title=f"Target {i}",
            target_value=1000,
            target_unit="people",
            announced_on=SUMMIT_DAY + datetime.timedelta(days=i + 1),
        )
        make_published_update(commitment, by=editor, progress_value=100 * i)
        others.append(commitment)
    Commitment.objects.filter(pk=others[4].pk).update(dashboard_position=1)
    Commitment.objects.filter(pk=others[5].pk).update(dashboard_position=2)
    # Never on the public dashboard: measurable but unpublished, or published but not measurable.
    make_update(make_commitment(title="Draft target", target_value=5, target_unit="count"))
    make_published_update(make_commitment(title="No target"), by=editor)

    response = client.get("/")
    content = response.content.decode()
    titles = [title for title, _ in meters(content)]
    assert titles == ["Target 4", "Target 5", "Parent", "Target 0", "Target 1", "Target 2"]
    assert len(titles) == HEADLINE_LENGTH
    assert response.context["measurable_count"] == 8
    assert "All 8 measurable commitments, by progress" in text(content)
    for commitment in response.context["headline"]:
        stored = Commitment.objects.get(pk=commitment.pk).progress_percent
        assert commitment.progress_percent_display == standing.percent_shown(stored)
    figures = dict(meters(content))
    assert figures["Target 4"].startswith("40 % ")
    assert figures["Parent"].startswith("3 % ")  # from its part, as stored


def test_no_measurable_commitment_means_no_meter_section(client, seeded):
    Commitment.objects.update(target_value=None, target_unit="", baseline_value=None)
    content = client.get("/").content.decode()
    assert "headline-heading" not in content


# Status colours -------------------------------------------------------------------------------


def css_colours() -> dict[str, str]:
    css = (Path(django_settings.BASE_DIR) / "static/css/site.css").read_text()
    root = css[css.index(":root {") : css.index("}", css.index(":root {"))]
    return dict(re.findall(r"--([a-z_-]+):\s*(#[0-9a-fA-F]{6});", root))


def linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def rgb(colour: str) -> list[int]:
    return [int(colour[i : i + 2], 16) for i in (1, 3, 5)]


def luminance(colour: str) -> float:
    r, g, b = (linear(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    low, high = sorted([luminance(a), luminance(b)])
    return (high + 0.05) / (low + 0.05)


def lab(colour: str) -> tuple[float, float, float]:
    r, g, b = (linear(c) for c in rgb(colour))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def test_every_status_has_its_own_colour_and_readable_text():
    colours = css_colours()
    for status in STATUSES:
        text_colour, background = colours[status], colours[f"{status}-bg"]
        assert contrast(text_colour, background) >= 4.5, status  # badge text
        assert contrast(text_colour, "#ffffff") >= 4.5, status  # chart labels on white
    for a, b in itertools.combinations(STATUSES, 2):
        pairs = zip(lab(colours[a]), lab(colours[b]), strict=True)
        distance = sum((p - q) ** 2 for p, q in pairs) ** 0.5
        assert distance >= 25, f"{a} and {b} look alike (ΔE {distance:.0f})"
    # Announced and Abandoned were two near-identical greys.
    assert colours["announced"] != colours["abandoned"]


def test_the_embeddable_badge_uses_the_same_palette():
    colours = css_colours()
    assert {status: colours[status] for status in STATUSES} == COLOURS


# What changed recently ------------------------------------------------------------------------


SEED_SENTENCE = "Announced during Prime Minister Modi's visit to Japan, 29–30 August 2025."


def test_recent_changes_group_by_commitment_and_do_not_repeat(client, seeded):
    editor = make_editor()
    chandrayaan = Commitment.objects.get(slug="chandrayaan-5")
    make_published_update(
        chandrayaan, by=editor, status="in_progress", as_of=datetime.date(2026, 6, 10)
    )
    make_published_update(
        chandrayaan,
        by=editor,
        status="delayed",
        as_of=datetime.date(2026, 10, 12),
        summary="Launch moved to 2029.",
    )
    make_update(chandrayaan, summary="A draft nobody may see yet.")
    content = client.get("/").content.decode()
    recent = text(section(content, "recent"))
    assert recent.count(SEED_SENTENCE) == 1
    assert "29 Aug 2025: 17 commitments Announced" in recent
    # The arrow is for the eye; a screen reader hears "Announced to Delayed".
    assert (
        "Chandrayaan-5 joint lunar mission: 3 updates, latest 12 Oct 2026 — Announced →to Delayed"
        in recent
    )
    assert recent.index("Chandrayaan-5") < recent.index("29 Aug 2025")  # newest first
    assert "and 12 more" in recent  # 5 of the 17 named
    assert "A draft nobody may see yet." not in content


def test_a_correction_of_an_older_update_is_not_the_latest_news(client, seeded):
    """A correction of February's figure, published after August's update, must not read as
    where the commitment stands: the group's latest is the newest by as-of day."""
    editor = make_editor()
    skilled = Commitment.objects.get(slug="fifty-thousand-skilled-professionals")
    february = make_published_update(
        skilled,
        by=editor,
        progress_value=4500,
        as_of=datetime.date(2026, 2, 28),
        summary="4,500 placed so far.",
    )
    make_published_update(
        skilled,
        by=editor,
        progress_value=9000,
        as_of=datetime.date(2026, 8, 31),
        summary="9,000 placed so far.",
    )
    correction = open_correction(february, make_analyst(), progress_value=4000)
    publish(correction, editor)
    recent = text(section(client.get("/").content.decode(), "recent"))
    assert "3 updates, latest 31 Aug 2026" in recent
    assert "9,000 placed so far." in recent
    assert "4,500 placed so far." not in recent


def test_different_sentences_are_not_batched(client, db):
    for i in range(4):
        make_published_update(make_commitment(title=f"C{i}"), summary=f"Sentence {i}.")
    recent = text(section(client.get("/").content.decode(), "recent"))
    for i in range(4):
        assert f"C{i}: update of 29 Aug 2025" in recent
        assert f"Sentence {i}." in recent


# Empty cards ----------------------------------------------------------------------------------


def test_empty_cards_fold_into_one_that_says_why(client, seeded, settings):
    settings.STALE_AFTER_DAYS = 100000
    content = client.get("/").content.decode()
    assert '<span class="count">0</span>' not in content
    for card in ("overdue", "upcoming", "behind", "stale"):
        assert f'id="{card}"' not in content
    folded = text(section(content, "all-clear"))
    assert folded.startswith("Nothing needs attention")
    assert "Nothing is overdue" in folded
    assert "No deadline falls in the next 12 months." in folded
    assert "No measurable commitment is behind pace." in folded
    assert "a published update from the last 100000 days" in folded


def test_cards_with_something_in_them_stay(client, seeded):
    content = client.get("/").content.decode()
    assert 'id="stale"' in content
    assert 'Stale <span class="count">18</span>' in content
    assert text(section(content, "all-clear")).startswith("Also checked")


# The status-over-time chart -------------------------------------------------------------------


class Nesting(HTMLParser):
    """Records every <details> opened inside a <figure>."""

    def __init__(self):
        super().__init__()
        self.figures = 0
        self.details_in_figure = 0

    def handle_starttag(self, tag, attrs):
        if tag == "figure":
            self.figures += 1
        elif tag == "details" and self.figures:
            self.details_in_figure += 1

    def handle_endtag(self, tag):
        if tag == "figure":
            self.figures -= 1


def long_history(months: int = 40):
    """Commitments whose statuses change month after month for `months` months."""
    editor = make_editor()
    start = TODAY - datetime.timedelta(days=31 * months)
    commitments = [make_commitment(announced_on=start) for _ in range(7)]
    for i, commitment in enumerate(commitments):
        make_published_update(commitment, by=editor, status="announced", as_of=start)
        for step, status in enumerate(STATUSES[1 : i + 2]):
            day = start + datetime.timedelta(days=120 * (step + 1) + i)
            make_published_update(commitment, by=editor, status=status, as_of=day)


def test_chart_has_a_y_axis_time_labels_that_cannot_collide_and_direct_labels(client, db):
    long_history()
    response = client.get("/")
    content = response.content.decode()
    chart = section(content, "over-time")
    portfolio = response.context["portfolio"]
    assert len(portfolio["table"]) > 30
    for layout in STACKED_LAYOUTS:
        drawing = next(d for d in portfolio["layouts"] if d["name"] == layout.name)
        values = [tick["value"] for tick in drawing["y_ticks"]]
        assert values[0] == 0 and values[-1] >= 7 and len(values) >= 3
        labelled = [bar for bar in drawing["bars"] if bar["label"]]
        assert 2 <= len(labelled) <= layout.max_labels
        assert drawing["bars"][-1]["label"]  # the latest month is always named
        gaps = [b["center"] - a["center"] for a, b in itertools.pairwise(labelled)]
        assert min(gaps) >= 40  # user units: 13-unit words never touch
        assert [label["count"] for label in drawing["direct"]]
        spots = sorted(label["text_y"] for label in drawing["direct"])
        assert all(b - a >= 15 for a, b in itertools.pairwise(spots))
    assert chart.count('class="y-tick"') >= 6  # both drawings have values on their axis
    assert 'class="direct status-abandoned"' in chart
    latest = portfolio["table"][-1]["counts"]
    assert latest["abandoned"] and f"{latest['abandoned']} Abandoned" in text(chart)
    assert "status-announced" in chart and "status-achieved" in chart
    parser = Nesting()
    parser.feed(content)
    assert parser.details_in_figure == 0
    assert '<details class="chart-data">' in chart  # the data table is kept
    assert '<th scope="col">Month end</th>' in chart


def test_the_chart_counts_only_status_changes_and_matches_the_as_of_view(client, db):
    editor = make_editor()
    commitment = make_commitment(target_value=100, target_unit="count")
    make_published_update(commitment, by=editor, status="announced", as_of=SUMMIT_DAY)
    for day, status, value in [
        (30, "in_progress", 1),
        (40, "in_progress", 2),  # a figure, same status
        (70, "delayed", 3),
        (100, "in_progress", 4),  # back again
        (101, "in_progress", 5),
    ]:
        make_published_update(
            commitment,
            by=editor,
            status=status,
            progress_value=value,
            as_of=SUMMIT_DAY + datetime.timedelta(days=day),
        )
    table = client.get("/").context["portfolio"]["table"]
    for row in table:
        as_of = client.get(f"/?as_of={row['month_end']:%Y-%m-%d}").context
        if row["month_end"] >= TODAY:
            continue
        expected = {r["status"].value: r["count"] for r in as_of["by_status"]}
        assert row["counts"] == expected, row["month_end"]
    assert table[-1]["counts"]["in_progress"] == 1 and sum(table[-1]["counts"].values()) == 1


@pytest.mark.parametrize(
    "largest, expected",
    [
        (0, [0, 1]),
        (1, [0, 1]),
        (3, [0, 1, 2, 3]),
        (7, [0, 2, 4, 6, 8]),
        (18, [0, 5, 10, 15, 20]),
        (90, [0, 25, 50, 75, 100]),
        (1000, [0, 250, 500, 750, 1000]),
        (1001, [0, 500, 1000, 1500]),
    ],
)
def test_nice_ticks(largest, expected):
    assert nice_ticks(largest) == expected


# Cost -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_dashboard_costs_the_same_with_18_or_hundreds(
    client, portfolio, django_assert_max_num_queries
):
    portfolio(18)
    # Every card has something in it, small or large: an upcoming deadline too.
    soon = make_commitment(deadline=TODAY + datetime.timedelta(days=30), deadline_precision="day")
    make_published_update(soon, status="in_progress")
    Commitment.objects.filter(pk__in=Commitment.objects.values("pk")[:2]).update(
        event=make_event(), dashboard_position=1
    )
    with django_assert_max_num_queries(100) as small:
        assert client.get("/").status_code == 200
    portfolio(300)
    editor = make_editor()
    for commitment in Commitment.objects.all()[:50]:
        for day in range(4):
            make_published_update(
                commitment,
                by=editor,
                status="delayed",
                progress_value=Decimal(day),
                as_of=SUMMIT_DAY + datetime.timedelta(days=40 + day),
            )
    Commitment.objects.filter(pk__in=Commitment.objects.values("pk")[20:40]).update(
        event=make_event()
    )
    with django_assert_max_num_queries(len(small)):
        response = client.get("/")
    assert len(response.context["headline"]) == HEADLINE_LENGTH
    assert len(response.context["recent_changes"]) <= 8


# The cached page ------------------------------------------------------------------------------


@pytest.mark.usefixtures("shared_cache")
def test_the_cached_dashboard_follows_editors_at_once(client, seeded):
    """The dashboard is served from the public cache; editing the headline order or an event
    invalidates it like any other public change."""
    first = meters(client.get("/").content.decode())[0][0]
    assert first.startswith("¥10 trillion")
    skilled = Commitment.objects.get(pk=14)
    skilled.dashboard_position = 1
    skilled.save()
    assert meters(client.get("/").content.decode())[0][0] == "50,000 skilled professionals to Japan"
    event = Event.objects.get()
    event.location = "Tokyo and Sendai, Japan"
    event.save()
    assert "Summit, Tokyo and Sendai, Japan, 29–30 August 2025" in tracked_line(client)


def test_status_distribution_shares_add_up(client, seeded):
    editor = make_editor()
    for slug, status in [
        ("chandrayaan-5", "in_progress"),
        ("joint-crediting-mechanism", "delayed"),
    ]:
        make_published_update(Commitment.objects.get(slug=slug), by=editor, status=status)
    response = client.get("/")
    segments = response.context["distribution"]
    assert [(s["status"].value, s["count"], s["share"]) for s in segments] == [
        ("announced", 16, 89),  # 88.9, 5.6, 5.6: rounded each would make 101
        ("in_progress", 1, 6),
        ("delayed", 1, 5),
    ]
    assert segments[1]["x"] == segments[0]["width"]
    caption = text(section(response.content.decode(), "by-status"))
    assert "89 % announced · 6 % in progress · 5 % delayed" in caption
    assert "None yet: Stalled, Partially achieved, Achieved, Abandoned." in caption


def test_as_of_a_day_the_meters_show_that_days_figures(client, seeded):
    skilled = Commitment.objects.get(pk=14)
    make_published_update(
        skilled,
        by=make_editor(),
        status="in_progress",
        progress_value=6000,
        as_of=datetime.date(2026, 3, 31),
    )
    before = dict(meters(client.get("/?as_of=2026-03-30").content.decode()))
    after = dict(meters(client.get("/?as_of=2026-04-01").content.decode()))
    assert before["50,000 skilled professionals to Japan"].startswith(
        "No progress figure published yet"
    )
    assert after["50,000 skilled professionals to Japan"].startswith("12 % 6,000 of 50,000")


def test_a_chart_of_one_month_still_has_its_axes():
    from commitments.charts import stacked_chart

    statuses = list(UpdateStatus)
    row = {
        "month_end": TODAY,
        "counts": {s.value: (5 if s.value == "achieved" else 0) for s in statuses},
        "total": 5,
    }
    for layout in STACKED_LAYOUTS:
        chart = stacked_chart([row], statuses, layout)
        assert [t["value"] for t in chart["y_ticks"]] == [0, 2, 4, 6]
        assert chart["bars"][0]["label"] == TODAY.strftime("%b")
        assert chart["bars"][0]["year"] == str(TODAY.year)
        assert [(d["count"], d["label"]) for d in chart["direct"]] == [(5, "Achieved")]
        assert chart["bars"][0]["x"] + chart["bars"][0]["width"] < chart["direct_x"]
        assert chart["direct_x"] < layout.width
