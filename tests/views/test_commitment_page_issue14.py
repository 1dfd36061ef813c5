"""The commitment page of issue 14: how fresh it is beside its status, cite / share / follow,
Open Graph and Twitter card metadata, roll-ups that read (and chart) as the sum of their
parts, and a chart with an axis and direct labels. At the frozen instant of the suite
(tests/factories.py: 28 November 2026, noon UTC)."""

import datetime
import html
import itertools
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments import standing
from commitments.charts import CHART_FONT, place_labels, text_width
from commitments.models import Commitment
from commitments.progress import Point, project_completion
from commitments.templatetags.tracker import age_in_words
from tests.factories import (
    SUMMIT_DAY,
    TODAY,
    make_commitment,
    make_editor,
    make_published_update,
    make_update,
)

SITE = settings.SITE_URL  # every absolute address on a page is the site's own

pytestmark = pytest.mark.django_db

FIVE_LAKH = "/commitments/five-lakh-indians-to-japan/"
SKILLED = "fifty-thousand-skilled-professionals"


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def text_of(content: str) -> str:
    """The page's words, spaces folded: inline tags taken out, others read as a space."""
    inline = re.sub(r"</?(?:a|time|span|strong|em|code|label)\b[^>]*>", "", content)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inline)).split())


def meta(content: str, key: str) -> str:
    """The content of `<meta property|name="key">` (exactly one)."""
    found = re.findall(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', content)
    assert len(found) == 1, (key, found)
    return html.unescape(found[0])


def header(content: str) -> str:
    return content.split('<header class="commitment-header">', 1)[1].split("</header>", 1)[0]


# Freshness, beside the status


def test_a_stale_page_says_since_when_beside_its_status(client, seeded):
    content = page(client, "/commitments/chandrayaan-5/")
    top = text_of(header(content))
    assert "Stale No update since 29 Aug 2025 — 15 months" in top
    assert "nothing new in more than 180 days" in top
    # Above the fold: in the page's header, before the first section of the page.
    assert content.index('class="freshness is-stale"') < content.index('class="detail-layout"')


def test_a_fresh_page_says_how_many_days_ago(client, seeded):
    chandrayaan = Commitment.objects.get(slug="chandrayaan-5")
    make_published_update(chandrayaan, by=make_editor(), as_of=TODAY - datetime.timedelta(days=3))
    top = text_of(header(page(client, "/commitments/chandrayaan-5/")))
    assert "Updated 3 days ago (25 Nov 2026)" in top
    assert "Stale" not in top


def test_updated_today_and_yesterday(client):
    commitment = make_commitment()
    make_published_update(commitment, as_of=TODAY)
    assert "Updated today (28 Nov 2026)" in text_of(page(client, commitment.get_absolute_url()))
    other = make_commitment()
    make_published_update(other, as_of=TODAY - datetime.timedelta(days=1))
    assert "Updated yesterday (27 Nov 2026)" in text_of(page(client, other.get_absolute_url()))


@pytest.mark.parametrize(("days", "stale"), [(179, False), (180, False), (181, True)])
def test_the_page_and_the_dashboard_flag_staleness_by_one_rule(client, days, stale):
    commitment = make_commitment(title="Edge of staleness")
    make_published_update(commitment, as_of=TODAY - datetime.timedelta(days=days))
    commitment.refresh_from_db()
    assert commitment.is_stale is stale
    assert (commitment in Commitment.objects.public().stale()) is stale
    content = page(client, commitment.get_absolute_url())
    assert ('class="freshness is-stale"' in content) is stale
    dashboard = client.get("/").context
    assert (commitment in list(dashboard["stale"])) is stale


def test_a_closed_commitment_is_never_stale(client):
    commitment = make_commitment()
    make_published_update(commitment, status="achieved", as_of=SUMMIT_DAY)
    commitment.refresh_from_db()
    assert not commitment.is_stale
    top = text_of(header(page(client, commitment.get_absolute_url())))
    assert "Updated 15 months ago (29 Aug 2025)" in top and "Stale" not in top


def test_as_of_a_day_freshness_is_counted_to_that_day(client, seeded):
    chandrayaan = Commitment.objects.get(slug="chandrayaan-5")
    make_published_update(chandrayaan, by=make_editor(), as_of=datetime.date(2026, 5, 1))
    top = text_of(header(page(client, "/commitments/chandrayaan-5/?as_of=2026-05-11")))
    assert "Updated 10 days before then (1 May 2026)" in top
    top = text_of(header(page(client, "/commitments/chandrayaan-5/?as_of=2026-04-30")))
    assert "No update since 29 Aug 2025 — 8 months by then" in top


@pytest.mark.parametrize(
    ("days", "words"),
    [(0, "today"), (1, "yesterday"), (2, "2 days"), (59, "59 days"), (61, "2 months")],
)
def test_ages_in_words(days, words):
    assert age_in_words(TODAY - datetime.timedelta(days=days), TODAY) == words


def test_long_ages_in_months_then_years():
    assert age_in_words(SUMMIT_DAY, TODAY) == "15 months"
    assert age_in_words(TODAY - datetime.timedelta(days=700), TODAY) == "23 months"
    assert age_in_words(TODAY - datetime.timedelta(days=800), TODAY) == "2 years"


# Cite this page


def test_the_page_gives_a_plain_citation_with_the_access_date(client, seeded):
    content = page(client, "/commitments/chandrayaan-5/")
    assert (
        "Commitment tracker. “Chandrayaan-5 joint lunar mission.” Status on 28 November 2026: "
        "Announced (last update 29 August 2025). " + SITE + "/commitments/chandrayaan-5/ "
        "(accessed 28 November 2026)."
    ) in text_of(content)
    assert 'href="/commitments/chandrayaan-5/cite.bib"' in content
    assert 'href="/commitments/chandrayaan-5/cite.ris"' in content


def bibtex_fields(text: str) -> tuple[str, str, dict]:
    """(entry type, key, {field: value}) of one BibTeX entry, braces taken off."""
    match = re.fullmatch(r"@(\w+)\{([^,\s]+),\n(.*)\n\}\n", text, re.S)
    assert match, text
    fields = {}
    for line in match.group(3).split(",\n"):
        name, value = line.strip().split(" = ", 1)
        if value.startswith("{"):
            assert value.endswith("}") and value.count("{") == value.count("}"), line
            value = value[1:-1]
        fields[name] = value
    return match.group(1), match.group(2), fields


def test_bibtex_download(client, seeded):
    response = client.get("/commitments/chandrayaan-5/cite.bib")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="chandrayaan-5.bib"'
    kind, key, fields = bibtex_fields(response.content.decode())
    assert kind == "misc" and key == "chandrayaan-5-20261128"
    assert fields["title"] == "{Chandrayaan-5 joint lunar mission}"
    assert fields["author"] == "{Commitment tracker}"
    assert fields["year"] == "2026" and fields["month"] == "nov"
    assert fields["url"] == SITE + "/commitments/chandrayaan-5/"
    assert fields["urldate"] == "2026-11-28"
    assert "Status on 28 November 2026: Announced" in fields["note"]
    assert "Accessed 28 November 2026" in fields["note"]


def ris_fields(text: str) -> list[tuple[str, str]]:
    assert text.endswith("ER  - \r\n")
    lines = text.split("\r\n")[:-1]
    pairs = []
    for line in lines:
        match = re.fullmatch(r"([A-Z][A-Z0-9])  - (.*)", line)
        assert match, line
        pairs.append((match.group(1), match.group(2)))
    return pairs


def test_ris_download(client, seeded):
    response = client.get("/commitments/chandrayaan-5/cite.ris")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="chandrayaan-5.ris"'
    pairs = ris_fields(response.content.decode())
    fields = dict(pairs)
    assert pairs[0] == ("TY", "ELEC") and pairs[-1] == ("ER", "")
    assert fields["TI"] == "Chandrayaan-5 joint lunar mission"
    assert fields["AU"] == "Commitment tracker"
    assert fields["UR"] == SITE + "/commitments/chandrayaan-5/"
    assert fields["Y2"] == "2026/11/28/"  # accessed
    assert fields["DA"] == "2026/11/28/"
    assert fields["N1"].startswith("Status on 28 November 2026: Announced")


def test_citations_honour_as_of(client, seeded):
    chandrayaan = Commitment.objects.get(slug="chandrayaan-5")
    make_published_update(
        chandrayaan, by=make_editor(), status="delayed", as_of=datetime.date(2026, 7, 1)
    )
    query = "?as_of=2026-06-01"
    content = page(client, f"/commitments/chandrayaan-5/{query}")
    assert (
        "Status on 1 June 2026: Announced (last update 29 August 2025). "
        + SITE
        + "/commitments/chandrayaan-5/?as_of=2026-06-01 (accessed 28 November 2026)"
    ) in text_of(content)
    assert 'href="/commitments/chandrayaan-5/cite.bib?as_of=2026-06-01"' in content
    response = client.get(f"/commitments/chandrayaan-5/cite.bib{query}")
    assert response["Content-Disposition"].endswith('filename="chandrayaan-5-as-of-2026-06-01.bib"')
    _, _, fields = bibtex_fields(response.content.decode())
    assert fields["url"] == SITE + "/commitments/chandrayaan-5/?as_of=2026-06-01"
    assert fields["year"] == "2026" and fields["month"] == "jun"
    assert "Status on 1 June 2026: Announced" in fields["note"]
    fields = dict(
        ris_fields(client.get(f"/commitments/chandrayaan-5/cite.ris{query}").content.decode())
    )
    assert fields["N1"].startswith("Status on 1 June 2026: Announced")
    assert fields["Y2"] == "2026/11/28/"
    # Today, the status is the later one.
    today = dict(ris_fields(client.get("/commitments/chandrayaan-5/cite.ris").content.decode()))
    assert today["N1"].startswith("Status on 28 November 2026: Delayed")


@pytest.mark.parametrize("as_of", ["not-a-date", "2031-01-01", "0001-01-01", "2025-01-01"])
def test_citations_of_a_bad_or_early_day_are_today_s(client, seeded, as_of):
    response = client.get(f"/commitments/chandrayaan-5/cite.ris?as_of={as_of}")
    assert response.status_code == 200
    assert "Status on 28 November 2026" in response.content.decode()


@pytest.mark.parametrize("suffix", ["", "cite.bib", "cite.ris", "cite.bib?as_of=2026-06-01"])
def test_a_commitment_that_is_not_public_has_no_citation(client, suffix):
    hidden = make_commitment(slug="not-yet-public")
    make_update(hidden, summary="A draft")  # a draft
    assert client.get(f"/commitments/not-yet-public/{suffix}").status_code == 404
    assert client.get(f"/commitments/no-such-thing/{suffix}").status_code == 404


def test_bibtex_escapes_what_latex_would_read(client):
    commitment = make_commitment(slug="odd-title", title="100% of {ports} & rail_links #1")
    make_published_update(commitment)
    _, _, fields = bibtex_fields(client.get("/commitments/odd-title/cite.bib").content.decode())
    assert fields["title"] == (
        r"{100\% of \textbraceleft{}ports\textbraceright{} \& rail\_links \#1}"
    )


def test_an_unbalanced_brace_in_a_title_cannot_end_a_bibtex_field(client):
    """BibTeX counts \\{ and \\} as braces too: a title with one `}` ended its field early
    and spilled the rest into a new record."""
    commitment = make_commitment(slug="evil", title="Evil}} @misc{pwn, title={Injected} x")
    make_published_update(commitment)
    text = client.get("/commitments/evil/cite.bib").content.decode()
    assert text.count("{") == text.count("}")
    assert [line for line in text.splitlines() if line.startswith("@")] == ["@misc{evil-20261128,"]
    _, key, fields = bibtex_fields(text)
    assert key == "evil-20261128"
    assert "Injected" in fields["title"] and "textbraceright" in fields["title"]


def test_the_bibtex_key_of_a_past_day_keeps_the_slug(client, seeded):
    text = client.get("/commitments/chandrayaan-5/cite.bib?as_of=2026-06-01").content.decode()
    _, key, _ = bibtex_fields(text)
    assert key == "chandrayaan-5-20260601"


# Share


def test_share_links_are_plain_encoded_and_carry_no_tracking(client):
    commitment = make_commitment(slug="ports-rail", title="Ports & rail: 100% done?")
    make_published_update(commitment, status="in_progress")
    response = client.get("/commitments/ports-rail/")
    content = response.content.decode()
    url = SITE + "/commitments/ports-rail/"
    links = dict(response.context["share_links"])
    assert set(links) == {"E-mail", "X (Twitter)", "Facebook", "LinkedIn", "WhatsApp"}
    for name, href in links.items():
        assert f'<a href="{html.escape(href)}" rel="noopener noreferrer">{name}</a>' in content
        assert "utm_" not in href
    mail = urlsplit(links["E-mail"])
    assert mail.scheme == "mailto" and "+" not in mail.query  # spaces are %20 in mailto:
    mail_query = parse_qs(mail.query)
    assert mail_query["subject"] == ["Ports & rail: 100% done?"]
    assert mail_query["body"] == [f"Ports & rail: 100% done?: In progress\n\n{url}"]
    tweet = urlsplit(links["X (Twitter)"])
    assert tweet.netloc == "twitter.com"
    assert parse_qs(tweet.query) == {
        "text": ["Ports & rail: 100% done?: In progress"],
        "url": [url],
    }
    assert parse_qs(urlsplit(links["Facebook"]).query) == {"u": [url]}
    assert parse_qs(urlsplit(links["LinkedIn"]).query) == {"url": [url]}
    assert parse_qs(urlsplit(links["WhatsApp"]).query) == {
        "text": [f"Ports & rail: 100% done?: In progress {url}"]
    }
    # No script from anywhere else.
    assert "<script" in content
    assert all('src="/static/' in tag for tag in re.findall(r"<script[^>]*>", content))
    # The page's address, in a field to copy (a "Copy" button comes with site.js).
    assert (
        f'id="page-address" class="copy-field" type="url" value="{url}" readonly data-copy'
        in content
    )


# Open Graph and Twitter card


def test_open_graph_and_twitter_card(client, seeded):
    skilled = Commitment.objects.get(slug=SKILLED)
    make_published_update(skilled, by=make_editor(), progress_value=6000, as_of=TODAY)
    content = page(client, f"/commitments/{SKILLED}/")
    url = f"{SITE}/commitments/{SKILLED}/"
    assert f'<link rel="canonical" href="{url}">' in content
    assert meta(content, "og:type") == "article"
    assert meta(content, "og:site_name") == "Commitment tracker"
    assert meta(content, "og:title") == "50,000 skilled professionals to Japan"
    assert meta(content, "og:url") == url
    description = meta(content, "og:description")
    assert description.startswith(skilled.summary)
    assert description.endswith(
        "Status: In progress. Progress: 6,000 people of 50,000 people (12 %)."
    )
    assert meta(content, "twitter:card") == "summary"
    assert meta(content, "twitter:title") == "50,000 skilled professionals to Japan"
    assert meta(content, "twitter:description") == description
    # In the head, not the body.
    head = content.split("</head>", 1)[0]
    assert 'property="og:title"' in head and 'name="twitter:card"' in head


def test_open_graph_of_a_past_day_and_of_a_commitment_without_target(client, seeded):
    content = page(client, "/commitments/chandrayaan-5/?as_of=2026-06-01")
    assert meta(content, "og:url") == SITE + "/commitments/chandrayaan-5/?as_of=2026-06-01"
    assert meta(content, "og:description").endswith("Status on 1 June 2026: Announced.")
    content = page(client, "/commitments/chandrayaan-5/?updates=2")
    assert meta(content, "og:url") == SITE + "/commitments/chandrayaan-5/"


def test_metadata_is_escaped(client):
    commitment = make_commitment(slug="quotes", title='The "big" <deal>', summary="A & B.")
    make_published_update(commitment)
    content = page(client, "/commitments/quotes/")
    assert '<meta property="og:title" content="The &quot;big&quot; &lt;deal&gt;">' in content
    assert meta(content, "og:description").startswith("A & B. Status: In progress.")


# Follow


def test_the_follow_block_explains_the_feed(client, seeded):
    content = page(client, "/commitments/chandrayaan-5/")
    block = content.split('aria-labelledby="follow-heading"', 1)[1].split("</section>", 1)[0]
    words = text_of(block)
    assert "feed reader" in words
    assert "Copy this address into your feed reader" in words
    feed = SITE + "/commitments/chandrayaan-5/feed.atom"
    assert f'value="{feed}" readonly data-copy="the feed\'s address"' in block
    assert 'href="/commitments/chandrayaan-5/feed.atom"' in block
    assert "Follow (Atom feed)" not in content
    assert client.get("/commitments/chandrayaan-5/feed.atom").status_code == 200


# Roll-ups


@pytest.fixture
def rollup(seeded):
    """The 5 lakh parent with its 50,000 part (6,000 then 9,000) and a second counting part
    (1,000 then 3,000), plus a part that does not count (another unit)."""
    editor = make_editor()
    parent = Commitment.objects.get(slug="five-lakh-indians-to-japan")
    skilled = Commitment.objects.get(slug=SKILLED)
    students = make_commitment(
        title="Students to Japan",
        slug="students-to-japan",
        parent=parent,
        counts_toward_parent=True,
        target_value=Decimal(100000),
        target_unit="people",
        deadline=datetime.date(2030, 12, 31),
        deadline_precision="year",
    )
    aside = make_commitment(
        title="Japanese language centres",
        slug="language-centres",
        parent=parent,
        counts_toward_parent=False,
        target_value=Decimal(100),
        target_unit="count",
    )
    make_published_update(skilled, by=editor, progress_value=6000, as_of=datetime.date(2026, 3, 31))
    make_published_update(
        students, by=editor, progress_value=1000, as_of=datetime.date(2026, 3, 31)
    )
    make_published_update(
        students, by=editor, progress_value=3000, as_of=datetime.date(2026, 6, 30)
    )
    make_published_update(skilled, by=editor, progress_value=9000, as_of=datetime.date(2026, 9, 30))
    make_published_update(aside, by=editor, progress_value=40, as_of=datetime.date(2026, 9, 30))
    parent.refresh_from_db()
    return parent


EXPECTED_SUMS = [
    Point(SUMMIT_DAY, Decimal(0)),  # the baseline
    Point(datetime.date(2026, 3, 31), Decimal(7000)),  # both parts on one day: one point
    Point(datetime.date(2026, 6, 30), Decimal(9000)),
    Point(datetime.date(2026, 9, 30), Decimal(12000)),
]


def test_a_roll_up_charts_the_sum_of_its_parts(client, rollup):
    assert rollup.progress_from_parts and rollup.effective_progress == 12000
    assert standing.summed_part_points(rollup) == EXPECTED_SUMS[1:]
    response = client.get(FIVE_LAKH)
    chart = response.context["chart"]
    assert chart.from_parts
    assert [(row["day"], row["value"]) for row in chart.rows] == [
        (p.day, p.value) for p in EXPECTED_SUMS
    ]
    assert len(chart.dots) == 4
    # The last point is the progress the page states, and the projection reads the same line.
    assert chart.rows[-1]["value"] == rollup.effective_progress
    projection = response.context["projection"]
    assert projection == project_completion(EXPECTED_SUMS, rollup.target_value)
    assert projection.day is not None
    words = text_of(response.content.decode())
    assert f"Reached around {projection.day:%B %Y}" in words
    assert "Sum of its parts" in response.content.decode()  # the table's column


def test_a_roll_up_as_of_a_day_sums_the_figures_up_to_then(client, rollup):
    response = client.get(f"{FIVE_LAKH}?as_of=2026-07-15")
    rows = [(row["day"], row["value"]) for row in response.context["chart"].rows]
    assert rows == [(p.day, p.value) for p in EXPECTED_SUMS[:3]]
    assert response.context["commitment"].effective_progress == 9000


def test_a_roll_up_says_where_its_progress_comes_from(client, rollup):
    content = page(client, FIVE_LAKH)
    words = text_of(content)
    assert (
        "Progress is the sum of its parts' published figures; it has no figure of its own. "
        "2 parts count toward this target: 50,000 skilled professionals to Japan, 9,000 people; "
        "Students to Japan, 3,000 people: together 12,000 people."
    ) in words
    # Its own status stays the one truth, and the page says why figures sit beside it.
    top = text_of(header(content))
    assert "Announced" in top
    assert (
        "That is the status of the commitment as a whole, from its own published updates. "
        "Its parts report progress: 12,000 people (2 % of the target) so far"
    ) in top


def test_each_part_is_listed_once(client, rollup):
    content = page(client, FIVE_LAKH)
    parts = content.split('class="parts-list"', 1)[1].split("</ul>", 1)[0]
    for slug in (SKILLED, "students-to-japan", "language-centres"):
        item = f'<li><a href="/commitments/{slug}/">'
        assert content.count(item) == 1 and item in parts, slug
    words = text_of(parts)
    assert "Counts toward this target: 9,000 people of 50,000 people" in words
    assert "Japanese language centres" in words
    assert words.count("Counts toward this target") == 2  # not the language centres


def test_a_single_part_roll_up(client, seeded):
    skilled = Commitment.objects.get(slug=SKILLED)
    make_published_update(skilled, by=make_editor(), progress_value=6000, as_of=TODAY)
    words = text_of(page(client, FIVE_LAKH))
    assert (
        "One part counts toward this target: 50,000 skilled professionals to Japan, 6,000 people."
    ) in words
    assert "together" not in words


def test_a_parent_with_its_own_figure_charts_its_own(client, rollup):
    make_published_update(rollup, by=make_editor(), progress_value=20000, as_of=TODAY)
    response = client.get(FIVE_LAKH)
    chart = response.context["chart"]
    assert not chart.from_parts
    assert [row["value"] for row in chart.rows] == [0, 20000]
    assert "Progress is the sum of its parts" not in response.content.decode()


def test_the_roll_up_page_costs_the_same_with_more_parts_and_updates(client, seeded):
    parent = Commitment.objects.get(slug="five-lakh-indians-to-japan")
    editor = make_editor()

    def add_part(n, updates):
        part = make_commitment(
            parent=parent,
            counts_toward_parent=True,
            target_value=Decimal(1000),
            target_unit="people",
        )
        for day in range(updates):
            make_published_update(
                part,
                by=editor,
                progress_value=n + day,
                as_of=SUMMIT_DAY + datetime.timedelta(days=10 * day + n),
            )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(FIVE_LAKH).status_code == 200
        return len(captured.captured_queries)

    add_part(1, 1)
    small = queries()
    for n in range(2, 7):
        add_part(n, 8)
    assert queries() == small


# The chart


def test_the_chart_has_a_value_axis_and_direct_labels(client, rollup):
    content = page(client, FIVE_LAKH)
    svg = content.split('<svg viewBox="0 0 360 240"', 1)[1].split("</svg>", 1)[0]
    labels = [html.unescape(t) for t in re.findall(r"<text [^>]*>([^<]*)</text>", svg)]
    # The value axis: round steps from 0 to the target.
    for value in ("0", "1 lakh", "2 lakh", "3 lakh", "4 lakh", "5 lakh"):
        assert value in labels
    assert "Target 5 lakh" in labels and "Expected" in labels and "Today" in labels
    assert {"2026", "2027", "2028", "2029", "2030"} <= set(labels)
    assert 'class="today-line"' in svg
    # Its data table is kept, outside the figure (a figcaption ends the figure).
    figure = content.split('<figure class="chart progress-chart"', 1)[1].split("</figure>", 1)[0]
    assert figure.rstrip().endswith("</figcaption>")
    assert "<details" not in figure
    assert "The figures as a table" in content


def test_the_chart_of_a_past_day_marks_that_day(client, rollup):
    content = page(client, f"{FIVE_LAKH}?as_of=2026-07-15")
    assert ">15 Jul 2026</text>" in content and ">Today</text>" not in content


def test_year_labels_never_overlap_and_years_come_first():
    left, right = 8, 352
    candidates = [(40.0, "2026"), (70.0, "2027"), (100.0, "2028"), (351, "2029"), (8, "Aug 2025")]
    placed = place_labels(candidates, left, right)
    texts = [text for _, text, _ in placed]
    assert texts == ["2026", "2028", "2029"]  # 2027 too close to 2026; no room for Aug 2025
    spans = []
    for x, text, anchor in placed:
        width = text_width(text)
        start = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
        assert left <= start and start + width <= right, text
        spans.append((start, start + width))
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert start >= end + 8
    assert text_width("2026") == 4 * CHART_FONT * 0.62
    # With room, the starting month is written too, at the left edge.
    roomy = place_labels([(200.0, "2026"), (8, "Aug 2025")], left, right)
    assert roomy == [(8, "Aug 2025", "start"), (200.0, "2026", "middle")]


def test_the_percent_meter_is_a_bar_not_a_sliver(client, rollup):
    content = page(client, FIVE_LAKH)
    assert '<span class="progress-meter">12,000 people <span class="progress">' in content


def test_absolute_addresses_are_the_site_s_whatever_host_the_request_named(
    client, seeded, settings
):
    settings.SITE_URL = "https://tracker.example.org"
    settings.ALLOWED_HOSTS = ["tracker.example.org", "www.tracker.example.org"]
    address = "https://tracker.example.org/commitments/chandrayaan-5/"
    content = client.get(
        "/commitments/chandrayaan-5/", HTTP_HOST="www.tracker.example.org"
    ).content.decode()
    assert meta(content, "og:url") == address
    assert f'<link rel="canonical" href="{address}">' in content
    assert (
        f"&lt;a href=&quot;{address}&quot;&gt;" in content
        or f'&lt;a href="{address}"&gt;' in content
    )
    assert "www.tracker" not in content
    ris = client.get(
        "/commitments/chandrayaan-5/cite.ris", HTTP_HOST="www.tracker.example.org"
    ).content.decode()
    assert f"UR  - {address}\r\n" in ris


def test_citations_answer_head_and_refuse_post(client, seeded):
    assert client.head("/commitments/chandrayaan-5/cite.bib").status_code == 200
    assert client.post("/commitments/chandrayaan-5/cite.bib").status_code == 405
