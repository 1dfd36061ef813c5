"""Review of issue 17's following by e-mail (review17): what an attacker or a careless user
could do, each finding as a test."""

import io
import logging

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.test import Client

from commitments.following import notify
from commitments.models import Delivery, Subscriber
from tests.factories import make_commitment, make_published_update
from tests.following.conftest import Collector, follower, free_port, smtp_mailers

pytestmark = pytest.mark.django_db

_REAL_WINDOW = __import__("django_ratelimit.core").core._get_window


@pytest.fixture(autouse=True)
def one_window_per_test(monkeypatch):
    import time

    import django_ratelimit.core

    opened = int(time.time())
    monkeypatch.setattr(django_ratelimit.core, "_get_window", lambda value, period: opened + period)


@pytest.fixture
def commitment(db):
    commitment = make_commitment(slug="followed")
    make_published_update(commitment, summary="First figure.")
    return commitment


class RefusesVictim(Collector):
    """An SMTP server that refuses one recipient the way Postfix does (the address in the
    reply)."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("victim"):
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_a_refused_recipient_puts_no_address_in_the_logs_or_the_database(
    settings, commitment, caplog
):
    """Finding: SMTPRecipientsRefused's text is `{'victim@…': (550, …)}`: it went to the log
    ("E-mail not sent …", "Gave up …") and to Delivery.last_error, although nothing in the
    logs may name an address (docs/following-subscribe.md)."""
    port = free_port()
    controller = Controller(RefusesVictim(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.MAILERS = smtp_mailers(port)
        settings.FOLLOW_MAX_ATTEMPTS = 1
        follower("victim@example.org", commitment=commitment)
        follower("other@example.org", commitment=commitment)
        with caplog.at_level(logging.INFO, logger="commitments"):
            update = make_published_update(commitment, summary="Second figure.")
            notify.record_deliveries(update.pk)
            notify.send_pending()
    finally:
        controller.stop()
    failed = Delivery.objects.get(subscriber__email="victim@example.org")
    assert failed.sent_at is None and failed.attempts >= 1
    assert "550" in failed.last_error  # the error is still said
    assert "victim" not in failed.last_error
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("commitments")]
    assert any("E-mail not sent" in line for line in ours)
    assert not [line for line in ours if "victim" in line]


def test_switching_from_a_digest_to_at_once_sends_what_is_waiting(
    client, commitment, django_capture_on_commit_callbacks
):
    """Finding: a daily subscriber who switched to "at once" on the manage page kept its
    waiting updates unsent until some later publication queued a sending (possibly never)."""
    mail.outbox = []
    reader = follower("daily@example.org", commitment=commitment, frequency="daily")
    update = make_published_update(commitment, summary="Second figure.")
    notify.record_deliveries(update.pk)
    assert Delivery.objects.filter(subscriber=reader, sent_at=None).count() == 1
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/follow/manage/{reader.token}/", {"action": "frequency", "frequency": "immediate"}
        )
    assert response.status_code == 200
    assert Delivery.objects.filter(subscriber=reader, sent_at=None).count() == 0
    [message] = mail.outbox
    assert message.to == ["daily@example.org"]
    assert "Second figure." in message.body


def test_a_refused_csrf_check_does_not_log_the_manage_token(commitment, caplog):
    """Finding: a manage-page POST without its CSRF cookie (an expired cookie, a browser that
    blocks cookies) logged `Forbidden (CSRF cookie not set.): /follow/manage/<token>/` to
    django.security: the address's secret in the server log."""
    reader = follower("reader@example.org", commitment=commitment)
    browser = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.WARNING):
        response = browser.post(f"/follow/manage/{reader.token}/", {"action": "delete"})
    assert response.status_code == 403
    assert Subscriber.objects.filter(pk=reader.pk).exists()
    # What the site's log handler (settings.LOGGING's "console") writes of each record.
    [console] = [
        handler
        for handler in logging.getLogger("django.security").handlers
        if isinstance(handler, logging.StreamHandler)
    ]
    lines = [console.format(record) for record in caplog.records if console.filter(record)]
    assert any("/follow/manage/" in line for line in lines)  # still logged, without the secret
    assert not [line for line in lines if reader.token in line]


def test_a_stranger_does_not_choose_the_language_of_an_address_never_confirmed(commitment):
    mail.outbox = []
    Client().post(
        "/hi/follow/?commitment=followed", {"email": "owner@example.org", "frequency": "weekly"}
    )
    mail.outbox = []
    Client().post(
        "/follow/?commitment=followed", {"email": "owner@example.org", "frequency": "immediate"}
    )
    owner = Subscriber.objects.get(email="owner@example.org")
    assert (owner.language, owner.frequency) == ("en-gb", "immediate")


def test_a_refused_confirmation_puts_no_address_in_the_task_record_or_the_logs(
    settings, commitment, caplog
):
    """Finding: a confirmation the SMTP server refuses (a mistyped or made-up address: anyone
    can type one in) failed its task with SMTPRecipientsRefused, whose text names the address:
    the task's stored traceback (django_tasks_db's DBTaskResult, shown in the admin) and the
    worker's log then held it."""
    from commitments.models import Subscription
    from commitments.tasks import send_confirmation

    port = free_port()
    controller = Controller(RefusesVictim(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.MAILERS = smtp_mailers(port)
        reader = follower("victim@example.org", commitment=commitment, confirmed=False)
        subscription = Subscription.objects.get(subscriber=reader)
        with caplog.at_level(logging.INFO):
            result = send_confirmation.enqueue(subscription.pk)
    finally:
        controller.stop()
    assert result.status == "FAILED"
    [error] = result.errors
    assert "550" in error.traceback
    assert "victim" not in error.traceback
    ours = [r for r in caplog.records if not r.name.startswith("mail.log")]  # not aiosmtpd's
    assert [r for r in ours if r.name == "django.tasks" and r.levelname == "ERROR"]
    for record in ours:
        text = logging.Formatter().format(record)  # the message and its traceback
        assert "victim" not in text, text


# What held ------------------------------------------------------------------------------


def test_held_content_cannot_inject_headers_or_html(django_capture_on_commit_callbacks):
    """Commitment titles, summaries, notes and source titles are people's input: a CR/LF in
    a title does not make a header; markup is escaped in the HTML part."""
    from tests.factories import make_source

    mail.outbox = []
    commitment = make_commitment(
        slug="evil", title="Moon\r\nBcc: everyone@example.net <script>alert(1)</script>"
    )
    make_published_update(commitment)
    reader = follower("reader@example.org", commitment=commitment)
    source = make_source(title='<img src=x onerror="alert(1)">', url="https://example.org/a")
    with django_capture_on_commit_callbacks(execute=True):
        make_published_update(
            commitment, summary="<b>bold</b> & <script>x</script>", sources=[source]
        )
    [message] = mail.outbox
    assert message.to == [reader.email] and not message.bcc
    raw = message.message().as_string()
    headers = raw.split("\n\n", 1)[0]
    assert "\nBcc:" not in headers
    html = message.alternatives[0].content
    assert "<script>" not in html and "<img" not in html and "<b>bold" not in html
    assert "&lt;script&gt;" in html


def test_held_one_click_unsubscribe_does_only_that(commitment):
    """The csrf_exempt unsubscribe POST stops the subscriptions and nothing else (no delete,
    no frequency change, whatever the body says); GET and HEAD change nothing."""
    reader = follower("reader@example.org", commitment=commitment)
    browser = Client(enforce_csrf_checks=True)
    url = f"/follow/unsubscribe/{reader.token}/"
    assert browser.get(url).status_code == 200
    assert browser.head(url).status_code == 200
    assert reader.subscriptions.count() == 1
    response = browser.post(
        url, {"List-Unsubscribe": "One-Click", "action": "delete", "frequency": "weekly"}
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "same-origin"  # (main: not no-referrer, 9d7648d)
    reader.refresh_from_db()
    assert reader.subscriptions.count() == 0 and reader.frequency == "immediate"


def test_the_cron_digest_command_takes_the_sqlite_write_lock_first(monkeypatch):
    """Finding: `manage.py send_digests` from cron ran with SQLite's deferred transactions
    while the worker's hourly send_digests task (immediate ones) ran too: the command read a
    subscriber's unsent deliveries, e-mailed the digest the worker was sending, then failed
    to mark it ("database is locked"). Reproduced with two processes on a file database and a
    slow SMTP server: the first subscriber got its daily digest twice. The command now takes
    the write lock when each transaction begins, as the worker does (that in-memory test
    databases cannot show, so this checks the order of the calls)."""
    from django.core.management import call_command

    from commitments import worker

    calls = []
    monkeypatch.setattr(worker, "immediate_sqlite_transactions", lambda: calls.append("lock"))
    monkeypatch.setattr(
        notify, "send_digests", lambda: calls.append("send") or {"sent": 0, "failed": 0}
    )
    call_command("send_digests", stdout=io.StringIO())
    assert calls == ["lock", "send"]


def test_held_admin_publishing_with_the_smtp_port_closed(
    client, settings, commitment, django_capture_on_commit_callbacks
):
    """The admin's "Publish selected updates" with nothing listening on the SMTP port (and
    tasks run at once, so the sending happens in the request): both updates are published,
    the page answers, the deliveries wait with their error."""
    from commitments.models import StatusUpdate
    from tests.factories import make_editor, make_update

    settings.MAILERS = smtp_mailers(free_port())  # nothing listens there
    reader = follower("reader@example.org", commitment=commitment)
    updates = [make_update(commitment, summary=f"Figure {n}.") for n in (1, 2)]
    for update in updates:
        update.submit()
    client.force_login(make_editor())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/commitments/statusupdate/",
            {
                "action": "publish_updates",
                "_selected_action": [u.pk for u in updates],
                "apply": "1",
                **{f"version-{u.pk}": StatusUpdate.objects.get(pk=u.pk).version for u in updates},
            },
        )
    assert response.status_code == 302
    assert set(
        StatusUpdate.objects.filter(pk__in=[u.pk for u in updates]).values_list("state", flat=True)
    ) == {"published"}
    waiting = Delivery.objects.filter(subscriber=reader, sent_at=None)
    assert waiting.count() == 2
    assert all("ConnectionRefusedError" in d.last_error for d in waiting)


def test_an_address_that_stopped_everything_while_its_deliveries_were_recorded_gets_nothing(
    commitment, monkeypatch
):
    """Finding (a race): record_deliveries reads the followers, then inserts their
    deliveries. An address unsubscribed in between (stop_all found nothing to drop yet) got
    the e-mail after it had stopped everything."""
    from commitments.following import subscriptions

    mail.outbox = []
    reader = follower("reader@example.org", commitment=commitment)
    real = notify.followers

    def followers_then_unsubscribed(update):
        found = list(real(update))
        subscriptions.stop_all(Subscriber.objects.get(pk=reader.pk))  # the one click, now
        return found

    monkeypatch.setattr(notify, "followers", followers_then_unsubscribed)
    update = make_published_update(commitment, summary="Second figure.")
    notify.record_deliveries(update.pk)
    notify.send_pending()
    assert mail.outbox == []


def test_a_stranger_cannot_send_an_address_dozens_of_confirmations_a_day(
    commitment, fixed_clock, monkeypatch
):
    """Finding: 3 requests an hour per address, each target once an hour, and nothing per
    day: a stranger (one client address an hour is enough) mailed anyone 3 confirmations an
    hour, 72 a day, for as long as they liked. Now at most THROTTLE_RATE_FOLLOW_ADDRESS_DAY
    (6) a day."""
    from datetime import timedelta

    import django_ratelimit.core

    from tests.factories import make_sector

    monkeypatch.setattr(django_ratelimit.core, "_get_window", _REAL_WINDOW)  # real hours
    targets = ["/follow/?commitment=followed", "/follow/"]
    for n in range(2):
        sector = make_sector(slug=f"sector-{n}", name=f"Sector {n}")
        make_published_update(make_commitment(sector=sector))
        targets.append(f"/follow/?sector=sector-{n}")
    mail.outbox = []
    for hour in range(24):
        stranger = Client(REMOTE_ADDR=f"198.51.100.{hour + 1}")
        for url in targets[:3]:
            stranger.post(url, {"email": "victim@example.org", "frequency": "immediate"})
        fixed_clock.shift(timedelta(minutes=61))
    sent = [m for m in mail.outbox if m.to == ["victim@example.org"]]
    # Fixed windows: 24 hours straddle at most two of them, 6 each (was 72).
    assert len(sent) <= 12, f"{len(sent)} confirmation e-mails in a day"
