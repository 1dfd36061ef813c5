"""A commitment's public change log, built from its audit history.

Only what the public may see goes in: published updates (and the notices of corrections and
retractions) and changes to the commitment's own public fields and parties, from its first
publication on. The log starts with the commitment
as it stood when it was first published; whatever it was before (a working title, a partner
dropped before the announcement) leaves no trace, not even as the "before" of a later change.
Who made a change is never shown.

The cost is bounded: the history is read as a few light columns (the description as a hash),
and only one page of PAGE_SIZE entries is built in full and shown (`?page=`, newest first).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import Paginator
from django.db.models import Min, Q
from django.db.models.functions import MD5
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from commitments import standing
from commitments.templatetags.tracker import quantity

PUBLIC_FIELDS = [
    "title",
    "summary",
    "description",
    "sector_id",
    "event_id",
    "parent_id",
    "announced_on",
    "deadline",
    "deadline_precision",
    "target_value",
    "target_unit",
    "target_unit_label",
    "baseline_value",
    "target_wording",
]
LONG_FIELDS = {"description"}
# Names of the fields that have no verbose name of their own on the model.
FIELD_LABELS = {
    "title": _("title"),
    "summary": _("summary"),
    "description": _("description"),
    "deadline": _("deadline"),
    "deadline_precision": _("deadline precision"),
}
# Long fields are compared by a hash computed in the database, never loaded.
PAGE_SIZE = 50


@dataclass
class Change:
    label: str
    before: str = ""
    after: str = ""
    # The language of before/after when they are the record's own English wording.
    language: str = ""


@dataclass
class Entry:
    when: datetime
    kind: str  # "published" (the first record), "changed", "update", "retraction", "parties"
    title: str
    changes: list[Change] = field(default_factory=list)
    update: object = None
    previous_status: str = ""
    update_id: int | None = None


@dataclass
class ChangeLog:
    first: Entry  # "First published": the record as it stood then (on the last page)
    entries: list[Entry]  # later entries of this page, newest first, at most PAGE_SIZE
    page: object = None  # the Page: number, paginator.num_pages, has_next…


def first_published_at(commitment) -> datetime | None:
    """When the commitment became public: the earliest publication of any of its updates,
    including updates published then and since withdrawn or replaced (their audit history
    remembers the publication)."""
    from commitments.models import StatusUpdate

    published = StatusUpdate.State.PUBLISHED
    now = StatusUpdate.objects.filter(commitment=commitment, state=published).aggregate(
        first=Min("reviewed_at")
    )["first"]
    ever = StatusUpdate.history.filter(commitment_id=commitment.pk, state=published).aggregate(
        first=Min("reviewed_at")
    )["first"]
    return min((d for d in (now, ever) if d is not None), default=None)


def build_change_log(commitment, page=1) -> ChangeLog:
    """The log's page `page` (as typed: a bad or out-of-range one gives the first or last)."""
    from commitments.models import CommitmentParty, Party, Sector, StatusUpdate

    # Published updates (corrections included) and retraction notices, as light rows in
    # as-of order. A retracted or superseded update is gone from the record: its notice says so.
    statuses = dict(StatusUpdate.Status.choices)
    public = Q(state=StatusUpdate.State.PUBLISHED) | Q(
        kind=StatusUpdate.Kind.RETRACTION, state=StatusUpdate.State.RETRACTED
    )
    update_rows = list(
        StatusUpdate.objects.filter(public, commitment=commitment, reviewed_at__isnull=False)
        .oldest_first()
        .values_list("pk", "kind", "status", "reviewed_at")
    )
    start = first_published_at(commitment) or commitment.updated_at

    # The commitment's record: as it stood at first publication, then each later version,
    # as tuples of PUBLIC_FIELDS. Every publication saves the commitment too, so most later
    # versions equal the one before: one tuple comparison each.
    columns = [f"{name}_hash" if name in LONG_FIELDS else name for name in PUBLIC_FIELDS]
    history = commitment.history.annotate(
        **{f"{name}_hash": MD5(name) for name in LONG_FIELDS}
    ).order_by("history_date", "history_id")
    base = history.filter(history_date__lte=start).reverse().values_list(*columns).first()
    later = [
        (row[0], row[1:])
        for row in history.filter(history_date__gt=start).values_list("history_date", *columns)
    ]
    if base is None and later:
        base = later.pop(0)[1]  # history kept only since after publication (e.g. loaded data)
    sector = PUBLIC_FIELDS.index("sector_id")
    sector_ids = {values[sector] for values in [base, *(values for _, values in later)] if values}
    sector_names = dict(Sector.objects.filter(pk__in=sector_ids).values_list("pk", "name"))

    title = base[PUBLIC_FIELDS.index("title")] if base else commitment.title
    first = Entry(
        start, "published", gettext("First published"), [Change(gettext("Titled"), "", title, "en")]
    )
    entries: list[Entry] = []
    previous = base
    for when, values in later:
        if values != previous:
            changes = [
                _describe(name, before, after, sector_names)
                for name, before, after in zip(PUBLIC_FIELDS, previous, values, strict=True)
                if before != after
            ]
            entries.append(Entry(when, "changed", gettext("Details changed"), changes))
        previous = values

    # Parties: those on the commitment at first publication belong to the first record.
    party_rows = list(
        CommitmentParty.history.filter(commitment_id=commitment.pk)
        .order_by("history_date", "history_id")
        .values("id", "party_id", "role", "contribution", "history_type", "history_date")
    )
    party_names = dict(
        Party.objects.filter(pk__in={r["party_id"] for r in party_rows}).values_list("pk", "name")
    )
    roles = dict(CommitmentParty.Role.choices)

    def describe(row) -> tuple[str, str]:
        role = roles.get(row["role"], row["role"]).lower()
        return party_names.get(row["party_id"], gettext("A party")), role

    present = {}  # party role id → its latest row, while on the commitment
    split = next(
        (i for i, r in enumerate(party_rows) if r["history_date"] > start), len(party_rows)
    )
    for row in party_rows[:split]:
        if row["history_type"] == "-":
            present.pop(row["id"], None)
        else:
            present[row["id"]] = row
    first.changes += [
        Change(
            gettext("With"),
            "",
            gettext("%(party)s (%(role)s)")
            % dict(zip(("party", "role"), describe(r), strict=True)),
        )
        for r in present.values()
    ]
    for row in party_rows[split:]:
        name, role = describe(row)
        before = present.get(row["id"])
        if row["history_type"] == "-":
            present.pop(row["id"], None)
            if before is not None:
                entries.append(
                    Entry(
                        row["history_date"],
                        "parties",
                        gettext("%(party)s removed") % {"party": name},
                    )
                )
            continue
        present[row["id"]] = row
        if row["history_type"] == "+":
            entries.append(
                Entry(
                    row["history_date"],
                    "parties",
                    gettext("%(party)s added as %(role)s") % {"party": name, "role": role},
                )
            )
        elif before is None or (before["role"], before["contribution"]) != (
            row["role"],
            row["contribution"],
        ):
            if row["contribution"]:
                detail = gettext("%(party)s is now %(role)s: %(contribution)s") % {
                    "party": name,
                    "role": role,
                    "contribution": row["contribution"],
                }
            else:
                detail = gettext("%(party)s is now %(role)s") % {"party": name, "role": role}
            entries.append(Entry(row["history_date"], "parties", detail))

    published = [row for row in update_rows if row[1] != StatusUpdate.Kind.RETRACTION]
    status_before = {
        row[0]: statuses.get(before, before)
        for row, before in standing.statuses_before(
            published, status=lambda row: row[2], commitment=lambda row: commitment.pk
        )
    }
    for pk, kind, _status, reviewed_at in update_rows:
        if kind == StatusUpdate.Kind.RETRACTION:
            entries.append(
                Entry(reviewed_at, "retraction", gettext("Update retracted"), update_id=pk)
            )
            continue
        title = (
            gettext("Correction published")
            if kind == StatusUpdate.Kind.CORRECTION
            else gettext("Status update published")
        )
        entries.append(
            Entry(reviewed_at, "update", title, previous_status=status_before[pk], update_id=pk)
        )

    entries.sort(key=lambda entry: entry.when, reverse=True)
    # The first record closes the log: a page slot of its own on the last page.
    paged = Paginator([*entries, None], PAGE_SIZE).get_page(page)
    shown = [entry for entry in paged.object_list if entry is not None]
    updates = (
        StatusUpdate.objects.filter(public)
        .select_related("corrects")
        .in_bulk([entry.update_id for entry in shown if entry.update_id is not None])
    )
    for entry in shown:
        if entry.update_id is not None:
            entry.update = updates.get(entry.update_id)
    return ChangeLog(first=first if not paged.has_next() else None, entries=shown, page=paged)


def _party_and_role(party: str, role: str) -> dict:
    return {"party": party, "role": role}


def _describe(name, before, after, sector_names) -> Change:
    from commitments.models import Commitment

    if name == "sector_id":
        return Change(
            gettext("Sector"), sector_names.get(before, ""), sector_names.get(after, ""), "en"
        )
    if name in ("event_id", "parent_id"):
        label = gettext("Event") if name == "event_id" else gettext("Part of")
        return Change(label, "", gettext("changed"))
    label = capfirst(str(FIELD_LABELS.get(name) or Commitment._meta.get_field(name).verbose_name))
    if name in LONG_FIELDS:
        return Change(label, "", gettext("rewritten"))
    if name in ("target_value", "baseline_value"):
        return Change(label, quantity(before), quantity(after))
    if name in ("deadline_precision", "target_unit"):
        choices = dict(Commitment._meta.get_field(name).choices)
        return Change(label, _text(choices.get(before, before)), _text(choices.get(after, after)))
    wording = name in ("title", "summary", "target_wording", "target_unit_label")
    return Change(label, _text(before), _text(after), "en" if wording else "")


def _text(value) -> str:
    if value is None or value == "":
        return gettext("none")
    if hasattr(value, "strftime"):
        return date_format(value, "DATE_FORMAT")
    return str(value)
