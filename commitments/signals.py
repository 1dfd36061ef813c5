"""Cache invalidation only (no domain logic here): any change that public pages can show
bumps the public generation, whoever made it — a page, the admin, a command or a migration.

Analysts' work in progress is not public: saving, submitting or rejecting an update that is
not (and was not) published, and adding a source no published update cites yet, leave the
public cache alone, so a busy newsroom does not empty it for readers.
"""

from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from commitments.cache import bump_public_generation as _bump_now

PUBLISHED = "published"

# Rows of these models are public, or shape public pages, whenever they exist.
ALWAYS_PUBLIC_MODELS = ["Commitment", "CommitmentParty", "Conversion", "Event", "Party", "Sector"]


def bump_public_generation():
    """Now, and again when the transaction commits: a page built between the two from the
    not yet committed data would otherwise be kept under the new generation.

    Neither may break the change it follows: the bump never raises (a cache failure is
    logged and retried), and the commit callback is robust besides."""
    _bump_now()
    transaction.on_commit(_bump_now, robust=True)


def _invalidate(sender, **kwargs):
    if not kwargs.get("raw"):
        bump_public_generation()


def _remember_update_was_public(sender, instance, raw=False, **kwargs):
    if raw or instance.state == PUBLISHED or instance.pk is None:
        instance._was_public = False
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("state", flat=True).first()
    instance._was_public = stored == PUBLISHED


def _update_saved(sender, instance, raw=False, **kwargs):
    if not raw and (instance.state == PUBLISHED or getattr(instance, "_was_public", True)):
        bump_public_generation()


def _update_deleted(sender, instance, **kwargs):
    if instance.state == PUBLISHED:
        bump_public_generation()


def _source_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:
        return  # a new source is cited by nothing published yet
    if instance.status_updates.filter(state=PUBLISHED).exists():
        bump_public_generation()


def _citations_changed(sender, instance, action, reverse, **kwargs):
    if not action.startswith("post_"):
        return
    # From the update's side, only a published update's citations are public; from the
    # source's side (rare: the admin), assume they are.
    if reverse or instance.state == PUBLISHED:
        bump_public_generation()


def connect():
    for name in ALWAYS_PUBLIC_MODELS:
        model = apps.get_model("commitments", name)
        post_save.connect(_invalidate, sender=model, dispatch_uid=f"public-cache-save-{name}")
        post_delete.connect(_invalidate, sender=model, dispatch_uid=f"public-cache-del-{name}")

    update = apps.get_model("commitments", "StatusUpdate")
    pre_save.connect(_remember_update_was_public, sender=update, dispatch_uid="public-cache-pre")
    post_save.connect(_update_saved, sender=update, dispatch_uid="public-cache-update-save")
    post_delete.connect(_update_deleted, sender=update, dispatch_uid="public-cache-update-del")

    source = apps.get_model("commitments", "Source")
    post_save.connect(_source_saved, sender=source, dispatch_uid="public-cache-source-save")
    post_delete.connect(_invalidate, sender=source, dispatch_uid="public-cache-source-del")
    m2m_changed.connect(
        _citations_changed, sender=update.sources.through, dispatch_uid="public-cache-sources"
    )
