"""Stopping one subscription drops the e-mails not yet sent about what it covered, and keeps
those another of the address's subscriptions still covers (a weekly digest reader who stops
following a sector hears nothing more of it, but still of the commitment they follow)."""

import pytest

from commitments.following import notify, subscriptions
from commitments.models import Delivery, Subscription
from tests.factories import make_commitment, make_published_update, make_sector
from tests.following.conftest import follower

pytestmark = pytest.mark.django_db


def test_stopping_a_subscription_drops_only_what_nothing_else_covers():
    space, trade = make_sector(slug="space", name="Space"), make_sector(slug="trade", name="Trade")
    lunar = make_commitment(slug="lunar", sector=space)
    orbiter = make_commitment(slug="orbiter", sector=space)
    port = make_commitment(slug="port", sector=trade)
    reader = follower("reader@example.org", frequency="weekly", sector=space)
    Subscription.objects.create(
        subscriber=reader, scope="commitment", commitment=port, confirmed_at=reader.confirmed_at
    )
    Subscription.objects.create(
        subscriber=reader, scope="commitment", commitment=lunar, confirmed_at=reader.confirmed_at
    )
    for commitment in (lunar, orbiter, port):
        notify.record_deliveries(make_published_update(commitment).pk)
    assert Delivery.objects.filter(subscriber=reader, sent_at=None).count() == 3

    sector = reader.subscriptions.get(scope="sector")
    assert subscriptions.stop(reader, sector.pk)

    left = set(
        Delivery.objects.filter(subscriber=reader, sent_at=None).values_list(
            "update__commitment__slug", flat=True
        )
    )
    assert left == {"lunar", "port"}  # the orbiter was only followed through the sector


def test_stopping_the_last_subscription_drops_everything_unsent():
    lunar = make_commitment(slug="lunar")
    reader = follower("reader@example.org", frequency="daily", commitment=lunar)
    notify.record_deliveries(make_published_update(lunar).pk)
    assert subscriptions.stop(reader, reader.subscriptions.get().pk)
    assert not Delivery.objects.filter(subscriber=reader, sent_at=None).exists()


def test_the_hourly_digest_task_also_prunes_unconfirmed_addresses(fixed_clock, settings):
    """No unconfirmed address is kept longer than a few days, cron or not: the task every
    mail worker queues hourly prunes them."""
    import datetime

    from commitments.models import Subscriber
    from commitments.tasks import send_digests

    waiting = follower("waiting@example.org", confirmed=False)
    kept = follower("kept@example.org")
    fixed_clock.shift(datetime.timedelta(days=settings.FOLLOW_CONFIRM_DAYS, hours=1))
    send_digests.enqueue()
    assert not Subscriber.objects.filter(pk=waiting.pk).exists()
    assert Subscriber.objects.filter(pk=kept.pk).exists()
