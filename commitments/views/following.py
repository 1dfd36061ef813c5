"""Following by e-mail, the reader's side: subscribe, confirm, manage, unsubscribe.

The rules live in commitments/following/subscriptions.py; these views only ask them. None of
these pages is cached (they are linked from the cached public pages, never embedded in
them). The pages whose address carries a secret (a confirmation code, an address's token)
are never stored (`Cache-Control: private, no-store`) and never tell the next site where the
reader came from (`Referrer-Policy: same-origin`).
"""

import functools
import logging

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from commitments import throttle
from commitments.following import subscriptions
from commitments.following.subscriptions import Link
from commitments.forms_following import FrequencyForm, SubscribeForm
from commitments.models import Subscriber

logger = logging.getLogger("commitments.security")


def secret_in_url(view):
    """For pages whose address is a secret: never stored, never sent on as a Referer, and a
    dead or unknown secret gets the site's 404 page with the same headers."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            response = render(request, "404.html", status=404)
        response["Cache-Control"] = "private, no-store"
        # same-origin (the site's default), not no-referrer: with no-referrer browsers send
        # `Origin: null` on this page's forms, which the CSRF check rightly refuses.
        response["Referrer-Policy"] = "same-origin"
        return response

    return wrapper


def _target_or_404(request) -> subscriptions.Target:
    target = subscriptions.resolve_target(request.GET)
    if target is None:
        raise Http404(_("There is nothing to follow at this address."))
    return target


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    """GET: what is followed, and the form. POST: the same answer whatever the address."""
    target = _target_or_404(request)
    context = {"target": target, "what": target.name(), "days": settings.FOLLOW_CONFIRM_DAYS}
    if request.method != "POST":
        return render(request, "following/subscribe.html", {**context, "form": SubscribeForm()})

    form = SubscribeForm(request.POST)
    email = subscriptions.normalise_email(request.POST.get("email", ""))
    waits = [throttle.hit(request, "follow:client", settings.THROTTLE_RATE_FOLLOW_CLIENT)]
    if email:
        waits += [
            throttle.hit(request, group, rate, value=throttle.hashed(email))
            for group, rate in (
                ("follow:address", settings.THROTTLE_RATE_FOLLOW_ADDRESS),
                ("follow:address-day", settings.THROTTLE_RATE_FOLLOW_ADDRESS_DAY),
            )
        ]
    if wait := max((w for w in waits if w), default=None):
        return throttle.too_many(request, wait)
    if form.is_robot():
        logger.info("Follow form: honeypot filled by %s", throttle.client_ip(request))
        return render(request, "following/subscribe_sent.html", context)
    if not form.is_valid():
        return render(request, "following/subscribe.html", {**context, "form": form})
    subscriptions.subscribe(
        form.cleaned_data["email"],
        target,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        frequency=form.cleaned_data["frequency"],
    )
    return render(request, "following/subscribe_sent.html", context)


LINK_STATUS = {
    Link.VALID: 200,
    Link.ALREADY: 200,
    Link.EXPIRED: 410,
    Link.GONE: 410,
    Link.INVALID: 400,
}


@secret_in_url
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, signed):
    """GET only shows the link's state and a button (mail scanners fetch links); the POST of
    that button confirms."""
    if request.method == "POST":
        link = subscriptions.confirm(signed)
        done = link.state == Link.VALID
    else:
        link = subscriptions.read_link(signed)
        done = False
    context = {"link": link, "done": done, "days": settings.FOLLOW_CONFIRM_DAYS}
    if link.subscription is not None:
        target = subscriptions.target_of(link.subscription)
        context.update(target=target, what=target.name())
    return render(request, "following/confirm.html", context, status=LINK_STATUS[link.state])


def _subscriber_or_404(token) -> Subscriber:
    subscriber = subscriptions.subscriber_for(token)
    if subscriber is None:
        raise Http404(_("This link no longer works."))
    return subscriber


def _manage_page(request, subscriber, notice="", form=None, status=200):
    items = [
        {"subscription": s, "what": subscriptions.target_of(s).name(), "scope": s.scope}
        for s in subscriptions.subscriptions_of(subscriber)
    ]
    return render(
        request,
        "following/manage.html",
        {
            "subscriber": subscriber,
            "items": items,
            "notice": notice,
            "frequency_form": form or FrequencyForm(initial={"frequency": subscriber.frequency}),
        },
        status=status,
    )


@secret_in_url
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request, token):
    subscriber = _subscriber_or_404(token)
    if request.method != "POST":
        return _manage_page(request, subscriber)
    action = request.POST.get("action", "")
    if action == "frequency":
        form = FrequencyForm(request.POST)
        if not form.is_valid():
            return _manage_page(request, subscriber, form=form, status=400)
        subscriptions.set_frequency(subscriber, form.cleaned_data["frequency"])
        return _manage_page(request, subscriber, _("How often you hear from us is changed."))
    if action == "stop":
        stopped = subscriptions.stop(subscriber, _int(request.POST.get("subscription")))
        notice = (
            _("That subscription is stopped.")
            if stopped
            else _("That subscription was already stopped.")
        )
        return _manage_page(request, subscriber, notice)
    if action == "stop-all":
        subscriptions.stop_all(subscriber)
        return _manage_page(request, subscriber, _("Every subscription is stopped."))
    if action == "delete":
        deleted = subscriptions.delete_everything(subscriber)
        return render(request, "following/deleted.html", {"deleted": deleted})
    return _manage_page(request, subscriber, _("Choose one of the buttons."), status=400)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@secret_in_url
@csrf_exempt  # RFC 8058: a mail client's one-click POST carries no token and no cookie
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET: a page with one button. POST (the button, or a mail client's one-click
    `List-Unsubscribe=One-Click`): stop every e-mail to the address. Idempotent."""
    subscriber = _subscriber_or_404(token)
    done = False
    if request.method == "POST":
        subscriptions.stop_all(subscriber)
        done = True
    return render(
        request,
        "following/unsubscribe.html",
        {"subscriber": subscriber, "done": done},
    )
