"""The update log's sources cell is stored on each update (`cited_sources`, kept by
commitments/citations.py): it must follow every change of citations and of cited sources,
and the export must show published updates only, in a fixed number of queries."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from commitments import citations
from commitments.exports import PUBLISHED_UPDATE_COLUMNS, published_update_rows
from commitments.models import StatusUpdate
from tests.factories import (
    SUMMIT_DAY,
    make_analyst,
    make_commitment,
    make_editor,
    make_published_update,
    make_source,
    make_update,
    open_correction,
    open_retraction,
    publish,
)

pytestmark = pytest.mark.django_db


def export(client) -> list[dict]:
    response = client.get("/updates/export.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def sources_cell(client, summary: str) -> str:
    (row,) = [row for row in export(client) if row["summary"] == summary]
    return row["sources"]


def stored_is_fresh():
    """Every update's stored text is what recomputing it from the citations gives."""
    fresh = citations.texts(StatusUpdate)
    stored = dict(StatusUpdate.objects.values_list("pk", "cited_sources"))
    assert stored == {pk: fresh.get(pk, "") for pk in stored}


def cite(source) -> str:
    return " — ".join(part for part in (source.publisher, source.title, source.url) if part)


def test_sources_added_and_removed_before_publication(client):
    first = make_source(title="First", publisher="MEA", published_on=datetime.date(2025, 8, 1))
    second = make_source(title="Second", published_on=datetime.date(2025, 8, 20))
    third = make_source(title="Third", url="", published_on=datetime.date(2025, 8, 10))
    update = make_update(summary="Cited", sources=[first])
    update.sources.add(second, third)
    stored_is_fresh()
    update.sources.remove(first)
    update.sources.add(first)
    update.sources.remove(third)
    # The in-memory instance follows too: a later full save() does not write an old text.
    assert update.cited_sources == f"{cite(second)} | {cite(first)}"
    update.save()
    publish(update)
    assert sources_cell(client, "Cited") == f"{cite(second)} | {cite(first)}"
    stored_is_fresh()


def test_sources_set_and_cleared_from_the_source_side(client):
    source = make_source(title="Shared")
    drafts = [make_update(summary=f"Draft {i}", sources=[]) for i in range(3)]
    source.status_updates.add(*drafts)
    stored_is_fresh()
    assert StatusUpdate.objects.get(pk=drafts[0].pk).cited_sources == cite(source)
    source.status_updates.remove(drafts[0])
    stored_is_fresh()
    source.status_updates.clear()
    stored_is_fresh()
    assert set(StatusUpdate.objects.values_list("cited_sources", flat=True)) == {""}
    source.status_updates.set(drafts[1:])
    publish(drafts[1])
    assert sources_cell(client, "Draft 1") == cite(source)


def test_a_published_updates_sources_stay_as_published(client):
    source, other = make_source(title="Kept"), make_source(title="Refused")
    update = make_published_update(summary="Fixed", sources=[source])
    for change in (
        lambda: update.sources.add(other),
        lambda: update.sources.remove(source),
        lambda: update.sources.clear(),
        lambda: other.status_updates.add(update),
    ):
        with pytest.raises(ValidationError), transaction.atomic():
            change()
    assert sources_cell(client, "Fixed") == cite(source)
    stored_is_fresh()


def test_first_sources_of_a_loaded_published_update(client):
    """Loading data gives a published update its first sources (the one allowed path)."""
    update = make_update(summary="Loaded", sources=[], state=StatusUpdate.State.DRAFT)
    update.state, update.reviewed_at = StatusUpdate.State.PUBLISHED, SUMMIT_DAY_NOON
    update.save(update_fields=["state", "reviewed_at"])
    source = make_source(title="Loaded with it")
    update.sources.add(source)
    assert sources_cell(client, "Loaded") == cite(source)


SUMMIT_DAY_NOON = datetime.datetime(2025, 8, 30, 12, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    "field, value",
    [
        ("title", "Renamed report"),
        ("publisher", "Cabinet Office"),
        ("url", "https://example.org/moved"),
        ("published_on", datetime.date(2025, 6, 1)),  # moves it in the order
    ],
)
def test_editing_a_cited_source(client, field, value):
    early = make_source(title="Early", published_on=datetime.date(2025, 7, 1))
    edited = make_source(title="Edited", published_on=datetime.date(2025, 8, 1))
    make_published_update(summary="Public", sources=[early, edited])
    draft = make_update(summary="Draft", sources=[edited])
    setattr(edited, field, value)
    edited.save()
    expected = [edited, early] if edited.published_on > early.published_on else [early, edited]
    assert sources_cell(client, "Public") == " | ".join(map(cite, expected))
    assert StatusUpdate.objects.get(pk=draft.pk).cited_sources == cite(edited)
    stored_is_fresh()


def test_curating_a_cited_source_leaves_the_text_alone(client):
    source = make_source(title="Curated")
    make_published_update(summary="Public", sources=[source])
    source.archive_url = "https://web.archive.org/web/2025/https://example.org/"
    source.accessed_on = datetime.date(2025, 9, 1)
    source.save()
    assert sources_cell(client, "Public") == cite(source)


def test_deleting_a_source_a_draft_cites():
    kept, dropped = make_source(title="Kept"), make_source(title="Dropped")
    draft = make_update(summary="Draft", sources=[kept, dropped])
    dropped.delete()
    assert StatusUpdate.objects.get(pk=draft.pk).cited_sources == cite(kept)
    stored_is_fresh()


def test_a_published_correction_brings_its_own_sources(client):
    analyst, editor = make_analyst("corrector"), make_editor("corrections")
    old, new = make_source(title="Old figure"), make_source(title="New figure")
    original = make_published_update(summary="Rover at 60 %", sources=[old], by=editor)
    correction = open_correction(original, analyst, summary="Rover at 40 %")
    correction.sources.add(new)
    correction.publish(editor)
    rows = export(client)
    assert [row["summary"] for row in rows] == ["Rover at 40 %"]
    assert rows[0]["sources"] in (f"{cite(old)} | {cite(new)}", f"{cite(new)} | {cite(old)}")
    assert rows[0]["sources"] == StatusUpdate.objects.get(pk=correction.pk).cited_sources
    stored_is_fresh()


def test_publication_recomputes_a_text_a_bulk_path_left_stale(client):
    source = make_source(title="Right")
    update = make_update(summary="Bulk edited", sources=[source])
    StatusUpdate.objects.filter(pk=update.pk).update(cited_sources="stale")  # skips receivers
    publish(update)
    assert sources_cell(client, "Bulk edited") == cite(source)


def test_refresh_all_repairs_every_update():
    make_published_update(summary="One", sources=[make_source(), make_source()])
    make_update(summary="Two")
    StatusUpdate.objects.update(cited_sources="stale")
    assert citations.refresh_all() == 2
    stored_is_fresh()
    assert citations.refresh_all() == 0


def test_loaded_fixture_texts_are_fresh(seeded):
    assert StatusUpdate.objects.exclude(cited_sources="").exists()
    stored_is_fresh()


@pytest.mark.parametrize(
    "state",
    [
        StatusUpdate.State.DRAFT,
        StatusUpdate.State.SUBMITTED,
        StatusUpdate.State.REJECTED,
        StatusUpdate.State.SUPERSEDED,
        StatusUpdate.State.RETRACTED,
    ],
)
def test_the_export_holds_published_updates_only(client, state):
    commitment = make_commitment(title="Mixed")
    make_published_update(commitment, summary="PUBLIC", sources=[make_source(title="Seen")])
    fields = {"review_comment": "No."} if state == StatusUpdate.State.REJECTED else {}
    if state in (StatusUpdate.State.REJECTED, StatusUpdate.State.SUPERSEDED):
        fields["reviewed_at"] = SUMMIT_DAY_NOON
    make_update(
        commitment,
        summary="SECRET",
        state=state,
        sources=[make_source(title="SECRET SOURCE")],
        **fields,
    )
    body = b"".join(client.get("/updates/export.csv").streaming_content).decode("utf-8-sig")
    assert "SECRET" not in body
    assert [row["summary"] for row in export(client)] == ["PUBLIC"]
    assert [row[6] for row in published_update_rows("http://testserver")] == ["PUBLIC"]


def test_a_retraction_takes_the_update_out(client):
    analyst, editor = make_analyst("retractor"), make_editor("retractions")
    original = make_published_update(summary="Wrong mission", by=editor)
    make_published_update(summary="Right mission", by=editor)
    open_retraction(original, analyst).publish(editor)
    assert [row["summary"] for row in export(client)] == ["Right mission"]


def bulk_published(count: int):
    source = make_source(title="Ministry data")
    commitment = make_commitment(title=f"Bulk {count}", target_value=10**6, target_unit="people")
    updates = StatusUpdate.objects.bulk_create(
        StatusUpdate(
            commitment=commitment,
            as_of=SUMMIT_DAY + datetime.timedelta(days=i % 60),
            status="in_progress",
            progress_value=i,
            summary=f"Batch {i}",
            state="published",
            reviewed_at=SUMMIT_DAY_NOON,
        )
        for i in range(count)
    )
    StatusUpdate.sources.through.objects.bulk_create(
        StatusUpdate.sources.through(statusupdate_id=u.pk, source_id=source.pk) for u in updates
    )
    citations.refresh(u.pk for u in updates)  # bulk_create skips the receivers


def count_export_queries(client, expected_rows: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        rows = export(client)
    assert len(rows) == expected_rows
    return len(queries)


def test_the_export_runs_the_same_queries_for_10_or_1000_rows(client):
    bulk_published(10)
    few = count_export_queries(client, 10)
    bulk_published(990)
    assert count_export_queries(client, 1000) == few
    assert few <= 6


@pytest.mark.skipif(
    connection.vendor == "postgresql", reason="PostgreSQL's COPY writes it (compared by rows)"
)
def test_the_csv_is_what_csv_writer_writes(client):
    """The export writes its lines itself: byte for byte what `csv.writer` makes of the rows."""
    hostile = ['Quote "this", comma', "Line\nbreak", "Carriage\rreturn", "=1+1", " ", "plain"]
    for i, text in enumerate(hostile):
        commitment = make_commitment(
            title=f"{text} {i}", target_value=10, target_unit="other", target_unit_label=text
        )
        source = make_source(title=text, publisher=f'Pub, "{i}"')
        make_published_update(commitment, summary=text, progress_value="2.5", sources=[source])
    body = b"".join(client.get("/updates/export.csv").streaming_content).decode("utf-8")
    expected = io.StringIO()
    writer = csv.writer(expected)
    writer.writerow(PUBLISHED_UPDATE_COLUMNS)
    writer.writerows(published_update_rows("http://testserver"))
    assert body == "\ufeff" + expected.getvalue()


def test_a_commitment_published_between_the_exports_two_queries():
    from commitments.exports import _UpdateLog

    make_published_update(make_commitment(title="Early"), summary="First")
    log = _UpdateLog("http://testserver")  # has read the commitments, not yet the updates
    make_published_update(make_commitment(title="Late", slug="late"), summary="Second")
    ids = [row[0] for batch in log.batches() for row in batch]
    assert log.commitments[ids[-1]][1] == "http://testserver/commitments/late/"
