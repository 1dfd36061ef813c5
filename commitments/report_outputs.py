"""A progress report as PDF, XLSX, CSV rows or JSON: one Report, several shapes."""

import datetime
import io
import json
import re
from decimal import Decimal

import xlsxwriter
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from commitments import standing
from commitments.exports import neutralise, plain_value
from commitments.languages import short_code, site_name, translated
from commitments.models import UpdateStatus
from commitments.reports import Report

# The report's update rows: these keys in JSON (a data format, English whatever the language)
# and in the English CSV; the CSV and XLSX asked for in Japanese or Hindi are documents for
# people, and head their columns with the translated names below.
UPDATE_COLUMNS = [
    "commitment",
    "as_of",
    "previous_status",
    "status",
    "progress_value",
    "unit",
    "summary",
    "sources",
]
UPDATE_HEADINGS = {
    "commitment": _("Commitment"),
    "as_of": _("As of"),
    "previous_status": _("Previous status"),
    "status": pgettext_lazy("table heading", "Status"),
    "progress_value": _("Progress value"),
    "unit": _("Unit"),
    "summary": _("Summary"),
    "sources": _("Sources"),
}


def update_header() -> list[str]:
    """The update rows' column names: the keys in English, translated headings otherwise."""
    if short_code() == "en":
        return list(UPDATE_COLUMNS)
    return [str(UPDATE_HEADINGS[key]) for key in UPDATE_COLUMNS]


def update_rows(report: Report):
    """Every update dated in the period (the spreadsheet's rows), streamed, in the language
    active now (a streamed response is written after the view returns)."""
    code = short_code()
    labels = {value: str(label) for value, label in UpdateStatus.choices}
    return _update_rows(report.every_change(code), code, labels)


def _update_rows(changes, code: str, labels: dict):
    titles = {}
    for commitment, as_of, previous, status, progress, summary, sources in changes:
        if commitment.pk not in titles:
            titles[commitment.pk] = str(translated(commitment, "title", code))
        yield [
            titles[commitment.pk],
            as_of,
            labels.get(previous, ""),
            labels[status],
            progress,
            commitment.unit_label,
            summary,
            sources,
        ]


def render_html(report: Report, context: dict | None = None, *, for_pdf=False) -> str:
    stylesheet = ""
    if for_pdf:
        with open(finders.find("css/report.css"), encoding="utf-8") as css:
            stylesheet = css.read() + page_furniture()
    return render_to_string(
        "reports/progress_document.html",
        {"report": report, "for_pdf": for_pdf, "stylesheet": stylesheet, **(context or {})},
    )


def _css_string(text: str) -> str:
    """`text` as a CSS string literal, safe inside a <style> element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return '"' + re.sub(r"\s+", " ", escaped) + '"'


def page_furniture() -> str:
    """The PDF pages' footer in the reader's language: what the report holds, and
    "Page 2 of 6" with the page counters where the language puts the numbers."""
    footer = gettext("%(site)s · published, reviewed updates only") % {"site": site_name()}
    words = re.split(r"(%\((?:page|pages)\)s)", gettext("Page %(page)s of %(pages)s"))
    counters = {"%(page)s": "counter(page)", "%(pages)s": "counter(pages)"}
    content = " ".join(counters.get(part) or _css_string(part) for part in words if part)
    return (
        f"\n@page {{ @bottom-left {{ content: {_css_string(footer)}; }}"
        f" @bottom-right {{ content: {content}; }} }}\n"
    )


def render_pdf(report: Report, context: dict | None = None) -> bytes:
    """WeasyPrint, with every style inlined and every fetch refused: user content can never
    make the server fetch a URL, and no network is needed."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class NoFetching(URLFetcher):
        def fetch(self, url, headers=None):
            raise ValueError(f"Reports do not fetch anything ({url})")

    html = render_html(report, context, for_pdf=True)
    return HTML(
        string=html, base_url="https://report.invalid/", url_fetcher=NoFetching()
    ).write_pdf()


EXCEL_EPOCH = datetime.date(1899, 12, 30)  # day 0 of a spreadsheet's 1900 date system


def render_xlsx(report: Report) -> bytes:
    """Every commitment and every update of the period, typed cells (numbers, dates, text
    neutralised against formulas), written by XlsxWriter in constant-memory mode: each row
    goes to a temporary file as it comes, so a long period costs time, not memory."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = workbook.add_format({"bold": True})
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})

    def sheet(title, header, rows, first=False):
        worksheet = workbook.add_worksheet(title)
        worksheet.freeze_panes(1, 0)
        worksheet.write_row(0, 0, header, bold)
        # The hot loop of a 100,000-row sheet: dispatch on the exact type, XlsxWriter's
        # cell writers bound once (its public methods add a cell-reference parser per call),
        # dates written as their serial number in a date format.
        write_string, write_number = worksheet._write_string, worksheet._write_number
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                kind = type(value)
                if kind is str:
                    if value:
                        write_string(number, column, neutralise(value))
                elif kind is Decimal or kind is int or kind is float:
                    write_number(number, column, value)
                elif kind is datetime.date:
                    write_number(number, column, (value - EXCEL_EPOCH).days, date)
                elif kind is datetime.datetime:
                    worksheet.write_datetime(number, column, value, date)
                elif value is not None:
                    write_string(number, column, neutralise(str(value)))

    yes, no = gettext("yes"), gettext("no")
    sheet(
        gettext("Summary"),
        [
            pgettext("table heading", "Status"),
            gettext("At %(day)s") % {"day": date_format(report.start, "SHORT_DATE_FORMAT")},
            gettext("At %(day)s") % {"day": date_format(report.end, "SHORT_DATE_FORMAT")},
        ],
        [(str(row["status"].label), row["start"], row["end"]) for row in report.summary],
        first=True,
    )
    sheet(
        gettext("Commitments"),
        [gettext("Commitment"), gettext("Sector"), gettext("Parties"),
         gettext("Status at start"), gettext("Status at end"), gettext("Deadline"),
         gettext("Overdue"), gettext("Target"), gettext("Unit"), gettext("Progress"),
         gettext("Percent"), gettext("Pace"), gettext("At this rate")],
        [
            (
                str(translated(c, "title")),
                str(translated(c.sector, "name")),
                c.party_pairs(),
                str(report.at_start[c.pk].status_label),
                str(report.at_end[c.pk].status_label),
                c.deadline,
                yes if c.report_overdue else no,
                c.target_value,
                c.unit_label,
                _progress(report, c),
                _percent(report, c),
                _pace(report, c),
                _projection(report, c),
            )
            for c in report.commitments
        ],
    )  # fmt: skip
    sheet(gettext("Updates"), update_header(), update_rows(report))
    sheet(
        gettext("Sources"),
        [
            gettext("Title"),
            gettext("Publisher"),
            gettext("Published"),
            gettext("URL"),
            gettext("Archive URL"),
            gettext("Kind"),
        ],
        (
            (s.title, s.publisher, s.published_on, s.url, s.archive_url, str(s.get_kind_display()))
            for s in report.every_source()
        ),
    )
    workbook.close()
    return buffer.getvalue()


def render_json(report: Report) -> str:
    def then(s):
        return {"status": s.status, "progress": s.progress}

    data = {
        "title": str(report.title),
        "from": report.start,
        "to": report.end,
        "sector": report.sector.slug if report.sector else None,
        "party": report.party.slug if report.party else None,
        "summary": [
            {"status": row["status"].value, "at_start": row["start"], "at_end": row["end"]}
            for row in report.summary
        ],
        "commitments": [
            {
                "slug": c.slug,
                "title": c.title,
                "sector": c.sector.slug,
                "deadline": c.deadline,
                "at_start": then(report.at_start[c.pk]),
                "at_end": then(report.at_end[c.pk]),
                "overdue": c.report_overdue,
                "target": c.target_value,
                "unit": c.unit_label or None,
                "progress": _progress(report, c),
                "percent": _percent(report, c),
                "pace": _pace(report, c) or None,
                "projected_completion": _projection(report, c) or None,
            }
            for c in report.commitments
        ],
        "changes": [dict(zip(UPDATE_COLUMNS, row, strict=True)) for row in update_rows(report)],
        "achieved": [c.slug for c in report.achieved],
        "newly_overdue": [c.slug for c in report.newly_overdue],
        "overdue": [c.slug for c in report.overdue],
        "sources": [
            {
                "title": s.title,
                "publisher": s.publisher,
                "url": s.url,
                "published_on": s.published_on,
            }
            for s in report.every_source()
        ],
    }
    return json.dumps(data, default=_json_default, ensure_ascii=False, indent=2)


def _target_row(report, commitment):
    return report.target_rows.get(commitment.pk)


def _progress(report, commitment):
    """The figure at the end; for a parent without one, the sum of its counting parts."""
    row = _target_row(report, commitment)
    return row.progress if row else report.at_end[commitment.pk].progress


def _percent(report, commitment):
    row = _target_row(report, commitment)
    return standing.percent_in_data(row.percent) if row else None


def _pace(report, commitment) -> str:
    row = _target_row(report, commitment)
    return str(row.pace.label) if row and row.pace else ""


def _projection(report, commitment) -> str:
    row = _target_row(report, commitment)
    if not row:
        return ""
    if row.projection.already_reached:
        return gettext("reached")
    return row.projection.day.isoformat() if row.projection.day else row.projection.reason


def _json_default(value):
    if isinstance(value, Decimal):
        return plain_value(value)  # "9000", "12.5": the same on every database
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(type(value))
