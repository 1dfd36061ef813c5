"""A failing service never breaks the site: without Redis, or with Redis down, every public
answer is served (uncached, never stale), editors publish, and errors are logged."""

import contextlib
import io
import logging
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import OperationalError
from django.test import Client
from django.urls import path

from bench.load import Client as HttpClient
from commitments import cache as public_cache
from commitments.models import Commitment, CommitmentParty, StatusUpdate
from tests import test_multi_server as multi_server
from tests.factories import (
    make_commitment,
    make_editor,
    make_party,
    make_published_update,
    make_update,
)
from tracker import urls as tracker_urls

pytestmark = pytest.mark.django_db

REDIS = ("127.0.0.1", 6379)
REDIS_DB = 11
CLOSED_PORT_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def redis_settings(location: str) -> dict:
    return {
        "default": {
            "BACKEND": "commitments.redis_cache.SharedRedisCache",
            "LOCATION": location,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


def _redis_answers() -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(REDIS) == 0


needs_redis = pytest.mark.skipif(not _redis_answers(), reason="Redis is not on 127.0.0.1:6379")


class SwitchableRedis:
    """The real Redis, reached through a port of its own that can close (listener and every
    connection: Redis is down) and open again at the same address (Redis is back)."""

    def __init__(self):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/{REDIS_DB}"
        self._listener = None
        self._sockets = set()
        self._lock = threading.Lock()

    def up(self):
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self._listener.settimeout(0.05)
        threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()

    def down(self):
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self, listener):
        while self._listener is listener:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            upstream = socket.create_connection(REDIS)
            client.settimeout(None)
            with self._lock:
                self._sockets |= {client, upstream}
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    @staticmethod
    def _pump(source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def fresh_process():
    """No cache failure remembered, no background retry running, no local copies."""
    public_cache.forget_cache_failures()
    public_cache.local_copies.clear()
    yield
    public_cache.forget_cache_failures()
    public_cache.local_copies.clear()


@pytest.fixture
def redis(settings, fresh_process):
    """Redis db 11 as the shared cache, behind a switch: `redis.down()`, `redis.up()`."""
    import redis as redis_py

    if not _redis_answers():
        pytest.skip("Redis is not on 127.0.0.1:6379")
    direct = redis_py.Redis(*REDIS, db=REDIS_DB)
    direct.flushdb()
    switch = SwitchableRedis()
    switch.up()
    switch.direct = direct
    settings.CACHES = redis_settings(switch.url)
    yield switch
    public_cache.forget_cache_failures()
    switch.down()
    direct.flushdb()


@pytest.fixture
def redis_down(settings, fresh_process):
    settings.CACHES = redis_settings(CLOSED_PORT_URL)


@pytest.fixture
def world(db):
    party = make_party(name="Republic of Examples", slug="examples")
    commitment = make_commitment(title="Moon landing", slug="moon-landing")
    CommitmentParty.objects.create(commitment=commitment, party=party, role="lead")
    editor = make_editor("erin")
    make_published_update(commitment, by=editor, summary="Work began on the lander.")
    return commitment


DETAIL = "/commitments/moon-landing/"
PUBLIC = [
    "/",
    "/commitments/",
    "/commitments/?status=in_progress&sort=deadline",
    DETAIL,
    "/commitments/moon-landing/history/",
    "/commitments/moon-landing/badge.svg",
    "/commitments/moon-landing/feed.atom",
    "/feeds/updates.atom",
    "/parties/examples/",
    "/about/",
    "/reports/progress/",
    "/api/commitments/",
    "/api/commitments/moon-landing/",
    "/api/updates/",
]


def publish_news(commitment, summary="The launch slipped to next year."):
    """An editor publishes a new update (through the workflow, signals and all)."""
    return make_published_update(
        commitment, by=make_editor(), status=StatusUpdate.Status.DELAYED, summary=summary
    )


def page(client, url=DETAIL) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def page_keys(direct) -> int:
    return len(direct.keys("*public:page:*"))


# Redis down: everything is served, publishing works, errors are logged, never stale ----------


@pytest.mark.parametrize("url", PUBLIC)
def test_every_public_answer_is_served_while_redis_is_down(client, world, redis_down, url):
    assert client.get(url).status_code == 200


def test_editors_publish_while_redis_is_down(
    client, world, redis_down, django_capture_on_commit_callbacks
):
    author = make_editor("author")
    update = make_update(world, author=author, summary="Lander delivered.")
    update.submit(by=author)
    update.refresh_from_db()
    client.force_login(make_editor("reviewer"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/updates/{update.pk}/publish/", {"version": update.version}, secure=True
        )
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.state == StatusUpdate.State.PUBLISHED
    client.logout()
    assert "Lander delivered." in page(client)


def test_cache_errors_are_logged_once_not_for_every_request(client, world, redis_down, caplog):
    caplog.set_level(logging.INFO, logger="commitments.cache")
    for url in PUBLIC:
        client.get(url)
    publish_news(world)
    errors = [r for r in caplog.records if r.name == "commitments.cache"]
    assert len(errors) == 1
    assert errors[0].levelno == logging.ERROR
    assert "ConnectionError" in errors[0].getMessage()


def test_figures_are_computed_while_redis_is_down(redis_down):
    calls = []
    build = lambda: calls.append(1) or 42  # noqa: E731
    assert public_cache.cached_public_data("answer", build) == 42
    assert public_cache.cached_public_data("answer", build) == 42
    assert len(calls) == 2


@needs_redis
def test_local_copies_are_not_served_when_the_generation_cannot_be_read(client, world, redis):
    page(client)  # kept in Redis, and as a local copy in this process
    redis.down()
    publish_news(world, "Delayed by the storm.")  # its bump fails; the publication stands
    assert "Delayed by the storm." in page(client)


@needs_redis
def test_after_a_failed_bump_nothing_is_served_from_the_cache_until_one_lands(
    client, world, redis, monkeypatch
):
    page(client)
    before = cache.get(public_cache.GENERATION_KEY)
    redis.down()
    publish_news(world, "Delayed by the storm.")
    redis.up()  # Redis is back, still holding the old generation and the old page
    assert "Delayed by the storm." in page(client)  # not even tried for a moment: uncached
    monkeypatch.setattr(public_cache, "RETRY_AFTER_SECONDS", 0)
    public_cache._trouble.failing_until = 0
    assert "Delayed by the storm." in page(client)  # the next request bumped first
    assert cache.get(public_cache.GENERATION_KEY) != before
    assert "Delayed by the storm." in page(client)


@needs_redis
def test_a_process_that_met_the_outage_bumps_before_serving_again(
    client, world, redis, monkeypatch
):
    """Another process's bump may have failed: this one saw the outage, so it distrusts the
    generation it finds when Redis is back."""
    monkeypatch.setattr(public_cache, "RETRY_AFTER_SECONDS", 0)
    page(client)
    redis.down()
    assert "Moon landing" in page(client)  # uncached
    # Changed by another process whose bump was lost (no signal here: no bump at all).
    Commitment.objects.filter(pk=world.pk).update(title="Moon landing, second attempt")
    redis.up()
    assert "Moon landing, second attempt" in page(client)


@needs_redis
def test_a_failed_bump_lands_in_the_background_once_redis_is_back(
    client, world, redis, monkeypatch
):
    monkeypatch.setattr(public_cache, "RETRY_BUMP_EVERY_SECONDS", 0.05)
    page(client)
    before = cache.get(public_cache.GENERATION_KEY)
    redis.down()
    publish_news(world)
    redis.up()
    deadline = time.monotonic() + 10
    while cache.get(public_cache.GENERATION_KEY) == before and time.monotonic() < deadline:
        time.sleep(0.05)  # no request on this process meanwhile
    assert cache.get(public_cache.GENERATION_KEY) != before
    assert not public_cache._trouble.pending


@needs_redis
def test_a_restarted_empty_redis_does_not_revive_old_local_copies(client, world, redis):
    public_cache.bump_public_generation()
    page(client)  # a local copy of this generation
    redis.direct.flushdb()  # Redis restarted, empty
    page(client, "/about/")  # someone reads the generation again
    Commitment.objects.filter(pk=world.pk).update(title="Moon landing, second attempt")
    public_cache.bump_public_generation()  # one change, one bump
    assert "Moon landing, second attempt" in page(client)


@needs_redis
def test_healthz_reports_the_outage_and_the_recovery(client, world, redis):
    redis.down()
    publish_news(world)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"].startswith("failing")
    redis.up()
    before = cache.get(public_cache.GENERATION_KEY)
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    assert cache.get(public_cache.GENERATION_KEY) != before  # the missed bump landed


# Without Redis: local memory is per process, so nothing is kept between requests ------------


def worker(settings, name):
    """Local memory as one gunicorn worker has it (each process has its own)."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": name}
    }


def test_without_redis_a_publication_shows_in_every_process(client, world, settings):
    worker(settings, "worker-1")
    page(client)
    page(client)
    worker(settings, "worker-2")
    publish_news(world, "Delayed by the storm.")
    worker(settings, "worker-1")
    assert "Delayed by the storm." in page(client)


def test_without_redis_the_status_figures_are_not_kept_per_process(client, world, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    worker(settings, "worker-1")
    client.get("/")
    worker(settings, "worker-2")
    publish_news(world)
    worker(settings, "worker-1")
    chart = client.get("/").context["portfolio"]
    assert chart["table"][-1]["counts"]["delayed"] == 1


# Errors reach the log in production ---------------------------------------------------------


def database_down(request):
    raise OperationalError("could not connect to server: Connection refused")


urlpatterns = [path("boom/", database_down), *tracker_urls.urlpatterns]


@pytest.mark.urls("tests.test_resilience")
def test_a_500_is_logged_with_its_traceback():
    handlers = [
        h
        for h in logging.getLogger("django.request").handlers
        if isinstance(h, logging.StreamHandler)
    ]
    assert handlers, "django.request has no console handler"
    stream = io.StringIO()
    previous = handlers[0].setStream(stream)
    try:
        response = Client(raise_request_exception=False).get("/boom/")
    finally:
        handlers[0].setStream(previous)
    assert response.status_code == 500
    logged = stream.getvalue()
    assert "ERROR django.request: Internal Server Error: /boom/" in logged
    assert "Traceback" in logged and "OperationalError: could not connect" in logged


# Cache keys: who is anonymous, and what varies an answer ------------------------------------


@needs_redis
def test_a_junk_session_cookie_is_served_from_the_cache(
    client, world, redis, django_assert_max_num_queries
):
    first = page(client)
    client.cookies["sessionid"] = "not-a-session-of-anybody-at-all"
    with django_assert_max_num_queries(1):  # the session lookup, nothing else
        assert page(client) == first


@needs_redis
def test_a_signed_in_session_is_never_served_the_cached_page(client, world, redis):
    page(client)
    client.force_login(make_editor("sam"))
    response = client.get(DETAIL)
    assert "private" in response["Cache-Control"]
    assert "Signed in as" in response.content.decode()


@needs_redis
def test_an_unknown_number_system_shares_the_default_copy(
    client, world, redis, django_assert_num_queries
):
    first = page(client)
    keys = page_keys(redis.direct)
    for junk in ("bogus", "bogus-2", "x" * 200):
        client.cookies["numbers"] = junk
        with django_assert_num_queries(0):
            assert page(client) == first
    assert page_keys(redis.direct) == keys


@needs_redis
def test_unknown_query_parameters_are_answered_uncached_and_not_kept(
    client, world, redis, django_assert_max_num_queries
):
    page(client, "/commitments/")
    keys = page_keys(redis.direct)
    for n in range(3):
        with django_assert_max_num_queries(100) as queries:
            assert "Moon landing" in page(client, f"/commitments/?cachebuster={n}")
        assert len(queries.captured_queries) > 0
    assert page_keys(redis.direct) == keys


@needs_redis
def test_tracking_parameters_get_the_kept_copy_but_are_not_kept(
    client, world, redis, django_assert_num_queries
):
    first = page(client, "/commitments/")
    with django_assert_num_queries(0):
        assert page(client, "/commitments/?utm_source=newsletter&fbclid=abc") == first
    keys = page_keys(redis.direct)
    page(client, "/about/?utm_campaign=launch")  # not kept yet: built, and not stored
    assert page_keys(redis.direct) == keys


@needs_redis
def test_known_parameters_share_a_copy_whatever_their_order(
    client, world, redis, django_assert_num_queries
):
    first = page(client, "/commitments/?sort=deadline&status=in_progress&page=1")
    with django_assert_num_queries(0):
        assert page(client, "/commitments/?page=1&status=in_progress&sort=deadline") == first


# Real app servers (PostgreSQL only: they share the test database) ----------------------------

needs_postgresql = pytest.mark.skipif(
    "postgresql" not in django_settings.DATABASES["default"]["ENGINE"],
    reason="app servers share PostgreSQL: run with DATABASE_URL=postgres://…",
)


# The two-server test's fixtures: collected static files, the production password hashers.
static_root = multi_server.static_root
real_password_hashing = multi_server.real_password_hashing


@contextlib.contextmanager
def gunicorn(static: Path, **env):
    """One gunicorn with production settings (see tests/test_multi_server.py)."""
    port = multi_server._free_port()
    command = [Path(sys.executable).parent / "gunicorn", "-c", "tracker/gunicorn.conf.py"]
    process = subprocess.Popen(
        [*command, "tracker.wsgi"],
        cwd=multi_server.ROOT,
        env={**multi_server._server_env(), "STATIC_ROOT": str(static), "BIND": f"127.0.0.1:{port}"}
        | env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        browser = HttpClient(port)
        deadline = time.monotonic() + 30
        while True:  # up: /healthz answers (503 too: the cache may be down on purpose)
            try:
                if browser.get("/healthz")[0] in (200, 503):
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_workers_without_redis_never_answer_stale(static_root, roles):
    commitment = make_commitment(title="Two workers", slug="two-workers")
    make_published_update(commitment, by=make_editor(), summary="The first step.")
    with gunicorn(static_root, REDIS_URL="", WEB_CONCURRENCY="2") as port:
        reader = HttpClient(port)
        for _ in range(20):  # both workers have answered (and, before, kept) the page
            assert "The first step." in reader.get("/commitments/two-workers/")[1]
        publish_news(commitment, "Fresh news for every worker.")
        answers = [reader.get("/commitments/two-workers/")[1] for _ in range(20)]
    stale = sum("Fresh news for every worker." not in answer for answer in answers)
    assert stale == 0, f"{stale} of 20 answers were stale"


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_with_redis_down_the_site_serves_and_editors_publish(
    static_root, roles, real_password_hashing
):
    commitment = make_commitment(title="Redis is down", slug="redis-down")
    make_published_update(commitment, by=make_editor(), summary="The first step.")
    author = make_editor("author")
    pending = make_update(commitment, author=author, summary="Published during the outage.")
    pending.submit(by=author)
    editor = make_editor("eddie")
    editor.set_password("a-long-sign-in-secret-7")
    editor.save()
    with gunicorn(static_root, REDIS_URL=CLOSED_PORT_URL, WEB_CONCURRENCY="1") as port:
        reader = HttpClient(port)
        for url in ["/", "/commitments/", "/commitments/redis-down/", "/feeds/updates.atom"]:
            assert reader.get(url)[0] == 200, url
        assert reader.get("/api/commitments/redis-down/")[0] == 200
        status, health = reader.get("/healthz")
        assert status == 503 and '"cache": "failing' in health

        desk = HttpClient(port)
        assert desk.sign_in("eddie", "a-long-sign-in-secret-7")[0] == 302
        status, _ = desk.submit_form("/review/", f"/updates/{pending.pk}/publish/", {})
        assert status == 302
        pending.refresh_from_db()
        assert pending.state == StatusUpdate.State.PUBLISHED
        assert "Published during the outage." in reader.get("/commitments/redis-down/")[1]
