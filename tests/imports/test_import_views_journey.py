"""The analyst's journey through the pages, with the real planner and the tasks run at once
(tests/conftest.py): upload a spreadsheet with one bad row, read the problem, upload it fixed,
import it as submitted, find the updates in the review queue — none published."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commitments.models import ImportBatch, StatusUpdate
from tests.factories import make_commitment, make_published_update

HEADER = ["commitment", "as_of", "status", "progress_value", "summary", "body"]
HEADER += ["source_title", "source_url", "source_publisher"]


def spreadsheet(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def post_file(client, data, name="my updates.csv", submit="submitted"):
    return client.post(
        reverse("commitments:import-upload"),
        {"file": SimpleUploadedFile(name, data, "text/csv"), "submit": submit},
        follow=True,
    )


@pytest.fixture
def portfolio(db, editor):
    rail = make_commitment(slug="high-speed-rail", target_value=508, target_unit="count")
    make_published_update(rail, by=editor)
    return {"rail": rail, "talks": make_commitment(slug="semiconductor-talks")}


@pytest.mark.django_db
def test_upload_fix_and_import_as_submitted(client, analyst, editor, portfolio):
    good = [
        "high-speed-rail", "2026-03-31", "in_progress", "120", "120 km of viaduct built",
        "", "Rail ministry report", "https://example.gov/rail-2026-03", "Ministry of Railways",
    ]  # fmt: skip
    talks = [
        "semiconductor-talks", "2026-02-10", "in_progress", "", "Second round of talks held",
        "", "Joint statement", "https://example.gov/chips", "MEA",
    ]  # fmt: skip
    future = [*talks[:1], "2031-01-01", *talks[2:4], "Talks concluded", *talks[5:]]
    client.force_login(analyst)

    # 1. A spreadsheet with one bad row (an as-of date in the future): nothing to import.
    page = post_file(client, spreadsheet([good, future, talks]))
    assert page.status_code == 200
    first = ImportBatch.objects.get()
    assert page.redirect_chain[-1][0].endswith(f"/workspace/imports/{first.pk}/")
    html = page.content.decode()
    assert first.state == ImportBatch.State.CHECKED
    assert first.with_problems == 1 and first.to_create == 2
    assert "1 row with problems" in html
    assert "future" in " ".join(first.rows.get(number=3).problems)
    for problem in first.rows.get(number=3).problems:
        assert problem in html.replace("&#x27;", "'").replace("&quot;", '"')
    assert "fix these rows in your spreadsheet and upload it again" in html
    assert reverse("commitments:import-apply", args=[first.pk]) not in html
    # Applying it anyway is refused, and writes nothing.
    client.post(reverse("commitments:import-apply", args=[first.pk]))
    assert not StatusUpdate.objects.filter(author=analyst).exists()

    # 2. Fixed and uploaded again: a clean preview, still nothing written.
    fixed = [*future[:1], "2026-11-01", *future[2:]]
    page = post_file(client, spreadsheet([good, fixed, talks]), name="my updates (fixed).csv")
    second = ImportBatch.objects.exclude(pk=first.pk).get()
    html = page.content.decode()
    assert second.can_apply and second.to_create == 3
    assert "Import 3 updates and submit them for review" in html
    assert not StatusUpdate.objects.filter(author=analyst).exists()

    # 3. Import: all three updates, submitted for review, none published.
    page = client.post(reverse("commitments:import-apply", args=[second.pk]), follow=True)
    second.refresh_from_db()
    assert second.state == ImportBatch.State.APPLIED and second.applied_count == 3
    assert "3 updates imported and submitted for review." in page.content.decode()
    mine = StatusUpdate.objects.filter(author=analyst)
    assert mine.count() == 3
    assert set(mine.values_list("state", flat=True)) == {StatusUpdate.State.SUBMITTED}
    # Pressed again: nothing more.
    client.post(reverse("commitments:import-apply", args=[second.pk]))
    assert mine.count() == 3

    # 4. The editor finds them in the review queue.
    client.force_login(editor)
    queue = client.get(reverse("commitments:review")).content.decode()
    for summary in ("120 km of viaduct built", "Talks concluded", "Second round of talks held"):
        assert summary in queue
    assert not StatusUpdate.objects.filter(
        author=analyst, state=StatusUpdate.State.PUBLISHED
    ).exists()


@pytest.mark.django_db
def test_an_unreadable_file_says_why(client, analyst):
    client.force_login(analyst)
    page = post_file(client, b"\x00\x01\x02 not a spreadsheet", name="updates.csv")
    batch = ImportBatch.objects.get()
    assert batch.state == ImportBatch.State.FAILED and batch.message
    html = page.content.decode()
    assert "This file could not be imported." in html
    assert batch.message.split(":")[0].replace("'", "&#x27;").replace('"', "&quot;") in html


@pytest.mark.django_db
def test_upload_page_names_the_planners_columns(client, analyst):
    client.force_login(analyst)
    html = client.get(reverse("commitments:import-upload")).content.decode()
    for column in HEADER:
        assert f"<code>{column}</code>" in html


@pytest.mark.django_db
def test_upload_page_links_to_the_importable_export(client, analyst):
    client.force_login(analyst)
    html = client.get(reverse("commitments:import-upload")).content.decode()
    assert f'href="{reverse("commitments:import-export-csv")}"' in html
    assert f'href="{reverse("commitments:import-export-xlsx")}"' in html
