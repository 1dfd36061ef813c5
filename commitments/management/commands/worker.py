"""`manage.py worker`: run background tasks (imports), with a heartbeat and the rescue of
tasks whose worker died (commitments/worker.py). Run one or more, on one or more machines,
all on the site's database (README, Deploy)."""

import logging
import sys

from django.core.management.base import BaseCommand, CommandError
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import (
    valid_backend_name,
    valid_interval,
    valid_max_tasks,
)

from commitments.worker import Worker, new_worker_id


class Command(BaseCommand):
    help = (
        "Run background tasks (imports) from the database queue until stopped (SIGTERM or "
        "Ctrl-C finish the current task first). Tasks of workers that died are run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue-name",
            default="*",
            help="The queues to run, separated by commas (for example default,imports), "
            "or * for all (default: *).",
        )
        parser.add_argument(
            "--interval",
            default=1.0,
            type=valid_interval,
            help="Seconds to wait when the queue is empty before looking again (default: 1).",
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run every task waiting, then exit.",
        )
        parser.add_argument(
            "--max-tasks",
            default=None,
            type=valid_max_tasks,
            help="Exit after running this many tasks.",
        )
        parser.add_argument(
            "--backend",
            default=DEFAULT_TASK_BACKEND_ALIAS,
            type=valid_backend_name,
            dest="backend_name",
            help="The task backend (a django-tasks-db one; default: %(default)s).",
        )
        parser.add_argument(
            "--worker-id",
            default=None,
            help="This worker's id, unique among all workers (default: hostname-pid-random).",
        )

    def handle(self, *, queue_name, interval, batch, max_tasks, backend_name, worker_id, **options):
        worker_id = worker_id or new_worker_id()
        if len(worker_id) > 64:
            raise CommandError("The worker id must be at most 64 characters long.")
        queue_names = [name.strip() for name in queue_name.split(",") if name.strip()]
        if not queue_names:
            raise CommandError("Give at least one queue name, or * for all.")
        self.configure_logging(options["verbosity"])
        worker = Worker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=not batch,
            max_tasks=max_tasks,
            worker_id=worker_id,
        )
        worker.configure_signals()
        worker.run()

    def configure_logging(self, verbosity):
        level = {0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
        for name in ("commitments.worker", "django_tasks_db", "django.tasks"):
            logging.getLogger(name).setLevel(level)
        for name in ("django_tasks_db", "django.tasks"):
            log = logging.getLogger(name)
            if not log.hasHandlers():
                handler = logging.StreamHandler(sys.stderr)
                handler.setFormatter(
                    logging.Formatter("{asctime} {levelname} {name}: {message}", style="{")
                )
                log.addHandler(handler)
