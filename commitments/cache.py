"""The anonymous public cache: pages, feeds, API answers and badges, never stale.

Every cached answer holds the *public generation* it was built in, a counter kept in the
shared cache (Redis in production, so every app server sees the same one). Any change to
public data bumps it (see `signals.py`), so the next anonymous request after a publication
builds a fresh answer, whichever server it reaches. Signed-in people are never served from
the shared cache and get `Cache-Control: private`.

With Redis, each process also keeps local copies of the answers it served, checked against
the shared generation on every request: a hit then costs one tiny Redis read instead of
fetching the whole page from Redis.
"""

import functools
import hashlib
import pickle
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_cache_control, set_response_etag

from commitments.context_processors import NUMBER_SYSTEM_COOKIE

GENERATION_KEY = "public:generation"


def public_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


def bump_public_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there yet (or evicted): any new value invalidates
        cache.set(GENERATION_KEY, 2, timeout=None)


def cached_public_data(name: str, build, timeout: int = 24 * 3600):
    """A value computed from public data alone (the same for every reader), kept until the
    public generation moves. For the few figures that read every published update."""
    key = f"public:data:{name}"
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY) or public_generation()
    stored = found.get(key)
    if stored is not None and stored[0] == generation:
        return stored[1]
    value = build()
    cache.set(key, (generation, value), timeout)
    return value


def _is_anonymous(request) -> bool:
    # Looking at the cookie, not request.user, keeps the session untouched (no Vary: Cookie).
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


class LocalCopies:
    """This process's copies of shared answers, pickled (so every request gets its own
    object to add headers to), valid only for the generation they were built in, at most
    `size` of them (the least recently used go first)."""

    def __init__(self, size: int = 256):
        self.size = size
        self._items: OrderedDict[str, tuple[int, float, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, generation: int):
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            stored_generation, expires, data = item
            if stored_generation != generation or expires < time.monotonic():
                del self._items[key]
                return None
            self._items.move_to_end(key)
        return pickle.loads(data)

    def put(self, key: str, generation: int, response) -> None:
        data = pickle.dumps(response, pickle.HIGHEST_PROTOCOL)
        expires = time.monotonic() + settings.PUBLIC_CACHE_SECONDS
        with self._lock:
            self._items[key] = (generation, expires, data)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


local_copies = LocalCopies()


def _shared_cache_is_remote() -> bool:
    return not settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def cache_public(view):
    """Serve anonymous GET/HEAD requests from the shared cache; mark others private."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or not _is_anonymous(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True)
            return response
        if settings.PUBLIC_CACHE_SECONDS <= 0:  # the public cache is turned off
            return view(request, *args, **kwargs)
        variant = request.COOKIES.get(NUMBER_SYSTEM_COOKIE, "")
        # The whole address: feeds and the API write absolute links with the host asked for.
        digest = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        key = f"public:page:{variant}:{digest}"
        remote = _shared_cache_is_remote()
        if remote:
            generation = public_generation()
            response = local_copies.get(key, generation)
            if response is not None:
                return response
            stored = cache.get(key)
        else:
            found = cache.get_many([GENERATION_KEY, key])
            generation = found.get(GENERATION_KEY) or public_generation()
            stored = found.get(key)
        # The stored answer names the generation it was built in: an older one is stale.
        if stored is not None and stored[0] == generation:
            if remote:
                local_copies.put(key, generation, stored[1])
            return stored[1]
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code == 200 and not response.streaming and not response.cookies:
            set_response_etag(response)  # once, not on every hit (ConditionalGetMiddleware)
            cache.set(key, (generation, response), settings.PUBLIC_CACHE_SECONDS)
            if remote:
                local_copies.put(key, generation, response)
        return response

    return wrapper
