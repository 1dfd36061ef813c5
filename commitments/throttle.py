"""Who the client is, and how often it may ask for the expensive things.

`client_ip` is the one answer to "which address is this request from?": django-axes' sign-in
lockouts use it (`AXES_CLIENT_IP_CALLABLE`), and so does every rate limit here. Behind
`TRUSTED_PROXY_COUNT` reverse proxies it is the address the outermost trusted proxy appended
to `X-Forwarded-For`, counted from the right; whatever the client put on the left is ignored.

The limits are fixed windows counted in the shared cache (django-ratelimit), per client
address (per /64 network for IPv6). A refused request gets a 429 page in the site's design
saying when to try again, with `Retry-After`, and is never cached. If the cache is down, the
limits are not checked: requests go through and a warning is logged, rather than failing.
"""

import functools
import hashlib
import ipaddress
import logging
import math
from datetime import timedelta

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django_ratelimit.core import get_usage

logger = logging.getLogger("commitments.security")

HEAVY_FORMATS = frozenset({"pdf", "xlsx"})


def _parse_address(value: str) -> str | None:
    """A bare IP address from a header value (ports and IPv6 brackets removed), or None."""
    value = value.strip()
    if value.startswith("["):  # [2001:db8::1]:443
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:  # 203.0.113.7:51234
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)


def client_ip(request) -> str:
    """The client's address, as the trusted proxy saw it (see TRUSTED_PROXY_COUNT).

    Each proxy appends the address it received the request from to X-Forwarded-For, so with
    N trusted proxies the client is the N-th entry from the right, and REMOTE_ADDR is the last
    proxy. A request carrying fewer entries did not come through every proxy: REMOTE_ADDR is
    then the only address that cannot be made up."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            address = _parse_address(hops[-count])
            if address:
                return address
    return _parse_address(remote) or remote


def client_key(request) -> str:
    """What the rate limits count per: the client's address, or its /64 network for IPv6
    (one subscriber usually holds a whole /64)."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address) + "/64"
    return address


def _usage(request, group: str, rate: str | None, value: str, increment: bool):
    if not rate:  # this limit is turned off
        return None
    try:
        return get_usage(
            request, group=group, key=lambda _group, _request: value, rate=rate, increment=increment
        )
    except Exception:  # a cache outage must not turn the request into a 500
        logger.warning(
            "Rate limit %s not checked (cache unavailable): request let through",
            group,
            exc_info=True,
        )
        return None


def hit(request, group: str, rate: str | None, value: str | None = None) -> int | None:
    """Count one request in `group` (per client unless `value` is given). Returns the seconds
    to wait if it is over the limit, else None."""
    value = client_key(request) if value is None else value
    usage = _usage(request, group, rate, value, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    if usage["count"] == usage["limit"] + 1:  # once per window, not for every refusal
        logger.warning("Rate limit %s (%s) reached by %s", group, rate, client_ip(request))
    return max(1, usage["time_left"])


def reached(request, group: str, rate: str | None, value: str | None = None) -> int | None:
    """Like `hit` without counting: the seconds to wait if the count has reached the limit."""
    value = client_key(request) if value is None else value
    usage = _usage(request, group, rate, value, increment=False)
    if usage is None or usage["count"] < usage["limit"]:
        return None
    return max(1, usage["time_left"])


def hashed(value: str) -> str:
    """A counter key for personal data (an e-mail address) that does not store it."""
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()


def too_many(request, wait: int, template: str = "429.html", context: dict | None = None):
    """The 429 answer: the site's page saying when to try again, with Retry-After."""
    minutes = max(1, math.ceil(wait / 60))
    response = render(
        request,
        template,
        {
            "retry_at": timezone.now() + timedelta(seconds=wait),
            "minutes": minutes,
            **(context or {}),
        },
        status=429,
    )
    response["Retry-After"] = str(wait)
    response["Cache-Control"] = "no-store"
    return response


def _output_kind(output: str) -> str:
    return "heavy" if output in HEAVY_FORMATS else "export"


RATE_SETTINGS = {"heavy": "THROTTLE_RATE_HEAVY", "export": "THROTTLE_RATE_EXPORT"}


def throttled(kind_of):
    """Limit a view per client. `kind_of(request)` names the limit that applies ("heavy" for
    PDF and XLSX, "export" for CSV, JSON and uncached report pages), or None for no limit.
    Put it on the view itself, inside `cache_public`: answers served from the cache are not
    counted, and a 429 is never cached."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            kind = kind_of(request)
            if kind:
                wait = hit(request, f"download:{kind}", getattr(settings, RATE_SETTINGS[kind]))
                if wait:
                    return too_many(request, wait, context={"heavy": kind == "heavy"})
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# The whole published-update log as CSV.
throttle_download = throttled(lambda request: "export")
# The progress report: PDF and XLSX are heavy; the page, CSV and JSON count as exports.
throttle_report = throttled(lambda request: _output_kind(request.GET.get("format", "html")))
# The commitment list: only its `?_export=` downloads (the page itself is not limited).
throttle_list_export = throttled(
    lambda request: _output_kind(request.GET["_export"]) if "_export" in request.GET else None
)
