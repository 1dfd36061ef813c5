"""A commitment's public change log, built from its audit history.

Only what the public may see goes in: published updates and changes to the commitment's own
public fields and parties. Who made a change is never shown.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

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
# Parties saved with the commitment itself (one admin form, one data load) are part of its
# first record, not later changes.
SAME_SAVE = timedelta(minutes=5)


@dataclass
class Change:
    label: str
    before: str = ""
    after: str = ""


@dataclass
class Entry:
    when: datetime
    kind: str  # "recorded", "changed", "update", "parties"
    title: str
    changes: list[Change] = field(default_factory=list)
    update: object = None
    previous_status: str = ""


def build_change_log(commitment) -> list[Entry]:
    from commitments.models import CommitmentParty, Party, Sector, StatusUpdate

    entries: list[Entry] = []
    records = list(commitment.history.order_by("history_date", "history_id"))
    sector_names = dict(
        Sector.objects.filter(pk__in={r.sector_id for r in records}).values_list("pk", "name")
    )
    previous = None
    recorded = None
    for record in records:
        if previous is None:
            recorded = Entry(
                min(record.history_date, commitment.created_at), "recorded", "Commitment recorded"
            )
            entries.append(recorded)
        else:
            changes = [
                _describe(name, getattr(previous, name), getattr(record, name), sector_names)
                for name in PUBLIC_FIELDS
                if getattr(previous, name) != getattr(record, name)
            ]
            if changes:
                entries.append(Entry(record.history_date, "changed", "Details changed", changes))
        previous = record

    party_records = list(
        CommitmentParty.history.filter(commitment_id=commitment.pk).order_by(
            "history_date", "history_id"
        )
    )
    party_names = dict(
        Party.objects.filter(pk__in={r.party_id for r in party_records}).values_list("pk", "name")
    )
    roles = dict(CommitmentParty.Role.choices)
    last_seen = {}
    for record in party_records:
        name = party_names.get(record.party_id, "A party")
        role = roles.get(record.role, record.role).lower()
        before = last_seen.get(record.id)
        if record.history_type == "+":
            if records and record.history_date - records[0].history_date <= SAME_SAVE:
                recorded.changes.append(Change("With", "", f"{name} ({role})"))
            else:
                entries.append(Entry(record.history_date, "parties", f"{name} added as {role}"))
        elif record.history_type == "-":
            entries.append(Entry(record.history_date, "parties", f"{name} removed"))
        elif before is not None and (before.role, before.contribution) != (
            record.role,
            record.contribution,
        ):
            detail = f"{name} is now {role}"
            if record.contribution:
                detail += f": {record.contribution}"
            entries.append(Entry(record.history_date, "parties", detail))
        last_seen[record.id] = record

    published = list(
        StatusUpdate.objects.published()
        .filter(commitment=commitment)
        .order_by("as_of", "reviewed_at", "pk")
    )
    previous_status = ""
    for update in published:
        entries.append(
            Entry(
                update.reviewed_at,
                "update",
                "Status update published",
                update=update,
                previous_status=previous_status,
            )
        )
        previous_status = update.get_status_display()
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def _describe(name, before, after, sector_names) -> Change:
    from commitments.models import Commitment

    if name == "sector_id":
        return Change("Sector", sector_names.get(before, ""), sector_names.get(after, ""))
    if name in ("event_id", "parent_id"):
        return Change("Event" if name == "event_id" else "Part of", "", "changed")
    label = Commitment._meta.get_field(name).verbose_name.capitalize()
    if name in LONG_FIELDS:
        return Change(label, "", "rewritten")
    if name in ("target_value", "baseline_value"):
        return Change(label, quantity(before), quantity(after))
    return Change(label, _text(before), _text(after))


def _text(value) -> str:
    if value is None or value == "":
        return "none"
    if hasattr(value, "strftime"):
        return f"{value.day} {value:%B %Y}"
    return str(value)
