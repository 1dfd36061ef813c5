"""Issue 17's "Done when", through a real SMTP server (aiosmtpd, tests/following/conftest.py):
an editor publishes, the follower's e-mail arrives; once unsubscribed, nothing more does.
Then retries (server down, 451) and the worker dying mid-run."""

import pytest
from django.conf import settings
from django.urls import reverse

from commitments.following import notify
from commitments.models import Commitment, Delivery, StatusUpdate, Subscription
from tests.factories import TODAY, make_editor, make_source, make_submitted_update
from tests.following.conftest import follower

SLUG = "fifty-thousand-skilled-professionals"


def submitted(commitment, **fields):
    fields.setdefault("as_of", TODAY)
    fields.setdefault("summary", "Twelve thousand professionals placed so far.")
    update = make_submitted_update(commitment, **fields)
    return update


def publish_as_editor(client, update, django_capture_on_commit_callbacks):
    editor = make_editor()
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("commitments:update-publish", args=[update.pk]),
            {"version": update.version},
            follow=True,
        )
    client.logout()
    assert response.status_code == 200
    update.refresh_from_db()
    assert update.state == StatusUpdate.State.PUBLISHED
    return update


@pytest.mark.django_db
def test_done_when(client, seeded, smtp_server, django_capture_on_commit_callbacks):
    commitment = Commitment.objects.get(slug=SLUG)
    status_before = commitment.current_status
    reader = follower("reader@example.org", commitment=commitment)
    update = submitted(
        commitment,
        status=StatusUpdate.Status.DELAYED,
        progress_value=12000,
        sources=[make_source(title="Ministry press note", url="https://example.org/note")],
    )
    publish_as_editor(client, update, django_capture_on_commit_callbacks)

    [message] = smtp_server.messages
    assert message["To"] == "reader@example.org"
    site = settings.SITE_URL
    assert message["List-Unsubscribe"] == f"<{site}/follow/unsubscribe/{reader.token}/>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    before = StatusUpdate.Status(status_before).label
    for part in (text, html):
        assert commitment.title in part
        assert f"Status: {before} → Delayed" in part
        assert "Twelve thousand professionals placed so far." in part
        assert f"{site}/commitments/{SLUG}/" in part
        assert f"/follow/manage/{reader.token}/" in part
        assert "Ministry press note" in part
        assert "Progress: 12,000 people (24 %)" in part
    assert Delivery.objects.get(subscriber=reader).sent_at is not None

    # Unsubscribed: the next publication reaches nobody.
    Subscription.objects.filter(subscriber=reader).delete()
    publish_as_editor(client, submitted(commitment), django_capture_on_commit_callbacks)
    assert len(smtp_server.messages) == 1


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "imports", "mail"],
        }
    }


def queued_sends():
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path="commitments.tasks.send_pending", status=TaskResultStatus.READY
    ).order_by("run_after")


def run_queued_send():
    """What the worker does with the queued send_pending task: take it, run it."""
    queued_sends().delete()
    return notify.send_pending()


def published_update(commitment, summary="Figure published."):
    from tests.factories import make_published_update

    return make_published_update(commitment, summary=summary, as_of=TODAY)


@pytest.mark.django_db
def test_publishing_with_the_smtp_server_down(
    client, seeded, smtp_server, django_capture_on_commit_callbacks
):
    commitment = Commitment.objects.get(slug=SLUG)
    reader = follower("reader@example.org", commitment=commitment)
    smtp_server.stop()  # connections are refused
    update = publish_as_editor(client, submitted(commitment), django_capture_on_commit_callbacks)
    assert update.state == StatusUpdate.State.PUBLISHED
    commitment.refresh_from_db()
    assert commitment.latest_update_id == update.pk
    delivery = Delivery.objects.get(subscriber=reader)
    assert delivery.sent_at is None
    assert delivery.attempts == 1
    assert "ConnectionRefusedError" in delivery.last_error


@pytest.mark.django_db
def test_refused_then_retried_with_backoff_then_sent_once(seeded, smtp_server, database_queue):
    commitment = Commitment.objects.get(slug=SLUG)
    readers = [follower(f"r{n}@example.org", commitment=commitment) for n in range(3)]
    update = published_update(commitment)
    notify.record_deliveries(update.pk)
    assert queued_sends().count() == 1

    smtp_server.stop()
    assert run_queued_send() == {"sent": 0, "failed": 1}
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}
    retry = queued_sends().last()
    assert (retry.run_after - retry.enqueued_at).total_seconds() == pytest.approx(60, abs=2)

    assert run_queued_send()["sent"] == 0  # still down: the next wait doubles
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {2}
    retry = queued_sends().last()
    assert (retry.run_after - retry.enqueued_at).total_seconds() == pytest.approx(120, abs=2)

    smtp_server.start()
    assert run_queued_send() == {"sent": 3, "failed": 0}
    assert run_queued_send() == {"sent": 0, "failed": 0}
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(r.email for r in readers)
    assert not Delivery.objects.filter(sent_at=None).exists()


@pytest.mark.django_db
def test_temporary_451_is_retried(seeded, smtp_server, database_queue):
    commitment = Commitment.objects.get(slug=SLUG)
    first = follower("first@example.org", commitment=commitment)
    follower("second@example.org", commitment=commitment)
    notify.record_deliveries(published_update(commitment).pk)
    smtp_server.handler.refuse = 1  # the first DATA gets "451 Try again later"
    assert run_queued_send() == {"sent": 1, "failed": 1}
    failed = Delivery.objects.get(subscriber=first)
    assert failed.attempts == 1 and failed.sent_at is None
    assert "451" in failed.last_error
    assert queued_sends().filter(run_after__gt=failed.created_at).exists()
    assert run_queued_send() == {"sent": 1, "failed": 0}
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "first@example.org",
        "second@example.org",
    ]


@pytest.mark.django_db
def test_given_up_after_max_attempts(seeded, smtp_server, database_queue, settings, caplog):
    settings.FOLLOW_MAX_ATTEMPTS = 2
    commitment = Commitment.objects.get(slug=SLUG)
    follower("reader@example.org", commitment=commitment)
    notify.record_deliveries(published_update(commitment).pk)
    smtp_server.stop()
    notify.send_pending()
    notify.send_pending()
    assert "Gave up e-mailing" in caplog.text
    smtp_server.start()
    assert notify.send_pending() == {"sent": 0, "failed": 0}
    assert Delivery.objects.get().attempts == 2
    assert not smtp_server.messages


@pytest.mark.django_db
def test_worker_dying_mid_batch_sends_no_duplicates(
    seeded, smtp_server, database_queue, settings, monkeypatch
):
    """The worker dies after three e-mails (an exception while writing the fourth): three
    are sent and marked; the run again sends the other seven, each subscriber one e-mail."""
    settings.FOLLOW_SEND_BATCH = 4  # three connections
    commitment = Commitment.objects.get(slug=SLUG)
    for n in range(10):
        follower(f"r{n}@example.org", commitment=commitment)
    first = published_update(commitment, "Figure one.")
    second = published_update(commitment, "Figure two.")
    notify.record_deliveries(first.pk)
    notify.record_deliveries(second.pk)

    from commitments.following import mail

    real_message = mail.message
    written = []

    def dying(*args, **kwargs):
        if len(written) == 3:
            raise SystemExit("worker killed")
        written.append(1)
        return real_message(*args, **kwargs)

    monkeypatch.setattr(mail, "message", dying)
    with pytest.raises(SystemExit):
        notify.send_pending()
    assert len(smtp_server.messages) == 3
    assert Delivery.objects.filter(sent_at__isnull=False).count() == 6
    monkeypatch.setattr(mail, "message", real_message)

    assert notify.send_pending() == {"sent": 7, "failed": 0}
    assert notify.send_pending() == {"sent": 0, "failed": 0}
    addresses = [m["To"] for m in smtp_server.messages]
    assert sorted(addresses) == sorted(f"r{n}@example.org" for n in range(10))
    for message in smtp_server.messages:  # both publications in each one
        text = message.get_body(("plain",)).get_content()
        assert "Figure one." in text and "Figure two." in text


@pytest.mark.django_db
def test_locmem_and_smtp_agree(seeded, locmem_mail):
    commitment = Commitment.objects.get(slug=SLUG)
    follower("reader@example.org", commitment=commitment)
    notify.record_deliveries(published_update(commitment).pk)
    [message] = locmem_mail
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.alternatives[0].mimetype == "text/html"
