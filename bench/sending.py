"""The sending benchmark (bench/bench.py runs it; docs/benchmarks.md, "Sending").

On a migrated database holding the summit data set (fixtures/india_japan_2025.json), it makes
N confirmed "at once" subscribers of one sector (10,000 by default), starts a local SMTP
server (aiosmtpd on 127.0.0.1, in this process, counting what it accepts) and one worker
process (`manage.py worker --queue-name mail`), then an editor publishes an update on a
commitment of that sector. It times the publish call (what the editor waits for) and the time
until every subscriber's e-mail has been accepted by the SMTP server and marked sent.
Prints one JSON line.

    DATABASE_URL=… python bench/sending.py [--subscribers 10000]

FOLLOW_BATCH_SECONDS is 0 here: the batching window is a wait by design, not work."""

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Counter:
    def __init__(self):
        self.accepted = 0

    async def handle_DATA(self, server, session, envelope):
        self.accepted += 1
        return "250 OK"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()

    port = free_port()
    mail_env = {
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "0",
        "FOLLOW_BATCH_SECONDS": "0",
        "DEBUG": "1",
    }
    os.environ.update(mail_env)

    import django

    django.setup()
    from aiosmtpd.controller import Controller
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from commitments.models import (
        EDITOR_GROUP,
        Commitment,
        Delivery,
        Source,
        StatusUpdate,
        Subscriber,
        Subscription,
        User,
    )

    if not Commitment.objects.exists():
        call_command("loaddata", "india_japan_2025", verbosity=0)
    commitment = Commitment.objects.public().order_by("pk").first()
    sector = commitment.sector
    now = timezone.now()
    Subscriber.objects.filter(email__endswith="@bench.example").delete()
    subscribers = Subscriber.objects.bulk_create(
        [
            Subscriber(
                email=f"reader{n}@bench.example",
                token=f"bench-token-{n:06d}",
                language=("en-gb", "ja", "hi")[n % 3],
                confirmed_at=now,
            )
            for n in range(args.subscribers)
        ],
        batch_size=2000,
    )
    if connection.vendor == "sqlite" or subscribers[0].pk is None:
        subscribers = list(Subscriber.objects.filter(email__endswith="@bench.example"))
    Subscription.objects.bulk_create(
        [
            Subscription(subscriber=s, scope="sector", sector=sector, confirmed_at=now)
            for s in subscribers
        ],
        batch_size=2000,
    )
    editor, _ = User.objects.get_or_create(username="bench-editor")
    editor.groups.add(Group.objects.get(name=EDITOR_GROUP))
    update = StatusUpdate.objects.create(
        commitment=commitment,
        as_of=timezone.localdate(),
        status=StatusUpdate.Status.IN_PROGRESS,
        summary="Benchmark update for every follower of the sector.",
    )
    source, _ = Source.objects.get_or_create(url="https://example.org/bench", title="Bench")
    update.sources.set([source])
    update.submit()

    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--queue-name", "mail", "--interval", "0.2"],
        cwd=ROOT,
        env={**os.environ, **mail_env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(2)  # the worker is up and polling
        started = time.perf_counter()
        update.publish(editor)  # its on-commit callback queues the work
        publish_seconds = time.perf_counter() - started
        deadline = started + args.timeout
        while time.perf_counter() < deadline:
            if counter.accepted >= args.subscribers:
                break
            time.sleep(0.1)
        accepted_seconds = time.perf_counter() - started
        while time.perf_counter() < deadline:
            if not Delivery.objects.filter(update=update, sent_at=None).exists():
                break
            time.sleep(0.1)
        done_seconds = time.perf_counter() - started
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        controller.stop()
    sent = Delivery.objects.filter(update=update, sent_at__isnull=False).count()
    update.refresh_from_db()
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "subscribers": args.subscribers,
                "publish_seconds": round(publish_seconds, 3),
                "published": update.state == StatusUpdate.State.PUBLISHED,
                "accepted": counter.accepted,
                "accepted_seconds": round(accepted_seconds, 2),
                "marked_sent": sent,
                "done_seconds": round(done_seconds, 2),
            }
        )
    )
    return 0 if sent == args.subscribers and counter.accepted == args.subscribers else 1


if __name__ == "__main__":
    sys.exit(main())
