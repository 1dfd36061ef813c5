"""Where a commitment stands on a day: the one place its derived figures are computed.

A commitment's *standing* on a day comes from its published updates dated on or before that
day (every published update for today), the latest by as-of date, then publication time:

* **status** and **latest update**: those of the latest update;
* **own progress**: the latest published progress figure of its own;
* **effective progress**: its own figure or, without one, the sum of its *parts'* own
  figures: public children that count toward its target, in the same unit;
* **percent**: (effective progress − baseline) / (target − baseline) × 100, exact to four
  decimal places; every surface shows this number (floored for bars, two places in data);
* pace, expected value, projection, overdue and stale follow from these and the dates
  (commitments/progress.py and the `Commitment` properties), cheaply, on read.

Today's standing is stored on the commitment (`Commitment.STANDING_FIELDS`) and kept current
by `refresh()`, called in the same transaction by every change that can alter it. A past
day's standing (`?as_of=`, reports) is computed by `annotations(day)` for a whole queryset in
one query: `CommitmentQuerySet.standing_on()` lays it over the same fields, so a template or
serializer reads `commitment.progress_percent` the same way for today or for a past day.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from django.db import DatabaseError, models, transaction
from django.db.models import (
    Case,
    F,
    FloatField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

PERCENT_PLACES = Decimal("0.0001")


def percent_complete(progress, baseline, target) -> Decimal | None:
    """Percent complete, to four places: (progress − baseline) × 100 / (target − baseline)."""
    if progress is None or target is None:
        return None
    baseline = Decimal(baseline or 0)
    span = Decimal(target) - baseline
    if span == 0:  # the database forbids it; an unsaved object might not
        return None
    percent = (Decimal(progress) - baseline) * 100 / span
    return percent.quantize(PERCENT_PLACES, rounding=ROUND_HALF_EVEN)


def percent_shown(percent) -> int | None:
    """The percent on bars, badges and labels: rounded down, kept within 0–100."""
    if percent is None:
        return None
    return max(0, min(100, int(percent)))


def percent_in_data(percent) -> Decimal | None:
    """The percent in data (API, CSV, XLSX, JSON): two decimal places."""
    if percent is None:
        return None
    return Decimal(percent).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True)
class Standing:
    status: str = ""
    latest_update_id: int | None = None
    last_update_on: datetime.date | None = None  # the latest update's as-of date
    own_progress: Decimal | None = None
    effective_progress: Decimal | None = None
    progress_percent: Decimal | None = None

    @property
    def progress_from_parts(self) -> bool:
        return self.own_progress is None and self.effective_progress is not None

    def stored(self) -> dict:
        """The values of Commitment.STANDING_FIELDS."""
        return {
            "current_status": self.status,
            "latest_update_id": self.latest_update_id,
            "last_update_on": self.last_update_on,
            "own_progress": self.own_progress,
            "effective_progress": self.effective_progress,
            "progress_percent": self.progress_percent,
        }


def _published(day: datetime.date | None):
    from commitments.models import StatusUpdate

    updates = StatusUpdate.objects.published()
    return updates.filter(as_of__lte=day) if day is not None else updates


def annotations(day: datetime.date | None = None) -> dict:
    """SQL for each commitment's standing on `day` (today: None), one correlated subquery a
    figure: `status_then`, `update_then`, `as_of_then`, `own_then`, `parts_then`."""
    from commitments.models import Commitment, StatusUpdate

    updates = _published(day).filter(commitment=OuterRef("pk")).newest_first()
    figures = updates.exclude(progress_value=None).values("progress_value")[:1]
    decimal = StatusUpdate._meta.get_field("progress_value").clone()
    parts = (
        Commitment.objects.filter(
            counting_parts_q(OuterRef("pk"), OuterRef("target_unit"), OuterRef("target_unit_label"))
        )
        .annotate(
            part_figure=Subquery(
                _published(day)
                .filter(commitment=OuterRef("pk"))
                .exclude(progress_value=None)
                .newest_first()
                .values("progress_value")[:1],
                output_field=decimal.clone(),
            )
        )
        .filter(part_figure__isnull=False)
        .order_by()
        .values("parent")
        .annotate(total=Sum("part_figure", output_field=decimal.clone()))
        .values("total")
    )
    return {
        "status_then": Subquery(updates.values("status")[:1]),
        "update_then": Subquery(updates.values("pk")[:1]),
        "as_of_then": Subquery(updates.values("as_of")[:1]),
        "own_then": Subquery(figures, output_field=decimal.clone()),
        "parts_then": Subquery(parts, output_field=decimal.clone()),
    }


def counting_parts_q(parent, unit, unit_label) -> Q:
    """The rule for a commitment's *parts*: its children that count toward its target, in
    the same unit (and, for "other", the same unit label). `parent`, `unit` and `unit_label`
    are values or `OuterRef`s (the roll-up in `annotations`)."""
    return Q(parent=parent, counts_toward_parent=True, target_unit=unit) & (
        ~Q(target_unit="other") | Q(target_unit_label=unit_label)
    )


def summed_part_points(parent, day: datetime.date | None = None) -> list:
    """A roll-up's story: each day on which one of `parent`'s parts' published figures
    changed (up to `day`, or today), valued at the sum of every part's latest figure on that
    day: the same parts and the same "latest" as `annotations` (so the last point is the
    stored effective progress). One query; `progress.Point`s in date order."""
    from commitments.models import Commitment
    from commitments.progress import Point

    parts = Commitment.objects.filter(
        counting_parts_q(parent.pk, parent.target_unit, parent.target_unit_label)
    )
    rows = (
        _published(day)
        .filter(commitment__in=parts)
        .exclude(progress_value=None)
        .oldest_first()
        .values_list("commitment_id", "as_of", "progress_value")
    )
    latest, by_day = {}, {}
    for part, as_of, value in rows:
        latest[part] = value
        by_day[as_of] = sum(latest.values(), Decimal(0))  # the last figure of a day wins
    return [Point(as_of, total) for as_of, total in by_day.items()]


def stale_cutoff(today: datetime.date, days: int | None = None) -> datetime.date:
    """The staleness rule's date: an open commitment whose latest published update is dated
    before it is *stale* (no update in STALE_AFTER_DAYS days). The dashboard, the list's
    filter, the reports and the commitment page all ask here."""
    from django.conf import settings

    days = settings.STALE_AFTER_DAYS if days is None else days
    return today - datetime.timedelta(days=days)


def is_stale(status: str, last_update_on: datetime.date | None, today: datetime.date) -> bool:
    """One commitment by the same rule as `CommitmentQuerySet.stale()`: open (neither
    achieved nor abandoned) and its latest update dated before `stale_cutoff(today)`."""
    from commitments.models import CLOSED_STATUSES

    if last_update_on is None or status in CLOSED_STATUSES:
        return False
    return last_update_on < stale_cutoff(today)


def percent_sort_key(progress_expression) -> Case:
    """The percent of a progress expression, in SQL, for ordering an as-of list."""
    baseline = Coalesce("baseline_value", Value(0, output_field=models.DecimalField()))
    return Case(
        When(
            target_value__isnull=False,
            then=Cast(progress_expression - baseline, FloatField())
            * 100.0
            / Cast(F("target_value") - baseline, FloatField()),
        ),
        default=None,
        output_field=FloatField(),
    )


def standing_from(commitment, row: dict) -> Standing:
    """A Standing from the values of `annotations()` for one commitment."""
    own = row["own_then"]
    effective = own if own is not None else row["parts_then"]
    return Standing(
        status=row["status_then"] or "",
        latest_update_id=row["update_then"],
        last_update_on=row["as_of_then"],
        own_progress=own,
        effective_progress=effective,
        progress_percent=percent_complete(
            effective, commitment.baseline_value, commitment.target_value
        ),
    )


def compute(commitments, day: datetime.date | None = None) -> dict[int, Standing]:
    """The standing on `day` (today: None) of every commitment of a queryset: one query."""
    names = ("status_then", "update_then", "as_of_then", "own_then", "parts_then")
    rows = commitments.order_by().annotate(**annotations(day))
    rows = rows.values("pk", "baseline_value", "target_value", *names)
    return {
        row["pk"]: standing_from(_Figures(row["baseline_value"], row["target_value"]), row)
        for row in rows
    }


@dataclass(frozen=True)
class _Figures:
    baseline_value: Decimal | None
    target_value: Decimal | None


def stored_standing(commitment) -> Standing:
    """What is stored on a commitment (or laid over it for a past day)."""
    return Standing(
        status=commitment.current_status,
        latest_update_id=commitment.latest_update_id,
        last_update_on=commitment.last_update_on,
        own_progress=commitment.own_progress,
        effective_progress=commitment.effective_progress,
        progress_percent=commitment.progress_percent,
    )


def statuses_before(
    updates, status=lambda u: u.status, commitment=lambda u: u.commitment_id, initial=None
):
    """For updates in `oldest_first()` order, pairs of (update, the status before it): the
    status of the previous update of the same commitment, "" for its first (or the status in
    `initial`, by commitment, for a list that starts later). The change log and the reports
    read the status before from here."""
    previous = dict(initial or {})
    for update in updates:
        key = commitment(update)
        yield update, previous.get(key, "")
        previous[key] = status(update)


@transaction.atomic
def refresh(*pks) -> int:
    """The one function that writes a commitment's stored standing. It locks the rows (in
    primary-key order, so two publications at once cannot store the older figure over the
    newer nor deadlock), computes today's standing and saves what changed. Commitments that
    count toward a parent bring the parent along: its roll-up reads their figures.

    Called by every change that can alter a standing: publishing, correcting, retracting,
    saving or deleting a public update by any door, saving or deleting a commitment (its
    target, baseline, parent, unit…), the fixture load and `manage.py refresh_standings`.
    Returns how many commitments changed."""
    from commitments.models import Commitment

    wanted = {pk for pk in pks if pk is not None}
    if not wanted:
        return 0
    wanted |= set(
        Commitment.objects.filter(pk__in=wanted, counts_toward_parent=True)
        .exclude(parent=None)
        .values_list("parent_id", flat=True)
    )
    locked = list(
        Commitment.objects.select_for_update()
        .filter(pk__in=wanted)
        .order_by("pk")
        .only(*Commitment.STANDING_FIELDS)
    )
    fresh = compute(Commitment.objects.filter(pk__in=[c.pk for c in locked]))
    changed = 0
    for commitment in locked:
        new = fresh[commitment.pk]
        if stored_standing(commitment) != new:
            # An UPDATE, not save(): a derived figure is not an edit, so it leaves no entry
            # in the commitment's history (the update that caused it has its own), and the
            # change that called this has already told the public cache.
            Commitment.objects.filter(pk=commitment.pk).update(**new.stored())
            changed += 1
    return changed


def refresh_all(batch_size: int = 2000) -> tuple[int, int]:
    """Every commitment's stored standing, recomputed in one set-based query and written in
    batches where it differs. Returns (changed, total)."""
    from commitments.models import Commitment

    fresh = compute(Commitment.objects.all())
    stale = []
    for commitment in Commitment.objects.only(*Commitment.STANDING_FIELDS).iterator(2000):
        new = fresh[commitment.pk]
        if stored_standing(commitment) != new:
            for name, value in new.stored().items():
                setattr(commitment, name, value)
            stale.append(commitment)
    with transaction.atomic():
        Commitment.objects.bulk_update(stale, Commitment.STANDING_FIELDS, batch_size=batch_size)
    if stale:
        from commitments.signals import bump_public_generation

        bump_public_generation()
    return len(stale), len(fresh)


def after_migrate(sender, plan=None, **kwargs):
    """`migrate` leaves every standing right: after it applies a migration of this app (a
    new stored figure starts empty), it recomputes them all. Not on a flush (no plan), not
    when migrating backwards, and not when stopping at an older migration whose tables lack
    a stored figure (`refresh_standings` after the full migrate does it then)."""
    if not plan or any(backwards for _, backwards in plan):
        return
    if not any(migration.app_label == sender.label for migration, _ in plan):
        return
    try:
        with transaction.atomic():
            refresh_all()
    except DatabaseError:
        return
