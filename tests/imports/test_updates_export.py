"""The importable export: the published updates in the import's columns, and back again."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from commitments.imports.updates import COLUMNS
from commitments.models import ImportBatch, ImportRow, StatusUpdate
from tests.factories import (
    make_commitment,
    make_published_update,
    make_source,
    make_update,
    make_user,
)
from tests.imports.test_updates import apply, upload


@pytest.fixture
def published(db):
    rail = make_commitment(slug="rail-link")
    power = make_commitment(slug="solar-power", target_value=Decimal(1000), target_unit="count")
    updates = [
        make_published_update(rail, summary=f"Rail step {n}", as_of=f"2026-0{n}-01")
        for n in range(1, 5)
    ]
    two = [
        make_source(title="B report", url="https://example.gov/b"),
        make_source(title="A report", url="https://example.gov/a", publisher="Gov"),
    ]
    updates.append(
        make_published_update(
            power,
            summary='=HYPERLINK("http://evil")',
            body="@SUM(1)\nline two",
            progress_value=Decimal("1234.5000"),
            sources=two,
            as_of="2026-02-02",
        )
    )
    make_update(rail, summary="A draft is not exported")
    return updates


def get_csv(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("commitments:import-export-csv"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_has_the_import_columns_and_a_row_per_source(client, analyst, published):
    rows = get_csv(client, analyst)
    assert rows[0] == COLUMNS
    assert len(rows) == 1 + 4 + 2
    power = [r for r in rows if r[0] == "solar-power"]
    assert [r[6] for r in power] == ["A report", "B report"]
    assert power[0][:6] == power[1][:6]
    assert power[0][3] == "1234.5"
    assert power[0][4] == '\'=HYPERLINK("http://evil")'
    assert power[0][5] == "'@SUM(1)\nline two"
    assert "A draft is not exported" not in str(rows)


def test_filtered_by_commitment(client, editor, published):
    rows = get_csv(client, editor, commitment="solar-power")
    assert {r[0] for r in rows[1:]} == {"solar-power"}


def test_outsider_is_refused_and_anonymous_sent_to_sign_in(client, published):
    response = client.get(reverse("commitments:import-export-xlsx"))
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(make_user("olivia"))
    assert client.get(reverse("commitments:import-export-csv")).status_code == 403


def test_xlsx_same_rows_dates_typed(client, analyst, published):
    client.force_login(analyst)
    response = client.get(reverse("commitments:import-export-xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS
    assert len(rows) == 7
    assert sheet["B2"].is_date


def edit_and_add(rows):
    """Change 3 exported updates (summary, status, progress) and add 2 new ones."""
    header, body = rows[0], rows[1:]
    rail = [r for r in body if r[0] == "rail-link"]
    rail[0][4] = "Rail step 1, revised"
    rail[1][2] = "delayed"
    power = [r for r in body if r[0] == "solar-power"]
    for r in power:  # both source rows of the one update
        r[3] = "1,300"
    new = list(rail[0])
    new[1], new[4], new[7] = "2026-06-01", "New rail update", "https://example.gov/new"
    new2 = list(new)
    new2[1], new2[4] = "2026-07-01", "=Another new one"
    return [header, *body, new, new2]


def test_round_trip_csv(client, analyst, published):
    rows = edit_and_add(get_csv(client, analyst))
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    batch = upload(analyst, out.getvalue().encode("utf-8"))
    assert batch.state == ImportBatch.State.CHECKED, batch.message
    assert batch.with_problems == 0, list(ImportRow.objects.filter(batch=batch).values())
    # Rows: 4 rail + 2 power + 2 new. Created: 3 edited (one of them on two rows) + 2 new.
    assert (batch.to_create, batch.to_skip) == (6, 2)
    batch = apply(batch)
    assert batch.applied_count == 5
    drafts = StatusUpdate.objects.filter(author=analyst, state="draft")
    assert drafts.count() == 5
    assert drafts.get(as_of="2026-07-01").summary == "=Another new one"
    power = drafts.get(commitment__slug="solar-power")
    assert power.summary == '=HYPERLINK("http://evil")'
    assert power.body == "@SUM(1)\nline two"
    assert power.progress_value == Decimal(1300)
    assert power.sources.count() == 2
    # Nothing published by the import.
    assert StatusUpdate.objects.published().count() == 5


def test_round_trip_xlsx(client, analyst, published):
    from openpyxl import Workbook

    client.force_login(analyst)
    response = client.get(reverse("commitments:import-export-xlsx"))
    exported = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [list(r) for r in exported.iter_rows(values_only=True)]
    rows = edit_and_add(rows)
    # openpyxl (like a person typing in Excel) takes "=…" for a formula: the export's own
    # apostrophe keeps it text.
    rows[-1][4] = "'" + rows[-1][4]
    workbook = Workbook()
    for r in rows:
        workbook.active.append(r)
    data = io.BytesIO()
    workbook.save(data)
    batch = upload(analyst, data.getvalue(), filename="updates.xlsx")
    assert batch.state == ImportBatch.State.CHECKED, batch.message
    assert batch.with_problems == 0, list(ImportRow.objects.filter(batch=batch).values())
    assert (batch.to_create, batch.to_skip) == (6, 2)
    assert apply(batch).applied_count == 5
    assert StatusUpdate.objects.get(as_of="2026-07-01").summary == "=Another new one"


def test_unchanged_export_imports_as_all_skipped(client, analyst, published):
    rows = get_csv(client, analyst)
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    batch = upload(analyst, out.getvalue().encode("utf-8"))
    assert (batch.to_create, batch.to_skip, batch.with_problems) == (0, 6, 0)
