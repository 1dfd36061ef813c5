"""Send the daily and weekly digests that are due (commitments/following/notify.py).

Either run it hourly from cron (`manage.py send_digests`), or once with `--queue` to start the
worker's own hourly run (the task `send_digests` queues its next run each time). Both may be
used together: a digest is never sent twice for the same day or week."""

from django.core.management.base import BaseCommand

from commitments.following import notify


class Command(BaseCommand):
    help = "Send the daily and weekly e-mail digests that are due."

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Queue the hourly send_digests task for the worker instead of sending now.",
        )

    def handle(self, *args, **options):
        if options["queue"]:
            from commitments.tasks import send_digests

            notify.schedule(send_digests, 0, at_once=False)
            self.stdout.write("Queued the hourly digest task.")
            return
        # As in the worker: on SQLite each subscriber's transaction takes the write lock when
        # it begins. A deferred one read the deliveries while the worker's hourly run was
        # sending the same digest, sent it too, then failed to mark it ("database is locked"):
        # a duplicate e-mail.
        from commitments.worker import immediate_sqlite_transactions

        immediate_sqlite_transactions()
        counts = notify.send_digests()
        self.stdout.write(f"Sent {counts['sent']} digests; {counts['failed']} failed.")
