"""Who hears of a publication, and sending it (docs/following-send.md).

1. `published(update_id)` (StatusUpdate.publish, on commit) queues `notify_publication`,
   which calls `record_deliveries`: one Delivery per confirmed follower (unique per
   subscriber and update), then a `send_pending` task FOLLOW_BATCH_SECONDS later, unless one
   is already queued that soon: publications close together reach an "at once" subscriber
   as one e-mail.
2. `send_pending()`: one e-mail per "at once" subscriber listing every unsent delivery, in
   chunks of FOLLOW_SEND_BATCH subscribers on one SMTP connection each (`mailers.default`).
   Each subscriber is one small transaction: its unsent deliveries are claimed
   (select_for_update(skip_locked) on PostgreSQL: two workers never send the same one;
   SQLite's writers take turns), the e-mail is sent, and they are marked sent as the
   transaction commits. A worker killed mid-run leaves the sent ones sent and the others
   unsent: the only possible duplicate is a kill between the SMTP server accepting an
   e-mail and that commit.
3. `send_digests()`: daily and weekly subscribers get one e-mail per calendar day / week
   (Monday to Sunday, TIME_ZONE) with everything not yet sent to them; `last_digest_at`
   makes a second run in the same period send nothing.

SMTP failures (refused, 4xx, 5xx) add an attempt and the error to the deliveries concerned
and the sending is tried again FOLLOW_RETRY_SECONDS later, doubling, until
FOLLOW_MAX_ATTEMPTS (then given up, logged). Publishing never waits for any of it."""

import contextlib
import datetime
import logging
import re
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import mailers
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

logger = logging.getLogger(__name__)

# What a failed SMTP conversation raises: refused or lost connections are OSError.
SMTP_ERRORS = (smtplib.SMTPException, OSError)


# An e-mail address in an SMTP server's reply (SMTPRecipientsRefused names the recipient, and
# servers repeat it: "550 <a@b>: Recipient address rejected"): never logged, never stored.
ADDRESS_IN_TEXT = re.compile(r"[^\s<>'\"{}()\[\],;:]+@[^\s<>'\"{}()\[\],;:]+")


def error_text(error: Exception) -> str:
    """What is logged and stored of a failed sending: the error without any address."""
    return ADDRESS_IN_TEXT.sub("<address>", f"{type(error).__name__}: {error}")[:300]


def connection_lost(error: Exception) -> bool:
    """After this error the connection cannot carry the next e-mail (a 4xx or 5xx reply to
    one e-mail leaves it usable). SMTPException is an OSError too."""
    return isinstance(error, smtplib.SMTPServerDisconnected) or not isinstance(
        error, smtplib.SMTPException
    )


def published(update_id: int) -> None:
    """Called (on commit) when an update, a correction or a retraction is published: queue
    the work of telling its followers. Never raises: a publication is never undone or
    refused because mail could not be queued."""
    try:
        from commitments.tasks import notify_publication

        notify_publication.enqueue(update_id)
    except Exception:
        logger.exception("Could not queue the e-mails for update %s", update_id)


def announced_q() -> Q:
    """The updates followers hear of: published updates, published corrections (also once
    superseded by a later one) and retractions. Never drafts, submissions or rejections."""
    from commitments.models import UpdateKind, UpdateState

    return (
        Q(state=UpdateState.PUBLISHED)
        | Q(kind=UpdateKind.CORRECTION, state=UpdateState.SUPERSEDED)
        | Q(kind=UpdateKind.RETRACTION, state=UpdateState.RETRACTED)
    )


def followers(update):
    """The ids of the confirmed subscribers who follow the update's commitment, its sector,
    one of its parties, its event or everything (as a queryset, each once)."""
    from commitments.models import CommitmentParty, Subscription

    commitment = update.commitment
    Scope = Subscription.Scope
    targets = (
        Q(scope=Scope.EVERYTHING)
        | Q(scope=Scope.COMMITMENT, commitment_id=commitment.pk)
        | Q(scope=Scope.SECTOR, sector_id=commitment.sector_id)
        | Q(
            scope=Scope.PARTY,
            party_id__in=CommitmentParty.objects.filter(commitment=commitment).values("party_id"),
        )
    )
    if commitment.event_id:
        targets |= Q(scope=Scope.EVENT, event_id=commitment.event_id)
    return (
        Subscription.objects.filter(targets)
        .filter(confirmed_at__isnull=False, subscriber__confirmed_at__isnull=False)
        .order_by()
        .values_list("subscriber_id", flat=True)
        .distinct()
    )


def record_deliveries(update_id: int) -> int:
    """Make a Delivery for every confirmed subscriber who follows the update's commitment,
    its sector, one of its parties, its event or everything (once each), then queue the
    sending. Nothing for an update that is not public, or on a commitment that is not.
    May run twice: the unique constraint keeps one delivery each. A few queries whatever the
    number of followers (bulk inserts of 1,000). Returns how many subscribers follow it."""
    from commitments.models import Commitment, Delivery, StatusUpdate, Subscriber

    update = (
        StatusUpdate.objects.filter(announced_q(), pk=update_id)
        .select_related("commitment")
        .first()
    )
    if update is None or not Commitment.objects.public().filter(pk=update.commitment_id).exists():
        return 0
    subscriber_ids = list(followers(update))
    Delivery.objects.bulk_create(
        [Delivery(subscriber_id=pk, update_id=update_id) for pk in subscriber_ids],
        ignore_conflicts=True,
        batch_size=1000,
    )
    at_once = Subscriber.objects.filter(
        pk__in=Delivery.objects.filter(update_id=update_id, sent_at=None).values("subscriber_id"),
        frequency=Subscriber.Frequency.IMMEDIATE,
    )
    if subscriber_ids and at_once.exists():
        queue_sending(settings.FOLLOW_BATCH_SECONDS)
    return len(subscriber_ids)


def _task_queued(task, before) -> bool:
    """Whether `task` is already queued (not started) to run by `before`."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return (
        DBTaskResult.objects.filter(task_path=task.module_path, status=TaskResultStatus.READY)
        .filter(Q(run_after__isnull=True) | Q(run_after__lte=before))
        .exists()
    )


def schedule(task, seconds: float, at_once: bool = True) -> None:
    """Queue `task` to run in `seconds`, unless it is already queued to run by then. A
    backend that cannot defer (the tests' immediate one) runs it now if `at_once`, else not."""
    backend = task.get_backend()
    if not backend.supports_defer:
        if at_once:
            task.enqueue()
        return
    when = timezone.now() + timedelta(seconds=seconds)
    if backend.__class__.__module__.startswith("django_tasks_db") and _task_queued(task, when):
        return
    task.using(run_after=when).enqueue()


def queue_sending(seconds: float, at_once: bool = True) -> None:
    from commitments.tasks import send_pending

    schedule(send_pending, seconds, at_once)


def retry_seconds(attempts: int) -> int:
    """FOLLOW_RETRY_SECONDS after the first failure, doubling after each."""
    return settings.FOLLOW_RETRY_SECONDS * 2 ** max(attempts - 1, 0)


def _unsent():
    from commitments.models import Delivery

    return Delivery.objects.filter(sent_at=None, attempts__lt=settings.FOLLOW_MAX_ATTEMPTS)


class Run:
    """One sending run: counts, and the updates' facts computed once each."""

    def __init__(self):
        import threading

        self.lock = threading.Lock()  # the counts, when several threads send
        self.sent = 0  # e-mails
        self.failed = 0
        self.fewest_attempts = None  # of the deliveries that failed and may be tried again
        self.facts = {}

    def facts_for(self, update_ids):
        from commitments.following import mail
        from commitments.models import StatusUpdate

        missing = [pk for pk in update_ids if pk not in self.facts]
        if missing:
            updates = StatusUpdate.objects.filter(pk__in=missing).select_related(
                "commitment", "corrects"
            )
            for update in updates:
                self.facts[update.pk] = mail.facts_of(update)
        return [self.facts[pk] for pk in update_ids if pk in self.facts]

    def failure(self, delivery_ids, error) -> None:
        from commitments.models import Delivery

        text = error_text(error)
        Delivery.objects.filter(pk__in=delivery_ids).update(
            attempts=F("attempts") + 1, last_error=text
        )
        with self.lock:
            self.failed += 1
        attempts = (
            Delivery.objects.filter(pk__in=delivery_ids)
            .order_by("attempts")
            .values_list("attempts", flat=True)
            .first()
        ) or settings.FOLLOW_MAX_ATTEMPTS
        if attempts >= settings.FOLLOW_MAX_ATTEMPTS:
            logger.error(
                "Gave up e-mailing deliveries %s after %s attempts: %s",
                list(delivery_ids),
                attempts,
                text,
            )
        else:
            with self.lock:
                if self.fewest_attempts is None or attempts < self.fewest_attempts:
                    self.fewest_attempts = attempts
        logger.warning("E-mail not sent (attempt %s): %s", attempts, text)


def _send_to(run: Run, connection, subscriber, deliveries, digest: str = "") -> bool:
    """Claim, send and mark one subscriber's unsent deliveries, in one small transaction.
    False if the connection is lost (the run stops)."""
    from commitments.following import mail
    from commitments.models import Delivery, Subscriber, UpdateKind, UpdateState

    subscriber_id = subscriber.pk
    with transaction.atomic():
        claimed = list(
            deliveries.filter(subscriber_id=subscriber_id)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("update__as_of", "update__reviewed_at", "update_id")
            .values_list("pk", "update_id")
        )
        if not claimed:
            return True  # another worker has them, or they were sent meanwhile
        if digest:
            subscriber = Subscriber.objects.get(pk=subscriber_id)
        # Checked again once claimed: a second run in the same period finds it done.
        if digest and not digest_due(subscriber, timezone.now()):
            return True
        facts = run.facts_for([update_id for _pk, update_id in claimed])
        # An update retracted since its delivery was made is not news any more; its
        # retraction has a delivery of its own.
        facts = [
            one
            for one in facts
            if one.update.state != UpdateState.RETRACTED or one.update.kind == UpdateKind.RETRACTION
        ]
        pks = [pk for pk, _update_id in claimed]
        now = timezone.now()
        if facts:
            email = mail.message(subscriber, facts, digest)
            try:
                connection.send_messages([email])
            except SMTP_ERRORS as error:
                run.failure(pks, error)
                return not connection_lost(error)
            with run.lock:
                run.sent += 1
        Delivery.objects.filter(pk__in=pks).update(sent_at=now)
        if digest:
            Subscriber.objects.filter(pk=subscriber_id).update(last_digest_at=now)
    return True


def send_threads() -> int:
    """How many e-mails one worker sends at once, each thread on its own SMTP connection and
    database connection: FOLLOW_SEND_THREADS if set, else 4 on PostgreSQL (the waits are the
    SMTP server's replies and the commits) and 1 on SQLite (one writer at a time anyway)."""
    from django.db import connection

    configured = getattr(settings, "FOLLOW_SEND_THREADS", None)
    if configured:
        return max(int(configured), 1)
    return 4 if connection.vendor == "postgresql" else 1


def _send_slice(run: Run, subscribers: list, deliveries, digest: str) -> bool:
    """Send to these subscribers on one SMTP connection. False if it failed (the run stops)."""
    connection = mailers.default
    try:
        connection.open()
    except SMTP_ERRORS as error:
        # Nobody can be written to now: every delivery waiting here has had its attempt.
        pending = deliveries.filter(subscriber_id__in=[s.pk for s in subscribers])
        run.failure(list(pending.values_list("pk", flat=True)), error)
        return False
    try:
        for subscriber in subscribers:
            if not _send_to(run, connection, subscriber, deliveries, digest):
                return False
        return True
    finally:
        with contextlib.suppress(*SMTP_ERRORS):
            connection.close()


def _send_slice_in_thread(*args) -> bool:
    from django.db import connections

    try:
        return _send_slice(*args)
    finally:
        connections.close_all()  # this thread's own


def _send_all(subscribers, deliveries, digest: str = "") -> Run:
    """E-mail each subscriber of `subscribers` (ids, a queryset in id order) about its
    `deliveries`, FOLLOW_SEND_BATCH subscribers at a time, shared among `send_threads()`
    threads (one SMTP connection each)."""
    from concurrent.futures import ThreadPoolExecutor

    from commitments.models import Subscriber

    run = Run()
    threads = send_threads()
    last = 0
    while True:
        chunk = list(subscribers.filter(pk__gt=last).order_by("pk")[: settings.FOLLOW_SEND_BATCH])
        if not chunk:
            break
        last = chunk[-1]
        by_pk = Subscriber.objects.in_bulk(chunk)
        # (A subscriber gone meanwhile took its deliveries with it.)
        found = [by_pk[pk] for pk in chunk if pk in by_pk]
        if threads == 1:
            if not _send_slice(run, found, deliveries, digest):
                return run
            continue
        slices = [found[start::threads] for start in range(threads)]
        with ThreadPoolExecutor(max_workers=threads) as pool:
            results = list(
                pool.map(
                    _send_slice_in_thread,
                    [run] * threads,
                    slices,
                    [deliveries] * threads,
                    [digest] * threads,
                )
            )
        if not all(results):
            return run
    return run


def still_following() -> Q:
    """Subscribers that still follow something (confirmed). An address that stopped
    everything while its deliveries were being recorded (after stop_all dropped the unsent
    ones) is sent nothing; its leftover deliveries go with it."""
    from django.db.models import Exists, OuterRef

    from commitments.models import Subscription

    return Q(
        Exists(Subscription.objects.filter(subscriber=OuterRef("pk"), confirmed_at__isnull=False))
    )


def send_pending() -> dict:
    """E-mail every "at once" subscriber the updates not yet sent to them: one e-mail each.
    Returns the counts; queues a retry after a failure."""
    from commitments.models import Subscriber

    deliveries = _unsent().filter(subscriber__frequency=Subscriber.Frequency.IMMEDIATE)
    subscribers = (
        Subscriber.objects.filter(
            pk__in=deliveries.values("subscriber_id"), confirmed_at__isnull=False
        )
        .filter(still_following())
        .values_list("pk", flat=True)
    )
    run = _send_all(subscribers, deliveries)
    if run.fewest_attempts is not None:
        # (A backend that cannot defer does not retry: it would retry at once.)
        queue_sending(retry_seconds(run.fewest_attempts), at_once=False)
    logger.info("Sent %s e-mails, %s failed", run.sent, run.failed)
    return {"sent": run.sent, "failed": run.failed}


def period_start(frequency: str, now: datetime.datetime) -> datetime.datetime:
    """The start of the digest period `now` is in: the day, or the week from Monday, in the
    site's time zone."""
    local = timezone.localtime(now)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if frequency == "weekly":
        start -= timedelta(days=start.weekday())
    return start


def digest_due(subscriber, now) -> bool:
    return subscriber.last_digest_at is None or subscriber.last_digest_at < period_start(
        subscriber.frequency, now
    )


def send_digests(now: datetime.datetime | None = None) -> dict:
    """One digest per daily subscriber and day, per weekly subscriber and week, of every
    delivery not yet sent to them; nothing for a subscriber already sent this period's
    (idempotent) or with nothing new."""
    from commitments.models import Subscriber

    now = now or timezone.now()
    counts = {"sent": 0, "failed": 0}
    for frequency in (Subscriber.Frequency.DAILY, Subscriber.Frequency.WEEKLY):
        deliveries = _unsent().filter(subscriber__frequency=frequency)
        subscribers = (
            Subscriber.objects.filter(
                pk__in=deliveries.values("subscriber_id"),
                frequency=frequency,
                confirmed_at__isnull=False,
            )
            .filter(
                Q(last_digest_at__isnull=True) | Q(last_digest_at__lt=period_start(frequency, now))
            )
            .filter(still_following())
            .values_list("pk", flat=True)
        )
        run = _send_all(subscribers, deliveries, digest=str(frequency))
        counts["sent"] += run.sent
        counts["failed"] += run.failed
    logger.info("Sent %s digests, %s failed", counts["sent"], counts["failed"])
    return counts


def queue_digests() -> None:
    """Queue the next hourly `send_digests` run, at the next full hour, unless one is queued
    already (not with a backend that cannot defer)."""
    from commitments.tasks import send_digests as task

    backend = task.get_backend()
    if not backend.supports_defer:
        return
    now = timezone.now()
    top = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    database = backend.__class__.__module__.startswith("django_tasks_db")
    if database and _task_queued(task, top + timedelta(minutes=1)):
        return
    task.using(run_after=top).enqueue()
