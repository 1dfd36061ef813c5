"""The progress report reads as a briefing (issue 13): a summary first, a few updates per
commitment with the rest in the spreadsheet, the same cost with 10 or 1,000 updates."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.conf import settings
from pypdf import PdfReader

from commitments.models import Commitment
from commitments.reports import UPDATES_PER_COMMITMENT
from tests.factories import make_editor, make_published_update, make_source

pytestmark = pytest.mark.usefixtures("seeded")
PERIOD = "?from=2025-08-29&to=2026-11-28"


@pytest.fixture
def busy(db):
    """Chandrayaan-5 with 12 more updates in the period, one of them a delay."""
    editor = make_editor()
    chandrayaan = Commitment.objects.get(slug="chandrayaan-5")
    for n in range(12):
        make_published_update(
            chandrayaan,
            by=editor,
            as_of=datetime.date(2026, 1, 1) + datetime.timedelta(days=20 * n),
            status="delayed" if n == 11 else "in_progress",
            summary=f"Mission step {n + 1}",
        )
    return chandrayaan


def test_the_pdf_opens_with_a_summary_a_reader_understands(client, busy):
    pdf = client.get(f"/reports/progress/{PERIOD}&format=pdf").content
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]
    first = pages[0]
    assert "Summary" in first and "Highlights" in first
    assert "18 public commitments by 10 parties, made at 15th India–Japan Annual Summit" in first
    assert "the end of 28 August 2025, the day before the period begins" in first
    assert "18 commitments announced in the period." in first
    assert "Delayed in the period: “Chandrayaan-5 joint lunar mission”." in first
    assert "commitments" in first  # the chart's axis says what it counts
    assert "Page 1 of" in first
    assert "By sector" in pages[1]  # the detail starts on a page of its own
    assert all("Progress report, 29 August 2025 to 28 November 2026" in p for p in pages[1:])


def test_a_few_updates_per_commitment_and_the_rest_in_the_spreadsheet(client, busy):
    response = client.get(f"/reports/progress/{PERIOD}")
    html = response.content.decode()
    group = next(g for g in response.context["report"].changed if g.commitment == busy)
    assert [c.update.summary for c in group.changes] == [
        "Mission step 12",
        "Mission step 11",
        "Mission step 10",
    ][:UPDATES_PER_COMMITMENT]
    assert group.total == 13 and group.more == 10
    assert "And 10 more updates in the spreadsheet." in html
    assert "Mission step 9" not in html
    assert "In progress → Delayed" in html  # the status before the newest shown
    rows = list(
        csv.DictReader(
            io.StringIO(
                b"".join(client.get(f"/reports/progress/{PERIOD}&format=csv")).decode("utf-8-sig")
            )
        )
    )
    mission = [row for row in rows if row["summary"].startswith("Mission step")]
    assert len(mission) == 12
    assert mission[0]["previous_status"] == "Announced"
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/reports/progress/{PERIOD}&format=xlsx").content)
    )
    summaries = [row[6] for row in workbook["Updates"].iter_rows(min_row=2, values_only=True)]
    assert len(summaries) == 18 + 12


def test_the_report_costs_the_same_with_more_updates(client, busy, django_assert_max_num_queries):
    editor = make_editor()
    shared = make_source(title="The shared monthly return")

    def add(count):
        for slug in ("mou-space", "joint-crediting-mechanism"):
            commitment = Commitment.objects.get(slug=slug)
            for _ in range(count):
                make_published_update(
                    commitment, by=editor, as_of=datetime.date(2026, 3, 1), sources=[shared]
                )

    add(5)  # more than a commitment shows already
    with django_assert_max_num_queries(100) as before:
        small = client.get(f"/reports/progress/{PERIOD}")
    add(40)
    with django_assert_max_num_queries(len(before.captured_queries)):
        large = client.get(f"/reports/progress/{PERIOD}")
    assert len(large.content) <= 1.05 * len(small.content)


def test_a_report_for_one_event(client, busy):
    report = client.get(f"/reports/progress/{PERIOD}&event=india-japan-annual-summit-2025").context[
        "report"
    ]
    assert len(report.commitments) == 18
    assert report.scope_label == "15th India–Japan Annual Summit"
    html = client.get(f"/reports/progress/{PERIOD}&event=nothing").content.decode()
    assert "Select a valid choice." in html


def test_the_report_names_its_citable_address(client, busy):
    html = client.get(f"/reports/progress/{PERIOD}&sector=space").content.decode()
    assert (
        settings.SITE_URL + "/reports/progress/?from=2025-08-29&amp;to=2026-11-28&amp;sector=space"
        in html
    )
