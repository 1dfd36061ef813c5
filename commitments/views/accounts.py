"""Signing in and password resets, with their limits: django-axes locks a username from one
address after repeated failures; the limits here count every sign-in and reset request per
client address (and reset requests per e-mail address) across usernames."""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.utils import timezone

from commitments import throttle
from commitments.context_processors import site_name
from commitments.models import ANALYST_GROUP, EDITOR_GROUP

logger = logging.getLogger("commitments.security")


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to too many failed sign-ins, in the site's design."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    username = (credentials or {}).get("username", "")
    logger.warning("Sign-in locked out for %r from %s", username, throttle.client_ip(request))
    response = render(
        request,
        "registration/locked_out.html",
        {
            "username": username,
            "retry_at": timezone.now() + cool_off if cool_off else None,
            "minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
        },
        status=429,
    )
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


def landing_page(user) -> str:
    """Where a user starts after signing in, by role (the groups commitments/roles.py sets up;
    a superuser without one is an administrator and starts on the dashboard)."""
    roles = {group.name for group in user.groups.all()}
    if EDITOR_GROUP in roles:
        return "commitments:review"
    if ANALYST_GROUP in roles:
        return "commitments:workspace"
    return "commitments:dashboard"


class LoginView(auth_views.LoginView):
    """Django's sign-in, limited per client address whatever the username: at most
    THROTTLE_RATE_LOGIN attempts, and THROTTLE_RATE_LOGIN_FAILED failed ones."""

    def get_default_redirect_url(self):
        """Without a safe `next` (Django ignores any other): analysts land on their
        workspace, editors on the review queue, everyone else on the dashboard."""
        return resolve_url(landing_page(self.request.user))

    def get_form(self, form_class=None):
        """A form that came back with errors starts at its error summary, not the username."""
        form = super().get_form(form_class)
        if form.is_bound:
            form.fields["username"].widget.attrs.pop("autofocus", None)
        return form

    def post(self, request, *args, **kwargs):
        wait = throttle.reached(
            request, "login:failed", settings.THROTTLE_RATE_LOGIN_FAILED
        ) or throttle.hit(request, "login:all", settings.THROTTLE_RATE_LOGIN)
        if wait:
            logger.warning("Sign-in refused for %s: too many attempts", throttle.client_ip(request))
            return throttle.too_many(
                request, wait, "registration/locked_out.html", {"per_address": True}
            )
        response = super().post(request, *args, **kwargs)
        if response.status_code != 302:  # the form came back: a failed sign-in
            throttle.hit(request, "login:failed", settings.THROTTLE_RATE_LOGIN_FAILED)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset request, limited per client address and per e-mail address (known or
    not, so the limit reveals nothing), mailing links to SITE_URL, never to the Host asked."""

    def post(self, request, *args, **kwargs):
        email = request.POST.get("email", "")
        waits = [
            throttle.hit(request, "reset:address", settings.THROTTLE_RATE_RESET_ADDRESS),
            throttle.hit(
                request,
                "reset:email",
                settings.THROTTLE_RATE_RESET_EMAIL,
                value=throttle.hashed(email),
            )
            if email.strip()
            else None,
        ]
        wait = max((w for w in waits if w), default=None)
        if wait:
            return throttle.too_many(request, wait, context={"reset": True})
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        site = urlsplit(settings.SITE_URL)
        if not site.netloc:  # never fall back to the Host the request claims
            raise ImproperlyConfigured("Set SITE_URL to send password-reset links.")
        form.save(
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
            html_email_template_name=self.html_email_template_name,
            extra_email_context={
                "site_name": site_name(),
                **(self.extra_email_context or {}),
            },
        )
        return HttpResponseRedirect(self.get_success_url())
