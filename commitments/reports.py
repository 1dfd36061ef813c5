"""Progress reports for a period: a briefing, not a dump.

The report reads what stood where *at the start* (as it stood at the end of the day before the
period begins) and *at the end* (at the end of its last day), from the dated, published
updates (commitments/standing.py, as the as-of pages). It says what changed, which targets are
on pace, what fell overdue and which sources were cited.

Its cost is bounded by the number of commitments, never by the number of updates: the page
and the PDF show at most a few updates per commitment, a few commitments per sector and a
capped list of sources, each with "and N more in the spreadsheet"; the spreadsheet (XLSX,
CSV, JSON) streams every update of the period (`Report.every_change()`).
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.db.models import Count, F, Prefetch, Value, Window
from django.db.models.functions import Coalesce, NullIf, RowNumber
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext, pgettext

from commitments import standing
from commitments.badges import COLOURS as STATUS_COLOURS
from commitments.languages import short_code, translated
from commitments.models import (
    CLOSED_STATUSES,
    NEWEST_FIRST,
    OLDEST_FIRST,
    Commitment,
    CommitmentParty,
    Source,
    StatusUpdate,
    UpdateStatus,
    thin_points,
)
from commitments.numbers import format_count_in
from commitments.progress import Pace, Point, compute_pace_for, project_completion

# What the page and the PDF show at most; the spreadsheet has everything.
UPDATES_PER_COMMITMENT = 3
CHANGED_COMMITMENTS_SHOWN = 25
COMMITMENTS_PER_SECTOR = 8
TARGETS_SHOWN = 25
SOURCES_SHOWN = 40
HIGHLIGHTS = 7
EXPORT_BATCH = 2000  # rows fetched at a time while the spreadsheet streams


@dataclass
class Standing:
    """A commitment as it stood on a day: its figures from commitments/standing.py."""

    commitment: Commitment
    figures: standing.Standing = field(default_factory=standing.Standing)

    @property
    def status(self) -> str:
        return self.figures.status

    @property
    def progress(self) -> Decimal | None:
        return self.figures.effective_progress

    @property
    def status_label(self) -> str:
        return UpdateStatus(self.status).label if self.status else gettext("Not yet announced")


@dataclass(eq=False)  # compared by identity: it points back to its report
class TargetRow:
    commitment: Commitment
    progress: Decimal | None
    percent: Decimal | None
    pace: object
    start_percent: Decimal | None = None
    report: object = field(default=None, repr=False)

    @property
    def projection(self):
        """When the target is reached at this rate: read on demand, for the rows shown
        together (the page's 30, or every row for the spreadsheet) in one query."""
        return self.report.projection_of(self)


@dataclass
class Change:
    update: StatusUpdate
    previous_status: str

    @property
    def previous_label(self) -> str:
        return UpdateStatus(self.previous_status).label if self.previous_status else ""


@dataclass
class CommitmentChanges:
    """A commitment's updates in the period: the newest few, and how many there were."""

    commitment: Commitment
    changes: list[Change]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.changes)


@dataclass
class SectorSection:
    sector: object
    commitments: list[Commitment]  # the ones to read first, at most COMMITMENTS_PER_SECTOR
    total: int
    counts: list[tuple[UpdateStatus, int]]

    @property
    def more(self) -> int:
        return self.total - len(self.commitments)


# The status chart's rows start this far in, so the axis' first number is not cut off.
PAD = 8


@dataclass
class Report:
    start: datetime.date
    end: datetime.date
    sector: object = None
    party: object = None
    event: object = None
    commitments: list[Commitment] = field(default_factory=list)
    at_start: dict[int, Standing] = field(default_factory=dict)
    at_end: dict[int, Standing] = field(default_factory=dict)
    update_count: int = 0  # published updates dated in the period
    updates_by_commitment: dict[int, int] = field(default_factory=dict)
    changed: list[CommitmentChanges] = field(default_factory=list)  # shown, at most a few
    changed_total: int = 0  # commitments with an update in the period
    achieved: list[Commitment] = field(default_factory=list)
    newly_overdue: list[Commitment] = field(default_factory=list)
    overdue: list[Commitment] = field(default_factory=list)
    behind: list[Commitment] = field(default_factory=list)
    stale: list[Commitment] = field(default_factory=list)
    announced: list[Commitment] = field(default_factory=list)  # announced in the period
    targets: list[TargetRow] = field(default_factory=list)  # every measurable one
    sources: list[Source] = field(default_factory=list)  # shown, at most SOURCES_SHOWN
    sources_total: int = 0
    sections: list[SectorSection] = field(default_factory=list)
    events: list = field(default_factory=list)
    parties_total: int = 0
    highlights: list[str] = field(default_factory=list)

    def counts(self, standings: dict[int, Standing]) -> list[tuple[UpdateStatus, int]]:
        tally = Counter(then.status for then in standings.values() if then.status)
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
    def status_chart(self) -> dict:
        """The summary's bar chart, laid out: a row per status (start and end bars, the
        counts), and an axis with ticks at 0, the middle and the largest count."""
        rows = self.summary
        largest = max([r["start"] for r in rows] + [r["end"] for r in rows] + [1])
        width, left, step = 240, 155, 26
        scale = width / largest
        bars = [
            {
                "y": i * step,
                "label": str(row["status"].label),
                "colour": row["colour"],
                "start": row["start"],
                "end": row["end"],
                "start_width": round(row["start"] * scale, 1),
                "end_width": round(row["end"] * scale, 1),
                "value_x": round(left + 5 + max(row["start"], row["end"]) * scale, 1),
                # Each row drawn on its own, its label beside it in HTML (WeasyPrint does not
                # shape Devanagari in SVG text).
                "value_x_in_row": round(PAD + 5 + max(row["start"], row["end"]) * scale, 1),
            }
            for i, row in enumerate(rows)
        ]
        ticks = sorted({0, largest // 2, largest})
        return {
            "bars": bars,
            "ticks": [
                {"x": round(left + t * scale, 1), "x_in_row": round(PAD + t * scale, 1), "value": t}
                for t in ticks
            ],
            "track": width + 70,
            "pad": PAD,
            "axis_end": PAD + width,
            "axis_y": len(rows) * step,
            "height": (len(rows) + 1) * step + 4,
            "left": left,
            "right": left + width,
        }

    @property
    def target_rows(self) -> dict[int, TargetRow]:
        return {row.commitment.pk: row for row in self.targets}

    @cached_property
    def targets_shown(self) -> list[TargetRow]:
        """The targets to read first: behind pace, then the least advanced."""

        def key(row):
            behind = row.pace == Pace.BEHIND
            percent = row.percent if row.percent is not None else Decimal(10**9)
            return (not behind, percent, row.commitment.title)

        return sorted(self.targets, key=key)[:TARGETS_SHOWN]

    @property
    def targets_more(self) -> int:
        return len(self.targets) - len(self.targets_shown)

    @property
    def changed_more(self) -> int:
        return self.changed_total - len(self.changed)

    @property
    def sources_more(self) -> int:
        return self.sources_total - len(self.sources)

    @property
    def scope_label(self) -> str:
        """The sector, party and event the report is about, named in the reader's language."""
        return " · ".join(
            str(translated(x, "name")) for x in (self.sector, self.party, self.event) if x
        )

    @property
    def period_label(self) -> str:
        """'29 August 2025 to 28 November 2026', 2025年8月29日～2026年11月28日."""
        return gettext("%(start)s to %(end)s") % {
            "start": date_format(self.start, "DATE_FORMAT"),
            "end": date_format(self.end, "DATE_FORMAT"),
        }

    @property
    def title(self) -> str:
        scope = self.scope_label
        if scope:
            return gettext("Progress report, %(period)s · %(scope)s") % {
                "period": self.period_label,
                "scope": scope,
            }
        return gettext("Progress report, %(period)s") % {"period": self.period_label}

    @property
    def day_before(self) -> datetime.date:
        return self.start - datetime.timedelta(days=1)

    @property
    def changes(self) -> list[Change]:
        """The updates shown, newest first within each commitment."""
        return [change for group in self.changed for change in group.changes]

    def projection_of(self, row: TargetRow):
        projections = self.__dict__.setdefault("_projections", {})
        if row.commitment.pk not in projections:
            wanted = self.targets_shown if row in self.targets_shown else self.targets
            self._load_projections([r for r in wanted if r.commitment.pk not in projections])
        return projections[row.commitment.pk]

    def _load_projections(self, rows: list[TargetRow]) -> None:
        """The same thinned points as the detail page's chart and projection, up to the end
        of the period: one query for all the rows."""
        points = defaultdict(list)
        figures = (
            StatusUpdate.objects.published()
            .filter(commitment__in=[r.commitment.pk for r in rows], as_of__lte=self.end)
            .exclude(progress_value=None)
            .order_by("commitment_id", *OLDEST_FIRST)
            .values_list("commitment_id", "as_of", "progress_value")
        )
        for commitment_id, day, value in figures.iterator(chunk_size=5000):
            points[commitment_id].append(Point(day, value))
        for row in rows:
            c = row.commitment
            start = [Point(c.announced_on, c.baseline_value or Decimal(0))]
            self._projections[c.pk] = project_completion(
                thin_points(start + points[c.pk]), c.target_value
            )

    def cited_sources(self):
        """Sources cited by the published updates of the report's commitments up to its end,
        each once, by title."""
        updates = StatusUpdate.objects.published().filter(
            commitment__in=[c.pk for c in self.commitments], as_of__lte=self.end
        )
        cited = StatusUpdate.sources.through.objects.filter(statusupdate__in=updates)
        return Source.objects.filter(pk__in=cited.values("source_id")).order_by("title", "pk")

    def every_source(self):
        return self.cited_sources().iterator(chunk_size=2000)

    def every_change(self, language: str | None = None):
        """Every published update dated in the period as a plain row, oldest first by
        commitment (title order), with the status before it: (commitment, as_of, status
        before, status, progress value, summary, sources as the update-log export writes
        them). One streamed query, plain values: memory flat however long the period."""
        by_pk = {c.pk: c for c in self.commitments}
        before = {pk: then.status for pk, then in self.at_start.items()}
        updates = (
            StatusUpdate.objects.published()
            .filter(commitment__in=list(by_pk), as_of__gte=self.start, as_of__lte=self.end)
            .order_by("commitment__title", "commitment_id", *OLDEST_FIRST)
            .values_list(
                "commitment_id", "as_of", "status", "progress_value", "summary", "cited_sources"
            )
        )
        code = short_code(language)
        if code != "en":  # the summary in the reader's language where it is translated
            updates = updates.values_list(
                "commitment_id",
                "as_of",
                "status",
                "progress_value",
                Coalesce(NullIf(f"summary_{code}", Value("")), "summary"),
                "cited_sources",
            )
        rows = standing.statuses_before(
            updates.iterator(chunk_size=EXPORT_BATCH),
            status=lambda row: row[2],
            commitment=lambda row: row[0],
            initial=before,
        )
        for (commitment_id, as_of, status, progress, summary, sources), previous in rows:
            yield (by_pk[commitment_id], as_of, previous, status, progress, summary, sources)


def standings_on(commitments, day) -> dict[int, Standing]:
    """Each commitment as it stood on `day`: commitments/standing.py, as the as-of views.
    A parent's parts count whether or not they are in the report's scope."""
    then = standing.compute(Commitment.objects.filter(pk__in=[c.pk for c in commitments]), day)
    return {c.pk: Standing(c, then[c.pk]) for c in commitments}


def build_report(start, end, sector=None, party=None, event=None) -> Report:
    report = Report(start=start, end=end, sector=sector, party=party, event=event)
    scope = Commitment.objects.public()
    if sector:
        scope = scope.filter(sector=sector)
    if party:
        scope = scope.filter(parties=party)
    if event:
        scope = scope.filter(event=event)
    commitments = list(
        scope.select_related("sector", "event")
        .prefetch_related(
            Prefetch(
                "commitment_parties",
                queryset=CommitmentParty.objects.select_related("party"),
            )
        )
        .order_by("sector__position", "sector__name", "title")
    )
    report.at_start = standings_on(commitments, report.day_before)
    report.at_end = standings_on(commitments, end)
    report.commitments = [c for c in commitments if report.at_end[c.pk].status]
    for commitment in report.commitments:
        commitment.report_start = report.at_start[commitment.pk]
        commitment.report_end = report.at_end[commitment.pk]
    in_report = {c.pk: c for c in report.commitments}

    events, parties = {}, set()
    for commitment in report.commitments:
        if commitment.event_id:
            events[commitment.event_id] = commitment.event
        parties.update(link.party_id for link in commitment.commitment_parties.all())
    report.events = sorted(events.values(), key=lambda e: (e.starts_on, e.name))
    report.parties_total = len(parties)

    _classify(report)
    _targets(report, in_report)
    _changes(report, in_report)
    _sources(report, in_report)
    _sections(report)
    report.highlights = highlights(report)
    return report


def _classify(report: Report) -> None:
    stale_before = standing.stale_cutoff(report.end)
    for commitment in report.commitments:
        before, after = report.at_start[commitment.pk], report.at_end[commitment.pk]
        if after.status == UpdateStatus.ACHIEVED and before.status != UpdateStatus.ACHIEVED:
            report.achieved.append(commitment)
        if report.start <= commitment.announced_on <= report.end:
            report.announced.append(commitment)
        open_at_end = after.status not in CLOSED_STATUSES
        commitment.report_overdue = commitment.report_newly_overdue = False
        if commitment.deadline and commitment.deadline < report.end and open_at_end:
            report.overdue.append(commitment)
            commitment.report_overdue = True
            if commitment.deadline >= report.day_before:
                report.newly_overdue.append(commitment)
                commitment.report_newly_overdue = True
        last = after.figures.last_update_on
        if open_at_end and last is not None and last < stale_before:
            report.stale.append(commitment)


def _targets(report: Report, in_report: dict) -> None:
    for commitment in report.commitments:
        commitment.report_target = None
    for commitment in report.commitments:
        if commitment.target_value is None:
            continue
        after = report.at_end[commitment.pk]
        pace = compute_pace_for(commitment, after.progress, report.end)
        commitment.report_target = TargetRow(
            commitment=commitment,
            progress=after.progress,
            percent=after.figures.progress_percent,
            pace=pace,
            start_percent=report.at_start[commitment.pk].figures.progress_percent,
            report=report,
        )
        report.targets.append(commitment.report_target)
        if pace == Pace.BEHIND:
            report.behind.append(commitment)


def _changes(report: Report, in_report: dict) -> None:
    in_period = StatusUpdate.objects.published().filter(
        commitment__in=list(in_report), as_of__gte=report.start, as_of__lte=report.end
    )
    report.updates_by_commitment = dict(
        in_period.order_by().values_list("commitment").annotate(n=Count("pk"))
    )
    report.update_count = sum(report.updates_by_commitment.values())
    report.changed_total = len(report.updates_by_commitment)
    targets = report.target_rows

    def weight(pk):
        """Which commitments' changes to read first: a new status, then the largest move
        towards the target, then the most updates."""
        before, after = report.at_start[pk], report.at_end[pk]
        row = targets.get(pk)
        move = Decimal(0)
        if row and row.percent is not None:
            move = row.percent - (row.start_percent or Decimal(0))
        return (before.status == after.status, -move, -report.updates_by_commitment[pk])

    chosen = sorted(report.updates_by_commitment, key=weight)[:CHANGED_COMMITMENTS_SHOWN]
    newest = (
        in_period.filter(commitment__in=chosen)
        .annotate(rank=Window(RowNumber(), partition_by=F("commitment_id"), order_by=NEWEST_FIRST))
        .filter(rank__lte=UPDATES_PER_COMMITMENT + 1)  # one more: the status before
        .prefetch_related(Prefetch("sources", queryset=Source.objects.order_by("title")))
    )
    shown = defaultdict(list)
    for update in newest:
        update.commitment = in_report[update.commitment_id]
        shown[update.commitment_id].append(update)
    groups = []
    for pk in chosen:
        updates = sorted(shown[pk], key=lambda u: u.rank)  # newest first
        changes = []
        for i, update in enumerate(updates[:UPDATES_PER_COMMITMENT]):
            older = updates[i + 1] if i + 1 < len(updates) else None
            previous = older.status if older else report.at_start[pk].status
            changes.append(Change(update, previous))
        groups.append(CommitmentChanges(in_report[pk], changes, report.updates_by_commitment[pk]))
    report.changed = sorted(groups, key=lambda g: _reading_order(g.commitment))


def _reading_order(commitment):
    return (commitment.sector.position, commitment.sector.name, commitment.title)


def _sources(report: Report, in_report: dict) -> None:
    cited = report.cited_sources()
    report.sources_total = cited.count()
    report.sources = list(cited[:SOURCES_SHOWN])


def _sections(report: Report) -> None:
    by_sector = defaultdict(list)
    for commitment in report.commitments:
        by_sector[commitment.sector_id].append(commitment)
    notable = {
        c.pk for c in [*report.achieved, *report.newly_overdue, *report.behind, *report.announced]
    }
    for commitments in by_sector.values():

        def key(c):
            changed = report.at_start[c.pk].status != report.at_end[c.pk].status
            return (not changed, c.pk not in notable, c.title)

        tally = Counter(report.at_end[c.pk].status for c in commitments)
        report.sections.append(
            SectorSection(
                sector=commitments[0].sector,
                commitments=sorted(commitments, key=key)[:COMMITMENTS_PER_SECTOR],
                total=len(commitments),
                counts=[(s, tally[s.value]) for s in UpdateStatus if tally[s.value]],
            )
        )
    for section in report.sections:
        section.commitments.sort(key=lambda c: c.title)


def _quoted(commitment) -> str:
    """“Title” (「タイトル」 in Japanese), in the reader's language."""
    return gettext("“%(title)s”") % {"title": translated(commitment, "title")}


def _names(commitments, limit=3) -> str:
    """“A”, “B” and “C” (and 2 more): the titles quoted, listed the reader's way."""
    names = [_quoted(c) for c in commitments[:limit]]
    more = len(commitments) - len(names)
    if len(names) > 1:
        text = gettext("%(names)s and %(last)s") % {
            "names": pgettext("between the items of a list", ", ").join(names[:-1]),
            "last": names[-1],
        }
    else:
        text = names[0]
    if more:
        return ngettext("%(names)s and %(count)s more", "%(names)s and %(count)s more", more) % {
            "names": text,
            "count": _count(more),
        }
    return text


def _count(n: int) -> str:
    """1,234 in English; the reader's way in Japanese and Hindi (commitments/numbers.py)."""
    code = short_code()
    return f"{n:,}" if code == "en" else format_count_in(n, code)


def highlights(report: Report) -> list[str]:
    """Three to seven sentences a reader needs first, worked out from the data."""
    lines = []
    if report.achieved:
        lines.append(
            gettext("Achieved in the period: %(names)s.") % {"names": _names(report.achieved)}
        )
    moves = sorted(
        (
            row
            for row in report.targets
            if row.percent is not None and row.percent != (row.start_percent or 0)
        ),
        key=lambda row: -(row.percent - (row.start_percent or 0)),
    )
    for row in moves[:2]:
        before = standing.percent_shown(row.start_percent) or 0
        after = standing.percent_shown(row.percent)
        lines.append(
            gettext("%(title)s moved from %(before)s %% to %(after)s %% of its target.")
            % {"title": _quoted(row.commitment), "before": before, "after": after}
        )
    for status, sentence in (
        (UpdateStatus.DELAYED, gettext("Delayed in the period: %(names)s.")),
        (UpdateStatus.STALLED, gettext("Stalled in the period: %(names)s.")),
        (UpdateStatus.ABANDONED, gettext("Abandoned in the period: %(names)s.")),
    ):
        turned = [
            c
            for c in report.commitments
            if report.at_end[c.pk].status == status and report.at_start[c.pk].status != status
        ]
        if turned:
            lines.append(sentence % {"names": _names(turned)})
    if report.newly_overdue:
        lines.append(gettext("Fell overdue: %(names)s.") % {"names": _names(report.newly_overdue)})
    if report.behind:
        n = len(report.behind)
        lines.append(
            ngettext(
                "%(count)s measurable commitment is behind pace at the end.",
                "%(count)s measurable commitments are behind pace at the end.",
                n,
            )
            % {"count": _count(n)}
        )
    if report.announced:
        n = len(report.announced)
        lines.append(
            ngettext(
                "%(count)s commitment announced in the period.",
                "%(count)s commitments announced in the period.",
                n,
            )
            % {"count": _count(n)}
        )
    if len(lines) < 3:
        about = ngettext("%(count)s commitment", "%(count)s commitments", report.changed_total) % {
            "count": _count(report.changed_total)
        }
        lines.append(
            ngettext(
                "%(count)s update dated in the period, about %(commitments)s.",
                "%(count)s updates dated in the period, about %(commitments)s.",
                report.update_count,
            )
            % {"count": _count(report.update_count), "commitments": about}
        )
    if len(lines) < 3 and report.stale:
        n = len(report.stale)
        lines.append(
            ngettext(
                "%(count)s open commitment had no update for more than %(days)s days.",
                "%(count)s open commitments had no update for more than %(days)s days.",
                n,
            )
            % {"count": _count(n), "days": settings.STALE_AFTER_DAYS}
        )
    return lines[:HIGHLIGHTS]


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
        (date_format(month_end, "YEAR_MONTH_FORMAT"), month_end.replace(day=1), month_end),
        (
            gettext("Q%(quarter)s %(year)s")
            % {"quarter": (quarter_end.month - 1) // 3 + 1, "year": quarter_end.year},
            last_quarter_start,
            quarter_end,
        ),
        (gettext("Since the announcement"), *default_period(today, scope)),
    ]
