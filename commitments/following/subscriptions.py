"""Subscribing, confirming, managing and stopping: the one place for each rule, used by the
pages (commitments/views/following.py), the task that mails confirmations
(commitments/tasks.py) and `manage.py prune_subscribers`.

- Double opt-in: a subscription is made unconfirmed, and a confirmation e-mail carries a
  signed link that expires after FOLLOW_CONFIRM_DAYS. The link names the subscription and its
  creation time, so a link to a subscription deleted since (even one made again later for the
  same address and target) no longer works.
- No enumeration: `subscribe` does the same work and queues the same task whatever the
  address; what the e-mail says (confirm, or "you already follow this") is decided by the task.
- At most one confirmation e-mail per subscription per hour (CONFIRMATION_INTERVAL), so the
  form cannot be used to mail-bomb somebody else's address.
"""

from __future__ import annotations

import dataclasses
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from commitments.languages import site_name, translated
from commitments.models import (
    Commitment,
    Delivery,
    Event,
    Party,
    Sector,
    Subscriber,
    Subscription,
)

logger = logging.getLogger(__name__)

CONFIRM_SALT = "commitments.following.confirm"
CONFIRMATION_INTERVAL = 3600  # seconds between two confirmation e-mails for one subscription
TARGETS = ("commitment", "sector", "party", "event")  # the query parameters of /follow/


def normalise_email(address: str) -> str:
    """The one form of an address: stripped and lower-cased (the whole of it)."""
    return (address or "").strip().lower()


# What can be followed -------------------------------------------------------------------


def followable(scope: str):
    """The objects of a kind the public may follow: what the public may see."""
    if scope == "commitment":
        return Commitment.objects.public()
    if scope == "sector":
        return Sector.objects.all()
    if scope == "party":
        return Party.objects.public()
    if scope == "event":
        return Event.objects.filter(
            Exists(Commitment.objects.public().filter(event=OuterRef("pk")))
        )
    raise ValueError(scope)


@dataclasses.dataclass(frozen=True)
class Target:
    scope: str  # Subscription.Scope
    obj: object | None = None  # None for everything

    @property
    def fields(self) -> dict:
        """The Subscription fields naming this target."""
        return {"scope": self.scope, **({self.scope: self.obj} if self.obj is not None else {})}

    @property
    def query(self) -> str:
        """The subscribe page's query for this target ("" for everything)."""
        return f"?{self.scope}={self.obj.slug}" if self.obj is not None else ""

    def name(self, language: str | None = None) -> str:
        """What is followed, in `language` (default: the active one)."""
        return describe(self.scope, self.obj, language)


def describe(scope: str, obj, language: str | None = None) -> str:
    if obj is None:
        return _("Everything published on %(site)s") % {"site": site_name()}
    field = "title" if scope == "commitment" else "name"
    return str(translated(obj, field, language))


def resolve_target(params) -> Target | None:
    """The target a subscribe page's query names, or None when it names something the public
    cannot see or that does not exist. No parameter: everything. More than one: None."""
    given = [scope for scope in TARGETS if scope in params]
    if not given:
        return Target(Subscription.Scope.EVERYTHING)
    if len(given) > 1:
        return None
    scope = given[0]
    slug = params.get(scope) or ""
    obj = followable(scope).filter(slug=slug).first() if slug else None
    return Target(scope, obj) if obj is not None else None


def target_of(subscription: Subscription) -> Target:
    scope = subscription.scope
    return Target(scope, getattr(subscription, scope) if scope != "everything" else None)


# Subscribing ----------------------------------------------------------------------------


def subscribe(email: str, target: Target, language: str, frequency: str) -> Subscription:
    """Record that `email` wants to follow `target` (unconfirmed if new) and queue the
    confirmation e-mail. The same work whatever the address's state: the caller answers the
    same way in every case. A confirmed address keeps its language and frequency (whoever
    types it in may not be its owner; the owner changes them on the manage page); one never
    confirmed takes the latest request's."""
    from commitments.tasks import send_confirmation

    email = normalise_email(email)
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.get_or_create(
            email=email,
            defaults={
                "token": secrets.token_urlsafe(32),
                "language": language,
                "frequency": frequency,
            },
        )
        if not _created and subscriber.confirmed_at is None:
            # Never confirmed: nobody has shown they own it, so the latest request says how
            # it is written to (a stranger who typed it in first does not decide for good).
            Subscriber.objects.filter(pk=subscriber.pk).update(
                language=language, frequency=frequency
            )
        subscription, _created = Subscription.objects.get_or_create(
            subscriber=subscriber, **target.fields
        )
    send_confirmation.enqueue(subscription.pk)
    return subscription


# The confirmation link ------------------------------------------------------------------


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=CONFIRM_SALT)


def _stamp(subscription: Subscription) -> int:
    return int(subscription.created_at.timestamp() * 1_000_000)


def confirmation_code(subscription: Subscription) -> str:
    return _signer().sign_object({"s": subscription.pk, "c": _stamp(subscription)})


class Link:
    """What a confirmation link says, without changing anything."""

    VALID = "valid"  # a waiting subscription: confirm it with a POST
    ALREADY = "already"  # confirmed before: nothing to do
    EXPIRED = "expired"  # signed by us, too old
    INVALID = "invalid"  # not signed by us (tampered, cut short)
    GONE = "gone"  # signed by us, but its subscription no longer exists

    def __init__(self, state: str, subscription: Subscription | None = None):
        self.state = state
        self.subscription = subscription


def _subscription_for(payload) -> Subscription | None:
    if not isinstance(payload, dict):
        return None
    pk, stamp = payload.get("s"), payload.get("c")
    if not isinstance(pk, int) or not isinstance(stamp, int):
        return None
    subscription = (
        Subscription.objects.select_related("subscriber", "commitment", "sector", "party", "event")
        .filter(pk=pk)
        .first()
    )
    if subscription is None or _stamp(subscription) != stamp:
        return None
    return subscription


def read_link(code: str) -> Link:
    max_age = timedelta(days=settings.FOLLOW_CONFIRM_DAYS)
    try:
        payload = _signer().unsign_object(code, max_age=max_age)
    except signing.SignatureExpired:
        try:  # genuine but old: say which subscription, to offer subscribing again
            payload = _signer().unsign_object(code)
        except (signing.BadSignature, ValueError):
            return Link(Link.INVALID)
        return Link(Link.EXPIRED, _subscription_for(payload))
    except (signing.BadSignature, ValueError, UnicodeError):
        return Link(Link.INVALID)
    subscription = _subscription_for(payload)
    if subscription is None:
        return Link(Link.GONE)
    if subscription.confirmed_at:
        return Link(Link.ALREADY, subscription)
    return Link(Link.VALID, subscription)


def confirm(code: str) -> Link:
    """Confirm the subscription a valid link names (and its address). Idempotent: a link used
    before answers ALREADY and changes nothing."""
    link = read_link(code)
    if link.state != Link.VALID:
        return link
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update().filter(pk=link.subscription.pk).first()
        )
        if subscription is None:
            return Link(Link.GONE)
        if subscription.confirmed_at:
            return Link(Link.ALREADY, link.subscription)
        now = timezone.now()
        subscription.confirmed_at = now
        subscription.save(update_fields=["confirmed_at"])
        Subscriber.objects.filter(pk=subscription.subscriber_id, confirmed_at=None).update(
            confirmed_at=now
        )
    link.subscription.confirmed_at = now
    return link


# E-mail links ---------------------------------------------------------------------------


def absolute_url(language: str, name: str, **kwargs) -> str:
    """SITE_URL and the page's path in `language` (never the Host a request claimed)."""
    with translation.override(language):
        return settings.SITE_URL + reverse(name, kwargs=kwargs)


def manage_url(subscriber: Subscriber) -> str:
    return absolute_url(subscriber.language, "commitments:follow-manage", token=subscriber.token)


def unsubscribe_url(subscriber: Subscriber) -> str:
    return absolute_url(
        subscriber.language, "commitments:follow-unsubscribe", token=subscriber.token
    )


def send_confirmation(subscription_id: int) -> bool:
    """Mail the confirmation for a waiting subscription, or "you already follow this" for a
    confirmed one, unless one went for this subscription within the last hour. True if sent."""
    subscription = (
        Subscription.objects.select_related("subscriber", "commitment", "sector", "party", "event")
        .filter(pk=subscription_id)
        .first()
    )
    if subscription is None:
        return False
    key = f"follow:confirmation-sent:{subscription.pk}:{_stamp(subscription)}"
    try:
        fresh = cache.add(key, 1, CONFIRMATION_INTERVAL)
    except Exception:  # a cache outage must not stop confirmations; the rate limits are off too
        logger.warning("Confirmation interval not checked (cache unavailable)", exc_info=True)
        fresh = True
    if not fresh:
        logger.info("Confirmation for %s not sent again within the hour", subscription)
        return False
    subscriber = subscription.subscriber
    with translation.override(subscriber.language):
        context = {
            "site_name": site_name(),
            "what": target_of(subscription).name(),
            "already": bool(subscription.confirmed_at),
            "confirm_url": absolute_url(
                subscriber.language,
                "commitments:follow-confirm",
                signed=confirmation_code(subscription),
            ),
            "manage_url": manage_url(subscriber),
            "days": settings.FOLLOW_CONFIRM_DAYS,
            "language": translation.get_language(),
        }
        if context["already"]:
            subject = _("You already follow %(what)s") % {"what": context["what"]}
        else:
            subject = _("Confirm: follow %(what)s by e-mail") % {"what": context["what"]}
        subject = " ".join(f"{subject} · {context['site_name']}".split())[:200]
        message = EmailMultiAlternatives(
            subject,
            render_to_string("following/email/confirm.txt", context),
            settings.DEFAULT_FROM_EMAIL,
            [subscriber.email],
        )
        message.attach_alternative(
            render_to_string("following/email/confirm.html", context), "text/html"
        )
    try:
        message.send()
    except Exception as error:
        cache.delete(key)  # let a retry of the task send it
        from commitments.following.notify import SMTP_ERRORS, error_text

        if isinstance(error, SMTP_ERRORS):
            # The task fails, and its record (traceback, shown in the admin) and the log say
            # why, without the address an SMTP server's reply names.
            raise ConfirmationNotSent(f"{subscription}: {error_text(error)}") from None
        raise
    return True


class ConfirmationNotSent(Exception):
    """The SMTP server did not take a confirmation e-mail (the error, without any address)."""


# Managing -------------------------------------------------------------------------------


def subscriber_for(token: str) -> Subscriber | None:
    if not token or len(token) > 64:
        return None
    return Subscriber.objects.filter(token=token).first()


def subscriptions_of(subscriber: Subscriber):
    return subscriber.subscriptions.select_related(
        "commitment", "sector", "party", "event"
    ).order_by("created_at", "pk")


def set_frequency(subscriber: Subscriber, frequency: str) -> None:
    if frequency not in Subscriber.Frequency.values:
        raise ValueError(frequency)
    Subscriber.objects.filter(pk=subscriber.pk).update(frequency=frequency)
    was_digest = subscriber.frequency != Subscriber.Frequency.IMMEDIATE
    subscriber.frequency = frequency
    if (
        was_digest
        and frequency == Subscriber.Frequency.IMMEDIATE
        and Delivery.objects.filter(subscriber=subscriber, sent_at=None).exists()
    ):
        # What waited for the digest goes at once now, not at some later publication's
        # sending (there may be none).
        from commitments.following import notify

        transaction.on_commit(lambda: notify.queue_sending(settings.FOLLOW_BATCH_SECONDS))


def _drop_unsent_if_nothing_left(subscriber: Subscriber) -> None:
    """An address gets nothing more about what it stopped following: its e-mails not yet
    sent are dropped unless one of its remaining confirmed subscriptions still covers them
    (the same targets as notify.followers), in three queries whatever their number."""
    from commitments.models import CommitmentParty

    unsent = Delivery.objects.filter(subscriber=subscriber, sent_at=None)
    remaining = list(
        subscriber.subscriptions.filter(confirmed_at__isnull=False).values_list(
            "scope", "commitment_id", "sector_id", "party_id", "event_id"
        )
    )
    if not remaining:
        unsent.delete()
        return
    if any(scope == Subscription.Scope.EVERYTHING for scope, *_ in remaining):
        return
    pending = list(
        unsent.values_list(
            "pk",
            "update__commitment_id",
            "update__commitment__sector_id",
            "update__commitment__event_id",
        )
    )
    if not pending:
        return
    parties: dict[int, set[int]] = {}
    for commitment_id, party_id in CommitmentParty.objects.filter(
        commitment_id__in={row[1] for row in pending}
    ).values_list("commitment_id", "party_id"):
        parties.setdefault(commitment_id, set()).add(party_id)
    followed = {(scope, c or s or p or e) for scope, c, s, p, e in remaining}
    Scope = Subscription.Scope
    stale = [
        pk
        for pk, commitment_id, sector_id, event_id in pending
        if (Scope.COMMITMENT, commitment_id) not in followed
        and (Scope.SECTOR, sector_id) not in followed
        and (event_id is None or (Scope.EVENT, event_id) not in followed)
        and not any((Scope.PARTY, party) in followed for party in parties.get(commitment_id, ()))
    ]
    if stale:
        Delivery.objects.filter(pk__in=stale).delete()


def stop(subscriber: Subscriber, subscription_id) -> bool:
    """Stop one subscription of this address. False if it is not one of its own."""
    with transaction.atomic():
        deleted, _ = subscriber.subscriptions.filter(pk=subscription_id).delete()
        _drop_unsent_if_nothing_left(subscriber)
    return bool(deleted)


def stop_all(subscriber: Subscriber) -> int:
    """Stop every subscription of this address and drop its unsent e-mails (what the one-click
    unsubscribe does). The address and its manage link stay until deleted or pruned."""
    with transaction.atomic():
        _, per_model = subscriber.subscriptions.all().delete()
        _drop_unsent_if_nothing_left(subscriber)
    return per_model.get("commitments.Subscription", 0)


@dataclasses.dataclass
class Deleted:
    subscriptions: int
    deliveries: int


def delete_everything(subscriber: Subscriber) -> Deleted:
    """Delete the address with all its subscriptions and the record of every e-mail meant for
    it. Its links stop working."""
    with transaction.atomic():
        counts = Deleted(
            subscriptions=subscriber.subscriptions.count(),
            deliveries=subscriber.deliveries.count(),
        )
        Subscriber.objects.filter(pk=subscriber.pk).delete()
    return counts


# Housekeeping and counts ----------------------------------------------------------------


def prune(now=None) -> tuple[int, int]:
    """Delete subscriptions still unconfirmed FOLLOW_CONFIRM_DAYS after they were made, then
    addresses never confirmed that follow nothing. Returns (subscriptions, subscribers)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.FOLLOW_CONFIRM_DAYS)
    with transaction.atomic():
        _, per_model = Subscription.objects.filter(
            confirmed_at=None, created_at__lt=cutoff
        ).delete()
        subscriptions = per_model.get("commitments.Subscription", 0)
        _, per_model = (
            Subscriber.objects.filter(confirmed_at=None, created_at__lt=cutoff)
            .exclude(Exists(Subscription.objects.filter(subscriber=OuterRef("pk"))))
            .delete()
        )
        subscribers = per_model.get("commitments.Subscriber", 0)
    return subscriptions, subscribers


def counts(top: int = 10) -> dict:
    """What editors may know: numbers of confirmed subscriptions, never who. Per kind of
    target, and the `top` most followed of each kind. A fixed number of queries."""
    confirmed = Subscription.objects.exclude(confirmed_at=None)
    per_scope = dict(
        confirmed.values_list("scope").annotate(n=Count("pk")).values_list("scope", "n")
    )
    result = {
        "addresses": Subscriber.objects.filter(
            Exists(confirmed.filter(subscriber=OuterRef("pk")))
        ).count(),
        "waiting": Subscription.objects.filter(confirmed_at=None).count(),
        "everything": per_scope.get("everything", 0),
        "scopes": [],
    }
    for scope in TARGETS:
        label_field = "title" if scope == "commitment" else "name"
        rows = (
            confirmed.filter(scope=scope)
            .values(f"{scope}__{label_field}", f"{scope}__slug")
            .annotate(n=Count("pk"))
            .order_by("-n", f"{scope}__slug")[:top]
        )
        result["scopes"].append(
            {
                "scope": scope,
                "label": Subscription.Scope(scope).label,
                "total": per_scope.get(scope, 0),
                "top": [(row[f"{scope}__{label_field}"], row["n"]) for row in rows],
            }
        )
    return result
