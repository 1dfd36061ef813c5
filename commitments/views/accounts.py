import logging

from django.shortcuts import render
from django.utils import timezone

logger = logging.getLogger("commitments.security")


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to too many failed sign-ins, in the site's design."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    username = (credentials or {}).get("username", "")
    logger.warning("Sign-in locked out for %r from %s", username, request.META.get("REMOTE_ADDR"))
    return render(
        request,
        "registration/locked_out.html",
        {
            "username": username,
            "retry_at": timezone.now() + cool_off if cool_off else None,
            "minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
        },
        status=429,
    )
