"""Several app servers, one truth: two gunicorn instances share one PostgreSQL database and one
Redis. A publication through one shows on the other's next anonymous request, and a sign-in
lockout recorded by one holds on the other.

The servers run with production settings (DEBUG off) behind a pretend proxy: requests carry
`X-Forwarded-Proto: https`, as the reverse proxy of the Deploy section would add.
"""

import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import global_settings, settings
from django.db import connection

from bench.load import Client
from commitments.models import StatusUpdate
from tests.factories import (
    make_analyst,
    make_commitment,
    make_editor,
    make_published_update,
    make_submitted_update,
)

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("MULTI_SERVER_REDIS_URL", "redis://127.0.0.1:6379/13")
PASSWORD = "a-long-sign-in-secret-7"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="several app servers share PostgreSQL: run with DATABASE_URL=postgres://…",
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def shared_redis():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """Production settings serve hashed static files: collect them once."""
    root = tmp_path_factory.mktemp("static")
    env = {**_server_env(), "STATIC_ROOT": str(root)}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return root


def _server_env() -> dict:
    database = connection.settings_dict
    return {
        "PATH": os.environ["PATH"],
        "DEBUG": "0",
        "SECRET_KEY": "multi-server-test-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "BEHIND_PROXY": "1",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "REDIS_URL": REDIS_URL,
    }


@pytest.fixture
def servers(static_root, shared_redis, roles):
    """Two gunicorn instances on two ports, sharing the test database and one Redis."""
    gunicorn = Path(sys.executable).parent / "gunicorn"
    processes, browsers = [], []
    for _ in range(2):
        port = _free_port()
        env = {
            **_server_env(),
            "STATIC_ROOT": str(static_root),
            "BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "1",
        }
        processes.append(
            subprocess.Popen(
                [str(gunicorn), "-c", "tracker/gunicorn.conf.py", "tracker.wsgi"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        browsers.append(Client(port))
    try:
        for browser in browsers:
            _wait_until_healthy(browser)
        yield browsers
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def _wait_until_healthy(browser: Client, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            status, _ = browser.get("/healthz")
        except OSError:
            status = None
        if status == 200:
            return
        time.sleep(0.2)
    pytest.fail(f"gunicorn on {browser.host} did not become healthy")


@pytest.fixture
def real_password_hashing(settings):
    # The servers know only the production hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS


def test_publication_through_one_server_shows_on_the_other(
    servers, shared_redis, real_password_hashing
):
    first, second = servers
    commitment = make_commitment(title="Shared truth", slug="shared-truth")
    make_published_update(commitment, summary="An earlier published step.")
    pending = make_submitted_update(
        commitment, summary="Fresh news from the other server.", author=make_analyst("ana")
    )
    editor = make_editor("eddie")
    editor.set_password(PASSWORD)
    editor.save()
    page = "/commitments/shared-truth/"

    # Both servers have the page in the shared cache, without the update under review.
    for server in (second, first, second):
        status, html = server.get(page)
        assert status == 200
        assert "An earlier published step." in html
        assert "Fresh news from the other server." not in html
    assert shared_redis.keys("*public:page:*"), "the page was not kept in the shared Redis"

    editor_on_first = Client(first.port)
    status, _ = editor_on_first.sign_in("eddie", PASSWORD)
    assert status == 302, "the editor could not sign in"
    status, _ = editor_on_first.submit_form("/review/", f"/updates/{pending.pk}/publish/", {})
    assert status == 302
    pending.refresh_from_db()
    assert pending.state == StatusUpdate.State.PUBLISHED

    # The very next anonymous request to the other server shows it: page, feed and API.
    status, html = second.get(page)
    assert status == 200
    assert "Fresh news from the other server." in html
    _, feed = second.get("/feeds/updates.atom")
    assert "Fresh news from the other server." in feed
    _, api = second.get("/api/updates/?commitment=shared-truth")
    assert "Fresh news from the other server." in api


def test_a_lockout_recorded_by_one_server_holds_on_the_other(servers, real_password_hashing):
    first, second = servers
    user = make_analyst("lockme")
    user.set_password(PASSWORD)
    user.save()

    for _ in range(5):
        status, html = first.sign_in("lockme", "wrong-" + secrets.token_hex(4))
    assert status == 429
    assert "Too many failed attempts" in html

    # The right password, on the other server: still locked out, and not signed in.
    status, html = second.sign_in("lockme", PASSWORD)
    assert status == 429
    assert "sessionid" not in second.cookies

    # Another account from the same address is not affected.
    other = make_analyst("freeuser")
    other.set_password(PASSWORD)
    other.save()
    status, _ = second.sign_in("freeuser", PASSWORD)
    assert status == 302
    assert "sessionid" in second.cookies
