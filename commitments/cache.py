"""The anonymous public cache: pages, feeds, API answers and badges, never stale.

Every cached answer holds the *public generation* it was built in, a counter kept in the
shared cache (Redis), so every app process and server sees the same one. Any change to
public data bumps it (see `signals.py`), so the next anonymous request after a publication
builds a fresh answer, whichever process it reaches. Signed-in people are never served from
the shared cache and get `Cache-Control: private`.

Only a cache every process shares is used: with local memory (no `REDIS_URL`) each process
would keep its own generation, and the others would go on serving what it replaced. So
without Redis, pages and public figures are built for every request.

Each process also keeps local copies of the answers it served, checked against the shared
generation on every request: a hit costs one tiny Redis read, not a fetch of the whole page.

The cache is an accelerator: when it fails, answers are built uncached, publications go
through, and the failure is logged (once a minute at most). A process that met a failure
serves nothing from the cache again until it has bumped the generation successfully: a
publication may have missed its bump meanwhile (a bump that failed is also retried in the
background until it lands).
"""

import functools
import hashlib
import logging
import pickle
import threading
import time
from collections import OrderedDict
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.cache import patch_cache_control, set_response_etag

from commitments.context_processors import NUMBER_SYSTEM_COOKIE
from commitments.numbers import SYSTEMS

logger = logging.getLogger("commitments.cache")

GENERATION_KEY = "public:generation"

# The query parameters public pages, feeds and the API read (filters, sorting, pagination,
# as-of dates, report periods and formats). Only these vary a cached answer, in a canonical
# order; an address with any other parameter is answered uncached and not stored.
PAGE_PARAMETERS = frozenset(
    {
        "_export",
        "as_of",
        "commitment",
        "deadline_from",
        "deadline_to",
        "event",
        "format",
        "from",
        "measurable",
        "ordering",
        "overdue",
        "page",
        "page_size",
        "party",
        "per_page",
        "q",
        "search",
        "sector",
        "sort",
        "stale",
        "status",
        "to",
        "updates",
    }
)
# Added by other sites' links and read by no view: a cached answer may be served for them,
# but an answer built for them is not stored (it could echo them in its own links).
TRACKING_PARAMETERS = frozenset(
    {"utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "fbclid", "gclid"}
)

RETRY_AFTER_SECONDS = 2.0  # after a cache error, this process leaves the cache alone this long
RETRY_BUMP_EVERY_SECONDS = 1.0  # a failed bump is retried in the background this often
LOG_EVERY_SECONDS = 60.0  # cache errors are logged once per this period, with a count


class _Trouble:
    """This process's view of the cache's health (see `_cache_failed` and `_cache_ready`)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.failures = 0  # cache errors met so far
        self.pending = False  # an error was met since the last successful bump
        self.failing_until = 0.0  # monotonic time before which the cache is not tried
        self.last_logged = float("-inf")
        self.unlogged = 0
        self.retrier: threading.Thread | None = None
        self.stop = threading.Event()


_trouble = _Trouble()


def _cache_failed(action: str, error: Exception) -> None:
    now = time.monotonic()
    with _trouble.lock:
        _trouble.failures += 1
        _trouble.pending = True
        _trouble.failing_until = now + RETRY_AFTER_SECONDS
        report = now - _trouble.last_logged >= LOG_EVERY_SECONDS
        if report:
            unlogged, _trouble.unlogged, _trouble.last_logged = _trouble.unlogged, 0, now
        else:
            _trouble.unlogged += 1
    if report:
        logger.error(
            "Public cache failed (%s): %s: %s. Answering uncached until it works again%s.",
            action,
            type(error).__name__,
            error,
            f" ({unlogged} more cache errors since the last report)" if unlogged else "",
            exc_info=error,
        )


def _cache_ready() -> bool:
    """May this process use the cache now? Not while it is failing; and after an error, not
    before a bump has succeeded (a publication may have missed its bump meanwhile)."""
    if not _trouble.pending:
        return True  # the usual case: one attribute read
    if time.monotonic() < _trouble.failing_until:
        return False
    return bump_public_generation() and not _trouble.pending


def settle_public_cache() -> bool:
    """For /healthz: True when no invalidation is pending here (retrying it now if one is)."""
    return not _trouble.pending or (bump_public_generation() and not _trouble.pending)


def _retry_bump_until_it_lands(config: dict) -> None:
    stop = _trouble.stop
    while _trouble.pending and not stop.wait(RETRY_BUMP_EVERY_SECONDS):
        if settings.CACHES["default"] != config:
            return  # that cache is no longer the one configured (tests change settings)
        bump_public_generation()


def _start_retrying() -> None:
    with _trouble.lock:
        if _trouble.retrier is not None and _trouble.retrier.is_alive():
            return
        _trouble.retrier = threading.Thread(
            target=_retry_bump_until_it_lands,
            args=(dict(settings.CACHES["default"]),),
            name="public-cache-bump",
            daemon=True,
        )
        _trouble.retrier.start()


def forget_cache_failures() -> None:
    """Back to a healthy state, with no retry running (for tests)."""
    _trouble.stop.set()
    if _trouble.retrier is not None:
        _trouble.retrier.join()
    with _trouble.lock:
        _trouble.failures = 0
        _trouble.pending = False
        _trouble.failing_until = 0.0
        _trouble.last_logged = float("-inf")
        _trouble.unlogged = 0
        _trouble.retrier = None
        _trouble.stop = threading.Event()


def _fresh_generation() -> int:
    # Not 1: a Redis that restarted empty must not count up again to generations that
    # processes still hold local copies of.
    return time.time_ns()


def public_generation() -> int:
    """The current generation (raises if the cache does)."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, _fresh_generation(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return _fresh_generation() if generation is None else generation


def bump_public_generation() -> bool:
    """Invalidate every public answer. Never raises: if the cache fails, the bump is retried
    in the background, and this process serves nothing from the cache until one lands.
    Returns whether it landed."""
    failures_before = _trouble.failures
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # not there yet (or evicted): any new value invalidates
            cache.set(GENERATION_KEY, _fresh_generation(), timeout=None)
    except Exception as error:  # any cache failure: the publication must go through
        _cache_failed("invalidation", error)
        _start_retrying()
        return False
    with _trouble.lock:
        # An error met while this bump was under way may have come after it: keep waiting.
        recovered = _trouble.pending and _trouble.failures == failures_before
        if recovered:
            _trouble.pending = False
    if recovered:
        logger.info("Public cache answering again; every cached answer was invalidated.")
    return True


def _cache_is_shared() -> bool:
    backend = settings.CACHES["default"]["BACKEND"]
    return not backend.endswith(("LocMemCache", "DummyCache"))


def cached_public_data(name: str, build, timeout: int = 24 * 3600):
    """A value computed from public data alone (the same for every reader), kept until the
    public generation moves. For the few figures that read every published update. Computed
    every time without a shared cache, or while it fails. Kept per language: a value may hold
    text rendered in the reader's language (status names, dates, a chart's labels)."""
    if not _cache_is_shared() or not _cache_ready():
        return build()
    key = f"public:data:{translation.get_language()}:{name}"
    try:
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY) or public_generation()
    except Exception as error:
        _cache_failed("read", error)
        return build()
    stored = found.get(key)
    if stored is not None and stored[0] == generation:
        return stored[1]
    value = build()
    try:
        cache.set(key, (generation, value), timeout)
    except Exception as error:
        _cache_failed("write", error)
    return value


def _is_anonymous(request) -> bool:
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True  # nobody is signed in without a session: the session is left untouched
    # A session cookie that maps to no signed-in session (expired, junk) is anonymous: one
    # session read, instead of building the whole answer.
    user = getattr(request, "user", None)
    return user is not None and not user.is_authenticated


def _page_key(request) -> tuple[str | None, bool]:
    """The cache key of an anonymous answer, and whether an answer built for this request
    may be stored under it. No key for an address with parameters no view reads."""
    known, storable = [], True
    for name in request.GET:
        if name in PAGE_PARAMETERS:
            known.append((name, request.GET.getlist(name)))
        elif name in TRACKING_PARAMETERS:
            storable = False
        else:
            return None, False
    known.sort()
    # The whole address, host included: feeds and the API write absolute links.
    address = request.build_absolute_uri(request.path)
    if known:
        address += "?" + urlencode(known, doseq=True)
    chosen = request.COOKIES.get(NUMBER_SYSTEM_COOKIE)
    variant = chosen if chosen in SYSTEMS else settings.NUMBER_SYSTEM
    # The language is in the address (/ja/, /hi/); named too, so no answer can cross over.
    language = translation.get_language()
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"public:page:{language}:{variant}:{digest}", storable


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


def cache_public(view):
    """Serve anonymous GET/HEAD requests from the shared cache; mark others private."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or not _is_anonymous(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True)
            return response
        if settings.PUBLIC_CACHE_SECONDS <= 0 or not _cache_is_shared():
            return view(request, *args, **kwargs)
        key, storable = _page_key(request)
        if key is None or not _cache_ready():
            return view(request, *args, **kwargs)
        try:
            # Local copies count only for the generation just read: never without it.
            generation = public_generation()
            response = local_copies.get(key, generation)
            if response is not None:
                return response
            stored = cache.get(key)
        except Exception as error:
            _cache_failed("read", error)
            return view(request, *args, **kwargs)
        # The stored answer names the generation it was built in: an older one is stale.
        if stored is not None and stored[0] == generation:
            local_copies.put(key, generation, stored[1])
            return stored[1]
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if (
            storable
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            set_response_etag(response)  # once, not on every hit (ConditionalGetMiddleware)
            try:
                cache.set(key, (generation, response), settings.PUBLIC_CACHE_SECONDS)
            except Exception as error:
                _cache_failed("write", error)
            else:
                local_copies.put(key, generation, response)
        return response

    return wrapper
