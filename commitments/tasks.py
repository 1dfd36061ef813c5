"""Background work, on Django's task framework (settings.TASKS; README, Deploy).

Every task here may run more than once (a worker lost mid-task has its task run again by
another, commitments/worker.py): each one checks the state it starts from and writes all or
nothing."""

import logging

from django.tasks import task

from commitments.imports import batches

logger = logging.getLogger(__name__)


@task(queue_name="imports")
def check_import(batch_id: int) -> None:
    try:
        batches.check(batch_id)
    except Exception:
        logger.exception("Checking import batch %s failed", batch_id)
        batches.fail(batch_id)
        raise


@task(queue_name="imports")
def apply_import(batch_id: int) -> None:
    try:
        batches.apply(batch_id)
    except Exception:
        logger.exception("Applying import batch %s failed", batch_id)
        batches.fail(batch_id)
        raise


@task(queue_name="mail")
def notify_publication(update_id: int) -> None:
    """Record who must hear of this publication; the sending follows (notify.py)."""
    from commitments.following import notify

    notify.record_deliveries(update_id)


@task(queue_name="mail")
def send_confirmation(subscription_id: int) -> None:
    """Mail the confirmation link for a subscription (or "you already follow this"), at most
    once an hour per subscription (commitments/following/subscriptions.py)."""
    from commitments.following import subscriptions

    subscriptions.send_confirmation(subscription_id)


@task(queue_name="mail")
def send_pending() -> None:
    """E-mail the "at once" subscribers what is waiting for them (notify.py): one e-mail
    each; a run with nothing due does nothing; a failure queues a retry."""
    from commitments.following import notify

    notify.send_pending()


@task(queue_name="mail")
def send_digests() -> None:
    """The daily and weekly digests that are due (notify.py), then the next run at the next
    full hour, and the hourly pruning of unconfirmed subscriptions. Queued by every worker
    that sends e-mail (commitments/worker.py); an hourly `manage.py send_digests` from cron
    does the digests too; a digest is never sent twice for the same period."""
    from commitments.following import notify, subscriptions

    try:
        notify.send_digests()
    finally:
        notify.queue_digests()
        # Unconfirmed addresses are kept no longer than FOLLOW_CONFIRM_DAYS (and an hour),
        # even where nobody runs `prune_subscribers` from cron.
        try:
            subscriptions.prune()
        except Exception:
            logger.exception("Pruning unconfirmed subscriptions failed")
