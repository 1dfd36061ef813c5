"""The updates import: every row's problems in words, all or nothing, never published."""

import csv
import hashlib
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from commitments.imports import batches
from commitments.imports.updates import Planner
from commitments.models import ImportBatch, ImportRow, Source, StatusUpdate
from tests.factories import (
    make_commitment,
    make_published_update,
    make_source,
    make_update,
    make_user,
)

HEADER = [
    "commitment",
    "as_of",
    "status",
    "progress_value",
    "summary",
    "body",
    "source_title",
    "source_url",
    "source_publisher",
    "source_published_on",
    "source_accessed_on",
]


def csv_file(rows, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header] if isinstance(row, dict) else row)
    return out.getvalue().encode("utf-8")


def row(commitment, **cells):
    cells.setdefault("as_of", "2026-01-05")
    cells.setdefault("status", "in_progress")
    cells.setdefault("summary", "Work began on site.")
    cells.setdefault("source_title", "Ministry statement")
    cells.setdefault("source_url", "https://example.gov/statement")
    return {"commitment": commitment, **cells}


def upload(user, data: bytes, *, submit=False, filename="updates.csv", language="en-gb"):
    batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.UPDATES,
        created_by=user,
        filename=filename,
        checksum=hashlib.sha256(data).hexdigest(),
        size=len(data),
        content=data,
        submit=submit,
        language=language,
    )
    batches.check(batch.pk)
    batch.refresh_from_db()
    return batch


def apply(batch):
    assert batches.start_apply(batch), (batch.state, batch.message, problems(batch))
    batch.refresh_from_db()
    return batch


def problems(batch):
    return {r.number: r.problems for r in ImportRow.objects.filter(batch=batch, action="error")}


@pytest.fixture
def rail(db):
    return make_commitment(slug="rail-link", title="High-speed rail link")


@pytest.fixture
def power(db):
    return make_commitment(
        slug="solar-power", title="Solar power", target_value=Decimal(100000), target_unit="count"
    )


def test_rows_become_drafts_by_the_uploader_with_sources_and_history(analyst, rail, power):
    data = csv_file(
        [
            row("rail-link"),
            row(
                "solar-power",
                status="Achieved",
                progress_value="50,000",
                body="Details **here**.",
                source_title="Grid data",
                source_url="https://example.gov/grid",
                source_publisher="Grid Corp",
                source_published_on="02/01/2026",
                source_accessed_on="2026-01-03",
            ),
        ]
    )
    batch = upload(analyst, data)
    assert batch.state == ImportBatch.State.CHECKED, batch.message
    assert (batch.to_create, batch.with_problems) == (2, 0)
    batch = apply(batch)
    assert batch.state == ImportBatch.State.APPLIED, batch.message
    assert batch.applied_count == 2
    updates = {u.commitment.slug: u for u in StatusUpdate.objects.all()}
    solar = updates["solar-power"]
    assert solar.state == StatusUpdate.State.DRAFT
    assert solar.author == analyst
    assert solar.status == "achieved"
    assert solar.progress_value == Decimal(50000)
    assert solar.body == "Details **here**."
    source = solar.sources.get()
    assert (source.title, source.publisher, source.added_by) == ("Grid data", "Grid Corp", analyst)
    assert str(source.published_on) == "2026-01-02"
    assert solar.cited_sources == "Grid Corp — Grid data — https://example.gov/grid"
    record = solar.history.get()
    assert record.history_user == analyst
    assert record.history_change_reason == Planner(batch).history_reason()
    assert record.history_change_reason.startswith("Imported by alice from updates.csv")
    assert [s.source_id for s in record.sources.all()] == [source.pk]
    assert source.history.get().history_user == analyst


def test_submit_means_submitted_never_published(analyst, rail, fixed_clock):
    batch = apply(upload(analyst, csv_file([row("rail-link")]), submit=True))
    update = StatusUpdate.objects.get()
    assert update.state == StatusUpdate.State.SUBMITTED
    assert update.submitted_at is not None
    assert update.reviewed_at is None
    assert not StatusUpdate.objects.published().exists()
    assert batch.applied_count == 1


def test_several_sources_on_consecutive_rows(analyst, rail):
    known = make_source(url="https://example.gov/known", title="Known", added_by=analyst)
    data = csv_file(
        [
            row("rail-link"),
            row("rail-link", source_title="Second", source_url="https://example.gov/two"),
            {"source_title": "Known again", "source_url": "https://example.gov/known"},
            row("rail-link", summary="Another update", source_url="https://example.gov/two"),
        ]
    )
    batch = apply(upload(analyst, data))
    assert batch.applied_count == 2
    first = StatusUpdate.objects.get(summary="Work began on site.")
    assert sorted(first.sources.values_list("url", flat=True)) == [
        "https://example.gov/known",
        "https://example.gov/statement",
        "https://example.gov/two",
    ]
    second = StatusUpdate.objects.get(summary="Another update")
    # The same URL twice in a file is one source; a URL on record is that record.
    assert second.sources.get() == Source.objects.get(url="https://example.gov/two")
    assert Source.objects.count() == 3
    assert Source.objects.get(pk=known.pk).title == "Known"


def test_source_on_record_of_someone_elses_unpublished_work_is_refused(analyst, rail):
    make_source(url="https://example.gov/secret", added_by=make_user("bob"))
    batch = upload(analyst, csv_file([row("rail-link", source_url="https://example.gov/secret")]))
    assert problems(batch) == {
        2: [
            "This URL is already on record for work not yet published; an editor can help "
            "you cite it."
        ]
    }


def test_public_source_is_cited(analyst, rail):
    published = make_published_update(rail, as_of=rail.announced_on)
    url = published.sources.get().url
    batch = apply(upload(analyst, csv_file([row("rail-link", source_url=url)])))
    assert batch.applied_count == 1
    assert StatusUpdate.objects.get(state="draft").sources.get().url == url


def test_every_problem_of_a_row_is_said(analyst, rail, power):
    data = csv_file(
        [
            row(
                "rail-lnik",
                as_of="2026-13-45",
                status="finished",
                progress_value="lots",
                summary="x" * 301,
                source_title="",
                source_url="ftp://example.org/file",
            ),
            row("rail-link", as_of="2027-01-01", progress_value="5"),
            row("rail-link", as_of="2024-01-01"),
            row("solar-power", progress_value="-5"),
            row("", as_of="", status="", summary="", body="Some details."),
            row("solar-power", progress_value="1.23456"),
            row(
                "rail-link",
                as_of="5 Jan 2026",
                source_published_on="2026-02-01",
                source_accessed_on="2026-01-01",
            ),
        ]
    )
    batch = upload(analyst, data)
    found = problems(batch)
    assert batch.with_problems == 7
    assert found[2] == [
        "No commitment has the slug “rail-lnik”. Did you mean “rail-link”?",
        "The as-of date “2026-13-45” is not a date: write it as YYYY-MM-DD (e.g. 2026-01-31) "
        "or DD/MM/YYYY (e.g. 31/01/2026).",
        "The status “finished” is not one of: announced (Announced), in_progress (In "
        "progress), delayed (Delayed), stalled (Stalled), partially_achieved (Partially "
        "achieved), achieved (Achieved), abandoned (Abandoned).",
        "The progress value “lots” is not a number: write digits only, e.g. 50000 or 50,000.",
        "The summary has 301 characters; at most 300 are allowed.",
        "The source URL “ftp://example.org/file” is not valid: Enter a valid URL.",
        "The source title is missing.",
    ]
    assert any("ftp://example.org/file" in p for p in found[2])
    assert "The source title is missing." in found[2]
    assert found[3] == [
        "The as-of date cannot be in the future.",
        "This commitment has no measurable target, so an update cannot record a progress value.",
    ]
    assert found[4] == [
        "The as-of date cannot be before the commitment was announced (29 August 2025)."
    ]
    assert found[5] == ["The progress value cannot be negative."]
    assert found[6] == [
        "The commitment is missing: give its slug.",
        "The as-of date is missing.",
        "The status is missing.",
        "The summary is missing.",
    ]
    assert found[7] == ["The progress value has more than 4 decimal places."]
    assert found[8] == [
        "The as-of date “5 Jan 2026” is not a date: write it as YYYY-MM-DD (e.g. 2026-01-31) "
        "or DD/MM/YYYY (e.g. 31/01/2026).",
        "A source cannot be accessed before it was published.",
    ]
    # Nothing can be applied.
    assert not batches.start_apply(batch)
    assert not StatusUpdate.objects.exists()


def test_missing_source(analyst, rail):
    batch = upload(analyst, csv_file([row("rail-link", source_title="", source_url="")]))
    assert problems(batch) == {
        2: [
            "The update has no source: give at least a source title (and its URL, unless it "
            "is a print document)."
        ]
    }


def test_print_source_without_url_is_allowed_like_the_form(analyst, rail):
    batch = apply(upload(analyst, csv_file([row("rail-link", source_url="")])))
    assert batch.applied_count == 1
    assert StatusUpdate.objects.get().sources.get().url == ""


def test_unknown_commitment_without_a_close_slug(analyst, rail):
    batch = upload(analyst, csv_file([row("zzzz-qqqq")]))
    assert problems(batch)[2][0].startswith("No commitment has the slug “zzzz-qqqq”: copy it")


@pytest.mark.parametrize(
    ("spelling", "value"),
    [
        ("in_progress", "in_progress"),
        ("In progress", "in_progress"),
        ("IN PROGRESS", "in_progress"),
        ("partially_achieved", "partially_achieved"),
    ],
)
def test_status_spellings(analyst, rail, spelling, value):
    apply(upload(analyst, csv_file([row("rail-link", status=spelling)])))
    assert StatusUpdate.objects.get().status == value


def test_status_in_japanese_and_hindi(analyst, rail):
    labels = []
    for code in ("ja", "hi"):
        with translation.override(code):
            labels.append(str(StatusUpdate.Status.ACHIEVED.label))
    assert labels[0] != "Achieved" and labels[1] != "Achieved"
    data = csv_file(
        [row("rail-link", status=labels[0]), row("rail-link", status=labels[1], summary="Two")]
    )
    apply(upload(analyst, data))
    assert set(StatusUpdate.objects.values_list("status", flat=True)) == {"achieved"}


def test_problems_in_the_uploaders_language(analyst, rail):
    batch = upload(analyst, csv_file([row("rail-link", as_of="")]), language="ja")
    [message] = problems(batch)[2]
    assert message != "The as-of date is missing."


def test_duplicate_of_recorded_update_is_skipped(analyst, rail):
    make_update(rail, author=analyst, as_of="2026-01-05", summary="Work began on site.")
    batch = upload(analyst, csv_file([row("rail-link"), row("rail-link", summary="New")]))
    [skipped] = ImportRow.objects.filter(batch=batch, action="skip")
    assert skipped.number == 2
    assert skipped.notes[0].startswith("Already recorded (update #")
    assert skipped.notes[0].endswith("skipped.")
    apply(batch)
    assert StatusUpdate.objects.count() == 2


def test_a_rejected_update_is_not_a_duplicate(analyst, rail, editor):
    update = make_update(rail, as_of="2026-01-05", summary="Work began on site.")
    update.submit()
    update.reject(editor, "No.")
    batch = upload(analyst, csv_file([row("rail-link")]))
    assert batch.to_create == 1


def test_same_update_twice_in_a_file(analyst, rail):
    data = csv_file([row("rail-link"), row("rail-link", summary="Other"), row("rail-link")])
    batch = upload(analyst, data)
    assert problems(batch) == {
        4: [
            "This update is the same as the one on row 2: give each update once, with its "
            "sources on consecutive rows."
        ]
    }


def test_a_bad_source_row_blocks_its_update(analyst, rail):
    data = csv_file([row("rail-link"), {"source_title": "x", "source_url": "javascript:x"}])
    found = problems(upload(analyst, data))
    assert found[2] == ["A source of this update, on the rows below, has problems."]
    assert "javascript:x" in found[3][0]


def test_only_contributors_may_import(db, rail):
    outsider = make_user("olivia")
    batch = upload(outsider, csv_file([row("rail-link")]))
    assert batch.state == ImportBatch.State.FAILED
    assert batch.message == "Only analysts and editors can import updates."


def test_apply_checks_the_permission_again(analyst, rail):
    batch = upload(analyst, csv_file([row("rail-link")]))
    analyst.groups.clear()
    analyst = type(analyst).objects.get(pk=analyst.pk)  # no cached permissions
    batch.created_by = analyst
    batches.start_apply(batch)
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.FAILED
    assert not StatusUpdate.objects.exists()


def test_all_or_nothing_when_apply_fails_midway(analyst, rail, monkeypatch):
    data = csv_file([row("rail-link"), row("rail-link", summary="Two")])
    batch = upload(analyst, data)

    def broken(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Planner, "_history", staticmethod(broken))
    batches.start_apply(batch)  # the task fails (the worker would run it again)
    batch.refresh_from_db()
    assert batch.state != ImportBatch.State.APPLIED
    assert not StatusUpdate.objects.exists()
    assert not Source.objects.exists()
    assert not StatusUpdate.history.exists()


def test_data_changed_since_the_preview_writes_nothing(analyst, rail):
    batch = upload(analyst, csv_file([row("rail-link"), row("rail-link", summary="Two")]))
    rail.announced_on = rail.announced_on.replace(year=2026, month=6)
    rail.save()
    batches.start_apply(batch)
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.CHECKED
    assert batch.with_problems == 2
    assert not StatusUpdate.objects.exists()


def test_planning_takes_a_bounded_number_of_queries(analyst, db):
    commitments = [make_commitment(slug=f"c-{n}") for n in range(30)]
    known = [make_source(url=f"https://example.gov/{n}", added_by=analyst) for n in range(5)]

    def rows(count):
        return [
            row(
                commitments[n % 30].slug,
                summary=f"Update {n}",
                source_url=known[n % 5].url if n % 2 else f"https://example.gov/new/{n}",
            )
            for n in range(count)
        ]

    counts = []
    for count in (10, 200):
        data = csv_file(rows(count))
        batch = ImportBatch.objects.create(
            kind="updates",
            created_by=analyst,
            filename="f.csv",
            checksum="0" * 64,
            content=data,
        )
        planner = Planner(batch)
        from commitments.imports.reading import read_table

        table = read_table("f.csv", data, planner)
        with CaptureQueriesContext(connection) as queries:
            plans = planner.plan(table, lambda done: None)
        assert all(p.action == "create" for p in plans)
        counts.append(len(queries))
    # The first plan also loads the uploader's permissions.
    assert counts[1] <= counts[0] <= 8


def test_applying_takes_a_bounded_number_of_queries(analyst, db):
    commitments = [make_commitment(slug=f"c-{n}") for n in range(30)]
    known = [make_source(url=f"https://example.gov/{n}", added_by=analyst) for n in range(5)]
    counts = []
    for count in (10, 300):
        data = csv_file(
            [
                row(
                    commitments[n % 30].slug,
                    summary=f"Update {count} {n}",
                    source_url=known[n % 5].url if n % 2 else f"https://example.gov/{count}/{n}",
                )
                for n in range(count)
            ]
        )
        batch = upload(analyst, data)
        with CaptureQueriesContext(connection) as queries:
            apply(batch)
        counts.append(len(queries))
        assert batch.applied_count == count
    assert counts[1] <= counts[0] + 2, counts  # a second chunk of history or links at most
    assert StatusUpdate.history.count() == 310
