"""manage.py import_updates: the same check and apply as the workspace, in-process."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from commitments.models import ImportBatch, StatusUpdate
from tests.factories import make_commitment, make_user
from tests.imports.test_updates import csv_file, row


@pytest.fixture
def rail(db):
    return make_commitment(slug="rail-link")


def run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_updates", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path, data, name="updates.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_imports_drafts_and_prints_a_summary(tmp_path, analyst, rail):
    path = write(tmp_path, csv_file([row("rail-link"), row("rail-link", summary="Two")]))
    out, _err = run(path, "--as", "alice")
    assert "Imported 2 update(s) as drafts by alice" in out
    assert StatusUpdate.objects.filter(state="draft", author=analyst).count() == 2
    assert ImportBatch.objects.get().state == ImportBatch.State.APPLIED


def test_submit(tmp_path, analyst, rail):
    path = write(tmp_path, csv_file([row("rail-link")]))
    out, _err = run(path, "--as", "alice", "--submit")
    assert "as submitted for review" in out
    assert StatusUpdate.objects.get().state == StatusUpdate.State.SUBMITTED


def test_dry_run_writes_nothing(tmp_path, analyst, rail):
    path = write(tmp_path, csv_file([row("rail-link")]))
    out, _err = run(path, "--as", "alice", "--dry-run")
    assert "Dry run, nothing written. 1 row(s): 1 to import" in out
    assert not StatusUpdate.objects.exists()
    assert ImportBatch.objects.get().state == ImportBatch.State.CANCELLED


def test_problem_rows_are_printed_and_exit_non_zero(tmp_path, analyst, rail):
    path = write(
        tmp_path, csv_file([row("rail-link"), row("nowhere", as_of="2030-01-01", summary="x")])
    )
    with pytest.raises(CommandError, match="1 of 2 row"):
        from io import StringIO

        err = StringIO()
        try:
            call_command("import_updates", path, "--as", "alice", stderr=err)
        finally:
            printed = err.getvalue()
    assert "row 3: No commitment has the slug “nowhere”" in printed
    assert "row 3: The as-of date cannot be in the future." in printed
    assert not StatusUpdate.objects.exists()


def test_file_problem(tmp_path, analyst):
    path = write(tmp_path, b"%PDF-1.4 ...", name="updates.pdf")
    with pytest.raises(CommandError, match="seems to be a PDF document"):
        run(path, "--as", "alice")


def test_missing_file(tmp_path, analyst):
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "nope.csv"), "--as", "alice")


def test_unknown_user(tmp_path, db):
    path = write(tmp_path, csv_file([]))
    with pytest.raises(CommandError, match="No user is called “ghost”"):
        run(path, "--as", "ghost")


def test_user_must_be_a_contributor(tmp_path, db):
    make_user("olivia")
    path = write(tmp_path, csv_file([]))
    with pytest.raises(CommandError, match="not an analyst or an editor"):
        run(path, "--as", "olivia")


def test_all_recorded_already_is_fine(tmp_path, analyst, rail):
    path = write(tmp_path, csv_file([row("rail-link")]))
    run(path, "--as", "alice")
    out, _err = run(path, "--as", "alice")
    assert "Nothing to import. 1 row(s): 0 to import, 1 already recorded (skipped)" in out
    assert StatusUpdate.objects.count() == 1


def test_progress_is_printed_for_long_files(tmp_path, analyst, rail):
    rows = [row("rail-link", summary=f"Update {n}", as_of="2026-01-05") for n in range(2100)]
    out, err = run(write(tmp_path, csv_file(rows)), "--as", "alice")
    assert "Checked 1,000 of 2,100 rows…" in err
    assert "Checked 2,000 of 2,100 rows…" in err
    assert "Imported 2100 update(s)" in out
