"""Analysts' updates from a spreadsheet: one update per row, several sources per update.

The columns are those of the importable export (`COLUMNS`, commitments/views/imports_export.py
writes them), so an export edited and imported again works: what is already recorded is
skipped, not refused.

Several sources: a row whose update columns (commitment … body) are all empty, or the same as
the row above, adds its source to the update above.

Every problem of a row is said in words, all of them at once. The rules are the site's own:
StatusUpdate.clean (dates, progress value), the Source URL field's validators, the update
form's rules for sources (a title; the URL may be empty for a print document; a URL already on
record is cited, not added again, and only if the analyst may cite it). Imported updates are
drafts, or submitted for review: never published."""

from __future__ import annotations

import datetime
import difflib
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from commitments import citations, rules
from commitments.imports import base
from commitments.imports.base import ImportFileError, RowPlan
from commitments.models import Commitment, Source, SourceQuerySet, StatusUpdate, UpdateStatus

UPDATE_COLUMNS = ["commitment", "as_of", "status", "progress_value", "summary", "body"]
SOURCE_COLUMNS = [
    "source_title",
    "source_url",
    "source_publisher",
    "source_published_on",
    "source_accessed_on",
]
COLUMNS = UPDATE_COLUMNS + SOURCE_COLUMNS
REQUIRED = ["commitment", "as_of", "status", "summary", "source_title", "source_url"]
ALIASES = {
    "slug": "commitment",
    "commitment_slug": "commitment",
    "as_of_date": "as_of",
    "date": "as_of",
    "progress": "progress_value",
    "value": "progress_value",
    "details": "body",
    "source": "source_title",
    "title": "source_title",
    "url": "source_url",
    "link": "source_url",
    "publisher": "source_publisher",
    "published_on": "source_published_on",
    "accessed_on": "source_accessed_on",
}

SUMMARY_MAX = StatusUpdate._meta.get_field("summary").max_length
TITLE_MAX = Source._meta.get_field("title").max_length
PUBLISHER_MAX = Source._meta.get_field("publisher").max_length
PROGRESS_FIELD = StatusUpdate._meta.get_field("progress_value")
URL_FIELD = Source._meta.get_field("url")
PROGRESS_EVERY = 200
SUGGESTIONS = 200  # unknown slugs of one file given a "did you mean"
IN_CHUNK = 2000  # values in one IN (…) list
DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(text: str) -> datetime.date | None:
    """YYYY-MM-DD or DD/MM/YYYY (a spreadsheet's date cell arrives as YYYY-MM-DD). Raises
    ValueError when the text is neither."""
    text = text.strip()
    if ISO.fullmatch(text):
        return datetime.date.fromisoformat(text)
    if match := DMY.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
        return datetime.date(year, month, day)
    raise ValueError(text)


def _date_problem(label: str, text: str) -> str:
    return gettext(
        "%(column)s “%(value)s” is not a date: write it as YYYY-MM-DD (e.g. 2026-01-31) or "
        "DD/MM/YYYY (e.g. 31/01/2026)."
    ) % {"column": label, "value": text}


def parse_number(text: str) -> Decimal:
    """'50,000', '50000', '1,50,000', '12.5' → Decimal. Raises ValueError otherwise."""
    cleaned = re.sub(r"[\s,\u00a0\u202f_]", "", text)
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not number.is_finite():
        raise ValueError(text)
    return number


def status_vocabulary() -> dict[str, str]:
    """Every accepted spelling of a status (casefolded) → its value: the value itself
    ("in_progress", "in progress") and its name in each of the site's languages."""
    accepted: dict[str, str] = {}
    for value, _label in UpdateStatus.choices:
        accepted[value.casefold()] = value
        accepted[value.replace("_", " ").casefold()] = value
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for value, label in UpdateStatus.choices:
                accepted.setdefault(str(label).strip().casefold(), value)
    return accepted


def _normalise_key(commitment_id, as_of, status, progress, summary):
    return (commitment_id, as_of, status, progress, summary)


class _Group:
    """An update: its first row and the rows that add sources to it."""

    def __init__(self, row):
        self.head = row
        self.rows = [row]


class Planner(base.Planner):
    kind = "updates"
    columns = COLUMNS
    required = REQUIRED
    aliases = ALIASES

    def header_hint(self, names: set[str]) -> str:
        # The public export of published updates (/updates/export.csv) names commitments by
        # title and puts all sources in one cell: not the columns this import reads.
        if {"commitment_url", "sources"} <= names:
            return " " + gettext(
                "This looks like the public export of published updates, which names "
                "commitments by title and puts every source in one cell. On the import page, "
                "download the export of the updates (CSV or Excel), edit that, and upload it."
            )
        return ""

    # Planning -------------------------------------------------------------------------------

    def _user_may_import(self):
        if not rules.is_contributor(self.batch.created_by):
            raise ImportFileError(gettext("Only analysts and editors can import updates."))

    def plan(self, table, progress):
        self._user_may_import()
        user = self.batch.created_by
        groups = self._groups(table.rows)
        slugs = {group.head.cells.get("commitment", "").strip() for group in groups} - {""}
        commitments = {}
        for chunk in _chunks(sorted(slugs)):
            for commitment in Commitment.objects.filter(slug__in=chunk).only(
                "pk", "slug", "title", "announced_on", "target_value"
            ):
                commitments[commitment.slug] = commitment
        existing = self._existing_updates(commitments.values(), user)
        sources = self._sources_on_record(table.rows, user)
        self._all_slugs = None
        self._suggestions: dict[str, str] = {}
        self._statuses = status_vocabulary()
        self._new_sources: dict[str, dict] = {}  # URL (or title|publisher) → the new source
        seen_in_file: dict[tuple, int] = {}
        plans: list[RowPlan] = []
        done = 0
        for group in groups:
            plans.extend(self._plan_group(group, commitments, existing, sources, seen_in_file))
            done += len(group.rows)
            if done % PROGRESS_EVERY < len(group.rows):
                progress(done)
        progress(done)
        return plans

    def _groups(self, rows) -> list[_Group]:
        groups: list[_Group] = []
        previous = None
        for row in rows:
            update_cells = [row.cells.get(name, "").strip() for name in UPDATE_COLUMNS]
            if groups and (not any(update_cells) or update_cells == previous):
                groups[-1].rows.append(row)
            else:
                groups.append(_Group(row))
                previous = update_cells
        return groups

    def _existing_updates(self, commitments, user) -> dict[tuple, StatusUpdate]:
        """The recorded updates (not rejected) of these commitments that `user` may see
        (another person's draft is neither named to them nor a reason to skip their row),
        by what they say."""
        ids = [commitment.pk for commitment in commitments]
        found: dict[tuple, tuple] = {}
        for chunk in _chunks(ids):
            for pk, commitment_id, as_of, status, value, summary, state in (
                StatusUpdate.objects.filter(commitment_id__in=chunk)
                .filter(rules.visible_q(user))
                .exclude(state=StatusUpdate.State.REJECTED)
                .order_by("pk")
                .values_list(
                    "pk", "commitment_id", "as_of", "status", "progress_value", "summary", "state"
                )
                .iterator(chunk_size=5000)
            ):
                key = _normalise_key(commitment_id, as_of, status, value, summary.strip())
                found.setdefault(key, (pk, state))
        return found

    def _sources_on_record(self, rows, user) -> dict[str, dict]:
        """The sources already on record with the file's URLs, with whether `user` may cite
        them (the update form's rule: public ones and their own)."""
        urls = sorted({row.cells.get("source_url", "").strip() for row in rows} - {""})
        found = {}
        for chunk in _chunks(urls):
            for source in (
                Source.objects.filter(url__in=chunk)
                .annotate(public=SourceQuerySet._cited_publicly())
                .values("pk", "url", "title", "added_by_id", "public")
            ):
                source["citable"] = source["public"] or source["added_by_id"] == user.pk
                found[source["url"]] = source
        return found

    def _suggest(self, slug: str) -> str:
        """A close slug ("did you mean"), for the first SUGGESTIONS unknown slugs of a file
        (difflib over every slug costs about a millisecond each)."""
        if slug in self._suggestions:
            return self._suggestions[slug]
        if len(self._suggestions) >= SUGGESTIONS:
            return ""
        if self._all_slugs is None:
            self._all_slugs = list(Commitment.objects.values_list("slug", flat=True))
        close = difflib.get_close_matches(slug.casefold(), self._all_slugs, n=1, cutoff=0.75)
        self._suggestions[slug] = close[0] if close else ""
        return self._suggestions[slug]

    def _plan_group(self, group, commitments, existing, sources, seen_in_file):
        head = group.head
        cells = {name: value.strip() for name, value in head.cells.items()}
        problems: list[str] = []
        slug = cells.get("commitment", "")
        summary = cells.get("summary", "")
        commitment = commitments.get(slug)
        if not slug:
            problems.append(gettext("The commitment is missing: give its slug."))
        elif commitment is None:
            suggestion = self._suggest(slug)
            if suggestion:
                problems.append(
                    gettext("No commitment has the slug “%(slug)s”. Did you mean “%(suggestion)s”?")
                    % {"slug": slug, "suggestion": suggestion}
                )
            else:
                problems.append(
                    gettext(
                        "No commitment has the slug “%(slug)s”: copy it from the commitment's "
                        "address (/commitments/<slug>/)."
                    )
                    % {"slug": slug}
                )

        as_of = None
        as_of_text = cells.get("as_of", "")
        if not as_of_text:
            problems.append(gettext("The as-of date is missing."))
        else:
            try:
                as_of = parse_date(as_of_text)
            except ValueError:
                problems.append(_date_problem(gettext("The as-of date"), as_of_text))

        status = None
        status_text = cells.get("status", "")
        if not status_text:
            problems.append(gettext("The status is missing."))
        else:
            status = self._statuses.get(re.sub(r"\s+", " ", status_text).casefold())
            if status is None:
                problems.append(
                    gettext("The status “%(value)s” is not one of: %(allowed)s.")
                    % {
                        "value": status_text,
                        "allowed": ", ".join(
                            f"{value} ({label})" for value, label in UpdateStatus.choices
                        ),
                    }
                )

        progress = None
        progress_text = cells.get("progress_value", "")
        if progress_text:
            try:
                progress = parse_number(progress_text)
            except ValueError:
                problems.append(
                    gettext(
                        "The progress value “%(value)s” is not a number: write digits only, "
                        "e.g. 50000 or 50,000."
                    )
                    % {"value": progress_text}
                )
            else:
                places = PROGRESS_FIELD.decimal_places
                if -progress.as_tuple().exponent > places:
                    problems.append(
                        gettext("The progress value has more than %(places)s decimal places.")
                        % {"places": places}
                    )
                    progress = None
                elif abs(progress) >= 10 ** (PROGRESS_FIELD.max_digits - places):
                    problems.append(gettext("The progress value is too large."))
                    progress = None

        if not summary:
            problems.append(gettext("The summary is missing."))
        elif len(summary) > SUMMARY_MAX:
            problems.append(
                gettext("The summary has %(count)s characters; at most %(max)s are allowed.")
                % {"count": len(summary), "max": SUMMARY_MAX}
            )

        # The model's own rules: not in the future, not before the announcement, a progress
        # value only against a target, never negative (those needing the commitment are
        # skipped by clean() when it is unknown).
        candidate = StatusUpdate(commitment=commitment, as_of=as_of, progress_value=progress)
        try:
            candidate.clean()
        except ValidationError as error:
            for messages in error.message_dict.values():
                problems.extend(messages)

        subject, text = slug, summary
        key = None
        if not problems:
            key = _normalise_key(commitment.pk, as_of, status, progress, summary)
            recorded = existing.get(key)
            if recorded is not None:
                pk, state = recorded
                note = gettext(
                    "Already recorded (update #%(pk)s, %(state)s, as of %(date)s); skipped."
                ) % {
                    "pk": pk,
                    "state": StatusUpdate.State(state).label.lower(),
                    "date": formats.date_format(as_of, "DATE_FORMAT"),
                }
                return [
                    RowPlan(row.number, "skip", subject, text, notes=[note]) for row in group.rows
                ]
            if key in seen_in_file:
                problems.append(
                    gettext(
                        "This update is the same as the one on row %(row)s: give each update "
                        "once, with its sources on consecutive rows."
                    )
                    % {"row": seen_in_file[key]}
                )
            else:
                seen_in_file[key] = head.number

        # Sources, row by row; every update needs one.
        row_problems: dict[int, list[str]] = {row.number: [] for row in group.rows}
        row_problems[head.number] = problems
        cited: list[tuple] = []  # ("existing", pk) or ("new", key)
        for row in group.rows:
            spec = self._source(row, sources, row_problems[row.number])
            if spec is not None and spec not in cited:
                cited.append(spec)
        if not cited and not any(
            row.cells.get(name, "").strip() for row in group.rows for name in SOURCE_COLUMNS
        ):
            problems.append(
                gettext(
                    "The update has no source: give at least a source title (and its URL, "
                    "unless it is a print document)."
                )
            )

        failed = any(row_problems.values())
        payload = None
        if not failed:
            payload = {
                "commitment_id": commitment.pk,
                "as_of": as_of,
                "status": status,
                "progress_value": progress,
                "summary": summary,
                "body": cells.get("body", ""),
                "sources": cited,
            }
        plans = []
        for row in group.rows:
            own = row_problems[row.number]
            if row is head:
                if failed:
                    own = own or [
                        gettext("A source of this update, on the rows below, has problems.")
                    ]
                    plans.append(RowPlan(row.number, "error", subject, text, problems=own))
                else:
                    plans.append(RowPlan(row.number, "create", subject, text, payload=payload))
                continue
            note = gettext("Another source of the update on row %(row)s.") % {"row": head.number}
            if own:
                plans.append(RowPlan(row.number, "error", subject, text, problems=own))
            elif failed:
                plans.append(
                    RowPlan(
                        row.number,
                        "error",
                        subject,
                        text,
                        problems=[
                            gettext(
                                "The update on row %(row)s has problems: this source is not "
                                "imported either."
                            )
                            % {"row": head.number}
                        ],
                    )
                )
            else:
                plans.append(RowPlan(row.number, "create", subject, text, notes=[note]))
        return plans

    def _source(self, row, on_record, problems: list[str]):
        """What the row's source columns cite: ("existing", pk), ("new", key) or None (no
        source on this row, or a problem, added to `problems`)."""
        cells = {name: row.cells.get(name, "").strip() for name in SOURCE_COLUMNS}
        if not any(cells.values()):
            return None
        title, url = cells["source_title"], cells["source_url"]
        publisher = cells["source_publisher"]
        before = len(problems)
        if url:
            try:
                URL_FIELD.run_validators(url)
            except ValidationError as error:
                problems.append(
                    gettext("The source URL “%(url)s” is not valid: %(reason)s")
                    % {"url": url[:200], "reason": " ".join(error.messages)}
                )
        if url and url in on_record and len(problems) == before:
            source = on_record[url]
            if not source["citable"]:
                problems.append(
                    gettext(
                        "This URL is already on record for work not yet published; an editor "
                        "can help you cite it."
                    )
                )
                return None
            return ("existing", source["pk"])
        if not title:
            problems.append(gettext("The source title is missing."))
        elif len(title) > TITLE_MAX:
            problems.append(
                gettext("The source title has %(count)s characters; at most %(max)s.")
                % {"count": len(title), "max": TITLE_MAX}
            )
        if len(publisher) > PUBLISHER_MAX:
            problems.append(
                gettext("The source publisher has %(count)s characters; at most %(max)s.")
                % {"count": len(publisher), "max": PUBLISHER_MAX}
            )
        dates = {}
        for name, label in (
            ("source_published_on", gettext("The source's publication date")),
            ("source_accessed_on", gettext("The source's access date")),
        ):
            if cells[name]:
                try:
                    dates[name] = parse_date(cells[name])
                except ValueError:
                    problems.append(_date_problem(label, cells[name]))
        published, accessed = dates.get("source_published_on"), dates.get("source_accessed_on")
        if published or accessed:
            try:
                Source(title=title, url=url, published_on=published, accessed_on=accessed).clean()
            except ValidationError as error:
                for messages in error.message_dict.values():
                    problems.extend(messages)
        if len(problems) > before:
            return None
        key = url or f"\x00{title}\x00{publisher}"
        self._new_sources.setdefault(
            key,
            {
                "title": title,
                "url": url,
                "publisher": publisher,
                "published_on": published,
                "accessed_on": accessed,
            },
        )
        return ("new", key)

    # Applying -------------------------------------------------------------------------------

    def apply(self, plans, progress):
        """Create the planned updates (drafts, or submitted for review), their new sources and
        citations, and a history record of each with the import as its reason."""
        self._user_may_import()
        user = self.batch.created_by
        reason = self.history_reason()
        heads = [plan for plan in plans if plan.action == "create" and plan.payload]
        if not heads:
            return 0
        # New sources (one per URL in the whole file), with their history.
        wanted = []
        for plan in heads:
            for kind, key in plan.payload["sources"]:
                if kind == "new" and key not in wanted:
                    wanted.append(key)
        created_sources = {}
        if wanted:
            from simple_history.utils import bulk_create_with_history

            objects = [Source(added_by=user, **self._new_sources[key]) for key in wanted]
            saved = bulk_create_with_history(
                objects, Source, batch_size=1000, default_user=user, default_change_reason=reason
            )
            created_sources = {key: source.pk for key, source in zip(wanted, saved, strict=True)}

        now = timezone.now()
        submitted = bool(self.batch.submit)
        updates = []
        for plan in heads:
            data = plan.payload
            updates.append(
                StatusUpdate(
                    commitment_id=data["commitment_id"],
                    as_of=data["as_of"],
                    status=data["status"],
                    progress_value=data["progress_value"],
                    summary=data["summary"],
                    body=data["body"],
                    author=user,
                    state=StatusUpdate.State.SUBMITTED if submitted else StatusUpdate.State.DRAFT,
                    submitted_at=now if submitted else None,
                )
            )
        StatusUpdate.objects.bulk_create(updates, batch_size=1000)
        progress(len(plans) // 2)

        through = StatusUpdate.sources.through
        links = []
        for plan, update in zip(heads, updates, strict=True):
            for kind, key in plan.payload["sources"]:
                source_id = key if kind == "existing" else created_sources[key]
                links.append(through(statusupdate_id=update.pk, source_id=source_id))
        through.objects.bulk_create(links, batch_size=2000)

        texts = citations.refresh([update.pk for update in updates])
        for update in updates:
            update.cited_sources = texts.get(update.pk, "")

        # History, as the form path leaves it: a record of each update with its sources
        # (the m2m history), by the uploader, saying which file. Set-based: copied by the
        # database from the rows just written, as simple-history's bulk_history_create would
        # build them (its Python path cost three seconds per 10,000 updates).
        self._history([update.pk for update in updates], user, reason, now)
        progress(len(plans))
        return len(updates)

    @staticmethod
    def _history(update_ids, user, reason, now):
        from django.apps import apps
        from django.db import connection

        history = StatusUpdate.history.model
        m2m = apps.get_model("commitments", "HistoricalStatusUpdate_sources")
        through = StatusUpdate.sources.through
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in history.tracked_fields)
        last = history.objects.order_by("-history_id").values_list("history_id", flat=True)
        before = last.first() or 0
        when = connection.ops.adapt_datetimefield_value(now)
        with connection.cursor() as cursor:
            for chunk in _chunks(update_ids):
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"INSERT INTO {quote(history._meta.db_table)} ({columns}, history_date, "
                    "history_change_reason, history_type, history_user_id) "
                    f"SELECT {columns}, %s, %s, '+', %s "
                    f"FROM {quote(StatusUpdate._meta.db_table)} WHERE id IN ({marks}) "
                    "ORDER BY id",
                    [when, reason, user.pk, *chunk],
                )
                cursor.execute(
                    f"INSERT INTO {quote(m2m._meta.db_table)} "
                    "(history_id, id, statusupdate_id, source_id) "
                    "SELECT h.history_id, t.id, t.statusupdate_id, t.source_id "
                    f"FROM {quote(through._meta.db_table)} t "
                    f"JOIN {quote(history._meta.db_table)} h ON h.id = t.statusupdate_id "
                    f"WHERE h.history_id > %s AND t.statusupdate_id IN ({marks}) "
                    "ORDER BY t.id",
                    [before, *chunk],
                )


def _chunks(values, size=IN_CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


# The importable export ------------------------------------------------------------------------


def export_rows(commitment_slug: str | None = None):
    """The published updates in exactly the import's columns, one row per source (an update
    with several sources repeats its update columns), as typed values (dates, Decimals,
    text): the view escapes and writes them."""
    from commitments.exports import plain_value

    updates = StatusUpdate.objects.published()
    if commitment_slug:
        updates = updates.filter(commitment__slug=commitment_slug)
    rows = (
        updates.order_by(
            "commitment__slug",
            "as_of",
            "pk",
            # Each update's sources in the pages' order (commitments/citations.py).
            "-sources__published_on",
            "sources__title",
            "sources__id",
        )
        .values_list(
            "commitment__slug",
            "as_of",
            "status",
            "progress_value",
            "summary",
            "body",
            "sources__title",
            "sources__url",
            "sources__publisher",
            "sources__published_on",
            "sources__accessed_on",
        )
        .iterator(chunk_size=2000)
    )
    for row in rows:
        row = list(row)
        row[3] = None if row[3] is None else Decimal(plain_value(row[3]))
        yield [("" if value is None else value) for value in row]
