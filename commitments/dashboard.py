"""What the dashboard says in words: what is tracked, the headline figures, what changed.

Every figure here comes from the public querysets and the stored standing
(commitments/standing.py); nothing is recomputed. Each function costs a fixed number of
queries, whatever the number of commitments or updates.
"""

from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, Q, When
from django.utils.formats import date_format, get_format
from django.utils.translation import pgettext

from commitments.models import Event, StatusUpdate, UpdateStatus

HEADLINE_LENGTH = 6  # headline progress meters
RECENT_WINDOW = 40  # the latest publications grouped into "what changed recently"
RECENT_ENTRIES = 8  # groups shown
BATCH_MINIMUM = 3  # this many commitments with the same one-line update read as one entry
BATCH_NAMES = 5  # commitments named in a batch before "and N more"


def event_dates(event: Event) -> str:
    """'29–30 August 2025', '30 September – 2 October 2025', '29 August 2025' in English;
    2025年8月29日～30日 in Japanese; 29–30 अगस्त 2025 in Hindi. Each language's date
    formats for the two ends of a range are translations (Django's date format letters)."""
    start, end = event.starts_on, event.ends_on
    if not end or end == start:
        return date_format(start, "DATE_FORMAT")
    if (start.year, start.month) == (end.year, end.month):
        first = pgettext("first day of a date range within one month", "j")
        last = pgettext("last day of a date range within one month", "j F Y")
        separator = pgettext("date range within one month", "–")
    elif start.year == end.year:
        first = pgettext("first day of a date range within one year", "j F")
        last = pgettext("last day of a date range within one year", "j F Y")
        separator = pgettext("date range", " – ")
    else:
        first = last = get_format("DATE_FORMAT")
        separator = pgettext("date range", " – ")
    return f"{date_format(start, first)}{separator}{date_format(end, last)}"


def distribution(by_status) -> list[dict]:
    """Segments of one bar of all the commitments, a status each (zeros left out): where
    each starts and how wide it is, out of 100, and its whole-number share; the shares add
    up to 100 (largest remainders)."""
    total = sum(count for _, count in by_status)
    counted = [(status, count) for status, count in by_status if count]
    exact = [100 * count / total for _, count in counted]
    shares = [int(value) for value in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: shares[i] - exact[i])
    for i in by_remainder[: 100 - sum(shares)] if counted else []:
        shares[i] += 1
    segments, start = [], 0.0
    for (status, count), width, share in zip(counted, exact, shares, strict=True):
        segments.append(
            {
                "status": status,
                "count": count,
                "x": round(start, 2),
                "width": round(width, 2),
                "share": share,
            }
        )
        start += width
    return segments


@dataclass
class Tracked:
    """What the tracker follows, from the events the public commitments were made at."""

    total: int
    in_events: int = 0
    event_count: int = 0
    latest: Event | None = None  # the most recent event with a public commitment

    @property
    def elsewhere(self) -> int:
        return self.total - self.in_events

    @property
    def latest_when(self) -> str:
        return event_dates(self.latest) if self.latest else ""


def tracked(public) -> Tracked:
    """Two queries: the counts, and the latest event."""
    counts = public.order_by().aggregate(
        total=Count("pk"),
        in_events=Count("pk", filter=Q(event__isnull=False)),
        events=Count("event", distinct=True),
    )
    latest = None
    if counts["events"]:
        latest = (
            Event.objects.filter(commitments__in=public.order_by().values("pk"))
            .distinct()
            .order_by("-starts_on", "name")
            .first()
        )
    return Tracked(
        total=counts["total"],
        in_events=counts["in_events"],
        event_count=counts["events"],
        latest=latest,
    )


def headline(public, limit: int = HEADLINE_LENGTH):
    """The measurable commitments most worth a large meter, and how many are measurable.

    Editors choose with `dashboard_position` (1 first); the rest follow, whole commitments
    before their parts, in the order they were announced (then entered)."""
    measurable = public.filter(target_value__isnull=False)
    ordered = measurable.annotate(
        is_part=Case(When(parent__isnull=True, then=0), default=1, output_field=IntegerField())
    ).order_by(F("dashboard_position").asc(nulls_last=True), "is_part", "announced_on", "pk")
    return list(ordered.select_related("sector")[:limit]), measurable.order_by().count()


@dataclass
class Change:
    """One commitment's recent publications, or (a batch) several commitments that got the
    same one-line update on the same day."""

    updates: list = field(default_factory=list)  # newest first
    batch: list = field(default_factory=list)  # the commitments of a batch

    @property
    def by_day(self) -> list:
        """The updates in the order the commitment's standing reads them (models.NEWEST_FIRST:
        as-of day, then publication): a correction of an old update, published last, is not
        the latest news about where the commitment stands."""
        return sorted(
            self.updates,
            key=lambda u: (
                u.as_of,
                u.reviewed_at.timestamp() if u.reviewed_at else float("-inf"),
                u.pk,
            ),
            reverse=True,
        )

    @property
    def latest(self) -> StatusUpdate:
        return self.by_day[0]

    @property
    def commitment(self):
        return self.latest.commitment

    @property
    def count(self) -> int:
        return len(self.updates)

    @property
    def status(self) -> UpdateStatus:
        return UpdateStatus(self.latest.status)

    @property
    def previous_status(self) -> UpdateStatus | None:
        """The status before these updates, when they changed it (within the window)."""
        first = self.by_day[-1].status
        return UpdateStatus(first) if first != self.latest.status else None

    @property
    def shown_names(self) -> list:
        return self.batch[:BATCH_NAMES]

    @property
    def more_names(self) -> int:
        return max(0, len(self.batch) - BATCH_NAMES)


def recent_changes(updates, entries: int = RECENT_ENTRIES) -> list[Change]:
    """The latest publications (`updates`, newest first, already capped), grouped by
    commitment; commitments whose only update is the same sentence on the same day with the
    same status are gathered into one entry instead of repeating it."""
    groups: dict[int, Change] = {}
    for update in updates:
        groups.setdefault(update.commitment_id, Change()).updates.append(update)
    changes: list[Change] = []
    batches: dict[tuple, Change] = {}
    singles: dict[tuple, list[Change]] = {}
    for change in groups.values():
        if change.count == 1:
            key = (change.latest.as_of, change.latest.status, change.latest.summary.strip())
            singles.setdefault(key, []).append(change)
    for change in groups.values():
        key = (change.latest.as_of, change.latest.status, change.latest.summary.strip())
        if change.count == 1 and len(singles[key]) >= BATCH_MINIMUM:
            batch = batches.get(key)
            if batch is None:
                batch = batches[key] = Change(updates=[change.latest])
                changes.append(batch)
            batch.batch.append(change.commitment)
        else:
            changes.append(change)
    return changes[:entries]
