"""The background worker (`manage.py worker`; README, Deploy).

django-tasks-db keeps the queue in the site's database and its `db_worker` runs the tasks, but
a task whose worker dies (killed, machine lost) stays "running" for ever. This worker adds:

- a worker id of hostname-pid-random, and a heartbeat: its WorkerHeartbeat row's `seen_at`
  is written every WORKER_HEARTBEAT_SECONDS, from a thread of its own (a long task blocks the
  polling loop, not the heartbeat);
- the rescue: at start and at every beat, each task still "running" whose last worker has not
  been seen for WORKER_LOST_SECONDS (and that was claimed at least that long ago) is put back
  on the queue, and another worker runs it again. Tasks are written to be run again
  (commitments/tasks.py);
- a graceful stop on SIGTERM or SIGINT: the current task is finished, then the worker removes
  its heartbeat and exits. A second signal stops it at once; its task is then rescued.

`workers_alive()` is what the import pages ask before saying that no worker is running.
Failed tasks are not retried: a failed import is shown as failed, and it is started again by
uploading the file again.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from datetime import timedelta
from types import FrameType

from django.conf import settings
from django.db import (
    OperationalError,
    close_old_connections,
    connection,
    connections,
    transaction,
)
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import is_locked_database_exception

from commitments.models import WorkerHeartbeat

logger = logging.getLogger("commitments.worker")

WORKER_ID_LENGTH = 64  # WorkerHeartbeat.worker_id and django-tasks-db's limit


def new_worker_id() -> str:
    """hostname-pid-random: which machine and process, unique even if a pid is reused."""
    suffix = f"-{os.getpid()}-{get_random_string(8)}"
    return socket.gethostname()[: WORKER_ID_LENGTH - len(suffix)] + suffix


def lost_before():
    return timezone.now() - timedelta(seconds=settings.WORKER_LOST_SECONDS)


def workers_alive() -> int:
    """How many workers have been seen within WORKER_LOST_SECONDS."""
    return WorkerHeartbeat.objects.filter(seen_at__gte=lost_before()).count()


def rescue_lost_tasks(backend_name: str | None = None) -> list[str]:
    """Put back on the queue every running task whose worker is lost: its last worker has no
    heartbeat newer than WORKER_LOST_SECONDS and the task was claimed longer ago than that
    (so a worker that has just claimed a task, or a worker without a heartbeat such as
    `db_worker`, is given that long). Returns the ids of the tasks put back."""
    cutoff = lost_before()
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True)
    )
    running = DBTaskResult.objects.running().filter(started_at__lt=cutoff)
    if backend_name:
        running = running.filter(backend_name=backend_name)
    rescued = []
    for result in running.only("id", "worker_ids", "started_at", "task_path", "queue_name"):
        last_worker = result.worker_ids[-1] if result.worker_ids else ""
        if last_worker in alive:
            continue
        # Only if nobody has claimed or finished it since it was read: started_at changes
        # with every claim.
        changed = DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
        ).update(status=TaskResultStatus.READY, started_at=None)
        if changed:
            rescued.append(str(result.pk))
            logger.warning(
                "Task %s (%s, queue %s) was running on worker %s, not seen for %d s: queued again",
                result.pk,
                result.task_path,
                result.queue_name,
                last_worker or "(unknown)",
                settings.WORKER_LOST_SECONDS,
            )
    # Workers gone for good leave their row behind; the rescue above no longer needs it.
    gone = WorkerHeartbeat.objects.filter(seen_at__lt=cutoff)
    if gone.exists():  # (a DELETE would take SQLite's write lock even for no rows)
        gone.delete()
    return rescued


class Heartbeat:
    """The worker's WorkerHeartbeat row, written every WORKER_HEARTBEAT_SECONDS by a thread
    (with its own database connection), which also rescues lost workers' tasks."""

    def __init__(self, worker_id: str, backend_name: str):
        self.worker_id = worker_id
        self.backend_name = backend_name
        self.started_at = timezone.now()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="heartbeat", daemon=True)

    def beat(self) -> None:
        now = timezone.now()
        if not WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(seen_at=now):
            WorkerHeartbeat.objects.create(
                worker_id=self.worker_id,
                hostname=socket.gethostname()[:255],
                pid=os.getpid(),
                started_at=self.started_at,
                seen_at=now,
            )

    def beat_and_rescue(self) -> None:
        """One beat and one rescue; a locked SQLite database skips this beat (the next one
        comes WORKER_HEARTBEAT_SECONDS later, well within WORKER_LOST_SECONDS)."""
        try:
            self.beat()
            rescue_lost_tasks(self.backend_name)
        except OperationalError as error:
            if is_locked_database_exception(error):
                logger.debug("Heartbeat skipped: the database is locked")
            else:
                logger.warning("Heartbeat failed: %s", error)
            connection.close()  # a fresh connection next time
        except Exception:
            logger.exception("Heartbeat failed")
            connection.close()

    def _loop(self) -> None:
        try:
            while not self.stopping.wait(settings.WORKER_HEARTBEAT_SECONDS):
                self.beat_and_rescue()
        finally:
            connection.close()

    def start(self) -> None:
        self.beat_and_rescue()
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        if self.thread.is_alive():
            self.thread.join(timeout=30)
        for _attempt in range(5):
            try:
                WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
                return
            except OperationalError as error:
                if not is_locked_database_exception(error):
                    raise
                self.stopping.wait(0.2)


def immediate_sqlite_transactions() -> None:
    """On SQLite, the worker's transactions take the write lock when they begin. SQLite's
    default (a transaction that reads, then writes) fails at once with "database is locked"
    when another connection (this worker's own heartbeat, the site) wrote in between; an
    immediate transaction waits for the lock instead. Only this process is changed."""
    for alias in connections:
        wrapper = connections[alias]
        if wrapper.vendor == "sqlite" and not wrapper.is_in_memory_db():
            options = wrapper.settings_dict.setdefault("OPTIONS", {})
            if "transaction_mode" not in options:
                options["transaction_mode"] = "IMMEDIATE"
                wrapper.close()  # opened again with it


class Worker(DatabaseWorker):
    """django-tasks-db's worker with a heartbeat, the rescue of lost workers' tasks and a
    graceful stop (module docstring)."""

    def __init__(self, **options):
        options.setdefault("worker_id", new_worker_id())
        options.setdefault("excluded_queue_names", [])
        super().__init__(**options)
        immediate_sqlite_transactions()
        self.heartbeat = Heartbeat(self.worker_id, self.backend_name)

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        if not self.running and self.running_task:
            # Second signal: stop now. The task is left running; as the heartbeat stops too,
            # another worker puts it back on the queue after WORKER_LOST_SECONDS.
            logger.warning(
                "Received %s again: stopping now; task left to be run again by another worker",
                signal.strsignal(signum),
            )
            self.reset_signals()
            os._exit(1)
        if self.running_task:
            logger.warning(
                "Received %s: finishing the current task, then stopping "
                "(send it again to stop at once)",
                signal.strsignal(signum),
            )
        super().shutdown(signum, frame)

    def run(self) -> None:
        logger.info(
            "Worker %s started (queues %s; heartbeat every %d s, lost after %d s)",
            self.worker_id,
            ",".join(self.queue_names),
            settings.WORKER_HEARTBEAT_SECONDS,
            settings.WORKER_LOST_SECONDS,
        )
        if self.process_all_queues or "mail" in self.queue_names:
            _schedule_digests()
        try:
            self.heartbeat.start()
            super().run()
        finally:
            close_old_connections()
            self.heartbeat.stop()
            logger.info("Worker %s stopped", self.worker_id)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        _only_while_claimed(db_task_result)
        super().run_task(db_task_result)


def _schedule_digests() -> None:
    """A worker that sends e-mail makes sure the hourly digest run is queued (once: it is
    not queued again while one is waiting), so digests need no cron line."""
    try:
        from commitments.following import notify

        notify.queue_digests()
    except Exception:
        logger.exception("Could not queue the digests' run")


def _only_while_claimed(db_task_result: DBTaskResult) -> None:
    """Record the task's outcome only if it is still this worker's claim. A worker wrongly
    taken for lost (a database that stalled its heartbeat for WORKER_LOST_SECONDS) has had
    its task queued again: the run that counts is the one that claimed it last."""
    claimed_at = db_task_result.started_at

    def guarded(method):
        def record(*args, **kwargs):
            with transaction.atomic():
                still_ours = (
                    DBTaskResult.objects.select_for_update()
                    .filter(pk=db_task_result.pk, status=TaskResultStatus.RUNNING)
                    .filter(started_at=claimed_at)
                    .exists()
                )
                if not still_ours:
                    logger.warning(
                        "Task %s was queued again while this worker ran it: result not recorded",
                        db_task_result.pk,
                    )
                    return None
                return method(*args, **kwargs)

        return record

    db_task_result.set_successful = guarded(db_task_result.set_successful)
    db_task_result.set_failed = guarded(db_task_result.set_failed)
