"""Import analysts' updates from a CSV or XLSX file, on the same path as the workspace's
upload (an ImportBatch, checked then applied by commitments/imports/batches.py), but in this
process rather than through the worker's queue."""

import hashlib
import os
import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from commitments import rules
from commitments.imports import batches
from commitments.models import ImportBatch, ImportRow

PRINT_EVERY = 1000  # rows between two progress lines


class Command(BaseCommand):
    help = (
        "Import status updates from a CSV or XLSX file (the columns of the workspace's "
        "importable export: commitment, as_of, status, progress_value, summary, body, "
        "source_title, source_url, source_publisher, source_published_on, "
        "source_accessed_on). Every row is checked first; if any row has a problem, each one "
        "is printed and nothing is imported. Updates arrive as drafts (or submitted for review "
        "with --submit) by the user given with --as; nothing is ever published."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .csv (UTF-8 or Windows-1252) or .xlsx file.")
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            help="The analyst or editor the updates are imported as (their author).",
        )
        parser.add_argument(
            "--submit",
            action="store_true",
            help="Submit the updates for review instead of leaving them as drafts.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and print what would happen; write nothing.",
        )

    def handle(self, *args, **options):
        user = self._user(options["username"])
        path = options["file"]
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        batch = ImportBatch.objects.create(
            kind=ImportBatch.Kind.UPDATES,
            created_by=user,
            language="en-gb",
            filename=os.path.basename(path)[:255],
            checksum=hashlib.sha256(data).hexdigest(),
            size=len(data),
            content=data,
            submit=options["submit"],
        )
        progress = self._progress("Checked")
        batches.check(batch.pk, on_progress=progress)
        batch.refresh_from_db()
        if batch.state == ImportBatch.State.FAILED:
            raise CommandError(batch.message)
        if batch.message:
            for line in batch.message.splitlines():
                self.stderr.write(f"Note: {line}")
        if batch.with_problems:
            for row in ImportRow.objects.filter(batch=batch, action=ImportRow.Action.ERROR):
                for problem in row.problems:
                    self.stderr.write(f"row {row.number}: {problem}")
            raise CommandError(
                f"{batch.with_problems} of {batch.rows_total} row(s) have problems: nothing "
                "was imported. Correct them and run the command again."
            )
        counts = (
            f"{batch.rows_total} row(s): {batch.to_create} to import, {batch.to_skip} already "
            "recorded (skipped)"
        )
        if options["dry_run"]:
            ImportBatch.objects.filter(pk=batch.pk).update(
                state=ImportBatch.State.CANCELLED,
                message="Dry run (manage.py import_updates --dry-run): nothing imported.",
                updated_at=timezone.now(),
            )
            self.stdout.write(f"Dry run, nothing written. {counts}.")
            return
        if not batch.can_apply:
            self.stdout.write(f"Nothing to import. {counts}.")
            return
        ImportBatch.objects.filter(pk=batch.pk, state=ImportBatch.State.CHECKED).update(
            state=ImportBatch.State.APPLY_QUEUED, updated_at=timezone.now()
        )
        batches.apply(batch.pk, on_progress=self._progress("Applying:"))
        batch.refresh_from_db()
        if batch.state == ImportBatch.State.FAILED:
            raise CommandError(batch.message)
        if batch.state != ImportBatch.State.APPLIED:
            for row in ImportRow.objects.filter(batch=batch, action=ImportRow.Action.ERROR):
                for problem in row.problems:
                    self.stderr.write(f"row {row.number}: {problem}")
            raise CommandError(
                "Nothing was imported: the data changed while the file was being imported and "
                "some rows now have problems (listed above)."
            )
        state = "submitted for review" if batch.submit else "drafts"
        self.stdout.write(
            f"Imported {batch.applied_count} update(s) as {state} by {user.get_username()} "
            f"(import #{batch.pk}). {counts}."
        )

    def _user(self, username):
        try:
            user = get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user is called “{username}”.") from None
        if not rules.is_contributor(user):
            raise CommandError(
                f"“{username}” is not an analyst or an editor (or is inactive): only they can "
                "import updates."
            )
        return user

    def _progress(self, verb):
        last = [0]

        def progress(done, total):
            if total >= PRINT_EVERY and done - last[0] >= PRINT_EVERY:
                last[0] = done
                self.stderr.write(f"{verb} {done:,} of {total:,} rows…")
                sys.stderr.flush()

        return progress
