"""Running an ImportBatch: check it (a preview, nothing written) and apply it (all or
nothing). The worker's tasks call these; so do the commands (without a batch row of their
own being needed elsewhere). Every state change is saved at once so the page polling the
batch shows where it is."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from commitments.imports.base import ImportFileError, RowPlan
from commitments.imports.reading import read_table
from commitments.models import ImportBatch, ImportRow

logger = logging.getLogger(__name__)

NO_WORKER_AFTER = datetime.timedelta(seconds=10)  # queued this long: say whether a worker runs
PROGRESS_EVERY = 250  # rows between two progress writes
ROW_BATCH = 1000


def planner_for(batch):
    if batch.kind == ImportBatch.Kind.UPDATES:
        from commitments.imports.updates import Planner
    else:
        from commitments.imports.commitments import Planner
    return Planner(batch)


def _progress_writer(batch, on_progress=None):
    last = [0]

    def progress(done: int) -> None:
        if done - last[0] >= PROGRESS_EVERY or done == batch.rows_total:
            last[0] = done
            ImportBatch.objects.filter(pk=batch.pk).update(rows_done=done)
        if on_progress is not None:
            on_progress(done, batch.rows_total)

    return progress


def _plan(batch, on_progress=None):
    """(planner, table, plans) for the batch's stored file. Raises ImportFileError."""
    planner = planner_for(batch)
    table = read_table(batch.filename, bytes(batch.content), planner)
    batch.rows_total = len(table.rows)
    ImportBatch.objects.filter(pk=batch.pk).update(rows_total=batch.rows_total, rows_done=0)
    plans = planner.plan(table, _progress_writer(batch, on_progress))
    return planner, table, plans


def _counts(plans: list[RowPlan]) -> dict[str, int]:
    counts = {"to_create": 0, "to_update": 0, "to_skip": 0, "with_problems": 0}
    key = {
        "create": "to_create",
        "update": "to_update",
        "skip": "to_skip",
        "error": "with_problems",
    }
    for plan in plans:
        counts[key[plan.action]] += 1
    return counts


def check(batch_id: int, on_progress=None) -> None:
    """Check the batch's file: store one ImportRow per row and the counts. Writes nothing
    else. Runs again safely (a worker lost mid-check leaves the batch to be checked again).
    `on_progress(done, total)`, if given, is called as rows are planned (the commands print
    it)."""
    batch = ImportBatch.objects.get(pk=batch_id)
    startable = (ImportBatch.State.QUEUED, ImportBatch.State.CHECKING)
    if batch.state not in startable:
        return
    # Only if it is still waiting: a cancel that came after the read above stays a cancel.
    if not ImportBatch.objects.filter(pk=batch_id, state__in=startable).update(
        state=ImportBatch.State.CHECKING, updated_at=timezone.now()
    ):
        return
    batch.state = ImportBatch.State.CHECKING
    with translation.override(batch.language):
        try:
            _planner, table, plans = _plan(batch, on_progress)
        except ImportFileError as error:
            ImportBatch.objects.filter(pk=batch_id, state=ImportBatch.State.CHECKING).update(
                state=ImportBatch.State.FAILED,
                message=str(error),
                checked_at=timezone.now(),
                updated_at=timezone.now(),
            )
            return
        notes = list(table.notes)
        if table.ignored_columns:
            notes.append(
                translation.gettext("These columns are not imported and were ignored: %(names)s.")
                % {"names": ", ".join(table.ignored_columns)}
            )
    _store_rows(batch, plans, _counts(plans), "\n".join(notes))


def apply(batch_id: int, on_progress=None) -> None:
    """Apply a checked batch: plan the file again (the data may have changed since the
    preview) and, if no row has a problem, write everything in one transaction. Otherwise
    nothing is written and the batch goes back to Checked with the new problems shown.
    A worker lost mid-apply has written nothing (the transaction was never committed):
    the task runs again from the start."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
        if batch.state not in (ImportBatch.State.APPLY_QUEUED, ImportBatch.State.APPLYING):
            return
        batch.state = ImportBatch.State.APPLYING
        batch.save(update_fields=["state", "updated_at"])
    # Outside the lock: the page polling the batch sees "Being applied" and the progress.
    with translation.override(batch.language):
        try:
            with transaction.atomic():
                batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
                if batch.state != ImportBatch.State.APPLYING:
                    return
                planner, _table, plans = _plan(batch, on_progress)
                counts = _counts(plans)
                if counts["with_problems"]:
                    raise _Changed(plans, counts)
                if _writes_otherwise(batch, plans):
                    raise _Changed(plans, counts, _ACTS_OTHERWISE)
                written = planner.apply(plans, _progress_writer(batch, on_progress))
                batch.state = ImportBatch.State.APPLIED
                batch.applied_count = written
                batch.applied_at = timezone.now()
                for name, value in counts.items():
                    setattr(batch, name, value)
                batch.save()
        except _Changed as changed:
            _store_rows(
                batch,
                changed.plans,
                changed.counts,
                translation.gettext(
                    "Nothing was imported: the data changed since the preview and some rows "
                    "now have problems. They are listed below."
                )
                if changed.why == _HAS_PROBLEMS
                else translation.gettext(
                    "Nothing was imported: the data changed since the preview, and some rows "
                    "would now write something else. Check the preview below and import again."
                ),
            )
        except ImportFileError as error:
            ImportBatch.objects.filter(pk=batch_id).update(
                state=ImportBatch.State.FAILED, message=str(error), updated_at=timezone.now()
            )


_HAS_PROBLEMS, _ACTS_OTHERWISE = "problems", "otherwise"


class _Changed(Exception):
    def __init__(self, plans, counts, why=_HAS_PROBLEMS):
        super().__init__("rows have problems now" if why == _HAS_PROBLEMS else "rows changed")
        self.plans, self.counts, self.why = plans, counts, why


def _writes_otherwise(batch, plans) -> bool:
    """Whether a row would now write something the person did not see in the preview they
    confirmed: a create that became an update (another person made that commitment in
    between), a skip that became a create, an update with other changes. A row that now
    writes less (a create now skipped: already recorded) is not a reason to stop."""
    previewed = {
        number: (action, notes)
        for number, action, notes in ImportRow.objects.filter(batch=batch).values_list(
            "number", "action", "notes"
        )
    }
    if not previewed:  # nothing stored to compare with (not checked through check())
        return False
    return any(
        previewed.get(plan.number) != (plan.action, plan.notes)
        for plan in plans
        if plan.action in (ImportRow.Action.CREATE, ImportRow.Action.UPDATE)
    )


def _store_rows(batch, plans, counts, message: str) -> None:
    """Replace the batch's rows with these plans; the batch is then Checked. Under the
    batch's lock and only while it is being worked on: a run that a worker taken for lost
    finishes late neither doubles the rows nor undoes what happened since."""
    with transaction.atomic():
        state = (
            ImportBatch.objects.select_for_update()
            .filter(pk=batch.pk)
            .values_list("state", flat=True)
            .first()
        )
        if state not in (ImportBatch.State.CHECKING, ImportBatch.State.APPLYING):
            return  # cancelled meanwhile, or already stored by a later run
        ImportRow.objects.filter(batch=batch).delete()
        ImportRow.objects.bulk_create(
            [
                ImportRow(
                    batch=batch,
                    number=plan.number,
                    action=plan.action,
                    subject=plan.subject[:255],
                    text=plan.text[:300],
                    problems=plan.problems,
                    notes=plan.notes,
                )
                for plan in plans
            ],
            batch_size=ROW_BATCH,
        )
        ImportBatch.objects.filter(pk=batch.pk).update(
            state=ImportBatch.State.CHECKED,
            message=message,
            rows_done=batch.rows_total,
            checked_at=timezone.now(),
            updated_at=timezone.now(),
            **counts,
        )


def start_check(batch) -> None:
    """Queue the check of a new batch (saved in the same transaction, on the database
    backend: the task exists exactly when the batch does)."""
    from commitments.tasks import check_import

    check_import.enqueue(batch.pk)


def start_apply(batch, by=None) -> bool:
    """Queue the apply of a checked batch without problems, confirmed by `by` (default: its
    uploader); False if it cannot be applied (already applied, has problems, being worked
    on)."""
    from commitments.tasks import apply_import

    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if not locked.can_apply:
            return False
        locked.state = ImportBatch.State.APPLY_QUEUED
        locked.applied_by = by or locked.created_by
        locked.save(update_fields=["state", "applied_by", "updated_at"])
        apply_import.enqueue(batch.pk)
    batch.state = locked.state
    return True


def fail(batch_id: int) -> None:
    """The batch's task stopped on an unexpected error (a bug, the database gone): say so on
    the batch, which would otherwise stay "being checked" or "being applied" for good. An
    apply that failed wrote nothing (its transaction was rolled back)."""
    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None or batch.state not in (
        ImportBatch.State.QUEUED,
        ImportBatch.State.CHECKING,
        ImportBatch.State.APPLY_QUEUED,
        ImportBatch.State.APPLYING,
    ):
        return
    with translation.override(batch.language):
        message = translation.gettext(
            "The import stopped on an unexpected error and nothing was imported. Upload the "
            "file again; if it happens again, tell an administrator."
        )
    ImportBatch.objects.filter(pk=batch_id, state=batch.state).update(
        state=ImportBatch.State.FAILED, message=message, updated_at=timezone.now()
    )


def waiting(batch) -> bool:
    """Queued for longer than NO_WORKER_AFTER: the pages then say why (waiting_without_worker)."""
    return (
        batch.state in (ImportBatch.State.QUEUED, ImportBatch.State.APPLY_QUEUED)
        and timezone.now() - batch.updated_at > NO_WORKER_AFTER
    )


def waiting_without_worker(batch) -> bool:
    """Queued a while and no worker alive (commitments/worker.py): the workspace and the admin
    both say so in words, rather than leave an upload waiting silently. Never with a backend
    that runs tasks at once (there is no worker to wait for)."""
    from commitments.worker import workers_alive

    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    return not backend.endswith("ImmediateBackend") and waiting(batch) and not workers_alive()
