"""A real SMTP server for the sending tests: aiosmtpd on 127.0.0.1 and a free port, started
by the test, collecting what it accepts; Django's SMTP backend pointed at it."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from commitments.models import Subscriber, Subscription


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Collector:
    """An aiosmtpd handler that keeps every message it accepts. `refuse` makes it answer
    the next so many DATA commands with a temporary failure (451)."""

    def __init__(self):
        self.messages = []
        self.refuse = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)
        return "250 OK"

    def to(self, address):
        return [m for m in self.messages if m["To"] == address]


class SMTPServer:
    def __init__(self):
        self.port = free_port()
        self.handler = Collector()
        self.controller = None

    def start(self):
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self):
        return self.handler.messages


def smtp_mailers(port: int) -> dict:
    """tracker/settings.py's MAILERS for an SMTP server on 127.0.0.1:port, without TLS."""
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 5},
        }
    }


@pytest.fixture
def smtp_server(settings):
    """A running SMTP server that Django sends to (stopped and restarted by the test at will:
    `smtp_server.stop()` makes the port refuse connections)."""
    server = SMTPServer()
    server.start()
    settings.MAILERS = smtp_mailers(server.port)
    yield server
    server.stop()


@pytest.fixture
def locmem_mail(settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    from django.core import mail

    mail.outbox = []
    return mail.outbox


def follower(address, *, language="en-gb", frequency="immediate", confirmed=True, **target):
    """A subscriber (confirmed unless told) following `target` (commitment=…, sector=…,
    party=…, event=…; nothing = everything)."""
    now = timezone.now() if confirmed else None
    subscriber = Subscriber.objects.create(
        email=address,
        token=f"tok-{address.split('@')[0]}-{Subscriber.objects.count()}",
        language=language,
        frequency=frequency,
        confirmed_at=now,
    )
    scope = next(iter(target), "everything")
    Subscription.objects.create(subscriber=subscriber, scope=scope, confirmed_at=now, **target)
    return subscriber


@pytest.fixture(autouse=True)
def one_sending_thread(settings):
    """Sending threads have database connections of their own, which cannot see a test's
    uncommitted rows: the tests in this process send from one thread (the real worker in
    test_smtp_worker.py uses its default, several on PostgreSQL)."""
    settings.FOLLOW_SEND_THREADS = 1
