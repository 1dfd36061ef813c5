"""`manage.py import_commitments FILE [--as USER] [--dry-run]`."""

import io

import pytest
from django.core.management import CommandError, call_command

from commitments.models import Commitment, ImportBatch
from tests.factories import make_analyst, make_commitment, make_editor, make_sector, make_user

pytestmark = pytest.mark.django_db

GOOD = "slug,title,summary,sector,announced_on\nlander,Lander,A lander.,space,2026-10-15\n"
BAD = GOOD + "rover,Rover,A rover.,mining,2026-10-15\n"


@pytest.fixture
def space():
    return make_sector(slug="space", name="Space")


def write(tmp_path, text, name="portfolio.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_commitments", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_imports_and_summarises(tmp_path, space):
    editor = make_editor("cli-editor")
    out, _ = run(write(tmp_path, GOOD), "--as", "cli-editor")
    assert "Imported portfolio.csv: 1 commitment(s) created, 0 updated, 0 unchanged" in out
    commitment = Commitment.objects.get(slug="lander")
    assert commitment.history.latest().history_user == editor
    assert ImportBatch.objects.get().state == ImportBatch.State.APPLIED


def test_problems_exit_non_zero_with_every_row(tmp_path, space):
    make_editor("cli-editor")
    with pytest.raises(CommandError, match=r"1 row\(s\) have problems"):
        run(write(tmp_path, BAD), "--as", "cli-editor")
    assert not Commitment.objects.exists()


def test_problem_rows_are_printed(tmp_path, space):
    make_editor("cli-editor")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_commitments", write(tmp_path, BAD), "--as", "cli-editor", stdout=out, stderr=err
        )
    assert "Row 3 (rover): Unknown sector “mining”" in err.getvalue()
    assert "2 row(s): 1 to create, 0 to update, 0 unchanged, 1 with problems." in out.getvalue()


def test_dry_run_writes_nothing(tmp_path, space):
    make_editor("cli-editor")
    out, _ = run(write(tmp_path, GOOD), "--as", "cli-editor", "--dry-run")
    assert "Dry run: nothing was written." in out
    assert not Commitment.objects.exists()


def test_updates_are_described(tmp_path, space):
    make_editor("cli-editor")
    make_commitment(slug="lander", title="Old title", sector=space)
    out, _ = run(write(tmp_path, "slug,title\nlander,New title\n"), "--as", "cli-editor")
    assert "Row 2 (lander) updates: title: Old title → New title" in out
    assert Commitment.objects.get().title == "New title"


def test_an_analyst_is_refused(tmp_path, space):
    make_analyst("cli-analyst")
    with pytest.raises(CommandError, match="not an editor"):
        run(write(tmp_path, GOOD), "--as", "cli-analyst")
    assert not ImportBatch.objects.exists()


def test_who_imports_must_be_said_unless_one_superuser(tmp_path, space):
    with pytest.raises(CommandError, match="--as USERNAME"):
        run(write(tmp_path, GOOD))
    make_user("root", is_superuser=True, is_staff=True)
    out, _ = run(write(tmp_path, GOOD))
    assert "1 commitment(s) created" in out
    with pytest.raises(CommandError, match="No active user"):
        run(write(tmp_path, GOOD), "--as", "nobody")


def test_a_bad_file_exits_non_zero(tmp_path, space):
    make_editor("cli-editor")
    with pytest.raises(CommandError, match="Nothing was imported"):
        run(write(tmp_path, "", "empty.csv"), "--as", "cli-editor")
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "missing.csv"), "--as", "cli-editor")


def test_progress_for_long_files(tmp_path, space):
    make_editor("cli-editor")
    lines = "".join(f"c-{n},Commitment {n},Summary {n}.,space,2026-10-15\n" for n in range(400))
    out, _ = run(
        write(tmp_path, "slug,title,summary,sector,announced_on\n" + lines), "--as", "cli-editor"
    )
    assert "400 of 400 rows checked" in out
    assert "rows applied" in out
    assert Commitment.objects.count() == 400
