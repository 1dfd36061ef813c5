"""The commitments import (commitments/imports/commitments.py): every problem in words, create
and update by slug, parents in any order, parties with roles, all or nothing, history."""

import datetime
import hashlib
from decimal import Decimal

import pytest
from django.utils import translation

from commitments.imports import batches
from commitments.imports.base import ImportFileError, Row, Table
from commitments.imports.commitments import Planner, parse_date, parse_number
from commitments.models import Commitment, CommitmentParty, ImportBatch, Party, StatusUpdate
from tests.factories import (
    make_analyst,
    make_commitment,
    make_editor,
    make_event,
    make_party,
    make_published_update,
    make_sector,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return make_editor("importing-editor")


@pytest.fixture
def world():
    space = make_sector(slug="space", name="Space")
    make_sector(slug="energy", name="Energy")
    make_event(slug="summit-2026", name="Summit 2026")
    make_party(slug="isro", name="Indian Space Research Organisation", short_name="ISRO")
    make_party(slug="jaxa", name="Japan Aerospace Exploration Agency", short_name="JAXA")
    make_party(slug="india", name="India")
    return space


def new_batch(user, content=b"", filename="portfolio.csv", language="en-gb"):
    return ImportBatch.objects.create(
        kind=ImportBatch.Kind.COMMITMENTS,
        created_by=user,
        language=language,
        filename=filename,
        checksum=hashlib.sha256(content).hexdigest(),
        size=len(content),
        content=content,
    )


def plan(user, rows, columns=None):
    columns = columns or list(dict.fromkeys(name for row in rows for name in row))
    table = Table(
        columns=columns,
        rows=[
            Row(number, {c: row.get(c, "") for c in columns}) for number, row in enumerate(rows, 2)
        ],
    )
    return Planner(new_batch(user)).plan(table, lambda done: None)


def good(**cells):
    row = {
        "slug": "lunar-lander",
        "title": "Lunar lander",
        "summary": "A joint lander.",
        "sector": "space",
        "announced_on": "2026-10-15",
    }
    row.update(cells)
    return row


def problems_of(user, **cells):
    [result] = plan(user, [good(**cells)])
    assert result.action == "error", result
    return result.problems


# Creating -----------------------------------------------------------------------------------


def test_a_good_new_row_is_to_create(editor, world):
    [result] = plan(editor, [good(parties="isro:lead; jaxa:counterpart")])
    assert result.action == "create"
    assert result.subject == "lunar-lander"
    assert result.text == "Lunar lander"
    assert result.problems == []


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"sector": "mining"}, "Unknown sector “mining”"),
        ({"sector": ""}, "sector: This field cannot be null."),
        ({"event": "summit-1999"}, "Unknown event “summit-1999”"),
        ({"announced_on": "15/10/2026"}, "announced_on: “15/10/2026” is not a date"),
        ({"announced_on": "2026-02-30"}, "announced_on: “2026-02-30” is not a date"),
        (
            {"deadline": "2026-01-01", "deadline_precision": "day"},
            "deadline: The deadline cannot be before the announced date.",
        ),
        ({"deadline": "2030-12-31"}, "Say how precise the deadline is"),
        ({"deadline_precision": "decade", "deadline": "2030-01-01"}, "not one of day, month"),
        ({"target_unit": "JPY"}, "Give the target value for this unit"),
        ({"target_value": "100"}, "target_unit: A target value needs a unit."),
        ({"target_value": "lots", "target_unit": "count"}, "target_value: “lots” is not a number"),
        (
            {"target_value": "-5", "target_unit": "count"},
            "target_value: A target cannot be negative.",
        ),
        ({"baseline_value": "5"}, "A baseline only makes sense with a target value."),
        (
            {"target_value": "5", "baseline_value": "5", "target_unit": "count"},
            "The target must differ from the baseline.",
        ),
        ({"target_value": "5", "target_unit": "other"}, "Name the unit"),
        ({"counts_toward_parent": "maybe"}, "counts_toward_parent: “maybe” is neither yes nor no"),
        ({"counts_toward_parent": "yes"}, "Only a commitment with a parent can count toward it."),
        ({"title": ""}, "title: This field cannot be blank."),
        ({"summary": "x" * 301}, "summary: Ensure this value has at most 300 characters"),
        ({"slug": "not a slug!"}, "slug: Enter a valid “slug”"),
        ({"parties": "nasa:lead"}, "parties: unknown party “nasa”"),
        ({"parties": "isro:sponsor"}, "parties: “sponsor” is not a role. Use one of: lead,"),
        ({"parties": "isro:lead; ISRO:partner"}, "parties: “ISRO” is listed twice."),
        ({"parent": "no-such-thing"}, "parent: no commitment has the slug “no-such-thing”"),
        ({"parent": "lunar-lander"}, "A commitment cannot be its own parent."),
    ],
)
def test_each_problem_in_words(editor, world, cells, expected):
    problems = problems_of(editor, **cells)
    assert any(expected in problem for problem in problems), problems


def test_every_problem_of_a_row_is_listed(editor, world):
    problems = problems_of(
        editor, sector="mining", announced_on="yesterday", parties="nasa", target_value="x"
    )
    assert len(problems) >= 4, problems


def test_missing_slug_and_twice_the_same_slug(editor, world):
    results = plan(editor, [good(slug=""), good(), good(title="Again")])
    assert results[0].problems == ["The slug is missing: each row needs one."]
    assert results[1].action == "create"
    assert results[2].problems == ["The slug “lunar-lander” is already used by row 3 of this file."]


def test_a_file_without_slug_or_url_is_refused(editor, world):
    with pytest.raises(ImportFileError, match="needs a “slug” column"):
        plan(editor, [{"title": "Lunar lander"}])


def test_the_slug_can_come_from_the_exports_url(editor, world):
    make_commitment(slug="rail-link", title="Rail link", sector=world)
    [result] = plan(
        editor,
        [{"url": "https://tracker.example/ja/commitments/rail-link/", "title": "High-speed rail"}],
    )
    assert result.subject == "rail-link"
    assert result.action == "update"
    [bad] = plan(editor, [{"url": "https://tracker.example/about/", "title": "X"}])
    assert "is not the address of a commitment" in bad.problems[0]


def test_sector_by_name_and_party_by_name_or_short_name(editor, world):
    [result] = plan(
        editor,
        [good(sector="SPACE", parties="Indian Space Research Organisation:Lead; JAXA:partner")],
    )
    assert result.action == "create", result.problems
    assert [(p.slug, r) for p, r in result.payload.parties] == [
        ("isro", "lead"),
        ("jaxa", "partner"),
    ]


def test_a_party_without_a_role_is_a_lead(editor, world):
    [result] = plan(editor, [good(parties="india")])
    assert [(p.slug, r) for p, r in result.payload.parties] == [("india", "lead")]


def test_numbers_and_dates_as_spreadsheets_write_them():
    assert parse_number("10,00,000") == Decimal("1000000")
    assert parse_number("1,000,000.5") == Decimal("1000000.5")
    assert parse_number("1,0") is None
    assert parse_number("12abc") is None
    assert parse_date("2030-03-31") == datetime.date(2030, 3, 31)
    assert parse_date("2030-03-31 00:00:00") == datetime.date(2030, 3, 31)
    assert parse_date("31.03.2030") is None


def test_problems_in_the_uploaders_language(editor, world):
    with translation.override("ja"):
        problems = problems_of(editor, sector="mining")
    assert not any("Unknown sector" in problem for problem in problems)


# Updating -----------------------------------------------------------------------------------


def test_an_update_says_what_changes(editor, world):
    existing = make_commitment(
        slug="lunar-lander",
        title="Lunar lander",
        summary="A joint lander.",
        sector=world,
        announced_on=datetime.date(2026, 10, 15),
        parties=[(make_party(slug="nasa"), "lead")],
    )
    [result] = plan(
        editor,
        [good(title="Lunar polar lander", deadline="2030", deadline_precision="year")],
    )
    # "2030" is not a date: the row says so.
    assert result.action == "error"
    [result] = plan(
        editor,
        [
            good(
                title="Lunar polar lander",
                deadline="2030-01-01",
                deadline_precision="year",
                parties="isro:lead",
            )
        ],
    )
    assert result.action == "update", result.problems
    assert result.payload.pk == existing.pk
    assert "title: Lunar lander → Lunar polar lander" in result.notes
    assert "deadline: (empty) → 2030-12-31" in result.notes
    assert "deadline_precision: (empty) → year" in result.notes
    assert "parties: nasa:lead → isro:lead" in result.notes
    assert not any(note.startswith("summary") for note in result.notes)


def test_an_unchanged_row_is_skipped(editor, world):
    make_commitment(
        slug="lunar-lander",
        title="Lunar lander",
        summary="A joint lander.",
        sector=world,
        announced_on=datetime.date(2026, 10, 15),
        parties=[(make_party(slug="nasa"), "lead")],
    )
    [result] = plan(editor, [good(parties="nasa:lead")])
    assert result.action == "skip"
    assert result.notes == ["No change."]


def test_the_exports_own_parties_text_changes_nothing(editor, world):
    existing = make_commitment(
        slug="lunar-lander",
        title="Lunar lander",
        summary="A joint lander.",
        sector=world,
        announced_on=datetime.date(2026, 10, 15),
    )
    india, japan = make_party(slug="in", name="India 2"), make_party(slug="jp", name="Japan 2")
    CommitmentParty.objects.create(commitment=existing, party=india, role="lead")
    CommitmentParty.objects.create(commitment=existing, party=japan, role="counterpart")
    [result] = plan(editor, [good(parties=existing.party_pairs())])
    assert result.action == "skip"


def test_absent_columns_are_left_alone(editor, world):
    make_commitment(
        slug="lunar-lander",
        title="Lunar lander",
        summary="A joint lander.",
        description="Long text.",
        sector=world,
        announced_on=datetime.date(2026, 10, 15),
    )
    [result] = plan(editor, [{"slug": "lunar-lander", "deadline": "2031-06-30"}])
    assert result.action == "error"  # a deadline needs its precision: the model says so
    [result] = plan(
        editor, [{"slug": "lunar-lander", "deadline": "2031-06-30", "deadline_precision": "day"}]
    )
    assert result.action == "update", result.problems
    assert set(result.payload.values) == {"deadline", "deadline_precision"}


# Parents --------------------------------------------------------------------------------------


def test_a_parent_later_in_the_file(editor, world):
    results = plan(
        editor,
        [
            good(
                slug="part",
                title="Part",
                parent="whole",
                target_value="10",
                target_unit="count",
                counts_toward_parent="yes",
            ),
            good(slug="whole", title="Whole", target_value="100", target_unit="count"),
        ],
    )
    assert [r.action for r in results] == ["create", "create"], [r.problems for r in results]


def test_counting_toward_a_parent_in_the_file_needs_the_same_unit(editor, world):
    results = plan(
        editor,
        [
            good(
                slug="part",
                parent="whole",
                target_value="10",
                target_unit="count",
                counts_toward_parent="yes",
            ),
            good(slug="whole", title="Whole", target_value="100", target_unit="JPY"),
        ],
    )
    assert results[0].action == "error"
    assert "same unit" in results[0].problems[0]


def test_a_loop_of_parents_is_refused(editor, world):
    results = plan(
        editor,
        [
            good(slug="a", parent="b"),
            good(slug="b", parent="c"),
            good(slug="c", parent="a"),
        ],
    )
    assert [r.action for r in results] == ["error"] * 3
    assert "a → b → c → a" in results[0].problems[0]


def test_a_loop_through_the_database_is_refused(editor, world):
    top = make_commitment(slug="top", sector=world)
    make_commitment(slug="below", parent=top, sector=world)
    [result] = plan(editor, [{"slug": "top", "parent": "below"}])
    assert result.action == "error"
    assert len([p for p in result.problems if p.startswith("parent:")]) == 1, result.problems


def test_a_parent_row_with_problems_is_named(editor, world):
    results = plan(editor, [good(slug="part", parent="whole"), good(slug="whole", sector="x")])
    assert results[0].problems == ["parent: row 3, which would create “whole”, has problems."]


# Applying -------------------------------------------------------------------------------------

HEADER = (
    "slug,title,summary,sector,event,parent,parties,announced_on,deadline,deadline_precision,"
    "target_value,target_unit,counts_toward_parent\n"
)


def run(user, text, filename="portfolio.csv"):
    """Check, then apply (the tests' backend runs the tasks at once)."""
    batch = new_batch(user, text.encode(), filename)
    batches.check(batch.pk)
    batch.refresh_from_db()
    if batch.can_apply:
        batches.start_apply(batch)
        batch.refresh_from_db()
    return batch


def test_apply_creates_parents_first_with_parties_and_history(editor, world):
    text = HEADER + (
        "part,Part,A part.,space,summit-2026,whole,isro:lead; jaxa:counterpart,2026-10-15,"
        "2028-06-01,month,10,count,yes\n"
        "whole,Whole,The whole.,Space,summit-2026,,india,2026-10-15,2030-01-01,year,100,count,no\n"
    )
    batch = run(editor, text)
    assert batch.state == ImportBatch.State.APPLIED, (batch.message, list(batch.rows.values()))
    assert batch.applied_count == 2
    part = Commitment.objects.get(slug="part")
    assert part.parent.slug == "whole"
    assert part.deadline == datetime.date(2028, 6, 30)
    assert part.counts_toward_parent
    assert part.event.slug == "summit-2026"
    assert [(link.party.slug, link.role) for link in part.commitment_parties.all()] == [
        ("isro", "lead"),
        ("jaxa", "counterpart"),
    ]
    record = part.history.latest()
    assert record.history_user == editor
    assert record.history_change_reason.startswith(
        "Imported by importing-editor from portfolio.csv (SHA-256 "
    )
    link = CommitmentParty.history.filter(commitment_id=part.pk).first()
    assert link.history_user == editor
    # Search and standing kept as the site keeps them.
    assert part.search_title
    assert StatusUpdate.objects.count() == 0


def test_apply_updates_and_recomputes_the_standing(editor, world):
    existing = make_commitment(
        slug="rail",
        title="Rail",
        sector=world,
        target_value=Decimal("100"),
        target_unit="count",
    )
    make_published_update(existing, progress_value=Decimal("50"))
    existing.refresh_from_db()
    assert existing.progress_percent == Decimal("50")
    version = existing.version
    batch = run(editor, "slug,target_value\nrail,200\n")
    assert batch.state == ImportBatch.State.APPLIED
    existing.refresh_from_db()
    assert existing.target_value == Decimal("200")
    assert existing.progress_percent == Decimal("25")
    assert existing.version == version + 1
    assert existing.history.latest().history_change_reason.startswith("Imported by")


def test_all_or_nothing(editor, world):
    text = HEADER + (
        "one,One,One.,space,,,,2026-10-15,,,,,no\ntwo,Two,Two.,nowhere,,,,2026-10-15,,,,,no\n"
    )
    batch = run(editor, text)
    assert batch.state == ImportBatch.State.CHECKED
    assert batch.with_problems == 1
    assert batch.to_create == 1
    assert not Commitment.objects.exists()
    row = batch.rows.get(number=3)
    assert row.action == "error"
    assert "Unknown sector “nowhere”" in row.problems[0]


def test_data_changed_since_the_preview_writes_nothing(editor, world):
    text = HEADER + "one,One,One.,space,,,,2026-10-15,,,,,no\n"
    batch = new_batch(editor, text.encode())
    batches.check(batch.pk)
    batch.refresh_from_db()
    assert batch.can_apply
    world.slug, world.name = "space-renamed", "Outer space"
    world.save()
    batches.start_apply(batch)
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.CHECKED
    assert batch.with_problems == 1
    assert not Commitment.objects.exists()


def test_an_analyst_cannot_import_commitments(world):
    analyst = make_analyst("importing-analyst")
    batch = run(analyst, HEADER + "one,One,One.,space,,,,2026-10-15,,,,,no\n")
    assert batch.state == ImportBatch.State.FAILED
    assert "Only editors may import commitments" in batch.message
    assert not Commitment.objects.exists()


def test_an_analyst_is_refused_in_apply_too(editor, world):
    """Even a batch checked while its uploader was an editor is not applied once they are not."""
    batch = new_batch(editor, (HEADER + "one,One,One.,space,,,,2026-10-15,,,,,no\n").encode())
    batches.check(batch.pk)
    batch.refresh_from_db()
    planner = Planner(batch)
    editor.groups.clear()
    editor.is_staff = False
    editor.save()
    batch.created_by = type(editor).objects.get(pk=editor.pk)
    planner = Planner(batch)
    with pytest.raises(ImportFileError, match="Only editors"):
        planner.apply([], lambda done: None)
    batches.start_apply(batch)
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.FAILED
    assert not Commitment.objects.exists()


def test_a_skipped_row_writes_nothing(editor, world):
    existing = make_commitment(slug="rail", title="Rail", sector=world)
    before = existing.history.count()
    batch = run(editor, "slug,title\nrail,Rail\nnew-one,New\n")
    # new-one lacks a summary, sector and date: problems, nothing applied.
    assert batch.state == ImportBatch.State.CHECKED
    assert existing.history.count() == before


def test_apply_changes_the_parties_of_an_existing_commitment(editor, world):
    nasa = make_party(slug="nasa")
    isro = Party.objects.get(slug="isro")
    existing = make_commitment(
        slug="rail", sector=world, parties=[(nasa, "lead"), (isro, "partner")]
    )
    batch = run(editor, "slug,parties\nrail,isro:lead; jaxa:counterpart\n")
    assert batch.state == ImportBatch.State.APPLIED, list(batch.rows.values("problems"))
    assert [(link.party.slug, link.role) for link in existing.commitment_parties.all()] == [
        ("isro", "lead"),
        ("jaxa", "counterpart"),
    ]
    removed = CommitmentParty.history.get(party_id=nasa.pk, history_type="-")
    assert removed.history_user == editor
    assert removed.history_change_reason.startswith("Imported by")


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_public_list_export_imports_back_unchanged(client, editor, seeded, export_format):
    """The list export's own columns are read (Commitment, Sector, Parties, Deadline, URL,
    Target value, Unit); imported back unedited, every row is skipped."""
    from commitments.imports.reading import read_table

    response = client.get(f"/commitments/?_export={export_format}")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    batch = new_batch(editor, content, f"commitments.{export_format}")
    table = read_table(batch.filename, content, Planner)
    assert {"title", "sector", "parties", "deadline", "url", "target_value", "target_unit"} <= set(
        table.columns
    )
    plans = Planner(batch).plan(table, lambda done: None)
    assert len(plans) == Commitment.objects.count()
    assert {p.action for p in plans} == {"skip"}, [
        (p.subject, p.problems, p.notes) for p in plans if p.action != "skip"
    ]


def test_a_named_unit_from_the_export_and_back_to_a_plain_one(editor, world):
    [result] = plan(editor, [good(target_value="500", target_unit="MW")])
    assert result.action == "create", result.problems
    assert result.payload.values["target_unit"] == "other"
    assert result.payload.values["target_unit_label"] == "MW"
    make_commitment(
        slug="solar",
        sector=world,
        target_value=Decimal("500"),
        target_unit="other",
        target_unit_label="MW",
    )
    [result] = plan(editor, [{"slug": "solar", "target_unit": "count"}])
    assert "target_unit_label: MW → (empty)" in result.notes


def test_a_long_text_change_is_shortened_in_the_note(editor, world):
    make_commitment(slug="rail", sector=world, description="Old.\n\nSecond paragraph.")
    [result] = plan(editor, [{"slug": "rail", "description": "New " * 100}])
    [note] = result.notes
    assert note.startswith("description: Old. Second paragraph. → New New")
    assert note.endswith("…")
    assert len(note) < 200


def test_a_database_refusal_undoes_the_whole_import(editor, world, monkeypatch):
    """Should clean() ever let through what the table's constraints refuse, the import fails
    as a whole, naming the row, and nothing stays written."""
    monkeypatch.setattr(Commitment, "clean", lambda self: None)
    text = HEADER + (
        "one,One,One.,space,,,,2026-10-15,,,,,no\ntwo,Two,Two.,space,,,,2026-10-15,,,100,,no\n"
    )
    batch = run(editor, text)
    assert batch.state == ImportBatch.State.FAILED
    assert batch.message.startswith("Row 3 could not be saved:")
    assert not Commitment.objects.exists()
