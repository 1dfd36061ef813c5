"""Background work, on Django's task framework (settings.TASKS; README, Deploy).

Every task here may run more than once (a worker lost mid-task has its task run again by
another, commitments/worker.py): each one checks the state it starts from and writes all or
nothing."""

from django.tasks import task

from commitments.imports import batches


@task(queue_name="imports")
def check_import(batch_id: int) -> None:
    batches.check(batch_id)


@task(queue_name="imports")
def apply_import(batch_id: int) -> None:
    batches.apply(batch_id)
