"""Who hears of what, and what the e-mail says (locmem backend; the real SMTP server is in
test_smtp.py): followers of a commitment, its sector, a party, its event or everything,
confirmed, once each; never drafts, submissions or rejections; one e-mail per subscriber and
batch; daily and weekly digests; corrections and retractions; the subscriber's language."""

import datetime

import pytest
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from commitments.following import mail, notify
from commitments.models import (
    Commitment,
    Delivery,
    PartyRole,
    StatusUpdate,
    Subscriber,
    Subscription,
)
from tests.factories import (
    NOW,
    make_analyst,
    make_commitment,
    make_editor,
    make_event,
    make_party,
    make_published_update,
    make_submitted_update,
    make_update,
    open_correction,
    open_retraction,
)
from tests.following.conftest import follower


@pytest.fixture
def database_queue(settings):
    """Tasks go to the database queue (not run at once), as in production."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "imports", "mail"],
        }
    }


def queued(task_name):
    return DBTaskResult.objects.filter(
        task_path=f"commitments.tasks.{task_name}", status=TaskResultStatus.READY
    )


def recipients(outbox):
    return sorted(address for message in outbox for address in message.to)


@pytest.fixture
def world(db):
    party = make_party(name="Japan")
    event = make_event()
    commitment = make_commitment(parties=[(party, PartyRole.LEAD)], event=event)
    make_published_update(commitment, summary="First figure.")
    return commitment, party, event


def test_every_kind_of_follower_hears_once(world, locmem_mail, django_capture_on_commit_callbacks):
    commitment, party, event = world
    follower("c@example.org", commitment=commitment)
    follower("s@example.org", sector=commitment.sector)
    follower("p@example.org", party=party)
    follower("e@example.org", event=event)
    follower("all@example.org")
    twice = follower("twice@example.org", commitment=commitment)
    Subscription.objects.create(
        subscriber=twice, scope="sector", sector=commitment.sector, confirmed_at=NOW
    )
    follower("unconfirmed@example.org", commitment=commitment, confirmed=False)
    half = follower("half@example.org", commitment=commitment)
    Subscription.objects.filter(subscriber=half).update(confirmed_at=None)
    follower("other@example.org", commitment=make_commitment())
    follower("digest@example.org", commitment=commitment, frequency="daily")

    with django_capture_on_commit_callbacks(execute=True):
        make_published_update(commitment, summary="Second figure.")

    assert recipients(locmem_mail) == [
        "all@example.org",
        "c@example.org",
        "e@example.org",
        "p@example.org",
        "s@example.org",
        "twice@example.org",
    ]
    assert Delivery.objects.filter(subscriber__email="digest@example.org", sent_at=None).count()
    assert Delivery.objects.count() == 7


def test_never_drafts_submissions_or_rejections(world, locmem_mail):
    commitment, _party, _event = world
    follower("all@example.org")
    draft = make_update(commitment)
    submitted = make_submitted_update(commitment)
    rejected = make_submitted_update(commitment)
    rejected.reject(make_editor(), "Not sourced well enough.")
    for update in (draft, submitted, rejected):
        assert notify.record_deliveries(update.pk) == 0
    assert not Delivery.objects.exists()
    assert not locmem_mail


def test_not_public_commitment_reaches_nobody(db, locmem_mail):
    follower("all@example.org")
    commitment = make_commitment()
    update = make_published_update(commitment)
    Commitment.objects.filter(pk=commitment.pk).update(latest_update=None)
    assert notify.record_deliveries(update.pk) == 0
    assert not locmem_mail


def test_correction_and_retraction_say_so(world, locmem_mail, django_capture_on_commit_callbacks):
    commitment, _party, _event = world
    follower("all@example.org")
    analyst_update = StatusUpdate.objects.get(summary="First figure.")
    # Another published update keeps the commitment public once the correction is retracted.
    make_published_update(commitment, summary="Other figure.", as_of=analyst_update.as_of)
    analyst = make_analyst()
    correction = open_correction(
        analyst_update, analyst, note="The ministry revised its count.", status="delayed"
    )
    with django_capture_on_commit_callbacks(execute=True):
        correction.publish(make_editor())
    [message] = locmem_mail
    text = message.body
    assert "Correction: The ministry revised its count." in text
    assert "Status: In progress → Delayed" in text

    retraction = open_retraction(correction, analyst, note="Wrong commitment.")
    with django_capture_on_commit_callbacks(execute=True):
        retraction.publish(make_editor())
    assert len(locmem_mail) == 2
    assert "Retraction: Wrong commitment." in locmem_mail[1].body


def test_one_email_per_batch(world, database_queue, locmem_mail):
    commitment, _party, _event = world
    reader = follower("reader@example.org", commitment=commitment)
    first = make_published_update(commitment, summary="Figure two.")
    second = make_published_update(commitment, summary="Figure three.")
    notify.record_deliveries(first.pk)
    notify.record_deliveries(second.pk)
    # One sending queued, FOLLOW_BATCH_SECONDS later, for both publications.
    [task] = queued("send_pending")
    assert task.run_after is not None
    assert (task.run_after - task.enqueued_at).total_seconds() == pytest.approx(60, abs=2)

    assert notify.send_pending() == {"sent": 1, "failed": 0}
    [message] = locmem_mail
    assert message.to == [reader.email]
    assert "Figure two." in message.body and "Figure three." in message.body
    assert "2 updates" in message.subject
    assert notify.send_pending() == {"sent": 0, "failed": 0}
    assert len(locmem_mail) == 1


def test_digests_daily_and_weekly(world, locmem_mail, fixed_clock):
    commitment, _party, _event = world
    daily = follower("daily@example.org", commitment=commitment, frequency="daily")
    weekly = follower("weekly@example.org", commitment=commitment, frequency="weekly")
    update = make_published_update(commitment, summary="Figure two.")
    notify.record_deliveries(update.pk)
    assert not locmem_mail  # digests wait for send_digests

    assert notify.send_digests() == {"sent": 2, "failed": 0}
    assert sorted(m.subject for m in locmem_mail) == [
        "Commitment tracker: your daily digest",
        "Commitment tracker: your weekly digest",
    ]
    # Idempotent: the same day (and week) sends nothing more, even with news.
    later = make_published_update(commitment, summary="Figure three.")
    notify.record_deliveries(later.pk)
    assert notify.send_digests() == {"sent": 0, "failed": 0}

    # NOW is a Saturday: Sunday is a new day, the same week.
    fixed_clock.shift(datetime.timedelta(days=1))
    assert notify.send_digests() == {"sent": 1, "failed": 0}
    assert locmem_mail[-1].to == [daily.email]
    assert "Figure three." in locmem_mail[-1].body
    assert notify.send_digests() == {"sent": 0, "failed": 0}

    # Monday: a new week.
    fixed_clock.shift(datetime.timedelta(days=1))
    assert notify.send_digests() == {"sent": 1, "failed": 0}
    assert locmem_mail[-1].to == [weekly.email]
    assert "Figure three." in locmem_mail[-1].body
    assert "Figure two." not in locmem_mail[-1].body
    assert len(locmem_mail) == 4


def test_send_digests_task_queues_its_next_run(db, database_queue, locmem_mail):
    from django.core.management import call_command

    call_command("send_digests", "--queue", verbosity=0)
    call_command("send_digests", "--queue", verbosity=0)
    [task] = queued("send_digests")
    from commitments.tasks import send_digests

    task.delete()
    send_digests.call()
    [after] = queued("send_digests")
    assert after.run_after.minute == 0 and after.run_after.second == 0


def test_japanese_subscriber(world, locmem_mail, django_capture_on_commit_callbacks):
    commitment, _party, _event = world
    Commitment.objects.filter(pk=commitment.pk).update(title_ja="日本への人材")
    follower("ja@example.org", commitment=commitment, language="ja")
    with django_capture_on_commit_callbacks(execute=True):
        make_published_update(
            commitment, summary="Second figure.", summary_ja="二つ目の数字。", status="delayed"
        )
    [message] = locmem_mail
    html = message.alternatives[0].content
    for part in (message.body, html):
        assert "日本への人材" in part
        assert "二つ目の数字。" in part
        assert f"/ja/commitments/{commitment.slug}/" in part
        assert "/ja/follow/unsubscribe/" in part
        assert "ステータス" in part
        assert "Status:" not in part
    assert message.extra_headers["List-Unsubscribe"].endswith("/ja/follow/unsubscribe/tok-ja-0/>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_status_change_is_one_rule(world):
    commitment, _party, _event = world
    first = StatusUpdate.objects.get(summary="First figure.")
    assert mail.status_change(first) == ("", "in_progress")
    second = make_published_update(commitment, status="delayed")
    assert mail.status_change(second) == ("in_progress", "delayed")
    subscriber = Subscriber(email="x@example.org", token="t", language="en-gb")
    message = mail.message(subscriber, [mail.facts_of(second)])
    assert "Status: In progress → Delayed" in message.body


def test_recording_costs_the_same_for_many_followers(
    world, database_queue, django_assert_max_num_queries
):
    commitment, _party, _event = world
    for n in range(40):
        follower(f"r{n}@example.org", sector=commitment.sector)
    update = make_published_update(commitment, summary="Figure two.")
    with django_assert_max_num_queries(8):
        assert notify.record_deliveries(update.pk) == 40
    assert Delivery.objects.filter(update=update).count() == 40
    with django_assert_max_num_queries(8):  # again: nothing new, nothing twice
        assert notify.record_deliveries(update.pk) == 40
    assert Delivery.objects.filter(update=update).count() == 40


def test_send_digests_command_for_cron(world, locmem_mail):
    from io import StringIO

    from django.core.management import call_command

    commitment, _party, _event = world
    follower("daily@example.org", commitment=commitment, frequency="daily")
    notify.record_deliveries(make_published_update(commitment, summary="Figure two.").pk)
    out = StringIO()
    call_command("send_digests", stdout=out)
    assert "Sent 1 digests; 0 failed." in out.getvalue()
    call_command("send_digests", stdout=out)  # the same day: nothing twice
    assert len(locmem_mail) == 1


def test_hindi_subscriber(world, locmem_mail, django_capture_on_commit_callbacks):
    commitment, _party, _event = world
    follower("hi@example.org", commitment=commitment, language="hi")
    with django_capture_on_commit_callbacks(execute=True):
        make_published_update(commitment, summary="Second figure.", status="delayed")
    [message] = locmem_mail
    assert "स्थिति:" in message.body
    assert "Status:" not in message.body
    assert f"/hi/commitments/{commitment.slug}/" in message.body
    assert "Second figure." in message.body  # no Hindi text yet: the English one
