"""Data leaving the tracker: spreadsheets, CSV streams. Published data only."""

import csv
import datetime
from decimal import Decimal
from itertools import batched

from django.db import connection
from django.db.models import F
from django.http import StreamingHttpResponse
from django.urls import reverse
from django_tables2.export import TableExport
from tablib import Dataset

from commitments.models import Commitment, Source, StatusUpdate, TargetUnit, UpdateStatus

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Keep spreadsheet programs from running a text cell as a formula (=HYPERLINK(…),
    +1, @SUM…): such text gets a leading apostrophe. Numbers and dates stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeTableExport(TableExport):
    """django-tables2's export with formula injection neutralised in every cell."""

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        safe = Dataset(title=dataset.title, headers=dataset.headers)
        for row in dataset:
            safe.append([neutralise(value) for value in row])
        return safe


class _Echo:
    def write(self, value):
        return value


def csv_chunks(header: list[str], rows, rows_per_chunk: int = 1000, plain: bool = False):
    """CSV text in chunks of rows, plain values, formula injection neutralised. With
    `plain=True` the rows are final already (text, neutralised) and are written as they are."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)  # BOM: spreadsheet programs read UTF-8
    if not plain:
        rows = ([neutralise(plain_value(value)) for value in row] for row in rows)
    for chunk in batched(rows, rows_per_chunk):
        yield "".join(map(writer.writerow, chunk))


def stream_csv(filename: str, header: list[str], rows, plain: bool = False):
    """A CSV download written while it is read: memory stays flat however many rows."""
    return _csv_download(filename, csv_chunks(header, rows, plain=plain))


def _csv_download(filename: str, chunks):
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def plain_value(value):
    if isinstance(value, Decimal):
        text = f"{value:f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is None:
        return ""
    return value


PUBLISHED_UPDATE_COLUMNS = [
    "commitment",
    "commitment_url",
    "as_of",
    "status",
    "progress_value",
    "unit",
    "summary",
    "published_at",
    "sources",
]
EXPORT_BATCH = 2000  # rows per sources query (more cost memory and did not go faster)


def published_updates_csv(base_url: str):
    """Every published update, one row each, streamed with flat memory: written by
    PostgreSQL itself (COPY) there, by Python elsewhere (a query per 2,000 rows)."""
    if connection.vendor == "postgresql":
        return _csv_download("updates.csv", _published_update_csv_postgresql(base_url))
    rows = published_update_rows(base_url)
    return stream_csv("updates.csv", PUBLISHED_UPDATE_COLUMNS, rows, plain=True)


def published_update_rows(base_url: str):
    """Every published update as a row of PUBLISHED_UPDATE_COLUMNS, by commitment then date.

    Plain values, not model instances: the export runs to hundreds of thousands of rows, and
    building objects cost twenty times the writing. Sources come in one query per 2,000 rows."""
    updates = (
        StatusUpdate.objects.published()
        .order_by("commitment__title", "commitment_id", "as_of", "reviewed_at", "pk")
        .values_list(
            "pk",
            "commitment_id",
            "commitment__title",
            "commitment__slug",
            "as_of",
            "status",
            "progress_value",
            "commitment__target_unit",
            "commitment__target_unit_label",
            "summary",
            "reviewed_at",
        )
    )
    status_labels = dict(UpdateStatus.choices)
    url_pattern = base_url + reverse("commitments:detail", args=["-slug-"])
    # Values come out final (plain text, neutralised), for stream_csv(..., plain=True).
    for batch in batched(updates.iterator(chunk_size=EXPORT_BATCH), EXPORT_BATCH):
        citations = _citations(batch)
        for pk, _, title, slug, as_of, status, progress, unit, label, summary, at in batch:
            yield (
                neutralise(title),
                url_pattern.replace("-slug-", slug),
                as_of.isoformat(),
                status_labels.get(status, status),
                "" if progress is None else plain_value(progress),
                label if unit == TargetUnit.OTHER else unit,
                neutralise(summary),
                at.isoformat(),
                neutralise(" | ".join(citations.get(pk, ()))),
            )


def _citations(batch) -> dict[int, list[str]]:
    """'publisher — title — URL' for each source of each update of a batch, in the pages'
    order. A batch holds a few commitments over a span of dates: asking for those (rather
    than for two thousand update ids) keeps the query small, and may bring a few extra rows."""
    commitment_ids = {row[1] for row in batch}
    dates = [row[4] for row in batch]
    through = StatusUpdate.sources.through.objects.filter(
        statusupdate__state=StatusUpdate.State.PUBLISHED,
        statusupdate__commitment_id__in=commitment_ids,
        statusupdate__as_of__range=(min(dates), max(dates)),
    )
    cited: dict[int, list[str]] = {}
    for update_id, publisher, title, url in through.order_by(
        F("source__published_on").desc(), "source__title", "source_id"
    ).values_list("statusupdate_id", "source__publisher", "source__title", "source__url"):
        cited.setdefault(update_id, []).append(
            " — ".join(part for part in (publisher, title, url) if part)
        )
    return cited


def _published_update_csv_postgresql(base_url: str):
    """The same CSV as `published_update_rows`, written by PostgreSQL itself (COPY): the
    database sorts, joins, aggregates the sources and formats every row, and this only relays
    the bytes. Python building and writing the rows managed about 15,000 rows a second."""
    update, commitment = StatusUpdate._meta.db_table, Commitment._meta.db_table
    through, source = StatusUpdate.sources.through._meta.db_table, Source._meta.db_table
    prefix, suffix = (base_url + reverse("commitments:detail", args=["-slug-"])).split("-slug-")
    labels = " ".join("WHEN %s THEN %s" for _ in UpdateStatus.choices)
    starts = ", ".join(["%s"] * len(FORMULA_STARTS))
    # In the order the placeholders appear below.
    params = [*FORMULA_STARTS, prefix, suffix]
    params += [part for choice in UpdateStatus.choices for part in choice]
    params += [*FORMULA_STARTS, *FORMULA_STARTS]

    def safe(column):
        return f"CASE WHEN left({column}, 1) IN ({starts}) THEN '''' || {column} ELSE {column} END"

    published_at = "u.reviewed_at AT TIME ZONE 'UTC'"
    query = f"""
        COPY (
            SELECT
                {safe("c.title")},
                %s || c.slug || %s,
                to_char(u.as_of, 'YYYY-MM-DD'),
                CASE u.status {labels} ELSE u.status END,
                COALESCE(trim_scale(u.progress_value)::text, ''),
                CASE WHEN c.target_unit = 'other' THEN c.target_unit_label ELSE c.target_unit END,
                {safe("u.summary")},
                to_char({published_at}, 'YYYY-MM-DD"T"HH24:MI:SS')
                    || CASE WHEN to_char({published_at}, 'US') = '000000' THEN ''
                            ELSE to_char({published_at}, '.US') END
                    || '+00:00',
                {safe("COALESCE(cited.sources, '')")}
            FROM {update} u
            JOIN {commitment} c ON c.id = u.commitment_id
            LEFT JOIN LATERAL (
                SELECT string_agg(
                    concat_ws(' — ', NULLIF(s.publisher, ''), s.title, NULLIF(s.url, '')),
                    ' | ' ORDER BY s.published_on DESC, s.title, s.id
                ) AS sources
                FROM {through} t JOIN {source} s ON s.id = t.source_id
                WHERE t.statusupdate_id = u.id
            ) cited ON true
            WHERE u.state = 'published'
            ORDER BY c.title, u.commitment_id, u.as_of, u.reviewed_at, u.id
        ) TO STDOUT WITH (FORMAT csv)
    """
    yield ("\ufeff" + ",".join(PUBLISHED_UPDATE_COLUMNS) + "\r\n").encode()
    with connection.cursor() as cursor, cursor.cursor.copy(query, params) as copy:
        for block in copy:
            yield bytes(block)
