"""Data leaving the tracker: spreadsheets, CSV streams. Published data only."""

import csv
import datetime
import unicodedata
from decimal import Decimal
from itertools import batched

from django.db import connection
from django.db.models import F
from django.http import StreamingHttpResponse
from django.urls import reverse
from django_tables2.export import TableExport
from tablib import Dataset

from commitments.models import (
    OLDEST_FIRST,
    Commitment,
    Source,
    StatusUpdate,
    TargetUnit,
    UpdateStatus,
)

# What a spreadsheet program may run as a formula: text whose first character, once leading
# blanks are skipped and Unicode look-alikes folded (NFKC: ＝ ＋ － ＠ ﹦ ⁼ …), is one of these.
# U+2212 (minus sign) is what NFKC makes of ⁻ and ₋.
FORMULA_STARTS = ("=", "+", "-", "@", "\u2212")
# Skipped before looking: every character Python's str.isspace() knows (tab, CR, LF, NBSP,
# the Unicode spaces and separators: tests check the list) and the zero-width ones.
IGNORED_LEADING = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
    "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
    "\u180e\u200b\u200c\u200d\u2060\ufeff"
)
LOOKAHEAD = 16  # characters normalised to find the first one (a combining sequence fits)


def is_formula(text: str) -> bool:
    """Would a spreadsheet program run this text? The PostgreSQL export does the same test in
    SQL (`_neutralise_sql`): change both together."""
    if "!" <= text[:1] <= "~":  # the usual case: printable ASCII, no blank to skip
        return text[0] in FORMULA_STARTS
    head = text.lstrip(IGNORED_LEADING)
    if not head:
        return False
    if head[0] in FORMULA_STARTS:
        return True
    if head[0].isascii():  # NFKC leaves a leading ASCII character as it is
        return False
    folded = unicodedata.normalize("NFKC", head[:LOOKAHEAD]).lstrip(IGNORED_LEADING)
    return folded[:1] in FORMULA_STARTS


def neutralise(value):
    """Keep spreadsheet programs from running a text cell as a formula (=HYPERLINK(…), +1,
    @SUM…, also after blanks or as full-width ＝): such text gets a leading apostrophe.
    Numbers and dates stay as they are. Every export (CSV, XLSX, JSON of tables) uses this."""
    if not isinstance(value, str):
        return value
    if "!" <= value[:1] <= "~":  # is_formula's usual case, without the call (exports are long)
        return "'" + value if value[0] in FORMULA_STARTS else value
    return "'" + value if is_formula(value) else value


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
        .order_by("commitment__title", "commitment_id", *OLDEST_FIRST)
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
                neutralise(label if unit == TargetUnit.OTHER else unit),
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


_FORMULA_PARAMS = {"ignored": IGNORED_LEADING, "formula_starts": list(FORMULA_STARTS)}


def _neutralise_sql(column: str) -> str:
    """`neutralise` in SQL, for the COPY export: the same test as `is_formula`, with
    `_FORMULA_PARAMS` as parameters. The usual first character, printable ASCII, is decided
    at once; only the others pay for trimming and normalising (2.5 times slower for all)."""
    first = f"ascii({column})"  # the code point of the first character
    head = f"ltrim({column}, %(ignored)s)"
    folded = f"ltrim(normalize(left({head}, {LOOKAHEAD}), NFKC), %(ignored)s)"
    starts = "ANY(%(formula_starts)s)"
    quoted = f"'''' || {column}"
    return f"""CASE
        WHEN {first} BETWEEN 33 AND 126 THEN
            CASE WHEN {first} IN (43, 45, 61, 64) THEN {quoted} ELSE {column} END
        WHEN left({head}, 1) = {starts} OR left({folded}, 1) = {starts} THEN {quoted}
        ELSE {column}
    END"""


def _published_update_csv_postgresql(base_url: str):
    """The same CSV as `published_update_rows`, written by PostgreSQL itself (COPY): the
    database sorts, joins, aggregates the sources and formats every row, and this only relays
    the bytes. Python building and writing the rows managed about 15,000 rows a second."""
    update, commitment = StatusUpdate._meta.db_table, Commitment._meta.db_table
    through, source = StatusUpdate.sources.through._meta.db_table, Source._meta.db_table
    prefix, suffix = (base_url + reverse("commitments:detail", args=["-slug-"])).split("-slug-")
    labels = " ".join(
        f"WHEN %(status_{i})s THEN %(label_{i})s" for i in range(len(UpdateStatus.choices))
    )
    params = {"prefix": prefix, "suffix": suffix, **_FORMULA_PARAMS}
    for i, (status, label) in enumerate(UpdateStatus.choices):
        params |= {f"status_{i}": status, f"label_{i}": label}
    safe = _neutralise_sql
    unit = "CASE WHEN c.target_unit = 'other' THEN c.target_unit_label ELSE c.target_unit END"
    published_at = "u.reviewed_at AT TIME ZONE 'UTC'"
    query = f"""
        COPY (
            SELECT
                {safe("c.title")},
                %(prefix)s || c.slug || %(suffix)s,
                to_char(u.as_of, 'YYYY-MM-DD'),
                CASE u.status {labels} ELSE u.status END,
                COALESCE(trim_scale(u.progress_value)::text, ''),
                {safe(unit)},
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
            ORDER BY c.title, u.commitment_id, u.as_of, u.reviewed_at NULLS FIRST, u.id
        ) TO STDOUT WITH (FORMAT csv)
    """
    yield ("\ufeff" + ",".join(PUBLISHED_UPDATE_COLUMNS) + "\r\n").encode()
    with connection.cursor() as cursor, cursor.cursor.copy(query, params) as copy:
        for block in copy:
            yield bytes(block)
