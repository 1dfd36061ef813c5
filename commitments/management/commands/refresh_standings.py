"""Recompute every commitment's stored standing from its published updates."""

from django.core.management.base import BaseCommand

from commitments import standing


class Command(BaseCommand):
    help = (
        "Recompute each commitment's stored standing (status, latest update, progress, "
        "percent) from its published updates, with the same computation publishing uses, in "
        "one set-based query. Safe to run at any time, e.g. after editing rows by hand in the "
        "database. `migrate` runs it after applying this app's migrations."
    )

    def handle(self, *args, **options):
        changed, total = standing.refresh_all()
        self.stdout.write(f"{changed} of {total} commitment(s) corrected.")
