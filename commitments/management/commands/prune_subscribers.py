"""`manage.py prune_subscribers`: delete subscriptions still unconfirmed FOLLOW_CONFIRM_DAYS
after they were made, and addresses never confirmed that follow nothing any more. Run it
daily (cron or a systemd timer; docs/following-subscribe.md)."""

from django.core.management.base import BaseCommand

from commitments.following import subscriptions


class Command(BaseCommand):
    help = (
        "Delete subscriptions unconfirmed after FOLLOW_CONFIRM_DAYS, and never-confirmed "
        "addresses left with no subscription."
    )

    def handle(self, *, verbosity, **options):
        pruned, addresses = subscriptions.prune()
        if verbosity:
            self.stdout.write(
                f"Deleted {pruned} unconfirmed subscription(s) and {addresses} "
                "never-confirmed address(es)."
            )
