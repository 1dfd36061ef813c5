"""The analysts' updates import from the workspace (commitments/views/imports.py): who may
see and act on an import, the upload, the preview's rows and cost, apply once, cancel."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from commitments.models import ImportBatch, ImportRow
from commitments.views import imports as views
from tests.factories import make_analyst

State = ImportBatch.State
CSV = b"commitment,as_of,status,summary\nchandrayaan-5,2026-01-31,in_progress,Work has started\n"


def make_batch(user, *, state=State.CHECKED, rows=(), submit=False, **fields):
    """A batch as the check leaves it: `rows` are (action, problems) pairs, numbered from 2."""
    counts = {"to_create": 0, "to_update": 0, "to_skip": 0, "with_problems": 0}
    key = {
        "create": "to_create",
        "update": "to_update",
        "skip": "to_skip",
        "error": "with_problems",
    }
    for action, _problems in rows:
        counts[key[action]] += 1
    fields = {
        "filename": "updates.csv",
        "rows_total": len(rows),
        "rows_done": len(rows),
        **counts,
        **fields,
    }
    batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.UPDATES,
        created_by=user,
        checksum=hashlib.sha256(CSV).hexdigest(),
        size=len(CSV),
        content=CSV,
        submit=submit,
        state=state,
        **fields,
    )
    ImportRow.objects.bulk_create(
        ImportRow(
            batch=batch,
            number=number,
            action=action,
            subject=f"commitment-{number}",
            text=f"Summary of row {number}",
            problems=list(problems),
        )
        for number, (action, problems) in enumerate(rows, start=2)
    )
    return batch


@pytest.fixture
def started(monkeypatch):
    """Stands in for the worker's queue: records which batches were started."""
    calls = {"check": [], "apply": []}

    def start_check(batch):
        calls["check"].append(batch.pk)

    def start_apply(batch, by=None):
        calls["apply"].append(batch.pk)
        changed = ImportBatch.objects.filter(
            pk=batch.pk,
            state=State.CHECKED,
            with_problems=0,
        ).update(state=State.APPLY_QUEUED)
        return bool(changed)

    monkeypatch.setattr(views, "_start_check", start_check)
    monkeypatch.setattr(views, "_start_apply", start_apply)
    return calls


def upload(client, content=CSV, name="updates.csv", submit="drafts"):
    return client.post(
        reverse("commitments:import-upload"),
        {"file": SimpleUploadedFile(name, content, "text/csv"), "submit": submit},
    )


# --- Who may ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_upload_page_for_contributors_only(client, analyst, editor, outsider):
    url = reverse("commitments:import-upload")
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    assert upload(client).status_code == 403
    assert not ImportBatch.objects.exists()
    for user in (analyst, editor):
        client.force_login(user)
        assert client.get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["import-batch", "import-apply", "import-cancel"])
def test_only_the_uploader_sees_or_acts_on_a_batch(
    client, analyst, other_analyst, editor, superuser, outsider, started, name
):
    batch = make_batch(analyst, rows=[("create", [])])
    url = reverse(f"commitments:{name}", args=[batch.pk])
    send = client.get if name == "import-batch" else client.post
    response = send(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(outsider)
    assert send(url).status_code == 403
    for user in (other_analyst, editor, superuser):
        client.force_login(user)
        assert send(url).status_code == 404
    batch.refresh_from_db()
    assert batch.state == State.CHECKED and started["apply"] == []
    client.force_login(analyst)
    assert send(url).status_code == (200 if name == "import-batch" else 302)


@pytest.mark.django_db
def test_posts_are_csrf_protected(analyst, started):
    client = Client(enforce_csrf_checks=True)
    client.force_login(analyst)
    batch = make_batch(analyst, rows=[("create", [])])
    assert upload(client).status_code == 403
    assert ImportBatch.objects.count() == 1
    for name in ("import-apply", "import-cancel"):
        assert client.post(reverse(f"commitments:{name}", args=[batch.pk])).status_code == 403
    batch.refresh_from_db()
    assert batch.state == State.CHECKED and started == {"check": [], "apply": []}


@pytest.mark.django_db
def test_batch_pages_only_take_their_methods(client, analyst, started):
    batch = make_batch(analyst, rows=[("create", [])])
    client.force_login(analyst)
    assert client.post(reverse("commitments:import-batch", args=[batch.pk])).status_code == 405
    for name in ("import-apply", "import-cancel"):
        assert client.get(reverse(f"commitments:{name}", args=[batch.pk])).status_code == 405


# --- Upload ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_upload_stores_the_file_and_starts_its_check(client, analyst, started):
    client.force_login(analyst)
    response = client.post(
        "/ja" + reverse("commitments:import-upload"),
        {
            "file": SimpleUploadedFile("C:\\Users\\alice\\My updates.csv", CSV, "text/csv"),
            "submit": "submitted",
        },
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/workspace/imports/{batch.pk}/")
    assert started["check"] == [batch.pk]
    assert batch.kind == ImportBatch.Kind.UPDATES
    assert batch.created_by == analyst
    assert batch.language == "ja"
    assert batch.filename == "My updates.csv"
    assert batch.checksum == hashlib.sha256(CSV).hexdigest()
    assert batch.size == len(CSV) and bytes(batch.content) == CSV
    assert batch.submit is True
    assert batch.state == State.QUEUED


@pytest.mark.django_db
def test_drafts_are_the_default(client, analyst, started):
    client.force_login(analyst)
    page = client.get(reverse("commitments:import-upload")).content.decode()
    drafts = page[page.index('value="drafts"') :]
    assert drafts[: drafts.index(">")].count("checked") == 1
    submitted = page[page.index('value="submitted"') :]
    assert "checked" not in submitted[: submitted.index(">")]
    client.post(
        reverse("commitments:import-upload"),
        {"file": SimpleUploadedFile("u.csv", CSV, "text/csv")},
    )
    assert ImportBatch.objects.get().submit is False


@pytest.mark.django_db
def test_upload_page_names_the_limits(client, analyst, settings):
    settings.IMPORT_MAX_BYTES = 5 * 1024 * 1024
    settings.IMPORT_MAX_ROWS = 1234
    client.force_login(analyst)
    page = client.get(reverse("commitments:import-upload")).content.decode()
    assert "At most 5.0\xa0MB and 1,234 rows in one file." in page


@pytest.mark.django_db
def test_a_file_over_the_limit_is_refused_with_the_limit_named(client, analyst, settings, started):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    client.force_login(analyst)
    response = upload(client, b"a,b\n" + b"x" * (1024 * 1024 + 10))
    assert response.status_code == 200
    assert "the largest file that can be imported is 1.0\xa0MB" in response.content.decode()
    assert not ImportBatch.objects.exists() and started["check"] == []


@pytest.mark.django_db
def test_a_request_far_over_the_limit_is_refused_before_its_body_is_read(
    client, analyst, settings, started
):
    settings.IMPORT_MAX_BYTES = 1024
    client.force_login(analyst)
    response = upload(client, b"x" * 200_000)
    assert response.status_code == 413
    assert "larger than 1.0\xa0KB, the largest that can be imported" in response.content.decode()
    assert not ImportBatch.objects.exists() and started["check"] == []


@pytest.mark.django_db
def test_the_announced_length_is_enough_to_refuse(client, analyst, started):
    """A request announcing more than the limit is answered without reading its body (here
    the body is shorter than announced: reading it would fail)."""
    client.force_login(analyst)
    response = client.generic(
        "POST",
        reverse("commitments:import-upload"),
        b"--x--",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(500 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "the largest that can be imported" in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["", "/ja", "/hi"])
def test_a_nul_byte_is_a_form_error_not_a_crash(client, analyst, started, prefix):
    """The NUL-byte guard leaves this form to the view (it reads its own body)."""
    client.force_login(analyst)
    response = client.post(
        prefix + reverse("commitments:import-upload"),
        {"file": SimpleUploadedFile("up\x00dates.csv", CSV, "text/csv"), "submit": "dr\x00afts"},
    )
    assert response.status_code == 200
    assert 'class="field-errors"' in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["/ja", "/hi"])
def test_the_announced_length_is_enough_in_every_language(client, analyst, started, prefix):
    client.force_login(analyst)
    response = client.generic(
        "POST",
        prefix + reverse("commitments:import-upload"),
        b"--x--",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(500 * 1024 * 1024),
    )
    assert response.status_code == 413


@pytest.mark.django_db
def test_other_posts_are_still_guarded_against_nul_bytes(client, analyst):
    client.force_login(analyst)
    response = client.post(reverse("commitments:update-new", args=["x"]), {"summary": "a\x00"})
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["updates.pdf", "updates.xls", "updates"])
def test_only_csv_and_xlsx_are_taken(client, analyst, started, name):
    client.force_login(analyst)
    response = upload(client, name=name)
    assert response.status_code == 200
    assert "is not a CSV or XLSX file" in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_no_file_or_an_empty_one_is_said_in_words(client, analyst, started):
    client.force_login(analyst)
    response = client.post(reverse("commitments:import-upload"), {"submit": "drafts"})
    assert "Choose the spreadsheet to import." in response.content.decode()
    assert "The file is empty." in upload(client, b"").content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_uploads_are_rate_limited_per_person(client, analyst, settings, started):
    settings.THROTTLE_RATE_HEAVY = "2/10m"
    client.force_login(analyst)
    assert upload(client).status_code == 302
    assert upload(client).status_code == 302
    refused = upload(client)
    assert refused.status_code == 429 and "Retry-After" in refused
    assert ImportBatch.objects.count() == 2


@pytest.mark.django_db
def test_upload_page_lists_the_last_twenty_own_imports(client, analyst, other_analyst):
    for n in range(22):
        make_batch(analyst, filename=f"mine-{n:02}.csv")
    make_batch(other_analyst, filename="theirs.csv")
    client.force_login(analyst)
    page = client.get(reverse("commitments:import-upload")).content.decode()
    assert page.count("mine-") == 20
    assert "mine-21.csv" in page and "mine-00.csv" not in page and "theirs.csv" not in page


# --- The batch page --------------------------------------------------------------------------


@pytest.mark.django_db
def test_preview_shows_problems_first_in_words(client, analyst):
    batch = make_batch(
        analyst,
        rows=[
            ("create", []),
            ("skip", []),
            ("error", ["No commitment has the slug “moon-base”.", "The status “done” is unknown."]),
            ("create", []),
        ],
    )
    client.force_login(analyst)
    response = client.get(reverse("commitments:import-batch", args=[batch.pk]))
    page = response.content.decode()
    assert "No commitment has the slug “moon-base”." in page
    assert "The status “done” is unknown." in page
    assert "Will create 2 updates" in page
    assert "Skip 1 row (already recorded)" in page
    assert "1 row with problems" in page
    assert "fix these rows in your spreadsheet and upload it again" in page
    assert reverse("commitments:import-upload") in page
    # The problem row (row 4) comes before rows 2, 3 and 5.
    assert page.index("Summary of row 4") < page.index("Summary of row 2")
    assert page.index("Summary of row 2") < page.index("Summary of row 5")
    # Nothing to apply while a row has a problem.
    assert reverse("commitments:import-apply", args=[batch.pk]) not in page
    assert batch.checksum[:12] in page and "updates.csv" in page
    assert 'http-equiv="refresh"' not in page


@pytest.mark.django_db
def test_a_clean_preview_offers_to_import_all_or_nothing(client, analyst):
    batch = make_batch(analyst, rows=[("create", []), ("create", []), ("skip", [])])
    client.force_login(analyst)
    page = client.get(reverse("commitments:import-batch", args=[batch.pk])).content.decode()
    assert "Import 2 updates as drafts" in page
    assert "Nothing has been written yet" in page and "all or nothing" in page
    assert reverse("commitments:import-apply", args=[batch.pk]) in page
    assert reverse("commitments:import-cancel", args=[batch.pk]) in page


@pytest.mark.django_db
def test_while_working_the_page_refreshes_and_shows_progress(client, analyst):
    batch = make_batch(analyst, state=State.CHECKING, rows_total=1000, rows_done=250)
    client.force_login(analyst)
    page = client.get(reverse("commitments:import-batch", args=[batch.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert '<progress id="import-progress" max="1000" value="250">' in page
    assert "250 of 1,000 rows" in page
    assert "No worker is running" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("state", [State.APPLY_QUEUED, State.APPLYING])
def test_while_applying_the_bar_claims_no_progress_it_cannot_see(client, analyst, state):
    # The check left rows_done = rows_total; applying is one transaction, whose progress
    # nobody outside it sees: no full bar while nothing is written yet.
    batch = make_batch(analyst, state=state, rows_total=1000, rows_done=1000)
    client.force_login(analyst)
    page = client.get(reverse("commitments:import-batch", args=[batch.pk])).content.decode()
    assert '<progress id="import-progress"></progress>' in page
    assert 'value="1000"' not in page
    assert "Checking the 1,000 rows once more and writing them all in one go…" in page
    assert '<meta http-equiv="refresh" content="2">' in page


@pytest.mark.django_db
def test_a_batch_not_yet_started_shows_a_progress_bar_without_a_value(client, analyst):
    batch = make_batch(analyst, state=State.QUEUED)
    client.force_login(analyst)
    page = client.get(reverse("commitments:import-batch", args=[batch.pk])).content.decode()
    assert '<progress id="import-progress"></progress>' in page
    assert "Waiting for its turn…" in page
    assert '<meta http-equiv="refresh" content="2">' in page


@pytest.mark.django_db
def test_a_batch_waiting_with_no_worker_says_so(client, analyst, settings, fixed_clock):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "imports", "mail"],
        }
    }
    batch = make_batch(analyst, state=State.QUEUED)
    client.force_login(analyst)
    url = reverse("commitments:import-batch", args=[batch.pk])
    assert "No worker is running" not in client.get(url).content.decode()
    fixed_clock.shift(30)
    assert "No worker is running" in client.get(url).content.decode()


@pytest.mark.django_db
def test_a_failed_file_says_why(client, analyst):
    batch = make_batch(
        analyst, state=State.FAILED, message="This file is not a CSV or XLSX spreadsheet."
    )
    client.force_login(analyst)
    page = client.get(reverse("commitments:import-batch", args=[batch.pk])).content.decode()
    assert "This file could not be imported." in page
    assert "This file is not a CSV or XLSX spreadsheet." in page
    assert "Nothing was imported." in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("submit", "words"), [(False, "as drafts"), (True, "submitted for review")]
)
def test_applied_says_how_many_and_where(client, analyst, submit, words):
    batch = make_batch(
        analyst, state=State.APPLIED, submit=submit, rows=[("create", [])] * 3, applied_count=3
    )
    client.force_login(analyst)
    page = client.get(reverse("commitments:import-batch", args=[batch.pk])).content.decode()
    assert f"3 updates imported {'and ' if submit else ''}{words}" in page
    show = "submitted" if submit else "drafts"
    assert f"{reverse('commitments:workspace')}?show={show}" in page
    assert reverse("commitments:import-apply", args=[batch.pk]) not in page


@pytest.mark.django_db
def test_rows_are_paginated(client, analyst):
    batch = make_batch(analyst, rows=[("create", [])] * 150 + [("error", ["Bad date."])])
    client.force_login(analyst)
    url = reverse("commitments:import-batch", args=[batch.pk])
    first = client.get(url).content.decode()
    assert first.count('<tr class="action-') == 100
    assert "Bad date." in first  # the problem row is on the first page
    second = client.get(url + "?page=2").content.decode()
    assert second.count('<tr class="action-') == 51
    assert "Page 2 of 2" in second


@pytest.mark.django_db
def test_the_preview_costs_the_same_for_10_or_5000_rows(
    client, analyst, django_assert_max_num_queries
):
    problem = ["The as-of date 2030-01-01 is in the future."]
    small = make_batch(analyst, rows=[("create", [])] * 9 + [("error", problem)])
    large = make_batch(analyst, rows=[("create", [])] * 4990 + [("error", problem)] * 10)
    client.force_login(analyst)
    with django_assert_max_num_queries(20) as queries:
        small_page = client.get(reverse("commitments:import-batch", args=[small.pk]))
    with django_assert_max_num_queries(len(queries.captured_queries)):
        large_page = client.get(reverse("commitments:import-batch", args=[large.pk]))
    assert large_page.status_code == 200
    # One page of 100 rows, whatever the file's length.
    assert len(large_page.content) < len(small_page.content) * 12
    assert len(large_page.content) < 120_000
    # The stored file is never loaded for the page.
    assert not any("content" in q["sql"] for q in queries.captured_queries if "import" in q["sql"])


# --- Apply and cancel ------------------------------------------------------------------------


@pytest.mark.django_db
def test_apply_twice_applies_once(client, analyst, started):
    batch = make_batch(analyst, rows=[("create", [])])
    client.force_login(analyst)
    url = reverse("commitments:import-apply", args=[batch.pk])
    assert client.post(url).status_code == 302
    response = client.post(url, follow=True)
    batch.refresh_from_db()
    assert batch.state == State.APPLY_QUEUED
    assert "cannot be applied" not in response.content.decode()
    # The stand-in queue was asked twice; only the first found the batch checked.
    assert ImportBatch.objects.filter(state=State.APPLY_QUEUED).count() == 1


@pytest.mark.django_db
def test_a_batch_with_problems_is_not_applied(client, analyst, started):
    batch = make_batch(analyst, rows=[("create", []), ("error", ["Bad."])])
    client.force_login(analyst)
    response = client.post(reverse("commitments:import-apply", args=[batch.pk]), follow=True)
    batch.refresh_from_db()
    assert batch.state == State.CHECKED
    assert "fix the rows with problems in your spreadsheet" in response.content.decode()


@pytest.mark.django_db
def test_cancel_writes_nothing_and_blocks_apply(client, analyst, started):
    batch = make_batch(analyst, rows=[("create", [])])
    client.force_login(analyst)
    response = client.post(reverse("commitments:import-cancel", args=[batch.pk]), follow=True)
    batch.refresh_from_db()
    assert batch.state == State.CANCELLED
    page = response.content.decode()
    assert "cancelled: nothing was imported" in page
    assert reverse("commitments:import-apply", args=[batch.pk]) not in page
    client.post(reverse("commitments:import-apply", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.state == State.CANCELLED


@pytest.mark.django_db
def test_an_applied_batch_cannot_be_cancelled(client, analyst):
    batch = make_batch(analyst, state=State.APPLIED, rows=[("create", [])], applied_count=1)
    client.force_login(analyst)
    response = client.post(reverse("commitments:import-cancel", args=[batch.pk]), follow=True)
    batch.refresh_from_db()
    assert batch.state == State.APPLIED
    assert "can no longer be cancelled" in response.content.decode()


@pytest.mark.django_db
def test_the_workspace_and_log_pages_link_to_the_import(client, analyst):
    client.force_login(analyst)
    url = reverse("commitments:import-upload")
    assert url in client.get(reverse("commitments:workspace")).content.decode()
    assert url in client.get(reverse("commitments:log-update")).content.decode()


def test_other_analyst_fixture_is_a_contributor(db):
    assert make_analyst("carol").has_perm("commitments.add_statusupdate")
