"""Recompute every commitment's stored status from its published updates."""

from django.core.management.base import BaseCommand

from commitments.models import Commitment


class Command(BaseCommand):
    help = (
        "Recompute each commitment's current status and latest update from its published "
        "updates (the same function publishing uses). Safe to run at any time, e.g. after "
        "loading data or editing rows by hand in the database."
    )

    def handle(self, *args, **options):
        changed = 0
        pks = Commitment.objects.order_by("pk").values_list("pk", flat=True)
        for pk in pks.iterator(chunk_size=2000):
            changed += Commitment.refresh_status_of(pk)
        self.stdout.write(f"{changed} of {pks.count()} commitment(s) corrected.")
