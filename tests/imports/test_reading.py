"""reading.read_table: any file an analyst may upload → text cells, or a clear message."""

import datetime
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from commitments.exports import neutralise
from commitments.imports.base import ImportFileError
from commitments.imports.reading import cell_text, escape, read_table, unescape


class Plain:
    kind = "test"
    columns = ["commitment", "as_of", "status", "summary"]
    required = ["commitment", "summary"]
    aliases = {"slug": "commitment", "date": "as_of"}


def csv_bytes(text: str, encoding="utf-8") -> bytes:
    return text.encode(encoding)


def xlsx_bytes(rows, *, extra_sheet=False, merge=None, build=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Updates"
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    if extra_sheet:
        workbook.create_sheet("Notes").append(["ignored"])
    if build:
        build(sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read(data, name="file.csv", planner=Plain):
    return read_table(name, data, planner)


# Formats -----------------------------------------------------------------------------------


def test_csv_utf8_cells_by_canonical_name():
    table = read(csv_bytes("Commitment,As of,Summary\nrail-link,2026-01-05,Work began\n"))
    assert table.columns == ["commitment", "as_of", "summary"]
    assert table.rows[0].number == 2
    assert table.rows[0].cells == {
        "commitment": "rail-link",
        "as_of": "2026-01-05",
        "summary": "Work began",
    }
    assert table.notes == []


def test_csv_with_bom_and_japanese_text():
    table = read("\ufeffcommitment,summary\nrail,工事が始まった\n".encode("utf-8-sig"))
    assert table.rows[0].cells["summary"] == "工事が始まった"
    assert table.columns == ["commitment", "summary"]


def test_csv_windows_1252_is_read_with_a_note():
    table = read(csv_bytes("commitment;summary\nrail;Café – 50 €\n", "cp1252"))
    assert table.rows[0].cells["summary"] == "Café – 50 €"
    assert "Windows-1252" in table.notes[0]


def test_csv_utf16_as_excel_unicode_text_writes_it():
    table = read(csv_bytes("commitment\tsummary\nrail\tहिंदी\n", "utf-16"))
    assert table.rows[0].cells == {"commitment": "rail", "summary": "हिंदी"}


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiter_is_sniffed(delimiter):
    text = delimiter.join(["commitment", "summary", "status"]) + "\n"
    text += delimiter.join(["rail", '"a, b; c"', "achieved"]) + "\n"
    table = read(csv_bytes(text))
    assert table.rows[0].cells["summary"] == "a, b; c"
    assert table.rows[0].cells["status"] == "achieved"


def test_xlsx_is_recognised_by_content_whatever_its_name():
    data = xlsx_bytes([["commitment", "summary"], ["rail", "Done"]])
    table = read(data, name="upload.csv")
    assert table.rows[0].cells == {"commitment": "rail", "summary": "Done"}


def test_csv_named_xlsx_is_read_as_csv():
    table = read(csv_bytes("commitment,summary\nrail,Done\n"), name="upload.xlsx")
    assert table.rows[0].cells["summary"] == "Done"


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"%PDF-1.7\n...", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "PNG"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 50, "JPEG"),
        (b"<!DOCTYPE html><html><body>x</body></html>", "HTML"),
        (b"\x00\x01\x02binary", "binary"),
    ],
)
def test_not_a_spreadsheet_says_what_it_seems_to_be(data, what):
    with pytest.raises(ImportFileError) as error:
        read(data, name="updates.csv")
    assert what in str(error.value)
    assert "CSV UTF-8 or Excel workbook (.xlsx)" in str(error.value)


def test_word_document_is_named():
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(ImportFileError, match="Word document"):
        read(out.getvalue(), name="x.xlsx")


def test_damaged_workbook():
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", "not xml")
    with pytest.raises(ImportFileError, match="could not be opened"):
        read(out.getvalue(), name="x.xlsx")


def test_empty_file():
    with pytest.raises(ImportFileError, match="empty"):
        read(b"  \n\n")


def test_undecodable_bytes():
    with pytest.raises(ImportFileError, match="neither UTF-8 nor Windows-1252"):
        read(b"commitment,summary\nrail,\x81\x8d\x8f\n")


# Header ------------------------------------------------------------------------------------


def test_header_names_normalised_and_aliases_mapped():
    table = read(csv_bytes("\n\n  SLUG ,As-Of,summary  ,Notes\nrail,2026-01-05,x,mine\n"))
    assert table.columns == ["commitment", "as_of", "summary"]
    assert table.ignored_columns == ["Notes"]
    assert table.rows[0].number == 4
    assert table.rows[0].cells == {"commitment": "rail", "as_of": "2026-01-05", "summary": "x"}


def test_missing_required_column_named_and_expected_listed():
    with pytest.raises(ImportFileError) as error:
        read(csv_bytes("commitment,as_of\nrail,2026-01-05\n"))
    message = str(error.value)
    assert "“summary”" in message
    assert "commitment, as_of, status, summary" in message


def test_duplicate_column():
    with pytest.raises(ImportFileError, match="appears twice"):
        read(csv_bytes("commitment,summary,Summary\nrail,a,b\n"))


def test_alias_and_name_given_twice():
    with pytest.raises(ImportFileError, match="“commitment” appears twice"):
        read(csv_bytes("commitment,slug,summary\nrail,rail,b\n"))


def test_header_only():
    with pytest.raises(ImportFileError, match="no rows"):
        read(csv_bytes("commitment,summary\n\n"))


# Rows ---------------------------------------------------------------------------------------


def test_empty_rows_skipped_numbers_kept():
    table = read(csv_bytes("commitment,summary\nrail,a\n,\n\n , \nroad,b\n"))
    assert [(row.number, row.cells["commitment"]) for row in table.rows] == [
        (2, "rail"),
        (6, "road"),
    ]


def test_short_rows_are_padded():
    table = read(csv_bytes("commitment,as_of,summary\nrail\n"))
    assert table.rows[0].cells == {"commitment": "rail", "as_of": "", "summary": ""}


def test_line_breaks_in_cells_keep_row_numbers():
    table = read(csv_bytes('commitment,summary\nrail,"two\nlines"\nroad,b\n'))
    assert [row.number for row in table.rows] == [2, 3]
    assert table.rows[0].cells["summary"] == "two\nlines"


def test_formula_text_in_csv_is_text():
    table = read(csv_bytes("commitment,summary\nrail,=HYPERLINK(\"x\")\nroad,'=1+1\nsea,'plain\n"))
    assert [row.cells["summary"] for row in table.rows] == ['=HYPERLINK("x")', "=1+1", "'plain"]


def test_too_many_rows(settings):
    settings.IMPORT_MAX_ROWS = 3
    with pytest.raises(ImportFileError) as error:
        read(csv_bytes("commitment,summary\n" + "rail,a\n" * 5))
    assert str(error.value) == (
        "The file has 5 rows; at most 3 can be imported at once. Split it into smaller files."
    )


def test_limit_rows_exactly_is_fine(settings):
    settings.IMPORT_MAX_ROWS = 3
    assert len(read(csv_bytes("commitment,summary\n" + "rail,a\n" * 3)).rows) == 3


def test_too_large(settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    with pytest.raises(ImportFileError, match=r"at most 1\.0 MB"):
        read(b"commitment,summary\n" + b"rail,a\n" * 200_000)


def test_row_limit_message_grouped_like_the_issue(settings):
    settings.IMPORT_MAX_ROWS = 20_000
    with pytest.raises(ImportFileError, match="The file has 25,000 rows; at most 20,000"):
        read(csv_bytes("commitment,summary\n" + "r,a\n" * 25_000))


# XLSX ---------------------------------------------------------------------------------------


def test_xlsx_dates_and_numbers_become_text():
    data = xlsx_bytes(
        [
            ["commitment", "as_of", "status", "summary"],
            ["rail", datetime.datetime(2026, 1, 5), 50000.0, 12.5],
            [None, None, None, None],
            ["road", datetime.date(2026, 2, 1), 7, 0.1],
        ],
        extra_sheet=True,
    )
    table = read(data, name="x.xlsx")
    assert [row.number for row in table.rows] == [2, 4]
    assert table.rows[0].cells == {
        "commitment": "rail",
        "as_of": "2026-01-05",
        "status": "50000",
        "summary": "12.5",
    }
    assert table.rows[1].cells["summary"] == "0.1"
    assert "Updates" in table.notes[0] and "2" in table.notes[0]


def test_xlsx_merged_cells_refused_naming_the_range():
    data = xlsx_bytes(
        [["commitment", "summary"], ["rail", "a"], ["rail", "b"], ["rail", "c"]], merge="B2:B4"
    )
    with pytest.raises(ImportFileError, match="Cells B2:B4 are merged: unmerge them"):
        read(data, name="x.xlsx")


def test_xlsx_formula_cached_value_is_read():
    """A workbook saved by Excel keeps each formula's result; we read the result."""
    data = xlsx_bytes([["commitment", "summary"], ["rail", "x"]])
    # openpyxl cannot write a cached value; put one into the XML as Excel does.
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(
                    b'<c r="B2" t="inlineStr"><is><t>x</t></is></c>',
                    b'<c r="B2" t="str"><f>UPPER("done")</f><v>DONE</v></c>',
                )
                assert b"<f>" in content
            target.writestr(item, content)
    table = read(out.getvalue(), name="x.xlsx")
    assert table.rows[0].cells["summary"] == "DONE"


def test_xlsx_formula_without_cached_value_is_refused():
    data = xlsx_bytes([["commitment", "summary"], ["rail", "=UPPER(A2)"]])
    with pytest.raises(ImportFileError, match="Cells B2 hold formulas whose results"):
        read(data, name="x.xlsx")


def test_xlsx_neutralised_text_comes_back():
    data = xlsx_bytes([["commitment", "summary"], ["rail", neutralise("=1+1")]])
    assert read(data, name="x.xlsx").rows[0].cells["summary"] == "=1+1"


# Round trip ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1", "'=1", "''=1", "'", "'a", "-5", " =x", "＝x", "plain", ""])
def test_escape_is_reversible_and_neutralises_like_the_exports(text):
    assert unescape(escape(text)) == text
    if neutralise(text) != text:
        assert escape(text) == neutralise(text)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.text(
            alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
            max_size=30,
        ),
        min_size=3,
        max_size=3,
    )
)
def test_any_text_cell_round_trips_through_the_export_csv(cells):
    """What the importable export writes (escape, then the exports' CSV writer) reads back
    exactly, whatever the text."""
    from commitments.exports import csv_chunks

    row = ["x"] + [escape(cell) for cell in cells]
    data = "".join(csv_chunks(["commitment", "summary", "as_of", "status"], [row], plain=True))
    got = read(data.encode("utf-8")).rows[0].cells
    assert [got["summary"], got["as_of"], got["status"]] == cells


def test_cell_text_numbers_without_noise():
    assert cell_text(50000.0) == "50000"
    assert cell_text(1e20) == "100000000000000000000"
    assert cell_text(0.30000000000000004) == "0.30000000000000004"
    assert cell_text(2.5e-7) == "0.00000025"
    assert cell_text(True) == "TRUE"
    assert cell_text(datetime.datetime(2026, 1, 5, 13, 30)) == "2026-01-05T13:30:00"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(
            # XML has no place for most control characters (the export drops them) and reads
            # a carriage return as a line feed.
            alphabet=st.characters(
                blacklist_categories=("Cs",),
                blacklist_characters="".join(map(chr, [*range(0, 9), 11, 12, *range(13, 32)])),
            ),
            max_size=30,
        ),
        min_size=3,
        max_size=3,
    )
)
def test_any_text_cell_round_trips_through_an_xlsx_export(cells):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Updates")
    sheet.append(["commitment", "summary", "as_of", "status"])
    sheet.append(["x", *[escape(cell) for cell in cells]])
    out = io.BytesIO()
    workbook.save(out)
    got = read(out.getvalue(), name="x.xlsx").rows[0].cells
    assert [got["summary"], got["as_of"], got["status"]] == cells
