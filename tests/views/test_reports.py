"""Progress reports: the page, its PDF, XLSX, CSV and JSON, and the command line."""

import csv
import datetime
import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from commitments.models import Commitment
from tests.factories import make_editor, make_published_update, make_source, make_update

pytestmark = pytest.mark.usefixtures("seeded")
PERIOD = "?from=2025-08-01&to=2026-11-30"


@pytest.fixture
def progress(db, seeded):
    editor = make_editor()
    skilled = Commitment.objects.get(slug="fifty-thousand-skilled-professionals")
    for value, day in [(4000, datetime.date(2026, 2, 28)), (9000, datetime.date(2026, 8, 31))]:
        make_published_update(
            skilled,
            by=editor,
            status="in_progress",
            progress_value=value,
            as_of=day,
            summary=f"{value} placed",
            sources=[make_source(title=f"Placement report {day:%B %Y}")],
        )
    forum = Commitment.objects.get(slug="kansai-business-exchange-forum")
    make_published_update(forum, by=editor, status="achieved", as_of=datetime.date(2026, 5, 1))
    return skilled


def test_the_report_page(client, progress):
    response = client.get("/reports/progress/" + PERIOD)
    assert response.status_code == 200
    report = response.context["report"]
    summary = {row["status"].value: (row["start"], row["end"]) for row in report.summary}
    assert summary["announced"] == (0, 16)
    assert summary["achieved"] == (0, 1)
    assert [c.slug for c in report.achieved] == ["kansai-business-exchange-forum"]
    content = response.content.decode()
    for text in (
        "Summary",
        "Highlights",
        "What changed in the period",
        "Announced → In progress",
        "Behind pace",
        "Placement report February 2026",
        "A Shared Past, a Forward-Looking Future",
    ):
        assert text in content
    for fmt in ("pdf", "xlsx", "csv", "json"):
        assert f"format={fmt}" in content


def test_a_later_period_starts_where_the_earlier_ended(client, progress):
    report = client.get("/reports/progress/?from=2026-06-01&to=2026-11-30").context["report"]
    summary = {row["status"].value: (row["start"], row["end"]) for row in report.summary}
    assert summary["achieved"] == (1, 1)
    assert summary["in_progress"] == (1, 1)
    assert [c.update.summary for c in report.changes] == ["9000 placed"]
    assert report.achieved == []


def test_scope_by_sector_and_party(client, progress):
    report = client.get("/reports/progress/" + PERIOD + "&sector=space").context["report"]
    assert [c.slug for c in report.commitments] == ["chandrayaan-5", "mou-space"]
    report = client.get("/reports/progress/" + PERIOD + "&party=gujarat").context["report"]
    assert [c.slug for c in report.commitments] == ["gujarat-shizuoka-partnership"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?from=2026-12-01&to=2026-01-01", "must be on or after its start"),
        ("?from=yesterday", "Enter a valid date."),
        ("?sector=nowhere", "Select a valid choice."),
        ("?to=2026-02-30", "Enter a valid date."),
    ],
)
def test_bad_parameters_are_explained_and_defaults_used(client, query, message):
    response = client.get("/reports/progress/" + query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["report"].commitments


def test_pdf_briefing(client, progress):
    response = client.get("/reports/progress/" + PERIOD + "&format=pdf")
    assert response["Content-Type"] == "application/pdf"
    assert "progress-report-2025-08-01-to-2026-11-30.pdf" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Progress report" in text
    assert "Chandrayaan-5 joint lunar mission" in text
    assert "Behind pace" in text
    assert "Placement report August 2026" in text
    assert len(reader.pages) >= 2


def test_xlsx_sheets(client, progress):
    response = client.get("/reports/progress/" + PERIOD + "&format=xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Summary", "Commitments", "Updates", "Sources"]
    updates = list(workbook["Updates"].iter_rows(min_row=2, values_only=True))
    placed = next(row for row in updates if row[6] == "9000 placed")
    assert placed[4] == 9000  # a number, not text
    assert isinstance(placed[1], datetime.datetime)
    commitments = {row[0]: row for row in workbook["Commitments"].iter_rows(values_only=True)}
    assert commitments["50,000 skilled professionals to Japan"][11] == "Behind pace"
    parent = "Action plan to send 5 lakh Indians to Japan in five years"
    assert commitments[parent][9] == 9000  # no figure of its own: the sum of its parts


def test_a_parent_reports_the_sum_of_its_parts(client, progress):
    report = client.get("/reports/progress/" + PERIOD).context["report"]
    parent = next(t for t in report.targets if t.commitment.slug == "five-lakh-indians-to-japan")
    assert parent.progress == 9000  # as on the detail page


def test_csv_and_json(client, progress):
    response = client.get("/reports/progress/" + PERIOD + "&format=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response).decode("utf-8-sig"))))
    assert len(rows) == 21
    assert {"commitment", "as_of", "status", "progress_value", "sources"} <= set(rows[0])
    data = json.loads(client.get("/reports/progress/" + PERIOD + "&format=json").content)
    assert data["from"] == "2025-08-01"
    assert data["achieved"] == ["kansai-business-exchange-forum"]
    skilled = next(c for c in data["commitments"] if c["slug"].startswith("fifty"))
    assert skilled["at_end"]["progress"] == "9000"
    assert skilled["pace"] == "Behind pace"


def test_drafts_never_reach_a_report(client, editor):
    marker = "REPORT-DRAFT-MARKER"
    chandrayaan = Commitment.objects.get(slug="chandrayaan-5")
    for state in ("draft", "submitted", "rejected"):
        update = make_update(
            chandrayaan,
            status="achieved",
            summary=marker,
            sources=[make_source(title=marker)],
            as_of=datetime.date(2026, 1, 1),
        )
        if state != "draft":
            update.submit()
        if state == "rejected":
            update.reject(editor, "No")
    for fmt in ("html", "json", "csv", "xlsx"):
        response = client.get("/reports/progress/" + PERIOD + f"&format={fmt}")
        body = b"".join(response) if response.streaming else response.content
        if fmt == "xlsx":
            cells = openpyxl.load_workbook(io.BytesIO(body)).worksheets
            body = " ".join(str(c.value) for ws in cells for r in ws.iter_rows() for c in r)
        else:
            body = body.decode("utf-8-sig")
        assert marker not in body, fmt
    pdf = client.get("/reports/progress/" + PERIOD + "&format=pdf").content
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert marker not in text


def test_report_page_is_fixed_cost(client, progress, django_assert_max_num_queries):
    with django_assert_max_num_queries(60) as small:
        client.get("/reports/progress/" + PERIOD)
    editor = make_editor()
    for slug in ("chandrayaan-5", "mou-space", "joint-crediting-mechanism"):
        commitment = Commitment.objects.get(slug=slug)
        for day in range(1, 8):
            make_published_update(commitment, by=editor, as_of=datetime.date(2026, 3, day))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/reports/progress/" + PERIOD)


def test_export_report_command_writes_each_format(tmp_path, progress):
    for fmt in ("pdf", "xlsx", "csv", "json"):
        target = tmp_path / f"report.{fmt}"
        call_command(
            "export_report",
            "--from",
            "2025-08-01",
            "--to",
            "2026-11-30",
            "--format",
            fmt,
            "--output",
            str(target),
            stderr=io.StringIO(),
        )
        assert target.stat().st_size > 100
    assert json.loads((tmp_path / "report.json").read_text())["title"].startswith("Progress report")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2025-13-01", "--to", "2026-01-01", "--format", "pdf"], "is not a date"),
        (["--from", "2026-02-01", "--to", "2026-01-01", "--format", "pdf"], "on or before"),
        (["--from", "2025-08-01", "--to", "2026-01-01", "--format", "doc"], "must be one of"),
        (
            ["--from", "2025-08-01", "--to", "2026-01-01", "--format", "csv", "--sector", "x"],
            "No sector",
        ),
    ],
)
def test_export_report_command_refuses_bad_arguments(tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_report", *args, "--output", str(tmp_path / "x"))


def test_export_report_exits_non_zero_with_a_clear_message(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "export_report",
            "--from",
            "someday",
            "--to",
            "2026-01-01",
            "--format",
            "pdf",
            "--output",
            str(tmp_path / "x.pdf"),
        ],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "'someday' is not a date: write it as YYYY-MM-DD." in result.stderr
