"""The anonymous public cache is shared, fast and never stale.

Pages are kept only in a cache every process shares (Redis): the tests of kept pages run
against Redis db 11, or TEST_REDIS_URL (skipped without Redis on 127.0.0.1:6379); those of the
generation run against any cache. Without Redis, nothing is kept: see tests/test_resilience.py.

A test of a kept page first has the page kept without the change, then makes the change and
looks for what it shows (or hides): it fails if the change left the kept copy in place."""

import datetime
import os
import socket

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments.models import Commitment
from tests.factories import SUMMIT_DAY, make_editor, make_published_update, make_update

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/11")
DETAIL = "/commitments/chandrayaan-5/"


def _redis_answers() -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", 6379)) == 0


@pytest.fixture
def shared_cache(settings):
    """Redis (db 11 unless TEST_REDIS_URL) as the shared cache, as in production."""
    if not _redis_answers():
        pytest.skip("Redis is not on 127.0.0.1:6379")
    from django.core.cache import cache

    from commitments.cache import forget_cache_failures, local_copies

    settings.CACHES = {
        "default": {
            "BACKEND": "commitments.redis_cache.SharedRedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    forget_cache_failures()
    cache.clear()
    local_copies.clear()
    yield
    cache.clear()
    local_copies.clear()


PUBLIC = [
    "/",
    "/commitments/",
    "/commitments/chandrayaan-5/",
    "/api/commitments/",
    "/feeds/updates.atom",
    "/commitments/chandrayaan-5/badge.svg",
]


@pytest.mark.usefixtures("shared_cache")
@pytest.mark.parametrize("url", PUBLIC)
def test_anonymous_answers_come_from_the_cache(client, seeded, url, django_assert_num_queries):
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.content == first.content


def kept_without(client, url, text):
    """Has the anonymous answer at `url` kept, and checks `text` is not in it yet."""
    content = client.get(url).content.decode()
    assert text not in content, f"{text!r} is on {url} before the change"


def shown(client, url):
    return client.get(url).content.decode()


SLIPPED = "Launch slipped to the next window (cache test)."
# What each public answer shows of Chandrayaan-5's new "delayed" update, and showed before of
# none of the 18 "announced" commitments.
SHOWS_THE_PUBLICATION = {
    "/": SLIPPED,  # the latest updates
    "/commitments/": '<span class="badge status-delayed">Delayed</span>',
    DETAIL: SLIPPED,
    "/api/commitments/": '"status":"delayed"',
    "/feeds/updates.atom": SLIPPED,
    "/commitments/chandrayaan-5/badge.svg": "Chandrayaan-5 joint lunar mission: Delayed",
}


@pytest.mark.usefixtures("shared_cache")
@pytest.mark.parametrize(("url", "text"), SHOWS_THE_PUBLICATION.items())
def test_publishing_shows_at_once(client, seeded, url, text):
    kept_without(client, url, text)
    chandrayaan = Commitment.objects.get(slug="chandrayaan-5")
    make_published_update(chandrayaan, by=make_editor(), status="delayed", summary=SLIPPED)
    assert text in shown(client, url)


@pytest.mark.usefixtures("shared_cache")
def test_editing_a_commitment_shows_at_once(client, seeded):
    kept_without(client, DETAIL, "Chandrayaan-5 lunar polar exploration")
    commitment = Commitment.objects.get(slug="chandrayaan-5")
    commitment.title = "Chandrayaan-5 lunar polar exploration"
    commitment.save()
    content = shown(client, DETAIL)
    assert "<h1>Chandrayaan-5 lunar polar exploration</h1>" in content
    assert "Chandrayaan-5 joint lunar mission" not in content


def published_before_the_latest(summary, editor):
    """A published update of Chandrayaan-5 that is not its latest: taking it away leaves the
    commitment's status alone, so no save of the commitment invalidates the cache for it."""
    chandrayaan = Commitment.objects.get(slug="chandrayaan-5")
    older = make_published_update(
        chandrayaan, by=editor, summary=summary, as_of=SUMMIT_DAY + datetime.timedelta(days=10)
    )
    make_published_update(chandrayaan, by=editor, as_of=SUMMIT_DAY + datetime.timedelta(days=40))
    return older


@pytest.mark.usefixtures("shared_cache")
def test_unpublishing_in_the_admin_takes_the_update_off_the_page(client, seeded, other_editor):
    published = published_before_the_latest("Soon withdrawn.", other_editor)
    assert "Soon withdrawn." in shown(client, DETAIL)  # and kept
    published.state = "draft"
    published.save()
    assert "Soon withdrawn." not in shown(client, DETAIL)


@pytest.mark.usefixtures("shared_cache")
def test_deleting_a_published_update_takes_it_off_the_page(client, seeded, other_editor):
    published = published_before_the_latest("Soon deleted.", other_editor)
    assert "Soon deleted." in shown(client, DETAIL)  # and kept
    published.delete()
    assert "Soon deleted." not in shown(client, DETAIL)


@pytest.mark.usefixtures("shared_cache")
def test_editing_a_cited_source_shows_at_once(client, seeded, other_editor):
    chandrayaan = Commitment.objects.get(slug="chandrayaan-5")
    source = make_published_update(chandrayaan, by=other_editor).sources.get()
    kept_without(client, DETAIL, "A corrected title")
    source.title = "A corrected title"
    source.save()
    assert "A corrected title" in shown(client, DETAIL)


@pytest.mark.usefixtures("shared_cache")
def test_drafts_do_not_leak_through_the_cache(client, seeded, analyst):
    client.get(DETAIL)
    make_update(Commitment.objects.get(slug="chandrayaan-5"), summary="CACHE-DRAFT", author=analyst)
    assert "CACHE-DRAFT" not in shown(client, DETAIL)


@pytest.mark.usefixtures("shared_cache")
def test_signed_in_pages_are_private_and_never_shared(client, seeded, editor):
    client.get("/")  # an anonymous copy is cached
    client.force_login(editor)
    response = client.get("/")
    assert "private" in response["Cache-Control"]
    assert "Signed in as" in response.content.decode()
    client.logout()
    assert "Signed in as" not in client.get("/").content.decode()


@pytest.mark.usefixtures("shared_cache")
def test_the_number_system_has_its_own_copy(client, seeded):
    url = "/commitments/five-lakh-indians-to-japan/"
    assert "5 lakh people" in client.get(url).content.decode()
    client.cookies["numbers"] = "international"
    assert "500,000 people" in client.get(url).content.decode()


@pytest.mark.usefixtures("shared_cache")
def test_a_zero_lifetime_turns_the_public_cache_off(client, seeded, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    client.get("/commitments/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/commitments/").status_code == 200
    assert len(queries) > 0


def _generation():
    from commitments.cache import public_generation

    return public_generation()


def test_analysts_work_in_progress_leaves_the_cache_alone(seeded, analyst, other_editor):
    chandrayaan = Commitment.objects.get(slug="chandrayaan-5")
    before = _generation()
    draft = make_update(chandrayaan, author=analyst)  # a new source, cited by a draft
    draft.summary = "Reworded"
    draft.save()
    draft.submit(by=analyst)
    draft.reject(other_editor, "Needs a better source.")
    assert _generation() == before
    draft.reopen(by=analyst)
    draft.submit(by=analyst)
    draft.publish(other_editor)
    assert _generation() > before


def test_unpublishing_in_the_admin_invalidates(seeded, other_editor):
    published = published_before_the_latest("Unpublished.", other_editor)
    before = _generation()
    published.state = "draft"
    published.save()
    assert _generation() > before


def test_editing_a_cited_source_invalidates(seeded, other_editor):
    published = make_published_update(Commitment.objects.get(slug="chandrayaan-5"), by=other_editor)
    source = published.sources.get()
    before = _generation()
    source.title = "A corrected title"
    source.save()
    assert _generation() > before


def test_deleting_a_published_update_invalidates(seeded, other_editor):
    published = published_before_the_latest("Deleted.", other_editor)
    before = _generation()
    published.delete()
    assert _generation() > before


def test_the_generation_moves_again_on_commit(
    seeded, analyst, other_editor, django_capture_on_commit_callbacks
):
    update = make_update(Commitment.objects.get(slug="chandrayaan-5"), author=analyst)
    update.submit(by=analyst)
    with django_capture_on_commit_callbacks(execute=True):
        update.publish(other_editor)
        during = _generation()
    assert _generation() > during


@pytest.mark.usefixtures("shared_cache")
def test_the_status_chart_is_computed_once_per_change(client, seeded, settings, other_editor):
    settings.PUBLIC_CACHE_SECONDS = 0  # pages are built every time; the chart's data is kept
    with CaptureQueriesContext(connection) as first:
        client.get("/")
    with CaptureQueriesContext(connection) as second:
        client.get("/")
    assert len(second) == len(first) - 1
    chandrayaan = Commitment.objects.get(slug="chandrayaan-5")
    make_published_update(chandrayaan, by=other_editor, status="delayed")
    chart = client.get("/").context["portfolio"]
    assert chart["table"][-1]["counts"]["delayed"] == 1


def test_local_copies_are_private_objects_of_one_generation():
    from django.http import HttpResponse

    from commitments.cache import LocalCopies

    copies = LocalCopies(size=2)
    copies.put("a", 7, HttpResponse(b"page a"))
    first, second = copies.get("a", 7), copies.get("a", 7)
    assert first.content == second.content == b"page a"
    first["X-Added-By-Middleware"] = "1"
    assert "X-Added-By-Middleware" not in second  # each request gets its own object
    assert copies.get("a", 8) is None  # the generation moved on: gone
    assert copies.get("a", 7) is None
    for name in ("b", "c", "d"):
        copies.put(name, 1, HttpResponse(name))
    assert copies.get("b", 1) is None  # the least recently used went first
    assert copies.get("d", 1).content == b"d"


@pytest.mark.usefixtures("shared_cache")
def test_each_host_name_has_its_own_copy(client, seeded, settings):
    settings.ALLOWED_HOSTS = ["tracker.example.org", "mirror.example.net"]
    first = client.get("/feeds/updates.atom", HTTP_HOST="tracker.example.org").content
    second = client.get("/feeds/updates.atom", HTTP_HOST="mirror.example.net").content
    assert b"http://tracker.example.org/" in first
    assert b"http://mirror.example.net/" in second
    assert b"tracker.example.org" not in second
