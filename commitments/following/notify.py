"""Who hears of a publication, and sending it. (Contract; filled in by the sending work.)"""

import logging

logger = logging.getLogger(__name__)


def published(update_id: int) -> None:
    """Called (on commit) when an update, a correction or a retraction is published: queue
    the work of telling its followers. Never raises: a publication is never undone or
    refused because mail could not be queued."""
    try:
        from commitments.tasks import notify_publication

        notify_publication.enqueue(update_id)
    except Exception:
        logger.exception("Could not queue the e-mails for update %s", update_id)


def record_deliveries(update_id: int) -> None:
    """Make a Delivery for every confirmed subscriber who follows the update's commitment,
    its sector, one of its parties, its event or everything (once each), then queue the
    sending. To be written."""
