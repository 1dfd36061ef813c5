"""`/healthz`: is this app server able to serve? Cheap enough to poll every few seconds."""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from commitments.cache import settle_public_cache

logger = logging.getLogger("commitments.health")


@never_cache
@require_safe
def healthz(request):
    checks = {}
    for name, check in (("database", _database), ("cache", _cache)):
        try:
            check()
        except Exception as error:  # any failure means "not healthy", and is reported
            logger.warning("Health check %s failed: %s", name, error)
            checks[name] = f"failing: {type(error).__name__}"
        else:
            checks[name] = "ok"
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "failing", **checks}, status=200 if healthy else 503
    )


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache():
    cache.set("healthz", "ok", 10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("the cache did not keep a value")
    if not settle_public_cache():
        raise RuntimeError("a public cache invalidation has not landed yet")
