"""Exports, feeds and badges, read back with real readers."""

import csv
import datetime
import io

import feedparser
import openpyxl
import pytest
from django.conf import settings

from commitments import citations
from commitments.exports import published_update_rows
from commitments.models import Commitment, StatusUpdate
from tests.factories import (
    make_commitment,
    make_editor,
    make_published_update,
    make_source,
)

pytestmark = pytest.mark.usefixtures("seeded")


def read_csv(content: bytes):
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_list_csv_exports_every_row_of_the_filtered_sorted_view(client):
    for _ in range(30):
        make_published_update(make_commitment(sector=Commitment.objects.first().sector))
    response = client.get("/commitments/?sort=-title&_export=csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="commitments.csv"'
    rows = read_csv(response.content)
    assert len(rows) == 48  # all rows, not the 25 on screen
    titles = [row["Commitment"] for row in rows]
    assert titles == sorted(titles, reverse=True)
    space = read_csv(client.get("/commitments/?sector=space&_export=csv").content)
    assert [row["Commitment"] for row in space] == [
        "Chandrayaan-5 joint lunar mission",
        "MoU on space",
    ]
    assert space[0]["Status"] == "Announced"
    assert space[0]["Parties"] == "ISRO ↔ JAXA, Japan"
    assert "<" not in response.content.decode()  # plain values, no HTML


def test_list_xlsx_cells_are_typed(client):
    skilled = Commitment.objects.get(slug="fifty-thousand-skilled-professionals")
    make_published_update(skilled, progress_value=9000, as_of=datetime.date(2026, 8, 31))
    response = client.get("/commitments/?sector=people-skills&_export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    rows = [dict(zip(header, (c for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    row = next(r for r in rows if r["Commitment"].value == "50,000 skilled professionals to Japan")
    assert row["Deadline"].is_date
    assert row["Deadline"].value.date() == datetime.date(2030, 12, 31)
    assert row["Last update"].is_date
    assert row["Target value"].data_type == "n"
    assert row["Target value"].value == 50000
    assert row["Progress value"].value == 9000
    assert row["Progress (%)"].value == 18
    assert row["Pace"].value in {"Behind pace", "On pace", "Ahead of pace"}


def test_list_json_export(client):
    import json

    data = json.loads(client.get("/commitments/?party=gujarat&_export=json").content)
    assert [row["Commitment"] for row in data] == ["Gujarat–Shizuoka state–prefecture partnership"]


@pytest.mark.parametrize(
    "hostile", ['=HYPERLINK("http://evil.example","click")', "+1", "-1+1", "@SUM(A1:A2)", "\t=1"]
)
def test_formula_injection_is_neutralised(client, hostile):
    commitment = make_commitment(title=hostile, target_value=100, target_unit="count")
    make_published_update(commitment, summary=hostile, progress_value=40)
    rows = read_csv(client.get("/commitments/?_export=csv").content)
    row = next(r for r in rows if r["Commitment"].endswith(hostile))
    assert row["Commitment"] == "'" + hostile
    assert row["Target value"] == "100"  # a number, the same on every database
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get("/commitments/?_export=xlsx").content)
    ).active
    cells = [c for r in sheet.iter_rows() for c in r if isinstance(c.value, str)]
    assert all(c.data_type != "f" for c in cells)
    assert any(c.value == "'" + hostile for c in cells)
    updates = read_csv(b"".join(client.get("/updates/export.csv").streaming_content))
    streamed = next(r for r in updates if r["summary"].endswith(hostile))
    assert streamed["summary"] == "'" + hostile
    assert streamed["progress_value"] == "40"  # numbers stay numbers


def test_streamed_updates_csv(client, django_assert_max_num_queries):
    source = make_source(title="Ministry data", url="https://mea.example/data")
    commitment = make_commitment(title="Bulk", target_value=10**6, target_unit="people")
    published_at = datetime.datetime(2025, 9, 2, tzinfo=datetime.UTC)
    updates = StatusUpdate.objects.bulk_create(
        StatusUpdate(
            commitment=commitment,
            as_of=datetime.date(2025, 9, 1),
            status="in_progress",
            summary=f"Batch {i}",
            state="published",
            reviewed_at=published_at,
        )
        for i in range(2500)
    )
    StatusUpdate.sources.through.objects.bulk_create(
        StatusUpdate.sources.through(statusupdate_id=u.pk, source_id=source.pk) for u in updates
    )
    # bulk_create skips the receivers: what generate_sample_data does after it
    citations.refresh(u.pk for u in updates)
    commitment.refresh_standing()
    response = client.get("/updates/export.csv")
    assert response.streaming
    with django_assert_max_num_queries(12):
        rows = read_csv(b"".join(response.streaming_content))
    assert len(rows) == 2500 + 18
    bulk = [r for r in rows if r["commitment"] == "Bulk"]
    assert bulk[0]["sources"] == "Ministry data — https://mea.example/data"
    assert bulk[0]["as_of"] == "2025-09-01"
    assert bulk[0]["published_at"] == published_at.isoformat()


def test_atom_feeds_parse_and_link_back(client):
    editor = make_editor()
    chandrayaan = Commitment.objects.get(slug="chandrayaan-5")
    update = make_published_update(
        chandrayaan, by=editor, status="in_progress", summary="Lander tests done"
    )
    site = feedparser.parse(client.get("/feeds/updates.atom").content)
    assert site.bozo == 0
    assert site.entries[0].title.startswith("Chandrayaan-5 joint lunar mission: In progress")
    assert site.entries[0].link.endswith(f"/updates/{update.pk}/")
    assert len(site.entries) == 19
    one = feedparser.parse(client.get("/commitments/chandrayaan-5/feed.atom").content)
    assert [e.title.split(":")[1].split("(")[0].strip() for e in one.entries] == [
        "In progress",
        "Announced",
    ]
    page = client.get("/commitments/chandrayaan-5/").content.decode()
    assert 'type="application/atom+xml"' in page
    assert "/commitments/chandrayaan-5/feed.atom" in page


@pytest.mark.parametrize("url", ["/feeds/updates.atom", "/commitments/chandrayaan-5/feed.atom"])
def test_a_feed_is_sent_in_one_piece(client, url):
    # The feed writer produced thousands of tiny chunks, each sent (and cached) separately.
    chunks = list(client.get(url))
    assert len(chunks) == 1
    assert chunks[0].startswith(b"<?xml")


def test_badge_svg(client):
    response = client.get("/commitments/five-lakh-indians-to-japan/badge.svg")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "max-age" in response["Cache-Control"]
    svg = response.content.decode()
    assert "Announced" in svg
    assert "<script" not in svg
    assert client.get("/commitments/nope/badge.svg").status_code == 404
    page = client.get("/commitments/five-lakh-indians-to-japan/").content.decode()
    assert "badge.svg" in page and "Copy this into a web page" in page


def test_export_and_feed_queries_do_not_grow(client, django_assert_max_num_queries):
    urls = [
        "/commitments/?_export=csv",
        "/feeds/updates.atom",
        "/commitments/chandrayaan-5/feed.atom",
    ]
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(50) as ctx:
            b"".join(client.get(url))
        counts[url] = len(ctx.captured_queries)
    editor = make_editor()
    chandrayaan = Commitment.objects.get(slug="chandrayaan-5")
    for _ in range(30):
        commitment = make_commitment()
        make_published_update(commitment, by=editor)
        make_published_update(chandrayaan, by=editor)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            b"".join(client.get(url))


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="the COPY export is PostgreSQL's",
)
def test_postgresql_writes_the_same_csv_as_python(client):
    """On PostgreSQL the database writes the export (COPY); it must match the Python rows."""
    editor = make_editor()
    tricky = make_commitment(
        title="=HYPERLINK(1)", target_value=100, target_unit="other", target_unit_label="MW"
    )
    plain = make_commitment(title="apple orchards", target_value=10, target_unit="people")
    no_publisher = make_source(title="+Bare title", url="", published_on=None)
    dated = make_source(title="Dated", publisher="MEA", published_on=datetime.date(2025, 9, 1))
    make_published_update(
        tricky,
        by=editor,
        summary="-5 % drop",
        progress_value="12.5000",
        sources=[dated, no_publisher],
    )
    make_published_update(plain, by=editor, summary="@mention", progress_value=3)
    rows_from_python = [list(row) for row in published_update_rows("http://testserver")]
    response = client.get("/updates/export.csv")
    written = read_csv(b"".join(response.streaming_content))
    assert [list(row.values()) for row in written] == rows_from_python
    mw = next(r for r in written if r["unit"] == "MW")
    assert mw["commitment"] == "'=HYPERLINK(1)"
    assert mw["progress_value"] == "12.5"
    assert mw["summary"] == "'-5 % drop"
    # Undated sources first, as on the pages; parts that are empty are left out.
    assert mw["sources"] == f"'+Bare title | MEA — Dated — {dated.url}"
