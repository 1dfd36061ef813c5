"""A spreadsheet file → a Table of text cells, or ImportFileError saying in words what is wrong.

One reader for every kind of import and every door. What it decides:

- The format comes from the content, not the name: an XLSX workbook is a zip (starts "PK");
  anything that decodes as text is CSV (UTF-8 with or without BOM, UTF-16 with BOM as Excel's
  "Unicode text" writes it, else Windows-1252 as Excel's plain "CSV" writes it, said in a
  note). A PDF, an image, an old binary .xls, a Word or OpenDocument file is refused with its
  name and what to save instead.
- CSV delimiter: comma, semicolon or tab, whichever the header line has most of.
- XLSX: the first worksheet only (a note says when there are others); cached formula results
  (a formula whose result was never saved is refused, naming the cells); merged cells are
  refused, naming the ranges: a merge leaves every cell but the first empty, and guessing
  what the person meant is how data goes wrong silently. Read-only (streaming) mode: the
  merges and formulas are found in the sheet's XML.
- Header: the first non-empty row. Names are compared without case, surrounding blanks, BOM,
  and with spaces, hyphens and underscores alike; the planner's aliases map to its canonical
  names. Unknown columns are ignored (listed in Table.ignored_columns); a required column
  missing or a column given twice is refused.
- Rows: empty rows are skipped; row numbers stay those the spreadsheet program shows.
  Every cell is text: dates as ISO (YYYY-MM-DD), whole numbers without ".0".
- The exports neutralise formula-looking text with a leading apostrophe
  (commitments/exports.py); `unescape` takes exactly that apostrophe off again, so an export
  edited and imported comes back as it was (`escape` is the exports' rule, made reversible)."""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from decimal import Decimal

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext

from commitments.exports import is_formula
from commitments.imports.base import ImportFileError, Row, Table

SAVE_AS = "CSV UTF-8 / Excel workbook (.xlsx)"
DELIMITERS = (",", ";", "\t")
MAX_CELLS_PER_ROW = 200  # a header wider than this is not one of ours
# An XLSX is a zip: what it unpacks to, at most this many times the upload limit (a text-heavy
# workbook packs about 5:1; a "zip bomb" packs 1000:1 and would fill the worker's memory).
UNPACKED_RATIO = 10
# Excel's last row: a row numbered beyond it is not a spreadsheet's (openpyxl yields every
# missing row before it, one at a time).
MAX_ROW_NUMBER = 1_048_576


# Formula neutralisation, reversible ---------------------------------------------------------


def _needs_apostrophe(text: str) -> bool:
    """Formula-looking text (the exports' rule), or such text behind apostrophes already: the
    second case makes the apostrophe prefix reversible ("'=1" is written "''=1")."""
    while True:
        if is_formula(text):
            return True
        if not text.startswith("'"):
            return False
        text = text[1:]


def escape(text: str) -> str:
    """What the importable export writes for a text cell."""
    return "'" + text if isinstance(text, str) and _needs_apostrophe(text) else text


def unescape(text: str) -> str:
    """The inverse of `escape`: unescape(escape(t)) == t for every text t. Other text (an
    apostrophe a person typed before ordinary words) is left alone."""
    if text.startswith("'") and _needs_apostrophe(text[1:]):
        return text[1:]
    return text


# Cells -------------------------------------------------------------------------------------


def cell_text(value) -> str:
    """A spreadsheet value as text: dates ISO, numbers without float noise."""
    if value is None:
        return ""
    if isinstance(value, str):
        return unescape(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e18:
            return str(int(value))
        text = repr(value)  # the shortest text that reads back as the same float
        if "e" in text:
            text = format(Decimal(text), "f")
        return text
    return str(value)


def normalise_name(name: str) -> str:
    name = name.replace("\ufeff", "").strip().casefold()
    return re.sub(r"[\s_\-]+", "_", name).strip("_")


def _header_hint(planner, header: list[str]) -> str:
    hint = getattr(planner, "header_hint", None)
    return hint({normalise_name(value) for value in header if value.strip()}) if hint else ""


def _count(n: int) -> str:
    return number_format(n, force_grouping=True)


# Detection ---------------------------------------------------------------------------------

SIGNATURES = (
    (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel workbook (.xls) or other old Office file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)


def _what(kind: str) -> str:
    """The translated name of what the file seems to be."""
    names = {
        "a PDF document": gettext("a PDF document"),
        "an old Excel workbook (.xls) or other old Office file": gettext(
            "an old Excel workbook (.xls) or another old Office file"
        ),
        "a PNG image": gettext("a PNG image"),
        "a JPEG image": gettext("a JPEG image"),
        "a GIF image": gettext("a GIF image"),
        "a TIFF image": gettext("a TIFF image"),
        "an RTF document": gettext("an RTF document"),
        "a gzip archive": gettext("a compressed archive"),
        "a RAR archive": gettext("a compressed archive"),
        "a 7-Zip archive": gettext("a compressed archive"),
        "a zip archive": gettext("a zip archive"),
        "a Word document": gettext("a Word document (.docx)"),
        "a PowerPoint presentation": gettext("a PowerPoint presentation (.pptx)"),
        "an OpenDocument file": gettext("an OpenDocument file (.ods or .odt)"),
        "a web page": gettext("a web page (HTML)"),
        "a binary file": gettext("a binary file"),
    }
    return names.get(kind, kind)


def _not_a_spreadsheet(kind: str) -> ImportFileError:
    return ImportFileError(
        gettext(
            "This file seems to be %(what)s, not a spreadsheet this site can read. Save the "
            "data as CSV UTF-8 or Excel workbook (.xlsx) and upload that."
        )
        % {"what": _what(kind)}
    )


def _zip_kind(data: bytes) -> str | None:
    """None if the zip is an XLSX workbook, else what it seems to be."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return "a zip archive"
    if "xl/workbook.xml" in names:
        _refuse_unpacked_size(data)
        return None
    if "word/document.xml" in names:
        return "a Word document"
    if "ppt/presentation.xml" in names:
        return "a PowerPoint presentation"
    if "content.xml" in names or "mimetype" in names:
        return "an OpenDocument file"
    return "a zip archive"


def _refuse_unpacked_size(data: bytes) -> None:
    """Refuse a workbook whose parts unpack to more than UNPACKED_RATIO × the upload limit,
    before anything is unpacked (zipfile never reads past a member's declared size)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    limit = settings.IMPORT_MAX_BYTES * UNPACKED_RATIO
    if unpacked > limit:
        raise ImportFileError(
            gettext(
                "The file is %(size)s MB; at most %(limit)s MB can be imported at once. "
                "Split it into smaller files."
            )
            % {
                "size": number_format(unpacked / 1024 / 1024, 1),
                "limit": number_format(limit / 1024 / 1024, 1),
            }
        )


def read_table(filename: str, data: bytes, planner) -> Table:
    """The file's rows as text cells by the planner's canonical column names."""
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise ImportFileError(
            gettext(
                "The file is %(size)s MB; at most %(limit)s MB can be imported at once. "
                "Split it into smaller files."
            )
            % {
                "size": number_format(len(data) / 1024 / 1024, 1),
                "limit": number_format(settings.IMPORT_MAX_BYTES / 1024 / 1024, 1),
            }
        )
    if not data.strip():
        raise ImportFileError(gettext("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        kind = _zip_kind(data)
        if kind is not None:
            raise _not_a_spreadsheet(kind)
        grid, notes = _xlsx_rows(data)
    else:
        for signature, kind in SIGNATURES:
            if data.startswith(signature):
                raise _not_a_spreadsheet(kind)
        grid, notes = _csv_rows(data)
    return _table(grid, notes, planner)


# CSV ---------------------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, list[str]]:
    text, notes = _decode_text(data)
    # Anywhere in the file, not only its start: the database refuses NUL (PostgreSQL) or
    # keeps it where the site's forms never let one in (commitments/middleware.py).
    if "\x00" in text:
        raise _not_a_spreadsheet("a binary file")
    return text, notes


def _decode_text(data: bytes) -> tuple[str, list[str]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            pass
    head = data[:4096]
    if b"\x00" in head:
        raise _not_a_spreadsheet("a binary file")
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html")):
        raise _not_a_spreadsheet("a web page")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            gettext(
                "The file could not be read as text: it is neither UTF-8 nor Windows-1252 "
                "(byte %(position)s). Save it as CSV UTF-8 or Excel workbook (.xlsx)."
            )
            % {"position": _count(error.start + 1)}
        ) from None
    return text, [
        gettext(
            "The file was not UTF-8: it was read as Windows-1252 (Excel's plain CSV). Check "
            "that accented and non-Latin letters came out right; saving as CSV UTF-8 avoids "
            "the question."
        )
    ]


def _delimiter(text: str) -> str:
    for line in text.splitlines():
        if line.strip(" \t,;\ufeff"):
            counts = {d: line.count(d) for d in DELIMITERS}
            best = max(DELIMITERS, key=lambda d: counts[d])
            return best if counts[best] else ","
    return ","


def _csv_rows(data: bytes):
    text, notes = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))

    def numbered():
        # Numbered by records, as a spreadsheet program numbers its rows (a cell holding a
        # line break is still one row).
        number = 0
        try:
            for record in reader:
                number += 1
                yield number, [unescape(value) for value in record]
        except csv.Error as error:
            raise ImportFileError(
                gettext("The file is not valid CSV near row %(row)s: %(error)s")
                % {"row": _count(number + 1), "error": error}
            ) from None

    return numbered(), notes


# XLSX --------------------------------------------------------------------------------------

MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Za-z0-9:$]+)"')
FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    notes = []
    damaged = ImportFileError(
        gettext(
            "The workbook could not be opened: it may be damaged or protected by a "
            "password. Open it in your spreadsheet program and save it again as an Excel "
            "workbook (.xlsx), or as CSV UTF-8."
        )
    )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged workbook
        raise damaged from None
    sheets = workbook.worksheets
    if not sheets:
        raise ImportFileError(gettext("The workbook has no worksheet."))
    sheet = sheets[0]
    if len(sheets) > 1:
        notes.append(
            gettext(
                "Only the first worksheet (“%(name)s”) was read; the workbook has %(count)s "
                "worksheets."
            )
            % {"name": sheet.title, "count": _count(len(sheets))}
        )
    xml = _sheet_xml(data, sheet)
    merged = [ref.decode().replace("$", "") for ref in MERGE.findall(xml)]
    if merged:
        shown = ", ".join(merged[:5]) + ("…" if len(merged) > 5 else "")
        raise ImportFileError(
            gettext(
                "Cells %(ranges)s are merged: unmerge them and fill in every cell (each row "
                "must say everything on its own), then upload the file again."
            )
            % {"ranges": shown}
        )
    uncached = _uncached_formulas(data) if FORMULA.search(xml) else []
    if uncached:
        raise ImportFileError(
            gettext(
                "Cells %(cells)s hold formulas whose results were never saved (the program "
                "that wrote the file does not calculate). Open the file in Excel or "
                "LibreOffice and save it again, or replace the formulas by their values."
            )
            % {"cells": ", ".join(uncached[:5]) + ("…" if len(uncached) > 5 else "")}
        )

    # The sheet's own <dimension> is not trusted: a stale one cuts rows off silently, a forged
    # one (A1:XFD1048576) pads every row, missing ones included, to 16,384 cells.
    sheet.reset_dimensions()

    def rows():
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number > MAX_ROW_NUMBER:
                    break
                if values:
                    yield number, [cell_text(value) for value in values[: MAX_CELLS_PER_ROW + 1]]
        except Exception:  # the sheet's XML is read as the rows are (e.g. "&#0;" in a cell)
            raise damaged from None
        finally:
            workbook.close()

    return rows(), notes


def _sheet_xml(data: bytes, sheet) -> bytes:
    """The first worksheet's XML (openpyxl's read-only sheet knows its path in the zip)."""
    path = (getattr(sheet, "_worksheet_path", "") or "").lstrip("/")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.read(path)
    except (KeyError, zipfile.BadZipFile):
        return b""


def _uncached_formulas(data: bytes) -> list[str]:
    """The names of the cells holding a formula without a saved result."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False).worksheets[0]
    values = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    formulas.reset_dimensions()  # as _xlsx_rows: the sheet's <dimension> is not trusted
    values.reset_dimensions()
    found = []
    pairs = zip(
        formulas.iter_rows(values_only=True), values.iter_rows(values_only=True), strict=False
    )
    for number, (with_formulas, with_values) in enumerate(pairs, start=1):
        if number > MAX_ROW_NUMBER:
            break
        width = MAX_CELLS_PER_ROW + 1
        for column, (formula, value) in enumerate(
            zip(with_formulas[:width], with_values[:width], strict=False), start=1
        ):
            if value is None and isinstance(formula, str) and formula.startswith("="):
                found.append(f"{get_column_letter(column)}{number}")
    return found


# The table ---------------------------------------------------------------------------------


def _table(grid, notes: list[str], planner) -> Table:
    canonical = {normalise_name(name): name for name in planner.columns}
    for alias, name in planner.aliases.items():
        canonical.setdefault(normalise_name(alias), name)
    header = None
    positions: dict[str, int] = {}
    ignored: list[str] = []
    rows: list[Row] = []
    limit = settings.IMPORT_MAX_ROWS
    counted = 0
    for number, values in grid:
        if header is None:
            if not any(value.strip() for value in values):
                continue
            header = values
            if len(header) > MAX_CELLS_PER_ROW and any(v.strip() for v in header[200:]):
                raise ImportFileError(
                    gettext("The first row has %(count)s columns: it is not a header row.")
                    % {"count": _count(len(header))}
                )
            seen: dict[str, str] = {}
            for index, raw in enumerate(header):
                label = raw.replace("\ufeff", "").strip()
                if not label:
                    continue
                name = canonical.get(normalise_name(label))
                if name is None:
                    ignored.append(label)
                    continue
                if name in positions:
                    raise ImportFileError(
                        gettext(
                            "The column “%(name)s” appears twice in the header (as “%(first)s” "
                            "and “%(second)s”): keep one."
                        )
                        % {"name": name, "first": seen[name], "second": label}
                    )
                positions[name] = index
                seen[name] = label
            missing = [name for name in planner.required if name not in positions]
            if missing:
                raise ImportFileError(
                    gettext(
                        "The header row (row %(row)s) has no column %(missing)s. The columns "
                        "this import reads are: %(expected)s."
                    )
                    % {
                        "row": _count(number),
                        "missing": ", ".join(f"“{name}”" for name in missing),
                        "expected": ", ".join(planner.columns),
                    }
                    + _header_hint(planner, header)
                )
            continue
        if not any(value.strip() for value in values):
            continue
        counted += 1
        if counted > limit:
            if counted > limit * 10:  # a zip bomb is not counted to its end
                break
            continue
        rows.append(
            Row(
                number=number,
                cells={
                    name: values[index] if index < len(values) else ""
                    for name, index in positions.items()
                },
            )
        )
    if header is None:
        raise ImportFileError(
            gettext(
                "The file has no header row: the first row must name the columns (%(expected)s)."
            )
            % {"expected": ", ".join(planner.columns)}
        )
    if counted > limit:
        counted_text = (
            gettext("more than %(count)s") % {"count": _count(limit * 10)}
            if counted > limit * 10
            else _count(counted)
        )
        raise ImportFileError(
            gettext(
                "The file has %(count)s rows; at most %(limit)s can be imported at once. "
                "Split it into smaller files."
            )
            % {"count": counted_text, "limit": _count(limit)}
        )
    if not rows:
        raise ImportFileError(gettext("The file has a header row but no rows below it."))
    columns = sorted(positions, key=positions.get)
    return Table(columns=columns, rows=rows, ignored_columns=ignored, notes=notes)
