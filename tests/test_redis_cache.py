"""The Redis cache backend: Django's, with its redis-py client reused between operations."""

import socket

import pytest
from django.core.cache.backends.redis import RedisCache

from commitments.redis_cache import SharedRedisCache

LOCATION = "redis://127.0.0.1:6379/14"


def _redis_answers() -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", 6379)) == 0


pytestmark = pytest.mark.skipif(not _redis_answers(), reason="Redis is not on 127.0.0.1:6379")


@pytest.fixture
def redis_cache():
    cache = SharedRedisCache(LOCATION, {})
    cache.clear()
    yield cache
    cache.clear()


def test_it_behaves_as_djangos_backend(redis_cache):
    djangos = RedisCache(LOCATION, {})
    redis_cache.set("page", {"html": "<p>Hello</p>"}, 30)
    assert djangos.get("page") == {"html": "<p>Hello</p>"}
    assert redis_cache.get_many(["page", "missing"]) == {"page": {"html": "<p>Hello</p>"}}
    assert redis_cache.add("counter", 1, None)
    assert redis_cache.incr("counter") == 2
    redis_cache.delete("page")
    assert redis_cache.get("page") is None


def test_one_client_serves_every_operation(redis_cache):
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client(write=True) is client
    redis_cache.set("key", "value", 30)
    assert redis_cache._cache.get_client("key") is client
