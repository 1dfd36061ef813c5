"""A real worker process (`manage.py worker`, as tests/test_worker.py runs it) sends a
publication's e-mails through a real SMTP server: publish here, the worker records the
deliveries, waits out the batch window and sends; each follower gets one e-mail."""

import pytest
from django_tasks_db.models import DBTaskResult

from commitments.models import Delivery
from tests.factories import TODAY, make_commitment, make_published_update, make_update
from tests.following.conftest import follower
from tests.test_worker import (  # noqa: F401 (fixtures)
    database_url,
    fixed_clock,
    wait_until,
    workers,
)


@pytest.fixture
def mail_queue(database_url, settings):  # noqa: F811
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "imports", "mail"],
        }
    }
    return database_url


def test_a_worker_sends_through_smtp(
    mail_queue,
    workers,  # noqa: F811
    smtp_server,
    django_capture_on_commit_callbacks,
):
    commitment = make_commitment()
    make_published_update(commitment, as_of=TODAY)
    DBTaskResult.objects.all().delete()  # its followers (none yet) need no task
    for n in range(3):
        follower(f"r{n}@example.org", commitment=commitment)
    follower("ja@example.org", commitment=commitment, language="ja")
    follower("daily@example.org", commitment=commitment, frequency="daily")
    workers.env.update(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_server.port),
        EMAIL_USE_TLS="0",
        FOLLOW_BATCH_SECONDS="1",
    )
    update = make_update(commitment, as_of=TODAY, summary="Sent by the worker.")
    update.submit()
    from tests.factories import make_editor

    with django_capture_on_commit_callbacks(execute=True):
        update.publish(make_editor())
    workers.start("--queue-name", "mail")

    wait_until(lambda: len(smtp_server.messages) >= 4, timeout=60, what="the e-mails")
    wait_until(
        lambda: Delivery.objects.filter(update=update, sent_at__isnull=False).count() == 4,
        what="the deliveries marked sent",
    )
    addresses = sorted(m["To"] for m in smtp_server.messages)
    assert addresses == ["ja@example.org", "r0@example.org", "r1@example.org", "r2@example.org"]
    japanese = next(m for m in smtp_server.messages if m["To"] == "ja@example.org")
    assert "ステータス" in japanese.get_body(("plain",)).get_content()
    for message in smtp_server.messages:
        assert "Sent by the worker." in message.get_body(("plain",)).get_content() or (
            message["To"] == "ja@example.org"
        )
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The daily subscriber waits for its digest.
    daily = Delivery.objects.get(subscriber__email="daily@example.org", update=update)
    assert daily.sent_at is None
    assert len(smtp_server.messages) == 4


def test_two_workers_never_send_the_same_delivery(
    mail_queue,
    workers,  # noqa: F811
    smtp_server,
):
    from commitments.following import notify
    from commitments.tasks import send_pending

    commitment = make_commitment()
    update = make_published_update(commitment, as_of=TODAY, summary="Shared out.")
    DBTaskResult.objects.all().delete()
    for n in range(60):
        follower(f"r{n}@example.org", commitment=commitment)
    notify.record_deliveries(update.pk)
    DBTaskResult.objects.all().delete()
    send_pending.enqueue()
    send_pending.enqueue()
    workers.env.update(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_server.port),
        EMAIL_USE_TLS="0",
        FOLLOW_SEND_BATCH="7",
    )
    workers.start("--queue-name", "mail")
    workers.start("--queue-name", "mail")
    wait_until(
        lambda: not Delivery.objects.filter(update=update, sent_at=None).exists(),
        timeout=60,
        what="every delivery sent",
    )
    addresses = sorted(m["To"] for m in smtp_server.messages)
    assert addresses == sorted(f"r{n}@example.org" for n in range(60))
