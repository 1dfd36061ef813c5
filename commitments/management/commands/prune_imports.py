"""`manage.py prune_imports`: delete imports finished more than IMPORT_KEEP_DAYS ago (their
file, preview rows and counts; what they imported stays, with its history line), and the
queue's finished task results as old. Run it daily (cron or a systemd timer; README, Deploy)."""

from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from commitments.models import ImportBatch

# Finished: nothing more will happen to it. A checked preview nobody applied is abandoned
# after as long (applying it would check the file again anyway); one still queued or being
# worked on is left alone.
PRUNED_STATES = [
    ImportBatch.State.APPLIED,
    ImportBatch.State.FAILED,
    ImportBatch.State.CANCELLED,
    ImportBatch.State.CHECKED,
]


def prune_imports(days: int, dry_run: bool = False) -> int:
    """Delete the batches (their rows go with them) last changed more than `days` ago."""
    old = ImportBatch.objects.filter(
        state__in=PRUNED_STATES, updated_at__lt=timezone.now() - timedelta(days=days)
    )
    if dry_run:
        return old.count()
    deleted = 0
    # A few at a time: each holds its whole file.
    while ids := list(old.values_list("pk", flat=True)[:100]):
        # The same conditions again: one confirmed or changed since it was picked stays.
        _total, by_model = old.filter(pk__in=ids).delete()
        deleted += by_model.get(ImportBatch._meta.label, 0)
    return deleted


class Command(BaseCommand):
    help = (
        "Delete imports finished more than IMPORT_KEEP_DAYS ago (file and preview rows), "
        "and finished background task results as old."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep this many days instead of settings.IMPORT_KEEP_DAYS.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say how many would be deleted."
        )

    def handle(self, *, days, dry_run, verbosity, **options):
        days = settings.IMPORT_KEEP_DAYS if days is None else days
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        count = prune_imports(days, dry_run=dry_run)
        if verbosity:
            verb = "Would delete" if dry_run else "Deleted"
            self.stdout.write(f"{verb} {count} import(s) finished more than {days} day(s) ago.")
        call_command(
            "prune_db_task_results",
            queue_name="*",
            min_age_days=days,
            dry_run=dry_run,
            verbosity=verbosity,
            stdout=self.stdout,
        )
