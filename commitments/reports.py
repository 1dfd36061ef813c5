"""Progress reports for a period: what stood where at the start and the end, what changed,
targets and pace, overdue commitments and every source cited.

"As of" a date means from the dated, published updates whose as-of date is on or before it
(the latest by as-of date, then by publication time). Built in a fixed number of queries.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from commitments import standing
from commitments.badges import COLOURS as STATUS_COLOURS
from commitments.models import (
    CLOSED_STATUSES,
    Commitment,
    CommitmentParty,
    Source,
    StatusUpdate,
    UpdateStatus,
)
from commitments.progress import Point, compute_pace_for, project_completion


@dataclass
class Standing:
    """A commitment as it stood on a day."""

    commitment: Commitment
    status: str = ""
    progress: Decimal | None = None
    figures: standing.Standing = field(default_factory=standing.Standing)

    @property
    def status_label(self) -> str:
        return UpdateStatus(self.status).label if self.status else "Not yet announced"


@dataclass
class TargetRow:
    commitment: Commitment
    progress: Decimal | None
    percent: Decimal | None
    pace: object
    projection: object


@dataclass
class Change:
    update: StatusUpdate
    previous_status: str

    @property
    def previous_label(self) -> str:
        return UpdateStatus(self.previous_status).label if self.previous_status else ""


@dataclass
class Report:
    start: datetime.date
    end: datetime.date
    sector: object = None
    party: object = None
    commitments: list[Commitment] = field(default_factory=list)
    at_start: dict[int, Standing] = field(default_factory=dict)
    at_end: dict[int, Standing] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    achieved: list[Commitment] = field(default_factory=list)
    newly_overdue: list[Commitment] = field(default_factory=list)
    overdue: list[Commitment] = field(default_factory=list)
    targets: list[TargetRow] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)

    def counts(self, standings: dict[int, Standing]) -> list[tuple[UpdateStatus, int]]:
        tally = defaultdict(int)
        for then in standings.values():
            if then.status:
                tally[then.status] += 1
        return [(status, tally[status.value]) for status in UpdateStatus]

    @property
    def summary(self) -> list[dict]:
        start, end = dict(self.counts(self.at_start)), dict(self.counts(self.at_end))
        largest = max([*start.values(), *end.values(), 1])
        return [
            {
                "status": status,
                "start": start[status],
                "end": end[status],
                "colour": STATUS_COLOURS[status.value],
                "start_width": round(100 * start[status] / largest),
                "end_width": round(100 * end[status] / largest),
            }
            for status in UpdateStatus
        ]

    @property
    def target_rows(self) -> dict[int, TargetRow]:
        return {row.commitment.pk: row for row in self.targets}

    @property
    def title(self) -> str:
        scope = " · ".join(str(x) for x in (self.sector, self.party) if x)
        period = f"{self.start:%d %B %Y} to {self.end:%d %B %Y}"
        return f"Progress report, {period}" + (f" · {scope}" if scope else "")


def standings_on(commitments, day) -> dict[int, Standing]:
    """Each commitment as it stood on `day`: commitments/standing.py, as the as-of views.
    A parent's parts count whether or not they are in the report's scope."""
    then = standing.compute(Commitment.objects.filter(pk__in=[c.pk for c in commitments]), day)
    return {
        c.pk: Standing(c, then[c.pk].status, then[c.pk].effective_progress, then[c.pk])
        for c in commitments
    }


def build_report(start, end, sector=None, party=None) -> Report:
    report = Report(start=start, end=end, sector=sector, party=party)
    scope = Commitment.objects.public()
    if sector:
        scope = scope.filter(sector=sector)
    if party:
        scope = scope.filter(parties=party)
    commitments = list(
        scope.select_related("sector")
        .prefetch_related(
            Prefetch(
                "commitment_parties",
                queryset=CommitmentParty.objects.select_related("party"),
            )
        )
        .order_by("title")
    )
    by_pk = {c.pk: c for c in commitments}
    updates = list(
        StatusUpdate.objects.published()
        .filter(commitment__in=by_pk, as_of__lte=end)
        .prefetch_related("sources")
        .oldest_first()
    )
    for update in updates:
        update.commitment = by_pk[update.commitment_id]
    report.at_start = standings_on(commitments, start - datetime.timedelta(days=1))
    report.at_end = standings_on(commitments, end)
    report.commitments = [c for c in commitments if report.at_end[c.pk].status]
    for commitment in report.commitments:
        commitment.report_start = report.at_start[commitment.pk]
        commitment.report_end = report.at_end[commitment.pk]

    for update, previous_status in standing.statuses_before(updates):
        if update.as_of >= start:
            report.changes.append(Change(update, previous_status))
    report.changes.reverse()  # newest first

    for commitment in report.commitments:
        before, after = report.at_start[commitment.pk], report.at_end[commitment.pk]
        if after.status == UpdateStatus.ACHIEVED and before.status != UpdateStatus.ACHIEVED:
            report.achieved.append(commitment)
        open_at_end = after.status not in CLOSED_STATUSES
        if commitment.deadline and commitment.deadline < end and open_at_end:
            report.overdue.append(commitment)
            if commitment.deadline >= start - datetime.timedelta(days=1):
                report.newly_overdue.append(commitment)
        if commitment.target_value is not None:
            points = [Point(commitment.announced_on, commitment.baseline_value or Decimal(0))]
            points += [
                Point(u.as_of, u.progress_value)
                for u in updates
                if u.commitment_id == commitment.pk and u.progress_value is not None
            ]
            progress = after.progress
            report.targets.append(
                TargetRow(
                    commitment=commitment,
                    progress=progress,
                    percent=after.figures.progress_percent,
                    pace=compute_pace_for(commitment, progress, end),
                    projection=project_completion(points, commitment.target_value),
                )
            )

    cited = {}
    for update in updates:
        for source in update.sources.all():
            cited.setdefault(source.pk, source)
    report.sources = sorted(cited.values(), key=lambda s: (s.title.lower(), s.pk))
    return report


def default_period(today: datetime.date, scope=None) -> tuple[datetime.date, datetime.date]:
    """From the first announcement (of the scope's public commitments) to today."""
    scope = Commitment.objects.public() if scope is None else scope
    first = scope.order_by("announced_on").values_list("announced_on", flat=True).first()
    return (first or today.replace(month=1, day=1)), today


def preset_periods(
    today: datetime.date, scope=None
) -> list[tuple[str, datetime.date, datetime.date]]:
    """The periods a briefing is usually asked for: the last full calendar month, the last
    full quarter, and everything since the first announcement. Fixed dates, so the links
    they make are stable and citable."""
    month_end = today.replace(day=1) - datetime.timedelta(days=1)
    quarter_start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    quarter_end = quarter_start - datetime.timedelta(days=1)
    last_quarter_start = datetime.date(quarter_end.year, quarter_end.month - 2, 1)
    return [
        (f"{month_end:%B %Y}", month_end.replace(day=1), month_end),
        (
            f"Q{(quarter_end.month - 1) // 3 + 1} {quarter_end.year}",
            last_quarter_start,
            quarter_end,
        ),
        ("Since the announcement", *default_period(today, scope)),
    ]
