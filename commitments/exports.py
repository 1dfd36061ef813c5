"""Data leaving the tracker: spreadsheets, CSV streams. Published data only."""

import csv
import datetime
from decimal import Decimal

from django.http import StreamingHttpResponse
from django_tables2.export import TableExport
from tablib import Dataset

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


def csv_chunks(header: list[str], rows, rows_per_chunk: int = 500):
    """CSV text in chunks of rows, plain values, formula injection neutralised."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)  # BOM: spreadsheet programs read UTF-8
    buffer = []
    for row in rows:
        buffer.append(writer.writerow([neutralise(plain_value(value)) for value in row]))
        if len(buffer) >= rows_per_chunk:
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)


def stream_csv(filename: str, header: list[str], rows):
    """A CSV download written while it is read: memory stays flat however many rows."""
    response = StreamingHttpResponse(
        csv_chunks(header, rows), content_type="text/csv; charset=utf-8"
    )
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
