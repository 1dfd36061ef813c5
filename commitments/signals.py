"""Cache invalidation only (no domain logic here): any saved or deleted row of a model that
public pages show bumps the public generation, whoever saved it — a page, the admin, a
command or a migration."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from commitments.cache import bump_public_generation


def _invalidate(sender, **kwargs):
    if kwargs.get("raw"):
        return
    bump_public_generation()


def connect():
    from commitments.models import (
        Commitment,
        CommitmentParty,
        Conversion,
        Event,
        Party,
        Sector,
        Source,
        StatusUpdate,
    )

    for model in (
        Commitment,
        CommitmentParty,
        Conversion,
        Event,
        Party,
        Sector,
        Source,
        StatusUpdate,
    ):
        post_save.connect(_invalidate, sender=model, dispatch_uid=f"public-cache-save-{model}")
        post_delete.connect(_invalidate, sender=model, dispatch_uid=f"public-cache-del-{model}")
    m2m_changed.connect(
        _invalidate, sender=StatusUpdate.sources.through, dispatch_uid="public-cache-sources"
    )
