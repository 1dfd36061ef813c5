"""Review of issue 16's imports: findings, each shown by a test that failed before its fix."""

import contextlib
import datetime
import io
import re
import time
import zipfile

import pytest
from openpyxl import Workbook

from commitments.imports import reading
from commitments.imports.base import ImportFileError
from commitments.imports.reading import read_table


class Plain:
    kind = "test"
    columns = ["commitment", "as_of", "status", "summary"]
    required = ["commitment", "summary"]
    aliases = {}


def _workbook(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _rewrite_sheet(data: bytes, change) -> bytes:
    """The workbook with its first sheet's XML passed through `change`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = change(content)
            target.writestr(info.filename, content)
    return out.getvalue()


def _dimension(ref: bytes):
    return lambda xml: re.sub(
        rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="' + ref + b'"/>', xml
    )


def _far_row(number: int):
    row = b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (number, number)
    return lambda xml: xml.replace(b"</sheetData>", row + b"</sheetData>")


HEADER = ["commitment", "as_of", "status", "summary"]
ROW = ["rail-link", "2026-01-05", "on_track", "Work began"]


def test_a_forged_dimension_does_not_make_the_worker_convert_billions_of_cells(monkeypatch):
    """Finding: a 5 KB XLSX whose <dimension> says A1:XFD1048576 and which has one cell on the
    last row made openpyxl pad every missing row to 16,384 cells, each converted by
    cell_text: about 17 billion calls, hours of a worker (20,000 rows took 12 s)."""
    data = _workbook([HEADER, ROW])
    data = _rewrite_sheet(data, lambda xml: _far_row(1_048_576)(_dimension(b"A1:XFD1048576")(xml)))
    assert len(data) < 10_000
    calls = [0]
    real = reading.cell_text

    def counted(value):
        calls[0] += 1
        if calls[0] > 1_000_000:
            raise AssertionError("more than a million cells converted for a 5 KB file")
        return real(value)

    monkeypatch.setattr(reading, "cell_text", counted)
    start = time.monotonic()
    with contextlib.suppress(ImportFileError):
        read_table("bomb.xlsx", data, Plain)
    assert time.monotonic() - start < 5


def test_a_row_numbered_past_excels_last_row_is_not_waited_for():
    data = _rewrite_sheet(_workbook([HEADER, ROW]), _far_row(2_000_000_000))
    start = time.monotonic()
    table = read_table("far.xlsx", data, Plain)
    assert time.monotonic() - start < 5
    assert [row.number for row in table.rows] == [2]


def test_a_stale_dimension_does_not_drop_rows_silently():
    """Finding: openpyxl stops at the sheet's <dimension>; a writer that leaves it stale
    (A1:D2 with 4 data rows) lost rows 3–5 without a word."""
    rows = [HEADER] + [[f"c-{n}", "2026-01-05", "on_track", f"row {n}"] for n in range(4)]
    data = _rewrite_sheet(_workbook(rows), _dimension(b"A1:D2"))
    table = read_table("stale.xlsx", data, Plain)
    assert [row.cells["summary"] for row in table.rows] == ["row 0", "row 1", "row 2", "row 3"]


def test_a_zip_bomb_workbook_is_refused_before_it_is_unpacked(settings):
    """Finding: the sheet's XML was unpacked whole (_sheet_xml, openpyxl's shared strings):
    a workbook within the upload limit could unpack to a thousand times its size."""
    settings.IMPORT_MAX_BYTES = 100 * 1024
    padding = b" " * (5 * 1024 * 1024)  # 5 MB of blanks pack to a few KB
    data = _rewrite_sheet(
        _workbook([HEADER, ROW]), lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + padding)
    )
    assert len(data) < settings.IMPORT_MAX_BYTES
    with pytest.raises(ImportFileError, match="MB"):
        read_table("bomb.xlsx", data, Plain)


def test_an_ordinary_workbook_is_still_read():
    table = read_table("ok.xlsx", _workbook([HEADER, ROW]), Plain)
    assert table.rows[0].cells["commitment"] == "rail-link"


# --- Updates import: another person's draft ------------------------------------------------


def test_another_analysts_draft_is_neither_revealed_nor_a_reason_to_skip(analyst, other_analyst):
    """Finding: rows the same as any recorded update (not rejected) were skipped with
    "Already recorded (update #N, draft …)": another analyst's private draft made this
    analyst's row vanish and told them it exists (rules: nobody sees another's draft)."""
    from tests.factories import make_commitment, make_update
    from tests.imports.test_updates import csv_file, problems, row, upload

    rail = make_commitment(slug="rail-link", title="High-speed rail link")
    secret = make_update(
        rail, author=other_analyst, as_of=datetime.date(2026, 1, 5), summary="Work began on site."
    )
    batch = upload(analyst, csv_file([row("rail-link")]))
    assert problems(batch) == {}
    (only,) = batch.rows.all()
    assert only.action == "create"
    assert f"#{secret.pk}" not in " ".join(only.notes)


def test_ones_own_draft_is_still_skipped(analyst):
    from tests.factories import make_commitment, make_update
    from tests.imports.test_updates import csv_file, row, upload

    rail = make_commitment(slug="rail-link", title="High-speed rail link")
    make_update(
        rail, author=analyst, as_of=datetime.date(2026, 1, 5), summary="Work began on site."
    )
    batch = upload(analyst, csv_file([row("rail-link")]))
    (only,) = batch.rows.all()
    assert only.action == "skip"


# --- Apply writes only what the preview showed ---------------------------------------------


def _commitments_batch(user, content: bytes):
    import hashlib

    from commitments.imports import batches
    from commitments.models import ImportBatch

    batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.COMMITMENTS,
        created_by=user,
        language="en-gb",
        filename="portfolio.csv",
        checksum=hashlib.sha256(content).hexdigest(),
        size=len(content),
        content=content,
    )
    batches.check(batch.pk)
    batch.refresh_from_db()
    return batch


PORTFOLIO = (
    b"slug,title,summary,sector,announced_on\n"
    b"lunar-lander,Lunar lander,A joint lander.,space,2026-10-15\n"
)


def test_a_previewed_create_is_not_applied_as_an_update_of_someone_elses_commitment(db):
    """Finding: apply planned the file again and wrote whatever that said. A row previewed
    as "create lunar-lander" was applied as an update of the commitment another editor made
    with that slug in between: their title and summary overwritten, unseen by either, and
    the result page still said "create"."""
    from commitments.imports import batches
    from commitments.models import Commitment, ImportBatch
    from tests.factories import make_commitment, make_editor, make_sector

    space = make_sector(slug="space", name="Space")
    editor = make_editor("importer")
    batch = _commitments_batch(editor, PORTFOLIO)
    assert (batch.state, batch.to_create) == (ImportBatch.State.CHECKED, 1), batch.message
    theirs = make_commitment(
        slug="lunar-lander", title="Colleague's lander", summary="Theirs.", sector=space
    )
    assert batches.start_apply(batch)
    batch.refresh_from_db()
    theirs.refresh_from_db()
    assert theirs.title == "Colleague's lander"
    assert batch.state == ImportBatch.State.CHECKED
    assert "changed since the preview" in batch.message
    assert [row.action for row in batch.rows.all()] == ["update"]
    # Confirmed again, on the new preview, it is applied.
    assert batches.start_apply(batch)
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.APPLIED
    assert Commitment.objects.get(slug="lunar-lander").title == "Lunar lander"


def test_a_row_that_now_writes_less_does_not_stop_the_apply(analyst):
    """An update previewed as created and recorded meanwhile by its own author is skipped."""
    from commitments.imports import batches
    from commitments.models import ImportBatch, StatusUpdate
    from tests.factories import make_commitment, make_update
    from tests.imports.test_updates import csv_file, row, upload

    rail = make_commitment(slug="rail-link", title="High-speed rail link")
    batch = upload(analyst, csv_file([row("rail-link"), row("rail-link", summary="Another")]))
    assert batch.to_create == 2
    make_update(
        rail, author=analyst, as_of=datetime.date(2026, 1, 5), summary="Work began on site."
    )
    assert batches.start_apply(batch)
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.APPLIED, batch.message
    assert StatusUpdate.objects.count() == 2


# --- prune_imports and an import confirmed meanwhile -----------------------------------------


def test_prune_does_not_delete_an_import_confirmed_between_its_select_and_its_delete(
    analyst, monkeypatch
):
    """Finding: prune_imports picked old previews' ids, then deleted by id alone: a preview
    confirmed in between (now queued to apply) was deleted under its queued task."""
    from django.db.models.query import QuerySet
    from django.utils import timezone

    from commitments.management.commands.prune_imports import prune_imports
    from commitments.models import ImportBatch

    batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.UPDATES,
        created_by=analyst,
        filename="old.csv",
        checksum="0" * 64,
        size=1,
        content=b"x",
        state=ImportBatch.State.CHECKED,
    )
    ImportBatch.objects.filter(pk=batch.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=40)
    )
    real = QuerySet.values_list
    calls = []

    def confirmed_meanwhile(self, *args, **kwargs):
        result = real(self, *args, **kwargs)
        if self.model is ImportBatch and not calls:
            calls.append(list(result))
            ImportBatch.objects.filter(pk=batch.pk).update(
                state=ImportBatch.State.APPLY_QUEUED, updated_at=timezone.now()
            )
            return calls[0]
        return result

    monkeypatch.setattr(QuerySet, "values_list", confirmed_meanwhile)
    prune_imports(30)
    assert ImportBatch.objects.filter(pk=batch.pk).exists()


# --- NUL bytes past the first 4 KB -----------------------------------------------------------


def test_a_nul_byte_past_the_first_4_kb_is_said_in_words(analyst):
    """Finding: only the first 4,096 bytes were looked at for NUL; one further down reached
    the database: PostgreSQL refuses it ("cannot contain NUL"), the check stopped on an
    unexpected error instead of saying what is wrong (SQLite stored it)."""
    from commitments.models import ImportBatch
    from tests.factories import make_commitment
    from tests.imports.test_updates import csv_file, row, upload

    make_commitment(slug="rail-link", title="High-speed rail link")
    rows = [row("rail-link", summary=f"Padding row {n} " + "x" * 100) for n in range(60)]
    rows.append(row("rail-link", summary="Bad \x00 summary"))
    data = csv_file(rows)
    assert data.index(b"\x00") > 4096
    batch = upload(analyst, data)
    assert batch.state == ImportBatch.State.FAILED
    assert "unexpected error" not in batch.message
    assert "binary" in batch.message


def test_a_workbook_whose_cells_are_not_valid_xml_is_said_to_be_damaged():
    """Finding: the sheet is parsed as its rows are read; "&#0;" in a cell (not allowed in
    XML) raised a ParseError past the reader: the check stopped on an "unexpected error"."""
    data = _workbook([HEADER, ["rail-link", "2026-01-05", "on_track", "MARKER"]])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename).replace(b"MARKER", b"a&#0;b"))
    with pytest.raises(ImportFileError, match="could not be opened"):
        read_table("bad.xlsx", out.getvalue(), Plain)


# --- Admin: who applied a colleague's import -------------------------------------------------


def test_the_history_names_the_editor_who_applied_a_colleagues_import(client, db):
    """Finding: any editor may apply any editor's commitments import (admin_imports._batch),
    but the commitments' history records the uploader as history_user: the editor who
    decided to write the changes appears nowhere."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from commitments.models import Commitment, ImportBatch
    from tests.factories import make_editor, make_sector

    make_sector(slug="space", name="Space")
    uploader, applier = make_editor("uploader-editor"), make_editor("applying-editor")
    client.force_login(uploader)
    client.post(
        "/admin/commitments/commitment/import/",
        {"file": SimpleUploadedFile("p.csv", PORTFOLIO)},
    )
    batch = ImportBatch.objects.get()
    client.force_login(applier)
    client.post(reverse("admin:commitments_commitment_import_apply", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.APPLIED
    record = Commitment.objects.get(slug="lunar-lander").history.latest()
    assert record.history_user == applier
    assert record.history_change_reason.startswith("Imported by applying-editor from p.csv")
    assert batch.applied_by == applier


# --- A cancel while the check starts ---------------------------------------------------------


def test_a_cancel_just_before_the_check_starts_stays_a_cancel(analyst, monkeypatch):
    """Finding: check() read the batch (queued), then saved it as "being checked" whatever
    it had become: a cancel pressed in between was overwritten, and the cancelled import
    came back as a preview ready to import."""
    from django.db.models.query import QuerySet

    from commitments.imports import batches
    from commitments.models import ImportBatch
    from tests.factories import make_commitment
    from tests.imports.test_updates import csv_file, row

    make_commitment(slug="rail-link", title="High-speed rail link")
    data = csv_file([row("rail-link")])
    batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.UPDATES,
        created_by=analyst,
        filename="u.csv",
        checksum="0" * 64,
        size=len(data),
        content=data,
    )
    real_get = QuerySet.get

    def read_then_cancelled(self, *args, **kwargs):
        found = real_get(self, *args, **kwargs)
        if self.model is ImportBatch and found.pk == batch.pk and found.state == "queued":
            ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.CANCELLED)
        return found

    monkeypatch.setattr(QuerySet, "get", read_then_cancelled)
    batches.check(batch.pk)
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.CANCELLED
