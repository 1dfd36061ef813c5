"""Each update's sources as one line of text, stored on the update (`cited_sources`):
'publisher — title — URL' for each source, in the pages' order, joined by ' | '. The CSV
export of every published update then reads one table (and its commitments) instead of
gathering the citations of every row, which kept it under 40,000 rows a second.

Kept current from here only, by whatever changes it: citations added or removed (either
side), a source edited or deleted (receivers at the end of models.py), and once more at
publication; generate_sample_data (which bulk-creates) and migration 0009 fill it for all."""

from django.db import connections
from django.db.models import F

PART_SEPARATOR = " — "
SEPARATOR = " | "
# The pages' order of an update's sources, from the citation (through) table.
ORDER = (F("source__published_on").desc(), "source__title", "source_id")


def line(publisher: str, title: str, url: str) -> str:
    return PART_SEPARATOR.join(part for part in (publisher, title, url) if part)


def texts(update_model, update_ids=None) -> dict[int, str]:
    """The text of each update (of `update_ids`, or all) that cites anything."""
    citations = update_model.sources.through.objects.all()
    if update_ids is not None:
        citations = citations.filter(statusupdate_id__in=update_ids)
    cited: dict[int, list[str]] = {}
    for update_id, publisher, title, url in (
        citations.order_by("statusupdate_id", *ORDER)
        .values_list("statusupdate_id", "source__publisher", "source__title", "source__url")
        .iterator(chunk_size=5000)
    ):
        cited.setdefault(update_id, []).append(line(publisher, title, url))
    return {pk: SEPARATOR.join(parts) for pk, parts in cited.items()}


def refresh(update_ids) -> dict[int, str]:
    """Recompute the stored text of these updates, writing those that changed; returns the
    text of each."""
    from commitments.models import StatusUpdate

    update_ids = set(update_ids)
    if not update_ids:
        return {}
    fresh = texts(StatusUpdate, update_ids)
    fresh = {pk: fresh.get(pk, "") for pk in update_ids}
    _write(StatusUpdate, fresh, StatusUpdate.objects.filter(pk__in=update_ids))
    return fresh


def refresh_all(update_model=None) -> int:
    """Every update's stored text (a migration passes its historical model). Returns how
    many changed."""
    if update_model is None:
        from commitments.models import StatusUpdate as update_model
    fresh = texts(update_model)
    return _write(update_model, fresh, update_model.objects.all())


def _write(update_model, fresh: dict[int, str], updates) -> int:
    stale = [
        (fresh.get(pk, ""), pk)
        for pk, stored in updates.values_list("pk", "cited_sources").iterator(chunk_size=5000)
        if stored != fresh.get(pk, "")
    ]
    if stale:
        connection = connections[updates.db]
        table = connection.ops.quote_name(update_model._meta.db_table)
        with connection.cursor() as cursor:
            # Not bulk_update: its CASE over 100,000 rows took longer than sampling them.
            cursor.executemany(f"UPDATE {table} SET cited_sources = %s WHERE id = %s", stale)
    return len(stale)
