"""The import pages in every language and as HTML: no English left on the Japanese and Hindi
pages (tests/test_no_english_left.py's finder), no HTML error (tests/test_html_valid.py's v.Nu
run), and what a problem row looks like."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from commitments.models import ImportBatch, ImportRow
from tests.imports.test_import_views import make_batch
from tests.test_html_valid import JAVA, validate
from tests.test_no_english_left import leftovers

State = ImportBatch.State
PROBLEMS = {
    "ja": "「2030-01-01」は未来の日付です。",
    "hi": "तिथि 2030-01-01 भविष्य में है।",
    "en": "The as-of date 2030-01-01 is in the future.",
}


# The file's own name and text, in the reader's language (content is not interface text).
CONTENT = {"ja": ("進捗.csv", "工事が始まった"), "hi": ("अपडेट.csv", "काम शुरू हुआ"), "en": None}


def batches(analyst, language):
    rows = [("create", []), ("error", [PROBLEMS[language]]), ("skip", [])]
    made = {
        "checked": make_batch(analyst, rows=rows),
        "clean": make_batch(analyst, rows=[("create", []), ("skip", [])]),
        "working": make_batch(analyst, state=State.CHECKING, rows_total=400, rows_done=100),
        "applied": make_batch(
            analyst, state=State.APPLIED, rows=[("create", [])], applied_count=1, submit=True
        ),
        "failed": make_batch(analyst, state=State.FAILED, message=PROBLEMS[language]),
        "cancelled": make_batch(analyst, state=State.CANCELLED),
    }
    if CONTENT[language]:
        filename, text = CONTENT[language]
        ImportBatch.objects.update(filename=filename)
        ImportRow.objects.update(text=text)
    return made


def pages(client, analyst, language):
    prefix = "" if language == "en" else f"/{language}"
    client.force_login(analyst)
    shown = {}
    with translation.override(None):  # the addresses without a language prefix
        paths = {
            name: reverse("commitments:import-batch", args=[batch.pk])
            for name, batch in batches(analyst, language).items()
        }
        upload = prefix + reverse("commitments:import-upload")
    for name, path in paths.items():
        response = client.get(prefix + path)
        assert response.status_code == 200, name
        shown[f"batch-{name}"] = response.content.decode()
    shown["upload"] = client.get(upload).content.decode()
    bad = client.post(upload, {"file": SimpleUploadedFile("notes.pdf", b"%PDF-1.4", "a/b")})
    shown["upload-errors"] = bad.content.decode()
    return shown


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ja", "hi"])
def test_import_pages_have_no_english_left(client, analyst, language):
    for name, html in pages(client, analyst, language).items():
        assert f'<html lang="{language}"' in html
        found = leftovers(html)
        assert not found, f"{name} ({language}) has English left:\n" + "\n".join(found[:40])


@pytest.mark.django_db
@pytest.mark.skipif(JAVA is None, reason="v.Nu needs Java (.ci/run installs it)")
def test_import_pages_have_no_html_errors(client, analyst, tmp_path):
    errors = validate(pages(client, analyst, "en"), tmp_path)
    assert not errors, "\n".join(errors)


@pytest.mark.django_db
def test_problem_rows_are_marked_for_every_reader(client, analyst):
    html = pages(client, analyst, "en")["batch-checked"]
    assert '<tr class="action-error">' in html
    assert f'<li class="problem">{PROBLEMS["en"]}</li>' in html
    # Each cell says which column it is, for the phone layout where the table is stacked.
    assert 'data-label="Problems and notes"' in html
