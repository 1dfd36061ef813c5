"""Data leaving the tracker: spreadsheets, CSV streams. Published data only."""

import csv
import datetime
import functools
import unicodedata
from decimal import Decimal
from itertools import batched

from django.conf import settings
from django.db import connection
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import translation
from django_tables2.export import TableExport
from tablib import Dataset

from commitments.models import (
    Commitment,
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
EXPORT_BATCH = 500  # rows fetched, and written, at a time
COPY_BLOCK_BYTES = 256 * 1024


def published_updates_csv(base_url: str):
    """Every published update, one row each, streamed with flat memory: written by
    PostgreSQL itself (COPY, one query) there, by Python elsewhere (two). Each update's
    sources are stored as text on it (commitments/citations.py): no citation is read."""
    if connection.vendor == "postgresql":
        return _csv_download("updates.csv", _published_update_csv_postgresql(base_url))
    return _csv_download("updates.csv", _published_update_csv_python(base_url))


def published_update_rows(base_url: str):
    """Every published update as a row of PUBLISHED_UPDATE_COLUMNS, by commitment then date,
    in final form (plain text, neutralised). The CSV written elsewhere than on PostgreSQL
    (`_published_update_csv_python`) is these rows; tests hold the two together."""
    log = _UpdateLog(base_url)
    for batch in log.batches():
        for commitment, as_of, status, progress, summary, at, cited in batch:
            title, url, unit = log.commitments[commitment]
            yield (
                title,
                url,
                as_of if type(as_of) is str else as_of.isoformat(),
                log.labels.get(status, status),
                "" if progress is None else log.number(progress),
                unit,
                neutralise(summary),
                at if type(at) is str else _moment(at),
                neutralise(cited),
            )


def _published_update_csv_python(base_url: str):
    """`published_update_rows` as CSV text in chunks of rows, as `csv.writer` writes them in
    three times the time: only the columns that can hold a comma, a quote or a line break are
    looked at, and a commitment's own columns once."""
    header = csv.writer(_Echo()).writerow(PUBLISHED_UPDATE_COLUMNS)
    yield "\ufeff" + header  # BOM: spreadsheet programs read UTF-8
    log = _UpdateLog(base_url)

    def head(pk):  # a commitment's own columns as CSV text
        title, url, unit = log.commitments[pk]
        return f"{_csv_field(title)},{_csv_field(url)},", _csv_field(unit)

    heads = _Computed(head)
    labels = {status: _csv_field(label) for status, label in log.labels.items()}
    number, cell = log.number, _csv_cell
    current, head, unit = None, "", ""
    for batch in log.batches():
        lines = []
        for commitment, as_of, status, progress, summary, at, cited in batch:
            if commitment != current:
                current = commitment
                head, unit = heads[commitment]
            lines.append(
                f"{head}{as_of if type(as_of) is str else as_of.isoformat()},"
                f"{labels[status] if status in labels else _csv_field(status)},"
                f"{'' if progress is None else number(progress)},{unit},{cell(summary)},"
                f"{at if type(at) is str else _moment(at)},{cell(cited)}\r\n"
            )
        yield "".join(lines)


class _UpdateLog:
    """What both writers of the published updates read: one query for the commitments'
    columns (worked out once each), one for the updates, read from the database's own
    cursor (model instances cost twenty times the writing, Django's row handling much of
    the rest). It walks the commitments by title and each one's updates by date, the
    indexes' order: SQLite sorts almost nothing and streams from the first row."""

    def __init__(self, base_url: str):
        update, commitment = StatusUpdate._meta.db_table, Commitment._meta.db_table
        self.published = [StatusUpdate.State.PUBLISHED]
        url_pattern = base_url + reverse("commitments:detail", args=["-slug-"])

        def columns(title, slug, unit, label):
            return (
                neutralise(title),
                url_pattern.replace("-slug-", slug),
                neutralise(label if unit == TargetUnit.OTHER else unit),
            )

        def late(pk):  # published between the two queries
            fields = ("title", "slug", "target_unit", "target_unit_label")
            return columns(*Commitment.objects.values_list(*fields).get(pk=pk))

        self.commitments = _Computed(late)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""SELECT id, title, slug, target_unit, target_unit_label FROM {commitment}
                    WHERE id IN (SELECT commitment_id FROM {update} WHERE state = %s)""",
                self.published,
            )
            for pk, *fields in cursor.fetchall():
                self.commitments[pk] = columns(*fields)
        day, moment = "u.as_of", "u.reviewed_at"
        if connection.vendor == "sqlite":
            # Stored as ISO text, times in UTC as str() writes them: made what isoformat()
            # writes of the aware value here, faster than parsing them.
            day = "CAST(u.as_of AS TEXT)"
            moment = "substr(u.reviewed_at, 1, 10) || 'T' || substr(u.reviewed_at, 12) || '+00:00'"
        self.query = f"""
            SELECT c.id, {day}, u.status, u.progress_value, u.summary, {moment}, u.cited_sources
            FROM {commitment} c CROSS JOIN {update} u
            WHERE u.commitment_id = c.id AND u.state = %s
            ORDER BY c.title, c.id, u.as_of, u.reviewed_at NULLS FIRST, u.id
        """  # OLDEST_FIRST within a commitment
        # A data export: English column names and status words whatever the page's language
        # (a journalist's scripts read the same file from /ja/ and /hi/).
        with translation.override(settings.LANGUAGE_CODE):
            self.labels = {value: str(label) for value, label in UpdateStatus.choices}
        self.number = _number_writer()

    def batches(self):
        with connection.cursor() as cursor:
            cursor.execute(self.query, self.published)
            while batch := cursor.fetchmany(EXPORT_BATCH):
                yield batch


class _Computed(dict):
    """A dict that computes (and keeps) what it lacks."""

    def __init__(self, compute):
        super().__init__()
        self.compute = compute

    def __missing__(self, key):
        value = self[key] = self.compute(key)
        return value


def _csv_field(text: str) -> str:
    """A text as `csv.writer` (excel dialect, minimal quoting) writes it."""
    if '"' in text:
        return '"' + text.replace('"', '""') + '"'
    if "," in text or "\n" in text or "\r" in text:
        return '"' + text + '"'
    return text


def _csv_cell(text: str) -> str:
    """`_csv_field(neutralise(text))` in one call (two of them on every row)."""
    if "!" <= text[:1] <= "~":
        if text[0] in FORMULA_STARTS:
            text = "'" + text
    elif is_formula(text):
        text = "'" + text
    if '"' in text:
        return '"' + text.replace('"', '""') + '"'
    if "," in text or "\n" in text or "\r" in text:
        return '"' + text + '"'
    return text


def _number_writer():
    """A progress value as the database driver returns it, written as `plain_value` writes
    the model's Decimal (through Django's own converters: SQLite hands back floats)."""
    field = StatusUpdate._meta.get_field("progress_value")
    expression = field.get_col(StatusUpdate._meta.db_table)
    functions = connection.ops.get_db_converters(expression) + field.get_db_converters(connection)

    @functools.lru_cache(maxsize=4096)  # figures repeat; the cache is this export's only
    def number(raw):
        value = raw
        for convert in functions:
            value = convert(value, expression, connection)
        return plain_value(value if isinstance(value, Decimal) else Decimal(value))

    return number


def _moment(value) -> str:
    """A publication time as `datetime.isoformat()` of the aware UTC value writes it. SQLite
    gives the text it stores, UTC as `str(datetime)` writes it: 'T' and the offset added."""
    if isinstance(value, str):
        if len(value) >= 19 and value[10] == " " and value[19:20] in ("", "."):
            return value[:10] + "T" + value[11:] + "+00:00"
        value = datetime.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value.isoformat()


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
    database sorts, joins and formats every row (the sources' text is stored on each update),
    and this only relays the bytes."""
    update, commitment = StatusUpdate._meta.db_table, Commitment._meta.db_table
    prefix, suffix = (base_url + reverse("commitments:detail", args=["-slug-"])).split("-slug-")
    labels = " ".join(
        f"WHEN %(status_{i})s THEN %(label_{i})s" for i in range(len(UpdateStatus.choices))
    )
    params = {"prefix": prefix, "suffix": suffix, **_FORMULA_PARAMS}
    with translation.override(settings.LANGUAGE_CODE):  # a data export: English words
        for i, (status, label) in enumerate(UpdateStatus.choices):
            params |= {f"status_{i}": status, f"label_{i}": str(label)}
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
                {safe("u.cited_sources")}
            FROM {update} u
            JOIN {commitment} c ON c.id = u.commitment_id
            WHERE u.state = 'published'
            ORDER BY c.title, u.commitment_id, u.as_of, u.reviewed_at NULLS FIRST, u.id
        ) TO STDOUT WITH (FORMAT csv)
    """
    yield ("\ufeff" + ",".join(PUBLISHED_UPDATE_COLUMNS) + "\r\n").encode()
    # COPY hands over a row at a time: relayed in blocks of about 256 KB, the server writes
    # to the client a few hundred times instead of once per row.
    with connection.cursor() as cursor, cursor.cursor.copy(query, params) as copy:
        pending, size = [], 0
        for block in copy:
            pending.append(bytes(block))  # the view is only good until the next one
            size += len(block)
            if size >= COPY_BLOCK_BYTES:
                yield b"".join(pending)
                pending, size = [], 0
        yield b"".join(pending)
