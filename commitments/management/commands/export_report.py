import datetime
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from commitments.exports import csv_chunks
from commitments.models import Event, Party, Sector
from commitments.report_outputs import (
    UPDATE_COLUMNS,
    render_json,
    render_pdf,
    render_xlsx,
    update_rows,
)
from commitments.reports import build_report

FORMATS = ["pdf", "xlsx", "csv", "json"]


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date: write it as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Write a progress report for a period as PDF, XLSX, CSV or JSON (published data only)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD")
        parser.add_argument("--format", required=True, help=", ".join(FORMATS))
        parser.add_argument("--output", required=True, help="the file to write, or - for stdout")
        parser.add_argument("--sector", help="a sector slug")
        parser.add_argument("--party", help="a party slug")
        parser.add_argument("--event", help="an event slug")

    def handle(self, *args, start, end, format, output, sector, party, event, **options):
        start, end = iso_date(start), iso_date(end)
        if start > end:
            raise CommandError("--from must be on or before --to.")
        if format not in FORMATS:
            raise CommandError(f"--format must be one of {', '.join(FORMATS)}, not {format!r}.")
        sector_obj = self._lookup(Sector, sector, "sector")
        party_obj = self._lookup(Party, party, "party")
        event_obj = self._lookup(Event, event, "event")

        self.stderr.write(f"Building the report for {start} to {end}…")
        report = build_report(start, end, sector_obj, party_obj, event_obj)
        self.stderr.write(
            f"{len(report.commitments)} commitments, {report.update_count} updates in the "
            f"period, {report.sources_total} sources. Writing {format.upper()}…"
        )
        if format == "pdf":
            data = render_pdf(report, {"generated": timezone.now()})
        elif format == "xlsx":
            data = render_xlsx(report)
        elif format == "json":
            data = render_json(report).encode()
        else:
            data = self._csv(report)
        if output == "-":
            sys.stdout.buffer.write(data)
        else:
            try:
                with open(output, "wb") as file:
                    file.write(data)
            except OSError as error:
                raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
        self.stderr.write(self.style.SUCCESS(f"Done: {len(data):,} bytes to {output}."))

    def _lookup(self, model, slug, name):
        if not slug:
            return None
        found = model.objects.filter(slug=slug).first()
        if found is None:
            raise CommandError(f"No {name} with the slug {slug!r}.")
        return found

    def _csv(self, report) -> bytes:
        return "".join(csv_chunks(UPDATE_COLUMNS, update_rows(report))).encode()
