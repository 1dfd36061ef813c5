"""The importable export: published updates in exactly the columns the updates import reads
(commitments/imports/updates.py), for analysts to edit and import again. One row per source
(an update with several sources repeats its update columns on consecutive rows, which the
import reads back as one update). Formula-looking text is neutralised with the apostrophe the
other exports use, in the reversible form the import takes off again (reading.escape)."""

import io
import re
from decimal import Decimal

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from commitments.exports import plain_value, stream_csv
from commitments.imports.reading import escape
from commitments.imports.updates import COLUMNS, export_rows

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,255}")
# Control characters an XLSX file cannot hold (openpyxl refuses them).
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _scope(request) -> str | None:
    slug = request.GET.get("commitment", "").strip()
    return slug if SLUG.fullmatch(slug) else None


def _filename(slug: str | None, extension: str) -> str:
    day = timezone.localdate().isoformat()
    return f"updates-{slug + '-' if slug else ''}{day}.{extension}"


def _guarded(view):
    """Analysts and editors only, as every workspace page (anonymous → sign in)."""
    return never_cache(
        require_safe(
            login_required(
                permission_required("commitments.add_statusupdate", raise_exception=True)(view)
            )
        )
    )


@_guarded
def export_csv(request):
    slug = _scope(request)
    rows = ([escape(plain_value(value)) for value in row] for row in export_rows(slug))
    return stream_csv(_filename(slug, "csv"), COLUMNS, rows, plain=True)


@_guarded
def export_xlsx(request):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    slug = _scope(request)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Updates")
    sheet.append(COLUMNS)
    date_columns = {
        COLUMNS.index(name) for name in ("as_of", "source_published_on", "source_accessed_on")
    }
    for row in export_rows(slug):
        cells = []
        for index, value in enumerate(row):
            if index in date_columns and value:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            elif isinstance(value, Decimal):
                # A number the spreadsheet keeps exactly (15 significant digits), else text.
                digits = len(value.as_tuple().digits)
                cells.append(value if digits <= 15 else plain_value(value))
            elif isinstance(value, str):
                cells.append(escape(ILLEGAL.sub("", value)))
            else:
                cells.append(value)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(slug, "xlsx")}"'
    return response
