"""Import commitments from a CSV or XLSX file, as the admin's import page does: the same
planner (commitments/imports/commitments.py), the same check and all-or-nothing apply
(commitments/imports/batches.py), run here rather than by a worker."""

import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from commitments import rules
from commitments.imports import batches
from commitments.models import ImportBatch

ROWS_SHOWN_AT_LEAST = 200  # progress lines only for files longer than this


class Command(BaseCommand):
    help = (
        "Create or update commitments (by slug) from a CSV or XLSX file: every row is "
        "checked first and every problem printed; nothing is written unless every row is "
        "good, and then everything in one transaction. Only editors may import commitments: "
        "--as names the editor the history records (it may be left out when the site has "
        "exactly one active superuser). Exits non-zero on any problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .csv or .xlsx file")
        parser.add_argument(
            "--as",
            dest="username",
            help="the editor who imports (recorded in the history of every commitment)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and print the plan; write nothing"
        )

    def handle(self, *args, file, username, dry_run, **options):
        user = self._user(username)
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}.") from error
        batch = ImportBatch.objects.create(
            kind=ImportBatch.Kind.COMMITMENTS,
            created_by=user,
            language=settings.LANGUAGE_CODE,  # the terminal's messages are in English
            filename=path.name[:255],
            checksum=hashlib.sha256(content).hexdigest(),
            size=len(content),
            content=content,
        )
        self.stdout.write(f"Checking {path.name} (batch {batch.pk})…")
        batches.check(batch.pk, on_progress=self._echo("checked"))
        batch.refresh_from_db()
        if batch.state == ImportBatch.State.FAILED:
            raise CommandError(f"Nothing was imported: {batch.message}")
        self._show(batch)
        if batch.with_problems:
            raise CommandError(
                f"Nothing was imported: {batch.with_problems} row(s) have problems (above)."
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
            return
        if not (batch.to_create or batch.to_update):
            self.stdout.write("Nothing to import: every row is as the site has it already.")
            return
        # Applied here, in this process, not queued for a worker: the state the apply
        # starts from (batches.apply) is set as batches.start_apply sets it.
        with transaction.atomic():
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if not locked.can_apply:
                raise CommandError(f"This batch cannot be applied ({locked.get_state_display()}).")
            locked.state = ImportBatch.State.APPLY_QUEUED
            locked.save(update_fields=["state", "updated_at"])
        self.stdout.write("Applying…")
        batches.apply(batch.pk, on_progress=self._echo("applied"))
        batch.refresh_from_db()
        if batch.state != ImportBatch.State.APPLIED:
            self._show(batch)
            raise CommandError(
                f"Nothing was imported: {batch.message or batch.get_state_display()}"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {path.name}: {batch.to_create} commitment(s) created, "
                f"{batch.to_update} updated, {batch.to_skip} unchanged "
                f"({batch.applied_count} written, batch {batch.pk})."
            )
        )

    def _user(self, username):
        users = get_user_model().objects.filter(is_active=True)
        if username:
            user = users.filter(username=username).first()
            if user is None:
                raise CommandError(f"No active user is called “{username}”.")
        else:
            roots = list(users.filter(is_superuser=True)[:2])
            if len(roots) != 1:
                raise CommandError(
                    "Say who imports: --as USERNAME (an editor); the history of every "
                    "commitment records them."
                )
            user = roots[0]
        if not rules.is_editor(user):
            raise CommandError(
                f"{user.get_username()} is not an editor: only editors import commitments."
            )
        return user

    def _echo(self, verb):
        def echo(done, total):
            if total >= ROWS_SHOWN_AT_LEAST:
                self.stdout.write(f"  {done} of {total} rows {verb}")

        return echo

    def _show(self, batch):
        if batch.message:
            self.stdout.write(batch.message)
        for row in batch.rows.filter(action="error").order_by("number"):
            label = f"Row {row.number}" + (f" ({row.subject})" if row.subject else "")
            for problem in row.problems:
                self.stderr.write(f"{label}: {problem}")
        for row in batch.rows.filter(action="update").order_by("number"):
            self.stdout.write(f"Row {row.number} ({row.subject}) updates: " + "; ".join(row.notes))
        self.stdout.write(
            f"{batch.rows_total} row(s): {batch.to_create} to create, {batch.to_update} to "
            f"update, {batch.to_skip} unchanged, {batch.with_problems} with problems."
        )
