"""The admin's commitments import: upload → preview → apply → result, editors only; and the
example portfolio (fixtures/imports/new-portfolio-30.xlsx) loaded through it."""

import datetime
import importlib.util
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commitments.imports.commitments import Planner
from commitments.imports.reading import read_table
from commitments.models import Commitment, Event, ImportBatch, ImportRow, WorkerHeartbeat
from tests.factories import NOW, make_analyst, make_editor, make_sector, make_user

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
PORTFOLIO = ROOT / "fixtures" / "imports" / "new-portfolio-30.xlsx"
TEMPLATE = ROOT / "fixtures" / "imports" / "commitments-template.csv"
UPLOAD = "/admin/commitments/commitment/import/"


def upload(client, content, name="portfolio.csv"):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content)})


def batch_url(batch):
    return reverse("admin:commitments_commitment_import_batch", args=[batch.pk])


def apply_url(batch):
    return reverse("admin:commitments_commitment_import_apply", args=[batch.pk])


@pytest.fixture
def editor_client(client):
    client.force_login(make_editor("admin-importer"))
    return client


@pytest.fixture
def space():
    return make_sector(slug="space", name="Space")


GOOD = b"slug,title,summary,sector,announced_on\nlander,Lander,A lander.,space,2026-10-15\n"
BAD = GOOD + b"rover,Rover,A rover.,mining,2026-13-01\n"


def test_the_changelist_offers_the_import_to_editors(editor_client):
    page = editor_client.get("/admin/commitments/commitment/")
    assert UPLOAD.encode() in page.content


def test_upload_preview_apply_result(editor_client, space):
    response = upload(editor_client, GOOD)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == batch_url(batch)
    assert batch.kind == "commitments"
    assert batch.state == ImportBatch.State.CHECKED  # the tests' backend ran the check
    page = editor_client.get(batch_url(batch)).content.decode()
    assert "1 to create" in page
    assert "Apply: create 1, update 0" in page
    assert 'http-equiv="refresh"' not in page
    assert not Commitment.objects.exists()  # nothing before the editor confirms
    response = editor_client.post(apply_url(batch))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.APPLIED
    assert Commitment.objects.get().slug == "lander"
    page = editor_client.get(batch_url(batch)).content.decode()
    assert "1 commitment(s) created" in page


def test_problem_rows_come_first_with_every_problem(editor_client, space):
    upload(editor_client, BAD)
    batch = ImportBatch.objects.get()
    page = editor_client.get(batch_url(batch)).content.decode()
    assert "1 with problems" in page
    assert "Unknown sector “mining”" in page
    assert "announced_on: “2026-13-01” is not a date" in page
    assert page.index("rover") < page.index("lander")
    assert "Apply:" not in page
    # Applying it anyway is refused and writes nothing.
    editor_client.post(apply_url(batch))
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.CHECKED
    assert not Commitment.objects.exists()


def test_a_file_level_problem_is_shown(editor_client):
    # Named like a spreadsheet, so it passes the form: its content says what it is.
    upload(editor_client, b"%PDF-1.4 not a spreadsheet", "notes.csv")
    batch = ImportBatch.objects.get()
    assert batch.state == ImportBatch.State.FAILED
    page = editor_client.get(batch_url(batch)).content.decode()
    assert batch.message and batch.message.split(":")[0] in page


def test_too_large_a_file_is_refused_before_it_is_stored(editor_client, settings):
    settings.IMPORT_MAX_BYTES = 100
    response = upload(editor_client, GOOD * 5)
    assert response.status_code == 200
    # The workspace's own check and words (forms_imports.SpreadsheetForm).
    assert "the largest file that can be imported is 100" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_by_name_is_refused_as_in_the_workspace(editor_client):
    response = upload(editor_client, b"%PDF-1.4 not a spreadsheet", "notes.pdf")
    assert "is not a CSV or XLSX file" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_the_preview_is_paginated_with_bounded_queries(editor_client, space):
    batch = ImportBatch.objects.create(
        kind="commitments",
        created_by=make_editor("other-editor"),
        filename="big.csv",
        checksum="0" * 64,
        state=ImportBatch.State.CHECKED,
        rows_total=300,
    )
    ImportRow.objects.bulk_create(
        ImportRow(batch=batch, number=n, action="create", subject=f"c-{n}") for n in range(2, 302)
    )
    with CaptureQueriesContext(connection) as first:
        page = editor_client.get(batch_url(batch)).content.decode()
    assert "Page 1 of 6" in page
    with CaptureQueriesContext(connection) as last:
        editor_client.get(batch_url(batch) + "?page=6")
    assert len(first) == len(last) <= 12


def test_while_working_the_page_refreshes_and_shows_progress(editor_client, fixed_clock):
    batch = ImportBatch.objects.create(
        kind="commitments",
        created_by=make_editor("waiting-editor"),
        filename="slow.csv",
        checksum="0" * 64,
        state=ImportBatch.State.CHECKING,
        rows_total=1000,
        rows_done=250,
    )
    page = editor_client.get(batch_url(batch)).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "250 of 1000 rows done (25 %)" in page


def test_no_worker_is_said(editor_client, fixed_clock, settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "imports", "mail"],
        }
    }
    batch = ImportBatch.objects.create(
        kind="commitments",
        created_by=make_editor("waiting-editor"),
        filename="slow.csv",
        checksum="0" * 64,
    )
    page = editor_client.get(batch_url(batch)).content.decode()
    assert "Waiting for a worker" not in page  # not yet: it was just queued
    fixed_clock.shift(datetime.timedelta(seconds=30))
    page = editor_client.get(batch_url(batch)).content.decode()
    assert "Waiting for a worker: is `manage.py worker` running?" in page
    WorkerHeartbeat.objects.create(worker_id="w1", hostname="h", pid=1, started_at=NOW, seen_at=NOW)
    page = editor_client.get(batch_url(batch)).content.decode()
    assert "the workers are busy" in page


def test_the_apply_page_takes_only_post(editor_client, space):
    upload(editor_client, GOOD)
    batch = ImportBatch.objects.get()
    assert editor_client.get(apply_url(batch)).status_code == 405
    assert not Commitment.objects.exists()


def test_the_apply_needs_the_csrf_token(space):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_editor("csrf-editor"))
    upload_page = client.get(UPLOAD)
    token = upload_page.cookies["csrftoken"].value
    client.post(UPLOAD, {"file": SimpleUploadedFile("p.csv", GOOD), "csrfmiddlewaretoken": token})
    batch = ImportBatch.objects.get()
    assert client.post(apply_url(batch)).status_code == 403
    assert not Commitment.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "analyst", "staff-not-editor"])
def test_others_are_refused_everywhere(client, space, who):
    editor = make_editor("owner")
    client.force_login(editor)
    upload(client, GOOD)
    batch = ImportBatch.objects.get()
    client.logout()
    if who == "analyst":
        client.force_login(make_analyst("nosy-analyst"))
    elif who == "staff-not-editor":
        client.force_login(make_user("staff-only", is_staff=True))
    expected = 302  # the admin's own door: only editors and superusers get in at all
    template = reverse("admin:commitments_commitment_import_template")
    for url in (UPLOAD, batch_url(batch), template):
        assert client.get(url).status_code == expected, url
    assert client.post(UPLOAD, {"file": SimpleUploadedFile("x.csv", GOOD)}).status_code == (
        expected
    )
    assert client.post(apply_url(batch)).status_code == expected
    assert ImportBatch.objects.count() == 1
    assert not Commitment.objects.exists()
    page = client.get("/admin/commitments/commitment/")
    assert UPLOAD.encode() not in page.content


def test_an_updates_batch_is_not_shown_here(editor_client):
    batch = ImportBatch.objects.create(
        kind="updates", created_by=make_analyst("an"), filename="u.csv", checksum="0" * 64
    )
    assert editor_client.get(batch_url(batch)).status_code == 404


def test_the_template_download(editor_client):
    response = editor_client.get(reverse("admin:commitments_commitment_import_template"))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(Planner.columns)
    assert TEMPLATE.read_text(encoding="utf-8-sig").replace("\r\n", "\n") == text.replace(
        "\r\n", "\n"
    )


# The example portfolio --------------------------------------------------------------------------


def _examples():
    spec = importlib.util.spec_from_file_location(
        "make_import_examples", ROOT / "docs" / "make_import_examples.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_portfolio_is_what_the_script_writes():
    examples = _examples()
    table = read_table(PORTFOLIO.name, PORTFOLIO.read_bytes(), Planner)
    assert [(row.number, row.cells) for row in table.rows] == list(enumerate(examples.ROWS, 2))


def test_an_editor_loads_the_30_commitment_portfolio(editor_client, seeded):
    Event.objects.create(
        name="16th India–Japan Annual Summit",
        slug="india-japan-annual-summit-2026",
        location="New Delhi",
        starts_on=datetime.date(2026, 10, 16),
    )
    before = Commitment.objects.count()
    response = upload(editor_client, PORTFOLIO.read_bytes(), PORTFOLIO.name)
    batch = ImportBatch.objects.get()
    page = editor_client.get(response["Location"]).content.decode()
    assert batch.to_create == 30, list(batch.rows.exclude(action="create").values())
    assert re.search(r"30 row\(s\): 30 to create", page)
    editor_client.post(apply_url(batch))
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.APPLIED
    assert Commitment.objects.count() == before + 30
    imported = Commitment.objects.filter(event__slug="india-japan-annual-summit-2026")
    assert imported.count() == 30
    whole = imported.get(slug="clean-energy-investment-3-trillion-yen")
    assert whole.children.filter(counts_toward_parent=True).count() == 3
    assert imported.get(slug="mangrove-restoration-gujarat").unit_label == "ha"
    # Imported again unchanged: every row is skipped.
    upload(editor_client, PORTFOLIO.read_bytes(), PORTFOLIO.name)
    again = ImportBatch.objects.order_by("-pk").first()
    assert again.to_skip == 30
    assert not again.can_apply


def test_without_the_event_the_preview_says_so(editor_client, seeded):
    upload(editor_client, PORTFOLIO.read_bytes(), PORTFOLIO.name)
    batch = ImportBatch.objects.get()
    assert batch.with_problems == 30
    row = batch.rows.first()
    assert "Unknown event “india-japan-annual-summit-2026”" in row.problems[0]
