"""Every surface shows the same percent for every public commitment of a generated
portfolio (issue 12): the list row, the detail page, the badge and the report show the same
whole number; the API, the CSV and XLSX exports and the report's JSON and XLSX the same two
decimals; and the list sorted by progress is in the order of the percent it shows."""

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from commitments import standing
from commitments.models import Commitment, StatusUpdate

LABEL = re.compile(r'class="progress-label">(\d+) %<')
ROW = re.compile(r"<tr.*?</tr>", re.S)
TITLE_LINK = re.compile(r'<a href="/commitments/([^/"?]+)/')


@pytest.fixture
def generated(db):
    call_command(
        "generate_sample_data",
        commitments=60,
        updates=900,
        seed=4,
        stdout=io.StringIO(),
    )
    # Parents whose figure comes from their parts: the generator gives parents figures of
    # their own, so take those away (as a newsroom would that only tracks the parts).
    parents = Commitment.objects.filter(
        children__counts_toward_parent=True, children__latest_update__isnull=False
    )
    StatusUpdate.objects.filter(commitment__in=parents).update(progress_value=None)
    standing.refresh_all()
    public = list(Commitment.objects.public().order_by("title"))
    assert sum(c.progress_from_parts for c in public) >= 1  # parents figured from parts
    assert sum(c.progress_percent is not None for c in public) >= 20
    return {c.slug: c for c in public}


def shown(commitment) -> int | None:
    return standing.percent_shown(commitment.progress_percent)


def data(commitment) -> Decimal | None:
    return standing.percent_in_data(commitment.progress_percent)


def list_rows(client, query: str) -> list[tuple[str, int | None]]:
    """(slug, percent shown) of every row of every page of the list, in order."""
    rows, page = [], 1
    while True:
        response = client.get(f"/commitments/?{query}&page={page}")
        html = response.content.decode()
        for row in ROW.findall(html.split("<tbody", 1)[1]):
            slug = TITLE_LINK.search(row).group(1)
            label = LABEL.search(row)
            rows.append((slug, int(label.group(1)) if label else None))
        if f"page={page + 1}" not in html:
            return rows
        page += 1


def test_the_percent_agrees_on_every_surface(client, generated):
    # The list rows, on every page.
    listed = dict(list_rows(client, "sort=title"))
    assert listed.keys() == generated.keys()
    for slug, commitment in generated.items():
        assert listed[slug] == shown(commitment), slug

    # The detail page and the badge of each.
    for slug, commitment in generated.items():
        detail = client.get(f"/commitments/{slug}/").content.decode()
        facts = detail.split('id="target-heading"', 1)[-1].split("</dl>", 1)[0]
        label = LABEL.search(facts)
        assert (int(label.group(1)) if label else None) == shown(commitment), slug
        badge = client.get(f"/commitments/{slug}/badge.svg").content.decode()
        on_badge = re.search(r"· (\d+) %", badge)
        assert (int(on_badge.group(1)) if on_badge else None) == shown(commitment), slug

    # The API.
    api = client.get("/api/commitments/?page_size=100").json()
    assert api["count"] == len(generated)
    for item in api["results"]:
        target = item["target"]
        percent = target["percent_complete"] if target else None
        expected = data(generated[item["slug"]])
        assert (Decimal(percent) if percent is not None else None) == expected, item["slug"]

    # The list's CSV and XLSX exports.
    text = client.get("/commitments/?_export=csv").getvalue().decode("utf-8-sig")
    exported = list(csv.DictReader(io.StringIO(text)))
    assert len(exported) == len(generated)
    by_title = {c.title: c for c in generated.values()}
    for row in exported:
        value = row["Progress (%)"]
        expected = data(by_title[row["Commitment"]])
        assert (Decimal(value) if value else None) == expected, row["Commitment"]
    workbook = load_workbook(io.BytesIO(client.get("/commitments/?_export=xlsx").getvalue()))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    column = header.index("Progress (%)")
    for values in sheet.iter_rows(min_row=2, values_only=True):
        expected = data(by_title[values[0]])
        value = values[column]
        assert (Decimal(str(value)) if value not in (None, "") else None) == expected, values[0]

    # The report (the default period ends today): its page, its JSON and its XLSX.
    report_html = client.get("/reports/progress/").content.decode()
    report_json = json.loads(client.get("/reports/progress/?format=json").content)
    reported = {item["slug"]: item for item in report_json["commitments"]}
    for slug, commitment in generated.items():
        if commitment.target_value is None:
            continue
        assert (Decimal(str(reported[slug]["percent"])) if reported[slug]["percent"] else None) == (
            data(commitment) if data(commitment) else None
        ), slug
        if shown(commitment) is not None:
            assert f"({shown(commitment)} %)" in report_html
    report_xlsx = load_workbook(io.BytesIO(client.get("/reports/progress/?format=xlsx").content))[
        "Commitments"
    ]
    header = [cell.value for cell in report_xlsx[1]]
    for values in report_xlsx.iter_rows(min_row=2, values_only=True):
        expected = data(by_title[values[0]])
        value = values[header.index("Percent")]
        assert (Decimal(str(value)) if value not in (None, "") else None) == expected, values[0]


@pytest.mark.parametrize("sort", ["-progress", "progress"])
def test_the_list_sorted_by_progress_is_in_the_order_of_its_percent(client, generated, sort):
    rows = list_rows(client, f"sort={sort}")
    assert len(rows) == len(generated)
    figures = [
        generated[slug].progress_percent
        for slug, _ in rows
        if generated[slug].progress_percent is not None
    ]
    assert figures == sorted(figures, reverse=sort.startswith("-"))
    # Rows without a percent come last either way.
    flags = [generated[slug].progress_percent is None for slug, _ in rows]
    assert flags == sorted(flags)
    shown_in_order = [label for _, label in rows if label is not None]
    assert shown_in_order == sorted(shown_in_order, reverse=sort.startswith("-"))
