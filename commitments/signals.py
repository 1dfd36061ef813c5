"""Cache invalidation only (no domain logic here): any saved or deleted row of a model that
public pages show bumps the public generation, whoever saved it — a page, the admin, a
command or a migration."""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from commitments.cache import bump_public_generation

PUBLIC_MODELS = [
    "Commitment",
    "CommitmentParty",
    "Conversion",
    "Event",
    "Party",
    "Sector",
    "Source",
    "StatusUpdate",
]


def _invalidate(sender, **kwargs):
    if not kwargs.get("raw"):
        bump_public_generation()


def connect():
    for name in PUBLIC_MODELS:
        model = apps.get_model("commitments", name)
        post_save.connect(_invalidate, sender=model, dispatch_uid=f"public-cache-save-{name}")
        post_delete.connect(_invalidate, sender=model, dispatch_uid=f"public-cache-del-{name}")
    sources = apps.get_model("commitments", "StatusUpdate").sources.through
    m2m_changed.connect(_invalidate, sender=sources, dispatch_uid="public-cache-sources")
