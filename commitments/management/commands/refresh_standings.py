"""Recompute every commitment's stored figures: its standing from its published updates, and
the folded texts search reads (commitments/search.py)."""

from django.core.management.base import BaseCommand

from commitments import search, standing


class Command(BaseCommand):
    help = (
        "Recompute each commitment's stored standing (status, latest update, progress, "
        "percent) from its published updates, with the same computation publishing uses, in "
        "one set-based query, and the texts search reads (title, summary, sector, parties, "
        "event), for rows changed behind the site's back (an UPDATE by hand, a raw fixture). "
        "Safe to run at any time. `migrate` and `load_demo` run it."
    )

    def handle(self, *args, **options):
        changed, total = standing.refresh_all()
        self.stdout.write(f"{changed} of {total} commitment(s) corrected.")
        texts = search.refresh_all()
        self.stdout.write(f"{texts} commitment(s) had their search texts rewritten.")
