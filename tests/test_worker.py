"""The worker (`manage.py worker`, commitments/worker.py) as real processes on the test
database: it runs queued tasks, a task whose worker is killed is run again by another (once),
SIGTERM lets the current task finish, and the heartbeat comes and goes with the worker.

The processes need a database they can open: PostgreSQL's test database, or for SQLite a
file copy of the in-memory test database, which this process then uses too. The worker's
clock is the real one, so this module runs on the real clock (no frozen NOW)."""

import datetime
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from commitments.models import ImportBatch, ImportRow, StatusUpdate, WorkerHeartbeat
from commitments.worker import Worker, rescue_lost_tasks, workers_alive
from tests import worker_tasks
from tests.factories import make_editor

ROOT = Path(__file__).resolve().parent.parent
HEARTBEAT_SECONDS = 1
LOST_SECONDS = 2


@pytest.fixture(autouse=True)
def fixed_clock():
    """Real processes, real clock (replaces conftest's frozen one for this module)."""
    yield None


@pytest.fixture
def database_url(transactional_db, settings, tmp_path):
    """A DATABASE_URL a worker process can open, for the database this test uses; tasks go
    to the database queue (conftest runs them at once otherwise)."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "imports", "mail"],
        }
    }
    settings.WORKER_HEARTBEAT_SECONDS = HEARTBEAT_SECONDS
    settings.WORKER_LOST_SECONDS = LOST_SECONDS
    params = connection.settings_dict
    if connection.vendor == "postgresql":
        user = params["USER"] or "postgres"
        password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
        host = params["HOST"] or "127.0.0.1"
        port = params["PORT"] or 5432
        yield f"postgres://{user}{password}@{host}:{port}/{params['NAME']}"
        return
    if connection.vendor != "sqlite":
        pytest.skip("worker tests run on PostgreSQL and SQLite")
    if not connection.is_in_memory_db():
        yield f"sqlite:///{params['NAME']}"
        return
    # Copy the in-memory test database to a file and use the file here too; the in-memory one
    # is kept open (closing it would drop it) and put back afterwards.
    path = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    memory = connection.connection
    copy = sqlite3.connect(path)
    memory.backup(copy)
    copy.close()
    name, options = params["NAME"], params["OPTIONS"]
    params["NAME"] = str(path)
    # As the workers do (commitments.worker.immediate_sqlite_transactions): with several
    # processes writing, a transaction that reads and then writes would fail at once.
    params["OPTIONS"] = {**options, "transaction_mode": "IMMEDIATE"}
    connection.connection = None
    try:
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        params["NAME"], params["OPTIONS"] = name, options
        connection.connection = memory


class Workers:
    """Worker processes started by a test; whatever is left is killed at the end."""

    def __init__(self, database_url, tmp_path):
        self.env = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": database_url,
            "WORKER_HEARTBEAT_SECONDS": str(HEARTBEAT_SECONDS),
            "WORKER_LOST_SECONDS": str(LOST_SECONDS),
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        }
        self.tmp_path = tmp_path
        self.processes = []

    def start(self, *args):
        number = len(self.processes)
        log = (self.tmp_path / f"worker-{number}.log").open("w")
        process = subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--interval", "0.1", *args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        process.log_path = log.name
        self.processes.append(process)
        return process

    def output(self, process):
        return Path(process.log_path).read_text()

    def stop_all(self):
        for process in self.processes:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=30)


@pytest.fixture
def workers(database_url, tmp_path):
    started = Workers(database_url, tmp_path)
    yield started
    started.stop_all()


def wait_until(condition, timeout=60.0, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def lines(folder):
    log = Path(folder) / "log"
    return log.read_text().split() if log.exists() else []


def result_of(task_result):
    return DBTaskResult.objects.get(pk=task_result.id)


def test_a_worker_runs_a_queued_task_and_keeps_a_heartbeat(workers, tmp_path):
    (tmp_path / "release").touch()
    queued = worker_tasks.held.enqueue(str(tmp_path))
    assert workers_alive() == 0

    worker = workers.start()
    wait_until(lambda: result_of(queued).status == TaskResultStatus.SUCCESSFUL, what="the task run")
    assert result_of(queued).return_value == "released"
    assert lines(tmp_path)[::2] == ["start", "done"]

    heartbeat = wait_until(WorkerHeartbeat.objects.first, what="the heartbeat")
    assert heartbeat.pid == worker.pid
    assert heartbeat.worker_id.startswith(f"{heartbeat.hostname[:20]}")
    assert f"-{worker.pid}-" in heartbeat.worker_id
    assert result_of(queued).worker_ids == [heartbeat.worker_id]
    assert workers_alive() == 1
    first_seen = heartbeat.seen_at
    wait_until(
        lambda: WorkerHeartbeat.objects.get(pk=heartbeat.pk).seen_at > first_seen,
        what="the next beat",
    )

    # A worker that sends e-mail queues the hourly digests' run, once (no cron needed).
    digests = DBTaskResult.objects.filter(
        task_path="commitments.tasks.send_digests", status=TaskResultStatus.READY
    )
    assert digests.count() == 1
    assert digests.get().run_after > timezone.now()

    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=60) == 0
    assert not WorkerHeartbeat.objects.exists()
    assert workers_alive() == 0
    second = workers.start()
    wait_until(WorkerHeartbeat.objects.first, what="the second worker's heartbeat")
    assert digests.count() == 1  # not queued twice
    second.send_signal(signal.SIGTERM)
    assert second.wait(timeout=60) == 0


def test_a_killed_workers_task_is_run_again_by_another(workers, tmp_path):
    queued = worker_tasks.held.enqueue(str(tmp_path))
    first = workers.start()
    wait_until(lambda: lines(tmp_path) == ["start", str(first.pid)], what="the first run")
    first_id = result_of(queued).worker_ids[-1]
    first.kill()  # SIGKILL: no chance to clean up
    first.wait(timeout=30)
    assert result_of(queued).status == TaskResultStatus.RUNNING

    second = workers.start()
    wait_until(
        lambda: lines(tmp_path)[2:] == ["start", str(second.pid)],
        what="the second worker to run it again",
    )
    (tmp_path / "release").touch()
    wait_until(lambda: result_of(queued).status == TaskResultStatus.SUCCESSFUL, what="success")

    # Run twice, finished once, by the second worker.
    runs = ["start", str(first.pid), "start", str(second.pid), "done", str(second.pid)]
    assert lines(tmp_path) == runs
    result = result_of(queued)
    assert result.worker_ids[0] == first_id
    assert len(result.worker_ids) == 2
    assert "queued again" in workers.output(second)
    assert first_id in workers.output(second)
    # The dead worker's heartbeat row is cleared away; the live one stays.
    wait_until(lambda: not WorkerHeartbeat.objects.filter(worker_id=first_id).exists())
    assert workers_alive() == 1


def test_sigterm_lets_the_current_task_finish(workers, tmp_path):
    queued = worker_tasks.held.enqueue(str(tmp_path))
    later = worker_tasks.held.enqueue(str(tmp_path / "later"))
    worker = workers.start()
    wait_until(lambda: lines(tmp_path)[:1] == ["start"], what="the task to start")

    worker.send_signal(signal.SIGTERM)
    wait_until(lambda: "finishing the current task" in workers.output(worker))
    assert worker.poll() is None
    assert result_of(queued).status == TaskResultStatus.RUNNING

    (tmp_path / "release").touch()
    assert worker.wait(timeout=60) == 0
    assert result_of(queued).status == TaskResultStatus.SUCCESSFUL
    assert lines(tmp_path)[::2] == ["start", "done"]
    # It stopped after that task: the next one waits for another worker.
    assert result_of(later).status == TaskResultStatus.READY
    assert not WorkerHeartbeat.objects.exists()


def test_an_idle_worker_stops_at_once_on_sigint(workers):
    worker = workers.start()
    wait_until(WorkerHeartbeat.objects.exists, what="the heartbeat")
    worker.send_signal(signal.SIGINT)
    assert worker.wait(timeout=60) == 0
    assert not WorkerHeartbeat.objects.exists()


def test_the_worker_runs_only_its_queues(workers, tmp_path):
    (tmp_path / "release").touch()
    queued = worker_tasks.held.enqueue(str(tmp_path))  # queue "default"
    worker = workers.start("--queue-name", "imports", "--batch")
    assert worker.wait(timeout=60) == 0
    assert result_of(queued).status == TaskResultStatus.READY
    worker = workers.start("--queue-name", "default,imports", "--batch")
    assert worker.wait(timeout=60) == 0
    assert result_of(queued).status == TaskResultStatus.SUCCESSFUL


def test_a_worker_checks_and_applies_an_uploaded_import(workers, roles):
    from commitments.imports import batches
    from tests.factories import make_analyst, make_commitment

    make_commitment(slug="rail-link")
    data = (
        b"commitment,as_of,status,summary,source_title,source_url\n"
        b"rail-link,2026-01-05,in_progress,Work began on site.,Ministry statement,"
        b"https://example.gov/statement\n"
    )
    batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.UPDATES,
        created_by=make_analyst("alice"),
        filename="updates.csv",
        checksum=hashlib.sha256(data).hexdigest(),
        size=len(data),
        content=data,
        submit=True,
    )
    batches.start_check(batch)
    assert ImportBatch.objects.get(pk=batch.pk).state == ImportBatch.State.QUEUED

    worker = workers.start("--queue-name", "imports")

    def state():
        return ImportBatch.objects.get(pk=batch.pk).state

    wait_until(lambda: state() == ImportBatch.State.CHECKED, what="the check")
    batch.refresh_from_db()
    assert (batch.to_create, batch.with_problems) == (1, 0)
    assert not StatusUpdate.objects.exists()  # a preview writes nothing

    assert batches.start_apply(batch)
    wait_until(lambda: state() == ImportBatch.State.APPLIED, what="the import")
    [update] = StatusUpdate.objects.all()
    assert update.state == StatusUpdate.State.SUBMITTED
    assert update.commitment.slug == "rail-link"
    # The task's own record is finished just after its work is committed.
    done = DBTaskResult.objects.filter(queue_name="imports")
    wait_until(
        lambda: not done.filter(status__in=["READY", "RUNNING"]).exists(), what="the records"
    )
    assert sorted(done.values_list("status", flat=True)) == [TaskResultStatus.SUCCESSFUL] * 2, [
        result.traceback for result in done
    ]

    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=60) == 0


# The rescue on its own, in this process.


def running_task(tmp_path, worker_id, claimed_ago):
    queued = worker_tasks.held.enqueue(str(tmp_path))
    DBTaskResult.objects.filter(pk=queued.id).update(
        status=TaskResultStatus.RUNNING,
        worker_ids=[worker_id],
        started_at=timezone.now() - datetime.timedelta(seconds=claimed_ago),
    )
    return queued


def beat(worker_id, seconds_ago):
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id=worker_id,
        hostname="host",
        pid=1,
        started_at=now - datetime.timedelta(hours=1),
        seen_at=now - datetime.timedelta(seconds=seconds_ago),
    )


def test_only_tasks_of_lost_workers_are_queued_again(database_url, tmp_path):
    beat("alive", seconds_ago=0)
    beat("lost", seconds_ago=LOST_SECONDS + 5)
    of_live = running_task(tmp_path, "alive", claimed_ago=60)
    of_lost = running_task(tmp_path, "lost", claimed_ago=60)
    of_unknown = running_task(tmp_path, "never-beat", claimed_ago=60)
    just_claimed = running_task(tmp_path, "never-beat", claimed_ago=0)

    rescued = rescue_lost_tasks()

    assert sorted(rescued) == sorted([str(of_lost.id), str(of_unknown.id)])
    assert result_of(of_live).status == TaskResultStatus.RUNNING
    assert result_of(just_claimed).status == TaskResultStatus.RUNNING
    again = result_of(of_lost)
    assert again.status == TaskResultStatus.READY
    assert again.started_at is None
    assert again.worker_ids == ["lost"]  # the history of who tried stays
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["alive"]
    assert workers_alive() == 1


def test_a_late_finish_is_not_recorded_once_the_task_was_queued_again(database_url, tmp_path):
    """A worker taken for lost (stalled past WORKER_LOST_SECONDS) that finishes after its task
    was queued again does not mark it done: the run that claimed it last counts."""
    (tmp_path / "release").touch()
    queued = worker_tasks.held.enqueue(str(tmp_path))
    claimed = DBTaskResult.objects.get(pk=queued.id)
    claimed.claim("stalled-worker")
    DBTaskResult.objects.filter(pk=claimed.pk).update(
        status=TaskResultStatus.READY, started_at=None
    )
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="stalled-worker",
    )
    worker.run_task(claimed)
    assert lines(tmp_path)[::2] == ["start", "done"]
    assert result_of(queued).status == TaskResultStatus.READY


# prune_imports


def test_prune_imports_deletes_old_finished_imports_and_task_results(database_url, settings):
    settings.IMPORT_KEEP_DAYS = 30
    editor = make_editor("erin")
    now = timezone.now()

    def batch(state, days_ago):
        made = ImportBatch.objects.create(
            kind=ImportBatch.Kind.UPDATES,
            created_by=editor,
            filename=f"{state}-{days_ago}.csv",
            checksum="0" * 64,
            content=b"slug\n",
            state=state,
        )
        ImportBatch.objects.filter(pk=made.pk).update(
            updated_at=now - datetime.timedelta(days=days_ago)
        )
        made.rows.create(number=2, action="skip")
        return made.pk

    old_applied = batch(ImportBatch.State.APPLIED, 31)
    old_failed = batch(ImportBatch.State.FAILED, 40)
    old_cancelled = batch(ImportBatch.State.CANCELLED, 40)
    old_checked = batch(ImportBatch.State.CHECKED, 31)
    recent_applied = batch(ImportBatch.State.APPLIED, 29)
    stuck_working = batch(ImportBatch.State.CHECKING, 90)

    def task_result(status, days_ago):
        made = worker_tasks.held.enqueue("/nowhere")
        DBTaskResult.objects.filter(pk=made.id).update(
            status=status, finished_at=now - datetime.timedelta(days=days_ago)
        )
        return str(made.id)

    old_done = task_result(TaskResultStatus.SUCCESSFUL, 31)
    old_failed_task = task_result(TaskResultStatus.FAILED, 31)
    recent_done = task_result(TaskResultStatus.SUCCESSFUL, 1)
    waiting = str(worker_tasks.held.enqueue("/nowhere").id)

    call_command("prune_imports", verbosity=0)

    # A preview nobody applied for IMPORT_KEEP_DAYS is abandoned; one being worked on stays.
    assert set(ImportBatch.objects.values_list("pk", flat=True)) == {recent_applied, stuck_working}
    gone = [old_applied, old_failed, old_cancelled, old_checked]
    assert not ImportRow.objects.filter(batch__in=gone).exists()
    assert {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)} == {
        recent_done,
        waiting,
    }
    assert old_done != recent_done and old_failed_task != recent_done


# The launcher behind `make run`.


def test_serve_starts_the_site_and_a_worker_and_stops_both(database_url, tmp_path):
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": database_url,
        "WORKER_HEARTBEAT_SECONDS": str(HEARTBEAT_SECONDS),
    }
    launcher = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port), "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:

        def healthy():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    return r.status == 200
            except OSError:
                return False

        wait_until(healthy, what="the site to answer")
        heartbeat = wait_until(WorkerHeartbeat.objects.first, what="the worker's heartbeat")
        os.killpg(launcher.pid, signal.SIGINT)  # Ctrl-C in a terminal
        assert launcher.wait(timeout=60) == 0
        assert not healthy()
        assert not WorkerHeartbeat.objects.exists()
        with pytest.raises(ProcessLookupError):
            os.kill(heartbeat.pid, 0)
    finally:
        if launcher.poll() is None:
            os.killpg(launcher.pid, signal.SIGKILL)
            launcher.wait()
