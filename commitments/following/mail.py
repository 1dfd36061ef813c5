"""The e-mails telling followers what was published: one per subscriber and batch (or digest),
plain text and HTML, in the subscriber's language, with List-Unsubscribe and
List-Unsubscribe-Post (RFC 8058) headers and the manage and unsubscribe links in the footer.

`status_change(update)` is the one rule for an update's "status before → after":

* an update: the status of the commitment's previous published update (its story in
  `oldest_first()` order, as the change log and the reports read it, commitments/standing.py)
  → the update's own status;
* a correction: the status of the update it corrects (what readers saw) → the correction's;
* a retraction: the retracted update's status → the commitment's status without it (its
  stored standing, commitments/standing.py).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from commitments import numbers, standing
from commitments.languages import short_code, site_name, translated


def status_change(update) -> tuple[str, str]:
    """(status before, status after) of a published update, correction or retraction."""
    from commitments.models import StatusUpdate, UpdateKind

    commitment = update.commitment
    if update.kind == UpdateKind.RETRACTION:
        before = update.corrects.status if update.corrects_id else ""
        return before, commitment.current_status or ""
    if update.kind == UpdateKind.CORRECTION and update.corrects_id:
        return update.corrects.status, update.status
    story = (
        StatusUpdate.objects.filter(commitment=commitment)
        .filter(Q(state=StatusUpdate.State.PUBLISHED) | Q(pk=update.pk))
        .oldest_first()
        .only("pk", "status", "commitment_id")
    )
    for item, before in standing.statuses_before(story):
        if item.pk == update.pk:
            return before, update.status
    return "", update.status


@dataclass
class Facts:
    """What does not depend on the reader's language: computed once per update and run."""

    update: object
    status_before: str
    status_after: str
    sources: list = field(default_factory=list)
    items: dict = field(default_factory=dict)  # item_for's result by language


def facts_of(update) -> Facts:
    before, after = status_change(update)
    sources = [line.strip() for line in update.cited_sources.splitlines() if line.strip()]
    if not sources:
        sources = [
            f"{source.title} {source.url}".strip() for source in update.sources.all().order_by("pk")
        ]
    return Facts(update, before, after, sources)


def site_link(path: str) -> str:
    return settings.SITE_URL + path


def follow_path(name: str, token: str) -> str:
    """The path of the manage or unsubscribe page in the active language."""
    try:
        return reverse(f"commitments:follow-{name}", kwargs={"token": token})
    except NoReverseMatch:  # the pages' URLs are the contract (docs/following-send.md)
        code = short_code()
        prefix = "" if code == "en" else f"/{code}"
        return f"{prefix}/follow/{name}/{token}/"


def status_label(value: str) -> str:
    from commitments.models import UpdateStatus

    return str(UpdateStatus(value).label) if value in UpdateStatus.values else ""


def item_for(facts: Facts, language: str) -> dict:
    """One update as the e-mail shows it, in the active language (made once a language)."""
    if language not in facts.items:
        facts.items[language] = _item(facts, language)
    return facts.items[language]


def _item(facts: Facts, language: str) -> dict:
    from commitments.models import UpdateKind

    update = facts.update
    commitment = update.commitment
    code = short_code(language)
    system = settings.NUMBER_SYSTEM
    progress = percent = ""
    if update.kind != UpdateKind.RETRACTION and update.progress_value is not None:
        progress = numbers.format_amount(
            update.progress_value,
            commitment.target_unit,
            code,
            system,
            commitment.target_unit_label,
        )
        shown = standing.percent_shown(
            standing.percent_complete(
                update.progress_value, commitment.baseline_value, commitment.target_value
            )
        )
        if shown is not None:
            percent = numbers.format_percent(shown, code, system)
    kind = {
        UpdateKind.CORRECTION: gettext("Correction"),
        UpdateKind.RETRACTION: gettext("Retraction"),
    }.get(update.kind, "")
    return {
        "title": translated(commitment, "title", language),
        "kind": kind,
        "as_of": date_format(update.as_of, "DATE_FORMAT"),
        "status_before": status_label(facts.status_before),
        "status_after": status_label(facts.status_after),
        "status_changed": facts.status_before != facts.status_after,
        "progress": progress,
        "percent": percent,
        "summary": translated(update, "summary", language),
        "note": update.correction_note if kind else "",
        "sources": facts.sources,
        "url": site_link(commitment.get_absolute_url()),
    }


def message(subscriber, facts: list[Facts], digest: str = "") -> EmailMultiAlternatives:
    """The e-mail to `subscriber` about the updates of `facts` (digest: "" for an e-mail at
    once, "daily" or "weekly")."""
    with translation.override(subscriber.language):
        language = translation.get_language()
        items = [item_for(one, language) for one in facts]
        unsubscribe = site_link(follow_path("unsubscribe", subscriber.token))
        context = {
            "items": items,
            "digest": digest,
            "site_name": site_name(),
            "site_url": settings.SITE_URL,
            "manage_url": site_link(follow_path("manage", subscriber.token)),
            "unsubscribe_url": unsubscribe,
            "language": language,
        }
        if digest == "daily":
            subject = gettext("%(site)s: your daily digest") % {"site": context["site_name"]}
        elif digest == "weekly":
            subject = gettext("%(site)s: your weekly digest") % {"site": context["site_name"]}
        elif len(items) == 1:
            subject = f"{context['site_name']}: {items[0]['title']}"
        else:
            subject = ngettext(
                "%(site)s: %(count)d update",
                "%(site)s: %(count)d updates",
                len(items),
            ) % {"site": context["site_name"], "count": len(items)}
        name = "digest" if digest else "update"
        text = render_to_string(f"following/email/{name}.txt", context)
        html = render_to_string(f"following/email/{name}.html", context)
    email = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:200],
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscriber.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    email.attach_alternative(html, "text/html")
    return email
